"""Name constraints (x509._constraints, RFC 5280 4.2.1.10): the relation of each name form,
check() on whole certificates' names, properties, ``openssl verify`` as a differential
oracle, and the name-constraint testcases of x509-limbo (RFC 5280, CVE-2025-61727 and a
sample of BetterTLS) evaluated on their chains."""

from __future__ import annotations

import gzip
import ipaddress
import json
import shutil
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import x509
from asn1 import OID
from nocrypto import ec
from x509._constraints import (
    MAX_CONSTRAINT_CHECKS,
    check,
    within_directory,
    within_dns,
    within_email,
    within_ip,
    within_uri,
)
from x509._hostname import verify_hostname

ROOT_KEY = ec.ECPrivateKey.from_bytes(ec.P256, bytes(range(1, 33)))
LEAF_KEY = ec.ECPrivateKey.from_bytes(ec.P256, bytes(range(2, 34)))
OPENSSL = shutil.which("openssl")
LIMBO = Path("/work/shared/vectors/x509-limbo/limbo.json.gz")
NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2040, 1, 1, tzinfo=UTC)
AT = datetime(2030, 1, 1, tzinfo=UTC)

net = ipaddress.ip_network
addr = ipaddress.ip_address
name = x509.Name.from_rfc4514


# --- the relations of each form ----------------------------------------------------------


@pytest.mark.parametrize(
    "dns,base,expected",
    [
        ("example.com", "example.com", True),
        ("www.example.com", "example.com", True),
        ("a.b.c.example.com", "example.com", True),
        ("badexample.com", "example.com", False),
        ("example.com", "www.example.com", False),
        ("example.org", "example.com", False),
        ("com", "example.com", False),
        ("WWW.Example.COM", "example.COM", True),
        ("anything.example", "", True),
        ("*.example.com", "example.com", True),  # "*" counts as one label
        ("*.example.com", "foo.example.com", False),
        ("*.foo.example.com", "foo.example.com", True),
        ("example.com", ".example.com", False),  # a leading dot: malformed constraint
        ("www.example.com", ".example.com", False),
        ("www.example.com", "*.example.com", False),  # a wildcard constraint: malformed
        ("www.example.com", "example.com.", False),
        ("www.example.com", "exa mple.com", False),
        (".example.com", "example.com", False),  # malformed names are never within
        ("www..example.com", "example.com", False),
        ("foo_bar.example.com", "example.com", False),
        ("f*.example.com", "example.com", False),
        ("www.example.com.", "example.com", False),
        ("", "", False),
        ("xn--bcher-kva.example", "example", True),
        ("xn--zz.example", "example", False),  # not an A-label
    ],
)
def test_within_dns(dns: str, base: str, expected: bool) -> None:
    assert within_dns(dns, base) is expected


@pytest.mark.parametrize(
    "dns,base,expected",
    [
        ("www.example.com", ".example.com", True),
        ("a.b.example.com", ".example.com", True),
        ("example.com", ".example.com", False),
        ("badexample.com", ".example.com", False),
        ("www.example.com", "..example.com", False),
    ],
)
def test_within_dns_leading_dot_compatibility(dns: str, base: str, expected: bool) -> None:
    assert within_dns(dns, base, leading_dot=True) is expected
    assert not within_dns(dns, base)


@pytest.mark.parametrize(
    "mail,base,expected",
    [
        ("user@example.com", "user@example.com", True),
        ("user@EXAMPLE.com", "user@example.COM", True),  # domain: case-insensitive
        ("User@example.com", "user@example.com", False),  # local part: case-sensitive
        ("other@example.com", "user@example.com", False),
        ("user@example.com", "example.com", True),  # a host: every mailbox on it
        ("user@mail.example.com", "example.com", False),
        ("user@mail.example.com", ".example.com", True),  # a domain: its subdomains
        ("user@example.com", ".example.com", False),
        ("user@badexample.com", ".example.com", False),
        ("user@example.com", "", True),
        ("*@example.com", "*@example.com", True),  # "*" is a literal character
        ("user@example.com", "*@example.com", False),
        ("**@example.com", "*@example.com", False),
        ("first.last@example.com", "example.com", True),
        ('"quoted@local"@example.com', "example.com", True),
        ('"a\\"b"@example.com', '"a\\"b"@example.com', True),
        ("invalid@address@example.com", "example.com", False),
        ("user@example.com", "invalid@invalid@example.com", False),
        ("@example.com", "example.com", False),
        ("user@", "example.com", False),
        (".user@example.com", "example.com", False),
        ("us..er@example.com", "example.com", False),
        ("user@[192.0.2.1]", "example.com", False),
        ("üser@example.com", "example.com", False),
        ("x" * 65 + "@example.com", "example.com", False),
        ("user example.com", "example.com", False),
    ],
)
def test_within_email(mail: str, base: str, expected: bool) -> None:
    assert within_email(mail, base) is expected


@pytest.mark.parametrize(
    "address,network,expected",
    [
        ("192.0.2.1", "192.0.2.0/24", True),
        ("192.0.2.255", "192.0.2.0/24", True),
        ("192.0.3.1", "192.0.2.0/24", False),
        ("10.1.2.3", "0.0.0.0/0", True),
        ("192.0.2.1", "192.0.2.1/32", True),
        ("::1", "::1/128", True),
        ("2001:db8::5", "2001:db8::/32", True),
        ("2001:db9::5", "2001:db8::/32", False),
        ("::1", "0.0.0.0/0", False),  # versions never mix
        ("::ffff:192.0.2.1", "192.0.2.0/24", False),
        ("192.0.2.1", "::/0", False),
    ],
)
def test_within_ip(address: str, network: str, expected: bool) -> None:
    assert within_ip(addr(address), net(network)) is expected


@pytest.mark.parametrize(
    "dn,base,expected",
    [
        ("CN=leaf,O=Example,C=DE", "O=Example,C=DE", True),
        ("CN=leaf,O=Example,C=DE", "C=DE", True),
        ("CN=leaf,O=Example,C=DE", "CN=leaf,O=Example,C=DE", True),
        ("CN=leaf,O=Example,C=DE", "", True),
        ("CN=leaf,O=Example,C=DE", "O=Other,C=DE", False),
        ("CN=leaf,O=Example,C=DE", "CN=leaf", False),  # a prefix, not a suffix
        ("O=Example,C=DE", "CN=leaf,O=Example,C=DE", False),
        ("CN=leaf,O=  EXAMPLE ,C=de", "O=example,C=DE", True),  # RFC 5280 7.1 folding
        ("CN=leaf,O=Example+OU=Unit,C=DE", "OU=Unit+O=Example,C=DE", True),
        ("CN=leaf,O=Example+OU=Unit,C=DE", "O=Example,C=DE", False),  # RDN sets differ
        ("CN=foo", "CN=not-foo", False),
    ],
)
def test_within_directory(dn: str, base: str, expected: bool) -> None:
    assert within_directory(name(dn), name(base)) is expected


@pytest.mark.parametrize(
    "uri,base,expected",
    [
        ("https://host.example.com/path", "host.example.com", True),
        ("https://www.host.example.com/", "host.example.com", False),  # a host: exactly
        ("https://www.example.com/", ".example.com", True),
        ("https://a.b.example.com", ".example.com", True),
        ("https://example.com/", ".example.com", False),
        ("https://badexample.com/", ".example.com", False),
        ("HTTPS://WWW.EXAMPLE.COM/", ".example.com", True),
        ("https://user:pw@host.example.com:8443/p?q#f", "host.example.com", True),
        ("https://host.example.com?x=@evil.com", "host.example.com", True),
        ("https://evil.com#@host.example.com", "host.example.com", False),
        ("https://host.example.com:abc/", "host.example.com", False),
        ("ldap://host.example.com/cn=x", "", True),
        ("https://192.0.2.1/", ".example.com", False),
        ("https://[::1]/", ".example.com", False),
        ("mailto:user@host.example.com", "host.example.com", False),  # no authority
        ("urn:example:host.example.com", "host.example.com", False),
        ("host.example.com", "host.example.com", False),  # not a URI
        ("https:///path", "", False),
        ("https://host%2eexample.com/", "host.example.com", False),
        ("1https://host.example.com/", "host.example.com", False),
    ],
)
def test_within_uri(uri: str, base: str, expected: bool) -> None:
    assert within_uri(uri, base) is expected


# --- check() ---------------------------------------------------------------------------------

DNS, IP, URI, EMAIL = x509.DNSName, x509.IPAddress, x509.URI, x509.RFC822Name
SUBJECT = name("CN=leaf,O=nqsb tests")


def nc(
    permitted: Sequence[x509.GeneralName] | None = None,
    excluded: Sequence[x509.GeneralName] | None = None,
) -> x509.NameConstraints:
    return x509.NameConstraints(
        None if permitted is None else tuple(permitted),
        None if excluded is None else tuple(excluded),
    )


OTHER = x509.OtherName(OID("1.3.6.1.4.1.55738.666.1"), b"\x05\x00")

CHECK_TABLE: list[
    tuple[str, x509.NameConstraints, x509.Name, list[x509.GeneralName] | None, str | None]
] = [
    ("dns permitted", nc([DNS("example.com")]), SUBJECT, [DNS("www.example.com")], None),
    (
        "dns not permitted",
        nc([DNS("example.com")]),
        SUBJECT,
        [DNS("www.example.com"), DNS("example.org")],
        "DNS:example.org is not in any permitted subtree (DNS:example.com)",
    ),
    (
        "dns excluded",
        nc(None, [DNS("bad.com")]),
        SUBJECT,
        [DNS("foo.bad.com")],
        "DNS:foo.bad.com is in excluded subtree DNS:bad.com",
    ),
    (
        "excluded wins over permitted",
        nc([DNS("example.com")], [DNS("example.com")]),
        SUBJECT,
        [DNS("example.com")],
        "excluded subtree DNS:example.com",
    ),
    ("two permitted, one fits", nc([DNS("a.com"), DNS("b.com")]), SUBJECT, [DNS("x.b.com")], None),
    ("other type unconstrained", nc([IP(addr("192.0.2.1"))]), SUBJECT, [DNS("x.com")], None),
    (
        "ip permitted",
        nc([x509.IPNetwork(net("192.0.2.0/24"))]),
        SUBJECT,
        [IP(addr("192.0.2.7"))],
        None,
    ),
    (
        "ipv6 against ipv4 permitted",
        nc([x509.IPNetwork(net("192.0.2.0/24"))]),
        SUBJECT,
        [IP(addr("::1"))],
        "IP Address:::1 is not in any permitted subtree (IP:192.0.2.0/24)",
    ),
    (
        "ip excluded",
        nc(None, [x509.IPNetwork(net("::1/128"))]),
        SUBJECT,
        [IP(addr("::1"))],
        "IP Address:::1 is in excluded subtree IP:::1/128",
    ),
    (
        "an IP network in a SAN is malformed",
        nc([x509.IPNetwork(net("192.0.2.0/24"))]),
        SUBJECT,
        [x509.IPNetwork(net("192.0.2.0/24"))],
        "malformed",
    ),
    (
        "an IP address as a constraint is malformed",
        nc([IP(addr("192.0.2.1"))]),
        SUBJECT,
        [IP(addr("192.0.2.1"))],
        "malformed name constraint",
    ),
    (
        "wildcard covers an excluded host (CVE-2025-61727)",
        nc(None, [DNS("bar.example.com")]),
        SUBJECT,
        [DNS("*.example.com")],
        "DNS:*.example.com may stand for a name in excluded subtree DNS:bar.example.com",
    ),
    (
        "wildcard wider than the permitted host",
        nc([DNS("foo.example.com")]),
        SUBJECT,
        [DNS("*.example.com")],
        "not in any permitted subtree",
    ),
    (
        "wildcard inside the permitted domain",
        nc([DNS("foo.com")]),
        SUBJECT,
        [DNS("*.foo.com")],
        None,
    ),
    (
        "wildcard misses a deeper excluded host",
        nc(None, [DNS("a.b.example.com")]),
        SUBJECT,
        [DNS("*.example.com")],
        None,
    ),
    (
        "wildcard in excluded domain",
        nc(None, [DNS("example.com")]),
        SUBJECT,
        [DNS("*.example.com")],
        "in excluded subtree DNS:example.com",
    ),
    (
        "malformed dns san",
        nc([DNS("example.com")]),
        SUBJECT,
        [DNS(".example.com")],
        "DNS:.example.com is malformed",
    ),
    (
        "malformed dns san, no dns constraints",
        nc([IP(addr("1.2.3.4"))]),
        SUBJECT,
        [DNS("a b")],
        None,
    ),
    (
        "leading-dot dns constraint is malformed",
        nc([DNS(".example.com")]),
        SUBJECT,
        [DNS("www.example.com")],
        "malformed name constraint DNS:.example.com",
    ),
    (
        "malformed constraint, no name of its form",
        nc(None, [DNS("*.x.com")]),
        SUBJECT,
        [EMAIL("a@b.com")],
        None,
    ),
    (
        "empty dns constraint excludes all",
        nc(None, [DNS("")]),
        SUBJECT,
        [DNS("a.com")],
        "excluded subtree DNS:",
    ),
    ("email host", nc([EMAIL("example.com")]), SUBJECT, [EMAIL("a@example.com")], None),
    (
        "email wrong host",
        nc([EMAIL("example.com")]),
        SUBJECT,
        [EMAIL("a@sub.example.com")],
        "email:a@sub.example.com is not in any permitted subtree",
    ),
    (
        "email malformed constraint",
        nc([EMAIL("invalid@invalid@example.com")]),
        SUBJECT,
        [EMAIL("a@example.com")],
        "malformed name constraint email:invalid@invalid@example.com",
    ),
    (
        "subject emailAddress checked as rfc822Name",
        nc([EMAIL("example.com")]),
        name("CN=leaf,emailAddress=a@other.com"),
        [DNS("x.com")],
        "subject emailAddress=a@other.com is not in any permitted subtree",
    ),
    (
        "subject emailAddress excluded",
        nc(None, [EMAIL(".bad.com")]),
        name("emailAddress=a@x.bad.com"),
        None,
        "in excluded subtree email:.bad.com",
    ),
    ("uri domain", nc([URI(".example.com")]), SUBJECT, [URI("https://www.example.com/")], None),
    (
        "uri without host",
        nc([URI(".example.com")]),
        SUBJECT,
        [URI("urn:isbn:0451450523")],
        "URI:urn:isbn:0451450523 is malformed",
    ),
    (
        "uri excluded host",
        nc(None, [URI("evil.com")]),
        SUBJECT,
        [URI("http://evil.com:80/")],
        "in excluded subtree URI:evil.com",
    ),
    ("dirname permitted", nc([x509.DirectoryName(name("O=nqsb tests"))]), SUBJECT, None, None),
    (
        "dirname subject not permitted",
        nc([x509.DirectoryName(name("O=other"))]),
        SUBJECT,
        None,
        "subject CN=leaf,O=nqsb tests is not in any permitted subtree (DirName:O=other)",
    ),
    (
        "dirname SAN checked as well as the subject",
        nc([x509.DirectoryName(name("O=nqsb tests"))]),
        SUBJECT,
        [x509.DirectoryName(name("CN=x,O=other"))],
        "DirName:CN=x,O=other is not in any permitted subtree",
    ),
    (
        "empty subject is not checked",
        nc([x509.DirectoryName(name("O=x"))]),
        x509.Name(),
        [DNS("a.com")],
        None,
    ),
    (
        "dirname excluded",
        nc(None, [x509.DirectoryName(name("CN=foo"))]),
        name("CN=foo"),
        [DNS("a.com")],
        "subject CN=foo is in excluded subtree DirName:CN=foo",
    ),
    (
        "common name checked as DNS without SAN",
        nc([DNS("example.com")]),
        name("CN=www.evil.com,O=x"),
        None,
        "DNS:www.evil.com (subject commonName) is not in any permitted subtree",
    ),
    (
        "common name not checked with a SAN",
        nc([DNS("example.com")]),
        name("CN=www.evil.com"),
        [],
        None,
    ),
    (
        "single-label common name is not a host",
        nc([DNS("example.com")]),
        name("CN=Intermediate"),
        None,
        None,
    ),
    (
        "common name with spaces is not a host",
        nc([DNS("example.com")]),
        name("CN=Test CA 1.0"),
        None,
        None,
    ),
    (
        "numeric common name is not a host",
        nc([DNS("example.com")]),
        name("CN=192.0.2.1"),
        None,
        None,
    ),
    (
        "wildcard common name",
        nc(None, [DNS("bar.example.com")]),
        name("CN=*.example.com"),
        None,
        "may stand for a name in excluded subtree",
    ),
    (
        "otherName constrained and present",
        nc(None, [OTHER]),
        SUBJECT,
        [DNS("a.com"), OTHER],
        "otherName name constraints cannot be checked",
    ),
    ("otherName constrained, not present", nc(None, [OTHER]), SUBJECT, [DNS("a.com")], None),
    (
        "otherName present, not constrained",
        nc([DNS("a.com")]),
        SUBJECT,
        [DNS("a.com"), OTHER],
        None,
    ),
    (
        "registeredID constrained and present",
        nc([x509.RegisteredID(OID("1.2.3"))]),
        SUBJECT,
        [x509.RegisteredID(OID("1.2.3"))],
        "registeredID name constraints cannot be checked",
    ),
]


@pytest.mark.parametrize(
    "constraints,subject,san,reason",
    [row[1:] for row in CHECK_TABLE],
    ids=[row[0] for row in CHECK_TABLE],
)
def test_check(
    constraints: x509.NameConstraints,
    subject: x509.Name,
    san: list[x509.GeneralName] | None,
    reason: str | None,
) -> None:
    got = check(constraints, subject, san)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got, got


def test_check_leading_dot_compatibility() -> None:
    constraints = nc([DNS(".example.com")])
    assert check(constraints, SUBJECT, [DNS("www.example.com")], leading_dot_dns=True) is None
    assert check(constraints, SUBJECT, [DNS("example.com")], leading_dot_dns=True)
    assert check(constraints, SUBJECT, [DNS("www.example.com")])


def test_check_limits_the_work() -> None:
    permitted = [DNS(f"p{i}.example") for i in range(600)]
    san = [DNS(f"host{i}.p599.example") for i in range(MAX_CONSTRAINT_CHECKS // 600 + 1)]
    reason = check(nc(permitted), SUBJECT, san)
    assert reason is not None and "comparisons" in reason
    assert check(nc(permitted), SUBJECT, san[:100]) is None


def test_check_types() -> None:
    with pytest.raises(TypeError):
        check(None, SUBJECT, [])  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
label = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
    st.text(LETTERS + "-", max_size=6),
    st.sampled_from(LETTERS),
).filter(lambda s: s[2:4] != "--")
domain = st.lists(label, min_size=1, max_size=4).map(".".join)


def flip_case(text: str, data: st.DataObject) -> str:
    flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c for c, f in zip(text, flips, strict=True))


@given(domain, label, st.data())
def test_dns_properties(base: str, extra: str, data: st.DataObject) -> None:
    assert within_dns(base, base)
    assert within_dns(base, "")
    assert within_dns(f"{extra}.{base}", base)  # adding a label keeps it within
    assert within_dns(f"*.{base}", base)
    assert not within_dns(f"{extra}{base}", base)  # "badexample.com"
    assert not within_dns(base, f"{extra}.{base}")
    assert within_dns(flip_case(f"{extra}.{base}", data), flip_case(base, data))


@given(domain, domain)
def test_dns_is_suffix_by_labels(x: str, y: str) -> None:
    assert within_dns(x, y) is (x == y or x.endswith("." + y))


@given(label, label, domain)
def test_wildcard_exclusion(a: str, b: str, base: str) -> None:
    """A wildcard name is excluded by any host it could stand for, not by deeper ones."""
    wildcard = [DNS(f"*.{base}")]
    assert check(nc(None, [DNS(f"{a}.{base}")]), SUBJECT, wildcard) is not None
    assert check(nc(None, [DNS(f"{a}.{b}.{base}")]), SUBJECT, wildcard) is None
    assert check(nc([DNS(f"{a}.{base}")]), SUBJECT, wildcard) is not None
    assert check(nc([DNS(base)]), SUBJECT, wildcard) is None


@given(st.text(LETTERS + ".!#+-_", min_size=1, max_size=10), domain, label, st.data())
def test_email_properties(local: str, host: str, extra: str, data: st.DataObject) -> None:
    mailbox = f"{local}@{host}"
    if within_email(mailbox, host):  # a valid dot-atom local part
        assert within_email(mailbox, mailbox)
        assert within_email(
            flip_case(mailbox[: len(local)], data) + mailbox[len(local) :].upper(), host
        )
        assert within_email(f"{local}@{extra}.{host}", f".{host}")
        assert not within_email(mailbox, f".{host}")
        assert not within_email(f"{local}@{extra}.{host}", host)
        assert within_email(mailbox, "")
    else:
        assert local.startswith(".") or local.endswith(".") or ".." in local


@given(st.ip_addresses(), st.integers(0, 128))
def test_ip_against_ipaddress(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, prefix: int
) -> None:
    prefix = min(prefix, address.max_prefixlen)
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    assert within_ip(address, network)
    other_version = ipaddress.ip_network("::/0" if address.version == 4 else "0.0.0.0/0")
    assert not within_ip(address, other_version)


rdn = st.tuples(
    st.sampled_from(["O", "OU", "C", "CN", "L"]), st.text("abcXYZ ", min_size=1, max_size=5)
)


@given(st.lists(rdn, max_size=5), st.lists(rdn, max_size=3))
def test_directory_prefix(base: list[tuple[str, str]], more: list[tuple[str, str]]) -> None:
    base_name = x509.Name.from_attributes(base)
    full = x509.Name.from_attributes(base + more)
    assert within_directory(full, base_name)
    assert within_directory(full, x509.Name())
    if more:
        assert not within_directory(base_name, full)


@settings(max_examples=300)
@given(st.text(max_size=60), st.text(max_size=30))
def test_relations_are_total(text: str, base: str) -> None:
    for relation in (within_dns, within_email, within_uri):
        assert isinstance(relation(text, base), bool)
    constraints = nc([DNS(base), EMAIL(base), URI(base)], [DNS(text)])
    reason = check(constraints, SUBJECT, [DNS(text), EMAIL(text), URI(text)])
    assert reason is None or isinstance(reason, str)


# --- openssl verify as an oracle ---------------------------------------------------------------

ROOT_NAME = name("CN=nc root,O=nqsb tests")


def chain(
    constraints: x509.NameConstraints, subject: x509.Name, san: list[x509.GeneralName]
) -> tuple[x509.Certificate, x509.Certificate]:
    root = x509.Certificate.create(
        subject=ROOT_NAME,
        public_key=ROOT_KEY.public_key(),
        signing_key=ROOT_KEY,
        not_before=NOT_BEFORE,
        not_after=NOT_AFTER,
        basic_constraints=x509.BasicConstraints(ca=True),
        key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign"),
        name_constraints=constraints,
    )
    leaf = x509.Certificate.create(
        subject=subject,
        public_key=LEAF_KEY.public_key(),
        signing_key=ROOT_KEY,
        issuer=root,
        not_before=NOT_BEFORE,
        not_after=NOT_AFTER,
        subject_alternative_names=san,
    )
    return root, leaf


LEAF_SUBJECT = name("O=leaf org")  # no commonName: openssl checks a host-like CN its own way
# openssl reads a URI's host without removing the userinfo ("u@host"), so no userinfo here.
OPENSSL_TABLE: list[tuple[x509.NameConstraints, x509.Name, list[x509.GeneralName]]] = [
    (nc([DNS("example.com")]), LEAF_SUBJECT, [DNS("www.example.com")]),
    (nc([DNS("example.com")]), LEAF_SUBJECT, [DNS("example.com")]),
    (nc([DNS("example.com")]), LEAF_SUBJECT, [DNS("badexample.com")]),
    (nc([DNS("example.com")]), LEAF_SUBJECT, [DNS("www.example.com"), DNS("example.org")]),
    (nc([DNS("EXAMPLE.com")]), LEAF_SUBJECT, [DNS("Www.Example.COM")]),
    (nc(None, [DNS("bad.com")]), LEAF_SUBJECT, [DNS("a.bad.com")]),
    (nc(None, [DNS("bad.com")]), LEAF_SUBJECT, [DNS("bad.com.evil.org")]),
    (nc([DNS("example.com")], [DNS("x.example.com")]), LEAF_SUBJECT, [DNS("a.x.example.com")]),
    (nc([DNS("example.com")]), LEAF_SUBJECT, [DNS("*.example.com")]),
    (nc([x509.IPNetwork(net("192.0.2.0/24"))]), LEAF_SUBJECT, [IP(addr("192.0.2.5"))]),
    (nc([x509.IPNetwork(net("192.0.2.0/24"))]), LEAF_SUBJECT, [IP(addr("192.0.3.5"))]),
    (nc([x509.IPNetwork(net("192.0.2.0/24"))]), LEAF_SUBJECT, [IP(addr("::1"))]),
    (nc(None, [x509.IPNetwork(net("2001:db8::/32"))]), LEAF_SUBJECT, [IP(addr("2001:db8::1"))]),
    (nc([x509.IPNetwork(net("192.0.2.0/24"))]), LEAF_SUBJECT, [DNS("example.com")]),
    (nc([EMAIL("example.com")]), LEAF_SUBJECT, [EMAIL("user@example.com")]),
    (nc([EMAIL("example.com")]), LEAF_SUBJECT, [EMAIL("user@sub.example.com")]),
    (nc([EMAIL(".example.com")]), LEAF_SUBJECT, [EMAIL("user@sub.example.com")]),
    (nc([EMAIL(".example.com")]), LEAF_SUBJECT, [EMAIL("user@example.com")]),
    (nc([EMAIL("user@example.com")]), LEAF_SUBJECT, [EMAIL("user@EXAMPLE.com")]),
    (nc([EMAIL("user@example.com")]), LEAF_SUBJECT, [EMAIL("other@example.com")]),
    (nc([EMAIL("example.com")]), name("emailAddress=a@other.com,O=leaf org"), [DNS("x.org")]),
    (nc([EMAIL("example.com")]), name("emailAddress=a@example.com,O=leaf org"), [DNS("x.org")]),
    (nc([URI(".example.com")]), LEAF_SUBJECT, [URI("https://www.example.com/x")]),
    (nc([URI(".example.com")]), LEAF_SUBJECT, [URI("https://example.com/")]),
    (nc([URI("host.example.com")]), LEAF_SUBJECT, [URI("https://host.example.com:8443/p")]),
    (nc([URI("host.example.com")]), LEAF_SUBJECT, [URI("https://www.host.example.com/")]),
    (nc([x509.DirectoryName(name("O=leaf org"))]), name("CN=x,O=leaf org"), [DNS("a.org")]),
    (nc([x509.DirectoryName(name("O=other"))]), name("CN=x,O=leaf org"), [DNS("a.org")]),
    (nc(None, [x509.DirectoryName(name("O=leaf org"))]), name("CN=x,O=leaf org"), [DNS("a.org")]),
]


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command line")
@pytest.mark.parametrize("constraints,subject,san", OPENSSL_TABLE)
def test_against_openssl_verify(
    constraints: x509.NameConstraints,
    subject: x509.Name,
    san: list[x509.GeneralName],
    tmp_path: Path,
) -> None:
    root, leaf = chain(constraints, subject, san)
    (tmp_path / "root.pem").write_text(root.to_pem())
    (tmp_path / "leaf.pem").write_text(leaf.to_pem())
    result = subprocess.run(
        [
            "openssl",
            "verify",
            "-attime",
            str(int(AT.timestamp())),
            "-CAfile",
            "root.pem",
            "leaf.pem",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    theirs = result.returncode == 0
    if not theirs:
        assert "subtree" in result.stdout + result.stderr, result.stdout + result.stderr
    extension = leaf.extensions.subject_alternative_name
    ours = check(constraints, leaf.subject, None if extension is None else extension.names)
    assert (ours is None) is theirs, ours


# --- x509-limbo ------------------------------------------------------------------------------

# Testcases decided by name constraints (and the host name), on a chain of at most four
# certificates that can be followed by issuer names. Left out: criticality and "NC in an
# end-entity certificate" (validator rules), malformed encodings the decoder already refuses,
# and path building around a constraint (nc-forbids-*-chain-ica).
RFC5280_NC = """
        permitted-dns-mismatch excluded-dns-match permitted-dns-match permitted-dns-match-more
        excluded-dns-match-second permitted-ip-mismatch excluded-ipv4-match excluded-ipv6-match
        permitted-ipv4-match permitted-ipv6-match permitted-dn-mismatch excluded-dn-match
        permitted-dn-match permitted-dn-match-subject-san-mismatch excluded-dn-match-sub-mismatch
        permitted-self-issued excluded-self-issued-leaf excluded-match-permitted-and-excluded
        permitted-different-constraint-type excluded-different-constraint-type
        invalid-dnsname-wildcard invalid-dnsname-leading-period invalid-email-address
        intermediate-with-san-rejected-by-intermediate-nc intermediate-with-san-rejected-by-root-nc
        restrictive-permits-in-intermediates-narrows restrictive-permits-in-intermediates-widens
        nc-permits-invalid-dns-san nc-permits-invalid-email-san nc-permits-email-exact
        nc-permits-email-domain nc-permits-email-literal-asterisk-exact-match
        nc-permits-email-literal-asterisk-rejects-user
        nc-permits-email-literal-asterisk-rejects-subdomain nc-permits-email-literal-double-asterisk
        nc-permits-email-literal-double-asterisk-rejects-single
        nc-permits-email-literal-mid-asterisk nc-forbids-othername nc-forbids-othername-noop
        nc-forbids-dnsname-wildcard-san
        """
LIMBO_NC = [
    *("rfc5280::nc::" + case for case in RFC5280_NC.split()),
    "cve::cve-2025-61727",
    "cve::cve-2025-61727-nc-permits-variant",
    "webpki::nc::nc-permits-dns-san-pattern",
]
BETTERTLS_SAMPLE = 7  # every 7th BetterTLS name-constraints testcase (~1,356 of 9,491)


def limbo_cases() -> list[dict[str, Any]]:
    if not LIMBO.exists():
        return []
    cases = json.loads(gzip.decompress(LIMBO.read_bytes()))["testcases"]
    wanted = set(LIMBO_NC)
    bettertls = [t for t in cases if t["id"].startswith("bettertls::nameconstraints::")]
    return [t for t in cases if t["id"] in wanted] + bettertls[::BETTERTLS_SAMPLE]


def evaluate(case: dict[str, Any]) -> str:
    """The outcome of a testcase when only names can fail it: follow issuer names from the
    peer up to a trusted certificate, apply each CA's constraints to every certificate
    below it that is not self-issued (RFC 5280 6.1.3 (b), (c), 6.1.4 (g)), then match the
    expected peer name."""
    try:
        roots = [x509.Certificate.from_pem(p) for p in case["trusted_certs"]]
        pool = [x509.Certificate.from_pem(p) for p in case["untrusted_intermediates"]] + roots
        leaf = x509.Certificate.from_pem(case["peer_certificate"])
    except x509.DecodeError:
        return "UNDECODABLE"  # BetterTLS's malformed subjectAltName encodings
    path = [leaf]
    while path[-1] not in roots and len(path) < 5:
        issuers = [c for c in pool if c.subject.matches(path[-1].issuer) and c not in path]
        assert issuers, case["id"]
        path.append(issuers[0])
    assert path[-1] in roots, case["id"]
    for i, ca in enumerate(path[1:], 1):
        constraints = ca.extensions.name_constraints
        if constraints is None:
            continue
        for cert in path[:i]:
            if cert is not leaf and cert.is_self_issued:
                continue
            san = cert.extensions.subject_alternative_name
            if check(constraints, cert.subject, None if san is None else san.names):
                return "FAILURE"
    peer = case["expected_peer_name"]
    if peer is not None and not verify_hostname(leaf, peer["value"]):
        return "FAILURE"
    return "SUCCESS"


LIMBO_CASES = limbo_cases()


@pytest.mark.skipif(not LIMBO_CASES, reason="x509-limbo vectors not present")
def test_limbo_name_constraints() -> None:
    assert {t["id"] for t in LIMBO_CASES} >= set(LIMBO_NC)
    got = {t["id"]: evaluate(t) for t in LIMBO_CASES}
    undecodable = {i for i, outcome in got.items() if outcome == "UNDECODABLE"}
    wrong = {
        t["id"]: t["expected_result"]
        for t in LIMBO_CASES
        if got[t["id"]] != t["expected_result"] and t["id"] not in undecodable
    }
    assert wrong == {}
    assert all(t["expected_result"] == "FAILURE" for t in LIMBO_CASES if t["id"] in undecodable)
    assert len(undecodable) < len(LIMBO_CASES) // 10
    outcomes = [t["expected_result"] for t in LIMBO_CASES]
    assert outcomes.count("SUCCESS") > 100 and outcomes.count("FAILURE") > 1000
