"""Symmetric ciphers: AES (FIPS 197) in ECB, CBC and CTR modes (SP 800-38A),
TDEA / 3DES-EDE (SP 800-67 Rev. 2) in ECB and CBC modes, and ChaCha20 (RFC 8439).

These are the unauthenticated modes as building blocks: TLS adds its own MAC to CBC
(RFC 5246 6.2.3.2), GCM and CCM are built on CTR. No padding is applied anywhere: CBC and
ECB take whole blocks only. Keys are expanded once, when the object is made; an object
holds no other state, so one object can encrypt and decrypt any number of messages.

Misuse raises at once: ``TypeError`` for an argument that is not bytes-like (``bytes``,
``bytearray``, ``memoryview``; ``str`` is refused), ``ValueError`` naming the rule for a
wrong length.

The AES kernel uses AES-NI when the CPU has it, else a bitsliced constant-time C
implementation; the 3DES kernel evaluates its S-boxes without memory lookups (see
``nocrypto/_native/des.c``).
"""

from __future__ import annotations

from typing import Final

from nocrypto import _backend
from nocrypto._compare import compare_digest

__all__ = ["AES_CBC", "AES_CTR", "AES_ECB", "ChaCha20", "TripleDES_CBC", "TripleDES_ECB"]

BytesLike = bytes | bytearray | memoryview


def _bytes_like(what: str, value: object) -> BytesLike:
    """*value* as something the kernels accept without a copy; TypeError if not bytes-like."""
    if type(value) is bytes or isinstance(value, bytes | bytearray):
        return value
    if isinstance(value, str):
        raise TypeError(f"{what} must be bytes-like, not str")
    try:
        view = memoryview(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what} must be bytes-like, not {type(value).__name__}") from None
    return view.cast("B") if view.c_contiguous else view.tobytes()


def _as_bytes(what: str, value: object) -> bytes:
    """A private ``bytes`` copy (for keys, IVs and counter blocks)."""
    if type(value) is bytes:
        return value
    data = _bytes_like(what, value)
    return data if isinstance(data, bytes) else bytes(data)


# --- AES (FIPS 197) -------------------------------------------------------------------------

_AES_BLOCK: Final = 16


def _aes_schedule(key: object) -> bytes:
    k = _as_bytes("AES key", key)
    if len(k) not in (16, 24, 32):
        raise ValueError(f"AES key must be 16, 24 or 32 bytes, not {len(k)}")
    return _backend.aes().aes_expand_key(k)


def _aes_blocks(mode: str, data: object) -> BytesLike:
    buf = _bytes_like(f"AES-{mode} data", data)
    if len(buf) % _AES_BLOCK:
        raise ValueError(
            f"AES-{mode} data must be a whole number of 16-byte blocks (no padding is "
            f"applied), not {len(buf)} bytes"
        )
    return buf


def _aes_iv(mode: str, what: str, value: object) -> bytes:
    iv = _as_bytes(f"AES-{mode} {what}", value)
    if len(iv) != _AES_BLOCK:
        raise ValueError(f"AES-{mode} {what} must be 16 bytes, not {len(iv)}")
    return iv


class AES_ECB:
    """AES in Electronic Codebook mode (SP 800-38A 6.1): each 16-byte block on its own.

    ECB is for building other modes and for tests. It must not be used to encrypt
    messages: equal plaintext blocks give equal ciphertext blocks.
    """

    __slots__ = ("_kernel", "_schedule")

    #: The block size in bytes.
    block_size: Final = _AES_BLOCK

    def __init__(self, key: BytesLike) -> None:
        """*key*: 16, 24 or 32 bytes (AES-128, AES-192, AES-256)."""
        self._kernel = _backend.aes()
        self._schedule = _aes_schedule(key)

    def encrypt(self, data: BytesLike) -> bytes:
        """C_j = CIPH_K(P_j) for each block of *data* (a whole number of blocks)."""
        return self._kernel.aes_ecb_encrypt(self._schedule, _aes_blocks("ECB", data))

    def decrypt(self, data: BytesLike) -> bytes:
        """P_j = CIPH^-1_K(C_j) for each block of *data* (a whole number of blocks)."""
        return self._kernel.aes_ecb_decrypt(self._schedule, _aes_blocks("ECB", data))


class AES_CBC:
    """AES in Cipher Block Chaining mode (SP 800-38A 6.2), without padding.

    The IV must be unpredictable for each message (SP 800-38A, appendix C); TLS 1.1+ sends
    a fresh random one per record. Encrypting a long message in pieces is the same as in
    one call if each call's IV is the last ciphertext block of the previous call.
    """

    __slots__ = ("_kernel", "_schedule")

    block_size: Final = _AES_BLOCK

    def __init__(self, key: BytesLike) -> None:
        """*key*: 16, 24 or 32 bytes."""
        self._kernel = _backend.aes()
        self._schedule = _aes_schedule(key)

    def encrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        """C_1 = CIPH_K(P_1 + IV), C_j = CIPH_K(P_j + C_j-1); *data* is whole blocks."""
        iv_ = _aes_iv("CBC", "iv", iv)
        return self._kernel.aes_cbc_encrypt(self._schedule, iv_, _aes_blocks("CBC", data))

    def decrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        """P_1 = CIPH^-1_K(C_1) + IV, P_j = CIPH^-1_K(C_j) + C_j-1; *data* is whole blocks."""
        iv_ = _aes_iv("CBC", "iv", iv)
        return self._kernel.aes_cbc_decrypt(self._schedule, iv_, _aes_blocks("CBC", data))


class AES_CTR:
    """AES in Counter mode (SP 800-38A 6.5) with the whole 16-byte block as the counter.

    The counter blocks are T_1 = *counter_block*, T_j+1 = T_j + 1 modulo 2^128 (the
    standard incrementing function of SP 800-38A B.1 with m = 128), so *data* may have any
    length. Encryption and decryption are the same operation, ``crypt``. A counter block
    must never be used twice with one key.
    """

    __slots__ = ("_ctr", "_schedule")

    block_size: Final = _AES_BLOCK

    def __init__(self, key: BytesLike) -> None:
        """*key*: 16, 24 or 32 bytes."""
        self._ctr = _backend.aes().aes_ctr
        self._schedule = _aes_schedule(key)

    def crypt(self, counter_block: BytesLike, data: BytesLike) -> bytes:
        """*data* XOR the key stream CIPH_K(T_1) || CIPH_K(T_2) || ... (truncated)."""
        if type(counter_block) is bytes and len(counter_block) == 16 and type(data) is bytes:
            # The common case (OTR data messages, every CTR caller with bytes in hand):
            # nothing to convert, straight to the kernel.
            return self._ctr(self._schedule, counter_block, data, 16)
        t1 = _aes_iv("CTR", "counter block", counter_block)
        buf = _bytes_like("AES-CTR data", data)
        return self._ctr(self._schedule, t1, buf, 16)


# --- TDEA / 3DES-EDE (SP 800-67) ------------------------------------------------------------

_DES_BLOCK: Final = 8


def _without_parity(k: bytes) -> bytes:
    """A DES key without its parity bits (the low bit of each byte, FIPS 46-3)."""
    return bytes(b & 0xFE for b in k)


def _des3_schedule(key: object) -> bytes:
    k = _as_bytes("3DES key", key)
    if len(k) != 24:
        raise ValueError(f"3DES key must be 24 bytes (K1 || K2 || K3), not {len(k)}")
    k1, k2, k3 = (_without_parity(k[i : i + 8]) for i in (0, 8, 16))
    # SP 800-67 Rev. 2, 3.3: K1 = K2 or K2 = K3 makes E_K3(D_K2(E_K1(P))) a single DES
    # encryption (with K3 or with K1). Keys are compared without their parity bits (which
    # DES ignores) and in constant time (the keys are secret, the verdict is not).
    eq12 = compare_digest(k1, k2)
    eq23 = compare_digest(k2, k3)
    if eq12 | eq23:
        raise ValueError(
            "3DES key with K1 == K2 or K2 == K3 degenerates to single DES (SP 800-67 3.3)"
        )
    return _backend.des().des3_expand_key(k)


def _des3_blocks(mode: str, data: object) -> BytesLike:
    buf = _bytes_like(f"3DES-{mode} data", data)
    if len(buf) % _DES_BLOCK:
        raise ValueError(
            f"3DES-{mode} data must be a whole number of 8-byte blocks (no padding is "
            f"applied), not {len(buf)} bytes"
        )
    return buf


class TripleDES_ECB:
    """TDEA (3DES-EDE, SP 800-67) in ECB mode: C = E_K3(D_K2(E_K1(P))) per 8-byte block.

    For building other modes and for tests only. 3DES itself is kept for the legacy TLS
    suite TLS_RSA_WITH_3DES_EDE_CBC_SHA; its 64-bit block limits how much data one key may
    protect (SP 800-67 Rev. 2: at most 2^20 blocks).
    """

    __slots__ = ("_kernel", "_schedule")

    block_size: Final = _DES_BLOCK

    def __init__(self, key: BytesLike) -> None:
        """*key*: 24 bytes K1 || K2 || K3, with K1 != K2 and K2 != K3 (parity ignored)."""
        self._kernel = _backend.des()
        self._schedule = _des3_schedule(key)

    def encrypt(self, data: BytesLike) -> bytes:
        """The TDEA forward operation on each block of *data* (whole 8-byte blocks)."""
        return self._kernel.des3_ecb_encrypt(self._schedule, _des3_blocks("ECB", data))

    def decrypt(self, data: BytesLike) -> bytes:
        """The TDEA inverse operation on each block of *data* (whole 8-byte blocks)."""
        return self._kernel.des3_ecb_decrypt(self._schedule, _des3_blocks("ECB", data))


class TripleDES_CBC:
    """TDEA (3DES-EDE, SP 800-67) in CBC mode (SP 800-38A 6.2), 8-byte IV, no padding."""

    __slots__ = ("_kernel", "_schedule")

    block_size: Final = _DES_BLOCK

    def __init__(self, key: BytesLike) -> None:
        """*key*: 24 bytes K1 || K2 || K3, with K1 != K2 and K2 != K3 (parity ignored)."""
        self._kernel = _backend.des()
        self._schedule = _des3_schedule(key)

    def encrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        """C_1 = E(P_1 + IV), C_j = E(P_j + C_j-1); *data* is whole 8-byte blocks."""
        iv_ = _des3_iv(iv)
        return self._kernel.des3_cbc_encrypt(self._schedule, iv_, _des3_blocks("CBC", data))

    def decrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        """P_1 = D(C_1) + IV, P_j = D(C_j) + C_j-1; *data* is whole 8-byte blocks."""
        iv_ = _des3_iv(iv)
        return self._kernel.des3_cbc_decrypt(self._schedule, iv_, _des3_blocks("CBC", data))


def _des3_iv(value: object) -> bytes:
    iv = _as_bytes("3DES-CBC iv", value)
    if len(iv) != _DES_BLOCK:
        raise ValueError(f"3DES-CBC iv must be 8 bytes, not {len(iv)}")
    return iv


# --- ChaCha20 (RFC 8439) ---------------------------------------------------------------------

_CHACHA_MAX_BLOCKS: Final = 1 << 32


class ChaCha20:
    """The ChaCha20 stream cipher (RFC 8439 section 2.4), unauthenticated: use
    :class:`nocrypto.aead.ChaCha20Poly1305` unless a protocol builds its own MAC.

    ``crypt(nonce, data, counter=0)`` XORs *data* with the key stream of the 12-byte *nonce*
    starting at 64-byte block *counter*; encryption and decryption are the same operation.
    The 32-bit block counter must not wrap within one call (at most 2^32 - counter blocks).
    """

    __slots__ = ("_kernel", "_key")

    block_size: Final = 64

    def __init__(self, key: BytesLike) -> None:
        """*key*: 32 bytes."""
        k = _as_bytes("ChaCha20 key", key)
        if len(k) != 32:
            raise ValueError(f"ChaCha20 key must be 32 bytes, not {len(k)}")
        self._kernel = _backend.chacha()
        self._key = k

    def crypt(self, nonce: BytesLike, data: BytesLike, counter: int = 0) -> bytes:
        """*data* XOR the ChaCha20 key stream (RFC 8439 2.4.1)."""
        n = _as_bytes("ChaCha20 nonce", nonce)
        if len(n) != 12:
            raise ValueError(f"ChaCha20 nonce must be 12 bytes (RFC 8439), not {len(n)}")
        if not isinstance(counter, int) or not 0 <= counter < _CHACHA_MAX_BLOCKS:
            raise ValueError("ChaCha20 block counter must be in 0..2^32-1")
        buf = _bytes_like("ChaCha20 data", data)
        if counter + (len(buf) + 63) // 64 > _CHACHA_MAX_BLOCKS:
            raise ValueError("ChaCha20 block counter would wrap (RFC 8439 2.4: 32-bit counter)")
        return self._kernel.chacha20_xor(self._key, counter, n, buf)
