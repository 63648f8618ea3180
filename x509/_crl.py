"""Certificate revocation lists (RFC 5280 5): parsing, lookup, signatures, creation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import asn1
from asn1 import BitString, Encoded
from nocrypto import rng

from . import _builder
from . import _grammar as g
from ._certificate import Certificate
from ._errors import CRL_LIMITS, MAX_REVOKED, DecodeError
from ._extensions import (
    CRL_ENTRY_EXTENSIONS,
    CRL_EXTENSIONS,
    AuthorityKeyIdentifier,
    CRLNumber,
    CRLReason,
    Extension,
    Extensions,
    ExtensionValue,
    InvalidityDate,
)
from ._keys import PrivateKey, PublicKey, PublicKeyInfo
from ._name import Name
from ._signature import SignatureAlgorithm, sign, verify_signature

__all__ = ["CertificateRevocationList", "RevokedCertificate"]

PEM_LABEL = "X509 CRL"


@dataclass(frozen=True, slots=True)
class RevokedCertificate:
    """A revoked certificate (RFC 5280 5.1.2.6): its serial number, the revocation date,
    and the reason (5.3.1, a CRLReason name) and invalidity date (5.3.2) when given.
    ``extensions`` are the entry's extensions as read (or extra ones to write)."""

    serial_number: int
    revocation_date: datetime
    reason: str | None = None
    invalidity_date: datetime | None = None
    extensions: Extensions = field(default_factory=Extensions, compare=False)

    def _to_grammar(self) -> g.RevokedCertificate:
        generated = []
        if self.reason is not None:
            generated.append(Extension.of(CRLReason(self.reason)))
        if self.invalidity_date is not None:
            generated.append(
                Extension.of(InvalidityDate(self.invalidity_date.replace(microsecond=0)))
            )
        exts = Extensions(_builder.merge(generated, self.extensions, "CRL entry"))
        return g.RevokedCertificate(
            _builder.check_serial(self.serial_number),
            _builder.time_of(self.revocation_date, "revocation_date"),
            exts._to_grammar(),
        )

    @classmethod
    def _from_grammar(cls, entry: g.RevokedCertificate) -> RevokedCertificate:
        exts = Extensions._decode(entry.crl_entry_extensions, CRL_ENTRY_EXTENSIONS)
        reason = exts.reason
        invalidity = exts.invalidity_date
        return cls(
            entry.user_certificate,
            entry.revocation_date.value,
            None if reason is None else reason.reason,
            None if invalidity is None else invalidity.date,
            exts,
        )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CertificateRevocationList:
    """A CRL (RFC 5280 5.1): ``der`` and ``tbs_der`` exactly as encoded, ``version`` (1 or
    2), ``signature_algorithm`` (outer) and ``tbs_signature_algorithm``, ``issuer``,
    ``this_update``, ``next_update`` (or None), ``revoked_certificates``, ``extensions``
    (typed: cRLNumber, authorityKeyIdentifier, issuingDistributionPoint, ...) and
    ``signature_bits``. Equal and hashed by DER."""

    der: bytes
    tbs_der: bytes
    version: int
    signature_algorithm: SignatureAlgorithm
    tbs_signature_algorithm: SignatureAlgorithm
    issuer: Name
    this_update: datetime
    next_update: datetime | None
    revoked_certificates: tuple[RevokedCertificate, ...]
    extensions: Extensions
    signature_bits: BitString
    _by_serial: dict[int, RevokedCertificate] = field(repr=False)

    @classmethod
    def from_der(cls, der: bytes) -> CertificateRevocationList:
        """The CRL encoded in *der*; DecodeError names the field at fault."""
        der = bytes(der)
        try:
            encoded = asn1.decode_der(g.CertificateListG, der, limits=CRL_LIMITS)
        except asn1.DecodeError as e:
            raise DecodeError(f"CRL: {e}") from None
        structure = encoded.value
        tbs = structure.tbs_cert_list.value
        # RFC 5280 5.1.2.1: absent (v1) or v2; extensions require v2.
        if tbs.version not in (None, 1):
            raise DecodeError(f"CRL: version {tbs.version} (v2, 1, expected if present)")
        has_extensions = tbs.crl_extensions is not None or any(
            r.crl_entry_extensions is not None for r in tbs.revoked_certificates or ()
        )
        if has_extensions and tbs.version is None:
            raise DecodeError("CRL: extensions in a v1 CRL (RFC 5280 5.1.2.1)")
        entries = tbs.revoked_certificates or ()
        if len(entries) > MAX_REVOKED:
            raise DecodeError(f"CRL: more than {MAX_REVOKED} revoked certificates")
        try:
            issuer = Name._from_grammar(tbs.issuer)
            extensions = Extensions._decode(tbs.crl_extensions, CRL_EXTENSIONS)
            revoked = []
            for i, entry in enumerate(entries):
                try:
                    revoked.append(RevokedCertificate._from_grammar(entry))
                except DecodeError as e:
                    raise DecodeError(f"revokedCertificates[{i}]: {e}") from None
        except DecodeError as e:
            raise DecodeError(f"CRL: {e}") from None
        by_serial: dict[int, RevokedCertificate] = {}
        for r in revoked:
            by_serial.setdefault(r.serial_number, r)
        return cls(
            der,
            structure.tbs_cert_list.encoding,
            2 if tbs.version == 1 else 1,
            SignatureAlgorithm.from_identifier(structure.signature_algorithm),
            SignatureAlgorithm.from_identifier(tbs.signature),
            issuer,
            tbs.this_update.value,
            None if tbs.next_update is None else tbs.next_update.value,
            tuple(revoked),
            extensions,
            structure.signature_value,
            by_serial,
        )

    @classmethod
    def from_pem(cls, text: str | bytes) -> CertificateRevocationList:
        """The CRL of the one "X509 CRL" PEM block of *text* (RFC 7468 6)."""
        try:
            der = asn1.pem.decode_one(text, PEM_LABEL)
        except asn1.DecodeError as e:
            raise DecodeError(f"CRL PEM: {e}") from None
        return cls.from_der(der)

    def to_pem(self) -> str:
        return asn1.pem.encode(PEM_LABEL, self.der)

    @property
    def signature(self) -> bytes:
        return self.signature_bits.data

    @property
    def crl_number(self) -> int | None:
        number = self.extensions.crl_number
        return None if number is None else number.number

    def is_revoked(self, serial_number: int) -> RevokedCertificate | None:
        """The entry for *serial_number*, or None if this CRL does not list it."""
        return self._by_serial.get(serial_number)

    def verify(
        self, issuer_public_key: PublicKey | PublicKeyInfo | Certificate, allow_sha1: bool = False
    ) -> bool:
        """Whether the issuer's key signed this CRL (the outer signatureAlgorithm must
        equal the signed one, RFC 5280 5.1.1.2); never raises on hostile input."""
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
        if not isinstance(other, CertificateRevocationList):
            return NotImplemented
        return self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        entries = len(self.revoked_certificates)
        return f"<CertificateRevocationList issuer={str(self.issuer)!r} entries={entries}>"

    @classmethod
    def create(
        cls,
        *,
        issuer: Certificate | Name,
        private_key: PrivateKey,
        this_update: datetime,
        next_update: datetime | None,
        crl_number: int,
        revoked: Sequence[RevokedCertificate] = (),
        extensions: Sequence[Extension | ExtensionValue] = (),
        signature_algorithm: SignatureAlgorithm | str | None = None,
        random: Callable[[int], bytes] = rng.generate,
    ) -> CertificateRevocationList:
        """A v2 CRL of *issuer* (its certificate, or its name) signed with *private_key*,
        with authorityKeyIdentifier (the issuer's subject key identifier, or computed from
        the key, RFC 5280 5.2.1) and cRLNumber (5.2.3), plus *extensions* (replacing a
        generated one of the same OID)."""
        if isinstance(issuer, Certificate):
            ski = issuer.extensions.subject_key_identifier
            name = issuer.subject
            key_id = ski.digest if ski is not None else issuer.public_key_info.key_identifier()
        elif isinstance(issuer, Name):
            name = issuer
            key_id = PublicKeyInfo.from_key(private_key.public_key()).key_identifier()
        else:
            raise TypeError("issuer must be a Certificate or a Name")
        if not isinstance(crl_number, int) or crl_number < 0:
            raise ValueError("crl_number must be a non-negative int")
        algorithm = _builder.signature_algorithm(private_key, signature_algorithm)
        generated = [
            Extension.of(AuthorityKeyIdentifier(key_id)),
            Extension.of(CRLNumber(crl_number)),
        ]
        exts = Extensions(_builder.merge(generated, extensions, "CRL"))
        tbs = g.TBSCertList(
            1,
            algorithm.identifier,
            name._to_grammar(),
            _builder.time_of(this_update, "this_update"),
            None if next_update is None else _builder.time_of(next_update, "next_update"),
            tuple(r._to_grammar() for r in revoked) or None,
            exts._to_grammar(),
        )
        tbs_der = asn1.encode_der(g.TBSCertListG, tbs)
        signature = sign(private_key, algorithm, tbs_der, random=random)
        structure = g.CertificateListStructure(
            Encoded(tbs, tbs_der), algorithm.identifier, BitString(signature)
        )
        return cls.from_der(asn1.encode_der(g.CertificateListG, Encoded(structure)))
