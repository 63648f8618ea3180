"""X25519 and X448 (RFC 7748) and the Ed25519 group (RFC 8032 5.1), pure-Python twin of
``nocrypto/_native/ecx.c``.

This module is the executable specification of the C kernel, written from the RFCs step by
step with Python integers:

- :func:`x25519` and :func:`x448` are RFC 7748 section 5 as printed: decodeScalar (clamping),
  decodeUCoordinate (the top bit of an X25519 u masked; values >= p accepted and reduced),
  the Montgomery ladder with its conditional swap done by a mask, and the final
  ``x_2 * z_2^(p - 2)``.
- The Ed25519 group (RFC 8032 5.1): extended coordinates with the addition and doubling
  formulas of 5.1.4, encoding 5.1.2 and strict decoding 5.1.3 (y >= p refused, and x = 0 with
  the sign bit set refused).
- :func:`ed25519_mul_base` is the C kernel's algorithm: the scalar reduced modulo L, written
  in 64 signed radix-16 digits, and summed from a table of (j + 1) * 256^i * B (built here
  from the curve, as ``gen_ecx_tables.py`` builds the C header) where every entry of a row is
  read and the wanted one kept by masking. :func:`ed25519_mul_add_vartime` (public inputs) is
  a plain double-and-add.
- :func:`ed25519_scalar_muladd` is (a * b + c) mod L (RFC 8032 5.1.6 step 6).

CPython gives no timing guarantee (big-int arithmetic is variable time), so only the C kernel
is constant time; this twin keeps the shape: no branch on a secret.
"""

from __future__ import annotations

import functools
from typing import Final

__all__ = [
    "ED25519_L",
    "ed25519_mul_add_vartime",
    "ed25519_mul_base",
    "ed25519_scalar_muladd",
    "x448",
    "x25519",
]

Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), RFC 8032 5.1.4

# --- RFC 7748 ------------------------------------------------------------------------------

P25519: Final = 2**255 - 19
P448: Final = 2**448 - 2**224 - 1
#: RFC 7748 section 5: a24 = (486662 - 2) / 4 and (156326 - 2) / 4.
A24_25519: Final = 121665
A24_448: Final = 39081


def _cswap(swap: int, x_2: int, x_3: int) -> tuple[int, int]:
    """RFC 7748 section 5: swap x_2 and x_3 if swap == 1, by a mask (no branch)."""
    dummy = -swap & (x_2 ^ x_3)  # -1 is all ones: dummy = x_2 ^ x_3 or 0
    return x_2 ^ dummy, x_3 ^ dummy


def _ladder(k: int, u: int, bits: int, p: int, a24: int) -> int:
    """RFC 7748 section 5: the x-coordinate of [k]u, a Montgomery ladder of *bits* steps."""
    x_1, x_2, z_2, x_3, z_3 = u, 1, 0, u, 1
    swap = 0
    for t in reversed(range(bits)):
        k_t = (k >> t) & 1
        swap ^= k_t
        x_2, x_3 = _cswap(swap, x_2, x_3)
        z_2, z_3 = _cswap(swap, z_2, z_3)
        swap = k_t

        a = x_2 + z_2
        aa = a * a % p
        b = x_2 - z_2
        bb = b * b % p
        e = aa - bb
        c = x_3 + z_3
        d = x_3 - z_3
        da = d * a % p
        cb = c * b % p
        x_3 = (da + cb) ** 2 % p
        z_3 = x_1 * (da - cb) ** 2 % p
        x_2 = aa * bb % p
        z_2 = e * (aa + a24 * e) % p
    x_2, x_3 = _cswap(swap, x_2, x_3)
    z_2, z_3 = _cswap(swap, z_2, z_3)
    return x_2 * pow(z_2, p - 2, p) % p


def x25519(scalar: bytes, u: bytes) -> bytes:
    """RFC 7748 section 5: X25519(k, u), 32-byte little-endian strings (an all-zero result,
    from a low-order u, is returned as is: section 6.1 is the caller's check)."""
    if len(scalar) != 32 or len(u) != 32:
        raise ValueError("X25519: the scalar and the u-coordinate are 32 bytes (RFC 7748 5)")
    # decodeScalar25519: k_list[0] &= 248; k_list[31] &= 127; k_list[31] |= 64
    k = int.from_bytes(scalar, "little")
    k = (k & ~7 & ~(1 << 255)) | (1 << 254)
    # decodeUCoordinate: "implementations of X25519 MUST mask the most significant bit";
    # non-canonical values (2^255 - 19 .. 2^255 - 1) are accepted, i.e. reduced mod p.
    u_int = (int.from_bytes(u, "little") & ((1 << 255) - 1)) % P25519
    return _ladder(k, u_int, 255, P25519, A24_25519).to_bytes(32, "little")


def x448(scalar: bytes, u: bytes) -> bytes:
    """RFC 7748 section 5: X448(k, u), 56-byte little-endian strings."""
    if len(scalar) != 56 or len(u) != 56:
        raise ValueError("X448: the scalar and the u-coordinate are 56 bytes (RFC 7748 5)")
    # decodeScalar448: k_list[0] &= 252; k_list[55] |= 128
    k = (int.from_bytes(scalar, "little") & ~3) | (1 << 447)
    u_int = int.from_bytes(u, "little") % P448
    return _ladder(k, u_int, 448, P448, A24_448).to_bytes(56, "little")


# --- RFC 8032 5.1: Ed25519 -------------------------------------------------------------------

P: Final = P25519
D: Final = -121665 * pow(121666, -1, P) % P
SQRT_M1: Final = pow(2, (P - 1) // 4, P)
#: The order of the base point B (RFC 8032 5.1).
ED25519_L: Final = 2**252 + 27742317777372353535851937790883648493

IDENTITY: Final[Point] = (0, 1, 1, 0)


def _point_add(p1: Point, p2: Point) -> Point:
    """RFC 8032 5.1.4 addition (complete: also doubles, also adds the identity)."""
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = t1 * 2 * D * t2 % P
    d = z1 * 2 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % P, g * h % P, f * g % P, e * h % P


def _point_double(p1: Point) -> Point:
    """RFC 8032 5.1.4 doubling."""
    x1, y1, z1, _ = p1
    a = x1 * x1 % P
    b = y1 * y1 % P
    c = 2 * z1 * z1 % P
    h = a + b
    e = h - (x1 + y1) ** 2
    g = a - b
    f = c + g
    return e * f % P, g * h % P, f * g % P, e * h % P


def _point_neg(p1: Point) -> Point:
    x1, y1, z1, t1 = p1
    return -x1 % P, y1, z1, -t1 % P


def _encode(p1: Point) -> bytes:
    """RFC 8032 5.1.2: y little-endian, the most significant bit the parity of x."""
    x1, y1, z1, _ = p1
    z_inv = pow(z1, P - 2, P)  # exponentiation, as the C kernel inverts
    x, y = x1 * z_inv % P, y1 * z_inv % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _decode(s: bytes) -> Point | None:
    """RFC 8032 5.1.3, strictly; None if *s* is not a canonical encoding of a point."""
    if len(s) != 32:
        return None
    n = int.from_bytes(s, "little")
    x_0 = n >> 255
    y = n & ((1 << 255) - 1)
    # Step 1: "If the resulting value is >= p, decoding fails."
    if y >= P:
        return None
    # Step 2: x^2 = (y^2 - 1) / (d y^2 + 1); x = u v^3 (u v^7)^((p-5)/8).
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    # Step 3: the three cases of v x^2.
    vxx = v * x * x % P
    if vxx == u:
        pass
    elif vxx == -u % P:
        x = x * SQRT_M1 % P
    else:
        return None
    # Step 4: "If x = 0, and x_0 = 1, decoding fails. Otherwise, if x_0 != x mod 2, set
    # x <-- p - x."
    if x == 0 and x_0 == 1:
        return None
    if x & 1 != x_0:
        x = P - x
    return x, y, 1, x * y % P


def _affine_niels(p1: Point) -> tuple[int, int, int]:
    """The precomputed form of the C tables: (y + x, y - x, 2 d x y), affine."""
    x1, y1, z1, _ = p1
    z_inv = pow(z1, P - 2, P)
    x, y = x1 * z_inv % P, y1 * z_inv % P
    return (y + x) % P, (y - x) % P, 2 * D * x * y % P


@functools.cache
def _base_point() -> Point:
    """B (RFC 8032 5.1): y = 4/5, x even."""
    y = 4 * pow(5, -1, P) % P
    encoded = y.to_bytes(32, "little")  # x is even: the sign bit is 0
    point = _decode(encoded)
    assert point is not None
    return point


@functools.cache
def _base_table() -> tuple[tuple[tuple[int, int, int], ...], ...]:
    """Row i holds (j + 1) * 256^i * B for j = 0..7 (gen_ecx_tables.py's table)."""
    rows = []
    row_base = _base_point()
    for _ in range(32):
        entries = []
        acc = row_base
        for _ in range(8):
            entries.append(_affine_niels(acc))
            acc = _point_add(acc, row_base)
        rows.append(tuple(entries))
        for _ in range(8):
            row_base = _point_double(row_base)
    return tuple(rows)


def _madd(p1: Point, q: tuple[int, int, int]) -> Point:
    """Addition of an affine (y + x, y - x, 2dxy) point: 5.1.4 with Z2 = 1, T2 = x2 y2."""
    x1, y1, z1, t1 = p1
    yplusx, yminusx, xy2d = q
    a = (y1 - x1) * yminusx % P
    b = (y1 + x1) * yplusx % P
    c = t1 * xy2d % P
    d = 2 * z1
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % P, g * h % P, f * g % P, e * h % P


def _select(row: int, digit: int) -> tuple[int, int, int]:
    """digit * 256^row * B for -8 <= digit <= 8: every entry of the row is read, the wanted
    one kept by masking, the sign applied by masking (the C kernel's ge_select)."""
    negative = (digit >> 7) & 1  # digit as an 8-bit two's complement value
    babs = (digit ^ -negative) + negative
    yplusx, yminusx, xy2d = 1, 1, 0  # the identity
    for j, (ep, em, ed) in enumerate(_base_table()[row]):
        mask = -(((babs ^ (j + 1)) - 1) >> 31 & 1)  # -1 iff babs == j + 1, else 0
        yplusx ^= mask & (yplusx ^ ep)
        yminusx ^= mask & (yminusx ^ em)
        xy2d ^= mask & (xy2d ^ ed)
    # negation of (y + x, y - x, 2dxy) is (y - x, y + x, -2dxy)
    mask = -negative
    swap = mask & (yplusx ^ yminusx)
    return yplusx ^ swap, yminusx ^ swap, xy2d ^ (mask & (xy2d ^ (-xy2d % P)))


def ed25519_mul_base(scalar: bytes) -> bytes:
    """The encoding of [s]B for a 32-byte little-endian s (any value below 2^256)."""
    if len(scalar) != 32:
        raise ValueError("Ed25519: the scalar is 32 bytes (RFC 8032 5.1.5)")
    # [s]B = [s mod L]B, and s mod L < 2^253 keeps the top digit at most 8.
    a = int.from_bytes(scalar, "little") % ED25519_L
    # 64 signed radix-16 digits: a = sum e_i 16^i with -8 <= e_i <= 8.
    e = [(a >> (4 * i)) & 15 for i in range(64)]
    carry = 0
    for i in range(63):
        e[i] += carry
        carry = (e[i] + 8) >> 4
        e[i] -= carry << 4
    e[63] += carry
    # sum_{i odd} e_i 16^(i-1) B, times 16, plus sum_{i even} e_i 16^i B; 16^(2j) = 256^j.
    h = IDENTITY
    for i in range(1, 64, 2):
        h = _madd(h, _select(i // 2, e[i]))
    for _ in range(4):
        h = _point_double(h)
    for i in range(0, 64, 2):
        h = _madd(h, _select(i // 2, e[i]))
    return _encode(h)


def ed25519_mul_add_vartime(s: bytes, k: bytes, a: bytes) -> bytes | None:
    """The encoding of [s]B - [k]A (RFC 8032 5.1.7), or None if *a* does not decode (5.1.3,
    strict). s and k are 32-byte little-endian (any value below 2^256; k is used as given,
    not reduced modulo L). Public inputs: variable time."""
    if len(s) != 32 or len(k) != 32:
        raise ValueError("Ed25519: the scalars are 32 bytes (RFC 8032 5.1.7)")
    if len(a) != 32:
        raise ValueError("Ed25519: a point encoding is 32 bytes (RFC 8032 5.1.2)")
    point = _decode(a)
    if point is None:
        return None
    s_int = int.from_bytes(s, "little") % ED25519_L
    k_int = int.from_bytes(k, "little")
    minus_a = _point_neg(point)
    base = _base_point()
    acc = IDENTITY
    # Public scalars: start at the highest set bit of either (variable time).
    for t in reversed(range(max(s_int.bit_length(), k_int.bit_length()))):
        acc = _point_double(acc)
        if (s_int >> t) & 1:
            acc = _point_add(acc, base)
        if (k_int >> t) & 1:
            acc = _point_add(acc, minus_a)
    return _encode(acc)


def ed25519_scalar_muladd(a: bytes, b: bytes, c: bytes) -> bytes:
    """(a * b + c) mod L as 32 bytes little-endian, for 32-byte a, b and a 64-byte c
    (RFC 8032 5.1.6 step 6: S = (r + k * s) mod L)."""
    if len(a) != 32 or len(b) != 32 or len(c) != 64:
        raise ValueError("Ed25519: scalar_muladd takes 32-, 32- and 64-byte scalars")
    value = int.from_bytes(a, "little") * int.from_bytes(b, "little")
    value += int.from_bytes(c, "little")
    return (value % ED25519_L).to_bytes(32, "little")
