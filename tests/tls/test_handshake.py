"""Client <-> server handshakes in memory: every version x suite x key exchange, every
group, every signature scheme; data both ways (empty, 1 byte, more than 2^14 bytes);
bytes fed whole and byte by byte."""

from __future__ import annotations

import pytest

import tls
from tests.tls.conftest import (
    ALL_VERSIONS,
    HOST,
    client_config,
    established,
    handshake,
    make_pki,
    server_config,
    transfer,
)
from tls import NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import SUITES, CipherSuite, KeyExchange
from tls.events import HandshakeComplete

BIG = bytes(range(256)) * 160  # 40960 bytes: three records
_EC = (
    NamedGroup.X25519,
    NamedGroup.SECP256R1,
    NamedGroup.SECP384R1,
    NamedGroup.SECP521R1,
    NamedGroup.X448,
)
_FFDHE = (
    NamedGroup.FFDHE2048,
    NamedGroup.FFDHE3072,
    NamedGroup.FFDHE4096,
    NamedGroup.FFDHE6144,
    NamedGroup.FFDHE8192,
)


def _combos() -> list[tuple[CipherSuite, ProtocolVersion]]:
    return [
        (suite, version)
        for suite in SUITES.values()
        for version in ALL_VERSIONS
        if suite.min_version <= version
    ]


def _ids(combo: tuple[CipherSuite, ProtocolVersion]) -> str:
    return f"{combo[1].name}-{combo[0].name}"


@pytest.mark.parametrize("combo", _combos(), ids=_ids)
def test_every_suite_and_version(combo: tuple[CipherSuite, ProtocolVersion]) -> None:
    suite, version = combo
    kw = {"cipher_suites": (suite,), "min_version": version, "max_version": version}
    run = established(client_config(**kw), server_config(**kw))
    for state in (run.client, run.server):
        session = tls.session_of(state)
        assert session is not None
        assert session.version == version
        assert session.cipher_suite == suite
        assert session.extended_master_secret
        expected_group = {
            KeyExchange.RSA: None,
            KeyExchange.DHE_RSA: NamedGroup.FFDHE2048,
        }.get(suite.kex, NamedGroup.X25519)
        assert session.group == expected_group
    client_session = tls.session_of(run.client)
    assert client_session is not None
    leaf = client_session.peer_certificates[0]
    assert leaf == (
        make_pki().ec_leaf if suite.kex is KeyExchange.ECDHE_ECDSA else make_pki().rsa_leaf
    )
    assert client_session.verified_path is not None and len(client_session.verified_path) == 2
    assert (client_session.signature_scheme is None) == (
        suite.kex is KeyExchange.RSA or version < ProtocolVersion.TLS12
    )
    c, s = run.client, run.server
    for data in (b"x", b"", BIG):
        c, s = transfer(c, s, data)
        s, c = transfer(s, c, data)


@pytest.mark.parametrize("group", _EC, ids=lambda g: g.name)
@pytest.mark.parametrize("kex", ["ECDHE_RSA", "ECDHE_ECDSA"])
def test_every_ec_group(group: NamedGroup, kex: str) -> None:
    suite = tls.ciphersuites.by_name(f"TLS_{kex}_WITH_AES_128_GCM_SHA256")
    # An ECDSA client must also list the curve of the server's P-256 certificate
    # (RFC 8422 §5.1); the server offers only *group* for the exchange itself.
    cgroups = (
        (group,)
        if kex == "ECDHE_RSA" or group == NamedGroup.SECP256R1
        else (group, NamedGroup.SECP256R1)
    )
    run = established(
        client_config(cipher_suites=(suite,), groups=cgroups),
        server_config(cipher_suites=(suite,), groups=(group,)),
    )
    session = tls.session_of(run.client)
    assert session is not None and session.group == group
    transfer(run.client, run.server, b"ping")


@pytest.mark.parametrize("group", _FFDHE, ids=lambda g: g.name)
def test_every_ffdhe_group(group: NamedGroup) -> None:
    suite = tls.ciphersuites.by_name("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
    run = established(
        client_config(cipher_suites=(suite,), groups=(group,)),
        server_config(cipher_suites=(suite,), groups=_FFDHE),
    )
    for state in (run.client, run.server):
        session = tls.session_of(state)
        assert session is not None and session.group == group


def test_ffdhe_server_default_without_client_groups() -> None:
    # RFC 7919 §4: a client that names no FFDHE group gets the server's choice (ffdhe2048).
    suite = tls.ciphersuites.by_name("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
    run = established(
        client_config(cipher_suites=(suite,), groups=(NamedGroup.X25519,)),
        server_config(cipher_suites=(suite,)),
    )
    session = tls.session_of(run.client)
    assert session is not None and session.group == NamedGroup.FFDHE2048


_SCHEMES = [
    (SignatureScheme.RSA_PKCS1_SHA256, "rsa"),
    (SignatureScheme.RSA_PKCS1_SHA384, "rsa"),
    (SignatureScheme.RSA_PKCS1_SHA512, "rsa"),
    (SignatureScheme.RSA_PSS_RSAE_SHA256, "rsa"),
    (SignatureScheme.RSA_PSS_RSAE_SHA384, "rsa"),
    (SignatureScheme.RSA_PSS_RSAE_SHA512, "rsa"),
    (SignatureScheme.RSA_PKCS1_SHA1, "rsa"),
    (SignatureScheme.ECDSA_SECP256R1_SHA256, "ec"),
    (SignatureScheme.ECDSA_SECP384R1_SHA384, "ec"),
    (SignatureScheme.ECDSA_SECP521R1_SHA512, "ec"),
    (SignatureScheme.ECDSA_SHA1, "ec"),
    (SignatureScheme.ED25519, "ed"),
]


@pytest.mark.parametrize(("scheme", "kind"), _SCHEMES, ids=lambda v: getattr(v, "name", v))
def test_every_signature_scheme(scheme: SignatureScheme, kind: str) -> None:
    pki = make_pki()
    chain = {"rsa": pki.rsa_chain, "ec": pki.ec_chain, "ed": pki.ed_chain}[kind]
    sha1 = scheme in (SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.ECDSA_SHA1)
    schemes = () if sha1 else (scheme,)
    kw = {"allow_sha1_signatures": sha1, "signature_schemes": schemes}
    kex = "RSA" if kind == "rsa" else "ECDSA"
    suite = tls.ciphersuites.by_name(f"TLS_ECDHE_{kex}_WITH_AES_128_GCM_SHA256")
    run = established(
        client_config(cipher_suites=(suite,), **kw)
        if not sha1
        else client_config(
            cipher_suites=(suite,), allow_sha1_signatures=True, signature_schemes=()
        ),
        server_config(cipher_suites=(suite,), certificates=(chain,), **kw)
        if not sha1
        else server_config(
            cipher_suites=(suite,),
            certificates=(chain,),
            allow_sha1_signatures=True,
            signature_schemes=(),
        ),
    )
    session = tls.session_of(run.client)
    assert session is not None
    if sha1:
        assert session.signature_scheme in (
            SignatureScheme.RSA_PKCS1_SHA1,
            SignatureScheme.ECDSA_SHA1,
        )
    else:
        assert session.signature_scheme == scheme


def test_p384_certificate() -> None:
    pki = make_pki()
    run = established(client_config(), server_config(certificates=(pki.p384_chain,)))
    session = tls.session_of(run.client)
    assert session is not None
    assert session.cipher_suite.kex is KeyExchange.ECDHE_ECDSA
    assert session.peer_certificates[0] == pki.p384_leaf


@pytest.mark.parametrize("version", ALL_VERSIONS, ids=lambda v: v.name)
def test_byte_by_byte(version: ProtocolVersion) -> None:
    kw = {"min_version": version, "max_version": version}
    run = established(client_config(**kw), server_config(**kw), byte_by_byte=True)
    assert any(isinstance(e, HandshakeComplete) for e in run.client_events)
    assert any(isinstance(e, HandshakeComplete) for e in run.server_events)
    # application data byte by byte too
    _c, out = tls.send(run.client, BIG[:20000])
    s = run.server
    got = b""
    for i in range(len(out.to_send)):
        s, o = tls.handle(s, out.to_send[i : i + 1])
        assert o.failure is None
        got += o.data
    assert got == BIG[:20000]


def test_version_negotiation_picks_highest_common() -> None:
    for cmax in ALL_VERSIONS:
        for smax in ALL_VERSIONS:
            run = established(
                client_config(min_version=ProtocolVersion.TLS10, max_version=cmax),
                server_config(min_version=ProtocolVersion.TLS10, max_version=smax),
            )
            session = tls.session_of(run.server)
            assert session is not None and session.version == min(cmax, smax)


def test_server_prefers_its_own_suite_order() -> None:
    a = tls.ciphersuites.by_name("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
    b = tls.ciphersuites.by_name("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
    run = established(client_config(cipher_suites=(a, b)), server_config(cipher_suites=(b, a)))
    session = tls.session_of(run.client)
    assert session is not None and session.cipher_suite == b


def test_server_picks_chain_for_key_exchange() -> None:
    pki = make_pki()
    ecdsa = tls.ciphersuites.by_name("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
    run = established(client_config(cipher_suites=(ecdsa,)), server_config())
    session = tls.session_of(run.client)
    assert session is not None and session.peer_certificates[0] == pki.ec_leaf


def test_sni_selects_chain() -> None:
    pki = make_pki()
    from tests.tls.conftest import make_cert

    other = make_cert(pki.rsa_key, pki.rsa_root_key, "other", pki.rsa_root, dns=("other.test",))
    other_chain = tls.CertificateChain((other, pki.rsa_root), pki.rsa_key)
    scfg = server_config(certificates=(other_chain, pki.rsa_chain))
    run = established(client_config(), scfg, server_name="server.test")
    session = tls.session_of(run.client)
    assert session is not None and session.peer_certificates[0] == pki.rsa_leaf
    assert session.server_name == HOST
    run = established(client_config(), scfg, server_name="other.test")
    session = tls.session_of(run.client)
    assert session is not None and session.peer_certificates[0] == other
    server_session = tls.session_of(run.server)
    assert server_session is not None and server_session.server_name == "other.test"


def test_ip_literal_is_not_sent_as_sni() -> None:
    run = handshake(
        client_config(insecure_skip_verify=True, authenticator=None), server_config(), "127.0.0.1"
    )
    assert run.server_failure is None and run.client_failure is None
    session = tls.session_of(run.server)
    assert session is not None and session.server_name is None
    # and nothing in the ClientHello spells the address
    assert b"127.0.0.1" not in run.flights[0]


def test_insecure_skip_verify_has_no_verified_path() -> None:
    run = established(client_config(authenticator=None, insecure_skip_verify=True), server_config())
    session = tls.session_of(run.client)
    assert session is not None and session.verified_path is None
    assert session.peer_certificates


@pytest.mark.parametrize(
    ("client_alpn", "server_alpn", "expected"),
    [
        (("h2", "http/1.1"), ("http/1.1", "h2"), "http/1.1"),
        (("h2", "http/1.1"), ("h2",), "h2"),
        (("h2",), (), None),
        ((), ("h2",), None),
    ],
)
def test_alpn(
    client_alpn: tuple[str, ...], server_alpn: tuple[str, ...], expected: str | None
) -> None:
    run = established(
        client_config(alpn_protocols=client_alpn), server_config(alpn_protocols=server_alpn)
    )
    for state in (run.client, run.server):
        session = tls.session_of(state)
        assert session is not None and session.alpn_protocol == expected


@pytest.mark.parametrize(
    ("client_ems", "server_ems", "used"),
    [
        ("on", "on", True),
        ("off", "on", False),
        ("on", "off", False),
        ("required", "on", True),
        ("on", "required", True),
    ],
)
def test_extended_master_secret_modes(client_ems: str, server_ems: str, used: bool) -> None:
    run = established(
        client_config(extended_master_secret=client_ems),
        server_config(extended_master_secret=server_ems),
    )
    for state in (run.client, run.server):
        session = tls.session_of(state)
        assert session is not None and session.extended_master_secret is used


def test_certificate_request_answered_with_empty_certificate() -> None:
    """A server that asks for a client certificate gets an empty Certificate (RFC 5246
    §7.4.6); this library's server never asks, so the request is spliced in by hand."""
    from tls._messages import CertificateRequest
    from tls._reader import parse_record_header, split_handshake
    from tls._wire import ContentType, HandshakeType
    from tls._writer import encode_certificate_request, encode_record

    pki = make_pki()
    client, out = tls.client(client_config(), HOST)
    server = tls.server(server_config())
    server, sout = tls.handle(server, out.to_send)
    # the server's first flight is plaintext handshake records: rebuild it with a
    # CertificateRequest before ServerHelloDone
    data = sout.to_send
    payload = b""
    while data:
        header = parse_record_header(data[:5])
        assert header is not None
        payload += data[5 : 5 + header.length]
        data = data[5 + header.length :]
    messages, rest = split_handshake(payload)
    assert not rest and messages[-1][0] == HandshakeType.SERVER_HELLO_DONE
    request = encode_certificate_request(CertificateRequest((1, 64), (0x0401, 0x0403), ()))
    spliced = b"".join(m for _, m in messages[:-1]) + request + messages[-1][1]
    records = b"".join(
        encode_record(ContentType.HANDSHAKE, 0x0303, spliced[i : i + 2**14])
        for i in range(0, len(spliced), 2**14)
    )
    client, cout = tls.handle(client, records)
    assert cout.failure is None
    # the client's flight starts with an empty Certificate message
    first = cout.to_send[5:]
    assert first[:7] == bytes([HandshakeType.CERTIFICATE, 0, 0, 3, 0, 0, 0])
    assert pki is not None


def test_hello_request_during_handshake_is_ignored() -> None:
    # RFC 5246 §7.4.1.1: ignored while negotiating, and not part of the handshake hashes
    ccfg, scfg = client_config(), server_config()
    client, hello = tls.client(ccfg, HOST)
    server, s1 = tls.handle(tls.server(scfg), hello.to_send)
    hello_request = b"\x16\x03\x03\x00\x04\x00\x00\x00\x00"
    client, c1 = tls.handle(client, hello_request + s1.to_send)
    assert c1.failure is None
    server, s2 = tls.handle(server, c1.to_send)
    client, c2 = tls.handle(client, s2.to_send)
    assert c2.failure is None and tls.is_established(client) and tls.is_established(server)


def test_ed25519_chain_is_not_used_below_tls12() -> None:
    pki = make_pki()
    kw = {"min_version": ProtocolVersion.TLS10, "max_version": ProtocolVersion.TLS11}
    run = handshake(client_config(**kw), server_config(certificates=(pki.ed_chain,), **kw))
    assert isinstance(run.server_failure, tls.errors.HandshakeFailure)
    # with an RSA chain beside it, the RSA chain serves
    run = established(
        client_config(**kw), server_config(certificates=(pki.ed_chain, pki.rsa_chain), **kw)
    )
    session = tls.session_of(run.client)
    assert session is not None and session.peer_certificates[0] == pki.rsa_leaf


def test_dhe_needs_an_ffdhe_group_on_the_server() -> None:
    dhe = tls.ciphersuites.by_name("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
    ecdhe = tls.ciphersuites.by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    run = established(
        client_config(cipher_suites=(dhe, ecdhe)),
        server_config(cipher_suites=(dhe, ecdhe), groups=(NamedGroup.X25519,)),
    )
    session = tls.session_of(run.client)
    assert session is not None and session.cipher_suite == ecdhe
    # RFC 7919 §4: a client listing FFDHE groups the server lacks gets no DHE suite
    run = established(
        client_config(cipher_suites=(dhe, ecdhe), groups=(NamedGroup.FFDHE8192, NamedGroup.X25519)),
        server_config(cipher_suites=(dhe, ecdhe), groups=(NamedGroup.FFDHE2048, NamedGroup.X25519)),
    )
    session = tls.session_of(run.client)
    assert session is not None and session.cipher_suite == ecdhe


def test_client_min_dh_bits() -> None:
    dhe = tls.ciphersuites.by_name("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
    run = handshake(
        client_config(cipher_suites=(dhe,), min_dh_bits=3072, groups=(NamedGroup.X25519,)),
        server_config(cipher_suites=(dhe,)),
    )
    assert isinstance(run.client_failure, tls.errors.InsufficientSecurity)
