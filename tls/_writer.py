"""Writers: TLS records, handshake messages and hello extensions as bytes.

The mirror of ``tls._reader`` (same RFC sections: RFC 5246 §6.2.1, §7.1, §7.2, §7.4;
RFC 4346 / RFC 2246 for the forms without signature algorithms; RFC 6066 §3; RFC 8422
§5.1, §5.4, §5.7; RFC 7301 §3.1; RFC 7627 §5.1; RFC 5746 §3.2): for every value ``v`` the
reader accepts, ``parse_x(encode_x(v)) == v``. The ``encode_<message>`` functions return the
whole handshake message, 4-byte header included.

The values come from this library, not from the peer, so a value the wire format cannot
carry (a vector longer than its ceiling, a 33-byte session id) is misuse and raises
``ValueError``.
"""

from __future__ import annotations

from tls._messages import (
    ALPN,
    RANDOM_LENGTH,
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
    RenegotiationInfo,
    ServerHello,
    ServerHelloDone,
    ServerKeyExchange,
    ServerName,
    SignatureAlgorithms,
    SupportedGroups,
    UnknownExtension,
    extension_type,
)
from tls._wire import MAX_CIPHERTEXT, ECCurveType, HandshakeType, NameType

__all__ = [
    "encode_alert",
    "encode_ccs",
    "encode_certificate",
    "encode_certificate_request",
    "encode_certificate_verify",
    "encode_change_cipher_spec",
    "encode_client_hello",
    "encode_client_key_exchange",
    "encode_dh_ckx",
    "encode_dh_params",
    "encode_digitally_signed",
    "encode_ec_ckx",
    "encode_ec_params",
    "encode_extension",
    "encode_extensions",
    "encode_finished",
    "encode_handshake",
    "encode_hello_request",
    "encode_record",
    "encode_rsa_ckx",
    "encode_server_hello",
    "encode_server_hello_done",
    "encode_server_key_exchange",
]


def _uint(value: int, size: int, field: str) -> bytes:
    if not 0 <= value < 1 << (8 * size):
        raise ValueError(f"{field} {value} does not fit in {size} bytes")
    return value.to_bytes(size, "big")


def _vec(size: int, data: bytes, field: str, minimum: int = 0, maximum: int | None = None) -> bytes:
    """``opaque field<minimum..maximum>`` with a *size*-byte length (RFC 5246 §4.3)."""
    ceiling = (1 << (8 * size)) - 1 if maximum is None else maximum
    if not minimum <= len(data) <= ceiling:
        raise ValueError(f"{field}: {len(data)} bytes outside <{minimum}..{ceiling}>")
    return len(data).to_bytes(size, "big") + data


def _u16s(values: tuple[int, ...], field: str) -> bytes:
    return b"".join(_uint(v, 2, field) for v in values)


def _u8s(values: tuple[int, ...], field: str) -> bytes:
    return b"".join(_uint(v, 1, field) for v in values)


# -- records --------------------------------------------------------------------------------


def encode_record(content_type: int, version: int, fragment: bytes) -> bytes:
    """A record: the 5-byte header (RFC 5246 §6.2.1) and *fragment* (at most 2^14+2048
    bytes, the TLSCiphertext limit of §6.2.3; the caller enforces the tighter plaintext
    limits)."""
    if len(fragment) > MAX_CIPHERTEXT:
        raise ValueError(f"record fragment of {len(fragment)} bytes > 2^14+2048")
    return (
        _uint(content_type, 1, "content type")
        + _uint(version, 2, "version")
        + len(fragment).to_bytes(2, "big")
        + fragment
    )


def encode_change_cipher_spec() -> bytes:
    """The ChangeCipherSpec fragment, the single byte 1 (RFC 5246 §7.1)."""
    return b"\x01"


#: Short name for :func:`encode_change_cipher_spec`.
encode_ccs = encode_change_cipher_spec


def encode_alert(alert: Alert) -> bytes:
    """An alert fragment: level, description (RFC 5246 §7.2)."""
    return _uint(alert.level, 1, "alert level") + _uint(alert.description, 1, "alert")


# -- hello extensions -----------------------------------------------------------------------


def _host_name(name: str) -> bytes:
    try:
        data = name.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError(f"server name {name!r} is not ASCII (use its A-label)") from None
    # RFC 6066 §3: ASCII "without a trailing dot"; the reader refuses the same set.
    if any(not 0x21 <= b <= 0x7E for b in data) or data.endswith(b"."):
        raise ValueError(f"server name {name!r} is not a host name without a trailing dot")
    return data


def _extension_data(extension: Extension) -> bytes:
    match extension:
        case ServerName(host_name=host):
            if host is None:
                # RFC 6066 §3: the server's acknowledgement is empty.
                return b""
            entry = _uint(NameType.HOST_NAME, 1, "name_type") + _vec(
                2, _host_name(host), "HostName", 1
            )
            return _vec(2, entry, "server_name_list", 1)
        case SupportedGroups(groups=groups):
            return _vec(2, _u16s(groups, "group"), "named_group_list", 2)
        case ECPointFormats(formats=formats):
            return _vec(1, _u8s(formats, "point format"), "ec_point_format_list", 1)
        case SignatureAlgorithms(schemes=schemes):
            return _vec(2, _u16s(schemes, "scheme"), "supported_signature_algorithms", 2, 2**16 - 2)
        case ALPN(protocols=protocols):
            names = b"".join(_vec(1, p, "ProtocolName", 1) for p in protocols)
            return _vec(2, names, "protocol_name_list", 2)
        case ExtendedMasterSecret():
            return b""
        case RenegotiationInfo(data=data):
            return _vec(1, data, "renegotiated_connection")
        case UnknownExtension(data=data):
            return data


def encode_extension(extension: Extension) -> bytes:
    """One ``Extension``: type (u16) and ``extension_data<0..2^16-1>`` (RFC 5246 §7.4.1.4)."""
    return _uint(extension_type(extension), 2, "extension type") + _vec(
        2, _extension_data(extension), "extension_data"
    )


def encode_extensions(extensions: tuple[Extension, ...]) -> bytes:
    """The contents of an extensions block, without its 2-byte length (the mirror of
    ``parse_extensions``). A repeated type is refused as the reader refuses it."""
    types = [extension_type(e) for e in extensions]
    if len(set(types)) != len(types):
        raise ValueError("an extension type appears twice (RFC 5246 §7.4.1.4)")
    return b"".join(encode_extension(e) for e in extensions)


def _optional_extensions(extensions: tuple[Extension, ...] | None) -> bytes:
    if extensions is None:
        return b""
    return _vec(2, encode_extensions(extensions), "extensions")


# -- handshake messages ---------------------------------------------------------------------


def _handshake(msg_type: HandshakeType, body: bytes) -> bytes:
    """The handshake header (RFC 5246 §7.4: type u8, length u24) and *body*."""
    return _uint(msg_type, 1, "msg_type") + _vec(3, body, msg_type.name)


def _random(random: bytes) -> bytes:
    if len(random) != RANDOM_LENGTH:
        raise ValueError(f"random must be {RANDOM_LENGTH} bytes, not {len(random)}")
    return random


def encode_hello_request(msg: HelloRequest) -> bytes:
    """HelloRequest (RFC 5246 §7.4.1.1)."""
    return _handshake(HandshakeType.HELLO_REQUEST, b"")


def encode_client_hello(msg: ClientHello) -> bytes:
    """ClientHello (RFC 5246 §7.4.1.2); no extensions block when ``extensions`` is None."""
    body = (
        _uint(msg.client_version, 2, "client_version")
        + _random(msg.random)
        + _vec(1, msg.session_id, "session_id", 0, 32)
        + _vec(2, _u16s(msg.cipher_suites, "cipher suite"), "cipher_suites", 2, 2**16 - 2)
        + _vec(1, _u8s(msg.compression_methods, "compression"), "compression_methods", 1)
        + _optional_extensions(msg.extensions)
    )
    return _handshake(HandshakeType.CLIENT_HELLO, body)


def encode_server_hello(msg: ServerHello) -> bytes:
    """ServerHello (RFC 5246 §7.4.1.3); no extensions block when ``extensions`` is None."""
    body = (
        _uint(msg.server_version, 2, "server_version")
        + _random(msg.random)
        + _vec(1, msg.session_id, "session_id", 0, 32)
        + _uint(msg.cipher_suite, 2, "cipher_suite")
        + _uint(msg.compression_method, 1, "compression_method")
        + _optional_extensions(msg.extensions)
    )
    return _handshake(HandshakeType.SERVER_HELLO, body)


def encode_certificate(msg: Certificate) -> bytes:
    """Certificate (RFC 5246 §7.4.2)."""
    entries = b"".join(_vec(3, der, "ASN.1Cert", 1) for der in msg.chain)
    return _handshake(HandshakeType.CERTIFICATE, _vec(3, entries, "certificate_list"))


def encode_server_key_exchange(msg: ServerKeyExchange) -> bytes:
    """ServerKeyExchange (RFC 5246 §7.4.3) around its prepared body."""
    return _handshake(HandshakeType.SERVER_KEY_EXCHANGE, msg.body)


def encode_dh_params(params: DHParams) -> bytes:
    """``ServerDHParams`` (RFC 5246 §7.4.3): the bytes that are signed, with the randoms."""
    return (
        _vec(2, params.p, "dh_p", 1) + _vec(2, params.g, "dh_g", 1) + _vec(2, params.ys, "dh_Ys", 1)
    )


def encode_ec_params(params: ECParams) -> bytes:
    """``ServerECDHParams`` with a named curve (RFC 8422 §5.4)."""
    return (
        _uint(ECCurveType.NAMED_CURVE, 1, "curve_type")
        + _uint(params.group, 2, "namedcurve")
        + _vec(1, params.point, "point", 1)
    )


def encode_digitally_signed(scheme: int | None, signature: bytes) -> bytes:
    """A ``digitally-signed`` struct: the scheme (TLS 1.2, RFC 5246 §4.7; None before,
    RFC 4346 §4.7) and ``opaque signature<0..2^16-1>``."""
    head = b"" if scheme is None else _uint(scheme, 2, "signature scheme")
    return head + _vec(2, signature, "signature")


def encode_certificate_request(msg: CertificateRequest) -> bytes:
    """CertificateRequest, in the TLS 1.2 form (RFC 5246 §7.4.4) when
    ``signature_algorithms`` is set, in the TLS 1.0/1.1 form when it is None."""
    schemes = b""
    if msg.signature_algorithms is not None:
        schemes = _vec(
            2,
            _u16s(msg.signature_algorithms, "scheme"),
            "supported_signature_algorithms",
            2,
            2**16 - 2,
        )
    names = b"".join(_vec(2, dn, "DistinguishedName", 1) for dn in msg.certificate_authorities)
    body = (
        _vec(1, _u8s(msg.certificate_types, "certificate type"), "certificate_types", 1)
        + schemes
        + _vec(2, names, "certificate_authorities")
    )
    return _handshake(HandshakeType.CERTIFICATE_REQUEST, body)


def encode_server_hello_done(msg: ServerHelloDone) -> bytes:
    """ServerHelloDone (RFC 5246 §7.4.5)."""
    return _handshake(HandshakeType.SERVER_HELLO_DONE, b"")


def encode_certificate_verify(msg: CertificateVerify) -> bytes:
    """CertificateVerify (RFC 5246 §7.4.8)."""
    return _handshake(
        HandshakeType.CERTIFICATE_VERIFY, encode_digitally_signed(msg.scheme, msg.signature)
    )


def encode_client_key_exchange(msg: ClientKeyExchange) -> bytes:
    """ClientKeyExchange (RFC 5246 §7.4.7) around its prepared body."""
    return _handshake(HandshakeType.CLIENT_KEY_EXCHANGE, msg.body)


def encode_rsa_ckx(encrypted: bytes) -> bytes:
    """The body for an RSA key exchange: the encrypted premaster with its 2-byte length
    (RFC 5246 §7.4.7.1, as in every TLS version)."""
    return _vec(2, encrypted, "EncryptedPreMasterSecret")


def encode_dh_ckx(yc: bytes) -> bytes:
    """The body for a DHE key exchange: explicit ``dh_Yc<1..2^16-1>`` (RFC 5246 §7.4.7.2)."""
    return _vec(2, yc, "dh_Yc", 1)


def encode_ec_ckx(point: bytes) -> bytes:
    """The body for an ECDHE key exchange: ``ecdh_Yc`` as ``point<1..2^8-1>``
    (RFC 8422 §5.7)."""
    return _vec(1, point, "ecdh_Yc", 1)


def encode_finished(msg: Finished) -> bytes:
    """Finished (RFC 5246 §7.4.9)."""
    return _handshake(HandshakeType.FINISHED, msg.verify_data)


def encode_handshake(msg: HandshakeMessage) -> bytes:
    """Any handshake message, header included."""
    match msg:
        case HelloRequest():
            return encode_hello_request(msg)
        case ClientHello():
            return encode_client_hello(msg)
        case ServerHello():
            return encode_server_hello(msg)
        case Certificate():
            return encode_certificate(msg)
        case ServerKeyExchange():
            return encode_server_key_exchange(msg)
        case CertificateRequest():
            return encode_certificate_request(msg)
        case ServerHelloDone():
            return encode_server_hello_done(msg)
        case CertificateVerify():
            return encode_certificate_verify(msg)
        case ClientKeyExchange():
            return encode_client_key_exchange(msg)
        case Finished():
            return encode_finished(msg)
