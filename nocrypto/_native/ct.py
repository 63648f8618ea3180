"""Constant-time helpers, native backend: thin wrappers over ``ct.c``.

Same names and signatures as the twin ``nocrypto._ref.ct``.
"""

from __future__ import annotations

from nocrypto._native._nocrypto import ffi, lib

__all__ = ["ct_equal"]


def ct_equal(a: bytes, b: bytes) -> bool:
    """Return whether ``a == b``, in time that depends only on their length.

    Both arguments must have the same length (the length is public); a length
    mismatch raises ``ValueError``.
    """
    n = len(a)
    if len(b) != n:
        raise ValueError("ct_equal: arguments must have the same length")
    return (
        lib.nocrypto_ct_equal(ffi.from_buffer("uint8_t[]", a), ffi.from_buffer("uint8_t[]", b), n)
        == 1
    )
