"""The client's handshake: one handler per (phase, message), one dispatcher.

RFC 5246 §7.3-7.4 (full handshake), §7.4.1.2 (ClientHello), §7.4.1.3 and §7.4.1.4
("If a client receives an extension type in ServerHello that it did not request in the
associated ClientHello, it MUST abort the handshake with an unsupported_extension fatal
alert"), §7.4.2-7.4.3, §7.4.7; RFC 5746 §3.4 (renegotiation_info), RFC 7627 §5.3 (EMS),
RFC 7301 §3.1 (ALPN), RFC 8422 §5.1-5.2 (ECC), RFC 7919 (FFDHE), RFC 6066 §3 (SNI),
RFC 8446 §4.1.3 (the TLS 1.2 client's downgrade sentinel check).
"""

from __future__ import annotations

from typing import Final

import x509
from nocrypto import dh, ecx, rsa
from tls import _kex, errors
from tls._handshake import check_finished, derive_keys, finished_message
from tls._messages import (
    ALPN,
    Certificate,
    CertificateRequest,
    ChangeCipherSpec,
    ClientHello,
    ClientKeyExchange,
    ECPointFormats,
    ExtendedMasterSecret,
    Extension,
    Finished,
    HelloRequest,
    RenegotiationInfo,
    ServerHello,
    ServerHelloDone,
    ServerKeyExchange,
    ServerName,
    SignatureAlgorithms,
    SupportedGroups,
    extension_type,
)
from tls._reader import parse_dh_params, parse_digitally_signed, parse_ec_params
from tls._state import (
    AwaitCertificate,
    AwaitServerCCS,
    AwaitServerFinished,
    AwaitServerHello,
    AwaitServerHelloDone,
    AwaitServerKeyExchange,
    ChangeReadCipher,
    ChangeWriteCipher,
    DHShare,
    ECShare,
    EmitEvent,
    Established,
    Instruction,
    Negotiated,
    PeerShare,
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
    ExtensionType,
    NamedGroup,
    ProtocolVersion,
    SignatureScheme,
)
from tls._writer import (
    encode_certificate,
    encode_client_hello,
    encode_client_key_exchange,
    encode_dh_ckx,
    encode_ec_ckx,
    encode_rsa_ckx,
)
from tls.ciphersuites import SUITES, KeyExchange
from tls.config import Config
from tls.events import HandshakeComplete, Session

__all__ = ["handle", "start"]

#: RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.3 or 1.2 server's random when it
#: negotiates TLS 1.1 or below.
DOWNGRADE_TLS11: Final = bytes.fromhex("444f574e47524400")
_ECDHE: Final = (KeyExchange.ECDHE_RSA, KeyExchange.ECDHE_ECDSA)
_MAX_CHAIN: Final = 16


def start(config: Config, server_name: str | None) -> tuple[AwaitServerHello, bytes]:
    """The first phase and the ClientHello message (RFC 5246 §7.4.1.2).

    *server_name* goes into server_name (RFC 6066 §3) when it is a DNS name ("Literal
    IPv4 and IPv6 addresses are not permitted in "HostName""), as its A-label form
    without a trailing dot. A name that is neither raises ValueError (misuse).
    """
    sni: str | None = None
    if server_name is not None:
        identity = x509.reference_identity(server_name)
        if identity.kind == "DNS":
            assert isinstance(identity.value, str)
            sni = identity.value
    version = config.max_version
    has_ec = any(g in _kex.EC_GROUPS for g in config.groups)
    suites = tuple(s for s in config.suites_for(version) if has_ec or s.kex not in _ECDHE)
    kexes = {s.kex for s in suites}
    extensions: list[Extension] = []
    if sni is not None:
        extensions.append(ServerName(sni))
    if config.extended_master_secret != "off":
        extensions.append(ExtendedMasterSecret())
    # RFC 5746 §3.4: "the client MUST include either an empty "renegotiation_info"
    # extension, or the TLS_EMPTY_RENEGOTIATION_INFO_SCSV signaling cipher suite value".
    extensions.append(RenegotiationInfo(b""))
    if kexes - {KeyExchange.RSA}:
        extensions.append(SupportedGroups(tuple(int(g) for g in config.groups)))
    if kexes & set(_ECDHE):
        # RFC 8422 §5.1.2: only the uncompressed format.
        extensions.append(ECPointFormats((ECPointFormat.UNCOMPRESSED,)))
    if version >= ProtocolVersion.TLS12:
        schemes = tuple(int(s) for s in config.effective_signature_schemes)
        extensions.append(SignatureAlgorithms(schemes))
    if config.alpn_protocols:
        extensions.append(ALPN(tuple(p.encode() for p in config.alpn_protocols)))
    random = config.random(32)
    hello = ClientHello(
        client_version=version,
        random=random,
        session_id=b"",
        cipher_suites=tuple(s.code for s in suites),
        compression_methods=(CompressionMethod.NULL,),
        extensions=tuple(extensions),
    )
    raw = encode_client_hello(hello)
    phase = AwaitServerHello(
        client_random=random,
        client_version=version,
        offered_suites=hello.cipher_suites,
        offered_extensions=frozenset(extension_type(e) for e in extensions),
        server_name=server_name,
        log=raw,
    )
    return phase, raw


# -- ServerHello ----------------------------------------------------------------------------


def _answer_server_hello(
    config: Config, phase: AwaitServerHello, hello: ServerHello, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    v = hello.server_version
    if (
        v not in (ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12)
        or not config.min_version <= v <= phase.client_version
    ):
        raise errors.ProtocolVersionError(f"the server chose version 0x{v:04x}")
    version = ProtocolVersion(v)
    # RFC 8446 §4.1.3: "TLS 1.2 clients SHOULD also check that the last 8 bytes are not
    # equal to the second value if the ServerHello indicates TLS 1.1 or below" and abort
    # "with an "illegal_parameter" alert".
    downgraded = phase.client_version == ProtocolVersion.TLS12 and version < ProtocolVersion.TLS12
    if downgraded and hello.random[-8:] == DOWNGRADE_TLS11:
        raise errors.IllegalParameter("downgrade sentinel in ServerHello.random")
    if hello.cipher_suite not in phase.offered_suites:
        # RFC 5246 §7.4.1.3: "the single cipher suite selected by the server from the list".
        raise errors.IllegalParameter(
            f"the server chose a suite not offered: {hello.cipher_suite:#06x}"
        )
    suite = SUITES[hello.cipher_suite]
    if suite.min_version > version:
        raise errors.IllegalParameter(f"{suite.name} cannot be used with {version.name}")
    if hello.compression_method != CompressionMethod.NULL:
        raise errors.IllegalParameter("the server chose a compression method never offered")
    secure_renegotiation = False
    ems = False
    alpn: str | None = None
    for ext in hello.extensions or ():
        code = extension_type(ext)
        if code not in phase.offered_extensions or code in (
            # RFC 8422 §5.2 / RFC 5246 §7.4.1.4.1: servers MUST NOT send these.
            ExtensionType.SUPPORTED_GROUPS,
            ExtensionType.SIGNATURE_ALGORITHMS,
        ):
            raise errors.UnsupportedExtension(f"extension {code} in ServerHello was not offered")
        match ext:
            case RenegotiationInfo(data=data):
                if data:
                    # RFC 5746 §3.4: "verify that the length of the "renegotiated_connection"
                    # field is zero, and if it is not, MUST abort the handshake (by sending
                    # a fatal handshake_failure alert)".
                    raise errors.HandshakeFailure("non-empty renegotiation_info")
                secure_renegotiation = True
            case ExtendedMasterSecret():
                ems = True
            case ALPN(protocols=protocols):
                # RFC 7301 §3.1: the server's list "MUST contain exactly one" name, one
                # the client offered.
                if len(protocols) != 1:
                    raise errors.IllegalParameter("ALPN answer must hold exactly one protocol")
                try:
                    name = protocols[0].decode()
                except UnicodeDecodeError:
                    raise errors.IllegalParameter("ALPN answer not offered") from None
                if name not in config.alpn_protocols:
                    raise errors.IllegalParameter(f"ALPN answer {name!r} not offered")
                alpn = name
            case ECPointFormats(formats=formats):
                # RFC 8422 §5.2: "If the server sends the extension ... MUST contain
                # uncompressed".
                if ECPointFormat.UNCOMPRESSED not in formats:
                    raise errors.IllegalParameter("ec_point_formats without uncompressed")
            case _:
                pass
    if not secure_renegotiation:
        # RFC 5746 §4.1: a client MAY abort with a server that does not support secure
        # renegotiation; this library always does.
        raise errors.HandshakeFailure("the server does not support RFC 5746 renegotiation_info")
    if config.extended_master_secret == "required" and not ems:
        # RFC 7627 §5.3: a client that requires the extension aborts with handshake_failure.
        raise errors.HandshakeFailure("the server does not support extended_master_secret")
    params = Negotiated(
        version=version,
        suite=suite,
        client_random=phase.client_random,
        server_random=hello.random,
        client_version=phase.client_version,
        extended_master_secret=ems,
        alpn_protocol=alpn,
        server_name=phase.server_name,
    )
    return AwaitCertificate(params, phase.log + raw), [SetVersion(version)]


# -- Certificate ----------------------------------------------------------------------------


def _validation_alert(error: x509.ValidationError) -> errors.TLSError:
    """The alert for a refused chain (RFC 5246 §7.2.2)."""
    match error:
        case x509.Expired() | x509.NotYetValid():
            return errors.CertificateExpired(str(error))
        case x509.UnknownIssuer():
            return errors.UnknownCA(str(error))
        case x509.UnsupportedKey():
            return errors.UnsupportedCertificate(str(error))
        case x509.Revoked():
            return errors.CertificateRevoked(str(error))
        case _:
            # BadSignature, InvalidCertificate, NotCA, NameMismatch, FingerprintMismatch,
            # KeyUsageMissing, EKUMismatch, ...: "bad_certificate: A certificate was
            # corrupt, contained signatures that did not verify correctly, etc."
            return errors.BadCertificate(str(error))


def _answer_certificate(
    config: Config, phase: AwaitCertificate, message: Certificate, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    params = phase.params
    if not message.chain:
        # RFC 5246 §7.4.2 requires the server's certificate for every suite here; an
        # empty list is answered as RFC 8446 §4.4.2.4 says: "If the server supplies an
        # empty Certificate message, the client MUST abort the handshake with a
        # "decode_error" alert."
        raise errors.DecodeError("the server sent no certificate")
    if len(message.chain) > _MAX_CHAIN:
        raise errors.BadCertificate(f"a chain of more than {_MAX_CHAIN} certificates")
    try:
        chain = tuple(x509.Certificate.from_der(der) for der in message.chain)
    except x509.DecodeError as e:
        raise errors.BadCertificate(f"unreadable certificate: {e}") from None
    leaf = chain[0]
    try:
        key = leaf.public_key
    except (x509.UnsupportedAlgorithm, x509.DecodeError, ValueError) as e:
        raise errors.UnsupportedCertificate(f"the leaf's key: {e}") from None
    kex = params.suite.kex
    # RFC 8422 §5.1.3: EdDSA signatures exist in TLS 1.2 only.
    if not _kex.key_fits(key, kex) or (
        params.version < ProtocolVersion.TLS12 and isinstance(key, ecx.Ed25519PublicKey)
    ):
        raise errors.UnsupportedCertificate(f"the leaf's key cannot serve {kex.name}")
    # The key usage the key exchange needs (RFC 5246 §7.4.2, RFC 5280 §4.2.1.3), checked
    # here because the authenticator's policy is fixed when it is made.
    usage = leaf.extensions.key_usage
    if usage is not None:
        if kex is KeyExchange.RSA and not usage.key_encipherment:
            raise errors.UnsupportedCertificate("RSA key exchange needs keyEncipherment")
        if kex is not KeyExchange.RSA and not usage.digital_signature:
            raise errors.UnsupportedCertificate(f"{kex.name} needs digitalSignature")
    path: tuple[x509.Certificate, ...] | None = None
    if config.authenticator is not None:
        when = config.now() if config.now is not None else None  # None: the authenticator's
        result = config.authenticator(chain, params.server_name, time=when)
        if not isinstance(result, x509.Ok):
            raise _validation_alert(result)
        path = result.path
    log = phase.log + raw
    if kex is KeyExchange.RSA:
        return AwaitServerHelloDone(params, chain, path, None, None, False, log), []
    return AwaitServerKeyExchange(params, chain, path, log), []


# -- ServerKeyExchange ----------------------------------------------------------------------


def _dh_share(config: Config, body: bytes) -> tuple[PeerShare, bytes]:
    params, rest = parse_dh_params(body)
    p = int.from_bytes(params.p, "big")
    g = int.from_bytes(params.g, "big")
    y = int.from_bytes(params.ys, "big")
    if p.bit_length() < config.min_dh_bits:
        # RFC 7919 §4: a client that finds the group too weak aborts; "insufficient_security"
        # is the alert for parameters weaker than the client accepts (RFC 5246 §7.2.2).
        raise errors.InsufficientSecurity(f"a DH prime of {p.bit_length()} bits")
    if p.bit_length() > 8192 or p % 2 == 0:
        raise errors.IllegalParameter("the DH prime is even or over 8192 bits")
    # RFC 7919 §3 / §5.1: g and Ys must lie in [2, p-2].
    if not (2 <= g <= p - 2 and 2 <= y <= p - 2):
        raise errors.IllegalParameter("DH g or Ys outside [2, p-2]")
    named = _kex.named_ffdhe(p, g)
    try:
        # A known group (RFC 7919, or an RFC 3526 MODP group such as OpenSSL's automatic
        # choice) brings its q: short exponents and the subgroup check become possible.
        known = next((k for k in dh.GROUPS.values() if k.p == p and k.g == g), None)
        group = known if known is not None else dh.DHGroup(p, g)
        public = dh.DHPublicKey(group, y)
        if known is not None:
            public.validate()
    except ValueError as e:
        raise errors.IllegalParameter(f"bad DH parameters: {e}") from None
    return DHShare(group, public, named), rest


def _ec_share(config: Config, body: bytes) -> tuple[PeerShare, bytes]:
    params, rest = parse_ec_params(body)
    if params.group not in config.groups or params.group not in _kex.EC_GROUPS:
        # RFC 8422 §5.4: the server picks one of the curves the client listed.
        raise errors.IllegalParameter(f"the server chose group {params.group}, not offered")
    return ECShare(NamedGroup(params.group), params.point), rest


def _answer_server_key_exchange(
    config: Config, phase: AwaitServerKeyExchange, message: ServerKeyExchange, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    params = phase.params
    body = message.body
    share, rest = (
        _dh_share(config, body)
        if params.suite.kex is KeyExchange.DHE_RSA
        else _ec_share(config, body)
    )
    signed_params = body[: len(body) - len(rest)]
    scheme, signature = parse_digitally_signed(rest, params.version)
    key = phase.chain[0].public_key
    chosen: SignatureScheme | None = None
    if scheme is not None:
        # RFC 5246 §7.4.1.4.1 / §7.4.3: the scheme must be one the client offered and fit
        # the certificate's key.
        if scheme not in config.effective_signature_schemes or not _kex.scheme_fits(scheme, key):
            raise errors.IllegalParameter(f"signature scheme {scheme:#06x} not offered or unfit")
        chosen = SignatureScheme(scheme)
    signed = params.client_random + params.server_random + signed_params
    if not _kex.verify(key, params.version, chosen, signed, signature):
        raise errors.DecryptError("the ServerKeyExchange signature does not verify")
    log = phase.log + raw
    return AwaitServerHelloDone(
        params, phase.chain, phase.verified_path, share, chosen, False, log
    ), []


# -- ServerHelloDone ------------------------------------------------------------------------


def _answer_server_hello_done(
    config: Config, phase: AwaitServerHelloDone, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    params = phase.params
    log = phase.log + raw
    out: list[Instruction] = []
    if phase.certificate_requested:
        # RFC 5246 §7.4.6: "If no suitable certificate is available, the client MUST send
        # a certificate message containing no certificates."
        empty = encode_certificate(Certificate(()))
        log += empty
        out.append(SendHandshake(empty))
    share = phase.share
    group: NamedGroup | None = None
    match share:
        case None:
            key = phase.chain[0].public_key
            assert isinstance(key, rsa.RSAPublicKey)
            # RFC 5246 §7.4.7.1: client_version (the latest version offered) || 46 random.
            premaster = params.client_version.to_bytes(2, "big") + config.random(46)
            encrypted = key.encrypt(premaster, "pkcs1v15", random=config.random)
            body = encode_rsa_ckx(encrypted)
        case DHShare(group=dh_group, public=public, named=named):
            mine = dh_group.generate_private_key(config.random)
            premaster = _kex.dh_shared(mine, public.to_bytes())
            body = encode_dh_ckx(mine.public_key().to_bytes())
            group = named
        case ECShare(group=ec_group, point=point):
            ephemeral = _kex.generate(ec_group, config.random)
            premaster = _kex.ec_shared(ephemeral, point)
            body = encode_ec_ckx(_kex.public_bytes(ephemeral))
            group = ec_group
    ckx = encode_client_key_exchange(ClientKeyExchange(body))
    log += ckx
    master, write, read = derive_keys(params, premaster, log, "client")
    finished = finished_message(params, master, b"client finished", log)
    log += finished
    session = Session(
        version=params.version,
        cipher_suite=params.suite,
        group=group,
        extended_master_secret=params.extended_master_secret,
        alpn_protocol=params.alpn_protocol,
        server_name=params.server_name,
        peer_certificates=phase.chain,
        verified_path=phase.verified_path,
        signature_scheme=phase.scheme,
    )
    out += [SendHandshake(ckx), SendCCS(), ChangeWriteCipher(write), SendHandshake(finished)]
    return AwaitServerCCS(params, session, master, read, log), out


# -- the dispatcher -------------------------------------------------------------------------


def handle(
    config: Config, phase: Phase, message: object, raw: bytes
) -> tuple[Phase, list[Instruction]]:
    """The client's step for one handshake *message* (or ChangeCipherSpec) in *phase*;
    anything not expected there is an unexpected_message (RFC 5246 §7.4)."""
    match (phase, message):
        case (AwaitServerHello(), ServerHello()):
            return _answer_server_hello(config, phase, message, raw)
        case (AwaitCertificate(), Certificate()):
            return _answer_certificate(config, phase, message, raw)
        case (AwaitServerKeyExchange(), ServerKeyExchange()):
            return _answer_server_key_exchange(config, phase, message, raw)
        case (AwaitServerHelloDone(certificate_requested=False), CertificateRequest()):
            # RFC 5246 §7.4.4: answered with an empty Certificate after ServerHelloDone.
            return AwaitServerHelloDone(
                phase.params,
                phase.chain,
                phase.verified_path,
                phase.share,
                phase.scheme,
                True,
                phase.log + raw,
            ), []
        case (AwaitServerHelloDone(), ServerHelloDone()):
            return _answer_server_hello_done(config, phase, raw)
        case (AwaitServerCCS(), ChangeCipherSpec()):
            return AwaitServerFinished(phase.params, phase.session, phase.master, phase.log), [
                ChangeReadCipher(phase.pending_read)
            ]
        case (AwaitServerFinished(), Finished()):
            check_finished(phase.params, phase.master, b"server finished", phase.log, message)
            return Established(phase.session), [EmitEvent(HandshakeComplete(phase.session))]
        case (Established(), HelloRequest()):
            # RFC 5246 §7.2.2 no_renegotiation: "Sent by the client in response to a hello
            # request ... This message is always a warning." Renegotiation is never done.
            return phase, [SendAlert(AlertLevel.WARNING, AlertDescription.NO_RENEGOTIATION)]
        case (
            AwaitServerHello()
            | AwaitCertificate()
            | AwaitServerKeyExchange()
            | AwaitServerHelloDone(),
            HelloRequest(),
        ):
            # RFC 5246 §7.4.1.1: "This message will be ignored by the client if the client
            # is currently negotiating a session" (and it is not part of the hashes).
            return phase, []
        case _:
            name = type(message).__name__
            raise errors.UnexpectedMessage(f"{name} while in {type(phase).__name__}")
