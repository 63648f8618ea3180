"""Grammar nodes: one description of an ASN.1 type, read as a decoder and as an encoder.

Each node decodes an element whose header the caller has already read (``_dec``) and encodes
a value into a whole element (``_enc``). Nodes with a single tag (``Tagged``) split that into
the content alone (``_content`` / ``_enc_content``), which is what IMPLICIT tagging reuses.
Ambiguities are refused when a node is built (X.680 25.5 for SEQUENCE, 27.3 for SET, 29.3 for
CHOICE), never at decode time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Sized
from typing import Any, Generic, TypeVar

from ._core import (
    DEFAULT_LIMITS,
    Ctx,
    TagClass,
    canonical_order,
    check_structure,
    describe_tag,
    encode_identifier,
    encode_length,
    read_header,
    tag_key,
)
from ._errors import DecodeError, EncodeError, GrammarError
from ._values import Encoded

T = TypeVar("T")
U = TypeVar("U")
S = TypeVar("S", bound=Sized)


class Grammar(Generic[T]):
    """An ASN.1 type. Build with the combinators of :mod:`asn1`; use with
    :func:`asn1.decode_der`, :func:`asn1.decode_ber` and :func:`asn1.encode_der`."""

    __slots__ = ("_entry", "_fast", "_tags", "name")

    def __init__(self, name: str, tags: frozenset[int] | None) -> None:
        self.name = name
        self._tags = tags
        # The compiled DER decoders of this grammar by max_depth (see _fast), made on use,
        # and the one decode_der used last: (limits, decoder, largest input it may take).
        self._fast: dict[int, Any] | None = None
        self._entry: tuple[Any, Any, int] | None = None

    @property
    def tags(self) -> frozenset[int] | None:
        """The tag keys an encoding of this type can start with; ``None`` for any tag (ANY)."""
        return self._tags

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> T:
        raise NotImplementedError

    def _enc(self, value: T) -> bytes:
        raise NotImplementedError

    def _size_of(self, value: T) -> int:
        """The SIZE of a value (X.680 51.5): characters, octets, bits or items."""
        return len(value)  # type: ignore[arg-type]

    # A named bit list satisfies a lower SIZE bound by trailing zero bits, which DER leaves
    # out (X.690 11.2.2 and its note): only the upper bound can fail.
    size_pads_to_min = False

    def __repr__(self) -> str:
        return f"<asn1 {self.name}>"


class Tagged(Grammar[T]):
    """A type with exactly one tag: the universal types, SEQUENCE, SET, tagged types."""

    __slots__ = ("constructed", "ident", "key")

    def __init__(self, name: str, key: int, constructed: bool) -> None:
        super().__init__(name, frozenset((key,)))
        self.key = key
        self.constructed = constructed
        self.ident = encode_identifier(key, constructed)

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> T:
        if key != self.key:
            raise DecodeError(
                f"expected {self.name} {describe_tag(self.key)}, found {describe_tag(key)}", hs
            )
        return self._content(data, cons, cs, ce, ctx)

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> T:
        raise NotImplementedError

    def _enc(self, value: T) -> bytes:
        c = self._enc_content(value)
        return self.ident + encode_length(len(c)) + c

    def _enc_content(self, value: T) -> bytes:
        raise NotImplementedError


def _enter(ctx: Ctx, cons: bool, name: str, cs: int) -> None:
    if not cons:
        raise DecodeError(f"{name} must use the constructed encoding", cs)
    ctx.enter(cs)


# --- tagging -------------------------------------------------------------------------------


class Explicit(Tagged[T]):
    """``[n] EXPLICIT T``: a constructed element holding the encoding of T (X.690 8.14.2)."""

    __slots__ = ("inner",)

    def __init__(self, key: int, inner: Grammar[T]) -> None:
        super().__init__(f"{describe_tag(key)} {inner.name}", key, True)
        self.inner = inner

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> T:
        _enter(ctx, cons, "an EXPLICIT tag", cs)
        key, icons, ics, ice, ine = read_header(data, cs, ce, ctx)
        value = self.inner._dec(data, key, icons, cs, ics, ice, ine, ctx)
        if ine != ce:
            raise DecodeError("trailing bytes inside an EXPLICIT tag", ine)
        ctx.depth -= 1
        return value

    def _enc_content(self, value: T) -> bytes:
        return self.inner._enc(value)

    def _size_of(self, value: T) -> int:
        return self.inner._size_of(value)

    @property
    def size_pads_to_min(self) -> bool:  # type: ignore[override]
        return self.inner.size_pads_to_min


class Implicit(Tagged[T]):
    """``[n] IMPLICIT T``: T's content under another tag (X.690 8.14.3)."""

    __slots__ = ("inner",)

    def __init__(self, key: int, inner: Tagged[T]) -> None:
        super().__init__(f"{describe_tag(key)} IMPLICIT {inner.name}", key, inner.constructed)
        self.inner = inner

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> T:
        return self.inner._content(data, cons, cs, ce, ctx)

    def _enc_content(self, value: T) -> bytes:
        return self.inner._enc_content(value)

    def _size_of(self, value: T) -> int:
        return self.inner._size_of(value)

    @property
    def size_pads_to_min(self) -> bool:  # type: ignore[override]
        return self.inner.size_pads_to_min


class Wrapper(Grammar[T]):
    """A node that changes the value but not the encoding's tag (map, size, encoded)."""

    __slots__ = ("inner",)

    def __init__(self, name: str, inner: Grammar[Any]) -> None:
        super().__init__(name, None)
        self.inner = inner

    @property
    def tags(self) -> frozenset[int] | None:
        return self.inner.tags

    def rewrap(self, inner: Grammar[Any]) -> Wrapper[T]:
        """The same wrapper around another inner grammar (IMPLICIT goes through wrappers)."""
        raise NotImplementedError


def explicit(number: int, grammar: Grammar[T], cls: int = TagClass.CONTEXT) -> Grammar[T]:
    """``[cls number] EXPLICIT grammar``."""
    return Explicit(_key(number, cls), grammar)


def implicit(number: int, grammar: Grammar[T], cls: int = TagClass.CONTEXT) -> Grammar[T]:
    """``[cls number] IMPLICIT grammar``. X.680 31.2.7: a CHOICE, an ANY or a recursive
    reference has no tag of its own to replace, so IMPLICIT on them is a GrammarError."""
    if isinstance(grammar, Wrapper):
        return grammar.rewrap(implicit(number, grammar.inner, cls))
    if isinstance(grammar, Implicit):
        grammar = grammar.inner
    if isinstance(grammar, Tagged):
        return Implicit(_key(number, cls), grammar)
    raise GrammarError(f"IMPLICIT cannot tag {grammar.name}: it has no single tag; use explicit")


def _key(number: int, cls: int) -> int:
    if not isinstance(number, int) or number < 0:
        raise GrammarError(f"tag number must be a non-negative integer, not {number!r}")
    if cls not in (0, 1, 2, 3):
        raise GrammarError(f"tag class must be one of TagClass, not {cls!r}")
    return tag_key(number, cls)


# --- wrappers ------------------------------------------------------------------------------


class Map(Wrapper[U]):
    __slots__ = ("decode", "encode")

    def __init__(
        self, inner: Grammar[T], decode: Callable[[T], U], encode: Callable[[U], T]
    ) -> None:
        super().__init__(inner.name, inner)
        self.decode = decode
        self.encode = encode

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> U:
        value = self.inner._dec(data, key, cons, hs, cs, ce, ne, ctx)
        try:
            return self.decode(value)
        except DecodeError:
            raise
        except ValueError as e:
            raise DecodeError(str(e) or type(e).__name__, hs) from None

    def _enc(self, value: U) -> bytes:
        try:
            inner = self.encode(value)
        except EncodeError:
            raise
        except (ValueError, TypeError, AttributeError) as e:
            raise EncodeError(str(e) or type(e).__name__) from None
        return self.inner._enc(inner)

    def rewrap(self, inner: Grammar[Any]) -> Wrapper[U]:
        return Map(inner, self.decode, self.encode)


def map(grammar: Grammar[T], decode: Callable[[T], U], encode: Callable[[U], T]) -> Grammar[U]:
    """Turn the values of *grammar* into other values: *decode* after decoding, *encode*
    before encoding (e.g. tuples <-> dataclasses). A ValueError from *decode* becomes a
    DecodeError at this field; from *encode*, an EncodeError."""
    return Map(grammar, decode, encode)


class Size(Wrapper[S]):
    __slots__ = ("max", "min")

    def __init__(self, inner: Grammar[S], lo: int, hi: int | None) -> None:
        bound = f"{lo}..{'MAX' if hi is None else hi}"
        super().__init__(f"{inner.name} SIZE({bound})", inner)
        self.min = lo
        self.max = hi

    def _check(self, n: int) -> str | None:
        too_small = n < self.min and not self.inner.size_pads_to_min
        if too_small or (self.max is not None and n > self.max):
            hi = "MAX" if self.max is None else self.max
            return f"size {n} outside SIZE({self.min}..{hi})"
        return None

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> S:
        value: S = self.inner._dec(data, key, cons, hs, cs, ce, ne, ctx)
        problem = self._check(self.inner._size_of(value))
        if problem:
            raise DecodeError(problem, hs)
        return value

    def _enc(self, value: S) -> bytes:
        try:
            n = self.inner._size_of(value)
        except TypeError:
            raise EncodeError(
                f"{self.name} takes a sized value, not {type(value).__name__}"
            ) from None
        problem = self._check(n)
        if problem:
            raise EncodeError(problem)
        return self.inner._enc(value)

    def rewrap(self, inner: Grammar[Any]) -> Wrapper[S]:
        return Size(inner, self.min, self.max)


def size(grammar: Grammar[S], min: int = 0, max: int | None = None) -> Grammar[S]:
    """``T (SIZE (min..max))``: characters of a string, bits of a BIT STRING, octets of an
    OCTET STRING, items of a SEQUENCE OF / SET OF."""
    if min < 0 or (max is not None and max < min):
        raise GrammarError(f"bad SIZE({min}..{max})")
    return Size(grammar, min, max)


class EncodedNode(Wrapper[Encoded[T]]):
    __slots__ = ()

    def __init__(self, inner: Grammar[T]) -> None:
        super().__init__(inner.name, inner)

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> Encoded[T]:
        return Encoded(self.inner._dec(data, key, cons, hs, cs, ce, ne, ctx), data[hs:ne])

    def _enc(self, value: Encoded[T]) -> bytes:
        if not isinstance(value, Encoded):
            raise EncodeError(f"expected an asn1.Encoded value, not {type(value).__name__}")
        result: bytes = self.inner._enc(value.value)
        return result

    def rewrap(self, inner: Grammar[Any]) -> Wrapper[Encoded[T]]:
        return EncodedNode(inner)


def encoded(grammar: Grammar[T]) -> Grammar[Encoded[T]]:
    """Decode *grammar* and keep the exact bytes of the element: values are
    :class:`asn1.Encoded` ``(value, encoding)``."""
    return EncodedNode(grammar)


class Ref(Grammar[T]):
    """The recursive reference handed to the function given to :func:`fix`."""

    __slots__ = ("target",)

    def __init__(self) -> None:
        super().__init__("<recursive reference>", None)
        self.target: Grammar[T] | None = None

    @property
    def tags(self) -> frozenset[int] | None:
        if self.target is None:
            raise GrammarError(
                "a recursive reference is used where its tags are needed before it is "
                "defined (put it under a tag, a SEQUENCE OF, or after its required fields)"
            )
        return self.target.tags

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> T:
        assert self.target is not None
        return self.target._dec(data, key, cons, hs, cs, ce, ne, ctx)

    def _enc(self, value: T) -> bytes:
        assert self.target is not None
        return self.target._enc(value)


def fix(body: Callable[[Grammar[T]], Grammar[T]]) -> Grammar[T]:
    """A recursive type: ``fix(lambda t: choice(("leaf", integer), ("node", sequence_of(t))))``."""
    ref: Ref[T] = Ref()
    grammar = body(ref)
    if grammar is ref:
        raise GrammarError("fix: the grammar is only a reference to itself")
    ref.target = grammar
    return grammar


# --- ANY -----------------------------------------------------------------------------------


class AnyNode(Grammar[bytes]):
    """ANY / ANY DEFINED BY: the exact element, header included, as bytes."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("ANY", None)

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> bytes:
        if cons:
            check_structure(data, cs, ce, ctx)
        return data[hs:ne]

    def _enc(self, value: bytes) -> bytes:
        if not isinstance(value, bytes | bytearray):
            raise EncodeError(f"ANY takes the encoded element as bytes, not {type(value).__name__}")
        value = bytes(value)
        try:
            ctx = Ctx(False, DEFAULT_LIMITS)
            _, _, _, _, ne = read_header(value, 0, len(value), ctx)
            if ne != len(value):
                raise DecodeError("more than one element", ne)
            check_structure(value, 0, len(value), ctx)
        except DecodeError as e:
            raise EncodeError(f"ANY value is not one DER element: {e}") from None
        return value


# --- SEQUENCE, SET, CHOICE ------------------------------------------------------------------

REQUIRED, OPTIONAL, DEFAULT = 0, 1, 2


class Field:
    """A component of a SEQUENCE or SET: see :func:`required`, :func:`optional`,
    :func:`default`. A plain ``(name, grammar)`` pair is a required component."""

    __slots__ = ("default", "grammar", "kind", "name")

    def __init__(self, name: str, grammar: Grammar[Any], kind: int, default: Any = None) -> None:
        if not isinstance(name, str) or not name:
            raise GrammarError(f"a component name must be a non-empty string, not {name!r}")
        if not isinstance(grammar, Grammar):
            raise GrammarError(f"component {name!r}: {grammar!r} is not a grammar")
        self.name = name
        self.grammar = grammar
        self.kind = kind
        self.default = default


def required(name: str, grammar: Grammar[Any]) -> Field:
    """A component that must be present."""
    return Field(name, grammar, REQUIRED)


_NOT_A_VALUE = object()


def optional(name: str, grammar: Grammar[Any], *, absent: Any = None) -> Field:
    """``name T OPTIONAL``: an absent component decodes to *absent* (None unless given), and
    *absent* encodes as no component.

    When *absent* is itself a value of T (``None`` for NULL), present and absent could not be
    told apart, so that is a GrammarError: pick another marker, e.g.
    ``optional("n", asn1.null, absent=False)``.
    """
    if _is_value_of(grammar, absent):
        raise GrammarError(
            f"OPTIONAL {name!r}: {absent!r} is a value of {grammar.name}, so it cannot also "
            "mean absent; pass another absent= marker"
        )
    return Field(name, grammar, OPTIONAL, absent)


def _is_value_of(grammar: Grammar[Any], value: Any) -> bool:
    if isinstance(grammar, Ref) and grammar.target is None:
        return False
    try:
        grammar._enc(value)
    except (EncodeError, GrammarError, ValueError, TypeError, AttributeError):
        return False
    return True


def _absent(f: Field, v: Any) -> bool:
    """Whether the value *v* of component *f* is to be left out of the encoding."""
    if f.kind == OPTIONAL:
        return v is f.default or v == f.default
    # X.690 11.5: a DEFAULT component equal to its default is not encoded (None: default).
    return f.kind == DEFAULT and (v is None or v == f.default)


def default(name: str, grammar: Grammar[T], value: T) -> Field:
    """``name T DEFAULT value``: absent decodes to *value*; in DER a value equal to the default
    is never encoded (X.690 11.5) and an encoded default is rejected."""
    try:
        grammar._enc(value)
    except (EncodeError, GrammarError) as e:
        raise GrammarError(f"DEFAULT value of {name!r} does not fit its type: {e}") from None
    return Field(name, grammar, DEFAULT, value)


def _fields(items: Sequence[Field | tuple[str, Grammar[Any]]]) -> list[Field]:
    out = []
    for item in items:
        if isinstance(item, Field):
            out.append(item)
        elif isinstance(item, tuple) and len(item) == 2:
            out.append(required(*item))
        else:
            raise GrammarError(f"not a component: {item!r}")
    names = [f.name for f in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise GrammarError(f"duplicate component names: {sorted(dup)}")
    return out


def _tags_of(f: Field) -> frozenset[int] | None:
    return f.grammar.tags


class SequenceNode(Tagged[tuple[Any, ...]]):
    """SEQUENCE { ... }: values are tuples in component order."""

    __slots__ = ("_plan", "fields")

    def __init__(self, fields: list[Field]) -> None:
        super().__init__("SEQUENCE", tag_key(16), True)
        self.fields = fields
        # X.680 25.5: the tags of a run of OPTIONAL/DEFAULT components and of the component
        # that follows the run must all differ.
        plan: list[tuple[str, Grammar[Any], int, Any, frozenset[int] | None]] = []
        for i, f in enumerate(fields):
            if f.kind == REQUIRED:
                plan.append((f.name, f.grammar, REQUIRED, None, None))
                continue
            mine = _tags_of(f)
            if mine is None and i + 1 < len(fields):
                raise GrammarError(
                    f"SEQUENCE: untagged ANY in OPTIONAL component {f.name!r} "
                    "is ambiguous with the components after it"
                )
            for g in fields[i + 1 :]:
                theirs = _tags_of(g)
                clash = mine & theirs if mine is not None and theirs is not None else None
                if theirs is None or clash:
                    shown = ", ".join(describe_tag(k) for k in sorted(clash or ()))
                    raise GrammarError(
                        f"SEQUENCE: OPTIONAL component {f.name!r} and component {g.name!r} "
                        f"share tags {shown or '(ANY)'}"
                    )
                if g.kind == REQUIRED:
                    break
            plan.append((f.name, f.grammar, f.kind, f.default, mine))
        self._plan = plan

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> tuple[Any, ...]:
        _enter(ctx, cons, "SEQUENCE", cs)
        out = []
        pos = cs
        h = read_header(data, pos, ce, ctx) if pos < ce else None
        for name, grammar, kind, dflt, tags in self._plan:
            if h is None:
                if kind == REQUIRED:
                    raise DecodeError(f"missing required component {name!r}", pos)
                out.append(dflt)
                continue
            key = h[0]
            if kind != REQUIRED and (tags is not None and key not in tags):
                out.append(dflt)
                continue
            try:
                value = grammar._dec(data, key, h[1], pos, h[2], h[3], h[4], ctx)
            except DecodeError as e:
                raise e.within(name) from None
            if kind == DEFAULT and not ctx.ber and value == dflt:
                raise DecodeError("a DEFAULT value is encoded explicitly (X.690 11.5)", pos).within(
                    name
                )
            out.append(value)
            pos = h[4]
            h = read_header(data, pos, ce, ctx) if pos < ce else None
        if h is not None:
            raise DecodeError(
                f"unexpected element {describe_tag(h[0])} after the last component", pos
            )
        ctx.depth -= 1
        return tuple(out)

    def _enc_content(self, value: tuple[Any, ...]) -> bytes:
        items = _component_values(value, self.fields)
        parts = []
        for f, v in zip(self.fields, items, strict=True):
            if _absent(f, v):
                continue
            try:
                parts.append(f.grammar._enc(v))
            except EncodeError as e:
                raise e.within(f.name) from None
        return b"".join(parts)


def _component_values(value: Any, fields: list[Field]) -> Sequence[Any]:
    if not isinstance(value, tuple | list):
        raise EncodeError(
            f"expected a tuple of {len(fields)} components, not {type(value).__name__}"
        )
    if len(value) != len(fields):
        raise EncodeError(f"expected {len(fields)} components, got {len(value)}")
    return value


def sequence(*components: Field | tuple[str, Grammar[Any]]) -> Grammar[tuple[Any, ...]]:
    """``SEQUENCE { ... }``. Components are ``(name, grammar)`` pairs (required) or
    :func:`optional` / :func:`default` fields; values are tuples in this order."""
    return SequenceNode(_fields(components))


class SetNode(Tagged[tuple[Any, ...]]):
    """SET { ... }: any order in BER, canonical tag order in DER (X.690 10.3)."""

    __slots__ = ("_by_tag", "fields")

    def __init__(self, fields: list[Field]) -> None:
        super().__init__("SET", tag_key(17), True)
        self.fields = fields
        by_tag: dict[int, int] = {}
        for i, f in enumerate(fields):
            tags = _tags_of(f)
            if tags is None:
                raise GrammarError(f"SET: untagged ANY component {f.name!r} is ambiguous")
            for k in tags:
                if k in by_tag:
                    other = fields[by_tag[k]].name
                    raise GrammarError(
                        f"SET: components {other!r} and {f.name!r} share tag {describe_tag(k)}"
                    )
                by_tag[k] = i
        self._by_tag = by_tag

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> tuple[Any, ...]:
        _enter(ctx, cons, "SET", cs)
        found: list[Any] = [None] * len(self.fields)
        seen = [False] * len(self.fields)
        pos = cs
        last: tuple[int, int] | None = None
        while pos < ce:
            key, icons, ics, ice, ine = read_header(data, pos, ce, ctx)
            i = self._by_tag.get(key)
            if i is None:
                raise DecodeError(f"no component of the SET has tag {describe_tag(key)}", pos)
            f = self.fields[i]
            if seen[i]:
                raise DecodeError(f"component {f.name!r} appears twice", pos)
            order = canonical_order(key)
            if not ctx.ber and last is not None and order < last:
                raise DecodeError("SET components not in canonical tag order (X.690 10.3)", pos)
            last = order
            try:
                value = f.grammar._dec(data, key, icons, pos, ics, ice, ine, ctx)
            except DecodeError as e:
                raise e.within(f.name) from None
            if f.kind == DEFAULT and not ctx.ber and value == f.default:
                raise DecodeError("a DEFAULT value is encoded explicitly (X.690 11.5)", pos).within(
                    f.name
                )
            found[i] = value
            seen[i] = True
            pos = ine
        for i, f in enumerate(self.fields):
            if not seen[i]:
                if f.kind == REQUIRED:
                    raise DecodeError(f"missing required component {f.name!r}", pos)
                found[i] = f.default
        ctx.depth -= 1
        return tuple(found)

    def _enc_content(self, value: tuple[Any, ...]) -> bytes:
        items = _component_values(value, self.fields)
        parts: list[tuple[tuple[int, int], bytes]] = []
        for f, v in zip(self.fields, items, strict=True):
            if _absent(f, v):
                continue
            try:
                enc = f.grammar._enc(v)
            except EncodeError as e:
                raise e.within(f.name) from None
            ctx = Ctx(False, DEFAULT_LIMITS)
            parts.append((canonical_order(read_header(enc, 0, len(enc), ctx)[0]), enc))
        # X.690 10.3: by the tag of each encoding (for an untagged CHOICE, the chosen one's).
        parts.sort(key=lambda p: p[0])
        return b"".join(p[1] for p in parts)


def set(*components: Field | tuple[str, Grammar[Any]]) -> Grammar[tuple[Any, ...]]:
    """``SET { ... }``; values are tuples in the order the components are given here."""
    return SetNode(_fields(components))


class ChoiceNode(Grammar[tuple[str, Any]]):
    """CHOICE { ... }: values are ``(alternative name, value)`` pairs."""

    __slots__ = ("_by_name", "_by_tag")

    def __init__(self, alternatives: list[Field]) -> None:
        by_tag: dict[int, tuple[str, Grammar[Any]]] = {}
        for f in alternatives:
            tags = _tags_of(f)
            if tags is None:
                raise GrammarError(f"CHOICE: untagged ANY alternative {f.name!r} is ambiguous")
            for k in tags:
                if k in by_tag:
                    raise GrammarError(
                        f"CHOICE: alternatives {by_tag[k][0]!r} and {f.name!r} "
                        f"share tag {describe_tag(k)}"
                    )
                by_tag[k] = (f.name, f.grammar)
        if not alternatives:
            raise GrammarError("CHOICE needs at least one alternative")
        super().__init__(
            "CHOICE { " + ", ".join(f.name for f in alternatives) + " }", frozenset(by_tag)
        )
        self._by_tag = by_tag
        self._by_name = {f.name: f.grammar for f in alternatives}

    def _dec(
        self, data: bytes, key: int, cons: bool, hs: int, cs: int, ce: int, ne: int, ctx: Ctx
    ) -> tuple[str, Any]:
        alt = self._by_tag.get(key)
        if alt is None:
            raise DecodeError(f"no alternative of the CHOICE has tag {describe_tag(key)}", hs)
        name, grammar = alt
        try:
            return name, grammar._dec(data, key, cons, hs, cs, ce, ne, ctx)
        except DecodeError as e:
            raise e.within(name) from None

    def _enc(self, value: tuple[str, Any]) -> bytes:
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)):
            raise EncodeError("a CHOICE value is a (alternative name, value) pair")
        name, v = value
        grammar = self._by_name.get(name)
        if grammar is None:
            raise EncodeError(f"no alternative named {name!r}")
        try:
            return grammar._enc(v)
        except EncodeError as e:
            raise e.within(name) from None


def choice(*alternatives: tuple[str, Grammar[Any]]) -> Grammar[tuple[str, Any]]:
    """``CHOICE { ... }`` from ``(name, grammar)`` pairs; values are ``(name, value)``."""
    fields = _fields(alternatives)
    if any(f.kind != REQUIRED for f in fields):
        raise GrammarError("CHOICE alternatives cannot be OPTIONAL or DEFAULT")
    return ChoiceNode(fields)


# --- SEQUENCE OF, SET OF --------------------------------------------------------------------


class SequenceOfNode(Tagged[tuple[T, ...]]):
    __slots__ = ("item",)

    def __init__(self, item: Grammar[T], key: int, name: str) -> None:
        super().__init__(f"{name} OF {item.name}", key, True)
        self.item = item

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> tuple[T, ...]:
        _enter(ctx, cons, self.name, cs)
        out = []
        pos = cs
        dec = self.item._dec
        while pos < ce:
            key, icons, ics, ice, ine = read_header(data, pos, ce, ctx)
            try:
                out.append(dec(data, key, icons, pos, ics, ice, ine, ctx))
            except DecodeError as e:
                raise e.within(f"[{len(out)}]") from None
            pos = ine
        ctx.depth -= 1
        return tuple(out)

    def _items(self, value: Sequence[T]) -> list[bytes]:
        if not isinstance(value, tuple | list):
            raise EncodeError(f"{self.name} takes a tuple or list, not {type(value).__name__}")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(self.item._enc(v))
            except EncodeError as e:
                raise e.within(f"[{i}]") from None
        return out

    def _enc_content(self, value: tuple[T, ...]) -> bytes:
        return b"".join(self._items(value))


def _padded_le(a: bytes, b: bytes) -> bool:
    """X.690 11.6: compare encodings as octet strings, the shorter padded with trailing 0s."""
    n = len(a) if len(a) > len(b) else len(b)
    return a.ljust(n, b"\0") <= b.ljust(n, b"\0")


class SetOfNode(SequenceOfNode[T]):
    """SET OF: in DER the encodings appear in ascending order (X.690 11.6)."""

    __slots__ = ()

    def _content(self, data: bytes, cons: bool, cs: int, ce: int, ctx: Ctx) -> tuple[T, ...]:
        _enter(ctx, cons, self.name, cs)
        out = []
        pos = cs
        dec = self.item._dec
        prev = -1
        prev_end = -1
        while pos < ce:
            key, icons, ics, ice, ine = read_header(data, pos, ce, ctx)
            if not ctx.ber and prev >= 0 and not _padded_le(data[prev:prev_end], data[pos:ine]):
                raise DecodeError("SET OF elements not in ascending order (X.690 11.6)", pos)
            try:
                out.append(dec(data, key, icons, pos, ics, ice, ine, ctx))
            except DecodeError as e:
                raise e.within(f"[{len(out)}]") from None
            prev, prev_end, pos = pos, ine, ine
        ctx.depth -= 1
        return tuple(out)

    def _enc_content(self, value: tuple[T, ...]) -> bytes:
        return b"".join(sorted(self._items(value)))


def sequence_of(item: Grammar[T]) -> Grammar[tuple[T, ...]]:
    """``SEQUENCE OF item``; values are tuples (lists are accepted when encoding)."""
    return SequenceOfNode(item, tag_key(16), "SEQUENCE")


def set_of(item: Grammar[T]) -> Grammar[tuple[T, ...]]:
    """``SET OF item``; encoded sorted (X.690 11.6), decoded in encoding order."""
    return SetOfNode(item, tag_key(17), "SET")


class Enumeration(Map[str]):
    """ENUMERATED with names as values (see :func:`enumeration`); ``names`` maps name -> number."""

    __slots__ = ("names",)

    def __init__(self, names: Mapping[str, int], base: Grammar[int]) -> None:
        self.names = dict(names)
        by_number = {v: k for k, v in self.names.items()}
        if len(by_number) != len(self.names):
            raise GrammarError("enumeration: two names share a number")

        def dec(n: int) -> str:
            try:
                return by_number[n]
            except KeyError:
                raise ValueError(f"{n} is not one of the enumerated values") from None

        def enc(name: str) -> int:
            try:
                return self.names[name]
            except (KeyError, TypeError):
                raise ValueError(f"{name!r} is not one of the enumerated names") from None

        super().__init__(base, dec, enc)

    def rewrap(self, inner: Grammar[Any]) -> Wrapper[str]:
        return Enumeration(self.names, inner)


def enumeration(names: Mapping[str, int], base: Grammar[int]) -> Grammar[str]:
    """ENUMERATED { a(0), b(1), ... } with values as names; an unknown number fails.

    *base* is normally :data:`asn1.enumerated` (or :data:`asn1.integer` for INTEGER types
    with named numbers)."""
    return Enumeration(names, base)
