"""GHASH and AES-GCM (NIST SP 800-38D), native backend: thin wrappers over ``gcm.c``.

Same names and signatures as the twin ``nocrypto._ref.gcm`` (the ``GcmKernel`` Protocol of
``nocrypto._backend``). The GHASH key is an opaque ``bytes`` of ``GHASH_KEY_BYTES`` made by
``ghash_key``; the AES key schedule comes from ``nocrypto._native.aes.aes_expand_key``.
Lengths are checked here, cheaply; ``bytes`` go to C without a copy, other buffers through
``ffi.from_buffer`` (also without a copy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from nocrypto._native._nocrypto import ffi, lib

if TYPE_CHECKING:
    from _cffi_backend import _CDataBase

__all__ = ["GHASH_KEY_BYTES", "aes_gcm_open", "aes_gcm_seal", "ghash", "ghash_key"]

Buffer = bytes | bytearray | memoryview

#: The size of a GHASH key made by ``ghash_key``.
GHASH_KEY_BYTES: int = lib.NOCRYPTO_GHASH_KEY_BYTES
_SCHEDULE_BYTES: int = lib.NOCRYPTO_AES_SCHEDULE_BYTES

#: The kernels write every output byte: no need to zero the buffers first. Outputs are
#: ``char[]`` (which C takes as ``uint8_t *``) because ``ffi.unpack`` turns those into
#: ``bytes`` fastest.
_new = ffi.new_allocator(should_clear_after_alloc=False)
#: ``ffi.unpack`` of a ``char[]`` gives ``bytes``.
_unpack = cast("Callable[[_CDataBase, int], bytes]", ffi.unpack)
_from_buffer = ffi.from_buffer
_ghash_key = lib.nocrypto_ghash_key
_ghash = lib.nocrypto_ghash
_seal = lib.nocrypto_aes_gcm_seal
_open = lib.nocrypto_aes_gcm_open


def _check(schedule: bytes, hkey: bytes, j0: bytes) -> None:
    if len(schedule) != _SCHEDULE_BYTES:
        raise ValueError("AES-GCM: schedule must be a key schedule made by aes_expand_key")
    if len(hkey) != GHASH_KEY_BYTES:
        raise ValueError("AES-GCM: hkey must be a GHASH key made by ghash_key")
    if len(j0) != 16:
        raise ValueError("AES-GCM: the pre-counter block J0 must be 16 bytes (SP 800-38D §7.1)")


def ghash_key(h: bytes) -> bytes:
    """The opaque GHASH key (powers of H) for the hash subkey H = E(K, 0^128)."""
    if len(h) != 16:
        raise ValueError("GHASH: the hash subkey H must be 16 bytes (SP 800-38D §6.4)")
    out = _new("char[]", GHASH_KEY_BYTES)
    _ghash_key(out, bytes(h))
    return _unpack(out, GHASH_KEY_BYTES)


def ghash(hkey: bytes, y: bytes, data: Buffer) -> bytes:
    """§6.4: GHASH continued from the 16-byte block *y* over *data* (whole blocks)."""
    if len(hkey) != GHASH_KEY_BYTES:
        raise ValueError("ghash: hkey must be a GHASH key made by ghash_key")
    if len(y) != 16:
        raise ValueError("ghash: y must be 16 bytes")
    src = data if type(data) is bytes else _from_buffer("uint8_t[]", data)
    n = len(src)
    if n % 16:
        raise ValueError("ghash: data must be a whole number of 16-byte blocks (SP 800-38D §6.4)")
    out = _new("char[]", 16)
    out[0:16] = y
    _ghash(hkey, out, src, n // 16)
    return _unpack(out, 16)


def aes_gcm_seal(schedule: bytes, hkey: bytes, j0: bytes, aad: Buffer, plaintext: Buffer) -> bytes:
    """§7.1 from step 3 on: ciphertext || 16-byte tag for the pre-counter block *j0*."""
    if len(schedule) != _SCHEDULE_BYTES or len(hkey) != GHASH_KEY_BYTES or len(j0) != 16:
        _check(schedule, hkey, j0)
    a = aad if type(aad) is bytes else _from_buffer("uint8_t[]", aad)
    p = plaintext if type(plaintext) is bytes else _from_buffer("uint8_t[]", plaintext)
    n = len(p)
    out = _new("char[]", n + 16)
    _seal(schedule, hkey, j0, a, len(a), p, n, out)
    return _unpack(out, n + 16)


def aes_gcm_open(
    schedule: bytes, hkey: bytes, j0: bytes, aad: Buffer, ciphertext: Buffer, tag: bytes
) -> bytes | None:
    """§7.2 from step 3 on: the plaintext, or None if the first len(tag) bytes of the tag do
    not match (checked in constant time before any decryption; no plaintext released)."""
    if len(schedule) != _SCHEDULE_BYTES or len(hkey) != GHASH_KEY_BYTES or len(j0) != 16:
        _check(schedule, hkey, j0)
    t = len(tag)
    if not 1 <= t <= 16:
        raise ValueError("AES-GCM: the tag is 1 to 16 bytes (SP 800-38D §5.2.1.2)")
    a = aad if type(aad) is bytes else _from_buffer("uint8_t[]", aad)
    c = ciphertext if type(ciphertext) is bytes else _from_buffer("uint8_t[]", ciphertext)
    n = len(c)
    out = _new("char[]", n)
    if not _open(schedule, hkey, j0, a, len(a), c, n, tag, t, out):
        return None
    return _unpack(out, n)
