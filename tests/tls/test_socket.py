"""tls.socket: our client and server over real sockets on 127.0.0.1, against each other and
against Python's ``ssl`` (OpenSSL) in both roles; closure and truncation (RFC 5246 §7.2.1),
failures, timeouts, makefile, and getpeercert's dictionary checked against ``ssl``'s own.

Every server runs in a thread of this process, on a port the system picks; each test joins
its threads (with a timeout) and closes its sockets.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import tls
import x509
from nocrypto import ec
from tls import ciphersuites, errors
from tls import socket as tls_socket
from tls._demo import Pki, make_pki
from tls._wire import AlertDescription, ProtocolVersion
from tls.config import Config

JOIN = 10.0  # seconds a server thread may take to finish


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def server_config(pki: Pki, **options: object) -> Config:
    return Config(certificates=(pki.rsa_chain, pki.ecdsa_chain), **options)  # type: ignore[arg-type]


def client_config(pki: Pki, **options: object) -> Config:
    return Config(authenticator=pki.authenticator(), **options)  # type: ignore[arg-type]


class ThreadServer:
    """Accept one connection on 127.0.0.1 in a thread and run ``handler(raw_socket)``;
    ``result``/``error`` keep what it returned or raised."""

    def __init__(self, handler: Callable[[socket.socket], object]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(JOIN)
        self.port: int = self.listener.getsockname()[1]
        self.result: object = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(handler,), daemon=True)
        self.thread.start()

    def _run(self, handler: Callable[[socket.socket], object]) -> None:
        try:
            raw, _ = self.listener.accept()
            with raw:
                raw.settimeout(JOIN)
                self.result = handler(raw)
        except BaseException as e:
            self.error = e

    def finish(self) -> object:
        self.thread.join(JOIN)
        self.listener.close()
        assert not self.thread.is_alive(), "the server thread did not finish"
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket], object]], ThreadServer]]:
    servers: list[ThreadServer] = []

    def start(handler: Callable[[socket.socket], object]) -> ThreadServer:
        server = ThreadServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.thread.join(JOIN)
        server.listener.close()


def echo(config: Config) -> Callable[[socket.socket], object]:
    """A handler: our server echoing until close_notify; returns its session and peercert."""

    def run(raw: socket.socket) -> object:
        with tls_socket.wrap_server(raw, config) as conn:
            while data := conn.recv(65536):
                conn.sendall(data)
            return conn.session, conn.getpeercert(), conn.getpeercert(True)

    return run


def recv_exactly(conn: tls_socket.TLSSocket, n: int) -> bytes:
    out = b""
    while len(out) < n:
        chunk = conn.recv(n - len(out))
        assert chunk, "the connection ended early"
        out += chunk
    return out


# -- ours <-> ours --------------------------------------------------------------------------------


SUITES = [
    ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ProtocolVersion.TLS12, "rsa"),
    ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", ProtocolVersion.TLS12, "ecdsa"),
    ("TLS_DHE_RSA_WITH_AES_256_CBC_SHA", ProtocolVersion.TLS10, "rsa"),
    ("TLS_RSA_WITH_AES_128_CBC_SHA256", ProtocolVersion.TLS12, "rsa"),
]


@pytest.mark.parametrize(("suite_name", "version", "kind"), SUITES)
def test_round_trip(
    pki: Pki,
    serve: Callable[[Callable[[socket.socket], object]], ThreadServer],
    suite_name: str,
    version: ProtocolVersion,
    kind: str,
) -> None:
    suite = ciphersuites.by_name(suite_name)
    server = serve(
        echo(server_config(pki, min_version=ProtocolVersion.TLS10, alpn_protocols=("h2", "x")))
    )
    config = client_config(
        pki,
        cipher_suites=(suite,),
        min_version=version,
        max_version=version,
        alpn_protocols=("x", "h2"),
    )
    payloads = [b"a", os.urandom(16384), os.urandom(100_000), b"end"]
    with tls_socket.connect(("127.0.0.1", server.port), config, "localhost", timeout=JOIN) as conn:
        names = {ProtocolVersion.TLS10: "TLSv1", ProtocolVersion.TLS12: "TLSv1.2"}
        assert conn.version() == names[version]
        assert conn.cipher() == (suite_name, names[version], suite.key_length * 8)
        assert conn.selected_alpn_protocol() == "h2"  # the server's preference (RFC 7301 §3.2)
        chain = pki.rsa_chain if kind == "rsa" else pki.ecdsa_chain
        assert conn.getpeercert(binary_form=True) == chain.certificates[0].der
        for payload in payloads:
            conn.sendall(payload)
            assert recv_exactly(conn, len(payload)) == payload
        assert conn.pending() == 0
        assert conn.session.verified_path is not None
    result = server.finish()
    assert isinstance(result, tuple)
    session, peercert, peer_der = result
    assert session.cipher_suite == suite
    assert session.server_name == "localhost"
    assert peercert is None and peer_der is None  # no client certificates


def test_ip_address_is_verified_and_not_sent_as_sni(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    server = serve(echo(server_config(pki)))
    with tls_socket.connect(("127.0.0.1", server.port), client_config(pki)) as conn:
        assert conn.session.verified_path is not None  # the certificate names 127.0.0.1
    result = server.finish()
    assert isinstance(result, tuple)
    assert result[0].server_name is None  # RFC 6066 §3: no IP address in server_name


def test_reads_of_any_size_reassemble_the_stream(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    server = serve(echo(server_config(pki)))
    rng = random.Random(7)
    payload = rng.randbytes(400_000)
    with tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost") as conn:
        writes = [0, *sorted(rng.sample(range(1, len(payload)), 40)), len(payload)]
        for a, b in itertools.pairwise(writes):
            conn.sendall(payload[a:b])
        got = bytearray()
        while len(got) < len(payload):
            size = rng.choice([1, 7, 100, 4096, 16384, 70_000, 1 << 20])
            chunk = conn.recv(size)
            assert 1 <= len(chunk) <= size
            got += chunk
            assert conn.pending() >= 0
        assert bytes(got) == payload and conn.pending() == 0
    server.finish()


def test_send_and_write_return_the_length(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    server = serve(echo(server_config(pki)))
    with tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost") as conn:
        assert conn.send(memoryview(b"12345")) == 5
        assert conn.recv(0) == b""
        assert recv_exactly(conn, 5) == b"12345"
        buffer = bytearray(10)
        conn.send(b"xyz")
        n = conn.recv_into(buffer)
        assert buffer[:n] == b"xyz"[:n] and n >= 1
    server.finish()


def test_makefile_lines_both_ways(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    def handler(raw: socket.socket) -> object:
        with tls_socket.wrap_server(raw, server_config(pki)) as conn:
            reader = conn.makefile("rb")
            lines = [reader.readline(), reader.readline()]
            reader.close()
            with conn.makefile("w", encoding="utf-8") as writer:
                writer.write("first\nsecond ünïcode\n")
            return lines

    server = serve(handler)
    conn = tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost")
    with conn.makefile("wb") as out:
        out.write(b"one\ntwo\n")
    reader = conn.makefile("r", encoding="utf-8")
    conn.close()  # the file keeps the connection open (as with socket.makefile)
    assert reader.readline() == "first\n"
    assert reader.readline() == "second ünïcode\n"
    assert reader.readline() == ""  # the server's close_notify
    reader.close()
    assert server.finish() == [b"one\n", b"two\n"]
    with pytest.raises(ValueError):
        conn.recv(1)


def test_close_notify_then_recv_is_empty(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    def handler(raw: socket.socket) -> object:
        conn = tls_socket.wrap_server(raw, server_config(pki))
        conn.sendall(b"bye")
        conn.close()
        return None

    server = serve(handler)
    with tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost") as conn:
        assert recv_exactly(conn, 3) == b"bye"
        assert conn.recv(10) == b""
        assert conn.recv(10) == b""  # and it stays so
        with pytest.raises(BrokenPipeError):
            conn.sendall(b"too late")
    server.finish()


def test_truncation_raises_after_the_data(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    def handler(raw: socket.socket) -> object:
        conn = tls_socket.wrap_server(raw, server_config(pki))
        conn.sendall(b"partial")
        raw.shutdown(socket.SHUT_RDWR)  # the TCP connection ends, no close_notify
        return None

    server = serve(handler)
    with tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost") as conn:
        assert recv_exactly(conn, 7) == b"partial"
        with pytest.raises(tls_socket.TruncatedError):
            conn.recv(10)
        with pytest.raises(tls_socket.TruncatedError):
            conn.sendall(b"x")  # the error sticks
    server.finish()


def test_truncated_handshake(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    def handler(raw: socket.socket) -> object:
        hello = raw.recv(65536)  # the ClientHello (one write on loopback)
        raw.shutdown(socket.SHUT_RDWR)  # hangs up without a word
        return hello

    server = serve(handler)
    with pytest.raises(tls_socket.HandshakeError) as info:
        tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost")
    assert "close_notify" in str(info.value)
    hello = server.finish()
    assert isinstance(hello, bytes) and hello[:1] == b"\x16"  # a handshake record


@pytest.mark.parametrize("wrong", ["other CA", "other name"])
def test_handshake_failure_both_sides(
    pki: Pki,
    serve: Callable[[Callable[[socket.socket], object]], ThreadServer],
    tmp_path: Path,
    wrong: str,
) -> None:
    def handler(raw: socket.socket) -> object:
        with pytest.raises(tls_socket.HandshakeError) as info:
            tls_socket.wrap_server(raw, server_config(pki))
        return info.value

    server = serve(handler)
    if wrong == "other CA":
        config = client_config(make_pki(tmp_path / "other"))
        name = "localhost"
    else:
        config, name = client_config(pki), "www.example.org"
    with pytest.raises(tls_socket.HandshakeError) as info:
        tls_socket.connect(("127.0.0.1", server.port), config, name)
    failure = info.value.failure
    assert isinstance(failure, errors.TLSError)
    assert info.value.peer_alert is None
    assert failure.alert in (
        AlertDescription.BAD_CERTIFICATE,
        AlertDescription.UNKNOWN_CA,
        AlertDescription.CERTIFICATE_UNKNOWN,
    )
    server_error = server.finish()
    assert isinstance(server_error, tls_socket.HandshakeError)
    assert server_error.peer_alert == failure.alert  # the alert we sent is the one it got
    assert isinstance(info.value, OSError)


@pytest.mark.parametrize(
    "garbage",
    [
        b"HTTP/1.1 400 Bad Request\r\n\r\n",  # not TLS at all
        b"\x15\x03\x03\x00\x02\x02\x28",  # a fatal handshake_failure alert
        b"\x16\x03\x03\x40\x01" + bytes(16385),  # a plaintext record over 2^14 bytes
        b"\x16\x03\x03\x00\x04\x02\x00\x00\x00",  # an empty ServerHello
    ],
)
def test_peer_garbage_is_a_handshake_error(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer], garbage: bytes
) -> None:
    def handler(raw: socket.socket) -> object:
        raw.recv(65536)
        raw.sendall(garbage)
        return raw.recv(65536)  # what the client answered before closing

    server = serve(handler)
    with pytest.raises(tls_socket.HandshakeError) as info:
        tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost")
    answer = server.finish()
    assert isinstance(answer, bytes)
    if info.value.peer_alert is not None:
        assert info.value.peer_alert == AlertDescription.HANDSHAKE_FAILURE
        assert answer == b""  # nothing is said after a fatal alert
    else:
        failure = info.value.failure
        assert failure is not None
        # The fatal alert the engine sent, in the clear (RFC 5246 §7.2); the record version
        # before the ServerHello is the client's choice (3.1 or 3.3).
        assert answer[:2] == bytes([21, 3]) and answer[3:] == bytes([0, 2, 2, failure.alert])


def test_no_common_suite(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    def handler(raw: socket.socket) -> object:
        suites = (ciphersuites.by_name("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),)
        with pytest.raises(tls_socket.HandshakeError) as info:
            tls_socket.wrap_server(raw, server_config(pki, cipher_suites=suites))
        return info.value

    server = serve(handler)
    suites = (ciphersuites.by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),)
    with pytest.raises(tls_socket.HandshakeError) as info:
        tls_socket.connect(
            ("127.0.0.1", server.port), client_config(pki, cipher_suites=suites), "localhost"
        )
    server_error = server.finish()
    assert isinstance(server_error, tls_socket.HandshakeError)
    assert server_error.failure is not None
    assert server_error.failure.alert == AlertDescription.HANDSHAKE_FAILURE
    assert info.value.peer_alert == AlertDescription.HANDSHAKE_FAILURE


def test_timeout(serve: Callable[[Callable[[socket.socket], object]], ThreadServer]) -> None:
    release = threading.Event()
    server = serve(lambda raw: release.wait(JOIN))  # accepts, never answers
    config = Config(insecure_skip_verify=True)
    start = time.monotonic()
    try:
        with pytest.raises(TimeoutError):
            tls_socket.connect(("127.0.0.1", server.port), config, timeout=0.3)
    finally:
        release.set()
    assert time.monotonic() - start < 5
    server.finish()


def test_read_timeout_loses_nothing(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    """The server (the bare engine) sends half a record, waits, sends the rest: the client's
    read times out in the middle of the record and a later read still gets it whole."""
    go = threading.Event()

    def handler(raw: socket.socket) -> object:
        state = tls.server(server_config(pki))
        while not tls.is_established(state):
            state, out = tls.handle(state, raw.recv(65536))
            raw.sendall(out.to_send)
        state, out = tls.send(state, b"second")
        raw.sendall(out.to_send[:9])
        go.wait(JOIN)
        raw.sendall(out.to_send[9:])
        state, out = tls.close(state)
        raw.sendall(out.to_send)
        return raw.recv(100)  # the client's close_notify

    server = serve(handler)
    with tls_socket.connect(
        ("127.0.0.1", server.port), client_config(pki), "localhost", timeout=JOIN
    ) as conn:
        conn.settimeout(0.3)
        assert conn.gettimeout() == 0.3
        with pytest.raises(TimeoutError):
            conn.recv(10)
        go.set()
        conn.settimeout(JOIN)
        assert recv_exactly(conn, 6) == b"second"
        assert conn.recv(1) == b""
    answer = server.finish()
    assert isinstance(answer, bytes) and answer[:1] == b"\x15"  # an alert record


def test_client_config_without_authenticator_is_misuse() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        with pytest.raises(tls.MisuseError, match="authenticator"):
            tls_socket.connect(listener.getsockname()[:2], Config())
    finally:
        listener.close()


# -- against Python's ssl -------------------------------------------------------------------------


def ssl_server_context(pki: Pki, kind: str = "rsa") -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(*pki.files(kind))
    context.set_alpn_protocols(["h2", "http/1.1"])
    return context


def ssl_client_context(pki: Pki) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(pki.ca_file)
    context.set_alpn_protocols(["http/1.1"])
    return context


def test_our_client_against_ssl_server(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    context = ssl_server_context(pki)

    def handler(raw: socket.socket) -> object:
        with context.wrap_socket(raw, server_side=True, suppress_ragged_eofs=False) as conn:
            while data := conn.recv(65536):  # SSLEOFError if we do not send close_notify
                conn.sendall(data)
            return conn.version(), conn.selected_alpn_protocol(), conn.cipher()

    server = serve(handler)
    config = client_config(pki, alpn_protocols=("http/1.1",))
    payload = os.urandom(50_000)
    with tls_socket.connect(("127.0.0.1", server.port), config, "localhost") as conn:
        conn.sendall(payload)
        assert recv_exactly(conn, len(payload)) == payload
        ours = conn.version(), conn.selected_alpn_protocol(), conn.cipher()
    result = server.finish()
    assert isinstance(result, tuple)
    version, alpn, cipher = result
    assert (version, alpn) == ours[:2] == ("TLSv1.2", "http/1.1")
    assert cipher[2] == ours[2][2]  # the same secret bits


def test_ssl_truncation_is_detected(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    context = ssl_server_context(pki)

    def handler(raw: socket.socket) -> object:
        conn = context.wrap_socket(raw, server_side=True)
        conn.sendall(b"cut")
        conn.shutdown(socket.SHUT_RDWR)  # TCP only: ssl sends no close_notify here
        conn.close()
        return None

    server = serve(handler)
    with tls_socket.connect(("127.0.0.1", server.port), client_config(pki), "localhost") as conn:
        assert recv_exactly(conn, 3) == b"cut"
        with pytest.raises(tls_socket.TruncatedError):
            conn.recv(1)
    server.finish()


@pytest.mark.parametrize("kind", ["rsa", "ecdsa"])
def test_ssl_client_against_our_server(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer], kind: str
) -> None:
    chain = pki.rsa_chain if kind == "rsa" else pki.ecdsa_chain
    server = serve(echo(Config(certificates=(chain,), alpn_protocols=("http/1.1",))))
    context = ssl_client_context(pki)
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=JOIN)
    with context.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False) as conn:
        conn.sendall(b"ping" * 5000)
        got = b""
        while len(got) < 20000:
            got += conn.recv(65536)
        assert got == b"ping" * 5000
        theirs = conn.getpeercert()
        der = conn.getpeercert(binary_form=True)
        version, alpn = conn.version(), conn.selected_alpn_protocol()
        conn.unwrap()  # close_notify both ways: our server answers it
    result = server.finish()
    assert isinstance(result, tuple)
    session = result[0]
    assert der == chain.certificates[0].der
    assert (version, alpn) == ("TLSv1.2", "http/1.1") == ("TLSv1.2", session.alpn_protocol)
    # The dictionary ssl made from the certificate it validated equals ours.
    assert theirs == tls_socket.peer_certificate_dict(chain.certificates[0])


def test_our_server_sends_close_notify_to_ssl(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    def handler(raw: socket.socket) -> object:
        with tls_socket.wrap_server(raw, server_config(pki)) as conn:
            conn.sendall(b"done")
        return None

    server = serve(handler)
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=JOIN)
    with ssl_client_context(pki).wrap_socket(
        raw, server_hostname="localhost", suppress_ragged_eofs=False
    ) as conn:
        got = b""
        while chunk := conn.recv(100):  # SSLEOFError here if close_notify were missing
            got += chunk
    assert got == b"done"
    server.finish()


# -- getpeercert's dictionary, against ssl's decoder ----------------------------------------------


def odd_certificate(tmp_path: Path) -> Path:
    key = ec.ECPrivateKey.generate(ec.P256)
    now = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
    subject = x509.Name(
        [
            [x509.NameAttribute.of("C", "DE")],
            [x509.NameAttribute.of("ST", "Berlin"), x509.NameAttribute.of("L", "Mitte")],
            [x509.NameAttribute.of("O", "Ünïcode & Co")],
            [x509.NameAttribute.of("OU", "unit")],
            [x509.NameAttribute.of("emailAddress", "a@example.org")],
            [x509.NameAttribute.of("CN", "odd.example")],
        ]
    )
    cert = x509.Certificate.create(
        subject=subject,
        public_key=key.public_key(),
        signing_key=key,
        not_before=now,
        not_after=now + timedelta(days=3650),
        serial_number=0x80_00_00_01,  # the top bit set: DER adds a zero byte
        subject_alternative_names=[
            x509.DNSName("odd.example"),
            x509.DNSName("*.odd.example"),
            x509.IPAddress(ipaddress.IPv6Address("2001:db8::1")),
            x509.IPAddress(ipaddress.IPv4Address("192.0.2.7")),
            x509.RFC822Name("b@example.org"),
            x509.URI("https://odd.example/x"),
            x509.DirectoryName(x509.Name.from_attributes([("CN", "dir")])),
        ],
    )
    path = tmp_path / "odd.pem"
    path.write_text(cert.to_pem())
    return path


def test_peer_certificate_dict_matches_ssl(pki: Pki, tmp_path: Path) -> None:
    decode = ssl._ssl._test_decode_cert  # type: ignore[attr-defined]
    for path in (odd_certificate(tmp_path), pki.files("rsa")[0], pki.ca_file):
        cert = x509.load_pem_bundle(path.read_bytes())[0]
        assert tls_socket.peer_certificate_dict(cert) == decode(str(path)), path.name


def test_one_thread_writes_while_another_reads(
    pki: Pki, serve: Callable[[Callable[[socket.socket], object]], ThreadServer]
) -> None:
    """Full duplex through an echo: 16 MiB written by one thread while the main thread reads.
    The writer must not hold up the reader (the echo blocks when nobody reads)."""
    server = serve(echo(server_config(pki)))
    payload = os.urandom(16 << 20)
    with tls_socket.connect(
        ("127.0.0.1", server.port), client_config(pki), "localhost", timeout=JOIN
    ) as conn:
        errors_seen: list[BaseException] = []

        def write() -> None:
            try:
                conn.sendall(payload)
            except BaseException as e:
                errors_seen.append(e)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        got = recv_exactly(conn, len(payload))
        writer.join(JOIN)
        assert not writer.is_alive() and not errors_seen
        assert got == payload
    server.finish()
