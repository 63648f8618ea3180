"""The certificate extensions of RFC 5280 4.2 as typed values.

Each extension type is a frozen dataclass with ``oid``, ``name`` and ``default_critical``
class attributes, ``from_der`` (strict, through the grammar of ``x509._grammar``; a
malformed value is a :class:`DecodeError` naming the extension) and ``to_der``. The CRL
and CRL entry extensions (RFC 5280 5.2, 5.3) and the collection are in ``_extensions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Final, Self

import asn1
from asn1 import OID

from . import _grammar as g
from ._errors import LIMITS, DecodeError
from ._general_name import GeneralName, from_choice, from_choices, to_choices
from ._name import NameAttribute


class ExtensionValue:
    """The base of the typed extension values."""

    __slots__ = ()
    oid: ClassVar[OID]
    name: ClassVar[str]
    default_critical: ClassVar[bool] = False
    _grammar: ClassVar[asn1.Grammar[Any]]

    @classmethod
    def from_der(cls, der: bytes) -> Self:
        """The value of the extension's extnValue *der*; DecodeError names the extension.
        (Extensions._decode does the same in place.)"""
        try:
            return cls._decode(asn1.decode_der(cls._grammar, der, limits=LIMITS))
        except ValueError as e:  # asn1.DecodeError, or a typed value refusing what was read
            raise DecodeError(f"extension {cls.name} ({cls.oid}): {e}") from None

    def to_der(self) -> bytes:
        """The DER of the extension value (the content of extnValue)."""
        return asn1.encode_der(self._grammar, self._encode())

    @classmethod
    def _decode(cls, value: Any) -> Self:
        raise NotImplementedError

    def _encode(self) -> Any:
        raise NotImplementedError


def non_negative(value: int | None, what: str) -> None:
    if value is not None and (not isinstance(value, int) or value < 0):
        raise DecodeError(f"{what} must be a non-negative integer")


# --- RFC 5280 4.2.1.1 - 4.2.1.3 -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuthorityKeyIdentifier(ExtensionValue):
    """authorityKeyIdentifier (4.2.1.1): the issuer's key identifier, and/or its issuer
    name and serial number."""

    oid = OID("2.5.29.35")
    name = "authorityKeyIdentifier"
    _grammar = g.AuthorityKeyIdentifierG

    key_identifier: bytes | None = None
    authority_cert_issuer: tuple[GeneralName, ...] | None = None
    authority_cert_serial_number: int | None = None

    @classmethod
    def _decode(cls, v: g.AuthorityKeyIdentifier) -> Self:
        issuer = v.authority_cert_issuer
        return cls(
            v.key_identifier,
            None if issuer is None else from_choices(issuer, "authorityCertIssuer"),
            v.authority_cert_serial_number,
        )

    def _encode(self) -> g.AuthorityKeyIdentifier:
        issuer = self.authority_cert_issuer
        return g.AuthorityKeyIdentifier(
            self.key_identifier,
            None if issuer is None else to_choices(issuer, "authorityCertIssuer"),
            self.authority_cert_serial_number,
        )


@dataclass(frozen=True, slots=True)
class SubjectKeyIdentifier(ExtensionValue):
    """subjectKeyIdentifier (4.2.1.2)."""

    oid = OID("2.5.29.14")
    name = "subjectKeyIdentifier"
    _grammar = g.SubjectKeyIdentifier

    digest: bytes

    @classmethod
    def _decode(cls, v: bytes) -> Self:
        return cls(v)

    def _encode(self) -> bytes:
        return self.digest


_KEY_USAGE_BITS: Final = frozenset(g.KEY_USAGE_BITS)
_KEY_USAGE_FIELDS: Final = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


@dataclass(frozen=True, slots=True)
class KeyUsage(ExtensionValue):
    """keyUsage (4.2.1.3): the nine bits as booleans (``content_commitment`` is the bit
    RFC 5280 calls nonRepudiation). Read with trailing zero bits tolerated (deployed roots
    carry them), written minimal (X.690 11.2.2)."""

    oid = OID("2.5.29.15")
    name = "keyUsage"
    default_critical = True
    _grammar = g.KeyUsageLenient

    digital_signature: bool = False
    content_commitment: bool = False
    key_encipherment: bool = False
    data_encipherment: bool = False
    key_agreement: bool = False
    key_cert_sign: bool = False
    crl_sign: bool = False
    encipher_only: bool = False
    decipher_only: bool = False

    @classmethod
    def of(cls, *names: str) -> KeyUsage:
        """From the RFC 5280 bit names: ``KeyUsage.of("keyCertSign", "cRLSign")``."""
        index = {n: i for i, n in enumerate(g.KEY_USAGE_BITS)}
        index["contentCommitment"] = 1
        flags = [False] * 9
        for n in names:
            if n not in index:
                raise ValueError(f"unknown keyUsage bit {n!r}")
            flags[index[n]] = True
        return cls(*flags)

    @property
    def names(self) -> frozenset[str]:
        """The RFC 5280 names of the bits that are set."""
        return frozenset(
            bit
            for bit, attr in zip(g.KEY_USAGE_BITS, _KEY_USAGE_FIELDS, strict=True)
            if getattr(self, attr)
        )

    @classmethod
    def _decode(cls, v: frozenset[str]) -> Self:
        unknown = v - _KEY_USAGE_BITS
        if unknown:
            raise DecodeError(f"undefined keyUsage bits {', '.join(sorted(unknown))}")
        flags = tuple(map(v.__contains__, g.KEY_USAGE_BITS))
        return _make_key_usage(flags) if cls is KeyUsage else cls(*flags)  # type: ignore[return-value]

    def to_der(self) -> bytes:
        return asn1.encode_der(g.KeyUsage, self.names)


# KeyUsage(*flags), the slots filled directly.
_make_key_usage = g._maker(KeyUsage)

# --- 4.2.1.4 - 4.2.1.5: policies -----------------------------------------------------------

CPS_QUALIFIER: Final = OID("1.3.6.1.5.5.7.2.1")
USER_NOTICE_QUALIFIER: Final = OID("1.3.6.1.5.5.7.2.2")


@dataclass(frozen=True, slots=True)
class NoticeReference:
    """A UserNotice's noticeRef: organization and notice numbers; ``organization_type`` is
    the DisplayText alternative it is written in."""

    organization: str
    notice_numbers: tuple[int, ...]
    organization_type: str = "utf8String"


@dataclass(frozen=True, slots=True)
class UserNotice:
    """The id-qt-unotice policy qualifier (4.2.1.4); ``explicit_text_type`` is the
    DisplayText alternative ("utf8String", "ia5String", "visibleString", "bmpString")."""

    notice_reference: NoticeReference | None = None
    explicit_text: str | None = None
    explicit_text_type: str = "utf8String"


@dataclass(frozen=True, slots=True)
class CPSUri:
    """The id-qt-cps policy qualifier: the URI of a certification practice statement."""

    uri: str


@dataclass(frozen=True, slots=True)
class PolicyQualifier:
    """A policy qualifier of another type: its OID and the DER of the qualifier."""

    oid: OID
    der: bytes


Qualifier = CPSUri | UserNotice | PolicyQualifier


@dataclass(frozen=True, slots=True)
class PolicyInformation:
    """One policy: its OID and qualifiers (empty when the field is absent)."""

    policy_identifier: OID
    qualifiers: tuple[Qualifier, ...] = ()


def _qualifier(q: g.PolicyQualifierInfo) -> Qualifier:
    if q.policy_qualifier_id == CPS_QUALIFIER:
        return CPSUri(asn1.decode_der(asn1.ia5_string, q.qualifier))
    if q.policy_qualifier_id == USER_NOTICE_QUALIFIER:
        n = asn1.decode_der(g.UserNoticeG, q.qualifier)
        ref = n.notice_ref
        return UserNotice(
            None
            if ref is None
            else NoticeReference(ref.organization[1], ref.notice_numbers, ref.organization[0]),
            None if n.explicit_text is None else n.explicit_text[1],
            "utf8String" if n.explicit_text is None else n.explicit_text[0],
        )
    return PolicyQualifier(q.policy_qualifier_id, q.qualifier)


def _qualifier_info(q: Qualifier) -> g.PolicyQualifierInfo:
    if isinstance(q, CPSUri):
        return g.PolicyQualifierInfo(CPS_QUALIFIER, asn1.encode_der(asn1.ia5_string, q.uri))
    if isinstance(q, UserNotice):
        ref = q.notice_reference
        notice = g.UserNotice(
            None
            if ref is None
            else g.NoticeReference(
                (ref.organization_type, ref.organization), tuple(ref.notice_numbers)
            ),
            None if q.explicit_text is None else (q.explicit_text_type, q.explicit_text),
        )
        return g.PolicyQualifierInfo(USER_NOTICE_QUALIFIER, asn1.encode_der(g.UserNoticeG, notice))
    if isinstance(q, PolicyQualifier):
        return g.PolicyQualifierInfo(q.oid, q.der)
    raise TypeError(f"not a policy qualifier: {q!r}")


@dataclass(frozen=True, slots=True)
class CertificatePolicies(ExtensionValue):
    """certificatePolicies (4.2.1.4), with the CPS and user notice qualifiers decoded."""

    oid = OID("2.5.29.32")
    name = "certificatePolicies"
    _grammar = g.CertificatePolicies
    ANY_POLICY: ClassVar[OID] = OID("2.5.29.32.0")

    policies: tuple[PolicyInformation, ...]

    @classmethod
    def _decode(cls, v: tuple[g.PolicyInformation, ...]) -> Self:
        out = []
        seen = set()
        for p in v:
            # 4.2.1.4: "A certificate policy OID MUST NOT appear more than once".
            if p.policy_identifier in seen:
                raise DecodeError(f"policy {p.policy_identifier} appears twice")
            seen.add(p.policy_identifier)
            found = p.policy_qualifiers
            qualifiers = tuple([_qualifier(q) for q in found]) if found else ()
            out.append(PolicyInformation(p.policy_identifier, qualifiers))
        return cls(tuple(out))

    def _encode(self) -> tuple[g.PolicyInformation, ...]:
        return tuple(
            g.PolicyInformation(
                p.policy_identifier,
                tuple(_qualifier_info(q) for q in p.qualifiers) or None,
            )
            for p in self.policies
        )


@dataclass(frozen=True, slots=True)
class PolicyMapping:
    issuer_domain_policy: OID
    subject_domain_policy: OID


@dataclass(frozen=True, slots=True)
class PolicyMappings(ExtensionValue):
    """policyMappings (4.2.1.5)."""

    oid = OID("2.5.29.33")
    name = "policyMappings"
    default_critical = True
    _grammar = g.PolicyMappings

    mappings: tuple[PolicyMapping, ...]

    @classmethod
    def _decode(cls, v: tuple[g.PolicyMapping, ...]) -> Self:
        return cls(tuple(PolicyMapping(m.issuer_domain_policy, m.subject_domain_policy) for m in v))

    def _encode(self) -> tuple[g.PolicyMapping, ...]:
        return tuple(
            g.PolicyMapping(m.issuer_domain_policy, m.subject_domain_policy) for m in self.mappings
        )


# --- 4.2.1.6 - 4.2.1.10: names and constraints --------------------------------------------


@dataclass(frozen=True, slots=True)
class SubjectAlternativeName(ExtensionValue):
    """subjectAltName (4.2.1.6)."""

    oid = OID("2.5.29.17")
    name = "subjectAltName"
    _grammar = g.GeneralNames

    names: tuple[GeneralName, ...]

    @classmethod
    def _decode(cls, v: tuple[tuple[str, Any], ...]) -> Self:
        return cls(from_choices(v, cls.name))

    def _encode(self) -> tuple[tuple[str, Any], ...]:
        return to_choices(self.names, self.name)


@dataclass(frozen=True, slots=True)
class IssuerAlternativeName(ExtensionValue):
    """issuerAltName (4.2.1.7, 5.2.2)."""

    oid = OID("2.5.29.18")
    name = "issuerAltName"
    _grammar = g.GeneralNames

    names: tuple[GeneralName, ...]

    @classmethod
    def _decode(cls, v: tuple[tuple[str, Any], ...]) -> Self:
        return cls(from_choices(v, cls.name))

    def _encode(self) -> tuple[tuple[str, Any], ...]:
        return to_choices(self.names, self.name)


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute (type and the DER of each value), as in subjectDirectoryAttributes."""

    oid: OID
    values: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class SubjectDirectoryAttributes(ExtensionValue):
    """subjectDirectoryAttributes (4.2.1.8)."""

    oid = OID("2.5.29.9")
    name = "subjectDirectoryAttributes"
    _grammar = g.SubjectDirectoryAttributes

    attributes: tuple[Attribute, ...]

    @classmethod
    def _decode(cls, v: tuple[g.Attribute, ...]) -> Self:
        return cls(tuple(Attribute(a.type, a.values) for a in v))

    def _encode(self) -> tuple[g.Attribute, ...]:
        return tuple(g.Attribute(a.oid, a.values) for a in self.attributes)


@dataclass(frozen=True, slots=True)
class BasicConstraints(ExtensionValue):
    """basicConstraints (4.2.1.9): ``ca`` and the optional ``path_length``."""

    oid = OID("2.5.29.19")
    name = "basicConstraints"
    default_critical = True
    _grammar = g.BasicConstraintsG

    ca: bool = False
    path_length: int | None = None

    @classmethod
    def _decode(cls, v: g.BasicConstraints) -> Self:
        non_negative(v.path_len_constraint, "pathLenConstraint")  # INTEGER (0..MAX)
        return cls(v.ca, v.path_len_constraint)

    def _encode(self) -> g.BasicConstraints:
        return g.BasicConstraints(self.ca, self.path_length)


@dataclass(frozen=True, slots=True)
class NameConstraints(ExtensionValue):
    """nameConstraints (4.2.1.10): permitted and excluded subtrees as GeneralNames
    (iPAddress as :class:`IPNetwork`). RFC 5280: "the minimum MUST be zero, and maximum
    MUST be absent" - other values are a DecodeError."""

    oid = OID("2.5.29.30")
    name = "nameConstraints"
    default_critical = True
    _grammar = g.NameConstraintsG

    permitted: tuple[GeneralName, ...] | None = None
    excluded: tuple[GeneralName, ...] | None = None

    @classmethod
    def _subtrees(
        cls, subtrees: tuple[g.GeneralSubtree, ...] | None, what: str
    ) -> tuple[GeneralName, ...] | None:
        if subtrees is None:
            return None
        for s in subtrees:
            if s.minimum != 0 or s.maximum is not None:
                raise DecodeError(
                    f"{what}: minimum MUST be zero and maximum absent (RFC 5280 4.2.1.10)"
                )
        return from_choices((s.base for s in subtrees), what, constraint=True)

    @classmethod
    def _decode(cls, v: g.NameConstraints) -> Self:
        return cls(
            cls._subtrees(v.permitted_subtrees, "permittedSubtrees"),
            cls._subtrees(v.excluded_subtrees, "excludedSubtrees"),
        )

    def _encode(self) -> g.NameConstraints:
        def trees(names: tuple[GeneralName, ...] | None) -> tuple[g.GeneralSubtree, ...] | None:
            if names is None:
                return None
            return tuple(g.GeneralSubtree(c) for c in to_choices(names, self.name))

        return g.NameConstraints(trees(self.permitted), trees(self.excluded))


@dataclass(frozen=True, slots=True)
class PolicyConstraints(ExtensionValue):
    """policyConstraints (4.2.1.11)."""

    oid = OID("2.5.29.36")
    name = "policyConstraints"
    default_critical = True
    _grammar = g.PolicyConstraintsG

    require_explicit_policy: int | None = None
    inhibit_policy_mapping: int | None = None

    @classmethod
    def _decode(cls, v: g.PolicyConstraints) -> Self:
        non_negative(v.require_explicit_policy, "requireExplicitPolicy")
        non_negative(v.inhibit_policy_mapping, "inhibitPolicyMapping")
        return cls(v.require_explicit_policy, v.inhibit_policy_mapping)

    def _encode(self) -> g.PolicyConstraints:
        return g.PolicyConstraints(self.require_explicit_policy, self.inhibit_policy_mapping)


@dataclass(frozen=True, slots=True)
class ExtendedKeyUsage(ExtensionValue):
    """extKeyUsage (4.2.1.12): the key purpose OIDs."""

    oid = OID("2.5.29.37")
    name = "extKeyUsage"
    _grammar = g.ExtKeyUsageSyntax
    ANY: ClassVar[OID] = OID("2.5.29.37.0")
    SERVER_AUTH: ClassVar[OID] = OID("1.3.6.1.5.5.7.3.1")
    CLIENT_AUTH: ClassVar[OID] = OID("1.3.6.1.5.5.7.3.2")
    CODE_SIGNING: ClassVar[OID] = OID("1.3.6.1.5.5.7.3.3")
    EMAIL_PROTECTION: ClassVar[OID] = OID("1.3.6.1.5.5.7.3.4")
    TIME_STAMPING: ClassVar[OID] = OID("1.3.6.1.5.5.7.3.8")
    OCSP_SIGNING: ClassVar[OID] = OID("1.3.6.1.5.5.7.3.9")

    usages: tuple[OID, ...]

    @classmethod
    def _decode(cls, v: tuple[OID, ...]) -> Self:
        return cls(v)

    def _encode(self) -> tuple[OID, ...]:
        return tuple(self.usages)


# --- 4.2.1.13 - 4.2.2.2: distribution points, inhibitAnyPolicy, access ----------------------


@dataclass(frozen=True, slots=True)
class DistributionPoint:
    """A DistributionPoint (4.2.1.13): the name as ``full_name`` (GeneralNames) or
    ``relative_name`` (an RDN relative to the CRL issuer), the ``reasons`` (ReasonFlags
    names) and the ``crl_issuer``."""

    full_name: tuple[GeneralName, ...] | None = None
    relative_name: tuple[NameAttribute, ...] | None = None
    reasons: frozenset[str] | None = None
    crl_issuer: tuple[GeneralName, ...] | None = None


def dp_name(
    v: tuple[str, Any] | None,
) -> tuple[tuple[GeneralName, ...] | None, tuple[NameAttribute, ...] | None]:
    if v is None:
        return None, None
    kind, value = v
    if kind == "fullName":
        return from_choices(value, "fullName"), None
    return None, tuple(NameAttribute(a.type, a.value) for a in value)


def dp_choice(
    full: tuple[GeneralName, ...] | None, relative: tuple[NameAttribute, ...] | None
) -> tuple[str, Any] | None:
    if full is not None and relative is not None:
        raise ValueError("a distribution point name is a full name or a relative name")
    if full is not None:
        return ("fullName", to_choices(full, "fullName"))
    if relative is not None:
        return ("nameRelativeToCRLIssuer", tuple(a._to_grammar() for a in relative))
    return None


# DistributionPoint(*fields), the slots filled directly.
_make_point = g._maker(DistributionPoint)


def _points(v: tuple[g.DistributionPoint, ...]) -> tuple[DistributionPoint, ...]:
    out = []
    for p in v:
        full, relative = dp_name(p.distribution_point)
        issuer = None if p.crl_issuer is None else from_choices(p.crl_issuer, "cRLIssuer")
        out.append(_make_point((full, relative, p.reasons, issuer)))
    return tuple(out)


def _point_values(points: Sequence[DistributionPoint]) -> tuple[g.DistributionPoint, ...]:
    return tuple(
        g.DistributionPoint(
            dp_choice(p.full_name, p.relative_name),
            p.reasons,
            None if p.crl_issuer is None else to_choices(p.crl_issuer, "cRLIssuer"),
        )
        for p in points
    )


@dataclass(frozen=True, slots=True)
class CRLDistributionPoints(ExtensionValue):
    """cRLDistributionPoints (4.2.1.13)."""

    oid = OID("2.5.29.31")
    name = "cRLDistributionPoints"
    _grammar = g.CRLDistributionPoints

    points: tuple[DistributionPoint, ...]

    @classmethod
    def _decode(cls, v: tuple[g.DistributionPoint, ...]) -> Self:
        return cls(_points(v))

    def _encode(self) -> tuple[g.DistributionPoint, ...]:
        return _point_values(self.points)


@dataclass(frozen=True, slots=True)
class FreshestCRL(ExtensionValue):
    """freshestCRL (4.2.1.15, 5.2.6): where delta CRLs are."""

    oid = OID("2.5.29.46")
    name = "freshestCRL"
    _grammar = g.CRLDistributionPoints

    points: tuple[DistributionPoint, ...]

    @classmethod
    def _decode(cls, v: tuple[g.DistributionPoint, ...]) -> Self:
        return cls(_points(v))

    def _encode(self) -> tuple[g.DistributionPoint, ...]:
        return _point_values(self.points)


@dataclass(frozen=True, slots=True)
class InhibitAnyPolicy(ExtensionValue):
    """inhibitAnyPolicy (4.2.1.14): SkipCerts, INTEGER (0..MAX)."""

    oid = OID("2.5.29.54")
    name = "inhibitAnyPolicy"
    default_critical = True
    _grammar = g.InhibitAnyPolicy

    skip_certs: int

    @classmethod
    def _decode(cls, v: int) -> Self:
        non_negative(v, "SkipCerts")
        return cls(v)

    def _encode(self) -> int:
        return self.skip_certs


@dataclass(frozen=True, slots=True)
class AccessDescription:
    """An AccessDescription (4.2.2.1): the access method and location."""

    OCSP: ClassVar[OID] = OID("1.3.6.1.5.5.7.48.1")
    CA_ISSUERS: ClassVar[OID] = OID("1.3.6.1.5.5.7.48.2")
    TIME_STAMPING: ClassVar[OID] = OID("1.3.6.1.5.5.7.48.3")
    CA_REPOSITORY: ClassVar[OID] = OID("1.3.6.1.5.5.7.48.5")

    method: OID
    location: GeneralName


# AccessDescription(method, location), the slots filled directly.
_make_access = g._maker(AccessDescription)


def _descriptions(v: tuple[g.AccessDescription, ...]) -> tuple[AccessDescription, ...]:
    return tuple([_make_access((d.access_method, from_choice(d.access_location))) for d in v])


def _description_values(ds: Sequence[AccessDescription]) -> tuple[g.AccessDescription, ...]:
    return tuple(
        g.AccessDescription(d.method, to_choices([d.location], "accessLocation")[0]) for d in ds
    )


@dataclass(frozen=True, slots=True)
class AuthorityInformationAccess(ExtensionValue):
    """authorityInfoAccess (4.2.2.1): OCSP responders and caIssuers locations."""

    oid = OID("1.3.6.1.5.5.7.1.1")
    name = "authorityInfoAccess"
    _grammar = g.AuthorityInfoAccessSyntax

    descriptions: tuple[AccessDescription, ...]

    @classmethod
    def _decode(cls, v: tuple[g.AccessDescription, ...]) -> Self:
        return cls(_descriptions(v))

    def _encode(self) -> tuple[g.AccessDescription, ...]:
        return _description_values(self.descriptions)


@dataclass(frozen=True, slots=True)
class SubjectInformationAccess(ExtensionValue):
    """subjectInfoAccess (4.2.2.2)."""

    oid = OID("1.3.6.1.5.5.7.1.11")
    name = "subjectInfoAccess"
    _grammar = g.SubjectInfoAccessSyntax

    descriptions: tuple[AccessDescription, ...]

    @classmethod
    def _decode(cls, v: tuple[g.AccessDescription, ...]) -> Self:
        return cls(_descriptions(v))

    def _encode(self) -> tuple[g.AccessDescription, ...]:
        return _description_values(self.descriptions)


@dataclass(frozen=True, slots=True)
class PrivateKeyUsagePeriod(ExtensionValue):
    """privateKeyUsagePeriod (RFC 3280 4.2.1.4; deprecated, still seen)."""

    oid = OID("2.5.29.16")
    name = "privateKeyUsagePeriod"
    _grammar = g.PrivateKeyUsagePeriodG

    not_before: datetime | None = None
    not_after: datetime | None = None

    @classmethod
    def _decode(cls, v: g.PrivateKeyUsagePeriod) -> Self:
        return cls(v.not_before, v.not_after)

    def _encode(self) -> g.PrivateKeyUsagePeriod:
        return g.PrivateKeyUsagePeriod(self.not_before, self.not_after)
