"""Service identity: does a certificate name the host we meant to reach (RFC 9525, which
obsoletes RFC 6125; RFC 5280 4.2.1.6; RFC 5890/5891 for internationalised names).

A *reference identity* is what the application asked for (:func:`reference_identity`:
a DNS name or an IP address); *presented identifiers* are what the certificate says
(dNSName and iPAddress subjectAltName entries, and - only when asked and only without a
subjectAltName extension - the subject commonName). :func:`matches` compares them,
:func:`verify_hostname` does both steps for a :class:`~x509.Certificate`.

Choices made here, each stricter than or equal to what the RFCs allow:

- DNS names are compared as A-labels, ASCII case-insensitively (RFC 9525 6.3). A U-label
  in the reference is converted label by label with the stdlib ``punycode`` codec (RFC
  3492), after lower-casing and NFC normalisation, with our own checks: letters, marks,
  decimal digits and hyphens only, no leading combining mark, no "--" in positions 3-4,
  no leading or trailing hyphen (RFC 5891 4.2.3). The ``idna`` codec is not used: it is
  IDNA2003 (nameprep), which maps characters IDNA2008 refuses. We do not carry the
  IDNA2008 code point tables, so some DISALLOWED letters would still be converted.
- Every label, reference or presented, is LDH: letters, digits and hyphens, 1 to 63
  octets, no leading or trailing hyphen, at most 253 octets in all (RFC 1034 3.5 and RFC
  1123 2.1, the "preferred name syntax" RFC 5280 4.2.1.6 requires). An underscore is
  refused. A label starting "xn--" must be a valid A-label (decodes as punycode to a
  non-ASCII string and encodes back to itself).
- One trailing dot of the *reference* is removed (an absolute name); a *presented*
  identifier with a trailing dot is not in preferred name syntax and never matches.
- A reference whose last label is all digits is refused: no top-level domain is numeric
  (RFC 3696 2), and such hosts ("1.2.3", "010.0.0.1") are mistyped or obfuscated IPv4.
- Wildcards (RFC 9525 6.3): only "*" as the complete left-most label of a presented
  identifier, matching exactly one label of the reference; at least two labels must
  follow it ("*.com" and "*" never match). Partial wildcards ("f*.example.com") never
  match. The wildcard does not match a reference label that is an A-label ("xn--..."):
  RFC 6125 6.4.3 only says not to match a wildcard *inside* an A-label, this is a
  further restriction (a wildcard certificate should not vouch for IDN hosts it was not
  issued for). There is no public-suffix list: "*.co.uk" matches "example.co.uk".
- IP references are compared only with iPAddress entries (never with dNSName text or the
  common name, RFC 9525 6.4), by value and version (no IPv4-mapped IPv6 equivalence).
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from ._certificate import Certificate
from ._general_name import DNSName, GeneralName, IPAddress
from ._name import Name

__all__ = [
    "MAX_DNS_NAME_LENGTH",
    "MAX_LABEL_LENGTH",
    "ReferenceIdentity",
    "dns_labels",
    "matches",
    "reference_identity",
    "verify_hostname",
]

#: RFC 1035 2.3.4: 255 octets on the wire, so 253 characters of text (no trailing dot).
MAX_DNS_NAME_LENGTH: Final = 253
#: RFC 1035 2.3.4: labels are 63 octets or less.
MAX_LABEL_LENGTH: Final = 63
#: The longest host text :func:`reference_identity` looks at (a bracketed IPv6 literal
#: or a DNS name with one trailing dot fit).
_MAX_HOST_TEXT: Final = MAX_DNS_NAME_LENGTH + 1

_LDH: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_ACE_PREFIX: Final = "xn--"
# RFC 5891 4.2.3: what a U-label may hold, approximated by general category (letters,
# combining marks, decimal digits); the hyphen is checked separately.
_ULABEL_CATEGORIES: Final = frozenset({"Ll", "Lo", "Lm", "Mn", "Mc", "Nd"})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class ReferenceIdentity:
    """The identity a client expects (RFC 9525 6.1): ``kind`` "DNS" with ``value`` the
    lower-case A-label form without trailing dot, or "IP" with an ``ipaddress`` value."""

    kind: Literal["DNS", "IP"]
    value: str | Address

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def _valid_a_label(label: str) -> bool:
    """RFC 5890 2.3.2.1: an A-label is "xn--" and the punycode of a U-label; it must
    decode, hold a non-ASCII character and encode back to itself (no "fake A-label")."""
    encoded = label[len(_ACE_PREFIX) :].lower()
    try:
        decoded = encoded.encode("ascii").decode("punycode")
        again = decoded.encode("punycode").decode("ascii")
    except (UnicodeError, ValueError, IndexError):
        return False
    return bool(decoded) and not decoded.isascii() and again.lower() == encoded


def _ldh_label(label: str) -> bool:
    """RFC 1034 3.5 / RFC 1123 2.1: 1-63 letters, digits, hyphens, no hyphen at either
    end; an "xn--" label must also be a valid A-label."""
    if not 0 < len(label) <= MAX_LABEL_LENGTH or not set(label) <= _LDH:
        return False
    if label[0] == "-" or label[-1] == "-":
        return False
    if label[:4].lower() == _ACE_PREFIX:
        return _valid_a_label(label)
    return True


def dns_labels(name: str, *, wildcard: bool = False) -> tuple[str, ...] | None:
    """The lower-case labels of *name* if it is a DNS name in preferred name syntax (LDH
    labels, at most 253 characters, no empty label, no trailing dot), else None. With
    *wildcard*, a left-most label that is exactly "*" is allowed (followed by at least one
    label); no other "*" ever is."""
    if not isinstance(name, str) or not name.isascii() or not name:
        return None
    if len(name) > MAX_DNS_NAME_LENGTH:
        return None
    labels = name.lower().split(".")
    start = 1 if wildcard and labels[0] == "*" and len(labels) > 1 else 0
    if not all(_ldh_label(label) for label in labels[start:]):
        return None
    return tuple(labels)


def _u_label_to_a_label(label: str) -> str:
    """A non-ASCII label converted to its A-label (RFC 5891 4.4), after our checks of
    RFC 5891 4.2.3 (see the module docstring); ValueError says what is wrong."""
    text = unicodedata.normalize("NFC", label.lower())
    if len(text) > MAX_LABEL_LENGTH:
        raise ValueError(f"label {label!r} is longer than {MAX_LABEL_LENGTH} characters")
    if text[0] == "-" or text[-1] == "-":
        raise ValueError(f"label {label!r} starts or ends with a hyphen")
    if text[2:4] == "--":  # RFC 5891 4.2.3.1
        raise ValueError(f"U-label {label!r} has '--' in the third and fourth positions")
    if unicodedata.category(text[0]) in ("Mn", "Mc", "Me"):  # RFC 5891 4.2.3.2
        raise ValueError(f"U-label {label!r} starts with a combining mark")
    for ch in text:
        if ch == "-" or (ch.isascii() and ch in _LDH):
            continue
        if ch.isascii() or unicodedata.category(ch) not in _ULABEL_CATEGORIES:
            raise ValueError(f"U-label {label!r}: character {ch!r} is not allowed in a host name")
    return _ACE_PREFIX + text.encode("punycode").decode("ascii")


def _ip_reference(text: str) -> Address | None:
    """The address of an IPv4 dotted quad, an IPv6 literal or a bracketed IPv6 literal;
    None when *text* is not written as an address; ValueError for a malformed one."""
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
    elif ":" in text:
        inner = text
    else:
        try:
            return ipaddress.IPv4Address(text)
        except ValueError:
            return None
    if "%" in inner:
        raise ValueError(f"{text!r}: an IPv6 zone identifier cannot be in a certificate")
    try:
        return ipaddress.IPv6Address(inner)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid IPv6 address") from None


def reference_identity(host: str) -> ReferenceIdentity:
    """The reference identity for *host* (RFC 9525 6.1): an IPv4 dotted quad or IPv6
    literal (with or without brackets) gives an "IP" identity; anything else must be a
    DNS name: one trailing dot removed, lower-cased, U-labels converted to A-labels, every
    label LDH. ValueError, with the reason, for a host that cannot be checked (empty
    label, wildcard, underscore, numeric last label, too long, ...)."""
    if not isinstance(host, str):
        raise TypeError("reference_identity takes a str")
    if not host:
        raise ValueError("empty host name")
    if len(host) > _MAX_HOST_TEXT:
        raise ValueError(f"host name longer than {MAX_DNS_NAME_LENGTH} characters")
    address = _ip_reference(host)
    if address is not None:
        return ReferenceIdentity("IP", address)
    name = host[:-1] if host.endswith(".") else host
    if not name:
        raise ValueError(f"{host!r} is not a host name")
    labels = []
    for label in name.split("."):
        if not label:
            raise ValueError(f"{host!r} has an empty label")
        if "*" in label:
            raise ValueError(f"{host!r}: a reference identity has no wildcard (RFC 9525 6.1)")
        if not label.isascii():
            label = _u_label_to_a_label(label)
        if not _ldh_label(label):
            raise ValueError(
                f"{host!r}: label {label!r} is not a letter-digit-hyphen label of 1 to "
                f"{MAX_LABEL_LENGTH} characters (RFC 1123 2.1) or a valid A-label"
            )
        labels.append(label.lower())
    if labels[-1].isdigit():
        raise ValueError(f"{host!r}: the last label is numeric, which no domain has (RFC 3696 2)")
    out = ".".join(labels)
    if len(out) > MAX_DNS_NAME_LENGTH:
        raise ValueError(f"{host!r} is longer than {MAX_DNS_NAME_LENGTH} characters as A-labels")
    return ReferenceIdentity("DNS", out)


def _dns_match(presented: str, reference: tuple[str, ...]) -> bool:
    """RFC 9525 6.3: label by label, ASCII case-insensitively; a wildcard "*" as the whole
    left-most label (with two or more labels after it) matches exactly one label that is
    not an A-label."""
    labels = dns_labels(presented, wildcard=True)
    if labels is None:
        return False
    if labels[0] != "*":
        return labels == reference
    if len(labels) < 3 or len(labels) != len(reference):
        return False
    if reference[0].startswith(_ACE_PREFIX):
        return False
    return labels[1:] == reference[1:]


def matches(
    identity: ReferenceIdentity,
    san: Sequence[GeneralName] | None,
    subject: Name,
    *,
    allow_common_name: bool = False,
) -> bool:
    """Whether *identity* is among the presented identifiers (RFC 9525 6).

    *san*: the subjectAltName entries, or None when the certificate has no such extension.
    A DNS identity is compared with dNSName entries only, an IP identity with iPAddress
    entries only. With *allow_common_name* and no subjectAltName extension at all, the
    subject's commonName values are compared like dNSName entries (the last resort of
    RFC 6125 6.4.4, which RFC 9525 removes; off by default). An IP identity never matches
    a commonName."""
    if not isinstance(identity, ReferenceIdentity):
        raise TypeError("matches takes a ReferenceIdentity (see reference_identity)")
    if identity.kind == "IP":
        return san is not None and any(
            isinstance(n, IPAddress) and n.value == identity.value for n in san
        )
    assert isinstance(identity.value, str)
    reference = tuple(identity.value.split("."))
    if san is not None:
        presented: Sequence[str] = [n.value for n in san if isinstance(n, DNSName)]
    elif allow_common_name:
        presented = subject.common_names
    else:
        return False
    return any(_dns_match(p, reference) for p in presented)


_SAN_OID: Final = "2.5.29.17"


def verify_hostname(cert: Certificate, host: str, *, allow_common_name: bool = False) -> bool:
    """Whether *cert* is a certificate for *host* (see :func:`matches`). ValueError when
    *host* itself is unusable (see :func:`reference_identity`): that is the caller's
    input, not the peer's."""
    identity = reference_identity(host)
    extension = cert.extensions.subject_alternative_name
    san: Sequence[GeneralName] | None
    if extension is not None:
        san = extension.names
    elif _SAN_OID in cert.extensions:
        san = ()  # present but not understood: still no common name fallback
    else:
        san = None
    return matches(identity, san, cert.subject, allow_common_name=allow_common_name)
