"""X25519, X448 (RFC 7748) and the Ed25519 group (RFC 8032 5.1), native backend: thin
wrappers over ``ecx.c``.

Same names and signatures as the twin ``nocrypto._ref.ecx`` (the ``EcxKernel`` Protocol of
``nocrypto._backend``, plus ``ed25519_scalar_muladd``). Lengths are checked here, cheaply;
``bytes`` go to C without a copy.
"""

from __future__ import annotations

from typing import Final

from nocrypto._native._nocrypto import ffi, lib

__all__ = [
    "ED25519_L",
    "ed25519_mul_add_vartime",
    "ed25519_mul_base",
    "ed25519_scalar_muladd",
    "x448",
    "x25519",
]

#: The order of the Ed25519 base point (RFC 8032 5.1).
ED25519_L: Final = 2**252 + 27742317777372353535851937790883648493

#: The kernels write every output byte: no need to zero the buffers first.
_new = ffi.new_allocator(should_clear_after_alloc=False)
_buffer = ffi.buffer
_x25519 = lib.nocrypto_x25519
_x448 = lib.nocrypto_x448
_mul_base = lib.nocrypto_ed25519_mul_base
_mul_add = lib.nocrypto_ed25519_mul_add_vartime
_muladd = lib.nocrypto_ed25519_scalar_muladd


def _bytes(value: bytes) -> bytes:
    # cffi takes only bytes (or cdata) for ``const uint8_t *``: copy other buffers.
    return value if type(value) is bytes else bytes(value)


def x25519(scalar: bytes, u: bytes) -> bytes:
    """RFC 7748 section 5: X25519(k, u) for 32-byte little-endian k and u (the scalar
    clamped and the top bit of u masked inside); an all-zero result is returned as is."""
    if len(scalar) != 32 or len(u) != 32:
        raise ValueError("X25519: the scalar and the u-coordinate are 32 bytes (RFC 7748 5)")
    out = _new("uint8_t[]", 32)
    _x25519(out, _bytes(scalar), _bytes(u))
    result: bytes = _buffer(out, 32)[:]
    return result


def x448(scalar: bytes, u: bytes) -> bytes:
    """RFC 7748 section 5: X448(k, u) for 56-byte little-endian k and u."""
    if len(scalar) != 56 or len(u) != 56:
        raise ValueError("X448: the scalar and the u-coordinate are 56 bytes (RFC 7748 5)")
    out = _new("uint8_t[]", 56)
    _x448(out, _bytes(scalar), _bytes(u))
    result: bytes = _buffer(out, 56)[:]
    return result


def ed25519_mul_base(scalar: bytes) -> bytes:
    """The encoding (RFC 8032 5.1.2) of [s]B for a 32-byte little-endian s (any value below
    2^256), constant time in s."""
    if len(scalar) != 32:
        raise ValueError("Ed25519: the scalar is 32 bytes (RFC 8032 5.1.5)")
    out = _new("uint8_t[]", 32)
    _mul_base(out, _bytes(scalar))
    result: bytes = _buffer(out, 32)[:]
    return result


def ed25519_mul_add_vartime(s: bytes, k: bytes, a: bytes) -> bytes | None:
    """The encoding of [s]B - [k]A, or None if *a* is not the canonical encoding of a point
    (RFC 8032 5.1.3, strict). Public inputs: variable time."""
    if len(s) != 32 or len(k) != 32:
        raise ValueError("Ed25519: the scalars are 32 bytes (RFC 8032 5.1.7)")
    if len(a) != 32:
        raise ValueError("Ed25519: a point encoding is 32 bytes (RFC 8032 5.1.2)")
    out = _new("uint8_t[]", 32)
    if not _mul_add(out, _bytes(s), _bytes(k), _bytes(a)):
        return None
    result: bytes = _buffer(out, 32)[:]
    return result


def ed25519_scalar_muladd(a: bytes, b: bytes, c: bytes) -> bytes:
    """(a * b + c) mod L as 32 bytes little-endian, for 32-byte a, b and a 64-byte c
    (RFC 8032 5.1.6 step 6), constant time in all three."""
    if len(a) != 32 or len(b) != 32 or len(c) != 64:
        raise ValueError("Ed25519: scalar_muladd takes 32-, 32- and 64-byte scalars")
    out = _new("uint8_t[]", 32)
    _muladd(out, _bytes(a), _bytes(b), _bytes(c))
    result: bytes = _buffer(out, 32)[:]
    return result
