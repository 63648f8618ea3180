"""``python -m tls``: the client and the server as subprocesses (each killed in ``finally``),
against each other, against ``openssl s_server`` and ``tls.socket``; clean errors; the demo.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tls import socket as tls_socket
from tls._demo import Pki, make_pki
from tls._wire import ProtocolVersion
from tls.config import Config

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0
OPENSSL = shutil.which("openssl")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def tls_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tls", *args],
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        cwd=REPO,
        check=False,
    )


def wait_for_line(process: subprocess.Popen[bytes], marker: bytes) -> bytes:
    """Read the process's stderr until a line containing *marker*; that line."""
    assert process.stderr is not None
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            if marker in line:
                return line
            if not line and process.poll() is not None:
                break
    raise AssertionError(f"no {marker!r} line from {process.args!r}")


@pytest.fixture
def server_process() -> Iterator[Callable[..., tuple[subprocess.Popen[bytes], int]]]:
    """Start ``python -m tls server ... --port 0``; (process, port). Killed afterwards."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> tuple[subprocess.Popen[bytes], int]:
        process = subprocess.Popen(
            [sys.executable, "-m", "tls", "server", "--port", "0", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=REPO,
        )
        processes.append(process)
        line = wait_for_line(process, b"listening on")
        return process, int(line.split(b":")[-1].split()[0])

    try:
        yield start
    finally:
        for process in processes:
            process.kill()
            process.wait(TIMEOUT)
            if process.stderr is not None:
                process.stderr.close()


def server_args(pki: Pki, *extra: str) -> tuple[str, ...]:
    rsa_cert, rsa_key = pki.files("rsa")
    ec_cert, ec_key = pki.files("ecdsa")
    rsa = ("--cert", str(rsa_cert), "--key", str(rsa_key))
    return (*rsa, "--cert", str(ec_cert), "--key", str(ec_key), *extra)


def test_client_and_echo_server(
    pki: Pki, server_process: Callable[..., tuple[subprocess.Popen[bytes], int]]
) -> None:
    process, port = server_process(*server_args(pki, "--alpn", "b,a"))
    done = tls_cli(
        "client",
        f"127.0.0.1:{port}",
        "--ca",
        str(pki.ca_file),
        "--servername",
        "localhost",
        "--alpn",
        "a,b",
        "--ciphers",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "--wait",
        "0.5",
        stdin=b"hello over TLS\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"hello over TLS\n"
    err = done.stderr.decode()
    assert "TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 group x25519 EMS yes ALPN b" in err
    assert "verified" in err and "NOT verified" not in err
    assert b"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" in wait_for_line(process, b"SNI localhost")


def test_client_streams_a_large_input(
    pki: Pki, server_process: Callable[..., tuple[subprocess.Popen[bytes], int]]
) -> None:
    """4 MiB through the echo server: the client writes stdin while it reads the echo."""
    _, port = server_process(*server_args(pki))
    data = os.urandom(4 << 20)
    done = tls_cli(
        "client", f"127.0.0.1:{port}", "--ca", str(pki.ca_file), "--wait", "0.5", stdin=data
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == data


def test_www_server_for_our_socket_client(
    pki: Pki, server_process: Callable[..., tuple[subprocess.Popen[bytes], int]]
) -> None:
    _, port = server_process(*server_args(pki, "--www", "--versions", "1.0-1.2"))
    config = Config(
        authenticator=pki.authenticator(),
        min_version=ProtocolVersion.TLS10,
        max_version=ProtocolVersion.TLS10,
    )
    with tls_socket.connect(("127.0.0.1", port), config, "localhost", timeout=TIMEOUT) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        page = b""
        while chunk := conn.recv(65536):
            page += chunk
        suite = conn.cipher()[0]
    assert page.startswith(b"HTTP/1.0 200 OK\r\n")
    assert b"<td>TLSv1</td>" in page
    assert f"<td>{suite} (0x".encode() in page
    assert b"<th>server name (SNI)</th><td>localhost</td>" in page


def test_client_versions_against_our_server(
    pki: Pki, server_process: Callable[..., tuple[subprocess.Popen[bytes], int]]
) -> None:
    _, port = server_process(*server_args(pki, "--www", "--versions", "1.1"))
    done = tls_cli(
        "client",
        f"127.0.0.1:{port}",
        "--ca",
        str(pki.ca_file),
        "--versions",
        "1.0-1.1",
        stdin=b"GET / HTTP/1.0\r\n\r\n",
    )
    assert done.returncode == 0, done.stderr
    assert b"<td>TLSv1.1</td>" in done.stdout
    assert b"close_notify" in done.stderr  # the server ended the connection properly


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command line")
def test_client_against_openssl_s_server(pki: Pki, tmp_path: Path) -> None:
    assert OPENSSL is not None
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    cert, key = pki.files("rsa")
    server = subprocess.Popen(
        [
            OPENSSL,
            "s_server",
            "-accept",
            f"127.0.0.1:{port}",
            "-cert",
            str(cert),
            "-key",
            str(key),
            "-www",
            "-tls1_2",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "openssl s_server did not start"
                time.sleep(0.05)
        done = tls_cli(
            "client",
            f"127.0.0.1:{port}",
            "--ca",
            str(pki.ca_file),
            "--servername",
            "localhost",
            stdin=b"GET / HTTP/1.0\r\n\r\n",
        )
    finally:
        server.kill()
        server.wait(TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"HTTP/1.0 200 ok")
    assert b"Protocol  : TLSv1.2" in done.stdout  # s_server -www describes the session
    assert b"TLSv1.2" in done.stderr


def test_verification_failure_is_one_line(
    pki: Pki, server_process: Callable[..., tuple[subprocess.Popen[bytes], int]], tmp_path: Path
) -> None:
    _, port = server_process(*server_args(pki))
    other = make_pki(tmp_path / "other")
    done = tls_cli("client", f"127.0.0.1:{port}", "--ca", str(other.ca_file))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.startswith("tls: error: handshake failed") and err.count("\n") == 1, err
    assert "Traceback" not in err
    system = tls_cli("client", f"127.0.0.1:{port}")  # the system store knows not our CA
    assert system.returncode == 1 and system.stderr.startswith(b"tls: error:")
    assert b"Traceback" not in system.stderr
    insecure = tls_cli("client", f"127.0.0.1:{port}", "--insecure", "--wait", "0.2", stdin=b"x")
    assert insecure.returncode == 0, insecure.stderr
    assert insecure.stdout == b"x"
    assert b"NOT verified (--insecure)" in insecure.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("server", "--cert", "/nonexistent.pem", "--key", "/nonexistent.key"), "nonexistent"),
        (("server", "--cert", "A", "--key", "B", "--cert", "C"), "one --key for each --cert"),
        (("client", "127.0.0.1:1", "--versions", "1.3"), "--versions"),
        (("client", "127.0.0.1:1", "--versions", "1.2-1.0"), "empty range"),
        (("client", "127.0.0.1:1", "--ciphers", "TLS_RSA_WITH_RC4_128_SHA"), "unsupported"),
        (("client", "nonsense"), "HOST:PORT"),
        (("client", "127.0.0.1:1", "--ca", "/nonexistent-ca.pem"), "nonexistent-ca.pem"),
    ],
)
def test_errors_are_clean(args: tuple[str, ...], message: str) -> None:
    done = tls_cli(*args)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err.startswith("tls: error:") and message in err, err
    assert "Traceback" not in err


def test_connection_refused_is_clean() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    done = tls_cli("client", f"127.0.0.1:{port}", "--insecure")
    assert done.returncode == 1
    assert done.stderr.decode().startswith(f"tls: error: cannot connect to 127.0.0.1:{port}")


def test_bad_usage_exits_2() -> None:
    done = tls_cli("server")
    assert done.returncode == 2 and b"--cert" in done.stderr


def test_demo() -> None:
    done = tls_cli("demo")
    out = done.stdout.decode()
    assert done.returncode == 0, out + done.stderr.decode()
    assert out.count("server answered: HTTP/1.0 200 OK") == (4 if OPENSSL else 3), out
    assert "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" in out
    assert "TLSv1.1  TLS_DHE_RSA_WITH_AES_256_CBC_SHA" in out
    assert "server stopped" in out and "FAILED" not in out
