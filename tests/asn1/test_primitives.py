"""Universal types: X.690's own examples, known encodings, and properties over all values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

import asn1


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


KNOWN = [
    (asn1.boolean, True, "0101ff"),
    (asn1.boolean, False, "010100"),
    (asn1.integer, 0, "020100"),
    (asn1.integer, 127, "02017f"),
    (asn1.integer, 128, "02020080"),
    (asn1.integer, 256, "02020100"),
    (asn1.integer, -1, "0201ff"),
    (asn1.integer, -128, "020180"),
    (asn1.integer, -129, "0202ff7f"),
    (asn1.enumerated, 3, "0a0103"),
    (asn1.null, None, "0500"),
    (asn1.octet_string, b"", "0400"),
    (asn1.octet_string, b"\x01\x02", "04020102"),
    (asn1.bit_string, asn1.BitString(b""), "030100"),
    # X.690 8.6.4.2 example: '0A3B5F291CD'H as a bit string of 44 bits
    (asn1.bit_string, asn1.BitString(h("0A3B5F291CD0"), 4), "0307040A3B5F291CD0"),
    # X.690 8.19.5 example: {2 999 3}
    (asn1.object_identifier, asn1.OID("2.999.3"), "0603883703"),
    (asn1.object_identifier, asn1.OID("1.2.840.113549.1.1.11"), "06092a864886f70d01010b"),
    (asn1.object_identifier, asn1.OID("0.39"), "060127"),
    (asn1.relative_oid, (8571, 3, 2), "0d04c27b0302"),  # X.690 8.20.5 example
    (asn1.utf8_string, "é€", "0c05c3a9e282ac"),
    (asn1.printable_string, "Test User 1", "130b5465737420557365722031"),
    (asn1.ia5_string, "a@b", "1603614062"),
    (asn1.numeric_string, "12 3", "120431322033"),
    (asn1.visible_string, "Jones", "1a054a6f6e6573"),  # X.690 8.23.6 example
    (asn1.teletex_string, "é", "1401e9"),
    (asn1.bmp_string, "aé", "1e04006100e9"),
    (asn1.universal_string, "a\U0001f600", "1c080000006100 01f600".replace(" ", "")),
    (
        asn1.utc_time,
        datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC),
        "170d3439313233313233353935395a",
    ),
    (asn1.utc_time, datetime(1950, 1, 1, tzinfo=UTC), "170d3530303130313030303030305a"),
    (
        asn1.generalized_time,
        datetime(2050, 1, 1, 0, 0, 0, 120000, tzinfo=UTC),
        "18 12 32303530303130313030303030302e31325a",
    ),
    (
        asn1.named_bits("a", "b", "c", "d", "e", "f", "g", "h", "i"),
        frozenset({"a", "i"}),
        "0303078080",
    ),
]


@pytest.mark.parametrize("grammar,value,encoding", KNOWN, ids=[str(k[1])[:30] for k in KNOWN])
def test_known_encodings(grammar: asn1.Grammar[object], value: object, encoding: str) -> None:
    assert asn1.encode_der(grammar, value) == h(encoding)
    assert asn1.decode_der(grammar, h(encoding)) == value


@given(st.integers(min_value=-(2**600), max_value=2**600))
def test_integer_minimal_twos_complement(n: int) -> None:
    data = asn1.encode_der(asn1.integer, n)
    content = data[2:] if data[1] < 0x80 else data[2 + (data[1] & 0x7F) :]
    assert int.from_bytes(content, "big", signed=True) == n
    # minimal: dropping the first octet changes the value or the sign (X.690 8.3.2)
    if len(content) > 1:
        assert int.from_bytes(content[1:], "big", signed=True) != n
    assert asn1.decode_der(asn1.integer, data) == n


ARCS = st.integers(min_value=0, max_value=2**130)


@given(st.integers(0, 2), st.integers(0, 2**70), st.lists(ARCS, max_size=12))
def test_oid_round_trip(first: int, second: int, rest: list[int]) -> None:
    if first < 2:
        second %= 40
    oid = asn1.OID([first, second, *rest])
    data = asn1.encode_der(asn1.object_identifier, oid)
    back = asn1.decode_der(asn1.object_identifier, data)
    assert back == oid and isinstance(back, asn1.OID)
    assert back.arcs == (first, second, *rest)


def test_oid_is_a_checked_str() -> None:
    oid = asn1.OID("2.5.4.3")
    assert oid == "2.5.4.3" and hash(oid) == hash("2.5.4.3")
    assert repr(oid) == "OID('2.5.4.3')"
    for bad in ("", "1", "3.1", "1.40", "1.02", "1..2", "a.b", " 1.2"):
        with pytest.raises(ValueError):
            asn1.OID(bad)
    assert asn1.oids.name(oid) == "commonName"


MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@given(MOMENTS, st.integers(-14 * 60, 14 * 60))
def test_generalized_time_round_trip(moment: datetime, offset_minutes: int) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    local = moment.astimezone(zone) if 2 <= moment.year <= 9998 else moment
    data = asn1.encode_der(asn1.generalized_time, local)
    back = asn1.decode_der(asn1.generalized_time, data)
    assert back == moment and back.tzinfo == UTC
    assert data[2:].endswith(b"Z") and not data[2:-1].endswith(b"0" if b"." in data else b".")


@given(
    st.datetimes(
        min_value=datetime(1950, 1, 1),
        max_value=datetime(2049, 12, 31, 23, 59, 59),
        timezones=st.just(UTC),
    ).map(lambda d: d.replace(microsecond=0))
)
def test_utc_time_round_trip_and_window(moment: datetime) -> None:
    data = asn1.encode_der(asn1.utc_time, moment)
    assert len(data) == 15
    assert asn1.decode_der(asn1.utc_time, data) == moment


PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
STRINGS = [
    (asn1.printable_string, st.text(PRINTABLE)),
    (asn1.numeric_string, st.text("0123456789 ")),
    (asn1.ia5_string, st.text(st.characters(max_codepoint=0x7F))),
    (asn1.visible_string, st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E))),
    (asn1.teletex_string, st.text(st.characters(max_codepoint=0xFF))),
    (asn1.utf8_string, st.text()),
    (asn1.bmp_string, st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]))),
    (asn1.universal_string, st.text()),
]


@pytest.mark.parametrize("grammar,texts", STRINGS, ids=[s[0].name for s in STRINGS])
@given(data=st.data())
def test_string_round_trip(
    grammar: asn1.Grammar[str], texts: st.SearchStrategy[str], data: st.DataObject
) -> None:
    text = data.draw(texts)
    encoding = asn1.encode_der(grammar, text)
    assert asn1.decode_der(grammar, encoding) == text


@given(st.lists(st.booleans(), max_size=80))
def test_bit_string_from_bits(bits: list[bool]) -> None:
    b = asn1.BitString.from_bits(bits)
    assert list(b.bits()) == bits and len(b) == len(bits)
    assert asn1.decode_der(asn1.bit_string, asn1.encode_der(asn1.bit_string, b)) == b


def test_bit_string_rules() -> None:
    with pytest.raises(ValueError, match="padding bits"):
        asn1.BitString(b"\x01", 1)
    with pytest.raises(ValueError, match=r"0\.\.7"):
        asn1.BitString(b"\x00", 8)
    with pytest.raises(ValueError, match="whole number"):
        asn1.BitString(b"\x80", 7).octets()


@given(st.frozensets(st.sampled_from("abcdefghijk")))
def test_named_bits_are_minimal(flags: frozenset[str]) -> None:
    g = asn1.named_bits(*"abcdefghijk")
    data = asn1.encode_der(g, flags)
    assert asn1.decode_der(g, data) == flags
    bits = asn1.decode_der(asn1.bit_string, data)
    assert not bits.bits() or bits.bits()[-1]  # X.690 11.2.2: no trailing zero bits
