"""The ``mp`` kernel family: the C kernel (both paths) against its pure-Python twin and
against Python's own ``pow(b, e, m)`` and ``pow(a, -1, m)``.

Moduli of every size the kernel takes (2..8192 bits: one to 128 limbs, limb boundaries,
numbers with long runs of ones or zeros), operands including 0, 1 and n - 1, exponents 0
and 1 and exponent bounds larger than the exponent. The twin's explicit-limb Montgomery
product is checked against its whole-integer form, which its exponentiation uses.
"""

from __future__ import annotations

import os
import random as pyrandom
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nocrypto import _backend
from nocrypto._ref import mp as ref_mp

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
