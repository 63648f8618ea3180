"""X25519 and X448 key agreement (RFC 7748) and Ed25519 signatures (RFC 8032, section 5.1).

>>> alice, bob = X25519PrivateKey.generate(), X25519PrivateKey.generate()
>>> alice.exchange(bob.public_key()) == bob.exchange(alice.public_key())
True
>>> key = Ed25519PrivateKey.generate()
>>> signature = key.sign(b"message")
>>> key.public_key().verify(signature, b"message")
True

Keys are raw octet strings, as the RFCs define them (RFC 7748 section 5: 32- and 56-byte
little-endian scalars and u-coordinates; RFC 8032 5.1.5: a 32-byte seed, 5.1.2: a 32-byte
point encoding). ASN.1 key formats (RFC 8410) belong to ``x509``.

The curve arithmetic runs in the ``ecx`` kernel (``nocrypto._backend.ecx()``): Montgomery
ladders with masked conditional swaps for X25519/X448, a fixed-base multiplication with
constant-time table selection for Ed25519 keys and signatures, and the scalar arithmetic
modulo L of signing (S = r + k * s) in constant time; verification, on public values only,
uses a variable-time double-scalar multiplication.

Policy choices, where the RFCs leave room:

- X25519/X448 accept every u-coordinate (non-canonical values, points on the twist) as RFC
  7748 section 5 requires, and :meth:`X25519PrivateKey.exchange` refuses an all-zero shared
  secret with ValueError (section 6.1: the peer's key has small order).
- Ed25519 verification is strict (RFC 8032 5.1.7): S must be below L, A and R must be
  canonical encodings (y < p, no "negative zero" x), and the check is the cofactorless
  equation [S]B = R + [k]A, tested by comparing the encoding of [S]B - [k]A with R (which
  also rejects any R that is not the canonical encoding of a point). A public key of small
  order (in the torsion subgroup: [8]A is the identity) verifies nothing: with such a key,
  R = [S]B satisfies the equation for any message (a universal forgery), and no honestly
  generated key has small order. Keys with a torsion component of mixed order are accepted
  and held to the cofactorless equation. k is reduced modulo L before the multiplication,
  as in RFC 8032's reference code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from nocrypto import _backend, rng
from nocrypto.hashes import sha512

__all__ = [
    "Ed25519PrivateKey",
    "Ed25519PublicKey",
    "X448PrivateKey",
    "X448PublicKey",
    "X25519PrivateKey",
    "X25519PublicKey",
]

Buffer = bytes | bytearray | memoryview
RandomSource = Callable[[int], bytes]

#: RFC 8032 5.1: the order of the base point B.
ED25519_L: Final = 2**252 + 27742317777372353535851937790883648493

# RFC 7748 section 4.1 / 4.2: the u-coordinates of the base points.
_X25519_BASE_U: Final = (9).to_bytes(32, "little")
_X448_BASE_U: Final = (5).to_bytes(56, "little")
_ZERO32: Final = bytes(32)
_ZERO56: Final = bytes(56)
_EIGHT: Final = (8).to_bytes(32, "little")
#: RFC 8032 5.1.2: the encoding of the neutral element (x, y) = (0, 1).
_IDENTITY: Final = (1).to_bytes(32, "little")


def _kernel() -> _backend.EcxKernel:
    return _backend.ecx()


def _octets(what: str, data: object, size: int) -> bytes:
    """*data* as bytes of length *size*: TypeError if not bytes-like, ValueError if the
    length is wrong."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"{what} must be bytes-like, not {type(data).__name__}")
    raw = bytes(data)
    if len(raw) != size:
        raise ValueError(f"{what} must be {size} bytes, not {len(raw)}")
    return raw


def _draw(random: RandomSource, size: int) -> bytes:
    data = random(size)
    if not isinstance(data, bytes | bytearray) or len(data) != size:
        raise ValueError(f"random({size}) must return {size} bytes")
    return bytes(data)


# --- X25519 and X448 (RFC 7748) ----------------------------------------------------------


class X25519PublicKey:
    """An X25519 public key: a u-coordinate, 32 bytes little-endian (RFC 7748 section 5).

    Every 32-byte string is accepted, as the RFC requires: the top bit is ignored,
    non-canonical values (2^255 - 19 and above) stand for their residues, points on the
    twist are computed with like any other. A key of small order leads to an all-zero
    shared secret, which :meth:`X25519PrivateKey.exchange` refuses.
    """

    __slots__ = ("_u",)
    _u: bytes

    def __init__(self, u: bytes) -> None:
        self._u = _octets("X25519 public key", u, 32)

    @classmethod
    def from_bytes(cls, data: bytes) -> X25519PublicKey:
        """The key from its 32-byte encoding (RFC 7748 section 5, decodeUCoordinate)."""
        return cls(data)

    def to_bytes(self) -> bytes:
        """The 32-byte encoding, as given."""
        return self._u

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X25519PublicKey) and other._u == self._u

    def __hash__(self) -> int:
        return hash((X25519PublicKey, self._u))

    def __repr__(self) -> str:
        return f"X25519PublicKey({self._u.hex()})"


class X25519PrivateKey:
    """An X25519 private key: a 32-byte scalar (RFC 7748 section 5), clamped when used
    (decodeScalar25519), kept and exported as given. ``repr`` does not show it."""

    __slots__ = ("_k", "_public")
    _k: bytes
    _public: X25519PublicKey | None

    def __init__(self, k: bytes) -> None:
        self._k = _octets("X25519 private key", k, 32)
        self._public = None

    @classmethod
    def generate(cls, random: RandomSource = rng.generate) -> X25519PrivateKey:
        """A new key: 32 random bytes (RFC 7748 section 6.1)."""
        return cls(_draw(random, 32))

    @classmethod
    def from_bytes(cls, data: bytes) -> X25519PrivateKey:
        """The key from its 32 bytes (any value: the scalar is clamped when used)."""
        return cls(data)

    def to_bytes(self) -> bytes:
        """The 32 bytes of the key, as given (not clamped)."""
        return self._k

    def public_key(self) -> X25519PublicKey:
        """X25519(k, 9) (RFC 7748 section 6.1), computed once."""
        public = self._public
        if public is None:
            public = X25519PublicKey(_kernel().x25519(self._k, _X25519_BASE_U))
            self._public = public
        return public

    def exchange(self, peer: X25519PublicKey) -> bytes:
        """The 32-byte shared secret X25519(k, peer) (RFC 7748 section 6.1).

        Raises ValueError if it is all zero: "Both [parties] MAY check, without leaking
        extra information about the value of K, whether K is the all-zero value and abort
        if so" (section 6.1); the check is a constant-time comparison.
        """
        if not isinstance(peer, X25519PublicKey):
            raise TypeError("X25519 exchange: peer must be an X25519PublicKey")
        shared = _kernel().x25519(self._k, peer._u)
        if _backend.ct_equal(shared, _ZERO32):
            raise ValueError(
                "X25519: the shared secret is all zero (RFC 7748 section 6.1): the peer's "
                "public key is a point of small order"
            )
        return shared

    def __repr__(self) -> str:
        return "<X25519PrivateKey>"


class X448PublicKey:
    """An X448 public key: a u-coordinate, 56 bytes little-endian (RFC 7748 section 5).

    Every 56-byte string is accepted (non-canonical values stand for their residues; twist
    points are computed with); a key of small order leads to an all-zero shared secret,
    which :meth:`X448PrivateKey.exchange` refuses.
    """

    __slots__ = ("_u",)
    _u: bytes

    def __init__(self, u: bytes) -> None:
        self._u = _octets("X448 public key", u, 56)

    @classmethod
    def from_bytes(cls, data: bytes) -> X448PublicKey:
        """The key from its 56-byte encoding (RFC 7748 section 5, decodeUCoordinate)."""
        return cls(data)

    def to_bytes(self) -> bytes:
        """The 56-byte encoding, as given."""
        return self._u

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X448PublicKey) and other._u == self._u

    def __hash__(self) -> int:
        return hash((X448PublicKey, self._u))

    def __repr__(self) -> str:
        return f"X448PublicKey({self._u.hex()})"


class X448PrivateKey:
    """An X448 private key: a 56-byte scalar (RFC 7748 section 5), clamped when used
    (decodeScalar448), kept and exported as given. ``repr`` does not show it."""

    __slots__ = ("_k", "_public")
    _k: bytes
    _public: X448PublicKey | None

    def __init__(self, k: bytes) -> None:
        self._k = _octets("X448 private key", k, 56)
        self._public = None

    @classmethod
    def generate(cls, random: RandomSource = rng.generate) -> X448PrivateKey:
        """A new key: 56 random bytes (RFC 7748 section 6.2)."""
        return cls(_draw(random, 56))

    @classmethod
    def from_bytes(cls, data: bytes) -> X448PrivateKey:
        """The key from its 56 bytes (any value: the scalar is clamped when used)."""
        return cls(data)

    def to_bytes(self) -> bytes:
        """The 56 bytes of the key, as given (not clamped)."""
        return self._k

    def public_key(self) -> X448PublicKey:
        """X448(k, 5) (RFC 7748 section 6.2), computed once."""
        public = self._public
        if public is None:
            public = X448PublicKey(_kernel().x448(self._k, _X448_BASE_U))
            self._public = public
        return public

    def exchange(self, peer: X448PublicKey) -> bytes:
        """The 56-byte shared secret X448(k, peer) (RFC 7748 section 6.2); ValueError if it
        is all zero (section 6.2: "As with X25519, both sides MAY check, without leaking
        extra information about the value of K, whether the resulting shared K is the
        all-zero value and abort if so"), checked in constant time."""
        if not isinstance(peer, X448PublicKey):
            raise TypeError("X448 exchange: peer must be an X448PublicKey")
        shared = _kernel().x448(self._k, peer._u)
        if _backend.ct_equal(shared, _ZERO56):
            raise ValueError(
                "X448: the shared secret is all zero (RFC 7748 section 6.2): the peer's "
                "public key is a point of small order"
            )
        return shared

    def __repr__(self) -> str:
        return "<X448PrivateKey>"


# --- Ed25519 (RFC 8032 section 5.1) ----------------------------------------------------------


class Ed25519PublicKey:
    """An Ed25519 public key A: the 32-byte encoding of a curve point (RFC 8032 5.1.2).

    :meth:`from_bytes` decodes it strictly (5.1.3) and raises ValueError for anything that
    is not the canonical encoding of a point.
    """

    __slots__ = ("_a", "_small_order")
    _a: bytes
    _small_order: bool

    def __init__(self, a: bytes) -> None:
        a = _octets("Ed25519 public key", a, 32)
        # -[8]A: None if A does not decode (5.1.3), the identity if A has small order.
        minus_8a = _kernel().ed25519_mul_add_vartime(_ZERO32, _EIGHT, a)
        if minus_8a is None:
            raise ValueError(
                "Ed25519 public key: not the canonical encoding of a curve point "
                "(RFC 8032 5.1.3: y < p, x recoverable, no sign bit on x = 0)"
            )
        self._a = a
        self._small_order = minus_8a == _IDENTITY

    @classmethod
    def from_bytes(cls, data: bytes) -> Ed25519PublicKey:
        """The key from its 32-byte encoding (RFC 8032 5.1.3, strict)."""
        return cls(data)

    @classmethod
    def _from_private(cls, a: bytes) -> Ed25519PublicKey:
        """A = [s]B of a private key: canonical and of order L by construction."""
        key = cls.__new__(cls)
        key._a = a
        key._small_order = False
        return key

    def to_bytes(self) -> bytes:
        """The 32-byte encoding of A."""
        return self._a

    def verify(self, signature: Buffer, message: Buffer) -> bool:
        """Whether *signature* is a valid Ed25519 signature of *message* under this key
        (RFC 8032 5.1.7, strict; see the module docstring for the policy). Returns False for
        any invalid signature, whatever its length or content; never raises on them."""
        if not isinstance(signature, bytes | bytearray | memoryview):
            raise TypeError("Ed25519 signature must be bytes-like")
        if not isinstance(message, bytes | bytearray | memoryview):
            raise TypeError("Ed25519 message must be bytes-like")
        sig = bytes(signature)
        if len(sig) != 64 or self._small_order:
            return False
        r, s = sig[:32], sig[32:]
        # Step 1: "If any of the decodings fail (including S being out of range), the
        # signature is invalid": S must be canonical, 0 <= S < L (no malleability).
        if int.from_bytes(s, "little") >= ED25519_L:
            return False
        # Step 2: k = SHA-512(R || A || M), reduced modulo L (a public value).
        h = sha512(r)
        h.update(self._a)
        h.update(message)
        k = int.from_bytes(h.digest(), "little") % ED25519_L
        # Step 3, cofactorless: [S]B = R + [k]A  <=>  encode([S]B - [k]A) == R. Encodings
        # are compared, so an R that is not canonical (y >= p, or x = 0 with the sign bit)
        # or not a point at all never matches.
        check = _kernel().ed25519_mul_add_vartime(s, k.to_bytes(32, "little"), self._a)
        return check == r

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ed25519PublicKey) and other._a == self._a

    def __hash__(self) -> int:
        return hash((Ed25519PublicKey, self._a))

    def __repr__(self) -> str:
        return f"Ed25519PublicKey({self._a.hex()})"


class Ed25519PrivateKey:
    """An Ed25519 private key: a 32-byte seed (RFC 8032 5.1.5). ``repr`` does not show it.

    The expanded key (the clamped scalar s, the prefix, and A = [s]B) is derived once, on
    construction.
    """

    __slots__ = ("_prefix", "_public", "_s", "_seed")
    _seed: bytes
    _s: bytes
    _prefix: bytes
    _public: Ed25519PublicKey

    def __init__(self, seed: bytes) -> None:
        self._seed = _octets("Ed25519 private key", seed, 32)
        # 5.1.5 step 1: h = SHA-512(seed); step 2: s = the low half, with the three
        # lowest bits cleared, bit 255 cleared and bit 254 set; the high half is the prefix.
        h = sha512(self._seed).digest()
        s = bytearray(h[:32])
        s[0] &= 248
        s[31] &= 127
        s[31] |= 64
        self._s = bytes(s)
        self._prefix = h[32:]
        # Steps 3-4: A = [s]B, encoded.
        self._public = Ed25519PublicKey._from_private(_kernel().ed25519_mul_base(self._s))

    @classmethod
    def generate(cls, random: RandomSource = rng.generate) -> Ed25519PrivateKey:
        """A new key: a 32-byte random seed (RFC 8032 5.1.5)."""
        return cls(_draw(random, 32))

    @classmethod
    def from_bytes(cls, data: bytes) -> Ed25519PrivateKey:
        """The key from its 32-byte seed."""
        return cls(data)

    def to_bytes(self) -> bytes:
        """The 32-byte seed."""
        return self._seed

    def public_key(self) -> Ed25519PublicKey:
        """The public key A = [s]B (RFC 8032 5.1.5)."""
        return self._public

    def sign(self, message: Buffer) -> bytes:
        """The 64-byte signature R || S of *message* (RFC 8032 5.1.6); deterministic."""
        if not isinstance(message, bytes | bytearray | memoryview):
            raise TypeError("Ed25519 message must be bytes-like")
        kernel = _kernel()
        # Step 2: r = SHA-512(prefix || M), 64 bytes, reduced modulo L in constant time.
        h = sha512(self._prefix)
        h.update(message)
        r_wide = h.digest()
        r = kernel.ed25519_scalar_muladd(_ZERO32, _ZERO32, r_wide)
        # Step 3: R = [r]B.
        big_r = kernel.ed25519_mul_base(r)
        # Step 4: k = SHA-512(R || A || M) modulo L (public: it depends on public values).
        a = self._public._a
        h = sha512(big_r)
        h.update(a)
        h.update(message)
        k = int.from_bytes(h.digest(), "little") % ED25519_L
        # Step 5: S = (r + k * s) mod L, in constant time in r and s.
        s = kernel.ed25519_scalar_muladd(k.to_bytes(32, "little"), self._s, r_wide)
        # Step 6: R || S.
        return big_r + s

    def __repr__(self) -> str:
        return "<Ed25519PrivateKey>"
