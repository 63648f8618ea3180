"""The numbers on the TLS wire, as RFC-named enumerations and limits.

Sources: RFC 5246 (TLS 1.2) §6.2, §7.2, §7.4 and appendix A; RFC 4346 (TLS 1.1); RFC 2246
(TLS 1.0); RFC 6066 (extensions, alerts 110-115); RFC 7301 (ALPN, alert 120); RFC 7507
(inappropriate_fallback); RFC 7627 (extended_master_secret); RFC 5746
(renegotiation_info); RFC 8422 (ECC: supported_groups, ec_point_formats, ECCurveType);
RFC 7919 (FFDHE groups); RFC 8446 §4.2.3 (SignatureScheme names, shared with TLS 1.2's
(hash, signature) pairs of RFC 5246 §7.4.1.4.1); RFC 3749 (compression methods).

Values a peer may send outside these enumerations (an unknown cipher suite, group,
extension, signature scheme) are kept as plain ``int`` by the reader; these classes
name the ones this library knows. ``IntEnum`` members compare and hash equal to their
integer values, so ``NamedGroup.X25519 in groups`` works on such tuples.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

__all__ = [
    "MAX_CIPHERTEXT",
    "MAX_COMPRESSED",
    "MAX_PLAINTEXT",
    "AlertDescription",
    "AlertLevel",
    "ClientCertificateType",
    "CompressionMethod",
    "ContentType",
    "ECCurveType",
    "ECPointFormat",
    "ExtensionType",
    "HandshakeType",
    "HashAlgorithm",
    "NameType",
    "NamedGroup",
    "ProtocolVersion",
    "SignatureAlgorithm",
    "SignatureScheme",
]

#: RFC 5246 §6.2.1: "The length (in bytes) of the following TLSPlaintext.fragment. The
#: length MUST NOT exceed 2^14."
MAX_PLAINTEXT: Final = 2**14
#: RFC 5246 §6.2.2: "The length MUST NOT exceed 2^14 + 1024."
MAX_COMPRESSED: Final = 2**14 + 1024
#: RFC 5246 §6.2.3: "The length MUST NOT exceed 2^14 + 2048."
MAX_CIPHERTEXT: Final = 2**14 + 2048


class ContentType(IntEnum):
    """RFC 5246 §6.2.1 ``ContentType`` of a record."""

    CHANGE_CIPHER_SPEC = 20
    ALERT = 21
    HANDSHAKE = 22
    APPLICATION_DATA = 23


class ProtocolVersion(IntEnum):
    """RFC 5246 §6.2.1 / appendix E ``ProtocolVersion`` as the u16 ``major << 8 | minor``.

    SSL 3.0 is named only to recognise (and refuse) it; this library never speaks it.
    """

    SSL3 = 0x0300
    TLS10 = 0x0301
    TLS11 = 0x0302
    TLS12 = 0x0303


class HandshakeType(IntEnum):
    """RFC 5246 §7.4 ``HandshakeType`` (plus RFC 5077 and RFC 6066 values, recognised only
    so that they can be named in an error)."""

    HELLO_REQUEST = 0
    CLIENT_HELLO = 1
    SERVER_HELLO = 2
    NEW_SESSION_TICKET = 4  # RFC 5077 §3.3
    CERTIFICATE = 11
    SERVER_KEY_EXCHANGE = 12
    CERTIFICATE_REQUEST = 13
    SERVER_HELLO_DONE = 14
    CERTIFICATE_VERIFY = 15
    CLIENT_KEY_EXCHANGE = 16
    FINISHED = 20
    CERTIFICATE_URL = 21  # RFC 6066 §5
    CERTIFICATE_STATUS = 22  # RFC 6066 §8


class AlertLevel(IntEnum):
    """RFC 5246 §7.2 ``AlertLevel``."""

    WARNING = 1
    FATAL = 2


class AlertDescription(IntEnum):
    """RFC 5246 §7.2 ``AlertDescription`` with the later registrations (RFC 6066 §9,
    RFC 7301 §3.2, RFC 7507 §2). The ``_RESERVED`` values MUST NOT be sent (RFC 5246)
    but may be received from old peers."""

    CLOSE_NOTIFY = 0
    UNEXPECTED_MESSAGE = 10
    BAD_RECORD_MAC = 20
    DECRYPTION_FAILED_RESERVED = 21
    RECORD_OVERFLOW = 22
    DECOMPRESSION_FAILURE = 30
    HANDSHAKE_FAILURE = 40
    NO_CERTIFICATE_RESERVED = 41
    BAD_CERTIFICATE = 42
    UNSUPPORTED_CERTIFICATE = 43
    CERTIFICATE_REVOKED = 44
    CERTIFICATE_EXPIRED = 45
    CERTIFICATE_UNKNOWN = 46
    ILLEGAL_PARAMETER = 47
    UNKNOWN_CA = 48
    ACCESS_DENIED = 49
    DECODE_ERROR = 50
    DECRYPT_ERROR = 51
    EXPORT_RESTRICTION_RESERVED = 60
    PROTOCOL_VERSION = 70
    INSUFFICIENT_SECURITY = 71
    INTERNAL_ERROR = 80
    INAPPROPRIATE_FALLBACK = 86  # RFC 7507 §2
    USER_CANCELED = 90
    NO_RENEGOTIATION = 100
    UNSUPPORTED_EXTENSION = 110  # RFC 6066 §9 (first defined in RFC 4366)
    CERTIFICATE_UNOBTAINABLE = 111
    UNRECOGNIZED_NAME = 112
    BAD_CERTIFICATE_STATUS_RESPONSE = 113
    BAD_CERTIFICATE_HASH_VALUE = 114
    NO_APPLICATION_PROTOCOL = 120  # RFC 7301 §3.2


class CompressionMethod(IntEnum):
    """RFC 5246 §7.4.1.2 ``CompressionMethod`` (DEFLATE from RFC 3749, never offered or
    accepted: DESIGN.md principle 6)."""

    NULL = 0
    DEFLATE = 1


class ExtensionType(IntEnum):
    """Hello extension types (IANA "TLS ExtensionType Values")."""

    SERVER_NAME = 0  # RFC 6066 §3
    MAX_FRAGMENT_LENGTH = 1  # RFC 6066 §4
    CLIENT_CERTIFICATE_URL = 2  # RFC 6066 §5
    TRUSTED_CA_KEYS = 3  # RFC 6066 §6
    TRUNCATED_HMAC = 4  # RFC 6066 §7
    STATUS_REQUEST = 5  # RFC 6066 §8
    SUPPORTED_GROUPS = 10  # RFC 8422 §5.1.1 (was elliptic_curves, RFC 4492)
    EC_POINT_FORMATS = 11  # RFC 8422 §5.1.2
    SIGNATURE_ALGORITHMS = 13  # RFC 5246 §7.4.1.4.1
    USE_SRTP = 14  # RFC 5764
    HEARTBEAT = 15  # RFC 6520 (never negotiated)
    APPLICATION_LAYER_PROTOCOL_NEGOTIATION = 16  # RFC 7301 §3.1
    SIGNED_CERTIFICATE_TIMESTAMP = 18  # RFC 6962
    PADDING = 21  # RFC 7685
    ENCRYPT_THEN_MAC = 22  # RFC 7366
    EXTENDED_MASTER_SECRET = 23  # RFC 7627 §5.1
    SESSION_TICKET = 35  # RFC 5077
    SUPPORTED_VERSIONS = 43  # RFC 8446 §4.2.1
    RENEGOTIATION_INFO = 0xFF01  # RFC 5746 §3.2


class NameType(IntEnum):
    """RFC 6066 §3 ``NameType`` of a ServerName entry."""

    HOST_NAME = 0


class NamedGroup(IntEnum):
    """RFC 8422 §5.1.1 / RFC 7919 §2 ``NamedGroup`` values this library knows."""

    SECP256R1 = 23
    SECP384R1 = 24
    SECP521R1 = 25
    X25519 = 29
    X448 = 30
    FFDHE2048 = 256
    FFDHE3072 = 257
    FFDHE4096 = 258
    FFDHE6144 = 259
    FFDHE8192 = 260


class ECPointFormat(IntEnum):
    """RFC 8422 §5.1.2 ``ECPointFormat`` (only ``UNCOMPRESSED`` is used; the others are
    deprecated there)."""

    UNCOMPRESSED = 0
    ANSIX962_COMPRESSED_PRIME = 1
    ANSIX962_COMPRESSED_CHAR2 = 2


class ECCurveType(IntEnum):
    """RFC 8422 §5.4 ``ECCurveType``; only ``NAMED_CURVE`` is accepted (the explicit forms
    are deprecated there)."""

    EXPLICIT_PRIME = 1
    EXPLICIT_CHAR2 = 2
    NAMED_CURVE = 3


class HashAlgorithm(IntEnum):
    """RFC 5246 §7.4.1.4.1 ``HashAlgorithm`` (the high byte of a TLS 1.2 signature pair;
    ``INTRINSIC`` from RFC 8422 §5.1.3)."""

    NONE = 0
    MD5 = 1
    SHA1 = 2
    SHA224 = 3
    SHA256 = 4
    SHA384 = 5
    SHA512 = 6
    INTRINSIC = 8


class SignatureAlgorithm(IntEnum):
    """RFC 5246 §7.4.1.4.1 ``SignatureAlgorithm`` (the low byte of a TLS 1.2 signature
    pair; ED25519/ED448 from RFC 8422 §5.1.3)."""

    ANONYMOUS = 0
    RSA = 1
    DSA = 2
    ECDSA = 3
    ED25519 = 7
    ED448 = 8


class SignatureScheme(IntEnum):
    """A TLS 1.2 ``SignatureAndHashAlgorithm`` (RFC 5246 §7.4.1.4.1) read as one u16,
    ``hash << 8 | signature``, with the names RFC 8446 §4.2.3 gives them; the RSA-PSS and
    EdDSA code points (0x08xx) are RFC 8446's, usable in TLS 1.2 (RFC 8422 §5.1.3,
    RFC 8446 §4.2.3). In TLS 1.2 the ECDSA names bind only the hash, not the curve."""

    RSA_PKCS1_SHA1 = 0x0201
    ECDSA_SHA1 = 0x0203
    RSA_PKCS1_SHA224 = 0x0301
    ECDSA_SHA224 = 0x0303
    RSA_PKCS1_SHA256 = 0x0401
    ECDSA_SECP256R1_SHA256 = 0x0403
    RSA_PKCS1_SHA384 = 0x0501
    ECDSA_SECP384R1_SHA384 = 0x0503
    RSA_PKCS1_SHA512 = 0x0601
    ECDSA_SECP521R1_SHA512 = 0x0603
    RSA_PSS_RSAE_SHA256 = 0x0804
    RSA_PSS_RSAE_SHA384 = 0x0805
    RSA_PSS_RSAE_SHA512 = 0x0806
    ED25519 = 0x0807
    ED448 = 0x0808
    RSA_PSS_PSS_SHA256 = 0x0809
    RSA_PSS_PSS_SHA384 = 0x080A
    RSA_PSS_PSS_SHA512 = 0x080B


class ClientCertificateType(IntEnum):
    """RFC 5246 §7.4.4 ``ClientCertificateType`` (and RFC 8422 §5.5)."""

    RSA_SIGN = 1
    DSS_SIGN = 2
    RSA_FIXED_DH = 3
    DSS_FIXED_DH = 4
    RSA_EPHEMERAL_DH_RESERVED = 5
    DSS_EPHEMERAL_DH_RESERVED = 6
    FORTEZZA_DMS_RESERVED = 20
    ECDSA_SIGN = 64
    RSA_FIXED_ECDH = 65
    ECDSA_FIXED_ECDH = 66
