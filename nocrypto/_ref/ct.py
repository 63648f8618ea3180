"""Constant-time helpers, pure-Python twin of ``nocrypto/_native/ct.c``.

This is the specification of the C kernel, written as the same algorithm step
by step.  CPython itself gives no timing guarantee (integer operations on small
ints are not promised constant-time), so the Python backend keeps the
algorithm's shape - no early exit, no data-dependent branch - but the hard
guarantee comes only from the native backend.
"""

from __future__ import annotations

__all__ = ["ct_equal"]


def ct_equal(a: bytes, b: bytes) -> bool:
    """Return whether ``a == b``, without stopping at the first difference.

    Both arguments must have the same length (the length is public); a length
    mismatch raises ``ValueError``.
    """
    if len(a) != len(b):
        raise ValueError("ct_equal: arguments must have the same length")
    # Accumulate every difference: acc == 0 iff all bytes are equal.
    acc = 0
    for x, y in zip(a, b, strict=True):
        acc |= x ^ y
    # acc is in [0, 255]: acc - 1 is negative (so its bit 8 is set, in two's
    # complement) exactly when acc == 0, as in the C kernel's 32-bit wrap.
    return ((acc - 1) >> 8) & 1 == 1
