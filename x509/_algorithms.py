"""Algorithm identifiers shared by keys and signatures: hash OIDs (RFC 3279 2.2.1,
RFC 5754 2) and the RSASSA-PSS parameters (RFC 4055 3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import asn1
from asn1 import OID

from . import _grammar as g

#: Hash function OIDs by nocrypto name (MD2 and MD5 only to recognise and refuse them).
HASH_OIDS: Final = {
    "md2": OID("1.2.840.113549.2.2"),
    "md5": OID("1.2.840.113549.2.5"),
    "sha1": OID("1.3.14.3.2.26"),
    "sha224": OID("2.16.840.1.101.3.4.2.4"),
    "sha256": OID("2.16.840.1.101.3.4.2.1"),
    "sha384": OID("2.16.840.1.101.3.4.2.2"),
    "sha512": OID("2.16.840.1.101.3.4.2.3"),
}
HASH_BY_OID: Final = {oid: name for name, oid in HASH_OIDS.items()}
#: The hashes signatures may use.
SIGNATURE_HASHES: Final = ("sha1", "sha224", "sha256", "sha384", "sha512")
DIGEST_SIZES: Final = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}

MGF1: Final = OID("1.2.840.113549.1.1.8")
NULL: Final = b"\x05\x00"


def canonical_hash(name: str) -> str:
    """ "SHA-256" -> "sha256"; ValueError for a hash signatures cannot use."""
    if not isinstance(name, str):
        raise TypeError("a hash name is a str")
    key = name.lower().replace("-", "").replace("_", "")
    if key not in SIGNATURE_HASHES:
        raise ValueError(f"unsupported hash {name!r}: use one of {', '.join(SIGNATURE_HASHES)}")
    return key


def hash_of_identifier(identifier: g.AlgorithmIdentifier) -> str:
    """The hash named by an AlgorithmIdentifier whose parameters are absent or NULL
    (RFC 4055 2.1: "implementations MUST accept both NULL and absent parameters");
    ValueError otherwise."""
    name = HASH_BY_OID.get(identifier.algorithm)
    if name is None or name not in SIGNATURE_HASHES:
        raise ValueError(f"unsupported hash algorithm {identifier.algorithm}")
    if identifier.parameters not in (None, NULL):
        raise ValueError(f"hash {name} with parameters other than NULL")
    return name


def hash_identifier(name: str) -> g.AlgorithmIdentifier:
    """The AlgorithmIdentifier of a hash with NULL parameters (RFC 4055 2.1, as PSS uses)."""
    return g.AlgorithmIdentifier(HASH_OIDS[name], NULL)


@dataclass(frozen=True, slots=True)
class PSSParameters:
    """RSASSA-PSS-params (RFC 4055 3.1): the hash, the MGF1 hash and the salt length; the
    trailer field is always 1 (trailerFieldBC)."""

    hash: str = "sha1"
    mgf1_hash: str = "sha1"
    salt_length: int = 20

    def __post_init__(self) -> None:
        canonical_hash(self.hash)
        canonical_hash(self.mgf1_hash)
        if not isinstance(self.salt_length, int) or self.salt_length < 0:
            raise ValueError("the PSS salt length is a non-negative int")

    @classmethod
    def from_der(cls, der: bytes) -> PSSParameters:
        """The parameters in *der*; ValueError (asn1.DecodeError for bad DER) naming the
        rule broken: unknown hash, MGF other than MGF1, trailer field other than 1."""
        p = asn1.decode_der(g.RSASSAPSSParamsG, der)
        hash_name = hash_of_identifier(p.hash_algorithm)
        mgf = p.mask_gen_algorithm
        if mgf.algorithm != MGF1 or mgf.parameters is None:
            raise ValueError(f"PSS mask generation function {mgf.algorithm} is not MGF1")
        mgf_hash = hash_of_identifier(asn1.decode_der(g.AlgorithmIdentifierG, mgf.parameters))
        if p.salt_length < 0:
            raise ValueError("negative PSS salt length")
        if p.trailer_field != 1:
            # RFC 4055 3.1: "the trailerField MUST be 1"
            raise ValueError(f"PSS trailer field {p.trailer_field} (only 1 is defined)")
        return cls(hash_name, mgf_hash, p.salt_length)

    def to_der(self) -> bytes:
        """The DER of the parameters (fields equal to the SHA-1 defaults are left out)."""
        mgf = g.AlgorithmIdentifier(
            MGF1, asn1.encode_der(g.AlgorithmIdentifierG, hash_identifier(self.mgf1_hash))
        )
        value = g.RSASSAPSSParams(hash_identifier(self.hash), mgf, self.salt_length, 1)
        return asn1.encode_der(g.RSASSAPSSParamsG, value)
