"""The NIST prime-curve kernel (``ecp``): curve constants, the generated C tables, the
twin against an independent affine double-and-add, the C kernel against the twin
(hypothesis, edge scalars 0, 1, n - 1, n, n + 1, 2^bits - 1 and the largest octet string,
random points, the portable path too), ECDSA signing (``ecdsa_sign``) against SEC 1 4.1.3
computed with Python integers and that double-and-add, and rejection tables for bad points
and arguments."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn1
from nocrypto import _backend
from nocrypto._ref import ecp as ref

ROOT = Path(__file__).resolve().parents[2]
PYTHON_ONLY_RUN = os.environ.get(_backend.ENV_VAR) == "python"
NAMES = ("P-256", "P-384", "P-521")

Affine = tuple[int, int] | None


class Kernel(Protocol):
    def ec_mul(self, curve: str, scalar: bytes, point: bytes) -> bytes | None: ...
    def ec_mul_base(self, curve: str, scalar: bytes) -> bytes | None: ...
    def ec_mul_add(self, curve: str, u1: bytes, u2: bytes, point: bytes) -> bytes | None: ...
    def ecdsa_sign(self, curve: str, d: bytes, k: bytes, e: bytes) -> bytes | None: ...


def native_kernel() -> Kernel:
    """The native ``ecp`` module; skip under a python-only run, else fail if not built."""
    try:
        from nocrypto._native import ecp
    except ImportError as exc:
        if PYTHON_ONLY_RUN:
            pytest.skip(f"{_backend.ENV_VAR}=python for this run: native kernel not required")
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return ecp


@pytest.fixture(params=["hardware", "portable"])
def native(request: pytest.FixtureRequest) -> Iterator[Kernel]:
    """The native kernel, with all hardware paths and with the portable C only (ecp has no
    hardware path today; the second run keeps it honest if one is added)."""
    kernel = native_kernel()
    if request.param == "portable":
        _backend.restrict_hw(0)
    try:
        yield kernel
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


# --- an independent oracle: affine coordinates, double-and-add -----------------------------


def affine_add(c: ref.CurveParams, p1: Affine, p2: Affine) -> Affine:
    """The chord-and-tangent law (SEC 1 2.2.1), with its special cases spelled out."""
    p = c.p
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % p == 0:
            return None
        slope = (3 * x1 * x1 - 3) * pow(2 * y1, -1, p) % p
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p


def affine_mul(c: ref.CurveParams, k: int, point: Affine) -> Affine:
    result: Affine = None
    for bit in bin(k)[2:]:
        result = affine_add(c, result, result)
        if bit == "1":
            result = affine_add(c, result, point)
    return result


def encode(c: ref.CurveParams, point: Affine) -> bytes | None:
    if point is None:
        return None
    return b"\x04" + point[0].to_bytes(c.size, "big") + point[1].to_bytes(c.size, "big")


def decode(c: ref.CurveParams, data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[1 : 1 + c.size], "big"), int.from_bytes(data[1 + c.size :], "big")


def scalar(c: ref.CurveParams, k: int) -> bytes:
    return k.to_bytes(c.size, "big")


def edge_scalars(c: ref.CurveParams) -> list[int]:
    """0, 1, 2, small values around the window size, n - 2 .. n + 1, 2^bits - 1 and the
    largest value of the octet string (above n: reduced inside)."""
    bits = c.n.bit_length()
    return [
        0,
        1,
        2,
        15,
        16,
        17,
        31,
        32,
        33,
        c.n - 2,
        c.n - 1,
        c.n,
        c.n + 1,
        2 * c.n - 1 if 2 * c.n < 2 ** (8 * c.size) else c.n + 2,
        2**bits - 1,
        2 ** (8 * c.size) - 1,
    ]


# --- curve constants -----------------------------------------------------------------------

# FIPS 186-4 appendix D.1.2.3-D.1.2.5, typed again here: (p, n, b, Gx, Gy).
FIPS_186_4 = {
    "P-256": (
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    ),
    "P-384": (
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
        "ffffffff0000000000000000ffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
        "581a0db248b0a77aecec196accc52973",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
        "c656398d8a2ed19d2a85c8edd3ec2aef",
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
        "5502f25dbf55296c3a545e3872760ab7",
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
        "0a60b1ce1d7e819d7a431d7c90ea0e5f",
    ),
    "P-521": (
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
        "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109"
        "e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3d"
        "baa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e66"
        "2c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
    ),
}


@pytest.mark.parametrize("name", NAMES)
def test_curve_constants_are_fips_186_4(name: str) -> None:
    c = ref.CURVES[name]
    p, n, b, gx, gy = (int(v, 16) for v in FIPS_186_4[name])
    assert (c.p, c.n, c.b, c.gx, c.gy) == (p, n, b, gx, gy)
    assert c.name == name
    assert c.size == (p.bit_length() + 7) // 8
    # The special forms of D.1.2 and the square-root shortcut used by nocrypto.ec.
    assert (
        c.p
        == {
            "P-256": 2**256 - 2**224 + 2**192 + 2**96 - 1,
            "P-384": 2**384 - 2**128 - 2**96 + 2**32 - 1,
            "P-521": 2**521 - 1,
        }[name]
    )
    assert c.p % 4 == 3
    # G is on the curve, and of order n (n is prime: 2^(n-1) = 1 mod n; h = 1).
    assert (gy * gy - (gx**3 - 3 * gx + b)) % p == 0
    assert pow(2, n - 1, n) == 1 and pow(3, p - 1, p) == 1
    assert affine_mul(c, n, (gx, gy)) is None
    assert affine_mul(c, n - 1, (gx, gy)) == (gx, p - gy)


# ECParameters (SEC 1 C.2, RFC 3279 2.3.5): what `openssl ecparam -param_enc explicit` prints.
EC_PARAMETERS = asn1.sequence(
    ("version", asn1.integer),
    ("fieldID", asn1.sequence(("fieldType", asn1.object_identifier), ("prime", asn1.integer))),
    (
        "curve",
        asn1.sequence(
            ("a", asn1.octet_string),
            ("b", asn1.octet_string),
            asn1.optional("seed", asn1.bit_string),
        ),
    ),
    ("base", asn1.octet_string),
    ("order", asn1.integer),
    asn1.optional("cofactor", asn1.integer),
)
OPENSSL_NAMES = {"P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1"}


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
@pytest.mark.parametrize("name", NAMES)
def test_curve_constants_match_openssl(name: str) -> None:
    c = ref.CURVES[name]
    der = subprocess.run(
        [
            *("openssl", "ecparam", "-name", OPENSSL_NAMES[name]),
            *("-param_enc", "explicit", "-outform", "DER"),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    _, (_, prime), (a, b, _), base, order, cofactor = asn1.decode_der(EC_PARAMETERS, der)
    assert prime == c.p
    assert int.from_bytes(a, "big") == c.p - 3
    assert int.from_bytes(b, "big") == c.b
    assert base == b"\x04" + scalar(c, c.gx) + scalar(c, c.gy)
    assert (order, cofactor) == (c.n, 1)


def test_generated_tables_are_up_to_date() -> None:
    """``ecp_tables.h`` is exactly what ``gen_ecp_tables.py`` prints from the twin."""
    from nocrypto._native import gen_ecp_tables

    committed = (ROOT / "nocrypto" / "_native" / "ecp_tables.h").read_text()
    assert committed == gen_ecp_tables.generate()


@pytest.mark.parametrize("name", NAMES)
def test_comb_table_entries(name: str) -> None:
    """Table t, entry j - 1 is j 2^(5 S t) G (spot checks against the oracle)."""
    c = ref.CURVES[name]
    tables = ref.comb_table(name)
    assert len(tables) == c.comb_tables and all(len(t) == 16 for t in tables)
    assert c.comb_tables * c.spacing >= c.digits
    g = (c.gx, c.gy)
    for t in (0, 1, len(tables) - 1):
        for j in (1, 2, 16):
            expected = affine_mul(c, j * 2 ** (ref.WINDOW * c.spacing * t), g)
            assert tables[t][j - 1] == expected


# --- the twin against the oracle -----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_recode(name: str) -> None:
    c = ref.CURVES[name]
    for k in [*edge_scalars(c)[:10], c.n - 1, 2 ** c.n.bit_length() - 1]:
        digits = ref.recode(k, c.digits)
        assert sum(d << (ref.WINDOW * i) for i, d in enumerate(digits)) == k
        assert all(-15 <= d <= 16 for d in digits)
    with pytest.raises(ValueError, match="more digits"):
        ref.recode(2 ** (ref.WINDOW * 3), 3)


@pytest.mark.parametrize("name", NAMES)
def test_twin_edge_scalars(name: str) -> None:
    c = ref.CURVES[name]
    g = (c.gx, c.gy)
    point = affine_mul(c, 0xC0FFEE, g)
    encoded = encode(c, point)
    assert encoded is not None
    for k in edge_scalars(c):
        assert ref.ec_mul_base(name, scalar(c, k)) == encode(c, affine_mul(c, k % c.n, g)), k
    for k in (0, 1, 2, 17, c.n - 1, c.n, c.n + 1, 2 ** (8 * c.size) - 1):
        assert ref.ec_mul(name, scalar(c, k), encoded) == encode(c, affine_mul(c, k % c.n, point))


@pytest.mark.parametrize("name", NAMES)
def test_twin_mul_add_special_sums(name: str) -> None:
    """u1 G + u2 P where the two halves are equal (doubling), opposite (the point at
    infinity) or one of them is O."""
    c = ref.CURVES[name]
    g = (c.gx, c.gy)
    p5 = encode(c, affine_mul(c, 5, g))
    assert p5 is not None
    expect10 = encode(c, affine_mul(c, 10, g))
    assert ref.ec_mul_add(name, scalar(c, 5), scalar(c, 1), p5) == expect10
    assert ref.ec_mul_add(name, scalar(c, 5), scalar(c, c.n - 1), p5) is None
    assert ref.ec_mul_add(name, scalar(c, 0), scalar(c, 0), p5) is None
    assert ref.ec_mul_add(name, scalar(c, 0), scalar(c, 2), p5) == expect10
    assert ref.ec_mul_add(name, scalar(c, 10), scalar(c, c.n), p5) == expect10


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_twin_random_against_oracle(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(NAMES))
    c = ref.CURVES[name]
    g = (c.gx, c.gy)
    k = data.draw(st.integers(0, 2 ** (8 * c.size) - 1))
    j = data.draw(st.integers(1, c.n - 1))
    u = data.draw(st.integers(0, c.n - 1))
    point = affine_mul(c, j, g)
    encoded = encode(c, point)
    assert encoded is not None
    assert ref.ec_mul_base(name, scalar(c, k)) == encode(c, affine_mul(c, k % c.n, g))
    assert ref.ec_mul(name, scalar(c, k), encoded) == encode(c, affine_mul(c, k % c.n, point))
    expected = affine_add(c, affine_mul(c, k % c.n, g), affine_mul(c, u, point))
    assert ref.ec_mul_add(name, scalar(c, k), scalar(c, u), encoded) == encode(c, expected)


# --- the C kernel against the twin ---------------------------------------------------------


@st.composite
def scalars(draw: st.DrawFn, name: str) -> bytes:
    c = ref.CURVES[name]
    k = draw(
        st.one_of(
            st.sampled_from(edge_scalars(c)),
            st.integers(0, 2 ** (8 * c.size) - 1),
            st.integers(0, 2**64).map(lambda v: c.n - v if v <= c.n else v),
        )
    )
    return scalar(c, k)


@st.composite
def points(draw: st.DrawFn, name: str) -> bytes:
    """A random valid point (a random multiple of G, made by the twin)."""
    c = ref.CURVES[name]
    k = draw(st.integers(1, c.n - 1))
    point = ref.ec_mul_base(name, scalar(c, k))
    assert point is not None
    return point


@pytest.mark.parametrize("name", NAMES)
def test_native_edge_scalars_match_twin(native: Kernel, name: str) -> None:
    c = ref.CURVES[name]
    point = ref.ec_mul_base(name, scalar(c, 0xC0FFEE))
    generator = b"\x04" + scalar(c, c.gx) + scalar(c, c.gy)
    assert point is not None
    for k in edge_scalars(c):
        s = scalar(c, k)
        expected_base = ref.ec_mul_base(name, s)
        assert native.ec_mul_base(name, s) == expected_base, k
        assert native.ec_mul(name, s, generator) == expected_base, k
        assert native.ec_mul(name, s, point) == ref.ec_mul(name, s, point), k
        assert native.ec_mul_add(name, s, s, point) == ref.ec_mul_add(name, s, s, point), k


@pytest.mark.parametrize("name", NAMES)
def test_native_mul_add_special_sums(native: Kernel, name: str) -> None:
    c = ref.CURVES[name]
    p5 = ref.ec_mul_base(name, scalar(c, 5))
    assert p5 is not None
    expect10 = ref.ec_mul_base(name, scalar(c, 10))
    assert native.ec_mul_add(name, scalar(c, 5), scalar(c, 1), p5) == expect10
    assert native.ec_mul_add(name, scalar(c, 5), scalar(c, c.n - 1), p5) is None
    assert native.ec_mul_add(name, scalar(c, 0), scalar(c, 0), p5) is None
    assert native.ec_mul_add(name, scalar(c, 0), scalar(c, 2), p5) == expect10
    # P = -G: u G + u P = O for every u.
    minus_g = b"\x04" + scalar(c, c.gx) + scalar(c, c.p - c.gy)
    assert native.ec_mul_add(name, scalar(c, 7), scalar(c, 7), minus_g) is None
    assert native.ec_mul(name, scalar(c, c.n - 1), minus_g) == (
        b"\x04" + scalar(c, c.gx) + scalar(c, c.gy)
    )


def check_native_matches_twin(kernel: Kernel, name: str, examples: int) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(k=scalars(name), u=scalars(name), point=points(name))
    def check(k: bytes, u: bytes, point: bytes) -> None:
        assert kernel.ec_mul_base(name, k) == ref.ec_mul_base(name, k)
        assert kernel.ec_mul(name, k, point) == ref.ec_mul(name, k, point)
        assert kernel.ec_mul_add(name, k, u, point) == ref.ec_mul_add(name, k, u, point)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_native_random_matches_twin(native: Kernel, name: str) -> None:
    check_native_matches_twin(native, name, 20)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_native_random_matches_twin_many(name: str) -> None:
    check_native_matches_twin(native_kernel(), name, 60)


@pytest.mark.parametrize("name", NAMES)
def test_native_chained_multiplications(name: str) -> None:
    """Forty native multiplications, each output point the next input, end at the point the
    twin reaches with one multiplication of G by the product of the scalars."""
    kernel = native_kernel()
    c = ref.CURVES[name]
    point: bytes | None = b"\x04" + scalar(c, c.gx) + scalar(c, c.gy)
    total = 1
    k = 0x1F2E3D4C5B6A7988
    for _ in range(40):
        k = (k * 0x9E3779B97F4A7C15 + 1) % 2 ** (8 * c.size)
        total = total * k % c.n
        assert point is not None
        point = kernel.ec_mul(name, scalar(c, k), point)
    assert point is not None
    assert ref.ec_mul_base(name, scalar(c, total)) == point


# --- ECDSA signing ------------------------------------------------------------------------


def ecdsa_oracle(c: ref.CurveParams, d: int, k: int, e: int) -> bytes | None:
    """SEC 1 4.1.3 steps 1-6 for a given nonce, independently of both kernels: R = k G by
    the affine double-and-add, r = x_R mod n, s = k^-1 (e + r d) mod n with Python's
    modular inverse (not Fermat's power); None when r = 0 or s = 0."""
    n = c.n
    point = affine_mul(c, k % n, (c.gx, c.gy))
    if point is None:
        return None
    r = point[0] % n
    s = pow(k % n, -1, n) * (e + r * d) % n
    if r == 0 or s == 0:
        return None
    return scalar(c, r) + scalar(c, s)


def sign_args(c: ref.CurveParams, d: int, k: int, e: int) -> tuple[str, bytes, bytes, bytes]:
    return c.name, scalar(c, d), scalar(c, k), scalar(c, e)


def s_zero_hash(c: ref.CurveParams, d: int, k: int) -> int:
    """The hash value e = -r d mod n that makes s = 0 for the key d and nonce k."""
    point = affine_mul(c, k % c.n, (c.gx, c.gy))
    assert point is not None
    return -(point[0] % c.n) * d % c.n


def ecdsa_edge_cases(c: ref.CurveParams) -> list[tuple[int, int, int]]:
    """(d, k, e): the nonce 0, n and n + 1 (reduced inside), d = 0, n - 1 and above n,
    e = 0, n - 1, n and the largest octet string, and an e that makes s = 0."""
    top = 2 ** (8 * c.size) - 1
    d, k, e = 0x1234567, 0xC0FFEE, 0xABCDEF
    rows = [
        (d, 0, e),
        (d, c.n, e),
        (d, 1, e),
        (d, c.n + 1, e),
        (d, c.n - 1, e),
        (0, k, e),
        (c.n - 1, k, e),
        (c.n + 5, k, e),
        (d, k, 0),
        (d, k, c.n - 1),
        (d, k, c.n),
        (d, k, top),
        (top, top, top),
        (d, k, s_zero_hash(c, d, k)),
    ]
    return [row for row in rows if max(row) <= top]


def inversion_probes(m: int) -> list[int]:
    """Inputs for the inversion modulo m: 0, 1, 2, m - 1, m - 2, (m +- 1) / 2, the powers of
    two below m and m minus each, runs of ones, and Fibonacci numbers (consecutive ones are
    Euclid's worst case)."""
    bits = m.bit_length()
    probes = [0, 1, 2, 3, m - 1, m - 2, (m + 1) // 2, (m - 1) // 2]
    probes += [1 << i for i in range(bits - 1)]
    probes += [m - (1 << i) for i in range(bits - 1)]
    probes += [(1 << i) - 1 for i in range(2, bits)]
    a, b = 1, 2
    while b < m:
        probes.append(b)
        a, b = b, a + b
    return probes


def test_twin_inverse() -> None:
    """The twin's divsteps against Python's modular inverse, modulo p and n of each curve;
    the step count covers Bernstein and Yang's bound."""
    assert [ref.divsteps(bits) for bits in (256, 384, 521)] == [744, 1116, 1550]
    for name in NAMES:
        c = ref.CURVES[name]
        for m in (c.p, c.n):
            bits = m.bit_length()
            assert ref.divsteps(bits) >= (49 * bits + 57) // 17
            probes = inversion_probes(m)
            if name != "P-256" or PYTHON_ONLY_RUN:  # a sample: the twin takes ~1 ms each
                probes = probes[:8] + probes[8::97]
            for x in probes:
                assert ref.inverse(x, m) == (pow(x, -1, m) if x else 0), (name, x)


@pytest.mark.parametrize("name", NAMES)
def test_native_inverse_modulo_n(native: Kernel, name: str) -> None:
    """With d = 0 and e = 1, ecdsa_sign's s is k^-1 mod n: the kernel's constant-time
    inversion (safegcd) probed directly, on every probe input."""
    c = ref.CURVES[name]
    for k in inversion_probes(c.n):
        signature = native.ecdsa_sign(*sign_args(c, 0, k, 1))
        if k == 0:
            assert signature is None
            continue
        assert signature is not None
        assert int.from_bytes(signature[c.size :], "big") == pow(k, -1, c.n), k


@pytest.mark.parametrize("name", NAMES)
def test_ecdsa_sign_edge_cases(name: str) -> None:
    c = ref.CURVES[name]
    for d, k, e in ecdsa_edge_cases(c):
        expected = ecdsa_oracle(c, d % c.n, k, e % c.n)
        for which, kernel in kernels():
            assert kernel.ecdsa_sign(*sign_args(c, d, k, e)) == expected, (which, d, k, e)
    # The nonces 0 and n give the point at infinity (r = 0); e = -r d gives s = 0.
    assert ecdsa_oracle(c, 5, 0, 1) is None
    assert ecdsa_oracle(c, 5, 7, s_zero_hash(c, 5, 7)) is None


@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_twin_ecdsa_sign_against_oracle(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(NAMES))
    c = ref.CURVES[name]
    d = data.draw(st.integers(1, c.n - 1))
    k = data.draw(st.integers(1, c.n - 1))
    e = data.draw(st.integers(0, 2 ** (8 * c.size) - 1))
    assert ref.ecdsa_sign(*sign_args(c, d, k, e)) == ecdsa_oracle(c, d, k, e % c.n)


@pytest.mark.parametrize("name", NAMES)
def test_native_ecdsa_sign_matches_twin(native: Kernel, name: str) -> None:
    c = ref.CURVES[name]

    @settings(max_examples=25, deadline=None)
    @given(d=scalars(name), k=scalars(name), e=scalars(name))
    def check(d: bytes, k: bytes, e: bytes) -> None:
        assert native.ecdsa_sign(name, d, k, e) == ref.ecdsa_sign(name, d, k, e)

    check()
    # And a few against the independent oracle, on this hardware path.
    for i in range(3):
        d, k, e = (int.from_bytes(os.urandom(c.size), "big") for _ in range(3))
        d, k = d % (c.n - 1) + 1, k % (c.n - 1) + 1
        assert native.ecdsa_sign(*sign_args(c, d, k, e)) == ecdsa_oracle(c, d, k, e % c.n), i


def test_ecdsa_sign_verifies() -> None:
    """A signature from each kernel verifies by SEC 1 4.1.4 through ec_mul_add."""
    for name in NAMES:
        c = ref.CURVES[name]
        d, k, e = 0x5EC1, 0x4B1D, 0xE0
        q = ref.ec_mul_base(name, scalar(c, d))
        assert q is not None
        for _, kernel in kernels():
            signature = kernel.ecdsa_sign(*sign_args(c, d, k, e))
            assert signature is not None
            r, s = (
                int.from_bytes(signature[: c.size], "big"),
                int.from_bytes(signature[c.size :], "big"),
            )
            w = pow(s, -1, c.n)
            point = kernel.ec_mul_add(name, scalar(c, e * w % c.n), scalar(c, r * w % c.n), q)
            assert point is not None
            assert int.from_bytes(point[1 : 1 + c.size], "big") % c.n == r


# --- rejection tables (both backends) ------------------------------------------------------


def kernels() -> list[tuple[str, Kernel]]:
    found: list[tuple[str, Kernel]] = [("twin", ref)]
    if not PYTHON_ONLY_RUN:
        found.append(("native", native_kernel()))
    return found


def bad_points(name: str) -> list[tuple[str, bytes, str]]:
    """(what, encoding, error fragment): not an uncompressed point of the curve."""
    c = ref.CURVES[name]
    size = c.size
    good = b"\x04" + scalar(c, c.gx) + scalar(c, c.gy)
    x, y = c.gx, c.gy
    wrong_prefix = "must be 0x04 || X || Y"
    not_point = "not a point of"
    rows = [
        ("empty", b"", wrong_prefix),
        ("identity 0x00", b"\x00", wrong_prefix),
        ("compressed 0x02", b"\x02" + scalar(c, x), wrong_prefix),
        ("compressed length, prefix 0x04", b"\x04" + scalar(c, x), wrong_prefix),
        ("prefix 0x00", b"\x00" + good[1:], wrong_prefix),
        ("prefix 0x03", b"\x03" + good[1:], wrong_prefix),
        ("hybrid 0x06", b"\x06" + good[1:], wrong_prefix),
        ("hybrid 0x07", b"\x07" + good[1:], wrong_prefix),
        ("one byte short", good[:-1], wrong_prefix),
        ("one byte long", good + b"\x00", wrong_prefix),
        ("all zero", b"\x04" + bytes(2 * size), not_point),
        ("y + 1", b"\x04" + scalar(c, x) + scalar(c, y + 1), not_point),
        ("x + 1", b"\x04" + scalar(c, x + 1) + scalar(c, y), not_point),
        ("x = p", b"\x04" + scalar(c, c.p) + scalar(c, y), not_point),
        ("y = p", b"\x04" + scalar(c, x) + scalar(c, c.p), not_point),
        ("x = y = p - 1", b"\x04" + scalar(c, c.p - 1) * 2, not_point),
        ("all ones", b"\x04" + b"\xff" * (2 * size), not_point),
    ]
    if c.p + x < 2 ** (8 * size):  # P-521: 66-byte coordinates hold x + p and y + p
        rows.append(("x + p", b"\x04" + scalar(c, x + c.p) + scalar(c, y), not_point))
        rows.append(("y + p", b"\x04" + scalar(c, x) + scalar(c, y + c.p), not_point))
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_bad_points_rejected(name: str) -> None:
    c = ref.CURVES[name]
    k = scalar(c, 12345)
    for _, kernel in kernels():
        for what, point, fragment in bad_points(name):
            with pytest.raises(ValueError, match=fragment):
                kernel.ec_mul(name, k, point)
            with pytest.raises(ValueError, match=fragment):
                kernel.ec_mul_add(name, k, k, point)
            assert what  # the row's name, shown by pytest on failure


def test_bad_arguments_rejected() -> None:
    c = ref.CURVES["P-256"]
    g = b"\x04" + scalar(c, c.gx) + scalar(c, c.gy)
    calls: list[tuple[Callable[[Kernel], object], str]] = [
        (lambda m: m.ec_mul_base("P-224", bytes(28)), "unknown curve"),
        (lambda m: m.ec_mul_base("p-256", bytes(32)), "unknown curve"),
        (lambda m: m.ec_mul("secp256r1", bytes(32), g), "unknown curve"),
        (lambda m: m.ec_mul_add("", bytes(32), bytes(32), g), "unknown curve"),
        (lambda m: m.ec_mul_base("P-256", bytes(31)), "scalar must be 32 bytes"),
        (lambda m: m.ec_mul_base("P-256", bytes(33)), "scalar must be 32 bytes"),
        (lambda m: m.ec_mul_base("P-384", bytes(32)), "scalar must be 48 bytes"),
        (lambda m: m.ec_mul_base("P-521", bytes(65)), "scalar must be 66 bytes"),
        (lambda m: m.ec_mul("P-256", bytes(64), g), "scalar must be 32 bytes"),
        (lambda m: m.ec_mul_add("P-256", bytes(32), bytes(31), g), "scalar must be 32 bytes"),
        (lambda m: m.ec_mul("P-384", bytes(48), g), "must be 0x04 || X || Y"),
        (lambda m: m.ecdsa_sign("P-224", bytes(28), bytes(28), bytes(28)), "unknown curve"),
        (lambda m: m.ecdsa_sign("P-256", bytes(31), bytes(32), bytes(32)), "must be 32 bytes"),
        (lambda m: m.ecdsa_sign("P-256", bytes(32), bytes(33), bytes(32)), "must be 32 bytes"),
        (lambda m: m.ecdsa_sign("P-256", bytes(32), bytes(32), bytes(64)), "must be 32 bytes"),
        (lambda m: m.ecdsa_sign("P-521", bytes(66), bytes(66), bytes(64)), "must be 66 bytes"),
    ]
    for _, kernel in kernels():
        for call, fragment in calls:
            with pytest.raises(ValueError, match=fragment):
                call(kernel)
