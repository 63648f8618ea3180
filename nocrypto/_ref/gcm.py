"""GHASH and AES-GCM (NIST SP 800-38D), pure-Python twin of ``nocrypto/_native/gcm.c``.

This is the executable specification of the C kernel, written after SP 800-38D: the
multiplication in GF(2^128) of §6.3 (Algorithm 1), GHASH (§6.4, Algorithm 2), GCTR
(§6.5, through the AES twin's CTR mode with a 32-bit counter) and the authenticated
encryption and decryption functions (§7.1, §7.2). The block cipher is ``nocrypto._ref.aes``.

Algorithm 1 is written without branches on secret bits (masks instead of ``if``), but
CPython gives no timing guarantee: the hard constant-time promise belongs to the native
backend. The GHASH key of this twin is H itself (16 bytes); the native one is a different
opaque precomputation, so keys are not interchangeable between backends.
"""

from __future__ import annotations

from nocrypto._ref import aes
from nocrypto._ref.ct import ct_equal

__all__ = ["aes_gcm_open", "aes_gcm_seal", "gf_mul", "ghash", "ghash_key"]

Buffer = bytes | bytearray | memoryview

#: §6.3: R = 11100001 || 0^120, the reduction constant (x^128 = x^7 + x^2 + x + 1 read
#: with the x^0 coefficient as the leftmost bit).
_R = 0xE1 << 120

_MASK128 = (1 << 128) - 1


def gf_mul(x: int, y: int) -> int:
    """§6.3, Algorithm 1: X • Y for blocks read as big-endian 128-bit integers (bit 0 of the
    block, "the leftmost bit", is the integer's most significant bit)."""
    z = 0
    v = y
    for i in range(127, -1, -1):
        # step 2: Z_{i+1} = Z_i xor V_i if x_i = 1 (a mask, not a branch)
        z ^= v & -((x >> i) & 1)
        # step 3: V_{i+1} = V_i >> 1, xor R if the bit shifted out (LSB_1(V_i)) was 1
        v = (v >> 1) ^ (_R & -(v & 1))
    return z


def ghash_key(h: bytes) -> bytes:
    """The GHASH key of this twin: H = CIPH_K(0^128) itself."""
    if len(h) != 16:
        raise ValueError("GHASH: the hash subkey H must be 16 bytes (SP 800-38D §6.4)")
    return bytes(h)


def _ghash_int(h: int, y: int, data: bytes) -> int:
    """§6.4, Algorithm 2 continued from Y: Y_i = (Y_{i-1} xor X_i) • H."""
    for i in range(0, len(data), 16):
        y = gf_mul(y ^ int.from_bytes(data[i : i + 16], "big"), h)
    return y


def ghash(hkey: bytes, y: bytes, data: Buffer) -> bytes:
    """§6.4: GHASH_H continued from the 16-byte block *y* over *data* (whole blocks)."""
    if len(hkey) != 16:
        raise ValueError("ghash: hkey must be a GHASH key made by ghash_key")
    if len(y) != 16:
        raise ValueError("ghash: y must be 16 bytes")
    data = bytes(data)
    if len(data) % 16:
        raise ValueError("ghash: data must be a whole number of 16-byte blocks (SP 800-38D §6.4)")
    h = int.from_bytes(hkey, "big")
    return _ghash_int(h, int.from_bytes(y, "big"), data).to_bytes(16, "big")


def _pad(data: bytes) -> bytes:
    """§7.1 step 5: 0^v (or 0^u), zeros up to a whole number of blocks."""
    return data + bytes(-len(data) % 16)


def _inc32(block: bytes) -> bytes:
    """§6.2: increment the rightmost 32 bits modulo 2^32."""
    counter = (int.from_bytes(block[12:], "big") + 1) & 0xFFFFFFFF
    return block[:12] + counter.to_bytes(4, "big")


def _check(schedule: bytes, hkey: bytes, j0: bytes) -> None:
    if len(hkey) != 16:
        raise ValueError("AES-GCM: hkey must be a GHASH key made by ghash_key")
    if len(j0) != 16:
        raise ValueError("AES-GCM: the pre-counter block J0 must be 16 bytes (SP 800-38D §7.1)")
    if len(schedule) not in (176, 208, 240):
        raise ValueError("AES-GCM: schedule must be a key schedule made by aes_expand_key")


def _tag(schedule: bytes, hkey: bytes, j0: bytes, aad: bytes, ciphertext: bytes) -> bytes:
    """§7.1 steps 5-6: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64) and
    T = GCTR_K(J0, S) = CIPH_K(J0) xor S (all 16 bytes; the caller truncates)."""
    lengths = (8 * len(aad)).to_bytes(8, "big") + (8 * len(ciphertext)).to_bytes(8, "big")
    s = _ghash_int(int.from_bytes(hkey, "big"), 0, _pad(aad) + _pad(ciphertext) + lengths)
    ek = int.from_bytes(aes.aes_ecb_encrypt(schedule, j0), "big")
    return (s ^ ek).to_bytes(16, "big")


def aes_gcm_seal(schedule: bytes, hkey: bytes, j0: bytes, aad: Buffer, plaintext: Buffer) -> bytes:
    """§7.1, GCM-AE_K(IV, P, A) from step 3 on (J0 is given): C = GCTR_K(inc32(J0), P);
    returns C || T with the full 16-byte T."""
    _check(schedule, hkey, j0)
    ciphertext = aes.aes_ctr(schedule, _inc32(bytes(j0)), plaintext, 4)
    return ciphertext + _tag(schedule, hkey, bytes(j0), bytes(aad), ciphertext)


def aes_gcm_open(
    schedule: bytes, hkey: bytes, j0: bytes, aad: Buffer, ciphertext: Buffer, tag: bytes
) -> bytes | None:
    """§7.2, GCM-AD_K(IV, C, A, T) from step 3 on: recompute T' over the ciphertext, compare
    its first len(T) bytes with T (no early exit), and only if equal return
    P = GCTR_K(inc32(J0), C); else None."""
    _check(schedule, hkey, j0)
    if not 1 <= len(tag) <= 16:
        raise ValueError("AES-GCM: the tag is 1 to 16 bytes (SP 800-38D §5.2.1.2)")
    ciphertext = bytes(ciphertext)
    expected = _tag(schedule, hkey, bytes(j0), bytes(aad), ciphertext)
    if not ct_equal(expected[: len(tag)], bytes(tag)):
        return None
    return aes.aes_ctr(schedule, _inc32(bytes(j0)), ciphertext, 4)
