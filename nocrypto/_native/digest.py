"""Hash compression functions, finalisation and HMAC, native backend: thin wrappers over
``digest.c``.

Same names and signatures as the twin ``nocrypto._ref.digest`` (the ``DigestKernel``
Protocol of ``nocrypto._backend``). Each compression call runs the C kernel over every block
given, in one C call, updating *state* (a ``bytearray``) in place; ``hash_finish`` pads and
runs the last compressions in one call, ``hash_message`` a whole hash, ``hmac`` a whole HMAC.
"""

from __future__ import annotations

import functools
from typing import Final

from nocrypto._native._nocrypto import ffi, lib

__all__ = [
    "hash_finish",
    "hash_message",
    "hmac",
    "md5_compress",
    "sha1_compress",
    "sha256_compress",
    "sha512_compress",
]

Buffer = bytes | bytearray | memoryview

# Bound once: these wrappers are on the path of every hash update.
_from_buffer = ffi.from_buffer
_U8 = ffi.typeof("uint8_t[]")
_md5 = lib.nocrypto_md5_compress
_sha1 = lib.nocrypto_sha1_compress
_sha256 = lib.nocrypto_sha256_compress
_sha512 = lib.nocrypto_sha512_compress
_new = ffi.new
_buffer = ffi.buffer
_finish = lib.nocrypto_hash_finish
_hash = lib.nocrypto_hash_message
_hmac = lib.nocrypto_hmac

#: hash name -> (digest.h id, digest size, state size, block size)
_HASHES: Final = {
    "md5": (0, 16, 16, 64),
    "sha1": (1, 20, 20, 64),
    "sha224": (2, 28, 32, 64),
    "sha256": (3, 32, 32, 64),
    "sha384": (4, 48, 64, 128),
    "sha512": (5, 64, 64, 128),
}
_M64: Final = (1 << 64) - 1
# Digest-sized output buffers by digest.h id, allocated without zeroing (the kernel writes
# every byte before it is read): ``_OUT[id]()`` is a fresh ``uint8_t[digest size]``.
_new_out = ffi.new_allocator(should_clear_after_alloc=False)
_OUT: Final = {
    hid: functools.partial(_new_out, ffi.typeof(f"uint8_t[{size}]"))
    for hid, size, _, _ in _HASHES.values()
}


def _blocks_error(name: str, size: int) -> ValueError:
    return ValueError(f"{name}: blocks must be a whole number of {size}-byte blocks")


def _state_error(name: str, state: object, size: int) -> Exception:
    if not isinstance(state, bytearray):
        return TypeError(f"{name}: state must be a bytearray, not {type(state).__name__}")
    return ValueError(f"{name}: state must be {size} bytes")


# cffi passes ``bytes`` to a ``const uint8_t *`` without a copy; other buffers go through
# ffi.from_buffer (whose length is in bytes whatever the memoryview's format). The state
# is updated in place, so it must be a bytearray (of exactly the state's size).


def md5_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the MD5 compression function (RFC 1321, 3.4) over 64-byte *blocks*."""
    data = blocks if type(blocks) is bytes else _from_buffer(_U8, blocks)
    n = len(data)
    if n & 63:
        raise _blocks_error("md5_compress", 64)
    if not isinstance(state, bytearray) or len(state) != 16:
        raise _state_error("md5_compress", state, 16)
    _md5(_from_buffer(_U8, state), data, n >> 6)


def sha1_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the SHA-1 compression function (FIPS 180-4, 6.1.2) over 64-byte *blocks*."""
    data = blocks if type(blocks) is bytes else _from_buffer(_U8, blocks)
    n = len(data)
    if n & 63:
        raise _blocks_error("sha1_compress", 64)
    if not isinstance(state, bytearray) or len(state) != 20:
        raise _state_error("sha1_compress", state, 20)
    _sha1(_from_buffer(_U8, state), data, n >> 6)


def sha256_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the SHA-256 compression function (FIPS 180-4, 6.2.2) over 64-byte *blocks*."""
    data = blocks if type(blocks) is bytes else _from_buffer(_U8, blocks)
    n = len(data)
    if n & 63:
        raise _blocks_error("sha256_compress", 64)
    if not isinstance(state, bytearray) or len(state) != 32:
        raise _state_error("sha256_compress", state, 32)
    _sha256(_from_buffer(_U8, state), data, n >> 6)


def sha512_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the SHA-512 compression function (FIPS 180-4, 6.4.2) over 128-byte *blocks*."""
    data = blocks if type(blocks) is bytes else _from_buffer(_U8, blocks)
    n = len(data)
    if n & 127:
        raise _blocks_error("sha512_compress", 128)
    if not isinstance(state, bytearray) or len(state) != 64:
        raise _state_error("sha512_compress", state, 64)
    _sha512(_from_buffer(_U8, state), data, n >> 7)


def _unknown(name: str, algorithm: str) -> ValueError:
    return ValueError(
        f"{name}: unknown hash {algorithm!r} (md5, sha1, sha224, sha256, sha384, sha512)"
    )


def hash_finish(algorithm: str, state: Buffer, tail: Buffer, length: int) -> bytes:
    """The digest of a *length*-byte message: *state* is the chaining value after its whole
    blocks (not modified), *tail* its last ``length % block_size`` bytes; pads with the
    low-order 64 bits of the bit length (128 for SHA-384 and SHA-512) and runs the last
    compressions (RFC 1321, 3.1-3.2; FIPS 180-4, 5.1)."""
    spec = _HASHES.get(algorithm)
    if spec is None:
        raise _unknown("hash_finish", algorithm)
    hid, size, state_size, block = spec
    st = state if type(state) is bytes else _from_buffer(_U8, state)
    data = tail if type(tail) is bytes else _from_buffer(_U8, tail)
    if len(st) != state_size:
        raise ValueError(f"hash_finish: a {algorithm} state must be {state_size} bytes")
    if type(length) is not int or length < 0 or length % block != len(data):
        raise ValueError(f"hash_finish: tail must be the last length % {block} bytes")
    bits = length << 3  # the kernel keeps the low-order 64 (MD5, SHA-1/224/256) or 128 bits
    out = _new(_U8, size)
    _finish(hid, out, size, st, data, len(data), (bits >> 64) & _M64, bits & _M64)
    return bytes(_buffer(out, size))


def hash_message(algorithm: str, message: Buffer) -> bytes:
    """The digest of *message* with the hash *algorithm*, in one call."""
    spec = _HASHES.get(algorithm)
    if spec is None:
        raise _unknown("hash_message", algorithm)
    size = spec[1]
    m = message if type(message) is bytes else _from_buffer(_U8, message)
    out = _new(_U8, size)
    _hash(spec[0], out, size, m, len(m))
    return bytes(_buffer(out, size))


def hmac(algorithm: str, key: Buffer, message: Buffer) -> bytes:
    """HMAC(key, message) over the hash *algorithm* (RFC 2104; FIPS 198-1), in one call."""
    spec = _HASHES.get(algorithm)
    if spec is None:
        raise _unknown("hmac", algorithm)
    hid, size = spec[0], spec[1]
    k = key if type(key) is bytes else _from_buffer(_U8, key)
    m = message if type(message) is bytes else _from_buffer(_U8, message)
    out = _OUT[hid]()  # written whole by the kernel: no zeroing
    _hmac(hid, out, size, k, len(k), m, len(m))
    return _buffer(out)[:]  # type: ignore[no-any-return]
