"""The ``mp`` kernel family: the C kernel (both paths) against its pure-Python twin and
against Python's own ``pow(b, e, m)`` and ``pow(a, -1, m)``.

Moduli of every size the kernel takes (2..8192 bits: one to 128 limbs, limb boundaries,
numbers with long runs of ones or zeros), operands including 0, 1 and n - 1, exponents 0
and 1 and exponent bounds larger than the exponent. The twin's explicit-limb Montgomery
product is checked against its whole-integer form, which its exponentiation uses.

``rsa_crt`` (the whole RSA private operation) against Python's ``pow`` on real keys of
many shapes (tiny to 2048-bit moduli, balanced and unbalanced primes, p < q and p > q,
limb counts where p and q fill n exactly or overlap it), arbitrary blinding values, and
faults (a wrong dP, dQ or qInv must make it return None). The 16-limb moduli of RSA-2048's
halves have their own product tests: on an x86-64 CPU with ADX they take the MULX/ADCX/ADOX
path, and the portable C on the second pass.
"""

from __future__ import annotations

import os
import random as pyrandom
from collections.abc import Callable, Iterator
from math import gcd
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nocrypto import _backend
from nocrypto._ref import mp as ref_mp
from tests.nocrypto.vectors import load_wycheproof

PYTHON_ONLY_RUN = os.environ.get(_backend.ENV_VAR) == "python"
HW_MASKS = (0xFFFFFFFF, 0)

# Big-number cases take milliseconds each: no per-example deadline (the box is shared).
QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def native_mp() -> ModuleType:
    """The native wrapper; skip under a python-only run, else fail if not built."""
    try:
        from nocrypto._native import mp
    except ImportError as exc:
        if PYTHON_ONLY_RUN:
            pytest.skip(f"{_backend.ENV_VAR}=python for this run: native kernel not required")
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return mp


def each_path() -> Iterator[int]:
    """Run the body once with every hardware path allowed, once with portable C only."""
    try:
        for mask in HW_MASKS:
            _backend.restrict_hw(mask)
            yield mask
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


def inverse_or_zero(a: int, m: int) -> int:
    try:
        return pow(a, -1, m)
    except ValueError:
        return 0


# --- strategies ---------------------------------------------------------------------------

SPECIAL_SIZES = [2, 3, 5, 63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 511, 512, 1023, 1024]
SPECIAL_SIZES += [1025, 1536, 2047, 2048, 2049, 3072, 4095, 4096, 8191, 8192]


@st.composite
def moduli(draw: st.DrawFn, max_bits: int = 8192) -> int:
    """An odd modulus >= 3 of at most *max_bits* bits, often of a boundary size or shape."""
    sizes = [s for s in SPECIAL_SIZES if s <= max_bits]
    bits = draw(st.sampled_from(sizes) | st.integers(min_value=2, max_value=max_bits))
    shape = draw(st.sampled_from(["random", "ones", "top_and_one", "sparse"]))
    if shape == "ones":
        n = (1 << bits) - 1
    elif shape == "top_and_one":
        n = (1 << (bits - 1)) | 1
    else:
        n = draw(st.integers(min_value=1 << (bits - 1), max_value=(1 << bits) - 1)) | 1
        if shape == "sparse":
            n = (1 << (bits - 1)) | (n & draw(st.integers(0, (1 << bits) - 1)) & -(1 << 40)) | 1
    return max(n, 3)


def operand(draw: st.DrawFn, n: int) -> int:
    return draw(st.sampled_from([0, 1, 2 % n, n - 1, n - 2]) | st.integers(0, n - 1))


@st.composite
def exp_cases(draw: st.DrawFn, max_bits: int = 8192) -> tuple[int, int, int, int]:
    """(base, exponent, modulus, exponent_bits) with exponent < 2**exponent_bits."""
    n = draw(moduli(max_bits))
    base = operand(draw, n)
    # Exponents up to the modulus size plus some (the bound may exceed the exponent); for
    # the biggest moduli keep them shorter so that the test stays quick (full-size
    # exponents of every size have their own tests).
    limit = n.bit_length() + 70 if n.bit_length() <= 1100 else 300
    ebits = draw(st.integers(0, limit))
    if ebits == 0:
        return base, 0, n, 0
    kind = draw(st.sampled_from(["random", "zero", "one", "all_ones", "short"]))
    exponent = {
        "zero": 0,
        "one": 1,
        "all_ones": (1 << ebits) - 1,
        "short": draw(st.integers(0, (1 << min(ebits, 20)) - 1)),
    }.get(kind)
    if exponent is None:
        exponent = draw(st.integers(0, (1 << ebits) - 1))
    return base, exponent, n, ebits


@st.composite
def mul_cases(draw: st.DrawFn, max_bits: int = 8192) -> tuple[int, int, int]:
    n = draw(moduli(max_bits))
    return operand(draw, n), operand(draw, n), n


# --- the twin against Python -------------------------------------------------------------


@QUICK
@given(exp_cases(max_bits=2048))
def test_twin_mod_exp_is_pow(case: tuple[int, int, int, int]) -> None:
    base, exponent, n, ebits = case
    assert ref_mp.mod_exp(base, exponent, n, ebits) == pow(base, exponent, n)


@QUICK
@given(mul_cases(max_bits=4096))
def test_twin_mod_mul(case: tuple[int, int, int]) -> None:
    a, b, n = case
    assert ref_mp.mod_mul(a, b, n) == a * b % n


@settings(QUICK, max_examples=60)
@given(mul_cases(max_bits=1024))
def test_twin_mod_inverse(case: tuple[int, int, int]) -> None:
    a, _, n = case
    assert ref_mp.mod_inverse(a, n) == inverse_or_zero(a, n)


@QUICK
@given(mul_cases(max_bits=1024))
def test_twin_limb_montgomery_product_is_the_integer_form(case: tuple[int, int, int]) -> None:
    """CIOS on explicit limbs (the specification) equals the whole-int product the twin's
    exponentiation uses, and both equal a * b * R^-1 mod n."""
    a, b, n = case
    limbs, n0inv, r_mod_n, r2 = ref_mp.mont_setup(n)
    r_bits = 64 * limbs
    big_r = 1 << r_bits
    assert (n * n0inv + 1) % (1 << 64) == 0
    assert r_mod_n == big_r % n and r2 == big_r * big_r % n
    by_limbs = ref_mp.from_limbs(
        ref_mp.mont_mul_limbs(
            ref_mp.to_limbs(a, limbs), ref_mp.to_limbs(b, limbs), ref_mp.to_limbs(n, limbs), n0inv
        )
    )
    n0inv_full = -pow(n, -1, big_r) % big_r
    assert by_limbs == ref_mp.mont_mul(a, b, n, n0inv_full, r_bits)
    assert by_limbs == a * b * pow(big_r, -1, n) % n


@QUICK
@given(st.integers(0, (1 << 63) - 1))
def test_twin_n0_inverse(half: int) -> None:
    n0 = 2 * half + 1
    assert (n0 * ref_mp.n0_inverse(n0)) % (1 << 64) == (1 << 64) - 1


def test_twin_window_widths() -> None:
    widths = [ref_mp.window_bits(b) for b in (0, 1, 3, 4, 31, 32, 127, 128, 511, 512, 8192)]
    assert widths == [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_twin_select_reads_the_right_entry() -> None:
    table = [pyrandom.getrandbits(256) for _ in range(32)]
    for i in range(32):
        assert ref_mp._select(table, i) == table[i]


@pytest.mark.parametrize("bits", [2048, 4096])
def test_twin_full_size_exponent(bits: int) -> None:
    rnd = pyrandom.Random(bits)
    n = rnd.getrandbits(bits) | 1 | (1 << (bits - 1))
    base, exponent = rnd.randrange(n), rnd.getrandbits(bits)
    assert ref_mp.mod_exp(base, exponent, n, bits) == pow(base, exponent, n)


@pytest.mark.slow
def test_twin_8192_bits() -> None:
    rnd = pyrandom.Random(8192)
    n = rnd.getrandbits(8192) | 1 | (1 << 8191)
    base, exponent = rnd.randrange(n), rnd.getrandbits(8192)
    assert ref_mp.mod_exp(base, exponent, n, 8192) == pow(base, exponent, n)
    assert ref_mp.mod_inverse(base, n) == inverse_or_zero(base, n)


# --- the C kernel against the twin and Python, on both paths -------------------------------


def test_native_mod_exp_matches_twin_and_pow() -> None:
    native = native_mp()

    @settings(QUICK, max_examples=150)
    @given(exp_cases())
    def check(case: tuple[int, int, int, int]) -> None:
        base, exponent, n, ebits = case
        expected = pow(base, exponent, n)
        if n.bit_length() <= 2048:
            assert ref_mp.mod_exp(base, exponent, n, ebits) == expected
        for _ in each_path():
            assert native.mod_exp(base, exponent, n, ebits) == expected

    check()


def test_native_mod_mul_matches_twin() -> None:
    native = native_mp()

    @QUICK
    @given(mul_cases())
    def check(case: tuple[int, int, int]) -> None:
        a, b, n = case
        assert ref_mp.mod_mul(a, b, n) == a * b % n
        for _ in each_path():
            assert native.mod_mul(a, b, n) == a * b % n

    check()


def test_native_mod_inverse_matches_twin() -> None:
    native = native_mp()

    @settings(QUICK, max_examples=80)
    @given(mul_cases(max_bits=4096))
    def check(case: tuple[int, int, int]) -> None:
        a, b, n = case
        for x in (a, b):
            expected = inverse_or_zero(x, n)
            if n.bit_length() <= 1024:
                assert ref_mp.mod_inverse(x, n) == expected
            for _ in each_path():
                assert native.mod_inverse(x, n) == expected

    check()


@pytest.mark.parametrize("bits", [1024, 2048, 4096, 8192])
def test_native_full_size_exponents(bits: int) -> None:
    """Exponents as long as the modulus (the RSA and DH case), every size class: the
    unrolled 16-limb path, the generic path, the largest modulus."""
    native = native_mp()
    rnd = pyrandom.Random(bits)
    for _ in range(3 if bits < 8192 else 1):
        n = rnd.getrandbits(bits) | 1 | (1 << (bits - 1))
        # The loop runs over all *bits* bits whatever the exponent; at 8192 bits a shorter
        # exponent keeps Python's own pow (the reference) quick.
        base, exponent = rnd.randrange(n), rnd.getrandbits(min(bits, 4096))
        expected = pow(base, exponent, n)
        for _ in each_path():
            assert native.mod_exp(base, exponent, n, bits) == expected
            assert native.mod_inverse(base, n) == inverse_or_zero(base, n)


def test_native_inverse_of_non_invertible_is_zero() -> None:
    native = native_mp()
    n = 3 * 5 * 7 * 11 * (2**127 - 1)
    for a in (0, 3, 5 * 11, 2**127 - 1, n - 3):
        for _ in each_path():
            assert native.mod_inverse(a, n) == 0
    assert ref_mp.mod_inverse(0, n) == 0 and ref_mp.mod_inverse(33, n) == 0


def test_native_edge_moduli() -> None:
    """The smallest modulus, limb-boundary all-ones moduli, and 2^k + 1 moduli."""
    native = native_mp()
    for n in (3, 5, 2**64 - 1, 2**64 + 1, 2**128 - 1, 2**1024 - 1, 2**8192 - 1, 2**1023 + 1):
        for base in (0, 1, n - 1, n // 2):
            big = (n - 2, n.bit_length()) if n.bit_length() <= 1024 else (65537, 17)
            for exponent, ebits in ((0, 0), (0, 5), (1, 1), (1, 64), (2, 2), big):
                if exponent >= 1 << ebits:
                    continue
                for _ in each_path():
                    got = native.mod_exp(base, exponent, n, ebits)
                    assert got == pow(base, exponent, n)
            for _ in each_path():
                assert native.mod_mul(base, n - 1, n) == base * (n - 1) % n


# --- 16-limb products (RSA-2048's CRT halves: the ADX path) --------------------------------


@st.composite
def moduli_16_limbs(draw: st.DrawFn) -> int:
    """An odd modulus of exactly 16 limbs (961..1024 bits), often of an extreme shape."""
    bits = draw(st.sampled_from([961, 1000, 1023, 1024]) | st.integers(961, 1024))
    shape = draw(st.sampled_from(["random", "ones", "top_and_one", "low_ones"]))
    if shape == "ones":
        return (1 << bits) - 1
    if shape == "top_and_one":
        return (1 << (bits - 1)) | 1
    if shape == "low_ones":  # a long run of ones under the top bit: large carries
        return (1 << (bits - 1)) | ((1 << draw(st.integers(1, bits - 1))) - 1)
    return draw(st.integers(1 << (bits - 1), (1 << bits) - 1)) | 1


def test_native_16_limb_products_match_pow() -> None:
    native = native_mp()

    @settings(QUICK, max_examples=200)
    @given(moduli_16_limbs(), st.data())
    def check(n: int, data: st.DataObject) -> None:
        a = data.draw(st.sampled_from([0, 1, n - 1, n - 2, n >> 1]) | st.integers(0, n - 1))
        b = data.draw(st.sampled_from([0, 1, n - 1, n - 2, n >> 1]) | st.integers(0, n - 1))
        exponent = data.draw(st.integers(0, (1 << 80) - 1))
        for _ in each_path():
            assert native.mod_mul(a, b, n) == a * b % n
            assert native.mod_exp(a, exponent, n, 80) == pow(a, exponent, n)

    check()


# --- rsa_crt: the RSA private operation ----------------------------------------------------

SMALL_PRIMES = [x for x in range(3, 2000, 2) if all(x % y for y in range(3, int(x**0.5) + 1, 2))]
PRIMORIAL = 1
for _prime in SMALL_PRIMES:
    PRIMORIAL *= _prime


def is_probable_prime(n: int, rnd: pyrandom.Random) -> bool:
    """Trial division by the odd primes below 2000, then Miller-Rabin with 16 random bases
    (test keys only)."""
    if n < 2000:
        return n == 2 or (n > 2 and n in SMALL_PRIMES)
    if gcd(n, PRIMORIAL) != 1:
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(16):
        x = pow(rnd.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(bits: int, e: int, rnd: pyrandom.Random) -> int:
    """A prime of exactly *bits* bits (>= 3) with gcd(e, p - 1) = 1."""
    while True:
        p = rnd.getrandbits(bits) | (1 << (bits - 1)) | 1
        if p > 3 and gcd(e, p - 1) == 1 and is_probable_prime(p, rnd):
            return p


Key = tuple[int, int, int, int, int, int, int, int]  # n, e, d, p, q, dP, dQ, qInv


def make_key(p_bits: int, q_bits: int, e: int, seed: int) -> Key:
    """A real RSA key (distinct primes of the given sizes) in CRT form, reproducibly."""
    rnd = pyrandom.Random(seed)
    while True:
        p, q = random_prime(p_bits, e, rnd), random_prime(q_bits, e, rnd)
        n = p * q
        if p != q and e < n:
            break
    lam = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
    d = pow(e, -1, lam)
    return n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)


def expected_crt(key: Key, c: int, blind: int, unblind: int) -> tuple[int, int, int]:
    n, d = key[0], key[2]
    return pow(c * blind % n, d, n) * unblind % n, blind * blind % n, unblind * unblind % n


@st.composite
def crt_cases(draw: st.DrawFn, max_bits: int) -> tuple[Key, int, int, int]:
    """(key, c, blind, unblind): a key with primes of 5..max_bits bits each (often equal,
    often at limb boundaries), e of 3, 65537 or a long odd value; c and the blinding values
    anything below n (the kernel does not need a matching pair)."""
    sizes = st.sampled_from([b for b in (5, 32, 63, 64, 65, 128, 256, 511, 512) if b <= max_bits])
    p_bits = draw(sizes | st.integers(5, max_bits))
    q_bits = draw(st.just(p_bits) | sizes | st.integers(5, max_bits))
    # e < 2^(p_bits + q_bits - 2) <= n.
    exponents = [
        x for x in (65537, (1 << 61) - 1, 0xC0FFEE1) if x.bit_length() < p_bits + q_bits - 2
    ]
    e = draw(st.sampled_from([3, *exponents]))
    key = make_key(p_bits, q_bits, e, draw(st.integers(0, 2**32)))
    n = key[0]
    values = st.sampled_from([0, 1, n - 1]) | st.integers(0, n - 1)
    return key, draw(values), draw(values), draw(values)


@QUICK
@given(crt_cases(max_bits=300))
def test_twin_rsa_crt_is_pow(case: tuple[Key, int, int, int]) -> None:
    key, c, blind, unblind = case
    n, e, _, p, q, dp, dq, qinv = key
    assert ref_mp.rsa_crt(c, blind, unblind, n, e, p, q, dp, dq, qinv) == expected_crt(
        key, c, blind, unblind
    )


def test_native_rsa_crt_matches_twin_and_pow() -> None:
    native = native_mp()

    @settings(QUICK, max_examples=60)
    @given(crt_cases(max_bits=1100))
    def check(case: tuple[Key, int, int, int]) -> None:
        key, c, blind, unblind = case
        n, e, _, p, q, dp, dq, qinv = key
        expected = expected_crt(key, c, blind, unblind)
        if n.bit_length() <= 700:
            assert ref_mp.rsa_crt(c, blind, unblind, n, e, p, q, dp, dq, qinv) == expected
        for _ in each_path():
            assert native.rsa_crt(c, blind, unblind, n, e, p, q, dp, dq, qinv) == expected

    check()


def wycheproof_key(name: str) -> Key:
    """The private key of the first test group of a Wycheproof RSA file."""
    group, _ = next(load_wycheproof(name))
    k = {field: int(value, 16) for field, value in group["privateKey"].items()}
    return (
        k["modulus"],
        k["publicExponent"],
        k["privateExponent"],
        k["prime1"],
        k["prime2"],
        k["exponent1"],
        k["exponent2"],
        k["coefficient"],
    )


@pytest.mark.parametrize(
    "shape", [(1024, 1024), (1024, 1000), (961, 1024), (1536, 512), (1025, 1023), "rsa4096"]
)
def test_native_rsa_crt_full_size_keys(shape: tuple[int, int] | str) -> None:
    """RSA-2048's shape (16-limb halves, the ADX path), halves of different limb counts,
    and RSA-4096 (32-limb halves, Wycheproof's key); with a real blinding pair (r^e, r^-1)
    the result is c^d."""
    native = native_mp()
    if isinstance(shape, str):
        key = wycheproof_key("rsa_oaep_4096_sha256_mgf1sha256_test.json")
    else:
        key = make_key(shape[0], shape[1], 65537, shape[0] * 7 + shape[1])
    n, e, d, p, q, dp, dq, qinv = key
    assert n == p * q and qinv == pow(q, -1, p)
    rnd = pyrandom.Random(n)
    for _ in range(3):
        c, r = rnd.randrange(n), rnd.randrange(2, n)
        a, ai = pow(r, e, n), pow(r, -1, n)
        for _ in each_path():
            m, a2, ai2 = native.rsa_crt(c, a, ai, n, e, p, q, dp, dq, qinv) or (0, 0, 0)
            assert m == pow(c, d, n)
            assert (a2, ai2) == (a * a % n, ai * ai % n)
            # Swapping the primes (and qInv accordingly) is the same key.
            swapped = native.rsa_crt(c, a, ai, n, e, q, p, dq, dp, pow(p, -1, q))
            assert swapped == (m, a2, ai2)


@pytest.mark.parametrize("what", ["dp", "dq", "qinv", "e"])
def test_rsa_crt_refuses_a_faulty_result(what: str) -> None:
    """A wrong exponent in either half or a wrong qInv (the recombination) gives a result
    whose check fails: None, never a value (Boneh-DeMillo-Lipton). So does a wrong e."""
    n, e, _, p, q, dp, dq, qinv = make_key(520, 530, 65537, 99)
    args = {"dp": dp, "dq": dq, "qinv": qinv, "e": e}
    args[what] ^= 1 << 5
    c = 0x1234567
    for _ in each_path():
        for mp in kernels():
            assert (
                mp.rsa_crt(c, 3, 5, n, args["e"], p, q, args["dp"], args["dq"], args["qinv"])
                is None
            )
            assert mp.rsa_crt(c, 3, 5, n, e, p, q, dp, dq, qinv) is not None


def test_rsa_crt_validation() -> None:
    n, e, _, p, q, dp, dq, qinv = make_key(100, 110, 65537, 5)
    good = {"c": 2, "blind": 1, "unblind": 1, "n": n, "e": e}
    good |= {"p": p, "q": q, "dp": dp, "dq": dq, "qinv": qinv}
    bad: list[tuple[dict[str, int], str]] = [
        ({"n": n + 1}, "modulus"),
        ({"n": 1}, "modulus"),
        ({"c": n}, "c must be reduced"),
        ({"c": -1}, "c must be reduced"),
        ({"blind": n}, "blind must be reduced"),
        ({"unblind": n + 5}, "unblind must be reduced"),
        ({"p": p + 1}, "p and q must be odd"),
        ({"q": n + 2}, "p and q must be odd"),
        ({"p": 1}, "p and q must be odd"),
        ({"e": 0}, "e must satisfy"),
        ({"e": n}, "e must satisfy"),
        ({"dp": p}, "dP, dQ and qInv"),
        ({"dq": -1}, "dP, dQ and qInv"),
        ({"qinv": p}, "dP, dQ and qInv"),
    ]
    for mp in kernels():
        assert mp.rsa_crt(**good) is not None
        for change, message in bad:
            with pytest.raises(ValueError, match=message):
                mp.rsa_crt(**(good | change))


# --- validation (both modules) -------------------------------------------------------------


def kernels() -> list[ModuleType]:
    mods: list[ModuleType] = [ref_mp]
    if not PYTHON_ONLY_RUN:
        mods.append(native_mp())
    return mods


BAD_MODULI = [0, 1, 2, 4, 2**64, -7, 1 << 8192 | 1]


@pytest.mark.parametrize("modulus", BAD_MODULI)
def test_bad_modulus_is_value_error(modulus: int) -> None:
    for mp in kernels():
        with pytest.raises(ValueError, match="modulus"):
            mp.mod_exp(0, 1, modulus, 1)
        with pytest.raises(ValueError, match="modulus"):
            mp.mod_mul(0, 0, modulus)
        with pytest.raises(ValueError, match="modulus"):
            mp.mod_inverse(0, modulus)


def test_unreduced_operands_are_value_errors() -> None:
    n = 2**127 - 1
    for mp in kernels():
        for bad in (-1, n, n + 1):
            with pytest.raises(ValueError, match="reduced"):
                mp.mod_exp(bad, 3, n, 2)
            with pytest.raises(ValueError, match="reduced"):
                mp.mod_mul(bad, 1, n)
            with pytest.raises(ValueError, match="reduced"):
                mp.mod_mul(1, bad, n)
            with pytest.raises(ValueError, match="reduced"):
                mp.mod_inverse(bad, n)


def test_exponent_bound_is_checked() -> None:
    n = 2**127 - 1
    for mp in kernels():
        with pytest.raises(ValueError, match="exponent"):
            mp.mod_exp(2, 8, n, 3)  # 8 does not fit in 3 bits
        with pytest.raises(ValueError, match="exponent"):
            mp.mod_exp(2, -1, n, 3)
        with pytest.raises(ValueError, match="exponent_bits"):
            mp.mod_exp(2, 1, n, -1)
        with pytest.raises(ValueError, match="exponent_bits"):
            mp.mod_exp(2, 1, n, 65537)
        assert mp.mod_exp(2, 1, n, 65536) == 2


def test_selected_backend_is_a_kernel() -> None:
    mp = _backend.mp()
    check: Callable[[int, int, int, int], int] = mp.mod_exp
    assert check(3, 65537, 2**127 - 1, 17) == pow(3, 65537, 2**127 - 1)
    assert mp.mod_inverse(3, 2**127 - 1) == pow(3, -1, 2**127 - 1)
