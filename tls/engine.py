"""The pure TLS 1.0-1.2 engine: five functions over immutable states (sans I/O).

::

    state, out = tls.client(config, server_name="example.org")   # out.to_send: ClientHello
    state = tls.server(config)
    state, out = tls.handle(state, bytes_from_peer)   # never raises for any bytes
    state, out = tls.send(state, b"data")             # raises MisuseError before the handshake
    state, out = tls.close(state)                     # close_notify

Each call returns the new state and an :class:`Output`: ``to_send`` (bytes the caller
must write to the peer, in order), ``data`` (application data received), ``events``
(:mod:`tls.events`) and ``failure`` (the typed :class:`tls.errors.TLSError` when the
connection failed; its fatal alert is then the last thing in ``to_send``, protected when
the write cipher is active). The old state stays valid.

Error handling (RFC 5246 §7.2.2, DESIGN.md principle 3) happens in one place,
:func:`handle`: every :class:`~tls.errors.TLSError` raised while reading the peer's bytes
becomes its fatal alert and a :class:`Failed` state. A received fatal alert becomes
``failure`` = :class:`FatalAlertReceived` with nothing sent back. Any other exception there
is a bug; it is reported as ``internal_error`` (or re-raised when
:data:`raise_internal_errors` is set, as the tests do).

Misuse raises :class:`MisuseError`: ``send`` before the handshake completed or after
close/failure. ``handle`` on a closed or failed state returns an empty Output (the bytes
are ignored: RFC 5246 §7.2.1 "any data received after a closure alert is ignored").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tls import _client, errors
from tls._common import (
    FatalAlertReceived,
    Progress,
    alert_record,
    apply,
    receive,
    send_application_data,
)
from tls._state import AwaitClientHello, Closed, Connection, Established, Failed, SendHandshake
from tls._wire import AlertDescription, AlertLevel
from tls.config import Config
from tls.events import Event, Session

__all__ = [
    "FatalAlertReceived",
    "MisuseError",
    "Output",
    "State",
    "client",
    "close",
    "handle",
    "is_closed",
    "is_established",
    "raise_internal_errors",
    "send",
    "server",
    "session_of",
]

#: The state of a connection (opaque to callers; an immutable value).
State = Connection

#: When True, an exception other than TLSError escaping the handshake code is re-raised
#: instead of being turned into an internal_error alert (set by the test suite).
raise_internal_errors = False


class MisuseError(RuntimeError):
    """The API was used wrongly (sending before the handshake completed, on a closed or
    failed connection, a client config without an authenticator, ...)."""


@dataclass(frozen=True, slots=True)
class Output:
    """What one engine call produced (see the module docstring)."""

    to_send: bytes = b""
    data: bytes = b""
    events: tuple[Event, ...] = ()
    failure: errors.TLSError | None = None


def _output(p: Progress) -> Output:
    return Output(b"".join(p.to_send), b"".join(p.data), tuple(p.events), p.failure)


def client(config: Config, server_name: str | None = None) -> tuple[State, Output]:
    """A client connection and its ClientHello (in ``Output.to_send``).

    *server_name* is the host to authenticate (passed to the authenticator) and, when it
    is a DNS name, sent as server_name (RFC 6066). Raises MisuseError for a config with
    neither an authenticator nor ``insecure_skip_verify=True``, or with an authenticator but
    no clock (``config.now`` or the authenticator's own time source), ValueError for a
    *server_name* that is not a host name or IP address.
    """
    if not isinstance(config, Config):
        raise TypeError("config must be a tls.Config")
    if config.authenticator is None and not config.insecure_skip_verify:
        raise MisuseError(
            "a client needs config.authenticator, or insecure_skip_verify=True to skip "
            "certificate validation"
        )
    if (
        config.authenticator is not None
        and config.now is None
        and not config.authenticator.has_time_source
    ):
        raise MisuseError(
            "certificate validation needs a time: set config.now, or give the authenticator "
            "a time source (the tls.socket and tls.aio adapters supply the system clock)"
        )
    phase, hello = _client.start(config, server_name)
    p = Progress(Connection(config=config, role="client", phase=phase))
    apply(p, [SendHandshake(hello)])
    return p.conn, _output(p)


def server(config: Config) -> State:
    """A server connection awaiting a ClientHello. Raises MisuseError without any
    certificate chain in *config*."""
    if not isinstance(config, Config):
        raise TypeError("config must be a tls.Config")
    if not config.certificates:
        raise MisuseError("a server needs at least one CertificateChain in config.certificates")
    return Connection(config=config, role="server", phase=AwaitClientHello())


def _fail(p: Progress, error: errors.TLSError) -> Output:
    """The fatal alert for *error* appended to what was produced, and a Failed state."""
    conn = p.conn
    try:
        conn, record = alert_record(conn, AlertLevel.FATAL, error.alert)
        p.to_send.append(record)
    except Exception:  # pragma: no cover - e.g. the write sequence number is exhausted
        pass
    p.conn = dataclasses.replace(conn, phase=Failed(error), records=b"", fragments=b"")
    p.failure = error
    return _output(p)


def handle(state: State, data: bytes) -> tuple[State, Output]:
    """Process *data* received from the peer. Never raises for any *data*."""
    if not isinstance(state, Connection):
        raise TypeError("state must be a state returned by tls.client/server/handle")
    if isinstance(state.phase, (Closed, Failed)):
        return state, Output()
    p = Progress(state)
    try:
        receive(p, bytes(data))
    except errors.TLSError as e:
        out = _fail(p, e)
        return p.conn, out
    except Exception as e:
        if raise_internal_errors:
            raise
        out = _fail(p, errors.InternalError(f"bug: {type(e).__name__}: {e}"))
        return p.conn, out
    return p.conn, _output(p)


def send(state: State, data: bytes) -> tuple[State, Output]:
    """Application data to send (``Output.to_send``). Raises MisuseError unless the
    handshake completed and the connection is neither closing nor failed."""
    if not isinstance(state.phase, Established) or state.close_sent:
        raise MisuseError(f"cannot send application data in {type(state.phase).__name__}")
    p = Progress(state)
    send_application_data(p, bytes(data))
    return p.conn, _output(p)


def close(state: State) -> tuple[State, Output]:
    """Send close_notify (RFC 5246 §7.2.1). After it nothing more can be sent; an
    established connection still reads until the peer's close_notify. Closing a
    connection whose handshake is not complete ends it (the state becomes Closed).
    Closing twice, or a failed connection, returns an empty Output."""
    if state.close_sent or isinstance(state.phase, (Closed, Failed)):
        return state, Output()
    conn, record = alert_record(state, AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY)
    conn = dataclasses.replace(conn, close_sent=True)
    if not isinstance(conn.phase, Established):
        conn = dataclasses.replace(conn, phase=Closed(None))
    return conn, Output(to_send=record)


def is_established(state: State) -> bool:
    """Whether the handshake completed and the connection is open (data may be sent)."""
    return isinstance(state.phase, Established) and not state.close_sent


def is_closed(state: State) -> bool:
    """Whether the connection is over for sending: close_notify sent or received, or the
    connection failed."""
    return state.close_sent or isinstance(state.phase, (Closed, Failed))


def session_of(state: State) -> Session | None:
    """The session of a completed handshake (also once closed after it), else None."""
    phase = state.phase
    if isinstance(phase, (Established, Closed)):
        return phase.session
    return None
