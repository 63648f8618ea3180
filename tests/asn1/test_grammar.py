"""Grammar construction: ambiguities refused at build time; map, fix, encoded, size, tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest

import asn1


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


AMBIGUOUS = [
    (
        "CHOICE alternatives share a tag",
        lambda: asn1.choice(("a", asn1.integer), ("b", asn1.integer)),
        "share tag [UNIVERSAL 2]",
    ),
    (
        "CHOICE with an untagged ANY",
        lambda: asn1.choice(("a", asn1.integer), ("b", asn1.any)),
        "untagged ANY",
    ),
    (
        "nested CHOICE shares a tag",
        lambda: asn1.choice(
            ("a", asn1.choice(("x", asn1.integer), ("y", asn1.null))), ("b", asn1.null)
        ),
        "share tag [UNIVERSAL 5]",
    ),
    (
        "OPTIONAL shadows the next required component",
        lambda: asn1.sequence(asn1.optional("a", asn1.integer), ("b", asn1.integer)),
        "'a' and component 'b' share tags [UNIVERSAL 2]",
    ),
    (
        "OPTIONAL shadows a later OPTIONAL in the same run",
        lambda: asn1.sequence(
            asn1.optional("a", asn1.explicit(0, asn1.integer)),
            asn1.optional("b", asn1.utf8_string),
            asn1.default("c", asn1.explicit(0, asn1.boolean), False),
        ),
        "'a' and component 'c' share tags [0]",
    ),
    (
        "OPTIONAL untagged ANY before another component",
        lambda: asn1.sequence(asn1.optional("a", asn1.any), ("b", asn1.integer)),
        "untagged ANY",
    ),
    (
        "required component after OPTIONAL is ANY",
        lambda: asn1.sequence(asn1.optional("a", asn1.integer), ("b", asn1.any)),
        "(ANY)",
    ),
    (
        "SET components share a tag",
        lambda: asn1.set(("a", asn1.integer), ("b", asn1.implicit(2, asn1.null, asn1.UNIVERSAL))),
        "share tag [UNIVERSAL 2]",
    ),
    ("SET with an ANY", lambda: asn1.set(("a", asn1.any)), "untagged ANY"),
    (
        "IMPLICIT on a CHOICE",
        lambda: asn1.implicit(0, asn1.choice(("a", asn1.integer))),
        "IMPLICIT cannot tag",
    ),
    ("IMPLICIT on ANY", lambda: asn1.implicit(0, asn1.any), "IMPLICIT cannot tag"),
    (
        "duplicate component names",
        lambda: asn1.sequence(("a", asn1.integer), ("a", asn1.null)),
        "duplicate component names",
    ),
    (
        "DEFAULT of the wrong type",
        lambda: asn1.sequence(asn1.default("a", asn1.integer, cast(Any, "zero"))),
        "does not fit its type",
    ),
    (
        "left recursion",
        lambda: asn1.fix(lambda t: asn1.choice(("leaf", asn1.null), ("again", t))),
        "recursive reference",
    ),
    ("negative tag number", lambda: asn1.explicit(-1, asn1.null), "non-negative"),
    ("bad SIZE", lambda: asn1.size(asn1.octet_string, 3, 2), "bad SIZE"),
]


@pytest.mark.parametrize("build,message", [a[1:] for a in AMBIGUOUS], ids=[a[0] for a in AMBIGUOUS])
def test_ambiguous_grammars_are_refused_when_built(build: Any, message: str) -> None:
    with pytest.raises(asn1.GrammarError) as info:
        build()
    assert message in str(info.value)


def test_unambiguous_optionals_are_accepted() -> None:
    g = asn1.sequence(
        asn1.optional("a", asn1.integer),
        asn1.optional("b", asn1.explicit(0, asn1.integer)),
        ("c", asn1.null),
        asn1.optional("d", asn1.integer),  # the same tag as "a" is fine after a required one
    )
    for value, encoding in [
        ((None, None, None, None), "3002 0500"),
        ((1, None, None, None), "3005 020101 0500"),
        ((None, 2, None, 3), "300a a003020102 0500 020103"),
    ]:
        assert asn1.encode_der(g, value) == h(encoding)
        assert asn1.decode_der(g, h(encoding)) == value


@dataclass(frozen=True)
class Point:
    x: int
    y: int


POINT = asn1.map(
    asn1.sequence(("x", asn1.integer), ("y", asn1.integer)),
    lambda t: Point(*t),
    lambda p: (p.x, p.y),
)


def test_map_turns_tuples_into_dataclasses() -> None:
    data = asn1.encode_der(POINT, Point(1, -1))
    assert data == h("3006 020101 0201ff")
    assert asn1.decode_der(POINT, data) == Point(1, -1)


def test_map_value_error_is_a_decode_error_with_path() -> None:
    def positive(n: int) -> int:
        if n <= 0:
            raise ValueError("must be positive")
        return n

    g = asn1.sequence(("n", asn1.map(asn1.integer, positive, lambda n: n)))
    with pytest.raises(asn1.DecodeError) as info:
        asn1.decode_der(g, h("3003 020100"))
    assert info.value.path == "n"
    assert "must be positive" in str(info.value)


def test_implicit_goes_through_map_and_size() -> None:
    g = asn1.implicit(5, POINT, asn1.APPLICATION)
    data = asn1.encode_der(g, Point(2, 3))
    assert data[0] == 0x65  # [APPLICATION 5], constructed
    assert asn1.decode_der(g, data) == Point(2, 3)
    bounded = asn1.implicit(1, asn1.size(asn1.sequence_of(asn1.integer), 1, 2))
    assert asn1.encode_der(bounded, (7,)) == h("a103 020107")
    with pytest.raises(asn1.DecodeError, match="SIZE"):
        asn1.decode_der(bounded, h("a109 020101 020102 020103"))
    assert asn1.decode_der(asn1.implicit(7, asn1.integer, asn1.PRIVATE), h("c70105")) == 5


def test_high_tag_numbers_use_the_long_form() -> None:
    g = asn1.explicit(1000, asn1.null)
    data = asn1.encode_der(g, None)
    assert data == h("bf8768 02 0500")
    assert asn1.decode_der(g, data) is None


def test_fix_builds_recursive_types() -> None:
    tree = asn1.fix(lambda t: asn1.choice(("leaf", asn1.integer), ("node", asn1.sequence_of(t))))
    value = ("node", (("leaf", 1), ("node", (("leaf", 2), ("node", ())))))
    data = asn1.encode_der(tree, value)
    assert data == h("300a 020101 3005 020102 3000")
    assert asn1.decode_der(tree, data) == value


def test_encoded_keeps_the_exact_bytes() -> None:
    g = asn1.sequence(("tbs", asn1.encoded(POINT)), ("sig", asn1.octet_string))
    data = h("300b 3006 020101 020102 0401ff")
    tbs, sig = asn1.decode_der(g, data)
    assert tbs == asn1.Encoded(Point(1, 2), h("3006 020101 020102"))
    assert sig == b"\xff"
    assert asn1.encode_der(g, (asn1.Encoded(Point(1, 2)), b"\xff")) == data
    # BER input: the exact (non-DER) bytes are what is kept.
    ber = h("3080 3080 020101 020102 0000 0401ff 0000")
    tbs, _ = asn1.decode_ber(g, ber)
    assert tbs.encoding == h("3080 020101 020102 0000")


def test_enumeration_names() -> None:
    g = asn1.enumeration({"good": 0, "revoked": 1}, asn1.enumerated)
    assert asn1.encode_der(g, "revoked") == h("0a0101")
    assert asn1.decode_der(g, h("0a0100")) == "good"
    with pytest.raises(asn1.DecodeError, match="not one of the enumerated"):
        asn1.decode_der(g, h("0a0107"))
    with pytest.raises(asn1.EncodeError, match="not one of the enumerated"):
        asn1.encode_der(g, "unknown")


ENCODE_ERRORS = [
    (asn1.integer, "1", "INTEGER takes int"),
    (asn1.integer, True, "INTEGER takes int"),
    (asn1.boolean, 1, "BOOLEAN takes bool"),
    (asn1.printable_string, "a@b", "PrintableString set"),
    (asn1.ia5_string, "é", "IA5String set"),
    (asn1.bmp_string, "\U0001f600", "BMPString"),
    (asn1.object_identifier, "3.1", "first arc"),
    (asn1.object_identifier, "1", "at least two arcs"),
    (asn1.utc_time, __import__("datetime").datetime(2050, 1, 1), "timezone-aware"),
    (
        asn1.utc_time,
        __import__("datetime").datetime(2050, 1, 1, tzinfo=__import__("datetime").UTC),
        "1950-2049",
    ),
    (asn1.null, 0, "NULL takes None"),
    (asn1.any, b"\x02\x01", "not one DER element"),
    (asn1.any, b"\x05\x00\x05\x00", "not one DER element"),
    (asn1.size(asn1.octet_string, 1), b"", "SIZE(1..MAX)"),
    (asn1.named_bits("a"), frozenset({"b"}), "not a named bit"),
    (asn1.choice(("a", asn1.null)), ("b", None), "no alternative named 'b'"),
]


@pytest.mark.parametrize("grammar,value,message", ENCODE_ERRORS)
def test_encode_errors(grammar: asn1.Grammar[Any], value: Any, message: str) -> None:
    with pytest.raises(asn1.EncodeError) as info:
        asn1.encode_der(grammar, value)
    assert message in str(info.value)


def test_encode_error_names_the_path() -> None:
    g = asn1.sequence(("outer", asn1.sequence_of(asn1.sequence(("n", asn1.integer)))))
    with pytest.raises(asn1.EncodeError) as info:
        asn1.encode_der(g, (((1,), ("x",)),))
    assert info.value.path == "outer[1].n"


def test_default_is_omitted_when_encoding() -> None:
    g = asn1.sequence(asn1.default("v", asn1.explicit(0, asn1.integer), 0), ("n", asn1.null))
    assert asn1.encode_der(g, (0, None)) == h("3002 0500")
    assert asn1.encode_der(g, (2, None)) == h("3007 a003020102 0500")
    assert asn1.decode_der(g, h("3002 0500")) == (0, None)


def test_rest_returns_the_remaining_bytes() -> None:
    value, rest = asn1.decode_der(asn1.integer, h("020105 ffee"), rest=True)
    assert (value, rest) == (5, h("ffee"))


def test_misuse_raises_type_error() -> None:
    with pytest.raises(TypeError):
        asn1.decode_der(asn1.integer, "020105")  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        asn1.decode_der(object(), b"")  # type: ignore[call-overload]


def test_size_of_named_bits_counts_bits() -> None:
    # X.680: the SIZE of a BIT STRING is its number of bits; a named bit list meets a lower
    # bound with trailing zero bits, which DER leaves out (X.690 11.2.2), so only the upper
    # bound can fail.
    g = asn1.size(asn1.named_bits("a", "b", "c"), 2, 2)
    assert asn1.encode_der(g, frozenset({"a"})) == h("0302 0780")
    assert asn1.decode_der(g, h("0302 0780")) == frozenset({"a"})
    with pytest.raises(asn1.EncodeError, match=r"size 3 outside SIZE\(2..2\)"):
        asn1.encode_der(g, frozenset({"c"}))
    with pytest.raises(asn1.DecodeError, match="size 3"):
        asn1.decode_der(g, h("0302 0520"))
    tagged = asn1.size(asn1.implicit(0, asn1.named_bits("a", "b", "c")), 0, 1)
    with pytest.raises(asn1.EncodeError, match="size 2"):
        asn1.encode_der(tagged, frozenset({"b"}))
