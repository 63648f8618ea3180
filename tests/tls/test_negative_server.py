"""A server facing a bad client: ClientHello edits, bad ClientKeyExchange, wrong Finished,
bad record MAC and padding, version downgrades (fallback SCSV, premaster version), and
the Bleichenbacher countermeasure (no distinguishable reaction to a bad RSA premaster)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import tls
from tests.tls.conftest import HOST, client_config, make_pki, server_config
from tests.tls.test_negative_client import frame, unframe
from tls import AlertDescription as AD
from tls import ProtocolVersion, errors
from tls._messages import (
    ALPN,
    ECPointFormats,
    ExtendedMasterSecret,
    RenegotiationInfo,
)
from tls._reader import parse_client_hello
from tls._record import unprotect
from tls._wire import ContentType
from tls._writer import encode_client_hello, encode_client_key_exchange, encode_rsa_ckx
from tls.ciphersuites import TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV, by_name


def edit_hello(**changes: Any) -> Callable[[bytes], bytes]:
    def mutate(message: bytes) -> bytes:
        return encode_client_hello(dataclasses.replace(parse_client_hello(message), **changes))

    return mutate


def edit_extensions(
    change: Callable[[tuple[Any, ...]], tuple[Any, ...]],
) -> Callable[[bytes], bytes]:
    def mutate(message: bytes) -> bytes:
        hello = parse_client_hello(message)
        return encode_client_hello(
            dataclasses.replace(hello, extensions=change(hello.extensions or ()))
        )

    return mutate


def add_suites(*codes: int) -> Callable[[bytes], bytes]:
    def mutate(message: bytes) -> bytes:
        hello = parse_client_hello(message)
        return encode_client_hello(
            dataclasses.replace(hello, cipher_suites=hello.cipher_suites + codes)
        )

    return mutate


def without(kind: type) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    return lambda exts: tuple(e for e in exts if not isinstance(e, kind))


@dataclass
class Case:
    name: str
    mutate: Callable[[bytes], bytes]
    alert: AD
    error: type[errors.TLSError]
    client: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)


_TLS11 = {"min_version": ProtocolVersion.TLS10}

CASES = [
    Case(
        "SSL 3.0 hello",
        edit_hello(client_version=0x0300),
        AD.PROTOCOL_VERSION,
        errors.ProtocolVersionError,
    ),
    Case(
        "TLS 1.0 below minimum",
        edit_hello(client_version=0x0301),
        AD.PROTOCOL_VERSION,
        errors.ProtocolVersionError,
    ),
    Case(
        "fallback SCSV below our maximum",
        lambda m: add_suites(TLS_FALLBACK_SCSV)(edit_hello(client_version=0x0302)(m)),
        AD.INAPPROPRIATE_FALLBACK,
        errors.InappropriateFallback,
        server=_TLS11,
    ),
    Case(
        "no null compression",
        edit_hello(compression_methods=(1,)),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "no renegotiation_info nor SCSV",
        edit_extensions(without(RenegotiationInfo)),
        AD.HANDSHAKE_FAILURE,
        errors.HandshakeFailure,
    ),
    Case(
        "renegotiation_info not empty",
        edit_extensions(lambda e: (*without(RenegotiationInfo)(e), RenegotiationInfo(b"x" * 12))),
        AD.HANDSHAKE_FAILURE,
        errors.HandshakeFailure,
    ),
    Case(
        "no common suite",
        edit_hello(cipher_suites=(0x0004, 0x000A)),
        AD.HANDSHAKE_FAILURE,
        errors.HandshakeFailure,
    ),
    Case(
        "only SCSVs",
        edit_hello(cipher_suites=(TLS_EMPTY_RENEGOTIATION_INFO_SCSV,)),
        AD.HANDSHAKE_FAILURE,
        errors.HandshakeFailure,
    ),
    Case(
        "ALPN mismatch",
        edit_extensions(lambda e: (*e, ALPN((b"spdy/3",)))),
        AD.NO_APPLICATION_PROTOCOL,
        errors.NoApplicationProtocol,
        server={"alpn_protocols": ("h2",)},
    ),
    Case(
        "EMS required",
        edit_extensions(without(ExtendedMasterSecret)),
        AD.HANDSHAKE_FAILURE,
        errors.HandshakeFailure,
        server={"extended_master_secret": "required"},
    ),
    Case(
        "ec_point_formats without uncompressed",
        edit_extensions(lambda e: (*without(ECPointFormats)(e), ECPointFormats((1, 2)))),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "truncated",
        lambda m: m[:1] + (len(m) - 7).to_bytes(3, "big") + m[4:-3],
        AD.DECODE_ERROR,
        errors.DecodeError,
    ),
    Case(
        "trailing bytes",
        lambda m: m[:1] + (len(m) - 3).to_bytes(3, "big") + m[4:] + b"\x00",
        AD.DECODE_ERROR,
        errors.DecodeError,
    ),
    Case(
        "duplicated extension",
        lambda m: _duplicate(m),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case("ServerHello to a server", lambda m: b"\x02" + m[1:], AD.DECODE_ERROR, errors.DecodeError),
    Case(
        "Finished first",
        lambda m: b"\x14\x00\x00\x0c" + bytes(12),
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
    ),
    Case("ClientHello twice", lambda m: m + m, AD.UNEXPECTED_MESSAGE, errors.UnexpectedMessage),
    Case(
        "no signature scheme we can use",
        edit_extensions(
            lambda e: tuple(
                dataclasses.replace(x, schemes=(0x0101,))
                if type(x).__name__ == "SignatureAlgorithms"
                else x
                for x in e
            )
        ),
        AD.HANDSHAKE_FAILURE,
        errors.HandshakeFailure,
        server={"cipher_suites": (by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),)},
    ),
]


def _duplicate(message: bytes) -> bytes:
    body = message[4:]
    ext = b"\x00\x17\x00\x00"  # a second extended_master_secret
    # the extensions block is last: bump its length and append
    hello = parse_client_hello(message)
    assert hello.extensions
    block = 2 + sum(4 + len(_ext_data(e)) for e in hello.extensions)
    start = len(body) - block
    ext_len = int.from_bytes(body[start : start + 2], "big") + len(ext)
    body = body[:start] + ext_len.to_bytes(2, "big") + body[start + 2 :] + ext
    return message[:1] + len(body).to_bytes(3, "big") + body


def _ext_data(ext: Any) -> bytes:
    from tls._writer import encode_extension

    return encode_extension(ext)[4:]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_server_refuses(case: Case) -> None:
    _, hello = tls.client(client_config(**case.client), HOST)
    (message,) = unframe(hello.to_send)
    server = tls.server(server_config(**case.server))
    server, out = tls.handle(server, frame([case.mutate(message)], 0x0301))
    assert type(out.failure) is case.error, repr(out.failure)
    # the fatal alert, in the clear, ends the output (a first ClientHello was answered)
    assert out.to_send[-7] == ContentType.ALERT
    assert out.to_send[-4:] == bytes([0, 2, 2, case.alert])
    assert (out.to_send[:1] == b"\x15") == (case.name != "ClientHello twice")
    assert tls.is_closed(server)


def test_fallback_scsv_at_our_maximum_is_fine() -> None:
    kw = {"min_version": ProtocolVersion.TLS10, "max_version": ProtocolVersion.TLS11}
    _, hello = tls.client(client_config(**kw), HOST)
    (message,) = unframe(hello.to_send)
    _server, out = tls.handle(
        tls.server(server_config(**kw)), frame([add_suites(TLS_FALLBACK_SCSV)(message)])
    )
    assert out.failure is None and out.to_send[:1] == b"\x16"


def test_renegotiation_scsv_instead_of_extension() -> None:
    _, hello = tls.client(client_config(), HOST)
    (message,) = unframe(hello.to_send)
    mutated = add_suites(TLS_EMPTY_RENEGOTIATION_INFO_SCSV)(
        edit_extensions(without(RenegotiationInfo))(message)
    )
    _server, out = tls.handle(tls.server(server_config()), frame([mutated]))
    assert out.failure is None


def test_sslv2_client_hello() -> None:
    # RFC 5246 E.2: an SSL 2.0 CLIENT-HELLO (msg_length with the high bit set)
    v2 = bytes.fromhex("802e0103010015000000100000390000380000350000330000320000") + bytes(16)
    _server, out = tls.handle(tls.server(server_config()), v2)
    assert isinstance(out.failure, errors.ProtocolVersionError)
    assert out.to_send == b"\x15\x03\x01\x00\x02\x02\x46"


# -- after the hellos ----------------------------------------------------------------------


def _to_client_flight(
    suite: str = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", **kw: Any
) -> tuple[tls.State, tls.State, bytes]:
    """(client, server, the client's second flight: ClientKeyExchange, CCS, Finished)."""
    ccfg = client_config(cipher_suites=(by_name(suite),), **kw)
    scfg = server_config(cipher_suites=(by_name(suite),), **kw)
    client, hello = tls.client(ccfg, HOST)
    server, sout = tls.handle(tls.server(scfg), hello.to_send)
    client, cout = tls.handle(client, sout.to_send)
    assert cout.failure is None
    return client, server, cout.to_send


def _split(flight: bytes) -> list[bytes]:
    records = []
    while flight:
        n = 5 + int.from_bytes(flight[3:5], "big")
        records.append(flight[:n])
        flight = flight[n:]
    return records


def _alert_of(state: tls.State, data: bytes) -> int:
    """The description of the single alert record in *data*, decrypted with *state*."""
    (record,) = _split(data)
    assert record[0] == ContentType.ALERT
    _, plain = unprotect(
        state.read_cipher,
        ContentType.ALERT,
        ProtocolVersion(int.from_bytes(record[1:3], "big")),
        record[5:],
    )
    assert plain[0] == 2
    return plain[1]


def test_wrong_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    from tls import _handshake

    real = _handshake.finished_message

    def wrong(params: Any, master: bytes, label: bytes, log: bytes) -> bytes:
        message = real(params, master, label, log)
        return message[:-1] + bytes([message[-1] ^ 0x80])

    monkeypatch.setattr(tls._client, "finished_message", wrong)
    _client, server, flight = _to_client_flight()
    monkeypatch.undo()
    server, out = tls.handle(server, flight)
    assert type(out.failure) is errors.DecryptError
    # in the clear: the server's write cipher becomes active only with its own CCS
    assert out.to_send == b"\x15\x03\x03\x00\x02\x02\x33"


@pytest.mark.parametrize(
    "suite",
    [
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ],
)
@pytest.mark.parametrize("where", [-1, 5 + 8, -17])
def test_bad_record_mac_and_padding(suite: str, where: int) -> None:
    """A flipped bit anywhere in the protected Finished (explicit IV or nonce, body, MAC,
    CBC padding block) is one alert: bad_record_mac."""
    _client, server, flight = _to_client_flight(suite)
    records = _split(flight)
    finished = bytearray(records[-1])
    finished[where] ^= 0x01
    server, out = tls.handle(server, b"".join(records[:-1]) + bytes(finished))
    assert type(out.failure) is errors.BadRecordMac
    assert out.to_send == b"\x15\x03\x03\x00\x02\x02\x14"


def test_bad_record_mac_after_handshake_is_sent_encrypted() -> None:
    from tests.tls.conftest import established

    run = established(client_config(), server_config())
    client, out = tls.send(run.client, b"data")
    broken = out.to_send[:-1] + bytes([out.to_send[-1] ^ 1])
    _server, sout = tls.handle(run.server, broken)
    assert type(sout.failure) is errors.BadRecordMac
    assert _alert_of(client, sout.to_send) == AD.BAD_RECORD_MAC


@pytest.mark.parametrize(
    ("suite", "change"),
    [
        (
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            lambda body: b"\x1f" + body[1:32],
        ),  # 31-byte point
        ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", lambda body: b"\x20" + bytes(32)),  # zero point
        ("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", lambda body: b"\x00\x01\x01"),  # Yc = 1
    ],
)
def test_bad_client_key_exchange(suite: str, change: Callable[[bytes], bytes]) -> None:
    _client, server, flight = _to_client_flight(suite)
    records = _split(flight)
    (ckx,) = unframe(records[0])
    body = change(ckx[4:])
    server, out = tls.handle(server, frame([ckx[:1] + len(body).to_bytes(3, "big") + body]))
    assert type(out.failure) is errors.IllegalParameter
    assert out.to_send == b"\x15\x03\x03\x00\x02\x02\x2f"


# -- RSA key exchange: premaster version and Bleichenbacher ---------------------------------


def _rsa_flight_with_premaster(
    make: Callable[[bytes, int], bytes],
) -> tuple[tls.Output, tls.Output]:
    """Run the RSA key exchange with the client's encrypted premaster replaced by
    make(premaster, k) (re-encrypted by the test); returns the server's outputs for the
    ClientKeyExchange record and for the CCS + Finished records.

    The extended master secret is off, so that the keys depend on the premaster and the
    randoms only: when the server uses the client's premaster, the client's Finished
    decrypts and only its verify_data (over a changed transcript) is wrong --
    decrypt_error; when the server substituted a random premaster, the Finished record
    does not even decrypt -- bad_record_mac."""
    pki = make_pki()
    _client, server, flight = _to_client_flight(
        "TLS_RSA_WITH_AES_128_GCM_SHA256", extended_master_secret="off"
    )
    records = _split(flight)
    (ckx,) = unframe(records[0])
    encrypted = ckx[6:]
    premaster = pki.rsa_key.decrypt(encrypted, "pkcs1v15")
    assert premaster[:2] == b"\x03\x03"
    k = pki.rsa_key.public_key().size_bytes
    new = make(premaster, k)
    message = encode_client_key_exchange(tls._messages.ClientKeyExchange(encode_rsa_ckx(new)))
    server, out_ckx = tls.handle(server, frame([message]))
    server, out_fin = tls.handle(server, b"".join(records[1:]))
    return out_ckx, out_fin


def _encrypt(message: bytes) -> bytes:
    return make_pki().rsa_key.public_key().encrypt(message, "pkcs1v15")


def _raw(em: bytes) -> bytes:
    """RSA of an arbitrary encoded message (for malformed padding)."""
    pub = make_pki().rsa_key.public_key()
    return pow(int.from_bytes(em, "big"), pub.e, pub.n).to_bytes(pub.size_bytes, "big")


def test_rsa_premaster_reencrypted_control() -> None:
    """The same premaster re-encrypted: the server uses it (the Finished decrypts)."""
    out_ckx, out_fin = _rsa_flight_with_premaster(lambda pm, k: _encrypt(pm))
    assert out_ckx == tls.Output()
    assert type(out_fin.failure) is errors.DecryptError


@pytest.mark.parametrize(
    "name",
    [
        "premaster version 1.0",
        "premaster version 3.0",
        "another valid premaster",
        "47-byte premaster",
        "49-byte premaster",
        "bad padding type",
        "no separator",
        "short ciphertext",
        "random ciphertext",
    ],
)
def test_rsa_premaster_failures_are_indistinguishable(name: str) -> None:
    """RFC 5246 §7.4.7.1: every failure -- wrong version bytes (a downgrade: the strict
    check substitutes a random premaster, unlike the control), wrong length, bad padding
    -- gives no alert at the ClientKeyExchange and the same alert as a well-formed
    premaster the client does not share: bad_record_mac at its Finished."""
    makers: dict[str, Callable[[bytes, int], bytes]] = {
        "premaster version 1.0": lambda pm, k: _encrypt(b"\x03\x01" + pm[2:]),
        "premaster version 3.0": lambda pm, k: _encrypt(b"\x03\x00" + pm[2:]),
        "another valid premaster": lambda pm, k: _encrypt(pm[:2] + bytes(46)),
        "47-byte premaster": lambda pm, k: _encrypt(pm[:47]),
        "49-byte premaster": lambda pm, k: _encrypt(pm + b"\x00"),
        "bad padding type": lambda pm, k: _raw(b"\x00\x01" + b"\xff" * (k - 51) + b"\x00" + pm),
        "no separator": lambda pm, k: _raw(b"\x00\x02" + b"\x11" * (k - 2)),
        "short ciphertext": lambda pm, k: _encrypt(pm)[1:],
        "random ciphertext": lambda pm, k: b"\x01" + bytes(range(k - 1)),
    }
    out_ckx, out_fin = _rsa_flight_with_premaster(makers[name])
    assert out_ckx == tls.Output()
    assert type(out_fin.failure) is errors.BadRecordMac
    assert out_fin.to_send == b"\x15\x03\x03\x00\x02\x02\x14"
