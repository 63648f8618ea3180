"""A blocking TLS socket over the sans-I/O engine, in the vocabulary of Python's ``ssl``.

The engine (``tls.client``/``tls.server``/``tls.handle``/``tls.send``/``tls.close``) is pure;
this module is one of the few places that does I/O (DESIGN.md, "the layers"). It moves bytes
between a connected ``socket.socket`` and the engine and keeps the engine's state value::

    sock = tls.socket.connect(("example.org", 443), config)     # the handshake is done
    sock.sendall(b"GET / HTTP/1.1\\r\\nHost: example.org\\r\\n\\r\\n")
    sock.recv(4096); sock.version(); sock.cipher(); sock.getpeercert()
    sock.close()                                                # close_notify, then close

    server_side = tls.socket.wrap_server(accepted_socket, config)

Closure (RFC 5246 §7.2.1): :meth:`TLSSocket.recv` returns ``b""`` only once the peer has
sent close_notify. A TCP end of stream without it is a *truncation* (an attacker can cut a
connection; without close_notify the data received may be incomplete): ``recv`` then raises
:class:`TruncatedError` instead of returning ``b""``. :meth:`TLSSocket.close` sends our
close_notify before closing the socket.

Failures raise :class:`TLSSocketError` subclasses (all ``OSError``, as ``ssl.SSLError`` is):
:class:`HandshakeError` (the handshake failed: our engine rejected the peer, or the peer
sent a fatal alert), :class:`ProtocolError` (the same after the handshake),
:class:`TruncatedError`. ``.failure`` carries the engine's typed reason (a
``tls.errors.TLSError`` whose ``alert`` was sent), ``.peer_alert`` the fatal alert the
peer sent, if that is what ended the connection.

Only blocking sockets (with or without a timeout) are supported. A timeout during a read
loses nothing: the bytes already read are in the engine's state. A timeout (or any error)
while writing ends the connection: a record may have been cut. One thread may read while
another writes; the engine state is updated under a lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import ipaddress
import socket
import threading
from collections import deque
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Final, Literal, TypeAlias, cast, overload

import tls
import x509
from tls import errors
from tls._wire import AlertDescription, AlertLevel, ProtocolVersion
from tls.config import Config
from tls.events import AlertReceived, Closed, HandshakeComplete, Session

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

__all__ = [
    "HandshakeError",
    "PeerCertificate",
    "ProtocolError",
    "TLSSocket",
    "TLSSocketError",
    "TruncatedError",
    "connect",
    "peer_certificate_dict",
    "system_clock",
    "version_string",
    "with_system_clock",
    "wrap_client",
    "wrap_server",
]

#: Bytes asked of the socket per read: a few maximal records (2^14 + 2048 each, RFC 5246
#: §6.2.3), so that bulk transfers take few system calls.
READ_SIZE: Final = 1 << 18
#: Application data handed to ``tls.send`` at a time by ``sendall`` (the engine splits it
#: into records of at most 2^14 bytes, RFC 5246 §6.2.1); bounds the memory of one step.
SEND_CHUNK: Final = 1 << 18

_VERSION_NAMES: Final = {
    ProtocolVersion.TLS10: "TLSv1",
    ProtocolVersion.TLS11: "TLSv1.1",
    ProtocolVersion.TLS12: "TLSv1.2",
}

_State: TypeAlias = tls.State


class TLSSocketError(OSError):
    """A TLS connection failed. ``failure`` is the engine's reason (its ``alert`` was sent
    to the peer), ``peer_alert`` the fatal alert the peer sent (either may be None)."""

    def __init__(
        self,
        message: str,
        failure: errors.TLSError | None = None,
        peer_alert: AlertDescription | None = None,
    ) -> None:
        super().__init__(message)
        self.failure = failure
        self.peer_alert = peer_alert

    def __str__(self) -> str:
        return str(self.args[0])


class HandshakeError(TLSSocketError):
    """The handshake failed (a bad certificate, no common suite, a peer's fatal alert...)."""


class ProtocolError(TLSSocketError):
    """An established connection failed (a bad record MAC, a peer's fatal alert...)."""


class TruncatedError(TLSSocketError):
    """The transport ended without the peer's close_notify (RFC 5246 §7.2.1): the data
    may have been cut by an attacker."""


def version_string(version: ProtocolVersion) -> str:
    """``ssl``'s name of *version*: "TLSv1", "TLSv1.1" or "TLSv1.2"."""
    return _VERSION_NAMES.get(version, version.name)


def _secret_bits(session: Session) -> int:
    """The bits of the bulk cipher's key, as ``ssl``'s ``cipher()[2]`` gives them (3DES:
    112, its effective strength, as OpenSSL reports it)."""
    if session.cipher_suite.cipher.name == "TRIPLE_DES_EDE_CBC":
        return 112
    return session.cipher_suite.key_length * 8


def _failure_message(
    stage: str, failure: errors.TLSError | None, peer: AlertDescription | None
) -> str:
    if peer is not None:
        return f"{stage}: the peer sent the fatal alert {peer.name.lower()}"
    if failure is not None:
        detail = f": {failure.message}" if failure.message else ""
        return (
            f"{stage}: {type(failure).__name__}{detail} (sent alert {failure.alert.name.lower()})"
        )
    return f"{stage}: the connection failed"


class TLSSocket:
    """A TLS connection over a connected blocking socket; made by :func:`connect`,
    :func:`wrap_client` or :func:`wrap_server` once the handshake is complete."""

    def __init__(self, sock: socket.socket, state: _State) -> None:
        """Internal: use :func:`connect`, :func:`wrap_client` or :func:`wrap_server`."""
        self._sock = sock
        self._state = state
        self._session: Session | None = None
        # Decrypted data not yet read: whole chunks from the engine (handed out without a
        # copy when they fit), the read offset into the first, and the total.
        self._incoming: deque[bytes] = deque()
        self._offset = 0
        self._buffered = 0
        self._lock = threading.RLock()  # the engine state and the queue below
        self._outgoing: list[bytes] = []  # bytes from the engine, not yet written
        self._write_lock = threading.Lock()  # one thread writes the queue to the socket
        self._read_lock = threading.Lock()  # one reader at a time
        self._peer_closed = False  # close_notify received
        self._error: TLSSocketError | None = None
        self._closed = False
        self._released = False
        self._io_refs = 0

    # -- the handshake ------------------------------------------------------------------------

    def _run_handshake(self, first: tls.Output | None) -> None:
        if first is not None:
            with self._lock:
                error = self._apply(first)
            self._settle(error, wait=True)
        while self._session is None:
            self._read_more(wait=True)

    # -- engine glue --------------------------------------------------------------------------
    #
    # The engine state is one value for both directions, updated under ``_lock``; the bytes
    # it produces are queued under ``_lock`` and written to the socket by ``_flush`` outside
    # it, in queue order, under ``_write_lock``. So a writer blocked in the socket (the peer
    # is not reading, perhaps because it waits to write to us) never stops a reader from
    # decrypting; a reader only writes (an alert, a close_notify answer) when no one else
    # is writing, and otherwise leaves its bytes to the writer, who sends the queue empty.

    def _apply(self, out: tls.Output) -> TLSSocketError | None:
        """With ``_lock`` held: queue ``out.to_send``, keep ``out.data``, apply the events;
        the error to raise when the connection failed."""
        if out.to_send:
            self._outgoing.append(out.to_send)
        if out.data:
            self._incoming.append(out.data)
            self._buffered += len(out.data)
        peer_alert: AlertDescription | None = None
        for event in out.events:
            if isinstance(event, HandshakeComplete):
                self._session = event.session
            elif isinstance(event, Closed):
                self._peer_closed = True
            elif isinstance(event, AlertReceived) and event.level == AlertLevel.FATAL:
                peer_alert = event.description
        if out.failure is None and peer_alert is None:
            return None
        stage = "handshake failed" if self._session is None else "TLS connection failed"
        kind = HandshakeError if self._session is None else ProtocolError
        error = kind(_failure_message(stage, out.failure, peer_alert), out.failure, peer_alert)
        self._error = error
        return error

    def _settle(self, error: TLSSocketError | None, wait: bool) -> None:
        """Without ``_lock``: write the queue; on *error*, close and raise it."""
        if error is None:
            self._flush(wait)
            return
        with contextlib.suppress(OSError):  # the peer may be gone already
            self._flush(wait)  # the fatal alert, if nobody else is writing
        self._release()
        raise error

    def _flush(self, wait: bool) -> None:
        """Write the queued bytes in order. With *wait* False, leave them to the thread
        that is writing, if any (it empties the queue before it stops)."""
        while self._outgoing:
            if not self._write_lock.acquire(blocking=wait):
                return
            try:
                while True:
                    with self._lock:
                        if not self._outgoing:
                            break
                        out = self._outgoing
                        data = out[0] if len(out) == 1 else b"".join(out)
                        out.clear()
                    try:
                        self._sock.sendall(data)
                    except OSError as e:
                        # Part of a record may be out: nothing can follow it (a timeout
                        # here ends the connection, unlike a timeout while reading).
                        if self._error is None:
                            self._error = ProtocolError(f"TLS connection broken while writing: {e}")
                        raise
            finally:
                self._write_lock.release()

    def _read_more(self, wait: bool = False) -> None:
        """One read from the socket through the engine; raises on failure or truncation."""
        if self._error is not None:
            raise self._error
        raw = self._sock.recv(READ_SIZE)
        if not raw:
            if self._peer_closed:
                return
            stage = "handshake" if self._session is None else "connection"
            message = f"TLS {stage} truncated: the peer closed the transport without close_notify"
            kind = HandshakeError if self._session is None else TruncatedError
            self._error = kind(message)
            raise self._error
        with self._lock:
            self._state, out = tls.handle(self._state, raw)
            error = self._apply(out)
        self._settle(error, wait)

    def _check_usable(self) -> None:
        # After close() the connection lives on while files from makefile() are open.
        if self._released and self._error is None:
            raise ValueError("I/O operation on a closed TLS socket")
        if self._error is not None:
            raise self._error

    # -- reading ------------------------------------------------------------------------------

    def recv(self, bufsize: int = 1024, flags: int = 0) -> bytes:
        """Up to *bufsize* bytes of application data, blocking until some arrive.

        ``b""`` means the peer sent close_notify (a clean end). An end of the transport
        without close_notify raises :class:`TruncatedError`; a TLS failure
        :class:`ProtocolError`; a socket timeout ``TimeoutError`` (nothing is lost, the
        call may be repeated)."""
        if flags:
            raise ValueError("flags are not supported on a TLS socket")
        if bufsize < 0:
            raise ValueError("negative buffer size")
        with self._read_lock:
            self._check_usable()
            while not self._buffered and bufsize:
                if self._peer_closed:
                    return b""
                self._read_more()
            if not bufsize:
                return b""
            first = self._incoming[0]
            if self._offset == 0 and len(first) <= bufsize:
                data = self._incoming.popleft()
            else:
                data = first[self._offset : self._offset + bufsize]
                self._offset += len(data)
                if self._offset == len(first):
                    self._incoming.popleft()
                    self._offset = 0
            self._buffered -= len(data)
            return data

    def recv_into(self, buffer: memoryview | bytearray, nbytes: int = 0, flags: int = 0) -> int:
        """Like :meth:`recv`, into *buffer* (at most *nbytes*, or its length); 0 at the end."""
        view = memoryview(buffer).cast("B")
        data = self.recv(nbytes or len(view), flags)
        view[: len(data)] = data
        return len(data)

    def pending(self) -> int:
        """How many decrypted bytes are ready to be read without blocking."""
        return self._buffered

    # -- writing ------------------------------------------------------------------------------

    def sendall(self, data: bytes | bytearray | memoryview) -> None:
        """Encrypt and write all of *data* (in records of at most 2^14 bytes).
        ``BrokenPipeError`` once the peer has sent close_notify."""
        view = memoryview(data).cast("B")
        self._check_usable()
        for start in range(0, len(view), SEND_CHUNK):
            with self._lock:
                self._check_usable()
                if self._peer_closed:
                    # RFC 5246 §7.2.1: the engine answered the peer's close_notify with its
                    # own; the connection is closed for writing too.
                    raise BrokenPipeError("the peer closed the TLS connection (close_notify)")
                if isinstance(data, bytes) and len(data) <= SEND_CHUNK:
                    chunk = data  # no copy needed
                else:
                    chunk = bytes(view[start : start + SEND_CHUNK])
                self._state, out = tls.send(self._state, chunk)
                error = self._apply(out)
            self._settle(error, wait=True)

    def send(self, data: bytes | bytearray | memoryview) -> int:
        """Write all of *data* (blocking, like an ``ssl`` socket); returns its length."""
        self.sendall(data)
        return memoryview(data).nbytes

    write = send
    read = recv

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Send close_notify (RFC 5246 §7.2.1), then close the socket. Files made by
        :meth:`makefile` keep the connection open until they are closed too."""
        if self._closed:
            return
        self._closed = True
        if self._io_refs <= 0:
            self._release()

    def _decref_socketios(self) -> None:
        self._io_refs -= 1
        if self._closed and self._io_refs <= 0:
            self._release()

    def _release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
            if self._error is None and self._session is not None:
                try:
                    self._state, out = tls.close(self._state)
                    self._apply(out)
                except tls.MisuseError:
                    pass  # the state is closed already: nothing to say
        if self._error is None:
            with contextlib.suppress(OSError):  # the peer is gone: close_notify is lost
                self._flush(wait=True)
        self._sock.close()

    def shutdown(self, how: int) -> None:
        """Shut down the underlying socket (no close_notify; use :meth:`close`)."""
        self._sock.shutdown(how)

    def __enter__(self) -> TLSSocket:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- files --------------------------------------------------------------------------------

    @overload
    def makefile(self, mode: Literal["rb"], buffering: int | None = None) -> io.BufferedReader: ...
    @overload
    def makefile(self, mode: Literal["wb"], buffering: int | None = None) -> io.BufferedWriter: ...
    @overload
    def makefile(
        self, mode: Literal["rwb", "wrb"], buffering: int | None = None
    ) -> io.BufferedRWPair: ...
    @overload
    def makefile(
        self,
        mode: Literal["r", "w", "rw", "wr"] = "r",
        buffering: int | None = None,
        *,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> io.TextIOWrapper: ...
    def makefile(
        self,
        mode: str = "r",
        buffering: int | None = None,
        *,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> io.IOBase:
        """A file object over the connection, as ``socket.makefile`` makes (modes made of
        "r", "w", "b"). The connection stays open until the file is closed too."""
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError(f"invalid mode {mode!r} (only r, w, b allowed)")
        writing = "w" in mode
        reading = "r" in mode or not writing
        binary = "b" in mode
        raw = _TLSRawIO(self, ("r" if reading else "") + ("w" if writing else ""))
        self._io_refs += 1
        size = io.DEFAULT_BUFFER_SIZE if buffering is None or buffering < 0 else buffering
        if size == 0:
            if not binary:
                raise ValueError("unbuffered streams must be binary")
            return raw
        buffer: io.BufferedIOBase
        if reading and writing:
            buffer = io.BufferedRWPair(raw, raw, size)
        elif reading:
            buffer = io.BufferedReader(raw, size)
        else:
            buffer = io.BufferedWriter(raw, size)
        if binary:
            return buffer
        # BufferedRWPair lacks ``name`` in typeshed's protocol; TextIOWrapper does not need it.
        return io.TextIOWrapper(cast(BinaryIO, buffer), encoding, errors, newline)

    # -- what was negotiated ------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """What the handshake agreed on (the engine's :class:`tls.events.Session`)."""
        assert self._session is not None  # set before any TLSSocket is handed out
        return self._session

    def version(self) -> str:
        """The negotiated version as ``ssl`` names it: "TLSv1.2", "TLSv1.1" or "TLSv1"."""
        return version_string(self.session.version)

    def cipher(self) -> tuple[str, str, int]:
        """(the suite's IANA name, the version string, the secret bits of the cipher key)."""
        session = self.session
        return (session.cipher_suite.name, self.version(), _secret_bits(session))

    def selected_alpn_protocol(self) -> str | None:
        """The ALPN protocol agreed on (RFC 7301), or None."""
        return self.session.alpn_protocol

    @overload
    def getpeercert(self, binary_form: Literal[False] = False) -> PeerCertificate | None: ...
    @overload
    def getpeercert(self, binary_form: Literal[True]) -> bytes | None: ...
    def getpeercert(self, binary_form: bool = False) -> PeerCertificate | bytes | None:
        """The peer's leaf certificate: DER with *binary_form*, else a dict shaped like
        ``ssl``'s (subject, issuer, version, serialNumber, notBefore, notAfter,
        subjectAltName). None when the peer sent none (a server: no client certificates
        are asked for). Unlike ``ssl``, the dict is filled even when the chain was not
        validated (``insecure_skip_verify``)."""
        certs = self.session.peer_certificates
        if not certs:
            return None
        return certs[0].der if binary_form else peer_certificate_dict(certs[0])

    # -- the socket ---------------------------------------------------------------------------

    def fileno(self) -> int:
        """The file descriptor of the underlying socket."""
        return self._sock.fileno()

    def settimeout(self, timeout: float | None) -> None:
        """Set the underlying socket's timeout (None: block)."""
        self._sock.settimeout(timeout)

    def gettimeout(self) -> float | None:
        """The underlying socket's timeout."""
        return self._sock.gettimeout()

    def getpeername(self) -> tuple[str, int]:
        """The peer's address."""
        name: tuple[str, int] = self._sock.getpeername()[:2]
        return name

    def getsockname(self) -> tuple[str, int]:
        """Our address."""
        name: tuple[str, int] = self._sock.getsockname()[:2]
        return name

    def __repr__(self) -> str:
        if self._closed:
            return "<TLSSocket closed>"
        if self._session is None:
            return "<TLSSocket handshaking>"
        return f"<TLSSocket {self.version()} {self.session.cipher_suite.name}>"


class _TLSRawIO(io.RawIOBase):
    """The raw file under :meth:`TLSSocket.makefile` (as ``socket.SocketIO``)."""

    def __init__(self, sock: TLSSocket, mode: str) -> None:
        super().__init__()
        self._tls = sock
        self._mode = mode

    def readable(self) -> bool:
        return "r" in self._mode

    def writable(self) -> bool:
        return "w" in self._mode

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        return self._tls.recv_into(memoryview(buffer))

    def write(self, data: ReadableBuffer, /) -> int:
        return self._tls.send(memoryview(data))

    def fileno(self) -> int:
        return self._tls.fileno()

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._tls._decref_socketios()


# -- constructors ------------------------------------------------------------------------------


def system_clock() -> datetime:
    """The current UTC time: the clock the adapters give an engine whose ``Config.now`` is
    None (the engine itself never reads a clock, DESIGN.md principle 1)."""
    return datetime.now(UTC)


def with_system_clock(config: Config) -> Config:
    """*config*, with :func:`system_clock` as ``now`` unless it has a clock already."""
    return config if config.now is not None else dataclasses.replace(config, now=system_clock)


def wrap_client(
    sock: socket.socket, config: Config, server_hostname: str | None = None
) -> TLSSocket:
    """Run a client handshake over the connected *sock*; the :class:`TLSSocket` on success.

    *server_hostname* is the name the server's certificate is checked for, and is sent as
    SNI when it is a DNS name (RFC 6066 §3: not for IP addresses). Raises
    :class:`HandshakeError` (the socket is then closed), ``tls.MisuseError`` for a client
    configuration with neither an authenticator nor ``insecure_skip_verify``,
    ``OSError``/``TimeoutError`` from the socket."""
    try:
        state, first = tls.client(with_system_clock(config), server_hostname)
        conn = TLSSocket(sock, state)
        conn._run_handshake(first)
    except BaseException:
        sock.close()
        raise
    return conn


def wrap_server(sock: socket.socket, config: Config) -> TLSSocket:
    """Run a server handshake over the accepted *sock*; the :class:`TLSSocket` on
    success. Raises like :func:`wrap_client`."""
    try:
        conn = TLSSocket(sock, tls.server(with_system_clock(config)))
        conn._run_handshake(None)
    except BaseException:
        sock.close()
        raise
    return conn


def connect(
    address: tuple[str, int],
    config: Config,
    server_hostname: str | None = None,
    timeout: float | None = None,
) -> TLSSocket:
    """Open a TCP connection to *address* and run the client handshake.

    *server_hostname* defaults to the host of *address* (so the certificate is checked for
    the name that was dialled); *timeout* applies to the connection and to every later
    operation (``TimeoutError``)."""
    host, port = address
    name = host if server_hostname is None else server_hostname
    sock = socket.create_connection((host, port), timeout=timeout)
    return wrap_client(sock, config, name)


# -- getpeercert's dictionary --------------------------------------------------------------------

_Pairs: TypeAlias = tuple[tuple[str, str], ...]
_RDNs: TypeAlias = tuple[_Pairs, ...]
#: The shape of ``ssl.SSLSocket.getpeercert()``'s dictionary.
PeerCertificate: TypeAlias = dict[str, "str | int | _RDNs | tuple[tuple[str, str | _RDNs], ...]"]

#: OpenSSL's long names of attribute types (what ``ssl`` shows), by OID.
_LONG_NAMES: Final = {
    "2.5.4.3": "commonName",
    "2.5.4.4": "surname",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "countryName",
    "2.5.4.7": "localityName",
    "2.5.4.8": "stateOrProvinceName",
    "2.5.4.9": "streetAddress",
    "2.5.4.10": "organizationName",
    "2.5.4.11": "organizationalUnitName",
    "2.5.4.12": "title",
    "2.5.4.13": "description",
    "2.5.4.15": "businessCategory",
    "2.5.4.17": "postalCode",
    "2.5.4.41": "name",
    "2.5.4.42": "givenName",
    "2.5.4.43": "initials",
    "2.5.4.44": "generationQualifier",
    "2.5.4.46": "dnQualifier",
    "2.5.4.65": "pseudonym",
    "2.5.4.97": "organizationIdentifier",
    "0.9.2342.19200300.100.1.1": "userId",
    "0.9.2342.19200300.100.1.25": "domainComponent",
    "1.2.840.113549.1.9.1": "emailAddress",
    "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionLocalityName",
    "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionStateOrProvinceName",
    "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionCountryName",
}
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _name_tuple(name: x509.Name) -> _RDNs:
    rdns = []
    for rdn in name.rdns:
        rdns.append(
            tuple(
                (_LONG_NAMES.get(str(a.oid), str(a.oid)), a.value if a.value is not None else "")
                for a in rdn
            )
        )
    return tuple(rdns)


def _openssl_time(moment: datetime) -> str:
    month = _MONTHS[moment.month - 1]
    return f"{month} {moment.day:2d} {moment:%H:%M:%S} {moment.year} GMT"


def _openssl_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    # OpenSSL writes IPv6 as eight upper-case groups without zero compression.
    words = address.packed
    return ":".join(f"{int.from_bytes(words[i : i + 2], 'big'):X}" for i in range(0, 16, 2))


def peer_certificate_dict(cert: x509.Certificate) -> PeerCertificate:
    """*cert* as ``ssl``'s ``getpeercert()`` shows it: long attribute names, OpenSSL's
    time format ("Jan  5 09:00:00 2027 GMT"), the serial in upper-case hex."""
    serial = f"{cert.serial_number:X}"
    out: PeerCertificate = {
        "subject": _name_tuple(cert.subject),
        "issuer": _name_tuple(cert.issuer),
        "version": cert.version,
        "serialNumber": serial if len(serial) % 2 == 0 else "0" + serial,
        "notBefore": _openssl_time(cert.not_before),
        "notAfter": _openssl_time(cert.not_after),
    }
    san = cert.extensions.subject_alternative_name
    if san is not None:
        names: list[tuple[str, str | _RDNs]] = []
        for general in san.names:
            if isinstance(general, x509.DNSName):
                names.append(("DNS", str(general.value)))
            elif isinstance(general, x509.RFC822Name):
                names.append(("email", str(general.value)))
            elif isinstance(general, x509.URI):
                names.append(("URI", str(general.value)))
            elif isinstance(general, x509.IPAddress):
                names.append(("IP Address", _openssl_ip(general.value)))
            elif isinstance(general, x509.DirectoryName):
                names.append(("DirName", _name_tuple(general.value)))
            elif isinstance(general, x509.RegisteredID):
                names.append(("Registered ID", str(general.value)))
            else:
                names.append(("othername", "<unsupported>"))
        out["subjectAltName"] = tuple(names)
    return out
