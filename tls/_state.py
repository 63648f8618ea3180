"""Every type of the engine's state, in one place (the shape of ocaml-tls ``state.ml``).

A connection is a :class:`Connection`: the record layer's part (cipher states, the
version on the wire, buffered bytes) and a handshake *phase*, one frozen class per message
the engine awaits (RFC 5246 §7.3 figure 1, full handshake, no resumption)::

    client: AwaitServerHello -> AwaitCertificate -> [AwaitServerKeyExchange]
            -> AwaitServerHelloDone -> AwaitServerCCS -> AwaitServerFinished -> Established
    server: AwaitClientHello -> AwaitClientKeyExchange -> AwaitClientCCS
            -> AwaitClientFinished -> Established
    both:   -> Closed (close_notify) | Failed (a fatal alert, sent or received)

The handshake handlers (``tls._client``, ``tls._server``) never produce bytes on the
wire: they return the next phase and an ordered list of :data:`Instruction` values that
only the record layer (``tls._common``) turns into protected records, so a key change can
never land in the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import x509
from nocrypto import dh, ec, ecx
from tls._record import CipherState
from tls._wire import AlertDescription, AlertLevel, NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import CipherSuite
from tls.config import CertificateChain, Config
from tls.errors import TLSError
from tls.events import Event, Session

__all__ = [
    "AwaitCertificate",
    "AwaitClientCCS",
    "AwaitClientFinished",
    "AwaitClientHello",
    "AwaitClientKeyExchange",
    "AwaitServerCCS",
    "AwaitServerFinished",
    "AwaitServerHello",
    "AwaitServerHelloDone",
    "AwaitServerKeyExchange",
    "ChangeReadCipher",
    "ChangeWriteCipher",
    "Closed",
    "Connection",
    "DHShare",
    "ECShare",
    "EmitEvent",
    "EphemeralKey",
    "Established",
    "Failed",
    "Instruction",
    "Negotiated",
    "PeerShare",
    "Phase",
    "SendAlert",
    "SendCCS",
    "SendHandshake",
    "SetVersion",
]

#: An ephemeral (EC)DH private key of this side.
EphemeralKey: TypeAlias = (
    dh.DHPrivateKey | ec.ECPrivateKey | ecx.X25519PrivateKey | ecx.X448PrivateKey
)


# -- instructions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendHandshake:
    """Send one whole handshake message (header included) in handshake records."""

    data: bytes


@dataclass(frozen=True, slots=True)
class SendCCS:
    """Send a ChangeCipherSpec record (RFC 5246 §7.1) under the current write state."""


@dataclass(frozen=True, slots=True)
class ChangeWriteCipher:
    """Protect every later record with *cipher* (right after our ChangeCipherSpec)."""

    cipher: CipherState


@dataclass(frozen=True, slots=True)
class ChangeReadCipher:
    """Unprotect every later record with *cipher* (right after the peer's CCS)."""

    cipher: CipherState


@dataclass(frozen=True, slots=True)
class SendAlert:
    """Send a (warning) alert; fatal alerts come from errors, never from here."""

    level: AlertLevel
    description: AlertDescription


@dataclass(frozen=True, slots=True)
class SetVersion:
    """The version is negotiated: records are written with it and read records must
    carry it (RFC 5246 §6.2.1, appendix E.1)."""

    version: ProtocolVersion


@dataclass(frozen=True, slots=True)
class EmitEvent:
    """Report *event* to the application."""

    event: Event


Instruction: TypeAlias = (
    SendHandshake
    | SendCCS
    | ChangeWriteCipher
    | ChangeReadCipher
    | SendAlert
    | SetVersion
    | EmitEvent
)


# -- negotiated parameters ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Negotiated:
    """What the hellos settled (RFC 5246 §7.4.1.2-3, RFC 7627, RFC 7301, RFC 6066)."""

    version: ProtocolVersion
    suite: CipherSuite
    client_random: bytes
    server_random: bytes
    #: ClientHello.client_version, needed by the RSA premaster (RFC 5246 §7.4.7.1).
    client_version: int
    extended_master_secret: bool
    alpn_protocol: str | None
    server_name: str | None


@dataclass(frozen=True, slots=True)
class DHShare:
    """A server's finite-field DH parameters and public value (RFC 5246 §7.4.3)."""

    group: dh.DHGroup
    public: dh.DHPublicKey
    named: NamedGroup | None


@dataclass(frozen=True, slots=True)
class ECShare:
    """A server's ECDH group and encoded public point (RFC 8422 §5.4)."""

    group: NamedGroup
    point: bytes


PeerShare: TypeAlias = DHShare | ECShare


# -- client phases --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwaitServerHello:
    """Client: ClientHello sent."""

    client_random: bytes
    client_version: ProtocolVersion
    offered_suites: tuple[int, ...]
    offered_extensions: frozenset[int]
    server_name: str | None
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitCertificate:
    """Client: ServerHello accepted."""

    params: Negotiated
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitServerKeyExchange:
    """Client: the server's chain accepted, an ephemeral key exchange negotiated."""

    params: Negotiated
    chain: tuple[x509.Certificate, ...]
    verified_path: tuple[x509.Certificate, ...] | None
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitServerHelloDone:
    """Client: waiting for ServerHelloDone (a CertificateRequest may come first)."""

    params: Negotiated
    chain: tuple[x509.Certificate, ...]
    verified_path: tuple[x509.Certificate, ...] | None
    share: PeerShare | None
    scheme: SignatureScheme | None
    certificate_requested: bool
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitServerCCS:
    """Client: our Finished sent; the server's ChangeCipherSpec is next."""

    params: Negotiated
    session: Session
    master: bytes = field(repr=False)
    pending_read: CipherState = field(repr=False)
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitServerFinished:
    """Client: the server's ChangeCipherSpec received; its Finished is next."""

    params: Negotiated
    session: Session
    master: bytes = field(repr=False)
    log: bytes = field(repr=False)


# -- server phases --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwaitClientHello:
    """Server: nothing received yet."""


@dataclass(frozen=True, slots=True)
class AwaitClientKeyExchange:
    """Server: ServerHelloDone sent."""

    params: Negotiated
    chain: CertificateChain
    ephemeral: EphemeralKey | None = field(repr=False)
    group: NamedGroup | None
    scheme: SignatureScheme | None
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitClientCCS:
    """Server: keys derived from the ClientKeyExchange; the client's CCS is next."""

    params: Negotiated
    session: Session
    master: bytes = field(repr=False)
    pending_read: CipherState = field(repr=False)
    pending_write: CipherState = field(repr=False)
    log: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class AwaitClientFinished:
    """Server: the client's CCS received; its Finished is next."""

    params: Negotiated
    session: Session
    master: bytes = field(repr=False)
    pending_write: CipherState = field(repr=False)
    log: bytes = field(repr=False)


# -- both -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Established:
    """The handshake is complete; application data flows."""

    session: Session


@dataclass(frozen=True, slots=True)
class Closed:
    """close_notify received (or sent before the handshake completed): nothing more is
    read. ``session`` is None when the handshake never completed."""

    session: Session | None


@dataclass(frozen=True, slots=True)
class Failed:
    """The connection failed: a fatal alert was sent (``error``) or received."""

    error: TLSError


Phase: TypeAlias = (
    AwaitServerHello
    | AwaitCertificate
    | AwaitServerKeyExchange
    | AwaitServerHelloDone
    | AwaitServerCCS
    | AwaitServerFinished
    | AwaitClientHello
    | AwaitClientKeyExchange
    | AwaitClientCCS
    | AwaitClientFinished
    | Established
    | Closed
    | Failed
)


@dataclass(frozen=True, slots=True)
class Connection:
    """The whole state of one TLS connection, an immutable value.

    - ``version``: the negotiated version once known (records are then written with it
      and read records must carry it); before, records go out as TLS 1.0 (RFC 5246
      appendix E.1: the ClientHello's record version for compatibility).
    - ``read_cipher`` / ``write_cipher``: the active cipher states, None before the
      ChangeCipherSpec of that direction (RFC 5246 §6.1: the NULL state).
    - ``records``: received bytes not yet making a whole record.
    - ``fragments``: handshake bytes not yet making a whole message (RFC 5246 §6.2.1).
    - ``empty_records``: consecutive empty records received (bounded).
    - ``close_sent``: our close_notify went out; nothing more may be sent.
    """

    config: Config = field(repr=False)
    role: Literal["client", "server"]
    phase: Phase
    version: ProtocolVersion | None = None
    read_cipher: CipherState | None = field(default=None, repr=False)
    write_cipher: CipherState | None = field(default=None, repr=False)
    records: bytes = field(default=b"", repr=False)
    fragments: bytes = field(default=b"", repr=False)
    empty_records: int = 0
    close_sent: bool = False
