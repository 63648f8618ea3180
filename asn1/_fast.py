"""A compiled DER decoder: each grammar turned once into functions that decode its elements.

The grammar nodes of ``_grammar`` and ``_primitives`` are an interpreter: every element goes
through ``read_header``, a method per node and the per-call :class:`~asn1._core.Ctx`. This
module compiles a grammar, once per ``max_depth``, into plain functions whose source is
written here from the grammar: one for each SEQUENCE, SEQUENCE OF, SET OF, EXPLICIT tag and
CHOICE, with the identifier and length octets of every component read inline (X.690
8.1.2-8.1.3 under the DER rules of 10.1: one-octet tags below 31, definite lengths in the
minimal number of octets), and the primitive contents, maps, SIZE checks and encodings of
the components decoded in place, as expressions. The source only ever contains the fixed
templates below, numbers and generated names; every object it uses (defaults, map
functions, contents decoders) is passed in its namespace.

The compiled decoder is only ever a shortcut for *accepting*: it is used when the answer of
the interpreter is known to be the same, and any doubt sends the input back to the
interpreter, which gives the one authoritative error (message, field path and offset):

- DER only (BER goes to the interpreter);
- grammars without recursion (:func:`asn1.fix`), SET, or tags numbered 31 or more;
- the limits are proved to hold before decoding, not counted per element. Depth: the
  grammar's deepest nesting of constructed elements is static; when it exceeds
  ``Limits.max_depth`` the interpreter decodes. Elements: every element has at least two
  header octets and the headers of distinct elements do not overlap, so an input of
  ``n`` octets holds at most ``n // 2`` elements; when that exceeds
  ``Limits.max_elements`` the interpreter decodes (and counts). ``max_size`` is checked
  by the caller before anything else;
- every rule the interpreter checks is checked here too (tag and constructed bit, lengths,
  the content rules of each type through the same functions, DEFAULT values not encoded,
  SET OF order, SIZE, trailing bytes); where one fails, the decoder raises and the caller
  decodes again with the interpreter. Map functions are pure, so running them twice
  changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from ._core import Ctx, Limits, check_structure
from ._grammar import (
    DEFAULT,
    REQUIRED,
    AnyNode,
    ChoiceNode,
    EncodedNode,
    Explicit,
    Grammar,
    Implicit,
    Map,
    SequenceNode,
    SequenceOfNode,
    SetOfNode,
    Size,
    Tagged,
    _padded_le,
)
from ._primitives import (
    CHARSETS,
    Boolean,
    Integer,
    NamedBits,
    ObjectIdentifier,
    OctetString,
    Primitive,
    String,
    UTCTime,
    _oid_from,
    _utf8_dec,
    oid_cache_get,
    utc_time_der,
)
from ._values import Encoded

Decoder = Callable[[bytes, int, int, int], Any]
"""``decode(data, pos, s, e)``: the value of the element whose identifier is at *pos* and
whose contents are ``data[s:e]``; raises (anything) where the interpreter might not
accept."""


class Fallback(Exception):
    """The compiled decoder declines: the interpreter decides (and names the error)."""


class _Unsupported(Exception):
    """Raised while compiling a grammar the compiled decoder does not handle."""


class Source:
    """The namespace of generated functions: every object their source refers to, by a
    generated name."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "_FB": Fallback,
            "_long": long_length,
            "_pad": _padded_le,
            "_Encoded": _encoded,
            "_fail": _fail,
        }
        self._names: dict[int, str] = {}

    def ref(self, obj: object) -> str:
        """The name under which *obj* is in the namespace."""
        name = self._names.get(id(obj))
        if name is None:
            name = self._names[id(obj)] = f"_r{len(self._names)}"
            self.ns[name] = obj
        return name

    def function(self, title: str, params: str, body: list[str]) -> Callable[..., Any]:
        """``def f(params)`` with *body*, compiled in this namespace."""
        text = f"def f({params}):\n" + "".join(f"    {line}\n" for line in body)
        # The text is made of this module's templates, numbers and generated names only.
        exec(compile(text, f"<asn1 compiled {title}>", "exec"), self.ns)
        return cast(Callable[..., Any], self.ns.pop("f"))


Expr = Callable[[Source], str]
"""The source of an expression for the value of an element, where ``data``, ``pos`` (its
identifier), ``s`` and ``e`` (its contents) are defined."""


class Compiled:
    """A grammar compiled for one ``max_depth``: the identifier octets (constructed bit
    cleared) it can start with (None: any, for ANY), the deepest nesting of constructed
    elements it reaches, and the expression of its value. When ``octet`` is not -1, the
    element has exactly that identifier octet, which the expression's user checks first;
    otherwise the expression checks the identifier itself."""

    __slots__ = ("_decode", "depth", "expr", "octet", "starts", "title")

    def __init__(
        self, title: str, starts: frozenset[int] | None, depth: int, octet: int, expr: Expr
    ) -> None:
        self.title = title
        self.starts = starts
        self.depth = depth
        self.octet = octet
        self.expr = expr
        self._decode: Decoder | None = None

    def decode(self) -> Decoder:
        """The element decoder ``decode(data, pos, s, e)`` (made on first use)."""
        if self._decode is None:
            src = Source()
            check = [] if self.octet < 0 else [f"if data[pos] != {self.octet}:", "    raise _FB"]
            self._decode = src.function(
                self.title, "data, pos, s, e", [*check, f"return {self.expr(src)}"]
            )
        return self._decode


def compiled(grammar: Grammar[Any], limits: Limits) -> Decoder | None:
    """The compiled DER decoder of *grammar* under *limits*, or None when only the
    interpreter can be trusted with it (see the module docstring)."""
    cache = getattr(grammar, "_fast", None)  # unset where a subclass skips Grammar.__init__
    c = cache.get(limits.max_depth) if cache is not None else None
    if c is None:
        c = _compile(grammar, limits.max_depth)
        if c is None:
            return None
    if c.depth > limits.max_depth:
        return None
    return c._decode or c.decode()


def _fail() -> Any:
    raise Fallback


_SET_ENCODED_VALUE = vars(Encoded)["value"].__set__
_SET_ENCODED_ENCODING = vars(Encoded)["encoding"].__set__


def _encoded(value: Any, encoding: bytes) -> Encoded[Any]:
    """Encoded(value, encoding), the slots of the frozen value filled directly."""
    made: Encoded[Any] = object.__new__(Encoded)
    _SET_ENCODED_VALUE(made, value)
    _SET_ENCODED_ENCODING(made, encoding)
    return made


def long_length(data: bytes, p: int, ce: int) -> tuple[int, int]:
    """Contents start and end for the long-form length octets at *p* (X.690 8.1.3.5) under
    the DER rule of 10.1 (minimal octets, so at least 128); raises otherwise."""
    n = data[p] & 0x7F
    s = p + 1 + n
    if n == 0 or n == 0x7F or s > ce or data[p + 1] == 0:
        raise Fallback
    if n == 1:
        length = data[p + 1]
    elif n == 2:
        length = data[p + 1] << 8 | data[p + 2]
    else:
        length = int.from_bytes(data[p + 1 : s], "big")
    if length < 0x80:
        raise Fallback
    return s, s + length


def header(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """Contents start and end of the element at *pos*, which must lie within ``data[:end]``;
    raises for anything but a one-octet tag and a DER definite length."""
    if pos + 1 >= end or data[pos] & 0x1F == 0x1F:
        raise Fallback
    n = data[pos + 1]
    if n < 0x80:
        s = pos + 2
        e = s + n
    else:
        s, e = long_length(data, pos + 1, end)
    if e > end:
        raise Fallback
    return s, e


# --- compiling -------------------------------------------------------------------------------


def _compile(grammar: Grammar[Any], max_depth: int) -> Compiled | None:
    cache = getattr(grammar, "_fast", None)
    if cache is None:
        cache = grammar._fast = {}
    if max_depth not in cache:
        try:
            cache[max_depth] = _node(grammar, max_depth)
        except _Unsupported:
            cache[max_depth] = None
    result: Compiled | None = cache[max_depth]
    return result


def _child(grammar: Grammar[Any], max_depth: int) -> Compiled:
    c = _compile(grammar, max_depth)
    if c is None:
        raise _Unsupported
    return c


def _octet(key: int) -> int:
    """The identifier octet of a tag key with the constructed bit clear; tags that need more
    than one octet, and [UNIVERSAL 0] (which only end-of-contents uses), are unsupported."""
    number = key >> 2
    if number >= 31 or key == 0:
        raise _Unsupported
    return (key & 3) << 6 | number


def _node(grammar: Grammar[Any], max_depth: int) -> Compiled:
    title = grammar.name
    # Only the node types of this package, as they decode: a subclass that decodes in its
    # own way (another _dec) is left to the interpreter.
    if isinstance(grammar, Tagged) and type(grammar)._dec is not Tagged._dec:
        raise _Unsupported
    if isinstance(grammar, Map) and type(grammar)._dec is not Map._dec:
        raise _Unsupported
    if isinstance(grammar, Tagged):
        octet = grammar.ident[0]
        if len(grammar.ident) != 1 or _octet(grammar.key) != octet & 0xDF:
            raise _Unsupported
        expr, depth = _content(grammar, max_depth)
        return Compiled(title, frozenset((octet & 0xDF,)), depth, octet, expr)
    if isinstance(grammar, Map):
        inner = _child(grammar.inner, max_depth)
        convert, inner_expr = grammar.decode, inner.expr
        return Compiled(
            title,
            inner.starts,
            inner.depth,
            inner.octet,
            lambda src: f"{src.ref(convert)}({inner_expr(src)})",
        )
    if type(grammar) is Size:
        return _size(grammar, max_depth)
    if type(grammar) is EncodedNode:
        inner = _child(grammar.inner, max_depth)
        inner_expr = inner.expr
        # DER lengths are definite: the element ends where its contents end.
        return Compiled(
            title,
            inner.starts,
            inner.depth,
            inner.octet,
            lambda src: f"_Encoded({inner_expr(src)}, data[pos:e])",
        )
    if type(grammar) is ChoiceNode:
        return _choice(grammar, max_depth)
    if type(grammar) is AnyNode:
        any_ = _any(max_depth)
        # A primitive element with a one-octet tag other than end-of-contents is taken as it
        # is, in place; the rest goes through any_.
        return Compiled(
            title,
            None,
            0,
            -1,
            lambda src: (
                f"(data[pos:e] if {src.ref(_PRIMITIVE_ANY)}[data[pos]] "
                f"else {src.ref(any_)}(data, pos, s, e))"
            ),
        )
    # Recursion (Ref) has no static depth: the interpreter counts it. SET and unknown node
    # types are left to it too.
    raise _Unsupported


def _content(grammar: Tagged[Any], max_depth: int) -> tuple[Expr, int]:
    """The expression of a tagged node's value from its contents, and its nesting depth."""
    kind = type(grammar)
    if kind is Implicit:
        inner = grammar.inner  # type: ignore[attr-defined]
        if not isinstance(inner, Tagged):
            raise _Unsupported
        return _content(inner, max_depth)
    src = Source()
    if kind is Explicit:
        body, depth = _explicit(src, grammar, max_depth)
    elif kind is SequenceNode:
        body, depth = _sequence(src, grammar, max_depth)  # type: ignore[arg-type]
    elif kind is SequenceOfNode or kind is SetOfNode:
        body, depth = _sequence_of(src, grammar, max_depth)  # type: ignore[arg-type]
    elif isinstance(grammar, Primitive):
        return _primitive(grammar), 0
    else:
        raise _Unsupported
    content = src.function(grammar.name, "data, cs, ce", body)
    return lambda s: f"{s.ref(content)}(data, s, e)", depth + 1


def _primitive(grammar: Primitive[Any]) -> Expr:
    # Only the contents rules the interpreter applies to a primitive DER encoding: the
    # identifier octet already carries the primitive bit.
    method = type(grammar)._content
    if method is Integer._content:
        return lambda s: f"{s.ref(_integer)}(data, s, e)"
    if method is OctetString._content:
        return lambda s: "data[s:e]"
    if method is not Primitive._content:
        raise _Unsupported
    if type(grammar) is ObjectIdentifier:
        # _oid_from, with its look-up in the cache of the OIDs certificates repeat in place.
        return lambda s: f"({s.ref(oid_cache_get)}(data[s:e]) or {s.ref(_oid_from)}(data[s:e]))"
    if type(grammar) is String:
        chars = grammar._dec_chars
        if chars is _utf8_dec:
            return lambda s: 'data[s:e].decode("utf-8")'
        allowed = CHARSETS.get(chars)
        if allowed is not None:
            # X.680 41: every octet in the type's character set (then ASCII text).
            return lambda s: (
                f'(_c.decode("ascii") if not (_c := data[s:e]).translate(None, '
                f"{s.ref(allowed)}) else _fail())"
            )
        return lambda s: f"{s.ref(chars)}(data[s:e])"
    if type(grammar) is NamedBits:
        bits = grammar.der_content
        return lambda s: f"{s.ref(bits)}(data, s, e)"
    if type(grammar) is UTCTime:
        return lambda s: f"{s.ref(utc_time_der)}(data, s, e)"
    if type(grammar) is Boolean:
        # X.690 8.2.2, 11.1: one octet, 00 (FALSE) or FF (TRUE) in DER.
        return lambda s: "(data[s] == 255 if e - s == 1 and data[s] in (0, 255) else _fail())"
    from_content = grammar.from_content
    return lambda s: f"{s.ref(from_content)}(data[s:e], False)"


def _integer(data: bytes, cs: int, ce: int) -> int:
    if ce - cs > 1:
        b0, b1 = data[cs], data[cs + 1]
        # X.690 8.3.2: no redundant leading octet.
        if (b0 == 0 and b1 < 0x80) or (b0 == 0xFF and b1 >= 0x80):
            raise Fallback
    elif ce == cs:
        raise Fallback
    return int.from_bytes(data[cs:ce], "big", signed=True)


# The source that reads the element at ``pos`` within ``data[:ce]`` (X.690 8.1.2, 8.1.3;
# DER 10.1): one identifier octet, then the length, short form inline; ``s`` and ``e`` are
# the bounds of its contents. The check ``e > ce`` that follows also catches a length
# octet at or past ``ce`` (then ``s > ce``); reading it past the end of ``data`` raises
# IndexError, which declines like any other exception.
_HEADER = [
    "n = data[pos + 1]",
    "if n < 0x80:",
    "    s = pos + 2",
    "    e = s + n",
    "else:",
    "    s, e = _long(data, pos + 1, ce)",
]


def _element(src: Source, c: Compiled, target: str) -> list[str]:
    """Source that decodes the element at ``pos`` into *target*, with ``e`` its end."""
    if c.octet < 0:
        check = ["if e > ce:", "    raise _FB"]
    else:
        check = [f"if e > ce or data[pos] != {c.octet}:", "    raise _FB"]
    return [*_HEADER, *check, f"{target} = {c.expr(src)}"]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def _explicit(src: Source, grammar: Tagged[Any], max_depth: int) -> tuple[list[str], int]:
    inner = _child(grammar.inner, max_depth)  # type: ignore[attr-defined]
    # X.690 8.14.2: the contents are exactly one element, the inner type's encoding.
    body = ["pos = cs", *_element(src, inner, "v"), "if e != ce:", "    raise _FB", "return v"]
    return body, inner.depth


def _sequence(src: Source, grammar: SequenceNode, max_depth: int) -> tuple[list[str], int]:
    body = ["pos = cs"]
    names = []
    depth = 0
    for i, (_, g, kind, dflt, _) in enumerate(grammar._plan):
        c = _child(g, max_depth)
        depth = max(depth, c.depth)
        v = f"v{i}"
        names.append(v)
        read = [*_element(src, c, v), "pos = e"]
        if kind == REQUIRED:
            body += read
            continue
        # X.680 25.5: an OPTIONAL or DEFAULT component is present iff its tag is next.
        if c.starts is None:
            present = "pos < ce"
        elif len(c.starts) == 1:
            present = f"pos < ce and data[pos] & 0xDF == {next(iter(c.starts))}"
        else:
            present = f"pos < ce and data[pos] & 0xDF in {src.ref(c.starts)}"
        if kind == DEFAULT:
            # X.690 11.5: a value equal to its DEFAULT is not encoded.
            read += [f"if {v} == {src.ref(dflt)}:", "    raise _FB"]
        body += [f"if {present}:", *_indent(read), "else:", f"    {v} = {src.ref(dflt)}"]
    body += ["if pos != ce:", "    raise _FB", f"return ({', '.join(names)},)"]
    return body, depth


def _sequence_of(
    src: Source, grammar: SequenceOfNode[Any], max_depth: int
) -> tuple[list[str], int]:
    item = _child(grammar.item, max_depth)
    read = _element(src, item, "v")
    if type(grammar) is SetOfNode:
        # X.690 11.6: the encodings of a SET OF in ascending order.
        read += ["if prev >= 0 and not _pad(data[prev:pos], data[pos:e]):", "    raise _FB"]
        read += ["prev = pos"]
    body = [
        "out = []",
        "prev = -1",
        "pos = cs",
        "while pos < ce:",
        *_indent([*read, "out.append(v)", "pos = e"]),
        "return tuple(out)",
    ]
    return body, item.depth


def _size(grammar: Size[Any], max_depth: int) -> Compiled:
    inner = _child(grammar.inner, max_depth)
    lo = 0 if grammar.inner.size_pads_to_min else grammar.min
    hi = grammar.max
    measure: Callable[[Any], int] = (
        len if type(grammar.inner)._size_of is Grammar._size_of else grammar.inner._size_of
    )

    def check(value: Any) -> Any:
        n = measure(value)
        if n < lo or (hi is not None and n > hi):
            raise Fallback
        return value

    inner_expr = inner.expr
    if measure is not len:
        expr: Expr = lambda s: f"{s.ref(check)}({inner_expr(s)})"  # noqa: E731
    elif hi is None:
        # The common SIZE (n..MAX) of a SEQUENCE OF or SET OF, in place.
        expr = lambda s: (  # noqa: E731
            f"(_v if len(_v := {inner_expr(s)}) >= {lo} else {s.ref(check)}(_v))"
        )
    else:
        expr = lambda s: (  # noqa: E731
            f"(_v if {lo} <= len(_v := {inner_expr(s)}) <= {hi} else {s.ref(check)}(_v))"
        )
    return Compiled(grammar.name, inner.starts, inner.depth, inner.octet, expr)


def _choice(grammar: ChoiceNode, max_depth: int) -> Compiled:
    src = Source()
    body = ["b = data[pos]"]
    depth = 0
    for key, (name, g) in grammar._by_tag.items():
        c = _child(g, max_depth)
        depth = max(depth, c.depth)
        # The alternative's identifier octet, constructed bit included, when it has one: the
        # same key with the other bit set belongs to no other alternative (X.680 29.3).
        test = f"b == {c.octet}" if c.octet >= 0 else f"b & 0xDF == {_octet(key)}"
        body += [f"if {test}:", f"    return ({src.ref(name)}, {c.expr(src)})"]
    body.append("raise _FB")
    choice = src.function(grammar.name, "data, pos, s, e", body)
    return Compiled(
        grammar.name,
        frozenset(_octet(k) for k in grammar._by_tag),
        depth,
        -1,
        lambda s: f"{s.ref(choice)}(data, pos, s, e)",
    )


# By identifier octet: whether it is a primitive element's, with a tag number below 31, and
# not the end-of-contents octet 00.
_PRIMITIVE_ANY = bytes(b != 0 and not b & 0x20 and b & 0x1F != 0x1F for b in range(256))


def _any(max_depth: int) -> Decoder:
    # No element limit of its own: the whole input's bound already holds (module docstring).
    limits = Limits(max_depth=max_depth, max_elements=1 << 62)

    def any_(data: bytes, hs: int, cs: int, ce: int) -> bytes:
        b = data[hs]
        if b == 0 or b & 0x1F == 0x1F:
            raise Fallback
        if b & 0x20:
            # The raw element must still be DER at the TLV level.
            check_structure(data, cs, ce, Ctx(False, limits))
        return data[hs:ce]

    return any_
