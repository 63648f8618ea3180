"""RFC 5280 appendix A (with RFC 2986, RFC 4055, RFC 5480, RFC 5915, RFC 5958, RFC 8017,
RFC 8410 for keys and requests) as asn1 grammars, in the order of the RFC's modules.

Every structure is a frozen dataclass; the grammars map tuples to dataclasses and back, so
one description gives both the strict DER decoder and the encoder (no hand-written encoder).
Field names are the RFC's (in snake_case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

import asn1
from asn1 import OID, BitString, Encoded

T = TypeVar("T")


def _record(cls: type[T], grammar: asn1.Grammar[tuple[Any, ...]]) -> asn1.Grammar[T]:
    """SEQUENCE/SET tuple <-> dataclass, by field order."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]

    def enc(value: T) -> tuple[Any, ...]:
        if not isinstance(value, cls):
            raise TypeError(f"expected {cls.__name__}, not {type(value).__name__}")
        return tuple(getattr(value, n) for n in names)

    return asn1.map(grammar, _maker(cls), enc)


def _maker(cls: type[T]) -> Callable[[Sequence[Any]], T]:
    """``lambda t: cls(*t)`` for a frozen, slotted dataclass of plain fields, made faster:
    the slots are filled through their descriptors, where the dataclass's ``__init__``
    goes through ``object.__setattr__`` for each field (a frozen class refuses plain
    assignment). Only for classes where that is all ``__init__`` does; others get
    ``cls(*t)``."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    plain = all(f.init and not f.metadata for f in fields(cls))  # type: ignore[arg-type]
    slotted = all(n in vars(cls) for n in names) and "__dict__" not in dir(cls)
    generated = cls.__dataclass_params__.init  # type: ignore[attr-defined]
    if not plain or not slotted or not generated or hasattr(cls, "__post_init__"):
        return lambda t: cls(*t)
    ns: dict[str, Any] = {"new": object.__new__, "cls": cls}
    values = ", ".join(f"v{i}" for i in range(len(names)))
    lines = ["def make(t):", f"    {values}, = t", "    o = new(cls)"]
    for i, name in enumerate(names):
        ns[f"set{i}"] = vars(cls)[name].__set__
        lines.append(f"    set{i}(o, v{i})")
    lines.append("    return o")
    exec("\n".join(lines), ns)  # fixed source: generated names and indices only
    return ns["make"]  # type: ignore[no-any-return]


# ============================================================================================
# PKIX1Explicit88 (RFC 5280 A.1)
# ============================================================================================

# --- naming ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttributeTypeAndValue:
    """``type``: the attribute OID; ``value``: the exact DER of the value (ANY)."""

    type: OID
    value: bytes


AttributeTypeAndValueG = _record(
    AttributeTypeAndValue,
    asn1.sequence(("type", asn1.object_identifier), ("value", asn1.any)),
)
RelativeDistinguishedName = asn1.size(asn1.set_of(AttributeTypeAndValueG), min=1)


@dataclass(frozen=True, slots=True)
class Name:
    """Name ::= CHOICE { rdnSequence RDNSequence }: the RDNs, most significant first."""

    rdns: tuple[tuple[AttributeTypeAndValue, ...], ...]


NameG: asn1.Grammar[Name] = asn1.map(
    asn1.choice(("rdnSequence", asn1.sequence_of(RelativeDistinguishedName))),
    lambda c: Name(c[1]),
    lambda n: ("rdnSequence", n.rdns),
)

DirectoryString = asn1.choice(
    ("teletexString", asn1.size(asn1.teletex_string, min=1)),
    ("printableString", asn1.size(asn1.printable_string, min=1)),
    ("universalString", asn1.size(asn1.universal_string, min=1)),
    ("utf8String", asn1.size(asn1.utf8_string, min=1)),
    ("bmpString", asn1.size(asn1.bmp_string, min=1)),
)

# --- algorithm identifiers -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlgorithmIdentifier:
    """``parameters`` is the exact DER of the parameters, or None when absent."""

    algorithm: OID
    parameters: bytes | None = None


AlgorithmIdentifierG = _record(
    AlgorithmIdentifier,
    asn1.sequence(("algorithm", asn1.object_identifier), asn1.optional("parameters", asn1.any)),
)

# --- certificate ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Time:
    """Time ::= CHOICE { utcTime, generalTime }; the form is kept so that a decoded
    certificate re-encodes byte for byte (some deployed ones use GeneralizedTime before 2050).
    """

    value: datetime
    generalized: bool = False

    @classmethod
    def of(cls, moment: datetime) -> Time:
        """The RFC 5280 4.1.2.5 form: UTCTime through 2049, GeneralizedTime from 2050."""
        return cls(moment, moment.year >= 2050)


_set_time_value = vars(Time)["value"].__set__
_set_time_generalized = vars(Time)["generalized"].__set__


def _time_of(c: tuple[str, datetime]) -> Time:
    """Time(c[1], c[0] == "generalTime"), the slots filled directly (see _maker)."""
    time = object.__new__(Time)
    _set_time_value(time, c[1])
    _set_time_generalized(time, c[0] == "generalTime")
    return time


TimeG: asn1.Grammar[Time] = asn1.map(
    asn1.choice(("utcTime", asn1.utc_time), ("generalTime", asn1.generalized_time)),
    _time_of,
    lambda t: ("generalTime" if t.generalized else "utcTime", t.value),
)


@dataclass(frozen=True, slots=True)
class Validity:
    not_before: Time
    not_after: Time


ValidityG = _record(Validity, asn1.sequence(("notBefore", TimeG), ("notAfter", TimeG)))


@dataclass(frozen=True, slots=True)
class SubjectPublicKeyInfo:
    """``encoding`` is the exact DER the value was decoded from (kept so that a certificate
    need not encode its key again), b"" for a value made otherwise; it takes no part in
    equality nor in encoding."""

    algorithm: AlgorithmIdentifier
    subject_public_key: BitString
    encoding: bytes = field(default=b"", init=False, compare=False, repr=False)


def _spki_decoded(v: Encoded[tuple[AlgorithmIdentifier, BitString]]) -> SubjectPublicKeyInfo:
    # SubjectPublicKeyInfo(*v.value) with its encoding, the slots filled directly (_maker).
    spki = object.__new__(SubjectPublicKeyInfo)
    _set_spki_algorithm(spki, v.value[0])
    _set_spki_key(spki, v.value[1])
    _set_spki_encoding(spki, v.encoding)
    return spki


_set_spki_algorithm = vars(SubjectPublicKeyInfo)["algorithm"].__set__
_set_spki_key = vars(SubjectPublicKeyInfo)["subject_public_key"].__set__
_set_spki_encoding = vars(SubjectPublicKeyInfo)["encoding"].__set__


def _spki_encoded(spki: SubjectPublicKeyInfo) -> Encoded[tuple[AlgorithmIdentifier, BitString]]:
    if not isinstance(spki, SubjectPublicKeyInfo):
        raise TypeError(f"expected SubjectPublicKeyInfo, not {type(spki).__name__}")
    return Encoded((spki.algorithm, spki.subject_public_key))


SubjectPublicKeyInfoG = asn1.map(
    asn1.encoded(
        asn1.sequence(("algorithm", AlgorithmIdentifierG), ("subjectPublicKey", asn1.bit_string))
    ),
    _spki_decoded,
    _spki_encoded,
)


@dataclass(frozen=True, slots=True)
class Extension:
    """``extn_value`` is the DER of the extension's own type (decoded by x509.extensions)."""

    extn_id: OID
    critical: bool
    extn_value: bytes


ExtensionG = _record(
    Extension,
    asn1.sequence(
        ("extnID", asn1.object_identifier),
        asn1.default("critical", asn1.boolean, False),
        ("extnValue", asn1.octet_string),
    ),
)
Extensions = asn1.size(asn1.sequence_of(ExtensionG), min=1)

V1, V2, V3 = 0, 1, 2


@dataclass(frozen=True, slots=True)
class TBSCertificate:
    version: int
    serial_number: int
    signature: AlgorithmIdentifier
    issuer: Name
    validity: Validity
    subject: Name
    subject_public_key_info: SubjectPublicKeyInfo
    issuer_unique_id: BitString | None = None
    subject_unique_id: BitString | None = None
    extensions: tuple[Extension, ...] | None = None


TBSCertificateG = _record(
    TBSCertificate,
    asn1.sequence(
        asn1.default("version", asn1.explicit(0, asn1.integer), V1),
        ("serialNumber", asn1.integer),
        ("signature", AlgorithmIdentifierG),
        ("issuer", NameG),
        ("validity", ValidityG),
        ("subject", NameG),
        ("subjectPublicKeyInfo", SubjectPublicKeyInfoG),
        asn1.optional("issuerUniqueID", asn1.implicit(1, asn1.bit_string)),
        asn1.optional("subjectUniqueID", asn1.implicit(2, asn1.bit_string)),
        asn1.optional("extensions", asn1.explicit(3, Extensions)),
    ),
)


@dataclass(frozen=True, slots=True)
class CertificateStructure:
    """Certificate ::= SEQUENCE: the signed TBSCertificate keeps its exact DER."""

    tbs_certificate: Encoded[TBSCertificate]
    signature_algorithm: AlgorithmIdentifier
    signature_value: BitString


CertificateStructureG = _record(
    CertificateStructure,
    asn1.sequence(
        ("tbsCertificate", asn1.encoded(TBSCertificateG)),
        ("signatureAlgorithm", AlgorithmIdentifierG),
        ("signatureValue", asn1.bit_string),
    ),
)
CertificateG = asn1.encoded(CertificateStructureG)

# --- CRL --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RevokedCertificate:
    user_certificate: int
    revocation_date: Time
    crl_entry_extensions: tuple[Extension, ...] | None = None


RevokedCertificateG = _record(
    RevokedCertificate,
    asn1.sequence(
        ("userCertificate", asn1.integer),
        ("revocationDate", TimeG),
        asn1.optional("crlEntryExtensions", Extensions),
    ),
)


@dataclass(frozen=True, slots=True)
class TBSCertList:
    version: int | None
    signature: AlgorithmIdentifier
    issuer: Name
    this_update: Time
    next_update: Time | None
    revoked_certificates: tuple[RevokedCertificate, ...] | None
    crl_extensions: tuple[Extension, ...] | None = None


TBSCertListG = _record(
    TBSCertList,
    asn1.sequence(
        asn1.optional("version", asn1.integer),  # v2 (1) if present
        ("signature", AlgorithmIdentifierG),
        ("issuer", NameG),
        ("thisUpdate", TimeG),
        asn1.optional("nextUpdate", TimeG),
        asn1.optional("revokedCertificates", asn1.sequence_of(RevokedCertificateG)),
        asn1.optional("crlExtensions", asn1.explicit(0, Extensions)),
    ),
)


@dataclass(frozen=True, slots=True)
class CertificateListStructure:
    tbs_cert_list: Encoded[TBSCertList]
    signature_algorithm: AlgorithmIdentifier
    signature_value: BitString


CertificateListG = asn1.encoded(
    _record(
        CertificateListStructure,
        asn1.sequence(
            ("tbsCertList", asn1.encoded(TBSCertListG)),
            ("signatureAlgorithm", AlgorithmIdentifierG),
            ("signatureValue", asn1.bit_string),
        ),
    )
)


# ============================================================================================
# PKIX1Implicit88 (RFC 5280 A.2): the certificate and CRL extensions
# ============================================================================================


@dataclass(frozen=True, slots=True)
class OtherName:
    type_id: OID
    value: bytes  # the exact DER inside [0] EXPLICIT


OtherNameG = _record(
    OtherName,
    asn1.sequence(("type-id", asn1.object_identifier), ("value", asn1.explicit(0, asn1.any))),
)


@dataclass(frozen=True, slots=True)
class EDIPartyName:
    name_assigner: tuple[str, Any] | None
    party_name: tuple[str, Any]


EDIPartyNameG = _record(
    EDIPartyName,
    asn1.sequence(
        asn1.optional("nameAssigner", asn1.explicit(0, DirectoryString)),
        ("partyName", asn1.explicit(1, DirectoryString)),
    ),
)

# GeneralName ::= CHOICE: values are (alternative, value) pairs with the RFC's names:
# ("otherName", OtherName), ("rfc822Name", str), ("dNSName", str),
# ("x400Address", tuple of raw elements),
# ("directoryName", Name), ("ediPartyName", EDIPartyName),
# ("uniformResourceIdentifier", str), ("iPAddress", bytes), ("registeredID", OID).
GeneralName = asn1.choice(
    ("otherName", asn1.implicit(0, OtherNameG)),
    ("rfc822Name", asn1.implicit(1, asn1.ia5_string)),
    ("dNSName", asn1.implicit(2, asn1.ia5_string)),
    # ORAddress (X.411) is not decoded: its components are kept as raw elements.
    ("x400Address", asn1.implicit(3, asn1.sequence_of(asn1.any))),
    ("directoryName", asn1.explicit(4, NameG)),
    ("ediPartyName", asn1.implicit(5, EDIPartyNameG)),
    ("uniformResourceIdentifier", asn1.implicit(6, asn1.ia5_string)),
    ("iPAddress", asn1.implicit(7, asn1.octet_string)),
    ("registeredID", asn1.implicit(8, asn1.object_identifier)),
)
GeneralNames = asn1.size(asn1.sequence_of(GeneralName), min=1)


@dataclass(frozen=True, slots=True)
class AuthorityKeyIdentifier:
    key_identifier: bytes | None = None
    authority_cert_issuer: tuple[tuple[str, Any], ...] | None = None
    authority_cert_serial_number: int | None = None


AuthorityKeyIdentifierG = _record(
    AuthorityKeyIdentifier,
    asn1.sequence(
        asn1.optional("keyIdentifier", asn1.implicit(0, asn1.octet_string)),
        asn1.optional("authorityCertIssuer", asn1.implicit(1, GeneralNames)),
        asn1.optional("authorityCertSerialNumber", asn1.implicit(2, asn1.integer)),
    ),
)
SubjectKeyIdentifier = asn1.octet_string

KEY_USAGE_BITS = (
    "digitalSignature",
    "nonRepudiation",  # contentCommitment in X.509 (2005)
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
)
KeyUsage = asn1.named_bits(*KEY_USAGE_BITS)
# Deployed roots (two Trustwave ECC roots in Debian's store) encode keyUsage with trailing
# zero bits; certificates are read with this lenient form, and written minimal.
KeyUsageLenient = asn1.named_bits(*KEY_USAGE_BITS, strict=False)


@dataclass(frozen=True, slots=True)
class PrivateKeyUsagePeriod:
    not_before: datetime | None
    not_after: datetime | None


PrivateKeyUsagePeriodG = _record(
    PrivateKeyUsagePeriod,
    asn1.sequence(
        asn1.optional("notBefore", asn1.implicit(0, asn1.generalized_time)),
        asn1.optional("notAfter", asn1.implicit(1, asn1.generalized_time)),
    ),
)

DisplayText = asn1.choice(
    ("ia5String", asn1.size(asn1.ia5_string, 1, 200)),
    ("visibleString", asn1.size(asn1.visible_string, 1, 200)),
    ("bmpString", asn1.size(asn1.bmp_string, 1, 200)),
    ("utf8String", asn1.size(asn1.utf8_string, 1, 200)),
)


@dataclass(frozen=True, slots=True)
class NoticeReference:
    organization: tuple[str, str]
    notice_numbers: tuple[int, ...]


NoticeReferenceG = _record(
    NoticeReference,
    asn1.sequence(("organization", DisplayText), ("noticeNumbers", asn1.sequence_of(asn1.integer))),
)


@dataclass(frozen=True, slots=True)
class UserNotice:
    notice_ref: NoticeReference | None = None
    explicit_text: tuple[str, str] | None = None


UserNoticeG = _record(
    UserNotice,
    asn1.sequence(
        asn1.optional("noticeRef", NoticeReferenceG),
        asn1.optional("explicitText", DisplayText),
    ),
)


@dataclass(frozen=True, slots=True)
class PolicyQualifierInfo:
    policy_qualifier_id: OID
    qualifier: bytes  # ANY DEFINED BY policyQualifierId: CPSuri or UserNotice


PolicyQualifierInfoG = _record(
    PolicyQualifierInfo,
    asn1.sequence(("policyQualifierId", asn1.object_identifier), ("qualifier", asn1.any)),
)


@dataclass(frozen=True, slots=True)
class PolicyInformation:
    policy_identifier: OID
    policy_qualifiers: tuple[PolicyQualifierInfo, ...] | None = None


PolicyInformationG = _record(
    PolicyInformation,
    asn1.sequence(
        ("policyIdentifier", asn1.object_identifier),
        asn1.optional("policyQualifiers", asn1.size(asn1.sequence_of(PolicyQualifierInfoG), min=1)),
    ),
)
CertificatePolicies = asn1.size(asn1.sequence_of(PolicyInformationG), min=1)


@dataclass(frozen=True, slots=True)
class PolicyMapping:
    issuer_domain_policy: OID
    subject_domain_policy: OID


PolicyMappings = asn1.size(
    asn1.sequence_of(
        _record(
            PolicyMapping,
            asn1.sequence(
                ("issuerDomainPolicy", asn1.object_identifier),
                ("subjectDomainPolicy", asn1.object_identifier),
            ),
        )
    ),
    min=1,
)


@dataclass(frozen=True, slots=True)
class BasicConstraints:
    ca: bool = False
    path_len_constraint: int | None = None


BasicConstraintsG = _record(
    BasicConstraints,
    asn1.sequence(
        asn1.default("cA", asn1.boolean, False),
        asn1.optional("pathLenConstraint", asn1.integer),
    ),
)


@dataclass(frozen=True, slots=True)
class GeneralSubtree:
    base: tuple[str, Any]
    minimum: int = 0
    maximum: int | None = None


GeneralSubtreeG = _record(
    GeneralSubtree,
    asn1.sequence(
        ("base", GeneralName),
        asn1.default("minimum", asn1.implicit(0, asn1.integer), 0),
        asn1.optional("maximum", asn1.implicit(1, asn1.integer)),
    ),
)
GeneralSubtrees = asn1.size(asn1.sequence_of(GeneralSubtreeG), min=1)


@dataclass(frozen=True, slots=True)
class NameConstraints:
    permitted_subtrees: tuple[GeneralSubtree, ...] | None = None
    excluded_subtrees: tuple[GeneralSubtree, ...] | None = None


NameConstraintsG = _record(
    NameConstraints,
    asn1.sequence(
        asn1.optional("permittedSubtrees", asn1.implicit(0, GeneralSubtrees)),
        asn1.optional("excludedSubtrees", asn1.implicit(1, GeneralSubtrees)),
    ),
)


@dataclass(frozen=True, slots=True)
class PolicyConstraints:
    require_explicit_policy: int | None = None
    inhibit_policy_mapping: int | None = None


PolicyConstraintsG = _record(
    PolicyConstraints,
    asn1.sequence(
        asn1.optional("requireExplicitPolicy", asn1.implicit(0, asn1.integer)),
        asn1.optional("inhibitPolicyMapping", asn1.implicit(1, asn1.integer)),
    ),
)

REASON_FLAG_BITS = (
    "unused",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
    "privilegeWithdrawn",
    "aACompromise",
)
ReasonFlags = asn1.named_bits(*REASON_FLAG_BITS)

# DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
#                                    nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
DistributionPointName = asn1.choice(
    ("fullName", asn1.implicit(0, GeneralNames)),
    ("nameRelativeToCRLIssuer", asn1.implicit(1, RelativeDistinguishedName)),
)


@dataclass(frozen=True, slots=True)
class DistributionPoint:
    distribution_point: tuple[str, Any] | None = None
    reasons: frozenset[str] | None = None
    crl_issuer: tuple[tuple[str, Any], ...] | None = None


DistributionPointG = _record(
    DistributionPoint,
    asn1.sequence(
        asn1.optional("distributionPoint", asn1.explicit(0, DistributionPointName)),
        asn1.optional("reasons", asn1.implicit(1, ReasonFlags)),
        asn1.optional("cRLIssuer", asn1.implicit(2, GeneralNames)),
    ),
)
CRLDistributionPoints = asn1.size(asn1.sequence_of(DistributionPointG), min=1)
ExtKeyUsageSyntax = asn1.size(asn1.sequence_of(asn1.object_identifier), min=1)
InhibitAnyPolicy = asn1.integer


@dataclass(frozen=True, slots=True)
class AccessDescription:
    access_method: OID
    access_location: tuple[str, Any]


AuthorityInfoAccessSyntax = asn1.size(
    asn1.sequence_of(
        _record(
            AccessDescription,
            asn1.sequence(
                ("accessMethod", asn1.object_identifier), ("accessLocation", GeneralName)
            ),
        )
    ),
    min=1,
)
SubjectInfoAccessSyntax = AuthorityInfoAccessSyntax

# --- CRL extensions ---
CRLNumber = asn1.integer
BaseCRLNumber = asn1.integer


@dataclass(frozen=True, slots=True)
class IssuingDistributionPoint:
    distribution_point: tuple[str, Any] | None = None
    only_contains_user_certs: bool = False
    only_contains_ca_certs: bool = False
    only_some_reasons: frozenset[str] | None = None
    indirect_crl: bool = False
    only_contains_attribute_certs: bool = False


IssuingDistributionPointG = _record(
    IssuingDistributionPoint,
    asn1.sequence(
        asn1.optional("distributionPoint", asn1.explicit(0, DistributionPointName)),
        asn1.default("onlyContainsUserCerts", asn1.implicit(1, asn1.boolean), False),
        asn1.default("onlyContainsCACerts", asn1.implicit(2, asn1.boolean), False),
        asn1.optional("onlySomeReasons", asn1.implicit(3, ReasonFlags)),
        asn1.default("indirectCRL", asn1.implicit(4, asn1.boolean), False),
        asn1.default("onlyContainsAttributeCerts", asn1.implicit(5, asn1.boolean), False),
    ),
)
CRLReason = asn1.enumeration(
    {
        "unspecified": 0,
        "keyCompromise": 1,
        "cACompromise": 2,
        "affiliationChanged": 3,
        "superseded": 4,
        "cessationOfOperation": 5,
        "certificateHold": 6,
        "removeFromCRL": 8,
        "privilegeWithdrawn": 9,
        "aACompromise": 10,
    },
    asn1.enumerated,
)
CertificateIssuer = GeneralNames
HoldInstructionCode = asn1.object_identifier
InvalidityDate = asn1.generalized_time


# ============================================================================================
# Keys and signatures: RFC 8017 A.1 (PKCS #1), RFC 3279 (DSA, ECDSA), RFC 5480 (EC SPKI),
# RFC 5915 (ECPrivateKey), RFC 5958 (OneAsymmetricKey / PKCS #8), RFC 8410 (X25519, Ed25519),
# RFC 4055 (RSASSA-PSS parameters)
# ============================================================================================


@dataclass(frozen=True, slots=True)
class RSAPublicKey:
    modulus: int
    public_exponent: int


RSAPublicKeyG = _record(
    RSAPublicKey,
    asn1.sequence(("modulus", asn1.integer), ("publicExponent", asn1.integer)),
)


@dataclass(frozen=True, slots=True)
class RSAPrivateKey:
    version: int
    modulus: int
    public_exponent: int
    private_exponent: int
    prime1: int
    prime2: int
    exponent1: int
    exponent2: int
    coefficient: int
    other_prime_infos: tuple[tuple[Any, ...], ...] | None = None


RSAPrivateKeyG = _record(
    RSAPrivateKey,
    asn1.sequence(
        ("version", asn1.integer),
        ("modulus", asn1.integer),
        ("publicExponent", asn1.integer),
        ("privateExponent", asn1.integer),
        ("prime1", asn1.integer),
        ("prime2", asn1.integer),
        ("exponent1", asn1.integer),
        ("exponent2", asn1.integer),
        ("coefficient", asn1.integer),
        asn1.optional(
            "otherPrimeInfos",
            asn1.size(
                asn1.sequence_of(
                    asn1.sequence(
                        ("prime", asn1.integer),
                        ("exponent", asn1.integer),
                        ("coefficient", asn1.integer),
                    )
                ),
                min=1,
            ),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class RSASSAPSSParams:
    """RFC 4055 section 3.1 (RFC 8017 A.2.3); absent fields are the SHA-1 defaults."""

    hash_algorithm: AlgorithmIdentifier
    mask_gen_algorithm: AlgorithmIdentifier
    salt_length: int
    trailer_field: int


SHA1_IDENTIFIER = AlgorithmIdentifier(OID("1.3.14.3.2.26"), b"\x05\x00")
MGF1_SHA1_IDENTIFIER = AlgorithmIdentifier(
    OID("1.2.840.113549.1.1.8"), asn1.encode_der(AlgorithmIdentifierG, SHA1_IDENTIFIER)
)

RSASSAPSSParamsG = _record(
    RSASSAPSSParams,
    asn1.sequence(
        asn1.default("hashAlgorithm", asn1.explicit(0, AlgorithmIdentifierG), SHA1_IDENTIFIER),
        asn1.default(
            "maskGenAlgorithm", asn1.explicit(1, AlgorithmIdentifierG), MGF1_SHA1_IDENTIFIER
        ),
        asn1.default("saltLength", asn1.explicit(2, asn1.integer), 20),
        asn1.default("trailerField", asn1.explicit(3, asn1.integer), 1),
    ),
)


@dataclass(frozen=True, slots=True)
class DSSParms:
    p: int
    q: int
    g: int


DSSParmsG = _record(
    DSSParms, asn1.sequence(("p", asn1.integer), ("q", asn1.integer), ("g", asn1.integer))
)
DSAPublicKey = asn1.integer


@dataclass(frozen=True, slots=True)
class DSSSigValue:
    """Dss-Sig-Value and ECDSA-Sig-Value (RFC 3279 2.2.2, 2.2.3): SEQUENCE { r, s }."""

    r: int
    s: int


DSSSigValueG = _record(DSSSigValue, asn1.sequence(("r", asn1.integer), ("s", asn1.integer)))
ECDSASigValueG = DSSSigValueG

# RFC 5480 2.1.1: ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, ... }; only named
# curves are allowed in PKIX (implicitCurve and specifiedCurve MUST NOT be used).
ECParameters = asn1.object_identifier


@dataclass(frozen=True, slots=True)
class ECPrivateKey:
    """RFC 5915 section 3."""

    version: int
    private_key: bytes
    parameters: OID | None = None
    public_key: BitString | None = None


ECPrivateKeyG = _record(
    ECPrivateKey,
    asn1.sequence(
        ("version", asn1.integer),
        ("privateKey", asn1.octet_string),
        asn1.optional("parameters", asn1.explicit(0, ECParameters)),
        asn1.optional("publicKey", asn1.explicit(1, asn1.bit_string)),
    ),
)


@dataclass(frozen=True, slots=True)
class OneAsymmetricKey:
    """RFC 5958 section 2 (PKCS #8 PrivateKeyInfo is version 0 without the last two)."""

    version: int
    private_key_algorithm: AlgorithmIdentifier
    private_key: bytes
    attributes: tuple[bytes, ...] | None = None
    public_key: BitString | None = None


OneAsymmetricKeyG = _record(
    OneAsymmetricKey,
    asn1.sequence(
        ("version", asn1.integer),
        ("privateKeyAlgorithm", AlgorithmIdentifierG),
        ("privateKey", asn1.octet_string),
        asn1.optional("attributes", asn1.implicit(0, asn1.set_of(asn1.any))),
        asn1.optional("publicKey", asn1.implicit(1, asn1.bit_string)),
    ),
)
# RFC 8410 section 7: CurvePrivateKey ::= OCTET STRING (inside PrivateKey's OCTET STRING).
CurvePrivateKey = asn1.octet_string


# ============================================================================================
# PKCS #10 certification requests (RFC 2986 section 4)
# ============================================================================================


@dataclass(frozen=True, slots=True)
class Attribute:
    type: OID
    values: tuple[bytes, ...]


AttributeG = _record(
    Attribute,
    asn1.sequence(("type", asn1.object_identifier), ("values", asn1.set_of(asn1.any))),
)


@dataclass(frozen=True, slots=True)
class CertificationRequestInfo:
    version: int
    subject: Name
    subject_pk_info: SubjectPublicKeyInfo
    attributes: tuple[Attribute, ...]


CertificationRequestInfoG = _record(
    CertificationRequestInfo,
    asn1.sequence(
        ("version", asn1.integer),
        ("subject", NameG),
        ("subjectPKInfo", SubjectPublicKeyInfoG),
        ("attributes", asn1.implicit(0, asn1.set_of(AttributeG))),
    ),
)


@dataclass(frozen=True, slots=True)
class CertificationRequestStructure:
    certification_request_info: Encoded[CertificationRequestInfo]
    signature_algorithm: AlgorithmIdentifier
    signature: BitString


CertificationRequestG = asn1.encoded(
    _record(
        CertificationRequestStructure,
        asn1.sequence(
            ("certificationRequestInfo", asn1.encoded(CertificationRequestInfoG)),
            ("signatureAlgorithm", AlgorithmIdentifierG),
            ("signature", asn1.bit_string),
        ),
    )
)
# RFC 2985 5.4.2: the extensionRequest attribute carries Extensions.
ExtensionRequest = Extensions


# ============================================================================================
# Additions used by the x509 package
# ============================================================================================

# RFC 5280 4.2.1.8: SubjectDirectoryAttributes ::= SEQUENCE SIZE (1..MAX) OF Attribute
SubjectDirectoryAttributes = asn1.size(asn1.sequence_of(AttributeG), min=1)


@dataclass(frozen=True, slots=True)
class DSAPrivateKeyOpenSSL:
    """OpenSSL's traditional "DSA PRIVATE KEY": SEQUENCE { version 0, p, q, g, y, x }."""

    version: int
    p: int
    q: int
    g: int
    y: int
    x: int


DSAPrivateKeyOpenSSLG = _record(
    DSAPrivateKeyOpenSSL,
    asn1.sequence(
        ("version", asn1.integer),
        ("p", asn1.integer),
        ("q", asn1.integer),
        ("g", asn1.integer),
        ("y", asn1.integer),
        ("x", asn1.integer),
    ),
)


@dataclass(frozen=True, slots=True)
class EncryptedPrivateKeyInfo:
    """RFC 5958 section 3 (PKCS #8 EncryptedPrivateKeyInfo)."""

    encryption_algorithm: AlgorithmIdentifier
    encrypted_data: bytes


EncryptedPrivateKeyInfoG = _record(
    EncryptedPrivateKeyInfo,
    asn1.sequence(
        ("encryptionAlgorithm", AlgorithmIdentifierG), ("encryptedData", asn1.octet_string)
    ),
)
