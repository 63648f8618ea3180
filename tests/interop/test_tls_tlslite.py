"""Interop of the TLS engine with tlslite-ng (RFC 5246, RFC 4346, RFC 2246; RFC 8422,
RFC 7919, RFC 7627, RFC 7301, RFC 6066, RFC 7507).

tlslite-ng's ``TLSConnection`` client and server, on 127.0.0.1 sockets, one side in a
thread, against ours: every version x suite both support (3DES and CCM_8 included: tlslite
has them, OpenSSL 3.0 has not), every group (x25519, x448, P-256/384/521, ffdhe2048..8192),
the extended master secret off/on/required on both sides (tlslite's
``useExtendedMasterSecret``/``requireExtendedMasterSecret``), ALPN, SNI, version
negotiation, the fallback SCSV, large transfers, and server chains our client must reject
(tlslite reports the alert description it received). tlslite offers encrypt-then-MAC
(RFC 7366) by default; we do not implement it, so every CBC suite here also checks that we
ignore the extension correctly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import pytest
from tlslite.errors import TLSRemoteAlert

import tls
import x509
from tests.interop import tls_peers as tp
from tls import errors
from tls._wire import AlertDescription, NamedGroup, ProtocolVersion
from tls.ciphersuites import SUITES, CipherSuite, KeyExchange

pytestmark = [pytest.mark.interop, pytest.mark.usefixtures("strict_engine")]


# -- tlslite-ng -------------------------------------------------------------------------------

#: tlslite-ng's names for the parts of our suites (HandshakeSettings vocabulary).
TLSLITE_CIPHERS: Final = [
    "chacha20-poly1305", "aes256gcm", "aes128gcm", "aes256ccm", "aes128ccm",
    "aes256ccm_8", "aes128ccm_8", "aes256", "aes128", "3des",
]  # fmt: skip
TLSLITE_KEY_EXCHANGES: Final = ["ecdhe_ecdsa", "rsa", "dhe_rsa", "ecdhe_rsa"]
TLSLITE_GROUPS: Final = {
    NamedGroup.X25519: "x25519",
    NamedGroup.X448: "x448",
    NamedGroup.SECP256R1: "secp256r1",
    NamedGroup.SECP384R1: "secp384r1",
    NamedGroup.SECP521R1: "secp521r1",
    NamedGroup.FFDHE2048: "ffdhe2048",
    NamedGroup.FFDHE3072: "ffdhe3072",
    NamedGroup.FFDHE4096: "ffdhe4096",
    NamedGroup.FFDHE6144: "ffdhe6144",
    NamedGroup.FFDHE8192: "ffdhe8192",
}
_TLSLITE_VERSIONS: Final = {
    ProtocolVersion.TLS10: (3, 1),
    ProtocolVersion.TLS11: (3, 2),
    ProtocolVersion.TLS12: (3, 3),
}


def tlslite_suites() -> frozenset[int]:
    """The code points of tlslite-ng's TLS 1.0-1.2 suites (``CipherSuite.ietfNames``)."""
    from tlslite.constants import CipherSuite as TlsliteSuites

    return frozenset(int(code) for code in TlsliteSuites.ietfNames)


def tlslite_settings(
    min_version: ProtocolVersion = ProtocolVersion.TLS10,
    max_version: ProtocolVersion = ProtocolVersion.TLS12,
    groups: Sequence[NamedGroup] | None = None,
    ems: str = "on",
    **attributes: object,
) -> object:
    """A tlslite-ng ``HandshakeSettings`` for TLS *min_version*..*max_version* with every
    cipher our suites use (CCM_8 and 3DES too), *groups* (eccCurves + dhGroups) and the
    extended master secret "off", "on" or "required"."""
    from tlslite.api import HandshakeSettings

    s = HandshakeSettings()
    s.minVersion = _TLSLITE_VERSIONS[min_version]
    s.maxVersion = _TLSLITE_VERSIONS[max_version]
    s.versions = [v for v in ((3, 3), (3, 2), (3, 1)) if s.minVersion <= v <= s.maxVersion]
    s.cipherNames = list(TLSLITE_CIPHERS)
    s.keyExchangeNames = list(TLSLITE_KEY_EXCHANGES)
    s.keyShares = []  # TLS 1.3 only, and must name enabled groups
    if groups is not None:
        s.eccCurves = [TLSLITE_GROUPS[g] for g in groups if g < NamedGroup.FFDHE2048]
        s.dhGroups = [TLSLITE_GROUPS[g] for g in groups if g >= NamedGroup.FFDHE2048]
    s.useExtendedMasterSecret = ems != "off"
    s.requireExtendedMasterSecret = ems == "required"
    for name, value in attributes.items():
        setattr(s, name, value)
    return s


@dataclass
class TlsliteRun:
    """What one tlslite-ng connection saw."""

    version: ProtocolVersion | None = None
    cipher_suite: int | None = None
    extended_master_secret: bool | None = None
    alpn: str | None = None
    curve: int | None = None  # client side: the ECDHE group's code point, if any
    dh_bits: int | None = None  # client side: the DHE prime's size, if any
    server_certificate_cn: str | None = None
    data: bytes = b""
    error: BaseException | None = None


def _tlslite_record(conn: object, run: TlsliteRun) -> None:
    from tlslite.api import TLSConnection

    assert isinstance(conn, TLSConnection)
    names = {v: k for k, v in _TLSLITE_VERSIONS.items()}
    run.version = names.get(tuple(conn.version))
    run.cipher_suite = int(conn.session.cipherSuite)
    run.extended_master_secret = bool(conn.session.extendedMasterSecret)
    run.alpn = bytes(conn.session.appProto).decode() if conn.session.appProto else None
    run.curve = None if conn.ecdhCurve is None else int(conn.ecdhCurve)
    run.dh_bits = None if conn.dhGroupSize is None else int(conn.dhGroupSize)


def _tlslite_read(conn: object, run: TlsliteRun, until: Callable[[bytes], bool]) -> None:
    from tlslite.api import TLSConnection

    assert isinstance(conn, TLSConnection)
    while not until(run.data):
        chunk = conn.read()
        if not chunk:
            break
        run.data += bytes(chunk)


def tlslite_server_thread(
    identity: tp.Identity,
    settings: object,
    respond: Callable[[bytes], bytes | None],
    alpn: Sequence[str] = (),
) -> tuple[int, tp.PeerThread[TlsliteRun]]:
    """A tlslite-ng server in a thread, for one connection: handshake with *identity*, read
    until *respond(data)* answers, write the answer, close. Returns (port, thread)."""
    from tlslite.api import TLSConnection, X509CertChain, parsePEMKey

    chain = X509CertChain()
    chain.parsePemList(identity.chain.read_text())
    key = parsePEMKey(identity.key.read_text(), private=True)
    server_sock = tp.listener()
    port = int(server_sock.getsockname()[1])

    def serve() -> TlsliteRun:
        run = TlsliteRun()
        try:
            sock, _ = server_sock.accept()
        finally:
            server_sock.close()
        sock.settimeout(tp.CONNECTION_TIMEOUT)
        conn = TLSConnection(sock)
        try:
            conn.handshakeServer(
                certChain=chain,
                privateKey=key,
                settings=settings,
                alpn=[bytearray(p.encode()) for p in alpn] or None,
            )
            _tlslite_record(conn, run)
            answer: list[bytes] = []

            def answered(data: bytes) -> bool:
                reply = respond(data) if data else None
                if reply is not None:
                    answer.append(reply)
                return reply is not None

            _tlslite_read(conn, run, answered)
            if answer:
                conn.write(answer[0])
            conn.close()
        except Exception as exc:  # recorded: the test decides whether it was expected
            run.error = exc
        finally:
            sock.close()
        return run

    thread: tp.PeerThread[TlsliteRun] = tp.PeerThread(f"tlslite-server:{port}", serve)
    thread.start()
    return port, thread


def _tlslite_client(
    port: int,
    settings: object,
    request: bytes,
    until: Callable[[bytes], bool],
    server_name: str | None = None,
    alpn: Sequence[str] = (),
) -> TlsliteRun:
    """A tlslite-ng client to 127.0.0.1:*port*: handshake, write *request*, read until
    *until(data)* holds or the server closes, close."""
    from tlslite.api import TLSConnection

    run = TlsliteRun()
    sock = tp.connect(port)
    conn = TLSConnection(sock)
    try:
        conn.handshakeClientCert(
            settings=settings,
            serverName=server_name,
            alpn=[bytearray(p.encode()) for p in alpn] or None,
        )
        _tlslite_record(conn, run)
        chain = conn.session.serverCertChain
        if chain is not None and chain.x509List:
            leaf = x509.Certificate.from_der(bytes(chain.x509List[0].bytes))
            run.server_certificate_cn = tp.common_name(leaf)
        conn.write(request)
        _tlslite_read(conn, run, until)
        conn.close()
    except Exception as exc:  # recorded: the test decides whether it was expected
        run.error = exc
    finally:
        sock.close()
    return run


V10, V11, V12 = ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12
VERSIONS = (V10, V11, V12)
PAYLOAD = b"nqsb <-> tlslite-ng payload 0123456789\n"
ECDHE_RSA_GCM = SUITES[0xC02F]  # TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
DHE_RSA_GCM = SUITES[0x009E]  # TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
TLSLITE_SUITES = tlslite_suites()
SUITE_PARAMS = [
    pytest.param(v, s, id=f"{v.name}-{s.name}")
    for v in VERSIONS
    for s in SUITES.values()
    if s.code in TLSLITE_SUITES and s.min_version <= v
]


def reverse_line(data: bytes) -> bytes | None:
    """The answer of the server side (ours or tlslite's): the line reversed."""
    return b"reply:" + data[::-1] if data.endswith(b"\n") else None


def reply_to(payload: bytes) -> bytes:
    """What reverse_line answers to *payload*."""
    answer = reverse_line(payload)
    assert answer is not None
    return answer


def identity_for(pki: tp.Pki, suite: CipherSuite) -> tp.Identity:
    """P-256 for ECDHE_ECDSA, RSA for the other key exchanges."""
    return pki.ecdsa if suite.kex is KeyExchange.ECDHE_ECDSA else pki.rsa


def our_client(
    pki: tp.Pki,
    port: int,
    payload: bytes = PAYLOAD,
    server_name: str = "localhost",
    **kwargs: object,
) -> tp.EngineRun:
    """Our client to *port*: send *payload*, read the reversed answer, close."""
    config = tls.Config(authenticator=pki.authenticator(), **kwargs)  # type: ignore[arg-type]
    expected = len(reply_to(payload))
    return tp.engine_client(
        port, config, server_name, payload, until=lambda r: len(r.data) >= expected
    )


def our_server(pki: tp.Pki, **kwargs: object) -> tuple[int, tp.PeerThread[tp.EngineRun]]:
    """Our server (RSA and P-256 chains, TLS 1.0-1.2 unless said) in a thread."""
    options: dict[str, object] = {
        "certificates": (pki.rsa.certificate_chain(), pki.ecdsa.certificate_chain()),
        "min_version": V10,
    }
    options.update(kwargs)
    return tp.engine_server_thread(tls.Config(**options), reverse_line)  # type: ignore[arg-type]


def tlslite_client(
    port: int, settings: object, payload: bytes = PAYLOAD, **kwargs: object
) -> TlsliteRun:
    """A tlslite-ng client sending *payload* and reading the reversed answer."""
    expected = len(reply_to(payload))
    return _tlslite_client(
        port,
        settings,
        payload,
        until=lambda data: len(data) >= expected,
        server_name=kwargs.pop("server_name", "localhost"),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def assert_exchanged(ours: tp.EngineRun, theirs: TlsliteRun, payload: bytes) -> None:
    """Both handshakes completed, agree, and the data went both ways intact."""
    assert theirs.error is None, repr(theirs.error)
    assert ours.failure is None, ours.failure
    assert ours.session is not None
    assert ours.session.version == theirs.version
    assert ours.session.cipher_suite.code == theirs.cipher_suite
    assert ours.session.extended_master_secret == theirs.extended_master_secret
    assert ours.session.alpn_protocol == theirs.alpn
    if ours.data.startswith(b"reply:"):  # ours is the client
        assert ours.data == reply_to(payload)
        assert theirs.data == payload
    else:
        assert ours.data == payload
        assert theirs.data == reply_to(payload)


# -- every version x suite --------------------------------------------------------------------


@pytest.mark.parametrize(("version", "suite"), SUITE_PARAMS)
def test_our_client_suite(pki: tp.Pki, version: ProtocolVersion, suite: CipherSuite) -> None:
    port, thread = tlslite_server_thread(identity_for(pki, suite), tlslite_settings(), reverse_line)
    ours = our_client(pki, port, min_version=version, max_version=version, cipher_suites=(suite,))
    theirs = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert (ours.session.version, ours.session.cipher_suite) == (version, suite)
    assert ours.session.extended_master_secret is True


@pytest.mark.parametrize(("version", "suite"), SUITE_PARAMS)
def test_our_server_suite(pki: tp.Pki, version: ProtocolVersion, suite: CipherSuite) -> None:
    port, thread = our_server(pki, cipher_suites=(suite,))
    theirs = tlslite_client(port, tlslite_settings(version, version))
    ours = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert (ours.session.version, ours.session.cipher_suite) == (version, suite)
    assert ours.session.server_name == "localhost"
    if suite.kex is KeyExchange.DHE_RSA:
        assert ours.session.group == NamedGroup.FFDHE2048  # tlslite's first FFDHE group
    elif suite.kex is not KeyExchange.RSA:
        assert theirs.curve is not None
        assert ours.session.group == NamedGroup(theirs.curve)


# -- groups -----------------------------------------------------------------------------------

EC_GROUPS = (
    NamedGroup.X25519,
    NamedGroup.X448,
    NamedGroup.SECP256R1,
    NamedGroup.SECP384R1,
    NamedGroup.SECP521R1,
)
FF_GROUPS = (
    NamedGroup.FFDHE2048,
    NamedGroup.FFDHE3072,
    NamedGroup.FFDHE4096,
    NamedGroup.FFDHE6144,
    NamedGroup.FFDHE8192,
)
FF_BITS = {
    NamedGroup.FFDHE2048: 2048,
    NamedGroup.FFDHE3072: 3072,
    NamedGroup.FFDHE4096: 4096,
    NamedGroup.FFDHE6144: 6144,
    NamedGroup.FFDHE8192: 8192,
}
GROUP_PARAMS = [pytest.param(g, id=g.name) for g in EC_GROUPS + FF_GROUPS]


def _group_suite(group: NamedGroup) -> CipherSuite:
    return DHE_RSA_GCM if group in FF_GROUPS else ECDHE_RSA_GCM


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_our_client_group(pki: tp.Pki, group: NamedGroup) -> None:
    """Our client offering one group; tlslite's server (all groups) uses it (RFC 7919 §4
    for the FFDHE ones)."""
    port, thread = tlslite_server_thread(pki.rsa, tlslite_settings(), reverse_line)
    ours = our_client(pki, port, groups=(group,), cipher_suites=(_group_suite(group),))
    theirs = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert ours.session.group == group


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_our_server_group(pki: tp.Pki, group: NamedGroup) -> None:
    """tlslite's client offering one group; our server (all groups) uses it."""
    all_groups = tuple(NamedGroup(g) for g in EC_GROUPS + FF_GROUPS)
    port, thread = our_server(pki, groups=all_groups, cipher_suites=(_group_suite(group),))
    theirs = tlslite_client(port, tlslite_settings(groups=[group]))
    ours = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert ours.session.group == group
    if group in FF_GROUPS:
        assert theirs.dh_bits == FF_BITS[group]
    else:
        assert theirs.curve == group


# -- extended master secret (RFC 7627) --------------------------------------------------------

EMS_MODES = ("off", "on", "required")
EMS_PARAMS = [pytest.param(o, t, id=f"ours-{o}-theirs-{t}") for o in EMS_MODES for t in EMS_MODES]


def _ems_fails(ours: str, theirs: str) -> str | None:
    """Which side aborts: "ours", "theirs" or None."""
    if ours == "required" and theirs == "off":
        return "ours"
    if theirs == "required" and ours == "off":
        return "theirs"
    return None


@pytest.mark.parametrize(("ours_mode", "theirs_mode"), EMS_PARAMS)
def test_our_client_ems(pki: tp.Pki, ours_mode: str, theirs_mode: str) -> None:
    settings = tlslite_settings(ems=theirs_mode)
    port, thread = tlslite_server_thread(pki.rsa, settings, reverse_line)
    ours = our_client(pki, port, extended_master_secret=ours_mode)
    theirs = thread.result()
    fails = _ems_fails(ours_mode, theirs_mode)
    if fails == "ours":
        assert isinstance(ours.failure, errors.HandshakeFailure), ours.failure
        assert isinstance(theirs.error, TLSRemoteAlert), repr(theirs.error)
        assert theirs.error.description == AlertDescription.HANDSHAKE_FAILURE
    elif fails == "theirs":
        # tlslite's server refuses a hello without the extension: insufficient_security
        assert isinstance(ours.failure, tls.FatalAlertReceived), ours.failure
        assert ours.failure.received == AlertDescription.INSUFFICIENT_SECURITY
    else:
        assert_exchanged(ours, theirs, PAYLOAD)
        assert ours.session is not None
        assert ours.session.extended_master_secret is ("off" not in (ours_mode, theirs_mode))


@pytest.mark.parametrize(("ours_mode", "theirs_mode"), EMS_PARAMS)
def test_our_server_ems(pki: tp.Pki, ours_mode: str, theirs_mode: str) -> None:
    port, thread = our_server(pki, extended_master_secret=ours_mode)
    theirs = tlslite_client(port, tlslite_settings(ems=theirs_mode))
    ours = thread.result()
    fails = _ems_fails(ours_mode, theirs_mode)
    if fails == "ours":
        assert isinstance(ours.failure, errors.HandshakeFailure), ours.failure
        assert isinstance(theirs.error, TLSRemoteAlert), repr(theirs.error)
        assert theirs.error.description == AlertDescription.HANDSHAKE_FAILURE
    elif fails == "theirs":
        assert isinstance(ours.failure, tls.FatalAlertReceived), ours.failure
        assert theirs.error is not None
    else:
        assert_exchanged(ours, theirs, PAYLOAD)
        assert ours.session is not None
        assert ours.session.extended_master_secret is ("off" not in (ours_mode, theirs_mode))


# -- ALPN, SNI --------------------------------------------------------------------------------


def test_our_client_alpn(pki: tp.Pki) -> None:
    """tlslite's server picks by the client's order (it is its choice, RFC 7301 §3.2)."""
    port, thread = tlslite_server_thread(
        pki.rsa, tlslite_settings(), reverse_line, alpn=("h2", "http/1.1")
    )
    ours = our_client(pki, port, alpn_protocols=("http/1.1", "h2"))
    theirs = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert ours.session.alpn_protocol == theirs.alpn == "http/1.1"


def test_our_server_alpn(pki: tp.Pki) -> None:
    """Our server picks its own first preference among the client's protocols."""
    port, thread = our_server(pki, alpn_protocols=("h2", "http/1.1"))
    theirs = tlslite_client(port, tlslite_settings(), alpn=("http/1.1", "h2"))
    ours = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert ours.session.alpn_protocol == theirs.alpn == "h2"


def test_our_server_alpn_no_overlap(pki: tp.Pki) -> None:
    port, thread = our_server(pki, alpn_protocols=("h2",))
    theirs = tlslite_client(port, tlslite_settings(), alpn=("spdy/3",))
    ours = thread.result()
    assert isinstance(ours.failure, errors.NoApplicationProtocol), ours.failure
    assert isinstance(theirs.error, TLSRemoteAlert), repr(theirs.error)
    assert theirs.error.description == AlertDescription.NO_APPLICATION_PROTOCOL


@pytest.mark.parametrize("name", ["other.test", "localhost"])
def test_our_server_sni(pki: tp.Pki, name: str) -> None:
    chains = (pki.rsa.certificate_chain(), pki.other.certificate_chain())
    port, thread = our_server(pki, certificates=chains)
    theirs = tlslite_client(port, tlslite_settings(), server_name=name)
    ours = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert theirs.server_certificate_cn == name
    assert ours.session is not None
    assert ours.session.server_name == name


# -- our client rejects a chain ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "failure", "alert"),
    [
        ("unknown-ca", errors.UnknownCA, AlertDescription.UNKNOWN_CA),
        ("wrong-host", errors.BadCertificate, AlertDescription.BAD_CERTIFICATE),
        ("expired", errors.CertificateExpired, AlertDescription.CERTIFICATE_EXPIRED),
    ],
)
def test_our_client_rejects_chain(
    pki: tp.Pki, case: str, failure: type[errors.TLSError], alert: AlertDescription
) -> None:
    identity = pki.rogue if case == "unknown-ca" else pki.rsa
    port, thread = tlslite_server_thread(identity, tlslite_settings(), reverse_line)
    name = "wrong.test" if case == "wrong-host" else "localhost"
    if case == "expired":
        later = datetime(2100, 1, 1, tzinfo=UTC)
        ours = our_client(pki, port, server_name=name, now=lambda: later)
    else:
        ours = our_client(pki, port, server_name=name)
    theirs = thread.result()
    assert ours.session is None
    assert isinstance(ours.failure, failure), ours.failure
    assert isinstance(theirs.error, TLSRemoteAlert), repr(theirs.error)
    assert theirs.error.description == alert


# -- versions, fallback SCSV ------------------------------------------------------------------


@pytest.mark.parametrize("theirs_max", VERSIONS, ids=lambda v: v.name)
def test_our_client_version_negotiation(pki: tp.Pki, theirs_max: ProtocolVersion) -> None:
    settings = tlslite_settings(V10, theirs_max)
    port, thread = tlslite_server_thread(pki.rsa, settings, reverse_line)
    ours = our_client(pki, port, min_version=V10, max_version=V12)
    theirs = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert ours.session.version == theirs_max


@pytest.mark.parametrize("theirs_max", VERSIONS, ids=lambda v: v.name)
def test_our_server_version_negotiation(pki: tp.Pki, theirs_max: ProtocolVersion) -> None:
    port, thread = our_server(pki)
    theirs = tlslite_client(port, tlslite_settings(V10, theirs_max))
    ours = thread.result()
    assert_exchanged(ours, theirs, PAYLOAD)
    assert ours.session is not None
    assert ours.session.version == theirs_max


def test_our_server_fallback_scsv(pki: tp.Pki) -> None:
    """RFC 7507 §3: TLS_FALLBACK_SCSV with a version below our highest ->
    inappropriate_fallback."""
    port, thread = our_server(pki)
    theirs = tlslite_client(port, tlslite_settings(V10, V11, sendFallbackSCSV=True))
    ours = thread.result()
    assert isinstance(ours.failure, errors.InappropriateFallback), ours.failure
    assert isinstance(theirs.error, TLSRemoteAlert), repr(theirs.error)
    assert theirs.error.description == AlertDescription.INAPPROPRIATE_FALLBACK


# -- large transfers --------------------------------------------------------------------------

BIG = bytes(range(0x30, 0x7A)) * 600 + b"\n"  # ~44 KB: three records at least


@pytest.mark.parametrize(
    ("version", "suite"),
    [(V12, SUITES[0xCCA8]), (V10, SUITES[0xC014]), (V12, SUITES[0xC0A1])],
    ids=["TLS12-chacha20", "TLS10-cbc", "TLS12-ccm8"],
)
def test_large_transfer_both_ways(
    pki: tp.Pki, version: ProtocolVersion, suite: CipherSuite
) -> None:
    """~44 KB each way, our client then our server; TLS 1.0 CBC uses our 1/n-1 split."""
    port, thread = tlslite_server_thread(identity_for(pki, suite), tlslite_settings(), reverse_line)
    ours = our_client(
        pki, port, BIG, min_version=version, max_version=version, cipher_suites=(suite,)
    )
    assert_exchanged(ours, thread.result(), BIG)
    port, server = our_server(pki, cipher_suites=(suite,))
    theirs = tlslite_client(port, tlslite_settings(version, version), BIG)
    assert_exchanged(server.result(), theirs, BIG)


def test_tlslite_knows_our_suites() -> None:
    """The suite table above is not empty by accident: tlslite-ng has all of ours."""
    assert {s.code for s in SUITES.values()} <= TLSLITE_SUITES
    assert len(SUITE_PARAMS) == 12 + 12 + len(SUITES)
