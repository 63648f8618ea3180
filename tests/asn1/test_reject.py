"""The strictness rules of DER (X.690 clauses 8, 10, 11), one rejection case per rule.

Each row gives a grammar, the bytes, and a fragment of the expected DecodeError (and its
field path where there is one). Rows marked as BER-accepted also decode with decode_ber to
the value of the canonical DER encoding, so the rule is shown to be DER's and not a bug.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import pytest

import asn1

SEQ_INT = asn1.sequence(("x", asn1.integer))
DEFAULTED = asn1.sequence(asn1.default("flag", asn1.boolean, False), ("n", asn1.integer))
SET2 = asn1.set(("a", asn1.integer), ("b", asn1.explicit(0, asn1.integer)))
KEY_USAGE = asn1.named_bits("digitalSignature", "nonRepudiation", "keyEncipherment")
NESTED = asn1.sequence(
    ("outer", asn1.sequence(("inner", asn1.sequence(("leaf", asn1.boolean))))),
)
CHOICE = asn1.choice(("i", asn1.integer), ("s", asn1.utf8_string))


class Case(NamedTuple):
    rule: str
    grammar: asn1.Grammar[Any]
    hex: str
    error: str
    path: str = ""
    ber_value: object = None  # when not None, decode_ber accepts and yields this


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


CASES = [
    # --- identifier and length octets (X.690 8.1, 10.1)
    Case("indefinite length", SEQ_INT, "30 80 020101 0000", "indefinite length", "", (1,)),
    Case(
        "non-minimal length",
        asn1.octet_string,
        "04 82 0001 61",
        "minimal number of octets",
        "",
        b"a",
    ),
    Case("long form under 128", asn1.octet_string, "04 81 01 61", "long-form length", "", b"a"),
    Case("reserved length 0xFF", asn1.octet_string, "04 ff", "reserved length octet"),
    Case("non-minimal tag", asn1.implicit(31, asn1.null), "9f 80 1f 00", "tag number not encoded"),
    Case("long-form tag under 31", asn1.implicit(5, asn1.null), "9f 05 00", "tag number under 31"),
    Case("truncated content", asn1.octet_string, "04 05 6162", "truncated"),
    Case("truncated length", asn1.octet_string, "04", "length octets missing"),
    Case("trailing bytes", asn1.integer, "020101 00", "trailing bytes"),
    Case("EOC as element", SEQ_INT, "3002 0000", "end-of-contents"),
    # --- primitive contents (X.690 8.2-8.20, 11.1, 11.2)
    Case("BOOLEAN not 00/FF", asn1.boolean, "0101 01", "0x00 or 0xFF", "", True),
    Case("BOOLEAN long", asn1.boolean, "0102 ff00", "one octet"),
    Case("INTEGER leading 00", asn1.integer, "0202 007f", "redundant leading octet"),
    Case("INTEGER leading FF", asn1.integer, "0202 ff80", "redundant leading octet"),
    Case("INTEGER empty", asn1.integer, "0200", "empty content"),
    Case("INTEGER constructed", asn1.integer, "2203 020101", "primitive encoding"),
    Case("NULL with content", asn1.null, "0501 00", "empty content"),
    Case(
        "BIT STRING padding",
        asn1.bit_string,
        "0302 07 81",
        "padding bits",
        "",
        asn1.BitString(b"\x80", 7),
    ),
    Case("BIT STRING unused > 7", asn1.bit_string, "0302 08 00", "unused bits"),
    Case("BIT STRING empty unused", asn1.bit_string, "0301 03", "empty BIT STRING"),
    Case("BIT STRING no initial", asn1.bit_string, "0300", "unused-bits octet"),
    Case(
        "named bits trailing 0",
        KEY_USAGE,
        "0302 04 a0",
        "trailing zero bits",
        "",
        frozenset({"digitalSignature", "keyEncipherment"}),
    ),
    Case(
        "constructed OCTET STRING",
        asn1.octet_string,
        "2406 040161 040162",
        "not allowed in DER",
        "",
        b"ab",
    ),
    Case(
        "constructed BIT STRING",
        asn1.bit_string,
        "2307 030200ff 030100",
        "not allowed in DER",
        "",
        asn1.BitString(b"\xff", 0),
    ),
    Case("constructed UTF8String", asn1.utf8_string, "2c03 0c0161", "not allowed in DER", "", "a"),
    Case("OID leading 0x80", asn1.object_identifier, "0603 2a 8001", "leading 0x80"),
    Case("OID truncated", asn1.object_identifier, "0602 2a 86", "truncated subidentifier"),
    Case("OID empty", asn1.object_identifier, "0600", "empty OBJECT IDENTIFIER"),
    # --- strings (X.680 41)
    Case("PrintableString charset", asn1.printable_string, "1301 40", "PrintableString set"),
    Case("IA5String charset", asn1.ia5_string, "1601 80", "IA5String set"),
    Case("NumericString charset", asn1.numeric_string, "1201 61", "NumericString set"),
    Case("VisibleString charset", asn1.visible_string, "1a01 0a", "VisibleString set"),
    Case("UTF8String invalid", asn1.utf8_string, "0c02 c0af", "invalid UTF-8"),
    Case("UTF8String surrogate", asn1.utf8_string, "0c03 eda080", "invalid UTF-8"),
    Case("BMPString odd", asn1.bmp_string, "1e03 006100", "odd length"),
    Case("BMPString surrogate", asn1.bmp_string, "1e04 d83dde00", "surrogate"),
    Case("UniversalString length", asn1.universal_string, "1c03 000061", "multiple of 4"),
    Case("UniversalString range", asn1.universal_string, "1c04 00110000", "above U+10FFFF"),
    # --- time (X.690 11.7, 11.8)
    Case(
        "UTCTime no seconds",
        asn1.utc_time,
        "170b 323530313031303030305a",
        "YYMMDDHHMMSSZ",
        "",
        datetime(2025, 1, 1, tzinfo=UTC),
    ),
    Case(
        "UTCTime offset",
        asn1.utc_time,
        "1711 3235303130313030303030302b30313030",
        "YYMMDDHHMMSSZ",
        "",
        datetime(2024, 12, 31, 23, tzinfo=UTC),
    ),
    Case("UTCTime bad date", asn1.utc_time, "170d 3235303233303030303030305a", "invalid date"),
    Case(
        "GeneralizedTime trailing 0",
        asn1.generalized_time,
        "1812 32303235303130313030303030302e35305a",
        "YYYYMMDDHHMMSS",
    ),
    Case(
        "GeneralizedTime comma",
        asn1.generalized_time,
        "1811 32303235303130313030303030302c355a",
        "YYYYMMDDHHMMSS",
        "",
        datetime(2025, 1, 1, 0, 0, 0, 500000, tzinfo=UTC),
    ),
    Case(
        "GeneralizedTime no zone",
        asn1.generalized_time,
        "180e 3230323530313031303030303030",
        "YYYYMMDDHHMMSS",
    ),
    Case(
        "GeneralizedTime too fine",
        asn1.generalized_time,
        "1817 32303235303130313030303030302e313233343536375a",
        "microsecond",
    ),
    # --- constructed types (X.690 10.3, 11.5, 11.6)
    Case(
        "SET OF unsorted",
        asn1.set_of(asn1.integer),
        "3106 020102 020101",
        "ascending order",
        "",
        (2, 1),
    ),
    Case("SET unsorted", SET2, "3108 a003020102 020101", "canonical tag order", "", (1, 2)),
    Case("DEFAULT encoded", DEFAULTED, "3006 010100 020105", "DEFAULT value", "flag", (False, 5)),
    Case("SEQUENCE primitive", SEQ_INT, "1003 020101", "constructed encoding"),
    Case("missing component", SEQ_INT, "3000", "missing required component 'x'"),
    Case("extra component", SEQ_INT, "3006 020101 020102", "after the last component"),
    Case("wrong tag deep", NESTED, "3007 3005 3003 020101", "expected BOOLEAN", "outer.inner.leaf"),
    Case("CHOICE no match", CHOICE, "0101ff", "no alternative"),
    Case("CHOICE alt content", CHOICE, "0202 0001", "redundant leading octet", "i"),
    Case(
        "SEQUENCE OF item",
        asn1.sequence_of(asn1.integer),
        "3007 020101 0202 0001",
        "redundant",
        "[1]",
    ),
    Case("SIZE bound", asn1.size(asn1.sequence_of(asn1.integer), min=1), "3000", "SIZE(1..MAX)"),
    Case(
        "EXPLICIT trailing",
        asn1.explicit(0, asn1.integer),
        "a006 020101 020101",
        "inside an EXPLICIT",
    ),
    Case(
        "ANY not DER inside",
        asn1.sequence(("a", asn1.any)),
        "3006 3004 04 81 01 61",
        "long-form length",
        "a",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_der_rejects(case: Case) -> None:
    with pytest.raises(asn1.DecodeError) as info:
        asn1.decode_der(case.grammar, h(case.hex))
    assert case.error in info.value.reason, str(info.value)
    assert info.value.path == case.path


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.ber_value is not None], ids=lambda c: c.rule
)
def test_ber_accepts_what_only_der_forbids(case: Case) -> None:
    assert asn1.decode_ber(case.grammar, h(case.hex)) == case.ber_value


def test_limits_depth() -> None:
    deep = asn1.fix(lambda t: asn1.choice(("n", asn1.null), ("s", asn1.sequence_of(t))))
    nested = b"\x05\x00"
    for _ in range(70):
        body = nested
        nested = b"\x30" + asn1._core.encode_length(len(body)) + body
    with pytest.raises(asn1.DecodeError, match="nesting deeper"):
        asn1.decode_der(deep, nested)
    assert asn1.decode_der(deep, nested, limits=asn1.Limits(max_depth=100))[0] == "s"


def test_limits_elements_and_size() -> None:
    items = b"".join(b"\x02\x01\x01" for _ in range(100))
    data = b"\x30" + asn1._core.encode_length(len(items)) + items
    g = asn1.sequence_of(asn1.integer)
    assert len(asn1.decode_der(g, data)) == 100
    with pytest.raises(asn1.DecodeError, match="more than 50 elements"):
        asn1.decode_der(g, data, limits=asn1.Limits(max_elements=50))
    with pytest.raises(asn1.DecodeError, match="exceeds the limit"):
        asn1.decode_der(g, data, limits=asn1.Limits(max_size=100))


def test_error_message_names_path_and_offset() -> None:
    with pytest.raises(asn1.DecodeError) as info:
        asn1.decode_der(NESTED, h("3007 3005 3003 020101"))
    assert str(info.value) == (
        "outer.inner.leaf: expected BOOLEAN [UNIVERSAL 1], found [UNIVERSAL 2] (at byte 6)"
    )


def test_deepest_allowed_nesting_fits_the_python_stack() -> None:
    # The worst chain of frames per level: a map over an explicit tag over a SEQUENCE.
    deep = asn1.fix(
        lambda t: asn1.choice(
            ("n", asn1.null),
            ("s", asn1.map(asn1.explicit(0, asn1.sequence(("x", t))), lambda v: v, lambda v: v)),
        )
    )
    value: Any = ("n", None)
    for _ in range(64):  # each level is two constructed elements: [0] and SEQUENCE
        value = ("s", (value,))
    data = asn1.encode_der(deep, value)
    assert asn1.decode_der(deep, data, limits=asn1.Limits(max_depth=128)) == value
    with pytest.raises(asn1.DecodeError, match="nesting deeper"):
        asn1.decode_der(
            deep, asn1.encode_der(deep, ("s", (value,))), limits=asn1.Limits(max_depth=128)
        )
    with pytest.raises(ValueError, match="max_depth"):
        asn1.Limits(max_depth=129)
