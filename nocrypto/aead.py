"""Authenticated encryption with associated data: AES-GCM (NIST SP 800-38D), AES-CCM
(NIST SP 800-38C) and ChaCha20-Poly1305 (RFC 8439).

>>> from nocrypto.aead import ChaCha20Poly1305
>>> box = ChaCha20Poly1305(bytes(32))
>>> sealed = box.seal(bytes(12), b"attack at dawn", aad=b"header")
>>> len(sealed)
30
>>> box.open(bytes(12), sealed, aad=b"header")
b'attack at dawn'

Every class takes its key once and precomputes what the key allows (the AES key schedule,
the GHASH key); then ``seal(nonce, plaintext, aad=b"") -> ciphertext || tag`` and
``open(nonce, ciphertext || tag, aad=b"") -> plaintext``. ``open`` raises
:class:`nocrypto.AuthenticationError` if the tag does not verify or the input is shorter
than a tag; it releases no plaintext then (the tag is checked, in constant time, before
anything is decrypted; AES-CCM must decrypt to compute its tag, but keeps the result).
Sizes outside a standard's rules (key, nonce, tag length, data limits) raise
``ValueError`` naming the rule.

A nonce must never repeat under one key: for GCM and ChaCha20-Poly1305 a repeated nonce
gives away the XOR of the plaintexts and lets an attacker forge tags.
"""

from __future__ import annotations

from typing import Final

from nocrypto import _backend
from nocrypto._compare import compare_digest
from nocrypto._errors import AuthenticationError

__all__ = ["AES_CCM", "AES_GCM", "ChaCha20Poly1305"]

Buffer = bytes | bytearray | memoryview

_AES_KEY_SIZES: Final = (16, 24, 32)

#: SP 800-38D §5.2.1.1: len(P) <= 2^39 - 256 bits.
_GCM_MAX_PLAINTEXT: Final = 2**36 - 32

_J0_SUFFIX: Final = b"\x00\x00\x00\x01"
_ZERO_BLOCK: Final = bytes(16)


def _as_key(name: str, key: Buffer, sizes: tuple[int, ...]) -> bytes:
    key = bytes(key)
    if len(key) not in sizes:
        allowed = ", ".join(map(str, sizes))
        raise ValueError(f"{name}: the key must be {allowed} bytes, not {len(key)}")
    return key


#: Up to this size a ciphertext is sliced off its tag as bytes (a copy, but cheaper than a
#: memoryview for short inputs); beyond, it is passed as a memoryview (no copy).
_SLICE_MAX: Final = 2048


def _split(name: str, data: Buffer, tag_length: int) -> tuple[Buffer, bytes]:
    """(ciphertext, tag) of ciphertext || tag; AuthenticationError if shorter than a tag."""
    n = len(data) - tag_length
    if type(data) is bytes and 0 <= n <= _SLICE_MAX:
        return data[:n], data[n:]
    view = memoryview(data).cast("B")
    n = len(view) - tag_length
    if n < 0:
        raise AuthenticationError(f"{name}: the input is shorter than a {tag_length}-byte tag")
    return view[:n], bytes(view[n:])


class AES_GCM:
    """AES in Galois/Counter Mode (NIST SP 800-38D) with a 16-, 24- or 32-byte key.

    *tag_length* is in bytes: 16 (the default), 15, 14, 13 or 12 (§5.2.1.2: t = 128, 120,
    112, 104 or 96 bits). 8 and 4 (64 and 32 bits) are accepted because §5.2.1.2 allows them
    for certain applications, under the conditions of its Appendix C: the caller must then
    keep, per key, both the length of each message and the number of calls to ``open``
    within the bounds of Appendix C's tables, since a forgery succeeds with probability
    about 2^-t per attempt. Use 16 unless a protocol fixes a shorter tag.

    Nonces (the IV of SP 800-38D) may have any length of at least one byte; 12 bytes is the
    recommended and fast case (J0 = IV || 0^31 || 1); any other length is hashed to J0 with
    GHASH (§7.1 step 2). Plaintexts are at most 2^36 - 32 bytes (§5.2.1.1).
    """

    __slots__ = ("_ghash", "_hkey", "_open", "_schedule", "_seal", "_tag_length")

    def __init__(self, key: Buffer, tag_length: int = 16) -> None:
        key = _as_key("AES-GCM", key, _AES_KEY_SIZES)
        if tag_length not in (16, 15, 14, 13, 12, 8, 4):
            raise ValueError(
                "AES-GCM: the tag length must be 16, 15, 14, 13 or 12 bytes, or 8 or 4 for the "
                f"applications of SP 800-38D Appendix C (§5.2.1.2), not {tag_length}"
            )
        aes = _backend.aes()
        gcm = _backend.gcm()
        self._schedule = aes.aes_expand_key(key)
        # §6.4 / §7.1 step 1: the hash subkey H = CIPH_K(0^128), precomputed once.
        self._hkey = gcm.ghash_key(aes.aes_ecb_encrypt(self._schedule, _ZERO_BLOCK))
        self._tag_length = tag_length
        self._seal = gcm.aes_gcm_seal
        self._open = gcm.aes_gcm_open
        self._ghash = gcm.ghash

    @property
    def tag_length(self) -> int:
        """The tag length in bytes."""
        return self._tag_length

    def _j0(self, nonce: bytes) -> bytes:
        """§7.1 step 2: the pre-counter block J0."""
        n = len(nonce)
        if n == 12:
            return nonce + _J0_SUFFIX
        if n == 0:
            raise ValueError(
                "AES-GCM: the nonce (IV) must be at least 1 byte (SP 800-38D §5.2.1.1)"
            )
        # J0 = GHASH_H(IV || 0^(s+64) || [len(IV)]_64), s = 128 ceil(len(IV)/128) - len(IV)
        block = nonce + bytes(-n % 16 + 8) + (8 * n).to_bytes(8, "big")
        return self._ghash(self._hkey, _ZERO_BLOCK, block)

    def seal(self, nonce: Buffer, plaintext: Buffer, aad: Buffer = b"") -> bytes:
        """§7.1, GCM-AE: the ciphertext followed by the tag."""
        if type(nonce) is not bytes:
            nonce = bytes(nonce)
        j0 = nonce + _J0_SUFFIX if len(nonce) == 12 else self._j0(nonce)
        if len(plaintext) > _GCM_MAX_PLAINTEXT:
            raise ValueError("AES-GCM: at most 2**36 - 32 bytes of plaintext (SP 800-38D §5.2.1.1)")
        out = self._seal(self._schedule, self._hkey, j0, aad, plaintext)
        t = self._tag_length
        return out if t == 16 else out[: len(out) - 16 + t]

    def open(self, nonce: Buffer, data: Buffer, aad: Buffer = b"") -> bytes:
        """§7.2, GCM-AD: the plaintext of ciphertext || tag, or AuthenticationError."""
        if type(nonce) is not bytes:
            nonce = bytes(nonce)
        j0 = nonce + _J0_SUFFIX if len(nonce) == 12 else self._j0(nonce)
        t = self._tag_length
        ciphertext: Buffer
        if type(data) is bytes and t <= len(data) <= _SLICE_MAX:
            ciphertext, tag = data[:-t], data[-t:]
        else:
            ciphertext, tag = _split("AES-GCM", data, t)
        if len(ciphertext) > _GCM_MAX_PLAINTEXT:
            raise ValueError("AES-GCM: at most 2**36 - 32 bytes of plaintext (SP 800-38D §5.2.1.1)")
        plaintext = self._open(self._schedule, self._hkey, j0, aad, ciphertext, tag)
        if plaintext is None:
            raise AuthenticationError("AES-GCM: the tag does not verify")
        return plaintext


class AES_CCM:
    """AES in Counter with CBC-MAC mode (NIST SP 800-38C) with a 16-, 24- or 32-byte key.

    *tag_length* (Tlen/8) is 4, 6, 8, 10, 12, 14 or 16 bytes (§A.1); nonces are 7 to 13
    bytes (n), which leaves q = 15 - n bytes for the payload length, so a payload is shorter
    than 2^(8q) bytes. Built on the AES kernel's CBC (the CBC-MAC is the last block of the
    CBC encryption of B_0 || B_1 || ... with a zero IV) and CTR (q-byte counter).
    """

    __slots__ = ("_cbc", "_ctr", "_schedule", "_tag_length")

    def __init__(self, key: Buffer, tag_length: int = 16) -> None:
        key = _as_key("AES-CCM", key, _AES_KEY_SIZES)
        if tag_length not in (4, 6, 8, 10, 12, 14, 16):
            raise ValueError(
                "AES-CCM: the tag length must be 4, 6, 8, 10, 12, 14 or 16 bytes "
                f"(SP 800-38C §A.1), not {tag_length}"
            )
        aes = _backend.aes()
        self._schedule = aes.aes_expand_key(key)
        self._tag_length = tag_length
        self._cbc = aes.aes_cbc_encrypt
        self._ctr = aes.aes_ctr

    @property
    def tag_length(self) -> int:
        """The tag length in bytes."""
        return self._tag_length

    @staticmethod
    def _q(nonce: bytes, payload_length: int) -> int:
        n = len(nonce)
        if not 7 <= n <= 13:
            raise ValueError(f"AES-CCM: the nonce must be 7 to 13 bytes (SP 800-38C §A.1), not {n}")
        q = 15 - n
        if payload_length >> (8 * q):
            raise ValueError(
                f"AES-CCM: with a {n}-byte nonce the payload is shorter than 2**{8 * q} bytes "
                "(SP 800-38C §A.1)"
            )
        return q

    def _mac(self, nonce: bytes, q: int, aad: bytes, payload: bytes) -> bytes:
        """§6.1 steps 1-4: the CBC-MAC of B = B_0 || encoded aad || padded payload (the
        last block, untruncated)."""
        # §A.2.1: Flags = 64 Adata + 8 [(t - 2)/2]_3 + [q - 1]_3; B_0 = Flags || N || [Q]_8q
        flags = (64 if aad else 0) | (8 * ((self._tag_length - 2) // 2)) | (q - 1)
        b0 = bytes([flags]) + nonce + len(payload).to_bytes(q, "big")
        a = len(aad)
        if a == 0:
            encoded_aad = b""
        elif a < 2**16 - 2**8:  # §A.2.2: the length of the associated data, then the data
            encoded_aad = a.to_bytes(2, "big") + aad
        elif a < 2**32:
            encoded_aad = b"\xff\xfe" + a.to_bytes(4, "big") + aad
        else:
            encoded_aad = b"\xff\xff" + a.to_bytes(8, "big") + aad
        # §A.2.2 and §A.2.3: the encoded data and the payload, each zero-padded to blocks
        blocks = b"".join(
            (
                b0,
                encoded_aad,
                bytes(-len(encoded_aad) % 16),
                payload,
                bytes(-len(payload) % 16),
            )
        )
        return self._cbc(self._schedule, _ZERO_BLOCK, blocks)[-16:]

    def seal(self, nonce: Buffer, plaintext: Buffer, aad: Buffer = b"") -> bytes:
        """§6.1, generation-encryption: the ciphertext followed by the tag."""
        nonce, plaintext, aad = bytes(nonce), bytes(plaintext), bytes(aad)
        q = self._q(nonce, len(plaintext))
        t = self._mac(nonce, q, aad, plaintext)
        # §A.3: Ctr_i = [q - 1]_8 || N || [i]_8q. CTR from Ctr_0 over T || P gives
        # T xor S_0 (the tag, before truncation to Tlen) then P xor S_1 S_2 ... = C (§6.1).
        stream = self._ctr(self._schedule, bytes([q - 1]) + nonce + bytes(q), t + plaintext, q)
        return stream[16:] + stream[: self._tag_length]

    def open(self, nonce: Buffer, data: Buffer, aad: Buffer = b"") -> bytes:
        """§6.2, decryption-verification: the payload, or AuthenticationError."""
        nonce, aad = bytes(nonce), bytes(aad)
        ciphertext, tag = _split("AES-CCM", data, self._tag_length)
        q = self._q(nonce, len(ciphertext))
        # §6.2: S_0 || P = CTR from Ctr_0 over 0^128 || C
        stream = self._ctr(
            self._schedule, bytes([q - 1]) + nonce + bytes(q), _ZERO_BLOCK + ciphertext, q
        )
        payload = stream[16:]
        t = self._mac(nonce, q, aad, payload)
        t_len = self._tag_length
        expected = (
            int.from_bytes(t[:t_len], "big") ^ int.from_bytes(stream[:t_len], "big")
        ).to_bytes(t_len, "big")
        # §6.2: the received tag is compared (in constant time) with MSB_Tlen(T) xor
        # MSB_Tlen(S_0); the payload is released only if they match. An empty payload is
        # valid (as in the CAVP DVPT vectors with Plen = 0).
        if not compare_digest(expected, tag):
            raise AuthenticationError("AES-CCM: the tag does not verify")
        return payload


class ChaCha20Poly1305:
    """The AEAD_CHACHA20_POLY1305 construction of RFC 8439 §2.8: a 32-byte key, 12-byte
    nonces, 16-byte tags, plaintexts of at most (2^32 - 1) * 64 bytes (the 32-bit block
    counter, which starts at 1 for the message, must not wrap)."""

    __slots__ = ("_key", "_open", "_seal")

    def __init__(self, key: Buffer) -> None:
        self._key = _as_key("ChaCha20-Poly1305", key, (32,))
        kernel = _backend.chacha()
        self._seal = kernel.chacha20_poly1305_seal
        self._open = kernel.chacha20_poly1305_open

    # The kernel checks the nonce length (12 bytes) and the plaintext limit, with a
    # ValueError naming RFC 8439's rule.

    def seal(self, nonce: Buffer, plaintext: Buffer, aad: Buffer = b"") -> bytes:
        """§2.8: the ciphertext followed by the 16-byte tag."""
        if type(nonce) is not bytes:
            nonce = bytes(nonce)
        return self._seal(self._key, nonce, aad, plaintext)

    def open(self, nonce: Buffer, data: Buffer, aad: Buffer = b"") -> bytes:
        """§2.8: the plaintext of ciphertext || tag, or AuthenticationError."""
        if type(nonce) is not bytes:
            nonce = bytes(nonce)
        ciphertext: Buffer
        if type(data) is bytes and 16 <= len(data) <= _SLICE_MAX:
            ciphertext, tag = data[:-16], data[-16:]
        else:
            ciphertext, tag = _split("ChaCha20-Poly1305", data, 16)
        plaintext = self._open(self._key, nonce, aad, ciphertext, tag)
        if plaintext is None:
            raise AuthenticationError("ChaCha20-Poly1305: the tag does not verify")
        return plaintext
