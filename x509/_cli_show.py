"""The text rendering of ``python -m x509 show``: certificates, CRLs and requests.

Like ``openssl x509 -text`` / ``crl -text`` / ``req -text``, but every field through the
typed values of this package: names as RFC 4514 strings (RFC 5280 4.1.2.4), each
extension by its RFC 5280 4.2 / 5.2 / 5.3 name with its criticality and its value
(GeneralNames in the form ``openssl`` prints), extensions not understood here as the hex
of their extnValue, and the SHA-256 fingerprint. Rendering never raises on what a parser
accepted: a public key that cannot be converted is shown with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import asn1
from asn1 import OID
from nocrypto import dsa, ec, ecx, hashes, rsa

from ._certificate import Certificate
from ._crl import CertificateRevocationList, RevokedCertificate
from ._csr import EXTENSION_REQUEST, CertificationRequest
from ._errors import DecodeError
from ._extensions import (
    AccessDescription,
    AuthorityInformationAccess,
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificateIssuer,
    CertificatePolicies,
    CPSUri,
    CRLDistributionPoints,
    CRLNumber,
    CRLReason,
    DeltaCRLIndicator,
    DistributionPoint,
    ExtendedKeyUsage,
    Extension,
    Extensions,
    ExtensionValue,
    FreshestCRL,
    HoldInstructionCode,
    InhibitAnyPolicy,
    InvalidityDate,
    IssuerAlternativeName,
    IssuingDistributionPoint,
    KeyUsage,
    NameConstraints,
    PolicyConstraints,
    PolicyMappings,
    PolicyQualifier,
    PrivateKeyUsagePeriod,
    SubjectAlternativeName,
    SubjectDirectoryAttributes,
    SubjectInformationAccess,
    SubjectKeyIdentifier,
    UserNotice,
)
from ._general_name import GeneralName
from ._keys import PublicKeyInfo
from ._name import NameAttribute
from ._signature import SignatureAlgorithm

__all__ = ["hex_colons", "render_certificate", "render_crl", "render_request"]

INDENT = "    "
#: The keyUsage bits in the order of RFC 5280 4.2.1.3.
KEY_USAGE_ORDER = (
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
)
#: The ReasonFlags bits in the order of RFC 5280 4.2.1.13.
REASON_FLAG_ORDER = (
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
_ACCESS_METHODS = {
    "1.3.6.1.5.5.7.48.1": "OCSP",
    "1.3.6.1.5.5.7.48.2": "CA Issuers",
    "1.3.6.1.5.5.7.48.3": "Time Stamping",
    "1.3.6.1.5.5.7.48.5": "CA Repository",
}
HEX_PER_LINE = 16


def hex_colons(data: bytes, upper: bool = True) -> str:
    """``AB:CD:...``: octets in hex, separated by colons (as openssl prints identifiers)."""
    text = data.hex(":")
    return text.upper() if upper else text


def serial_hex(serial: int) -> str:
    """A serial number as ``openssl x509 -text`` prints it: up to 8 octets in decimal and
    hex (``4660 (0x1234)``), longer ones as the colon-separated hex of their magnitude;
    ``(Negative)`` before a negative one (RFC 5280 4.1.2.2 wants them positive, but some
    are not)."""
    magnitude = abs(serial)
    sign = "(Negative)" if serial < 0 else ""
    octets = magnitude.to_bytes(max(1, (magnitude.bit_length() + 7) // 8), "big")
    if len(octets) <= 8:
        return f"{'-' if serial < 0 else ''}{magnitude} ({sign}0x{magnitude:x})"
    return sign + hex_colons(octets, upper=False)


def when(moment: datetime) -> str:
    """``2030-06-01 12:00:00 UTC``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def oid_label(oid: OID | str) -> str:
    """The name of an OID with the OID in parentheses, or the dotted OID alone."""
    name = asn1.oids.name(oid)
    return f"{name} ({oid})" if name else str(oid)


def _hex_lines(data: bytes) -> list[str]:
    if not data:
        return ["(empty)"]
    return [hex_colons(data[i : i + HEX_PER_LINE]) for i in range(0, len(data), HEX_PER_LINE)]


def _names(names: Iterable[GeneralName]) -> list[str]:
    return [str(n) for n in names]


def _rdn(attributes: Sequence[NameAttribute]) -> str:
    return "+".join(str(a) for a in attributes)


# --- keys and signatures -------------------------------------------------------------------


def public_key_lines(info: PublicKeyInfo) -> list[str]:
    """The key's algorithm and size or curve, and the SHA-256 of the SubjectPublicKeyInfo
    (the RFC 7469 pin); a key that cannot be read says why."""
    try:
        key = info.public_key()
    except DecodeError as e:
        return [f"Algorithm: {info.algorithm_name}", f"Key: cannot be used here: {e}"]
    lines = [f"Algorithm: {info.algorithm_name}"]
    if isinstance(key, rsa.RSAPublicKey):
        kind = "RSA-PSS" if info.key_type == "rsa-pss" else "RSA"
        lines.append(f"Key: {kind} {key.size_bits} bits, exponent {key.e}")
    elif isinstance(key, ec.ECPublicKey):
        lines.append(f"Key: EC {key.curve.name} ({key.curve.bits} bits)")
    elif isinstance(key, dsa.DSAPublicKey):
        lines.append(f"Key: DSA {key.params.L} bits (q: {key.params.N} bits)")
    elif isinstance(key, ecx.Ed25519PublicKey):
        lines.append("Key: Ed25519")
    elif isinstance(key, ecx.X25519PublicKey):
        lines.append("Key: X25519")
    else:
        lines.append("Key: X448")
    lines.append(f"SPKI SHA-256: {hex_colons(info.fingerprint('sha256'))}")
    return lines


def algorithm_text(algorithm: SignatureAlgorithm) -> str:
    """The signature algorithm's name, with the PSS parameters or the problem."""
    text = algorithm.name
    if algorithm.pss is not None:
        p = algorithm.pss
        text += f" (hash {p.hash}, MGF1 {p.mgf1_hash}, salt {p.salt_length})"
    if algorithm.problem is not None:
        text += f" [unusable: {algorithm.problem}]"
    return text


# --- extension values ----------------------------------------------------------------------


def _points(points: Sequence[DistributionPoint]) -> list[str]:
    out: list[str] = []
    for p in points:
        if p.full_name is not None:
            out.extend(_names(p.full_name))
        if p.relative_name is not None:
            out.append(f"relative to the CRL issuer: {_rdn(p.relative_name)}")
        if p.reasons is not None:
            out.append(f"reasons: {_flags(p.reasons, REASON_FLAG_ORDER)}")
        if p.crl_issuer is not None:
            out.append(f"CRL issuer: {', '.join(_names(p.crl_issuer))}")
        if p.full_name is None and p.relative_name is None and p.crl_issuer is None:
            out.append("(no name)")
    return out


def _flags(flags: Iterable[str], order: Sequence[str]) -> str:
    present = set(flags)
    ordered = [f for f in order if f in present] + sorted(present - set(order))
    return ", ".join(ordered) or "(none)"


def _policies(value: CertificatePolicies) -> list[str]:
    out: list[str] = []
    for p in value.policies:
        out.append(f"Policy: {oid_label(p.policy_identifier)}")
        for q in p.qualifiers:
            if isinstance(q, CPSUri):
                out.append(f"  CPS: {q.uri}")
            elif isinstance(q, UserNotice):
                out.append("  User Notice:")
                ref = q.notice_reference
                if ref is not None:
                    numbers = ", ".join(str(n) for n in ref.notice_numbers)
                    out.append(f"    Organization: {ref.organization}")
                    out.append(f"    Notice Numbers: {numbers}")
                if q.explicit_text is not None:
                    out.append(f"    Explicit Text: {q.explicit_text}")
            elif isinstance(q, PolicyQualifier):
                out.append(f"  {oid_label(q.oid)}: {hex_colons(q.der)}")
    return out


def _access(descriptions: Iterable[AccessDescription]) -> list[str]:
    return [
        f"{_ACCESS_METHODS.get(str(d.method)) or oid_label(d.method)} - {d.location}"
        for d in descriptions
    ]


def extension_value_lines(value: ExtensionValue) -> list[str]:
    """The readable lines of a typed extension value."""
    if isinstance(value, BasicConstraints):
        text = "CA:TRUE" if value.ca else "CA:FALSE"
        if value.path_length is not None:
            text += f", pathlen:{value.path_length}"
        return [text]
    if isinstance(value, KeyUsage):
        return [_flags(value.names, KEY_USAGE_ORDER)]
    if isinstance(value, ExtendedKeyUsage):
        return [", ".join(asn1.oids.name(u) or str(u) for u in value.usages) or "(none)"]
    if isinstance(value, SubjectKeyIdentifier):
        return [hex_colons(value.digest)]
    if isinstance(value, AuthorityKeyIdentifier):
        out = []
        if value.key_identifier is not None:
            out.append(f"keyid:{hex_colons(value.key_identifier)}")
        if value.authority_cert_issuer is not None:
            out.append(f"issuer: {', '.join(_names(value.authority_cert_issuer))}")
        if value.authority_cert_serial_number is not None:
            out.append(f"serial: {serial_hex(value.authority_cert_serial_number)}")
        return out or ["(empty)"]
    if isinstance(value, SubjectAlternativeName | IssuerAlternativeName | CertificateIssuer):
        return _names(value.names) or ["(empty)"]
    if isinstance(value, CertificatePolicies):
        return _policies(value)
    if isinstance(value, PolicyMappings):
        return [
            f"{oid_label(m.issuer_domain_policy)} -> {oid_label(m.subject_domain_policy)}"
            for m in value.mappings
        ]
    if isinstance(value, PolicyConstraints):
        out = []
        if value.require_explicit_policy is not None:
            out.append(f"requireExplicitPolicy: {value.require_explicit_policy}")
        if value.inhibit_policy_mapping is not None:
            out.append(f"inhibitPolicyMapping: {value.inhibit_policy_mapping}")
        return out or ["(empty)"]
    if isinstance(value, InhibitAnyPolicy):
        return [f"skipCerts: {value.skip_certs}"]
    if isinstance(value, NameConstraints):
        out = []
        for label, names in (("Permitted", value.permitted), ("Excluded", value.excluded)):
            if names is not None:
                out.append(f"{label}:")
                out.extend(f"  {n}" for n in names)
        return out or ["(empty)"]
    if isinstance(value, CRLDistributionPoints | FreshestCRL):
        return _points(value.points)
    if isinstance(value, AuthorityInformationAccess | SubjectInformationAccess):
        return _access(value.descriptions)
    if isinstance(value, SubjectDirectoryAttributes):
        return [
            f"{oid_label(a.oid)}: {', '.join(hex_colons(v) for v in a.values)}"
            for a in value.attributes
        ]
    if isinstance(value, PrivateKeyUsagePeriod):
        out = []
        if value.not_before is not None:
            out.append(f"Not Before: {when(value.not_before)}")
        if value.not_after is not None:
            out.append(f"Not After: {when(value.not_after)}")
        return out
    if isinstance(value, CRLNumber):
        return [str(value.number)]
    if isinstance(value, DeltaCRLIndicator):
        return [f"base CRL number {value.base_crl_number}"]
    if isinstance(value, IssuingDistributionPoint):
        out = []
        if value.full_name is not None:
            out.extend(_names(value.full_name))
        if value.relative_name is not None:
            out.append(f"relative to the CRL issuer: {_rdn(value.relative_name)}")
        for flag, label in (
            (value.only_contains_user_certs, "only user certificates"),
            (value.only_contains_ca_certs, "only CA certificates"),
            (value.indirect_crl, "indirect CRL"),
            (value.only_contains_attribute_certs, "only attribute certificates"),
        ):
            if flag:
                out.append(label)
        if value.only_some_reasons is not None:
            out.append(f"only reasons: {_flags(value.only_some_reasons, REASON_FLAG_ORDER)}")
        return out or ["(empty)"]
    if isinstance(value, CRLReason):
        return [value.reason]
    if isinstance(value, InvalidityDate):
        return [when(value.date)]
    if isinstance(value, HoldInstructionCode):
        return [oid_label(value.instruction)]
    return _hex_lines(value.to_der())  # pragma: no cover - every typed value is listed above


def extension_lines(extension: Extension) -> list[str]:
    """The header (name, OID if unnamed, criticality) and the indented value lines."""
    critical = " (critical)" if extension.critical else ""
    if extension.value is None:
        name = asn1.oids.name(extension.oid)
        label = f"{name} ({extension.oid})" if name else str(extension.oid)
        body = ["not decoded here; extnValue:", *_hex_lines(extension.der)]
        return [f"{label}{critical}:", *(INDENT + line for line in body)]
    return [
        f"{extension.name}{critical}:",
        *(INDENT + line for line in extension_value_lines(extension.value)),
    ]


def extensions_lines(extensions: Extensions, title: str = "Extensions") -> list[str]:
    """A titled block of every extension, or nothing if there are none."""
    if not len(extensions):
        return []
    out = [f"{title}:"]
    for e in extensions:
        out.extend(INDENT + line for line in extension_lines(e))
    return out


def _indent(lines: Iterable[str], depth: int = 1) -> list[str]:
    return [INDENT * depth + line for line in lines]


# --- the three documents -------------------------------------------------------------------


def render_certificate(cert: Certificate, title: str = "Certificate") -> str:
    """Every field of *cert*, one per line (``openssl x509 -text`` order)."""
    lines = [
        f"Version: {cert.version}",
        f"Serial Number: {serial_hex(cert.serial_number)}",
        f"Signature Algorithm: {algorithm_text(cert.signature_algorithm)}",
    ]
    if cert.tbs_signature_algorithm != cert.signature_algorithm:
        lines.append(
            "TBS Signature Algorithm: "
            f"{algorithm_text(cert.tbs_signature_algorithm)} (differs: RFC 5280 4.1.1.2)"
        )
    lines += [
        f"Issuer: {cert.issuer}",
        "Validity:",
        f"{INDENT}Not Before: {when(cert.not_before)}",
        f"{INDENT}Not After:  {when(cert.not_after)}",
        f"Subject: {cert.subject}",
        "Subject Public Key Info:",
        *_indent(public_key_lines(cert.public_key_info)),
    ]
    if cert.issuer_unique_id is not None:
        lines.append(f"Issuer Unique ID: {hex_colons(cert.issuer_unique_id.data)}")
    if cert.subject_unique_id is not None:
        lines.append(f"Subject Unique ID: {hex_colons(cert.subject_unique_id.data)}")
    lines += extensions_lines(cert.extensions)
    if cert.is_self_issued:
        signed = cert.verify_signature(cert, allow_sha1=True)
        lines.append(f"Self-signed: {'yes, the signature verifies' if signed else 'no'}")
    lines.append(f"SHA-256 Fingerprint: {hex_colons(cert.fingerprint('sha256'))}")
    return "\n".join([f"{title}:", *_indent(lines)]) + "\n"


def _entry_lines(entry: RevokedCertificate) -> list[str]:
    out = [f"Serial Number: {serial_hex(entry.serial_number)}"]
    out.append(f"{INDENT}Revocation Date: {when(entry.revocation_date)}")
    for e in entry.extensions:
        if isinstance(e.value, CRLReason):
            out.append(f"{INDENT}Reason: {e.value.reason}")
        elif isinstance(e.value, InvalidityDate):
            out.append(f"{INDENT}Invalidity Date: {when(e.value.date)}")
        else:
            out.extend(_indent(extension_lines(e)))
    return out


def render_crl(crl: CertificateRevocationList, title: str = "Certificate Revocation List") -> str:
    """Every field of *crl*: issuer, updates, extensions, each revoked entry with its
    reason (``openssl crl -text`` order)."""
    lines = [
        f"Version: {crl.version}",
        f"Signature Algorithm: {algorithm_text(crl.signature_algorithm)}",
        f"Issuer: {crl.issuer}",
        f"This Update: {when(crl.this_update)}",
        "Next Update: " + ("(none)" if crl.next_update is None else when(crl.next_update)),
        *extensions_lines(crl.extensions, "CRL Extensions"),
    ]
    if crl.revoked_certificates:
        lines.append(f"Revoked Certificates: {len(crl.revoked_certificates)}")
        for entry in crl.revoked_certificates:
            lines.extend(_indent(_entry_lines(entry)))
    else:
        lines.append("Revoked Certificates: none")
    lines.append(f"SHA-256 Fingerprint: {hex_colons(hashes.digest('sha256', crl.der))}")
    return "\n".join([f"{title}:", *_indent(lines)]) + "\n"


def render_request(csr: CertificationRequest, title: str = "Certificate Request") -> str:
    """Every field of *csr*: subject, key, requested extensions, other attributes, and
    whether its self-signature verifies (RFC 2986 3: proof of possession)."""
    lines = [
        f"Version: {csr.version + 1}",
        f"Subject: {csr.subject}",
        "Subject Public Key Info:",
        *_indent(public_key_lines(csr.public_key_info)),
        *extensions_lines(csr.extensions, "Requested Extensions"),
    ]
    for oid, values in csr.attributes:
        if oid == EXTENSION_REQUEST:  # shown above as the requested extensions
            continue
        lines.append(f"Attribute {oid_label(oid)}:")
        lines.extend(_indent(hex_colons(v) for v in values))
    lines.append(f"Signature Algorithm: {algorithm_text(csr.signature_algorithm)}")
    verified = csr.verify(allow_sha1=True)
    lines.append(f"Self-signature: {'verifies' if verified else 'DOES NOT VERIFY'}")
    lines.append(f"SHA-256 Fingerprint: {hex_colons(hashes.digest('sha256', csr.der))}")
    return "\n".join([f"{title}:", *_indent(lines)]) + "\n"
