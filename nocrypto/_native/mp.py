"""Multi-precision modular arithmetic, native backend: thin wrappers over ``mp.c``.

Same names and signatures as the twin ``nocrypto._ref.mp`` (the ``MpKernel`` Protocol of
``nocrypto._backend``). Python ints cross into C as little-endian byte strings of whole
64-bit limbs, as many limbs as the modulus has (its top limb is therefore non-zero, which
the C Montgomery setup relies on); the exponent as (exponent_bits + 7) // 8 bytes.
"""

from __future__ import annotations

from typing import Final

from nocrypto._native._nocrypto import ffi, lib

__all__ = ["MAX_EXPONENT_BITS", "MAX_LIMBS", "mod_exp", "mod_inverse", "mod_mul"]

#: 8192-bit moduli at most (nocrypto._backend.MAX_MODULUS_BITS), as in mp.h.
MAX_LIMBS: Final = 128
#: The largest public exponent length mod_exp takes, as in mp.h.
MAX_EXPONENT_BITS: Final = 65536

# Bound once: these wrappers are on the path of every RSA and DH operation.
_new = ffi.new
_buffer = ffi.buffer
_mod_exp = lib.nocrypto_mp_mod_exp
_mod_mul = lib.nocrypto_mp_mod_mul
_mod_inverse = lib.nocrypto_mp_mod_inverse


def _size(modulus: int) -> int:
    """Validate the modulus (odd, 3 <= n < 2**8192); return its size in bytes (whole limbs)."""
    if modulus < 3 or not modulus & 1:
        raise ValueError("mp: the modulus must be odd and at least 3")
    limbs = (modulus.bit_length() + 63) >> 6
    if limbs > MAX_LIMBS:
        raise ValueError("mp: the modulus must be below 2**8192")
    return limbs << 3


def _operand(name: str, value: int, modulus: int, size: int) -> bytes:
    if not 0 <= value < modulus:
        raise ValueError(f"mp: {name} must be reduced, 0 <= {name} < modulus")
    return value.to_bytes(size, "little")


def mod_exp(base: int, exponent: int, modulus: int, exponent_bits: int) -> int:
    """base^exponent mod modulus, for 0 <= exponent < 2**exponent_bits (the public bound
    that fixes the loop); constant time in base, exponent and modulus for a given size."""
    size = _size(modulus)
    b = _operand("base", base, modulus, size)
    if not 0 <= exponent_bits <= MAX_EXPONENT_BITS:
        raise ValueError("mp: exponent_bits must be in 0..65536")
    if not 0 <= exponent < 1 << exponent_bits:
        raise ValueError("mp: the exponent must satisfy 0 <= exponent < 2**exponent_bits")
    e = exponent.to_bytes((exponent_bits + 7) >> 3, "little")
    out = _new("uint8_t[]", size)
    if _mod_exp(out, b, e, exponent_bits, modulus.to_bytes(size, "little"), size) != 0:
        raise ValueError("mp: bad sizes")  # pragma: no cover - checked above
    return int.from_bytes(_buffer(out, size), "little")


def mod_mul(a: int, b: int, modulus: int) -> int:
    """a * b mod modulus (Montgomery products), constant time for a given size."""
    size = _size(modulus)
    x = _operand("a", a, modulus, size)
    y = _operand("b", b, modulus, size)
    out = _new("uint8_t[]", size)
    if _mod_mul(out, x, y, modulus.to_bytes(size, "little"), size) != 0:
        raise ValueError("mp: bad sizes")  # pragma: no cover - checked above
    return int.from_bytes(_buffer(out, size), "little")


def mod_inverse(a: int, modulus: int) -> int:
    """a^-1 mod modulus (odd), or 0 when gcd(a, modulus) != 1, in constant time."""
    size = _size(modulus)
    x = _operand("a", a, modulus, size)
    out = _new("uint8_t[]", size)
    if _mod_inverse(out, x, modulus.to_bytes(size, "little"), size) != 0:
        raise ValueError("mp: bad sizes")  # pragma: no cover - checked above
    return int.from_bytes(_buffer(out, size), "little")
