"""Multi-precision modular arithmetic, native backend: thin wrappers over ``mp.c``.

Same names and signatures as the twin ``nocrypto._ref.mp`` (the ``MpKernel`` Protocol of
``nocrypto._backend``). Python ints cross into C as little-endian byte strings of whole
64-bit limbs, as many limbs as the modulus has (its top limb is therefore non-zero, which
the C Montgomery setup relies on); the exponent as (exponent_bits + 7) // 8 bytes.
"""

from __future__ import annotations

from typing import Final

from nocrypto._native._nocrypto import ffi, lib

__all__ = ["MAX_EXPONENT_BITS", "MAX_LIMBS", "mod_exp", "mod_inverse", "mod_mul", "rsa_crt"]

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
_rsa_crt = lib.nocrypto_mp_rsa_crt


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


def _check_crt(n: int, e: int, p: int, q: int, dp: int, dq: int, qinv: int) -> None:
    """The preconditions of rsa_crt on the key (the same rules and words as the twin's)."""
    if not (3 <= p < n and 3 <= q < n and p & q & 1):
        raise ValueError("mp: p and q must be odd with 3 <= p, q < n")
    if not 1 <= e < n:
        raise ValueError("mp: e must satisfy 1 <= e < n")
    if not (0 <= dp < p and 0 <= dq < q and 0 <= qinv < p):
        raise ValueError("mp: dP, dQ and qInv must satisfy 0 <= dP < p, 0 <= dQ < q, 0 <= qInv < p")


def rsa_crt(
    c: int, blind: int, unblind: int, n: int, e: int, p: int, q: int, dp: int, dq: int, qinv: int
) -> tuple[int, int, int] | None:
    """The RSA private operation by the CRT, blinded and verified, in one C call: (m, blind^2,
    unblind^2) with m = (c * blind)^d * unblind mod n, or None if m^e = c * blind failed
    (``nocrypto._backend.MpKernel``). dP and dQ run over all 64 * limbs bits of p and q."""
    size = _size(n)
    x = _operand("c", c, n, size)
    a = _operand("blind", blind, n, size)
    ai = _operand("unblind", unblind, n, size)
    _check_crt(n, e, p, q, dp, dq, qinv)
    psize = ((p.bit_length() + 63) >> 6) << 3
    qsize = ((q.bit_length() + 63) >> 6) << 3
    e_bits = e.bit_length()
    out = _new("uint8_t[]", 3 * size)
    status = _rsa_crt(
        out,
        out + size,
        out + 2 * size,
        x,
        a,
        ai,
        n.to_bytes(size, "little"),
        size,
        e.to_bytes((e_bits + 7) >> 3, "little"),
        e_bits,
        p.to_bytes(psize, "little"),
        dp.to_bytes(psize, "little"),
        qinv.to_bytes(psize, "little"),
        psize,
        q.to_bytes(qsize, "little"),
        dq.to_bytes(qsize, "little"),
        qsize,
    )
    if status < 0:
        raise ValueError("mp: bad sizes")  # pragma: no cover - checked above
    if status:
        return None
    raw = _buffer(out, 3 * size)
    return (
        int.from_bytes(raw[:size], "little"),
        int.from_bytes(raw[size : 2 * size], "little"),
        int.from_bytes(raw[2 * size :], "little"),
    )
