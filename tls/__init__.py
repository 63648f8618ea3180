"""tls: a sans-I/O TLS 1.0-1.2 engine (RFC 2246, RFC 4346, RFC 5246).

The pure engine - ``client``/``server``/``handle``/``send``/``close`` over immutable
state values, with peer errors returned as the alert to send and misuse raised - its
configuration (:class:`Config`, :class:`CertificateChain`), events (``tls.events``),
errors (``tls.errors``) and cipher suites (``tls.ciphersuites``); at the edge, the only
code that does I/O: the blocking socket adapter (``tls.socket``), the asyncio adapter
(``tls.aio``) and a command-line tool.

::

    config = tls.Config(authenticator=x509.Authenticator.system())
    state, out = tls.client(config, server_name="example.org")
    sock.sendall(out.to_send)
    state, out = tls.handle(state, sock.recv(65536))   # out.to_send, out.data, out.events

Depends on ``asn1``, ``nocrypto`` and ``x509``.
"""

from __future__ import annotations

from tls import ciphersuites, errors, events
from tls._wire import (
    AlertDescription,
    AlertLevel,
    NamedGroup,
    ProtocolVersion,
    SignatureScheme,
)
from tls.ciphersuites import CipherSuite
from tls.config import CertificateChain, Config
from tls.engine import (
    FatalAlertReceived,
    MisuseError,
    Output,
    State,
    client,
    close,
    handle,
    is_closed,
    is_established,
    send,
    server,
    session_of,
)
from tls.errors import TLSError

__all__ = [
    "AlertDescription",
    "AlertLevel",
    "CertificateChain",
    "CipherSuite",
    "Config",
    "FatalAlertReceived",
    "MisuseError",
    "NamedGroup",
    "Output",
    "ProtocolVersion",
    "SignatureScheme",
    "State",
    "TLSError",
    "ciphersuites",
    "client",
    "close",
    "errors",
    "events",
    "handle",
    "is_closed",
    "is_established",
    "send",
    "server",
    "session_of",
]
