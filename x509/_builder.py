"""The shared steps of making certificates, requests and CRLs (RFC 5280 4.1, 5.1).

Serial numbers (4.1.2.2: positive, at most 20 octets; random, 159 bits), times (4.1.2.5,
5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050, whole seconds), key identifiers
(4.2.1.2 method 1), the extensions of a new certificate with their RFC 5280 criticality,
and signing. No encoder is written here: every structure is encoded by its grammar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from asn1 import OID

from . import _grammar as g
from ._extensions import (
    AccessDescription,
    AuthorityInformationAccess,
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificatePolicies,
    CRLDistributionPoints,
    DistributionPoint,
    ExtendedKeyUsage,
    Extension,
    ExtensionValue,
    KeyUsage,
    NameConstraints,
    PolicyInformation,
    SubjectAlternativeName,
    SubjectKeyIdentifier,
    extension_list,
)
from ._general_name import URI, GeneralName
from ._keys import PrivateKey, PublicKeyInfo
from ._signature import SignatureAlgorithm

Random = Callable[[int], bytes]


def random_serial(random: Random) -> int:
    """A positive serial number of at most 20 octets (RFC 5280 4.1.2.2): 159 random bits
    (the top bit of the first octet clear), never 0."""
    while True:
        serial = int.from_bytes(random(20), "big") >> 1
        if serial:
            return serial


def check_serial(serial: int) -> int:
    if not isinstance(serial, int) or isinstance(serial, bool):
        raise TypeError("a serial number is an int")
    return serial


def time_of(moment: datetime, what: str) -> g.Time:
    """The Time of *moment* in the RFC 5280 4.1.2.5 form (whole seconds: 4.1.2.5.2 forbids
    fractional seconds)."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} must be a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return g.Time.of(moment.replace(microsecond=0))


def signature_algorithm(
    key: PrivateKey, algorithm: SignatureAlgorithm | str | None
) -> SignatureAlgorithm:
    """The algorithm to sign with: as given, the key's usual one with the hash named, or
    the key's default."""
    if isinstance(algorithm, SignatureAlgorithm):
        return algorithm
    if algorithm is None or isinstance(algorithm, str):
        return SignatureAlgorithm.for_key(key, algorithm)
    raise TypeError("signature_algorithm must be a SignatureAlgorithm, a hash name or None")


def merge(
    generated: Iterable[Extension], extra: Iterable[Extension | ExtensionValue], what: str
) -> tuple[Extension, ...]:
    """*generated* with each of *extra* replacing the one of the same OID (in its place)
    or appended; ValueError if *extra* names an OID twice."""
    out = list(generated)
    seen: set[str] = set()
    for e in extension_list(extra, what):
        if e.oid in seen:
            raise ValueError(f"{what}: extension {e.name} given twice")
        seen.add(e.oid)
        for i, existing in enumerate(out):
            if existing.oid == e.oid:
                out[i] = e
                break
        else:
            out.append(e)
    return tuple(out)


def certificate_extensions(
    *,
    subject_empty: bool,
    public_key_info: PublicKeyInfo,
    authority_key_id: bytes | None,
    basic_constraints: BasicConstraints | None,
    key_usage: KeyUsage | None,
    extended_key_usage: Sequence[OID],
    subject_alternative_names: Sequence[GeneralName],
    name_constraints: NameConstraints | None,
    policies: Sequence[OID | PolicyInformation],
    crl_distribution_points: Sequence[str],
    ocsp_responders: Sequence[str],
    ca_issuers: Sequence[str],
    subject_key_identifier: bool,
) -> list[Extension]:
    """The extensions of a new v3 certificate, in the usual order, critical as RFC 5280
    asks: basicConstraints (4.2.1.9, critical), keyUsage (4.2.1.3, critical),
    extKeyUsage, subjectKeyIdentifier (4.2.1.2 method 1), authorityKeyIdentifier (4.2.1.1),
    subjectAltName (4.2.1.6, critical when the subject is empty), nameConstraints
    (4.2.1.10, critical), certificatePolicies, cRLDistributionPoints, authorityInfoAccess."""
    out: list[Extension] = []
    if basic_constraints is not None:
        out.append(Extension.of(basic_constraints))
    if key_usage is not None:
        out.append(Extension.of(key_usage))
    if extended_key_usage:
        out.append(Extension.of(ExtendedKeyUsage(tuple(OID(u) for u in extended_key_usage))))
    if subject_key_identifier:
        out.append(Extension.of(SubjectKeyIdentifier(public_key_info.key_identifier())))
    if authority_key_id is not None:
        out.append(Extension.of(AuthorityKeyIdentifier(authority_key_id)))
    if subject_alternative_names:
        san = SubjectAlternativeName(tuple(subject_alternative_names))
        out.append(Extension.of(san, critical=subject_empty))
    if name_constraints is not None:
        out.append(Extension.of(name_constraints))
    if policies:
        infos = tuple(
            p if isinstance(p, PolicyInformation) else PolicyInformation(OID(p)) for p in policies
        )
        out.append(Extension.of(CertificatePolicies(infos)))
    if crl_distribution_points:
        points = tuple(DistributionPoint(full_name=(URI(u),)) for u in crl_distribution_points)
        out.append(Extension.of(CRLDistributionPoints(points)))
    if ocsp_responders or ca_issuers:
        descriptions = tuple(
            AccessDescription(AccessDescription.OCSP, URI(u)) for u in ocsp_responders
        )
        descriptions += tuple(
            AccessDescription(AccessDescription.CA_ISSUERS, URI(u)) for u in ca_issuers
        )
        out.append(Extension.of(AuthorityInformationAccess(descriptions)))
    return out
