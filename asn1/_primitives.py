"""The universal types of X.680 and their contents octets (X.690 clause 8, DER clause 11)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeVar

from ._core import Ctx, read_header, tag_key
from ._errors import DecodeError, EncodeError, GrammarError
from ._grammar import Tagged
from ._values import OID, BitString

T = TypeVar("T")

# An explicit limit on one OID subidentifier (about 2800 bits): any realistic arc, UUID arcs
# included, fits; decoding stays linear and str() of the OID always works.
MAX_SUBIDENTIFIER_OCTETS = 400


class Primitive(Tagged[T]):
    """A universal type whose value lives in its contents octets.

    Strings may be segmented (a constructed encoding) in BER only (X.690 8.23); DER requires
    the primitive form (X.690 10.2). Everything else is always primitive.
    """

    __slots__ = ()
    segmentable = False

    def __init__(self, name: str, number: int) -> None:
        super().__init__(name, tag_key(number), False)

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> T:
        if cons:
            if not self.segmentable:
                raise DecodeError(f"{self.name} must use the primitive encoding", cs)
            if not ctx.ber:
                raise DecodeError(f"constructed {self.name} is not allowed in DER", cs)
            content = self._gather(data, cs, ce, ctx)
        else:
            content = data[cs:ce]
        try:
            return self.from_content(content, ctx.ber)
        except DecodeError as e:
            if e.offset is None:
                e.offset = cs
            raise

    def _gather(self, data: bytes, cs: int, ce: int, ctx: Ctx) -> bytes:
        """BER 8.23.3: a constructed string is the concatenation of its segments, each an
        encoding of the same universal type (possibly constructed itself)."""
        return b"".join(self._segments(data, cs, ce, ctx))

    def _segments(self, data: bytes, cs: int, ce: int, ctx: Ctx) -> list[bytes]:
        ctx.enter(cs)
        out: list[bytes] = []
        pos = cs
        while pos < ce:
            key, cons, ics, ice, ine = read_header(data, pos, ce, ctx)
            if key != self.key:
                raise DecodeError(f"segment of a constructed {self.name} has the wrong tag", pos)
            if cons:
                out.extend(self._segments(data, ics, ice, ctx))
            else:
                out.append(data[ics:ice])
            pos = ine
        ctx.depth -= 1
        return out

    def from_content(self, content: bytes, ber: bool) -> T:
        raise NotImplementedError

    def to_content(self, value: T) -> bytes:
        raise NotImplementedError

    def _enc_content(self, value: T) -> bytes:
        return self.to_content(value)


def _need(value: object, kind: type | tuple[type, ...], what: str) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EncodeError(f"{what} takes {_kind_name(kind)}, not {type(value).__name__}")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


class Boolean(Primitive[bool]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("BOOLEAN", 1)

    def from_content(self, content: bytes, ber: bool) -> bool:
        if len(content) != 1:
            raise DecodeError("BOOLEAN content must be one octet")
        if not ber and content[0] not in (0x00, 0xFF):
            raise DecodeError("BOOLEAN must be 0x00 or 0xFF in DER (X.690 11.1)")
        return content[0] != 0

    def to_content(self, value: bool) -> bytes:
        _need(value, bool, "BOOLEAN")
        return b"\xff" if value else b"\x00"


class Integer(Primitive[int]):
    """INTEGER and ENUMERATED: two's complement in the minimal number of octets (8.3.2)."""

    __slots__ = ()

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> int:
        if cons:
            raise DecodeError(f"{self.name} must use the primitive encoding", cs)
        if ce - cs > 1:
            b0, b1 = data[cs], data[cs + 1]
            if (b0 == 0 and b1 < 0x80) or (b0 == 0xFF and b1 >= 0x80):
                raise DecodeError(f"{self.name} has a redundant leading octet (X.690 8.3.2)", cs)
        elif ce == cs:
            raise DecodeError(f"{self.name} with empty content", cs)
        return int.from_bytes(data[cs:ce], "big", signed=True)

    def from_content(self, content: bytes, ber: bool) -> int:
        if len(content) > 1 and (
            (content[0] == 0 and content[1] < 0x80) or (content[0] == 0xFF and content[1] >= 0x80)
        ):
            raise DecodeError(f"{self.name} has a redundant leading octet (X.690 8.3.2)")
        if not content:
            raise DecodeError(f"{self.name} with empty content")
        return int.from_bytes(content, "big", signed=True)

    def to_content(self, value: int) -> bytes:
        _need(value, int, self.name)
        n = ((value if value >= 0 else ~value).bit_length() + 8) // 8
        return value.to_bytes(n, "big", signed=True)


class Null(Primitive[None]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("NULL", 5)

    def from_content(self, content: bytes, ber: bool) -> None:
        if content:
            raise DecodeError("NULL must have empty content")

    def to_content(self, value: None) -> bytes:
        if value is not None:
            raise EncodeError(f"NULL takes None, not {type(value).__name__}")
        return b""


class OctetString(Primitive[bytes]):
    __slots__ = ()
    segmentable = True

    def __init__(self) -> None:
        super().__init__("OCTET STRING", 4)

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> bytes:
        if not cons:
            return data[cs:ce]
        return super()._content(data, cons, cs, ce, ctx)

    def from_content(self, content: bytes, ber: bool) -> bytes:
        return content

    def to_content(self, value: bytes) -> bytes:
        _need(value, (bytes, bytearray, memoryview), "OCTET STRING")
        return bytes(value)


_new = object.__new__
_SET_BITS_DATA = vars(BitString)["data"].__set__
_SET_BITS_UNUSED = vars(BitString)["unused"].__set__


class BitStringType(Primitive[BitString]):
    """BIT STRING (8.6): an initial octet counting the unused bits of the last octet."""

    __slots__ = ()
    segmentable = True

    def __init__(self) -> None:
        super().__init__("BIT STRING", 3)

    def _gather(self, data: bytes, cs: int, ce: int, ctx: Ctx) -> bytes:
        segments = self._segments(data, cs, ce, ctx)
        body = []
        unused = 0
        for i, seg in enumerate(segments):
            if not seg:
                raise DecodeError("BIT STRING segment without its unused-bits octet", cs)
            if seg[0] and i != len(segments) - 1:
                raise DecodeError("only the last BIT STRING segment may have unused bits", cs)
            unused = seg[0]
            body.append(seg[1:])
        return bytes((unused,)) + b"".join(body)

    def from_content(self, content: bytes, ber: bool) -> BitString:
        if not content:
            raise DecodeError("BIT STRING without its unused-bits octet")
        unused = content[0]
        if unused > 7:
            raise DecodeError(f"BIT STRING with {unused} unused bits (at most 7, X.690 8.6.2.2)")
        if len(content) == 1:
            if unused:
                raise DecodeError("empty BIT STRING with unused bits (X.690 8.6.2.3)")
            return BitString(b"", 0)
        last = content[-1]
        mask = (1 << unused) - 1
        if last & mask:
            if not ber:
                raise DecodeError("BIT STRING padding bits are not zero (X.690 11.2.1)")
            content = content[:-1] + bytes((last & ~mask & 0xFF,))
        # BitString(content[1:], unused) without its __post_init__, whose checks on the
        # types, on unused (0..7, 0 when empty) and on the padding bits hold here.
        bits = _new(BitString)
        _SET_BITS_DATA(bits, content[1:])
        _SET_BITS_UNUSED(bits, unused)
        return bits

    def to_content(self, value: BitString) -> bytes:
        _need(value, BitString, "BIT STRING")
        return bytes((value.unused,)) + value.data


class NamedBits(Primitive[frozenset[str]]):
    """BIT STRING { name(0), ... } as a set of names (keyUsage). In DER trailing zero bits
    are removed (X.690 11.2.2), so the last bit of a non-empty value is 1. A set bit with no
    name is reported as ``bitN``. With ``strict=False`` trailing zero bits are accepted when
    decoding DER (some deployed certificates carry them); encoding is always minimal."""

    __slots__ = ("_index", "names", "strict")

    def __init__(self, names: Sequence[str], strict: bool = True) -> None:
        super().__init__("BIT STRING", 3)
        self.strict = strict
        self.names = tuple(names)
        if len(frozenset(self.names)) != len(self.names):
            raise GrammarError("named bits: duplicate names")
        self._index = {n: i for i, n in enumerate(self.names)}

    segmentable = True

    def _gather(self, data: bytes, cs: int, ce: int, ctx: Ctx) -> bytes:
        return _BIT_STRING._gather(data, cs, ce, ctx)

    size_pads_to_min = True

    def _size_of(self, value: frozenset[str]) -> int:
        positions = self._positions(value)
        return max(positions, default=-1) + 1

    def from_content(self, content: bytes, ber: bool) -> frozenset[str]:
        bits = _BIT_STRING.from_content(content, ber)
        n = len(bits.data) * 8 - bits.unused  # len(bits)
        if not n:
            return frozenset()
        # Bit i (first bit 0) is bit n - 1 - i of the number the n bits make.
        value = int.from_bytes(bits.data, "big") >> bits.unused
        if not value & 1 and not ber and self.strict:
            raise DecodeError("named BIT STRING with trailing zero bits (X.690 11.2.2)")
        names = self.names
        out = []
        while value:
            low = value & -value
            i = n - low.bit_length()
            out.append(names[i] if i < len(names) else f"bit{i}")
            value ^= low
        return frozenset(out)

    def der_content(self, data: bytes, s: int, e: int) -> frozenset[str]:
        """``from_content(data[s:e], False)`` without the BitString in between (for the
        compiled decoder); raises ValueError where that raises DecodeError."""
        if e <= s:
            raise ValueError("BIT STRING without its unused-bits octet")
        unused = data[s]
        if unused > 7 or (e - s == 1 and unused):
            raise ValueError("bad unused-bits octet")
        if e - s == 1:
            return frozenset()
        if data[e - 1] & ((1 << unused) - 1):
            raise ValueError("BIT STRING padding bits are not zero (X.690 11.2.1)")
        n = (e - s - 1) * 8 - unused
        value = int.from_bytes(data[s + 1 : e], "big") >> unused
        if not value & 1 and self.strict:
            raise ValueError("named BIT STRING with trailing zero bits (X.690 11.2.2)")
        names = self.names
        out = []
        while value:
            low = value & -value
            i = n - low.bit_length()
            out.append(names[i] if i < len(names) else f"bit{i}")
            value ^= low
        return frozenset(out)

    def to_content(self, value: frozenset[str]) -> bytes:
        positions = self._positions(value)
        top = max(positions, default=-1)
        flags = [False] * (top + 1)
        for i in positions:
            flags[i] = True
        return _BIT_STRING.to_content(BitString.from_bits(flags))

    def _positions(self, value: frozenset[str]) -> list[int]:
        _need(value, (frozenset, set), "a named BIT STRING")
        positions = []
        for name in value:
            i = self._index.get(name)
            if i is None and isinstance(name, str) and name.startswith("bit"):
                digits = name[3:]
                if digits.isdigit() and int(digits) >= len(self.names):
                    i = int(digits)
            if i is None:
                raise EncodeError(f"{name!r} is not a named bit")
            positions.append(i)
        return positions


_BIT_STRING = BitStringType()


def _arcs(content: bytes, relative: bool) -> tuple[int, ...]:
    """X.690 8.19.2 / 8.20.2: base-128 subidentifiers, no leading 0x80, last octet < 0x80."""
    if not content:
        raise DecodeError("empty OBJECT IDENTIFIER" if not relative else "empty RELATIVE-OID")
    if content[-1] & 0x80:
        raise DecodeError("truncated subidentifier")
    arcs = []
    start = 0
    for i, b in enumerate(content):
        if b & 0x80:
            if i == start and b == 0x80:
                raise DecodeError("subidentifier with a leading 0x80 octet (X.690 8.19.2)")
            continue
        if i - start >= MAX_SUBIDENTIFIER_OCTETS:
            raise DecodeError("subidentifier longer than the limit")
        v = 0
        for c in content[start : i + 1]:
            v = v << 7 | (c & 0x7F)
        arcs.append(v)
        start = i + 1
    return tuple(arcs)


def _subidentifiers(arcs: Sequence[int]) -> bytes:
    out = bytearray()
    for a in arcs:
        groups = [a & 0x7F]
        a >>= 7
        while a:
            groups.append(0x80 | (a & 0x7F))
            a >>= 7
        out.extend(reversed(groups))
    return bytes(out)


# Certificates repeat a few dozen OIDs: the short ones are kept, up to OID_CACHE_SIZE of them
# (then the cache starts again empty), so that it stays small whatever the input.
OID_CACHED_OCTETS = 32
OID_CACHE_SIZE = 1024
_OID_CACHE: dict[bytes, OID] = {}
oid_cache_get = _OID_CACHE.get


def _oid_from(content: bytes) -> OID:
    oid = _OID_CACHE.get(content)
    if oid is None:
        oid = _oid_uncached(content)
        if len(content) <= OID_CACHED_OCTETS:
            if len(_OID_CACHE) >= OID_CACHE_SIZE:
                _OID_CACHE.clear()
            _OID_CACHE[content] = oid
    return oid


def _oid_uncached(content: bytes) -> OID:
    arcs = _arcs(content, False)
    first = arcs[0]
    # X.690 8.19.4: the first subidentifier is 40 * X + Y.
    head = (0, first) if first < 40 else (1, first - 40) if first < 80 else (2, first - 80)
    return OID._trusted(".".join(str(a) for a in (*head, *arcs[1:])))


@lru_cache(maxsize=1024)
def _oid_to(value: str) -> bytes:
    arcs = OID(value).arcs
    return _subidentifiers((arcs[0] * 40 + arcs[1], *arcs[2:]))


class ObjectIdentifier(Primitive[OID]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("OBJECT IDENTIFIER", 6)

    def from_content(self, content: bytes, ber: bool) -> OID:
        return _oid_from(content)

    def to_content(self, value: OID) -> bytes:
        _need(value, str, "OBJECT IDENTIFIER")
        try:
            return _oid_to(str(value))
        except ValueError as e:
            raise EncodeError(str(e)) from None


class RelativeOID(Primitive[tuple[int, ...]]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("RELATIVE-OID", 13)

    def from_content(self, content: bytes, ber: bool) -> tuple[int, ...]:
        return _arcs(content, True)

    def to_content(self, value: tuple[int, ...]) -> bytes:
        _need(value, (tuple, list), "RELATIVE-OID")
        if not value or any(not isinstance(a, int) or isinstance(a, bool) or a < 0 for a in value):
            raise EncodeError("RELATIVE-OID takes a non-empty tuple of non-negative integers")
        return _subidentifiers(value)


# --- character strings (X.680 41, 43) -------------------------------------------------------

# The decoders _charset makes, with the octets each allows (for the compiled decoder).
CHARSETS: dict[Callable[[bytes], str], bytes] = {}

_PRINTABLE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
_NUMERIC = b"0123456789 "
_VISIBLE = bytes(range(0x20, 0x7F))
_IA5 = bytes(range(0x80))


def _charset(allowed: bytes, what: str) -> tuple[Callable[[bytes], str], Callable[[str], bytes]]:
    def dec(content: bytes) -> str:
        if content.translate(None, allowed):
            raise DecodeError(f"character outside the {what} set")
        return content.decode("ascii")

    CHARSETS[dec] = allowed

    def enc(value: str) -> bytes:
        try:
            raw = value.encode("ascii")
        except UnicodeEncodeError:
            raise EncodeError(f"character outside the {what} set") from None
        if raw.translate(None, allowed):
            raise EncodeError(f"character outside the {what} set")
        return raw

    return dec, enc


def _utf8_dec(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DecodeError(f"invalid UTF-8: {e.reason}") from None


def _utf8_enc(value: str) -> bytes:
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise EncodeError("string with a lone surrogate is not UTF-8") from None


def _latin1_dec(content: bytes) -> str:
    return content.decode("latin-1")


def _latin1_enc(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        raise EncodeError("TeletexString holds only characters U+0000..U+00FF here") from None


def _bmp_dec(content: bytes) -> str:
    # BMPString is UCS-2 (X.680 41.16): 16-bit code units, no surrogates.
    if len(content) % 2:
        raise DecodeError("BMPString of odd length")
    units = [content[i] << 8 | content[i + 1] for i in range(0, len(content), 2)]
    if any(0xD800 <= u <= 0xDFFF for u in units):
        raise DecodeError("BMPString with a surrogate code unit")
    return "".join(map(chr, units))


def _bmp_enc(value: str) -> bytes:
    if any(ord(c) > 0xFFFF or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise EncodeError("BMPString holds only non-surrogate characters up to U+FFFF")
    return value.encode("utf-16-be")


def _ucs4_dec(content: bytes) -> str:
    if len(content) % 4:
        raise DecodeError("UniversalString length not a multiple of 4")
    try:
        return content.decode("utf-32-be")
    except UnicodeDecodeError:
        raise DecodeError("UniversalString with a surrogate or a value above U+10FFFF") from None


def _ucs4_enc(value: str) -> bytes:
    try:
        return value.encode("utf-32-be")
    except UnicodeEncodeError:
        raise EncodeError("UniversalString cannot hold a lone surrogate") from None


class String(Primitive[str]):
    __slots__ = ("_dec_chars", "_enc_chars")
    segmentable = True

    def __init__(
        self,
        name: str,
        number: int,
        codec: tuple[Callable[[bytes], str], Callable[[str], bytes]],
    ) -> None:
        super().__init__(name, number)
        self._dec_chars, self._enc_chars = codec

    def from_content(self, content: bytes, ber: bool) -> str:
        return self._dec_chars(content)

    def to_content(self, value: str) -> bytes:
        _need(value, str, self.name)
        return self._enc_chars(value)


# --- time (X.680 46, 47; DER X.690 11.7, 11.8) --------------------------------------------

_UTC_DER = re.compile(rb"(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z")
_UTC_BER = re.compile(rb"(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d\d\d\d)")
_GEN_DER = re.compile(rb"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d*[1-9]))?Z")
_GEN_BER = re.compile(rb"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)?(\d\d)?(?:[.,](\d+))?(Z|[+-]\d\d\d\d)")


def _zone(z: bytes) -> timezone:
    if z == b"Z":
        return UTC
    hours, minutes = int(z[1:3]), int(z[3:5])
    if hours > 23 or minutes > 59:
        raise DecodeError("time zone offset out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if z[:1] == b"-" else delta)


def _moment(
    year: int, fields: Sequence[bytes | None], fraction: bytes | None, zone: bytes
) -> datetime:
    month, day, hour, minute, second = (int(f) if f else 0 for f in fields)
    micro = 0
    if fraction:
        if len(fraction) > 6:
            raise DecodeError("time with a fraction finer than a microsecond")
        micro = int(fraction.ljust(6, b"0"))
    try:
        moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=_zone(zone))
    except ValueError as e:
        raise DecodeError(f"invalid date or time: {e}") from None
    return moment.astimezone(UTC)


def _plain(d: bytes, year: int) -> datetime:
    """The DER moment of the ten ASCII digits MMDDHHMMSS *d* after the year, in UTC (what
    _moment makes of the same fields, without the regular expression)."""
    try:
        return datetime(
            year,
            d[0] * 10 + d[1] - 528,  # 528 = 11 * ord("0"): two ASCII digits as a number
            d[2] * 10 + d[3] - 528,
            d[4] * 10 + d[5] - 528,
            d[6] * 10 + d[7] - 528,
            d[8] * 10 + d[9] - 528,
            tzinfo=UTC,
        )
    except ValueError as e:
        raise DecodeError(f"invalid date or time: {e}") from None


def _utc(value: datetime, what: str) -> datetime:
    _need(value, datetime, what)
    if value.tzinfo is None or value.utcoffset() is None:
        raise EncodeError(f"{what} takes a timezone-aware datetime")
    return value.astimezone(UTC)


def utc_time_der(data: bytes, s: int, e: int) -> datetime:
    """UTCTime.from_content(data[s:e], False) for the DER form YYMMDDHHMMSSZ (the compiled
    decoder's); raises ValueError for anything else (the interpreter then names it)."""
    content = data[s:e]
    if len(content) != 13 or content[12] != 0x5A or not content[:12].isdigit():
        raise ValueError("not the DER form of UTCTime")
    text = content.decode("ascii")
    # RFC 5280 4.1.2.5.1: YY of 50 or more is 19YY, else 20YY. The ISO 8601 basic form
    # made of the checked digits: the same fields and range checks as datetime(...).
    century = "19" if text[0] >= "5" else "20"
    return datetime.fromisoformat(f"{century}{text[:6]}T{text[6:12]}+00:00")


class UTCTime(Primitive[datetime]):
    """UTCTime: DER form YYMMDDHHMMSSZ; years 50-99 are 19xx, 00-49 are 20xx (RFC 5280
    4.1.2.5.1). Values are timezone-aware ``datetime`` in UTC."""

    __slots__ = ()
    segmentable = True

    def __init__(self) -> None:
        super().__init__("UTCTime", 23)

    def from_content(self, content: bytes, ber: bool) -> datetime:
        # The DER form, YYMMDDHHMMSSZ, read without the regular expression.
        if not ber and len(content) == 13 and content[12] == 0x5A and content[:12].isdigit():
            yy = content[0] * 10 + content[1] - 528
            return _plain(content[2:12], 1900 + yy if yy >= 50 else 2000 + yy)
        m = (_UTC_BER if ber else _UTC_DER).fullmatch(content)
        if m is None:
            raise DecodeError("UTCTime not in the form YYMMDDHHMMSSZ (X.690 11.8)")
        g = m.groups()
        yy = int(g[0])
        year = 1900 + yy if yy >= 50 else 2000 + yy
        return _moment(year, g[1:6], None, g[6] if ber else b"Z")

    def to_content(self, value: datetime) -> bytes:
        t = _utc(value, "UTCTime")
        if not 1950 <= t.year <= 2049:
            raise EncodeError("UTCTime holds years 1950-2049 only")
        if t.microsecond:
            raise EncodeError("UTCTime cannot hold fractions of a second")
        return t.strftime("%y%m%d%H%M%SZ").encode("ascii")


class GeneralizedTime(Primitive[datetime]):
    """GeneralizedTime: DER form YYYYMMDDHHMMSS[.f]Z, the fraction without trailing zeros
    (X.690 11.7). Values are timezone-aware ``datetime`` in UTC."""

    __slots__ = ()
    segmentable = True

    def __init__(self) -> None:
        super().__init__("GeneralizedTime", 24)

    def from_content(self, content: bytes, ber: bool) -> datetime:
        # The DER form without a fraction, YYYYMMDDHHMMSSZ, read without the regular
        # expression.
        if not ber and len(content) == 15 and content[14] == 0x5A and content[:14].isdigit():
            return _plain(content[4:14], int(content[:4]))  # int() reads ASCII digits
        m = (_GEN_BER if ber else _GEN_DER).fullmatch(content)
        if m is None:
            raise DecodeError("GeneralizedTime not in the form YYYYMMDDHHMMSS[.f]Z (X.690 11.7)")
        g = m.groups()
        return _moment(int(g[0]), g[1:6], g[6], g[7] if ber else b"Z")

    def to_content(self, value: datetime) -> bytes:
        t = _utc(value, "GeneralizedTime")
        text = f"{t.year:04d}{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}"
        if t.microsecond:
            text += "." + f"{t.microsecond:06d}".rstrip("0")
        return (text + "Z").encode("ascii")


# --- the instances ---------------------------------------------------------------------------

boolean = Boolean()
integer = Integer("INTEGER", 2)
enumerated = Integer("ENUMERATED", 10)
null = Null()
octet_string = OctetString()
bit_string = _BIT_STRING
object_identifier = ObjectIdentifier()
relative_oid = RelativeOID()
utf8_string = String("UTF8String", 12, (_utf8_dec, _utf8_enc))
numeric_string = String("NumericString", 18, _charset(_NUMERIC, "NumericString"))
printable_string = String("PrintableString", 19, _charset(_PRINTABLE, "PrintableString"))
teletex_string = String("TeletexString", 20, (_latin1_dec, _latin1_enc))
ia5_string = String("IA5String", 22, _charset(_IA5, "IA5String"))
visible_string = String("VisibleString", 26, _charset(_VISIBLE, "VisibleString"))
universal_string = String("UniversalString", 28, (_ucs4_dec, _ucs4_enc))
bmp_string = String("BMPString", 30, (_bmp_dec, _bmp_enc))
utc_time = UTCTime()
generalized_time = GeneralizedTime()
t61_string = teletex_string


def named_bits(*names: str, strict: bool = True) -> NamedBits:
    """``BIT STRING { names[0](0), names[1](1), ... }`` with values as frozensets of names.

    ``strict=False`` accepts trailing zero bits in DER input (X.690 11.2.2 forbids them)."""
    return NamedBits(names, strict)
