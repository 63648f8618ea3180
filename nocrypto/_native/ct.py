"""Constant-time helpers, native backend: thin wrappers over ``ct.c``.

Same names and signatures as the twin ``nocrypto._ref.ct``.
"""

from __future__ import annotations

from nocrypto._native._nocrypto import ffi, lib

__all__ = ["ct_equal"]

_equal = lib.nocrypto_ct_equal
_from_buffer = ffi.from_buffer
_U8 = ffi.typeof("uint8_t[]")


def ct_equal(a: bytes, b: bytes) -> bool:
    """Return whether ``a == b``, in time that depends only on their length.

    Both arguments must have the same length (the length is public); a length
    mismatch raises ``ValueError``.
    """
    n = len(a)
    if len(b) != n:
        raise ValueError("ct_equal: arguments must have the same length")
    # cffi passes ``bytes`` to a ``const uint8_t *`` without a copy; other buffers need a view.
    return (
        _equal(
            a if type(a) is bytes else _from_buffer(_U8, a),
            b if type(b) is bytes else _from_buffer(_U8, b),
            n,
        )
        == 1
    )
