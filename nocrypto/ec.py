"""Elliptic-curve Diffie-Hellman and ECDSA over NIST P-256, P-384 and P-521.

Standards: the curves of FIPS 186-4 appendix D.1.2 (= SEC 2 secp256r1, secp384r1,
secp521r1); key pairs, point encodings and their validation, ECDH and ECDSA of SEC 1 v2
(sections 2.3.3-2.3.4, 3.2, 3.3.1, 4.1); ECDSA as in FIPS 186-4 section 6; deterministic
nonces of RFC 6979 (``nocrypto.rfc6979``).

- :class:`Curve` describes a curve; :data:`P256`, :data:`P384`, :data:`P521`.
- :class:`ECPublicKey` is a point Q = (x, y), validated on construction (SEC 1 3.2.2.1:
  coordinates in [0, p), on the curve; never the point at infinity; n Q = O holds for
  every point since the cofactor is 1). :meth:`ECPublicKey.from_bytes` reads the SEC 1
  uncompressed (0x04) and compressed (0x02, 0x03) encodings; ValueError names the rule a
  bad encoding breaks.
- :class:`ECPrivateKey` is the scalar d, 0 < d < n; :meth:`ECPrivateKey.exchange` is ECDH
  (the x-coordinate of d Q); :meth:`ECPrivateKey.sign` is ECDSA.
- Signatures are pairs ``(r, s)`` of ints; :func:`encode_p1363` / :func:`decode_p1363`
  convert them to and from the fixed-width ``r || s`` of IEEE P1363 (DER is ``x509``'s).
  Verification returns False for anything but a valid signature and never raises on
  hostile input.

Side channels: d Q runs in the ``ecp`` kernel (constant time in the scalar: complete
formulas, fixed windows, tables read whole), and so does all of ECDSA signing for a nonce:
R = k G, r, and s = k^-1 (e + r d) mod n, with a constant-time inverse (Bernstein and
Yang's safegcd) and Montgomery products modulo n (``ecp.ecdsa_sign``), so no Python integer
arithmetic touches d or k beyond their conversion to octet strings, and no blinding is
needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from nocrypto import _backend, hashes, rfc6979, rng

__all__ = [
    "CURVES",
    "P256",
    "P384",
    "P521",
    "Curve",
    "ECPrivateKey",
    "ECPublicKey",
    "Signature",
    "decode_p1363",
    "encode_p1363",
]

#: An ECDSA signature: the pair (r, s) with 0 < r, s < n.
Signature = tuple[int, int]

Buffer = bytes | bytearray | memoryview


@dataclass(frozen=True, slots=True)
class Curve:
    """A short Weierstrass curve y^2 = x^3 + a x + b over GF(p) with a base point G of
    prime order n and cofactor h (SEC 1 3.1.1.1: the domain parameters (p, a, b, G, n, h)).
    """

    #: FIPS 186-4 name, also the ``ecp`` kernel's: "P-256", "P-384", "P-521"
    name: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    h: int
    #: ceil(log2(p) / 8): the octet length of a coordinate, of a scalar and of the ECDH
    #: shared secret (SEC 1 2.3.5, 2.3.7)
    size: int
    #: the hash used with this curve by convention (RFC 5480 4, RFC 8422 5.1.1, TLS 1.3)
    hash: str
    #: the object identifier of the named curve (RFC 5480 2.1.1.1)
    oid: str

    @property
    def G(self) -> tuple[int, int]:
        """The base point (x, y)."""
        return self.gx, self.gy

    @property
    def bits(self) -> int:
        """The bit length of the order n (the length of a scalar and of z in ECDSA)."""
        return self.n.bit_length()

    def contains(self, x: int, y: int) -> bool:
        """Whether (x, y), with 0 <= x, y < p, satisfies the curve equation."""
        p = self.p
        return (y * y - (x * x * x + self.a * x + self.b)) % p == 0

    def __repr__(self) -> str:
        return f"Curve({self.name})"


# FIPS 186-4, appendix D.1.2.3-D.1.2.5 (a = -3 mod p for all three; h = 1).
P256: Final = Curve(
    name="P-256",
    p=2**256 - 2**224 + 2**192 + 2**96 - 1,
    a=2**256 - 2**224 + 2**192 + 2**96 - 1 - 3,
    b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    h=1,
    size=32,
    hash="sha256",
    oid="1.2.840.10045.3.1.7",
)
P384: Final = Curve(
    name="P-384",
    p=2**384 - 2**128 - 2**96 + 2**32 - 1,
    a=2**384 - 2**128 - 2**96 + 2**32 - 1 - 3,
    b=int(
        "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
        "C656398D8A2ED19D2A85C8EDD3EC2AEF",
        16,
    ),
    gx=int(
        "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38"
        "5502F25DBF55296C3A545E3872760AB7",
        16,
    ),
    gy=int(
        "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0"
        "0A60B1CE1D7E819D7A431D7C90EA0E5F",
        16,
    ),
    n=int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
        "581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    h=1,
    size=48,
    hash="sha384",
    oid="1.3.132.0.34",
)
P521: Final = Curve(
    name="P-521",
    p=2**521 - 1,
    a=2**521 - 1 - 3,
    b=int(
        "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
        "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B50"
        "3F00",
        16,
    ),
    gx=int(
        "00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D"
        "3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5"
        "BD66",
        16,
    ),
    gy=int(
        "011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E"
        "662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD1"
        "6650",
        16,
    ),
    n=int(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        "FFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E9138"
        "6409",
        16,
    ),
    h=1,
    size=66,
    hash="sha512",
    oid="1.3.132.0.35",
)

#: The curves by name (FIPS 186-4 names).
CURVES: Final = {c.name: c for c in (P256, P384, P521)}

# The hashes ECDSA may use, by name, and the name for each digest length (for sign_digest,
# whose RFC 6979 nonce needs the HMAC of the hash that made the digest).
_HASHES: Final = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}
_HASH_BY_SIZE: Final = {size: name for name, size in _HASHES.items()}

# Candidates are rejected with probability below 2^-32 for these curves (B.4.2); this many
# in a row means the random source is broken.
_MAX_CANDIDATES: Final = 64


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_curve(curve: object, what: str) -> Curve:
    if not isinstance(curve, Curve):
        raise TypeError(f"{what}: curve must be a Curve (P256, P384 or P521)")
    if CURVES.get(curve.name) != curve:
        raise ValueError(f"{what}: only the curves P-256, P-384 and P-521 are supported")
    return curve


def _hash_name(name: str) -> str:
    """The canonical name of an approved hash ("SHA-256" -> "sha256"); ValueError otherwise."""
    canonical = name.lower().replace("-", "") if isinstance(name, str) else ""
    if canonical not in _HASHES:
        raise ValueError(f"ECDSA: unsupported hash {name!r}: use one of {', '.join(_HASHES)}")
    return canonical


def _random_below(limit: int, random: Callable[[int], bytes], what: str) -> int:
    """1 <= c + 1 <= limit - 1 by testing candidates (FIPS 186-4 B.4.2 steps 4-7): draw
    N = len(limit) random bits c until c <= limit - 2, return c + 1."""
    bits = limit.bit_length()
    nbytes = (bits + 7) // 8
    for _ in range(_MAX_CANDIDATES):
        data = random(nbytes)
        if len(data) != nbytes:
            raise ValueError(f"random({nbytes}) returned {len(data)} bytes")
        c = int.from_bytes(data, "big") >> (8 * nbytes - bits)
        if c <= limit - 2:
            return c + 1
    raise RuntimeError(f"{what}: the random source keeps failing the range test")


# --- signatures as octet strings ---------------------------------------------------------


def encode_p1363(signature: Signature, curve: Curve) -> bytes:
    """r || s, each big-endian on ceil(log2(n) / 8) bytes (IEEE P1363; RFC 6979 2.4)."""
    r, s = signature
    n = curve.n
    if not (_is_int(r) and _is_int(s) and 0 < r < n and 0 < s < n):
        raise ValueError("ECDSA signature: need 0 < r < n and 0 < s < n")
    size = (n.bit_length() + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def decode_p1363(data: Buffer, curve: Curve) -> Signature:
    """(r, s) from r || s; ValueError unless the length is 2 * ceil(log2(n) / 8). The values
    are not range-checked here (verification does it)."""
    size = (curve.n.bit_length() + 7) // 8
    data = bytes(data)
    if len(data) != 2 * size:
        raise ValueError(f"ECDSA signature: a {curve.name} P1363 signature has {2 * size} bytes")
    return int.from_bytes(data[:size], "big"), int.from_bytes(data[size:], "big")


def _as_signature(signature: object, curve: Curve) -> Signature | None:
    """(r, s) from a pair of ints or a P1363 octet string; None for anything else."""
    if isinstance(signature, bytes | bytearray | memoryview):
        data = bytes(signature)
        if len(data) != 2 * ((curve.n.bit_length() + 7) // 8):
            return None
        return decode_p1363(data, curve)
    if isinstance(signature, tuple) and len(signature) == 2:
        r, s = signature
        if _is_int(r) and _is_int(s):
            return r, s
    return None


# --- keys --------------------------------------------------------------------------------


def _sqrt_mod(curve: Curve, alpha: int) -> int | None:
    """A square root of alpha modulo p, or None (SEC 1 2.3.4 step 2.4.1). All three primes
    are 3 mod 4, so beta = alpha^((p+1)/4) is a root whenever one exists."""
    p = curve.p
    beta = pow(alpha, (p + 1) // 4, p)
    return beta if beta * beta % p == alpha % p else None


@dataclass(frozen=True, slots=True)
class ECPublicKey:
    """A public key: the point Q = (x, y) of *curve*, checked on construction as in SEC 1
    3.2.2.1 (public key validation): 0 <= x, y < p (step 2), y^2 = x^3 + a x + b (step 3).
    Step 1 (Q is not the point at infinity) holds for any (x, y); step 4 (n Q = O) holds for
    every point of a curve of cofactor 1."""

    curve: Curve
    x: int
    y: int

    def __post_init__(self) -> None:
        curve = _check_curve(self.curve, "EC public key")
        x, y = self.x, self.y
        if not (_is_int(x) and _is_int(y)):
            raise TypeError("EC public key: x and y must be ints")
        if not (0 <= x < curve.p and 0 <= y < curve.p):
            raise ValueError("EC public key: coordinates must be in [0, p) (SEC 1 3.2.2.1 step 2)")
        if not curve.contains(x, y):
            raise ValueError(
                f"EC public key: the point is not on {curve.name} (SEC 1 3.2.2.1 step 3)"
            )

    @classmethod
    def from_bytes(cls, curve: Curve, data: Buffer) -> ECPublicKey:
        """Octet-String-to-Elliptic-Curve-Point (SEC 1 2.3.4) for *curve*, with full
        validation: 0x04 || X || Y (uncompressed) or 0x02 / 0x03 || X (compressed, the
        low bit of y in the prefix). The single octet 0x00 (the point at infinity) is not
        a public key; the hybrid forms 0x06 / 0x07 of X9.62 are refused."""
        curve = _check_curve(curve, "EC public key")
        data = bytes(data)
        size = curve.size
        if not data:
            raise ValueError("EC public key: empty encoding")
        prefix = data[0]
        if prefix == 0x00:
            if len(data) == 1:
                raise ValueError(
                    "EC public key: the point at infinity (0x00) is not a public key "
                    "(SEC 1 3.2.2.1 step 1)"
                )
            raise ValueError("EC public key: bad encoding (SEC 1 2.3.4)")
        if prefix == 0x04:
            if len(data) != 1 + 2 * size:
                raise ValueError(
                    f"EC public key: an uncompressed {curve.name} point has {1 + 2 * size} "
                    "bytes (SEC 1 2.3.4 step 3)"
                )
            x = int.from_bytes(data[1 : 1 + size], "big")
            y = int.from_bytes(data[1 + size :], "big")
            return cls(curve, x, y)
        if prefix in (0x02, 0x03):
            if len(data) != 1 + size:
                raise ValueError(
                    f"EC public key: a compressed {curve.name} point has {1 + size} bytes "
                    "(SEC 1 2.3.4 step 2)"
                )
            x = int.from_bytes(data[1:], "big")
            if x >= curve.p:
                raise ValueError("EC public key: x must be in [0, p) (SEC 1 2.3.4 step 2.3, 2.3.6)")
            root = _sqrt_mod(curve, (x * x * x + curve.a * x + curve.b) % curve.p)
            if root is None:
                raise ValueError(
                    f"EC public key: no point of {curve.name} has this x (SEC 1 2.3.4 step 2.4.1)"
                )
            # y = 0 is impossible (no point of order 2 on a prime-order curve), so p - y is
            # the root of the other parity.
            y = root if root & 1 == prefix & 1 else curve.p - root
            return cls(curve, x, y)
        raise ValueError(
            f"EC public key: unknown point encoding 0x{prefix:02x} "
            "(SEC 1 2.3.4: 0x04 uncompressed, 0x02 / 0x03 compressed)"
        )

    def to_bytes(self, compressed: bool = False) -> bytes:
        """Elliptic-Curve-Point-to-Octet-String (SEC 1 2.3.3)."""
        size = self.curve.size
        if compressed:
            return bytes([2 | (self.y & 1)]) + self.x.to_bytes(size, "big")
        return b"\x04" + self.x.to_bytes(size, "big") + self.y.to_bytes(size, "big")

    def verify(self, signature: Signature | Buffer, message: Buffer, hash: str = "sha256") -> bool:
        """Whether *signature* ((r, s), or r || s in P1363 form) is a valid ECDSA signature
        of *message* hashed with *hash* (SEC 1 4.1.4). An unknown hash name is a
        ValueError (a programming error); a malformed signature is simply False."""
        hash_name = _hash_name(hash)
        if not isinstance(message, bytes | bytearray | memoryview):
            return False
        return self.verify_digest(signature, hashes.new(hash_name, message).digest())

    def verify_digest(self, signature: Signature | Buffer, digest: Buffer) -> bool:
        """SEC 1 4.1.4 on a precomputed hash: False for anything but a valid signature
        (wrong types or lengths, r or s outside [1, n-1], a mismatch); never raises."""
        curve = self.curve
        n = curve.n
        pair = _as_signature(signature, curve)
        if pair is None or not isinstance(digest, bytes | bytearray | memoryview):
            return False
        r, s = pair
        if not (0 < r < n and 0 < s < n):  # step 1
            return False
        # Steps 2-3: e from the leftmost bits of the hash (public values from here on).
        e = rfc6979.bits2int(bytes(digest), curve.bits)
        w = pow(s, -1, n)  # step 4 (n is prime)
        u1 = e * w % n
        u2 = r * w % n
        size = curve.size
        point = _backend.ecp().ec_mul_add(  # step 5: R = u1 G + u2 Q
            curve.name, u1.to_bytes(size, "big"), u2.to_bytes(size, "big"), self.to_bytes()
        )
        if point is None:  # R = O: invalid
            return False
        v = int.from_bytes(point[1 : 1 + size], "big") % n  # steps 6-7
        return v == r


@dataclass(frozen=True, slots=True)
class ECPrivateKey:
    """A private key: the scalar d, 0 < d < n (SEC 1 3.2.1). ``repr`` does not show d."""

    curve: Curve
    d: int = field(repr=False)
    _public: ECPublicKey | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        curve = _check_curve(self.curve, "EC private key")
        if not _is_int(self.d):
            raise TypeError("EC private key: d must be an int")
        if not 0 < self.d < curve.n:
            raise ValueError("EC private key: d must satisfy 0 < d < n (SEC 1 3.2.1)")
        object.__setattr__(self, "_public", None)

    @classmethod
    def generate(
        cls, curve: Curve, *, random: Callable[[int], bytes] = rng.generate
    ) -> ECPrivateKey:
        """A new key by testing candidates (FIPS 186-4 B.4.2): N = len(n) random bits c
        until c <= n - 2, d = c + 1."""
        curve = _check_curve(curve, "EC private key")
        return cls(curve, _random_below(curve.n, random, "EC key generation"))

    @classmethod
    def from_bytes(cls, curve: Curve, data: Buffer) -> ECPrivateKey:
        """d from its big-endian octet string of ceil(log2(n) / 8) bytes (SEC 1 2.3.7)."""
        curve = _check_curve(curve, "EC private key")
        size = (curve.bits + 7) // 8
        if len(data) != size:
            raise ValueError(f"EC private key: a {curve.name} private key has {size} bytes")
        return cls(curve, int.from_bytes(bytes(data), "big"))

    def to_bytes(self) -> bytes:
        """d as a big-endian octet string of ceil(log2(n) / 8) bytes (SEC 1 2.3.7)."""
        return self.d.to_bytes((self.curve.bits + 7) // 8, "big")

    def public_key(self) -> ECPublicKey:
        """Q = d G (SEC 1 3.2.1 step 3), computed once, in constant time."""
        public = self._public
        if public is None:
            curve = self.curve
            size = curve.size
            point = _backend.ecp().ec_mul_base(curve.name, self.d.to_bytes(size, "big"))
            if point is None:  # pragma: no cover - 0 < d < n and n is prime
                raise AssertionError("d G is the point at infinity")
            public = ECPublicKey(
                curve,
                int.from_bytes(point[1 : 1 + size], "big"),
                int.from_bytes(point[1 + size :], "big"),
            )
            object.__setattr__(self, "_public", public)
        return public

    def exchange(self, peer: ECPublicKey) -> bytes:
        """ECDH (SEC 1 3.3.1): the x-coordinate of P = d Q as an octet string of the
        curve's length. *peer* is a validated public key of the same curve (its
        constructor checks SEC 1 3.2.2.1; the kernel checks the point again)."""
        if not isinstance(peer, ECPublicKey):
            raise TypeError("ECDH: the peer key must be an ECPublicKey")
        curve = self.curve
        if peer.curve != curve:
            raise ValueError(
                f"ECDH: the peer key is on {peer.curve.name}, this key on {curve.name}"
            )
        size = curve.size
        point = _backend.ecp().ec_mul(curve.name, self.d.to_bytes(size, "big"), peer.to_bytes())
        if point is None:  # step 2 - unreachable for a validated peer of a prime-order curve
            raise ValueError("ECDH: the shared point is the point at infinity (SEC 1 3.3.1)")
        return point[1 : 1 + size]  # steps 3-4: z = x_P, as an octet string

    def sign(
        self,
        message: Buffer,
        hash: str = "sha256",
        *,
        k: int | None = None,
        random: Callable[[int], bytes] = rng.generate,
    ) -> Signature:
        """Sign *message* hashed with *hash* (SEC 1 4.1.3); see :meth:`sign_digest`."""
        hash_name = _hash_name(hash)
        return self._sign(hashes.digest(hash_name, message), hash_name, k)

    def sign_digest(
        self,
        digest: Buffer,
        hash: str | None = None,
        *,
        k: int | None = None,
        random: Callable[[int], bytes] = rng.generate,
    ) -> Signature:
        """ECDSA signature (r, s) of a precomputed hash (SEC 1 4.1.3; FIPS 186-4 6.4):
        e = the leftmost log2(n) bits of *digest* (step 5), R = k G, r = x_R mod n,
        s = k^-1 (e + r d) mod n.

        k is the RFC 6979 nonce for *digest*, keyed with the HMAC of *hash* (the hash that
        made the digest; by default the approved hash of that length: 20 bytes SHA-1,
        28 SHA-224, 32 SHA-256, 48 SHA-384, 64 SHA-512), taking the next candidate if r or
        s is 0 (RFC 6979 3.4). An explicit *k* (0 < k < n; for known-answer tests) is used
        as is, and ValueError if it gives r = 0 or s = 0. *random* is not used: the nonce
        is deterministic and the kernel's scalar arithmetic is constant time, so ECDSA
        needs no blinding; it is accepted so that every private key's ``sign`` takes the
        same arguments (RSA and DSA blind with theirs).
        """
        digest = bytes(digest)
        if k is not None:
            return self._sign(digest, "", k)
        if hash is None:
            try:
                hash_name = _HASH_BY_SIZE[len(digest)]
            except KeyError:
                raise ValueError(
                    f"ECDSA: no approved hash has {len(digest)}-byte digests: pass hash="
                ) from None
        else:
            hash_name = _hash_name(hash)
        return self._sign(digest, hash_name, None)

    def _sign(self, digest: bytes, hash_name: str, k: int | None) -> Signature:
        """(r, s) for *digest*, with the nonce *k* or else the RFC 6979 nonces of
        *hash_name*. The whole of steps 1-6 for one nonce, R = k G and the arithmetic
        modulo n, is one constant-time kernel call (``ecp.ecdsa_sign``)."""
        curve = self.curve
        size = curve.size
        name = curve.name
        sign = _backend.ecp().ecdsa_sign
        d = self.d.to_bytes(size, "big")
        # Step 5: e = the leftmost bits(n) bits of the hash (below 2^bits(n) <= 2^(8 size));
        # the kernel reduces it modulo n.
        e = rfc6979.bits2int(digest, curve.bits).to_bytes(size, "big")
        if k is not None:
            if not _is_int(k) or not 0 < k < curve.n:
                raise ValueError("ECDSA: the nonce must satisfy 0 < k < n")
            signature = sign(name, d, k.to_bytes(size, "big"), e)
            if signature is None:
                raise ValueError("ECDSA: this k gives r = 0 or s = 0 (SEC 1 4.1.3)")
            return int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        for candidate in rfc6979.nonces(curve.n, self.d, digest, hash_name):
            signature = sign(name, d, candidate.to_bytes(size, "big"), e)
            if signature is not None:
                return (
                    int.from_bytes(signature[:size], "big"),
                    int.from_bytes(signature[size:], "big"),
                )
        raise AssertionError("unreachable: rfc6979.nonces is endless")  # pragma: no cover
