"""Message digests: MD5 (RFC 1321) and SHA-1, SHA-224, SHA-256, SHA-384, SHA-512
(FIPS 180-4), with the interface of :mod:`hashlib`.

>>> from nocrypto import hashes
>>> hashes.sha256(b"abc").hexdigest()[:16]
'ba7816bf8f01cfea'
>>> h = hashes.new("SHA-256")
>>> h.update(b"a"); h.update(b"bc")
>>> h.digest() == hashes.sha256(b"abc").digest()
True

The compression functions are kernels (``nocrypto._backend.digest()``: C, with SHA-NI for
SHA-1 and SHA-256, or the pure-Python twins); this module buffers input into whole blocks
and sends every whole block of an ``update`` to the kernel in one call; the kernel's
``hash_finish`` pads the message (RFC 1321, 3.1-3.2; FIPS 180-4, 5.1) and runs the last
compressions in one call, and :func:`digest` hashes a whole message in one call. As with
:mod:`hashlib`, ``digest()`` does not finalise the object: it pads a copy of the state, so
``update`` may follow.

MD5 and SHA-1 are broken for collision resistance; they are here for TLS 1.0/1.1 (the PRF
and the handshake hashes) and HMAC, where that does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from nocrypto import _backend

__all__ = [
    "ALGORITHMS",
    "MD5",
    "PROPERTIES",
    "SHA1",
    "SHA224",
    "SHA256",
    "SHA384",
    "SHA512",
    "Hash",
    "HashAlgorithm",
    "digest",
    "md5",
    "new",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
]

Buffer = bytes | bytearray | memoryview


@dataclass(frozen=True, slots=True)
class HashAlgorithm:
    """The public properties of a hash function: its :mod:`hashlib` name, the length of
    its output and of its input block, in bytes."""

    name: str
    digest_size: int
    block_size: int


MD5: Final = HashAlgorithm("md5", 16, 64)
SHA1: Final = HashAlgorithm("sha1", 20, 64)
SHA224: Final = HashAlgorithm("sha224", 28, 64)
SHA256: Final = HashAlgorithm("sha256", 32, 64)
SHA384: Final = HashAlgorithm("sha384", 48, 128)
SHA512: Final = HashAlgorithm("sha512", 64, 128)

#: The properties of every supported hash, by its :mod:`hashlib` name.
PROPERTIES: Final[Mapping[str, HashAlgorithm]] = MappingProxyType(
    {a.name: a for a in (MD5, SHA1, SHA224, SHA256, SHA384, SHA512)}
)

#: The names :func:`new` accepts, as :mod:`hashlib` spells them.
ALGORITHMS: Final = frozenset(PROPERTIES)


_Compress = Callable[[bytearray, Buffer], None]


@dataclass(frozen=True, slots=True)
class _Spec:
    """How to run one hash: its kernel and initial value, and the bound on its input."""

    algorithm: HashAlgorithm
    compress: _Compress
    #: H(0), serialised as the kernel's state (FIPS 180-4, 5.3; RFC 1321, 3.3).
    initial: bytes
    #: FIPS 180-4, 1: a SHA message is shorter than 2^64 bits (2^128 for SHA-384 and
    #: SHA-512): the bound in bytes. None for MD5, which keeps "only the low-order 64 bits"
    #: of a longer message's length (RFC 1321, 3.2).
    max_length: int | None


_KERNEL = _backend.digest()

_SPECS: Final[Mapping[str, _Spec]] = {
    # RFC 1321, 3.3: "word A: 01 23 45 67 ... (low-order bytes first)".
    "md5": _Spec(
        MD5, _KERNEL.md5_compress, bytes.fromhex("0123456789abcdeffedcba9876543210"), None
    ),
    # FIPS 180-4, 5.3.1.
    "sha1": _Spec(
        SHA1,
        _KERNEL.sha1_compress,
        bytes.fromhex("67452301efcdab8998badcfe10325476c3d2e1f0"),
        1 << 61,
    ),
    # FIPS 180-4, 5.3.2.
    "sha224": _Spec(
        SHA224,
        _KERNEL.sha256_compress,
        bytes.fromhex("c1059ed8367cd5073070dd17f70e5939ffc00b316858151164f98fa7befa4fa4"),
        1 << 61,
    ),
    # FIPS 180-4, 5.3.3.
    "sha256": _Spec(
        SHA256,
        _KERNEL.sha256_compress,
        bytes.fromhex("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19"),
        1 << 61,
    ),
    # FIPS 180-4, 5.3.4.
    "sha384": _Spec(
        SHA384,
        _KERNEL.sha512_compress,
        bytes.fromhex(
            "cbbb9d5dc1059ed8629a292a367cd5079159015a3070dd17152fecd8f70e5939"
            "67332667ffc00b318eb44a8768581511db0c2e0d64f98fa747b5481dbefa4fa4"
        ),
        1 << 125,
    ),
    # FIPS 180-4, 5.3.5.
    "sha512": _Spec(
        SHA512,
        _KERNEL.sha512_compress,
        bytes.fromhex(
            "6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1"
            "510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179"
        ),
        1 << 125,
    ),
}

# Every spelling new() accepts, lower-cased: the hashlib names and "sha-1", "sha-256", ...
_ALIASES: Final[Mapping[str, str]] = {
    **{name: name for name in _SPECS},
    **{"sha-" + name[3:]: name for name in _SPECS if name.startswith("sha")},
}

_SUPPORTED: Final = ", ".join(sorted(_SPECS))

_finish = _KERNEL.hash_finish
_hash_message = _KERNEL.hash_message


def _canonical(name: str) -> str:
    """The hashlib name for *name*; ValueError listing the supported names otherwise."""
    if not isinstance(name, str):
        raise TypeError(f"hash name must be a str, not {type(name).__name__}")
    try:
        return _ALIASES[name.lower()]
    except KeyError:
        raise ValueError(
            f"unsupported hash {name!r}: supported are {_SUPPORTED} "
            f"(in any case, and sha-1, sha-224, sha-256, sha-384, sha-512)"
        ) from None


def _not_bytes(data: object) -> TypeError:
    if isinstance(data, str):
        return TypeError("strings must be encoded before hashing")
    return TypeError(f"object supporting the buffer API required, not {type(data).__name__}")


class Hash:
    """A hash computation in progress, as made by :func:`new` and the constructors
    (:func:`sha256`, ...).

    ``update`` feeds data; ``digest`` and ``hexdigest`` give the digest of everything fed
    so far without ending the computation; ``copy`` forks it.
    """

    __slots__ = (
        "_block_size",
        "_buffer",
        "_compress",
        "_length",
        "_spec",
        "_state",
    )

    _spec: _Spec
    _compress: _Compress
    _block_size: int
    _state: bytearray
    _buffer: bytes  # the start of a block not yet whole (fewer than block_size bytes)
    _length: int  # bytes fed so far

    def __init__(self, name: str, data: Buffer = b"") -> None:
        """Start hashing with the algorithm *name* (as for :func:`new`); feed *data*."""
        self._start(_SPECS[_canonical(name)])
        if data or type(data) is not bytes:  # b"" is a no-op; "" is still a TypeError
            self.update(data)

    def _start(self, spec: _Spec) -> None:
        self._spec = spec
        self._compress = spec.compress
        self._block_size = spec.algorithm.block_size
        self._state = bytearray(spec.initial)
        self._buffer = b""
        self._length = 0

    @property
    def name(self) -> str:
        """The :mod:`hashlib` name of the algorithm (``"sha256"``)."""
        return self._spec.algorithm.name

    @property
    def digest_size(self) -> int:
        """The length of the digest, in bytes."""
        return self._spec.algorithm.digest_size

    @property
    def block_size(self) -> int:
        """The length of the compression function's input block, in bytes."""
        return self._block_size

    def update(self, data: Buffer) -> None:
        """Feed *data*: any bytes-like object (``str`` raises TypeError)."""
        if type(data) is not bytes:
            try:
                data = memoryview(data).cast("B")
            except TypeError:
                raise _not_bytes(data) from None
        n = len(data)
        self._length += n
        size = self._block_size
        buffer = self._buffer
        if buffer:
            # Complete the pending block first (the buffer is short: copies are cheap).
            start = size - len(buffer)
            if n < start:
                self._buffer = buffer + data
                return
            self._compress(self._state, buffer + data[:start])
        else:
            start = 0
        # Every whole block of the rest in one kernel call; keep a copy of the tail.
        end = n - (n - start) % size
        if end > start:
            self._compress(
                self._state, data if start == 0 and end == n else memoryview(data)[start:end]
            )
        self._buffer = bytes(data[end:])

    def digest(self) -> bytes:
        """The digest of the data fed so far; the object stays usable."""
        spec = self._spec
        length = self._length
        limit = spec.max_length
        if limit is not None and length >= limit:
            raise OverflowError(f"{self.name}: message too long for the length field")
        # The padding (RFC 1321, 3.1-3.2; FIPS 180-4, 5.1.1-5.1.2) and the last compressions
        # run in one kernel call on a copy of the state; SHA-224 and SHA-384 keep the
        # leftmost 224 and 384 bits (FIPS 180-4, 6.3, 6.5). A message shorter than a block
        # is all in the buffer: hashed whole, from the initial value.
        if length < self._block_size:
            return _hash_message(spec.algorithm.name, self._buffer)
        return _finish(spec.algorithm.name, self._state, self._buffer, length)

    def hexdigest(self) -> str:
        """The digest as lower-case hexadecimal."""
        return self.digest().hex()

    def copy(self) -> Hash:
        """An independent copy of this computation."""
        clone = Hash.__new__(Hash)
        clone._spec = self._spec
        clone._compress = self._compress
        clone._block_size = self._block_size
        clone._state = bytearray(self._state)
        clone._buffer = self._buffer
        clone._length = self._length
        return clone

    def __repr__(self) -> str:
        return f"<nocrypto.hashes.Hash {self.name}>"


def _make(spec: _Spec, data: Buffer) -> Hash:
    """A Hash of *spec* fed *data*, without the name lookup of Hash(name)."""
    h = Hash.__new__(Hash)
    h._start(spec)
    if type(data) is bytes and len(data) < h._block_size:
        # The common short message is the pending block as it is (bytes: no copy needed).
        h._buffer = data
        h._length = len(data)
    elif data or type(data) is not bytes:  # b"" is a no-op; "" is still a TypeError
        h.update(data)
    return h


_MD5_SPEC = _SPECS["md5"]
_SHA1_SPEC = _SPECS["sha1"]
_SHA224_SPEC = _SPECS["sha224"]
_SHA256_SPEC = _SPECS["sha256"]
_SHA384_SPEC = _SPECS["sha384"]
_SHA512_SPEC = _SPECS["sha512"]


def new(name: str, data: Buffer = b"") -> Hash:
    """A new hash object for the algorithm *name*, fed *data*.

    *name* is a :mod:`hashlib` name (``md5``, ``sha1``, ``sha224``, ``sha256``,
    ``sha384``, ``sha512``) in any case, or its hyphenated form (``SHA-256``). Any other
    name raises ValueError.
    """
    return _make(_SPECS[_canonical(name)], data)


def digest(name: str, data: Buffer) -> bytes:
    """The digest of *data* with the algorithm *name* (as for :func:`new`): the value of
    ``new(name, data).digest()``, in one kernel call and without the object."""
    if type(data) is not bytes:
        try:
            data = memoryview(data).cast("B")
        except TypeError:
            raise _not_bytes(data) from None
    return _hash_message(_SPECS[_canonical(name)].algorithm.name, data)


def md5(data: Buffer = b"") -> Hash:
    """MD5 (RFC 1321). Broken for collisions: for legacy protocols and HMAC only."""
    return _make(_MD5_SPEC, data)


def sha1(data: Buffer = b"") -> Hash:
    """SHA-1 (FIPS 180-4, 6.1). Broken for collisions: for legacy protocols and HMAC only."""
    return _make(_SHA1_SPEC, data)


def sha224(data: Buffer = b"") -> Hash:
    """SHA-224 (FIPS 180-4, 6.3)."""
    return _make(_SHA224_SPEC, data)


def sha256(data: Buffer = b"") -> Hash:
    """SHA-256 (FIPS 180-4, 6.2)."""
    return _make(_SHA256_SPEC, data)


def sha384(data: Buffer = b"") -> Hash:
    """SHA-384 (FIPS 180-4, 6.5)."""
    return _make(_SHA384_SPEC, data)


def sha512(data: Buffer = b"") -> Hash:
    """SHA-512 (FIPS 180-4, 6.4)."""
    return _make(_SHA512_SPEC, data)
