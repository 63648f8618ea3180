"""Name constraints (RFC 5280 4.2.1.10), as path validation applies them (6.1.3 (b), (c)).

:func:`check` tells whether the names of one certificate - its subject and its
subjectAltName entries - are allowed by the nameConstraints of one CA certificate above it.
The path validator calls it once per (constraining CA, certificate below it) pair instead
of intersecting subtrees, which gives the same answer: a name is allowed by the
intersection of permitted subtrees exactly when every CA's permitted subtrees allow it.

The rules, per name form (a name is only compared with constraints of its own form):

- excluded: a name within any excluded subtree is a violation;
- permitted: when the CA has at least one permitted subtree of the form, the name must be
  within one of them; a form without permitted subtrees is unconstrained;
- a malformed name, or a malformed constraint of the form, is a violation as soon as the
  certificate has a name of that form (it cannot be checked); a form we cannot evaluate
  (otherName, registeredID, x400Address, ediPartyName) likewise is a violation when the
  CA constrains it and the certificate has such a name ("the application MUST either
  process the constraint or reject the certificate"). Constraints of a form the
  certificate has no name of are ignored, malformed or not.

Forms:

- dNSName: "example.com" allows example.com and any name made by adding labels on the
  left, not "badexample.com"; "" allows everything; case-insensitive. A constraint with a
  leading dot (".example.com") is not a DNS name and so is malformed (RFC 5280 gives the
  leading-dot form to URIs and mail domains only; x509-limbo's
  ``rfc5280::nc::invalid-dnsname-leading-period`` expects this); ``leading_dot_dns=True``
  reads it the OpenSSL/Go way instead, as "subdomains only". A wildcard subjectAltName
  "*.example.com" is within a permitted subtree only if all the names it stands for are
  ("*" taken as one label: within "example.com", not within "foo.example.com"), and in an
  excluded subtree if any of them may be (so "bar.example.com" excludes it:
  CVE-2025-61727). When a certificate has no subjectAltName extension, each subject
  commonName that looks like a host name (a valid DNS name of two or more labels whose
  last label is not numeric) is checked as a dNSName too, as browsers and BetterTLS do.
- rfc822Name: "user@host" is that mailbox (local part case-sensitive, compared as
  written), "host" every mailbox at that host, ".example.com" every mailbox in a
  subdomain of example.com, "" every mailbox. emailAddress attributes of the subject are
  checked as rfc822Names (4.2.1.10 "MUST"). A mailbox is a dot-atom or quoted-string local
  part, "@", and an LDH domain (RFC 5321 4.1.2); anything else is malformed.
- iPAddress: the address is within the constraint's network of the same IP version.
- directoryName: the subject (when not empty) and each directoryName entry must have the
  constraint's RDNs as a prefix, compared by the RFC 5280 7.1 rules.
- uniformResourceIdentifier: the host of the URI's authority (RFC 3986 3.2.2) against a
  host ("host.example.com": exactly that host) or a domain (".example.com": its
  subdomains); a URI without a host, or with an IP literal host, cannot be checked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from asn1 import OID

from ._extension_values import NameConstraints
from ._general_name import (
    URI,
    DirectoryName,
    DNSName,
    EDIPartyName,
    GeneralName,
    IPAddress,
    IPNetwork,
    OtherName,
    RegisteredID,
    RFC822Name,
    X400Address,
)
from ._hostname import dns_labels
from ._name import Name

__all__ = [
    "EMAIL_ADDRESS",
    "MAX_CONSTRAINT_CHECKS",
    "check",
    "within_directory",
    "within_dns",
    "within_email",
    "within_ip",
    "within_uri",
]

#: The emailAddress attribute type (PKCS #9), checked as an rfc822Name (RFC 5280 4.2.1.10).
EMAIL_ADDRESS: Final = OID("1.2.840.113549.1.9.1")
#: At most this many (name, constraint) comparisons per call of :func:`check`; more is a
#: violation, so that a hostile CA and leaf cannot make validation quadratic and slow.
MAX_CONSTRAINT_CHECKS: Final = 1 << 18

Labels = tuple[str, ...]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# --- DNS names ------------------------------------------------------------------------------


# How a domain constraint reaches: the name and everything below it (dNSName), only what
# is below it (".example.com" in rfc822Name and URI constraints), or the host itself
# ("host.example.com" in rfc822Name and URI constraints).
_TREE: Final = 0
_BELOW: Final = 1
_HOST: Final = 2


@dataclass(frozen=True, slots=True)
class _Domain:
    """A parsed domain constraint: its labels ("" is no label at all: everything) and its
    reach (_TREE, _BELOW or _HOST)."""

    labels: Labels
    reach: int = _TREE


def _domain_within(labels: Labels, base: _Domain) -> bool:
    n = len(base.labels)
    if n == 0:
        return True
    if base.reach == _HOST:
        return labels == base.labels
    if len(labels) < n + (base.reach == _BELOW):
        return False
    return labels[-n:] == base.labels


def _dns_name(text: str) -> Labels | None:
    """A dNSName to be constrained: LDH labels, a left-most "*" allowed."""
    return dns_labels(text, wildcard=True)


def _domain_base(text: str, name_reach: int, leading_dot: bool) -> _Domain | None:
    """A domain constraint: "" (everything), a DNS name (reaching *name_reach*), or -
    when *leading_dot* allows it - ".name" (only what is below the name)."""
    if text == "":
        return _Domain(())
    if text.startswith("."):
        if not leading_dot:
            return None
        labels = dns_labels(text[1:])
        return None if labels is None else _Domain(labels, _BELOW)
    labels = dns_labels(text)
    return None if labels is None else _Domain(labels, name_reach)


def _dns_base(text: str, leading_dot: bool) -> _Domain | None:
    """A dNSName constraint: "" (everything) or a DNS name and the names below it;
    ".name" only with *leading_dot*."""
    return _domain_base(text, _TREE, leading_dot)


def _dns_excluded(labels: Labels, base: _Domain) -> bool:
    """Whether a name *might* be in the excluded subtree: within it, or - for a wildcard
    name "*.rest" - when some single label x makes "x.rest" within it, i.e. the subtree's
    name is "x.rest" itself (CVE-2025-61727: a wildcard must not cover an excluded host)."""
    if _domain_within(labels, base):
        return True
    return (
        labels[0] == "*"
        and base.reach == _TREE
        and len(base.labels) == len(labels)
        and base.labels[1:] == labels[1:]
    )


def within_dns(name: str, base: str, *, leading_dot: bool = False) -> bool:
    """Whether the dNSName *name* is within the dNSName constraint *base* (RFC 5280
    4.2.1.10: *name* is *base* with zero or more labels added on the left; "" contains
    everything; case-insensitive). A wildcard *name* counts "*" as one label. False when
    either is malformed (see the module docstring for *leading_dot*)."""
    labels = _dns_name(name)
    domain = _dns_base(base, leading_dot)
    return labels is not None and domain is not None and _domain_within(labels, domain)


# --- mailboxes -------------------------------------------------------------------------------

# RFC 5322 3.2.3 atext, the characters of a dot-atom local part.
_ATEXT: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"
)
#: RFC 5321 4.5.3.1.1: a local part is at most 64 octets.
_MAX_LOCAL_PART: Final = 64


def _local_part_end(text: str) -> int | None:
    """The length of the RFC 5321 4.1.2 Local-part at the start of *text* (a Dot-string,
    or a Quoted-string of printable ASCII with backslash quoted-pairs), None if there is
    none."""
    if text.startswith('"'):
        i = 1
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                if i + 1 >= len(text) or not " " <= text[i + 1] <= "~":
                    return None
                i += 2
                continue
            if ch == '"':
                return i + 1
            if not " " <= ch <= "~":
                return None
            i += 1
        return None
    end = text.find("@")
    local = text if end < 0 else text[:end]
    atoms = local.split(".")
    if not all(atom and set(atom) <= _ATEXT for atom in atoms):
        return None
    return len(local)


@dataclass(frozen=True, slots=True)
class _Mailbox:
    local: str
    domain: Labels


def _mailbox(text: str) -> _Mailbox | None:
    """A mailbox "local@domain" (RFC 5321 4.1.2) with an LDH domain, else None (address
    literals and internationalised local parts - SmtpUTF8Mailbox, RFC 8398, an otherName -
    are not rfc822Names we can check)."""
    if not isinstance(text, str) or not text.isascii():
        return None
    end = _local_part_end(text)
    if end is None or end > _MAX_LOCAL_PART or text[end : end + 1] != "@":
        return None
    domain = dns_labels(text[end + 1 :])
    return None if domain is None else _Mailbox(text[:end], domain)


@dataclass(frozen=True, slots=True)
class _MailBase:
    """An rfc822Name constraint: one mailbox, or a host / domain (``domain``)."""

    mailbox: _Mailbox | None
    domain: _Domain | None


def _mail_base(text: str) -> _MailBase | None:
    if text == "":
        return _MailBase(None, _Domain(()))
    if "@" in text:
        mailbox = _mailbox(text)
        return None if mailbox is None else _MailBase(mailbox, None)
    domain = _domain_base(text, _HOST, leading_dot=True)
    return None if domain is None else _MailBase(None, domain)


def _mail_within(name: _Mailbox, base: _MailBase) -> bool:
    if base.mailbox is not None:
        return name == base.mailbox  # local part as written, domain lower-cased
    assert base.domain is not None
    return _domain_within(name.domain, base.domain)


def within_email(name: str, base: str) -> bool:
    """Whether the mailbox *name* is within the rfc822Name constraint *base* (RFC 5280
    4.2.1.10: "user@host" one mailbox, "host" all mailboxes on the host, ".example.com"
    all mailboxes in subdomains, "" all). False when either is malformed."""
    mailbox = _mailbox(name)
    parsed = _mail_base(base) if isinstance(base, str) else None
    return mailbox is not None and parsed is not None and _mail_within(mailbox, parsed)


# --- IP addresses, directory names ------------------------------------------------------------


def within_ip(addr: Address, net: Network) -> bool:
    """Whether *addr* is in *net*; an IPv4 network never contains an IPv6 address nor the
    reverse (RFC 5280 4.2.1.10)."""
    return addr.version == net.version and addr in net


def within_directory(name: Name, base: Name) -> bool:
    """Whether the distinguished name *name* is within the subtree *base*: the RDNs of
    *base* begin those of *name*, compared by the RFC 5280 7.1 rules (an empty *base*
    contains every name)."""
    prefix = base.key
    return name.key[: len(prefix)] == prefix


# --- URIs ------------------------------------------------------------------------------------

_SCHEME_FIRST: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SCHEME_REST: Final = _SCHEME_FIRST | frozenset("0123456789+-.")


def _uri_host(uri: str) -> Labels | None:
    """The labels of the reg-name host of *uri* (RFC 3986 3: scheme ":" "//" authority,
    authority = [ userinfo "@" ] host [ ":" port ]); None without an authority, with an
    IP literal or IPv4 host, or with a host that is not an LDH DNS name."""
    if not isinstance(uri, str) or not uri.isascii():
        return None
    colon = uri.find(":")
    scheme = uri[:colon]
    if colon <= 0 or scheme[0] not in _SCHEME_FIRST or not set(scheme) <= _SCHEME_REST:
        return None
    rest = uri[colon + 1 :]
    if not rest.startswith("//"):
        return None
    authority = rest[2:]
    for stop in "/?#":
        authority = authority.split(stop, 1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        return None
    host, _, port = host.partition(":")
    if port and not port.isdigit():
        return None
    labels = dns_labels(host)
    if labels is None or labels[-1].isdigit():
        return None
    return labels


def _uri_base(text: str) -> _Domain | None:
    """A URI constraint (RFC 5280 4.2.1.10): "" (all), a host, or ".domain"."""
    return _domain_base(text, _HOST, leading_dot=True)


def within_uri(uri: str, base: str) -> bool:
    """Whether the host of *uri* is within the URI constraint *base* ("host.example.com":
    exactly that host; ".example.com": any host in that domain; "" any host). False when
    the URI has no checkable host or *base* is malformed."""
    host = _uri_host(uri)
    domain = _uri_base(base) if isinstance(base, str) else None
    return host is not None and domain is not None and _domain_within(host, domain)


# --- the check -------------------------------------------------------------------------------

N = TypeVar("N")
B = TypeVar("B")


@dataclass(frozen=True, slots=True)
class _Form(Generic[N, B]):
    """How one name form is checked: parse a name, parse a constraint, and the two
    relations (excluded may be wider than within: see _dns_excluded)."""

    name: Callable[[GeneralName], N | None]
    base: Callable[[GeneralName], B | None]
    within: Callable[[N, B], bool]
    excluded: Callable[[N, B], bool]


def _text_of(kind: type[DNSName | RFC822Name | URI]) -> Callable[[GeneralName], str | None]:
    def text(g: GeneralName) -> str | None:
        return g.value if isinstance(g, kind) else None

    return text


def _then(
    first: Callable[[GeneralName], str | None], parse: Callable[[str], N | None]
) -> Callable[[GeneralName], N | None]:
    def run(g: GeneralName) -> N | None:
        text = first(g)
        return None if text is None else parse(text)

    return run


def _address(g: GeneralName) -> Address | None:
    return g.value if isinstance(g, IPAddress) else None


def _network(g: GeneralName) -> Network | None:
    return g.value if isinstance(g, IPNetwork) else None


def _directory(g: GeneralName) -> Name | None:
    return g.value if isinstance(g, DirectoryName) else None


_DNS: Final[_Form[Labels, _Domain]] = _Form(
    _then(_text_of(DNSName), _dns_name),
    _then(_text_of(DNSName), lambda t: _dns_base(t, leading_dot=False)),
    _domain_within,
    _dns_excluded,
)
_DNS_LEADING_DOT: Final[_Form[Labels, _Domain]] = _Form(
    _DNS.name,
    _then(_text_of(DNSName), lambda t: _dns_base(t, leading_dot=True)),
    _domain_within,
    _dns_excluded,
)
_EMAIL: Final[_Form[_Mailbox, _MailBase]] = _Form(
    _then(_text_of(RFC822Name), _mailbox),
    _then(_text_of(RFC822Name), _mail_base),
    _mail_within,
    _mail_within,
)
_URI: Final[_Form[Labels, _Domain]] = _Form(
    _then(_text_of(URI), _uri_host),
    _then(_text_of(URI), _uri_base),
    _domain_within,
    _domain_within,
)
_IP: Final[_Form[Address, Network]] = _Form(_address, _network, within_ip, within_ip)
_DN: Final[_Form[Name, Name]] = _Form(_directory, _directory, within_directory, within_directory)


# The name form of each GeneralName alternative (IPAddress and IPNetwork are both iPAddress).
_KIND: Final[dict[type, str]] = {
    DNSName: "DNS",
    RFC822Name: "email",
    URI: "URI",
    IPAddress: "IP",
    IPNetwork: "IP",
    DirectoryName: "DirName",
    OtherName: "otherName",
    RegisteredID: "registeredID",
    X400Address: "x400Address",
    EDIPartyName: "ediPartyName",
}
_ORDER: Final = tuple(dict.fromkeys(_KIND.values()))


@dataclass(frozen=True, slots=True)
class _Subject:
    """One name to check: the GeneralName to compare and how to name it in a reason."""

    name: GeneralName
    label: str


def _looks_like_host(text: str) -> bool:
    labels = dns_labels(text, wildcard=True)
    return labels is not None and len(labels) >= 2 and not labels[-1].isdigit()


def _names(subject: Name, san: Sequence[GeneralName] | None) -> dict[str, list[_Subject]]:
    """The names of a certificate by form: the subjectAltName entries, the subject (when
    not empty) as a directoryName, its emailAddress attributes as rfc822Names, and -
    without a subjectAltName extension - its host-like commonNames as dNSNames."""
    out: dict[str, list[_Subject]] = {kind: [] for kind in _ORDER}
    if subject:
        out["DirName"].append(_Subject(DirectoryName(subject), f"subject {subject}"))
    for attribute in subject.attributes:
        if attribute.oid == EMAIL_ADDRESS:
            # A non-string value cannot be a mailbox: "" is malformed, as it should be.
            out["email"].append(_Subject(RFC822Name(attribute.value or ""), f"subject {attribute}"))
    if san is None:
        for cn in subject.common_names:
            if _looks_like_host(cn):
                out["DNS"].append(_Subject(DNSName(cn), f"DNS:{cn} (subject commonName)"))
    else:
        for name in san:
            out[_KIND[type(name)]].append(_Subject(name, str(name)))
    return out


def _violation(
    form: _Form[N, B],
    kind: str,
    subjects: Sequence[_Subject],
    permitted: Sequence[GeneralName],
    excluded: Sequence[GeneralName],
) -> str | None:
    """The first violation of the constraints of one name form, or None."""
    permitted_bases = [(c, form.base(c)) for c in permitted]
    excluded_bases = [(c, form.base(c)) for c in excluded]
    checked_permitted: list[tuple[GeneralName, B]] = []
    checked_excluded: list[tuple[GeneralName, B]] = []
    for bases, out in ((permitted_bases, checked_permitted), (excluded_bases, checked_excluded)):
        for c, b in bases:
            if b is None:
                return f"malformed name constraint {c} for {subjects[0].label}"
            out.append((c, b))
    for s in subjects:
        parsed = form.name(s.name)
        if parsed is None:
            return f"{s.label} is malformed and cannot be checked against {kind} constraints"
        for c, b in checked_excluded:
            if form.within(parsed, b):
                return f"{s.label} is in excluded subtree {c}"
            if form.excluded(parsed, b):
                return f"{s.label} may stand for a name in excluded subtree {c}"
        if checked_permitted and not any(form.within(parsed, b) for _, b in checked_permitted):
            allowed = ", ".join(str(c) for c, _ in checked_permitted)
            return f"{s.label} is not in any permitted subtree ({allowed})"
    return None


def check(
    constraints: NameConstraints,
    subject: Name,
    san: Sequence[GeneralName] | None,
    *,
    leading_dot_dns: bool = False,
) -> str | None:
    """None when the names of a certificate (its *subject* and its subjectAltName entries
    *san*, None without that extension) are allowed by *constraints* (RFC 5280 4.2.1.10,
    6.1.3 (b) and (c)); otherwise a short reason naming the name and the rule, e.g.
    "DNS:foo.bad.com is in excluded subtree DNS:bad.com". See the module docstring for
    the rules of each name form; *leading_dot_dns* reads a dNSName constraint
    ".example.com" as "subdomains of example.com" instead of as malformed."""
    if not isinstance(constraints, NameConstraints):
        raise TypeError("check takes a NameConstraints value")
    permitted_all = constraints.permitted or ()
    excluded_all = constraints.excluded or ()
    names = _names(subject, san)
    budget = MAX_CONSTRAINT_CHECKS
    for kind in _ORDER:
        subjects = names[kind]
        if not subjects:
            continue
        permitted = [c for c in permitted_all if _KIND[type(c)] == kind]
        excluded = [c for c in excluded_all if _KIND[type(c)] == kind]
        if not permitted and not excluded:
            continue
        budget -= len(subjects) * (len(permitted) + len(excluded))
        if budget < 0:
            return f"more than {MAX_CONSTRAINT_CHECKS} name constraint comparisons"
        if kind == "DNS":
            reason = _violation(
                _DNS_LEADING_DOT if leading_dot_dns else _DNS, kind, subjects, permitted, excluded
            )
        elif kind == "email":
            reason = _violation(_EMAIL, kind, subjects, permitted, excluded)
        elif kind == "URI":
            reason = _violation(_URI, kind, subjects, permitted, excluded)
        elif kind == "IP":
            reason = _violation(_IP, kind, subjects, permitted, excluded)
        elif kind == "DirName":
            reason = _violation(_DN, kind, subjects, permitted, excluded)
        else:
            reason = (
                f"{subjects[0].label}: {kind} name constraints cannot be checked "
                "(RFC 5280 4.2.1.10: process the constraint or reject the certificate)"
            )
        if reason is not None:
            return reason
    return None
