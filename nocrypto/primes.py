"""Probable primes: trial division and Miller-Rabin (FIPS 186-4, Appendix C.3), and the
random primes of RSA key generation (FIPS 186-4, Appendix B.3.3).

Round counts (FIPS 186-4, Appendix C.3):

- :func:`is_probable_prime` without *rounds* is safe for a number chosen by an adversary
  (a received DH group, DSA domain parameters): a composite passes one Miller-Rabin round
  with a random base with probability at most 1/4 whatever it is, so t rounds bound the
  error by 4^-t. The counts are those of Table C.1 (40, 56 and 64 rounds: errors of at most
  2^-80, 2^-112 and 2^-128 for p of 1024, 2048 and 3072 bits), and 64 for anything below
  1024 bits (subgroup orders q and small numbers) and from 3072 bits on.
- :func:`generate_prime` tests candidates it drew at random itself, for which the
  average-case bounds of Damgard, Landrock and Pomerance apply: Table C.3 (RSA primes,
  Miller-Rabin only; the larger of its 2^-100 and 2^-security-strength columns, and for
  2048-bit primes FIPS 186-5 Table B.1): 7 rounds for 512-bit primes, 5 for 1024, 4 for
  1536 and 2048 and up.

Constant time: the candidates of :func:`generate_prime` become secret primes. Every
modular exponentiation goes through the constant-time kernel (``nocrypto._backend.mp()``,
with the public bit size as the exponent bound). Trial division and the Miller-Rabin
rounds stop at the first witness, which only says something about candidates that are
thrown away; a prime that is kept went through every division and every round. The loop
over the s squarings of a round depends on s, the number of trailing zero bits of n - 1:
for a prime that is kept this reveals those few low bits of p - 1, which the candidates
drawn afterwards do not depend on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from nocrypto import _backend, rng

__all__ = [
    "SMALL_PRIMES",
    "generate_prime",
    "is_probable_prime",
    "rounds_for_any",
    "rounds_for_random",
]


def _sieve(limit: int) -> tuple[int, ...]:
    """The primes below *limit* (sieve of Eratosthenes)."""
    flags = bytearray([1]) * limit
    flags[0:2] = b"\x00\x00"
    for i in range(2, int(limit**0.5) + 1):
        if flags[i]:
            flags[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return tuple(i for i in range(limit) if flags[i])


#: The primes below 2000, for trial division (303 of them).
SMALL_PRIMES: Final = _sieve(2000)
_SMALL_SET: Final = frozenset(SMALL_PRIMES)


def rounds_for_any(bits: int) -> int:
    """Miller-Rabin rounds for a number of *bits* bits that may have been chosen by an
    adversary: FIPS 186-4 Table C.1 (4^-t <= 2^-80, 2^-112, 2^-128), 64 outside its rows."""
    if 1024 <= bits < 2048:
        return 40
    if 2048 <= bits < 3072:
        return 56
    return 64


def rounds_for_random(bits: int) -> int:
    """Miller-Rabin rounds for a candidate of *bits* bits drawn uniformly at random (FIPS
    186-4 Table C.3 and FIPS 186-5 Table B.1, the larger of the two error columns); below
    512 bits the tables say nothing and the worst-case count is used."""
    if bits >= 1536:
        return 4
    if bits >= 1024:
        return 5
    if bits >= 512:
        return 7
    return rounds_for_any(bits)


def _trial_division(n: int) -> bool | None:
    """False if a small prime divides n (n not itself small), True if n is a small prime,
    None if undecided."""
    if n < 2000:
        return n in _SMALL_SET
    for p in SMALL_PRIMES:
        if n % p == 0:
            return False
    return None


def _random_base(n: int, random: Callable[[int], bytes]) -> int:
    """A base b with 1 < b < n - 1 (FIPS 186-4 C.3.1 step 4.1: 1 < b < w - 1), by
    rejection sampling of bit_length(n) random bits."""
    bits = n.bit_length()
    size = (bits + 7) // 8
    excess = 8 * size - bits
    while True:
        b = int.from_bytes(random(size), "big") >> excess
        if 1 < b < n - 1:
            return b


def _miller_rabin(n: int, rounds: int, random: Callable[[int], bytes]) -> bool:
    """FIPS 186-4 C.3.1: *rounds* rounds with random bases; n odd and > 3."""
    mp = _backend.mp()
    bits = n.bit_length()
    # Step 1-2: n - 1 = 2^s * d with d odd.
    s = ((n - 1) & -(n - 1)).bit_length() - 1
    d = (n - 1) >> s
    for _ in range(rounds):
        b = _random_base(n, random)
        # Step 4.3: z = b^d mod n; the exponent bound is the public size of n.
        z = mp.mod_exp(b, d, n, bits)
        if z == 1 or z == n - 1:
            continue
        # Step 4.5: square up to s - 1 times looking for n - 1.
        for _ in range(s - 1):
            z = mp.mod_mul(z, z, n)
            if z == n - 1:
                break
        else:
            return False  # step 4.7: b is a witness, n is composite
    return True


def is_probable_prime(
    n: int, rounds: int | None = None, random: Callable[[int], bytes] = rng.generate
) -> bool:
    """Whether *n* is a probable prime: trial division by the primes below 2000, then
    *rounds* Miller-Rabin rounds (FIPS 186-4 C.3.1) with bases drawn from *random*.

    Without *rounds*, the count is safe for adversarial input (:func:`rounds_for_any`). A
    ``True`` is wrong with probability at most 4^-rounds; ``False`` is always right.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"is_probable_prime: n must be an int, not {type(n).__name__}")
    if rounds is not None and rounds < 1:
        raise ValueError("is_probable_prime: rounds must be at least 1")
    if n < 2:
        return False
    small = _trial_division(n)
    if small is not None:
        return small
    if rounds is None:
        rounds = rounds_for_any(n.bit_length())
    return _miller_rabin(n, rounds, random)


def generate_prime(
    bits: int,
    random: Callable[[int], bytes] = rng.generate,
    predicate: Callable[[int], bool] | None = None,
) -> int:
    """A random probable prime of exactly *bits* bits with its top two bits set, so that
    the product of two such primes has exactly 2 * bits bits (and p >= sqrt(2) * 2^(bits-1),
    FIPS 186-4 B.3.3 step 4.4).

    *predicate*, if given, must also hold; it is asked before the Miller-Rabin rounds (RSA
    key generation passes gcd(e, p - 1) = 1, B.3.3 step 4.5, and the |p - q| bound of step
    5.4). Candidates are fresh random odd numbers; after 5 * bits of them the search gives
    up (B.3.3 step 4.7) with RuntimeError, which with a working *random* does not happen.
    """
    if not isinstance(bits, int) or bits < 16:
        raise ValueError("generate_prime: bits must be an int of at least 16")
    size = (bits + 7) // 8
    excess = 8 * size - bits
    top = (1 << (bits - 1)) | (1 << (bits - 2))
    rounds = rounds_for_random(bits)
    for _ in range(5 * bits):
        candidate = (int.from_bytes(random(size), "big") >> excess) | top | 1
        if _trial_division(candidate) is False:
            continue
        if predicate is not None and not predicate(candidate):
            continue
        if _miller_rabin(candidate, rounds, random):
            return candidate
    raise RuntimeError(
        f"generate_prime: no {bits}-bit prime among {5 * bits} candidates "
        "(FIPS 186-4 B.3.3 step 4.7): is the random source broken?"
    )
