"""TDEA / 3DES-EDE (SP 800-67 Rev. 2) over DES (FIPS 46-3), ECB and CBC (SP 800-38A):
pure-Python twin of ``nocrypto/_native/des.c``.

The executable specification of the C kernel, written from FIPS 46-3 ("Data Encryption
Standard", the tables of its appendix 1) and SP 800-67 (section 3.1: the TDEA forward
operation is C = E_K3(D_K2(E_K1(P))) and the inverse P = D_K1(E_K2(D_K3(C)))). Bits are
numbered as in FIPS 46-3: bit 1 is the most significant bit of a block.

The key schedule is an opaque ``bytes``: here the 3 x 16 round keys K_n of 48 bits, 6 bytes
each (288 bytes), meaningful only to the functions of this module. This twin does not try to
be constant time (it indexes the S-boxes by data); DES is kept for the legacy TLS suite only.
"""

from __future__ import annotations

__all__ = [
    "SBOXES",
    "des3_cbc_decrypt",
    "des3_cbc_encrypt",
    "des3_ecb_decrypt",
    "des3_ecb_encrypt",
    "des3_expand_key",
    "des_encrypt_block",
]

Buffer = bytes | bytearray | memoryview

# --- FIPS 46-3, appendix 1: the tables ----------------------------------------------------

#: Initial permutation IP: output bit i is input bit IP[i - 1].
IP = (
    58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
    62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
    57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
    61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
)  # fmt: skip

#: The inverse initial permutation IP^-1.
FP = tuple(IP.index(i) + 1 for i in range(1, 65))

#: The E bit-selection table (32 -> 48 bits).
E = (
    32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9,
    8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
    16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25,
    24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
)  # fmt: skip

#: The permutation P of the cipher function f.
P = (
    16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
    2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
)  # fmt: skip

#: Permuted choice 1 (64 -> 56 bits; the parity bits 8, 16, ..., 64 are dropped).
PC1 = (
    57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
    10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
    63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
    14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
)  # fmt: skip

#: Permuted choice 2 (56 -> 48 bits).
PC2 = (
    14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
    23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
    41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
    44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
)  # fmt: skip

#: Left shifts of C and D before each of the 16 rounds.
SHIFTS = (1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1)

#: The selection functions S1..S8: SBOXES[i][row][column].
SBOXES = (
    (
        (14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7),
        (0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8),
        (4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0),
        (15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13),
    ),
    (
        (15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10),
        (3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5),
        (0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15),
        (13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9),
    ),
    (
        (10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8),
        (13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1),
        (13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7),
        (1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12),
    ),
    (
        (7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15),
        (13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9),
        (10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4),
        (3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14),
    ),
    (
        (2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9),
        (14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6),
        (4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14),
        (11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3),
    ),
    (
        (12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11),
        (10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8),
        (9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6),
        (4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13),
    ),
    (
        (4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1),
        (13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6),
        (1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2),
        (6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12),
    ),
    (
        (13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7),
        (1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2),
        (7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8),
        (2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11),
    ),
)


def _permute(value: int, table: tuple[int, ...], width: int) -> int:
    """Output bit i (numbered from 1 at the most significant end) is input bit table[i-1]
    of the *width*-bit *value*."""
    out = 0
    for position in table:
        out = (out << 1) | ((value >> (width - position)) & 1)
    return out


def _s(i: int, x: int) -> int:
    """S_i of a 6-bit block B = b1..b6: row b1 b6, column b2 b3 b4 b5."""
    row = ((x >> 4) & 2) | (x & 1)
    column = (x >> 1) & 0xF
    return SBOXES[i][row][column]


#: For speed: P(S_i(x) in the i-th 4-bit slot of 32 zero bits), for each i and 6-bit x, so
#: that P(S1(B1) ... S8(B8)) is the OR of the eight entries.
_SP = tuple(tuple(_permute(_s(i, x) << (28 - 4 * i), P, 32) for x in range(64)) for i in range(8))

# --- Key schedule --------------------------------------------------------------------------


def _key_schedule(key: bytes) -> list[int]:
    """The round keys K1..K16 of a 64-bit DES key (FIPS 46-3, "Key schedule calculation")."""
    cd = _permute(int.from_bytes(key, "big"), PC1, 64)
    c, d = cd >> 28, cd & 0x0FFFFFFF
    keys = []
    for shift in SHIFTS:
        c = ((c << shift) | (c >> (28 - shift))) & 0x0FFFFFFF
        d = ((d << shift) | (d >> (28 - shift))) & 0x0FFFFFFF
        keys.append(_permute((c << 28) | d, PC2, 56))
    return keys


def des3_expand_key(key: bytes) -> bytes:
    """The round keys of K1, K2 and K3 (the 24-byte key K1 || K2 || K3, SP 800-67 3.2)."""
    if len(key) != 24:
        raise ValueError("3DES key must be 24 bytes (K1 || K2 || K3)")
    return b"".join(
        k.to_bytes(6, "big") for i in range(3) for k in _key_schedule(bytes(key[8 * i : 8 * i + 8]))
    )


def _round_keys(name: str, schedule: bytes) -> tuple[list[int], list[int], list[int]]:
    if len(schedule) != 288:
        raise ValueError(f"{name}: schedule must be a key schedule made by des3_expand_key")
    keys = [int.from_bytes(schedule[i : i + 6], "big") for i in range(0, 288, 6)]
    return keys[0:16], keys[16:32], keys[32:48]


# --- The cipher ----------------------------------------------------------------------------


def _f(r: int, k: int) -> int:
    """The cipher function f(R, K) = P(S1(B1) ... S8(B8)) with B1 ... B8 = E(R) + K."""
    x = _permute(r, E, 32) ^ k
    out = 0
    for i in range(8):
        out |= _SP[i][(x >> (42 - 6 * i)) & 0x3F]
    return out


def _des(block: int, keys: list[int]) -> int:
    """DES on a 64-bit block: IP, 16 rounds L_n = R_n-1, R_n = L_n-1 + f(R_n-1, K_n), the
    preoutput R16 L16, IP^-1. Deciphering is the same with the keys in reverse order."""
    x = _permute(block, IP, 64)
    left, right = x >> 32, x & 0xFFFFFFFF
    for k in keys:
        left, right = right, left ^ _f(right, k)
    return _permute((right << 32) | left, FP, 64)


def des_encrypt_block(key: bytes, block: bytes) -> bytes:
    """Single DES on one 8-byte block (for tests of the building block)."""
    keys = _key_schedule(key)
    return _des(int.from_bytes(block, "big"), keys).to_bytes(8, "big")


def _tdea_encrypt(block: int, k1: list[int], k2: list[int], k3: list[int]) -> int:
    """TDEA forward operation (SP 800-67 3.1): E_K3(D_K2(E_K1(P)))."""
    return _des(_des(_des(block, k1), k2[::-1]), k3)


def _tdea_decrypt(block: int, k1: list[int], k2: list[int], k3: list[int]) -> int:
    """TDEA inverse operation (SP 800-67 3.1): D_K1(E_K2(D_K3(C)))."""
    return _des(_des(_des(block, k3[::-1]), k2), k1[::-1])


def _whole_blocks(name: str, data: Buffer) -> list[int]:
    data = bytes(data)
    if len(data) % 8:
        raise ValueError(f"{name}: data must be a whole number of 8-byte blocks")
    return [int.from_bytes(data[i : i + 8], "big") for i in range(0, len(data), 8)]


def _join(blocks: list[int]) -> bytes:
    return b"".join(b.to_bytes(8, "big") for b in blocks)


def des3_ecb_encrypt(schedule: bytes, data: Buffer) -> bytes:
    """TECB encryption (SP 800-38A 6.1 with the TDEA as the block cipher)."""
    k1, k2, k3 = _round_keys("des3_ecb_encrypt", schedule)
    return _join([_tdea_encrypt(b, k1, k2, k3) for b in _whole_blocks("des3_ecb_encrypt", data)])


def des3_ecb_decrypt(schedule: bytes, data: Buffer) -> bytes:
    """TECB decryption."""
    k1, k2, k3 = _round_keys("des3_ecb_decrypt", schedule)
    return _join([_tdea_decrypt(b, k1, k2, k3) for b in _whole_blocks("des3_ecb_decrypt", data)])


def _iv(name: str, iv: bytes) -> int:
    if len(iv) != 8:
        raise ValueError(f"{name}: iv must be 8 bytes")
    return int.from_bytes(iv, "big")


def des3_cbc_encrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """TCBC encryption (SP 800-38A 6.2): C_j = E(P_j + C_j-1), C_0 = IV."""
    k1, k2, k3 = _round_keys("des3_cbc_encrypt", schedule)
    chain = _iv("des3_cbc_encrypt", iv)
    out = []
    for block in _whole_blocks("des3_cbc_encrypt", data):
        chain = _tdea_encrypt(block ^ chain, k1, k2, k3)
        out.append(chain)
    return _join(out)


def des3_cbc_decrypt(schedule: bytes, iv: bytes, data: Buffer) -> bytes:
    """TCBC decryption (SP 800-38A 6.2): P_j = D(C_j) + C_j-1, C_0 = IV."""
    k1, k2, k3 = _round_keys("des3_cbc_decrypt", schedule)
    chain = _iv("des3_cbc_decrypt", iv)
    out = []
    for block in _whole_blocks("des3_cbc_decrypt", data):
        out.append(_tdea_decrypt(block, k1, k2, k3) ^ chain)
        chain = block
    return _join(out)
