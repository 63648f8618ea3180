"""The record layer of the engine: bytes in, handshake messages and data out, and the
instructions of the handshake turned into protected records.

RFC 5246 §6.2 (record layer: fragmentation, the 2^14 plaintext limit, §6.2.3 ciphertext
limits via ``tls._record``), §6.2.1 (a handshake message may span records and a record
may hold several messages; "Implementations MUST NOT send zero-length fragments of
Handshake, Alert, or ChangeCipherSpec content types"), §7.1 (ChangeCipherSpec), §7.2
(alerts; §7.2.1 closure: "The other party MUST respond with a close_notify alert of its
own"), appendix E.1 (record versions). Also the TLS 1.0 CBC 1/n-1 record split against
BEAST (a fragment of 1 byte, then the rest; the first record's IV is then unpredictable
to an attacker who chose the rest).

Everything here is a function of its arguments; the mutable :class:`Progress` only
collects the output of one ``handle``/``send`` call (so that a failure half-way still
knows what was already produced and which write cipher is active).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Final

from tls import _client, _server, errors
from tls._messages import ServerHello
from tls._reader import (
    parse_alert,
    parse_change_cipher_spec,
    parse_handshake,
    parse_record_header,
    split_handshake,
)
from tls._record import protect, unprotect
from tls._state import (
    ChangeReadCipher,
    ChangeWriteCipher,
    Closed,
    Connection,
    EmitEvent,
    Established,
    Failed,
    Instruction,
    SendAlert,
    SendCCS,
    SendHandshake,
    SetVersion,
)
from tls._wire import (
    MAX_PLAINTEXT,
    AlertDescription,
    AlertLevel,
    ContentType,
    ProtocolVersion,
)
from tls.ciphersuites import MAC
from tls.events import AlertReceived, Event
from tls.events import Closed as ClosedEvent

__all__ = [
    "MAX_EMPTY_RECORDS",
    "FatalAlertReceived",
    "Progress",
    "alert_record",
    "apply",
    "receive",
    "send_application_data",
]

#: The most consecutive records that carry nothing (empty application data, warning
#: alerts) accepted; one more is an unexpected_message. Bounds the work a peer can cause
#: without progress (cf. CVE-2016-8610, "SSL Death Alert").
MAX_EMPTY_RECORDS: Final = 32


class FatalAlertReceived(errors.TLSError):
    """The peer sent a fatal alert (RFC 5246 §7.2: the connection is over). ``received``
    is the description it sent (an int when the description is unknown); nothing is
    sent back."""

    def __init__(self, received: AlertDescription | int) -> None:
        name = received.name if isinstance(received, AlertDescription) else str(received)
        super().__init__(f"the peer sent the fatal alert {name}")
        self.received = received


@dataclass
class Progress:
    """The output of one engine call, collected in order, and the latest connection."""

    conn: Connection
    to_send: list[bytes] = field(default_factory=list)
    data: list[bytes] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    failure: errors.TLSError | None = None


def _record_version(conn: Connection) -> ProtocolVersion:
    # RFC 5246 E.1: before the version is known a client sends {03,01} (the "lowest
    # version number supported by the client" is the usual, interoperable choice).
    return conn.version if conn.version is not None else ProtocolVersion.TLS10


def _send(p: Progress, content_type: ContentType, payload: bytes) -> None:
    """Protect *payload* as records of at most 2^14 bytes (RFC 5246 §6.2.1)."""
    conn = p.conn
    cipher = conn.write_cipher
    version = _record_version(conn)
    out = []
    for start in range(0, len(payload), MAX_PLAINTEXT):
        cipher, record = protect(
            cipher,
            content_type,
            version,
            payload[start : start + MAX_PLAINTEXT],
            conn.config.random,
        )
        out.append(record)
    p.to_send.append(b"".join(out))
    p.conn = dataclasses.replace(conn, write_cipher=cipher)


def alert_record(
    conn: Connection, level: AlertLevel, description: AlertDescription
) -> tuple[Connection, bytes]:
    """An alert record under the current write state (RFC 5246 §7.2)."""
    cipher, record = protect(
        conn.write_cipher,
        ContentType.ALERT,
        _record_version(conn),
        bytes((level, description)),
        conn.config.random,
    )
    return dataclasses.replace(conn, write_cipher=cipher), record


def apply(p: Progress, instructions: list[Instruction]) -> None:
    """Carry out the handshake's *instructions* in order. Consecutive handshake messages
    share records."""
    pending: list[bytes] = []

    def flush() -> None:
        if pending:
            _send(p, ContentType.HANDSHAKE, b"".join(pending))
            pending.clear()

    for ins in instructions:
        match ins:
            case SendHandshake(data=data):
                pending.append(data)
                continue
            case _:
                flush()
        match ins:
            case SendCCS():
                _send(p, ContentType.CHANGE_CIPHER_SPEC, b"\x01")
            case ChangeWriteCipher(cipher=cipher):
                p.conn = dataclasses.replace(p.conn, write_cipher=cipher)
            case ChangeReadCipher(cipher=cipher):
                p.conn = dataclasses.replace(p.conn, read_cipher=cipher)
            case SendAlert(level=level, description=description):
                p.conn, record = alert_record(p.conn, level, description)
                p.to_send.append(record)
            case SetVersion(version=version):
                p.conn = dataclasses.replace(p.conn, version=version)
            case EmitEvent(event=event):
                p.events.append(event)
            case SendHandshake():  # pragma: no cover - handled above
                pass
    flush()


def _dispatch(p: Progress, message: object, raw: bytes) -> None:
    conn = p.conn
    if (
        conn.role == "client"
        and conn.version is None
        and isinstance(message, ServerHello)
        and conn.config.min_version <= message.server_version <= conn.config.max_version
    ):
        # The server's version is one we offered: from now on our records carry it, the
        # alert of a ServerHello we go on to refuse included (RFC 5246 E.1; peers drop
        # records of another version once they have chosen).
        conn = p.conn = dataclasses.replace(conn, version=ProtocolVersion(message.server_version))
    if conn.role == "client":
        phase, instructions = _client.handle(conn.config, conn.phase, message, raw)
    else:
        phase, instructions = _server.handle(conn.config, conn.phase, message, raw)
    p.conn = dataclasses.replace(p.conn, phase=phase)
    apply(p, instructions)


def _count_empty(p: Progress) -> None:
    n = p.conn.empty_records + 1
    if n > MAX_EMPTY_RECORDS:
        raise errors.UnexpectedMessage(f"more than {MAX_EMPTY_RECORDS} empty records in a row")
    p.conn = dataclasses.replace(p.conn, empty_records=n)


def _alert(p: Progress, plaintext: bytes) -> bool:
    """Handle one alert record; True when reading must stop (closure or failure)."""
    alert = parse_alert(plaintext)
    try:
        level = AlertLevel(alert.level)
    except ValueError:
        raise errors.IllegalParameter(f"alert level {alert.level}") from None
    try:
        description: AlertDescription | int = AlertDescription(alert.description)
    except ValueError:
        description = alert.description
    if isinstance(description, AlertDescription):
        p.events.append(AlertReceived(level, description))
    if description == AlertDescription.CLOSE_NOTIFY:
        # RFC 5246 §7.2.1: answer with our own close_notify; "any data received after a
        # closure alert is ignored".
        p.events.append(ClosedEvent())
        conn = p.conn
        if not conn.close_sent:
            conn, record = alert_record(conn, AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY)
            p.to_send.append(record)
        session = conn.phase.session if isinstance(conn.phase, Established) else None
        p.conn = dataclasses.replace(conn, phase=Closed(session), close_sent=True, records=b"")
        return True
    if level == AlertLevel.FATAL:
        error = FatalAlertReceived(description)
        p.conn = dataclasses.replace(p.conn, phase=Failed(error), records=b"")
        p.failure = error
        return True
    # A warning: reported, and reading goes on (RFC 5246 §7.2.2 leaves it to us).
    _count_empty(p)
    return False


def receive(p: Progress, data: bytes) -> None:
    """Process the bytes *data* from the peer. Raises TLSError (caught by the engine)."""
    conn = p.conn
    buf = conn.records + data
    pos = 0
    while not isinstance(p.conn.phase, (Closed, Failed)):
        header = parse_record_header(buf[pos : pos + 5])
        if header is None or len(buf) - pos < 5 + header.length:
            break
        fragment = buf[pos + 5 : pos + 5 + header.length]
        pos += 5 + header.length
        conn = p.conn
        if conn.version is not None and header.version != conn.version:
            # RFC 5246 §6.2.1 / E.1: once negotiated, every record carries the version.
            raise errors.ProtocolVersionError(
                f"record version 0x{header.version:04x} is not the negotiated one"
            )
        version = conn.version if conn.version is not None else ProtocolVersion.TLS10
        read, plaintext = unprotect(conn.read_cipher, header.content_type, version, fragment)
        p.conn = dataclasses.replace(conn, read_cipher=read)
        content_type = header.content_type
        if not plaintext and content_type != ContentType.APPLICATION_DATA:
            raise errors.DecodeError(
                f"an empty {content_type.name} record (RFC 5246 §6.2.1 forbids them)"
            )
        if content_type == ContentType.ALERT:
            if _alert(p, plaintext):
                return
            continue
        if plaintext:
            p.conn = dataclasses.replace(p.conn, empty_records=0)
        if content_type == ContentType.HANDSHAKE:
            fragments = p.conn.fragments + plaintext
            messages, rest = split_handshake(fragments)
            p.conn = dataclasses.replace(p.conn, fragments=rest)
            for _, raw in messages:
                parse_version = p.conn.version or p.conn.config.max_version
                _dispatch(p, parse_handshake(raw, parse_version), raw)
        elif content_type == ContentType.CHANGE_CIPHER_SPEC:
            ccs = parse_change_cipher_spec(plaintext)
            if p.conn.fragments:
                # RFC 5246 §7.4.9 / §7.1: the CCS sits between whole messages only.
                raise errors.UnexpectedMessage("ChangeCipherSpec inside a handshake message")
            _dispatch(p, ccs, b"")
        else:
            if not isinstance(p.conn.phase, Established):
                raise errors.UnexpectedMessage("application data before the handshake completed")
            if p.conn.fragments:
                raise errors.UnexpectedMessage("application data inside a handshake message")
            if not plaintext:
                _count_empty(p)
            p.data.append(plaintext)
    p.conn = dataclasses.replace(p.conn, records=buf[pos:])


def send_application_data(p: Progress, data: bytes) -> None:
    """Application data as records of at most 2^14 bytes; in TLS 1.0 with a CBC suite the
    first record of each call holds 1 byte (the 1/n-1 split against BEAST)."""
    if not data:
        return
    conn = p.conn
    phase = conn.phase
    assert isinstance(phase, Established)
    suite = phase.session.cipher_suite
    if conn.version == ProtocolVersion.TLS10 and suite.mac is not MAC.AEAD and len(data) > 1:
        _send(p, ContentType.APPLICATION_DATA, data[:1])
        data = data[1:]
    _send(p, ContentType.APPLICATION_DATA, data)
