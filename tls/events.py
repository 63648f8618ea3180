"""Events an engine reports in ``Output.events`` (h11 style: small frozen dataclasses).

Application data is not an event: it arrives in ``Output.data``. RFC 5246 §7.2 (alerts),
§7.4.9 (handshake completion).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import x509
from tls._wire import AlertDescription, AlertLevel, NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import CipherSuite

__all__ = ["AlertReceived", "Closed", "Event", "HandshakeComplete", "Session"]


@dataclass(frozen=True, slots=True)
class Session:
    """What a completed handshake agreed on.

    - ``group``: the (EC)DHE group, None for the RSA key exchange.
    - ``server_name``: the SNI name the client sent (client: the name asked for).
    - ``peer_certificates``: the chain the peer sent (empty on the server: no client
      certificates are requested).
    - ``verified_path``: the path the authenticator built (leaf .. anchor), None when not
      validated (server side, or a client with ``insecure_skip_verify``).
    - ``signature_scheme``: the TLS 1.2 ServerKeyExchange scheme, None for RSA key
      exchange and for TLS 1.0/1.1 (their signatures are fixed MD5||SHA-1 / SHA-1).
    """

    version: ProtocolVersion
    cipher_suite: CipherSuite
    group: NamedGroup | None
    extended_master_secret: bool
    alpn_protocol: str | None
    server_name: str | None
    peer_certificates: tuple[x509.Certificate, ...]
    verified_path: tuple[x509.Certificate, ...] | None
    signature_scheme: SignatureScheme | None


@dataclass(frozen=True, slots=True)
class HandshakeComplete:
    """The handshake finished (the peer's Finished verified); data may flow both ways."""

    session: Session


@dataclass(frozen=True, slots=True)
class AlertReceived:
    """The peer sent an alert (warnings too, including close_notify)."""

    level: AlertLevel
    description: AlertDescription


@dataclass(frozen=True, slots=True)
class Closed:
    """The peer sent close_notify: nothing more will be read (RFC 5246 §7.2.1)."""


Event: TypeAlias = HandshakeComplete | AlertReceived | Closed
