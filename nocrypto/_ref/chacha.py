"""ChaCha20, Poly1305 and the AEAD ChaCha20-Poly1305 (RFC 8439), pure-Python twin of
``nocrypto/_native/chacha.c``.

This is the executable specification of the C kernel, written step by step after the RFC:
the quarter round (§2.1), the block function (§2.3), the encryption (§2.4), Poly1305
(§2.5), the Poly1305 key generation (§2.6) and the AEAD construction (§2.8). It keeps the
algorithm's shape (no branch on secret data), but CPython gives no timing guarantee: the
hard constant-time promise comes from the native backend.
"""

from __future__ import annotations

import struct

from nocrypto._ref.ct import ct_equal

__all__ = [
    "chacha20_block",
    "chacha20_poly1305_open",
    "chacha20_poly1305_seal",
    "chacha20_xor",
    "poly1305",
]

Buffer = bytes | bytearray | memoryview

_MASK32 = 0xFFFFFFFF

#: §2.3: the four constant words, "expand 32-byte k" read as little-endian words.
_CONSTANTS = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)

#: §2.5.2: the Poly1305 prime.
_P1305 = (1 << 130) - 5

_WORDS16 = struct.Struct("<16I")


def _check_key_nonce(key: bytes, nonce: bytes) -> None:
    if len(key) != 32:
        raise ValueError("ChaCha20: the key must be 32 bytes (RFC 8439 §2.3)")
    if len(nonce) != 12:
        raise ValueError("ChaCha20: the nonce must be 12 bytes (RFC 8439 §2.3)")


def _rotl32(v: int, n: int) -> int:
    return ((v << n) & _MASK32) | (v >> (32 - n))


def _quarter_round(x: list[int], a: int, b: int, c: int, d: int) -> None:
    """§2.1 and §2.2: the quarter round on the state words at indices a, b, c, d."""
    x[a] = (x[a] + x[b]) & _MASK32
    x[d] = _rotl32(x[d] ^ x[a], 16)
    x[c] = (x[c] + x[d]) & _MASK32
    x[b] = _rotl32(x[b] ^ x[c], 12)
    x[a] = (x[a] + x[b]) & _MASK32
    x[d] = _rotl32(x[d] ^ x[a], 8)
    x[c] = (x[c] + x[d]) & _MASK32
    x[b] = _rotl32(x[b] ^ x[c], 7)


def _initial_state(key: bytes, counter: int, nonce: bytes) -> list[int]:
    """§2.3: constants, the key as 8 little-endian words, the block counter, the nonce."""
    return [
        *_CONSTANTS,
        *struct.unpack("<8I", key),
        counter & _MASK32,
        *struct.unpack("<3I", nonce),
    ]


def chacha20_block(key: bytes, counter: int, nonce: bytes) -> bytes:
    """§2.3: the 64-byte keystream block for a 32-byte key, a 32-bit block counter and a
    12-byte nonce: 20 rounds (10 column + diagonal double rounds), then the initial state
    added word by word, serialised little-endian."""
    _check_key_nonce(key, nonce)
    state = _initial_state(key, counter, nonce)
    x = list(state)
    for _ in range(10):
        # column round
        _quarter_round(x, 0, 4, 8, 12)
        _quarter_round(x, 1, 5, 9, 13)
        _quarter_round(x, 2, 6, 10, 14)
        _quarter_round(x, 3, 7, 11, 15)
        # diagonal round
        _quarter_round(x, 0, 5, 10, 15)
        _quarter_round(x, 1, 6, 11, 12)
        _quarter_round(x, 2, 7, 8, 13)
        _quarter_round(x, 3, 4, 9, 14)
    return _WORDS16.pack(*((a + b) & _MASK32 for a, b in zip(x, state, strict=True)))


def _xor(a: bytes, b: bytes) -> bytes:
    """a XOR b (equal lengths), through big integers (far faster than byte by byte)."""
    n = len(a)
    return (int.from_bytes(a, "little") ^ int.from_bytes(b, "little")).to_bytes(n, "little")


def chacha20_xor(key: bytes, counter: int, nonce: bytes, data: Buffer) -> bytes:
    """§2.4: XOR *data* with the keystream of blocks counter, counter + 1, ... (the 32-bit
    counter wraps modulo 2**32, as in the C kernel; the AEAD never lets it)."""
    _check_key_nonce(key, nonce)
    if not 0 <= counter <= _MASK32:
        raise ValueError("ChaCha20: the block counter is a 32-bit value (RFC 8439 §2.3)")
    data = bytes(data)
    nblocks = (len(data) + 63) // 64
    keystream = b"".join(
        chacha20_block(key, (counter + j) & _MASK32, nonce) for j in range(nblocks)
    )
    return _xor(data, keystream[: len(data)])


def _clamp(r: int) -> int:
    """§2.5.1: clear the top four bits of bytes 3, 7, 11, 15 and the bottom two bits of
    bytes 4, 8, 12."""
    return r & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF


def _poly1305_blocks(r: int, acc: int, message: bytes) -> int:
    """§2.5.1, the loop: each 16-byte chunk (the last one may be shorter) read little-endian
    with a 0x01 byte appended, added to the accumulator, then multiplied by r mod p."""
    for i in range(0, len(message), 16):
        chunk = message[i : i + 16]
        n = int.from_bytes(chunk, "little") + (1 << (8 * len(chunk)))
        acc = ((acc + n) * r) % _P1305
    return acc


def poly1305(key: bytes, message: Buffer) -> bytes:
    """§2.5.1: the 16-byte tag of *message* under a one-time 32-byte key (r || s)."""
    if len(key) != 32:
        raise ValueError("Poly1305: the one-time key must be 32 bytes (RFC 8439 §2.5)")
    r = _clamp(int.from_bytes(key[:16], "little"))
    s = int.from_bytes(key[16:], "little")
    acc = _poly1305_blocks(r, 0, bytes(message))
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def _pad16(data: bytes) -> bytes:
    """§2.8.1: zeros up to a multiple of 16 bytes (none if already a multiple)."""
    return bytes(-len(data) % 16)


def _aead_tag(polykey: bytes, aad: bytes, ciphertext: bytes) -> bytes:
    """§2.8.1: Poly1305 over aad || pad16 || ciphertext || pad16 || le64(len aad) ||
    le64(len ciphertext)."""
    mac_data = b"".join(
        (
            aad,
            _pad16(aad),
            ciphertext,
            _pad16(ciphertext),
            struct.pack("<QQ", len(aad), len(ciphertext)),
        )
    )
    return poly1305(polykey, mac_data)


def _check_aead_length(n: int) -> None:
    # §2.8: the counter starts at 1 for the message and must not wrap: at most 2^32 - 1
    # blocks of 64 bytes (274,877,906,880 bytes).
    if n > (2**32 - 1) * 64:
        raise ValueError(
            "ChaCha20-Poly1305: at most (2**32 - 1) * 64 bytes of plaintext (RFC 8439 §2.8)"
        )


def chacha20_poly1305_seal(key: bytes, nonce: bytes, aad: Buffer, plaintext: Buffer) -> bytes:
    """§2.8: ciphertext || 16-byte tag. The one-time Poly1305 key is the first 32 bytes of
    block 0 (§2.6); the plaintext is encrypted from block 1 on."""
    _check_key_nonce(key, nonce)
    _check_aead_length(len(plaintext))
    polykey = chacha20_block(key, 0, nonce)[:32]
    ciphertext = chacha20_xor(key, 1, nonce, plaintext)
    return ciphertext + _aead_tag(polykey, bytes(aad), ciphertext)


def chacha20_poly1305_open(
    key: bytes, nonce: bytes, aad: Buffer, ciphertext: Buffer, tag: bytes
) -> bytes | None:
    """§2.8: the plaintext, or None if *tag* (16 bytes) is not the tag of *aad* and
    *ciphertext*. The tag is recomputed and compared without early exit before anything is
    decrypted."""
    _check_key_nonce(key, nonce)
    if len(tag) != 16:
        raise ValueError("ChaCha20-Poly1305: the tag must be 16 bytes (RFC 8439 §2.8)")
    _check_aead_length(len(ciphertext))
    ciphertext = bytes(ciphertext)
    polykey = chacha20_block(key, 0, nonce)[:32]
    if not ct_equal(_aead_tag(polykey, bytes(aad), ciphertext), tag):
        return None
    return chacha20_xor(key, 1, nonce, ciphertext)
