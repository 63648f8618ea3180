"""BER mode (X.690 clause 8): indefinite lengths, segmented strings, any order in SET."""

from __future__ import annotations

import pytest

import asn1


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


RECORD = asn1.sequence(
    ("id", asn1.integer),
    ("name", asn1.implicit(0, asn1.octet_string)),
    ("tags", asn1.set_of(asn1.integer)),
    asn1.optional("bits", asn1.bit_string),
)


def test_nested_indefinite_lengths_and_segments() -> None:
    ber = h(
        "3080"  # SEQUENCE, indefinite
        "020105"
        "a080 0402 6162 2480 0401 63 0000 0000"  # [0] IMPLICIT OCTET STRING, nested segments
        "3180 020102 020101 0000"  # SET OF, unsorted
        "2380 0302 00ff 0302 04f0 0000"  # constructed BIT STRING, last segment has 4 unused
        "0000"
    )
    value = asn1.decode_ber(RECORD, ber)
    assert value == (5, b"abc", (2, 1), asn1.BitString(b"\xff\xf0", 4))
    der = asn1.encode_der(RECORD, value)
    assert der == h("3015 020105 8003616263 3106020101020102 0303 04fff0")
    assert asn1.decode_der(RECORD, der) == (5, b"abc", (1, 2), asn1.BitString(b"\xff\xf0", 4))


def test_ber_accepts_non_minimal_lengths_and_any_boolean() -> None:
    g = asn1.sequence(("b", asn1.boolean), ("n", asn1.integer))
    assert asn1.decode_ber(g, h("3082 0007 0101 01 0281 0105")) == (True, 5)


def test_ber_time_forms() -> None:
    assert asn1.decode_ber(asn1.utc_time, b"\x17\x0b" + b"2501010000Z") == asn1.decode_der(
        asn1.utc_time, b"\x17\x0d" + b"250101000000Z"
    )
    t = asn1.decode_ber(asn1.generalized_time, b"\x18\x13" + b"20250101010000+0100")
    assert t.isoformat() == "2025-01-01T00:00:00+00:00"


BER_ERRORS = [
    ("missing end-of-contents", asn1.sequence_of(asn1.integer), "3080 020101", "end-of-contents"),
    ("indefinite primitive", asn1.octet_string, "0480 0000", "primitive element"),
    ("segment of another type", asn1.octet_string, "2403 0c0161", "wrong tag"),
    ("BIT STRING unused in middle", asn1.bit_string, "2307 030201 80 030100", "last BIT STRING"),
    ("EOC inside definite", asn1.sequence_of(asn1.integer), "3005 020101 0000", "end-of-contents"),
    ("INTEGER padding is BER too", asn1.integer, "0202 0001", "redundant leading octet"),
    ("duplicate SET component", asn1.set(("a", asn1.integer)), "3106 020101 020102", "twice"),
]


@pytest.mark.parametrize("rule,grammar,data,message", BER_ERRORS, ids=[e[0] for e in BER_ERRORS])
def test_ber_still_rejects(
    rule: str, grammar: asn1.Grammar[object], data: str, message: str
) -> None:
    with pytest.raises(asn1.DecodeError) as info:
        asn1.decode_ber(grammar, h(data))
    assert message in str(info.value)


def test_any_keeps_the_ber_bytes() -> None:
    g = asn1.sequence(("a", asn1.any), ("b", asn1.null))
    raw, _ = asn1.decode_ber(g, h("3080 3080 020101 0000 0500 0000"))
    assert raw == h("3080 020101 0000")
