"""Names: RFC 4514 strings (both directions), RFC 5280 7.1 comparison, decoding rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import asn1
import x509
from asn1 import OID
from x509 import _grammar as g


@pytest.mark.parametrize(
    "value,text",
    [
        ("plain", "CN=plain"),
        ("a,b", "CN=a\\,b"),
        ("a+b", "CN=a\\+b"),
        ('say "hi"', 'CN=say \\"hi\\"'),
        ("x;y<z>", "CN=x\\;y\\<z\\>"),
        ("back\\slash", "CN=back\\\\slash"),
        (" lead", "CN=\\ lead"),
        ("trail ", "CN=trail\\ "),
        ("#hash", "CN=\\#hash"),
        ("in#side", "CN=in#side"),
        ("nul\0", "CN=nul\\00"),
        ("tab\there", "CN=tab\\09here"),
        ("Grüße", "CN=Grüße"),
        ("a=b", "CN=a=b"),
    ],
)
def test_rfc4514_escaping(value: str, text: str) -> None:
    name = x509.Name.from_attributes([("CN", value)])
    assert str(name) == text
    assert x509.Name.from_rfc4514(text) == name


def test_rdn_order_types_and_multivalued_rdns() -> None:
    name = x509.Name.from_rfc4514("CN=host+UID=42,OU=Unit,O=Org,DC=example,DC=org,C=DE")
    assert [[a.short_name for a in rdn] for rdn in name.rdns] == [
        ["C"],
        ["DC"],
        ["DC"],
        ["O"],
        ["OU"],
        ["CN", "UID"],
    ]
    assert str(name) == "CN=host+UID=42,OU=Unit,O=Org,DC=example,DC=org,C=DE"
    # the encoding order of a SET OF is kept whatever order the string gives
    assert x509.Name.from_rfc4514("UID=42+CN=host,OU=Unit,O=Org,DC=example,DC=org,C=DE") == name
    assert x509.Name.from_der(name.der) == name
    c = name.attributes[0]
    assert c.string_type == "PrintableString" and c.der[0] == 0x13
    dc = name.rdns[1][0]
    assert dc.string_type == "IA5String"
    assert name.get("commonName") == ("host",)
    assert name.get(OID("0.9.2342.19200300.100.1.25")) == ("org", "example")  # encoding order
    assert name.common_names == ("host",)


def test_long_names_dotted_types_and_hex_values() -> None:
    name = x509.Name.from_rfc4514(
        "commonName=x, organizationName = y, 1.2.3.4=#0C0474657374, OID.2.5.4.5=123"
    )
    assert str(name) == "CN=x,O=y,1.2.3.4=#0C0474657374,serialNumber=123"
    assert name.rdns[0][0].string_type == "PrintableString"  # X.520 serialNumber
    unknown = name.rdns[1][0]
    assert unknown.oid == "1.2.3.4" and unknown.value == "test" and unknown.der == b"\x0c\x04test"
    # a known type with a value that is not a string is written as #hex as well
    odd = x509.NameAttribute(OID("2.5.4.3"), asn1.encode_der(asn1.integer, 5))
    assert odd.value is None and str(odd) == "CN=#020105"


@pytest.mark.parametrize(
    "text",
    ["CN", "CN=a,", "=a", "CN=a\\", "CN=\\zz", "XX=1", "CN=#zz", "CN=#0c05ab", "CN=\\ff"],
)
def test_malformed_strings(text: str) -> None:
    with pytest.raises(ValueError):
        x509.Name.from_rfc4514(text)


def test_empty_name() -> None:
    empty = x509.Name.from_rfc4514("")
    assert not empty and len(empty) == 0 and str(empty) == "" and empty.der == b"\x30\x00"
    assert empty.matches(x509.Name())


def test_comparison_rfc5280_7_1() -> None:
    a = x509.Name.from_attributes([("C", "DE"), ("O", "Example  Org"), ("CN", "Host")])
    b = x509.Name.from_attributes([("C", "de"), ("O", " example org "), ("CN", "HOST")])
    assert a != b  # exact equality: different DER
    assert a.matches(b) and a.key == b.key and hash(a.key) == hash(b.key)
    # string types do not matter: PrintableString and UTF8String values compare as text
    c = x509.Name(
        [
            [x509.NameAttribute.of("C", "DE")],
            [x509.NameAttribute.of("O", "Example Org", "PrintableString")],
            [x509.NameAttribute.of("CN", "host", "BMPString")],
        ]
    )
    assert a.matches(c)
    # the same attributes in other RDNs, or one RDN more, do not match
    assert not a.matches(x509.Name.from_rfc4514("CN=Host+O=Example Org,C=DE"))
    assert not a.matches(x509.Name.from_rfc4514("CN=Host,O=Example Org,OU=x,C=DE"))
    assert not a.matches(x509.Name.from_rfc4514("C=DE,O=Example Org,CN=Host"))
    # multi-valued RDNs compare as sets
    assert x509.Name.from_rfc4514("CN=a+O=b").matches(x509.Name.from_rfc4514("O=B+CN=A"))
    # non-string values compare by DER
    n1 = x509.Name([[x509.NameAttribute(OID("1.2.3"), b"\x02\x01\x05")]])
    n2 = x509.Name([[x509.NameAttribute(OID("1.2.3"), b"\x02\x01\x06")]])
    assert not n1.matches(n2) and n1.matches(x509.Name.from_der(n1.der))


def test_invalid_string_content_is_a_decode_error() -> None:
    bad = g.Name(((g.AttributeTypeAndValue(OID("2.5.4.3"), b"\x1e\x03abc"),),))  # odd BMPString
    with pytest.raises(x509.DecodeError, match="CN"):
        x509.Name.from_der(asn1.encode_der(g.NameG, bad))
    with pytest.raises(x509.DecodeError):
        x509.Name.from_der(b"\x30\x02\x31\x00")  # an empty RDN


def test_attribute_limit() -> None:
    many = [("OU", str(i)) for i in range(x509.MAX_NAME_ATTRIBUTES + 1)]
    with pytest.raises(x509.DecodeError, match="attributes"):
        x509.Name.from_attributes(many)


def test_printable_types_are_enforced_when_building() -> None:
    with pytest.raises(ValueError, match="C"):
        x509.NameAttribute.of("C", "Ä")
    with pytest.raises(ValueError):
        x509.NameAttribute.of("CN", "x", "NoSuchString")


_values = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], min_codepoint=1), min_size=1, max_size=20
)


@given(
    st.lists(st.tuples(st.sampled_from(["CN", "O", "OU", "L", "ST", "UID"]), _values), max_size=6)
)
def test_string_round_trip(pairs: list[tuple[str, str]]) -> None:
    name = x509.Name.from_attributes(pairs)
    assert x509.Name.from_rfc4514(str(name)) == name
    assert x509.Name.from_der(name.der) == name
    assert name.matches(x509.Name.from_der(name.der))
