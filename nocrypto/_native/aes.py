"""AES (FIPS 197) with ECB, CBC and CTR (SP 800-38A), native backend: thin wrappers over
``aes.c``.

Same names and signatures as the twin ``nocrypto._ref.aes`` (the ``AesKernel`` Protocol of
``nocrypto._backend``). The key schedule is an opaque ``bytes`` of
``NOCRYPTO_AES_SCHEDULE_BYTES`` made by ``aes_expand_key``; it records whether AES-NI or the
portable bitsliced C made it, and every call follows that record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from nocrypto._native._nocrypto import ffi, lib

if TYPE_CHECKING:
    from _cffi_backend import _CDataBase

__all__ = [
    "SCHEDULE_BYTES",
    "aes_cbc_decrypt",
    "aes_cbc_encrypt",
    "aes_ctr",
    "aes_ecb_decrypt",
    "aes_ecb_encrypt",
    "aes_expand_key",
    "uses_aesni",
]

Buffer = bytes | bytearray | memoryview

#: The size of a key schedule made by ``aes_expand_key``.
SCHEDULE_BYTES: int = lib.NOCRYPTO_AES_SCHEDULE_BYTES

_new = ffi.new
_U8: Final = ffi.typeof("uint8_t[]")
_BLOCK: Final = ffi.typeof("uint8_t[16]")
# Output buffers are written whole by the kernel before they are read: skip the zeroing.
_new_out = ffi.new_allocator(should_clear_after_alloc=False)
_buffer = ffi.buffer
_from_buffer = ffi.from_buffer
_expand = lib.nocrypto_aes_expand_key
_ecb_encrypt = lib.nocrypto_aes_ecb_encrypt
_ecb_decrypt = lib.nocrypto_aes_ecb_decrypt
_cbc_encrypt = lib.nocrypto_aes_cbc_encrypt
_cbc_decrypt = lib.nocrypto_aes_cbc_decrypt
_ctr = lib.nocrypto_aes_ctr
_ni_round_keys = lib.nocrypto_aes_ni_round_keys
_NULL = ffi.NULL


def _bytes(out: _CDataBase, n: int) -> bytes:
    """A copy of the first *n* bytes of the C buffer *out*."""
    data: bytes = _buffer(out, n)[:]
    return data


def _check_schedule(name: str, schedule: bytes) -> None:
    if type(schedule) is not bytes or len(schedule) != SCHEDULE_BYTES:
        raise ValueError(f"{name}: schedule must be a key schedule made by aes_expand_key")


def _data(name: str, data: Buffer) -> tuple[_CDataBase | bytes, int]:
    """The C view of *data* and its length in bytes."""
    if type(data) is bytes:
        return data, len(data)  # cffi passes bytes to ``const uint8_t *`` without a copy
    view = _from_buffer("uint8_t[]", data)
    return view, len(view)


def _blocks(name: str, data: Buffer) -> tuple[_CDataBase | bytes, int]:
    view, n = _data(name, data)
    if n & 15:
        raise ValueError(f"{name}: data must be a whole number of 16-byte blocks")
    return view, n


def aes_expand_key(key: bytes) -> bytes:
    """Expand a 16-, 24- or 32-byte AES key (FIPS 197, 5.2) into an opaque schedule."""
    n = len(key)
    if n != 16 and n != 24 and n != 32:
        raise ValueError("AES key must be 16, 24 or 32 bytes")
    out = _new("uint8_t[]", SCHEDULE_BYTES)
    _expand(out, key if type(key) is bytes else _from_buffer("uint8_t[]", key), n)
    return _bytes(out, SCHEDULE_BYTES)


def aes_ecb_encrypt(schedule: bytes, data: Buffer) -> bytes:
    """Encrypt whole 16-byte blocks independently (SP 800-38A, 6.1)."""
    _check_schedule("aes_ecb_encrypt", schedule)
    view, n = _blocks("aes_ecb_encrypt", data)
    out = _new_out("uint8_t[]", n)
    _ecb_encrypt(schedule, view, out, n >> 4)
    return _bytes(out, n)


def aes_ecb_decrypt(schedule: bytes, data: Buffer) -> bytes:
    """Decrypt whole 16-byte blocks independently (SP 800-38A, 6.1)."""
    _check_schedule("aes_ecb_decrypt", schedule)
    view, n = _blocks("aes_ecb_decrypt", data)
    out = _new_out("uint8_t[]", n)
    _ecb_decrypt(schedule, view, out, n >> 4)
    return _bytes(out, n)


def _iv_and_out(name: str, iv: bytes, n: int) -> tuple[_CDataBase, _CDataBase]:
    """A C copy of the chaining value (updated by C) and an output buffer of *n* bytes."""
    if len(iv) != 16:
        raise ValueError(f"{name}: iv must be 16 bytes")
    return _new("uint8_t[16]", iv if type(iv) is bytes else bytes(iv)), _new_out("uint8_t[]", n)


def aes_cbc_encrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """CBC encryption (SP 800-38A, 6.2) of whole 16-byte blocks."""
    _check_schedule("aes_cbc_encrypt", schedule)
    view, n = _blocks("aes_cbc_encrypt", data)
    chain, out = _iv_and_out("aes_cbc_encrypt", iv, n)
    _cbc_encrypt(schedule, chain, view, out, n >> 4)
    return _bytes(out, n)


def aes_cbc_decrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """CBC decryption (SP 800-38A, 6.2) of whole 16-byte blocks."""
    _check_schedule("aes_cbc_decrypt", schedule)
    view, n = _blocks("aes_cbc_decrypt", data)
    chain, out = _iv_and_out("aes_cbc_decrypt", iv, n)
    _cbc_decrypt(schedule, chain, view, out, n >> 4)
    return _bytes(out, n)


def aes_ctr(schedule: bytes, counter_block: bytes, data: Buffer, counter_bytes: int) -> bytes:
    """CTR mode (SP 800-38A, 6.5): XOR *data* (any length) with E(K, T1) || E(K, T2) || ...,
    where T1 = *counter_block* and the last *counter_bytes* (1..16) bytes are a big-endian
    counter incremented per block modulo 2**(8 * counter_bytes)."""
    if (
        type(schedule) is bytes
        and len(schedule) == SCHEDULE_BYTES
        and type(counter_block) is bytes
        and len(counter_block) == 16
        and type(data) is bytes
        and 1 <= counter_bytes <= 16
    ):
        # The fast path of every CTR, GCM and CCM message: all checks passed in one test,
        # no helper calls, the C counter and output made straight from the bytes.
        n = len(data)
        out = _new_out(_U8, n)
        _ctr(schedule, _new(_BLOCK, counter_block), counter_bytes, data, out, n)
        return _buffer(out, n)[:]  # type: ignore[no-any-return]
    _check_schedule("aes_ctr", schedule)
    if len(counter_block) != 16:
        raise ValueError("aes_ctr: counter block must be 16 bytes")
    if not 1 <= counter_bytes <= 16:
        raise ValueError("aes_ctr: counter_bytes must be in 1..16")
    view, n = _data("aes_ctr", data)
    counter, out = _iv_and_out("aes_ctr", counter_block, n)
    _ctr(schedule, counter, counter_bytes, view, out, n)
    return _bytes(out, n)


def uses_aesni(schedule: bytes) -> bool:
    """Whether *schedule* was made for (and is run by) AES-NI; for tests and benchmarks."""
    _check_schedule("uses_aesni", schedule)
    return bool(_ni_round_keys(schedule, _NULL) != _NULL)
