"""X.509 v1-v3 certificates (RFC 5280 4.1): parsing, accessors, signatures, creation.

A :class:`Certificate` keeps the exact DER of the whole certificate and of its
tbsCertificate (what the issuer signed); every field is decoded when the certificate is
read (names, validity, every known extension, typed), except the public key itself, which
``public_key`` converts on first use. Reading is strict DER; RFC 5280's rules on the
structure are checked (version, unique identifiers and extensions only where the version
allows them, no extension twice); what only matters for path validation (serial number
size, empty names, ...) is left to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import asn1
from asn1 import OID, BitString, Encoded
from nocrypto import hashes, rng

from . import _builder
from . import _grammar as g
from ._errors import LIMITS, DecodeError
from ._extensions import (
    CERTIFICATE_EXTENSIONS,
    BasicConstraints,
    Extension,
    Extensions,
    ExtensionValue,
    KeyUsage,
    NameConstraints,
    PolicyInformation,
)
from ._general_name import GeneralName
from ._keys import PrivateKey, PublicKey, PublicKeyInfo
from ._name import Name
from ._signature import SignatureAlgorithm, sign, verify_signature

__all__ = ["Certificate", "load_pem_bundle"]

PEM_LABEL = "CERTIFICATE"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Certificate:
    """An X.509 certificate (RFC 5280 4.1).

    ``der`` and ``tbs_der`` are the exact encodings of the certificate and of the signed
    tbsCertificate. ``version`` is 1, 2 or 3; ``serial_number``; ``signature_algorithm``
    (the outer signatureAlgorithm; ``tbs_signature_algorithm`` is the copy inside the
    signed part); ``issuer`` and ``subject`` (:class:`Name`); ``not_before`` and
    ``not_after`` (timezone-aware, UTC); ``public_key_info``; the unique identifiers;
    ``extensions`` (:class:`Extensions`, typed); ``signature`` (the signature octets).

    Read with :meth:`from_der`, :meth:`from_pem` or :func:`load_pem_bundle`; make with
    :meth:`create`. Equal and hashed by DER.
    """

    der: bytes
    tbs_der: bytes
    version: int
    serial_number: int
    signature_algorithm: SignatureAlgorithm
    tbs_signature_algorithm: SignatureAlgorithm
    issuer: Name
    subject: Name
    not_before: datetime
    not_after: datetime
    public_key_info: PublicKeyInfo
    issuer_unique_id: BitString | None
    subject_unique_id: BitString | None
    extensions: Extensions
    signature_bits: BitString
    _validity: g.Validity = field(repr=False)

    # --- reading --------------------------------------------------------------------------

    @classmethod
    def from_der(cls, der: bytes) -> Certificate:
        """The certificate encoded in *der*; :class:`DecodeError` names the field at fault."""
        if not isinstance(der, bytes | bytearray | memoryview):
            raise TypeError("Certificate.from_der takes bytes")
        der = bytes(der)
        try:
            # CertificateG without its asn1.encoded: the certificate's DER is der itself.
            structure = asn1.decode_der(g.CertificateStructureG, der, limits=LIMITS)
        except asn1.DecodeError as e:
            raise DecodeError(f"certificate: {e}") from None
        tbs = structure.tbs_certificate.value
        # RFC 5280 4.1.2.1: v1, v2 or v3; unique identifiers need v2 or v3, extensions v3.
        if tbs.version not in (g.V1, g.V2, g.V3):
            raise DecodeError(f"certificate: version {tbs.version + 1} (1, 2 or 3 expected)")
        has_ids = tbs.issuer_unique_id is not None or tbs.subject_unique_id is not None
        if has_ids and tbs.version == g.V1:
            raise DecodeError(
                "certificate: unique identifiers in a v1 certificate (RFC 5280 4.1.2.8)"
            )
        if tbs.extensions is not None and tbs.version != g.V3:
            raise DecodeError(
                "certificate: extensions in a certificate that is not v3 (RFC 5280 4.1.2.9)"
            )
        try:
            issuer = Name._from_grammar(tbs.issuer)
        except DecodeError as e:
            raise DecodeError(f"certificate: issuer: {e}") from None
        try:
            subject = Name._from_grammar(tbs.subject)
        except DecodeError as e:
            raise DecodeError(f"certificate: subject: {e}") from None
        try:
            extensions = Extensions._decode(tbs.extensions, CERTIFICATE_EXTENSIONS)
        except DecodeError as e:
            raise DecodeError(f"certificate: {e}") from None
        spki = tbs.subject_public_key_info
        spki_der = spki.encoding or asn1.encode_der(g.SubjectPublicKeyInfoG, spki)
        # The two copies of the signature algorithm are almost always the same identifier
        # (RFC 5280 4.1.1.2 requires it): the same immutable value then serves both.
        algorithm = SignatureAlgorithm.from_identifier(structure.signature_algorithm)
        tbs_algorithm = (
            algorithm
            if tbs.signature == structure.signature_algorithm
            else SignatureAlgorithm.from_identifier(tbs.signature)
        )
        values = (
            der,
            structure.tbs_certificate.encoding,
            tbs.version + 1,
            tbs.serial_number,
            algorithm,
            tbs_algorithm,
            issuer,
            subject,
            tbs.validity.not_before.value,
            tbs.validity.not_after.value,
            PublicKeyInfo._from_grammar(spki, spki_der),
            tbs.issuer_unique_id,
            tbs.subject_unique_id,
            extensions,
            structure.signature_value,
            tbs.validity,
        )
        return _make_certificate(values) if cls is Certificate else cls(*values)

    @classmethod
    def from_pem(cls, text: str | bytes) -> Certificate:
        """The certificate of the one "CERTIFICATE" PEM block in *text* (RFC 7468 5.1)."""
        try:
            der = asn1.pem.decode_one(text, PEM_LABEL)
        except asn1.DecodeError as e:
            raise DecodeError(f"certificate PEM: {e}") from None
        return cls.from_der(der)

    def to_pem(self) -> str:
        """The certificate as a PEM "CERTIFICATE" block (RFC 7468 5.1)."""
        return asn1.pem.encode(PEM_LABEL, self.der)

    # --- views ----------------------------------------------------------------------------

    @property
    def signature(self) -> bytes:
        """The signature octets (the signatureValue BIT STRING's content)."""
        return self.signature_bits.data

    @property
    def public_key(self) -> PublicKey:
        """The subject's public key as a nocrypto key (converted on first use;
        :class:`UnsupportedAlgorithm` or :class:`DecodeError` if it cannot be)."""
        return self.public_key_info.public_key()

    def fingerprint(self, hash: str = "sha256") -> bytes:
        """The hash of the certificate's DER."""
        return hashes.digest(hash, self.der)

    @property
    def is_self_issued(self) -> bool:
        """Whether subject and issuer match by RFC 5280 7.1 name comparison (RFC 5280 6.1:
        a self-issued certificate)."""
        return self.subject.matches(self.issuer)

    def verify_signature(
        self,
        issuer_public_key: PublicKey | PublicKeyInfo | Certificate,
        allow_sha1: bool = False,
    ) -> bool:
        """Whether the issuer's key (a key, a SubjectPublicKeyInfo, or the issuer's
        certificate) signed this certificate. False unless signatureAlgorithm equals the
        tbsCertificate's signature field (RFC 5280 4.1.1.2: "MUST contain the same
        algorithm identifier"), and for a refused algorithm (MD2/MD5; SHA-1 unless
        *allow_sha1*). Never raises on hostile input."""
        key = (
            issuer_public_key.public_key_info
            if isinstance(issuer_public_key, Certificate)
            else issuer_public_key
        )
        if self.signature_algorithm.identifier != self.tbs_signature_algorithm.identifier:
            return False
        return verify_signature(
            key, self.signature_algorithm, self.tbs_der, self.signature_bits, allow_sha1=allow_sha1
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Certificate):
            return NotImplemented
        return self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"<Certificate subject={str(self.subject)!r} serial={self.serial_number:#x}>"

    # --- making ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        subject: Name,
        public_key: PublicKey | PublicKeyInfo,
        signing_key: PrivateKey,
        not_before: datetime,
        not_after: datetime,
        issuer: Certificate | Name | None = None,
        serial_number: int | None = None,
        version: int = 3,
        basic_constraints: BasicConstraints | None = None,
        key_usage: KeyUsage | None = None,
        extended_key_usage: Sequence[OID] = (),
        subject_alternative_names: Sequence[GeneralName] = (),
        name_constraints: NameConstraints | None = None,
        policies: Sequence[OID | PolicyInformation] = (),
        crl_distribution_points: Sequence[str] = (),
        ocsp_responders: Sequence[str] = (),
        ca_issuers: Sequence[str] = (),
        subject_key_identifier: bool = True,
        authority_key_identifier: bool = True,
        extensions: Sequence[Extension | ExtensionValue] = (),
        signature_algorithm: SignatureAlgorithm | str | None = None,
        random: Callable[[int], bytes] = rng.generate,
    ) -> Certificate:
        """Make and sign a certificate for *subject* and *public_key* with *signing_key*.

        *issuer*: None for a self-signed certificate (the issuer name is the subject, the
        authority key identifier the certificate's own), the issuer's certificate (its
        subject becomes the issuer name; the authority key identifier is its subject key
        identifier, or computed from its key), or just an issuer name (the identifier is
        then computed from *signing_key*). The serial number is random (positive, 20
        octets at most) unless given. Version 3 by default; ``version=1`` makes a v1
        certificate, which has no extensions.

        The typed arguments make the usual extensions (see ``_builder``:
        basicConstraints and keyUsage critical, subjectKeyIdentifier by RFC 5280 4.2.1.2
        method 1, ...); *extensions* adds others, or replaces a generated one of the same
        OID (e.g. to choose its criticality). *signature_algorithm* is a
        SignatureAlgorithm, a hash name, or None for the key's default (RSA PKCS #1 v1.5
        with SHA-256, ECDSA with the curve's hash, Ed25519, DSA with SHA-256).
        """
        if not isinstance(subject, Name):
            raise TypeError("subject must be a Name")
        if version not in (1, 3):
            raise ValueError("version must be 1 or 3")
        info = (
            public_key
            if isinstance(public_key, PublicKeyInfo)
            else PublicKeyInfo.from_key(public_key)
        )
        if issuer is None:
            issuer_name, issuer_key_id = subject, info.key_identifier()
        elif isinstance(issuer, Certificate):
            ski = issuer.extensions.subject_key_identifier
            issuer_name = issuer.subject
            issuer_key_id = (
                ski.digest if ski is not None else issuer.public_key_info.key_identifier()
            )
        elif isinstance(issuer, Name):
            signer = PublicKeyInfo.from_key(signing_key.public_key())
            issuer_name, issuer_key_id = issuer, signer.key_identifier()
        else:
            raise TypeError("issuer must be a Certificate, a Name or None")
        serial = (
            _builder.random_serial(random)
            if serial_number is None
            else _builder.check_serial(serial_number)
        )
        algorithm = _builder.signature_algorithm(signing_key, signature_algorithm)
        exts: tuple[Extension, ...] = ()
        if version == 3:
            generated = _builder.certificate_extensions(
                subject_empty=not subject,
                public_key_info=info,
                authority_key_id=issuer_key_id if authority_key_identifier else None,
                basic_constraints=basic_constraints,
                key_usage=key_usage,
                extended_key_usage=extended_key_usage,
                subject_alternative_names=subject_alternative_names,
                name_constraints=name_constraints,
                policies=policies,
                crl_distribution_points=crl_distribution_points,
                ocsp_responders=ocsp_responders,
                ca_issuers=ca_issuers,
                subject_key_identifier=subject_key_identifier,
            )
            exts = _builder.merge(generated, extensions, "certificate")
        else:
            given = (
                basic_constraints,
                key_usage,
                name_constraints,
                *extended_key_usage,
                *subject_alternative_names,
                *policies,
                *crl_distribution_points,
                *ocsp_responders,
                *ca_issuers,
                *extensions,
            )
            if any(x is not None for x in given):
                raise ValueError("a v1 certificate has no extensions")
        spki = asn1.decode_der(g.SubjectPublicKeyInfoG, info.der)
        tbs = g.TBSCertificate(
            version - 1,
            serial,
            algorithm.identifier,
            issuer_name._to_grammar(),
            g.Validity(
                _builder.time_of(not_before, "not_before"), _builder.time_of(not_after, "not_after")
            ),
            subject._to_grammar(),
            spki,
            None,
            None,
            Extensions(exts)._to_grammar(),
        )
        tbs_der = asn1.encode_der(g.TBSCertificateG, tbs)
        signature = sign(signing_key, algorithm, tbs_der, random=random)
        structure = g.CertificateStructure(
            Encoded(tbs, tbs_der), algorithm.identifier, BitString(signature)
        )
        return cls.from_der(asn1.encode_der(g.CertificateG, Encoded(structure)))


# Certificate(*fields) for from_der, with the slots filled directly.
_make_certificate = g._maker(Certificate)


def load_pem_bundle(text: str | bytes) -> list[Certificate]:
    """Every "CERTIFICATE" block of a PEM bundle, in order (other blocks and text between
    blocks are skipped, RFC 7468 2); DecodeError says which certificate is malformed."""
    try:
        blocks = asn1.pem.decode(text, PEM_LABEL)
    except asn1.DecodeError as e:
        raise DecodeError(f"PEM bundle: {e}") from None
    out = []
    for i, (_, der) in enumerate(blocks):
        try:
            out.append(Certificate.from_der(der))
        except DecodeError as e:
            raise DecodeError(f"PEM bundle, certificate {i + 1}: {e}") from None
    return out
