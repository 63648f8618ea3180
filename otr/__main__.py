"""Command line chat over OTR ("Off-the-Record Messaging Protocol version 3"):

    python -m otr chat --listen PORT | --connect HOST:PORT [--key FILE] [--account NAME]

Two peers talk over one TCP connection, one OTR message per line (newline framed). This
module is the I/O edge of the pure engine in ``otr``: it reads the keyboard (standard input)
and the socket, hands every line to the engine and writes what the engine returns. Every
state change is printed: ``[status] insecure``, ``[status] AKE in progress``, ``[status]
secure`` with the peer's fingerprint and the session id, ``[smp] ...`` events,
``[warning] ...``. Commands: ``/query`` (start the AKE), ``/smp SECRET [QUESTION]`` (start
SMP, or answer the peer's request), ``/end`` (end the private conversation), ``/quit``.
Any other line is sent as a message (encrypted once the session is secure).

``--key FILE`` names a libotr private key file; the key of ``--account`` is read from it,
or generated and added to it when missing. Without ``--key`` a fresh key is made for the
run. The CLI listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import getpass
import os
import selectors
import socket
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TextIO

import otr
from nocrypto import dsa, rng
from otr import _ake, _keyfile, events

__all__ = ["main"]

#: The protocol name stored with the account in the key file (libotr keys each key by
#: account and protocol).
PROTOCOL: Final = "nqsb"
#: The longest line accepted from the peer or the keyboard, in bytes: an OTR message line is
#: far shorter (a 1 MiB line is a broken or hostile peer).
MAX_LINE: Final = 1 << 20
READ_SIZE: Final = 65536


class ChatError(Exception):
    """A fatal problem of the chat session (bad key file, connection failure)."""


# -- keys ----------------------------------------------------------------------------------


def load_key(path: Path | None, account: str, random: Callable[[int], bytes]) -> dsa.DSAPrivateKey:
    """The account's DSA key from the libotr key file ``path``, generated (and saved) when
    missing; a fresh key for the run when ``path`` is None."""
    if path is None:
        return _keyfile.generate_account_key(account, PROTOCOL, random).key
    keys: list[_keyfile.AccountKey] = []
    if path.exists():
        try:
            keys = _keyfile.read_private_keys(path.read_text(encoding="utf-8"))
        except (_keyfile.KeyFileError, UnicodeDecodeError) as exc:
            raise ChatError(f"{path}: not a libotr private key file: {exc}") from exc
    for entry in keys:
        if entry.account == account and entry.protocol == PROTOCOL:
            return entry.key
    new = _keyfile.generate_account_key(account, PROTOCOL, random)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(_keyfile.write_private_keys([*keys, new]))
    return new.key


# -- the chat loop -------------------------------------------------------------------------


class Chat:
    """One OTR conversation over a connected socket, driven by lines of input."""

    def __init__(self, conn: socket.socket, key: dsa.DSAPrivateKey, out: TextIO) -> None:
        self.conn = conn
        self.out = out
        self.session = otr.Session.new(key, otr.Policy.DEFAULT, rng.Fortuna())

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def transmit(self, messages: Sequence[str]) -> None:
        for message in messages:
            self.conn.sendall(message.encode("utf-8") + b"\n")

    def apply(self, step: tuple[otr.Session, otr.Output]) -> None:
        """Take a new session and act on its output: show, report state changes, transmit."""
        before = self.session
        self.session, output = step
        if output.received is not None:
            self.say(f"<peer> {_printable(output.received)}")
        reported = False
        for event in output.events:
            reported |= self.report(event)
        if _in_ake(self.session) and not _in_ake(before):
            self.say("[status] AKE in progress")
        if not reported and self.session.state != before.state:
            self.say(f"[status] {_STATUS[self.session.state]}")
        self.transmit(output.to_send)

    def report(self, event: otr.Event) -> bool:
        """Print one event; True when it tells a change of the message state."""
        match event:
            case events.GoneSecure(fingerprint=fp, ssid=ssid, version=version):
                self.say(
                    f"[status] secure (OTR v{version}): peer fingerprint {fp}, ssid {ssid.hex()}"
                )
                return True
            case events.GoneInsecure(reason="peer-ended"):
                self.say("[status] finished: the peer ended the private conversation (/end)")
                return True
            case events.GoneInsecure():
                self.say("[status] insecure: the private conversation ended")
                return True
            case events.SMPRequested(question=question):
                asked = f" question: {_printable(question)};" if question is not None else ""
                self.say(f"[smp] peer started SMP;{asked} answer with /smp SECRET")
            case events.SMPResult(success=True):
                self.say("[smp] success: the peer knows the secret")
            case events.SMPResult(outcome=outcome, detail=detail):
                self.say(f"[smp] {outcome}" + (f": {detail}" if detail else ""))
            case events.Warning(kind=kind, detail=detail):
                self.say(f"[warning] {kind}: {detail}")
            case events.ErrorReceived(text=text):
                self.say(f"[error from peer] {_printable(text)}")
            case _:
                self.say(f"[event] {event}")
        return False

    def command(self, line: str) -> bool:
        """Act on one line typed by the user; False to quit."""
        s = self.session
        try:
            if line == "/quit":
                return False
            if line == "/query":
                self.say("[status] query sent: waiting for the AKE")
                self.apply(otr.query(s))
            elif line == "/end":
                self.apply(otr.end(s))
            elif line.startswith("/smp"):
                parts = line.split(maxsplit=2)
                if len(parts) < 2:
                    self.say("[error] usage: /smp SECRET [QUESTION]")
                elif s.smp_awaiting_secret:
                    self.apply(otr.smp_respond(s, parts[1].encode("utf-8")))
                    self.say("[smp] answer sent")
                else:
                    question = parts[2] if len(parts) > 2 else None
                    self.apply(otr.smp_start(s, parts[1].encode("utf-8"), question))
                    self.say("[smp] started")
            else:
                self.apply(otr.send(s, line))
        except ValueError as exc:  # misuse of the engine (no session, NUL in the text)
            self.say(f"[error] {exc}")
        return True

    def peer_line(self, line: str) -> None:
        self.apply(otr.handle(self.session, line))


_STATUS: Final = {"plaintext": "insecure", "encrypted": "secure", "finished": "finished"}


def _printable(text: str) -> str:
    """The peer's text with control characters escaped, so that it cannot drive the
    terminal (escape sequences) or fake a line of this program's own output (newlines)."""
    return "".join(
        c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf") else f"\\u{ord(c):04x}"
        for c in text
    )


def _in_ake(session: otr.Session) -> bool:
    return not isinstance(session.auth, _ake.AuthNone)


def _lines(buffer: bytearray, data: bytes) -> list[str]:
    buffer.extend(data)
    if len(buffer) > MAX_LINE and b"\n" not in buffer:
        raise ChatError(f"a line longer than {MAX_LINE} bytes")
    *complete, rest = bytes(buffer).split(b"\n")
    buffer[:] = rest
    return [c.decode("utf-8", errors="replace").rstrip("\r") for c in complete]


def run(conn: socket.socket, key: dsa.DSAPrivateKey, stdin: int, out: TextIO) -> int:
    """Chat on ``conn`` until the peer closes, stdin ends or the user types /quit."""
    chat = Chat(conn, key, out)
    chat.say("[status] insecure")
    selector = selectors.DefaultSelector()
    selector.register(conn, selectors.EVENT_READ, "peer")
    selector.register(stdin, selectors.EVENT_READ, "user")
    from_peer, from_user = bytearray(), bytearray()
    try:
        while True:
            for key_, _ in selector.select():
                if key_.data == "peer":
                    data = conn.recv(READ_SIZE)
                    if not data:
                        chat.say("[info] the peer closed the connection")
                        return 0
                    for line in _lines(from_peer, data):
                        chat.peer_line(line)
                else:
                    data = os.read(stdin, READ_SIZE)
                    if not data:
                        chat.command("/end")
                        return 0
                    for line in _lines(from_user, data):
                        if line and not chat.command(line):
                            return 0
    finally:
        selector.close()


def _connect(args: argparse.Namespace) -> socket.socket:
    if args.listen is not None:
        server = socket.create_server(("127.0.0.1", args.listen))
        with server:
            print(f"[info] listening on 127.0.0.1:{server.getsockname()[1]}", flush=True)
            conn, peer = server.accept()
        print(f"[info] connection from {peer[0]}:{peer[1]}", flush=True)
        return conn
    host, _, port = args.connect.rpartition(":")
    if not host or not port.isdigit():
        raise ChatError(f"--connect wants HOST:PORT, not {args.connect!r}")
    conn = socket.create_connection((host, int(port)), timeout=10)
    conn.settimeout(None)
    print(f"[info] connected to {host}:{port}", flush=True)
    return conn


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password file
        return "me"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m otr``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m otr", description="Off-the-Record messaging (OTR v3) on the command line."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="line-based OTR chat over TCP")
    where = chat.add_mutually_exclusive_group(required=True)
    where.add_argument("--listen", type=int, metavar="PORT", help="wait on 127.0.0.1:PORT")
    where.add_argument("--connect", metavar="HOST:PORT", help="connect to HOST:PORT")
    chat.add_argument("--key", type=Path, metavar="FILE", help="libotr private key file")
    chat.add_argument("--account", default=_user(), help="account name of the key")
    args = parser.parse_args(argv)
    try:
        key = load_key(args.key, args.account, rng.generate)
        with _connect(args) as conn:
            return run(conn, key, sys.stdin.fileno(), sys.stdout)
    except (ChatError, OSError) as exc:
        print(f"[error] {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
