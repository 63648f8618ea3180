"""NIST P-256, P-384, P-521 point multiplication and ECDSA signing, native backend: thin
wrappers over ``ecp.c``.

Same names and signatures as the twin ``nocrypto._ref.ecp`` (the ``EcpKernel`` Protocol of
``nocrypto._backend``): points are SEC 1 uncompressed octet strings 0x04 || X || Y, scalars
big-endian octet strings of the curve's length, the point at infinity ``None``.
"""

from __future__ import annotations

from typing import Final

from nocrypto._native._nocrypto import ffi, lib

__all__ = ["ec_mul", "ec_mul_add", "ec_mul_base", "ecdsa_sign"]

#: curve name -> (ecp.h curve id, coordinate and scalar length in bytes)
_CURVES: Final = {"P-256": (0, 32), "P-384": (1, 48), "P-521": (2, 66)}

# Bound once: these wrappers are on the path of every ECDH and ECDSA operation.
_new = ffi.new
_buffer = ffi.buffer
_mul = lib.nocrypto_ecp_mul
_mul_base = lib.nocrypto_ecp_mul_base
_mul_add = lib.nocrypto_ecp_mul_add
_sign = lib.nocrypto_ecdsa_sign


def _curve(curve: str) -> tuple[int, int]:
    try:
        return _CURVES[curve]
    except KeyError:
        raise ValueError(f"ecp: unknown curve {curve!r} (P-256, P-384 or P-521)") from None


def _scalar(name: str, value: bytes, size: int) -> bytes:
    if type(value) is not bytes:
        value = bytes(value)
    if len(value) != size:
        raise ValueError(f"ecp: a {name} scalar must be {size} bytes")
    return value


def _point(name: str, value: bytes, size: int) -> bytes:
    if type(value) is not bytes:
        value = bytes(value)
    if len(value) != 1 + 2 * size or value[0] != 4:
        raise ValueError(f"ecp: a {name} point must be 0x04 || X || Y ({1 + 2 * size} bytes)")
    return value


def _result(rc: int, out: object, length: int, curve: str) -> bytes | None:
    if rc == 1:
        return bytes(_buffer(out, length))
    if rc == 0:
        return None
    if rc == -1:
        raise ValueError(f"ecp: not a point of {curve} (x, y < p on the curve, SEC 1 3.2.2.1)")
    raise ValueError("ecp: bad arguments")  # pragma: no cover - checked above


def ec_mul(curve: str, scalar: bytes, point: bytes) -> bytes | None:
    """scalar * point, constant time in the scalar; None for the point at infinity."""
    cid, size = _curve(curve)
    k = _scalar(curve, scalar, size)
    pt = _point(curve, point, size)
    length = 1 + 2 * size
    out = _new("uint8_t[]", length)
    return _result(_mul(cid, out, length, k, size, pt, length), out, length, curve)


def ec_mul_base(curve: str, scalar: bytes) -> bytes | None:
    """scalar * G, constant time in the scalar; None for the point at infinity."""
    cid, size = _curve(curve)
    k = _scalar(curve, scalar, size)
    length = 1 + 2 * size
    out = _new("uint8_t[]", length)
    return _result(_mul_base(cid, out, length, k, size), out, length, curve)


def ec_mul_add(curve: str, u1: bytes, u2: bytes, point: bytes) -> bytes | None:
    """u1 * G + u2 * point (public inputs, variable time); None for the point at infinity."""
    cid, size = _curve(curve)
    a = _scalar(curve, u1, size)
    b = _scalar(curve, u2, size)
    pt = _point(curve, point, size)
    length = 1 + 2 * size
    out = _new("uint8_t[]", length)
    return _result(_mul_add(cid, out, length, a, b, size, pt, length), out, length, curve)


def ecdsa_sign(curve: str, d: bytes, k: bytes, e: bytes) -> bytes | None:
    """ECDSA r || s (SEC 1 4.1.3) for private key *d*, nonce *k* and hash value *e*, constant
    time in all three; None when r = 0 or s = 0."""
    cid, size = _curve(curve)
    dd = _scalar(curve, d, size)
    kk = _scalar(curve, k, size)
    ee = _scalar(curve, e, size)
    length = 2 * size
    out = _new("uint8_t[]", length)
    rc = _sign(cid, out, length, dd, kk, ee, size)
    if rc == 1:
        return bytes(_buffer(out, length))
    if rc == 0:
        return None
    raise ValueError("ecp: bad arguments")  # pragma: no cover - checked above
