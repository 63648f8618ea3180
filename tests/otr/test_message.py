"""The OTR message layer: the examples of the specification, strict base 64, fragments
both ways and their bounded reassembly."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otr._message import (
    MAX_MESSAGE_CHARS,
    WHITESPACE_BASE,
    WHITESPACE_VERSIONS,
    Encoded,
    ErrorMessage,
    Fragment,
    Plaintext,
    Query,
    Reassembly,
    encode,
    error_message,
    fragment,
    parse,
    query_message,
    reassemble,
    whitespace_tag,
)
from otr._wire import OTRDecodeError


@pytest.mark.parametrize(
    ("text", "versions"),
    [
        # The examples of "OTR Query Messages".
        ("?OTR?", {1}),
        ("?OTRv2?", {2}),
        ("?OTRv23?", {2, 3}),
        ("?OTR?v2?", {1, 2}),
        ("?OTRv24x?", {2, 4}),
        ("?OTR?v24x?", {1, 2, 4}),
        ("?OTR?v?", {1}),
        ("?OTRv?", set()),
        ("Alice wants to talk: ?OTRv3? (install OTR)", {3}),
    ],
)
def test_query_examples(text: str, versions: set[int]) -> None:
    assert parse(text) == Query(frozenset(versions))


def test_query_writer() -> None:
    assert query_message(frozenset({2, 3})) == "?OTRv23?"
    assert query_message(frozenset({3})) == "?OTRv3?"
    assert parse(query_message(frozenset({2}))) == Query(frozenset({2}))


@pytest.mark.parametrize("versions", [{2}, {3}, {2, 3}])
def test_whitespace_tag(versions: set[int]) -> None:
    tag = whitespace_tag(frozenset(versions))
    assert tag.startswith(WHITESPACE_BASE) and len(tag) == 16 + 8 * len(versions)
    assert set(tag) <= {" ", "\t"}
    assert parse("hello" + tag + " world") == Plaintext("hello world", frozenset(versions), True)


def test_whitespace_v1_and_unknown() -> None:
    text = "x" + WHITESPACE_BASE + WHITESPACE_VERSIONS[1] + WHITESPACE_VERSIONS[3] + "  \t"
    assert parse(text) == Plaintext("x  \t", frozenset({1, 3}), True)
    assert parse("no tag \t here") == Plaintext("no tag \t here")


def test_error_message() -> None:
    assert parse(error_message("bad thing")) == ErrorMessage("bad thing")
    assert parse("?OTR Error:x") == ErrorMessage("x")


@given(st.binary(max_size=500))
def test_encoded_round_trip(data: bytes) -> None:
    text = encode(data)
    assert text.startswith("?OTR:") and text.endswith(".")
    assert parse(text) == Encoded(data)


@pytest.mark.parametrize(
    "text",
    [
        "?OTR:AAMD",  # no final '.'
        "?OTR:AAM.",  # bad length (no padding)
        "?OTR:AA=D.",  # padding inside
        "?OTR:AA MD.",  # space
        "?OTR:AAMDé===.",  # non-ASCII
        "?OTR:AAN=.",  # non-canonical: trailing bits set
        "?OTR:" + "A" * (MAX_MESSAGE_CHARS + 4) + ".",
    ],
)
def test_strict_base64(text: str) -> None:
    with pytest.raises(OTRDecodeError):
        parse(text)


def test_spec_fragment_example() -> None:
    """The three fragments of section "Fragmentation" parse, and reassemble in order."""
    pieces = [
        "?OTR|5a73a599|27e31597,00001,00003,?OTR:AAMDJ+MVmSfjFZcAAAAA"
        "AQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hbrL3KAbGDdzE2ZkMyTKl7XfkSx"
        "h8YJnudstiB74i4BzT0W2haClg6dMary/jo9sMudwmUdlnKpIGEKXWdvJKT+"
        "hQ26h9nzMgEditLB8v,",
        "?OTR|5a73a599|27e31597,00002,00003,jPEWAJ6gBXvZrY6ZQrx3gb4v0"
        "UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjScajVba6dq"
        "lDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAAAAAEAAAA"
        "HwNiIi5Ms+4PsY/L2i,",
        "?OTR|5a73a599|27e31597,00003,00003,pkTtquknfx6HodLvk3RAAAAAA==.,",
    ]
    state = Reassembly()
    whole = None
    for k, text in enumerate(pieces, 1):
        frag = parse(text)
        assert isinstance(frag, Fragment)
        assert (frag.version, frag.sender_tag, frag.receiver_tag) == (3, 0x5A73A599, 0x27E31597)
        assert (frag.k, frag.n) == (k, 3)
        state, whole, warning = reassemble(state, frag)
        assert warning is None
    assert whole is not None
    message = parse(whole)
    assert isinstance(message, Encoded)
    assert message.data[:3] == b"\x00\x03\x03"  # a version 3 Data Message


@pytest.mark.parametrize(
    "text",
    [
        "?OTR|5a73a599|27e31597,00001,00003,,",  # empty piece
        "?OTR|5a73a599|27e31597,00001,00003,abc",  # no final comma
        "?OTR|5a73a599,00001,00003,abc,",  # one tag
        "?OTR|5a73a599|27e315970,1,3,abc,",  # 9 hex digits
        "?OTR|5a73a599|xyz,1,3,abc,",
        "?OTR|1|2,65536,65536,abc,",  # above 65535
        "?OTR|1|2,1,3,a,b,",  # extra field
        "?OTR,1,,abc,",
        "?OTR,-1,3,abc,",
        "?OTR,1,3,abc,def,",
    ],
)
def test_bad_fragments(text: str) -> None:
    with pytest.raises(OTRDecodeError):
        parse(text)


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ+/=", min_size=1, max_size=3000),
    st.integers(min_value=40, max_value=600),
    st.sampled_from([2, 3]),
)
def test_fragment_round_trip(payload: str, size: int, version: int) -> None:
    message = "?OTR:" + payload + "."
    pieces = fragment(message, size, version, 0x1234, 0x5678)
    assert all(len(p) <= size for p in pieces)
    state = Reassembly()
    whole = None
    for piece in pieces[:-1] if len(pieces) > 1 else []:
        frag = parse(piece)
        assert isinstance(frag, Fragment) and frag.version == version
        state, whole, warning = reassemble(state, frag)
        assert whole is None and warning is None
    if len(pieces) == 1:
        assert pieces == [message]
        return
    last = parse(pieces[-1])
    assert isinstance(last, Fragment)
    if version == 3:
        assert (last.sender_tag, last.receiver_tag) == (0x1234, 0x5678)
    state, whole, warning = reassemble(state, last)
    assert whole == message and state == Reassembly()


def test_fragment_too_small() -> None:
    with pytest.raises(ValueError):
        fragment("?OTR:" + "A" * 100 + ".", 36, 3, 0x100, 0x100)


def test_reassembly_rules() -> None:
    def frag(k: int, n: int, piece: str = "p") -> Fragment:
        return Fragment(2, 0, 0, k, n, piece)

    # Illegal numbers are discarded without touching the stored state.
    state, whole, warning = reassemble(Reassembly(), frag(1, 3))
    for bad in (frag(0, 3), frag(2, 0), frag(4, 3)):
        again, whole, warning = reassemble(state, bad)
        assert again == state and whole is None and warning is not None
    # A gap forgets everything.
    state2, whole, warning = reassemble(state, frag(3, 3))
    assert state2 == Reassembly() and whole is None and warning is not None
    # A new k == 1 restarts; a different n is out of order.
    state3, _, _ = reassemble(state, frag(1, 2, "a"))
    assert state3.pieces == ("a",)
    state4, whole, warning = reassemble(state3, frag(2, 3))
    assert state4 == Reassembly() and warning is not None


def test_reassembly_is_bounded() -> None:
    big = "A" * (MAX_MESSAGE_CHARS // 2 + 1)
    state, _, _ = reassemble(Reassembly(), Fragment(2, 0, 0, 1, 3, big))
    state, whole, warning = reassemble(state, Fragment(2, 0, 0, 2, 3, big))
    assert state == Reassembly() and whole is None and warning is not None


def test_fragment_marker_first() -> None:
    """ "?OTR|" is looked for before "?OTR:" (a fragment carries the start of "?OTR:")."""
    assert isinstance(parse("?OTR|100|100,1,2,?OTR:AAMD,"), Fragment)


def test_plain_text_with_otr_words() -> None:
    assert parse("talk about ?OTR sometime") == Plaintext("talk about ?OTR sometime")
    assert parse("") == Plaintext("")
    raw = base64.b64encode(b"\x00\x03").decode()
    assert parse(f"prefix ?OTR:{raw}. suffix") == Encoded(b"\x00\x03")
