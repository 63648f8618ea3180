"""Certification path building and validation (RFC 5280 section 6, RFC 9525).

:func:`validate` takes a leaf, untrusted intermediates (any order, junk allowed) and trust
anchors, and returns :class:`Ok` with the path it built, or the :class:`ValidationError`
value that says which certificate broke which rule. It never reads the clock: the caller
passes the time.

Path building works from the leaf upwards, depth first: the candidate issuers of a
certificate are the anchors and intermediates whose subject matches its issuer (RFC 5280
7.1 comparison), with a matching subjectKeyIdentifier when the child names one (4.2.1.1);
anchors are tried first. A certificate already on the path (by DER, or by subject and key:
a cross-signed copy) is not tried again, so loops end; the path is at most
:data:`MAX_PATH_LENGTH` certificates and the whole search at most :data:`MAX_BUILD_STEPS`
candidate edges, so hostile bundles cannot make it hang. Each complete path is then checked
top-down as RFC 5280 6.1 describes; when a path fails, the search goes on with the next
candidate (a cross-signed root with one good path and one bad path validates).

What is checked, certificate by certificate (depth 0 = leaf):

- signature by the issuer's key, with the algorithm policy (MD2/MD5 never, SHA-1 only with
  ``allow_sha1``), the public-key policy (RSA >= 2048 bits, P-256/P-384/P-521, Ed25519);
- validity at the given time, for every certificate including the anchor (6.1.3 (a)(2));
- issuers: v3 with basicConstraints cA TRUE marked critical (6.1.4 (k), 4.2.1.9), keyUsage
  keyCertSign when keyUsage is present (6.1.4 (n)), pathLenConstraint (6.1.4 (l), (m)),
  subjectKeyIdentifier present (4.2.1.2), the caller's maximum number of intermediates;
- name constraints of every CA above (6.1.3 (b), (c)), for dNSName, iPAddress, rfc822Name
  (and emailAddress in the subject), directoryName and URI (x509._constraints);
- certificate policies: the RFC 5280 valid_policy_tree with policy mappings,
  requireExplicitPolicy, inhibitPolicyMapping and inhibitAnyPolicy (6.1.2 - 6.1.5) with the
  initial policy set any-policy;
- critical extensions not understood (4.2), profile rules (authorityKeyIdentifier present
  and non-critical, serial numbers positive and at most 20 octets, non-empty issuer, ...);
- the leaf: extendedKeyUsage includes the purpose (and so does every intermediate that
  carries extendedKeyUsage: the rule browsers apply), keyUsage bits the use needs, the
  host name (RFC 9525, x509._hostname);
- revocation: when CRLs are supplied, a CRL of the issuer that the issuer signed and that is
  current at the time is consulted (RFC 5280 6.3, for complete CRLs without distribution
  point scoping; a certificate without such a CRL is not checked).

With ``ValidationPolicy(webpki=True)`` (the default) the CA/Browser Forum Baseline
Requirements rules that browsers enforce apply as well: the leaf has a subjectAltName, an
extendedKeyUsage without anyExtendedKeyUsage, is not a CA, and each of its common names is
one of its subjectAltNames; RSA moduli are a multiple of 8 bits; no DSA keys.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from asn1 import OID
from nocrypto import ec, ecx, rsa

from ._certificate import Certificate
from ._constraints import check as check_name_constraints
from ._crl import CertificateRevocationList
from ._extension_values import (
    AuthorityInformationAccess,
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificatePolicies,
    ExtendedKeyUsage,
    InhibitAnyPolicy,
    KeyUsage,
    NameConstraints,
    PolicyConstraints,
    PolicyMappings,
    SubjectAlternativeName,
    SubjectKeyIdentifier,
)
from ._extensions import CRLNumber
from ._general_name import DNSName, IPAddress
from ._hostname import ReferenceIdentity, matches, reference_identity
from ._verrors import (
    BadSignature,
    ChainTooLong,
    EKUMismatch,
    Expired,
    InvalidCertificate,
    KeyUsageMissing,
    NameConstraintViolation,
    NameMismatch,
    NotCA,
    NotYetValid,
    PathLengthExceeded,
    PolicyViolation,
    Revoked,
    UnknownCriticalExtension,
    UnknownIssuer,
    UnsupportedKey,
    ValidationError,
    WeakSignatureAlgorithm,
)

__all__ = [
    "MAX_BUILD_STEPS",
    "MAX_PATH_LENGTH",
    "Ok",
    "ValidationPolicy",
    "validate",
]

#: The longest path (leaf and anchor included) the builder considers.
MAX_PATH_LENGTH: Final = 16
#: Candidate issuer edges the builder may examine for one validation (a bound on work for
#: hostile bundles with many same-named certificates).
MAX_BUILD_STEPS: Final = 1024
#: Certificates accepted as untrusted intermediates in one call.
MAX_INTERMEDIATES: Final = 256

ANY_POLICY: Final = OID("2.5.29.32.0")
SERVER_AUTH: Final = ExtendedKeyUsage.SERVER_AUTH
CLIENT_AUTH: Final = ExtendedKeyUsage.CLIENT_AUTH
_KEY_USAGE_NAMES: Final = {
    "digitalSignature": "digital_signature",
    "contentCommitment": "content_commitment",
    "nonRepudiation": "content_commitment",
    "keyEncipherment": "key_encipherment",
    "dataEncipherment": "data_encipherment",
    "keyAgreement": "key_agreement",
    "keyCertSign": "key_cert_sign",
    "cRLSign": "crl_sign",
    "encipherOnly": "encipher_only",
    "decipherOnly": "decipher_only",
}
_WEBPKI_CURVES: Final = frozenset({"P-256", "P-384", "P-521"})


@dataclass(frozen=True, slots=True)
class Ok:
    """A validated path: ``path[0]`` is the leaf, ``path[-1]`` the trust anchor."""

    path: tuple[Certificate, ...]

    @property
    def leaf(self) -> Certificate:
        return self.path[0]

    @property
    def anchor(self) -> Certificate:
        return self.path[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationPolicy:
    """What a path must satisfy besides RFC 5280 section 6.

    - ``purpose``: the extendedKeyUsage the leaf must allow (serverAuth by default; None
      for no purpose check); intermediates that carry extendedKeyUsage must allow it too.
    - ``key_usage``: keyUsage bits ("digitalSignature", "keyEncipherment", ...) the leaf
      must have when it has a keyUsage extension (TLS asks per key exchange).
    - ``allow_sha1``: accept SHA-1 signatures (refused by default); MD2/MD5 never.
    - ``max_intermediates``: non-self-issued intermediates allowed in a path.
    - ``webpki``: also apply the CA/Browser Forum rules listed in the module docstring.
    - ``min_rsa_bits``: the smallest RSA modulus accepted anywhere in the path.
    - ``allow_dsa``: accept DSA keys (refused by default; never under ``webpki``).
    - ``require_explicit_policy``: RFC 5280 initial-explicit-policy.
    - ``crls``: CRLs to check revocation against.
    """

    purpose: OID | None = SERVER_AUTH
    key_usage: tuple[str, ...] = ()
    allow_sha1: bool = False
    max_intermediates: int = 8
    webpki: bool = True
    min_rsa_bits: int = 2048
    allow_dsa: bool = False
    require_explicit_policy: bool = False
    crls: tuple[CertificateRevocationList, ...] = field(default=())

    def __post_init__(self) -> None:
        for usage in self.key_usage:
            if usage not in _KEY_USAGE_NAMES:
                raise ValueError(f"unknown keyUsage name {usage!r}")
        if self.max_intermediates < 0:
            raise ValueError("max_intermediates must be >= 0")


def _subject(cert: Certificate) -> str:
    return str(cert.subject)


# --- certificate profile (checked once per certificate and role) -----------------------------


def _profile(
    cert: Certificate, depth: int, role: str, policy: ValidationPolicy
) -> ValidationError | None:
    """Rules that concern one certificate in its role ("leaf", "ca" or "anchor")."""
    subject = _subject(cert)

    def bad(why: str) -> InvalidCertificate:
        return InvalidCertificate(depth=depth, subject=subject, why=why)

    exts = cert.extensions
    # 4.2: "MUST reject the certificate if it encounters a critical extension it does not
    # recognize".
    for e in exts.unknown_critical:
        return UnknownCriticalExtension(depth=depth, subject=subject, oid=str(e.oid))
    # 4.1.2.2: "Certificate users SHOULD be prepared to gracefully handle" long serials;
    # conforming CAs use positive integers of at most 20 octets.
    serial = cert.serial_number
    if role == "anchor":
        pass  # a trust anchor is trusted as given (old roots have serial 0)
    elif serial <= 0:
        return bad("serial number is not a positive integer (RFC 5280 4.1.2.2)")
    if (serial.bit_length() + 8) // 8 > 20:
        return bad("serial number longer than 20 octets (RFC 5280 4.1.2.2)")
    # 4.1.2.4: "The issuer field MUST contain a non-empty distinguished name".
    if not cert.issuer:
        return bad("empty issuer name (RFC 5280 4.1.2.4)")
    if role != "anchor" and cert.version != 3:
        what = "intermediate" if role == "ca" else "leaf"
        if role == "ca":
            return NotCA(depth=depth, subject=subject, why=f"a v{cert.version} certificate")
        return bad(f"a v{cert.version} {what} certificate (v3 required)")
    key_error = _key_policy(cert, policy)
    if key_error is not None:
        return UnsupportedKey(depth=depth, subject=subject, why=key_error)

    # 4.2.1.1: AKI "MUST be included in all certificates generated by conforming CAs"
    # except self-signed ones, and "MUST be marked as non-critical"; keyIdentifier MUST be
    # present.
    aki_ext = exts.get(AuthorityKeyIdentifier.oid)
    aki = exts.find(AuthorityKeyIdentifier)
    self_signed = cert.is_self_issued
    if aki_ext is not None and aki_ext.critical:
        return bad("critical authorityKeyIdentifier (RFC 5280 4.2.1.1)")
    if aki is None and not self_signed and role != "anchor":
        # A trust anchor is not checked: it ends the path whoever issued it.
        return bad("no authorityKeyIdentifier (RFC 5280 4.2.1.1)")
    if aki is not None:
        if aki.key_identifier is None:
            return bad("authorityKeyIdentifier without keyIdentifier (RFC 5280 4.2.1.1)")
        if self_signed and role == "anchor" and policy.webpki:
            if aki.authority_cert_issuer is not None or aki.authority_cert_serial_number:
                return bad("root authorityKeyIdentifier names an issuer or serial (CABF 7.1.2.1)")
            ski_value = exts.find(SubjectKeyIdentifier)
            if ski_value is not None and ski_value.digest != aki.key_identifier:
                return bad("root authorityKeyIdentifier differs from its subjectKeyIdentifier")
    ski_ext = exts.get(SubjectKeyIdentifier.oid)
    if ski_ext is not None and ski_ext.critical:
        return bad("critical subjectKeyIdentifier (RFC 5280 4.2.1.2)")
    aia_ext = exts.get(AuthorityInformationAccess.oid)
    if aia_ext is not None and aia_ext.critical:
        return bad("critical authorityInfoAccess (RFC 5280 4.2.2.1)")
    pc_ext = exts.get(PolicyConstraints.oid)
    if pc_ext is not None and not pc_ext.critical:
        return bad("non-critical policyConstraints (RFC 5280 4.2.1.11)")
    nc_ext = exts.get(NameConstraints.oid)
    nc = exts.find(NameConstraints)
    bc_ext = exts.get(BasicConstraints.oid)
    bc = exts.find(BasicConstraints)
    ku = exts.find(KeyUsage)
    eku_ext = exts.get(ExtendedKeyUsage.oid)
    eku = exts.find(ExtendedKeyUsage)
    san_problem = _san_profile(cert, policy)
    if san_problem is not None:
        return bad(san_problem)

    if role == "leaf":
        if nc_ext is not None:
            return bad("nameConstraints in an end-entity certificate (RFC 5280 4.2.1.10)")
        # 4.2.1.3: keyCertSign "MUST NOT" be asserted unless cA is TRUE.
        if ku is not None and ku.key_cert_sign and not (bc is not None and bc.ca):
            return KeyUsageMissing(
                depth=depth, subject=subject, usage="keyCertSign without basicConstraints cA"
            )
        for usage in policy.key_usage:
            if ku is not None and not getattr(ku, _KEY_USAGE_NAMES[usage]):
                return KeyUsageMissing(depth=depth, subject=subject, usage=usage)
        # 4.2.1.9: "If the cA boolean is asserted, then the keyCertSign bit in the key
        # usage extension MUST also be asserted" -- a CA certificate may be a leaf (RFC 5280
        # allows it), an inconsistent one may not.
        if bc is not None and bc.ca and ku is not None and not ku.key_cert_sign:
            return bad("basicConstraints cA without keyUsage keyCertSign (RFC 5280 4.2.1.9)")
        if policy.webpki:
            if eku_ext is not None and eku_ext.critical:
                return bad("critical extendedKeyUsage in the leaf (CABF 7.1.2.7.10)")
            if eku is not None and ExtendedKeyUsage.ANY in eku.usages:
                return bad("anyExtendedKeyUsage in the leaf (CABF 7.1.2.7.10)")
            cn_problem = _common_names_in_san(cert)
            if cn_problem is not None:
                return bad(cn_problem)
        # 4.2.1.12: without the extension, any purpose; with it, the purpose must be listed
        # (anyExtendedKeyUsage only outside the Web PKI profile).
        if policy.purpose is not None and eku is not None:
            allowed = policy.purpose in eku.usages or (
                not policy.webpki and ExtendedKeyUsage.ANY in eku.usages
            )
            if not allowed:
                return EKUMismatch(
                    depth=depth, subject=subject, required=_purpose_name(policy.purpose)
                )
        return None

    # An issuer ("ca") or the trust anchor.
    if nc_ext is not None:
        # 4.2.1.10: "Conforming CAs MUST mark this extension as critical"; CABF 7.1.2.10.8
        # allows non-critical as an explicit exception, so only the RFC profile refuses it.
        if not nc_ext.critical and not policy.webpki:
            return bad("non-critical nameConstraints (RFC 5280 4.2.1.10)")
        if nc is not None and not nc.permitted and not nc.excluded:
            return bad("nameConstraints with neither permitted nor excluded subtrees")
    if role == "anchor" and cert.version != 3:
        return None  # a v1 root: trusted out of band (RFC 5280 6.1.4 (k))
    if bc is None or not bc.ca:
        return NotCA(depth=depth, subject=subject)
    if bc_ext is not None and not bc_ext.critical:
        return bad("non-critical basicConstraints in a CA certificate (RFC 5280 4.2.1.9)")
    if ku is not None and not ku.key_cert_sign:
        return KeyUsageMissing(depth=depth, subject=subject, usage="keyCertSign")
    if exts.find(SubjectKeyIdentifier) is None:
        return bad("CA certificate without subjectKeyIdentifier (RFC 5280 4.2.1.2)")
    if policy.purpose is not None and eku is not None:
        if role == "anchor" and policy.webpki:
            return bad("extendedKeyUsage in a root certificate (CABF 7.1.2.1)")
        if policy.purpose not in eku.usages and ExtendedKeyUsage.ANY not in eku.usages:
            return EKUMismatch(depth=depth, subject=subject, required=_purpose_name(policy.purpose))
    return None


def _purpose_name(purpose: OID) -> str:
    return {SERVER_AUTH: "serverAuth", CLIENT_AUTH: "clientAuth"}.get(purpose, str(purpose))


def _key_policy(cert: Certificate, policy: ValidationPolicy) -> str | None:
    try:
        key = cert.public_key
    except Exception as e:  # UnsupportedAlgorithm / DecodeError: the key cannot be used
        return str(e)
    if isinstance(key, rsa.RSAPublicKey):
        bits = key.n.bit_length()
        if bits < policy.min_rsa_bits:
            return f"RSA key of {bits} bits (at least {policy.min_rsa_bits})"
        if policy.webpki and bits % 8:
            return f"RSA modulus of {bits} bits, not a multiple of 8 (CABF 6.1.5)"
        return None
    if isinstance(key, ec.ECPublicKey):
        if policy.webpki and key.curve.name not in _WEBPKI_CURVES:
            return f"curve {key.curve.name}"
        return None
    if isinstance(key, ecx.Ed25519PublicKey):
        return None
    if isinstance(key, ecx.X25519PublicKey | ecx.X448PublicKey):
        return None  # key agreement keys cannot sign; only usable in a leaf
    if policy.allow_dsa and not policy.webpki:
        return None
    return "DSA keys are not accepted"


def _san_profile(cert: Certificate, policy: ValidationPolicy) -> str | None:
    """RFC 5280 4.2.1.6: SAN critical iff the subject is empty; names well formed."""
    ext = cert.extensions.get(SubjectAlternativeName.oid)
    san = cert.extensions.find(SubjectAlternativeName)
    if not cert.subject:
        if ext is None:
            return "empty subject and no subjectAltName (RFC 5280 4.2.1.6)"
        if not ext.critical:
            return "empty subject with a non-critical subjectAltName (RFC 5280 4.2.1.6)"
    elif ext is not None and ext.critical and policy.webpki:
        return "critical subjectAltName with a non-empty subject (CABF 7.1.2.7.12)"
    if san is None:
        return None
    for name in san.names:
        if isinstance(name, DNSName) and not _valid_dns_san(name.value):
            return f"malformed dNSName {name.value!r} in subjectAltName (RFC 5280 4.2.1.6)"
    return None


def _valid_dns_san(value: str) -> bool:
    """Preferred name syntax (RFC 1034 3.5, RFC 5280 4.2.1.6), with a wildcard allowed only
    as the whole left-most label."""
    if not value or len(value) > 253 or not value.isascii():
        return False
    labels = value.split(".")
    for i, label in enumerate(labels):
        if label == "*" and i == 0 and len(labels) > 1:
            continue
        if not 0 < len(label) <= 63 or label[0] == "-" or label[-1] == "-":
            return False
        if not all(c.isalnum() or c == "-" for c in label):
            return False
    return True


def _common_names_in_san(cert: Certificate) -> str | None:
    """CABF BR 7.1.4.3: a commonName, if present, "MUST contain exactly one entry that is
    one of the values contained in the Certificate's subjectAltName extension", an IP
    address in its canonical text form, a domain name as its A-label form.

    Applied to the common names that present themselves as identifiers of this kind: an IP
    address in a non-canonical notation (hexadecimal, leading zeros, upper-case or
    uncompressed IPv6: a canonical one is read as such by everyone), an
    internationalised or A-label domain name, or a name equal to a subjectAltName up to
    case. A plain host-like CN that is none of these is not checked: many certificates
    keep a legacy CN next to their subjectAltNames, and RFC 9525 never looks at it.
    """
    names = cert.subject.common_names
    if not names:
        return None
    san = cert.extensions.find(SubjectAlternativeName)
    dns: set[str] = set()
    ips: set[str] = set()
    for n in san.names if san is not None else ():
        if isinstance(n, DNSName):
            dns.add(n.value)
        elif isinstance(n, IPAddress):
            ips.add(str(n.value))
    for cn in names:
        if cn in dns or cn in ips:
            continue
        problem = f"commonName {cn!r} is not one of the subjectAltNames (CABF 7.1.4.3)"
        if not cn.isascii() or "xn--" in cn.lower():
            return problem
        if cn.lower() in {d.lower() for d in dns}:
            return problem
        if _looks_like_ip(cn) and not _canonical_ip(cn):
            return problem
    return None


def _canonical_ip(text: str) -> bool:
    """*text* is an IP address written as RFC 5952 (IPv6) or dotted decimal without leading
    zeros (IPv4) writes it."""
    try:
        return str(ipaddress.ip_address(text)) == text
    except ValueError:
        return False


def _looks_like_ip(text: str) -> bool:
    """An IPv4 address in dotted or hexadecimal notation, or IPv6 in any notation."""
    t = text.strip().lower()
    if t.startswith("0x") and len(t) > 2 and all(c in "0123456789abcdef" for c in t[2:]):
        return True
    parts = t.split(".")
    if len(parts) == 4 and all(p.isdigit() and p for p in parts):
        return True
    if ":" in t:
        try:
            ipaddress.IPv6Address(t)
        except ValueError:
            return False
        return True
    return False


# --- path building -----------------------------------------------------------------------------


def validate(
    leaf: Certificate,
    intermediates: Sequence[Certificate],
    roots: Sequence[Certificate],
    *,
    time: datetime,
    host: str | None = None,
    policy: ValidationPolicy | None = None,
) -> Ok | ValidationError:
    """Build and validate a path from *leaf* to one of *roots* (trust anchors) through
    *intermediates*, at *time* (timezone-aware), for *host* when given. Returns :class:`Ok`
    with the path, or the first :class:`ValidationError` of the most promising failed
    attempt. Never raises for any certificate content."""
    if time.tzinfo is None:
        raise ValueError("validate needs a timezone-aware time")
    pol = policy if policy is not None else ValidationPolicy()
    # Certificate times have a resolution of one second (RFC 5280 4.1.2.5.1/.2: "MUST
    # include seconds", no fractions): compare at that resolution.
    time = time.astimezone(UTC).replace(microsecond=0)
    if len(intermediates) > MAX_INTERMEDIATES:
        intermediates = intermediates[:MAX_INTERMEDIATES]
    if host is not None:
        mismatch = _check_host(leaf, host)
        if mismatch is not None:
            return mismatch
    anchors = {c.der: c for c in roots}
    by_subject: dict[tuple[tuple[str, ...], ...], list[tuple[Certificate, bool]]] = {}
    for cert in roots:
        by_subject.setdefault(cert.subject.key, []).append((cert, True))
    for cert in intermediates:
        if cert.der not in anchors:
            by_subject.setdefault(cert.subject.key, []).append((cert, False))
    ctx = _Context(pol, time, anchors, by_subject)
    result = ctx.extend([leaf])
    if isinstance(result, Ok):
        return result
    return ctx.best_error(leaf)


def _check_host(leaf: Certificate, host: str) -> NameMismatch | None:
    san = leaf.extensions.find(SubjectAlternativeName)
    presented = tuple(str(n) for n in san.names) if san is not None else ()
    try:
        identity: ReferenceIdentity = reference_identity(host)
    except ValueError:
        return NameMismatch(depth=0, subject=_subject(leaf), host=host, presented=presented)
    if matches(identity, san.names if san is not None else None, leaf.subject):
        return None
    return NameMismatch(depth=0, subject=_subject(leaf), host=host, presented=presented)


class _Context:
    """The state of one path search: caches of signature checks and profile verdicts, the
    step budget, and the errors met (to report the most useful one)."""

    def __init__(
        self,
        policy: ValidationPolicy,
        time: datetime,
        anchors: dict[bytes, Certificate],
        by_subject: dict[tuple[tuple[str, ...], ...], list[tuple[Certificate, bool]]],
    ) -> None:
        self.policy = policy
        self.time = time
        self.anchors = anchors
        self.by_subject = by_subject
        self.steps = 0  # candidate edges examined, at most MAX_BUILD_STEPS
        self.signatures: dict[tuple[bytes, bytes], ValidationError | None] = {}
        self.path_errors: list[ValidationError] = []
        self.edge_errors: list[ValidationError] = []
        self.deepest: tuple[int, Certificate] | None = None
        self.exhausted = False

    def candidates(self, cert: Certificate) -> list[tuple[Certificate, bool]]:
        found = list(self.by_subject.get(cert.issuer.key, ()))
        aki = cert.extensions.find(AuthorityKeyIdentifier)
        if aki is not None and aki.key_identifier is not None:
            kept = []
            for cand, is_anchor in found:
                ski = cand.extensions.find(SubjectKeyIdentifier)
                if ski is None or ski.digest == aki.key_identifier:
                    kept.append((cand, is_anchor))
            found = kept
        # Anchors first (shortest paths), then intermediates in the given order.
        found.sort(key=lambda item: not item[1])
        return found

    def extend(self, path: list[Certificate]) -> Ok | None:
        cert = path[-1]
        depth = len(path) - 1
        if self.deepest is None or depth > self.deepest[0]:
            self.deepest = (depth, cert)
        for cand, is_anchor in self.candidates(cert):
            self.steps += 1
            if self.steps > MAX_BUILD_STEPS:
                self.exhausted = True
                return None
            if _on_path(cand, path):
                continue
            if len(path) + 1 > MAX_PATH_LENGTH:
                self.edge_errors.append(
                    ChainTooLong(depth=depth, subject=_subject(cert), limit=MAX_PATH_LENGTH)
                )
                continue
            error = self.signature(cert, cand, depth)
            if error is not None:
                self.edge_errors.append(error)
                continue
            if is_anchor:
                full = [*path, cand]
                verdict = _check_path(full, self.policy, self.time)
                if verdict is None:
                    return Ok(tuple(full))
                self.path_errors.append(verdict)
                continue
            found = self.extend([*path, cand])
            if found is not None or self.exhausted:
                return found
        return None

    def signature(
        self, cert: Certificate, issuer: Certificate, depth: int
    ) -> ValidationError | None:
        key = (cert.der, issuer.der)
        if key not in self.signatures:
            self.signatures[key] = _signature_error(cert, issuer, depth, self.policy)
        return self.signatures[key]

    def best_error(self, leaf: Certificate) -> ValidationError:
        if self.path_errors:
            return self.path_errors[0]
        if self.edge_errors:
            return self.edge_errors[0]
        if self.exhausted:
            return ChainTooLong(depth=0, subject=_subject(leaf), limit=MAX_BUILD_STEPS)
        depth, cert = self.deepest if self.deepest is not None else (0, leaf)
        return UnknownIssuer(depth=depth, subject=_subject(cert), issuer=str(cert.issuer))


def _on_path(cand: Certificate, path: Sequence[Certificate]) -> bool:
    """A loop: the candidate is on the path already, by DER or as the same CA (subject and
    key) in another certificate."""
    for c in path:
        if c.der == cand.der:
            return True
        if c.subject.key == cand.subject.key and c.public_key_info.der == cand.public_key_info.der:
            return True
    return False


def _signature_error(
    cert: Certificate, issuer: Certificate, depth: int, policy: ValidationPolicy
) -> ValidationError | None:
    refusal = cert.signature_algorithm.refusal(allow_sha1=policy.allow_sha1)
    if refusal is not None:
        return WeakSignatureAlgorithm(
            depth=depth,
            subject=_subject(cert),
            algorithm=cert.signature_algorithm.name,
            why=refusal,
        )
    if not cert.verify_signature(issuer, allow_sha1=policy.allow_sha1):
        return BadSignature(depth=depth, subject=_subject(cert), issuer=_subject(issuer))
    return None


# --- checking a complete path (RFC 5280 6.1) ---------------------------------------------------


def _check_path(
    path: Sequence[Certificate], policy: ValidationPolicy, time: datetime
) -> ValidationError | None:
    """Every rule of section 6.1 for *path* (leaf first, anchor last), signatures aside
    (verified while building)."""
    n = len(path)
    for depth, cert in enumerate(path):
        role = "leaf" if depth == 0 else "anchor" if depth == n - 1 else "ca"
        error = _profile(cert, depth, role, policy)
        if error is not None:
            return error
        # 6.1.3 (a)(2): "The certificate validity period includes the current time."
        if time < cert.not_before:
            return NotYetValid(
                depth=depth, subject=_subject(cert), not_before=cert.not_before, time=time
            )
        if time > cert.not_after:
            return Expired(depth=depth, subject=_subject(cert), not_after=cert.not_after, time=time)
    for check in (_check_path_length, _check_name_constraints, _check_policies, _check_eku_nesting):
        error = check(path, policy)
        if error is not None:
            return error
    return _check_revocation(path, policy, time)


def _check_path_length(
    path: Sequence[Certificate], policy: ValidationPolicy
) -> ValidationError | None:
    """6.1.4 (l), (m), from the anchor's constraint down; and the caller's limit on the
    number of non-self-issued intermediates."""
    anchor = path[-1]
    bc = anchor.extensions.find(BasicConstraints)
    max_path = bc.path_length if bc is not None and bc.path_length is not None else None
    counted = 0
    for depth in range(len(path) - 2, 0, -1):
        cert = path[depth]
        if not cert.is_self_issued:
            counted += 1
            if counted > policy.max_intermediates:
                return PathLengthExceeded(
                    depth=depth, subject=_subject(cert), limit=policy.max_intermediates
                )
            if max_path is not None:
                if max_path <= 0:
                    return PathLengthExceeded(
                        depth=depth + 1, subject=_subject(path[depth + 1]), limit=0
                    )
                max_path -= 1
        bc = cert.extensions.find(BasicConstraints)
        if bc is not None and bc.path_length is not None:
            max_path = bc.path_length if max_path is None else min(max_path, bc.path_length)
    return None


def _check_name_constraints(
    path: Sequence[Certificate], policy: ValidationPolicy
) -> ValidationError | None:
    """6.1.3 (b), (c): each CA's constraints apply to every certificate below it, except
    self-issued intermediates ("If certificate i is self-issued and it is not the final
    certificate in the path, skip this step")."""
    del policy
    for ca_depth in range(len(path) - 1, 0, -1):
        nc = path[ca_depth].extensions.find(NameConstraints)
        if nc is None:
            continue
        for depth in range(ca_depth - 1, -1, -1):
            cert = path[depth]
            if depth > 0 and cert.is_self_issued:
                continue
            san = cert.extensions.find(SubjectAlternativeName)
            why = check_name_constraints(nc, cert.subject, san.names if san else None)
            if why is not None:
                return NameConstraintViolation(
                    depth=depth,
                    subject=_subject(cert),
                    constrained_by=_subject(path[ca_depth]),
                    why=why,
                )
    return None


def _check_eku_nesting(
    path: Sequence[Certificate], policy: ValidationPolicy
) -> ValidationError | None:
    """extendedKeyUsage in intermediates restricts the purposes below them (not in RFC
    5280, which leaves it to the application; the rule browsers and Go apply): the leaf's
    purposes must lie within every intermediate's list that lacks anyExtendedKeyUsage."""
    allowed: set[OID] | None = None
    for depth in range(len(path) - 2, 0, -1):
        eku = path[depth].extensions.find(ExtendedKeyUsage)
        if eku is None or ExtendedKeyUsage.ANY in eku.usages:
            continue
        allowed = set(eku.usages) if allowed is None else allowed & set(eku.usages)
    if allowed is None:
        return None
    leaf_eku = path[0].extensions.find(ExtendedKeyUsage)
    wanted = {policy.purpose} if policy.purpose is not None else None
    if leaf_eku is not None and ExtendedKeyUsage.ANY not in leaf_eku.usages:
        wanted = set(leaf_eku.usages) if wanted is None else wanted & set(leaf_eku.usages)
    if wanted is None or wanted & allowed:
        return None
    return EKUMismatch(
        depth=0,
        subject=_subject(path[0]),
        required=", ".join(sorted(_purpose_name(p) for p in wanted)) or "any purpose",
    )


class _Node:
    """A node of the RFC 5280 6.1.2 (a) valid_policy_tree (qualifiers are not kept)."""

    __slots__ = ("children", "expected", "parent", "valid_policy")

    def __init__(self, valid_policy: OID, expected: set[OID], parent: _Node | None) -> None:
        self.valid_policy = valid_policy
        self.expected = expected
        self.parent = parent
        self.children: list[_Node] = []
        if parent is not None:
            parent.children.append(self)


def _prune(levels: list[list[_Node]], depth: int) -> None:
    """Delete nodes above *depth* left without children (6.1.3 (d)(3))."""
    for d in range(depth - 1, -1, -1):
        kept = [node for node in levels[d] if node.children]
        for node in levels[d]:
            if not node.children and node.parent is not None:
                node.parent.children.remove(node)
        levels[d] = kept


def _check_policies(
    path: Sequence[Certificate], policy: ValidationPolicy
) -> ValidationError | None:
    """The policy processing of 6.1.2 - 6.1.5 with user-initial-policy-set = {anyPolicy}.
    The certificates processed are those below the trust anchor; the anchor's own
    policyConstraints and inhibitAnyPolicy act as initial values."""
    certs = list(reversed(path[:-1]))  # certificate 1 .. n, top down
    n = len(certs)
    explicit = 0 if policy.require_explicit_policy else n + 1
    inhibit_any = n + 1
    mapping = n + 1
    anchor = path[-1]
    pc = anchor.extensions.find(PolicyConstraints)
    if pc is not None:
        if pc.require_explicit_policy is not None:
            explicit = min(explicit, pc.require_explicit_policy)
        if pc.inhibit_policy_mapping is not None:
            mapping = min(mapping, pc.inhibit_policy_mapping)
    iap = anchor.extensions.find(InhibitAnyPolicy)
    if iap is not None:
        inhibit_any = min(inhibit_any, iap.skip_certs)
    root = _Node(ANY_POLICY, {ANY_POLICY}, None)
    levels: list[list[_Node]] | None = [[root]]
    for i, cert in enumerate(certs, start=1):
        depth = n - i
        subject = _subject(cert)
        self_issued = cert.is_self_issued
        cps = cert.extensions.find(CertificatePolicies)
        if cps is not None and levels is not None:
            prev = levels[i - 1]
            level: list[_Node] = []
            oids = [p.policy_identifier for p in cps.policies]
            for oid in oids:
                if oid == ANY_POLICY:
                    continue
                parents = [node for node in prev if oid in node.expected]
                if not parents:
                    parents = [node for node in prev if node.valid_policy == ANY_POLICY]
                level.extend(_Node(oid, {oid}, parent) for parent in parents)
            if ANY_POLICY in oids and (inhibit_any > 0 or (i < n and self_issued)):
                for node in prev:
                    have = {c.valid_policy for c in node.children}
                    for oid in sorted(node.expected - have):
                        level.append(_Node(oid, {oid}, node))
            levels.append(level)
            _prune(levels, i)
            if not level:
                levels = None
        elif cps is None:
            levels = None  # 6.1.3 (e)
        if explicit <= 0 and levels is None:  # 6.1.3 (f)
            return PolicyViolation(
                depth=depth, subject=subject, why="an explicit policy is required and none is valid"
            )
        if i == n:
            break
        # 6.1.4: preparation for certificate i + 1.
        pm = cert.extensions.find(PolicyMappings)
        if pm is not None:
            for m in pm.mappings:  # (a)
                if ANY_POLICY in (m.issuer_domain_policy, m.subject_domain_policy):
                    return PolicyViolation(
                        depth=depth, subject=subject, why="a policy mapping to or from anyPolicy"
                    )
            if levels is not None:
                _apply_mappings(levels, i, pm, mapping)
                if not levels[i]:
                    levels = None
        if not self_issued:  # (h)
            explicit = max(explicit - 1, 0)
            mapping = max(mapping - 1, 0)
            inhibit_any = max(inhibit_any - 1, 0)
        pc = cert.extensions.find(PolicyConstraints)  # (i)
        if pc is not None:
            if pc.require_explicit_policy is not None:
                explicit = min(explicit, pc.require_explicit_policy)
            if pc.inhibit_policy_mapping is not None:
                mapping = min(mapping, pc.inhibit_policy_mapping)
        iap = cert.extensions.find(InhibitAnyPolicy)  # (j)
        if iap is not None:
            inhibit_any = min(inhibit_any, iap.skip_certs)
    # 6.1.5 wrap-up: (a), (b).
    if explicit > 0:
        explicit -= 1
    leaf_pc = path[0].extensions.find(PolicyConstraints)
    if leaf_pc is not None and leaf_pc.require_explicit_policy == 0:
        explicit = 0
    if explicit <= 0 and levels is None:
        return PolicyViolation(
            depth=0,
            subject=_subject(path[0]),
            why="an explicit policy is required and none is valid",
        )
    return None


def _apply_mappings(levels: list[list[_Node]], i: int, pm: PolicyMappings, mapping: int) -> None:
    """6.1.4 (b): map issuer-domain policies at depth i to subject-domain policies."""
    targets: dict[OID, set[OID]] = {}
    for m in pm.mappings:
        targets.setdefault(m.issuer_domain_policy, set()).add(m.subject_domain_policy)
    level = levels[i]
    for issuer_policy, subject_policies in targets.items():
        nodes = [node for node in level if node.valid_policy == issuer_policy]
        if mapping > 0:
            if nodes:
                for node in nodes:
                    node.expected = set(subject_policies)
            else:
                for any_node in [node for node in level if node.valid_policy == ANY_POLICY]:
                    if any_node.parent is not None:
                        level.append(_Node(issuer_policy, set(subject_policies), any_node.parent))
        else:
            for node in nodes:
                level.remove(node)
                if node.parent is not None:
                    node.parent.children.remove(node)
            _prune(levels, i)


def _check_revocation(
    path: Sequence[Certificate], policy: ValidationPolicy, time: datetime
) -> ValidationError | None:
    """RFC 5280 6.3, simplified: a supplied CRL counts for a certificate when its issuer
    name matches the certificate's issuer, the issuer's key signed it, and it is current
    (thisUpdate <= time <= nextUpdate)."""
    if not policy.crls:
        return None
    for depth in range(len(path) - 1):
        cert, issuer = path[depth], path[depth + 1]
        for crl in policy.crls:
            if not crl.issuer.matches(cert.issuer) or crl.this_update > time:
                continue
            if crl.next_update is not None and crl.next_update < time:
                continue
            if not crl.verify(issuer, allow_sha1=policy.allow_sha1):
                continue
            problem = _crl_profile(crl, issuer)
            if problem is not None:
                return InvalidCertificate(
                    depth=depth, subject=_subject(cert), why=f"the CRL of its issuer: {problem}"
                )
            entry = crl.is_revoked(cert.serial_number)
            if entry is not None:
                return Revoked(
                    depth=depth,
                    subject=_subject(cert),
                    serial_number=cert.serial_number,
                    revocation_reason=entry.reason,
                )
    return None


def _crl_profile(crl: CertificateRevocationList, issuer: Certificate) -> str | None:
    """A CRL that cannot be trusted makes the revocation status unknown, which fails the
    path: RFC 5280 5.2.3 ("CRL issuers MUST include" cRLNumber, "non-critical"), 4.2.1.3
    (the issuer's keyUsage must assert cRLSign to sign CRLs)."""
    number = crl.extensions.get(CRLNumber.oid)
    if number is None:
        return "no cRLNumber (RFC 5280 5.2.3)"
    if number.critical:
        return "critical cRLNumber (RFC 5280 5.2.3)"
    ku = issuer.extensions.find(KeyUsage)
    if ku is not None and not ku.crl_sign:
        return "the issuer's keyUsage lacks cRLSign (RFC 5280 4.2.1.3)"
    return None
