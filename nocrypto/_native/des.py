"""TDEA / 3DES-EDE (SP 800-67) with ECB and CBC, native backend: thin wrappers over
``des.c``.

Same names and signatures as the twin ``nocrypto._ref.des`` (the ``DesKernel`` Protocol of
``nocrypto._backend``). The key schedule is an opaque ``bytes`` of
``NOCRYPTO_DES3_SCHEDULE_BYTES`` made by ``des3_expand_key``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nocrypto._native._nocrypto import ffi, lib

if TYPE_CHECKING:
    from _cffi_backend import _CDataBase

__all__ = [
    "SCHEDULE_BYTES",
    "des3_cbc_decrypt",
    "des3_cbc_encrypt",
    "des3_ecb_decrypt",
    "des3_ecb_encrypt",
    "des3_expand_key",
]

Buffer = bytes | bytearray | memoryview

#: The size of a key schedule made by ``des3_expand_key``.
SCHEDULE_BYTES: int = lib.NOCRYPTO_DES3_SCHEDULE_BYTES

_new = ffi.new
# Output buffers are written whole by the kernel before they are read: skip the zeroing.
_new_out = ffi.new_allocator(should_clear_after_alloc=False)
_buffer = ffi.buffer
_from_buffer = ffi.from_buffer
_expand = lib.nocrypto_des3_expand_key
_ecb_encrypt = lib.nocrypto_des3_ecb_encrypt
_ecb_decrypt = lib.nocrypto_des3_ecb_decrypt
_cbc_encrypt = lib.nocrypto_des3_cbc_encrypt
_cbc_decrypt = lib.nocrypto_des3_cbc_decrypt


def _bytes(out: _CDataBase, n: int) -> bytes:
    """A copy of the first *n* bytes of the C buffer *out*."""
    data: bytes = _buffer(out, n)[:]
    return data


def _check_schedule(name: str, schedule: bytes) -> None:
    if type(schedule) is not bytes or len(schedule) != SCHEDULE_BYTES:
        raise ValueError(f"{name}: schedule must be a key schedule made by des3_expand_key")


def _blocks(name: str, data: Buffer) -> tuple[_CDataBase | bytes, int]:
    """The C view of *data* and its length; ValueError unless whole 8-byte blocks."""
    if type(data) is bytes:
        view: _CDataBase | bytes = data  # cffi passes bytes to ``const uint8_t *`` without a copy
        n = len(data)
    else:
        buf = _from_buffer("uint8_t[]", data)
        view, n = buf, len(buf)
    if n & 7:
        raise ValueError(f"{name}: data must be a whole number of 8-byte blocks")
    return view, n


def des3_expand_key(key: bytes) -> bytes:
    """Expand a 24-byte key K1 || K2 || K3 (SP 800-67 3.2) into an opaque schedule."""
    if len(key) != 24:
        raise ValueError("3DES key must be 24 bytes (K1 || K2 || K3)")
    out = _new("uint8_t[]", SCHEDULE_BYTES)
    _expand(out, key if type(key) is bytes else _from_buffer("uint8_t[]", key), 24)
    return _bytes(out, SCHEDULE_BYTES)


def des3_ecb_encrypt(schedule: bytes, data: Buffer) -> bytes:
    """TECB encryption of whole 8-byte blocks: C = E_K3(D_K2(E_K1(P))) per block."""
    _check_schedule("des3_ecb_encrypt", schedule)
    view, n = _blocks("des3_ecb_encrypt", data)
    out = _new_out("uint8_t[]", n)
    _ecb_encrypt(schedule, view, out, n >> 3)
    return _bytes(out, n)


def des3_ecb_decrypt(schedule: bytes, data: Buffer) -> bytes:
    """TECB decryption of whole 8-byte blocks: P = D_K1(E_K2(D_K3(C))) per block."""
    _check_schedule("des3_ecb_decrypt", schedule)
    view, n = _blocks("des3_ecb_decrypt", data)
    out = _new_out("uint8_t[]", n)
    _ecb_decrypt(schedule, view, out, n >> 3)
    return _bytes(out, n)


def _iv_and_out(name: str, iv: bytes, n: int) -> tuple[_CDataBase, _CDataBase]:
    """A C copy of the chaining value (updated by C) and an output buffer of *n* bytes."""
    if len(iv) != 8:
        raise ValueError(f"{name}: iv must be 8 bytes")
    return _new("uint8_t[8]", iv if type(iv) is bytes else bytes(iv)), _new_out("uint8_t[]", n)


def des3_cbc_encrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """TCBC encryption (SP 800-38A 6.2) of whole 8-byte blocks."""
    _check_schedule("des3_cbc_encrypt", schedule)
    view, n = _blocks("des3_cbc_encrypt", data)
    chain, out = _iv_and_out("des3_cbc_encrypt", iv, n)
    _cbc_encrypt(schedule, chain, view, out, n >> 3)
    return _bytes(out, n)


def des3_cbc_decrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """TCBC decryption (SP 800-38A 6.2) of whole 8-byte blocks."""
    _check_schedule("des3_cbc_decrypt", schedule)
    view, n = _blocks("des3_cbc_decrypt", data)
    chain, out = _iv_and_out("des3_cbc_decrypt", iv, n)
    _cbc_decrypt(schedule, chain, view, out, n >> 3)
    return _bytes(out, n)
