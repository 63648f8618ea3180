"""A golden transcript (seeded random sources on both sides) and independent checks of its
cryptography: the SSID, the D-H Commit and a data message recomputed with hashlib, the
standard library's HMAC, Python's pow and the openssl command line (AES-128-CTR), from the
D-H private values alone.

The expected transcript hash was produced once by this engine; the independent checks are
what can catch a systematic error in it.
"""

from __future__ import annotations

import hashlib
import hmac as std_hmac
import shutil
import struct
import subprocess
from functools import cache

import pytest

import otr
from otr import _message
from otr.events import GoneSecure, SMPResult
from tests.otr.helpers import Pair, make_key, new_pair

P = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA237327FFFFFFFFFFFFFFFF",
    16,
)

# Produced by this engine from the seeds below (see the module docstring).
GOLDEN_SHA256 = "514c078dd7ce2402abdcfff714665d5a4c6eec4a58d19ddf6604b1f19827be10"
GOLDEN_FIRST = [
    "?OTRv23?",
    "?OTR:AAMCAAAiIgAAAAAAAADE/xX3qSOSEVQCxKDSgtkg0PUTzl6HBFn6mxqy0KopLkHspHO026iO7mTljGg2Ch0w"
    "S6ETcKQWs+czJxWP8Y4px8wUZzsmRJ9FNGBkNOoztXHD3tmEgka3rJJouGMrOT3Heeu8m7/dk67CLf9kGor6XmpP"
    "5OTS2rWA2ZBMAUg+ZiqUC9JgnKzQdB4PR9oFuuhVPHBKGRYyrHcQyGmWx+0QhhHiXbOzGPnXbO+AMfoPOp75xuIw"
    "picm6tKbc7cmVCqAxGmjegAAACBXQ2k/ynVa5PuVnzT2xuWVy8EsekPJhXj8IGXc4ce7Sw==.",
    "?OTR:AAMKAAAREQAAIiIAAADAmJ+twCXhDqvj++q3owZf3Mljemq7d+gnzEh8K1SZ3IUA7iooV+H2IrcYiSH73VSu"
    "biDbW5eScG90Dgj2i8/2Y67wfbYq/Tk03hfw/J670UIf5Wdv1b2VBK7jn1hwIIKt54Np0Z6SCe7R0eBegKp1zkNh"
    "zp+o4pzWZdjyl0eN6PZaL7dFNKU6h1QTAFWhZKVfxHFbPXOfPD/jMkGHsGIglYcD8QNSM9D7ORH0jtopp8pIFXpb"
    "mZRd3HTzrG6PxOxq.",
]


def _mpi(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return struct.pack(">I", len(raw)) + raw


def _aes_ctr(key: bytes, counter: bytes, data: bytes) -> bytes:
    """AES-128-CTR by the openssl command line."""
    result = subprocess.run(
        ["openssl", "enc", "-aes-128-ctr", "-K", key.hex(), "-iv", counter.hex()],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout


@cache
def _conversation() -> tuple[Pair, dict[str, object]]:
    pair = new_pair(make_key(b"golden alice"), make_key(b"golden bob"), seed=b" golden")
    pair.act(pair.alice, otr.query(pair.alice.session))
    a_keys, b_keys = pair.alice.session.data_keys, pair.bob.session.data_keys
    assert a_keys is not None and b_keys is not None
    # The AKE D-H keys (keyid 1) before any rotation.
    secrets: dict[str, object] = {"x_alice": a_keys.our_prev_dh.x, "x_bob": b_keys.our_prev_dh.x}
    pair.act(pair.alice, otr.send(pair.alice.session, "Hello Bob, this is Alice."))
    pair.act(pair.bob, otr.send(pair.bob.session, "Hi Alice!"))
    pair.act(pair.alice, otr.send(pair.alice.session, "How are you?"))
    pair.act(pair.alice, otr.smp_start(pair.alice.session, "our secret", "What is it?"))
    pair.act(pair.bob, otr.smp_respond(pair.bob.session, "our secret"))
    pair.act(pair.bob, otr.end(pair.bob.session))
    return pair, secrets


def _transcript_hash(pair: Pair) -> str:
    text = "\n".join(f"{who} {message}" for who, message in pair.transcript)
    return hashlib.sha256(text.encode()).hexdigest()


def test_golden_transcript() -> None:
    pair, _ = _conversation()
    messages = [m for _, m in pair.transcript]
    assert messages[: len(GOLDEN_FIRST)] == GOLDEN_FIRST
    assert _transcript_hash(pair) == GOLDEN_SHA256
    # The conversation did what it says, whatever the bytes.
    assert pair.bob.received == ["Hello Bob, this is Alice.", "How are you?"]
    assert pair.alice.received == ["Hi Alice!"]
    assert pair.alice.of(SMPResult) == pair.bob.of(SMPResult) == [SMPResult(True, "success")]


def test_golden_is_deterministic() -> None:
    """The same seeds give the same transcript (the engine does no hidden I/O)."""
    pair, _ = _conversation()
    _conversation.cache_clear()
    again, _ = _conversation()
    assert again.transcript == pair.transcript


def test_ssid_and_fingerprints_independently() -> None:
    pair, secrets = _conversation()
    x_a, x_b = secrets["x_alice"], secrets["x_bob"]
    assert isinstance(x_a, int) and isinstance(x_b, int)
    assert 2**300 < x_a < 2**320 and 2**300 < x_b < 2**320
    s = pow(pow(2, x_b, P), x_a, P)
    secbytes = _mpi(s)
    ssid = hashlib.sha256(b"\x00" + secbytes).digest()[:8]
    events = pair.alice.of(GoneSecure) + pair.bob.of(GoneSecure)
    assert [e.ssid for e in events if isinstance(e, GoneSecure)] == [ssid, ssid]
    # The fingerprints: SHA-1 of p, q, g, y as MPIs (the PUBKEY without its type).
    for side, other in ((pair.alice, pair.bob), (pair.bob, pair.alice)):
        pub = side.session.account_key.public_key()
        raw = hashlib.sha1(
            b"".join(_mpi(v) for v in (pub.params.p, pub.params.q, pub.params.g, pub.y))
        ).hexdigest()
        human = " ".join(raw.upper()[i : i + 8] for i in range(0, 40, 8))
        (gone,) = other.of(GoneSecure)
        assert isinstance(gone, GoneSecure) and gone.fingerprint == human


def _fields(data: bytes, layout: str) -> tuple[list[bytes | int], int]:
    """A tiny independent reader: 'I' INT, 'M' MPI (as bytes), 'D' DATA, 'C' CTR, 'A' MAC."""
    pos = 0
    out: list[bytes | int] = []
    for kind in layout:
        if kind == "I":
            out.append(struct.unpack_from(">I", data, pos)[0])
            pos += 4
        elif kind in "MD":
            (n,) = struct.unpack_from(">I", data, pos)
            out.append(data[pos + 4 : pos + 4 + n])
            pos += 4 + n
        elif kind == "C":
            out.append(data[pos : pos + 8])
            pos += 8
        elif kind == "A":
            out.append(data[pos : pos + 20])
            pos += 20
    return out, pos


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command line")
def test_commit_and_first_data_message_independently() -> None:
    pair, secrets = _conversation()
    x_a, x_b = secrets["x_alice"], secrets["x_bob"]
    assert isinstance(x_a, int) and isinstance(x_b, int)
    encoded = []
    for _, message in pair.transcript:
        parsed = _message.parse(message)
        if isinstance(parsed, _message.Encoded):
            encoded.append(parsed.data)
    commit, _dh_key, reveal = encoded[0], encoded[1], encoded[2]
    # D-H Commit (from Bob, who answered the query): AES-CTR_r(MPI(g^x)) and SHA-256(MPI).
    assert commit[:3] == b"\x00\x03\x02"
    (encrypted_gx, hashed_gx), _ = _fields(commit[11:], "DD")
    (r, _enc_sig, _mac), _ = _fields(reveal[11:], "DDA")
    assert isinstance(r, bytes) and isinstance(encrypted_gx, bytes) and len(r) == 16
    gxmpi = _aes_ctr(r, bytes(16), encrypted_gx)
    assert gxmpi == _mpi(pow(2, x_b, P))
    assert hashed_gx == hashlib.sha256(gxmpi).digest()
    # The first data message, Alice to Bob, keyids (1, 1): the AKE keys of both.
    data = encoded[4]
    assert data[:3] == b"\x00\x03\x03"
    (sender, recipient, _next_y, ctr, ciphertext), end = _fields(data[12:], "IIMCD")
    assert (sender, recipient) == (1, 1)
    assert isinstance(ctr, bytes) and isinstance(ciphertext, bytes)
    mac = data[12 + end : 12 + end + 20]
    secbytes = _mpi(pow(pow(2, x_b, P), x_a, P))
    alice_high = pow(2, x_a, P) > pow(2, x_b, P)
    send_byte = b"\x01" if alice_high else b"\x02"
    aes_key = hashlib.sha1(send_byte + secbytes).digest()[:16]
    mac_key = hashlib.sha1(aes_key).digest()
    expected = std_hmac.new(mac_key, data[: 12 + end], hashlib.sha1).digest()
    assert std_hmac.compare_digest(expected, mac)
    assert ctr == (1).to_bytes(8, "big")
    assert _aes_ctr(aes_key, ctr + bytes(8), ciphertext) == b"Hello Bob, this is Alice."


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command line")
def test_reveal_signature_independently() -> None:
    """Open Bob's Reveal Signature with keys derived by hashlib (c = first half of
    h2(0x01), m1 = h2(0x02), m2 = h2(0x03)), check its MAC with the standard library and
    the DSA signature over M_B with pow: z = M_B mod q, as libotr (libgcrypt) computes it."""
    pair, secrets = _conversation()
    x_a, x_b = secrets["x_alice"], secrets["x_bob"]
    assert isinstance(x_a, int) and isinstance(x_b, int)
    encoded = [
        e.data for _, m in pair.transcript if isinstance(e := _message.parse(m), _message.Encoded)
    ]
    reveal = encoded[2]
    assert reveal[:3] == b"\x00\x03\x11"
    (_r, enc_sig, mac), _ = _fields(reveal[11:], "DDA")
    assert isinstance(enc_sig, bytes) and isinstance(mac, bytes)
    gx, gy = pow(2, x_b, P), pow(2, x_a, P)
    secbytes = _mpi(pow(gy, x_b, P))

    def h2(b: int) -> bytes:
        return hashlib.sha256(bytes((b,)) + secbytes).digest()

    c, m1, m2 = h2(1)[:16], h2(2), h2(3)
    field = struct.pack(">I", len(enc_sig)) + enc_sig
    assert std_hmac.new(m2, field, hashlib.sha256).digest()[:20] == mac
    x_bob = _aes_ctr(c, bytes(16), enc_sig)
    (p, q, g, y), pub_end = _fields(x_bob[2:], "MMMM")
    assert x_bob[:2] == b"\x00\x00"
    values = [int.from_bytes(v, "big") for v in (p, q, g, y) if isinstance(v, bytes)]
    p_i, q_i, g_i, y_i = values
    keyid = int.from_bytes(x_bob[2 + pub_end : 6 + pub_end], "big")
    assert keyid == 1
    r = int.from_bytes(x_bob[6 + pub_end : 26 + pub_end], "big")
    s_ = int.from_bytes(x_bob[26 + pub_end : 46 + pub_end], "big")
    assert len(x_bob) == 46 + pub_end
    bob_pub = pair.bob.session.account_key.public_key()
    assert (p_i, q_i, g_i, y_i) == (bob_pub.params.p, bob_pub.params.q, bob_pub.params.g, bob_pub.y)
    m_b = std_hmac.new(
        m1, _mpi(gx) + _mpi(gy) + x_bob[: 2 + pub_end] + struct.pack(">I", keyid), hashlib.sha256
    ).digest()
    z = int.from_bytes(m_b, "big") % q_i
    w = pow(s_, -1, q_i)
    v = (pow(g_i, z * w % q_i, p_i) * pow(y_i, r * w % q_i, p_i)) % p_i % q_i
    assert 0 < r < q_i and 0 < s_ < q_i and v == r
