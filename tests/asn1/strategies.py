"""Hypothesis strategies for the values of any asn1 grammar.

:func:`values` walks the grammar's nodes (as asn1-combinators' ``random`` does) and gives a
strategy for its valid values, in the canonical form the DER decoder returns, so that
``decode_der(g, encode_der(g, v)) == v`` holds for every value drawn:

- strings keep to their character set (X.680 41), SIZE bounds are kept;
- UTCTime is 1950-2049 in whole seconds, GeneralizedTime years 1-9999 with microseconds,
  both aware datetimes in UTC (what the decoder returns);
- OPTIONAL components are sometimes absent (their absent marker, normally None), DEFAULT
  components sometimes the default;
- SET OF items come in DER order (X.690 11.6), which is the order the decoder returns;
- ANY is one random DER element (INTEGER, NULL, BOOLEAN, OCTET STRING, UTF8String, and
  SEQUENCEs and context-tagged wrappers of those), built here without the asn1 encoder;
- recursive grammars (:func:`asn1.fix`) are unfolded at most *max_depth* times; past that
  only the alternatives that end the recursion are drawn (an empty SEQUENCE OF, an absent
  OPTIONAL, another CHOICE alternative).

:func:`asn1.map` cannot be inverted in general: an :func:`asn1.enumeration` draws its names,
any other ``map`` needs a strategy in *registry*, which maps grammar nodes (by identity) to
strategies and overrides any node, not only maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

import asn1
from asn1._grammar import (
    DEFAULT,
    OPTIONAL,
    REQUIRED,
    AnyNode,
    ChoiceNode,
    EncodedNode,
    Enumeration,
    Explicit,
    Field,
    Grammar,
    Implicit,
    Map,
    Ref,
    SequenceNode,
    SequenceOfNode,
    SetNode,
    SetOfNode,
    Size,
)
from asn1._primitives import (
    BitStringType,
    Boolean,
    GeneralizedTime,
    Integer,
    NamedBits,
    Null,
    ObjectIdentifier,
    OctetString,
    RelativeOID,
    String,
    UTCTime,
)

__all__ = ["enumeration_names", "values"]

Strategy = st.SearchStrategy[Any]
Bounds = tuple[int, int | None]

# Sizes where the grammar sets no upper bound: small, so that nested structures stay small.
MAX_ITEMS = 4
MAX_CHARS = 16
MAX_OCTETS = 40
MAX_BITS = 64
MAX_EXTRA_BITS = 8  # named BIT STRING: unnamed bits ("bitN") past the last name

_PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
_CHARSETS: dict[str, st.SearchStrategy[str]] = {
    # X.680 41: the character repertoire of each restricted string type. BMPString is UCS-2
    # (no surrogates, nothing above U+FFFF); the codec="utf-8" ones exclude lone surrogates.
    "UTF8String": st.characters(codec="utf-8"),
    "NumericString": st.sampled_from("0123456789 "),
    "PrintableString": st.sampled_from(_PRINTABLE),
    "IA5String": st.characters(max_codepoint=0x7F),
    "VisibleString": st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    "TeletexString": st.characters(max_codepoint=0xFF),
    "BMPString": st.characters(max_codepoint=0xFFFF, codec="utf-8"),
    "UniversalString": st.characters(codec="utf-8"),
}

UTC_TIMES = st.datetimes(
    min_value=datetime(1950, 1, 1),
    max_value=datetime(2049, 12, 31, 23, 59, 59),
    timezones=st.just(UTC),
).map(lambda t: t.replace(microsecond=0))
_GENERALIZED_TIMES = st.datetimes(
    min_value=datetime(1, 1, 1),
    max_value=datetime(9999, 12, 31, 23, 59, 59, 999999),
    timezones=st.just(UTC),
)
_EDGE_INTEGERS = (0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769)
_INTEGERS = st.one_of(
    st.sampled_from(_EDGE_INTEGERS),
    st.integers(min_value=-(2**16), max_value=2**16),
    st.integers(),
    st.integers(min_value=-(2**2048), max_value=2**2048),
)
_ARCS = st.one_of(st.integers(0, 200), st.integers(0, 2**32), st.integers(0, 2**160))


def values(
    grammar: Grammar[Any],
    registry: Mapping[Grammar[Any], Strategy] | None = None,
    *,
    max_depth: int = 3,
) -> Strategy:
    """A strategy for the values of *grammar*; see the module docstring."""
    strategy = _Builder(registry or {}, max_depth).build(grammar, 0, None)
    if strategy is None:
        raise ValueError(f"{grammar.name}: no value is reachable within max_depth={max_depth}")
    return strategy


def enumeration_names(grammar: Grammar[Any]) -> tuple[str, ...] | None:
    """The names of an :func:`asn1.enumeration`, or None for any other grammar."""
    return tuple(grammar.names) if isinstance(grammar, Enumeration) else None


class _Builder:
    def __init__(self, registry: Mapping[Grammar[Any], Strategy], max_depth: int) -> None:
        self.registry = registry
        self.max_depth = max_depth

    def build(self, g: Grammar[Any], depth: int, bounds: Bounds | None) -> Strategy | None:
        """A strategy for *g*, or None if *g* cannot end within the recursion budget."""
        if g in self.registry:
            return self.registry[g]
        if isinstance(g, Ref):
            if depth >= self.max_depth:
                return None
            assert g.target is not None
            return self.build(g.target, depth + 1, bounds)
        if isinstance(g, Size):
            return self._size(g, depth, bounds)
        if isinstance(g, Map):
            names = enumeration_names(g)
            if names is None:
                raise TypeError(
                    f"values(): cannot invert asn1.map over {g.inner.name}; "
                    "pass a strategy for this node in registry"
                )
            return st.sampled_from(names)
        if isinstance(g, EncodedNode):
            inner = self.build(g.inner, depth, bounds)
            return None if inner is None else inner.map(lambda v: asn1.Encoded(v, b""))
        if isinstance(g, Explicit | Implicit):
            return self.build(g.inner, depth, bounds)
        if isinstance(g, SequenceNode | SetNode):
            return self._components(g.fields, depth)
        if isinstance(g, ChoiceNode):
            return self._choice(g, depth)
        if isinstance(g, SequenceOfNode):
            return self._items(g, depth, bounds)
        if isinstance(g, AnyNode):
            return any_element()
        return _primitive(g, bounds)

    def _size(self, g: Size[Any], depth: int, bounds: Bounds | None) -> Strategy | None:
        lo, hi = g.min, g.max
        if bounds is not None:
            lo = max(lo, bounds[0])
            hi = bounds[1] if hi is None else hi if bounds[1] is None else min(hi, bounds[1])
        inner = self.build(g.inner, depth, (lo, hi))
        if inner is None:
            return None
        # The inner strategy keeps the bounds where it can; this catches the rest (a SIZE on
        # a SEQUENCE or a map), and costs nothing otherwise.
        return inner.filter(lambda v: lo <= len(v) and (hi is None or len(v) <= hi))

    def _components(self, fields: list[Field], depth: int) -> Strategy | None:
        parts: list[Strategy] = []
        for f in fields:
            s = self.build(f.grammar, depth, None)
            if f.kind == REQUIRED:
                if s is None:
                    return None
                parts.append(s)
            else:
                # OPTIONAL: the absent marker (None unless given); DEFAULT: the default value
                assert f.kind in (OPTIONAL, DEFAULT)
                marker = st.just(f.default)
                parts.append(marker if s is None else st.one_of(marker, s))
        return st.tuples(*parts)

    def _choice(self, g: ChoiceNode, depth: int) -> Strategy | None:
        alternatives = []
        for name, grammar in g._by_name.items():
            s = self.build(grammar, depth, None)
            if s is not None:
                alternatives.append(st.tuples(st.just(name), s))
        return st.one_of(alternatives) if alternatives else None

    def _items(self, g: SequenceOfNode[Any], depth: int, bounds: Bounds | None) -> Strategy | None:
        lo, hi = bounds or (0, None)
        item = self.build(g.item, depth, None)
        if item is None:
            return st.just(()) if lo == 0 else None
        items = st.lists(item, min_size=lo, max_size=_upper(lo, hi, MAX_ITEMS))
        if isinstance(g, SetOfNode):
            # X.690 11.6: DER orders SET OF by the items' encodings, and the decoder returns
            # them in that order. Plain byte order is enough: no DER element is a proper prefix
            # of another, so the zero padding of 11.6 never decides.
            item_grammar = g.item
            return items.map(
                lambda xs: tuple(sorted(xs, key=lambda x: asn1.encode_der(item_grammar, x)))
            )
        return items.map(tuple)


def _upper(lo: int, hi: int | None, default: int) -> int:
    return hi if hi is not None else max(lo, default)


def _primitive(g: Grammar[Any], bounds: Bounds | None) -> Strategy:
    lo, hi = bounds or (0, None)
    if isinstance(g, NamedBits):
        extra = [f"bit{i}" for i in range(len(g.names), len(g.names) + MAX_EXTRA_BITS)]
        names = st.sampled_from([*g.names, *extra])
        return st.frozensets(names, min_size=lo, max_size=_upper(lo, hi, len(g.names) + 2))
    if isinstance(g, BitStringType):
        bits = st.lists(st.booleans(), min_size=lo, max_size=_upper(lo, hi, MAX_BITS))
        return bits.map(asn1.BitString.from_bits)
    if isinstance(g, Boolean):
        return st.booleans()
    if isinstance(g, Integer):  # INTEGER, and ENUMERATED without names
        return _INTEGERS
    if isinstance(g, Null):
        return st.none()
    if isinstance(g, OctetString):
        return st.binary(min_size=lo, max_size=_upper(lo, hi, MAX_OCTETS))
    if isinstance(g, ObjectIdentifier):
        return _oids()
    if isinstance(g, RelativeOID):
        return st.lists(_ARCS, min_size=max(lo, 1), max_size=_upper(lo, hi, 6)).map(tuple)
    if isinstance(g, String):
        chars = _CHARSETS.get(g.name)
        if chars is None:
            raise TypeError(f"values(): no character set known for {g.name}")
        return st.text(chars, min_size=lo, max_size=_upper(lo, hi, MAX_CHARS))
    if isinstance(g, UTCTime):
        return UTC_TIMES
    if isinstance(g, GeneralizedTime):
        return _GENERALIZED_TIMES
    raise TypeError(f"values(): unknown grammar node {g!r} ({type(g).__name__})")


def _oids() -> Strategy:
    # X.690 8.19.4: the first arc is 0, 1 or 2; under 0 and 1 the second is below 40.
    def oid(head: tuple[int, int], rest: list[int]) -> asn1.OID:
        return asn1.OID((*head, *rest))

    small = st.tuples(st.integers(0, 1), st.integers(0, 39))
    joint = st.tuples(st.just(2), _ARCS)
    return st.builds(oid, st.one_of(small, joint), st.lists(_ARCS, max_size=6))


# --- ANY: random DER elements, built by hand (X.690 8.1) ---------------------------------


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def _tlv(identifier: int, content: bytes) -> bytes:
    return bytes((identifier,)) + _length(len(content)) + content


def _der_integer(n: int) -> bytes:
    size = ((n if n >= 0 else ~n).bit_length() + 8) // 8  # X.690 8.3.2: minimal octets
    return _tlv(0x02, n.to_bytes(size, "big", signed=True))


def any_element() -> st.SearchStrategy[bytes]:
    """One DER element: INTEGER, NULL, BOOLEAN, OCTET STRING (some longer than 127 octets,
    for the long length form), UTF8String, and SEQUENCE / ``[n]`` constructed around those."""
    leaves = st.one_of(
        _INTEGERS.map(_der_integer),
        st.just(b"\x05\x00"),
        st.booleans().map(lambda b: b"\x01\x01\xff" if b else b"\x01\x01\x00"),
        st.binary(max_size=MAX_OCTETS).map(lambda b: _tlv(0x04, b)),
        st.binary(min_size=128, max_size=300).map(lambda b: _tlv(0x04, b)),
        st.text(st.characters(codec="utf-8"), max_size=MAX_CHARS).map(
            lambda s: _tlv(0x0C, s.encode("utf-8"))
        ),
    )

    def containers(children: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
        sequences = st.lists(children, max_size=3).map(lambda xs: _tlv(0x30, b"".join(xs)))
        tagged = st.builds(lambda n, x: _tlv(0xA0 | n, x), st.integers(0, 30), children)
        return st.one_of(sequences, tagged)

    return st.recursive(leaves, containers, max_leaves=6)
