"""``otr.handle`` is total: random strings, and every message of a real conversation (AKE,
data, SMP, disconnect) mutated at the byte level and re-encoded, fed to the session that was
about to receive the original, never raise and never yield plaintext that did not
authenticate."""

from __future__ import annotations

import base64
from dataclasses import replace
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import otr
from otr import _message
from otr.events import Warning
from tests.otr.helpers import Side, make_key, new_pair

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _recorded() -> tuple[tuple[otr.Session, str], ...]:
    """(receiving session, message) for every message of a full conversation."""
    pair = new_pair(make_key(b"totality a"), make_key(b"totality b"))
    seen: list[tuple[otr.Session, str]] = []

    def deliver(sender: Side, messages: list[str]) -> None:
        pending = [(sender, m) for m in messages]
        while pending:
            origin, message = pending.pop(0)
            target = pair.peer(origin)
            seen.append((target.session, message))
            pending += [(target, r) for r in target.absorb(otr.handle(target.session, message))]

    deliver(pair.alice, pair.alice.absorb(otr.query(pair.alice.session)))
    # From now on Bob fragments what he sends.
    pair.bob.session = replace(pair.bob.session, max_message_size=300)
    for i in range(3):
        deliver(pair.alice, pair.alice.absorb(otr.send(pair.alice.session, f"a{i}")))
        deliver(pair.bob, pair.bob.absorb(otr.send(pair.bob.session, f"b{i}" * 50)))
    deliver(pair.alice, pair.alice.absorb(otr.smp_start(pair.alice.session, "s", "q")))
    deliver(pair.bob, pair.bob.absorb(otr.smp_respond(pair.bob.session, "s")))
    deliver(pair.alice, pair.alice.absorb(otr.use_extra_key(pair.alice.session, 7)))
    deliver(pair.bob, pair.bob.absorb(otr.end(pair.bob.session)))
    assert len(seen) > 20
    return tuple(seen)


def _check(session: otr.Session, message: str) -> otr.Output:
    new, out = otr.handle(session, message)
    assert isinstance(new, otr.Session)
    assert all(isinstance(m, str) for m in out.to_send)
    return out


@_SETTINGS
@given(st.integers(min_value=0), st.text(max_size=400))
def test_random_text(index: int, text: str) -> None:
    sessions = _recorded()
    session, _ = sessions[index % len(sessions)]
    _check(session, text)
    _check(session, "?OTR:" + text)
    _check(session, "?OTR|" + text)
    _check(session, "?OTR," + text)


@_SETTINGS
@given(st.integers(min_value=0), st.binary(max_size=600))
def test_random_encoded(index: int, data: bytes) -> None:
    sessions = _recorded()
    session, _ = sessions[index % len(sessions)]
    out = _check(session, _message.encode(data))
    # Random bytes never authenticate as a data message.
    assert out.received is None


@_SETTINGS
@given(
    st.integers(min_value=0),
    st.lists(
        st.tuples(
            st.sampled_from(["flip", "cut", "insert", "set"]),
            st.integers(0),
            st.binary(min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_messages(index: int, mutations: list[tuple[str, int, bytes]]) -> None:
    sessions = _recorded()
    session, message = sessions[index % len(sessions)]
    parsed = _message.parse(message)
    if isinstance(parsed, _message.Encoded):
        raw = bytearray(parsed.data)
        for op, where, value in mutations:
            pos = where % (len(raw) + 1)
            if op == "flip" and raw:
                raw[pos % len(raw)] ^= value[0] or 1
            elif op == "cut":
                del raw[pos:]
            elif op == "insert":
                raw[pos:pos] = value
            elif raw:
                raw[pos % len(raw)] = value[0]
        if bytes(raw) == parsed.data:
            return
        mutated = _message.encode(bytes(raw))
    else:
        text = list(message)
        for _op, where, value in mutations:
            if text:
                text[where % len(text)] = chr(value[0])
        mutated = "".join(text)
        if mutated == message:
            return
    out = _check(session, mutated)
    if isinstance(parsed, _message.Encoded):
        original = otr.handle(session, message)[1].received
        # A changed data message either fails to authenticate or, if only the unauthenticated
        # old-MAC-keys field changed, still yields exactly the original text.
        assert out.received in (None, original)


@_SETTINGS
@given(st.integers(min_value=0), st.data())
def test_mutated_base64(index: int, data: st.DataObject) -> None:
    sessions = _recorded()
    session, message = sessions[index % len(sessions)]
    if not message.startswith("?OTR:"):
        return
    body = message[5:-1]
    pos = data.draw(st.integers(0, len(body) - 1))
    char = data.draw(
        st.sampled_from(
            sorted(set(base64.b64encode(bytes(range(256))).decode()) | {"=", "!", " ", "é"})
        )
    )
    out = _check(session, "?OTR:" + body[:pos] + char + body[pos + 1 :] + ".")
    original = otr.handle(session, message)[1].received
    assert out.received in (None, original)
    if out.received is None and original is not None:
        assert any(isinstance(e, Warning) for e in out.events)


def test_recording_covers_every_message_type() -> None:
    kinds: set[int | str] = set()
    for _, message in _recorded():
        parsed = _message.parse(message)
        if isinstance(parsed, _message.Encoded):
            kinds.add(parsed.data[2])
        else:
            kinds.add(type(parsed).__name__)
    assert {0x02, 0x0A, 0x11, 0x12, 0x03, "Query", "Fragment"} <= kinds
