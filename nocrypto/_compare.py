"""Constant-time comparison of byte strings (the public ``compare_digest``)."""

from __future__ import annotations

from nocrypto import _backend

__all__ = ["compare_digest"]

# The kernel of the backend chosen at import (fixed for the life of the process).
_ct_equal = _backend.ct_equal


def _as_bytes(name: str, value: bytes | bytearray | memoryview) -> bytes:
    if isinstance(value, bytes):
        return value
    # str has no buffer interface, so it lands here too: text must be encoded
    # by the caller, as with hmac.compare_digest for non-ASCII text.
    if isinstance(value, str):
        raise TypeError(f"compare_digest: {name} must be bytes-like, not str")
    try:
        view = memoryview(value)
    except TypeError:
        raise TypeError(
            f"compare_digest: {name} must be bytes-like, not {type(value).__name__}"
        ) from None
    return view.tobytes()


def compare_digest(a: bytes | bytearray | memoryview, b: bytes | bytearray | memoryview) -> bool:
    """Return whether ``a == b`` without leaking where they differ.

    Use it to check MACs, tags and other secret-derived values.  ``a`` and ``b``
    may be ``bytes``, ``bytearray`` or ``memoryview`` (at run time any object
    with the buffer interface is accepted); anything else, ``str`` included,
    raises ``TypeError``.

    The running time depends only on the lengths.  **The length is not
    secret**: if ``len(a) != len(b)`` the result is ``False`` at once and the
    contents are not compared.  Compare values of a fixed, public length (a
    MAC of a known algorithm, a hash), as the TLS and OTR engines do.
    """
    if type(a) is bytes and type(b) is bytes:
        # The common case (a MAC just computed against one just parsed): no conversion.
        return len(a) == len(b) and _ct_equal(a, b)
    x = _as_bytes("a", a)
    y = _as_bytes("b", b)
    if len(x) != len(y):
        return False
    return _ct_equal(x, y)
