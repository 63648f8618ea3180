"""The reasons a certificate path is refused (RFC 5280 section 6, RFC 9525).

Each reason is a frozen dataclass value, not an exception: :func:`x509.validate` and the
authenticators *return* it (errors are values, DESIGN.md principle 3). Every reason names the
certificate at fault by its ``depth`` in the chain (0 = the leaf, counting up towards the
trust anchor) and its ``subject`` (RFC 4514), and says which rule it broke; ``str(reason)``
is a sentence for a person. :class:`ValidationFailed` wraps a reason for callers that would
rather raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "BadSignature",
    "ChainTooLong",
    "EKUMismatch",
    "Expired",
    "FingerprintMismatch",
    "InvalidCertificate",
    "KeyUsageMissing",
    "NameConstraintViolation",
    "NameMismatch",
    "NotCA",
    "NotYetValid",
    "PathLengthExceeded",
    "PolicyViolation",
    "Revoked",
    "UnknownCriticalExtension",
    "UnknownIssuer",
    "UnsupportedKey",
    "ValidationError",
    "ValidationFailed",
    "WeakSignatureAlgorithm",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationError:
    """Base of every refusal: the ``depth`` (0 = leaf) and ``subject`` of the certificate
    at fault."""

    depth: int
    subject: str

    @property
    def reason(self) -> str:
        """What went wrong, without the certificate's position."""
        return "validation failed"

    def __str__(self) -> str:
        who = "the leaf" if self.depth == 0 else f"the certificate at depth {self.depth}"
        return f"{who} ({self.subject or 'empty subject'}): {self.reason}"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownIssuer(ValidationError):
    """No issuer of this certificate is a trust anchor or leads to one (no path found)."""

    issuer: str

    @property
    def reason(self) -> str:
        return f"no trusted issuer found for issuer {self.issuer or '(empty)'}"


@dataclass(frozen=True, slots=True, kw_only=True)
class BadSignature(ValidationError):
    """The issuer's key did not verify this certificate's signature."""

    issuer: str

    @property
    def reason(self) -> str:
        return f"signature does not verify with the key of {self.issuer}"


@dataclass(frozen=True, slots=True, kw_only=True)
class WeakSignatureAlgorithm(ValidationError):
    """The signature algorithm is refused (MD2/MD5 always, SHA-1 unless allowed)."""

    algorithm: str
    why: str

    @property
    def reason(self) -> str:
        return f"signature algorithm {self.algorithm} refused: {self.why}"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnsupportedKey(ValidationError):
    """The public key's type or size is not accepted by the validation policy."""

    why: str

    @property
    def reason(self) -> str:
        return f"public key refused: {self.why}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Expired(ValidationError):
    """RFC 5280 6.1.3 (a)(2): the validation time is after notAfter."""

    not_after: datetime
    time: datetime

    @property
    def reason(self) -> str:
        return f"expired at {self.not_after.isoformat()} (time {self.time.isoformat()})"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotYetValid(ValidationError):
    """RFC 5280 6.1.3 (a)(2): the validation time is before notBefore."""

    not_before: datetime
    time: datetime

    @property
    def reason(self) -> str:
        return f"not valid before {self.not_before.isoformat()} (time {self.time.isoformat()})"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotCA(ValidationError):
    """RFC 5280 6.1.4 (k): an issuer without basicConstraints cA TRUE (or a v1/v2
    certificate used as an intermediate)."""

    why: str = "basicConstraints cA is not TRUE"

    @property
    def reason(self) -> str:
        return f"not a CA certificate: {self.why}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PathLengthExceeded(ValidationError):
    """RFC 5280 6.1.4 (l): more non-self-issued intermediates below a CA than its
    pathLenConstraint allows, or more than the caller's maximum chain depth."""

    limit: int

    @property
    def reason(self) -> str:
        return f"path length constraint {self.limit} exceeded"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainTooLong(ValidationError):
    """The path would be longer than the validator's hard limit (denial-of-service bound)."""

    limit: int

    @property
    def reason(self) -> str:
        return f"no path within {self.limit} certificates (or the path-building budget)"


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyUsageMissing(ValidationError):
    """RFC 5280 4.2.1.3 / 6.1.4 (n): keyUsage lacks a bit the use needs (keyCertSign for
    an issuer, digitalSignature or keyEncipherment for TLS), or a bit is inconsistent."""

    usage: str

    @property
    def reason(self) -> str:
        return f"keyUsage does not allow {self.usage}"


@dataclass(frozen=True, slots=True, kw_only=True)
class EKUMismatch(ValidationError):
    """RFC 5280 4.2.1.12: extendedKeyUsage does not include the required purpose."""

    required: str

    @property
    def reason(self) -> str:
        return f"extendedKeyUsage does not allow {self.required}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NameConstraintViolation(ValidationError):
    """RFC 5280 6.1.3 (b)/(c): a name outside a permitted subtree or inside an excluded one
    of a CA above it."""

    constrained_by: str
    why: str

    @property
    def reason(self) -> str:
        return f"name constraints of {self.constrained_by}: {self.why}"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownCriticalExtension(ValidationError):
    """RFC 5280 4.2: "A certificate-using system MUST reject the certificate if it
    encounters a critical extension it does not recognize"."""

    oid: str

    @property
    def reason(self) -> str:
        return f"unknown critical extension {self.oid}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyViolation(ValidationError):
    """RFC 5280 6.1.3 (f) / 6.1.5 (g): an explicit policy is required and the valid
    policy tree is empty, or a policy mapping is invalid."""

    why: str

    @property
    def reason(self) -> str:
        return f"certificate policies: {self.why}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Revoked(ValidationError):
    """A supplied CRL of the issuer lists this certificate's serial number."""

    serial_number: int
    revocation_reason: str | None

    @property
    def reason(self) -> str:
        why = f" ({self.revocation_reason})" if self.revocation_reason else ""
        return f"serial {self.serial_number:#x} revoked{why}"


@dataclass(frozen=True, slots=True, kw_only=True)
class InvalidCertificate(ValidationError):
    """The certificate breaks a profile rule of RFC 5280 (or the Web PKI profile) that
    makes it unusable: a missing or critical authority key identifier, a zero serial, a
    non-critical name constraints extension, a malformed subjectAltName, ..."""

    why: str

    @property
    def reason(self) -> str:
        return self.why


@dataclass(frozen=True, slots=True, kw_only=True)
class NameMismatch(ValidationError):
    """RFC 9525 section 6: the leaf is not valid for the reference identity."""

    host: str
    presented: tuple[str, ...]

    @property
    def reason(self) -> str:
        names = ", ".join(self.presented) or "no names"
        return f"not valid for {self.host!r} (presented: {names})"


@dataclass(frozen=True, slots=True, kw_only=True)
class FingerprintMismatch(ValidationError):
    """Neither the certificate's nor its key's fingerprint is among the pinned ones."""

    fingerprint: str

    @property
    def reason(self) -> str:
        return f"fingerprint {self.fingerprint} is not pinned"


class ValidationFailed(Exception):
    """Raised by :meth:`x509.Ok.unwrap`-style callers that prefer exceptions: carries the
    :class:`ValidationError` value as ``.error``."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error
