"""The engine's API and record layer: configuration checks, misuse, fragmentation, the
TLS 1.0 1/n-1 split, alerts and closure, renegotiation refusal, empty records, immutable
states."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest

import tls
import tls.socket
import x509
from tests.tls.conftest import (
    HOST,
    NOW,
    client_config,
    established,
    handshake,
    make_pki,
    seeded,
    server_config,
    transfer,
)
from tls import AlertDescription, AlertLevel, NamedGroup, ProtocolVersion, SignatureScheme
from tls._record import protect, unprotect
from tls._wire import ContentType
from tls.ciphersuites import SUITES, by_name
from tls.events import AlertReceived, Closed, HandshakeComplete


def _records(data: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    while data:
        length = int.from_bytes(data[3:5], "big")
        out.append((data[0], int.from_bytes(data[1:3], "big"), data[5 : 5 + length]))
        data = data[5 + length :]
    return out


# -- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {"min_version": ProtocolVersion.TLS12, "max_version": ProtocolVersion.TLS10},
        {"min_version": ProtocolVersion.SSL3},
        {"max_version": 0x0304},
        {"cipher_suites": ()},
        {"cipher_suites": (by_name("TLS_RSA_WITH_AES_128_GCM_SHA256"),) * 2},
        {
            "cipher_suites": (by_name("TLS_RSA_WITH_AES_128_GCM_SHA256"),),
            "max_version": ProtocolVersion.TLS11,
        },
        {"groups": (NamedGroup.X25519, NamedGroup.X25519)},
        {"groups": (1234,)},
        {"signature_schemes": (SignatureScheme.RSA_PKCS1_SHA1,)},
        {"signature_schemes": (0x0101,)},
        {"alpn_protocols": ("",)},
        {"alpn_protocols": ("x" * 256,)},
        {"extended_master_secret": "maybe"},
        {"min_dh_bits": 512},
        {
            "cipher_suites": (by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),),
            "groups": (NamedGroup.FFDHE2048,),
        },
    ],
)
def test_config_rejects(kw: dict[str, Any]) -> None:
    with pytest.raises((ValueError, TypeError)):
        tls.Config(**kw)


def test_config_defaults() -> None:
    config = tls.Config()
    assert config.min_version == config.max_version == ProtocolVersion.TLS12
    assert all(s not in config.signature_schemes for s in (0x0201, 0x0203))
    sha1 = tls.Config(allow_sha1_signatures=True)
    assert SignatureScheme.RSA_PKCS1_SHA1 in sha1.effective_signature_schemes
    assert not any("3DES" in s.name for s in config.cipher_suites)
    assert all(s.code in SUITES for s in config.cipher_suites)


def test_certificate_chain_rejects() -> None:
    from nocrypto import ecx

    with pytest.raises(ValueError):
        tls.CertificateChain((), ecx.Ed25519PrivateKey.generate())
    with pytest.raises(TypeError):
        tls.CertificateChain((b"not a cert",), ecx.Ed25519PrivateKey.generate())  # type: ignore[arg-type]


# -- misuse ----------------------------------------------------------------------------------


def test_client_needs_authenticator_or_explicit_insecure() -> None:
    with pytest.raises(tls.MisuseError):
        tls.client(tls.Config(), HOST)
    _state, out = tls.client(tls.Config(insecure_skip_verify=True), HOST)
    assert out.to_send[:1] == b"\x16"
    with pytest.raises(ValueError):
        tls.client(tls.Config(insecure_skip_verify=True), "bad host name!")


def test_server_needs_certificates() -> None:
    with pytest.raises(tls.MisuseError):
        tls.server(tls.Config())


def test_send_before_handshake_and_after_close_raises() -> None:
    client, _ = tls.client(client_config(), HOST)
    with pytest.raises(tls.MisuseError):
        tls.send(client, b"early")
    run = established(client_config(), server_config())
    closed, out = tls.close(run.client)
    assert out.to_send
    assert tls.is_closed(closed) and not tls.is_established(closed)
    with pytest.raises(tls.MisuseError):
        tls.send(closed, b"late")
    again, out2 = tls.close(closed)
    assert out2 == tls.Output() and again is closed


def test_handle_on_failed_state_is_empty() -> None:
    server = tls.server(server_config())
    failed, out = tls.handle(server, b"\x16\x03\x01\x00\x04\x02\x00\x00\x00")
    assert out.failure is not None
    assert tls.is_closed(failed)
    again, out2 = tls.handle(failed, b"anything at all")
    assert out2 == tls.Output() and again is failed
    with pytest.raises(tls.MisuseError):
        tls.send(failed, b"x")


# -- records ---------------------------------------------------------------------------------


def test_application_data_is_fragmented_into_2_14_records() -> None:
    run = established(client_config(), server_config())
    _client, out = tls.send(run.client, b"a" * (3 * 2**14 + 5))
    records = _records(out.to_send)
    assert len(records) == 4
    assert all(t == ContentType.APPLICATION_DATA for t, _, _ in records)
    # AES-GCM: 8 bytes explicit nonce + plaintext + 16 bytes tag
    assert [len(body) - 24 for _, _, body in records] == [2**14, 2**14, 2**14, 5]
    assert all(v == ProtocolVersion.TLS12 for _, v, _ in records)
    _client2, out2 = tls.send(run.client, b"")
    assert out2.to_send == b""


def test_tls10_cbc_one_n_minus_one_split() -> None:
    suite = by_name("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
    kw = {
        "cipher_suites": (suite,),
        "min_version": ProtocolVersion.TLS10,
        "max_version": ProtocolVersion.TLS10,
    }
    run = established(client_config(**kw), server_config(**kw))
    client, out = tls.send(run.client, b"GET / HTTP/1.0\r\n\r\n")
    records = _records(out.to_send)
    # 1 byte + 20 MAC + 11 padding = 32; then 17 + 20 + 11 = 48
    assert [len(b) for _, _, b in records] == [32, 48]
    _server, got = tls.handle(run.server, out.to_send)
    assert got.data == b"GET / HTTP/1.0\r\n\r\n"
    _one, out1 = tls.send(client, b"x")
    assert len(_records(out1.to_send)) == 1
    # TLS 1.1 and AEAD suites: no split
    kw11 = dict(kw, min_version=ProtocolVersion.TLS11, max_version=ProtocolVersion.TLS11)
    run11 = established(client_config(**kw11), server_config(**kw11))
    _, out11 = tls.send(run11.client, b"GET / HTTP/1.0\r\n\r\n")
    assert len(_records(out11.to_send)) == 1


def test_handshake_messages_across_records_and_several_per_record() -> None:
    client, out = tls.client(client_config(), HOST)
    server = tls.server(server_config())
    # split the ClientHello's body into 7-byte records
    ((_, version, body),) = _records(out.to_send)
    pieces = b"".join(
        bytes([22])
        + version.to_bytes(2, "big")
        + len(body[i : i + 7]).to_bytes(2, "big")
        + body[i : i + 7]
        for i in range(0, len(body), 7)
    )
    server, sout = tls.handle(server, pieces)
    assert sout.failure is None
    # the server's flight: several messages in one record
    records = _records(sout.to_send)
    assert len(records) == 1
    client, cout = tls.handle(client, sout.to_send)
    assert cout.failure is None
    server, sout = tls.handle(server, cout.to_send)
    client, cout = tls.handle(client, sout.to_send)
    assert tls.is_established(client) and tls.is_established(server)


def test_empty_application_data_records_are_bounded() -> None:
    run = established(client_config(random=seeded(b"c")), server_config(random=seeded(b"s")))

    def stream(*payloads: bytes) -> bytes:
        cipher = run.client.write_cipher
        records = []
        for payload in payloads:
            cipher, record = protect(
                cipher, ContentType.APPLICATION_DATA, ProtocolVersion.TLS12, payload, seeded()
            )
            records.append(record)
        return b"".join(records)

    # 32 empty records, data (which resets the count), 32 more: accepted
    _, out = tls.handle(run.server, stream(*[b""] * 32, b"x", *[b""] * 32))
    assert out.failure is None and out.data == b"x"
    # 33 in a row: unexpected_message (RFC 5246 §6.2.1 allows them, without a bound)
    _, out_bad = tls.handle(run.server, stream(*[b""] * 33))
    assert isinstance(out_bad.failure, tls.errors.UnexpectedMessage)


# -- alerts and closure ----------------------------------------------------------------------


def _decrypt_alerts(state: tls.State, data: bytes) -> list[tuple[int, int]]:
    """Decrypt the alert records in *data* with the read side of *state*."""
    cipher = state.read_cipher
    out = []
    for content_type, version, body in _records(data):
        cipher, plain = unprotect(cipher, ContentType(content_type), ProtocolVersion(version), body)
        if content_type == ContentType.ALERT:
            out.append((plain[0], plain[1]))
    return out


def test_close_notify_both_ways() -> None:
    run = established(client_config(), server_config())
    client, out = tls.close(run.client)
    server, sout = tls.handle(run.server, out.to_send)
    assert Closed() in sout.events
    assert AlertReceived(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY) in sout.events
    assert tls.is_closed(server)
    # the server answered with its own close_notify (RFC 5246 §7.2.1)
    assert _decrypt_alerts(client, sout.to_send) == [(1, 0)]
    client, cout = tls.handle(client, sout.to_send)
    assert Closed() in cout.events and cout.to_send == b""
    session = tls.session_of(server)
    assert session is not None
    # data after close_notify is ignored
    _server2, late = tls.handle(server, b"\x17\x03\x03\x00\x05hello")
    assert late == tls.Output()


def test_half_close_still_reads() -> None:
    run = established(client_config(), server_config())
    client, _ = tls.close(run.client)
    _server, sout = tls.send(run.server, b"still talking")
    client, cout = tls.handle(client, sout.to_send)
    assert cout.data == b"still talking"


def test_warning_alert_is_reported_and_connection_goes_on() -> None:
    run = established(client_config(), server_config())
    conn, record = tls._common.alert_record(
        run.client, AlertLevel.WARNING, AlertDescription.USER_CANCELED
    )
    server, out = tls.handle(run.server, record)
    assert out.events == (AlertReceived(AlertLevel.WARNING, AlertDescription.USER_CANCELED),)
    assert out.failure is None
    transfer(dataclasses.replace(run.client, write_cipher=conn.write_cipher), server, b"after")


def test_fatal_alert_fails_without_answer() -> None:
    run = established(client_config(), server_config())
    _, record = tls._common.alert_record(
        run.client, AlertLevel.FATAL, AlertDescription.INTERNAL_ERROR
    )
    server, out = tls.handle(run.server, record)
    assert isinstance(out.failure, tls.FatalAlertReceived)
    assert out.failure.received == AlertDescription.INTERNAL_ERROR
    assert out.to_send == b""
    assert tls.is_closed(server)


def test_fatal_alert_during_handshake() -> None:
    client, _ = tls.client(client_config(), HOST)
    client, out = tls.handle(client, b"\x15\x03\x03\x00\x02\x02\x28")
    assert isinstance(out.failure, tls.FatalAlertReceived)
    assert out.failure.received == AlertDescription.HANDSHAKE_FAILURE


def test_close_during_handshake() -> None:
    client, _ = tls.client(client_config(), HOST)
    client, out = tls.close(client)
    assert out.to_send == b"\x15\x03\x01\x00\x02\x01\x00"
    assert tls.is_closed(client) and tls.session_of(client) is None


# -- renegotiation is refused ----------------------------------------------------------------


def test_hello_request_gets_no_renegotiation_warning() -> None:
    from tls._messages import HelloRequest
    from tls._writer import encode_hello_request

    run = established(client_config(), server_config())
    _cipher, record = protect(
        run.server.write_cipher,
        ContentType.HANDSHAKE,
        ProtocolVersion.TLS12,
        encode_hello_request(HelloRequest()),
        seeded(),
    )
    client, out = tls.handle(run.client, record)
    assert out.failure is None and tls.is_established(client)
    assert _decrypt_alerts(run.server, out.to_send) == [(1, AlertDescription.NO_RENEGOTIATION)]


def test_client_hello_after_handshake_gets_no_renegotiation_warning() -> None:
    run = established(client_config(), server_config())
    _, hello = tls.client(client_config(), HOST)
    ((_, _, body),) = _records(hello.to_send)
    _cipher, record = protect(
        run.client.write_cipher, ContentType.HANDSHAKE, ProtocolVersion.TLS12, body, seeded()
    )
    server, out = tls.handle(run.server, record)
    assert out.failure is None and tls.is_established(server)
    assert _decrypt_alerts(run.client, out.to_send) == [(1, AlertDescription.NO_RENEGOTIATION)]


# -- values ----------------------------------------------------------------------------------


def test_states_are_immutable_values() -> None:
    ccfg = client_config(random=seeded(b"c1"))
    scfg = server_config(random=seeded(b"s1"))
    run = established(ccfg, scfg)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.client.close_sent = True  # type: ignore[misc]
    _a, out_a = tls.send(run.client, b"same")
    _b, out_b = tls.send(run.client, b"same")
    assert out_a == out_b  # AES-GCM nonce = sequence number: same state, same bytes
    # the old server state can take either copy
    _s1, got1 = tls.handle(run.server, out_a.to_send)
    _s2, got2 = tls.handle(run.server, out_b.to_send)
    assert got1.data == got2.data == b"same"


def test_events_of_a_handshake() -> None:
    run = established(client_config(), server_config())
    assert [type(e) for e in run.client_events] == [HandshakeComplete]
    assert [type(e) for e in run.server_events] == [HandshakeComplete]


def test_a_bug_becomes_internal_error_unless_tests_ask_to_raise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> object:
        raise KeyError("bug")

    _client, hello = tls.client(client_config(), HOST)
    monkeypatch.setattr(tls._server, "_answer_client_hello", broken)
    server = tls.server(server_config())
    with pytest.raises(KeyError):
        tls.handle(server, hello.to_send)
    monkeypatch.setattr(tls.engine, "raise_internal_errors", False)
    failed, out = tls.handle(server, hello.to_send)
    assert isinstance(out.failure, tls.errors.InternalError)
    assert out.to_send == b"\x15\x03\x01\x00\x02\x02\x50"
    assert tls.is_closed(failed)


def test_the_engine_reads_no_clock() -> None:
    """DESIGN.md principle 1: with ``Config.now=None`` the time comes from the
    authenticator's own source; with neither, tls.client refuses (misuse), and the socket
    adapter fills in the system clock."""
    pki = make_pki()
    roots = [pki.rsa_root, pki.ec_root]
    with pytest.raises(tls.MisuseError, match="needs a time"):
        tls.client(tls.Config(authenticator=x509.Authenticator.chain_of_trust(roots)), HOST)
    timed = x509.Authenticator.chain_of_trust(roots, time=NOW)
    run = handshake(tls.Config(authenticator=timed), server_config())
    assert run.client_failure is None and tls.is_established(run.client)
    late = x509.Authenticator.chain_of_trust(roots, time=NOW + timedelta(days=4000))
    run = handshake(tls.Config(authenticator=late), server_config())
    assert isinstance(run.client_failure, tls.errors.CertificateExpired)
    assert tls.socket.with_system_clock(tls.Config()).now is tls.socket.system_clock
    assert tls.socket.with_system_clock(client_config()).now is not tls.socket.system_clock
