"""The OTR engine against itself: AKE in versions 2 and 3 from either side, data messages
with key rotation and MAC key revelation, fragmentation, hostile input (replays, tampering,
wrong instance tags), policies, disconnection, the extra symmetric key and SMP."""

from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac

import pytest

import otr
from nocrypto import dsa
from otr import _data, _message
from otr._wire import Header, Reader
from otr.events import (
    ErrorReceived,
    ExtraSymmetricKey,
    GoneInsecure,
    GoneSecure,
    SMPRequested,
    SMPResult,
    Warning,
)
from tests.otr.helpers import Pair, Side, new_pair, secure_pair

V2, V3 = otr.Policy.ALLOW_V2, otr.Policy.ALLOW_V3


def warnings(side: Side) -> list[str]:
    return [e.kind for e in side.events if isinstance(e, Warning)]


def decode(message: str) -> bytes:
    parsed = _message.parse(message)
    assert isinstance(parsed, _message.Encoded)
    return parsed.data


def data_message(message: str) -> _data.DataMessage:
    raw = decode(message)
    reader = Reader(raw)
    header = Header.read(reader)
    assert header.type == _data.DATA
    return _data.parse_data_message(header, raw, reader)


def assert_secure(pair: Pair, version: int, quiet: bool = True) -> None:
    a, b = pair.alice.session, pair.bob.session
    assert a.encrypted and b.encrypted
    assert a.version == b.version == version
    assert a.ssid == b.ssid and a.ssid is not None and len(a.ssid) == 8
    assert a.their_fingerprint == b.our_fingerprint
    assert b.their_fingerprint == a.our_fingerprint
    (ga,) = pair.alice.of(GoneSecure)
    (gb,) = pair.bob.of(GoneSecure)
    assert isinstance(ga, GoneSecure) and isinstance(gb, GoneSecure)
    assert ga.fingerprint == b.our_fingerprint and gb.fingerprint == a.our_fingerprint
    assert ga.ssid == gb.ssid == a.ssid
    if quiet:
        assert warnings(pair.alice) == warnings(pair.bob) == []


# --- AKE -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("initiator", ["alice", "bob"])
def test_ake_query(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, version: int, initiator: str
) -> None:
    policy = V3 if version == 3 else V2
    pair = new_pair(alice_key, bob_key, policy, policy | V2)
    side = pair.alice if initiator == "alice" else pair.bob
    pair.act(side, otr.query(side.session))
    assert_secure(pair, version)
    # Query, D-H Commit, D-H Key, Reveal Signature, Signature.
    assert len(pair.transcript) == 5
    kinds = [decode(m)[2] for _, m in pair.transcript[1:]]
    assert kinds == [0x02, 0x0A, 0x11, 0x12]
    assert all(decode(m)[:2] == bytes((0, version)) for _, m in pair.transcript[1:])


def test_ake_prefers_v3(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = new_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.query(pair.alice.session))
    assert pair.alice.sent[0] == "?OTRv23?"
    assert_secure(pair, 3)
    assert pair.alice.session.their_instance_tag == 0x2222
    assert pair.bob.session.their_instance_tag == 0x1111


def test_ake_v2_only_peer(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = new_pair(alice_key, bob_key, V2 | V3, V2)
    pair.act(pair.alice, otr.query(pair.alice.session))
    assert_secure(pair, 2)


def test_no_common_version(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = new_pair(alice_key, bob_key, V3, V2)
    pair.act(pair.alice, otr.query(pair.alice.session))
    assert not pair.alice.session.encrypted and not pair.bob.session.encrypted
    assert len(pair.transcript) == 1


def test_whitespace_tag_starts_ake(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = new_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.send(pair.alice.session, "hi there"))
    tagged = pair.transcript[0][1]
    assert tagged.startswith("hi there" + _message.WHITESPACE_BASE)
    assert pair.bob.received == ["hi there"]
    assert_secure(pair, 3)
    # The tag is no longer sent once a plaintext arrived ("she should stop sending him the
    # whitespace tag"): Bob's next plaintext in a new session is untagged.
    s, out = otr.end(pair.bob.session)
    s, out = otr.send(s, "plain")
    assert out.to_send == ["plain"]


def test_whitespace_without_start_policy(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = new_pair(alice_key, bob_key, otr.Policy.DEFAULT, V2 | V3)
    pair.act(pair.alice, otr.send(pair.alice.session, "hello"))
    assert pair.bob.received == ["hello"]
    assert not pair.bob.session.encrypted and len(pair.transcript) == 1


def test_simultaneous_commits(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    """Both sides start the AKE; the D-H Commits cross ("the trickiest transition")."""
    pair = new_pair(alice_key, bob_key)
    commit_b = pair.bob.absorb(otr.handle(pair.bob.session, "?OTRv3?"))
    commit_a = pair.alice.absorb(otr.handle(pair.alice.session, "?OTRv3?"))
    assert len(commit_a) == len(commit_b) == 1
    # Both commits cross on the wire before either side sees the other's.
    replies_b = pair.bob.absorb(otr.handle(pair.bob.session, commit_a[0]))
    replies_a = pair.alice.absorb(otr.handle(pair.alice.session, commit_b[0]))
    # Exactly one side (the higher hash) resends its commit; the other answers it.
    assert sorted(decode(m)[2] for m in replies_a + replies_b) == [0x02, 0x0A]
    pair.deliver(pair.alice, replies_a)
    pair.deliver(pair.bob, replies_b)
    # The retransmissions the spec prescribes leave one duplicate message to be ignored.
    assert_secure(pair, 3, quiet=False)
    assert set(warnings(pair.alice) + warnings(pair.bob)) <= {"ake"}


def test_error_message_starts_ake(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = new_pair(alice_key, bob_key)
    pair.deliver(pair.bob, ["?OTR Error: something broke"])
    assert pair.alice.of(ErrorReceived) == [ErrorReceived("something broke")]
    assert pair.alice.sent[0] == "?OTRv23?"
    assert_secure(pair, 3)


def test_reake_while_encrypted(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    old = pair.alice.session.ssid
    pair.act(pair.bob, otr.query(pair.bob.session))
    assert pair.alice.session.ssid == pair.bob.session.ssid != old
    pair.act(pair.alice, otr.send(pair.alice.session, "after re-AKE"))
    assert pair.bob.received[-1] == "after re-AKE"


def test_retransmitted_dh_key_gets_same_reveal(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = new_pair(alice_key, bob_key)
    (commit,) = pair.bob.absorb(otr.handle(pair.bob.session, "?OTRv3?"))
    (dh_key,) = pair.alice.absorb(otr.handle(pair.alice.session, commit))
    (reveal1,) = pair.bob.absorb(otr.handle(pair.bob.session, dh_key))
    (reveal2,) = pair.bob.absorb(otr.handle(pair.bob.session, dh_key))
    assert reveal1 == reveal2
    # A second D-H Commit while awaiting the Reveal Signature: the same D-H Key again.
    (again,) = pair.alice.absorb(otr.handle(pair.alice.session, commit))
    assert again == dh_key


# --- data messages -------------------------------------------------------------------------


@pytest.mark.parametrize("version", [2, 3])
def test_data_both_ways_with_rotation(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, version: int
) -> None:
    pair = secure_pair(alice_key, bob_key, version)
    a_keys = pair.alice.session.data_keys
    assert a_keys is not None and a_keys.our_keyid == 2
    for i in range(12):
        sender = pair.alice if i % 3 != 2 else pair.bob
        text = f"message {i} " + "é" * i
        pair.act(sender, otr.send(sender.session, text))
        assert pair.peer(sender).received[-1] == text
    a_keys, b_keys = pair.alice.session.data_keys, pair.bob.session.data_keys
    assert a_keys is not None and b_keys is not None
    # Every answered key was rotated: both sides moved well past the AKE keyids.
    assert a_keys.our_keyid >= 5 and b_keys.our_keyid >= 5
    assert a_keys.their_keyid == b_keys.our_keyid - 1 or a_keys.their_keyid == b_keys.our_keyid
    assert warnings(pair.alice) == warnings(pair.bob) == []


def test_old_mac_keys_revealed(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    """Revealed MAC keys are receiving keys the revealer used: each one verifies the MAC of an
    earlier message the revealer received (checked with the standard library's HMAC)."""
    pair = secure_pair(alice_key, bob_key)
    for i in range(8):
        sender = pair.alice if i % 2 == 0 else pair.bob
        pair.act(sender, otr.send(sender.session, f"ping {i}"))
    messages = [(who, data_message(m)) for who, m in pair.transcript if m.startswith("?OTR:AAMD")]
    revealed_any = False
    for index, (who, msg) in enumerate(messages):
        keys = msg.old_mac_keys
        assert len(keys) % 20 == 0
        for j in range(0, len(keys), 20):
            key = keys[j : j + 20]
            earlier = [m for w, m in messages[:index] if w != who]
            assert any(
                std_hmac.compare_digest(
                    std_hmac.new(key, m.authenticated, hashlib.sha1).digest(), m.mac
                )
                for m in earlier
            )
            revealed_any = True
    assert revealed_any


def test_heartbeat_is_not_displayed(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.send(pair.alice.session, ""))
    assert pair.bob.received == [] and len(pair.transcript) == 6


def test_nul_in_message_is_refused(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = secure_pair(alice_key, bob_key)
    with pytest.raises(ValueError):
        otr.send(pair.alice.session, "a\x00b")


def test_replay_rejected(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.send(pair.alice.session, "once")
    (message,) = out.to_send
    bob, first = otr.handle(pair.bob.session, message)
    assert first.received == "once"
    bob, second = otr.handle(bob, message)
    assert second.received is None and second.to_send == []
    assert [e.kind for e in second.events if isinstance(e, Warning)] == ["replay"]


def _retamper(message: str, offset_from_end: int) -> str:
    raw = bytearray(decode(message))
    raw[len(raw) - offset_from_end] ^= 0x01
    return _message.encode(bytes(raw))


@pytest.mark.parametrize("where", ["ciphertext", "mac", "ctr"])
def test_tampered_data_message(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, where: str
) -> None:
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.send(pair.alice.session, "do not touch")
    (message,) = out.to_send
    reveal_len = 4 + len(data_message(message).old_mac_keys)
    offset = {"ciphertext": reveal_len + 20 + 1, "mac": reveal_len + 1}.get(where)
    if offset is None:  # the last byte of the counter: before DATA(12 bytes) and the MAC
        offset = reveal_len + 20 + 4 + len("do not touch") + 1
    bad = _retamper(message, offset)
    bob, result = otr.handle(pair.bob.session, bad)
    assert result.received is None
    assert [e.kind for e in result.events if isinstance(e, Warning)] == ["unreadable"]
    assert result.to_send == ["?OTR Error: You transmitted an unreadable encrypted message."]
    # The untouched message still goes through afterwards.
    _, good = otr.handle(bob, message)
    assert good.received == "do not touch"


def test_ignore_unreadable_flag(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.send(pair.alice.session, "x")
    raw = bytearray(decode(out.to_send[0]))
    raw[11] = _data.FLAG_IGNORE_UNREADABLE  # the flags byte after the v3 header
    _, result = otr.handle(pair.bob.session, _message.encode(bytes(raw)))
    assert result.received is None and result.to_send == [] and result.events == ()


@pytest.mark.parametrize("field", ["receiver", "sender"])
def test_wrong_instance_tag(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, field: str
) -> None:
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.send(pair.alice.session, "for whom?")
    raw = bytearray(decode(out.to_send[0]))
    if field == "receiver":
        raw[7:11] = (0x3333).to_bytes(4, "big")
    else:
        raw[3:7] = (0x00FF).to_bytes(4, "big")
    bob, result = otr.handle(pair.bob.session, _message.encode(bytes(raw)))
    assert result.received is None and result.to_send == []
    assert [e.kind for e in result.events if isinstance(e, Warning)] == ["wrong-instance"]
    assert bob == pair.bob.session


def test_data_in_plaintext_state(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.send(pair.alice.session, "late")
    bob, _ = otr.end(pair.bob.session)
    bob, result = otr.handle(bob, out.to_send[0])
    assert result.received is None
    assert [e.kind for e in result.events if isinstance(e, Warning)] == ["unreadable"]
    assert result.to_send and result.to_send[0].startswith("?OTR Error:")


def test_plaintext_while_encrypted_warns(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.handle(pair.bob.session, "sneaky plaintext")
    assert out.received == "sneaky plaintext"
    assert [e.kind for e in out.events if isinstance(e, Warning)] == ["unencrypted"]


# --- fragmentation -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [100, 400, 1000])
@pytest.mark.parametrize("version", [2, 3])
def test_fragmentation(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, size: int, version: int
) -> None:
    pair = secure_pair(alice_key, bob_key, version, max_size=size)
    assert_secure(pair, version)
    text = "".join(chr(0x41 + i % 26) for i in range(3000))
    pair.act(pair.alice, otr.send(pair.alice.session, text))
    pair.act(pair.bob, otr.send(pair.bob.session, text[::-1]))
    assert pair.bob.received == [text] and pair.alice.received == [text[::-1]]
    assert all(len(m) <= size for _, m in pair.transcript)
    prefix = "?OTR|" if version == 3 else "?OTR,"
    assert sum(m.startswith(prefix) for _, m in pair.transcript) >= 10


def test_fragments_out_of_order(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key, max_size=200)
    _, out = otr.send(pair.alice.session, "z" * 1000)
    pieces = out.to_send
    assert len(pieces) > 3
    bob = pair.bob.session
    kinds: list[str] = []
    for piece in [pieces[0], pieces[2], *pieces]:
        bob, result = otr.handle(bob, piece)
        kinds += [e.kind for e in result.events if isinstance(e, Warning)]
        if piece is pieces[-1]:
            assert result.received == "z" * 1000
    assert kinds == ["fragment"]


def test_fragment_for_other_instance(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = secure_pair(alice_key, bob_key, max_size=200)
    _, out = otr.send(pair.alice.session, "y" * 500)
    other = [p.replace("|00002222,", "|00004444,", 1) for p in out.to_send]
    bob = pair.bob.session
    for piece in other:
        bob, result = otr.handle(bob, piece)
        assert result.received is None
        assert [e.kind for e in result.events if isinstance(e, Warning)] == ["wrong-instance"]


# --- policies and the end of a conversation ------------------------------------------------


def test_require_encryption_stores_message(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = new_pair(alice_key, bob_key, otr.Policy.ALWAYS, otr.Policy.DEFAULT)
    pair.act(pair.alice, otr.send(pair.alice.session, "top secret"))
    assert pair.transcript[0][1] == "?OTRv23?"
    assert "stored" in warnings(pair.alice)
    assert pair.bob.received == ["top secret"]
    assert pair.bob.session.encrypted
    # Nothing but the query went out in plaintext.
    assert all(m.startswith("?OTR") for _, m in pair.transcript)


def test_require_encryption_warns_on_plaintext(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = new_pair(alice_key, bob_key, otr.Policy.ALWAYS, V3)
    pair.deliver(pair.bob, ["just text"])
    assert pair.alice.received == ["just text"]
    assert warnings(pair.alice) == ["unencrypted"]


def test_disconnect(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.bob, otr.end(pair.bob.session))
    assert pair.bob.of(GoneInsecure) == [GoneInsecure("ended")]
    assert pair.alice.of(GoneInsecure) == [GoneInsecure("peer-ended")]
    assert pair.bob.session.state == "plaintext"
    assert pair.alice.session.state == "finished"
    # MSGSTATE_FINISHED: nothing is sent until the user ends the conversation too.
    alice, out = otr.send(pair.alice.session, "anyone there?")
    assert out.to_send == [] and [e.kind for e in out.events if isinstance(e, Warning)] == [
        "not-sent"
    ]
    alice, out = otr.end(alice)
    assert alice.state == "plaintext" and out.to_send == []


def test_end_in_plaintext_does_nothing(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = new_pair(alice_key, bob_key)
    session, out = otr.end(pair.alice.session)
    assert session == pair.alice.session and out == otr.Output()


def test_otr_disabled_policy(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = new_pair(alice_key, bob_key, otr.Policy(0), otr.Policy(0))
    session, out = otr.handle(pair.alice.session, "?OTRv23?")
    assert out.received == "?OTRv23?" and out.to_send == []
    with pytest.raises(ValueError):
        otr.query(session)


def test_session_new_checks() -> None:
    from tests.otr.helpers import make_key

    key = make_key(b"checks")
    with pytest.raises(ValueError):
        otr.Session.new(key, otr.Policy.DEFAULT, None, 0xFF)
    with pytest.raises(ValueError):
        otr.Session.new(key, otr.Policy.DEFAULT, None, max_message_size=10)
    session = otr.Session.new(key, otr.Policy.DEFAULT)
    assert session.our_instance_tag >= 0x100
    with pytest.raises(ValueError):
        otr.smp_start(session, "no session")


# --- extra symmetric key -------------------------------------------------------------------


def test_extra_symmetric_key(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.send(pair.alice.session, "warm up"))
    pair.act(pair.alice, otr.use_extra_key(pair.alice.session, 0x1234, b"file.txt"))
    (mine,) = pair.alice.of(ExtraSymmetricKey)
    (theirs,) = pair.bob.of(ExtraSymmetricKey)
    assert isinstance(mine, ExtraSymmetricKey) and isinstance(theirs, ExtraSymmetricKey)
    assert mine.key == theirs.key and len(mine.key) == 32
    assert (theirs.use, theirs.use_data, theirs.ours, mine.ours) == (
        0x1234,
        b"file.txt",
        False,
        True,
    )


# --- SMP -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [None, "Where did we meet?"])
def test_smp_success(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, question: str | None
) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.smp_start(pair.alice.session, "the pub", question))
    assert pair.bob.of(SMPRequested) == [SMPRequested(question)]
    assert pair.bob.session.smp_awaiting_secret
    pair.act(pair.bob, otr.smp_respond(pair.bob.session, "the pub"))
    assert pair.alice.of(SMPResult) == [SMPResult(True, "success")]
    assert pair.bob.of(SMPResult) == [SMPResult(True, "success")]
    assert not pair.alice.session.smp_in_progress and not pair.bob.session.smp_in_progress
    assert warnings(pair.alice) == warnings(pair.bob) == []


def test_smp_failure(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.bob, otr.smp_start(pair.bob.session, b"blue"))
    pair.act(pair.alice, otr.smp_respond(pair.alice.session, b"green"))
    for side in (pair.alice, pair.bob):
        (result,) = side.of(SMPResult)
        assert isinstance(result, SMPResult)
        assert not result.success and result.outcome == "failure"


def test_smp_secret_binds_the_session(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    """The same words in another session give another secret (fingerprints and ssid are
    hashed in): an SMP message 1 replayed into a new session with the same words fails."""
    first = secure_pair(alice_key, bob_key, seed=b"1")
    second = secure_pair(alice_key, bob_key, seed=b"2")
    assert first.alice.session.ssid != second.alice.session.ssid
    pair = second
    pair.act(pair.alice, otr.smp_start(pair.alice.session, "same"))
    pair.act(pair.bob, otr.smp_respond(pair.bob.session, "same"))
    assert pair.bob.of(SMPResult) == [SMPResult(True, "success")]


def test_smp_abort(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.smp_start(pair.alice.session, "secret"))
    assert pair.alice.session.smp_in_progress
    pair.act(pair.bob, otr.smp_abort(pair.bob.session))
    (result,) = pair.alice.of(SMPResult)
    assert isinstance(result, SMPResult) and result.outcome == "aborted"
    assert not pair.alice.session.smp_in_progress and not pair.bob.session.smp_in_progress
    with pytest.raises(ValueError):
        otr.smp_respond(pair.bob.session, "secret")
    # A new exchange works after the abort.
    pair.act(pair.alice, otr.smp_start(pair.alice.session, "again"))
    pair.act(pair.bob, otr.smp_respond(pair.bob.session, "again"))
    assert pair.alice.of(SMPResult)[-1] == SMPResult(True, "success")


def test_smp_state_reset_by_disconnect(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = secure_pair(alice_key, bob_key)
    pair.act(pair.alice, otr.smp_start(pair.alice.session, "secret"))
    pair.act(pair.bob, otr.end(pair.bob.session))
    assert not pair.alice.session.smp_in_progress
    with pytest.raises(ValueError):
        otr.smp_respond(pair.bob.session, "secret")


def test_base64_garbage_is_a_warning(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey
) -> None:
    pair = secure_pair(alice_key, bob_key)
    for bad in [
        "?OTR:AAMD!!!.",
        "?OTR:AAMD",
        "?OTR:AAM=.",
        "?OTR:" + base64.b64encode(b"\x00\x03").decode() + ".",
    ]:
        session, out = otr.handle(pair.bob.session, bad)
        assert out.received is None and out.to_send == []
        assert [e.kind for e in out.events if isinstance(e, Warning)] == ["malformed"]
        assert session == pair.bob.session


def test_old_keyids_rejected(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    """A message held back while both sides rotated their keys twice can no longer be read."""
    pair = secure_pair(alice_key, bob_key)
    _, out = otr.send(pair.alice.session, "held back")
    for i in range(6):
        sender = pair.alice if i % 2 == 0 else pair.bob
        pair.act(sender, otr.send(sender.session, f"rotate {i}"))
    msg = data_message(out.to_send[0])
    b_keys = pair.bob.session.data_keys
    assert b_keys is not None and msg.recipient_keyid < b_keys.our_keyid - 1
    _, result = otr.handle(pair.bob.session, out.to_send[0])
    assert result.received is None
    assert [e.kind for e in result.events if isinstance(e, Warning)] == ["unreadable"]


def test_bad_ake_signature(
    alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob signs the wrong value: Alice rejects his Reveal Signature and stays insecure."""
    from otr import _ake

    pair = new_pair(alice_key, bob_key)
    (commit,) = pair.bob.absorb(otr.handle(pair.bob.session, "?OTRv3?"))
    (dh_key,) = pair.alice.absorb(otr.handle(pair.alice.session, commit))
    original = _ake._dsa_input
    monkeypatch.setattr(_ake, "_dsa_input", lambda m, q: original(bytes(32 - len(m)) + m[1:], q))
    (reveal,) = pair.bob.absorb(otr.handle(pair.bob.session, dh_key))
    monkeypatch.setattr(_ake, "_dsa_input", original)
    alice, out = otr.handle(pair.alice.session, reveal)
    assert out.to_send == [] and not alice.encrypted
    assert [e for e in out.events if isinstance(e, Warning)] == [
        Warning("ake", "bad DSA signature in the AKE")
    ]
    assert isinstance(alice.auth, _ake.AuthNone)


def test_dh_key_out_of_range(alice_key: dsa.DSAPrivateKey, bob_key: dsa.DSAPrivateKey) -> None:
    """A D-H Key message with g^y = 1 or p - 1 is ignored (2 <= g^y <= p - 2)."""
    from otr import _ake
    from otr._wire import encode_header, encode_mpi

    pair = new_pair(alice_key, bob_key)
    (_commit,) = pair.bob.absorb(otr.handle(pair.bob.session, "?OTRv3?"))
    for gy in (0, 1, _ake.GROUP.p - 1, _ake.GROUP.p):
        raw = encode_header(Header(3, _ake.DH_KEY, 0x1111, 0x2222)) + encode_mpi(gy)
        bob, out = otr.handle(pair.bob.session, _message.encode(raw))
        assert out.to_send == [] and out.events == (
            Warning("ake", "D-H Key message with an illegal g^y ignored"),
        )
        assert bob == pair.bob.session
