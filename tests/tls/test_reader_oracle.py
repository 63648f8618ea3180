"""Differential tests of the TLS readers and writers against tlslite-ng's message classes.

For each message (and each hello extension) both directions are checked on
hypothesis-generated values: our encoding, parsed by tlslite, gives the same fields; the
same fields written by tlslite (``.write()``) are byte-for-byte our encoding, and our reader
gives back the value. The numbering of our enumerations is compared with tlslite's
constants.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tlslite import constants as tc
from tlslite import extensions as te
from tlslite import messages as tm
from tlslite.utils.codec import Parser
from tlslite.x509 import X509
from tlslite.x509certchain import X509CertChain

import asn1
from tests.tls.test_wire import (
    certificate_requests,
    certificate_verifies,
    extension_lists,
    randoms,
    session_ids,
    u8s,
    u16s,
)
from tls import _reader as rd
from tls import _wire
from tls import _writer as wr
from tls._messages import (
    ALPN,
    Alert,
    Certificate,
    CertificateRequest,
    CertificateVerify,
    ClientHello,
    ClientKeyExchange,
    DHParams,
    ECParams,
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
    UnknownExtension,
)
from tls._wire import HandshakeType, ProtocolVersion

ORACLE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Extension types tlslite knows (and would parse into its own classes); the "unknown"
# extensions of these tests avoid them.
TLSLITE_TYPES = {v for k, v in vars(tc.ExtensionType).items() if isinstance(v, int)}
unknown_types = u16s.filter(lambda t: t not in TLSLITE_TYPES)

# TLS_RSA_WITH_AES_128_CBC_SHA, TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
# TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.
RSA_SUITE, DHE_SUITE, ECDHE_RSA_SUITE, ECDHE_ECDSA_SUITE = 0x002F, 0x0033, 0xC02F, 0xC02B
VERSIONS = [ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12]


def pair(version: int) -> tuple[int, int]:
    """A u16 version as tlslite's (major, minor)."""
    return (version >> 8, version & 0xFF)


def tl_parse(cls: Callable[..., Any], data: bytes, *args: Any) -> Any:
    """Parse one whole handshake message with tlslite (its parsers start after the type)."""
    assert data[0] == cls(*args).handshakeType
    return cls(*args).parse(Parser(bytearray(data[1:])))


# -- extensions ---------------------------------------------------------------------------


def to_tlslite(ext: Extension) -> Any:
    """The tlslite object for one of our extensions."""
    match ext:
        case ServerName(host_name=None):
            return te.SNIExtension().create()
        case ServerName(host_name=str(host)):
            return te.SNIExtension().create(bytearray(host, "ascii"))
        case SupportedGroups(groups=groups):
            return te.SupportedGroupsExtension().create(list(groups))
        case ECPointFormats(formats=formats):
            return te.ECPointFormatsExtension().create(list(formats))
        case SignatureAlgorithms(schemes=schemes):
            return te.SignatureAlgorithmsExtension().create([(s >> 8, s & 0xFF) for s in schemes])
        case ALPN(protocols=protocols):
            return te.ALPNExtension().create([bytearray(p) for p in protocols])
        case ExtendedMasterSecret():
            return te.TLSExtension(extType=tc.ExtensionType.extended_master_secret).create(
                bytearray()
            )
        case RenegotiationInfo(data=data):
            return te.RenegotiationInfoExtension().create(bytearray(data))
        case UnknownExtension(type=code, data=data):
            return te.TLSExtension(extType=code).create(bytearray(data))
    raise AssertionError(ext)


def from_tlslite(ext: Any) -> Extension:
    """Our value for a tlslite extension object, read from its parsed fields."""
    code = ext.extType
    if code == tc.ExtensionType.server_name:
        if ext.serverNames is None:
            return ServerName(None)
        (name,) = ext.hostNames
        return ServerName(bytes(name).decode("ascii"))
    if code == tc.ExtensionType.supported_groups:
        return SupportedGroups(tuple(ext.groups))
    if code == tc.ExtensionType.ec_point_formats:
        return ECPointFormats(tuple(ext.formats))
    if code == tc.ExtensionType.signature_algorithms:
        return SignatureAlgorithms(tuple(h << 8 | s for h, s in ext.sigalgs))
    if code == tc.ExtensionType.alpn:
        return ALPN(tuple(bytes(p) for p in ext.protocol_names))
    if code == tc.ExtensionType.extended_master_secret:
        assert ext.extData == bytearray()
        return ExtendedMasterSecret()
    if code == tc.ExtensionType.renegotiation_info:
        return RenegotiationInfo(bytes(ext.renegotiated_connection))
    assert code not in TLSLITE_TYPES
    return UnknownExtension(code, bytes(ext.extData))


def from_tlslite_list(exts: Any) -> tuple[Extension, ...] | None:
    """Our extensions tuple (None when absent) for tlslite's list."""
    return None if exts is None else tuple(from_tlslite(e) for e in exts)


def hello_extensions(origin: HandshakeType) -> st.SearchStrategy[tuple[Extension, ...] | None]:
    """Extension lists tlslite can parse (unknown types outside its registry)."""
    return st.none() | extension_lists(origin, unknown_types)


# -- hellos -------------------------------------------------------------------------------

client_hellos = st.builds(
    ClientHello,
    u16s,
    randoms,
    session_ids,
    st.lists(u16s, min_size=1, max_size=24).map(tuple),
    st.lists(u8s, min_size=1, max_size=3).map(tuple),
    hello_extensions(HandshakeType.CLIENT_HELLO),
)
server_hellos = st.builds(
    ServerHello, u16s, randoms, session_ids, u16s, u8s, hello_extensions(HandshakeType.SERVER_HELLO)
)


@ORACLE
@given(client_hellos)
def test_client_hello(msg: ClientHello) -> None:
    ours = wr.encode_client_hello(msg)
    theirs = tl_parse(tm.ClientHello, ours)
    assert theirs.client_version == pair(msg.client_version)
    assert (bytes(theirs.random), bytes(theirs.session_id)) == (msg.random, msg.session_id)
    assert tuple(theirs.cipher_suites) == msg.cipher_suites
    assert tuple(theirs.compression_methods) == msg.compression_methods
    assert from_tlslite_list(theirs.extensions) == msg.extensions

    built = tm.ClientHello().create(
        pair(msg.client_version),
        bytearray(msg.random),
        bytearray(msg.session_id),
        list(msg.cipher_suites),
        extensions=None if msg.extensions is None else [to_tlslite(e) for e in msg.extensions],
    )
    built.compression_methods = list(msg.compression_methods)
    written = bytes(built.write())
    assert written == ours
    assert rd.parse_client_hello(written) == msg


@ORACLE
@given(server_hellos)
def test_server_hello(msg: ServerHello) -> None:
    ours = wr.encode_server_hello(msg)
    theirs = tl_parse(tm.ServerHello, ours)
    assert theirs.server_version == pair(msg.server_version)
    assert (bytes(theirs.random), bytes(theirs.session_id)) == (msg.random, msg.session_id)
    assert (theirs.cipher_suite, theirs.compression_method) == (
        msg.cipher_suite,
        msg.compression_method,
    )
    assert from_tlslite_list(theirs.extensions) == msg.extensions

    built = tm.ServerHello().create(
        pair(msg.server_version),
        bytearray(msg.random),
        bytearray(msg.session_id),
        msg.cipher_suite,
        extensions=None if msg.extensions is None else [to_tlslite(e) for e in msg.extensions],
    )
    built.compression_method = msg.compression_method
    written = bytes(built.write())
    assert written == ours
    assert rd.parse_server_hello(written) == msg


# -- certificates -------------------------------------------------------------------------


def real_certificates() -> list[bytes]:
    """DER certificates tlslite can parse: the project's demo certificate and a few from
    the system trust store."""
    root = Path(__file__).resolve().parents[2]
    ders = [der for _, der in asn1.pem.decode((root / "vectors/x509/demo-cert.pem").read_bytes())]
    store = Path("/etc/ssl/certs")
    if store.is_dir():
        for path in sorted(store.glob("*.pem"))[:6]:
            ders += [der for _, der in asn1.pem.decode(path.read_bytes(), "CERTIFICATE")]
    return ders


CERTS = real_certificates()


@pytest.mark.parametrize("count", [0, 1, 3, len(CERTS)])
def test_certificate(count: int) -> None:
    chain = tuple(CERTS[:count])
    ours = wr.encode_certificate(Certificate(chain))
    theirs = tl_parse(tm.Certificate, ours, tc.CertificateType.x509)
    got = () if theirs.cert_chain is None else theirs.cert_chain.x509List
    assert tuple(bytes(c.writeBytes()) for c in got) == chain

    x509s = []
    for der in chain:
        x509s.append(X509())
        x509s[-1].parseBinary(bytearray(der))
    written = bytes(tm.Certificate(tc.CertificateType.x509).create(X509CertChain(x509s)).write())
    assert written == ours
    assert rd.parse_certificate(written) == Certificate(chain)


def test_certificate_has_certs() -> None:
    assert len(CERTS) >= 3


# -- key exchange -------------------------------------------------------------------------

positive = st.integers(1, 2**1024)


def minimal(n: int) -> bytes:
    """*n* big-endian without leading zeros (how tlslite writes DH numbers)."""
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


signatures = st.binary(max_size=96)


@ORACLE
@given(positive, positive, positive, st.sampled_from(VERSIONS), u16s, signatures)
def test_server_key_exchange_dhe(
    p: int, g: int, ys: int, version: int, scheme: int, signature: bytes
) -> None:
    chosen = scheme if version >= ProtocolVersion.TLS12 else None
    params = DHParams(minimal(p), minimal(g), minimal(ys))
    body = wr.encode_dh_params(params) + wr.encode_digitally_signed(chosen, signature)
    ours = wr.encode_server_key_exchange(ServerKeyExchange(body))
    theirs = tl_parse(tm.ServerKeyExchange, ours, DHE_SUITE, pair(version))
    assert (theirs.dh_p, theirs.dh_g, theirs.dh_Ys) == (p, g, ys)
    assert bytes(theirs.signature) == signature
    if chosen is not None:
        assert (theirs.hashAlg, theirs.signAlg) == (scheme >> 8, scheme & 0xFF)

    built = tm.ServerKeyExchange(DHE_SUITE, pair(version)).createDH(p, g, ys)
    built.signature = bytearray(signature)
    if chosen is not None:
        # tlslite refuses to write a zero hash or signature byte; so does no real scheme.
        built.hashAlg, built.signAlg = (scheme >> 8) or 1, (scheme & 0xFF) or 1
        chosen = built.hashAlg << 8 | built.signAlg
    written = bytes(built.write())
    ske = rd.parse_server_key_exchange(written)
    got, rest = rd.parse_dh_params(ske.body)
    assert got == params
    assert rd.parse_digitally_signed(rest, version) == (chosen, signature)
    # The signed bytes (RFC 5246 §7.4.3: randoms + params) are the same for both.
    assert bytes(built.writeParams()) == ske.body[: len(ske.body) - len(rest)]


@ORACLE
@given(
    st.sampled_from([ECDHE_RSA_SUITE, ECDHE_ECDSA_SUITE]),
    u16s,
    st.binary(min_size=1, max_size=133),
    st.sampled_from(VERSIONS),
    st.integers(0x0101, 0xFFFF).filter(lambda s: s & 0xFF != 0),
    signatures,
)
def test_server_key_exchange_ecdhe(
    suite: int, group: int, point: bytes, version: int, scheme: int, signature: bytes
) -> None:
    chosen = scheme if version >= ProtocolVersion.TLS12 else None
    params = ECParams(group, point)
    body = wr.encode_ec_params(params) + wr.encode_digitally_signed(chosen, signature)
    ours = wr.encode_server_key_exchange(ServerKeyExchange(body))
    theirs = tl_parse(tm.ServerKeyExchange, ours, suite, pair(version))
    assert (theirs.curve_type, theirs.named_curve) == (3, group)
    assert (bytes(theirs.ecdh_Ys), bytes(theirs.signature)) == (point, signature)

    built = tm.ServerKeyExchange(suite, pair(version)).createECDH(3, group, bytearray(point))
    built.signature = bytearray(signature)
    built.hashAlg, built.signAlg = scheme >> 8, scheme & 0xFF
    written = bytes(built.write())
    assert written == ours
    got, rest = rd.parse_ec_params(rd.parse_server_key_exchange(written).body)
    assert got == params
    assert rd.parse_digitally_signed(rest, version) == (chosen, signature)


@ORACLE
@given(
    st.sampled_from(VERSIONS),
    st.binary(max_size=512),
    positive,
    st.binary(min_size=1, max_size=133),
)
def test_client_key_exchange(version: int, encrypted: bytes, yc: int, point: bytes) -> None:
    cases = [
        (RSA_SUITE, wr.encode_rsa_ckx(encrypted)),
        (DHE_SUITE, wr.encode_dh_ckx(minimal(yc))),
        (ECDHE_RSA_SUITE, wr.encode_ec_ckx(point)),
    ]
    for suite, body in cases:
        ours = wr.encode_client_key_exchange(ClientKeyExchange(body))
        theirs = tl_parse(tm.ClientKeyExchange, ours, suite, pair(version))
        built = tm.ClientKeyExchange(suite, pair(version))
        if suite == RSA_SUITE:
            assert bytes(theirs.encryptedPreMasterSecret) == encrypted
            built.createRSA(bytearray(encrypted))
        elif suite == DHE_SUITE:
            assert theirs.dh_Yc == yc
            built.createDH(yc)
        else:
            assert bytes(theirs.ecdh_Yc) == point
            built.createECDH(bytearray(point))
        written = bytes(built.write())
        assert written == ours
        got = rd.parse_client_key_exchange(written).body
        if suite == RSA_SUITE:
            assert rd.parse_rsa_ckx(got, version) == encrypted
        elif suite == DHE_SUITE:
            assert int.from_bytes(rd.parse_dh_ckx(got), "big") == yc
        else:
            assert rd.parse_ec_ckx(got) == point


# -- the rest -----------------------------------------------------------------------------


@ORACLE
@given(certificate_requests)
def test_certificate_request(msg: CertificateRequest) -> None:
    version = ProtocolVersion.TLS11 if msg.signature_algorithms is None else ProtocolVersion.TLS12
    ours = wr.encode_certificate_request(msg)
    theirs = tl_parse(tm.CertificateRequest, ours, pair(version))
    assert tuple(theirs.certificate_types) == msg.certificate_types
    assert tuple(bytes(c) for c in theirs.certificate_authorities) == (msg.certificate_authorities)
    if msg.signature_algorithms is not None:
        schemes = tuple(h << 8 | s for h, s in theirs.supported_signature_algs)
        assert schemes == msg.signature_algorithms

    built = tm.CertificateRequest(pair(version)).create(
        list(msg.certificate_types),
        [bytearray(c) for c in msg.certificate_authorities],
        None
        if msg.signature_algorithms is None
        else [(s >> 8, s & 0xFF) for s in msg.signature_algorithms],
    )
    written = bytes(built.write())
    assert written == ours
    assert rd.parse_certificate_request(written, version) == msg


@ORACLE
@given(certificate_verifies)
def test_certificate_verify(msg: CertificateVerify) -> None:
    version = ProtocolVersion.TLS11 if msg.scheme is None else ProtocolVersion.TLS12
    ours = wr.encode_certificate_verify(msg)
    theirs = tl_parse(tm.CertificateVerify, ours, pair(version))
    assert bytes(theirs.signature) == msg.signature
    if msg.scheme is not None:
        assert theirs.signatureAlgorithm == (msg.scheme >> 8, msg.scheme & 0xFF)
    built = tm.CertificateVerify(pair(version)).create(
        bytearray(msg.signature),
        None if msg.scheme is None else (msg.scheme >> 8, msg.scheme & 0xFF),
    )
    written = bytes(built.write())
    assert written == ours
    assert rd.parse_certificate_verify(written, version) == msg


@ORACLE
@given(st.binary(min_size=12, max_size=12), st.sampled_from(VERSIONS))
def test_finished(verify_data: bytes, version: int) -> None:
    ours = wr.encode_finished(Finished(verify_data))
    assert bytes(tl_parse(tm.Finished, ours, pair(version)).verify_data) == verify_data
    written = bytes(tm.Finished(pair(version)).create(bytearray(verify_data)).write())
    assert written == ours
    assert rd.parse_finished(written) == Finished(verify_data)


def test_empty_messages_and_change_cipher_spec() -> None:
    assert wr.encode_hello_request(HelloRequest()) == bytes(tm.HelloRequest().create().write())
    assert wr.encode_server_hello_done(ServerHelloDone()) == bytes(
        tm.ServerHelloDone().create().write()
    )
    tl_parse(tm.HelloRequest, wr.encode_hello_request(HelloRequest()))
    tl_parse(tm.ServerHelloDone, wr.encode_server_hello_done(ServerHelloDone()))
    written = bytes(tm.ChangeCipherSpec().create().write())
    assert written == wr.encode_ccs()
    rd.parse_change_cipher_spec(written)
    assert tm.ChangeCipherSpec().parse(Parser(bytearray(wr.encode_ccs()))).type == 1


@ORACLE
@given(st.sampled_from([1, 2]), u8s)
def test_alert(level: int, description: int) -> None:
    ours = wr.encode_alert(Alert(level, description))
    theirs = tm.Alert().parse(Parser(bytearray(ours)))
    assert (theirs.level, theirs.description) == (level, description)
    written = bytes(tm.Alert().create(description, level).write())
    assert written == ours
    assert rd.parse_alert(written) == Alert(level, description)


# -- the numbers --------------------------------------------------------------------------

# Our name -> tlslite's where they differ (tlslite drops the _RESERVED suffixes).
ALIASES = {
    "APPLICATION_LAYER_PROTOCOL_NEGOTIATION": "alpn",
    "PADDING": "client_hello_padding",
    "DECRYPTION_FAILED_RESERVED": "decryption_failed",
    "NO_CERTIFICATE_RESERVED": "no_certificate",
    "EXPORT_RESTRICTION_RESERVED": "export_restriction",
}
ENUMS: list[tuple[type[IntEnum], Any, bool]] = [
    (_wire.ContentType, tc.ContentType, True),
    (_wire.HandshakeType, tc.HandshakeType, False),
    (_wire.AlertLevel, tc.AlertLevel, True),
    (_wire.AlertDescription, tc.AlertDescription, True),
    (_wire.ExtensionType, tc.ExtensionType, False),
    (_wire.NamedGroup, tc.GroupName, True),
    (_wire.ECPointFormat, tc.ECPointFormat, True),
    (_wire.ECCurveType, tc.ECCurveType, True),
    (_wire.HashAlgorithm, tc.HashAlgorithm, True),
    (_wire.SignatureAlgorithm, tc.SignatureAlgorithm, True),
    (_wire.NameType, tc.NameType, True),
    (_wire.SignatureScheme, tc.SignatureScheme, True),
    (_wire.ClientCertificateType, tc.ClientCertificateType, False),
]


@pytest.mark.parametrize("ours,theirs,complete", ENUMS, ids=[e[0].__name__ for e in ENUMS])
def test_enumerations_agree_with_tlslite(ours: type[IntEnum], theirs: Any, complete: bool) -> None:
    """Every value tlslite also names is the same; *complete* enums are all in tlslite."""
    names = {k.lower(): v for k, v in vars(theirs).items() if isinstance(v, int | tuple)}
    found = 0
    for member in ours:
        value = names.get(ALIASES.get(member.name, member.name.lower()))
        if value is None:
            assert not complete, member
            continue
        if isinstance(value, tuple):  # tlslite's (hash, signature) pairs
            value = value[0] << 8 | value[1]
        assert value == member, member
        found += 1
    assert found >= len(ours) // 2
