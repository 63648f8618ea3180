"""Extensions: the CRL and CRL entry extensions (RFC 5280 5.2, 5.3) as typed values, and
the collection of the extensions of a certificate, request, CRL or CRL entry.

:class:`Extensions` keeps each :class:`Extension` in order: its OID, ``critical`` flag, the
exact DER of its value and, when the OID is known in that context, the typed value (the
certificate extension types are in ``_extension_values``). Lookup is by OID
(:meth:`Extensions.get`), by type (:meth:`Extensions.find`) or through the properties
(:attr:`Extensions.basic_constraints`, ...). RFC 5280 4.2: "A certificate MUST NOT include
more than one instance of a particular extension" - a repeated OID is a DecodeError.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Self, TypeVar, overload

import asn1
from asn1 import OID

from . import _grammar as g
from ._errors import LIMITS, MAX_EXTENSIONS, DecodeError
from ._extension_values import (
    AccessDescription,
    Attribute,
    AuthorityInformationAccess,
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificatePolicies,
    CPSUri,
    CRLDistributionPoints,
    DistributionPoint,
    ExtendedKeyUsage,
    ExtensionValue,
    FreshestCRL,
    InhibitAnyPolicy,
    IssuerAlternativeName,
    KeyUsage,
    NameConstraints,
    NoticeReference,
    PolicyConstraints,
    PolicyInformation,
    PolicyMapping,
    PolicyMappings,
    PolicyQualifier,
    PrivateKeyUsagePeriod,
    SubjectAlternativeName,
    SubjectDirectoryAttributes,
    SubjectInformationAccess,
    SubjectKeyIdentifier,
    UserNotice,
    dp_choice,
    dp_name,
    non_negative,
)
from ._general_name import GeneralName, from_choices, to_choices
from ._name import NameAttribute

__all__ = [
    "CERTIFICATE_EXTENSIONS",
    "CRL_ENTRY_EXTENSIONS",
    "CRL_EXTENSIONS",
    "REASONS",
    "AccessDescription",
    "Attribute",
    "AuthorityInformationAccess",
    "AuthorityKeyIdentifier",
    "BasicConstraints",
    "CPSUri",
    "CRLDistributionPoints",
    "CRLNumber",
    "CRLReason",
    "CertificateIssuer",
    "CertificatePolicies",
    "DeltaCRLIndicator",
    "DistributionPoint",
    "ExtendedKeyUsage",
    "Extension",
    "ExtensionValue",
    "Extensions",
    "FreshestCRL",
    "HoldInstructionCode",
    "InhibitAnyPolicy",
    "InvalidityDate",
    "IssuerAlternativeName",
    "IssuingDistributionPoint",
    "KeyUsage",
    "NameConstraints",
    "NoticeReference",
    "PolicyConstraints",
    "PolicyInformation",
    "PolicyMapping",
    "PolicyMappings",
    "PolicyQualifier",
    "PrivateKeyUsagePeriod",
    "SubjectAlternativeName",
    "SubjectDirectoryAttributes",
    "SubjectInformationAccess",
    "SubjectKeyIdentifier",
    "UserNotice",
    "extension_list",
]

E = TypeVar("E", bound=ExtensionValue)


# --- CRL extensions (5.2) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CRLNumber(ExtensionValue):
    """cRLNumber (5.2.3): INTEGER (0..MAX)."""

    oid = OID("2.5.29.20")
    name = "cRLNumber"
    _grammar = g.CRLNumber

    number: int

    @classmethod
    def _decode(cls, v: int) -> Self:
        non_negative(v, "CRLNumber")
        return cls(v)

    def _encode(self) -> int:
        return self.number


@dataclass(frozen=True, slots=True)
class DeltaCRLIndicator(ExtensionValue):
    """deltaCRLIndicator (5.2.4): the BaseCRLNumber; always critical."""

    oid = OID("2.5.29.27")
    name = "deltaCRLIndicator"
    default_critical = True
    _grammar = g.BaseCRLNumber

    base_crl_number: int

    @classmethod
    def _decode(cls, v: int) -> Self:
        non_negative(v, "BaseCRLNumber")
        return cls(v)

    def _encode(self) -> int:
        return self.base_crl_number


@dataclass(frozen=True, slots=True)
class IssuingDistributionPoint(ExtensionValue):
    """issuingDistributionPoint (5.2.5); always critical."""

    oid = OID("2.5.29.28")
    name = "issuingDistributionPoint"
    default_critical = True
    _grammar = g.IssuingDistributionPointG

    full_name: tuple[GeneralName, ...] | None = None
    relative_name: tuple[NameAttribute, ...] | None = None
    only_contains_user_certs: bool = False
    only_contains_ca_certs: bool = False
    only_some_reasons: frozenset[str] | None = None
    indirect_crl: bool = False
    only_contains_attribute_certs: bool = False

    @classmethod
    def _decode(cls, v: g.IssuingDistributionPoint) -> Self:
        full, relative = dp_name(v.distribution_point)
        return cls(
            full,
            relative,
            v.only_contains_user_certs,
            v.only_contains_ca_certs,
            v.only_some_reasons,
            v.indirect_crl,
            v.only_contains_attribute_certs,
        )

    def _encode(self) -> g.IssuingDistributionPoint:
        return g.IssuingDistributionPoint(
            dp_choice(self.full_name, self.relative_name),
            self.only_contains_user_certs,
            self.only_contains_ca_certs,
            self.only_some_reasons,
            self.indirect_crl,
            self.only_contains_attribute_certs,
        )


# --- CRL entry extensions (5.3) ------------------------------------------------------------

#: The CRLReason names (RFC 5280 5.3.1), by value.
REASONS: Final = (
    "unspecified",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
    "removeFromCRL",
    "privilegeWithdrawn",
    "aACompromise",
)


@dataclass(frozen=True, slots=True)
class CRLReason(ExtensionValue):
    """reasonCode (5.3.1): one of :data:`REASONS` ("keyCompromise", ...)."""

    oid = OID("2.5.29.21")
    name = "reasonCode"
    _grammar = g.CRLReason

    reason: str

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown CRL reason {self.reason!r}; one of {', '.join(REASONS)}")

    @classmethod
    def _decode(cls, v: str) -> Self:
        return cls(v)

    def _encode(self) -> str:
        return self.reason


@dataclass(frozen=True, slots=True)
class HoldInstructionCode(ExtensionValue):
    """holdInstructionCode (RFC 5280 5.3.2 in RFC 3280; kept for completeness)."""

    oid = OID("2.5.29.23")
    name = "holdInstructionCode"
    _grammar = g.HoldInstructionCode

    instruction: OID

    @classmethod
    def _decode(cls, v: OID) -> Self:
        return cls(v)

    def _encode(self) -> OID:
        return self.instruction


@dataclass(frozen=True, slots=True)
class InvalidityDate(ExtensionValue):
    """invalidityDate (5.3.2)."""

    oid = OID("2.5.29.24")
    name = "invalidityDate"
    _grammar = g.InvalidityDate

    date: datetime

    @classmethod
    def _decode(cls, v: datetime) -> Self:
        return cls(v)

    def _encode(self) -> datetime:
        return self.date


@dataclass(frozen=True, slots=True)
class CertificateIssuer(ExtensionValue):
    """certificateIssuer (5.3.3) of an indirect CRL entry; always critical."""

    oid = OID("2.5.29.29")
    name = "certificateIssuer"
    default_critical = True
    _grammar = g.CertificateIssuer

    names: tuple[GeneralName, ...]

    @classmethod
    def _decode(cls, v: tuple[tuple[str, Any], ...]) -> Self:
        return cls(from_choices(v, cls.name))

    def _encode(self) -> tuple[tuple[str, Any], ...]:
        return to_choices(self.names, self.name)


# --- registries ----------------------------------------------------------------------------


def _registry(*classes: type[ExtensionValue]) -> Mapping[str, type[ExtensionValue]]:
    return {c.oid: c for c in classes}


#: The extensions understood in certificates and certification requests.
CERTIFICATE_EXTENSIONS: Final = _registry(
    AuthorityKeyIdentifier,
    SubjectKeyIdentifier,
    KeyUsage,
    PrivateKeyUsagePeriod,
    CertificatePolicies,
    PolicyMappings,
    SubjectAlternativeName,
    IssuerAlternativeName,
    SubjectDirectoryAttributes,
    BasicConstraints,
    NameConstraints,
    PolicyConstraints,
    ExtendedKeyUsage,
    CRLDistributionPoints,
    InhibitAnyPolicy,
    FreshestCRL,
    AuthorityInformationAccess,
    SubjectInformationAccess,
)
#: The extensions understood in CRLs (RFC 5280 5.2).
CRL_EXTENSIONS: Final = _registry(
    AuthorityKeyIdentifier,
    IssuerAlternativeName,
    CRLNumber,
    DeltaCRLIndicator,
    IssuingDistributionPoint,
    FreshestCRL,
    AuthorityInformationAccess,
)
#: The extensions understood in CRL entries (RFC 5280 5.3).
CRL_ENTRY_EXTENSIONS: Final = _registry(
    CRLReason, HoldInstructionCode, InvalidityDate, CertificateIssuer
)


# --- the collection ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Extension:
    """One extension: ``oid``, ``critical``, ``der`` (the exact content of extnValue) and
    ``value``, the typed value when the OID is understood where the extension appears
    (None otherwise). Equality is by OID, criticality and DER."""

    oid: OID
    critical: bool
    der: bytes
    value: ExtensionValue | None = field(default=None, compare=False)

    @classmethod
    def of(cls, value: ExtensionValue, critical: bool | None = None) -> Extension:
        """The extension holding *value*; critical as *critical*, by default as RFC 5280
        asks for its type (basicConstraints, keyUsage, nameConstraints, policyMappings,
        policyConstraints, inhibitAnyPolicy, deltaCRLIndicator, issuingDistributionPoint,
        certificateIssuer)."""
        if not isinstance(value, ExtensionValue):
            raise TypeError(f"not an extension value: {value!r}")
        crit = type(value).default_critical if critical is None else critical
        return cls(value.oid, bool(crit), value.to_der(), value)

    @property
    def name(self) -> str:
        """The extension's name ("basicConstraints", ...) or its dotted OID."""
        return asn1.oids.name(self.oid) or str(self.oid)


_new: Final = object.__new__
_SET_OID: Final = vars(Extension)["oid"].__set__
_SET_CRITICAL: Final = vars(Extension)["critical"].__set__
_SET_DER: Final = vars(Extension)["der"].__set__
_SET_VALUE: Final = vars(Extension)["value"].__set__


class Extensions:
    """The extensions of a certificate, request, CRL or CRL entry, in order, at most
    :data:`~x509.MAX_EXTENSIONS`, no OID twice (RFC 5280 4.2). Iterable and indexable like
    a tuple of :class:`Extension`; ``oid in extensions`` tests for an OID."""

    __slots__ = ("_by_oid", "_items")

    def __init__(self, items: Iterable[Extension] = ()) -> None:
        self._items = tuple(items)
        if len(self._items) > MAX_EXTENSIONS:
            raise DecodeError(f"more than {MAX_EXTENSIONS} extensions")
        self._by_oid: dict[str, Extension] = {}
        for e in self._items:
            if not isinstance(e, Extension):
                raise TypeError(f"not an Extension: {e!r}")
            if e.oid in self._by_oid:
                # RFC 5280 4.2: "A certificate MUST NOT include more than one instance of a
                # particular extension."
                raise DecodeError(f"extension {e.name} ({e.oid}) appears twice (RFC 5280 4.2)")
            self._by_oid[e.oid] = e

    @classmethod
    def _decode(
        cls, raw: Iterable[g.Extension] | None, known: Mapping[str, type[ExtensionValue]]
    ) -> Extensions:
        items = []
        for n, e in enumerate(raw or ()):
            if n >= MAX_EXTENSIONS:
                raise DecodeError(f"more than {MAX_EXTENSIONS} extensions")
            kind = known.get(e.extn_id)
            value = None
            if kind is not None:
                # kind.from_der(e.extn_value), in place.
                try:
                    decoded = asn1.decode_der(kind._grammar, e.extn_value, limits=LIMITS)
                    value = kind._decode(decoded)
                except ValueError as error:
                    raise DecodeError(f"extension {kind.name} ({kind.oid}): {error}") from None
            # Extension(e.extn_id, e.critical, e.extn_value, value), its slots filled
            # directly: the fields come typed from the grammar.
            item = _new(Extension)
            _SET_OID(item, e.extn_id)
            _SET_CRITICAL(item, e.critical)
            _SET_DER(item, e.extn_value)
            _SET_VALUE(item, value)
            items.append(item)
        if len(items) < 2:
            return cls(items)
        # Extensions(items), for Extension values made here: only the rule of RFC 5280 4.2
        # ("more than one instance of a particular extension") is left to check.
        by_oid: dict[str, Extension] = {e.oid: e for e in items}
        if len(by_oid) != len(items):
            return cls(items)  # __init__ names the repeated extension
        made = _new(cls)
        made._items = tuple(items)
        made._by_oid = by_oid
        return made

    def _to_grammar(self) -> tuple[g.Extension, ...] | None:
        return tuple(g.Extension(e.oid, e.critical, e.der) for e in self._items) or None

    # --- lookup ----------------------------------------------------------------------------

    def get(self, oid: str) -> Extension | None:
        """The extension with this OID, or None."""
        return self._by_oid.get(oid)

    def find(self, kind: type[E]) -> E | None:
        """The typed value of the extension of type *kind*, or None if absent."""
        e = self._by_oid.get(kind.oid)
        return e.value if e is not None and isinstance(e.value, kind) else None

    def __contains__(self, oid: object) -> bool:
        return oid in self._by_oid

    @overload
    def __getitem__(self, index: int) -> Extension: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Extension, ...]: ...
    def __getitem__(self, index: int | slice) -> Extension | tuple[Extension, ...]:
        return self._items[index]

    def __iter__(self) -> Iterator[Extension]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Extensions):
            return NotImplemented
        return self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Extensions({', '.join(e.name for e in self._items)})"

    @property
    def unknown_critical(self) -> tuple[Extension, ...]:
        """The critical extensions without a typed value (not understood here): RFC 5280
        4.2 requires a certificate with one of them to be rejected."""
        return tuple(e for e in self._items if e.critical and e.value is None)

    # --- typed properties ------------------------------------------------------------------

    @property
    def authority_key_identifier(self) -> AuthorityKeyIdentifier | None:
        return self.find(AuthorityKeyIdentifier)

    @property
    def subject_key_identifier(self) -> SubjectKeyIdentifier | None:
        return self.find(SubjectKeyIdentifier)

    @property
    def key_usage(self) -> KeyUsage | None:
        return self.find(KeyUsage)

    @property
    def certificate_policies(self) -> CertificatePolicies | None:
        return self.find(CertificatePolicies)

    @property
    def policy_mappings(self) -> PolicyMappings | None:
        return self.find(PolicyMappings)

    @property
    def subject_alternative_name(self) -> SubjectAlternativeName | None:
        return self.find(SubjectAlternativeName)

    @property
    def issuer_alternative_name(self) -> IssuerAlternativeName | None:
        return self.find(IssuerAlternativeName)

    @property
    def basic_constraints(self) -> BasicConstraints | None:
        return self.find(BasicConstraints)

    @property
    def name_constraints(self) -> NameConstraints | None:
        return self.find(NameConstraints)

    @property
    def policy_constraints(self) -> PolicyConstraints | None:
        return self.find(PolicyConstraints)

    @property
    def extended_key_usage(self) -> ExtendedKeyUsage | None:
        return self.find(ExtendedKeyUsage)

    @property
    def crl_distribution_points(self) -> CRLDistributionPoints | None:
        return self.find(CRLDistributionPoints)

    @property
    def freshest_crl(self) -> FreshestCRL | None:
        return self.find(FreshestCRL)

    @property
    def inhibit_any_policy(self) -> InhibitAnyPolicy | None:
        return self.find(InhibitAnyPolicy)

    @property
    def authority_information_access(self) -> AuthorityInformationAccess | None:
        return self.find(AuthorityInformationAccess)

    @property
    def subject_information_access(self) -> SubjectInformationAccess | None:
        return self.find(SubjectInformationAccess)

    @property
    def crl_number(self) -> CRLNumber | None:
        return self.find(CRLNumber)

    @property
    def delta_crl_indicator(self) -> DeltaCRLIndicator | None:
        return self.find(DeltaCRLIndicator)

    @property
    def issuing_distribution_point(self) -> IssuingDistributionPoint | None:
        return self.find(IssuingDistributionPoint)

    @property
    def reason(self) -> CRLReason | None:
        return self.find(CRLReason)

    @property
    def invalidity_date(self) -> InvalidityDate | None:
        return self.find(InvalidityDate)

    @property
    def certificate_issuer(self) -> CertificateIssuer | None:
        return self.find(CertificateIssuer)


def extension_list(items: Iterable[Extension | ExtensionValue], what: str) -> tuple[Extension, ...]:
    """Extensions from Extension values or typed values (default criticality)."""
    out = []
    for item in items:
        if isinstance(item, ExtensionValue):
            out.append(Extension.of(item))
        elif isinstance(item, Extension):
            out.append(item)
        else:
            raise TypeError(f"{what}: {item!r} is neither an Extension nor an extension value")
    return tuple(out)
