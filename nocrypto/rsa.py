"""RSA (RFC 8017, PKCS #1 v2.2): keys, signatures and encryption.

- Keys (section 3): :class:`RSAPublicKey` (n, e) and :class:`RSAPrivateKey` in the CRT
  form (n, e, d, p, q, dP, dQ, qInv), made by :meth:`RSAPrivateKey.generate` (FIPS 186-4
  B.3.3, probable primes) or from integers by :meth:`RSAPrivateKey.from_numbers`, which
  checks the relations of section 3.2. Exports are plain integers
  (:attr:`~RSAPublicKey.public_numbers`, :attr:`~RSAPrivateKey.private_numbers`); key file
  formats are the business of ``x509``.
- Signatures: RSASSA-PKCS1-v1_5 (section 8.2) and RSASSA-PSS (8.1, EMSA-PSS 9.1, MGF1
  B.2.1). PKCS #1 v1.5 verification re-encodes EMSA-PKCS1-v1_5 from the digest and compares
  the whole block: the DigestInfo is never parsed, so the Bleichenbacher-2006 forgeries
  (garbage hidden in a leniently parsed ASN.1 block) do not apply.
- Encryption: RSAES-OAEP (7.1) and RSAES-PKCS1-v1_5 (7.2); and
  :meth:`RSAPrivateKey.decrypt_pkcs1v15_or` for the TLS RSA key exchange (RFC 5246
  7.4.7.1), which returns a fallback premaster secret, chosen without a branch on the
  padding check, for any malformed block.

PSS salt lengths. Signing uses a salt of the digest length unless told otherwise (an int,
or ``"max"``: the largest that fits, emLen - hLen - 2); verification by default requires
exactly the digest length (what TLS 1.2 and 1.3 expect), accepts an explicit int, ``"max"``
or ``"auto"`` (any salt length, recovered from the encoded message, as OpenSSL's
``-1``/``auto``).

Private operations (section 5.1.2, second form) use the CRT: m1 = c^dP mod p,
m2 = c^dQ mod q, h = qInv (m1 - m2) mod p, m = m2 + q h, in one call of the constant-time
``mp`` kernel (``rsa_crt`` of ``nocrypto._backend.mp()``), which also blinds and unblinds:
the input is blinded (Kocher 1996, section 10), c' = c r^e mod n, and the result unblinded
with r^-1. A blinding pair (r^e, r^-1) is made with a fresh random r and the kernel's
constant-time inverse, then used for 32 operations, squared after each one (as OpenSSL's
BN_BLINDING does; the kernel returns the squares with the result). Pairs are kept per key
in a small pool: an operation takes one (or makes one if none is free), so that threads
signing with the same key do not wait for each other, and gives it back squared; a pair
made in another process (before a fork) is dropped. Before a result is released the
kernel verifies the private operation, m'^e = c' mod n (on the blinded values), which
catches a fault in either CRT half or in the recombination (Boneh, DeMillo and Lipton
1997): a signature or decryption then fails with ValueError, and the TLS entry point
returns its fallback.

Hashes: the full-message methods hash with :mod:`nocrypto.hashes` (MD5, SHA-1, SHA-2).
The ``*_digest`` methods of PKCS #1 v1.5 also take digests of SHA-512/224, SHA-512/256
and SHA-3 made elsewhere (their DigestInfo prefixes are below); PSS and OAEP need the hash
itself and take only the hashes of :mod:`nocrypto.hashes`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from math import gcd
from typing import Final, Literal

from nocrypto import _backend, hashes, primes, rng
from nocrypto._compare import compare_digest

__all__ = [
    "BLINDING_USES",
    "DIGEST_INFO_PREFIXES",
    "MAX_MODULUS_BITS",
    "MIN_MODULUS_BITS",
    "EncryptionPadding",
    "RSAPrivateKey",
    "RSAPrivateNumbers",
    "RSAPublicKey",
    "RSAPublicNumbers",
    "SaltLength",
    "SignaturePadding",
]

SignaturePadding = Literal["pkcs1v15", "pss"]
EncryptionPadding = Literal["oaep", "pkcs1v15"]
SaltLength = int | Literal["auto", "max"] | None
Random = Callable[[int], bytes]

#: Keys smaller than this are refused (loaded or generated); generate() wants 2048.
MIN_MODULUS_BITS: Final = 1024
#: The largest modulus of the mp kernel.
MAX_MODULUS_BITS: Final = _backend.MAX_MODULUS_BITS
_GENERATE_BITS: Final = (2048, 4096)
#: Private operations per blinding pair before a fresh one is made.
BLINDING_USES: Final = 32
#: Draws of a blinding value before the random source is declared broken.
_BLINDING_ATTEMPTS: Final = 8

#: RFC 8017 section 9.2, note 1: DER of DigestInfo up to the digest, per hash; SHA-3 from
#: the NIST hash OIDs 2.16.840.1.101.3.4.2.7-10 in the same structure.
DIGEST_INFO_PREFIXES: Final = {
    "md5": bytes.fromhex("3020300c06082a864886f70d020505000410"),
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha224": bytes.fromhex("302d300d06096086480165030402040500041c"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
    "sha512_224": bytes.fromhex("302d300d06096086480165030402050500041c"),
    "sha512_256": bytes.fromhex("3031300d060960864801650304020605000420"),
    "sha3_224": bytes.fromhex("302d300d06096086480165030402070500041c"),
    "sha3_256": bytes.fromhex("3031300d060960864801650304020805000420"),
    "sha3_384": bytes.fromhex("3041300d060960864801650304020905000430"),
    "sha3_512": bytes.fromhex("3051300d060960864801650304020a05000440"),
    # RFC 2246 4.7 / RFC 4346 4.7: TLS 1.0 and 1.1 sign "using PKCS #1 block type 1" the
    # 36 octets MD5(m) || SHA-1(m), without a DigestInfo (sign_digest/verify_digest only).
    "md5sha1": b"",
}
# The digest length is the last byte of each prefix (the OCTET STRING length).
_DIGEST_SIZES: Final = {
    name: prefix[-1] if prefix else 36 for name, prefix in DIGEST_INFO_PREFIXES.items()
}

# The kernel loader (a function, so that tests can substitute a faulty kernel).
_mp = _backend.mp


def _hash_name(name: str) -> str:
    """The canonical name of *name* ("SHA-256" -> "sha256", "SHA-512/224" -> "sha512_224",
    "SHA3-256" -> "sha3_256", "MD5-SHA1" -> "md5sha1"); ValueError for a hash this module
    does not know."""
    if not isinstance(name, str):
        raise TypeError(f"RSA: the hash name must be a str, not {type(name).__name__}")
    key = name.lower().replace("/", "_")
    sha3 = key.startswith(("sha3-", "sha3_"))
    key = "sha3_" + key[5:] if sha3 else key.replace("-", "")
    if key not in DIGEST_INFO_PREFIXES:
        raise ValueError(f"RSA: unsupported hash {name!r}")
    return key


def _hasher(name: str) -> str:
    """*name* canonical, and one that nocrypto.hashes computes (for hashing messages,
    PSS, OAEP and MGF1)."""
    key = _hash_name(name)
    if key not in hashes.ALGORITHMS:
        raise ValueError(
            f"RSA: hash {name!r} is not provided by nocrypto.hashes (only its digest can be "
            "used, with PKCS #1 v1.5 sign_digest/verify_digest)"
        )
    return key


def _digest(name: str, data: bytes) -> bytes:
    return hashes.new(name, data).digest()


def _as_bytes(what: str, data: object) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise TypeError(f"RSA: {what} must be bytes-like, not {type(data).__name__}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- encoding methods (RFC 8017 sections 4, 9 and B.2) --------------------------------------


def _mgf1(seed: bytes, length: int, hash_name: str) -> bytes:
    """MGF1 (B.2.1): Hash(seed || C) for the 4-octet counters C = 0, 1, ..., truncated."""
    size = hashes.PROPERTIES[hash_name].digest_size
    blocks = [_digest(hash_name, seed + i.to_bytes(4, "big")) for i in range(-(-length // size))]
    return b"".join(blocks)[:length]


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _emsa_pkcs1_v15(digest: bytes, hash_name: str, em_len: int) -> bytes:
    """EMSA-PKCS1-v1_5 (9.2) from the digest: 0x00 0x01 PS 0x00 T, T = DigestInfo."""
    t = DIGEST_INFO_PREFIXES[hash_name] + digest
    if em_len < len(t) + 11:  # step 3
        raise ValueError("RSA: intended encoded message length too short for this hash")
    return b"\x00\x01" + b"\xff" * (em_len - len(t) - 3) + b"\x00" + t


def _emsa_pss_encode(
    m_hash: bytes, em_bits: int, hash_name: str, mgf_hash: str, salt: bytes
) -> bytes:
    """EMSA-PSS-ENCODE (9.1.1) from mHash and the salt."""
    h_len = len(m_hash)
    em_len = -(-em_bits // 8)
    if em_len < h_len + len(salt) + 2:  # step 3
        raise ValueError("RSA: encoding error, the key is too small for this hash and salt")
    h = _digest(hash_name, bytes(8) + m_hash + salt)  # steps 5-6: H = Hash(M')
    db = bytes(em_len - len(salt) - h_len - 2) + b"\x01" + salt  # steps 7-8
    masked_db = bytearray(_xor(db, _mgf1(h, em_len - h_len - 1, mgf_hash)))  # steps 9-10
    masked_db[0] &= 0xFF >> (8 * em_len - em_bits)  # step 11
    return bytes(masked_db) + h + b"\xbc"  # step 12


def _emsa_pss_verify(
    m_hash: bytes, em: bytes, em_bits: int, hash_name: str, mgf_hash: str, s_len: int | None
) -> bool:
    """EMSA-PSS-VERIFY (9.1.2); *s_len* None accepts any salt length."""
    h_len = len(m_hash)
    em_len = len(em)
    if em_len < h_len + (s_len or 0) + 2:  # step 3
        return False
    if em[-1] != 0xBC:  # step 4
        return False
    masked_db, h = em[: em_len - h_len - 1], em[em_len - h_len - 1 : -1]  # step 5
    top = 8 * em_len - em_bits  # 0..7 bits of the first octet that must be zero
    if masked_db[0] & ~(0xFF >> top):  # step 6
        return False
    db = bytearray(_xor(masked_db, _mgf1(h, em_len - h_len - 1, mgf_hash)))  # steps 7-8
    db[0] &= 0xFF >> top  # step 9
    if s_len is None:  # recover the salt length: zeros, then 0x01
        ps_len = next((i for i, b in enumerate(db) if b), len(db))
        s_len = len(db) - ps_len - 1
    else:
        ps_len = em_len - h_len - s_len - 2
    if s_len < 0 or any(db[:ps_len]) or db[ps_len] != 0x01:  # step 10
        return False
    salt = bytes(db[len(db) - s_len :]) if s_len else b""  # step 11
    h2 = _digest(hash_name, bytes(8) + m_hash + salt)  # steps 12-13
    return compare_digest(h, h2)  # step 14


def _pss_salt_length(salt_length: SaltLength, h_len: int, em_len: int, verify: bool) -> int | None:
    if salt_length is None:
        return h_len
    if salt_length == "max":
        return max(em_len - h_len - 2, 0)
    if salt_length == "auto" and verify:
        return None
    if isinstance(salt_length, int) and not isinstance(salt_length, bool) and salt_length >= 0:
        return salt_length
    allowed = 'None, an int >= 0, "max" or "auto"' if verify else 'None, an int >= 0 or "max"'
    raise ValueError(f"RSA-PSS: salt_length must be {allowed}")


def _oaep_encode(
    message: bytes, label: bytes, k: int, hash_name: str, mgf_hash: str, random: Random
) -> bytes:
    """EME-OAEP encoding (7.1.1 step 2)."""
    h_len = hashes.PROPERTIES[hash_name].digest_size
    if len(message) > k - 2 * h_len - 2:  # step 1b
        raise ValueError("RSA-OAEP: message too long")
    l_hash = _digest(hash_name, label)
    db = l_hash + bytes(k - len(message) - 2 * h_len - 2) + b"\x01" + message
    seed = random(h_len)
    if len(seed) != h_len:
        raise ValueError("RSA-OAEP: the random source returned the wrong number of bytes")
    masked_db = _xor(db, _mgf1(seed, k - h_len - 1, mgf_hash))
    masked_seed = _xor(seed, _mgf1(masked_db, h_len, mgf_hash))
    return b"\x00" + masked_seed + masked_db


def _is_zero(b: int) -> int:
    """1 if the byte b is 0, else 0, by arithmetic ((b - 1) is negative only for 0)."""
    return ((b - 1) >> 8) & 1


def _oaep_decode(em: bytes, label: bytes, hash_name: str, mgf_hash: str) -> bytes | None:
    """EME-OAEP decoding (7.1.2 step 3), every check computed before any is acted on and
    the separator found by a scan of the whole block (the note of 7.1.2: an opponent must
    not learn which check failed)."""
    h_len = hashes.PROPERTIES[hash_name].digest_size
    k = len(em)
    l_hash = _digest(hash_name, label)
    masked_seed, masked_db = em[1 : 1 + h_len], em[1 + h_len :]
    seed = _xor(masked_seed, _mgf1(masked_db, h_len, mgf_hash))
    db = _xor(masked_db, _mgf1(seed, k - h_len - 1, mgf_hash))
    good = _is_zero(em[0]) & int(compare_digest(db[:h_len], l_hash))
    found = 0  # 1 once the 0x01 separator has been seen
    index = 0  # its position in db[h_len:]
    for i, b in enumerate(db[h_len:]):
        one = _is_zero(b ^ 1)
        first = one & (found ^ 1)
        index |= i * first
        # Before the separator every byte must be zero.
        good &= found | one | _is_zero(b)
        found |= one
    good &= found
    if not good:
        return None
    return db[h_len + index + 1 :]


def _pkcs1v15_pad_encrypt(message: bytes, k: int, random: Random) -> bytes:
    """EME-PKCS1-v1_5 encoding (7.2.1 step 2): 0x00 0x02 PS 0x00 M, PS random nonzero."""
    if len(message) > k - 11:  # step 1
        raise ValueError("RSAES-PKCS1-v1_5: message too long")
    need = k - len(message) - 3
    ps = b""
    while len(ps) < need:  # draw again for the zero octets dropped
        ps += random(need - len(ps)).replace(b"\x00", b"")
    return b"\x00\x02" + ps + b"\x00" + message


def _pkcs1v15_unpad(em: bytes) -> bytes | None:
    """EME-PKCS1-v1_5 decoding (7.2.2 step 3): the separator found by a full scan."""
    good = _is_zero(em[0]) & _is_zero(em[1] ^ 2)
    found = 0
    index = 0
    for i in range(2, len(em)):
        zero = _is_zero(em[i])
        first = zero & (found ^ 1)
        index |= i * first
        found |= zero
    good &= found
    good &= 1 - (((index - 10) >> 16) & 1)  # PS of at least 8 octets: separator at >= 10
    if not good:
        return None
    return em[index + 1 :]


def _far_from(p: int, half: int, coprime: Callable[[int], bool]) -> Callable[[int], bool]:
    """The predicate for q: coprime, and |p - q| > 2^(half - 100) (FIPS 186-4 B.3.3 5.4)."""
    return lambda c: coprime(c) and abs(p - c) > 1 << (half - 100)


# --- keys -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RSAPublicNumbers:
    """The integers of an RSA public key (RFC 8017 3.1)."""

    n: int
    e: int


@dataclass(frozen=True, slots=True)
class RSAPrivateNumbers:
    """The integers of an RSA private key in its CRT form (RFC 8017 3.2, second form, two
    primes). ``repr`` shows only n and e."""

    n: int
    e: int
    d: int
    p: int
    q: int
    dp: int
    dq: int
    qinv: int

    def __repr__(self) -> str:
        return f"RSAPrivateNumbers(n={self.n:#x}, e={self.e}, ...)"


def _check_public(n: object, e: object) -> tuple[int, int]:
    if not _is_int(n) or not _is_int(e):
        raise TypeError("RSA: n and e must be ints")
    assert isinstance(n, int) and isinstance(e, int)
    if not MIN_MODULUS_BITS <= n.bit_length() <= MAX_MODULUS_BITS:
        raise ValueError(
            f"RSA: the modulus must have {MIN_MODULUS_BITS} to {MAX_MODULUS_BITS} bits"
        )
    if n % 2 == 0:
        raise ValueError("RSA: the modulus must be odd (a product of odd primes, RFC 8017 3.1)")
    if not (3 <= e < n and e % 2 == 1):
        raise ValueError("RSA: e must be odd with 3 <= e <= n - 1 (RFC 8017 3.1)")
    return n, e


class RSAPublicKey:
    """An RSA public key (n, e), checked as RFC 8017 3.1 asks: n odd of 1024 to 8192 bits,
    e odd with 3 <= e < n. Equal keys compare equal."""

    __slots__ = ("_e", "_k", "_n")

    def __init__(self, n: int, e: int) -> None:
        self._n, self._e = _check_public(n, e)
        self._k = (self._n.bit_length() + 7) // 8

    @property
    def n(self) -> int:
        return self._n

    @property
    def e(self) -> int:
        return self._e

    @property
    def size_bits(self) -> int:
        """The bit length of the modulus."""
        return self._n.bit_length()

    @property
    def size_bytes(self) -> int:
        """k, the length of the modulus and of signatures and ciphertexts, in octets."""
        return self._k

    @property
    def public_numbers(self) -> RSAPublicNumbers:
        return RSAPublicNumbers(self._n, self._e)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RSAPublicKey):
            return NotImplemented
        return (self._n, self._e) == (other._n, other._e)

    def __hash__(self) -> int:
        return hash((self._n, self._e))

    def __repr__(self) -> str:
        return f"RSAPublicKey({self.size_bits} bits, e={self._e})"

    def _rsaep(self, m: int) -> int:
        """RSAEP / RSAVP1 (5.1.1, 5.2.2): m^e mod n, in the kernel (the base may be a
        secret plaintext)."""
        return _mp().mod_exp(m, self._e, self._n, self._e.bit_length())

    def verify(
        self,
        signature: bytes,
        message: bytes,
        hash: str = "sha256",
        padding: SignaturePadding = "pkcs1v15",
        salt_length: SaltLength = None,
        mgf_hash: str | None = None,
    ) -> bool:
        """Whether *signature* is valid for *message* (RSASSA-PKCS1-V1_5-VERIFY 8.2.2 or
        RSASSA-PSS-VERIFY 8.1.2). False for any invalid signature, whatever its length or
        value; ValueError only for unknown parameters."""
        name = _hasher(hash)
        return self.verify_digest(
            signature,
            _digest(name, _as_bytes("message", message)),
            name,
            padding,
            salt_length,
            mgf_hash,
        )

    def verify_digest(
        self,
        signature: bytes,
        digest: bytes,
        hash: str = "sha256",
        padding: SignaturePadding = "pkcs1v15",
        salt_length: SaltLength = None,
        mgf_hash: str | None = None,
    ) -> bool:
        """:meth:`verify` for a message already hashed with *hash* (*digest*)."""
        signature = _as_bytes("signature", signature)
        digest = _as_bytes("digest", digest)
        name = _hash_name(hash)
        if len(digest) != _DIGEST_SIZES[name]:
            raise ValueError(f"RSA: a {name} digest has {_DIGEST_SIZES[name]} bytes")
        if padding == "pss":
            name = _hasher(name)
            mgf = _hasher(mgf_hash) if mgf_hash is not None else name
            em_bits = self._n.bit_length() - 1
            em_len = (em_bits + 7) // 8
            s_len = _pss_salt_length(salt_length, len(digest), em_len, verify=True)
        elif padding != "pkcs1v15":
            raise ValueError('RSA: padding must be "pkcs1v15" or "pss"')
        # Steps 1 and 2 of 8.1.2 / 8.2.2: length k, then s < n.
        k = self._k
        if len(signature) != k:
            return False
        s = int.from_bytes(signature, "big")
        if s >= self._n:
            return False
        m = self._rsaep(s)
        if padding == "pss":
            if m >> em_bits:  # I2OSP(m, emLen) would fail: "invalid signature"
                return False
            return _emsa_pss_verify(digest, m.to_bytes(em_len, "big"), em_bits, name, mgf, s_len)
        try:
            expected = _emsa_pkcs1_v15(digest, name, k)
        except ValueError:
            return False
        # 8.2.2 step 4: compare the whole encoded message, never parse it.
        return compare_digest(m.to_bytes(k, "big"), expected)

    def encrypt(
        self,
        message: bytes,
        padding: EncryptionPadding = "oaep",
        hash: str = "sha256",
        label: bytes = b"",
        random: Random = rng.generate,
        mgf_hash: str | None = None,
    ) -> bytes:
        """RSAES-OAEP-ENCRYPT (7.1.1; *hash* for the label hash, MGF1 with *mgf_hash*, by
        default the same) or RSAES-PKCS1-V1_5-ENCRYPT (7.2.1; *hash* and *label* unused)."""
        message = _as_bytes("message", message)
        if padding == "oaep":
            name = _hasher(hash)
            mgf = _hasher(mgf_hash) if mgf_hash is not None else name
            em = _oaep_encode(message, _as_bytes("label", label), self._k, name, mgf, random)
        elif padding == "pkcs1v15":
            em = _pkcs1v15_pad_encrypt(message, self._k, random)
        else:
            raise ValueError('RSA: padding must be "oaep" or "pkcs1v15"')
        return self._rsaep(int.from_bytes(em, "big")).to_bytes(self._k, "big")


class _Blinding:
    """A blinding pair: a = r^e mod n, ai = r^-1 mod n, with uses left, for one process."""

    __slots__ = ("a", "ai", "pid", "uses")

    def __init__(self, a: int, ai: int, uses: int, pid: int) -> None:
        self.a, self.ai, self.uses, self.pid = a, ai, uses, pid


class RSAPrivateKey:
    """An RSA private key in CRT form. Make one with :meth:`generate` or
    :meth:`from_numbers`; ``repr`` shows no secret.

    The numbers never change; the only state is the pool of blinding pairs (see the
    module docstring), guarded by a lock, so one key may be used from several threads. Every
    private operation takes *random*, the source of a fresh blinding factor when one is due
    (and of the PSS salt when signing).
    """

    __slots__ = ("_blindings", "_d", "_dp", "_dq", "_lock", "_p", "_public", "_q", "_qinv")

    def __init__(self, numbers: RSAPrivateNumbers) -> None:
        """Use :meth:`from_numbers`; *numbers* are checked here as there."""
        n, e = _check_public(numbers.n, numbers.e)
        d, p, q = numbers.d, numbers.p, numbers.q
        if not all(_is_int(x) for x in (d, p, q, numbers.dp, numbers.dq, numbers.qinv)):
            raise TypeError("RSA: the private numbers must be ints")
        if not (p > 2 and q > 2 and p * q == n):
            raise ValueError("RSA: n must equal p * q with primes p, q > 2 (RFC 8017 3.1)")
        if p == q:
            raise ValueError("RSA: p and q must be distinct (RFC 8017 3.1)")
        if not 0 < d < n:
            raise ValueError("RSA: d must satisfy 0 < d < n (RFC 8017 3.2)")
        lam = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
        if e * d % lam != 1:
            raise ValueError(
                "RSA: e * d must be 1 mod lambda(n) = lcm(p - 1, q - 1) (RFC 8017 3.1)"
            )
        if not (0 < numbers.dp < p and e * numbers.dp % (p - 1) == 1):
            raise ValueError("RSA: dP must satisfy e * dP = 1 mod (p - 1) (RFC 8017 3.2)")
        if not (0 < numbers.dq < q and e * numbers.dq % (q - 1) == 1):
            raise ValueError("RSA: dQ must satisfy e * dQ = 1 mod (q - 1) (RFC 8017 3.2)")
        if not (0 < numbers.qinv < p and q * numbers.qinv % p == 1):
            raise ValueError("RSA: qInv must satisfy q * qInv = 1 mod p (RFC 8017 3.2)")
        self._public = RSAPublicKey(n, e)
        self._d, self._p, self._q = d, p, q
        self._dp, self._dq, self._qinv = numbers.dp, numbers.dq, numbers.qinv
        self._lock = threading.Lock()
        self._blindings: list[_Blinding] = []

    @classmethod
    def from_numbers(
        cls,
        n: int,
        e: int,
        d: int,
        p: int,
        q: int,
        dp: int | None = None,
        dq: int | None = None,
        qinv: int | None = None,
    ) -> RSAPrivateKey:
        """The key with these numbers; dP, dQ and qInv are computed when not given, and
        checked when given. ValueError names the relation of RFC 8017 3.1/3.2 that fails.
        (p and q are not tested for primality; a key whose numbers are consistent but not
        prime gives wrong CRT results, which the verification of each operation refuses.)"""
        if not all(_is_int(x) for x in (n, e, d, p, q)):
            raise TypeError("RSA: the private numbers must be ints")
        if p < 3 or q < 3 or p == q or p * q != n:
            # Report the first broken rule before computing anything from p and q.
            return cls(RSAPrivateNumbers(n, e, d, p, q, 1, 1, 1))
        if dp is None:
            dp = d % (p - 1)
        if dq is None:
            dq = d % (q - 1)
        if qinv is None:
            qinv = _mp().mod_inverse(q % p, p) if p % 2 else 0
        return cls(RSAPrivateNumbers(n, e, d, p, q, dp, dq, qinv))

    @classmethod
    def generate(
        cls, bits: int = 2048, e: int = 65537, random: Random = rng.generate
    ) -> RSAPrivateKey:
        """A new key (FIPS 186-4 B.3.3 with probable primes, Miller-Rabin rounds of table
        C.3): *bits* a multiple of 8 from 2048 to 4096, e odd with 2^16 < e < 2^256 (B.3.1).

        p and q have bits/2 bits with the top two set (so n has exactly *bits* bits),
        gcd(e, p - 1) = gcd(e, q - 1) = 1, |p - q| > 2^(bits/2 - 100) (B.3.3 step 5.4),
        and d = e^-1 mod lcm(p - 1, q - 1) > 2^(bits/2) (B.3.1 criterion 3). Key generation
        does Python integer arithmetic on p and q (lcm, d, reductions), which is not
        constant time; it runs once per key.
        """
        if not _is_int(bits) or bits % 8 or not _GENERATE_BITS[0] <= bits <= _GENERATE_BITS[1]:
            raise ValueError("RSA: generate() makes keys of 2048 to 4096 bits, a multiple of 8")
        if not _is_int(e) or e % 2 == 0 or not 1 << 16 < e < 1 << 256:
            raise ValueError("RSA: e must be odd with 2^16 < e < 2^256 (FIPS 186-4 B.3.1)")
        half = bits // 2
        mp = _mp()

        def coprime(c: int) -> bool:  # gcd(e, c - 1) = 1, on the small residue (c - 1) mod e
            return gcd(e, (c - 1) % e) == 1

        while True:
            p = primes.generate_prime(half, random, coprime)
            q = primes.generate_prime(half, random, _far_from(p, half, coprime))
            lam = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
            # d = e^-1 mod lambda; lambda is even, so invert lambda mod the odd e instead:
            # t = lambda^-1 mod e, and e * d = 1 + lambda * (e - t) is 1 mod lambda.
            t = mp.mod_inverse(lam % e, e)
            d = (1 + lam * (e - t)) // e
            if d > 1 << half:
                break
        return cls.from_numbers(p * q, e, d, p, q)

    @property
    def size_bits(self) -> int:
        return self._public.size_bits

    @property
    def private_numbers(self) -> RSAPrivateNumbers:
        pub = self._public
        return RSAPrivateNumbers(
            pub.n, pub.e, self._d, self._p, self._q, self._dp, self._dq, self._qinv
        )

    @property
    def public_numbers(self) -> RSAPublicNumbers:
        return self._public.public_numbers

    def public_key(self) -> RSAPublicKey:
        return self._public

    def __repr__(self) -> str:
        return f"RSAPrivateKey({self.size_bits} bits, e={self._public.e})"

    # --- the private operation ------------------------------------------------------------

    def _take_blinding(self, random: Random) -> _Blinding:
        """A blinding pair for one operation: one from the pool, or a fresh one (with a new
        random r) if the pool is empty or its pair was made in another process."""
        with self._lock:
            state = self._blindings.pop() if self._blindings else None
        pid = os.getpid()
        if state is not None and state.pid == pid:
            return state
        n, e = self._public.n, self._public.e
        mp = _mp()
        k = self._public.size_bytes
        for _ in range(_BLINDING_ATTEMPTS):
            r = int.from_bytes(random(k + 8), "big") % n  # 64 extra bits: no bias
            ai = mp.mod_inverse(r, n) if r > 1 else 0
            if ai:
                return _Blinding(mp.mod_exp(r, e, n, e.bit_length()), ai, BLINDING_USES, pid)
        # A usable r fails with probability about 2/n per draw: this is a broken source
        # (constant output), not bad luck.
        raise ValueError("RSA: the random source gives no usable blinding value")

    def _rsadp(self, c: int, random: Random, blind: bool = True) -> int | None:
        """RSADP / RSASP1 (5.1.2, 5.2.1) for 0 <= c < n, by the CRT, blinded, verified;
        None if the verification fails (a fault)."""
        pub = self._public
        state = self._take_blinding(random) if blind else None
        a, ai = (state.a, state.ai) if state is not None else (1, 1)
        out = _mp().rsa_crt(
            c, a, ai, pub.n, pub.e, self._p, self._q, self._dp, self._dq, self._qinv
        )
        if out is None:
            return None  # the pair is dropped with the faulty result
        m, state_a, state_ai = out
        if state is not None:
            state.uses -= 1
            if state.uses:
                state.a, state.ai = state_a, state_ai
                with self._lock:
                    self._blindings.append(state)
        return m

    def _sign_int(self, m: int, random: Random) -> bytes:
        s = self._rsadp(m, random)
        if s is None:
            raise ValueError("RSA: fault detected in the private operation; nothing released")
        return s.to_bytes(self._public.size_bytes, "big")

    # --- signatures -----------------------------------------------------------------------

    def sign(
        self,
        message: bytes,
        hash: str = "sha256",
        padding: SignaturePadding = "pkcs1v15",
        salt_length: SaltLength = None,
        random: Random = rng.generate,
        mgf_hash: str | None = None,
    ) -> bytes:
        """RSASSA-PKCS1-V1_5-SIGN (8.2.1) or RSASSA-PSS-SIGN (8.1.1) of *message* (PSS:
        the salt of *salt_length* bytes from *random*, MGF1 with *mgf_hash*, by default
        *hash*). ValueError if the key is too small for the encoding, or on a fault."""
        name = _hasher(hash)
        digest = _digest(name, _as_bytes("message", message))
        return self.sign_digest(digest, name, padding, salt_length, random, mgf_hash)

    def sign_digest(
        self,
        digest: bytes,
        hash: str = "sha256",
        padding: SignaturePadding = "pkcs1v15",
        salt_length: SaltLength = None,
        random: Random = rng.generate,
        mgf_hash: str | None = None,
    ) -> bytes:
        """:meth:`sign` for a message already hashed with *hash* (*digest*)."""
        digest = _as_bytes("digest", digest)
        name = _hash_name(hash)
        if len(digest) != _DIGEST_SIZES[name]:
            raise ValueError(f"RSA: a {name} digest has {_DIGEST_SIZES[name]} bytes")
        pub = self._public
        if padding == "pkcs1v15":
            em = _emsa_pkcs1_v15(digest, name, pub.size_bytes)
        elif padding == "pss":
            name = _hasher(name)
            mgf = _hasher(mgf_hash) if mgf_hash is not None else name
            em_bits = pub.size_bits - 1
            em_len = (em_bits + 7) // 8
            s_len = _pss_salt_length(salt_length, len(digest), em_len, verify=False)
            assert s_len is not None
            salt = random(s_len)
            if len(salt) != s_len:
                raise ValueError("RSA-PSS: the random source returned the wrong number of bytes")
            em = _emsa_pss_encode(digest, em_bits, name, mgf, salt)
        else:
            raise ValueError('RSA: padding must be "pkcs1v15" or "pss"')
        return self._sign_int(int.from_bytes(em, "big"), random)

    # --- decryption -----------------------------------------------------------------------

    def decrypt(
        self,
        ciphertext: bytes,
        padding: EncryptionPadding = "oaep",
        hash: str = "sha256",
        label: bytes = b"",
        random: Random = rng.generate,
        mgf_hash: str | None = None,
    ) -> bytes:
        """RSAES-OAEP-DECRYPT (7.1.2) or RSAES-PKCS1-V1_5-DECRYPT (7.2.2). Every failure
        (length, range, padding, label, fault) raises the same ValueError("decryption
        error"), as 7.1.2 and 7.2.2 ask. PKCS #1 v1.5 decryption is a padding oracle by
        nature (Bleichenbacher 1998): for TLS use :meth:`decrypt_pkcs1v15_or`."""
        ciphertext = _as_bytes("ciphertext", ciphertext)
        if padding == "oaep":
            name = _hasher(hash)
            mgf = _hasher(mgf_hash) if mgf_hash is not None else name
            label = _as_bytes("label", label)
            h_len = hashes.PROPERTIES[name].digest_size
        elif padding != "pkcs1v15":
            raise ValueError('RSA: padding must be "oaep" or "pkcs1v15"')
        pub = self._public
        k = pub.size_bytes
        error = ValueError("decryption error")
        if len(ciphertext) != k:
            raise error
        c = int.from_bytes(ciphertext, "big")
        if c >= pub.n:
            raise error
        if padding == "oaep" and k < 2 * h_len + 2:
            raise error
        m = self._rsadp(c, random)
        if m is None:
            raise error
        em = m.to_bytes(k, "big")
        oaep = padding == "oaep"
        message = _oaep_decode(em, label, name, mgf) if oaep else _pkcs1v15_unpad(em)
        if message is None:
            raise error
        return message

    def decrypt_pkcs1v15_or(
        self, ciphertext: bytes, fallback: bytes, random: Random = rng.generate
    ) -> bytes:
        """The TLS RSA key exchange (RFC 5246 7.4.7.1): the message of the
        EME-PKCS1-v1_5 block in *ciphertext* if the padding is valid and the message has
        len(*fallback*) bytes, else *fallback* (the random premaster the caller made).

        With L = len(fallback) fixed, a valid block is 0x00 0x02, then k - L - 3 nonzero
        octets, 0x00, then the L message octets at a fixed place; every byte of the block is
        checked into one 0/1 flag by arithmetic (no early exit) and the result is chosen by
        a mask over whole integers: no branch depends on the padding. Only public facts
        steer: the ciphertext length, c < n, and a detected fault (which yields fallback).
        """
        ciphertext = _as_bytes("ciphertext", ciphertext)
        fallback = _as_bytes("fallback", fallback)
        pub = self._public
        k = pub.size_bytes
        size = len(fallback)
        sep = k - size - 1  # index of the 0x00 separator of a valid block
        if size == 0 or sep < 10 or len(ciphertext) != k:
            return fallback
        c = int.from_bytes(ciphertext, "big")
        if c >= pub.n:
            return fallback
        m = self._rsadp(c, random)
        if m is None:
            return fallback
        em = m.to_bytes(k, "big")
        good = _is_zero(em[0]) & _is_zero(em[1] ^ 2) & _is_zero(em[sep])
        for i in range(2, sep):
            good &= 1 - _is_zero(em[i])
        mask = -good & ((1 << (8 * size)) - 1)  # all ones if good, else 0
        chosen = (m & mask) | (int.from_bytes(fallback, "big") & ~mask)
        return (chosen & ((1 << (8 * size)) - 1)).to_bytes(size, "big")
