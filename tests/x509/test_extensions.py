"""Extensions: typed values round-trip through their grammars, the collection's rules
(no OID twice, limits, unknown extensions kept raw), and malformed values named."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any

import pytest

import asn1
import x509
from asn1 import OID
from tests.x509.conftest import make_ca, rebuild
from x509 import _grammar as g

DIR = x509.Name.from_rfc4514("CN=dir,O=Org")
NAMES: tuple[x509.GeneralName, ...] = (
    x509.DNSName("example.org"),
    x509.RFC822Name("a@example.org"),
    x509.URI("https://example.org/x"),
    x509.IPAddress(ipaddress.IPv4Address("192.0.2.1")),
    x509.IPAddress(ipaddress.IPv6Address("2001:db8::1")),
    x509.DirectoryName(DIR),
    x509.OtherName(OID("1.3.6.1.5.5.7.8.9"), asn1.encode_der(asn1.utf8_string, "ü@example")),
    x509.RegisteredID(OID("1.2.3.4")),
    x509.EDIPartyName("assigner", "party"),
)
WHEN = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)

VALUES: list[x509.ExtensionValue] = [
    x509.AuthorityKeyIdentifier(b"\x01" * 20, (x509.DirectoryName(DIR),), 0x1234),
    x509.AuthorityKeyIdentifier(b"\x02" * 20),
    x509.SubjectKeyIdentifier(b"\x03" * 20),
    x509.KeyUsage.of("digitalSignature", "keyEncipherment"),
    x509.KeyUsage.of("decipherOnly"),
    x509.PrivateKeyUsagePeriod(WHEN, None),
    x509.CertificatePolicies(
        (
            x509.PolicyInformation(OID("2.23.140.1.2.1")),
            x509.PolicyInformation(
                OID("1.3.6.1.4.1.99999.1"),
                (
                    x509.CPSUri("https://example.org/cps"),
                    x509.UserNotice(x509.NoticeReference("Org", (1, 2)), "text", "visibleString"),
                    x509.PolicyQualifier(OID("1.2.3.9"), b"\x05\x00"),
                ),
            ),
        )
    ),
    x509.PolicyMappings((x509.PolicyMapping(OID("1.2.3"), OID("1.2.4")),)),
    x509.SubjectAlternativeName(NAMES),
    x509.IssuerAlternativeName((x509.URI("http://ca.example/"),)),
    x509.SubjectDirectoryAttributes((x509.Attribute(OID("1.3.6.1.5.5.7.9.1"), (b"\x05\x00",)),)),
    x509.BasicConstraints(True, 0),
    x509.BasicConstraints(),
    x509.NameConstraints(
        (x509.DNSName("example.org"), x509.IPNetwork(ipaddress.IPv4Network("10.0.0.0/8"))),
        (x509.IPNetwork(ipaddress.IPv6Network("2001:db8::/32")), x509.DirectoryName(DIR)),
    ),
    x509.PolicyConstraints(0, 2),
    x509.ExtendedKeyUsage((x509.ExtendedKeyUsage.SERVER_AUTH, OID("1.2.3.4.5"))),
    x509.CRLDistributionPoints(
        (
            x509.DistributionPoint(full_name=(x509.URI("http://crl.example/a.crl"),)),
            x509.DistributionPoint(
                relative_name=(x509.NameAttribute.of("CN", "crl1"),),
                reasons=frozenset({"keyCompromise", "cACompromise"}),
                crl_issuer=(x509.DirectoryName(DIR),),
            ),
        )
    ),
    x509.FreshestCRL((x509.DistributionPoint(full_name=(x509.URI("http://d.example/"),)),)),
    x509.InhibitAnyPolicy(1),
    x509.AuthorityInformationAccess(
        (
            x509.AccessDescription(x509.AccessDescription.OCSP, x509.URI("http://ocsp.example/")),
            x509.AccessDescription(x509.AccessDescription.CA_ISSUERS, x509.URI("http://ca/")),
        )
    ),
    x509.SubjectInformationAccess(
        (x509.AccessDescription(x509.AccessDescription.CA_REPOSITORY, x509.URI("rsync://r/")),)
    ),
    x509.CRLNumber(2**159),
    x509.DeltaCRLIndicator(6),
    x509.IssuingDistributionPoint(
        full_name=(x509.URI("http://crl.example/a.crl"),),
        only_contains_user_certs=True,
        only_some_reasons=frozenset({"superseded"}),
    ),
    x509.CRLReason("removeFromCRL"),
    x509.HoldInstructionCode(OID("1.2.840.10040.2.2")),
    x509.InvalidityDate(WHEN),
    x509.CertificateIssuer((x509.DirectoryName(DIR),)),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_typed_round_trip(value: x509.ExtensionValue) -> None:
    der = value.to_der()
    back = type(value).from_der(der)
    assert back == value
    assert back.to_der() == der
    ext = x509.Extension.of(value)
    assert ext.oid == value.oid and ext.der == der and ext.value is value
    assert ext.name == value.name


def test_default_criticality() -> None:
    critical = {type(v).__name__ for v in VALUES if x509.Extension.of(v).critical}
    assert critical == {
        "KeyUsage",
        "BasicConstraints",
        "NameConstraints",
        "PolicyConstraints",
        "PolicyMappings",
        "InhibitAnyPolicy",
        "DeltaCRLIndicator",
        "IssuingDistributionPoint",
        "CertificateIssuer",
    }
    assert not x509.Extension.of(x509.BasicConstraints(True), critical=False).critical


def test_general_name_text_forms() -> None:
    assert [str(n) for n in NAMES[:6]] == [
        "DNS:example.org",
        "email:a@example.org",
        "URI:https://example.org/x",
        "IP Address:192.0.2.1",
        "IP Address:2001:db8::1",
        "DirName:CN=dir,O=Org",
    ]


def test_key_usage_bits() -> None:
    ku = x509.KeyUsage.of("keyCertSign", "cRLSign", "contentCommitment")
    assert ku.key_cert_sign and ku.crl_sign and ku.content_commitment and not ku.digital_signature
    assert ku.names == {"keyCertSign", "cRLSign", "nonRepudiation"}
    assert ku.to_der() == asn1.encode_der(g.KeyUsage, ku.names)
    # trailing zero bits (as in two deployed roots) are read, written minimal
    lenient = bytes.fromhex("030300" + "0600")  # keyCertSign, cRLSign and 8 more zero bits
    assert x509.KeyUsage.from_der(lenient) == x509.KeyUsage.of("keyCertSign", "cRLSign")
    with pytest.raises(x509.DecodeError, match=r"keyUsage.*bit9"):
        x509.KeyUsage.from_der(bytes.fromhex("0303068040"))  # bit 9 is not defined
    with pytest.raises(ValueError):
        x509.KeyUsage.of("signEverything")


def _constraints_der(base: tuple[str, Any], **kw: Any) -> bytes:
    subtree = g.GeneralSubtree(base, **kw)
    return asn1.encode_der(g.NameConstraintsG, g.NameConstraints((subtree,), None))


@pytest.mark.parametrize(
    "octets,message",
    [
        (bytes([10, 0, 0, 0, 255, 0, 255, 0]), "non-contiguous"),
        (bytes([10, 0, 0, 1, 255, 255, 255, 0]), "host bits"),
        (bytes([10, 0, 0, 0, 255]), "5 octets"),
        (bytes(4), "4 octets"),
        (bytes(16) + bytes([0xFF] * 8 + [0x7F] + [0] * 7), "non-contiguous"),
    ],
)
def test_ip_constraints(octets: bytes, message: str) -> None:
    with pytest.raises(x509.DecodeError, match=f"nameConstraints.*{message}"):
        x509.NameConstraints.from_der(_constraints_der(("iPAddress", octets)))


def test_ip_constraint_forms() -> None:
    nc = x509.NameConstraints.from_der(
        _constraints_der(("iPAddress", bytes([192, 0, 2, 0, 255, 255, 255, 0])))
    )
    assert nc.permitted == (x509.IPNetwork(ipaddress.IPv4Network("192.0.2.0/24")),)
    everything = x509.NameConstraints.from_der(_constraints_der(("iPAddress", bytes(8))))
    assert everything.permitted == (x509.IPNetwork(ipaddress.IPv4Network("0.0.0.0/0")),)
    with pytest.raises(x509.DecodeError, match="minimum MUST be zero"):
        x509.NameConstraints.from_der(_constraints_der(("dNSName", "a"), minimum=1))
    with pytest.raises(x509.DecodeError, match="maximum absent"):
        x509.NameConstraints.from_der(_constraints_der(("dNSName", "a"), maximum=3))


def test_san_addresses_have_4_or_16_octets() -> None:
    der = asn1.encode_der(g.GeneralNames, (("iPAddress", bytes(5)),))
    with pytest.raises(x509.DecodeError, match=r"subjectAltName.*5 octets"):
        x509.SubjectAlternativeName.from_der(der)


@pytest.mark.parametrize(
    "kind,der,message",
    [
        (x509.BasicConstraints, bytes.fromhex("3003020101ff"), "basicConstraints"),
        (x509.BasicConstraints, bytes.fromhex("30030201ff"), "pathLenConstraint"),
        (x509.BasicConstraints, bytes.fromhex("3003010100"), "basicConstraints.*DEFAULT"),
        (x509.PolicyConstraints, bytes.fromhex("30038001ff"), "requireExplicitPolicy"),
        (x509.InhibitAnyPolicy, bytes.fromhex("0201ff"), "SkipCerts"),
        (x509.CRLNumber, bytes.fromhex("0201ff"), "CRLNumber"),
        (x509.SubjectAlternativeName, bytes.fromhex("3000"), "subjectAltName.*SIZE"),
        (x509.CRLReason, bytes.fromhex("0a0107"), "reasonCode"),
        (
            x509.CertificatePolicies,
            asn1.encode_der(
                g.CertificatePolicies,
                (g.PolicyInformation(OID("1.2.3")), g.PolicyInformation(OID("1.2.3"))),
            ),
            "appears twice",
        ),
        (
            x509.CertificatePolicies,
            asn1.encode_der(
                g.CertificatePolicies,
                (
                    g.PolicyInformation(
                        OID("1.2.3"),
                        (g.PolicyQualifierInfo(OID("1.3.6.1.5.5.7.2.1"), b"\x02\x01\x01"),),
                    ),
                ),
            ),
            "certificatePolicies",
        ),
    ],
)
def test_malformed_values_are_named(
    kind: type[x509.ExtensionValue], der: bytes, message: str
) -> None:
    with pytest.raises(x509.DecodeError, match=message):
        kind.from_der(der)


def test_collection_in_a_certificate(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["p256"]
    unknown = x509.Extension(OID("1.2.3.4.5"), False, b"\x05\x00")
    cert = make_ca(
        key,
        extended_key_usage=[x509.ExtendedKeyUsage.SERVER_AUTH],
        subject_alternative_names=[x509.DNSName("ca.example")],
        extensions=[unknown, x509.Extension.of(x509.InhibitAnyPolicy(0), critical=False)],
    )
    exts = cert.extensions
    assert [e.name for e in exts] == [
        "basicConstraints",
        "keyUsage",
        "extKeyUsage",
        "subjectKeyIdentifier",
        "authorityKeyIdentifier",
        "subjectAltName",
        "1.2.3.4.5",
        "inhibitAnyPolicy",
    ]
    assert exts.basic_constraints == x509.BasicConstraints(True)
    assert exts.find(x509.BasicConstraints) == exts.basic_constraints
    assert exts.key_usage == x509.KeyUsage.of("keyCertSign", "cRLSign")
    assert exts.extended_key_usage == x509.ExtendedKeyUsage((x509.ExtendedKeyUsage.SERVER_AUTH,))
    assert exts.subject_alternative_name == x509.SubjectAlternativeName(
        (x509.DNSName("ca.example"),)
    )
    ski = exts.subject_key_identifier
    assert ski is not None and ski.digest == cert.public_key_info.key_identifier()
    aki = exts.authority_key_identifier
    assert aki is not None and aki.key_identifier == ski.digest
    assert exts.inhibit_any_policy == x509.InhibitAnyPolicy(0)
    raw = exts.get("1.2.3.4.5")
    assert raw == unknown and raw is not None and raw.value is None
    assert "2.5.29.19" in exts and "2.5.29.30" not in exts and exts.name_constraints is None
    assert exts.unknown_critical == ()
    assert exts[0].critical and exts[-1].oid == "2.5.29.54" and len(exts) == 8
    # a critical extension nobody understands is reported for the validator to reject
    odd = make_ca(key, extensions=[x509.Extension(OID("1.2.3.4.6"), True, b"\x05\x00")])
    assert [e.oid for e in odd.extensions.unknown_critical] == ["1.2.3.4.6"]
    # CRL extensions are not understood in certificates
    crlish = make_ca(key, extensions=[x509.CRLNumber(1)])
    assert crlish.extensions.crl_number is None and crlish.extensions[-1].value is None


def test_duplicate_and_too_many_extensions(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["p256"]
    cert = make_ca(key)
    raw = asn1.decode_der(g.CertificateG, cert.der).value.tbs_certificate.value.extensions
    assert raw is not None
    twice = rebuild(cert, key, extensions=(*raw, raw[0]))
    with pytest.raises(x509.DecodeError, match=r"basicConstraints.*twice"):
        x509.Certificate.from_der(twice)
    with pytest.raises(ValueError, match="twice"):
        make_ca(key, extensions=[x509.CRLNumber(1), x509.CRLNumber(2)])
    filler = tuple(
        g.Extension(OID(f"1.2.3.{i}"), False, b"\x05\x00") for i in range(x509.MAX_EXTENSIONS)
    )
    crowded = rebuild(cert, key, extensions=raw + filler)
    with pytest.raises(x509.DecodeError, match="more than 64 extensions"):
        x509.Certificate.from_der(crowded)
    malformed = g.Extension(OID("2.5.29.17"), False, b"\x30\x00")
    with pytest.raises(x509.DecodeError, match="certificate: extension subjectAltName"):
        x509.Certificate.from_der(rebuild(cert, key, extensions=(*raw, malformed)))


def test_general_names_limit() -> None:
    names = tuple(("dNSName", f"h{i}.example") for i in range(x509.MAX_GENERAL_NAMES + 1))
    with pytest.raises(x509.DecodeError, match="more than 1024 names"):
        x509.SubjectAlternativeName.from_der(asn1.encode_der(g.GeneralNames, names))
    with pytest.raises(TypeError):
        x509.SubjectAlternativeName(("example.org",)).to_der()  # type: ignore[arg-type]
