"""HMAC (RFC 2104; FIPS 198-1) over every hash of :mod:`nocrypto.hashes`, with the
interface of the standard library's :mod:`hmac`.

>>> from nocrypto import hmac
>>> mac = hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", "sha256")
>>> mac.hexdigest()[:16]
'f7bc83f430538424'
>>> hmac.compare_digest(mac.digest(), hmac.digest(b"key", b"The quick brown fox jumps "
...     b"over the lazy dog", "sha256"))
True

HMAC(K, text) = H(K XOR opad, H(K XOR ipad, text)) (RFC 2104, section 2), where K is the
key padded with zeros to the block size B of H, or first hashed if it is longer than B.
The hash state after the one block K XOR ipad (and K XOR opad) is computed once per key,
so :meth:`HMAC.copy` and every ``update`` cost no key processing.

Compare MACs with :func:`compare_digest` (constant time), never with ``==``.
"""

from __future__ import annotations

from typing import overload

from nocrypto import hashes
from nocrypto._compare import compare_digest

__all__ = ["HMAC", "compare_digest", "digest", "new"]

Buffer = bytes | bytearray | memoryview

# RFC 2104, 2: "ipad = the byte 0x36 repeated B times, opad = the byte 0x5C repeated B
# times". The XOR with the key is done on whole integers, with no table indexed by key
# bytes.
_IPAD = 0x36
_OPAD = 0x5C


def _key_bytes(key: object) -> bytes:
    """*key* as ``bytes``; TypeError unless it is bytes-like (``str`` included)."""
    if type(key) is bytes:
        return key
    if isinstance(key, str):
        raise TypeError("HMAC key must be bytes-like, not str (encode it first)")
    try:
        return memoryview(key).tobytes()  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"HMAC key must be bytes-like, not {type(key).__name__}") from None


def _xor_pad(key: bytes, pad: int) -> bytes:
    """*key* (exactly B bytes) XOR the byte *pad* repeated B times."""
    size = len(key)
    return (int.from_bytes(key, "big") ^ int.from_bytes(bytes([pad]) * size, "big")).to_bytes(
        size, "big"
    )


class HMAC:
    """An HMAC computation in progress, as made by :func:`new`.

    ``update`` feeds the message; ``digest`` and ``hexdigest`` give the MAC of everything
    fed so far without ending the computation; ``copy`` forks it.
    """

    __slots__ = ("_inner", "_outer")

    _inner: hashes.Hash
    _outer: hashes.Hash

    def __init__(self, key: Buffer, msg: Buffer = b"", digestmod: str | None = None) -> None:
        """Key an HMAC with the hash *digestmod* (a name as for :func:`hashes.new`) and
        feed *msg*. *digestmod* is required, as for the standard library's ``hmac``."""
        if digestmod is None:
            raise TypeError("HMAC: missing required argument 'digestmod' (a hash name)")
        k = _key_bytes(key)
        inner = hashes.new(digestmod)
        block_size = inner.block_size
        # RFC 2104, 2: "Applications that use keys longer than B bytes will first hash
        # the key using H and then use the resultant L byte string as the actual key to
        # HMAC." Then (1) "append zeros to the end of K to create a B byte string".
        if len(k) > block_size:
            k = hashes.new(digestmod, k).digest()
        k = k.ljust(block_size, b"\x00")
        outer = inner.copy()
        # Steps (2)-(3): H(K XOR ipad, ...) starts with one whole block; likewise the outer
        # hash with K XOR opad (steps (5)-(6)).
        inner.update(_xor_pad(k, _IPAD))
        outer.update(_xor_pad(k, _OPAD))
        self._inner = inner
        self._outer = outer
        if msg or type(msg) is not bytes:  # b"" is a no-op; "" is still a TypeError
            self.update(msg)

    @property
    def name(self) -> str:
        """``"hmac-"`` and the hash's name: ``"hmac-sha256"``."""
        return "hmac-" + self._inner.name

    @property
    def digest_size(self) -> int:
        """The length of the MAC (the hash's digest), in bytes."""
        return self._inner.digest_size

    @property
    def block_size(self) -> int:
        """The block size B of the hash, in bytes."""
        return self._inner.block_size

    def update(self, msg: Buffer) -> None:
        """Feed *msg*: any bytes-like object (``str`` raises TypeError)."""
        self._inner.update(msg)

    def digest(self) -> bytes:
        """The MAC of the message fed so far; the object stays usable."""
        # Steps (4)-(7): H(K XOR opad, H(K XOR ipad, text)).
        outer = self._outer.copy()
        outer.update(self._inner.digest())
        return outer.digest()

    def hexdigest(self) -> str:
        """The MAC as lower-case hexadecimal."""
        return self.digest().hex()

    def copy(self) -> HMAC:
        """An independent copy of this computation (the key is not processed again)."""
        clone = HMAC.__new__(HMAC)
        clone._inner = self._inner.copy()
        clone._outer = self._outer.copy()
        return clone

    def __repr__(self) -> str:
        return f"<nocrypto.hmac.HMAC {self.name}>"


@overload
def new(key: Buffer, msg: Buffer, digestmod: str) -> HMAC: ...
@overload
def new(key: Buffer, msg: Buffer = ..., *, digestmod: str) -> HMAC: ...
def new(key: Buffer, msg: Buffer = b"", digestmod: str | None = None) -> HMAC:
    """A new HMAC keyed with *key* over the hash *digestmod*, fed *msg*.

    *digestmod* is required (as the third positional argument or by keyword): a hash name
    as :func:`nocrypto.hashes.new` takes (``"sha256"``, ``"SHA-256"``, ...). *key* and
    *msg* are bytes-like; ``str`` raises TypeError.
    """
    return HMAC(key, msg, digestmod)


def digest(key: Buffer, msg: Buffer, digest: str) -> bytes:
    """The HMAC of *msg* under *key* with the hash *digest* (a name), in one call (as the
    standard library's ``hmac.digest``)."""
    return HMAC(key, msg, digest).digest()
