"""Probable primes (``nocrypto.primes``): known primes and composites (Carmichael numbers,
strong pseudoprimes to many small bases), the ``openssl prime`` command as an oracle on
random candidates, and prime generation (size, top bits, predicate, FIPS 186-4 give-up)."""

from __future__ import annotations

import random as pyrandom
import shutil
import subprocess
from math import gcd

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import primes, rng
from tests.nocrypto.vectors import python_backend

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

# RFC 3526 group 5 (1536 bits, OTR's group): a safe prime.
MODP_1536 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA237327FFFFFFFFFFFFFFFF",
    16,
)

PRIMES = [
    2,
    3,
    5,
    1999,  # the largest trial divisor
    2003,  # the first prime past the table
    2**31 - 1,
    2**61 - 1,
    2**89 - 1,
    2**127 - 1,
    2**255 - 19,
    2**521 - 1,
    2**607 - 1,
    0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,  # P-256 order
    MODP_1536,
    (MODP_1536 - 1) // 2,
]

# Carmichael numbers: composite, yet Fermat pseudoprimes to every coprime base. Chernick's
# form (6k+1)(12k+1)(18k+1) is one when all three factors are prime (k = 1, 6, 35, 45).
CARMICHAEL = [561, 1105, 1729, 2465, 2821, 6601, 8911, 41041, 825265, 321197185]
CARMICHAEL += [(6 * k + 1) * (12 * k + 1) * (18 * k + 1) for k in (1, 6, 35, 45)]

# Strong pseudoprimes to every prime base up to a bound (OEIS A014233): they fool
# Miller-Rabin with those fixed bases; random bases catch them.
STRONG_PSEUDOPRIMES = [
    2047,  # base 2
    1373653,  # bases 2, 3
    25326001,  # 2, 3, 5
    3215031751,  # 2, 3, 5, 7
    2152302898747,  # up to 11
    3474749660383,  # up to 13
    341550071728321,  # up to 17
    3825123056546413051,  # up to 23
    318665857834031151167461,  # up to 37
    3317044064679887385961981,  # up to 41
]

COMPOSITES = [0, 1, 4, 2001, 2003 * 2003, (2**61 - 1) * (2**89 - 1), (2**127 - 1) ** 2]
COMPOSITES += [MODP_1536 + 2, MODP_1536 * (2**127 - 1)]


@pytest.mark.parametrize("p", PRIMES, ids=lambda n: f"{n.bit_length()}-bit")
def test_known_primes(p: int) -> None:
    assert primes.is_probable_prime(p)


@pytest.mark.parametrize(
    "n", CARMICHAEL + STRONG_PSEUDOPRIMES + COMPOSITES, ids=lambda n: f"{n.bit_length()}-bit"
)
def test_known_composites(n: int) -> None:
    assert not primes.is_probable_prime(n)


def test_carmichael_list_really_is_carmichael() -> None:
    """Each is composite, yet a^(n-1) = 1 mod n for every base a coprime to it (the Fermat
    test alone would call it prime)."""
    for n in CARMICHAEL:
        assert any(n % d == 0 for d in range(2, 1000))
        for a in range(2, 60):
            if gcd(a, n) == 1:
                assert pow(a, n - 1, n) == 1


def test_strong_pseudoprime_fools_fixed_bases_but_not_random_ones() -> None:
    """3825123056546413051 passes Miller-Rabin for every prime base up to 23; with those
    bases forced through *random*, is_probable_prime accepts it, which shows that the bases
    really come from *random*; with the default source it is rejected."""
    n = 3825123056546413051
    size = (n.bit_length() + 7) // 8
    excess = 8 * size - n.bit_length()  # the base is the top bit_length(n) random bits
    forced = iter([2, 3, 5, 7, 11, 13, 17, 19, 23])

    def fixed_bases(k: int) -> bytes:
        assert k == size
        return (next(forced) << excess).to_bytes(k, "big")

    assert primes.is_probable_prime(n, rounds=9, random=fixed_bases)
    assert next(forced, None) is None  # all nine bases were drawn
    assert not primes.is_probable_prime(n)


def test_products_of_two_large_primes_are_composite() -> None:
    rnd = pyrandom.Random(5)
    for _ in range(3):
        p = primes.generate_prime(256, random=rnd.randbytes)
        q = primes.generate_prime(256, random=rnd.randbytes)
        assert not primes.is_probable_prime(p * q)
        assert not primes.is_probable_prime(p * p)


def test_small_primes_table() -> None:
    assert len(primes.SMALL_PRIMES) == 303
    assert primes.SMALL_PRIMES[:5] == (2, 3, 5, 7, 11)
    assert primes.SMALL_PRIMES[-1] == 1999
    for n in range(2100):
        is_prime = n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
        assert primes.is_probable_prime(n) is is_prime


def test_round_counts() -> None:
    # FIPS 186-4 Table C.1 (any input) and Table C.3 / FIPS 186-5 B.1 (random candidates).
    worst = [primes.rounds_for_any(b) for b in (160, 256, 1024, 2048, 3072, 8192)]
    assert worst == [64, 64, 40, 56, 64, 64]
    average = [primes.rounds_for_random(b) for b in (256, 512, 1024, 1536, 2048, 4096)]
    assert average == [64, 7, 5, 4, 4, 4]


def test_round_count_defaults_are_used() -> None:
    drawn = 0

    def counting(k: int) -> bytes:
        nonlocal drawn
        drawn += 1
        return rng.generate(k)

    assert primes.is_probable_prime(2**1279 - 1, random=counting)
    assert drawn >= primes.rounds_for_any(1279)


def test_argument_checks() -> None:
    with pytest.raises(ValueError, match="rounds"):
        primes.is_probable_prime(101, rounds=0)
    with pytest.raises(TypeError):
        primes.is_probable_prime(101.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        primes.is_probable_prime(True)
    with pytest.raises(ValueError, match="bits"):
        primes.generate_prime(8)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**7))
def test_agrees_with_trial_division(n: int) -> None:
    is_prime = n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
    assert primes.is_probable_prime(n) is is_prime


# --- openssl as the oracle --------------------------------------------------------------


def openssl_prime(numbers: list[int]) -> list[bool]:
    """openssl's verdicts ("HEX (DECIMAL) is prime" / "... is not prime")."""
    out = subprocess.run(
        ["openssl", "prime", *map(str, numbers)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert len(out) == len(numbers)
    for line, n in zip(out, numbers, strict=True):
        assert f"({n})" in line
    return [line.endswith(") is prime") for line in out]


@needs_openssl
@pytest.mark.parametrize("bits", [64, 128, 256, pytest.param(512, marks=pytest.mark.slow)])
def test_openssl_agrees_on_random_candidates(bits: int) -> None:
    """Random odd candidates, plus some generated primes, judged by both."""
    rnd = pyrandom.Random(bits)
    count = 40 if python_backend() else 150  # the twins are slower
    candidates = [rnd.getrandbits(bits) | 1 | (1 << (bits - 1)) for _ in range(count)]
    candidates += [primes.generate_prime(bits, random=rnd.randbytes) for _ in range(10)]
    verdicts = openssl_prime(candidates)
    assert sum(verdicts) >= 10
    assert not all(verdicts)
    for n, verdict in zip(candidates, verdicts, strict=True):
        assert primes.is_probable_prime(n) is verdict, n


# --- generation -------------------------------------------------------------------------


@needs_openssl
@pytest.mark.parametrize("bits", [16, 17, 100, 512, pytest.param(1024, marks=pytest.mark.slow)])
def test_generate_prime_shape(bits: int) -> None:
    rnd = pyrandom.Random(bits)
    made = [primes.generate_prime(bits, random=rnd.randbytes) for _ in range(3)]
    for p in made:
        assert p.bit_length() == bits
        assert p >> (bits - 2) == 0b11  # top two bits: p * q has 2 * bits bits
        assert p % 2 == 1
    assert all(openssl_prime(made))
    assert len(set(made)) == 3


def test_generate_prime_honours_predicate() -> None:
    rnd = pyrandom.Random(1)
    seen: list[int] = []

    def predicate(c: int) -> bool:
        seen.append(c)
        return (c - 1) % 3 == 0

    p = primes.generate_prime(256, random=rnd.randbytes, predicate=predicate)
    assert (p - 1) % 3 == 0
    assert seen[-1] == p
    assert len(seen) > 1 or (seen[0] - 1) % 3 == 0


def test_generate_prime_is_deterministic_for_a_seeded_source() -> None:
    a = primes.generate_prime(512, random=rng.Fortuna(seed=b"primes").generate)
    b = primes.generate_prime(512, random=rng.Fortuna(seed=b"primes").generate)
    assert a == b
    assert primes.is_probable_prime(a)


def test_generate_prime_gives_up_on_a_broken_source() -> None:
    """FIPS 186-4 B.3.3 step 4.7: after 5 * bits candidates, failure. A source stuck at
    0xFF makes every candidate 2^64 - 1 = 3 * 5 * 17 * 257 * 641 * 65537 * 6700417."""
    calls = 0

    def stuck(k: int) -> bytes:
        nonlocal calls
        calls += 1
        return b"\xff" * k

    with pytest.raises(RuntimeError, match=r"B\.3\.3"):
        primes.generate_prime(64, random=stuck)
    assert calls >= 5 * 64


def test_default_random_source_is_used() -> None:
    assert primes.generate_prime(128) != primes.generate_prime(128)
