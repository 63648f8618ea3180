"""Hash compression functions, finalisation and HMAC, pure-Python twin of
``nocrypto/_native/digest.c``.

The executable specification of the C kernels: MD5 (RFC 1321, section 3.4), SHA-1
(FIPS 180-4, 6.1.2), SHA-256 (6.2.2) and SHA-512 (6.4.2), each written step by step as the
standard gives it. Each function runs the compression function over every block of
*blocks* (64 bytes; 128 for SHA-512), updating *state* in place. The state is the chaining
value serialised as the digest is: MD5 as little-endian 32-bit words, SHA-1 and SHA-256 as
big-endian 32-bit words, SHA-512 as big-endian 64-bit words (16, 20, 32 and 64 bytes).
SHA-224 and SHA-384 use the SHA-256 and SHA-512 functions (FIPS 180-4, 6.3 and 6.5).

``hash_finish`` ends a hash: it pads the message (RFC 1321, 3.1-3.2; FIPS 180-4, 5.1) and
runs the last compressions; ``hash_message`` is a whole hash; ``hmac`` is HMAC (RFC 2104;
FIPS 198-1) over these functions, in one call. In C they spare short messages (HMACs in the
TLS PRF and RFC 6979, hashes of short data) the cost of many calls into the kernel.

The round constants are computed here from their definitions rather than copied, so that
this module specifies them too (the C kernel has them as tables).

CPython gives no timing guarantee; like the C kernel this code has no branch and no index
that depends on the state or the message, only on round numbers and lengths.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "hash_finish",
    "hash_message",
    "hmac",
    "md5_compress",
    "sha1_compress",
    "sha256_compress",
    "sha512_compress",
]

Buffer = bytes | bytearray | memoryview

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def _check(name: str, state: bytearray, size: int, blocks: Buffer, block_size: int) -> int:
    """Validate the arguments as the native wrapper does; return the number of blocks."""
    if not isinstance(state, bytearray):
        raise TypeError(f"{name}: state must be a bytearray, not {type(state).__name__}")
    if len(state) != size:
        raise ValueError(f"{name}: state must be {size} bytes")
    n = memoryview(blocks).nbytes
    if n % block_size:
        raise ValueError(f"{name}: blocks must be a whole number of {block_size}-byte blocks")
    return n // block_size


def _primes(count: int) -> list[int]:
    """The first *count* prime numbers."""
    found: list[int] = []
    candidate = 2
    while len(found) < count:
        if all(candidate % p for p in found):
            found.append(candidate)
        candidate += 1
    return found


def _icbrt(n: int) -> int:
    """floor(n ** (1/3)) for an integer n >= 1, exactly (Newton's method on integers)."""
    x = 1 << -(-n.bit_length() // 3)  # >= the cube root
    while True:
        y = (2 * x + n // (x * x)) // 3
        if y >= x:
            return x
        x = y


# --- MD5 (RFC 1321) ------------------------------------------------------------------------

#: "T[i] denote[s] the i-th element of the table, which is equal to the integer part of
#: 4294967296 times abs(sin(i)), where i is in radians" (RFC 1321, 3.4), i = 1..64. Double
#: precision is enough: no value is within 2^-20 of an integer.
MD5_T = tuple(int(4294967296 * abs(math.sin(i))) for i in range(1, 65))

#: The message word X[k] and the shift s of each of the 64 steps (RFC 1321, 3.4): round 1
#: takes k = i, round 2 k = 5i + 1, round 3 k = 3i + 5, round 4 k = 7i (mod 16).
MD5_K = tuple(
    list(range(16))
    + [(5 * i + 1) % 16 for i in range(16)]
    + [(3 * i + 5) % 16 for i in range(16)]
    + [(7 * i) % 16 for i in range(16)]
)
MD5_S = (7, 12, 17, 22) * 4 + (5, 9, 14, 20) * 4 + (4, 11, 16, 23) * 4 + (6, 10, 15, 21) * 4


def _rotl32(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & M32


def md5_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the MD5 compression function (RFC 1321, 3.4) over 64-byte *blocks*."""
    count = _check("md5_compress", state, 16, blocks, 64)
    a0, b0, c0, d0 = struct.unpack("<4I", state)
    for j in range(count):
        # "Copy block i into X": sixteen little-endian words (RFC 1321, 2 and 3.4).
        x = struct.unpack_from("<16I", blocks, 64 * j)
        a, b, c, d = a0, b0, c0, d0
        for i in range(64):
            # The four auxiliary functions F, G, H, I, one per round of 16 steps.
            if i < 16:
                f = (b & c) | (~b & d)
            elif i < 32:
                f = (b & d) | (c & ~d)
            elif i < 48:
                f = b ^ c ^ d
            else:
                f = c ^ (b | (~d & M32))
            # [abcd k s i]: a = b + ((a + f(b, c, d) + X[k] + T[i]) <<< s); then the
            # operands rotate, a <- d, d <- c, c <- b, b <- the new a.
            t = (a + (f & M32) + x[MD5_K[i]] + MD5_T[i]) & M32
            a, b, c, d = d, (b + _rotl32(t, MD5_S[i])) & M32, b, c
        # "Then perform the following additions" (A = A + AA, ...).
        a0, b0, c0, d0 = (a0 + a) & M32, (b0 + b) & M32, (c0 + c) & M32, (d0 + d) & M32
    state[:] = struct.pack("<4I", a0, b0, c0, d0)


# --- SHA-1 (FIPS 180-4, 6.1) -----------------------------------------------------------------

#: K_t for 0 <= t <= 19, 20..39, 40..59, 60..79 (FIPS 180-4, 4.2.1): floor(2^30 * sqrt(n))
#: for n = 2, 3, 5, 10.
SHA1_K = tuple(math.isqrt(n << 60) for n in (2, 3, 5, 10))


def sha1_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the SHA-1 compression function (FIPS 180-4, 6.1.2) over 64-byte *blocks*."""
    count = _check("sha1_compress", state, 20, blocks, 64)
    h = list(struct.unpack(">5I", state))
    for j in range(count):
        # 1. Prepare the message schedule W_t.
        w = list(struct.unpack_from(">16I", blocks, 64 * j))
        for t in range(16, 80):
            w.append(_rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1))
        # 2. Initialise the working variables with the (i-1)st hash value.
        a, b, c, d, e = h
        # 3. For t = 0 to 79, with f_t of 4.1.1: Ch, Parity, Maj, Parity.
        for t in range(80):
            if t < 20:
                f = (b & c) ^ (~b & d)
            elif t < 40 or t >= 60:
                f = b ^ c ^ d
            else:
                f = (b & c) ^ (b & d) ^ (c & d)
            temp = (_rotl32(a, 5) + (f & M32) + e + SHA1_K[t // 20] + w[t]) & M32
            e, d, c, b, a = d, c, _rotl32(b, 30), a, temp
        # 4. Compute the i-th intermediate hash value.
        h = [(x + y) & M32 for x, y in zip(h, (a, b, c, d, e), strict=True)]
    state[:] = struct.pack(">5I", *h)


# --- SHA-256 (FIPS 180-4, 6.2) ---------------------------------------------------------------

#: "The first thirty-two bits of the fractional parts of the cube roots of the first
#: sixty-four prime numbers" (FIPS 180-4, 4.2.2).
SHA256_K = tuple(_icbrt(p << 96) & M32 for p in _primes(64))


def _rotr32(x: int, n: int) -> int:
    return ((x >> n) | (x << (32 - n))) & M32


def sha256_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the SHA-256 compression function (FIPS 180-4, 6.2.2) over 64-byte *blocks*."""
    count = _check("sha256_compress", state, 32, blocks, 64)
    h = list(struct.unpack(">8I", state))
    for j in range(count):
        # 1. Prepare the message schedule, with sigma0 and sigma1 of 4.1.2 (4.6, 4.7).
        w = list(struct.unpack_from(">16I", blocks, 64 * j))
        for t in range(16, 64):
            x, y = w[t - 15], w[t - 2]
            s0 = _rotr32(x, 7) ^ _rotr32(x, 18) ^ (x >> 3)
            s1 = _rotr32(y, 17) ^ _rotr32(y, 19) ^ (y >> 10)
            w.append((s1 + w[t - 7] + s0 + w[t - 16]) & M32)
        # 2. Initialise the eight working variables with the (i-1)st hash value.
        a, b, c, d, e, f, g, hh = h
        # 3. For t = 0 to 63, with Ch, Maj, Sigma0 and Sigma1 of 4.1.2 (4.2 - 4.5).
        for t in range(64):
            big_s1 = _rotr32(e, 6) ^ _rotr32(e, 11) ^ _rotr32(e, 25)
            ch = (e & f) ^ (~e & g)
            t1 = (hh + big_s1 + ch + SHA256_K[t] + w[t]) & M32
            big_s0 = _rotr32(a, 2) ^ _rotr32(a, 13) ^ _rotr32(a, 22)
            maj = (a & b) ^ (a & c) ^ (b & c)
            t2 = (big_s0 + maj) & M32
            hh, g, f, e, d, c, b, a = g, f, e, (d + t1) & M32, c, b, a, (t1 + t2) & M32
        # 4. Compute the i-th intermediate hash value.
        h = [(x + y) & M32 for x, y in zip(h, (a, b, c, d, e, f, g, hh), strict=True)]
    state[:] = struct.pack(">8I", *h)


# --- SHA-512 (FIPS 180-4, 6.4) ---------------------------------------------------------------

#: "The first sixty-four bits of the fractional parts of the cube roots of the first
#: eighty prime numbers" (FIPS 180-4, 4.2.3).
SHA512_K = tuple(_icbrt(p << 192) & M64 for p in _primes(80))


def _rotr64(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & M64


def sha512_compress(state: bytearray, blocks: Buffer) -> None:
    """Run the SHA-512 compression function (FIPS 180-4, 6.4.2) over 128-byte *blocks*."""
    count = _check("sha512_compress", state, 64, blocks, 128)
    h = list(struct.unpack(">8Q", state))
    for j in range(count):
        # 1. Prepare the message schedule, with sigma0 and sigma1 of 4.1.3 (4.12, 4.13).
        w = list(struct.unpack_from(">16Q", blocks, 128 * j))
        for t in range(16, 80):
            x, y = w[t - 15], w[t - 2]
            s0 = _rotr64(x, 1) ^ _rotr64(x, 8) ^ (x >> 7)
            s1 = _rotr64(y, 19) ^ _rotr64(y, 61) ^ (y >> 6)
            w.append((s1 + w[t - 7] + s0 + w[t - 16]) & M64)
        # 2. Initialise the eight working variables with the (i-1)st hash value.
        a, b, c, d, e, f, g, hh = h
        # 3. For t = 0 to 79, with Ch, Maj, Sigma0 and Sigma1 of 4.1.3 (4.8 - 4.11).
        for t in range(80):
            big_s1 = _rotr64(e, 14) ^ _rotr64(e, 18) ^ _rotr64(e, 41)
            ch = (e & f) ^ (~e & g)
            t1 = (hh + big_s1 + ch + SHA512_K[t] + w[t]) & M64
            big_s0 = _rotr64(a, 28) ^ _rotr64(a, 34) ^ _rotr64(a, 39)
            maj = (a & b) ^ (a & c) ^ (b & c)
            t2 = (big_s0 + maj) & M64
            hh, g, f, e, d, c, b, a = g, f, e, (d + t1) & M64, c, b, a, (t1 + t2) & M64
        # 4. Compute the i-th intermediate hash value.
        h = [(x + y) & M64 for x, y in zip(h, (a, b, c, d, e, f, g, hh), strict=True)]
    state[:] = struct.pack(">8Q", *h)


# --- the end of a hash, and HMAC ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hash:
    """What padding and HMAC need of a hash: its compression function, the widths of its
    state, block and digest (RFC 1321, 3; FIPS 180-4, 1 and 5.3), its initial value
    serialised as the state, and its message-length field."""

    compress: Callable[[bytearray, Buffer], None]
    state_size: int
    block_size: int
    digest_size: int
    initial: bytes
    #: 64 bits little-endian for MD5 (RFC 1321, 3.2); 64 or 128 bits big-endian for SHA
    #: (FIPS 180-4, 5.1.1 and 5.1.2)
    length_bytes: int
    length_order: Literal["little", "big"]


_HASHES: dict[str, _Hash] = {
    # RFC 1321, 3.3: "word A: 01 23 45 67 ..." (low-order bytes first).
    "md5": _Hash(
        md5_compress, 16, 64, 16, bytes.fromhex("0123456789abcdeffedcba9876543210"), 8, "little"
    ),
    # FIPS 180-4, 5.3.1 - 5.3.5, H(0) as big-endian words; SHA-224 and SHA-384 keep the
    # leftmost 224 and 384 bits of the final state (6.3 and 6.5).
    "sha1": _Hash(
        sha1_compress,
        20,
        64,
        20,
        bytes.fromhex("67452301efcdab8998badcfe10325476c3d2e1f0"),
        8,
        "big",
    ),
    "sha224": _Hash(
        sha256_compress,
        32,
        64,
        28,
        bytes.fromhex("c1059ed8367cd5073070dd17f70e5939ffc00b316858151164f98fa7befa4fa4"),
        8,
        "big",
    ),
    "sha256": _Hash(
        sha256_compress,
        32,
        64,
        32,
        bytes.fromhex("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19"),
        8,
        "big",
    ),
    "sha384": _Hash(
        sha512_compress,
        64,
        128,
        48,
        bytes.fromhex(
            "cbbb9d5dc1059ed8629a292a367cd5079159015a3070dd17152fecd8f70e5939"
            "67332667ffc00b318eb44a8768581511db0c2e0d64f98fa747b5481dbefa4fa4"
        ),
        16,
        "big",
    ),
    "sha512": _Hash(
        sha512_compress,
        64,
        128,
        64,
        bytes.fromhex(
            "6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1"
            "510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179"
        ),
        16,
        "big",
    ),
}


def _hash(name: str, algorithm: str) -> _Hash:
    try:
        return _HASHES[algorithm]
    except KeyError:
        raise ValueError(
            f"{name}: unknown hash {algorithm!r} (md5, sha1, sha224, sha256, sha384, sha512)"
        ) from None


def _finish(h: _Hash, state: bytearray, tail: bytes, length: int) -> bytes:
    """Pad and run the last compressions over a copy of *state*; the digest."""
    # RFC 1321, 3.1-3.2 and FIPS 180-4, 5.1.1-5.1.2: the bit "1", then k zero bits with
    # the padded length l + 1 + k = (block - length field) mod block, then the length l in
    # bits. MD5 keeps "the low-order 64 bits" of it (RFC 1321, 3.2); for SHA the caller
    # bounds the message (FIPS 180-4, 1: l < 2^64, or 2^128 for SHA-384 and SHA-512), so
    # the low-order bits are all of them.
    field = h.length_bytes
    zeros = (-(len(tail) + 1 + field)) % h.block_size
    bits = (8 * length) % (1 << (8 * field))
    padded = tail + b"\x80" + bytes(zeros) + bits.to_bytes(field, h.length_order)
    st = bytearray(state)
    h.compress(st, padded)
    return bytes(st[: h.digest_size])


def hash_finish(algorithm: str, state: Buffer, tail: Buffer, length: int) -> bytes:
    """The digest of a *length*-byte message: *state* is the chaining value after its whole
    blocks (not modified), *tail* its last ``length % block_size`` bytes; pads with the
    low-order 64 bits of the bit length (128 for SHA-384 and SHA-512) and runs the last
    compressions (RFC 1321, 3.1-3.2; FIPS 180-4, 5.1)."""
    h = _hash("hash_finish", algorithm)
    st = bytearray(memoryview(state).cast("B"))
    data = memoryview(tail).tobytes()
    if len(st) != h.state_size:
        raise ValueError(f"hash_finish: a {algorithm} state must be {h.state_size} bytes")
    if type(length) is not int or length < 0 or length % h.block_size != len(data):
        raise ValueError(f"hash_finish: tail must be the last length % {h.block_size} bytes")
    return _finish(h, st, data, length)


def _hash_all(h: _Hash, data: bytes) -> bytes:
    """H(data): the initial value, the whole blocks, then the padding."""
    st = bytearray(h.initial)
    whole = len(data) - len(data) % h.block_size
    h.compress(st, data[:whole])
    return _finish(h, st, data[whole:], len(data))


def hash_message(algorithm: str, message: Buffer) -> bytes:
    """The digest of *message* with the hash *algorithm*, in one call."""
    return _hash_all(_hash("hash_message", algorithm), memoryview(message).tobytes())


def hmac(algorithm: str, key: Buffer, message: Buffer) -> bytes:
    """HMAC(key, message) over the hash *algorithm* (RFC 2104; FIPS 198-1), in one call."""
    h = _hash("hmac", algorithm)
    k = memoryview(key).tobytes()
    text = memoryview(message).tobytes()
    block = h.block_size
    # RFC 2104, 2 (FIPS 198-1, 4 steps 1-3): "Applications that use keys longer than B
    # bytes will first hash the key using H"; then (1) "append zeros to the end of K to
    # create a B byte string".
    if len(k) > block:
        k = _hash_all(h, k)
    k0 = k.ljust(block, b"\x00")
    # (2)-(4): H(K0 XOR ipad, text), ipad = the byte 0x36 repeated B times;
    # (5)-(7): H(K0 XOR opad, inner), opad = the byte 0x5C repeated B times.
    inner = _hash_all(h, bytes(b ^ 0x36 for b in k0) + text)
    return _hash_all(h, bytes(b ^ 0x5C for b in k0) + inner)
