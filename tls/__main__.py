"""``python -m tls``: a TLS 1.0-1.2 client and server on the command line, and a demo.

::

    python -m tls client HOST:PORT [--ca FILE] [--insecure] [--servername NAME]
                  [--versions 1.0-1.2] [--ciphers NAME,...] [--alpn p1,p2] [--wait SECONDS]
    python -m tls server --cert FILE --key FILE [--cert FILE --key FILE] [--port N]
                  [--host 127.0.0.1] [--versions ...] [--ciphers ...] [--alpn ...] [--www]
    python -m tls demo

The client sends its standard input and writes what comes back to standard output; what
was negotiated (version, suite, group, extended master secret, ALPN) goes to standard
error. It verifies the server against ``--ca`` or the system trust store
(``x509.Authenticator.system()``), for the host name dialled (or ``--servername``). At the
end of its input it waits ``--wait`` seconds of silence (or the server's close_notify),
then closes with close_notify.

The server answers each connection by echoing, or with ``--www`` (like ``openssl s_server
-www``) answers an HTTP GET with one page describing the connection. ``--versions`` is
``1.2`` or a range ``1.0-1.2``; ``--ciphers`` takes IANA names
(``TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256``). Errors are one line on standard error and
exit status 1 (2 for bad usage), never a traceback.
"""

from __future__ import annotations

import argparse
import html
import os
import select
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final, TextIO

import x509
from tls import ciphersuites
from tls._wire import ProtocolVersion
from tls.ciphersuites import CipherSuite
from tls.config import CertificateChain, Config
from tls.events import Session
from tls.socket import TLSSocket, TLSSocketError, connect, version_string, wrap_server

__all__ = ["Server", "main"]

#: The largest HTTP request head the --www server reads.
MAX_REQUEST: Final = 16384
#: Seconds an idle server connection may take to say something.
SERVER_IDLE_TIMEOUT: Final = 60.0

_VERSIONS: Final = {
    "1.0": ProtocolVersion.TLS10,
    "1.1": ProtocolVersion.TLS11,
    "1.2": ProtocolVersion.TLS12,
}


class CliError(Exception):
    """A problem to report in one line (exit status 1)."""


# -- argument parsing ---------------------------------------------------------------------------


def parse_versions(text: str) -> tuple[ProtocolVersion, ProtocolVersion]:
    """ "1.2" or "1.0-1.2" -> (min, max)."""
    low, _, high = text.partition("-")
    try:
        lo = _VERSIONS[low.strip()]
        hi = _VERSIONS[(high or low).strip()]
    except KeyError:
        raise CliError(
            f"--versions: {text!r} is not 1.0, 1.1, 1.2 or a range like 1.0-1.2"
        ) from None
    if lo > hi:
        raise CliError(f"--versions: {text!r} is an empty range")
    return lo, hi


def parse_ciphers(text: str) -> tuple[CipherSuite, ...]:
    """A comma-separated list of IANA suite names."""
    out = []
    for name in filter(None, (n.strip() for n in text.split(","))):
        try:
            out.append(ciphersuites.by_name(name))
        except KeyError:
            raise CliError(f"--ciphers: unsupported cipher suite {name!r}") from None
    if not out:
        raise CliError("--ciphers: no cipher suite given")
    return tuple(out)


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets)."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CliError(f"{text!r} is not HOST:PORT")
    return host.strip("[]"), int(port)


def _common_options(args: argparse.Namespace) -> dict[str, object]:
    options: dict[str, object] = {}
    if args.versions:
        options["min_version"], options["max_version"] = parse_versions(args.versions)
    if args.ciphers:
        options["cipher_suites"] = parse_ciphers(args.ciphers)
    if args.alpn:
        options["alpn_protocols"] = tuple(p for p in args.alpn.split(",") if p)
    return options


def _config(**options: object) -> Config:
    try:
        return Config(**options)  # type: ignore[arg-type]
    except (ValueError, TypeError) as e:
        raise CliError(f"configuration: {e}") from None


def describe(session: Session, *, sni: bool = True) -> str:
    """One line: version, suite, group, EMS, ALPN (and the SNI name a server received)."""
    group = session.group.name.lower() if session.group is not None else "none (RSA)"
    line = (
        f"{version_string(session.version)} {session.cipher_suite.name} group {group} "
        f"EMS {'yes' if session.extended_master_secret else 'no'} "
        f"ALPN {session.alpn_protocol or '-'}"
    )
    return f"{line} SNI {session.server_name or '-'}" if sni else line


# -- the client ---------------------------------------------------------------------------------


def _authenticator(args: argparse.Namespace) -> x509.Authenticator | None:
    if args.insecure:
        return None
    try:
        if args.ca:
            roots = x509.load_pem_bundle(Path(args.ca).read_bytes())
            if not roots:
                raise CliError(f"--ca {args.ca}: no certificate in the file")
            return x509.Authenticator.chain_of_trust(roots)
        return x509.Authenticator.system()
    except OSError as e:
        raise CliError(f"trust store: {e.strerror or e}: {e.filename or args.ca}") from None
    except x509.DecodeError as e:
        raise CliError(f"--ca {args.ca}: {e}") from None


def run_client(args: argparse.Namespace) -> int:
    """Connect, send standard input, copy what comes back to standard output."""
    host, port = parse_address(args.address)
    auth = _authenticator(args)
    config = _config(authenticator=auth, insecure_skip_verify=auth is None, **_common_options(args))
    try:
        conn = connect((host, port), config, args.servername or host, timeout=args.timeout)
    except TLSSocketError as e:
        raise CliError(str(e)) from None
    except OSError as e:
        raise CliError(f"cannot connect to {host}:{port}: {e.strerror or e}") from None
    with conn:
        conn.settimeout(None)
        trust = "NOT verified (--insecure)" if auth is None else f"verified ({auth.description})"
        print(
            f"tls: connected to {host}:{port}: {describe(conn.session, sni=False)}",
            file=sys.stderr,
        )
        print(f"tls: server certificate {trust}", file=sys.stderr)
        return _client_loop(conn, args.wait)


def _client_loop(conn: TLSSocket, wait: float) -> int:
    stdin_done = threading.Event()
    last = [time.monotonic()]
    problem: list[BaseException] = []

    def pump() -> None:
        try:
            while data := os.read(sys.stdin.fileno(), 16384):
                conn.sendall(data)
        except (OSError, ValueError) as e:
            problem.append(e)
        finally:
            last[0] = time.monotonic()
            stdin_done.set()

    sender = threading.Thread(target=pump, name="stdin", daemon=True)
    sender.start()
    out = sys.stdout.buffer
    try:
        while True:
            if not conn.pending():
                ready, _, _ = select.select([conn], [], [], 0.1)
                if not ready:
                    if problem:
                        raise CliError(f"sending: {problem[0]}")
                    if stdin_done.is_set() and time.monotonic() - last[0] > wait:
                        return 0
                    continue
            data = conn.recv(65536)
            if not data:
                print("tls: the server closed the connection (close_notify)", file=sys.stderr)
                return 0
            last[0] = time.monotonic()
            out.write(data)
            out.flush()
    except TLSSocketError as e:
        raise CliError(str(e)) from None
    except OSError as e:
        raise CliError(f"connection: {e.strerror or e}") from None


# -- the server ---------------------------------------------------------------------------------


class Server:
    """A threaded TLS server: echo, or ``www`` (one HTML page per GET describing the
    connection). ``serve_forever`` until ``stop``; *log* gets one line per connection."""

    def __init__(
        self, config: Config, host: str, port: int, *, www: bool, log: TextIO | None
    ) -> None:
        self._config = config
        self._www = www
        self._log = log
        self._stop = threading.Event()
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server((host, port), reuse_port=False)
        self._listener.settimeout(0.1)

    @property
    def address(self) -> tuple[str, int]:
        """The address listened on (with the port picked when 0 was asked)."""
        name: tuple[str, int] = self._listener.getsockname()[:2]
        return name

    def serve_forever(self) -> None:
        """Accept connections (each in its own thread) until :meth:`stop`."""
        try:
            while not self._stop.is_set():
                try:
                    conn, peer = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stop.is_set():
                        break
                    raise
                thread = threading.Thread(
                    target=self._serve, args=(conn, peer), name=f"tls {peer}", daemon=True
                )
                with self._lock:
                    self._threads.add(thread)
                thread.start()
        finally:
            self._listener.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, then wait (up to *timeout*) for the connections to end."""
        self._stop.set()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)

    def _say(self, line: str) -> None:
        if self._log is not None:
            print(f"tls: {line}", file=self._log, flush=True)

    def _serve(self, raw: socket.socket, peer: tuple[str, int]) -> None:
        where = f"{peer[0]}:{peer[1]}"
        try:
            raw.settimeout(SERVER_IDLE_TIMEOUT)
            with wrap_server(raw, self._config) as conn:
                self._say(f"{where}: {describe(conn.session)}")
                if self._www:
                    self._answer_www(conn, where)
                else:
                    while data := conn.recv(65536):
                        conn.sendall(data)
                self._say(f"{where}: closed")
        except (TLSSocketError, OSError) as e:
            self._say(f"{where}: {e}")
        except Exception as e:  # a bug: one line in the log, the server goes on
            self._say(f"{where}: internal error: {type(e).__name__}: {e}")
        finally:
            raw.close()
            with self._lock:
                self._threads.discard(threading.current_thread())

    def _answer_www(self, conn: TLSSocket, where: str) -> None:
        request = b""
        while b"\r\n\r\n" not in request and b"\n\n" not in request:
            chunk = conn.recv(4096)
            if not chunk or len(request) > MAX_REQUEST:
                return
            request += chunk
        line = request.split(b"\n", 1)[0].decode("latin-1").strip()
        if not line.startswith("GET "):
            body = "only GET is served\n"
            status = "405 Method Not Allowed"
            kind = "text/plain"
        else:
            body = www_page(conn.session, where)
            status = "200 OK"
            kind = "text/html; charset=utf-8"
        data = body.encode()
        head = (
            f"HTTP/1.0 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(data)}\r\n"
            "Connection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + data)


def www_page(session: Session, peer: str) -> str:
    """The HTML page of ``--www``: what this connection negotiated."""
    rows = (
        ("client", peer),
        ("protocol version", version_string(session.version)),
        ("cipher suite", f"{session.cipher_suite.name} (0x{session.cipher_suite.code:04X})"),
        ("group", session.group.name.lower() if session.group is not None else "none (RSA)"),
        ("extended master secret", "yes" if session.extended_master_secret else "no"),
        ("ALPN protocol", session.alpn_protocol or "none"),
        ("server name (SNI)", session.server_name or "none"),
        (
            "signature scheme",
            session.signature_scheme.name.lower() if session.signature_scheme else "none",
        ),
    )
    cells = "\n".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    return (
        "<!DOCTYPE html>\n<html><head><title>nqsb TLS</title></head><body>\n"
        f"<h1>nqsb TLS server</h1>\n<table>\n{cells}\n</table>\n</body></html>\n"
    )


def _load_chains(certs: Sequence[str], keys: Sequence[str]) -> tuple[CertificateChain, ...]:
    if len(certs) != len(keys):
        raise CliError("give one --key for each --cert")
    chains = []
    for cert_file, key_file in zip(certs, keys, strict=True):
        try:
            chain = x509.load_pem_bundle(Path(cert_file).read_bytes())
            key = x509.load_private_key(Path(key_file).read_bytes())
        except OSError as e:
            raise CliError(f"{e.filename}: {e.strerror}") from None
        except (x509.DecodeError, ValueError) as e:
            raise CliError(f"{cert_file} / {key_file}: {e}") from None
        if not chain:
            raise CliError(f"--cert {cert_file}: no certificate in the file")
        try:
            chains.append(CertificateChain(tuple(chain), key))
        except (TypeError, ValueError) as e:
            raise CliError(f"--key {key_file}: {e}") from None
    return tuple(chains)


def run_server(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    chains = _load_chains(args.cert, args.key)
    config = _config(certificates=chains, **_common_options(args))
    try:
        server = Server(config, args.host, args.port, www=args.www, log=sys.stderr)
    except OSError as e:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from None
    host, port = server.address
    mode = "www" if args.www else "echo"
    print(f"tls: listening on {host}:{port} ({mode})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("tls: interrupted", file=sys.stderr)
    finally:
        server.stop(timeout=1.0)
    return 0


# -- main ---------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tls", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--versions", help="1.2 (default) or a range like 1.0-1.2")
        p.add_argument("--ciphers", help="IANA cipher suite names, comma-separated")
        p.add_argument("--alpn", help="ALPN protocols, comma-separated, preferred first")

    client = sub.add_parser("client", help="connect, send stdin, print what comes back")
    client.add_argument("address", metavar="HOST:PORT")
    client.add_argument("--ca", help="trust these CA certificates (PEM) instead of the system's")
    client.add_argument("--insecure", action="store_true", help="do not verify the server")
    client.add_argument("--servername", help="SNI and verified name (default: HOST)")
    client.add_argument("--timeout", type=float, default=10.0, help="connect/handshake seconds")
    client.add_argument(
        "--wait", type=float, default=1.0, help="seconds of silence to wait after stdin ends"
    )
    common(client)

    server = sub.add_parser("server", help="serve: echo, or --www")
    server.add_argument("--cert", action="append", required=True, help="chain PEM, leaf first")
    server.add_argument("--key", action="append", required=True, help="private key PEM")
    server.add_argument("--port", type=int, default=4433)
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--www", action="store_true", help="answer GET with a status page")
    common(server)

    sub.add_parser("demo", help="a CA, a server and clients on 127.0.0.1")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "client":
            return run_client(args)
        if args.command == "server":
            return run_server(args)
        from tls._demo import run_demo

        return run_demo()
    except CliError as e:
        print(f"tls: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
