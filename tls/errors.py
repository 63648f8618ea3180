"""The fatal conditions of TLS, one exception class per alert (RFC 5246 §7.2.2).

Every failure caused by peer input is a :class:`TLSError` whose class attribute
:attr:`TLSError.alert` is the ``AlertDescription`` to send (RFC 5246 §7.2: "Upon
transmission or receipt of a fatal alert message, both parties immediately close the
connection"). The readers, the record layer and the handshake raise these; exactly one
place, the engine's ``handle``, catches them and turns them into the alert and a closed
state (DESIGN.md principle 3). Misuse of the API is never a :class:`TLSError`.

Sources: RFC 5246 §7.2 (the descriptions quoted below), RFC 6066 §9, RFC 7301 §3.2,
RFC 7507 §2.
"""

from __future__ import annotations

from typing import ClassVar

from tls._wire import AlertDescription

__all__ = [
    "AccessDenied",
    "BadCertificate",
    "BadRecordMac",
    "CertificateExpired",
    "CertificateRevoked",
    "CertificateUnknown",
    "DecodeError",
    "DecompressionFailure",
    "DecryptError",
    "HandshakeFailure",
    "IllegalParameter",
    "InappropriateFallback",
    "InsufficientSecurity",
    "InternalError",
    "NoApplicationProtocol",
    "ProtocolVersionError",
    "RecordOverflow",
    "SSLv2ClientHello",
    "TLSError",
    "UnexpectedMessage",
    "UnknownCA",
    "UnrecognizedName",
    "UnsupportedCertificate",
    "UnsupportedExtension",
]


class TLSError(Exception):
    """A fatal TLS condition; :attr:`alert` is the alert description to send.

    The message (``str(error)``) is for humans and logs, never for the peer.
    """

    alert: ClassVar[AlertDescription] = AlertDescription.INTERNAL_ERROR

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class UnexpectedMessage(TLSError):
    """RFC 5246 §7.2.2 unexpected_message: "An inappropriate message was received."."""

    alert = AlertDescription.UNEXPECTED_MESSAGE


class BadRecordMac(TLSError):
    """RFC 5246 §7.2.2 bad_record_mac: "This alert is returned if a record is received with
    an incorrect MAC. This alert also MUST be returned if an alert is sent because a
    TLSCiphertext decrypted in an invalid way: either it wasn't an even multiple of the
    block length, or its padding values, when checked, weren't correct."."""

    alert = AlertDescription.BAD_RECORD_MAC


class RecordOverflow(TLSError):
    """RFC 5246 §7.2.2 record_overflow: "A TLSCiphertext record was received that had a
    length more than 2^14+2048 bytes, or a record decrypted to a TLSCompressed record with
    more than 2^14+1024 bytes."."""

    alert = AlertDescription.RECORD_OVERFLOW


class DecompressionFailure(TLSError):
    """RFC 5246 §7.2.2 decompression_failure: "The decompression function received improper
    input". Compression is never negotiated here; kept for completeness of the mapping."""

    alert = AlertDescription.DECOMPRESSION_FAILURE


class HandshakeFailure(TLSError):
    """RFC 5246 §7.2.2 handshake_failure: "the sender was unable to negotiate an acceptable
    set of security parameters given the options available."."""

    alert = AlertDescription.HANDSHAKE_FAILURE


class BadCertificate(TLSError):
    """RFC 5246 §7.2.2 bad_certificate: "A certificate was corrupt, contained signatures
    that did not verify correctly, etc."."""

    alert = AlertDescription.BAD_CERTIFICATE


class UnsupportedCertificate(TLSError):
    """RFC 5246 §7.2.2 unsupported_certificate: "A certificate was of an unsupported
    type."."""

    alert = AlertDescription.UNSUPPORTED_CERTIFICATE


class CertificateRevoked(TLSError):
    """RFC 5246 §7.2.2 certificate_revoked: "A certificate was revoked by its signer."."""

    alert = AlertDescription.CERTIFICATE_REVOKED


class CertificateExpired(TLSError):
    """RFC 5246 §7.2.2 certificate_expired: "A certificate has expired or is not currently
    valid."."""

    alert = AlertDescription.CERTIFICATE_EXPIRED


class CertificateUnknown(TLSError):
    """RFC 5246 §7.2.2 certificate_unknown: "Some other (unspecified) issue arose in
    processing the certificate, rendering it unacceptable."."""

    alert = AlertDescription.CERTIFICATE_UNKNOWN


class IllegalParameter(TLSError):
    """RFC 5246 §7.2.2 illegal_parameter: "A field in the handshake was out of range or
    inconsistent with other fields."."""

    alert = AlertDescription.ILLEGAL_PARAMETER


class UnknownCA(TLSError):
    """RFC 5246 §7.2.2 unknown_ca: "A valid certificate chain or partial chain was received,
    but the certificate was not accepted because the CA certificate could not be located or
    couldn't be matched with a known, trusted CA."."""

    alert = AlertDescription.UNKNOWN_CA


class AccessDenied(TLSError):
    """RFC 5246 §7.2.2 access_denied: "A valid certificate was received, but when access
    control was applied, the sender decided not to proceed with negotiation."."""

    alert = AlertDescription.ACCESS_DENIED


class DecodeError(TLSError):
    """RFC 5246 §7.2.2 decode_error: "A message could not be decoded because some field was
    out of the specified range or the length of the message was incorrect."

    Every reader in this package fails with this class (or a subclass) only.
    """

    alert = AlertDescription.DECODE_ERROR


class DecryptError(TLSError):
    """RFC 5246 §7.2.2 decrypt_error: "A handshake cryptographic operation failed, including
    being unable to correctly verify a signature or validate a Finished message."."""

    alert = AlertDescription.DECRYPT_ERROR


class ProtocolVersionError(TLSError):
    """RFC 5246 §7.2.2 protocol_version: "The protocol version the client has attempted to
    negotiate is recognized but not supported."."""

    alert = AlertDescription.PROTOCOL_VERSION


class SSLv2ClientHello(ProtocolVersionError):
    """A record that starts like an SSL 2.0 CLIENT-HELLO (RFC 5246 appendix E.2: the first
    byte has its high bit set). TLS servers "MAY" accept it for compatibility; this library
    does not, and answers protocol_version (DESIGN.md principle 6)."""


class InsufficientSecurity(TLSError):
    """RFC 5246 §7.2.2 insufficient_security: "Returned instead of handshake_failure when a
    negotiation has failed specifically because the server requires ciphers more secure
    than those supported by the client."."""

    alert = AlertDescription.INSUFFICIENT_SECURITY


class InternalError(TLSError):
    """RFC 5246 §7.2.2 internal_error: "An internal error unrelated to the peer or the
    correctness of the protocol (such as a memory allocation failure) makes it impossible
    to continue."."""

    alert = AlertDescription.INTERNAL_ERROR


class InappropriateFallback(TLSError):
    """RFC 7507 §3: a server that receives TLS_FALLBACK_SCSV with a lower than supported
    version "MUST respond with a fatal inappropriate_fallback alert"."""

    alert = AlertDescription.INAPPROPRIATE_FALLBACK


class UnsupportedExtension(TLSError):
    """RFC 5246 §7.2.2 unsupported_extension: "sent by clients that receive an extended
    server hello containing an extension that they did not put in the corresponding client
    hello."."""

    alert = AlertDescription.UNSUPPORTED_EXTENSION


class UnrecognizedName(TLSError):
    """RFC 6066 §3: a server that does not recognise the requested server name "SHOULD"
    either continue or send a fatal unrecognized_name(112) alert."""

    alert = AlertDescription.UNRECOGNIZED_NAME


class NoApplicationProtocol(TLSError):
    """RFC 7301 §3.2: a server that supports none of the client's advertised protocols
    "MUST respond with a fatal "no_application_protocol" alert"."""

    alert = AlertDescription.NO_APPLICATION_PROTOCOL
