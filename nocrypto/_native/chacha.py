"""ChaCha20, Poly1305 and ChaCha20-Poly1305 (RFC 8439), native backend: thin wrappers over
``chacha.c``.

Same names and signatures as the twin ``nocrypto._ref.chacha`` (the ``ChachaKernel``
Protocol of ``nocrypto._backend``). Lengths are checked here, cheaply; ``bytes`` go to C
without a copy, other buffers through ``ffi.from_buffer`` (also without a copy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from nocrypto._native._nocrypto import ffi, lib

if TYPE_CHECKING:
    from _cffi_backend import _CDataBase

__all__ = [
    "chacha20_poly1305_open",
    "chacha20_poly1305_seal",
    "chacha20_xor",
    "poly1305",
]

Buffer = bytes | bytearray | memoryview

#: The kernels write every output byte: no need to zero the buffers first. Outputs are
#: ``char[]`` (which C takes as ``uint8_t *``) because ``ffi.unpack`` turns those into
#: ``bytes`` fastest.
_new = ffi.new_allocator(should_clear_after_alloc=False)
#: ``ffi.unpack`` of a ``char[]`` gives ``bytes``.
_unpack = cast("Callable[[_CDataBase, int], bytes]", ffi.unpack)
_from_buffer = ffi.from_buffer
_xor = lib.nocrypto_chacha20_xor
_poly1305 = lib.nocrypto_poly1305
_seal = lib.nocrypto_chacha20_poly1305_seal
_open = lib.nocrypto_chacha20_poly1305_open

#: RFC 8439 §2.8: the message counter starts at 1 and must not wrap.
_MAX_AEAD_BYTES = (2**32 - 1) * 64
_TOO_LONG = "ChaCha20-Poly1305: at most (2**32 - 1) * 64 bytes of plaintext (RFC 8439 §2.8)"


def _check_key_nonce(key: bytes, nonce: bytes) -> None:
    if len(key) != 32:
        raise ValueError("ChaCha20: the key must be 32 bytes (RFC 8439 §2.3)")
    if len(nonce) != 12:
        raise ValueError("ChaCha20: the nonce must be 12 bytes (RFC 8439 §2.3)")


def chacha20_xor(key: bytes, counter: int, nonce: bytes, data: Buffer) -> bytes:
    """§2.4: *data* XOR the keystream from block *counter* on (wrapping modulo 2**32)."""
    _check_key_nonce(key, nonce)
    if not 0 <= counter <= 0xFFFFFFFF:
        raise ValueError("ChaCha20: the block counter is a 32-bit value (RFC 8439 §2.3)")
    src = data if type(data) is bytes else _from_buffer("uint8_t[]", data)
    n = len(src)
    out = _new("char[]", n)
    _xor(key, counter, nonce, src, out, n)
    return _unpack(out, n)


def poly1305(key: bytes, message: Buffer) -> bytes:
    """§2.5: the 16-byte tag of *message* under a one-time 32-byte key."""
    if len(key) != 32:
        raise ValueError("Poly1305: the one-time key must be 32 bytes (RFC 8439 §2.5)")
    src = message if type(message) is bytes else _from_buffer("uint8_t[]", message)
    out = _new("char[]", 16)
    _poly1305(out, key, src, len(src))
    return _unpack(out, 16)


def chacha20_poly1305_seal(key: bytes, nonce: bytes, aad: Buffer, plaintext: Buffer) -> bytes:
    """§2.8: ciphertext || 16-byte tag."""
    if len(key) != 32 or len(nonce) != 12:
        _check_key_nonce(key, nonce)
    a = aad if type(aad) is bytes else _from_buffer("uint8_t[]", aad)
    p = plaintext if type(plaintext) is bytes else _from_buffer("uint8_t[]", plaintext)
    n = len(p)
    if n > _MAX_AEAD_BYTES:
        raise ValueError(_TOO_LONG)
    out = _new("char[]", n + 16)
    _seal(key, nonce, a, len(a), p, n, out)
    return _unpack(out, n + 16)


def chacha20_poly1305_open(
    key: bytes, nonce: bytes, aad: Buffer, ciphertext: Buffer, tag: bytes
) -> bytes | None:
    """§2.8: the plaintext, or None on a bad tag (checked in constant time before any
    decryption; no plaintext is released)."""
    if len(key) != 32 or len(nonce) != 12:
        _check_key_nonce(key, nonce)
    if len(tag) != 16:
        raise ValueError("ChaCha20-Poly1305: the tag must be 16 bytes (RFC 8439 §2.8)")
    a = aad if type(aad) is bytes else _from_buffer("uint8_t[]", aad)
    c = ciphertext if type(ciphertext) is bytes else _from_buffer("uint8_t[]", ciphertext)
    n = len(c)
    if n > _MAX_AEAD_BYTES:
        raise ValueError(_TOO_LONG)
    out = _new("char[]", n)
    if not _open(key, nonce, a, len(a), c, n, tag, out):
        return None
    return _unpack(out, n)
