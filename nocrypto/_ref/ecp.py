"""NIST P-256, P-384 and P-521 point multiplication, pure-Python twin of
``nocrypto/_native/ecp.c``.

This is the executable specification of the C kernel (the ``EcpKernel`` Protocol of
``nocrypto._backend``), written as the same algorithms, step by step:

- the curves y^2 = x^3 - 3x + b over GF(p) of FIPS 186-4, appendix D.1.2 (also SEC 2,
  sections 2.4.2, 2.5.1, 2.6.1), all of prime order n (cofactor 1);
- points in projective coordinates (X : Y : Z), x = X/Z, y = Y/Z, the point at infinity
  being (0 : 1 : 0);
- the complete addition and doubling formulas of Renes, Costello and Batina, "Complete
  addition formulas for prime order elliptic curves" (EUROCRYPT 2016), algorithms 4
  (addition), 5 (mixed addition, second point affine) and 6 (doubling) for a = -3. They
  have no exceptional case (P + P, P + (-P), P + O all come out right), so the scalar
  multiplications below never branch on the points they meet;
- ``ec_mul``: the scalar reduced modulo n, recoded into signed 5-bit digits in [-15, 16]
  (``recode``), and a fixed-window left-to-right multiplication with a table of
  1P..16P; every digit costs five doublings, one scan of the whole table
  (``select``: every entry is read, the one wanted is kept by a mask) and one addition;
- ``ec_mul_base``: the same digits over a comb of precomputed affine multiples of G
  (``comb_table``, also the source of the C tables, see ``gen_ecp_tables.py``):
  table t holds j * 2^(5*S*t) * G for j = 1..16, with S the comb spacing of the curve;
  S - 1 rounds of five doublings and one mixed addition per digit;
- ``ec_mul_add``: u1*G + u2*P for signature verification, on public values: the comb for
  u1*G, a width-5 NAF for u2*P, one addition;
- ``ecdsa_sign``: the ECDSA signature of SEC 1 4.1.3 for a given nonce k: R = k*G over the
  comb, r = x_R mod n, and s = k^-1 (e + r d) mod n with the inverse by ``inverse``;
- ``inverse``: x^-1 modulo p or n by Bernstein and Yang's divsteps (safegcd), a fixed
  number of steps for every x, the C kernel's constant-time inversion (which runs the same
  steps in batches of 62 on the low bits of f and g).

The C kernel keeps field elements in Montgomery form with 64-bit limbs; that is a
representation, invisible in the results, so the twin computes with Python integers modulo p.
CPython gives no timing guarantee; the twin keeps the algorithm's shape (same operations for
every scalar, full table scans) but the constant-time promise comes from the native backend.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = [
    "CURVES",
    "WINDOW",
    "CurveParams",
    "add",
    "add_affine",
    "comb_table",
    "divsteps",
    "double",
    "ec_mul",
    "ec_mul_add",
    "ec_mul_base",
    "ecdsa_sign",
    "inverse",
    "recode",
    "select",
    "select_affine",
    "to_affine",
]

#: The window width of the signed fixed-window recoding (digits in [-15, 16]).
WINDOW = 5

Point = tuple[int, int, int]
"""A projective point (X, Y, Z) with coordinates reduced modulo p."""

Affine = tuple[int, int]


@dataclass(frozen=True, slots=True)
class CurveParams:
    """A short Weierstrass curve y^2 = x^3 - 3x + b over GF(p) of prime order n."""

    name: str
    p: int
    b: int
    n: int
    gx: int
    gy: int
    #: the octet length of a field element and of a scalar, ceil(log2(p) / 8)
    size: int
    #: the comb spacing S of ``ec_mul_base`` (rounds of WINDOW doublings, plus one)
    spacing: int

    @property
    def digits(self) -> int:
        """The number of signed WINDOW-bit digits of a scalar below n (one more than
        floor(bits / WINDOW), for the carry out of the top window)."""
        return self.n.bit_length() // WINDOW + 1

    @property
    def comb_tables(self) -> int:
        """The number of comb tables: ceil(digits / spacing)."""
        return -(-self.digits // self.spacing)


# FIPS 186-4, appendix D.1.2.3 (P-256), D.1.2.4 (P-384), D.1.2.5 (P-521); a = -3 for all.
CURVES: dict[str, CurveParams] = {
    "P-256": CurveParams(
        name="P-256",
        p=2**256 - 2**224 + 2**192 + 2**96 - 1,
        b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
        gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
        size=32,
        spacing=2,
    ),
    "P-384": CurveParams(
        name="P-384",
        p=2**384 - 2**128 - 2**96 + 2**32 - 1,
        b=int(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
            "C656398D8A2ED19D2A85C8EDD3EC2AEF",
            16,
        ),
        n=int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
            "581A0DB248B0A77AECEC196ACCC52973",
            16,
        ),
        gx=int(
            "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38"
            "5502F25DBF55296C3A545E3872760AB7",
            16,
        ),
        gy=int(
            "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0"
            "0A60B1CE1D7E819D7A431D7C90EA0E5F",
            16,
        ),
        size=48,
        spacing=4,
    ),
    "P-521": CurveParams(
        name="P-521",
        p=2**521 - 1,
        b=int(
            "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
            "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B50"
            "3F00",
            16,
        ),
        n=int(
            "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E9138"
            "6409",
            16,
        ),
        gx=int(
            "00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D"
            "3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5"
            "BD66",
            16,
        ),
        gy=int(
            "011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E"
            "662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD1"
            "6650",
            16,
        ),
        size=66,
        spacing=4,
    ),
}


def _params(curve: str) -> CurveParams:
    try:
        return CURVES[curve]
    except KeyError:
        raise ValueError(f"ecp: unknown curve {curve!r} (P-256, P-384 or P-521)") from None


# --- point arithmetic (Renes-Costello-Batina 2016, a = -3) ----------------------------------


def add(c: CurveParams, p1: Point, p2: Point) -> Point:
    """Algorithm 4: P1 + P2 in projective coordinates, complete (12M + 2 m_b)."""
    p, b = c.p, c.b
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    t0 = x1 * x2 % p  # 1
    t1 = y1 * y2 % p  # 2
    t2 = z1 * z2 % p  # 3
    t3 = (x1 + y1) % p  # 4
    t4 = (x2 + y2) % p  # 5
    t3 = t3 * t4 % p  # 6
    t4 = (t0 + t1) % p  # 7
    t3 = (t3 - t4) % p  # 8
    t4 = (y1 + z1) % p  # 9
    x3 = (y2 + z2) % p  # 10
    t4 = t4 * x3 % p  # 11
    x3 = (t1 + t2) % p  # 12
    t4 = (t4 - x3) % p  # 13
    x3 = (x1 + z1) % p  # 14
    y3 = (x2 + z2) % p  # 15
    x3 = x3 * y3 % p  # 16
    y3 = (t0 + t2) % p  # 17
    y3 = (x3 - y3) % p  # 18
    z3 = b * t2 % p  # 19
    x3 = (y3 - z3) % p  # 20
    z3 = (x3 + x3) % p  # 21
    x3 = (x3 + z3) % p  # 22
    z3 = (t1 - x3) % p  # 23
    x3 = (t1 + x3) % p  # 24
    y3 = b * y3 % p  # 25
    t1 = (t2 + t2) % p  # 26
    t2 = (t1 + t2) % p  # 27
    y3 = (y3 - t2) % p  # 28
    y3 = (y3 - t0) % p  # 29
    t1 = (y3 + y3) % p  # 30
    y3 = (t1 + y3) % p  # 31
    t1 = (t0 + t0) % p  # 32
    t0 = (t1 + t0) % p  # 33
    t0 = (t0 - t2) % p  # 34
    t1 = t4 * y3 % p  # 35
    t2 = t0 * y3 % p  # 36
    y3 = x3 * z3 % p  # 37
    y3 = (y3 + t2) % p  # 38
    x3 = t3 * x3 % p  # 39
    x3 = (x3 - t1) % p  # 40
    z3 = t4 * z3 % p  # 41
    t1 = t3 * t0 % p  # 42
    z3 = (z3 + t1) % p  # 43
    return x3, y3, z3


def add_affine(c: CurveParams, p1: Point, q: Affine) -> Point:
    """Algorithm 5: P1 + (x2, y2) with the second point affine (Z2 = 1), 11M + 2 m_b.
    Complete for every P1, including the point at infinity; (x2, y2) is a curve point
    (an affine point is never the point at infinity)."""
    p, b = c.p, c.b
    x1, y1, z1 = p1
    x2, y2 = q
    t0 = x1 * x2 % p  # 1
    t1 = y1 * y2 % p  # 2
    t3 = (x2 + y2) % p  # 3
    t4 = (x1 + y1) % p  # 4
    t3 = t3 * t4 % p  # 5
    t4 = (t0 + t1) % p  # 6
    t3 = (t3 - t4) % p  # 7
    t4 = y2 * z1 % p  # 8
    t4 = (t4 + y1) % p  # 9
    y3 = x2 * z1 % p  # 10
    y3 = (y3 + x1) % p  # 11
    z3 = b * z1 % p  # 12
    x3 = (y3 - z3) % p  # 13
    z3 = (x3 + x3) % p  # 14
    x3 = (x3 + z3) % p  # 15
    z3 = (t1 - x3) % p  # 16
    x3 = (t1 + x3) % p  # 17
    y3 = b * y3 % p  # 18
    t1 = (z1 + z1) % p  # 19
    t2 = (t1 + z1) % p  # 20
    y3 = (y3 - t2) % p  # 21
    y3 = (y3 - t0) % p  # 22
    t1 = (y3 + y3) % p  # 23
    y3 = (t1 + y3) % p  # 24
    t1 = (t0 + t0) % p  # 25
    t0 = (t1 + t0) % p  # 26
    t0 = (t0 - t2) % p  # 27
    t1 = t4 * y3 % p  # 28
    t2 = t0 * y3 % p  # 29
    y3 = x3 * z3 % p  # 30
    y3 = (y3 + t2) % p  # 31
    x3 = t3 * x3 % p  # 32
    x3 = (x3 - t1) % p  # 33
    z3 = t4 * z3 % p  # 34
    t1 = t3 * t0 % p  # 35
    z3 = (z3 + t1) % p  # 36
    return x3, y3, z3


def double(c: CurveParams, p1: Point) -> Point:
    """Algorithm 6: 2 * P1 in projective coordinates, complete (8M + 3S + 2 m_b)."""
    p, b = c.p, c.b
    x, y, z = p1
    t0 = x * x % p  # 1
    t1 = y * y % p  # 2
    t2 = z * z % p  # 3
    t3 = x * y % p  # 4
    t3 = (t3 + t3) % p  # 5
    z3 = x * z % p  # 6
    z3 = (z3 + z3) % p  # 7
    y3 = b * t2 % p  # 8
    y3 = (y3 - z3) % p  # 9
    x3 = (y3 + y3) % p  # 10
    y3 = (x3 + y3) % p  # 11
    x3 = (t1 - y3) % p  # 12
    y3 = (t1 + y3) % p  # 13
    y3 = x3 * y3 % p  # 14
    x3 = x3 * t3 % p  # 15
    t3 = (t2 + t2) % p  # 16
    t2 = (t2 + t3) % p  # 17
    z3 = b * z3 % p  # 18
    z3 = (z3 - t2) % p  # 19
    z3 = (z3 - t0) % p  # 20
    t3 = (z3 + z3) % p  # 21
    z3 = (z3 + t3) % p  # 22
    t3 = (t0 + t0) % p  # 23
    t0 = (t3 + t0) % p  # 24
    t0 = (t0 - t2) % p  # 25
    t0 = t0 * z3 % p  # 26
    y3 = (y3 + t0) % p  # 27
    t0 = y * z % p  # 28
    t0 = (t0 + t0) % p  # 29
    z3 = t0 * z3 % p  # 30
    x3 = (x3 - z3) % p  # 31
    z3 = t0 * t1 % p  # 32
    z3 = (z3 + z3) % p  # 33
    z3 = (z3 + z3) % p  # 34
    return x3, y3, z3


INFINITY: Point = (0, 1, 0)


def to_affine(c: CurveParams, p1: Point) -> Affine | None:
    """(X/Z, Y/Z), or None for the point at infinity (Z = 0). The C kernel inverts with
    ``inverse``'s divsteps, which map Z = 0 to 0 without a branch, and reports the point at
    infinity as a masked flag; here the result is public, and Python's inverse is faster."""
    x, y, z = p1
    if z == 0:
        return None
    zinv = pow(z, -1, c.p)
    return x * zinv % c.p, y * zinv % c.p


# --- scalars ---------------------------------------------------------------------------------


def recode(k: int, count: int) -> list[int]:
    """The signed WINDOW-bit digits d_0 .. d_(count-1) of k, k = sum d_i 2^(WINDOW i), every
    d_i in [-15, 16]: each window's value plus the carry from below, minus 32 (and carry 1)
    when it exceeds 16. The carry is computed with arithmetic, not a branch, as in C; count
    must leave room for the last carry (``CurveParams.digits``)."""
    digits = []
    carry = 0
    half = 1 << (WINDOW - 1)
    for i in range(count):
        d = ((k >> (WINDOW * i)) & ((1 << WINDOW) - 1)) + carry
        carry = ((half - d) >> WINDOW) & 1  # 1 iff d > 16 (d is at most 32)
        digits.append(d - (carry << WINDOW))
    if carry or k >> (WINDOW * count):
        raise ValueError("recode: the scalar has more digits than count")
    return digits


def _cmov(mask: int, a: int, b: int) -> int:
    """b if mask is -1 (all ones), a if mask is 0: the C kernel's masked select."""
    return (a & ~mask) | (b & mask)


def select(table: list[Point], digit: int, p: int) -> Point:
    """The point digit * P from the table [1P, 2P, ..., 16P], digit in [-16, 16]: every
    entry is read and the wanted one kept by a mask, then negated by a mask if the digit
    is negative; digit 0 keeps the point at infinity."""
    sign = -(digit < 0)
    magnitude = _cmov(sign, digit, -digit)
    x, y, z = INFINITY
    for j, (ex, ey, ez) in enumerate(table, start=1):
        mask = -(j == magnitude)
        x, y, z = _cmov(mask, x, ex), _cmov(mask, y, ey), _cmov(mask, z, ez)
    return x, _cmov(sign, y, (p - y) % p), z


def select_affine(table: tuple[Affine, ...], digit: int, p: int) -> Affine:
    """As ``select`` for a comb table of affine points j * B (j = 1 .. 16); digit 0 gives
    the placeholder (0, 0), whose sum the caller discards."""
    sign = -(digit < 0)
    magnitude = _cmov(sign, digit, -digit)
    x = y = 0
    for j, (ex, ey) in enumerate(table, start=1):
        mask = -(j == magnitude)
        x, y = _cmov(mask, x, ex), _cmov(mask, y, ey)
    return x, _cmov(sign, y, (p - y) % p)


def _reduce(c: CurveParams, scalar: bytes) -> int:
    if len(scalar) != c.size:
        raise ValueError(f"ecp: a {c.name} scalar must be {c.size} bytes")
    return int.from_bytes(scalar, "big") % c.n


# --- points as octet strings (SEC 1, 2.3.3 and 2.3.4) ---------------------------------------


def _decode(c: CurveParams, point: bytes) -> Affine:
    """An uncompressed point 0x04 || X || Y, checked: 0 <= x, y < p and y^2 = x^3 - 3x + b
    (SEC 1, 3.2.2.1 steps 2 and 3; the order check of step 4 is implied by cofactor 1)."""
    if len(point) != 1 + 2 * c.size or point[0] != 4:
        raise ValueError(f"ecp: a {c.name} point must be 0x04 || X || Y ({1 + 2 * c.size} bytes)")
    x = int.from_bytes(point[1 : 1 + c.size], "big")
    y = int.from_bytes(point[1 + c.size :], "big")
    if x >= c.p or y >= c.p or (y * y - (x * x * x - 3 * x + c.b)) % c.p != 0:
        raise ValueError(f"ecp: not a point of {c.name} (x, y < p on the curve, SEC 1 3.2.2.1)")
    return x, y


def _encode(c: CurveParams, p1: Point) -> bytes | None:
    affine = to_affine(c, p1)
    if affine is None:
        return None
    return b"\x04" + affine[0].to_bytes(c.size, "big") + affine[1].to_bytes(c.size, "big")


# --- the kernel ------------------------------------------------------------------------------


def ec_mul(curve: str, scalar: bytes, point: bytes) -> bytes | None:
    """scalar * point, constant shape in the scalar: signed fixed window of 5 bits."""
    c = _params(curve)
    k = _reduce(c, scalar)
    x, y = _decode(c, point)
    p1: Point = (x, y, 1)
    # The table 1P .. 16P: 2jP by doubling, (2j+1)P by adding P.
    table = [p1]
    for j in range(2, 17):
        table.append(double(c, table[j // 2 - 1]) if j % 2 == 0 else add(c, table[j - 2], p1))
    digits = recode(k, c.digits)
    r = select(table, digits[-1], c.p)
    for d in reversed(digits[:-1]):
        for _ in range(WINDOW):
            r = double(c, r)
        r = add(c, r, select(table, d, c.p))
    return _encode(c, r)


@functools.cache
def comb_table(curve: str) -> tuple[tuple[Affine, ...], ...]:
    """The comb tables of ``ec_mul_base``: table t (0 <= t < comb_tables) holds the affine
    points j * 2^(WINDOW * spacing * t) * G for j = 1 .. 16. Public constants; the C kernel
    holds the same points in Montgomery form (``gen_ecp_tables.py``)."""
    c = _params(curve)
    tables = []
    base: Point = (c.gx, c.gy, 1)
    for _ in range(c.comb_tables):
        row = [base]
        for j in range(2, 17):
            row.append(double(c, row[j // 2 - 1]) if j % 2 == 0 else add(c, row[j - 2], base))
        affine = [to_affine(c, q) for q in row]
        if any(a is None for a in affine):  # pragma: no cover - n is prime and > 16
            raise AssertionError("comb_table: a multiple of G is the point at infinity")
        tables.append(tuple(a for a in affine if a is not None))
        for _ in range(WINDOW * c.spacing):
            base = double(c, base)
    return tuple(tables)


def _comb(c: CurveParams, k: int) -> Point:
    """k * G over the comb: k = sum over u < S and t of d_(S t + u) 2^(5 u) 2^(5 S t), so
    k G = sum_u 2^(5 u) sum_t d_(S t + u) T_t, evaluated by Horner's rule in u."""
    tables = comb_table(c.name)
    s = c.spacing
    digits = recode(k, c.digits)
    digits += [0] * (c.comb_tables * s - len(digits))
    r = INFINITY
    for u in reversed(range(s)):
        if u != s - 1:
            for _ in range(WINDOW):
                r = double(c, r)
        for t, table in enumerate(tables):
            d = digits[s * t + u]
            # An affine point is never the point at infinity: for digit 0 the sum with the
            # placeholder is computed and discarded by a mask.
            sum_ = add_affine(c, r, select_affine(table, d, c.p))
            keep = -(d != 0)
            r = (_cmov(keep, r[0], sum_[0]), _cmov(keep, r[1], sum_[1]), _cmov(keep, r[2], sum_[2]))
    return r


def ec_mul_base(curve: str, scalar: bytes) -> bytes | None:
    """scalar * G over the precomputed comb, constant shape in the scalar."""
    c = _params(curve)
    return _encode(c, _comb(c, _reduce(c, scalar)))


def _wnaf(k: int, width: int) -> list[int]:
    """The width-w NAF of k >= 0 (least significant first): odd digits in
    (-2^(w-1), 2^(w-1)) separated by at least w - 1 zeros. Variable time: public values."""
    digits = []
    while k:
        d = 0
        if k & 1:
            d = k & ((1 << width) - 1)
            if d >= 1 << (width - 1):
                d -= 1 << width
            k -= d
        digits.append(d)
        k >>= 1
    return digits


def ec_mul_add(curve: str, u1: bytes, u2: bytes, point: bytes) -> bytes | None:
    """u1 * G + u2 * point (public inputs: signature verification), variable time: the
    comb for u1 G, a width-5 NAF with the odd multiples P, 3P, .., 15P for u2 P."""
    c = _params(curve)
    k1 = _reduce(c, u1)
    k2 = _reduce(c, u2)
    x, y = _decode(c, point)
    p1: Point = (x, y, 1)
    p2 = double(c, p1)
    odd = [p1]
    for _ in range(7):
        odd.append(add(c, odd[-1], p2))
    r = INFINITY
    for d in reversed(_wnaf(k2, WINDOW)):
        r = double(c, r)
        if d > 0:
            r = add(c, r, odd[d // 2])
        elif d < 0:
            qx, qy, qz = odd[-d // 2]
            r = add(c, r, (qx, (c.p - qy) % c.p, qz))
    return _encode(c, add(c, r, _comb(c, k1)))


def divsteps(bits: int) -> int:
    """The number of divsteps ``inverse`` runs for a modulus of *bits* bits: Bernstein and
    Yang's bound floor((49 d + 57) / 17) for d-bit inputs (d >= 46; "Fast constant-time gcd
    computation and modular inversion", theorem 11.2), rounded up to whole batches of 62."""
    return -(-((49 * bits + 57) // 17) // 62) * 62


def inverse(x: int, m: int) -> int:
    """x^-1 mod m for an odd modulus m > 1 and 0 <= x < m coprime to it (0 for x = 0), by
    the divstep of Bernstein and Yang,

        (delta, f, g) -> (1 - delta, g, (g - f) / 2)          if delta > 0 and g is odd,
                         (1 + delta, f, (g + (g mod 2) f) / 2)  otherwise,

    from (1, m, x), which reaches g = 0 and f = +-gcd(m, x) = +-1 within ``divsteps``
    steps, whatever x. The coefficients d and e with d x = f and e x = g (mod m) follow
    along (halving is multiplying by (m + 1) / 2), so that at the end x^-1 = d f. Every
    step is computed with the same arithmetic whatever the bits of g (the choices are
    products with 0 or 1), as the C kernel does with masks."""
    half = (m + 1) // 2
    delta, f, g, d, e = 1, m, x, 0, 1
    for _ in range(divsteps(m.bit_length())):
        odd = g & 1
        swap = odd & (delta > 0)
        # The first case as the second after (delta, f, g) -> (-delta, g, -f):
        delta -= 2 * swap * delta
        f, g = f + swap * (g - f), g - swap * (f + g)
        d, e = d + swap * (e - d), e - swap * (d + e)
        delta, g, e = 1 + delta, (g + odd * f) >> 1, (e + odd * d) * half % m
    return d * f % m


def ecdsa_sign(curve: str, d: bytes, k: bytes, e: bytes) -> bytes | None:
    """The ECDSA signature r || s (SEC 1 4.1.3; FIPS 186-4 6.4) for the private key *d*, the
    nonce *k* and the hash value *e* (the leftmost bits of the message hash, step 5), each
    an octet string of the curve's length reduced modulo n; None when r = 0 or s = 0 (the
    caller takes another nonce, steps 3 and 6)."""
    c = _params(curve)
    n = c.n
    dd, kk, ee = _reduce(c, d), _reduce(c, k), _reduce(c, e)
    # Steps 1-3: R = k G, r = x_R mod n (k = 0 gives the point at infinity, and r = 0).
    affine = to_affine(c, _comb(c, kk))
    r = 0 if affine is None else affine[0] % n
    # Step 6: s = k^-1 (e + r d) mod n.
    s = inverse(kk, n) * (ee + r * dd) % n
    if r == 0 or s == 0:
        return None
    return r.to_bytes(c.size, "big") + s.to_bytes(c.size, "big")
