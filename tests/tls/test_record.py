"""tls._record: record protection round trips for every suite and version, differential
tests against tlslite-ng's RecordLayer, tampering (every bit flip, every truncation, bad
padding, bad lengths), sequence numbers, and the Lucky 13 compression-block invariant."""

from __future__ import annotations

import dataclasses
import random as pyrandom
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tlslite.messages import Message
from tlslite.recordlayer import RecordLayer

from nocrypto import hashes, hmac
from nocrypto.aead import AES_GCM
from nocrypto.ciphers import AES_CBC
from tls import _keys, _record, errors
from tls._wire import MAX_CIPHERTEXT, MAX_PLAINTEXT, ContentType, ProtocolVersion
from tls.ciphersuites import SUITES, CipherSuite, by_name

V10, V11, V12 = ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12
APP = ContentType.APPLICATION_DATA
CLIENT_RANDOM = bytes(range(32))
SERVER_RANDOM = bytes(range(100, 132))
MASTER = bytes(range(7, 55))

PAIRS = [
    (version, suite)
    for suite in SUITES.values()
    for version in (V10, V11, V12)
    if version >= suite.min_version
]
PAIR_IDS = [f"{v.name}-{s.name}" for v, s in PAIRS]


def _random(seed: int) -> Callable[[int], bytes]:
    rng = pyrandom.Random(seed)
    return rng.randbytes


def _states(
    version: ProtocolVersion, suite: CipherSuite, master: bytes = MASTER
) -> tuple[_record.CipherState, _record.CipherState, _record.CipherState, _record.CipherState]:
    """(client write, server read, server write, client read)."""
    kb = _keys.key_block(version, suite, master, CLIENT_RANDOM, SERVER_RANDOM)
    return (
        _record.new_cipher_state(version, suite, kb, "client", "write"),
        _record.new_cipher_state(version, suite, kb, "server", "read"),
        _record.new_cipher_state(version, suite, kb, "server", "write"),
        _record.new_cipher_state(version, suite, kb, "client", "read"),
    )


def _protect(state: _record.CipherState, data: bytes, seed: int = 0) -> bytes:
    _, record = _record.protect(state, APP, state.version, data, _random(seed))
    return record


def _unprotect(state: _record.CipherState, fragment: bytes) -> bytes:
    _, out = _record.unprotect(state, APP, state.version, fragment)
    return out


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "suite"), PAIRS, ids=PAIR_IDS)
def test_round_trip_many_records(version: ProtocolVersion, suite: CipherSuite) -> None:
    cw, sr, sw, cr = _states(version, suite)
    rnd = _random(1)
    lengths = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 255, 256, 1000, MAX_PLAINTEXT]
    for i, length in enumerate(lengths):
        data = rnd(length)
        ctype = list(ContentType)[i % 4]
        # both directions, each its own chain of states
        new_cw, record = _record.protect(cw, ctype, version, data, rnd)
        assert record[:3] == bytes([ctype]) + version.to_bytes(2, "big")
        assert int.from_bytes(record[3:5], "big") == len(record) - 5 <= MAX_CIPHERTEXT
        new_sr, out = _record.unprotect(sr, ctype, version, record[5:])
        assert out == data
        new_sw, record = _record.protect(sw, ctype, version, data[::-1], rnd)
        new_cr, out = _record.unprotect(cr, ctype, version, record[5:])
        assert out == data[::-1]
        assert new_cw is not None and new_sr is not None
        assert new_sw is not None and new_cr is not None
        cw, sr, sw, cr = new_cw, new_sr, new_sw, new_cr
        assert cw.sequence_number == sr.sequence_number == sw.sequence_number == i + 1
        if version == V10 and not suite.aead:
            assert cw.iv == sr.iv != sw.iv == cr.iv  # TLS 1.0 CBC chains the IV


@settings(max_examples=30, deadline=None)
@given(
    pair=st.sampled_from(PAIRS),
    records=st.lists(
        st.tuples(st.sampled_from(list(ContentType)), st.binary(max_size=600)), max_size=8
    ),
    seed=st.integers(0, 2**32),
)
def test_round_trip_property(
    pair: tuple[ProtocolVersion, CipherSuite],
    records: list[tuple[ContentType, bytes]],
    seed: int,
) -> None:
    version, suite = pair
    writer, reader, _, _ = _states(version, suite)
    rnd = _random(seed)
    for ctype, data in records:
        w, record = _record.protect(writer, ctype, version, data, rnd)
        r, out = _record.unprotect(reader, ctype, version, record[5:])
        assert out == data
        assert w is not None and r is not None
        writer, reader = w, r


def test_states_are_values() -> None:
    suite = by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    cw, sr, _, _ = _states(V12, suite)
    one = _protect(cw, b"hello")
    assert _protect(cw, b"hello") == one  # the old state is unchanged
    assert _unprotect(sr, one[5:]) == b"hello"
    assert _unprotect(sr, one[5:]) == b"hello"
    assert cw.key.hex() not in repr(cw) and cw.suite.name in repr(cw)
    assert _states(V12, suite)[0] == cw  # equality ignores the prepared cipher objects


def test_null_state() -> None:
    state, record = _record.protect(None, ContentType.HANDSHAKE, V10, b"hello", _random(0))
    assert state is None and record == b"\x16\x03\x01\x00\x05hello"
    assert _record.unprotect(None, ContentType.HANDSHAKE, V12, b"x" * MAX_PLAINTEXT) == (
        None,
        b"x" * MAX_PLAINTEXT,
    )
    with pytest.raises(errors.RecordOverflow):
        _record.unprotect(None, ContentType.HANDSHAKE, V12, b"x" * (MAX_PLAINTEXT + 1))


# --- differential against tlslite-ng -----------------------------------------------------------


class _Sock:
    """A socket for tlslite's RecordLayer: collects what it sends, serves what it reads."""

    def __init__(self) -> None:
        self.sent = bytearray()
        self.inbox = bytearray()

    def send(self, data: bytes) -> int:
        self.sent += data
        return len(data)

    def recv(self, n: int) -> bytes:
        chunk = bytes(self.inbox[:n])
        del self.inbox[:n]
        return chunk


def _drain(gen: Iterator[object]) -> None:
    """Run one of tlslite's send generators to its end (our socket never blocks)."""
    for result in gen:
        assert result not in (0, 1)


def _first(gen: Iterator[object]) -> tuple[Any, Any]:
    """The first (header, parser) of tlslite's (endless) receive generator."""
    for result in gen:
        assert isinstance(result, tuple)
        return cast(tuple[Any, Any], result)
    raise AssertionError("no record")


def _tlslite(
    version: ProtocolVersion, suite: CipherSuite, client: bool
) -> tuple[RecordLayer, _Sock]:
    sock = _Sock()
    layer = RecordLayer(sock)
    layer.version = (3, version & 0xFF)
    layer.client = client
    layer.calcPendingStates(
        suite.code, bytearray(MASTER), bytearray(CLIENT_RANDOM), bytearray(SERVER_RANDOM), None
    )
    layer.changeWriteState()
    layer.changeReadState()
    return layer, sock


_DIFFERENTIAL = [
    (V12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    (V12, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
    (V12, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (V12, "TLS_DHE_RSA_WITH_AES_128_CCM"),
    (V12, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
    (V10, "TLS_RSA_WITH_AES_128_CBC_SHA"),
    (V10, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    (V11, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
    (V12, "TLS_RSA_WITH_AES_256_CBC_SHA"),
    (V12, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
    (V12, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    (V10, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (V12, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
]


@pytest.mark.parametrize(("version", "name"), _DIFFERENTIAL)
def test_against_tlslite(version: ProtocolVersion, name: str) -> None:
    suite = by_name(name)
    cw, sr, sw, cr = _states(version, suite)
    their_client, client_sock = _tlslite(version, suite, client=True)
    their_server, server_sock = _tlslite(version, suite, client=False)
    # With AEAD nonces from the sequence number (GCM, CCM: RFC 5288 §3 as tlslite does it;
    # ChaCha20: RFC 7905) and CBC in TLS 1.0 (IV chained from the key block), both sides
    # make the same bytes; CBC in TLS 1.1+ has a random explicit IV.
    deterministic = suite.aead or version == V10
    rnd = _random(2)
    lengths = (
        [0, 1, 15, 16, 17, 100, 1000, 0, 3000]
        if not suite.cipher.name.startswith("TRIPLE")
        else [0, 1, 7, 8, 9, 100, 0, 300]
    )
    for i, length in enumerate(lengths):
        data = rnd(length)
        ctype = ContentType.HANDSHAKE if i % 3 == 0 else APP
        # tlslite client -> our server
        _drain(their_client.sendRecord(Message(ctype, bytearray(data))))
        theirs = bytes(client_sock.sent)
        client_sock.sent.clear()
        new_cw, ours = _record.protect(cw, ctype, version, data, rnd)
        assert new_cw is not None
        cw = new_cw
        if deterministic:
            assert ours == theirs
        assert theirs[:5] == bytes([ctype]) + version.to_bytes(2, "big") + (
            len(theirs) - 5
        ).to_bytes(2, "big")
        new_sr, out = _record.unprotect(sr, ctype, version, theirs[5:])
        assert out == data and new_sr is not None
        sr = new_sr
        # our client -> tlslite server
        server_sock.inbox += ours
        header, parser = _first(their_server.recvRecord())
        assert header.type == ctype and bytes(parser.bytes) == data
        # tlslite server -> our client, and ours -> tlslite client
        _drain(their_server.sendRecord(Message(ctype, bytearray(data))))
        theirs = bytes(server_sock.sent)
        server_sock.sent.clear()
        new_sw, ours = _record.protect(sw, ctype, version, data, rnd)
        assert new_sw is not None
        sw = new_sw
        if deterministic:
            assert ours == theirs
        new_cr, out = _record.unprotect(cr, ctype, version, theirs[5:])
        assert out == data and new_cr is not None
        cr = new_cr
        client_sock.inbox += ours
        header, parser = _first(their_client.recvRecord())
        assert bytes(parser.bytes) == data


# --- tampering ---------------------------------------------------------------------------------


def _assert_bad(state: _record.CipherState, fragment: bytes, ctype: int = APP) -> None:
    with pytest.raises(errors.BadRecordMac):
        _record.unprotect(state, ContentType(ctype), state.version, fragment)


@pytest.mark.parametrize(("version", "suite"), PAIRS, ids=PAIR_IDS)
def test_every_bit_flip_and_truncation_is_bad_record_mac(
    version: ProtocolVersion, suite: CipherSuite
) -> None:
    cw, sr, _, _ = _states(version, suite)
    fragment = _protect(cw, b"a short record!!x")[5:]
    assert _unprotect(sr, fragment) == b"a short record!!x"
    for bit in range(8 * len(fragment)):
        flipped = bytearray(fragment)
        flipped[bit // 8] ^= 1 << (bit % 8)
        _assert_bad(sr, bytes(flipped))
    for end in range(len(fragment)):
        _assert_bad(sr, fragment[:end])
    # the authenticated header fields and the sequence number
    _assert_bad(sr, fragment, ContentType.HANDSHAKE)
    with pytest.raises(errors.BadRecordMac):
        _record.unprotect(
            sr, APP, ProtocolVersion(version ^ 1 if version != V10 else V11), fragment
        )
    _assert_bad(dataclasses.replace(sr, sequence_number=1), fragment)


@pytest.mark.parametrize(
    ("version", "name"),
    [
        (V10, "TLS_RSA_WITH_AES_256_CBC_SHA"),
        (V12, "TLS_RSA_WITH_AES_256_CBC_SHA"),
        (V12, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    ],
)
def test_every_third_bit_flip_of_a_long_cbc_record(version: ProtocolVersion, name: str) -> None:
    suite = by_name(name)
    cw, sr, _, _ = _states(version, suite)
    fragment = _protect(cw, bytes(range(256)) * 2)[5:]
    for bit in range(0, 8 * len(fragment), 3):
        flipped = bytearray(fragment)
        flipped[bit // 8] ^= 1 << (bit % 8)
        _assert_bad(sr, bytes(flipped))


def _cbc_record(
    state: _record.CipherState,
    data: bytes,
    padding: bytes,
    mac: bytes | None = None,
    iv: bytes = b"\x42" * 16,
) -> bytes:
    """A CBC record fragment for *state* with the given padding (and MAC), encrypted by
    hand, as an attacker or a buggy peer would make it."""
    suite = state.suite
    if mac is None:
        header = (
            state.sequence_number.to_bytes(8, "big")
            + bytes([APP])
            + state.version.to_bytes(2, "big")
            + len(data).to_bytes(2, "big")
        )
        mac = hmac.digest(state.mac_key, header + data, suite.mac.value)
    cipher = AES_CBC(state.key)
    plaintext = data + mac + padding
    if state.version == V10:
        return cipher.encrypt(state.iv, plaintext)
    return iv + cipher.encrypt(iv, plaintext)


CBC_CASES = [
    (version, name)
    for name in ("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")
    for version in (V10, V11, V12)
    if version >= by_name(name).min_version
]


@pytest.mark.parametrize(("version", "name"), CBC_CASES)
def test_cbc_padding_rules(version: ProtocolVersion, name: str) -> None:
    suite = by_name(name)
    _, sr, _, _ = _states(version, suite)
    mac_length = suite.mac_length
    # Every padding length 0..255 that aligns is accepted (RFC 5246 §6.2.3.2: "Lengths
    # longer than necessary might be desirable to frustrate attacks").
    accepted = 0
    for pad in range(256):
        data_length = (-(mac_length + pad + 1)) % 16 + 16
        data = bytes([pad]) * data_length
        fragment = _cbc_record(sr, data, bytes([pad]) * (pad + 1))
        assert _unprotect(sr, fragment) == data
        accepted += 1
        # one wrong padding byte (any position) -> bad_record_mac
        if pad:
            for position in {0, pad // 2, pad - 1}:
                padding = bytearray([pad]) * (pad + 1)
                padding[position] ^= 0x80
                _assert_bad(sr, _cbc_record(sr, data, bytes(padding)))
    assert accepted == 256
    # a padding length that reaches into (or beyond) the MAC
    data = b""
    for pad_byte in (255, 40, mac_length):
        too_long = bytes([pad_byte]) * ((-(mac_length + 1)) % 16 + 1)
        _assert_bad(sr, _cbc_record(sr, data, too_long))
    # a wrong MAC with good padding
    bad_mac = bytes(mac_length)
    _assert_bad(
        sr,
        _cbc_record(
            sr,
            b"x" * 11,
            bytes([(-(mac_length + 12)) % 16]) * ((-(mac_length + 12)) % 16 + 1),
            mac=bad_mac,
        ),
    )
    # too short for a MAC and a padding byte; not whole blocks; only an IV
    explicit = 16 if version >= V11 else 0
    for length in [0, 16, 32] + [explicit + n for n in (1, 15, 17, 31, 47, 48)]:
        fragment = bytes(length)
        _assert_bad(sr, fragment)
    _assert_bad(sr, b"\x00" * explicit)


@pytest.mark.parametrize(
    "name", ["TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256"]
)
def test_record_overflow(name: str) -> None:
    suite = by_name(name)
    cw, sr, _, _ = _states(V12, suite)
    with pytest.raises(errors.RecordOverflow):
        _record.unprotect(sr, APP, V12, bytes(MAX_CIPHERTEXT + 1))
    with pytest.raises(ValueError):  # sending more than 2^14 is the caller's bug
        _record.protect(cw, APP, V12, bytes(MAX_PLAINTEXT + 1), _random(0))
    # an authentic record whose plaintext is 2^14 + 1 bytes (made by hand)
    data = bytes(MAX_PLAINTEXT + 1)
    if suite.aead:
        seq = bytes(8)
        aad = seq + bytes([APP]) + V12.to_bytes(2, "big") + len(data).to_bytes(2, "big")
        fragment = seq + AES_GCM(sr.key).seal(sr.iv + seq, data, aad)
    else:
        pad = (-(len(data) + 20 + 1)) % 16
        fragment = _cbc_record(sr, data, bytes([pad]) * (pad + 1))
    assert len(fragment) <= MAX_CIPHERTEXT
    with pytest.raises(errors.RecordOverflow):
        _record.unprotect(sr, APP, V12, fragment)


def test_aead_short_records() -> None:
    for name in (
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_128_CCM_8",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ):
        _, sr, _, _ = _states(V12, by_name(name))
        for length in range(30):
            _assert_bad(sr, bytes(length))


# --- sequence numbers, IVs, misuse -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]
)
def test_sequence_number_overflow(name: str) -> None:
    suite = by_name(name)
    version = V12
    cw, sr, _, _ = _states(version, suite)
    last = _record.MAX_SEQUENCE_NUMBER
    cw = dataclasses.replace(cw, sequence_number=last)
    sr = dataclasses.replace(sr, sequence_number=last)
    new_cw, record = _record.protect(cw, APP, version, b"last", _random(0))
    new_sr, out = _record.unprotect(sr, APP, version, record[5:])
    assert out == b"last"
    assert new_cw is not None and new_sr is not None
    with pytest.raises(_record.SequenceNumberOverflow):
        _record.protect(new_cw, APP, version, b"one more", _random(0))
    with pytest.raises(_record.SequenceNumberOverflow) as info:
        _record.unprotect(new_sr, APP, version, record[5:])
    assert isinstance(info.value, errors.TLSError)


def test_new_state_restarts_sequence_numbers() -> None:
    suite = by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    cw, _, _, _ = _states(V12, suite)
    assert cw.sequence_number == 0
    first = _protect(cw, b"x")
    assert first[5:13] == bytes(8)  # nonce_explicit = the sequence number
    cw2 = _record.protect(cw, APP, V12, b"x", _random(0))[0]
    assert cw2 is not None and cw2.sequence_number == 1
    assert _protect(cw2, b"x")[5:13] == (1).to_bytes(8, "big")
    # a new state (after a ChangeCipherSpec) starts again at 0
    fresh = _states(V12, suite, master=bytes(48))[0]
    assert fresh.sequence_number == 0


def test_explicit_cbc_iv_comes_from_random() -> None:
    suite = by_name("TLS_RSA_WITH_AES_128_CBC_SHA")
    cw, _, _, _ = _states(V11, suite)
    record = _record.protect(cw, APP, V11, b"data", lambda n: b"\x07" * n)[1]
    assert record[5:21] == b"\x07" * 16
    with pytest.raises(ValueError):
        _record.protect(cw, APP, V11, b"data", lambda n: b"\x07" * (n - 1))
    # TLS 1.0: no explicit IV, the next IV is the last ciphertext block
    cw10, sr10, _, _ = _states(V10, suite)
    new_cw10, record = _record.protect(cw10, APP, V10, b"data", _random(0))
    assert new_cw10 is not None and new_cw10.iv == record[-16:]
    assert len(record) == 5 + 32  # 4 + 20 + 8 padding: no IV block
    new_sr10, _ = _record.unprotect(sr10, APP, V10, record[5:])
    assert new_sr10 is not None and new_sr10.iv == new_cw10.iv


def test_misuse() -> None:
    gcm = by_name("TLS_RSA_WITH_AES_128_GCM_SHA256")
    kb10 = _keys.key_block(
        V10, by_name("TLS_RSA_WITH_AES_128_CBC_SHA"), MASTER, CLIENT_RANDOM, SERVER_RANDOM
    )
    with pytest.raises(ValueError):
        _record.new_cipher_state(V11, gcm, kb10, "client", "write")
    with pytest.raises(ValueError):  # a TLS 1.0 key block (with IVs) for TLS 1.1
        _record.new_cipher_state(
            V11, by_name("TLS_RSA_WITH_AES_128_CBC_SHA"), kb10, "client", "write"
        )
    cw, _, _, _ = _states(V12, gcm)
    with pytest.raises(ValueError):
        _record.protect(cw, APP, V11, b"x", _random(0))


# --- Lucky 13: the compression-block count does not depend on the padding ----------------------


class _CountingHash:
    """A nocrypto hash that counts the compression-function calls it costs: one per whole
    block fed, and ceil((tail + 1 + length field) / B) for the padding at digest()."""

    def __init__(
        self, inner: hashes.Hash, log: list[tuple[str, int]], fed: int = 0, origin: str = "fresh"
    ) -> None:
        self._h = inner
        self._log = log
        self._fed = fed
        self._origin = origin  # "fresh" from the factory, "copy" of a keyed hash

    @property
    def block_size(self) -> int:
        return self._h.block_size

    def update(self, data: bytes) -> None:
        before = self._fed // self.block_size
        self._fed += len(data)
        self._log.append((self._origin, self._fed // self.block_size - before))
        self._h.update(data)

    def digest(self) -> bytes:
        size = self.block_size
        length_field = 16 if size == 128 else 8
        self._log.append((self._origin, (self._fed % size + 1 + length_field + size - 1) // size))
        return self._h.digest()

    def copy(self) -> _CountingHash:
        return _CountingHash(self._h.copy(), self._log, self._fed, "copy")


@pytest.mark.parametrize(
    "name",
    [
        "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    ],
)
def test_mac_check_costs_the_same_blocks_for_every_padding(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = by_name(name)
    log: list[tuple[str, int]] = []
    monkeypatch.setattr(
        _record, "_new_hash", lambda hash_name: _CountingHash(hashes.new(hash_name), log)
    )
    _, sr, _, _ = _states(V12, suite)
    n = 512  # the decrypted length, fixed: only the padding length varies
    totals = set()
    real = set()
    outcomes = set()
    for pad in range(256):
        data = bytes(n - suite.mac_length - 1 - pad)
        for good in (True, False):
            padding = bytearray([pad]) * (pad + 1)
            if not good and pad:
                padding[0] ^= 1
            fragment = _cbc_record(sr, data, bytes(padding))
            log.clear()
            try:
                _unprotect(sr, fragment)
                outcomes.add("ok")
            except errors.BadRecordMac:
                outcomes.add("bad")
            totals.add(sum(blocks for _, blocks in log))
            # the HMAC itself (copies of the keyed hashes): what a naive check would cost
            real.add(sum(blocks for origin, blocks in log if origin == "copy"))
    assert outcomes == {"ok", "bad"}
    assert len(real) > 1, "the padding range should change the MAC's own block count"
    assert len(totals) == 1
