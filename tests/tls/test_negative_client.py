"""A client facing a bad server: each row changes the server's first flight (or the
setup) and names the fatal alert the client must send and the failure it reports.

The server's first flight (ServerHello .. ServerHelloDone) is plaintext, so each case
edits its handshake messages and re-frames them; the client's answer must then be
exactly one plaintext fatal alert record with the expected description.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import tls
import x509
from nocrypto.rng import Fortuna
from tests.tls.conftest import HOST, NOW, client_config, make_cert, make_pki, server_config
from tls import AlertDescription as AD
from tls import NamedGroup, ProtocolVersion, errors
from tls._kex import sign
from tls._messages import (
    ALPN,
    ECPointFormats,
    RenegotiationInfo,
    SupportedGroups,
    UnknownExtension,
)
from tls._reader import parse_record_header, parse_server_hello, split_handshake
from tls._wire import ContentType, HandshakeType, SignatureScheme
from tls._writer import encode_certificate, encode_ec_params, encode_record, encode_server_hello
from tls.ciphersuites import by_name

Messages = list[bytes]


def unframe(flight: bytes) -> Messages:
    """The handshake messages of a plaintext flight of handshake records."""
    payload = b""
    while flight:
        header = parse_record_header(flight[:5])
        assert header is not None and header.content_type == ContentType.HANDSHAKE
        payload += flight[5 : 5 + header.length]
        flight = flight[5 + header.length :]
    messages, rest = split_handshake(payload)
    assert not rest
    return [m for _, m in messages]


def frame(messages: Messages, version: int = 0x0303) -> bytes:
    """Handshake messages as plaintext records."""
    payload = b"".join(messages)
    return b"".join(
        encode_record(ContentType.HANDSHAKE, version, payload[i : i + 2**14])
        for i in range(0, len(payload), 2**14)
    )


def find(messages: Messages, msg_type: HandshakeType) -> int:
    return next(i for i, m in enumerate(messages) if m[0] == msg_type)


def edit_hello(**changes: Any) -> Callable[[Messages], Messages]:
    def mutate(messages: Messages) -> Messages:
        hello = parse_server_hello(messages[0])
        return [encode_server_hello(dataclasses.replace(hello, **changes)), *messages[1:]]

    return mutate


def edit_extensions(
    change: Callable[[tuple[Any, ...]], tuple[Any, ...]],
) -> Callable[[Messages], Messages]:
    def mutate(messages: Messages) -> Messages:
        hello = parse_server_hello(messages[0])
        exts = change(hello.extensions or ())
        return [encode_server_hello(dataclasses.replace(hello, extensions=exts)), *messages[1:]]

    return mutate


def replace_message(msg_type: HandshakeType, new: bytes) -> Callable[[Messages], Messages]:
    def mutate(messages: Messages) -> Messages:
        out = list(messages)
        out[find(out, msg_type)] = new
        return out

    return mutate


def edit_ske(change: Callable[[bytes], bytes]) -> Callable[[Messages], Messages]:
    def mutate(messages: Messages) -> Messages:
        out = list(messages)
        i = find(out, HandshakeType.SERVER_KEY_EXCHANGE)
        body = change(out[i][4:])
        out[i] = bytes([12]) + len(body).to_bytes(3, "big") + body
        return out

    return mutate


def resigned_ske(
    point: bytes, group: NamedGroup = NamedGroup.X25519
) -> Callable[[Messages], Messages]:
    """A ServerKeyExchange with *point*, properly signed by the server's RSA key."""

    def mutate(messages: Messages) -> Messages:
        hello = parse_server_hello(messages[0])
        client_random = CLIENT_RANDOM[0]
        params = encode_ec_params(tls._messages.ECParams(group, point))
        signature = sign(
            make_pki().rsa_key,
            ProtocolVersion.TLS12,
            SignatureScheme.RSA_PSS_RSAE_SHA256,
            client_random + hello.random + params,
            Fortuna(seed=b"resigned ServerKeyExchange").generate,
        )
        body = params + b"\x08\x04" + len(signature).to_bytes(2, "big") + signature
        return edit_ske(lambda _: body)(messages)

    return mutate


CLIENT_RANDOM: list[bytes] = [b""]


@dataclass
class Case:
    name: str
    mutate: Callable[[Messages], Messages] = lambda m: m
    alert: AD = AD.HANDSHAKE_FAILURE
    error: type[errors.TLSError] = errors.HandshakeFailure
    client: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    server_name: str = HOST
    raw: Callable[[bytes], bytes] | None = None  # edits the whole flight's bytes instead


def _expired_chain() -> dict[str, Any]:
    pki = make_pki()
    leaf = make_cert(pki.rsa_key, pki.rsa_root_key, HOST, pki.rsa_root, days=(-400, -1))
    return {"certificates": (tls.CertificateChain((leaf, pki.rsa_root), pki.rsa_key),)}


def _future_chain() -> dict[str, Any]:
    pki = make_pki()
    leaf = make_cert(pki.rsa_key, pki.rsa_root_key, HOST, pki.rsa_root, days=(10, 400))
    return {"certificates": (tls.CertificateChain((leaf, pki.rsa_root), pki.rsa_key),)}


def _signing_only_rsa() -> dict[str, Any]:
    pki = make_pki()
    leaf = make_cert(pki.rsa_key, pki.rsa_root_key, HOST, pki.rsa_root, usage=("digitalSignature",))
    return {"certificates": (tls.CertificateChain((leaf, pki.rsa_root), pki.rsa_key),)}


def _not_ca_chain() -> dict[str, Any]:
    pki = make_pki()
    # the leaf is signed by another leaf, which is not a CA
    mid = pki.rsa_leaf
    leaf = make_cert(pki.ec_key, pki.rsa_key, HOST, mid, usage=("digitalSignature",))
    return {"certificates": (tls.CertificateChain((leaf, mid), pki.ec_key),)}


_RSA_KEX = {"cipher_suites": (by_name("TLS_RSA_WITH_AES_128_GCM_SHA256"),)}
_DHE = {"cipher_suites": (by_name("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),)}
_ECDHE_RSA = {"cipher_suites": (by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),)}
_P1024 = int(
    "f488fd584e49dbcd20b49de49107366b336c380d451d0f7c88b31c7c5b2d8ef6f3c923c043f0a55b188d8e"
    "bb558cb85d38d334fd7c175743a31d186cde33212cb52aff3ce1b1294018118d7c84a70a72d686c40319c8"
    "07297aca950cd9969fabd00a509b0246d3083d66a45d419f9c7cbd894b221926baaba25ec355e92f78c7",
    16,
)


def _dh_params(p: int, g: int, y: int) -> Callable[[bytes], bytes]:
    def change(body: bytes) -> bytes:
        def vec(n: int) -> bytes:
            data = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
            return len(data).to_bytes(2, "big") + data

        # keep the signature part; the params come first (3 x opaque<1..2^16-1>)
        pos = 0
        for _ in range(3):
            pos += 2 + int.from_bytes(body[pos : pos + 2], "big")
        return vec(p) + vec(g) + vec(y) + body[pos:]

    return change


def _ffdhe2048_p() -> int:
    from nocrypto import dh

    return dh.FFDHE2048.p


CASES = [
    # ServerHello
    Case(
        "version SSL 3.0",
        edit_hello(server_version=0x0300),
        AD.PROTOCOL_VERSION,
        errors.ProtocolVersionError,
    ),
    Case(
        "version TLS 1.3",
        edit_hello(server_version=0x0304),
        AD.PROTOCOL_VERSION,
        errors.ProtocolVersionError,
    ),
    Case(
        "version below minimum",
        edit_hello(server_version=0x0302),
        AD.PROTOCOL_VERSION,
        errors.ProtocolVersionError,
    ),
    Case(
        "suite not offered",
        edit_hello(cipher_suite=0x000A),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "suite unknown",
        edit_hello(cipher_suite=0x1301),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "compression",
        edit_hello(compression_method=1),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "unknown extension",
        edit_extensions(lambda e: (*e, UnknownExtension(0x1234, b""))),
        AD.UNSUPPORTED_EXTENSION,
        errors.UnsupportedExtension,
    ),
    Case(
        "supported_groups from a server",
        edit_extensions(lambda e: (*e, SupportedGroups((29, 23)))),
        AD.UNSUPPORTED_EXTENSION,
        errors.UnsupportedExtension,
    ),
    Case(
        "ALPN not offered",
        edit_extensions(lambda e: (*e, ALPN((b"h2",)))),
        AD.UNSUPPORTED_EXTENSION,
        errors.UnsupportedExtension,
    ),
    Case(
        "ALPN answer not offered",
        edit_extensions(
            lambda e: (*tuple(x for x in e if not isinstance(x, ALPN)), ALPN((b"spdy",)))
        ),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client={"alpn_protocols": ("h2",)},
        server={"alpn_protocols": ("h2",)},
    ),
    Case(
        "ALPN answer of two names",
        edit_extensions(
            lambda e: (*tuple(x for x in e if not isinstance(x, ALPN)), ALPN((b"h2", b"h2")))
        ),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client={"alpn_protocols": ("h2",)},
        server={"alpn_protocols": ("h2",)},
    ),
    Case(
        "no renegotiation_info",
        edit_extensions(lambda e: tuple(x for x in e if not isinstance(x, RenegotiationInfo))),
    ),
    Case(
        "renegotiation_info not empty",
        edit_extensions(
            lambda e: tuple(
                RenegotiationInfo(b"x" * 12) if isinstance(x, RenegotiationInfo) else x for x in e
            )
        ),
    ),
    Case(
        "ec_point_formats without uncompressed",
        edit_extensions(
            lambda e: (*(x for x in e if not isinstance(x, ECPointFormats)), ECPointFormats((1,)))
        ),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "duplicate extension",
        lambda m: [m[0][:-6] + m[0][-6:], *m[1:]] if False else _duplicate_ext(m),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
    ),
    Case(
        "EMS required",
        client={"extended_master_secret": "required"},
        server={"extended_master_secret": "off"},
    ),
    Case(
        "truncated ServerHello",
        lambda m: [_truncate(m[0]), *m[1:]],
        AD.DECODE_ERROR,
        errors.DecodeError,
    ),
    Case(
        "ServerHello with trailing bytes",
        lambda m: [_extend(m[0], b"\x00"), *m[1:]],
        AD.DECODE_ERROR,
        errors.DecodeError,
    ),
    # order
    Case(
        "Certificate first",
        lambda m: [m[1], m[0], *m[2:]],
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
    ),
    Case(
        "ServerHello twice", lambda m: [m[0], *m], AD.UNEXPECTED_MESSAGE, errors.UnexpectedMessage
    ),
    Case(
        "no ServerKeyExchange",
        lambda m: [m[0], m[1], m[3]],
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
    ),
    Case(
        "ServerHelloDone first",
        lambda m: [m[3], *m[:3]],
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
    ),
    Case(
        "Finished early",
        lambda m: [m[0], b"\x14\x00\x00\x0c" + bytes(12)],
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
    ),
    Case(
        "unknown handshake type",
        lambda m: [m[0], b"\x63\x00\x00\x00"],
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
    ),
    Case(
        "ServerKeyExchange for RSA",
        lambda m: [m[0], m[1], b"\x0c\x00\x00\x00", m[2]],
        AD.UNEXPECTED_MESSAGE,
        errors.UnexpectedMessage,
        client=_RSA_KEX,
    ),
    # Certificate
    Case(
        "empty Certificate",
        replace_message(
            HandshakeType.CERTIFICATE, encode_certificate(tls._messages.Certificate(()))
        ),
        AD.DECODE_ERROR,
        errors.DecodeError,
    ),
    Case(
        "garbage certificate",
        replace_message(
            HandshakeType.CERTIFICATE,
            encode_certificate(tls._messages.Certificate((b"\x30\x03\x02\x01\x01",))),
        ),
        AD.BAD_CERTIFICATE,
        errors.BadCertificate,
    ),
    Case(
        "expired",
        alert=AD.CERTIFICATE_EXPIRED,
        error=errors.CertificateExpired,
        server=_expired_chain(),
    ),
    Case(
        "not yet valid",
        alert=AD.CERTIFICATE_EXPIRED,
        error=errors.CertificateExpired,
        server=_future_chain(),
    ),
    Case(
        "unknown CA",
        alert=AD.UNKNOWN_CA,
        error=errors.UnknownCA,
        client={
            "authenticator": x509.Authenticator.chain_of_trust([make_pki().ec_root]),
            **_ECDHE_RSA,
        },
    ),
    Case(
        "wrong host",
        alert=AD.BAD_CERTIFICATE,
        error=errors.BadCertificate,
        server_name="wrong.test",
    ),
    Case(
        "issuer not a CA",
        alert=AD.BAD_CERTIFICATE,
        error=errors.BadCertificate,
        client={"cipher_suites": (by_name("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),)},
        server=_not_ca_chain(),
    ),
    Case(
        "RSA kex without keyEncipherment",
        alert=AD.UNSUPPORTED_CERTIFICATE,
        error=errors.UnsupportedCertificate,
        client=_RSA_KEX,
        server=_signing_only_rsa(),
    ),
    Case(
        "EC certificate for ECDHE_RSA",
        replace_message(
            HandshakeType.CERTIFICATE,
            encode_certificate(tls._messages.Certificate((make_pki().ec_leaf.der,))),
        ),
        AD.UNSUPPORTED_CERTIFICATE,
        errors.UnsupportedCertificate,
        client=_ECDHE_RSA,
    ),
    # ServerKeyExchange
    Case(
        "bad signature",
        edit_ske(lambda b: b[:-1] + bytes([b[-1] ^ 1])),
        AD.DECRYPT_ERROR,
        errors.DecryptError,
        client=_ECDHE_RSA,
    ),
    Case(
        "SHA-1 scheme not offered",
        edit_ske(lambda b: b[: 4 + b[3]] + b"\x02\x01" + b[6 + b[3] :]),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "ECDSA scheme for an RSA key",
        edit_ske(lambda b: b[: 4 + b[3]] + b"\x04\x03" + b[6 + b[3] :]),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "group not offered",
        edit_ske(lambda b: b[:1] + b"\x00\x18" + b[3:]),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client={**_ECDHE_RSA, "groups": (NamedGroup.X25519,)},
    ),
    Case(
        "explicit curve",
        edit_ske(lambda b: b"\x01" + b[1:]),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "truncated ServerKeyExchange",
        edit_ske(lambda b: b[:10]),
        AD.DECODE_ERROR,
        errors.DecodeError,
        client=_ECDHE_RSA,
    ),
    Case(
        "all-zero X25519 point",
        resigned_ske(bytes(32)),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "short X25519 point",
        resigned_ske(bytes(31)),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "P-256 point off the curve",
        resigned_ske(b"\x04" + bytes(63) + b"\x01", NamedGroup.SECP256R1),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "compressed P-256 point",
        resigned_ske(b"\x02" + bytes(31) + b"\x03", NamedGroup.SECP256R1),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_ECDHE_RSA,
    ),
    Case(
        "DH prime of 1024 bits",
        edit_ske(_dh_params(_P1024, 2, 5)),
        AD.INSUFFICIENT_SECURITY,
        errors.InsufficientSecurity,
        client=_DHE,
    ),
    Case(
        "DH g = 1",
        edit_ske(_dh_params(_ffdhe2048_p(), 1, 5)),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_DHE,
    ),
    Case(
        "DH Ys = p - 1",
        edit_ske(_dh_params(_ffdhe2048_p(), 2, _ffdhe2048_p() - 1)),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_DHE,
    ),
    Case(
        "DH even p",
        edit_ske(_dh_params(_ffdhe2048_p() + 1, 2, 5)),
        AD.ILLEGAL_PARAMETER,
        errors.IllegalParameter,
        client=_DHE,
    ),
    # records
    Case(
        "application data before the handshake",
        raw=lambda f: b"\x17\x03\x03\x00\x01x" + f,
        alert=AD.UNEXPECTED_MESSAGE,
        error=errors.UnexpectedMessage,
    ),
    Case(
        "early ChangeCipherSpec",
        raw=lambda f: (
            f[: 5 + int.from_bytes(f[3:5], "big")][:0]
            + _first_message_record(f)
            + b"\x14\x03\x03\x00\x01\x01"
        ),
        alert=AD.UNEXPECTED_MESSAGE,
        error=errors.UnexpectedMessage,
    ),
    Case(
        "ChangeCipherSpec inside a message",
        raw=lambda f: b"\x16\x03\x03\x00\x02\x02\x00" + b"\x14\x03\x03\x00\x01\x01",
        alert=AD.UNEXPECTED_MESSAGE,
        error=errors.UnexpectedMessage,
    ),
    Case(
        "empty handshake record",
        raw=lambda f: b"\x16\x03\x03\x00\x00" + f,
        alert=AD.DECODE_ERROR,
        error=errors.DecodeError,
    ),
    Case(
        "unknown content type",
        raw=lambda f: b"\x18\x03\x03\x00\x01\x01" + f,
        alert=AD.UNEXPECTED_MESSAGE,
        error=errors.UnexpectedMessage,
    ),
    Case(
        "record over 2^14+2048",
        raw=lambda f: b"\x16\x03\x03\x48\x01",
        alert=AD.RECORD_OVERFLOW,
        error=errors.RecordOverflow,
    ),
    Case(
        "plaintext record over 2^14",
        raw=lambda f: b"\x16\x03\x03\x40\x01" + bytes(2**14 + 1),
        alert=AD.RECORD_OVERFLOW,
        error=errors.RecordOverflow,
    ),
    Case(
        "record version 2.0",
        raw=lambda f: b"\x16\x02\x00" + f[3:],
        alert=AD.PROTOCOL_VERSION,
        error=errors.ProtocolVersionError,
    ),
    Case(
        "record version changes",
        raw=lambda f: _first_message_record(f) + _rest_as_version(f, 0x0301),
        alert=AD.PROTOCOL_VERSION,
        error=errors.ProtocolVersionError,
    ),
    Case(
        "handshake message over the limit",
        raw=lambda f: b"\x16\x03\x03\x00\x04\x02\xff\xff\xff",
        alert=AD.DECODE_ERROR,
        error=errors.DecodeError,
    ),
    Case(
        "two alerts in one record",
        raw=lambda f: b"\x15\x03\x03\x00\x04\x01\x5a\x01\x5a",
        alert=AD.DECODE_ERROR,
        error=errors.DecodeError,
    ),
    Case(
        "alert level 3",
        raw=lambda f: b"\x15\x03\x03\x00\x02\x03\x00",
        alert=AD.ILLEGAL_PARAMETER,
        error=errors.IllegalParameter,
    ),
    Case(
        "bad ChangeCipherSpec byte",
        raw=lambda f: b"\x14\x03\x03\x00\x01\x02",
        alert=AD.DECODE_ERROR,
        error=errors.DecodeError,
    ),
]


def _duplicate_ext(messages: Messages) -> Messages:
    hello = parse_server_hello(messages[0])
    raw = encode_server_hello(dataclasses.replace(hello, extensions=(RenegotiationInfo(b""),)))
    # append a second renegotiation_info to the extensions block by hand
    ext = b"\xff\x01\x00\x01\x00"
    body = raw[4:]
    ext_len = int.from_bytes(body[-7:-5], "big")
    assert ext_len == 5
    body = body[:-7] + (ext_len + 5).to_bytes(2, "big") + body[-5:] + ext
    return [bytes([2]) + len(body).to_bytes(3, "big") + body, *messages[1:]]


def _truncate(message: bytes) -> bytes:
    body = message[4:-3]
    return message[:1] + len(body).to_bytes(3, "big") + body


def _extend(message: bytes, extra: bytes) -> bytes:
    body = message[4:] + extra
    return message[:1] + len(body).to_bytes(3, "big") + body


def _first_message_record(flight: bytes) -> bytes:
    """The ServerHello alone in a record."""
    return frame(unframe(flight)[:1])


def _rest_as_version(flight: bytes, version: int) -> bytes:
    return frame(unframe(flight)[1:], version)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_client_refuses(case: Case) -> None:
    ccfg = client_config(**case.client)
    scfg = (
        server_config(**case.server)
        if case.server
        else server_config(**{k: v for k, v in case.client.items() if k != "authenticator"})
    )
    client, hello = tls.client(ccfg, case.server_name)
    CLIENT_RANDOM[0] = hello.to_send[11:43]
    server = tls.server(scfg)
    server, sout = tls.handle(server, hello.to_send)
    assert sout.failure is None, sout.failure
    flight = case.raw(sout.to_send) if case.raw else frame(case.mutate(unframe(sout.to_send)))
    client, out = tls.handle(client, flight)
    assert type(out.failure) is case.error, repr(out.failure)
    # exactly one fatal alert, in the clear (no cipher is active yet)
    assert out.to_send[:1] == b"\x15" and out.to_send[3:] == bytes([0, 2, 2, case.alert])
    assert tls.is_closed(client) and not tls.is_established(client)


def test_client_refuses_downgrade_sentinel() -> None:
    """An attacker lowers ClientHello.client_version to TLS 1.1; the TLS 1.2-capable server
    answers TLS 1.1 with the RFC 8446 §4.1.3 sentinel, which the client detects."""
    kw = {"min_version": ProtocolVersion.TLS11, "max_version": ProtocolVersion.TLS12}
    client, hello = tls.client(client_config(**kw), HOST)
    forged = bytearray(hello.to_send)
    forged[9:11] = b"\x03\x02"
    _server, sout = tls.handle(tls.server(server_config(**kw)), bytes(forged))
    assert sout.failure is None
    assert parse_server_hello(unframe(sout.to_send)[0]).random.endswith(b"DOWNGRD\x00")
    client, out = tls.handle(client, sout.to_send)
    assert type(out.failure) is errors.IllegalParameter
    assert out.to_send.endswith(bytes([2, AD.ILLEGAL_PARAMETER]))


def test_validation_uses_the_configured_clock() -> None:
    late = NOW.replace(year=2030)
    ccfg = client_config(now=lambda: late)
    run = tls.client(ccfg, HOST)
    _server, sout = tls.handle(tls.server(server_config()), run[1].to_send)
    _client, out = tls.handle(run[0], sout.to_send)
    assert type(out.failure) is errors.CertificateExpired
