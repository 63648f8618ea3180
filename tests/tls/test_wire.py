"""TLS wire formats: round trips of every message and extension (hypothesis), totality of
the readers on truncated, extended and random input, the framing functions fed whole, in
chunks and byte by byte, and tables of bad inputs naming the expected error.

The strategies at the top are shared with ``test_reader_oracle.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tls import _reader as rd
from tls import _writer as wr
from tls import errors
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
    HandshakeMessage,
    HelloRequest,
    RecordHeader,
    RenegotiationInfo,
    ServerHello,
    ServerHelloDone,
    ServerKeyExchange,
    ServerName,
    SignatureAlgorithms,
    SupportedGroups,
    UnknownExtension,
    extension_type,
    handshake_type,
)
from tls._wire import (
    MAX_CIPHERTEXT,
    AlertDescription,
    ContentType,
    ExtensionType,
    HandshakeType,
    ProtocolVersion,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies ---------------------------------------------------------------------------

u8s = st.integers(0, 0xFF)
u16s = st.integers(0, 0xFFFF)
TYPED = {
    ExtensionType.SERVER_NAME,
    ExtensionType.SUPPORTED_GROUPS,
    ExtensionType.EC_POINT_FORMATS,
    ExtensionType.SIGNATURE_ALGORITHMS,
    ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
    ExtensionType.EXTENDED_MASTER_SECRET,
    ExtensionType.RENEGOTIATION_INFO,
}
host_names = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40
).filter(lambda s: not s.endswith("."))


def typed_extensions(origin: HandshakeType) -> st.SearchStrategy[Extension]:
    """One typed extension as it may appear in a hello of *origin*."""
    name = st.just(ServerName(None)) if origin == HandshakeType.SERVER_HELLO else host_names
    return st.one_of(
        name.map(lambda n: n if isinstance(n, ServerName) else ServerName(n)),
        st.lists(u16s, min_size=1, max_size=12).map(lambda v: SupportedGroups(tuple(v))),
        st.lists(u8s, min_size=1, max_size=4).map(lambda v: ECPointFormats(tuple(v))),
        st.lists(u16s, min_size=1, max_size=12).map(lambda v: SignatureAlgorithms(tuple(v))),
        st.lists(st.binary(min_size=1, max_size=16), min_size=1, max_size=4).map(
            lambda v: ALPN(tuple(v))
        ),
        st.just(ExtendedMasterSecret()),
        st.binary(max_size=36).map(RenegotiationInfo),
    )


def extension_lists(
    origin: HandshakeType, unknown_types: st.SearchStrategy[int] | None = None
) -> st.SearchStrategy[tuple[Extension, ...]]:
    """A list of extensions with distinct types, typed and unknown."""
    unknown = u16s.filter(lambda t: t not in TYPED) if unknown_types is None else unknown_types
    raw = st.builds(UnknownExtension, unknown, st.binary(max_size=24))
    return st.lists(
        st.one_of(typed_extensions(origin), raw), max_size=8, unique_by=extension_type
    ).map(tuple)


randoms = st.binary(min_size=32, max_size=32)
session_ids = st.binary(max_size=32)
client_hellos = st.builds(
    ClientHello,
    u16s,
    randoms,
    session_ids,
    st.lists(u16s, min_size=1, max_size=24).map(tuple),
    st.lists(u8s, min_size=1, max_size=3).map(tuple),
    st.none() | extension_lists(HandshakeType.CLIENT_HELLO),
)
server_hellos = st.builds(
    ServerHello,
    u16s,
    randoms,
    session_ids,
    u16s,
    u8s,
    st.none() | extension_lists(HandshakeType.SERVER_HELLO),
)
certificates = st.lists(st.binary(min_size=1, max_size=40), max_size=4).map(
    lambda c: Certificate(tuple(c))
)
certificate_requests = st.builds(
    CertificateRequest,
    st.lists(u8s, min_size=1, max_size=4).map(tuple),
    st.none() | st.lists(u16s, min_size=1, max_size=8).map(tuple),
    st.lists(st.binary(min_size=1, max_size=30), max_size=3).map(tuple),
)
certificate_verifies = st.builds(CertificateVerify, st.none() | u16s, st.binary(max_size=80))
handshake_messages: st.SearchStrategy[HandshakeMessage] = st.one_of(
    st.just(HelloRequest()),
    client_hellos,
    server_hellos,
    certificates,
    st.binary(max_size=80).map(ServerKeyExchange),
    certificate_requests,
    st.just(ServerHelloDone()),
    certificate_verifies,
    st.binary(max_size=80).map(ClientKeyExchange),
    st.binary(min_size=12, max_size=12).map(Finished),
)


def version_for(msg: HandshakeMessage) -> int:
    """The version under which *msg*'s form is read (the 1.0/1.1 forms lack a scheme)."""
    match msg:
        case CertificateRequest(signature_algorithms=None) | CertificateVerify(scheme=None):
            return ProtocolVersion.TLS11
    return ProtocolVersion.TLS12


PARSERS: dict[HandshakeType, Callable[[bytes, int], HandshakeMessage]] = {
    HandshakeType.HELLO_REQUEST: lambda m, v: rd.parse_hello_request(m),
    HandshakeType.CLIENT_HELLO: lambda m, v: rd.parse_client_hello(m),
    HandshakeType.SERVER_HELLO: lambda m, v: rd.parse_server_hello(m),
    HandshakeType.CERTIFICATE: lambda m, v: rd.parse_certificate(m),
    HandshakeType.SERVER_KEY_EXCHANGE: lambda m, v: rd.parse_server_key_exchange(m),
    HandshakeType.CERTIFICATE_REQUEST: rd.parse_certificate_request,
    HandshakeType.SERVER_HELLO_DONE: lambda m, v: rd.parse_server_hello_done(m),
    HandshakeType.CERTIFICATE_VERIFY: rd.parse_certificate_verify,
    HandshakeType.CLIENT_KEY_EXCHANGE: lambda m, v: rd.parse_client_key_exchange(m),
    HandshakeType.FINISHED: lambda m, v: rd.parse_finished(m),
}


def frame(msg_type: int, body: bytes) -> bytes:
    """A handshake message with a correct header around *body*."""
    return bytes([msg_type]) + len(body).to_bytes(3, "big") + body


def parse_or_error(message: bytes, version: int) -> HandshakeMessage | errors.TLSError:
    """The parsed message, or the TLSError (any other exception propagates)."""
    try:
        return rd.parse_handshake(message, version)
    except errors.TLSError as e:
        return e


# -- round trips --------------------------------------------------------------------------


@SETTINGS
@given(handshake_messages)
def test_handshake_round_trip(msg: HandshakeMessage) -> None:
    data = wr.encode_handshake(msg)
    version = version_for(msg)
    assert data[0] == handshake_type(msg)
    assert int.from_bytes(data[1:4], "big") == len(data) - 4
    assert rd.parse_handshake(data, version) == msg
    assert PARSERS[handshake_type(msg)](data, version) == msg
    assert rd.split_handshake(data) == ([(handshake_type(msg), data)], b"")


@SETTINGS
@given(handshake_messages, st.binary(min_size=1, max_size=8))
def test_truncated_and_extended_messages_fail(msg: HandshakeMessage, garbage: bytes) -> None:
    data = wr.encode_handshake(msg)
    version = version_for(msg)
    for i in range(len(data)):
        with pytest.raises(errors.DecodeError):
            rd.parse_handshake(data[:i], version)
    with pytest.raises(errors.DecodeError):
        rd.parse_handshake(data + garbage, version)


@SETTINGS
@given(handshake_messages, st.binary(min_size=1, max_size=8))
def test_reframed_bodies_are_rejected_or_canonical(msg: HandshakeMessage, garbage: bytes) -> None:
    """A body cut at any point (or extended), under a correct header, is a DecodeError or
    a value whose encoding is exactly that input (e.g. a ClientHello cut right after its
    compression methods)."""
    data = wr.encode_handshake(msg)
    body, version = data[4:], version_for(msg)
    for candidate in [body[:i] for i in range(len(body))] + [body + garbage]:
        message = frame(data[0], candidate)
        result = parse_or_error(message, version)
        if isinstance(result, errors.TLSError):
            assert isinstance(result, errors.DecodeError | errors.IllegalParameter)
        else:
            assert wr.encode_handshake(result) == message


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(HandshakeType)), st.binary(max_size=60), st.booleans())
def test_random_bodies_are_total_and_idempotent(
    msg_type: HandshakeType, body: bytes, tls12: bool
) -> None:
    version = ProtocolVersion.TLS12 if tls12 else ProtocolVersion.TLS10
    result = parse_or_error(frame(msg_type, body), version)
    if not isinstance(result, errors.TLSError):
        again = wr.encode_handshake(result)
        assert rd.parse_handshake(again, version) == result


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    for parse in (
        lambda d: rd.parse_handshake(d, ProtocolVersion.TLS12),
        lambda d: rd.parse_extensions(d, HandshakeType.CLIENT_HELLO),
        lambda d: rd.parse_extensions(d, HandshakeType.SERVER_HELLO),
        rd.parse_dh_params,
        rd.parse_ec_params,
        lambda d: rd.parse_digitally_signed(d, ProtocolVersion.TLS12),
        lambda d: rd.parse_digitally_signed(d, ProtocolVersion.TLS10),
        lambda d: rd.parse_rsa_ckx(d, ProtocolVersion.TLS10),
        rd.parse_dh_ckx,
        rd.parse_ec_ckx,
        rd.parse_alert,
        rd.parse_change_cipher_spec,
        rd.parse_record_header,
        rd.split_handshake,
    ):
        with contextlib.suppress(errors.TLSError):
            parse(data)


@pytest.mark.parametrize("origin", [HandshakeType.CLIENT_HELLO, HandshakeType.SERVER_HELLO])
@SETTINGS
@given(data=st.data())
def test_extensions_round_trip(origin: HandshakeType, data: st.DataObject) -> None:
    extensions = data.draw(extension_lists(origin))
    encoded = wr.encode_extensions(extensions)
    assert rd.parse_extensions(encoded, origin) == extensions


@pytest.mark.parametrize("origin", [HandshakeType.CLIENT_HELLO, HandshakeType.SERVER_HELLO])
@SETTINGS
@given(data=st.data())
def test_typed_extension_data_cut_or_extended_fails(
    origin: HandshakeType, data: st.DataObject
) -> None:
    extension = data.draw(typed_extensions(origin))
    garbage = data.draw(st.binary(min_size=1, max_size=4))
    encoded = wr.encode_extension(extension)
    ext_data = encoded[4:]
    for candidate in [ext_data[:i] for i in range(len(ext_data))] + [ext_data + garbage]:
        raw = encoded[:2] + len(candidate).to_bytes(2, "big") + candidate
        with pytest.raises(errors.DecodeError):
            rd.parse_extensions(raw, origin)


@FEW
@given(
    st.binary(min_size=1, max_size=40),
    st.binary(min_size=1, max_size=40),
    st.binary(min_size=1, max_size=40),
    st.binary(max_size=20),
)
def test_dh_params_round_trip(p: bytes, g: bytes, ys: bytes, rest: bytes) -> None:
    params = DHParams(p, g, ys)
    encoded = wr.encode_dh_params(params)
    assert rd.parse_dh_params(encoded + rest) == (params, rest)
    for i in range(len(encoded)):
        with pytest.raises(errors.DecodeError):
            rd.parse_dh_params(encoded[:i])


@FEW
@given(u16s, st.binary(min_size=1, max_size=97), st.binary(max_size=20))
def test_ec_params_round_trip(group: int, point: bytes, rest: bytes) -> None:
    params = ECParams(group, point)
    encoded = wr.encode_ec_params(params)
    assert encoded[0] == 3  # named_curve
    assert rd.parse_ec_params(encoded + rest) == (params, rest)
    for i in range(len(encoded)):
        with pytest.raises(errors.DecodeError):
            rd.parse_ec_params(encoded[:i])


@FEW
@given(st.none() | u16s, st.binary(max_size=64), st.binary(min_size=1, max_size=4))
def test_digitally_signed_round_trip(scheme: int | None, sig: bytes, garbage: bytes) -> None:
    version = ProtocolVersion.TLS11 if scheme is None else ProtocolVersion.TLS12
    encoded = wr.encode_digitally_signed(scheme, sig)
    assert rd.parse_digitally_signed(encoded, version) == (scheme, sig)
    for bad in [encoded[:i] for i in range(len(encoded))] + [encoded + garbage]:
        with pytest.raises(errors.DecodeError):
            rd.parse_digitally_signed(bad, version)


@FEW
@given(st.binary(max_size=300), st.binary(min_size=1, max_size=200), st.binary(min_size=1))
def test_client_key_exchange_bodies(encrypted: bytes, yc: bytes, point: bytes) -> None:
    point = point[:255]
    cases: list[tuple[bytes, Callable[[bytes], bytes], bytes]] = [
        (
            wr.encode_rsa_ckx(encrypted),
            lambda b: rd.parse_rsa_ckx(b, ProtocolVersion.TLS10),
            encrypted,
        ),
        (wr.encode_dh_ckx(yc), rd.parse_dh_ckx, yc),
        (wr.encode_ec_ckx(point), rd.parse_ec_ckx, point),
    ]
    for body, parse, value in cases:
        assert parse(body) == value
        for bad in [body[:i] for i in range(len(body))] + [body + b"\x00"]:
            with pytest.raises(errors.DecodeError):
                parse(bad)


def test_alert_and_change_cipher_spec() -> None:
    for level in range(256):
        for description in (0, 10, 50, 86, 120, 255):
            alert = Alert(level, description)
            assert rd.parse_alert(wr.encode_alert(alert)) == alert
    assert rd.parse_change_cipher_spec(wr.encode_ccs()) is not None
    for bad in (b"", b"\x02", b"\x00", b"\x01\x01"):
        with pytest.raises(errors.DecodeError):
            rd.parse_change_cipher_spec(bad)
    for bad in (b"", b"\x02", b"\x02\x28\x00"):
        with pytest.raises(errors.DecodeError):
            rd.parse_alert(bad)


# -- record framing -----------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(ContentType)), st.integers(0x0300, 0x03FF), st.binary(max_size=300))
def test_record_round_trip_byte_by_byte(ct: ContentType, version: int, fragment: bytes) -> None:
    record = wr.encode_record(ct, version, fragment)
    for i in range(5):
        assert rd.parse_record_header(record[:i]) is None
    header = RecordHeader(ct, version, len(fragment))
    assert rd.parse_record_header(record) == header
    assert rd.parse_record_header(memoryview(record)[:5]) == header
    assert record[5:] == fragment


def test_record_length_limits() -> None:
    for length, ok in ((MAX_CIPHERTEXT, True), (MAX_CIPHERTEXT + 1, False), (0xFFFF, False)):
        header = bytes([23, 3, 3]) + length.to_bytes(2, "big")
        if ok:
            assert rd.parse_record_header(header) == RecordHeader(
                ContentType.APPLICATION_DATA, 0x0303, length
            )
        else:
            with pytest.raises(errors.RecordOverflow):
                rd.parse_record_header(header)
    with pytest.raises(ValueError):
        wr.encode_record(ContentType.APPLICATION_DATA, 0x0303, bytes(MAX_CIPHERTEXT + 1))


# An SSL 2.0 CLIENT-HELLO as RFC 5246 appendix E.2 lays it out: 2-byte length with the high
# bit set, msg_type 1, version 3.1, cipher_spec_length 3, session_id_length 0,
# challenge_length 16, one cipher spec, the challenge.
SSL2_HELLO = bytes([0x80, 0x1C, 0x01, 0x03, 0x01, 0, 3, 0, 0, 0, 16, 0, 0, 0x2F]) + bytes(16)


@pytest.mark.parametrize(
    "record,error,decided_at",
    [
        (SSL2_HELLO, errors.SSLv2ClientHello, 1),
        (b"\x18\x03\x03\x00\x01", errors.UnexpectedMessage, 1),  # heartbeat (24)
        (b"\x00\x03\x03\x00\x01", errors.UnexpectedMessage, 1),
        (b"\x16\x02\x00\x00\x01", errors.ProtocolVersionError, 2),
        (b"\x16\x04\x01\x00\x01", errors.ProtocolVersionError, 2),
        (b"\x16\x03\x01\x48\x01", errors.RecordOverflow, 5),
    ],
)
def test_bad_record_headers(record: bytes, error: type[errors.TLSError], decided_at: int) -> None:
    """Each error is raised as soon as the bytes show it, and "need more" before."""
    for i in range(decided_at):
        assert rd.parse_record_header(record[:i]) is None
    for i in range(decided_at, len(record) + 1):
        with pytest.raises(error):
            rd.parse_record_header(record[:i])


def test_sslv2_hello_answers_protocol_version() -> None:
    with pytest.raises(errors.ProtocolVersionError) as info:
        rd.parse_record_header(SSL2_HELLO)
    assert info.value.alert == AlertDescription.PROTOCOL_VERSION


# -- handshake framing --------------------------------------------------------------------


@SETTINGS
@given(st.lists(handshake_messages, min_size=1, max_size=5), st.data())
def test_split_handshake_in_any_chunks(msgs: list[HandshakeMessage], data: st.DataObject) -> None:
    encoded = [wr.encode_handshake(m) for m in msgs]
    expected = [(handshake_type(m), e) for m, e in zip(msgs, encoded, strict=True)]
    stream = b"".join(encoded)
    assert rd.split_handshake(stream) == (expected, b"")
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    for chunks in (
        [stream[i : i + 1] for i in range(len(stream))],  # byte by byte
        [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)],
    ):
        got: list[tuple[HandshakeType, bytes]] = []
        rest = b""
        for chunk in chunks:
            out, rest = rd.split_handshake(rest + chunk)
            got += out
        assert (got, rest) == (expected, b"")


def test_split_handshake_errors_as_early_as_possible() -> None:
    with pytest.raises(errors.UnexpectedMessage):
        rd.split_handshake(b"\x03")  # hello_verify_request: DTLS only
    with pytest.raises(errors.UnexpectedMessage):
        rd.split_handshake(wr.encode_handshake(HelloRequest()) + b"\xfe")
    too_long = rd.MAX_HANDSHAKE_LENGTH + 1
    header = bytes([HandshakeType.CLIENT_HELLO]) + too_long.to_bytes(3, "big")
    assert rd.split_handshake(header[:3]) == ([], header[:3])
    with pytest.raises(errors.DecodeError):
        rd.split_handshake(header)
    # Certificate has the larger limit.
    cert = bytes([HandshakeType.CERTIFICATE]) + too_long.to_bytes(3, "big")
    assert rd.split_handshake(cert) == ([], cert)
    cert = bytes([HandshakeType.CERTIFICATE]) + (rd.MAX_CERTIFICATE_LENGTH + 1).to_bytes(3, "big")
    with pytest.raises(errors.DecodeError):
        rd.split_handshake(cert)


# -- tables of bad messages ---------------------------------------------------------------

HELLO_HEAD = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\x00\x2f" + b"\x01\x00"
V33 = b"\x03\x03" + bytes(32) + b"\x00"  # version, random, empty session_id
SH_HEAD = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x2f" + b"\x00"


def ch(extensions: bytes) -> bytes:
    """A ClientHello whose extensions block holds *extensions*."""
    return frame(1, HELLO_HEAD + len(extensions).to_bytes(2, "big") + extensions)


def sh(extensions: bytes) -> bytes:
    """A ServerHello whose extensions block holds *extensions*."""
    return frame(2, SH_HEAD + len(extensions).to_bytes(2, "big") + extensions)


def ext(code: int, data: bytes) -> bytes:
    """One raw extension."""
    return code.to_bytes(2, "big") + len(data).to_bytes(2, "big") + data


def sni(*entries: tuple[int, bytes]) -> bytes:
    """A raw server_name extension."""
    body = b"".join(bytes([t]) + len(n).to_bytes(2, "big") + n for t, n in entries)
    return ext(0, len(body).to_bytes(2, "big") + body)


BAD: list[tuple[str, bytes, type[errors.TLSError]]] = [
    ("empty", b"", errors.DecodeError),
    ("unknown type", frame(99, b""), errors.UnexpectedMessage),
    ("new_session_ticket", frame(4, bytes(6)), errors.UnexpectedMessage),
    ("length > body", b"\x0e\x00\x00\x01", errors.DecodeError),
    ("hello_request body", frame(0, b"\x00"), errors.DecodeError),
    ("server_hello_done body", frame(14, b"\x00"), errors.DecodeError),
    ("finished 11", frame(20, bytes(11)), errors.DecodeError),
    ("finished 13", frame(20, bytes(13)), errors.DecodeError),
    ("CH 1 byte after compression", frame(1, HELLO_HEAD + b"\x00"), errors.DecodeError),
    (
        "CH session_id 33",
        frame(1, b"\x03\x03" + bytes(32) + b"\x21" + bytes(33) + b"\x00\x02\x00\x2f\x01\x00"),
        errors.DecodeError,
    ),
    (
        "CH odd suites",
        frame(1, V33 + b"\x00\x03\x00\x2f\x00\x01\x00"),
        errors.DecodeError,
    ),
    ("CH no suites", frame(1, V33 + b"\x00\x00\x01\x00"), errors.DecodeError),
    (
        "CH no compression",
        frame(1, V33 + b"\x00\x02\x00\x2f\x00"),
        errors.DecodeError,
    ),
    ("duplicate extension", ch(ext(23, b"") + ext(23, b"")), errors.IllegalParameter),
    ("duplicate unknown extension", ch(ext(999, b"") + ext(999, b"a")), errors.IllegalParameter),
    ("extension overruns block", ch(b"\x00\x17\x00\x01"), errors.DecodeError),
    ("EMS with data", ch(ext(23, b"\x00")), errors.DecodeError),
    ("SNI empty in CH", ch(ext(0, b"")), errors.DecodeError),
    ("SNI empty list", ch(ext(0, b"\x00\x00")), errors.DecodeError),
    ("SNI empty name", ch(sni((0, b""))), errors.DecodeError),
    ("SNI trailing dot", ch(sni((0, b"example.org."))), errors.DecodeError),
    ("SNI NUL", ch(sni((0, b"exa\x00mple.org"))), errors.DecodeError),
    ("SNI space", ch(sni((0, b"exa mple.org"))), errors.DecodeError),
    ("SNI UTF-8", ch(sni((0, "bücher.de".encode()))), errors.DecodeError),
    ("SNI two host names", ch(sni((0, b"a.org"), (0, b"b.org"))), errors.DecodeError),
    ("SNI data in SH", sh(sni((0, b"a.org"))), errors.DecodeError),
    ("ALPN empty list", ch(ext(16, b"\x00\x00")), errors.DecodeError),
    ("ALPN empty name", ch(ext(16, b"\x00\x04\x02h2\x00")), errors.DecodeError),
    ("groups odd", ch(ext(10, b"\x00\x03\x00\x17\x00")), errors.DecodeError),
    ("groups empty", ch(ext(10, b"\x00\x00")), errors.DecodeError),
    ("sigalgs empty", ch(ext(13, b"\x00\x00")), errors.DecodeError),
    ("point formats empty", ch(ext(11, b"\x00")), errors.DecodeError),
    ("reneg info empty data", ch(ext(0xFF01, b"")), errors.DecodeError),
    ("reneg info overlong", ch(ext(0xFF01, b"\x02\x00")), errors.DecodeError),
    ("certificate empty entry", frame(11, b"\x00\x00\x03\x00\x00\x00"), errors.DecodeError),
    ("certificate list overrun", frame(11, b"\x00\x00\x05\x00\x00\x01\x30"), errors.DecodeError),
    ("cert request no types", frame(13, b"\x00\x00\x02\x04\x01\x00\x00"), errors.DecodeError),
    (
        "cert request empty DN",
        frame(13, b"\x01\x01\x00\x02\x04\x01\x00\x02\x00\x00"),
        errors.DecodeError,
    ),
    ("cert request odd sigalgs", frame(13, b"\x01\x01\x00\x01\x04\x00\x00"), errors.DecodeError),
    ("cert verify short", frame(15, b"\x04\x01\x00"), errors.DecodeError),
]


@pytest.mark.parametrize("name,message,error", BAD, ids=[b[0] for b in BAD])
def test_bad_messages(name: str, message: bytes, error: type[errors.TLSError]) -> None:
    with pytest.raises(error) as info:
        rd.parse_handshake(message, ProtocolVersion.TLS12)
    assert type(info.value) is error


def test_good_message_edges() -> None:
    """The accepting side of the table above, so that the table cannot pass vacuously."""
    parse = rd.parse_client_hello
    assert parse(ch(ext(23, b""))).extensions == (ExtendedMasterSecret(),)
    assert parse(ch(b"")).extensions == ()
    assert parse(frame(1, HELLO_HEAD)).extensions is None
    long_id = b"\x03\x03" + bytes(32) + b"\x20" + bytes(32) + b"\x00\x02\x00\x2f\x01\x00"
    assert parse(frame(1, long_id)).session_id == bytes(32)
    assert parse(ch(sni((0, b"example.org")))).extensions == (ServerName("example.org"),)
    # An unknown name type is skipped by its 16-bit length (RFC 6066 §3).
    assert parse(ch(sni((7, b"\xff\x00"), (0, b"a.b")))).extensions == (ServerName("a.b"),)
    assert parse(ch(sni((7, b"x")))).extensions == (ServerName(None),)
    assert rd.parse_server_hello(sh(ext(0, b""))).extensions == (ServerName(None),)
    assert parse(ch(ext(0xFF01, b"\x00"))).extensions == (RenegotiationInfo(b""),)
    assert parse(ch(ext(999, b"xyz"))).extensions == (UnknownExtension(999, b"xyz"),)
    assert rd.parse_certificate(frame(11, b"\x00\x00\x00")) == Certificate(())
    assert rd.parse_finished(frame(20, bytes(12))) == Finished(bytes(12))
    request = frame(13, b"\x01\x01\x00\x00")
    assert rd.parse_certificate_request(request, ProtocolVersion.TLS11) == CertificateRequest(
        (1,), None, ()
    )
    with pytest.raises(errors.DecodeError):
        rd.parse_certificate_request(request, ProtocolVersion.TLS12)


def test_empty_public_values_are_rejected() -> None:
    """The ``<1..>`` floors of ServerDHParams, ServerECDHParams and the client shares."""
    assert rd.parse_dh_params(b"\x00\x01\x05\x00\x01\x02\x00\x01\x03")[0] == DHParams(
        b"\x05", b"\x02", b"\x03"
    )
    for bad in (b"\x00\x01\x05\x00\x01\x02\x00\x00", b"\x00\x00\x00\x01\x02\x00\x01\x03"):
        with pytest.raises(errors.DecodeError):
            rd.parse_dh_params(bad)
    with pytest.raises(errors.DecodeError):
        rd.parse_ec_params(b"\x03\x00\x17\x00")
    with pytest.raises(errors.DecodeError):
        rd.parse_dh_ckx(b"\x00\x00")
    with pytest.raises(errors.DecodeError):
        rd.parse_ec_ckx(b"\x00")
    assert rd.parse_rsa_ckx(b"\x00\x00", ProtocolVersion.TLS12) == b""


def test_explicit_curves_are_illegal_parameter() -> None:
    for curve_type in (1, 2, 0, 4):
        with pytest.raises(errors.IllegalParameter):
            rd.parse_ec_params(bytes([curve_type]) + b"\x00\x17\x01\x04")


def test_parsers_check_the_message_type() -> None:
    finished = wr.encode_finished(Finished(bytes(12)))
    for parser in PARSERS.values():
        if parser is PARSERS[HandshakeType.FINISHED]:
            continue
        with pytest.raises(errors.DecodeError):
            parser(finished, ProtocolVersion.TLS12)


# -- the cursor ---------------------------------------------------------------------------


def test_reader_cursor() -> None:
    r = rd.Reader(b"\x01\x00\x02\x00\x00\x03\x00\x00\x00\x04", "test")
    assert (r.u8(), r.u16(), r.u24(), r.u32()) == (1, 2, 3, 4)
    r.expect_end()
    for method in (r.u8, r.u16, r.u24, r.u32, r.vec8, r.vec16, r.vec24):
        with pytest.raises(errors.DecodeError):
            method()
    r = rd.Reader(b"\x02ab\x00\x01c", "test")
    assert r.vec8("v", 2, 2) == b"ab"
    with pytest.raises(errors.DecodeError, match=r"outside <2\.\.3>"):
        r.vec16("w", 2, 3)
    with pytest.raises(errors.DecodeError, match="trailing"):
        rd.Reader(b"x", "test").expect_end()
    with pytest.raises(errors.DecodeError):
        rd.Reader(b"x", "test").bytes_(-1)


# -- writers refuse what the wire cannot carry --------------------------------------------

HELLO = ClientHello(0x0303, bytes(32), b"", (0x2F,), (0,), None)


@pytest.mark.parametrize(
    "bad",
    [
        lambda: wr.encode_client_hello(ClientHello(0x0303, bytes(31), b"", (1,), (0,))),
        lambda: wr.encode_client_hello(ClientHello(0x0303, bytes(32), bytes(33), (1,), (0,))),
        lambda: wr.encode_client_hello(ClientHello(0x0303, bytes(32), b"", (), (0,))),
        lambda: wr.encode_client_hello(ClientHello(0x0303, bytes(32), b"", (1,), ())),
        lambda: wr.encode_client_hello(ClientHello(0x10000, bytes(32), b"", (1,), (0,))),
        lambda: wr.encode_extensions((ExtendedMasterSecret(), ExtendedMasterSecret())),
        lambda: wr.encode_extension(ServerName("bücher.de")),
        lambda: wr.encode_extension(ServerName("example.org.")),
        lambda: wr.encode_extension(ServerName("")),
        lambda: wr.encode_extension(ALPN((b"",))),
        lambda: wr.encode_extension(ALPN(())),
        lambda: wr.encode_extension(SupportedGroups(())),
        lambda: wr.encode_extension(SignatureAlgorithms(())),
        lambda: wr.encode_extension(ECPointFormats(())),
        lambda: wr.encode_certificate_request(CertificateRequest((), None, ())),
        lambda: wr.encode_certificate_request(CertificateRequest((1,), (), ())),
        lambda: wr.encode_certificate_request(CertificateRequest((1,), None, (b"",))),
        lambda: wr.encode_server_hello(ServerHello(0x0303, bytes(32), bytes(33), 1, 0)),
        lambda: wr.encode_dh_params(DHParams(b"", b"\x02", b"\x01")),
        lambda: wr.encode_ec_params(ECParams(23, b"")),
        lambda: wr.encode_extension(RenegotiationInfo(bytes(256))),
        lambda: wr.encode_certificate(Certificate((b"",))),
        lambda: wr.encode_ec_ckx(bytes(256)),
        lambda: wr.encode_dh_ckx(b""),
        lambda: wr.encode_alert(Alert(2, 256)),
    ],
)
def test_writers_refuse_misuse(bad: Callable[[], bytes]) -> None:
    with pytest.raises(ValueError):
        bad()


def test_rsa_ckx_refuses_ssl3() -> None:
    with pytest.raises(ValueError):
        rd.parse_rsa_ckx(b"\x00\x00", ProtocolVersion.SSL3)


# -- enumerations and errors --------------------------------------------------------------

# RFC 5246 §7.2, RFC 6066 §9, RFC 7301 §3.2, RFC 7507 §2, typed in from the RFC tables.
RFC_ALERTS = {
    "close_notify": 0, "unexpected_message": 10, "bad_record_mac": 20,
    "decryption_failed_RESERVED": 21, "record_overflow": 22, "decompression_failure": 30,
    "handshake_failure": 40, "no_certificate_RESERVED": 41, "bad_certificate": 42,
    "unsupported_certificate": 43, "certificate_revoked": 44, "certificate_expired": 45,
    "certificate_unknown": 46, "illegal_parameter": 47, "unknown_ca": 48,
    "access_denied": 49, "decode_error": 50, "decrypt_error": 51,
    "export_restriction_RESERVED": 60, "protocol_version": 70, "insufficient_security": 71,
    "internal_error": 80, "inappropriate_fallback": 86, "user_canceled": 90,
    "no_renegotiation": 100, "unsupported_extension": 110, "certificate_unobtainable": 111,
    "unrecognized_name": 112, "bad_certificate_status_response": 113,
    "bad_certificate_hash_value": 114, "no_application_protocol": 120,
}  # fmt: skip


def test_alert_descriptions_match_the_rfcs() -> None:
    assert {a.name: a.value for a in AlertDescription} == {
        k.upper(): v for k, v in RFC_ALERTS.items()
    }


def test_each_error_names_its_alert() -> None:
    classes = [getattr(errors, n) for n in errors.__all__]
    alerts = set()
    for cls in classes:
        assert issubclass(cls, errors.TLSError)
        assert cls.__doc__
        if cls in (errors.TLSError, errors.SSLv2ClientHello):
            continue
        name = cls.__name__.lower().removesuffix("error")
        assert cls.alert.name.replace("_", "").lower().removesuffix("error") == name
        alerts.add(cls.alert)
    assert len(alerts) == len(classes) - 2
    error = errors.BadRecordMac("mac")
    assert (str(error), repr(error)) == ("mac", "BadRecordMac('mac')")
