"""asn1tools as an oracle for asn1: its DER codec, and values converted both ways.

:func:`to_asn1tools` and :func:`from_asn1tools` walk an asn1 grammar and turn a value of our
representation into asn1tools' and back:

==========================  =====================================  =============================
type                        asn1                                   asn1tools
==========================  =====================================  =============================
SEQUENCE, SET               tuple, absent OPTIONAL is None         dict without absent keys
SEQUENCE OF, SET OF         tuple                                  list
CHOICE                      ``(name, value)``                      ``(name, value)``
BIT STRING                  ``BitString(data, unused)``            ``(data, number_of_bits)``
named BIT STRING            frozenset of names (``bitN``)          ``(data, number_of_bits)``
ENUMERATED (enumeration)    name                                   name
INTEGER (enumeration)       name                                   number
OBJECT IDENTIFIER           :class:`asn1.OID`                      dotted str
UTCTime, GeneralizedTime    aware datetime in UTC                  naive datetime in UTC
ANY                         bytes                                  bytes (bytearray decoded)
==========================  =====================================  =============================

:func:`compile_der` compiles a module with asn1tools' DER codec and corrects the places
where that codec does not produce or read DER (see :func:`_correct`); the value-level quirks
are handled in the converters, each where it applies.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asn1tools
from asn1tools.codecs import ber, der

import asn1
from asn1._grammar import (
    DEFAULT,
    OPTIONAL,
    AnyNode,
    ChoiceNode,
    EncodedNode,
    Enumeration,
    Explicit,
    Grammar,
    Implicit,
    Map,
    Ref,
    SequenceNode,
    SequenceOfNode,
    SetNode,
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

__all__ = ["compile_der", "from_asn1tools", "to_asn1tools"]


def compile_der(path: Path | str) -> Any:
    """``asn1tools.compile_files(path, "der")``, corrected to produce and read DER."""
    spec = asn1tools.compile_files(str(path), "der")
    seen: set[int] = set()
    for compiled in spec.types.values():
        _correct(compiled.type, seen)
    return spec


# --- value conversion ------------------------------------------------------------------------


def to_asn1tools(g: Grammar[Any], value: Any) -> Any:
    """Our value of *g* as asn1tools represents it."""
    g = _unwrap(g)
    if isinstance(g, Enumeration):
        # ENUMERATED: asn1tools uses the names too; INTEGER with named numbers: the number.
        return value if _is_enumerated(g) else g.names[value]
    if isinstance(g, EncodedNode):
        return to_asn1tools(g.inner, value.value)
    if isinstance(g, SequenceNode | SetNode):
        out = {}
        for f, v in zip(g.fields, value, strict=True):
            # Absent components are left out. So are DEFAULT values: asn1tools compares a
            # value with the default as written in the module, and a default written as a
            # named number (TBSCertificate: "version [0] Version DEFAULT v1") stays the string
            # "v1", so asn1tools would encode version 0 explicitly, against X.690 11.5.
            if (f.kind == OPTIONAL and v is f.default) or (f.kind == DEFAULT and v == f.default):
                continue
            out[f.name] = to_asn1tools(f.grammar, v)
        return out
    if isinstance(g, ChoiceNode):
        name, v = value
        return name, to_asn1tools(g._by_name[name], v)
    if isinstance(g, SequenceOfNode):
        return [to_asn1tools(g.item, v) for v in value]
    if isinstance(g, NamedBits):
        return _bits_to(_named_bit_string(g, value))
    if isinstance(g, BitStringType):
        return _bits_to(value)
    if isinstance(g, ObjectIdentifier):
        return str(value)
    if isinstance(g, UTCTime | GeneralizedTime):
        t: datetime = value
        return t.astimezone(UTC).replace(tzinfo=None)
    if isinstance(g, OctetString | AnyNode):
        return bytes(value)
    if isinstance(g, Boolean | Integer | Null | String):
        return value
    raise _unsupported(g)


def from_asn1tools(g: Grammar[Any], value: Any) -> Any:
    """asn1tools' value of *g* in our representation."""
    g = _unwrap(g)
    if isinstance(g, Enumeration):
        if _is_enumerated(g):
            return value
        return next(name for name, number in g.names.items() if number == value)
    if isinstance(g, EncodedNode):
        # The exact encoding is not known here; compare such values by their .value.
        return asn1.Encoded(from_asn1tools(g.inner, value), b"")
    if isinstance(g, SequenceNode | SetNode):
        out = []
        for f in g.fields:
            if f.name not in value:
                out.append(f.default)  # the absent marker (None unless given) for OPTIONAL
                continue
            v = value[f.name]
            if f.kind == DEFAULT and isinstance(v, str) and _is_integer(f.grammar):
                # asn1tools fills an absent DEFAULT in with the default as written in the
                # module: "version [0] Version DEFAULT v1" decodes to the string "v1".
                out.append(f.default)
                continue
            out.append(from_asn1tools(f.grammar, v))
        return tuple(out)
    if isinstance(g, ChoiceNode):
        name, v = value
        return name, from_asn1tools(g._by_name[name], v)
    if isinstance(g, SequenceOfNode):
        return tuple(from_asn1tools(g.item, v) for v in value)
    if isinstance(g, NamedBits):
        flags = _bits_from(value).bits()
        return frozenset(
            g.names[i] if i < len(g.names) else f"bit{i}" for i, b in enumerate(flags) if b
        )
    if isinstance(g, BitStringType):
        return _bits_from(value)
    if isinstance(g, ObjectIdentifier):
        return asn1.OID(value)
    if isinstance(g, UTCTime | GeneralizedTime):
        t: datetime = value
        return t.replace(tzinfo=UTC)
    if isinstance(g, OctetString | AnyNode):
        return bytes(value)
    if isinstance(g, Boolean | Integer | Null | String):
        return value
    raise _unsupported(g)


def _unwrap(g: Grammar[Any]) -> Grammar[Any]:
    """Through the nodes that change neither the value nor its representation."""
    while True:
        if isinstance(g, Explicit | Implicit | Size):
            g = g.inner
        elif isinstance(g, Ref):
            assert g.target is not None
            g = g.target
        else:
            return g


def _is_integer(g: Grammar[Any]) -> bool:
    """INTEGER, with or without named numbers (an enumeration over it)."""
    g = _unwrap(g)
    if isinstance(g, Enumeration):
        return not _is_enumerated(g)
    return isinstance(g, Integer) and g.key == asn1.integer.key


def _is_enumerated(g: Enumeration) -> bool:
    base = _unwrap(g.inner)
    return isinstance(base, Integer) and base.key == asn1.enumerated.key


def _unsupported(g: Grammar[Any]) -> TypeError:
    if isinstance(g, RelativeOID):
        return TypeError("asn1tools' DER codec has no RELATIVE-OID")
    if isinstance(g, Map):
        return TypeError(f"no asn1tools conversion for asn1.map over {g.inner.name}")
    return TypeError(f"no asn1tools conversion for {g!r} ({type(g).__name__})")


def _named_bit_string(g: NamedBits, names: frozenset[str]) -> asn1.BitString:
    positions = [g.names.index(n) if n in g.names else int(n.removeprefix("bit")) for n in names]
    flags = [False] * (max(positions, default=-1) + 1)  # X.690 11.2.2: no trailing 0 bits
    for i in positions:
        flags[i] = True
    return asn1.BitString.from_bits(flags)


def _bits_to(bits: asn1.BitString) -> tuple[bytes, int]:
    return bits.data, len(bits)


def _bits_from(value: tuple[bytes, int]) -> asn1.BitString:
    data, number_of_bits = value
    return asn1.BitString(bytes(data), len(data) * 8 - number_of_bits)


# --- corrections to asn1tools' DER codec ---------------------------------------------------


def _tag_order(element: bytes) -> tuple[int, int]:
    """X.680 8.6 canonical order of an element's tag: class, then number (X.690 8.1.2)."""
    cls, number = element[0] >> 6, element[0] & 0x1F
    if number == 0x1F:
        number = 0
        for octet in element[1:]:
            number = number << 7 | (octet & 0x7F)
            if not octet & 0x80:
                break
    return cls, number


class _DerSet(ber.Set):  # type: ignore[misc]
    """asn1tools encodes SET components in the order the module declares them; X.690 10.3
    wants them sorted by tag (X.680 8.6; an untagged CHOICE by the chosen alternative's)."""

    def encode_content(self, data: dict[str, Any], values: Any = None) -> bytearray:
        parts: list[bytes] = []
        for member in self.root_members:
            encoded = bytearray()
            self.encode_member(member, data, encoded)
            if encoded:
                parts.append(bytes(encoded))
        parts.sort(key=_tag_order)
        return bytearray(b"".join(parts))


class _DerSetOf(der.SetOf):  # type: ignore[misc]
    """asn1tools encodes SET OF items in the given order; X.690 11.6 wants the encodings in
    ascending order (as octet strings, padded with zeros: plain byte order, since no DER
    element is a proper prefix of another)."""

    def encode_content(self, data: list[Any], values: Any = None) -> bytearray:
        parts = []
        for item in data:
            encoded = bytearray()
            self.element_type.encode(item, encoded)
            parts.append(bytes(encoded))
        return bytearray(b"".join(sorted(parts)))


class _DerUTCTime(der.UTCTime):  # type: ignore[misc]
    """asn1tools reads YY with ``strptime("%y")``, which puts 50-68 in 2050-2068; RFC 5280
    4.1.2.5.1 (and our asn1): YY >= 50 is 19YY."""

    def decode_content(self, data: bytearray, offset: int, length: int) -> tuple[datetime, int]:
        t, end = super().decode_content(data, offset, length)
        if t.year >= 2050:
            t = t.replace(year=t.year - 100)
        return t, end


class _DerGeneralizedTime(der.GeneralizedTime):  # type: ignore[misc]
    """asn1tools writes the year with ``strftime("%Y")``, which glibc does not pad to four
    digits (year 999 -> "999"); X.680 46.3 wants YYYY."""

    def encode_content(self, data: datetime, values: Any = None) -> bytes:
        if data.tzinfo is not None:
            data = data.astimezone(UTC).replace(tzinfo=None)
        text = f"{data.year:04d}" + data.strftime("%m%d%H%M%S")
        if data.microsecond:
            text += f".{data.microsecond:06d}".rstrip("0")
        return (text + "Z").encode("ascii")


class _DerObjectIdentifier(ber.ObjectIdentifier):  # type: ignore[misc]
    """asn1tools splits the first subidentifier as ``(s // 40, s % 40)``: 2.999 comes back as
    26.39. X.690 8.19.4: a first subidentifier of 80 or more is 2 and ``s - 80``."""

    def decode_content(self, data: bytearray, offset: int, length: int) -> tuple[str, int]:
        text, end = super().decode_content(data, offset, length)
        first, second, *rest = (int(a) for a in text.split("."))
        if first > 2:
            first, second = 2, first * 40 + second - 80
        return ".".join(str(a) for a in (first, second, *rest)), end


class _DerAnyDefinedBy(ber.AnyDefinedBy):  # type: ignore[misc]
    """Under an EXPLICIT tag (RFC 5280 AnotherName: "value [0] EXPLICIT ANY DEFINED BY
    type-id") asn1tools calls encode/decode without the enclosing values, which its
    ANY DEFINED BY requires: a TypeError. With no table of choices (none of our modules has
    one) it is a plain ANY and needs none."""

    def encode(self, data: bytes, encoded: bytearray, values: Any = None) -> None:
        if self.choices:
            super().encode(data, encoded, values)
        else:
            encoded.extend(data)

    def decode(self, data: bytearray, offset: int, values: Any = None) -> tuple[Any, int]:
        if self.choices:
            return super().decode(data, offset, values)  # type: ignore[no-any-return]
        any_type: Any = ber.Any(self.name)
        return any_type.decode(data, offset)  # type: ignore[no-any-return]


_CORRECTIONS: tuple[tuple[type, type], ...] = (
    (ber.Set, _DerSet),
    (der.SetOf, _DerSetOf),
    (der.UTCTime, _DerUTCTime),
    (der.GeneralizedTime, _DerGeneralizedTime),
    (ber.ObjectIdentifier, _DerObjectIdentifier),
    (ber.AnyDefinedBy, _DerAnyDefinedBy),
)


def _correct(node: Any, seen: set[int]) -> None:
    """Swap the class of each compiled node that needs a correction, through the whole tree."""
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    for broken, fixed in _CORRECTIONS:
        if type(node) is broken:
            node.__class__ = fixed
    for attr in ("root_members", "members"):
        for child in getattr(node, attr, None) or ():
            _correct(child, seen)
    for attr in ("element_type", "inner"):
        _correct(getattr(node, attr, None), seen)
