"""PKCS #10 certification requests (RFC 2986), with the extensionRequest attribute of
PKCS #9 (RFC 2985 5.4.2) carrying the requested extensions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import asn1
from asn1 import OID, BitString, Encoded
from nocrypto import rng

from . import _builder
from . import _grammar as g
from ._errors import LIMITS, DecodeError
from ._extensions import CERTIFICATE_EXTENSIONS, Extension, Extensions, ExtensionValue
from ._keys import PrivateKey, PublicKey, PublicKeyInfo
from ._name import Name
from ._signature import SignatureAlgorithm, sign, verify_signature

__all__ = ["CertificationRequest"]

EXTENSION_REQUEST = OID("1.2.840.113549.1.9.14")
_LABELS = ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CertificationRequest:
    """A PKCS #10 CertificationRequest: ``der`` and ``info_der`` (the signed
    certificationRequestInfo) exactly as encoded, ``version`` (always 0, "v1"),
    ``subject``, ``public_key_info``, ``attributes`` (type and the DER of each value),
    ``extensions`` (from the extensionRequest attribute; empty without it),
    ``signature_algorithm`` and ``signature_bits``. Equal and hashed by DER."""

    der: bytes
    info_der: bytes
    version: int
    subject: Name
    public_key_info: PublicKeyInfo
    attributes: tuple[tuple[OID, tuple[bytes, ...]], ...]
    extensions: Extensions
    signature_algorithm: SignatureAlgorithm
    signature_bits: BitString

    @classmethod
    def from_der(cls, der: bytes) -> CertificationRequest:
        """The request encoded in *der*; DecodeError names the field at fault."""
        der = bytes(der)
        try:
            encoded = asn1.decode_der(g.CertificationRequestG, der, limits=LIMITS)
        except asn1.DecodeError as e:
            raise DecodeError(f"certification request: {e}") from None
        structure = encoded.value
        info = structure.certification_request_info.value
        if info.version != 0:  # RFC 2986 4.1: version is 0 (v1)
            raise DecodeError(f"certification request: version {info.version} (0 expected)")
        try:
            subject = Name._from_grammar(info.subject)
        except DecodeError as e:
            raise DecodeError(f"certification request: subject: {e}") from None
        requested: tuple[g.Extension, ...] | None = None
        for attribute in info.attributes:
            if attribute.type != EXTENSION_REQUEST:
                continue
            if requested is not None or len(attribute.values) != 1:
                raise DecodeError("certification request: more than one extensionRequest")
            try:
                requested = asn1.decode_der(g.ExtensionRequest, attribute.values[0], limits=LIMITS)
            except asn1.DecodeError as e:
                raise DecodeError(f"certification request: extensionRequest: {e}") from None
        try:
            extensions = Extensions._decode(requested, CERTIFICATE_EXTENSIONS)
        except DecodeError as e:
            raise DecodeError(f"certification request: {e}") from None
        spki = info.subject_pk_info
        return cls(
            der,
            structure.certification_request_info.encoding,
            info.version,
            subject,
            PublicKeyInfo._from_grammar(spki, asn1.encode_der(g.SubjectPublicKeyInfoG, spki)),
            tuple((a.type, a.values) for a in info.attributes),
            extensions,
            SignatureAlgorithm.from_identifier(structure.signature_algorithm),
            structure.signature,
        )

    @classmethod
    def from_pem(cls, text: str | bytes) -> CertificationRequest:
        """The request of the one "CERTIFICATE REQUEST" (or "NEW CERTIFICATE REQUEST")
        block of *text* (RFC 7468 7)."""
        try:
            blocks = [der for label, der in asn1.pem.decode(text) if label in _LABELS]
        except asn1.DecodeError as e:
            raise DecodeError(f"certification request PEM: {e}") from None
        if len(blocks) != 1:
            raise DecodeError(f"expected one CERTIFICATE REQUEST PEM block, found {len(blocks)}")
        return cls.from_der(blocks[0])

    def to_pem(self) -> str:
        return asn1.pem.encode(_LABELS[0], self.der)

    @property
    def public_key(self) -> PublicKey:
        return self.public_key_info.public_key()

    @property
    def signature(self) -> bytes:
        return self.signature_bits.data

    def verify(self, allow_sha1: bool = False) -> bool:
        """Whether the request is signed by the key it carries (proof of possession,
        RFC 2986 3); never raises on hostile input."""
        return verify_signature(
            self.public_key_info,
            self.signature_algorithm,
            self.info_der,
            self.signature_bits,
            allow_sha1=allow_sha1,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CertificationRequest):
            return NotImplemented
        return self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"<CertificationRequest subject={str(self.subject)!r}>"

    @classmethod
    def create(
        cls,
        subject: Name,
        private_key: PrivateKey,
        extensions: Sequence[Extension | ExtensionValue] = (),
        hash: SignatureAlgorithm | str | None = None,
        *,
        random: Callable[[int], bytes] = rng.generate,
    ) -> CertificationRequest:
        """A request for *subject* and the public key of *private_key*, signed with it;
        *extensions* (typed values or Extension) go into an extensionRequest attribute.
        *hash* is a hash name, a SignatureAlgorithm, or None for the key's default."""
        if not isinstance(subject, Name):
            raise TypeError("subject must be a Name")
        algorithm = _builder.signature_algorithm(private_key, hash)
        info_der_spki = PublicKeyInfo.from_key(private_key.public_key()).der
        attributes: tuple[g.Attribute, ...] = ()
        exts = Extensions(_builder.merge((), extensions, "certification request"))
        raw = exts._to_grammar()
        if raw is not None:
            attributes = (
                g.Attribute(EXTENSION_REQUEST, (asn1.encode_der(g.ExtensionRequest, raw),)),
            )
        info = g.CertificationRequestInfo(
            0,
            subject._to_grammar(),
            asn1.decode_der(g.SubjectPublicKeyInfoG, info_der_spki),
            attributes,
        )
        info_der = asn1.encode_der(g.CertificationRequestInfoG, info)
        signature = sign(private_key, algorithm, info_der, random=random)
        structure = g.CertificationRequestStructure(
            Encoded(info, info_der), algorithm.identifier, BitString(signature)
        )
        return cls.from_der(asn1.encode_der(g.CertificationRequestG, Encoded(structure)))
