"""The TLV layer of X.690: identifier and length octets, limits, the decoding context.

A tag is carried as one integer, its *key*: ``number << 2 | class`` (class 0 universal,
1 application, 2 context-specific, 3 private). Everything above this module speaks keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ._errors import DecodeError

# X.690 8.1.2.4: tag numbers above this bound are refused (an explicit limit, not a rule of
# the standard, so that a hostile identifier cannot grow an unbounded integer).
MAX_TAG_NUMBER = (1 << 32) - 1
# The largest nesting depth a caller may allow (see Limits).
MAX_DEPTH = 128


class TagClass(IntEnum):
    """The four tag classes of X.680 8.1 (bits 8 and 7 of the identifier octet)."""

    UNIVERSAL = 0
    APPLICATION = 1
    CONTEXT = 2
    PRIVATE = 3


def tag_key(number: int, cls: int = TagClass.UNIVERSAL) -> int:
    """The key of the tag ``[cls number]``."""
    return number << 2 | cls


def describe_tag(key: int) -> str:
    """A human form of a tag key: ``[UNIVERSAL 16]``, ``[0]``, ``[APPLICATION 3]``."""
    cls, number = key & 3, key >> 2
    if cls == TagClass.CONTEXT:
        return f"[{number}]"
    return f"[{TagClass(cls).name} {number}]"


def canonical_order(key: int) -> tuple[int, int]:
    """X.680 8.6: universal, application, context-specific, private; then by number."""
    return (key & 3, key >> 2)


@dataclass(frozen=True, slots=True)
class Limits:
    """Explicit bounds on what a decoder accepts (DESIGN.md principle 5).

    ``max_size``: bytes of input; ``max_depth``: nesting of constructed elements;
    ``max_elements``: TLV elements read in one call.
    """

    max_size: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_elements: int = 1_000_000

    def __post_init__(self) -> None:
        if self.max_size < 0 or self.max_elements < 1:
            raise ValueError("Limits: max_size must be >= 0 and max_elements >= 1")
        # The decoders recurse once per nesting level (a few Python frames each), so the
        # depth stays well inside the interpreter's default recursion limit of 1000.
        if not 1 <= self.max_depth <= MAX_DEPTH:
            raise ValueError(f"Limits: max_depth must be in 1..{MAX_DEPTH}")


DEFAULT_LIMITS = Limits()


class Ctx:
    """Per-call decoding state: the mode, the limits and the counters they bound."""

    __slots__ = ("ber", "depth", "elements", "eoc", "max_depth", "max_elements")

    def __init__(self, ber: bool, limits: Limits) -> None:
        self.ber = ber
        self.depth = 0
        self.elements = 0
        self.max_depth = limits.max_depth
        self.max_elements = limits.max_elements
        # BER: content start -> position of its end-of-contents octets, filled by find_eoc so
        # that nested indefinite lengths are scanned once (linear time).
        self.eoc: dict[int, int] = {}

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise DecodeError(f"nesting deeper than the limit of {self.max_depth}", pos)


Header = tuple[int, bool, int, int, int]
"""(tag key, constructed, content start, content end, next element start)."""


def read_header(data: bytes, pos: int, end: int, ctx: Ctx) -> Header:
    """Read one identifier and length at *pos*, the element lying within ``data[:end]``.

    DER (X.690 10.1, 8.1.3): definite lengths only, in the minimal number of octets. In both
    modes: tag numbers below 31 use the short form and long forms carry no leading 0x80
    (8.1.2.4.2), length octet 0xFF is reserved (8.1.3.5), EOC only where BER expects it.
    """
    ctx.elements += 1
    if ctx.elements > ctx.max_elements:
        raise DecodeError(f"more than {ctx.max_elements} elements", pos)
    if pos >= end:
        raise DecodeError("truncated: an element was expected", pos)
    b = data[pos]
    p = pos + 1
    number = b & 0x1F
    if number == 0x1F:
        number, p = _long_tag(data, p, end)
    elif b == 0:
        raise DecodeError("end-of-contents octets where an element was expected", pos)
    key = number << 2 | b >> 6
    cons = bool(b & 0x20)
    if p >= end:
        raise DecodeError("truncated: length octets missing", p)
    n = data[p]
    p += 1
    if n < 0x80:
        length = n
    elif n == 0x80:
        if not ctx.ber:
            raise DecodeError("indefinite length is not allowed in DER", pos)
        if not cons:
            raise DecodeError("indefinite length on a primitive element", pos)
        eoc = ctx.eoc.get(p)
        if eoc is None:
            eoc = find_eoc(data, p, end, ctx.max_depth, ctx.eoc)
        return key, True, p, eoc, eoc + 2
    else:
        n &= 0x7F
        if n == 0x7F:
            raise DecodeError("reserved length octet 0xFF", p - 1)
        if p + n > end:
            raise DecodeError("truncated: length octets missing", p)
        length = int.from_bytes(data[p : p + n], "big")
        if not ctx.ber:
            if data[p] == 0:
                raise DecodeError("length not encoded in the minimal number of octets", p)
            if length < 0x80:
                raise DecodeError("long-form length for a length under 128", p)
        p += n
    if length > end - p:
        raise DecodeError(f"truncated: length {length} exceeds the {end - p} bytes left", pos)
    return key, cons, p, p + length, p + length


def _long_tag(data: bytes, p: int, end: int) -> tuple[int, int]:
    if p >= end:
        raise DecodeError("truncated: tag number octets missing", p)
    if data[p] == 0x80:
        raise DecodeError("tag number not encoded in the minimal number of octets", p)
    number = 0
    while True:
        if p >= end:
            raise DecodeError("truncated: tag number octets missing", p)
        c = data[p]
        p += 1
        number = number << 7 | (c & 0x7F)
        if number > MAX_TAG_NUMBER:
            raise DecodeError("tag number larger than the limit", p)
        if not c & 0x80:
            break
    if number < 31:
        raise DecodeError("long-form tag for a tag number under 31", p)
    return number, p


def find_eoc(data: bytes, p: int, end: int, max_depth: int, cache: dict[int, int]) -> int:
    """Position of the end-of-contents octets closing the indefinite content starting at *p*.

    Nested indefinite elements are recorded in *cache*, so each byte is scanned once.
    """
    start = p
    stack: list[int] = []  # content starts of the nested indefinite elements being scanned
    while True:
        if p + 2 <= end and data[p] == 0 and data[p + 1] == 0:
            if not stack:
                cache[start] = p
                return p
            cache[stack.pop()] = p
            p += 2
            continue
        if p >= end:
            raise DecodeError("truncated: end-of-contents octets missing", p)
        b = data[p]
        q = p + 1
        if b & 0x1F == 0x1F:
            _, q = _long_tag(data, q, end)
        elif b == 0:
            raise DecodeError("malformed end-of-contents octets", p)
        if q >= end:
            raise DecodeError("truncated: length octets missing", q)
        n = data[q]
        q += 1
        if n == 0x80:
            if not b & 0x20:
                raise DecodeError("indefinite length on a primitive element", p)
            if len(stack) + 1 >= max_depth:
                raise DecodeError(f"nesting deeper than the limit of {max_depth}", p)
            stack.append(q)
            p = q
            continue
        if n > 0x80:
            n &= 0x7F
            if n == 0x7F:
                raise DecodeError("reserved length octet 0xFF", q - 1)
            if q + n > end:
                raise DecodeError("truncated: length octets missing", q)
            length = int.from_bytes(data[q : q + n], "big")
            q += n
        else:
            length = n
        if length > end - q:
            raise DecodeError("truncated: element longer than its container", p)
        p = q + length


def check_structure(data: bytes, pos: int, end: int, ctx: Ctx) -> None:
    """Walk the TLV tree of ``data[pos:end]``: every element well formed under the mode's rules.

    Used for ANY, whose content the grammar does not describe: in DER the raw element must
    still be DER at the TLV level.
    """
    stack: list[tuple[int, int]] = []  # (content end, next start) of the open elements
    limit = end
    while True:
        if pos >= limit:
            if not stack:
                return
            _, pos = stack.pop()
            limit = stack[-1][0] if stack else end
            continue
        _, cons, cs, ce, ne = read_header(data, pos, limit, ctx)
        if cons:
            if len(stack) >= ctx.max_depth:
                raise DecodeError(f"nesting deeper than the limit of {ctx.max_depth}", pos)
            stack.append((ce, ne))
            pos, limit = cs, ce
        else:
            pos = ne


def encode_identifier(key: int, constructed: bool) -> bytes:
    """X.690 8.1.2: the identifier octets of a tag."""
    cls, number = key & 3, key >> 2
    first = cls << 6 | (0x20 if constructed else 0)
    if number < 31:
        return bytes((first | number,))
    groups = [number & 0x7F]
    number >>= 7
    while number:
        groups.append(0x80 | (number & 0x7F))
        number >>= 7
    return bytes((first | 0x1F, *reversed(groups)))


def encode_length(n: int) -> bytes:
    """X.690 10.1: definite length in the minimal number of octets."""
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body
