"""tls.aio: asyncio streams over the engine, ours against ours and against asyncio's own
``ssl`` streams (OpenSSL) in both roles; closure, truncation and handshake failures.

Each test runs its own event loop (``asyncio.run``) with a deadline, and closes its servers.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import threading
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

import pytest

from tls import aio, ciphersuites
from tls import socket as tls_socket
from tls._demo import Pki, make_pki
from tls.config import Config

T = TypeVar("T")
DEADLINE = 20.0


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def run(coroutine: Awaitable[T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, DEADLINE)

    return asyncio.run(bounded())


def server_config(pki: Pki, **options: object) -> Config:
    return Config(certificates=(pki.rsa_chain, pki.ecdsa_chain), **options)  # type: ignore[arg-type]


def client_config(pki: Pki, **options: object) -> Config:
    return Config(authenticator=pki.authenticator(), **options)  # type: ignore[arg-type]


async def echo(reader: asyncio.StreamReader, writer: aio.TLSStreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


def test_round_trip(pki: Pki) -> None:
    payload = os.urandom(300_000)
    seen: list[object] = []

    async def handler(reader: asyncio.StreamReader, writer: aio.TLSStreamWriter) -> None:
        seen.append((writer.session.server_name, writer.selected_alpn_protocol()))
        await echo(reader, writer)

    async def main() -> None:
        server = await aio.start_server(
            handler, "127.0.0.1", 0, server_config(pki, alpn_protocols=("h2",))
        )
        async with server:
            port = server.sockets[0].getsockname()[1]
            suite = ciphersuites.by_name("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
            config = client_config(pki, cipher_suites=(suite,), alpn_protocols=("h2",))
            reader, writer = await aio.open_connection("127.0.0.1", port, config, "localhost")
            assert writer.cipher() == (suite.name, "TLSv1.2", 256)
            assert writer.get_extra_info("peercert_der") == pki.rsa_chain.certificates[0].der
            assert writer.get_extra_info("peercert") == tls_socket.peer_certificate_dict(
                pki.rsa_chain.certificates[0]
            )
            assert writer.get_extra_info("peername")[:2] == ("127.0.0.1", port)  # type: ignore[index]
            assert not writer.can_write_eof()
            writer.write(payload)
            await writer.drain()
            assert await reader.readexactly(len(payload)) == payload
            writer.writelines([b"line one\n", b"line two\n"])
            assert await reader.readline() == b"line one\n"
            assert await reader.readline() == b"line two\n"
            writer.close()  # close_notify; the server answers with its own
            assert await reader.read() == b""
            await writer.wait_closed()
            assert writer.is_closing()

    run(main())
    assert seen == [("localhost", "h2")]


def test_handshake_failure(pki: Pki, tmp_path: Path) -> None:
    called: list[bool] = []

    async def handler(reader: asyncio.StreamReader, writer: aio.TLSStreamWriter) -> None:
        called.append(True)

    async def main() -> tls_socket.HandshakeError:
        server = await aio.start_server(handler, "127.0.0.1", 0, server_config(pki))
        async with server:
            port = server.sockets[0].getsockname()[1]
            config = client_config(make_pki(tmp_path / "other"))
            with pytest.raises(tls_socket.HandshakeError) as info:
                await aio.open_connection("127.0.0.1", port, config, "localhost")
            return info.value

    error = run(main())
    assert error.failure is not None and error.peer_alert is None
    assert called == []


def test_truncation(pki: Pki) -> None:
    """A server that cuts the TCP connection after some data: the reader raises."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(DEADLINE)

    def cut() -> None:
        raw, _ = listener.accept()
        with raw:
            conn = tls_socket.wrap_server(raw, server_config(pki))
            conn.sendall(b"half")
            raw.shutdown(socket.SHUT_RDWR)

    thread = threading.Thread(target=cut, daemon=True)
    thread.start()

    async def main() -> None:
        port = listener.getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port, client_config(pki))
        with pytest.raises(tls_socket.TruncatedError):
            while await reader.read(100):
                pass
        writer.close()
        await writer.wait_closed()

    try:
        run(main())
    finally:
        thread.join(DEADLINE)
        listener.close()
    assert not thread.is_alive()


def test_our_client_against_asyncio_ssl_server(pki: Pki) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(*pki.files("ecdsa"))

    async def ssl_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(ssl_echo, "127.0.0.1", 0, ssl=context)
        async with server:
            port = server.sockets[0].getsockname()[1]
            reader, writer = await aio.open_connection(
                "127.0.0.1", port, client_config(pki), "localhost"
            )
            assert writer.session.cipher_suite.kex.name == "ECDHE_ECDSA"
            writer.write(b"x" * 70_000)
            await writer.drain()
            assert await reader.readexactly(70_000) == b"x" * 70_000
            writer.close()
            await writer.wait_closed()

    run(main())


def test_asyncio_ssl_client_against_our_server(pki: Pki) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(pki.ca_file)

    async def main() -> tuple[str | None, object]:
        server = await aio.start_server(echo, "127.0.0.1", 0, server_config(pki))
        async with server:
            port = server.sockets[0].getsockname()[1]
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=context, server_hostname="localhost"
            )
            writer.write(b"hello " * 1000)
            await writer.drain()
            assert await reader.readexactly(6000) == b"hello " * 1000
            ssl_object = writer.get_extra_info("ssl_object")
            version = ssl_object.version()
            writer.close()
            await writer.wait_closed()
            return version, ssl_object.getpeercert()

    version, cert = run(main())
    assert version == "TLSv1.2"
    assert cert == tls_socket.peer_certificate_dict(pki.ecdsa_chain.certificates[0])
