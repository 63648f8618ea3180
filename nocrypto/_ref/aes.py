"""AES (FIPS 197) with ECB, CBC and CTR (SP 800-38A), pure-Python twin of
``nocrypto/_native/aes.c``.

This is the executable specification of the C kernel, written step by step from FIPS 197
(section and figure numbers below are those of the November 2001 edition) and SP 800-38A.
The S-box is computed from its definition (multiplicative inverse in GF(2^8) followed by an
affine map) rather than copied as a table. Unlike the C kernel, this twin indexes tables by
state bytes: CPython gives no timing guarantee anyway, and the constant-time guarantee
belongs to the native backend only.

The key schedule is an opaque ``bytes``: here the round keys w[0..4 Nr + 3] as
16 (Nr + 1) bytes; it is meaningful only to the functions of this module.
"""

from __future__ import annotations

__all__ = [
    "INV_SBOX",
    "SBOX",
    "aes_cbc_decrypt",
    "aes_cbc_encrypt",
    "aes_ctr",
    "aes_ecb_decrypt",
    "aes_ecb_encrypt",
    "aes_expand_key",
]

Buffer = bytes | bytearray | memoryview

# --- 4. Mathematical preliminaries -------------------------------------------------------


def _xtime(a: int) -> int:
    """Multiplication by x (4.2.1): shift left, reduce by m(x) = x^8 + x^4 + x^3 + x + 1."""
    a <<= 1
    return a ^ 0x11B if a & 0x100 else a


def _gf_mul(a: int, b: int) -> int:
    """Multiplication in GF(2^8) (4.2): sum of a * x^i for the bits i of b."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        a = _xtime(a)
        b >>= 1
    return product


def _gf_inverse(a: int) -> int:
    """The multiplicative inverse (4.2, 5.1.1): a^254 = a^-1, and 0 maps to 0."""
    result, power, e = 1, a, 254
    while e:
        if e & 1:
            result = _gf_mul(result, power)
        power = _gf_mul(power, power)
        e >>= 1
    return result if a else 0


def _affine(b: int) -> int:
    """The affine map of 5.1.1, eq. (5.1): b'_i = b_i + b_(i+4) + b_(i+5) + b_(i+6) + b_(i+7)
    + c_i (indices mod 8), c = 0x63."""
    out = 0
    for i in range(8):
        bit = (b >> i) ^ (b >> ((i + 4) % 8)) ^ (b >> ((i + 5) % 8))
        bit ^= (b >> ((i + 6) % 8)) ^ (b >> ((i + 7) % 8))
        out |= (bit & 1) << i
    return out ^ 0x63


#: The S-box (5.1.1, Fig. 7), computed from its definition.
SBOX: tuple[int, ...] = tuple(_affine(_gf_inverse(x)) for x in range(256))

#: The inverse S-box (5.3.2, Fig. 14).
INV_SBOX: tuple[int, ...] = tuple(SBOX.index(y) for y in range(256))

# Multiplication tables for MixColumns and InvMixColumns (5.1.3, 5.3.3).
_MUL2 = tuple(_gf_mul(x, 2) for x in range(256))
_MUL3 = tuple(_gf_mul(x, 3) for x in range(256))
_MUL9 = tuple(_gf_mul(x, 9) for x in range(256))
_MUL11 = tuple(_gf_mul(x, 11) for x in range(256))
_MUL13 = tuple(_gf_mul(x, 13) for x in range(256))
_MUL14 = tuple(_gf_mul(x, 14) for x in range(256))

# --- 5.2 KeyExpansion --------------------------------------------------------------------

#: Nk (key words) -> Nr (rounds), Fig. 4.
_ROUNDS = {4: 10, 6: 12, 8: 14}


def _sub_word(w: bytes) -> bytes:
    return bytes(SBOX[b] for b in w)


def _rot_word(w: bytes) -> bytes:
    return w[1:] + w[:1]


def aes_expand_key(key: bytes) -> bytes:
    """KeyExpansion (5.2, Fig. 11): the 4 (Nr + 1) words w[i], concatenated."""
    if len(key) not in (16, 24, 32):
        raise ValueError("AES key must be 16, 24 or 32 bytes")
    nk = len(key) // 4
    nr = _ROUNDS[nk]
    w = [bytes(key[4 * i : 4 * i + 4]) for i in range(nk)]
    rcon = 0x01  # Rcon[i] = [x^(i-1), 0, 0, 0]
    for i in range(nk, 4 * (nr + 1)):
        temp = w[i - 1]
        if i % nk == 0:
            temp = _sub_word(_rot_word(temp))
            temp = bytes([temp[0] ^ rcon]) + temp[1:]
            rcon = _xtime(rcon)
        elif nk > 6 and i % nk == 4:
            temp = _sub_word(temp)
        w.append(bytes(a ^ b for a, b in zip(w[i - nk], temp, strict=True)))
    return b"".join(w)


def _round_keys(name: str, schedule: bytes) -> list[bytes]:
    if len(schedule) not in (176, 208, 240):
        raise ValueError(f"{name}: schedule must be a key schedule made by aes_expand_key")
    return [schedule[i : i + 16] for i in range(0, len(schedule), 16)]


# --- 5.1 Cipher and 5.3 InvCipher on one block ---------------------------------------------
#
# The state is a list of 16 bytes in input order: s[r + 4c] is row r, column c (3.4).


def _add_round_key(s: list[int], k: bytes) -> None:
    """AddRoundKey (5.1.4): XOR the round key into the state, column by column."""
    for i in range(16):
        s[i] ^= k[i]


def _shift_rows(s: list[int]) -> list[int]:
    """ShiftRows (5.1.2): s'[r, c] = s[r, (c + r) mod 4]."""
    return [s[r + 4 * ((c + r) % 4)] for c in range(4) for r in range(4)]


def _inv_shift_rows(s: list[int]) -> list[int]:
    """InvShiftRows (5.3.1): s'[r, (c + r) mod 4] = s[r, c]."""
    return [s[r + 4 * ((c - r) % 4)] for c in range(4) for r in range(4)]


def _mix_columns(s: list[int]) -> list[int]:
    """MixColumns (5.1.3): each column times {03}x^3 + {01}x^2 + {01}x + {02} mod x^4 + 1."""
    out = []
    for c in range(4):
        a0, a1, a2, a3 = s[4 * c : 4 * c + 4]
        out += [
            _MUL2[a0] ^ _MUL3[a1] ^ a2 ^ a3,
            a0 ^ _MUL2[a1] ^ _MUL3[a2] ^ a3,
            a0 ^ a1 ^ _MUL2[a2] ^ _MUL3[a3],
            _MUL3[a0] ^ a1 ^ a2 ^ _MUL2[a3],
        ]
    return out


def _inv_mix_columns(s: list[int]) -> list[int]:
    """InvMixColumns (5.3.3): each column times {0b}x^3 + {0d}x^2 + {09}x + {0e}."""
    out = []
    for c in range(4):
        a0, a1, a2, a3 = s[4 * c : 4 * c + 4]
        out += [
            _MUL14[a0] ^ _MUL11[a1] ^ _MUL13[a2] ^ _MUL9[a3],
            _MUL9[a0] ^ _MUL14[a1] ^ _MUL11[a2] ^ _MUL13[a3],
            _MUL13[a0] ^ _MUL9[a1] ^ _MUL14[a2] ^ _MUL11[a3],
            _MUL11[a0] ^ _MUL13[a1] ^ _MUL9[a2] ^ _MUL14[a3],
        ]
    return out


def _encrypt_block(keys: list[bytes], block: bytes | bytearray | memoryview) -> bytes:
    """Cipher (5.1, Fig. 5)."""
    nr = len(keys) - 1
    s = list(block)
    _add_round_key(s, keys[0])
    for rnd in range(1, nr):
        s = _mix_columns(_shift_rows([SBOX[b] for b in s]))
        _add_round_key(s, keys[rnd])
    s = _shift_rows([SBOX[b] for b in s])
    _add_round_key(s, keys[nr])
    return bytes(s)


def _decrypt_block(keys: list[bytes], block: bytes | bytearray | memoryview) -> bytes:
    """InvCipher (5.3, Fig. 12)."""
    nr = len(keys) - 1
    s = list(block)
    _add_round_key(s, keys[nr])
    for rnd in range(nr - 1, 0, -1):
        s = [INV_SBOX[b] for b in _inv_shift_rows(s)]
        _add_round_key(s, keys[rnd])
        s = _inv_mix_columns(s)
    s = [INV_SBOX[b] for b in _inv_shift_rows(s)]
    _add_round_key(s, keys[0])
    return bytes(s)


# --- SP 800-38A modes ------------------------------------------------------------------


def _whole_blocks(name: str, data: Buffer) -> bytes:
    data = bytes(data)
    if len(data) % 16:
        raise ValueError(f"{name}: data must be a whole number of 16-byte blocks")
    return data


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=False))


def aes_ecb_encrypt(schedule: bytes, data: Buffer) -> bytes:
    """ECB encryption (SP 800-38A, 6.1): C_j = CIPH_K(P_j)."""
    keys = _round_keys("aes_ecb_encrypt", schedule)
    data = _whole_blocks("aes_ecb_encrypt", data)
    return b"".join(_encrypt_block(keys, data[i : i + 16]) for i in range(0, len(data), 16))


def aes_ecb_decrypt(schedule: bytes, data: Buffer) -> bytes:
    """ECB decryption (SP 800-38A, 6.1): P_j = CIPH^-1_K(C_j)."""
    keys = _round_keys("aes_ecb_decrypt", schedule)
    data = _whole_blocks("aes_ecb_decrypt", data)
    return b"".join(_decrypt_block(keys, data[i : i + 16]) for i in range(0, len(data), 16))


def aes_cbc_encrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """CBC encryption (SP 800-38A, 6.2): C_1 = CIPH_K(P_1 + IV), C_j = CIPH_K(P_j + C_j-1)."""
    keys = _round_keys("aes_cbc_encrypt", schedule)
    if len(iv) != 16:
        raise ValueError("aes_cbc_encrypt: iv must be 16 bytes")
    data = _whole_blocks("aes_cbc_encrypt", data)
    out = []
    chain = bytes(iv)
    for i in range(0, len(data), 16):
        chain = _encrypt_block(keys, _xor(data[i : i + 16], chain))
        out.append(chain)
    return b"".join(out)


def aes_cbc_decrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """CBC decryption (SP 800-38A, 6.2): P_1 = CIPH^-1_K(C_1) + IV,
    P_j = CIPH^-1_K(C_j) + C_j-1."""
    keys = _round_keys("aes_cbc_decrypt", schedule)
    if len(iv) != 16:
        raise ValueError("aes_cbc_decrypt: iv must be 16 bytes")
    data = _whole_blocks("aes_cbc_decrypt", data)
    out = []
    chain = bytes(iv)
    for i in range(0, len(data), 16):
        block = data[i : i + 16]
        out.append(_xor(_decrypt_block(keys, block), chain))
        chain = block
    return b"".join(out)


def aes_ctr(schedule: bytes, counter_block: bytes, data: Buffer, counter_bytes: int) -> bytes:
    """CTR mode (SP 800-38A, 6.5): O_j = CIPH_K(T_j), C_j = P_j + O_j, the last block
    truncated. T_1 = *counter_block*; T_j+1 adds 1 to the last *counter_bytes* bytes read
    as a big-endian integer, modulo 2^(8 counter_bytes) (the standard incrementing
    function of B.1 with m = 8 counter_bytes); the other bytes stay fixed."""
    keys = _round_keys("aes_ctr", schedule)
    if len(counter_block) != 16:
        raise ValueError("aes_ctr: counter block must be 16 bytes")
    if not 1 <= counter_bytes <= 16:
        raise ValueError("aes_ctr: counter_bytes must be in 1..16")
    data = bytes(data)
    prefix = bytes(counter_block[: 16 - counter_bytes])
    counter = int.from_bytes(counter_block[16 - counter_bytes :], "big")
    modulus = 1 << (8 * counter_bytes)
    out = []
    for i in range(0, len(data), 16):
        t = prefix + counter.to_bytes(counter_bytes, "big")
        out.append(_xor(data[i : i + 16], _encrypt_block(keys, t)))
        counter = (counter + 1) % modulus
    return b"".join(out)
