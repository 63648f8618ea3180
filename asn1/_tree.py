"""A grammar-free view of an encoding: the TLV tree that ``python -m asn1 dump`` prints.

Universal primitive contents are checked with the same rules as the grammar decoders (DER
unless BER is asked for), so a dump that succeeds is a structurally valid encoding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import oids
from ._core import DEFAULT_LIMITS, Ctx, Limits, TagClass, read_header
from ._errors import DecodeError
from ._primitives import (
    Primitive,
    bit_string,
    bmp_string,
    boolean,
    enumerated,
    generalized_time,
    ia5_string,
    integer,
    null,
    numeric_string,
    object_identifier,
    printable_string,
    relative_oid,
    teletex_string,
    universal_string,
    utc_time,
    utf8_string,
    visible_string,
)
from ._values import BitString

UNIVERSAL_NAMES = {
    0: "EOC",
    1: "BOOLEAN",
    2: "INTEGER",
    3: "BIT STRING",
    4: "OCTET STRING",
    5: "NULL",
    6: "OBJECT IDENTIFIER",
    7: "ObjectDescriptor",
    8: "EXTERNAL",
    9: "REAL",
    10: "ENUMERATED",
    11: "EMBEDDED PDV",
    12: "UTF8String",
    13: "RELATIVE-OID",
    14: "TIME",
    16: "SEQUENCE",
    17: "SET",
    18: "NumericString",
    19: "PrintableString",
    20: "TeletexString",
    21: "VideotexString",
    22: "IA5String",
    23: "UTCTime",
    24: "GeneralizedTime",
    25: "GraphicString",
    26: "VisibleString",
    27: "GeneralString",
    28: "UniversalString",
    29: "CHARACTER STRING",
    30: "BMPString",
}

_CHECKERS: dict[int, Primitive[Any]] = {
    p.key >> 2: p
    for p in (
        boolean,
        integer,
        bit_string,
        null,
        object_identifier,
        enumerated,
        utf8_string,
        relative_oid,
        numeric_string,
        printable_string,
        teletex_string,
        ia5_string,
        utc_time,
        generalized_time,
        visible_string,
        universal_string,
        bmp_string,
    )
}
_ALWAYS_PRIMITIVE = {1, 2, 5, 6, 9, 10, 13}
_ALWAYS_CONSTRUCTED = {8, 11, 16, 17, 29}


@dataclass(frozen=True, slots=True)
class Element:
    """One TLV element: where it is, its tag, and its value or children."""

    tag: int
    constructed: bool
    offset: int
    header_length: int
    length: int | None
    content: bytes
    children: tuple[Element, ...] = ()
    value: object = None
    encapsulated: tuple[Element, ...] = ()

    @property
    def tag_class(self) -> TagClass:
        return TagClass(self.tag & 3)

    @property
    def tag_number(self) -> int:
        return self.tag >> 2

    def tag_name(self) -> str:
        cls, number = self.tag & 3, self.tag >> 2
        if cls == TagClass.UNIVERSAL:
            return UNIVERSAL_NAMES.get(number, f"[UNIVERSAL {number}]")
        if cls == TagClass.CONTEXT:
            return f"[{number}]"
        return f"[{TagClass(cls).name} {number}]"


def parse(data: bytes, *, ber: bool = False, limits: Limits = DEFAULT_LIMITS) -> list[Element]:
    """Parse the top-level elements of *data* (one or more, back to back)."""
    if len(data) > limits.max_size:
        raise DecodeError(f"input of {len(data)} bytes exceeds the limit of {limits.max_size}")
    ctx = Ctx(ber, limits)
    out = []
    pos = 0
    while pos < len(data):
        element, pos = _element(data, pos, len(data), ctx, 0)
        out.append(element)
    if not out:
        raise DecodeError("empty input")
    return out


def _element(data: bytes, pos: int, end: int, ctx: Ctx, base: int) -> tuple[Element, int]:
    key, cons, cs, ce, ne = read_header(data, pos, end, ctx)
    universal = key & 3 == 0
    number = key >> 2
    length = None if ne != ce else ce - cs
    if universal:
        if cons and number in _ALWAYS_PRIMITIVE:
            raise DecodeError(f"{UNIVERSAL_NAMES[number]} must use the primitive encoding", pos)
        if not cons and number in _ALWAYS_CONSTRUCTED:
            raise DecodeError(f"{UNIVERSAL_NAMES[number]} must use the constructed encoding", pos)
    if cons:
        string = universal and (number in _CHECKERS or number == 4)
        if string and not ctx.ber:
            raise DecodeError(f"constructed {UNIVERSAL_NAMES[number]} is not allowed in DER", pos)
        ctx.enter(pos)
        children = []
        p = cs
        while p < ce:
            child, p = _element(data, p, ce, ctx, base)
            children.append(child)
        ctx.depth -= 1
        return Element(key, True, base + pos, cs - pos, length, b"", tuple(children)), ne
    content = data[cs:ce]
    value: object = None
    encapsulated: tuple[Element, ...] = ()
    if universal:
        checker = _CHECKERS.get(number)
        if checker is not None:
            try:
                value = checker.from_content(content, ctx.ber)
            except DecodeError as e:
                raise DecodeError(f"{UNIVERSAL_NAMES[number]}: {e.reason}", cs) from None
        if number in (3, 4):
            inner = content[1:] if number == 3 else content
            if number != 3 or (content and content[0] == 0):
                encapsulated = _encapsulated(inner, ctx, base + cs + (1 if number == 3 else 0))
    return Element(key, False, base + pos, cs - pos, length, content, (), value, encapsulated), ne


def _encapsulated(inner: bytes, ctx: Ctx, base: int) -> tuple[Element, ...]:
    """DER inside an OCTET or BIT STRING (extensions, keys): shown when the whole content is
    one SEQUENCE or SET that parses cleanly."""
    if len(inner) < 2 or inner[0] not in (0x30, 0x31):
        return ()
    sub = Ctx(ctx.ber, DEFAULT_LIMITS)
    sub.depth = ctx.depth
    try:
        element, end = _element(inner, 0, len(inner), sub, base)
    except DecodeError:
        return ()
    return (element,) if end == len(inner) else ()


def dump(data: bytes, *, ber: bool = False, names: bool = True) -> str:
    """The indented TLV tree of *data* (one or more elements back to back), as printed by
    ``python -m asn1 dump``: offset, header+content length, tag, value. DecodeError on input
    that is not DER (or BER with ``ber=True``)."""
    return render(parse(bytes(data), ber=ber), names=names)


def render(elements: list[Element], *, names: bool = True, width: int = 32) -> str:
    """The indented text form of a tree: offset, header+content length, tag, value."""
    lines: list[str] = []
    for e in elements:
        _render(e, 0, lines, names, width)
    return "\n".join(lines) + "\n"


def _render(e: Element, depth: int, lines: list[str], names: bool, width: int) -> None:
    length = "inf" if e.length is None else str(e.length)
    prefix = f"{e.offset:>6} {e.header_length}+{length:<6}{'  ' * depth}"
    head = prefix + e.tag_name()
    pad = " " * (len(prefix))
    value = _value_text(e, names)
    if isinstance(value, list):
        lines.append(head + (f" ({len(e.content)} bytes)" if e.content else ""))
        lines.extend(f"{pad}  {chunk}" for chunk in value)
    else:
        lines.append(head + (" " + value if value else ""))
    for child in e.children:
        _render(child, depth + 1, lines, names, width)
    if e.encapsulated:
        lines.append(f"{pad}  (encapsulates)")
        for child in e.encapsulated:
            _render(child, depth + 2, lines, names, width)


def _value_text(e: Element, names: bool) -> str | list[str]:
    if e.constructed:
        return ""
    v = e.value
    number = e.tag_number if e.tag_class == TagClass.UNIVERSAL else -1
    if number == 6 and isinstance(v, str):
        label = oids.name(v) if names else None
        return f"{v} ({label})" if label else v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v) if v.bit_length() <= 64 else _hex(e.content)
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, tuple):
        return ".".join(map(str, v))
    if isinstance(v, BitString):
        if e.encapsulated:
            return f"(unused {v.unused})"
        return _hex(v.data) if v.data else f"(unused {v.unused})"
    if number == 5:
        return ""
    if e.encapsulated:
        return ""
    return _hex(e.content) if e.content else "''"


def _hex(b: bytes) -> str | list[str]:
    if len(b) <= 16:
        return b.hex(" ")
    return [b[i : i + 16].hex(" ") for i in range(0, len(b), 16)]


__all__ = ["UNIVERSAL_NAMES", "Element", "dump", "parse", "render"]
