"""Shared fixtures of the TLS engine tests: a test PKI made once per session with
``x509.Certificate.create`` (an RSA-2048 chain and a P-256 chain, root -> leaf, plus an
Ed25519 leaf and deliberately bad leaves), configurations, and an in-memory
client <-> server pump.

Every test runs with ``tls.engine.raise_internal_errors`` set, so that a bug (an exception
other than TLSError escaping the handshake code) fails the test instead of becoming an
internal_error alert.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import tls
import x509
from nocrypto import ec, ecx, rsa
from nocrypto.rng import Fortuna
from tls import ProtocolVersion

HOST = "server.test"
#: The tests' clock (the PKI is valid around it).
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ALL_VERSIONS = (ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12)


@pytest.fixture(autouse=True)
def _strict_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(tls.engine, "raise_internal_errors", True)
    yield


def _name(cn: str) -> x509.Name:
    return x509.Name.from_attributes([("O", "nqsb engine tests"), ("CN", cn)])


def make_cert(
    key: x509.PrivateKey,
    signer: x509.PrivateKey,
    cn: str,
    issuer: x509.Certificate | None = None,
    *,
    ca: bool = False,
    dns: tuple[str, ...] = (HOST,),
    usage: tuple[str, ...] = ("digitalSignature", "keyEncipherment"),
    days: tuple[int, int] = (-30, 365),
) -> x509.Certificate:
    """A certificate for *key* signed by *signer* (self-signed when *issuer* is None)."""
    public = key.public_key()
    return x509.Certificate.create(
        subject=_name(cn),
        public_key=public,
        signing_key=signer,
        issuer=issuer,
        not_before=NOW + timedelta(days=days[0]),
        not_after=NOW + timedelta(days=days[1]),
        basic_constraints=x509.BasicConstraints(ca=True) if ca else None,
        key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign") if ca else x509.KeyUsage.of(*usage),
        extended_key_usage=() if ca else (x509.ExtendedKeyUsage.SERVER_AUTH,),
        subject_alternative_names=() if ca else tuple(x509.DNSName(d) for d in dns),
    )


@dataclass(frozen=True)
class PKI:
    """The session's test PKI."""

    rsa_root: x509.Certificate
    rsa_root_key: rsa.RSAPrivateKey
    rsa_leaf: x509.Certificate
    rsa_key: rsa.RSAPrivateKey
    ec_root: x509.Certificate
    ec_root_key: ec.ECPrivateKey
    ec_leaf: x509.Certificate
    ec_key: ec.ECPrivateKey
    ed_leaf: x509.Certificate
    ed_key: ecx.Ed25519PrivateKey
    p384_leaf: x509.Certificate
    p384_key: ec.ECPrivateKey

    @property
    def rsa_chain(self) -> tls.CertificateChain:
        return tls.CertificateChain((self.rsa_leaf, self.rsa_root), self.rsa_key)

    @property
    def ec_chain(self) -> tls.CertificateChain:
        return tls.CertificateChain((self.ec_leaf, self.ec_root), self.ec_key)

    @property
    def ed_chain(self) -> tls.CertificateChain:
        return tls.CertificateChain((self.ed_leaf, self.ec_root), self.ed_key)

    @property
    def p384_chain(self) -> tls.CertificateChain:
        return tls.CertificateChain((self.p384_leaf, self.ec_root), self.p384_key)

    def authenticator(self) -> x509.Authenticator:
        return x509.Authenticator.chain_of_trust([self.rsa_root, self.ec_root])


@functools.cache
def make_pki() -> PKI:
    """The test PKI, made once per process."""
    rsa_root_key = rsa.RSAPrivateKey.generate(2048)
    rsa_root = make_cert(rsa_root_key, rsa_root_key, "rsa root", ca=True)
    rsa_key = rsa.RSAPrivateKey.generate(2048)
    rsa_leaf = make_cert(rsa_key, rsa_root_key, HOST, rsa_root)
    ec_root_key = ec.ECPrivateKey.generate(ec.P256)
    ec_root = make_cert(ec_root_key, ec_root_key, "ec root", ca=True)
    ec_key = ec.ECPrivateKey.generate(ec.P256)
    ec_leaf = make_cert(ec_key, ec_root_key, HOST, ec_root, usage=("digitalSignature",))
    ed_key = ecx.Ed25519PrivateKey.generate()
    ed_leaf = make_cert(ed_key, ec_root_key, HOST, ec_root, usage=("digitalSignature",))
    p384_key = ec.ECPrivateKey.generate(ec.P384)
    p384_leaf = make_cert(p384_key, ec_root_key, HOST, ec_root, usage=("digitalSignature",))
    return PKI(
        rsa_root,
        rsa_root_key,
        rsa_leaf,
        rsa_key,
        ec_root,
        ec_root_key,
        ec_leaf,
        ec_key,
        ed_leaf,
        ed_key,
        p384_leaf,
        p384_key,
    )


@pytest.fixture(scope="session")
def pki() -> PKI:
    return make_pki()


def seeded(seed: bytes = b"seed") -> Callable[[int], bytes]:
    """A deterministic random source."""
    return Fortuna(seed=seed).generate


def client_config(**kw: Any) -> tls.Config:
    """A client config trusting the test PKI, with the tests' clock."""
    kw.setdefault("authenticator", make_pki().authenticator())
    kw.setdefault("now", lambda: NOW)
    return tls.Config(**kw)


def server_config(**kw: Any) -> tls.Config:
    """A server config with the RSA and P-256 chains."""
    pki = make_pki()
    kw.setdefault("certificates", (pki.rsa_chain, pki.ec_chain))
    kw.setdefault("now", lambda: NOW)
    return tls.Config(**kw)


def both(**kw: Any) -> tuple[tls.Config, tls.Config]:
    """Client and server configs sharing *kw*."""
    return client_config(**kw), server_config(**kw)


@dataclass
class Run:
    """The result of an in-memory handshake."""

    client: tls.State
    server: tls.State
    flights: list[bytes]
    client_events: list[object]
    server_events: list[object]
    client_failure: tls.TLSError | None = None
    server_failure: tls.TLSError | None = None


def _feed(state: tls.State, data: bytes, byte_by_byte: bool) -> tuple[tls.State, tls.Output]:
    if not byte_by_byte:
        return tls.handle(state, data)
    sent: list[bytes] = []
    got: list[bytes] = []
    events: list[tls.events.Event] = []
    failure: tls.TLSError | None = None
    for i in range(len(data)):
        state, out = tls.handle(state, data[i : i + 1])
        sent.append(out.to_send)
        got.append(out.data)
        events.extend(out.events)
        failure = failure or out.failure
    return state, tls.Output(b"".join(sent), b"".join(got), tuple(events), failure)


def handshake(
    ccfg: tls.Config,
    scfg: tls.Config,
    server_name: str | None = HOST,
    *,
    byte_by_byte: bool = False,
    max_flights: int = 8,
) -> Run:
    """Pump a handshake between a client and a server in memory."""
    client, out = tls.client(ccfg, server_name)
    server = tls.server(scfg)
    run = Run(client, server, [out.to_send], [], [])
    to_server = out.to_send
    for _ in range(max_flights):
        if not to_server:
            break
        run.server, sout = _feed(run.server, to_server, byte_by_byte)
        run.server_events.extend(sout.events)
        run.server_failure = run.server_failure or sout.failure
        if sout.to_send:
            run.flights.append(sout.to_send)
        if not sout.to_send:
            break
        run.client, cout = _feed(run.client, sout.to_send, byte_by_byte)
        run.client_events.extend(cout.events)
        run.client_failure = run.client_failure or cout.failure
        to_server = cout.to_send
        if to_server:
            run.flights.append(to_server)
    return run


def established(ccfg: tls.Config, scfg: tls.Config, **kw: Any) -> Run:
    """A handshake that must succeed."""
    run = handshake(ccfg, scfg, **kw)
    assert run.client_failure is None, run.client_failure
    assert run.server_failure is None, run.server_failure
    assert tls.is_established(run.client) and tls.is_established(run.server)
    return run


def transfer(sender: tls.State, receiver: tls.State, data: bytes) -> tuple[tls.State, tls.State]:
    """Send *data* one way and check it arrives whole."""
    sender, out = tls.send(sender, data)
    receiver, got = tls.handle(receiver, out.to_send)
    assert got.failure is None
    assert got.data == data
    return sender, receiver


def with_config(state: tls.State, **kw: Any) -> tls.State:
    """*state* with its config changed (for tests that swap e.g. the random source)."""
    return replace(state, config=replace(state.config, **kw))
