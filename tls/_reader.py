"""Readers: TLS records, handshake framing, handshake messages and hello extensions.

Sources: RFC 5246 §6.2.1 (record header), §7.1, §7.2, §7.4 and appendix E.2 (SSL 2.0
CLIENT-HELLO); RFC 4346 / RFC 2246 §7.4.4, §7.4.8 (forms without signature algorithms);
RFC 6066 §3; RFC 8422 §5.1, §5.4, §5.7; RFC 7301 §3.1; RFC 7627 §5.1; RFC 5746 §3.2.

Every reader is total: any input gives a value or a :class:`tls.errors.TLSError`
(nearly always :class:`~tls.errors.DecodeError`); ``IndexError``, ``ValueError`` and
``struct.error`` never escape. All reads go through :class:`Reader`. Trailing bytes are an
error (RFC 5246 §7.4.1.2: an implementation "MUST check that the amount of data in the
message precisely matches one of these formats; if not, then it MUST send a fatal
"decode_error" alert"). The framing functions (:func:`parse_record_header`,
:func:`split_handshake`) tell "need more bytes" apart from errors, and report an error as
soon as the bytes seen so far prove it.
"""

from __future__ import annotations

from typing import Final, NoReturn

from tls import errors
from tls._messages import (
    ALPN,
    RANDOM_LENGTH,
    Alert,
    Certificate,
    CertificateRequest,
    CertificateVerify,
    ChangeCipherSpec,
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
)
from tls._wire import (
    MAX_CIPHERTEXT,
    ContentType,
    ECCurveType,
    ExtensionType,
    HandshakeType,
    NameType,
    ProtocolVersion,
)

__all__ = [
    "MAX_CERTIFICATE_LENGTH",
    "MAX_HANDSHAKE_LENGTH",
    "VERIFY_DATA_LENGTH",
    "Reader",
    "parse_alert",
    "parse_certificate",
    "parse_certificate_request",
    "parse_certificate_verify",
    "parse_change_cipher_spec",
    "parse_client_hello",
    "parse_client_key_exchange",
    "parse_dh_ckx",
    "parse_dh_params",
    "parse_digitally_signed",
    "parse_ec_ckx",
    "parse_ec_params",
    "parse_extensions",
    "parse_finished",
    "parse_handshake",
    "parse_hello_request",
    "parse_record_header",
    "parse_rsa_ckx",
    "parse_server_hello",
    "parse_server_hello_done",
    "parse_server_key_exchange",
    "split_handshake",
]

#: The largest handshake message body accepted, except Certificate and
#: CertificateRequest. It is above the largest ClientHello the grammar allows
#: (2+32+1+32+2+65534+1+255+2+65535 = 131396 bytes, RFC 5246 §7.4.1.2).
MAX_HANDSHAKE_LENGTH: Final = 2**17 + 2**9
#: The largest Certificate or CertificateRequest body accepted (the grammar allows
#: 2^24-1; OpenSSL's default limit is 100 KiB).
MAX_CERTIFICATE_LENGTH: Final = 2**18
#: RFC 5246 §7.4.9: "verify_data_length ... is 12" for every cipher suite this library
#: has (no suite specifies another length); RFC 2246/4346 fix it at 12.
VERIFY_DATA_LENGTH: Final = 12
#: The SSL 2.0-format record (RFC 5246 appendix E.2) has the high bit of its first byte set.
_SSL2_BIT: Final = 0x80


class Reader:
    """A cursor over bytes; every failed read raises :class:`tls.errors.DecodeError`
    naming *what* is being read and the field."""

    __slots__ = ("_data", "_pos", "_what")

    def __init__(self, data: bytes | memoryview, what: str) -> None:
        self._data = bytes(data)
        self._pos = 0
        self._what = what

    def fail(self, why: str) -> NoReturn:
        """Raise the DecodeError for *why* in what this reader reads."""
        raise errors.DecodeError(f"{self._what}: {why}")

    @property
    def remaining(self) -> int:
        """How many bytes are left."""
        return len(self._data) - self._pos

    def bytes_(self, n: int, field: str = "field") -> bytes:
        """The next *n* bytes."""
        end = self._pos + n
        if n < 0 or end > len(self._data):
            self.fail(f"{field} truncated ({n} bytes wanted, {self.remaining} left)")
        out = self._data[self._pos : end]
        self._pos = end
        return out

    def rest(self) -> bytes:
        """All remaining bytes."""
        return self.bytes_(self.remaining)

    def _uint(self, size: int, field: str) -> int:
        return int.from_bytes(self.bytes_(size, field), "big")

    def u8(self, field: str = "u8") -> int:
        """An unsigned 8-bit integer."""
        return self._uint(1, field)

    def u16(self, field: str = "u16") -> int:
        """An unsigned 16-bit big-endian integer."""
        return self._uint(2, field)

    def u24(self, field: str = "u24") -> int:
        """An unsigned 24-bit big-endian integer."""
        return self._uint(3, field)

    def u32(self, field: str = "u32") -> int:
        """An unsigned 32-bit big-endian integer."""
        return self._uint(4, field)

    def _vec(self, size: int, field: str, minimum: int, maximum: int) -> bytes:
        # RFC 5246 §4.3: a variable-length vector is preceded by its length in bytes, in as
        # many bytes as the ceiling requires; "<floor..ceiling>" bounds that length.
        n = self._uint(size, field + " length")
        if not minimum <= n <= maximum:
            self.fail(f"{field} length {n} outside <{minimum}..{maximum}>")
        return self.bytes_(n, field)

    def vec8(self, field: str = "vector", minimum: int = 0, maximum: int = 2**8 - 1) -> bytes:
        """An ``opaque field<minimum..maximum>`` with a 1-byte length."""
        return self._vec(1, field, minimum, maximum)

    def vec16(self, field: str = "vector", minimum: int = 0, maximum: int = 2**16 - 1) -> bytes:
        """An ``opaque field<minimum..maximum>`` with a 2-byte length."""
        return self._vec(2, field, minimum, maximum)

    def vec24(self, field: str = "vector", minimum: int = 0, maximum: int = 2**24 - 1) -> bytes:
        """An ``opaque field<minimum..maximum>`` with a 3-byte length."""
        return self._vec(3, field, minimum, maximum)

    def sub(self, data: bytes, field: str) -> Reader:
        """A reader over *data* (a vector just read), named after *field*."""
        return Reader(data, f"{self._what}.{field}")

    def u8_list(self, field: str, minimum: int, maximum: int = 2**8 - 1) -> tuple[int, ...]:
        """A ``uint8 field<minimum..maximum>`` vector."""
        return tuple(self.vec8(field, minimum, maximum))

    def u16_list(self, field: str, minimum: int, maximum: int = 2**16 - 2) -> tuple[int, ...]:
        """A vector of u16 values ``<minimum..maximum>`` (in bytes, so an even length)."""
        data = self.vec16(field, minimum, maximum)
        if len(data) % 2:
            self.fail(f"{field} has an odd length {len(data)}")
        return tuple(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2))

    def expect_end(self) -> None:
        """Fail unless every byte has been read."""
        if self.remaining:
            self.fail(f"{self.remaining} trailing bytes")


# -- records --------------------------------------------------------------------------------


def parse_record_header(buf: bytes | memoryview) -> RecordHeader | None:
    """The record header at the start of *buf*, or None when more bytes are needed.

    Raises :class:`~tls.errors.SSLv2ClientHello` for an SSL 2.0-format record (RFC 5246
    E.2), :class:`~tls.errors.UnexpectedMessage` for an unknown content type (RFC 5246 §6:
    "If a TLS implementation receives an unexpected record type, it MUST send an
    unexpected_message alert"), :class:`~tls.errors.ProtocolVersionError` for a major
    version other than 3, :class:`~tls.errors.RecordOverflow` for a length above
    2^14+2048 (RFC 5246 §6.2.3). Errors are reported as soon as the bytes show them.
    """
    if len(buf) == 0:
        return None
    first = buf[0]
    if first & _SSL2_BIT:
        raise errors.SSLv2ClientHello("SSL 2.0-format record (RFC 5246 E.2) is not supported")
    try:
        content_type = ContentType(first)
    except ValueError:
        raise errors.UnexpectedMessage(f"unknown record content type {first}") from None
    if len(buf) >= 2 and buf[1] != 3:
        # RFC 5246 E.1: every SSL 3.0/TLS version has major 3; a record layer version is
        # otherwise only checked against the negotiated one (by the engine).
        raise errors.ProtocolVersionError(f"record version major {buf[1]} is not 3")
    if len(buf) < 5:
        return None
    length = buf[3] << 8 | buf[4]
    if length > MAX_CIPHERTEXT:
        raise errors.RecordOverflow(f"record length {length} > 2^14+2048")
    return RecordHeader(content_type, buf[1] << 8 | buf[2], length)


def parse_change_cipher_spec(fragment: bytes | memoryview) -> ChangeCipherSpec:
    """A ChangeCipherSpec record fragment: exactly the byte 1 (RFC 5246 §7.1)."""
    if bytes(fragment) != b"\x01":
        raise errors.DecodeError("ChangeCipherSpec must be the single byte 1 (RFC 5246 §7.1)")
    return ChangeCipherSpec()


def parse_alert(fragment: bytes | memoryview) -> Alert:
    """One alert: exactly two bytes, level and description (RFC 5246 §7.2)."""
    r = Reader(fragment, "Alert")
    alert = Alert(r.u8("level"), r.u8("description"))
    r.expect_end()
    return alert


# -- handshake framing ----------------------------------------------------------------------


def _max_length(msg_type: HandshakeType) -> int:
    if msg_type in (HandshakeType.CERTIFICATE, HandshakeType.CERTIFICATE_REQUEST):
        return MAX_CERTIFICATE_LENGTH
    return MAX_HANDSHAKE_LENGTH


def _handshake_type(value: int) -> HandshakeType:
    try:
        return HandshakeType(value)
    except ValueError:
        # OpenSSL and RFC 5246 §7.4 ("An unexpected message") agree on the alert.
        raise errors.UnexpectedMessage(f"unknown handshake message type {value}") from None


def split_handshake(
    buf: bytes | memoryview,
) -> tuple[list[tuple[HandshakeType, bytes]], bytes]:
    """Cut the complete handshake messages off the front of *buf* (the concatenated
    fragments of handshake records; RFC 5246 §6.2.1 lets a message span records and a
    record hold several messages). Returns the messages, each with its 4-byte header,
    and the incomplete rest.

    Raises :class:`~tls.errors.UnexpectedMessage` for an unknown message type and
    :class:`~tls.errors.DecodeError` for a length above :data:`MAX_HANDSHAKE_LENGTH`
    (:data:`MAX_CERTIFICATE_LENGTH` for Certificate/CertificateRequest), as soon as the
    type byte / the header is there.
    """
    data = bytes(buf)
    messages: list[tuple[HandshakeType, bytes]] = []
    pos = 0
    while pos < len(data):
        msg_type = _handshake_type(data[pos])
        if len(data) - pos < 4:
            break
        length = int.from_bytes(data[pos + 1 : pos + 4], "big")
        if length > _max_length(msg_type):
            raise errors.DecodeError(
                f"{msg_type.name} of {length} bytes exceeds the limit {_max_length(msg_type)}"
            )
        end = pos + 4 + length
        if end > len(data):
            break
        messages.append((msg_type, data[pos:end]))
        pos = end
    return messages, data[pos:]


def _body(message: bytes, expected: HandshakeType) -> Reader:
    """A reader over the body of one whole handshake *message* of type *expected*."""
    r = Reader(message, expected.name)
    msg_type = r.u8("msg_type")
    if msg_type != expected:
        r.fail(f"message type {msg_type} is not {expected.name}")
    body = r.vec24("body", 0, _max_length(expected))
    r.expect_end()
    return r.sub(body, "body")


# -- hello extensions -----------------------------------------------------------------------


def _host_name(r: Reader, data: bytes) -> str:
    # RFC 6066 §3: "The hostname is represented as a byte string using ASCII encoding
    # without a trailing dot." Control characters, space and DEL are refused too.
    if any(not 0x21 <= b <= 0x7E for b in data) or data.endswith(b"."):
        r.fail("host_name is not an ASCII host name without a trailing dot")
    return data.decode("ascii")


def _server_name(r: Reader, origin: HandshakeType) -> ServerName:
    if origin == HandshakeType.SERVER_HELLO:
        # RFC 6066 §3: in the server's answer "the "extension_data" field of this extension
        # SHALL be empty".
        r.expect_end()
        return ServerName(None)
    names = r.sub(r.vec16("server_name_list", 1), "server_name_list")
    host: str | None = None
    while names.remaining:
        name_type = names.u8("name_type")
        # RFC 6066 §3: "all future data structures associated with new NameTypes MUST begin
        # with a 16-bit length field", so an unknown type is skipped by its length.
        name = names.vec16("name", 1)
        if name_type == NameType.HOST_NAME:
            if host is not None:
                # "The ServerNameList MUST NOT contain more than one name of the same
                # name_type."
                names.fail("two host_name entries")
            host = _host_name(names, name)
    return ServerName(host)


def _alpn(r: Reader) -> ALPN:
    names = r.sub(r.vec16("protocol_name_list", 2), "protocol_name_list")
    protocols: list[bytes] = []
    while names.remaining:
        # RFC 7301 §3.1: "opaque ProtocolName<1..2^8-1>"; "Empty strings MUST NOT be
        # included".
        protocols.append(names.vec8("ProtocolName", 1))
    return ALPN(tuple(protocols))


def _extension(ext_type: int, data: bytes, origin: HandshakeType) -> Extension:
    r = Reader(data, f"extension {ext_type}")
    value: Extension
    match ext_type:
        case ExtensionType.SERVER_NAME:
            value = _server_name(r, origin)
        case ExtensionType.SUPPORTED_GROUPS:
            value = SupportedGroups(r.u16_list("named_group_list", 2, 2**16 - 1))
        case ExtensionType.EC_POINT_FORMATS:
            value = ECPointFormats(r.u8_list("ec_point_format_list", 1))
        case ExtensionType.SIGNATURE_ALGORITHMS:
            value = SignatureAlgorithms(r.u16_list("supported_signature_algorithms", 2))
        case ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION:
            value = _alpn(r)
        case ExtensionType.EXTENDED_MASTER_SECRET:
            value = ExtendedMasterSecret()
        case ExtensionType.RENEGOTIATION_INFO:
            value = RenegotiationInfo(r.vec8("renegotiated_connection"))
        case _:
            value = UnknownExtension(ext_type, r.rest())
    r.expect_end()
    return value


def parse_extensions(data: bytes, origin: HandshakeType) -> tuple[Extension, ...]:
    """The contents of an ``Extension extensions<0..2^16-1>`` block (without its length)
    of a ClientHello or ServerHello (*origin*): known types typed, others kept raw.

    RFC 5246 §7.4.1.4: "There MUST NOT be more than one extension of the same type." A
    repeat raises :class:`~tls.errors.IllegalParameter` (the alert OpenSSL sends; RFC 5246
    names none).
    """
    r = Reader(data, "extensions")
    seen: set[int] = set()
    out: list[Extension] = []
    while r.remaining:
        ext_type = r.u16("extension_type")
        ext_data = r.vec16("extension_data")
        if ext_type in seen:
            raise errors.IllegalParameter(f"extension {ext_type} appears twice")
        seen.add(ext_type)
        out.append(_extension(ext_type, ext_data, origin))
    return tuple(out)


def _optional_extensions(r: Reader, origin: HandshakeType) -> tuple[Extension, ...] | None:
    # RFC 5246 §7.4.1.2: "the presence of extensions can be detected by determining
    # whether there are bytes following the compression_methods".
    if r.remaining == 0:
        return None
    extensions = parse_extensions(r.vec16("extensions"), origin)
    r.expect_end()
    return extensions


# -- handshake messages ---------------------------------------------------------------------


def parse_hello_request(message: bytes) -> HelloRequest:
    """HelloRequest (RFC 5246 §7.4.1.1), an empty body."""
    _body(message, HandshakeType.HELLO_REQUEST).expect_end()
    return HelloRequest()


def parse_client_hello(message: bytes) -> ClientHello:
    """ClientHello (RFC 5246 §7.4.1.2), with or without extensions."""
    r = _body(message, HandshakeType.CLIENT_HELLO)
    version = r.u16("client_version")
    random = r.bytes_(RANDOM_LENGTH, "random")
    session_id = r.vec8("session_id", 0, 32)
    suites = r.u16_list("cipher_suites", 2)
    compression = r.u8_list("compression_methods", 1)
    extensions = _optional_extensions(r, HandshakeType.CLIENT_HELLO)
    return ClientHello(version, random, session_id, suites, compression, extensions)


def parse_server_hello(message: bytes) -> ServerHello:
    """ServerHello (RFC 5246 §7.4.1.3), with or without extensions."""
    r = _body(message, HandshakeType.SERVER_HELLO)
    version = r.u16("server_version")
    random = r.bytes_(RANDOM_LENGTH, "random")
    session_id = r.vec8("session_id", 0, 32)
    suite = r.u16("cipher_suite")
    compression = r.u8("compression_method")
    extensions = _optional_extensions(r, HandshakeType.SERVER_HELLO)
    return ServerHello(version, random, session_id, suite, compression, extensions)


def parse_certificate(message: bytes) -> Certificate:
    """Certificate (RFC 5246 §7.4.2): ``opaque ASN.1Cert<1..2^24-1>`` entries in a
    ``certificate_list<0..2^24-1>``."""
    r = _body(message, HandshakeType.CERTIFICATE)
    entries = r.sub(r.vec24("certificate_list"), "certificate_list")
    r.expect_end()
    chain: list[bytes] = []
    while entries.remaining:
        chain.append(entries.vec24("ASN.1Cert", 1))
    return Certificate(tuple(chain))


def parse_server_key_exchange(message: bytes) -> ServerKeyExchange:
    """ServerKeyExchange (RFC 5246 §7.4.3), body kept raw."""
    return ServerKeyExchange(_body(message, HandshakeType.SERVER_KEY_EXCHANGE).rest())


def parse_dh_params(body: bytes) -> tuple[DHParams, bytes]:
    """``ServerDHParams`` (RFC 5246 §7.4.3) at the start of a ServerKeyExchange body, and
    the bytes after it (the signature)."""
    r = Reader(body, "ServerDHParams")
    params = DHParams(
        r.vec16("dh_p", 1),
        r.vec16("dh_g", 1),
        r.vec16("dh_Ys", 1),
    )
    return params, r.rest()


def parse_ec_params(body: bytes) -> tuple[ECParams, bytes]:
    """``ServerECDHParams`` (RFC 8422 §5.4) at the start of a ServerKeyExchange body, and
    the bytes after it. Only ``named_curve`` is accepted: the explicit curve types "are
    deprecated" (RFC 8422 §5.4) and never offered, so they are an
    :class:`~tls.errors.IllegalParameter`."""
    r = Reader(body, "ServerECDHParams")
    curve_type = r.u8("curve_type")
    if curve_type != ECCurveType.NAMED_CURVE:
        raise errors.IllegalParameter(f"ECCurveType {curve_type} is not named_curve")
    params = ECParams(r.u16("namedcurve"), r.vec8("point", 1))
    return params, r.rest()


def parse_digitally_signed(data: bytes, version: int) -> tuple[int | None, bytes]:
    """A ``digitally-signed`` struct filling all of *data*: (scheme, signature). From TLS
    1.2 it starts with a ``SignatureAndHashAlgorithm`` (RFC 5246 §4.7); before, the scheme
    is None (RFC 4346 §4.7). ``opaque signature<0..2^16-1>``."""
    r = Reader(data, "digitally-signed")
    scheme = r.u16("algorithm") if version >= ProtocolVersion.TLS12 else None
    signature = r.vec16("signature")
    r.expect_end()
    return scheme, signature


def parse_certificate_request(message: bytes, version: int) -> CertificateRequest:
    """CertificateRequest: the TLS 1.2 form (RFC 5246 §7.4.4) with
    ``supported_signature_algorithms<2..2^16-2>``, or the TLS 1.0/1.1 form without."""
    r = _body(message, HandshakeType.CERTIFICATE_REQUEST)
    types = r.u8_list("certificate_types", 1)
    schemes = None
    if version >= ProtocolVersion.TLS12:
        schemes = r.u16_list("supported_signature_algorithms", 2)
    names = r.sub(r.vec16("certificate_authorities"), "certificate_authorities")
    r.expect_end()
    authorities: list[bytes] = []
    while names.remaining:
        authorities.append(names.vec16("DistinguishedName", 1))
    return CertificateRequest(types, schemes, tuple(authorities))


def parse_server_hello_done(message: bytes) -> ServerHelloDone:
    """ServerHelloDone (RFC 5246 §7.4.5), an empty body."""
    _body(message, HandshakeType.SERVER_HELLO_DONE).expect_end()
    return ServerHelloDone()


def parse_certificate_verify(message: bytes, version: int) -> CertificateVerify:
    """CertificateVerify (RFC 5246 §7.4.8): one ``digitally-signed`` struct."""
    scheme, signature = parse_digitally_signed(
        _body(message, HandshakeType.CERTIFICATE_VERIFY).rest(), version
    )
    return CertificateVerify(scheme, signature)


def parse_client_key_exchange(message: bytes) -> ClientKeyExchange:
    """ClientKeyExchange (RFC 5246 §7.4.7), body kept raw."""
    return ClientKeyExchange(_body(message, HandshakeType.CLIENT_KEY_EXCHANGE).rest())


def parse_rsa_ckx(body: bytes, version: int) -> bytes:
    """The RSA-encrypted premaster secret of a ClientKeyExchange body. Every TLS version
    sends it as ``opaque<0..2^16-1>`` with its 2-byte length (RFC 2246 §7.4.7.1, RFC 5246
    §7.4.7.1; only SSL 3.0 omitted it, and SSL 3.0 is not spoken here)."""
    if version < ProtocolVersion.TLS10:
        raise ValueError("parse_rsa_ckx: TLS 1.0 or later only")
    r = Reader(body, "EncryptedPreMasterSecret")
    encrypted = r.vec16("encrypted_pre_master_secret")
    r.expect_end()
    return encrypted


def parse_dh_ckx(body: bytes) -> bytes:
    """The client's explicit DH public value ``dh_Yc<1..2^16-1>`` (RFC 5246 §7.4.7.2;
    the implicit form needs fixed-DH client certificates, which are not supported)."""
    r = Reader(body, "ClientDiffieHellmanPublic")
    yc = r.vec16("dh_Yc", 1)
    r.expect_end()
    return yc


def parse_ec_ckx(body: bytes) -> bytes:
    """The client's ECDH public point ``ecdh_Yc`` as ``opaque point<1..2^8-1>``
    (RFC 8422 §5.7; the implicit form is not supported)."""
    r = Reader(body, "ClientECDiffieHellmanPublic")
    point = r.vec8("ecdh_Yc", 1)
    r.expect_end()
    return point


def parse_finished(message: bytes) -> Finished:
    """Finished (RFC 5246 §7.4.9): ``verify_data`` of :data:`VERIFY_DATA_LENGTH` bytes."""
    r = _body(message, HandshakeType.FINISHED)
    verify_data = r.bytes_(VERIFY_DATA_LENGTH, "verify_data")
    r.expect_end()
    return Finished(verify_data)


def parse_handshake(message: bytes, version: int) -> HandshakeMessage:
    """Any one whole handshake message (header included) as a value; *version* is the
    negotiated (or, before that, the highest offered) version, which selects the
    CertificateRequest and CertificateVerify forms. Handshake types that TLS 1.0-1.2
    without tickets or OCSP never sends are :class:`~tls.errors.UnexpectedMessage`."""
    if not message:
        raise errors.DecodeError("empty handshake message")
    match _handshake_type(message[0]):
        case HandshakeType.HELLO_REQUEST:
            return parse_hello_request(message)
        case HandshakeType.CLIENT_HELLO:
            return parse_client_hello(message)
        case HandshakeType.SERVER_HELLO:
            return parse_server_hello(message)
        case HandshakeType.CERTIFICATE:
            return parse_certificate(message)
        case HandshakeType.SERVER_KEY_EXCHANGE:
            return parse_server_key_exchange(message)
        case HandshakeType.CERTIFICATE_REQUEST:
            return parse_certificate_request(message, version)
        case HandshakeType.SERVER_HELLO_DONE:
            return parse_server_hello_done(message)
        case HandshakeType.CERTIFICATE_VERIFY:
            return parse_certificate_verify(message, version)
        case HandshakeType.CLIENT_KEY_EXCHANGE:
            return parse_client_key_exchange(message)
        case HandshakeType.FINISHED:
            return parse_finished(message)
        case other:
            raise errors.UnexpectedMessage(f"{other.name} is not part of this protocol")
