"""TLS 1.0-1.2 handshake messages, hello extensions and record-level values as data.

Sources: RFC 5246 §7.1 (ChangeCipherSpec), §7.2 (Alert), §7.4 (handshake messages) and
§6.2.1 (record header); RFC 4346 and RFC 2246 for the earlier forms (no signature
algorithm fields); RFC 6066 §3 (server_name), RFC 8422 §5.1 / §5.4 (supported_groups,
ec_point_formats, ServerECDHParams), RFC 7301 §3.1 (ALPN), RFC 7627 §5.1
(extended_master_secret), RFC 5746 §3.2 (renegotiation_info).

Each value is a frozen dataclass with slots; ``tls._reader`` makes them from bytes and
``tls._writer`` turns them back into the same bytes. Numbers a peer chooses freely (versions,
cipher suites, groups, signature schemes, alert descriptions) are plain ``int`` so that an
unknown value survives parsing; the engine decides what it accepts. Where a field is
"absent" on the wire (no extensions block; no signature algorithm before TLS 1.2) it is
``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from tls._wire import ContentType, ExtensionType, HandshakeType

__all__ = [
    "ALPN",
    "Alert",
    "Certificate",
    "CertificateRequest",
    "CertificateVerify",
    "ChangeCipherSpec",
    "ClientHello",
    "ClientKeyExchange",
    "DHParams",
    "ECParams",
    "ECPointFormats",
    "ExtendedMasterSecret",
    "Extension",
    "Finished",
    "HandshakeMessage",
    "HelloRequest",
    "RecordHeader",
    "RenegotiationInfo",
    "ServerHello",
    "ServerHelloDone",
    "ServerKeyExchange",
    "ServerName",
    "SignatureAlgorithms",
    "SupportedGroups",
    "UnknownExtension",
    "extension_type",
    "handshake_type",
]

#: RFC 5246 §7.4.1.2: ``opaque SessionID<0..32>``.
MAX_SESSION_ID: Final = 32
#: RFC 5246 §7.4.1.2: ``opaque random_bytes[28]`` after ``uint32 gmt_unix_time``.
RANDOM_LENGTH: Final = 32


# -- record level ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordHeader:
    """The 5-byte record header (RFC 5246 §6.2.1): type, version (u16, any ``{3, x}``)
    and the length of the fragment that follows."""

    content_type: ContentType
    version: int
    length: int


@dataclass(frozen=True, slots=True)
class ChangeCipherSpec:
    """RFC 5246 §7.1: "The message consists of a single byte of value 1"."""


@dataclass(frozen=True, slots=True)
class Alert:
    """RFC 5246 §7.2 ``Alert``: a level (1 warning, 2 fatal) and a description, both u8,
    kept as read (see ``tls._wire.AlertLevel`` / ``AlertDescription``)."""

    level: int
    description: int


# -- extensions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerName:
    """RFC 6066 §3 server_name. In a ClientHello: one ``host_name`` (ASCII, no trailing
    dot). In a ServerHello the extension_data "SHALL be empty": ``host_name`` is None."""

    host_name: str | None


@dataclass(frozen=True, slots=True)
class SupportedGroups:
    """RFC 8422 §5.1.1 / RFC 7919 §2 ``NamedGroupList named_group_list<2..2^16-1>``."""

    groups: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ECPointFormats:
    """RFC 8422 §5.1.2 ``ECPointFormat ec_point_format_list<1..2^8-1>``."""

    formats: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SignatureAlgorithms:
    """RFC 5246 §7.4.1.4.1 ``supported_signature_algorithms<2..2^16-2>``, each pair as a
    u16 ``SignatureScheme`` value."""

    schemes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ALPN:
    """RFC 7301 §3.1 ``ProtocolName protocol_name_list<2..2^16-1>``, each name
    ``<1..2^8-1>``; the server's answer holds exactly one (checked by the engine)."""

    protocols: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class ExtendedMasterSecret:
    """RFC 7627 §5.1: "The "extension_data" field of this extension is empty"."""


@dataclass(frozen=True, slots=True)
class RenegotiationInfo:
    """RFC 5746 §3.2 ``opaque renegotiated_connection<0..255>``: empty on an initial
    handshake; the verify_data of the previous Finished message(s) otherwise."""

    data: bytes


@dataclass(frozen=True, slots=True)
class UnknownExtension:
    """An extension this library does not interpret, kept raw (RFC 5246 §7.4.1.4: a server
    ignores extensions it does not recognise; a client refuses them in a ServerHello)."""

    type: int
    data: bytes


#: A hello extension.
Extension = (
    ServerName
    | SupportedGroups
    | ECPointFormats
    | SignatureAlgorithms
    | ALPN
    | ExtendedMasterSecret
    | RenegotiationInfo
    | UnknownExtension
)


def extension_type(extension: Extension) -> int:
    """The wire ``ExtensionType`` of *extension*."""
    match extension:
        case ServerName():
            return ExtensionType.SERVER_NAME
        case SupportedGroups():
            return ExtensionType.SUPPORTED_GROUPS
        case ECPointFormats():
            return ExtensionType.EC_POINT_FORMATS
        case SignatureAlgorithms():
            return ExtensionType.SIGNATURE_ALGORITHMS
        case ALPN():
            return ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION
        case ExtendedMasterSecret():
            return ExtensionType.EXTENDED_MASTER_SECRET
        case RenegotiationInfo():
            return ExtensionType.RENEGOTIATION_INFO
        case UnknownExtension(type=code):
            return code


# -- handshake messages ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HelloRequest:
    """RFC 5246 §7.4.1.1 ``struct { } HelloRequest``."""


@dataclass(frozen=True, slots=True)
class ClientHello:
    """RFC 5246 §7.4.1.2 ``ClientHello``. ``extensions`` is None when the message ends after
    the compression methods (no extensions block), a tuple (maybe empty) otherwise."""

    client_version: int
    random: bytes
    session_id: bytes
    cipher_suites: tuple[int, ...]
    compression_methods: tuple[int, ...]
    extensions: tuple[Extension, ...] | None = None


@dataclass(frozen=True, slots=True)
class ServerHello:
    """RFC 5246 §7.4.1.3 ``ServerHello``; ``extensions`` as in :class:`ClientHello`."""

    server_version: int
    random: bytes
    session_id: bytes
    cipher_suite: int
    compression_method: int
    extensions: tuple[Extension, ...] | None = None


@dataclass(frozen=True, slots=True)
class Certificate:
    """RFC 5246 §7.4.2 ``ASN.1Cert certificate_list<0..2^24-1>``: DER certificates, the
    sender's own first (the engine checks the order and the contents)."""

    chain: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class ServerKeyExchange:
    """RFC 5246 §7.4.3 ``ServerKeyExchange``, kept raw: its form depends on the negotiated
    key exchange. Read its parts with ``parse_dh_params`` / ``parse_ec_params`` and then
    ``parse_digitally_signed``."""

    body: bytes


@dataclass(frozen=True, slots=True)
class DHParams:
    """RFC 5246 §7.4.3 ``ServerDHParams``: ``dh_p``, ``dh_g``, ``dh_Ys``, each
    ``opaque <1..2^16-1>`` big-endian integers, kept as the bytes sent."""

    p: bytes
    g: bytes
    ys: bytes


@dataclass(frozen=True, slots=True)
class ECParams:
    """RFC 8422 §5.4 ``ServerECDHParams`` with ``curve_type`` named_curve (the only type
    accepted): the ``NamedGroup`` and ``ECPoint point<1..2^8-1>``."""

    group: int
    point: bytes


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    """RFC 5246 §7.4.4 ``CertificateRequest``. ``signature_algorithms`` is None in the
    TLS 1.0/1.1 form (RFC 4346 §7.4.4), which lacks the field. ``certificate_authorities``
    holds DER ``DistinguishedName`` values."""

    certificate_types: tuple[int, ...]
    signature_algorithms: tuple[int, ...] | None
    certificate_authorities: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class ServerHelloDone:
    """RFC 5246 §7.4.5 ``struct { } ServerHelloDone``."""


@dataclass(frozen=True, slots=True)
class CertificateVerify:
    """RFC 5246 §7.4.8 ``CertificateVerify``: a ``digitally-signed`` struct; ``scheme`` is
    None before TLS 1.2 (RFC 4346 §7.4.8 has no algorithm field)."""

    scheme: int | None
    signature: bytes


@dataclass(frozen=True, slots=True)
class ClientKeyExchange:
    """RFC 5246 §7.4.7 ``ClientKeyExchange``, kept raw; read it with ``parse_rsa_ckx``,
    ``parse_dh_ckx`` or ``parse_ec_ckx`` once the key exchange is known."""

    body: bytes


@dataclass(frozen=True, slots=True)
class Finished:
    """RFC 5246 §7.4.9 ``Finished``: ``opaque verify_data[verify_data_length]``."""

    verify_data: bytes


#: A handshake message.
HandshakeMessage = (
    HelloRequest
    | ClientHello
    | ServerHello
    | Certificate
    | ServerKeyExchange
    | CertificateRequest
    | ServerHelloDone
    | CertificateVerify
    | ClientKeyExchange
    | Finished
)


def handshake_type(message: HandshakeMessage) -> HandshakeType:
    """The ``HandshakeType`` of *message*."""
    match message:
        case HelloRequest():
            return HandshakeType.HELLO_REQUEST
        case ClientHello():
            return HandshakeType.CLIENT_HELLO
        case ServerHello():
            return HandshakeType.SERVER_HELLO
        case Certificate():
            return HandshakeType.CERTIFICATE
        case ServerKeyExchange():
            return HandshakeType.SERVER_KEY_EXCHANGE
        case CertificateRequest():
            return HandshakeType.CERTIFICATE_REQUEST
        case ServerHelloDone():
            return HandshakeType.SERVER_HELLO_DONE
        case CertificateVerify():
            return HandshakeType.CERTIFICATE_VERIFY
        case ClientKeyExchange():
            return HandshakeType.CLIENT_KEY_EXCHANGE
        case Finished():
            return HandshakeType.FINISHED
