"""The server's handshake: one handler per (phase, message), one dispatcher.

RFC 5246 §7.3-7.4 and appendix E.1 (version negotiation: "the server ... will respond
with the highest version supported by both"), RFC 7507 §3 (TLS_FALLBACK_SCSV), RFC 5746
§3.6 (renegotiation_info), RFC 7627 §5.2 (EMS), RFC 7301 §3.2 (ALPN), RFC 8422 §5.1-5.4
(ECC), RFC 7919 §4 (FFDHE group choice), RFC 6066 §3 (SNI), RFC 8446 §4.1.3 (downgrade
sentinel of a TLS 1.2 server negotiating TLS 1.1 or below), RFC 5246 §7.4.7.1
(Bleichenbacher countermeasure, in ``tls._kex``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import x509
from nocrypto import dh, ec, ecx, rsa
from tls import _kex, errors
from tls._handshake import check_finished, derive_keys, finished_message
from tls._messages import (
    ALPN,
    Certificate,
    ChangeCipherSpec,
    ClientHello,
    ClientKeyExchange,
    DHParams,
    ECParams,
    ECPointFormats,
    ExtendedMasterSecret,
    Extension,
    Finished,
    RenegotiationInfo,
    ServerHello,
    ServerHelloDone,
    ServerKeyExchange,
    ServerName,
    SignatureAlgorithms,
    SupportedGroups,
)
from tls._reader import parse_dh_ckx, parse_ec_ckx, parse_rsa_ckx
from tls._state import (
    AwaitClientCCS,
    AwaitClientFinished,
    AwaitClientHello,
    AwaitClientKeyExchange,
    ChangeReadCipher,
    ChangeWriteCipher,
    EmitEvent,
    Established,
    Instruction,
    Negotiated,
    Phase,
    SendAlert,
    SendCCS,
    SendHandshake,
    SetVersion,
)
from tls._wire import (
    AlertDescription,
    AlertLevel,
    CompressionMethod,
    ECPointFormat,
    NamedGroup,
    ProtocolVersion,
    SignatureScheme,
)
from tls._writer import (
    encode_certificate,
    encode_dh_params,
    encode_digitally_signed,
    encode_ec_params,
    encode_server_hello,
    encode_server_hello_done,
    encode_server_key_exchange,
)
from tls.ciphersuites import (
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
    TLS_FALLBACK_SCSV,
    CipherSuite,
    KeyExchange,
)
from tls.config import CertificateChain, Config
from tls.events import HandshakeComplete, Session

__all__ = ["handle"]

#: RFC 8446 §4.1.3: "If negotiating TLS 1.1 or below, TLS 1.3 servers MUST, and TLS 1.2
#: servers SHOULD, set the last 8 bytes of their ServerHello.Random value to" these.
DOWNGRADE_TLS11: Final = bytes.fromhex("444f574e47524400")
_ECDHE: Final = (KeyExchange.ECDHE_RSA, KeyExchange.ECDHE_ECDSA)
#: RFC 5246 §7.4.1.4.1: without signature_algorithms, a TLS 1.2 server behaves "as if
#: client had sent the value {sha1,rsa}" (or {sha1,ecdsa} for ECDSA).
_DEFAULT_SCHEMES: Final = (SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.ECDSA_SHA1)


@dataclass(frozen=True, slots=True)
class _Offer:
    """What the ClientHello asks for, read once."""

    version: ProtocolVersion
    suites: tuple[int, ...]
    groups: tuple[int, ...] | None
    formats: tuple[int, ...] | None
    schemes: tuple[int, ...] | None
    host: str | None


@dataclass(frozen=True, slots=True)
class _Plan:
    suite: CipherSuite
    chain: CertificateChain
    sni_matched: bool
    group: NamedGroup | None
    scheme: SignatureScheme | None


def _chains_for(config: Config, offer: _Offer, kex: KeyExchange) -> list[CertificateChain]:
    out = []
    for chain in config.certificates:
        if not chain.serves(kex):
            continue
        key = chain.private_key
        # RFC 8422 §5.1.3: Ed25519 in TLS 1.2 only, when the client lists it.
        ed25519_ok = offer.schemes is not None and SignatureScheme.ED25519 in offer.schemes
        if isinstance(key, ecx.Ed25519PrivateKey) and not ed25519_ok:
            continue
        if isinstance(key, ec.ECPrivateKey) and offer.groups is not None:
            # RFC 8422 §5.1: the certificate's curve must be one the client supports.
            group = _kex.curve_group(key.public_key())
            if group is None or group not in offer.groups:
                continue
        out.append(chain)
    return out


def _matches(chain: CertificateChain, host: str) -> bool:
    try:
        return x509.verify_hostname(chain.certificates[0], host)
    except ValueError:
        return False


def _scheme(config: Config, offer: _Offer, chain: CertificateChain) -> SignatureScheme | None:
    """The TLS 1.2 ServerKeyExchange scheme: our first preference the client accepts."""
    theirs = offer.schemes if offer.schemes is not None else _DEFAULT_SCHEMES
    public = chain.private_key.public_key()
    for scheme in config.effective_signature_schemes:
        if scheme in theirs and _kex.scheme_fits(scheme, public):
            return scheme
    return None


def _group(config: Config, offer: _Offer, kex: KeyExchange) -> NamedGroup | None:
    if kex in _ECDHE:
        ours = [g for g in config.groups if g in _kex.EC_GROUPS]
        if offer.groups is None:
            # RFC 8422 §4: without the extension the server may pick; secp256r1 is the
            # one every ECC client supports.
            if NamedGroup.SECP256R1 in ours:
                return NamedGroup.SECP256R1
            return ours[0] if ours else None
        return next((g for g in ours if g in offer.groups), None)
    theirs = [g for g in (offer.groups or ()) if 256 <= g <= 511]
    ours = [g for g in config.groups if g in _kex.FFDHE_GROUPS]
    if theirs:
        # RFC 7919 §4: with FFDHE groups offered, pick one of them or no DHE suite at all.
        return next((g for g in ours if g in theirs), None)
    # RFC 7919 §4 for clients that name no group: the server chooses (ffdhe2048 first).
    if NamedGroup.FFDHE2048 in ours:
        return NamedGroup.FFDHE2048
    return ours[0] if ours else None


def _plan(config: Config, offer: _Offer) -> _Plan:
    """The suite (server preference among the client's), certificate, group and scheme."""
    for suite in config.suites_for(offer.version):
        if suite.code not in offer.suites:
            continue
        chains = _chains_for(config, offer, suite.kex)
        if not chains:
            continue
        matched = [c for c in chains if offer.host is not None and _matches(c, offer.host)]
        chain = (matched or chains)[0]
        scheme = None
        if suite.kex is not KeyExchange.RSA and offer.version == ProtocolVersion.TLS12:
            scheme = _scheme(config, offer, chain)
            if scheme is None:
                continue
        group = None
        if suite.kex is not KeyExchange.RSA:
            group = _group(config, offer, suite.kex)
            if group is None:
                continue
        return _Plan(suite, chain, bool(matched), group, scheme)
    raise errors.HandshakeFailure("no cipher suite in common (with a certificate and group)")


def _answer_client_hello(
    config: Config, hello: ClientHello, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    cv = hello.client_version
    if cv < ProtocolVersion.TLS10:
        raise errors.ProtocolVersionError(f"client_version 0x{cv:04x} (SSL 3.0 or older)")
    version = ProtocolVersion(min(cv, config.max_version))
    if version < config.min_version:
        raise errors.ProtocolVersionError(f"client_version 0x{cv:04x} below our minimum")
    if TLS_FALLBACK_SCSV in hello.cipher_suites and cv < config.max_version:
        # RFC 7507 §3: "the server MUST respond with a fatal inappropriate_fallback alert".
        raise errors.InappropriateFallback("TLS_FALLBACK_SCSV below our highest version")
    if CompressionMethod.NULL not in hello.compression_methods:
        # RFC 5246 §7.4.1.2: the vector "MUST contain ... CompressionMethod.null".
        raise errors.IllegalParameter("the ClientHello does not offer null compression")
    exts = hello.extensions or ()
    renegotiation = next((e for e in exts if isinstance(e, RenegotiationInfo)), None)
    if renegotiation is not None and renegotiation.data:
        # RFC 5746 §3.6: on an initial handshake a non-empty value aborts the handshake
        # with handshake_failure.
        raise errors.HandshakeFailure("non-empty renegotiation_info in an initial handshake")
    if renegotiation is None and TLS_EMPTY_RENEGOTIATION_INFO_SCSV not in hello.cipher_suites:
        # RFC 5746 §4.3 leaves it to the server; this one refuses legacy clients.
        raise errors.HandshakeFailure("the client does not support RFC 5746")
    ems = config.extended_master_secret != "off" and any(
        isinstance(e, ExtendedMasterSecret) for e in exts
    )
    if config.extended_master_secret == "required" and not ems:
        # RFC 7627 §5.2: a server that requires the extension aborts with handshake_failure.
        raise errors.HandshakeFailure("the client does not support extended_master_secret")
    offer = _Offer(
        version=version,
        suites=hello.cipher_suites,
        groups=next((e.groups for e in exts if isinstance(e, SupportedGroups)), None),
        formats=next((e.formats for e in exts if isinstance(e, ECPointFormats)), None),
        schemes=(
            next((e.schemes for e in exts if isinstance(e, SignatureAlgorithms)), None)
            if version == ProtocolVersion.TLS12
            else None
        ),
        host=next((e.host_name for e in exts if isinstance(e, ServerName)), None),
    )
    alpn: str | None = None
    client_alpn = next((e.protocols for e in exts if isinstance(e, ALPN)), None)
    if client_alpn is not None and config.alpn_protocols:
        # RFC 7301 §3.2: our first preference the client offers, else the fatal
        # no_application_protocol alert.
        alpn = next((p for p in config.alpn_protocols if p.encode() in client_alpn), None)
        if alpn is None:
            raise errors.NoApplicationProtocol("no ALPN protocol in common")
    plan = _plan(config, offer)
    suite = plan.suite
    uncompressed = offer.formats is None or ECPointFormat.UNCOMPRESSED in offer.formats
    if suite.kex in _ECDHE and not uncompressed:
        # RFC 8422 §5.1.2: without the uncompressed format the server "MUST abort the
        # handshake and send an illegal_parameter alert".
        raise errors.IllegalParameter("ec_point_formats without uncompressed")
    server_random = config.random(32)
    if version < ProtocolVersion.TLS12 and config.max_version == ProtocolVersion.TLS12:
        server_random = server_random[:24] + DOWNGRADE_TLS11
    extensions: list[Extension] = [RenegotiationInfo(b"")]
    if plan.sni_matched:
        # RFC 6066 §3: a server that used the name "SHALL include an extension of type
        # "server_name" in the (extended) server hello", with empty data.
        extensions.append(ServerName(None))
    if ems:
        extensions.append(ExtendedMasterSecret())
    if alpn is not None:
        extensions.append(ALPN((alpn.encode(),)))
    if suite.kex in _ECDHE and offer.formats is not None:
        extensions.append(ECPointFormats((ECPointFormat.UNCOMPRESSED,)))
    server_hello = encode_server_hello(
        ServerHello(
            version, server_random, b"", suite.code, CompressionMethod.NULL, tuple(extensions)
        )
    )
    certificate = encode_certificate(Certificate(tuple(c.der for c in plan.chain.certificates)))
    params = Negotiated(
        version=version,
        suite=suite,
        client_random=hello.random,
        server_random=server_random,
        client_version=cv,
        extended_master_secret=ems,
        alpn_protocol=alpn,
        server_name=offer.host,
    )
    messages = [server_hello, certificate]
    ephemeral = None
    if plan.group is not None:
        ephemeral = _kex.generate(plan.group, config.random)
        if isinstance(ephemeral, dh.DHPrivateKey):
            group = ephemeral.group
            signed_params = encode_dh_params(
                DHParams(
                    group.p.to_bytes((group.bits + 7) // 8, "big"),
                    group.g.to_bytes((group.g.bit_length() + 7) // 8, "big"),
                    _kex.public_bytes(ephemeral),
                )
            )
        else:
            signed_params = encode_ec_params(ECParams(plan.group, _kex.public_bytes(ephemeral)))
        signature = _kex.sign(
            plan.chain.private_key,
            version,
            plan.scheme,
            hello.random + server_random + signed_params,
            config.random,
        )
        body = signed_params + encode_digitally_signed(plan.scheme, signature)
        messages.append(encode_server_key_exchange(ServerKeyExchange(body)))
    messages.append(encode_server_hello_done(ServerHelloDone()))
    log = raw + b"".join(messages)
    phase = AwaitClientKeyExchange(params, plan.chain, ephemeral, plan.group, plan.scheme, log)
    return phase, [SetVersion(version), *(SendHandshake(m) for m in messages)]


def _answer_client_key_exchange(
    config: Config, phase: AwaitClientKeyExchange, message: ClientKeyExchange, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    params = phase.params
    key = phase.ephemeral
    if key is None:
        private = phase.chain.private_key
        assert isinstance(private, rsa.RSAPrivateKey)
        encrypted = parse_rsa_ckx(message.body, params.version)
        premaster = _kex.rsa_premaster_decrypt(
            private, encrypted, params.client_version, config.random
        )
    elif isinstance(key, dh.DHPrivateKey):
        premaster = _kex.dh_shared(key, parse_dh_ckx(message.body))
    else:
        premaster = _kex.ec_shared(key, parse_ec_ckx(message.body))
    log = phase.log + raw
    master, write, read = derive_keys(params, premaster, log, "server")
    session = Session(
        version=params.version,
        cipher_suite=params.suite,
        group=phase.group,
        extended_master_secret=params.extended_master_secret,
        alpn_protocol=params.alpn_protocol,
        server_name=params.server_name,
        peer_certificates=(),
        verified_path=None,
        signature_scheme=phase.scheme,
    )
    return AwaitClientCCS(params, session, master, read, write, log), []


def _answer_finished(
    phase: AwaitClientFinished, message: Finished, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    params = phase.params
    check_finished(params, phase.master, b"client finished", phase.log, message)
    log = phase.log + raw
    finished = finished_message(params, phase.master, b"server finished", log)
    return Established(phase.session), [
        SendCCS(),
        ChangeWriteCipher(phase.pending_write),
        SendHandshake(finished),
        EmitEvent(HandshakeComplete(phase.session)),
    ]


def handle(
    config: Config, phase: Phase, message: object, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    """The server's step for one handshake *message* (or ChangeCipherSpec) in *phase*;
    anything not expected there is an unexpected_message (RFC 5246 §7.4)."""
    match (phase, message):
        case (AwaitClientHello(), ClientHello()):
            return _answer_client_hello(config, message, raw)
        case (AwaitClientKeyExchange(), ClientKeyExchange()):
            return _answer_client_key_exchange(config, phase, message, raw)
        case (AwaitClientCCS(), ChangeCipherSpec()):
            return AwaitClientFinished(
                phase.params, phase.session, phase.master, phase.pending_write, phase.log
            ), [ChangeReadCipher(phase.pending_read)]
        case (AwaitClientFinished(), Finished()):
            return _answer_finished(phase, message, raw)
        case (Established(), ClientHello()):
            # RFC 5246 §7.2.2 no_renegotiation: "Sent ... by the server in response to a
            # client hello after initial handshaking ... This message is always a
            # warning." Renegotiation is never done; the connection carries on.
            return phase, [SendAlert(AlertLevel.WARNING, AlertDescription.NO_RENEGOTIATION)]
        case _:
            name = type(message).__name__
            raise errors.UnexpectedMessage(f"{name} while in {type(phase).__name__}")
