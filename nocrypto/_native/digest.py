"""Hash compression functions, native backend: thin wrappers over ``digest.c``.

Same names and signatures as the twin ``nocrypto._ref.digest`` (the ``DigestKernel``
Protocol of ``nocrypto._backend``). Each call runs the C kernel over every block given, in
one C call, updating *state* (a ``bytearray``) in place.
"""

from __future__ import annotations

from nocrypto._native._nocrypto import ffi, lib

__all__ = ["md5_compress", "sha1_compress", "sha256_compress", "sha512_compress"]

Buffer = bytes | bytearray | memoryview

# Bound once: these wrappers are on the path of every hash update.
_from_buffer = ffi.from_buffer
_U8 = ffi.typeof("uint8_t[]")
_md5 = lib.nocrypto_md5_compress
_sha1 = lib.nocrypto_sha1_compress
_sha256 = lib.nocrypto_sha256_compress
_sha512 = lib.nocrypto_sha512_compress


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
