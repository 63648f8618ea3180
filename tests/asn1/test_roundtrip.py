"""Round trips over random grammars and random values (hypothesis).

For any grammar built from the combinators and any value of it: ``decode(encode(v)) == v``;
and since DER is canonical, for the bytes so made ``encode(decode(b)) == b``, and the BER
decoder agrees with the DER decoder on DER input.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import asn1
from asn1._grammar import EncodedNode
from tests.asn1.strategies import values

G = asn1.Grammar[Any]

LEAVES: list[G] = [
    asn1.boolean,
    asn1.integer,
    asn1.enumerated,
    asn1.null,
    asn1.octet_string,
    asn1.bit_string,
    asn1.named_bits("a", "b", "c"),
    asn1.object_identifier,
    asn1.relative_oid,
    asn1.utf8_string,
    asn1.printable_string,
    asn1.ia5_string,
    asn1.numeric_string,
    asn1.visible_string,
    asn1.teletex_string,
    asn1.bmp_string,
    asn1.universal_string,
    asn1.utc_time,
    asn1.generalized_time,
    asn1.any,
    asn1.enumeration({"red": 0, "green": 1, "blue": 7}, asn1.enumerated),
]

TAG_CLASSES = st.sampled_from([asn1.CONTEXT, asn1.CONTEXT, asn1.APPLICATION, asn1.PRIVATE])
TAG_NUMBERS = st.one_of(st.integers(0, 6), st.integers(0, 40), st.integers(0, 5000))


def _build(kind: str, draw: st.DrawFn, children: st.SearchStrategy[G]) -> G | None:
    """One random constructor over random children; None if the result is ambiguous."""
    try:
        if kind == "explicit":
            return asn1.explicit(draw(TAG_NUMBERS), draw(children), draw(TAG_CLASSES))
        if kind == "implicit":
            return asn1.implicit(draw(TAG_NUMBERS), draw(children), draw(TAG_CLASSES))
        if kind == "sequence_of":
            return asn1.sequence_of(draw(children))
        if kind == "set_of":
            return asn1.set_of(draw(children))
        if kind == "size":
            lo = draw(st.integers(0, 2))
            return asn1.size(asn1.sequence_of(draw(children)), lo, lo + draw(st.integers(0, 3)))
        if kind == "encoded":
            return asn1.encoded(draw(children))
        n = draw(st.integers(1, 5))
        comps = [draw(children) for _ in range(n)]
        names = [f"f{i}" for i in range(n)]
        if kind == "choice":
            return asn1.choice(*zip(names, comps, strict=True))
        fields: list[asn1.Field] = []
        for name, g in zip(names, comps, strict=True):
            how = draw(st.sampled_from(["required", "optional", "default"]))
            if how == "optional":
                fields.append(asn1.optional(name, g))
            elif how == "default" and g is asn1.boolean:
                fields.append(asn1.default(name, g, draw(st.booleans())))
            elif how == "default" and g is asn1.integer:
                fields.append(asn1.default(name, g, draw(st.integers(-3, 3))))
            else:
                fields.append(asn1.required(name, g))
        return asn1.sequence(*fields) if kind == "sequence" else asn1.set(*fields)
    except asn1.GrammarError:
        return None


KINDS = ["explicit", "implicit", "sequence", "set", "choice", "sequence_of", "set_of", "size"]


def _extend(children: st.SearchStrategy[G]) -> st.SearchStrategy[G]:
    @st.composite
    def node(draw: st.DrawFn) -> G:
        kind = draw(st.sampled_from([*KINDS, "encoded"]))
        g = _build(kind, draw, children)
        assume(g is not None)
        assert g is not None
        return g

    return node()


def _recursive(draw: st.DrawFn) -> G:
    leaf = draw(st.sampled_from(LEAVES[:6]))
    number = draw(st.integers(0, 3))
    return asn1.fix(
        lambda t: asn1.choice(
            ("leaf", leaf),
            ("node", asn1.explicit(number, asn1.sequence_of(t))),
            ("pair", asn1.implicit(20, asn1.sequence(("l", t), ("r", t)))),
        )
    )


GRAMMARS = st.one_of(
    st.recursive(st.sampled_from(LEAVES), _extend, max_leaves=8),
    st.composite(_recursive)(),
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_grammars_round_trip(data: st.DataObject) -> None:
    grammar = data.draw(GRAMMARS, label="grammar")
    value = data.draw(values(grammar), label="value")
    der = asn1.encode_der(grammar, value)
    back = asn1.decode_der(grammar, der)
    assert _strip(back) == _strip(value)
    assert asn1.encode_der(grammar, back) == der
    assert asn1.decode_ber(grammar, der) == back
    if isinstance(grammar, EncodedNode):
        assert isinstance(back, asn1.Encoded)
        assert back.encoding == der
    # a DER decoding followed by anything is a DecodeError, or the rest with rest=True
    assert asn1.decode_der(grammar, der + b"\x05\x00", rest=True) == (back, b"\x05\x00")


def _strip(v: Any) -> Any:
    """Values compared without the captured encodings (generated values carry none)."""
    if isinstance(v, asn1.Encoded):
        return _strip(v.value)
    if isinstance(v, tuple):
        return tuple(_strip(x) for x in v)
    return v
