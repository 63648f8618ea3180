"""``otr.handle``'s short path for the common case (one whole data message in an encrypted
session) against its general path: every time the short path accepts a message, the general
path on the same session and text must give the same session state and output."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

import otr
from nocrypto import dsa, rng
from otr import _session as S
from otr._wire import OTRDecodeError
from tests.otr.helpers import secure_pair


def _general(session: S.Session, text: str, versions: frozenset[int]) -> tuple[Any, Any]:
    out = S._Out()
    try:
        new = S._receive(session, text, versions, out)
    except OTRDecodeError as exc:
        out.warn("malformed", str(exc))
        new = session
    return new, out.done()


def _canon(result: tuple[Any, Any]) -> object:
    """What must agree: message state, the data keys and counters, SMP, AKE, fragments,
    stored messages, and the output."""
    session, output = result
    m = session.msgstate
    keys = getattr(m, "keys", None)
    dh = None
    if keys is not None:
        d = keys.dh_keys
        dh = (
            d.our_keyid,
            getattr(d.our_dh, "x", repr(d.our_dh)),
            d.their_keyid,
            d.their_y,
            d.their_prev_y,
            [
                (p.keys.our_keyid, p.keys.their_keyid, p.send_ctr, p.recv_ctr, p.recv_mac_used)
                for p in keys.sessions
            ],
            keys.reveal,
        )
    return (
        type(m).__name__,
        dh,
        getattr(m, "smp", None),
        session.auth,
        session.fragments,
        session.stored,
        session.whitespace_off,
        output,
    )


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    original = S._receive_own_data
    stats = {"fast": 0, "fallback": 0}

    def check(
        session: S.Session, m: Any, text: str, versions: frozenset[int]
    ) -> tuple[S.Session, otr.Output] | None:
        sa = dataclasses.replace(session, random=rng.Fortuna(seed=b"diff").generate)
        assert isinstance(m, S._Encrypted)
        fast = original(sa, m, text, versions)
        if fast is None:
            stats["fallback"] += 1
        else:
            stats["fast"] += 1
            sb = dataclasses.replace(session, random=rng.Fortuna(seed=b"diff").generate)
            assert _canon(fast) == _canon(_general(sb, text, versions))
        return original(session, m, text, versions)

    monkeypatch.setattr(S, "_receive_own_data", check)
    yield stats


@pytest.mark.parametrize("version", [2, 3])
def test_short_path_agrees_with_the_general_path(
    checked: dict[str, int], alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, version: int
) -> None:
    pair = secure_pair(alice_key, bob_key, version, seed=b"fast path")
    sent: list[str] = []
    for i in range(24):
        side = pair.alice if i % 3 else pair.bob  # runs both ways: keys rotate
        side.session, out = otr.send(side.session, f"message {i} " + "x" * (i * 37))
        sent.extend(out.to_send)
        pair.deliver(side, out.to_send)
    # Replays, a tampered copy and a truncated one go through the check too (and are
    # refused by both paths).
    other = pair.bob
    for text in (sent[-1], sent[-1][:-4] + "AAA.", sent[-1][: len(sent[-1]) // 2]):
        other.session, out = otr.handle(other.session, text)
        assert out.received is None
    assert checked["fast"] >= 20
