"""Fixtures of the interop tests: the TLS test PKI (made once per session by the
``openssl`` command line), a strict engine, and the session-end check that no peer
process or thread started by ``tests.interop.tls_peers`` is left behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop import tls_peers


@pytest.fixture(scope="session", autouse=True)
def _no_leftover_peers() -> Iterator[None]:
    """At the end of the session, every s_server/s_client and peer thread is gone."""
    yield
    left = tls_peers.leftovers()
    for name in left:  # kill what is left anyway, then fail
        print("left behind:", name)
    with tls_peers._LOCK:
        procs = list(tls_peers._PROCESSES)
    for proc in procs:
        tls_peers.stop_process(proc)
    assert not left, f"peers left behind: {left}"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> tls_peers.Pki:
    """The RSA-2048 and P-256 chains (and the SNI and rogue ones) of the TLS tests."""
    if tls_peers.OPENSSL is None:
        pytest.fail("the openssl command line is needed to make the test PKI")
    return tls_peers.make_pki(tmp_path_factory.mktemp("tls-pki"))


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for peer logs, DH parameter files and OpenSSL configuration files."""
    return tmp_path_factory.mktemp("tls-peers")


@pytest.fixture
def strict_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a bug in the engine (an exception other than TLSError while handling peer
    bytes) raise instead of turning into an internal_error alert."""
    import tls.engine

    monkeypatch.setattr(tls.engine, "raise_internal_errors", True)
