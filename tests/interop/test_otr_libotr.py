"""Differential tests of the OTR engine against libotr 4.1 ("Off-the-Record Messaging
Protocol version 3", and its version 2 subset).

Our ``otr`` session and a libotr user state (``tests/interop/libotr.py``) exchange messages in
memory: the AKE in versions 2 and 3 started from each side, data messages both ways with key
rotation, fragmentation in both directions and both fragment formats, SMP (with and without a
question, with a wrong secret, started from each side), the disconnect TLV, and the
fingerprints and SSID each side computes. The private key file format of ``otr._keyfile`` is
checked against ``otrl_privkey_read`` / ``otrl_privkey_generate``. A libotr <-> libotr run
comes first as a smoke test of the binding itself.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import dsa, rng
from tests.interop import libotr

pytestmark = pytest.mark.interop

try:
    libotr.load()  # installs libotr5-dev when missing (as root), builds the binding once
except libotr.LibotrUnavailable as exc:
    if libotr.HEADER.exists():
        raise  # headers there but no binding: a failure to see, not a reason to skip
    pytest.skip(f"libotr unavailable: {exc}", allow_module_level=True)

import otr  # noqa: E402 - after the marks: the reason to skip must not depend on it
from otr import _keyfile, events  # noqa: E402

OURS, THEIRS = "ours@nqsb", "libotr@nqsb"
OUR_TAG = 0x1234ABCD
LIBOTR_TAG = 0x00C0FFEE
SECRET = b"the shared secret"
QUESTION = "What is our favourite cipher?"


# -- fixtures -------------------------------------------------------------------------------


@functools.cache
def _module_key() -> dsa.DSAPrivateKey:
    random = rng.Fortuna(seed=b"otr interop: our key").generate
    params = dsa.DSAParameters.generate(1024, 160, hash="sha1", random=random)
    return dsa.DSAPrivateKey.generate(params, random=random)


@pytest.fixture
def our_key() -> dsa.DSAPrivateKey:
    """One DSA-1024/160 key for our side, made by nocrypto (seeded: reproducible)."""
    return _module_key()


def otr_fingerprint(public: dsa.DSAPublicKey) -> bytes:
    """SHA-1 of the OTR public key encoding without its type (MPIs p, q, g, y), by hand."""

    def mpi(n: int) -> bytes:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return len(raw).to_bytes(4, "big") + raw

    p = public.params
    return hashlib.sha1(mpi(p.p) + mpi(p.q) + mpi(p.g) + mpi(public.y)).digest()


def policy(versions: tuple[int, ...]) -> otr.Policy:
    """Our policy allowing exactly ``versions`` (no whitespace tags, no automatic AKE)."""
    flags = otr.Policy(0)
    if 2 in versions:
        flags |= otr.Policy.ALLOW_V2
    if 3 in versions:
        flags |= otr.Policy.ALLOW_V3
    return flags


def libotr_policy(versions: tuple[int, ...]) -> int:
    """libotr's OTRL_POLICY_* bits allowing exactly ``versions``."""
    return (libotr.ALLOW_V2 if 2 in versions else 0) | (libotr.ALLOW_V3 if 3 in versions else 0)


@dataclass
class Ours:
    """Our session with everything it showed (received texts, events) recorded."""

    session: otr.Session
    received: list[str] = field(default_factory=list)
    events: list[object] = field(default_factory=list)

    def step(self, result: tuple[otr.Session, otr.Output]) -> list[str]:
        self.session, out = result
        if out.received is not None:
            self.received.append(out.received)
        self.events.extend(out.events)
        return list(out.to_send)

    def of(self, kind: type[object]) -> list[object]:
        return [e for e in self.events if isinstance(e, kind)]


def new_ours(
    key: dsa.DSAPrivateKey, versions: tuple[int, ...] = (2, 3), max_message_size: int | None = None
) -> Ours:
    session = otr.Session.new(
        key,
        policy(versions),
        rng.Fortuna(seed=b"otr interop: our session"),
        our_instance_tag=OUR_TAG,
        max_message_size=max_message_size,
    )
    return Ours(session)


def new_libotr(
    versions: tuple[int, ...] = (2, 3), max_message_size: int = 0, key_file: Path | None = None
) -> libotr.LibotrPeer:
    return libotr.LibotrPeer(
        THEIRS,
        OURS,
        key_file=key_file,
        policy=libotr_policy(versions),
        max_message_size=max_message_size,
        instance_tag=LIBOTR_TAG,
    )


def run(
    ours: Ours,
    theirs: libotr.LibotrPeer,
    to_theirs: list[str] = [],  # noqa: B006 - never mutated
    to_ours: list[str] = [],  # noqa: B006
    limit: int = 200,
) -> list[str | None]:
    """Deliver messages both ways until neither side has anything to send.

    Returns what libotr showed its user, in order (None for protocol messages).
    """
    a, b = list(to_theirs), list(to_ours)
    shown: list[str | None] = []
    for _ in range(limit):
        if a:
            message = a.pop(0)
            got = theirs.receive(message)
            if got is not None:
                shown.append(got)
            b.extend(theirs.take())
        elif b:
            a.extend(ours.step(otr.handle(ours.session, b.pop(0))))
        else:
            return shown
    raise AssertionError(f"no quiescence after {limit} deliveries")


def ake(ours: Ours, theirs: libotr.LibotrPeer, initiator: str) -> None:
    """Run the AKE from a query message sent by ``initiator`` ("ours" or "libotr")."""
    if initiator == "ours":
        run(ours, theirs, to_theirs=ours.step(otr.query(ours.session)))
    else:
        run(ours, theirs, to_ours=[theirs.query()])


def gone_secure(ours: Ours) -> events.GoneSecure:
    secure = ours.of(events.GoneSecure)
    assert len(secure) == 1, ours.events
    event = secure[0]
    assert isinstance(event, events.GoneSecure)
    return event


def human(raw: bytes) -> str:
    return libotr.human_fingerprint(raw)


def assert_same_fingerprint(reported: object, raw: bytes) -> None:
    """``reported`` (our event's fingerprint, bytes or the human form) names ``raw``."""
    if isinstance(reported, bytes):
        assert reported == raw
    else:
        assert str(reported).replace(" ", "").upper() == raw.hex().upper()


@pytest.fixture
def secure_v3(our_key: dsa.DSAPrivateKey) -> Iterator[tuple[Ours, libotr.LibotrPeer]]:
    ours, theirs = new_ours(our_key), new_libotr()
    ake(ours, theirs, "ours")
    assert theirs.is_encrypted and gone_secure(ours)
    yield ours, theirs
    theirs.close()


# -- the binding itself: libotr <-> libotr --------------------------------------------------


def test_libotr_to_libotr_smoke() -> None:
    alice = libotr.LibotrPeer("alice@nqsb", "bob@nqsb", instance_tag=0x1111)
    bob = libotr.LibotrPeer("bob@nqsb", "alice@nqsb")  # a tag from create_instag
    assert list(libotr.pump(alice, bob, [alice.query()])) == []
    assert alice.is_encrypted and bob.is_encrypted
    assert "gone_secure" in alice.events and "gone_secure" in bob.events
    assert alice.protocol_version == bob.protocol_version == 3
    assert alice.ssid == bob.ssid and len(alice.ssid) == 8
    assert alice.fingerprint_theirs == bob.fingerprint_ours
    assert bob.fingerprint_theirs == alice.fingerprint_ours
    assert bob.our_instance >= 0x100 and alice.our_instance == 0x1111
    assert alice.their_instance == bob.our_instance and bob.their_instance == 0x1111
    sent = alice.send("hello bob")
    assert len(sent) == 1 and sent[0].startswith("?OTR:AAMD")
    assert bob.receive(sent[0]) == "hello bob"
    bob.max_message_size = 120
    pieces = bob.send("x" * 600)
    assert len(pieces) > 1 and all(len(p) <= 120 for p in pieces)
    assert list(libotr.pump(bob, alice, pieces)) == ["x" * 600]
    assert list(libotr.pump(alice, bob, alice.smp_start(SECRET, QUESTION))) == []
    assert bob.smp_events[-1] == libotr.SMPEvent("ask-for-answer", 25, QUESTION)
    assert list(libotr.pump(bob, alice, bob.smp_respond(SECRET))) == []
    assert alice.smp_events[-1].kind == bob.smp_events[-1].kind == "success"
    (bye,) = alice.disconnect()
    assert bob.receive(bye) is None and bob.msgstate == "finished"
    assert (1, b"") in bob.tlvs


# -- AKE ------------------------------------------------------------------------------------

AKE_CASES = [
    # (initiator, our versions, libotr's versions, version expected)
    ("ours", (2, 3), (2, 3), 3),
    ("libotr", (2, 3), (2, 3), 3),
    ("ours", (3,), (2, 3), 3),
    ("libotr", (2, 3), (3,), 3),
    ("ours", (2, 3), (2,), 2),
    ("libotr", (2, 3), (2,), 2),
    ("ours", (2,), (2, 3), 2),
    ("libotr", (2,), (2, 3), 2),
]


@pytest.mark.parametrize(("initiator", "ours_v", "theirs_v", "version"), AKE_CASES)
def test_ake_and_data(
    our_key: dsa.DSAPrivateKey,
    initiator: str,
    ours_v: tuple[int, ...],
    theirs_v: tuple[int, ...],
    version: int,
) -> None:
    ours, theirs = new_ours(our_key, ours_v), new_libotr(theirs_v)
    ake(ours, theirs, initiator)
    assert theirs.is_encrypted, (theirs.msg_events, ours.events)
    assert theirs.protocol_version == version
    event = gone_secure(ours)
    # Same session id on both sides, and each side names the other's key alike.
    assert event.ssid == theirs.ssid
    assert_same_fingerprint(event.fingerprint, theirs.fingerprint_ours)
    assert theirs.fingerprint_theirs == otr_fingerprint(our_key.public_key())
    if version == 3:
        assert theirs.their_instance == OUR_TAG
    # Messages both ways, several rounds so that both sides rotate their DH keys.
    texts = ["hello libotr", "héllo, ünïcode ✓", "x" * 300, "é", "last one"]
    for n, text in enumerate(texts):
        (msg,) = ours.step(otr.send(ours.session, text))
        assert msg.startswith("?OTR:") and text not in msg
        assert run(ours, theirs, to_theirs=[msg]) == [text]
        reply = theirs.send(f"reply {n}: {text}")
        run(ours, theirs, to_ours=reply)
        assert ours.received[-1] == f"reply {n}: {text}"
    assert theirs.msg_events == []
    assert not ours.of(events.Warning)


def test_libotr_rejects_tampered_message_from_us(
    secure_v3: tuple[Ours, libotr.LibotrPeer],
) -> None:
    # An oracle check of our MAC coverage: a flipped ciphertext bit must not reach the user.
    ours, theirs = secure_v3
    (msg,) = ours.step(otr.send(ours.session, "tamper with me"))
    raw = bytearray(base64.b64decode(msg[5:-1]))
    raw[60] ^= 1
    forged = "?OTR:" + base64.b64encode(bytes(raw)).decode() + "."
    assert theirs.receive(forged) is None
    assert any(name.startswith("RCVDMSG_") for name, _ in theirs.msg_events)


def test_we_reject_tampered_message_from_libotr(
    secure_v3: tuple[Ours, libotr.LibotrPeer],
) -> None:
    ours, theirs = secure_v3
    (msg,) = theirs.send("tamper with me")
    raw = bytearray(base64.b64decode(msg[5:-1]))
    raw[60] ^= 1
    forged = "?OTR:" + base64.b64encode(bytes(raw)).decode() + "."
    ours.step(otr.handle(ours.session, forged))
    assert ours.received == []
    assert ours.of(events.Warning)
    # The genuine message still goes through afterwards.
    run(ours, theirs, to_ours=[msg])
    assert ours.received == ["tamper with me"]


def test_whitespace_tag_from_libotr_starts_our_ake(our_key: dsa.DSAPrivateKey) -> None:
    ours = Ours(otr.Session.new(our_key, otr.Policy.DEFAULT, rng.Fortuna(seed=b"ws"), OUR_TAG))
    theirs = new_libotr()
    theirs.policy = libotr.MANUAL | libotr.SEND_WHITESPACE_TAG | libotr.WHITESPACE_START_AKE
    (tagged,) = theirs.send("hello, I speak OTR")
    assert tagged.startswith("hello, I speak OTR") and tagged != "hello, I speak OTR"
    run(ours, theirs, to_ours=[tagged])
    assert ours.received == ["hello, I speak OTR"]
    assert theirs.is_encrypted and gone_secure(ours).ssid == theirs.ssid


def test_our_whitespace_tag_starts_libotr_ake(our_key: dsa.DSAPrivateKey) -> None:
    ours = Ours(otr.Session.new(our_key, otr.Policy.DEFAULT, rng.Fortuna(seed=b"ws"), OUR_TAG))
    theirs = new_libotr()
    theirs.policy = libotr.MANUAL | libotr.WHITESPACE_START_AKE
    (tagged,) = ours.step(otr.send(ours.session, "hello, I speak OTR too"))
    assert run(ours, theirs, to_theirs=[tagged]) == ["hello, I speak OTR too"]
    assert theirs.is_encrypted and gone_secure(ours).ssid == theirs.ssid


def test_libotr_require_encryption_resends_after_ake(our_key: dsa.DSAPrivateKey) -> None:
    # libotr with REQUIRE_ENCRYPTION holds the text back, sends a query, and sends the text
    # encrypted once the AKE with us is done.
    ours, theirs = new_ours(our_key), new_libotr()
    theirs.policy = libotr.MANUAL | libotr.REQUIRE_ENCRYPTION
    (query,) = theirs.send("for your eyes only")
    assert "for your eyes only" not in query and query.startswith("?OTRv")
    run(ours, theirs, to_ours=[query])
    assert theirs.is_encrypted
    assert ours.received == ["for your eyes only"]


# -- fragmentation --------------------------------------------------------------------------


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("size", [90, 300])
def test_fragments_both_ways(our_key: dsa.DSAPrivateKey, version: int, size: int) -> None:
    # Both sides fragment from the first AKE message on, so every message type is
    # reassembled by the other implementation.
    versions = (version,)
    ours = new_ours(our_key, versions, max_message_size=size)
    theirs = new_libotr(versions, max_message_size=size)
    ake(ours, theirs, "ours")
    assert theirs.is_encrypted and theirs.protocol_version == version
    gone_secure(ours)
    text = "fragment me " * 120
    pieces = ours.step(otr.send(ours.session, text))
    assert len(pieces) > 1 and all(len(p) <= size for p in pieces)
    assert pieces[0].startswith("?OTR|" if version == 3 else "?OTR,")
    assert run(ours, theirs, to_theirs=pieces) == [text]
    pieces = theirs.send(text[::-1])
    assert len(pieces) > 1
    run(ours, theirs, to_ours=pieces)
    assert ours.received == [text[::-1]]


TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=1500,
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(texts=st.lists(TEXT, min_size=1, max_size=4), size=st.integers(64, 1200))
def test_random_texts_and_sizes(texts: list[str], size: int) -> None:
    # Property: whatever the text and the fragment size, each side shows exactly what the
    # other sent, in order (libotr's empty-message heartbeat excluded: min_size=1).
    key = _module_key()
    ours = new_ours(key, max_message_size=size)
    theirs = new_libotr(max_message_size=size)
    ake(ours, theirs, "libotr")
    assert theirs.is_encrypted
    for text in texts:
        pieces = ours.step(otr.send(ours.session, text))
        assert all(len(p) <= size for p in pieces)
        assert run(ours, theirs, to_theirs=pieces) == [text]
        run(ours, theirs, to_ours=theirs.send(text))
        assert ours.received[-1] == text
    assert len(ours.received) == len(texts)
    theirs.close()


# -- SMP ------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [None, QUESTION])
@pytest.mark.parametrize("answer", [SECRET, b"a wrong secret"])
def test_smp_started_by_us(
    secure_v3: tuple[Ours, libotr.LibotrPeer], question: str | None, answer: bytes
) -> None:
    ours, theirs = secure_v3
    run(ours, theirs, to_theirs=ours.step(otr.smp_start(ours.session, SECRET, question)))
    asked = theirs.smp_events[-1]
    assert asked.kind == ("ask-for-secret" if question is None else "ask-for-answer")
    assert asked.question == question
    run(ours, theirs, to_ours=theirs.smp_respond(answer))
    results = ours.of(events.SMPResult)
    assert len(results) == 1
    assert isinstance(results[0], events.SMPResult)
    assert results[0].success is (answer == SECRET)
    assert theirs.smp_events[-1].kind == ("success" if answer == SECRET else "failure")


@pytest.mark.parametrize("question", [None, QUESTION])
@pytest.mark.parametrize("answer", [SECRET, b"a wrong secret"])
def test_smp_started_by_libotr(
    secure_v3: tuple[Ours, libotr.LibotrPeer], question: str | None, answer: bytes
) -> None:
    ours, theirs = secure_v3
    run(ours, theirs, to_ours=theirs.smp_start(SECRET, question))
    (requested,) = ours.of(events.SMPRequested)
    assert isinstance(requested, events.SMPRequested)
    assert requested.question == question
    run(ours, theirs, to_theirs=ours.step(otr.smp_respond(ours.session, answer)))
    results = ours.of(events.SMPResult)
    assert len(results) == 1
    assert isinstance(results[0], events.SMPResult)
    assert results[0].success is (answer == SECRET)
    assert theirs.smp_events[-1].kind == ("success" if answer == SECRET else "failure")
    # The session stays usable after SMP, whatever the outcome.
    run(ours, theirs, to_ours=theirs.send("still here"))
    assert ours.received[-1] == "still here"


def test_smp_abort_by_us_seen_by_libotr(secure_v3: tuple[Ours, libotr.LibotrPeer]) -> None:
    ours, theirs = secure_v3
    run(ours, theirs, to_ours=theirs.smp_start(SECRET))
    assert ours.of(events.SMPRequested)
    run(ours, theirs, to_theirs=ours.step(otr.smp_abort(ours.session)))
    assert (6, b"") in theirs.tlvs


def test_smp_abort_by_libotr_seen_by_us(secure_v3: tuple[Ours, libotr.LibotrPeer]) -> None:
    ours, theirs = secure_v3
    run(ours, theirs, to_ours=theirs.smp_start(SECRET))
    assert ours.session.smp_awaiting_secret
    run(ours, theirs, to_ours=theirs.smp_abort())
    (result,) = ours.of(events.SMPResult)
    assert isinstance(result, events.SMPResult)
    assert (result.success, result.outcome) == (False, "aborted")
    assert not ours.session.smp_awaiting_secret
    # A fresh exchange after the abort succeeds.
    run(ours, theirs, to_theirs=ours.step(otr.smp_start(ours.session, SECRET)))
    run(ours, theirs, to_ours=theirs.smp_respond(SECRET))
    assert theirs.smp_events[-1].kind == "success"
    last = ours.of(events.SMPResult)[-1]
    assert isinstance(last, events.SMPResult) and last.success


# -- disconnect -----------------------------------------------------------------------------


def test_end_seen_by_libotr(secure_v3: tuple[Ours, libotr.LibotrPeer]) -> None:
    ours, theirs = secure_v3
    bye = ours.step(otr.end(ours.session))
    assert bye
    run(ours, theirs, to_theirs=bye)
    assert theirs.msgstate == "finished"
    assert (1, b"") in theirs.tlvs
    assert ours.of(events.GoneInsecure)


def test_libotr_disconnect_seen_by_us(secure_v3: tuple[Ours, libotr.LibotrPeer]) -> None:
    ours, theirs = secure_v3
    run(ours, theirs, to_ours=theirs.disconnect())
    assert ours.of(events.GoneInsecure)
    assert theirs.msgstate == "plaintext"


def test_reake_while_encrypted(secure_v3: tuple[Ours, libotr.LibotrPeer]) -> None:
    # A second AKE from libotr's side over an encrypted session: both end up in a new
    # session with the same keys on both sides, and data still flows.
    ours, theirs = secure_v3
    old = theirs.ssid
    run(ours, theirs, to_ours=[theirs.query()])
    assert theirs.is_encrypted and theirs.ssid != old
    (msg,) = ours.step(otr.send(ours.session, "after the refresh"))
    assert run(ours, theirs, to_theirs=[msg]) == ["after the refresh"]


# -- key files ------------------------------------------------------------------------------


def test_our_key_file_read_by_libotr(our_key: dsa.DSAPrivateKey, tmp_path: Path) -> None:
    path = tmp_path / "otr.private_key"
    path.write_text(
        _keyfile.write_private_keys([_keyfile.AccountKey(THEIRS, libotr.PROTOCOL, our_key)])
    )
    expected = otr_fingerprint(our_key.public_key())
    assert libotr.key_fingerprint(path, THEIRS) == expected
    assert _keyfile.fingerprint(our_key.public_key()) == expected
    assert _keyfile.human_fingerprint(expected) == libotr.human_fingerprint(expected)
    # And libotr signs with it: an AKE where libotr uses the key we wrote.
    ours, theirs = new_ours(our_key), new_libotr(key_file=path)
    ake(ours, theirs, "libotr")
    assert theirs.is_encrypted
    assert_same_fingerprint(gone_secure(ours).fingerprint, expected)


def test_libotr_key_file_read_by_us(our_key: dsa.DSAPrivateKey) -> None:
    path = libotr.cached_key_file("keyfile@nqsb")
    (account,) = _keyfile.read_private_keys(path.read_text())
    assert (account.account, account.protocol) == ("keyfile@nqsb", libotr.PROTOCOL)
    raw = libotr.key_fingerprint(path, "keyfile@nqsb")
    assert _keyfile.fingerprint(account.key.public_key()) == raw
    assert otr_fingerprint(account.key.public_key()) == raw
    # The key is a working private key: libotr sees it in an AKE.
    ours, theirs = new_ours(account.key), new_libotr()
    ake(ours, theirs, "ours")
    assert theirs.fingerprint_theirs == raw


def test_key_file_with_several_accounts(our_key: dsa.DSAPrivateKey, tmp_path: Path) -> None:
    other = _keyfile.read_private_keys(libotr.cached_key_file("keyfile@nqsb").read_text())[0]
    path = tmp_path / "two.private_key"
    keys = [_keyfile.AccountKey("first@nqsb", libotr.PROTOCOL, our_key), other]
    path.write_text(_keyfile.write_private_keys(keys))
    assert libotr.key_fingerprint(path, "first@nqsb") == otr_fingerprint(our_key.public_key())
    assert libotr.key_fingerprint(path, "keyfile@nqsb") == otr_fingerprint(other.key.public_key())
