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

Short messages, the common case (the TLS PRF, RFC 6979 nonces, record MACs), cost one call
into the kernel (``nocrypto._backend.digest().hmac``), which runs both passes with their
padding: an :class:`HMAC` keeps its key and the message fed so far, up to
``ONE_SHOT_LIMIT`` bytes fed through ``update``, and :func:`digest` never builds an object.
Past that limit an :class:`HMAC` switches to streaming: the hash states after the one block
K XOR ipad (and K XOR opad) are computed once, so further ``update`` calls and
:meth:`HMAC.copy` cost no key processing and no copy of the message.

Compare MACs with :func:`compare_digest` (constant time), never with ``==``.
"""

from __future__ import annotations

from typing import Final, overload

from nocrypto import _backend, hashes
from nocrypto._compare import compare_digest

__all__ = ["HMAC", "ONE_SHOT_LIMIT", "compare_digest", "digest", "new"]

Buffer = bytes | bytearray | memoryview

#: The number of bytes an :class:`HMAC` accumulates (its constructor's message, plus what
#: ``update`` feeds) before it switches from one-shot MACs to streaming hashes: enough for
#: any TLS record (2^14 bytes of data and its header), small enough to bound the memory.
ONE_SHOT_LIMIT: Final = 1 << 15

# RFC 2104, 2: "ipad = the byte 0x36 repeated B times, opad = the byte 0x5C repeated B
# times". The XOR with the key is done on whole integers, with no table indexed by key
# bytes.
_IPAD = 0x36
_OPAD = 0x5C

_hmac = _backend.digest().hmac
_canonical = hashes._canonical
#: Lower-case hash names -> hashlib names (what ``_canonical`` looks up after lower()).
_LOWER_ALIASES: Final = hashes._ALIASES
_PROPERTIES = hashes.PROPERTIES


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


def _message_bytes(msg: object) -> bytes:
    """*msg* as ``bytes`` (a copy of a mutable buffer); TypeError as for hashes."""
    if type(msg) is bytes:
        return msg
    try:
        return memoryview(msg).tobytes()  # type: ignore[arg-type]
    except TypeError:
        raise hashes._not_bytes(msg) from None


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

    __slots__ = ("_inner", "_key", "_message", "_name", "_outer")

    _name: str  # the hashlib name of the hash
    _key: bytes  # as given (the kernel hashes a key longer than B)
    # One-shot mode: the message so far (bytes, or a bytearray once update appends to it).
    _message: bytes | bytearray
    # Streaming mode (past ONE_SHOT_LIMIT): the keyed inner and outer hashes; None before.
    _inner: hashes.Hash | None
    _outer: hashes.Hash | None

    def __init__(self, key: Buffer, msg: Buffer = b"", digestmod: str | None = None) -> None:
        """Key an HMAC with the hash *digestmod* (a name as for :func:`hashes.new`) and
        feed *msg*. *digestmod* is required, as for the standard library's ``hmac``."""
        if digestmod is None:
            raise TypeError("HMAC: missing required argument 'digestmod' (a hash name)")
        self._name = _canonical(digestmod)
        self._key = _key_bytes(key)
        self._message = _message_bytes(msg)
        self._inner = self._outer = None

    def _stream(self) -> hashes.Hash:
        """Switch to streaming: key the inner and outer hashes, feed the message so far to
        the inner one; return it."""
        name = self._name
        k = self._key
        inner = hashes.new(name)
        block_size = inner.block_size
        # RFC 2104, 2: "Applications that use keys longer than B bytes will first hash
        # the key using H and then use the resultant L byte string as the actual key to
        # HMAC." Then (1) "append zeros to the end of K to create a B byte string".
        if len(k) > block_size:
            k = hashes.new(name, k).digest()
        k = k.ljust(block_size, b"\x00")
        outer = inner.copy()
        # Steps (2)-(3): H(K XOR ipad, ...) starts with one whole block; likewise the outer
        # hash with K XOR opad (steps (5)-(6)).
        inner.update(_xor_pad(k, _IPAD))
        outer.update(_xor_pad(k, _OPAD))
        inner.update(self._message)
        self._message = b""
        self._inner = inner
        self._outer = outer
        return inner

    @property
    def name(self) -> str:
        """``"hmac-"`` and the hash's name: ``"hmac-sha256"``."""
        return "hmac-" + self._name

    @property
    def digest_size(self) -> int:
        """The length of the MAC (the hash's digest), in bytes."""
        return _PROPERTIES[self._name].digest_size

    @property
    def block_size(self) -> int:
        """The block size B of the hash, in bytes."""
        return _PROPERTIES[self._name].block_size

    def update(self, msg: Buffer) -> None:
        """Feed *msg*: any bytes-like object (``str`` raises TypeError)."""
        inner = self._inner
        if inner is None:
            data = _message_bytes(msg)
            message = self._message
            if len(message) + len(data) <= ONE_SHOT_LIMIT:
                if type(message) is bytes:  # the first update: appends are amortised O(1)
                    message = self._message = bytearray(message)
                message += data
                return
            inner = self._stream()
        inner.update(msg)

    def digest(self) -> bytes:
        """The MAC of the message fed so far; the object stays usable."""
        inner = self._inner
        if inner is None:
            return _hmac(self._name, self._key, self._message)
        # Steps (4)-(7): H(K XOR opad, H(K XOR ipad, text)).
        outer = self._outer.copy()  # type: ignore[union-attr]
        outer.update(inner.digest())
        return outer.digest()

    def hexdigest(self) -> str:
        """The MAC as lower-case hexadecimal."""
        return self.digest().hex()

    def copy(self) -> HMAC:
        """An independent copy of this computation (the key is not processed again)."""
        clone = HMAC.__new__(HMAC)
        clone._name = self._name
        clone._key = self._key
        message = self._message
        clone._message = message if type(message) is bytes else bytes(message)
        inner, outer = self._inner, self._outer
        clone._inner = None if inner is None else inner.copy()
        clone._outer = None if outer is None else outer.copy()
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
    standard library's ``hmac.digest``): one call into the kernel, whatever the length."""
    if type(key) is bytes and type(msg) is bytes and type(digest) is str:
        # The common case (record and data-message MACs): bytes in hand and a hashlib name
        # spelt in lower case, straight to the kernel; anything else takes the general path.
        name = _LOWER_ALIASES.get(digest)
        if name is not None:
            return _hmac(name, key, msg)
    return _hmac(_canonical(digest), _key_bytes(key), _message_bytes(msg))
