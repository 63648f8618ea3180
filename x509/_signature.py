"""Signature algorithms of certificates, requests and CRLs, by OID.

- RSASSA-PKCS1-v1_5 with SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 (RFC 4055 5, RFC 8017
  A.2.4; parameters NULL, absent accepted); MD2 and MD5 are recognised and always refused.
- RSASSA-PSS (RFC 4055 3.1) with its parameters: hash, MGF1 hash, salt length; the
  trailer field must be 1.
- ECDSA with SHA-1 and SHA-2 (RFC 5758 3.2, parameters absent); the signature is a strict
  DER Ecdsa-Sig-Value (RFC 3279 2.2.3).
- Ed25519 (RFC 8410 3, parameters absent).
- DSA with SHA-1, SHA-224, SHA-256 (RFC 3279 2.2.2, RFC 5758 3.1, parameters absent).

:class:`SignatureAlgorithm` is the typed value of an AlgorithmIdentifier; reading one never
fails: what cannot be used is recorded in ``problem``. :meth:`SignatureAlgorithm.refusal`
applies the policy (MD2/MD5 always refused, SHA-1 refused unless ``allow_sha1``).
:func:`verify_signature` returns a bool and never raises on hostile input; :func:`sign`
makes signatures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

import asn1
from asn1 import OID, BitString
from nocrypto import dsa, ec, ecx, rng, rsa

from . import _grammar as g
from ._algorithms import NULL, SIGNATURE_HASHES, PSSParameters, canonical_hash
from ._errors import DecodeError
from ._keys import PrivateKey, PublicKey, PublicKeyInfo

__all__ = ["SignatureAlgorithm", "sign", "verify_signature"]

SignatureKind = Literal["rsa-pkcs1v15", "rsa-pss", "ecdsa", "ed25519", "dsa"]

_PKCS1: Final = {
    "md2": OID("1.2.840.113549.1.1.2"),
    "md5": OID("1.2.840.113549.1.1.4"),
    "sha1": OID("1.2.840.113549.1.1.5"),
    "sha224": OID("1.2.840.113549.1.1.14"),
    "sha256": OID("1.2.840.113549.1.1.11"),
    "sha384": OID("1.2.840.113549.1.1.12"),
    "sha512": OID("1.2.840.113549.1.1.13"),
}
_ECDSA: Final = {
    "sha1": OID("1.2.840.10045.4.1"),
    "sha224": OID("1.2.840.10045.4.3.1"),
    "sha256": OID("1.2.840.10045.4.3.2"),
    "sha384": OID("1.2.840.10045.4.3.3"),
    "sha512": OID("1.2.840.10045.4.3.4"),
}
_DSA: Final = {
    "sha1": OID("1.2.840.10040.4.3"),
    "sha224": OID("2.16.840.1.101.3.4.3.1"),
    "sha256": OID("2.16.840.1.101.3.4.3.2"),
}
RSASSA_PSS: Final = OID("1.2.840.113549.1.1.10")
ED25519: Final = OID("1.3.101.112")

_BY_OID: Final[dict[str, tuple[SignatureKind, str | None]]] = {
    **{oid: ("rsa-pkcs1v15", h) for h, oid in _PKCS1.items()},
    **{oid: ("ecdsa", h) for h, oid in _ECDSA.items()},
    **{oid: ("dsa", h) for h, oid in _DSA.items()},
    ED25519: ("ed25519", None),
}
# The key types (PublicKeyInfo.key_type) each kind of signature may be verified with.
_KEY_TYPES: Final[dict[SignatureKind, tuple[str, ...]]] = {
    "rsa-pkcs1v15": ("rsa",),
    "rsa-pss": ("rsa", "rsa-pss"),
    "ecdsa": ("ec",),
    "ed25519": ("ed25519",),
    "dsa": ("dsa",),
}


@dataclass(frozen=True, slots=True)
class SignatureAlgorithm:
    """A signature AlgorithmIdentifier: ``oid`` and ``parameters`` (exact DER or None), and
    what they mean: ``kind`` ("rsa-pkcs1v15", "rsa-pss", "ecdsa", "ed25519", "dsa"; None if
    unknown), ``hash`` (the message hash, None for Ed25519), ``pss`` (RSASSA-PSS
    parameters). ``problem`` says why the identifier cannot be used at all (unknown OID,
    malformed parameters), None otherwise.

    Made for signing with :meth:`rsa_pkcs1v15`, :meth:`rsa_pss`, :meth:`ecdsa`,
    :meth:`ed25519`, :meth:`dsa` or :meth:`for_key`.
    """

    oid: OID
    parameters: bytes | None = None
    kind: SignatureKind | None = None
    hash: str | None = None
    pss: PSSParameters | None = None
    problem: str | None = None

    # --- reading --------------------------------------------------------------------------

    @classmethod
    def from_identifier(cls, identifier: g.AlgorithmIdentifier) -> SignatureAlgorithm:
        """The meaning of a decoded AlgorithmIdentifier; never raises."""
        oid, params = identifier.algorithm, identifier.parameters
        known = _BY_OID.get(oid)
        if oid == RSASSA_PSS:
            if params is None:
                # RFC 4055 3.1: "The parameters MUST be present when used in the algorithm
                # identifier associated with a signature value."
                return cls(oid, params, "rsa-pss", problem="RSASSA-PSS without parameters")
            try:
                pss = PSSParameters.from_der(params)
            except ValueError as e:  # asn1.DecodeError included
                return cls(oid, params, "rsa-pss", problem=f"RSASSA-PSS parameters: {e}")
            return cls(oid, params, "rsa-pss", pss.hash, pss)
        if known is None:
            name = asn1.oids.name(oid)
            label = f"{name} ({oid})" if name else oid
            return cls(oid, params, problem=f"unknown signature algorithm {label}")
        kind, hash_name = known
        if kind == "rsa-pkcs1v15":
            # RFC 4055 5: "the parameters MUST be NULL. Implementations MUST accept the
            # parameters being absent as well as present."
            if params not in (None, NULL):
                return cls(oid, params, kind, hash_name, problem="parameters other than NULL")
        elif params is not None:
            # RFC 5758 3.1/3.2, RFC 8410 3: the parameters MUST be absent.
            return cls(oid, params, kind, hash_name, problem="parameters must be absent")
        return cls(oid, params, kind, hash_name)

    @classmethod
    def from_der(cls, der: bytes) -> SignatureAlgorithm:
        """From the DER of an AlgorithmIdentifier (DecodeError if it is not one)."""
        try:
            return cls.from_identifier(asn1.decode_der(g.AlgorithmIdentifierG, der))
        except asn1.DecodeError as e:
            raise DecodeError(f"AlgorithmIdentifier: {e}") from None

    @property
    def identifier(self) -> g.AlgorithmIdentifier:
        return g.AlgorithmIdentifier(self.oid, self.parameters)

    def to_der(self) -> bytes:
        return asn1.encode_der(g.AlgorithmIdentifierG, self.identifier)

    @property
    def name(self) -> str:
        """The algorithm's name ("sha256WithRSAEncryption", ...) or its dotted OID."""
        return asn1.oids.name(self.oid) or str(self.oid)

    def refusal(self, allow_sha1: bool = False) -> str | None:
        """Why this algorithm may not be used to verify, or None: its ``problem``, MD2 and
        MD5 always, SHA-1 unless *allow_sha1*."""
        if self.problem is not None:
            return self.problem
        if self.hash in ("md2", "md5"):
            return f"{self.hash.upper()} signatures are refused"
        if self.hash == "sha1" and not allow_sha1:
            return "SHA-1 signatures are refused (allow_sha1=True accepts them)"
        return None

    # --- making ---------------------------------------------------------------------------

    @classmethod
    def rsa_pkcs1v15(cls, hash: str = "sha256") -> SignatureAlgorithm:
        h = canonical_hash(hash)
        return cls(_PKCS1[h], NULL, "rsa-pkcs1v15", h)

    @classmethod
    def rsa_pss(
        cls, hash: str = "sha256", salt_length: int | None = None, mgf1_hash: str | None = None
    ) -> SignatureAlgorithm:
        """RSASSA-PSS with MGF1 (by default with the same hash) and a salt as long as the
        hash (RFC 4055 3.1 recommends it) unless told otherwise."""
        h = canonical_hash(hash)
        mgf = h if mgf1_hash is None else canonical_hash(mgf1_hash)
        size = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}[h]
        pss = PSSParameters(h, mgf, size if salt_length is None else salt_length)
        return cls(RSASSA_PSS, pss.to_der(), "rsa-pss", h, pss)

    @classmethod
    def ecdsa(cls, hash: str = "sha256") -> SignatureAlgorithm:
        h = canonical_hash(hash)
        return cls(_ECDSA[h], None, "ecdsa", h)

    @classmethod
    def ed25519(cls) -> SignatureAlgorithm:
        return cls(ED25519, None, "ed25519")

    @classmethod
    def dsa(cls, hash: str = "sha256") -> SignatureAlgorithm:
        h = canonical_hash(hash)
        if h not in _DSA:
            raise ValueError(f"DSA signatures use SHA-1, SHA-224 or SHA-256, not {hash}")
        return cls(_DSA[h], None, "dsa", h)

    @classmethod
    def for_key(
        cls, key: PrivateKey | PublicKey, hash: str | None = None, pss: bool = False
    ) -> SignatureAlgorithm:
        """The usual algorithm for *key*: RSA PKCS #1 v1.5 (or PSS) with SHA-256, ECDSA with
        the hash of the curve's size (SHA-256, SHA-384, SHA-512), DSA with SHA-256,
        Ed25519; *hash* overrides the hash."""
        if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
            return cls.rsa_pss(hash or "sha256") if pss else cls.rsa_pkcs1v15(hash or "sha256")
        if pss:
            raise ValueError("PSS is for RSA keys")
        if isinstance(key, ec.ECPrivateKey | ec.ECPublicKey):
            default = {"P-256": "sha256", "P-384": "sha384", "P-521": "sha512"}[key.curve.name]
            return cls.ecdsa(hash or default)
        if isinstance(key, dsa.DSAPrivateKey | dsa.DSAPublicKey):
            return cls.dsa(hash or "sha256")
        if isinstance(key, ecx.Ed25519PrivateKey | ecx.Ed25519PublicKey):
            if hash is not None:
                raise ValueError("Ed25519 takes no hash")
            return cls.ed25519()
        raise TypeError(f"no signature algorithm for {type(key).__name__}")


def _matches(kind: SignatureKind, key: PublicKey) -> bool:
    if kind in ("rsa-pkcs1v15", "rsa-pss"):
        return isinstance(key, rsa.RSAPublicKey)
    if kind == "ecdsa":
        return isinstance(key, ec.ECPublicKey)
    if kind == "dsa":
        return isinstance(key, dsa.DSAPublicKey)
    return isinstance(key, ecx.Ed25519PublicKey)


def _pss_allowed(restriction: PSSParameters | None, used: PSSParameters) -> bool:
    """RFC 4055 3.3: a key restricted by PSS parameters verifies only signatures with the
    same hash and MGF, and a salt at least as long."""
    if restriction is None:
        return True
    return (
        used.hash == restriction.hash
        and used.mgf1_hash == restriction.mgf1_hash
        and used.salt_length >= restriction.salt_length
    )


def verify_signature(
    public_key: PublicKey | PublicKeyInfo,
    algorithm: SignatureAlgorithm,
    signed_bytes: bytes,
    signature: bytes | BitString,
    *,
    allow_sha1: bool = False,
) -> bool:
    """Whether *signature* over *signed_bytes* is valid under *public_key* with *algorithm*.

    False (never an exception) for a refused algorithm (see
    :meth:`SignatureAlgorithm.refusal`), a key that does not fit the algorithm (an
    id-RSASSA-PSS key is used for PSS only, within its parameters, RFC 4055 1.2 and 3.3), a
    key that cannot be read, a signature BIT STRING with unused bits, a malformed
    Ecdsa-Sig-Value / Dss-Sig-Value, or a wrong signature.
    """
    if not isinstance(algorithm, SignatureAlgorithm):
        raise TypeError("algorithm must be a SignatureAlgorithm")
    if not isinstance(signed_bytes, bytes | bytearray | memoryview):
        raise TypeError("signed_bytes must be bytes")
    data = bytes(signed_bytes)
    if algorithm.refusal(allow_sha1) is not None or algorithm.kind is None:
        return False
    if isinstance(signature, BitString):
        if signature.unused:
            return False
        signature = signature.data
    if not isinstance(signature, bytes | bytearray | memoryview):
        raise TypeError("signature must be bytes or a BitString")
    sig = bytes(signature)
    kind = algorithm.kind
    if isinstance(public_key, PublicKeyInfo):
        if public_key.key_type not in _KEY_TYPES[kind]:
            return False
        try:
            if public_key.key_type == "rsa-pss" and (
                algorithm.pss is None or not _pss_allowed(public_key.pss, algorithm.pss)
            ):
                return False
            key = public_key.public_key()
        except DecodeError:
            return False
    else:
        key = public_key
    if not _matches(kind, key):
        return False
    try:
        return _verify(key, algorithm, data, sig)
    except (ValueError, TypeError):
        return False


def _verify(key: PublicKey, algorithm: SignatureAlgorithm, data: bytes, sig: bytes) -> bool:
    hash_name = algorithm.hash
    if isinstance(key, rsa.RSAPublicKey):
        assert hash_name is not None
        if algorithm.kind == "rsa-pss":
            pss = algorithm.pss
            assert pss is not None
            return key.verify(
                sig, data, pss.hash, "pss", salt_length=pss.salt_length, mgf_hash=pss.mgf1_hash
            )
        return key.verify(sig, data, hash_name, "pkcs1v15")
    if isinstance(key, ecx.Ed25519PublicKey):
        return key.verify(sig, data)
    if isinstance(key, ec.ECPublicKey | dsa.DSAPublicKey):
        assert hash_name is not None
        try:
            # RFC 3279 2.2.2/2.2.3: Dss-Sig-Value / Ecdsa-Sig-Value, strict DER.
            value = asn1.decode_der(g.DSSSigValueG, sig)
        except asn1.DecodeError:
            return False
        return key.verify((value.r, value.s), data, hash_name)
    return False


def sign(
    private_key: PrivateKey,
    algorithm: SignatureAlgorithm | str | None,
    data: bytes,
    *,
    random: Callable[[int], bytes] = rng.generate,
) -> bytes:
    """The signature of *data* with *private_key* under *algorithm* (a SignatureAlgorithm,
    a hash name for the key's usual algorithm, or None for its default): the RSA signature,
    the DER Ecdsa-Sig-Value / Dss-Sig-Value, or the 64-octet Ed25519 signature."""
    if algorithm is None or isinstance(algorithm, str):
        algorithm = SignatureAlgorithm.for_key(private_key, algorithm)
    if not isinstance(algorithm, SignatureAlgorithm):
        raise TypeError("algorithm must be a SignatureAlgorithm, a hash name or None")
    if algorithm.problem is not None or algorithm.kind is None:
        raise ValueError(f"cannot sign with {algorithm.name}: {algorithm.problem}")
    if algorithm.hash is not None and algorithm.hash not in SIGNATURE_HASHES:
        raise ValueError(f"signing with {algorithm.hash} is refused")
    if not _matches(algorithm.kind, private_key.public_key()):
        raise ValueError(f"a {type(private_key).__name__} cannot make {algorithm.name} signatures")
    data = bytes(data)
    if isinstance(private_key, rsa.RSAPrivateKey):
        assert algorithm.hash is not None
        if algorithm.kind == "rsa-pss":
            pss = algorithm.pss
            assert pss is not None
            return private_key.sign(
                data, pss.hash, "pss", pss.salt_length, random=random, mgf_hash=pss.mgf1_hash
            )
        return private_key.sign(data, algorithm.hash, "pkcs1v15", random=random)
    if isinstance(private_key, ecx.Ed25519PrivateKey):
        return private_key.sign(data)
    if isinstance(private_key, ec.ECPrivateKey | dsa.DSAPrivateKey):
        assert algorithm.hash is not None
        r, s = private_key.sign(data, algorithm.hash, random=random)
        return asn1.encode_der(g.DSSSigValueG, g.DSSSigValue(r, s))
    raise TypeError(f"{type(private_key).__name__} cannot sign")
