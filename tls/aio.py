"""asyncio streams over the sans-I/O TLS engine (RFC 5246), in the shape of
``asyncio.open_connection``/``asyncio.start_server``::

    reader, writer = await tls.aio.open_connection("example.org", 443, config)
    writer.write(b"GET / HTTP/1.0\\r\\n\\r\\n"); await writer.drain()
    page = await reader.read()          # b"" only after the server's close_notify
    writer.close(); await writer.wait_closed()

    server = await tls.aio.start_server(handle_client, "127.0.0.1", 0, config)

An asyncio ``Protocol`` drives the engine: every chunk the transport delivers goes through
``tls.handle``, its ``to_send`` is written back, its ``data`` is fed to an
``asyncio.StreamReader``. :class:`TLSStreamWriter` has the methods of
``asyncio.StreamWriter`` that make sense for TLS (no ``write_eof``: TLS 1.2 has no half
close, RFC 5246 §7.2.1). Errors are those of :mod:`tls.socket`: a failed handshake raises
:class:`~tls.socket.HandshakeError` from ``open_connection``; after the handshake a failure
or a transport end without close_notify makes the reader raise
:class:`~tls.socket.ProtocolError` or :class:`~tls.socket.TruncatedError` (the error takes
precedence over data still buffered in the reader, as ``StreamReader.set_exception`` does).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Final, TypeAlias

import tls
from tls._wire import AlertDescription, AlertLevel
from tls.config import Config
from tls.events import AlertReceived, Closed, HandshakeComplete, Session
from tls.socket import (
    HandshakeError,
    PeerCertificate,
    ProtocolError,
    TLSSocketError,
    TruncatedError,
    _failure_message,
    _secret_bits,
    peer_certificate_dict,
    version_string,
    with_system_clock,
)

__all__ = ["TLSStreamWriter", "open_connection", "start_server"]

#: The default buffer limit of the stream reader (as asyncio's).
DEFAULT_LIMIT: Final = 2**16

_LOG = logging.getLogger(__name__)
_State: TypeAlias = tls.State
ClientConnected: TypeAlias = Callable[
    [asyncio.StreamReader, "TLSStreamWriter"], Awaitable[None] | None
]


class _TLSProtocol(asyncio.Protocol):
    """Moves bytes between a transport and the engine; one per connection."""

    def __init__(
        self,
        state: _State,
        first: bytes,
        limit: int,
        on_established: Callable[[_TLSProtocol], None] | None = None,
    ) -> None:
        self._state = state
        self._first = first
        self._loop = asyncio.get_running_loop()
        self.reader = asyncio.StreamReader(limit=limit, loop=self._loop)
        self.handshake: asyncio.Future[Session] = self._loop.create_future()
        self.closed: asyncio.Future[None] = self._loop.create_future()
        self._on_established = on_established
        self._transport: asyncio.Transport | None = None
        self.session: Session | None = None
        self.error: TLSSocketError | None = None
        self.peer_closed = False
        self.we_closed = False
        self._paused = False
        self._drain_waiters: list[asyncio.Future[None]] = []

    # -- asyncio callbacks --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self.reader.set_transport(transport)
        if self._first:
            transport.write(self._first)

    def data_received(self, data: bytes) -> None:
        if self.error is not None or self._transport is None:
            return
        self._state, out = tls.handle(self._state, data)
        self._process(out)

    def eof_received(self) -> bool:
        if not self.peer_closed and self.error is None:
            stage = "handshake" if self.session is None else "connection"
            message = f"TLS {stage} truncated: the peer closed the transport without close_notify"
            kind = TruncatedError if self.session is not None else HandshakeError
            self._fail(kind(message))
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        if (
            self.error is None
            and not self.peer_closed
            and (self.session is None or not self.we_closed)
        ):
            stage = "handshake" if self.session is None else "connection"
            reason = f": {exc}" if exc else ""
            kind = HandshakeError if self.session is None else TruncatedError
            self._fail(kind(f"TLS {stage} lost before close_notify{reason}"))
        if not self.reader.at_eof() and self.error is None:
            self.reader.feed_eof()
        if not self.closed.done():
            self.closed.set_result(None)
        self._wake_writers()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._wake_writers()

    # -- engine glue --------------------------------------------------------------------------

    def _process(self, out: tls.Output) -> None:
        assert self._transport is not None
        if out.to_send and not self._transport.is_closing():
            self._transport.write(out.to_send)
        if out.data:
            self.reader.feed_data(out.data)
        peer_alert: AlertDescription | None = None
        established = False
        for event in out.events:
            if isinstance(event, HandshakeComplete):
                self.session = event.session
                established = True
            elif isinstance(event, Closed):
                self.peer_closed = True
            elif isinstance(event, AlertReceived) and event.level == AlertLevel.FATAL:
                peer_alert = event.description
        if established and self.session is not None:
            if not self.handshake.done():
                self.handshake.set_result(self.session)
            if self._on_established is not None:
                self._on_established(self)
        if out.failure is not None or peer_alert is not None:
            stage = "handshake failed" if self.session is None else "TLS connection failed"
            kind = HandshakeError if self.session is None else ProtocolError
            self._fail(
                kind(_failure_message(stage, out.failure, peer_alert), out.failure, peer_alert)
            )
            self._transport.close()
            return
        if self.peer_closed:
            self.reader.feed_eof()

    def _fail(self, error: TLSSocketError) -> None:
        self.error = error
        if not self.handshake.done():
            self.handshake.set_exception(error)
            self.handshake.exception()  # retrieved: no "never retrieved" warning
        else:
            self.reader.set_exception(error)
        self._wake_writers()

    def _wake_writers(self) -> None:
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._drain_waiters.clear()

    # -- used by the writer -------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        if self.we_closed or self._transport is None or self._transport.is_closing():
            raise ConnectionResetError("the TLS connection is closed")
        if self.peer_closed:
            raise BrokenPipeError("the peer closed the TLS connection (close_notify)")
        self._state, out = tls.send(self._state, data)
        self._process(out)

    def close(self) -> None:
        if self._transport is None or self.we_closed:
            return
        self.we_closed = True
        if self.error is None and self.session is not None and not self._transport.is_closing():
            try:
                self._state, out = tls.close(self._state)
                if out.to_send:
                    self._transport.write(out.to_send)
            except tls.MisuseError:
                pass  # the state is closed already
        self._transport.close()

    async def drain(self) -> None:
        if self.error is not None:
            raise self.error
        if self._transport is not None and self._transport.is_closing():
            await asyncio.sleep(0)  # let connection_lost run, as StreamWriter.drain does
        if self._paused and self._transport is not None and not self._transport.is_closing():
            waiter: asyncio.Future[None] = self._loop.create_future()
            self._drain_waiters.append(waiter)
            await waiter
        if self.error is not None:
            raise self.error

    @property
    def transport(self) -> asyncio.Transport:
        assert self._transport is not None
        return self._transport


class TLSStreamWriter:
    """The writing half of a TLS connection, like ``asyncio.StreamWriter``."""

    def __init__(self, protocol: _TLSProtocol) -> None:
        """Internal: made by :func:`open_connection` and :func:`start_server`."""
        self._protocol = protocol

    @property
    def transport(self) -> asyncio.Transport:
        """The TCP transport (writing to it directly bypasses TLS: do not)."""
        return self._protocol.transport

    @property
    def session(self) -> Session:
        """What the handshake agreed on."""
        assert self._protocol.session is not None
        return self._protocol.session

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Encrypt *data* and queue it on the transport (call :meth:`drain` after)."""
        self._protocol.send(bytes(data))

    def writelines(self, data: list[bytes]) -> None:
        """Write each of *data*."""
        self.write(b"".join(data))

    async def drain(self) -> None:
        """Wait until the transport's buffer is low; raises the connection's error."""
        await self._protocol.drain()

    def can_write_eof(self) -> bool:
        """False: TLS 1.2 has no half close (close_notify closes both directions)."""
        return False

    def close(self) -> None:
        """Send close_notify (RFC 5246 §7.2.1) and close the transport."""
        self._protocol.close()

    def is_closing(self) -> bool:
        """Whether the transport is closing or closed."""
        return self._protocol.we_closed or self.transport.is_closing()

    async def wait_closed(self) -> None:
        """Wait until the transport is closed."""
        await asyncio.shield(self._protocol.closed)

    def version(self) -> str:
        """The negotiated version as ``ssl`` names it ("TLSv1.2", ...)."""
        return version_string(self.session.version)

    def cipher(self) -> tuple[str, str, int]:
        """(IANA suite name, version string, secret bits), as ``ssl``'s ``cipher()``."""
        return (self.session.cipher_suite.name, self.version(), _secret_bits(self.session))

    def selected_alpn_protocol(self) -> str | None:
        """The ALPN protocol agreed on, or None."""
        return self.session.alpn_protocol

    def get_extra_info(self, name: str, default: object = None) -> object:
        """ "session", "cipher", "version", "alpn_protocol", "peercert" (ssl's dict),
        "peercert_der", or the transport's ("peername", "sockname", "socket", ...)."""
        session = self.session
        certs = session.peer_certificates
        peercert: PeerCertificate | None = peer_certificate_dict(certs[0]) if certs else None
        ours: dict[str, object] = {
            "session": session,
            "cipher": self.cipher(),
            "version": self.version(),
            "alpn_protocol": session.alpn_protocol,
            "peercert": peercert,
            "peercert_der": certs[0].der if certs else None,
        }
        if name in ours:
            return ours[name]
        return self.transport.get_extra_info(name, default)

    def __repr__(self) -> str:
        return f"<TLSStreamWriter {self.version()} {self.session.cipher_suite.name}>"


async def open_connection(
    host: str,
    port: int,
    config: Config,
    server_hostname: str | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> tuple[asyncio.StreamReader, TLSStreamWriter]:
    """Connect to *host*:*port* and run the client handshake; (reader, writer) once done.

    *server_hostname* (default: *host*) is sent as SNI and checked against the server's
    certificate. Raises :class:`~tls.socket.HandshakeError`, ``OSError``, or
    ``tls.MisuseError`` for a client configuration without an authenticator (as
    ``tls.client`` does)."""
    loop = asyncio.get_running_loop()
    config = with_system_clock(config)
    state, first = tls.client(config, host if server_hostname is None else server_hostname)
    protocol: _TLSProtocol | None = None

    def factory() -> _TLSProtocol:
        nonlocal protocol
        protocol = _TLSProtocol(state, first.to_send, limit)
        return protocol

    transport, _ = await loop.create_connection(factory, host, port)
    assert protocol is not None
    try:
        await protocol.handshake
    except BaseException:
        transport.close()
        raise
    return protocol.reader, TLSStreamWriter(protocol)


async def start_server(
    client_connected_cb: ClientConnected,
    host: str | None,
    port: int,
    config: Config,
    *,
    limit: int = DEFAULT_LIMIT,
) -> asyncio.Server:
    """Listen on *host*:*port*; for each client whose handshake succeeds call
    ``client_connected_cb(reader, writer)`` (a coroutine function runs as a task). A
    failed handshake closes that connection (logged at debug level on ``tls.aio``)."""
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()

    def established(protocol: _TLSProtocol) -> None:
        result = client_connected_cb(protocol.reader, TLSStreamWriter(protocol))
        if asyncio.iscoroutine(result):
            task: asyncio.Task[None] = loop.create_task(result)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    def factory() -> _TLSProtocol:
        protocol = _TLSProtocol(tls.server(with_system_clock(config)), b"", limit, established)
        protocol.handshake.add_done_callback(_log_failure)
        return protocol

    return await loop.create_server(factory, host, port)


def _log_failure(future: asyncio.Future[Session]) -> None:
    if not future.cancelled() and future.exception() is not None:
        _LOG.debug("TLS handshake failed: %s", future.exception())
