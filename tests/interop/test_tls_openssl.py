"""Interop of the TLS engine with OpenSSL 3.0 (``openssl s_server`` / ``s_client``) over
127.0.0.1 (RFC 5246, RFC 4346, RFC 2246; RFC 8422, RFC 7919, RFC 7627, RFC 7301, RFC 6066,
RFC 5746, RFC 7507).

Our client against ``s_server -www`` (whose status page prints OpenSSL's view of the
session) and ``-rev``; ``s_client`` against our server (which answers each request with
its bytes reversed). For every version x suite both support, then the groups, the TLS 1.2
signature schemes, the extended master secret on/off/required, ALPN, SNI, version
negotiation and the fallback SCSV, large transfers, and server chains that fail validation
(our client's alert, as OpenSSL prints it). The negotiated parameters are checked from both
sides: our Session event and OpenSSL's ``Protocol``/``Cipher``/... lines.
"""

from __future__ import annotations

import select
import socket
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

import tls
import x509
from tests.interop import tls_peers as tp
from tls import ciphersuites, errors
from tls._wire import AlertDescription, NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import SUITES, BulkCipher, CipherSuite, KeyExchange
from tls.socket import with_system_clock

pytestmark = [
    pytest.mark.interop,
    pytest.mark.usefixtures("strict_engine"),
    pytest.mark.skipif(tp.OPENSSL is None, reason="no openssl command line"),
]

V10, V11, V12 = ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12
VERSIONS = (V10, V11, V12)
GET = b"GET / HTTP/1.0\r\n\r\n"
PAYLOAD = b"nqsb interop payload 0123456789 abcdefghijklmnopqrstuvwxyz\n"
#: Every suite of ours except 3DES (OpenSSL 3.0 has none): what our server accepts here.
#: Our default preference order first (the server's order decides), then the suites that
#: are not on by default (CCM_8).
ALL_BUT_3DES = ciphersuites.DEFAULT_SUITES + tuple(
    s
    for s in SUITES.values()
    if s not in ciphersuites.DEFAULT_SUITES and s.cipher is not BulkCipher.TRIPLE_DES_EDE_CBC
)
#: A DHE and an ECDHE suite per version for the tests that are not about suites.
ECDHE_RSA = {
    V10: SUITES[0xC013],  # TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    V11: SUITES[0xC014],  # TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    V12: SUITES[0xC02F],  # TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
}
DHE_RSA_GCM = SUITES[0x009E]  # TLS_DHE_RSA_WITH_AES_128_GCM_SHA256


def _suite_params() -> list[object]:
    if tp.OPENSSL is None:
        return []
    return [
        pytest.param(v, s, id=f"{tp.OPENSSL_VERSION_NAMES[v]}-{s.ours.name}")
        for v in VERSIONS
        for s in tp.openssl_suites(v)
    ]


SUITE_PARAMS = _suite_params()


def reverse_line(data: bytes) -> bytes | None:
    """Our server's answer to s_client: once a whole line arrived, the bytes reversed."""
    return b"nqsb:" + data[::-1] if data.endswith(b"\n") else None


def identity_for(pki: tp.Pki, suite: CipherSuite) -> tp.Identity:
    """The chain that can serve *suite*: P-256 for ECDHE_ECDSA, RSA for the others."""
    return pki.ecdsa if suite.kex is KeyExchange.ECDHE_ECDSA else pki.rsa


def expected_group(suite: CipherSuite, our_side: str) -> NamedGroup | None:
    """The group our client or server ends with against an OpenSSL peer left to its
    defaults. s_server's automatic DH parameters for a 2048-bit RSA key are the RFC 3526
    2048-bit MODP group, not an RFC 7919 one: our client names no group for it. Our server
    picks ffdhe2048 (s_client prints only "DH, 2048 bits")."""
    if suite.kex is KeyExchange.RSA:
        return None
    if suite.kex is KeyExchange.DHE_RSA:
        return NamedGroup.FFDHE2048 if our_side == "server" else None
    return NamedGroup.X25519  # our first preference, also OpenSSL's


def s_server_args(identity: tp.Identity, *extra: str) -> list[str]:
    """s_server options serving *identity* once, every suite allowed (security level 0)."""
    args = ["-cert", str(identity.leaf), "-key", str(identity.key), "-naccept", "1"]
    if identity.intermediates().read_bytes():
        args += ["-cert_chain", str(identity.intermediates())]
    return [*args, "-cipher", tp.OPENSSL_ALL, *extra]


def client_config(pki: tp.Pki, **kwargs: object) -> tls.Config:
    """Our client configuration, validating against the test roots."""
    return tls.Config(authenticator=pki.authenticator(), **kwargs)  # type: ignore[arg-type]


def server_config(pki: tp.Pki, **kwargs: object) -> tls.Config:
    """Our server: the RSA and P-256 chains, every suite but 3DES, TLS 1.0-1.2 unless said."""
    options: dict[str, object] = {
        "certificates": (pki.rsa.certificate_chain(), pki.ecdsa.certificate_chain()),
        "cipher_suites": ALL_BUT_3DES,
        "min_version": V10,
    }
    options.update(kwargs)
    return tls.Config(**options)  # type: ignore[arg-type]


def www_client(
    workdir: Path,
    identity: tp.Identity,
    config: tls.Config,
    server_args: list[str],
    server_name: str | None = "localhost",
    env: dict[str, str] | None = None,
) -> tuple[tp.EngineRun, str]:
    """Our client against ``s_server -www``: (our run, s_server's log)."""
    with tp.OpenSSLServer(s_server_args(identity, "-www", *server_args), workdir, env) as srv:
        run = tp.engine_client(srv.port, config, server_name, GET)
        srv.proc.wait(5)  # -naccept 1: s_server exits after the connection, log complete
        return run, srv.log()


def s_client_to_ours(
    config: tls.Config,
    client_args: list[str],
    payload: bytes = PAYLOAD,
    env: dict[str, str] | None = None,
) -> tuple[tp.EngineRun, tp.ProcessRun]:
    """s_client (with ARGS) against our server answering with reverse_line."""
    port, thread = tp.engine_server_thread(config, reverse_line)
    result = tp.run_s_client(port, client_args, payload, env)
    return thread.result(), result


def verify_args(pki: tp.Pki, host: str = "localhost") -> list[str]:
    """s_client options that make it validate our chain for *host* (and fail otherwise)."""
    return ["-CAfile", str(pki.roots), "-verify_return_error", "-verify_hostname", host]


def assert_ok_page(run: tp.EngineRun) -> tp.OpenSSLView:
    """Our client's run against s_server -www went well; s_server's page, parsed."""
    assert run.failure is None, run.failure
    assert run.session is not None
    assert run.data.startswith(b"HTTP/1.0 200 ok"), run.data[:200]
    assert run.closed, "no close_notify from s_server"
    return tp.OpenSSLView(run.data.decode("latin-1"))


def assert_ok_s_client(run: tp.EngineRun, result: tp.ProcessRun) -> tp.OpenSSLView:
    """s_client against our server went well; s_client's output, parsed."""
    assert run.failure is None, (run.failure, result.text[-2000:])
    assert run.session is not None
    assert not result.timed_out, result.text[-2000:]
    assert result.returncode == 0, result.text[-2000:]
    assert run.data == PAYLOAD
    assert b"nqsb:" + PAYLOAD[::-1] in result.output
    return result.view()


# -- every version x suite --------------------------------------------------------------------


@pytest.mark.parametrize(("version", "suite"), SUITE_PARAMS)
def test_our_client_suite(
    pki: tp.Pki, workdir: Path, version: ProtocolVersion, suite: tp.OpenSSLSuite
) -> None:
    config = client_config(
        pki, min_version=version, max_version=version, cipher_suites=(suite.ours,)
    )
    flag = tp.OPENSSL_VERSION_FLAGS[version]
    run, _ = www_client(workdir, identity_for(pki, suite.ours), config, [flag])
    page = assert_ok_page(run)
    assert run.session is not None
    assert (run.session.version, run.session.cipher_suite) == (version, suite.ours)
    assert (page.protocol, page.cipher_code) == (version, suite.ours.code)
    assert run.session.extended_master_secret is True
    assert page.extended_master_secret is True
    assert run.session.group == expected_group(suite.ours, "client")
    assert run.session.verified_path is not None
    assert len(run.session.verified_path) == len(run.session.peer_certificates) + 1


@pytest.mark.parametrize(("version", "suite"), SUITE_PARAMS)
def test_our_server_suite(pki: tp.Pki, version: ProtocolVersion, suite: tp.OpenSSLSuite) -> None:
    flag = tp.OPENSSL_VERSION_FLAGS[version]
    cipher = f"{suite.openssl_name}:@SECLEVEL=0"
    run, result = s_client_to_ours(
        server_config(pki), [flag, "-cipher", cipher, "-servername", "localhost", *verify_args(pki)]
    )
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert (run.session.version, run.session.cipher_suite) == (version, suite.ours)
    assert (view.protocol, view.cipher_code) == (version, suite.ours.code)
    assert run.session.extended_master_secret is True
    assert view.extended_master_secret is True
    assert run.session.group == view.group == expected_group(suite.ours, "server")
    assert run.session.server_name == "localhost"
    if version == V12 and suite.ours.kex is not KeyExchange.RSA:
        assert run.session.signature_scheme is not None
        assert view.peer_signature == tp.expected_peer_signature(run.session.signature_scheme)


# -- groups -----------------------------------------------------------------------------------

EC_GROUPS = (
    NamedGroup.X25519,
    NamedGroup.X448,
    NamedGroup.SECP256R1,
    NamedGroup.SECP384R1,
    NamedGroup.SECP521R1,
)
FF_GROUPS = (NamedGroup.FFDHE2048, NamedGroup.FFDHE3072, NamedGroup.FFDHE4096)


@pytest.mark.parametrize("version", [V12, V10], ids=lambda v: v.name)
@pytest.mark.parametrize("group", EC_GROUPS, ids=lambda g: g.name)
def test_our_client_ecdhe_group(
    pki: tp.Pki, workdir: Path, group: NamedGroup, version: ProtocolVersion
) -> None:
    """s_server restricted to one curve (-groups): our client offers all, uses that one."""
    config = client_config(pki, min_version=version, max_version=version)
    name = tp.OPENSSL_GROUPS[group][0]
    flag = tp.OPENSSL_VERSION_FLAGS[version]
    run, _ = www_client(workdir, pki.rsa, config, [flag, "-groups", name])
    assert_ok_page(run)
    assert run.session is not None
    assert run.session.cipher_suite.kex is KeyExchange.ECDHE_RSA
    assert run.session.group == group


@pytest.mark.parametrize("group", FF_GROUPS, ids=lambda g: g.name)
def test_our_client_ffdhe_group(pki: tp.Pki, workdir: Path, group: NamedGroup) -> None:
    """s_server with the RFC 7919 group's parameters (-dhparam): our client recognises it."""
    config = client_config(pki, cipher_suites=(DHE_RSA_GCM,))
    dh = str(tp.dhparam(workdir, group))
    run, _ = www_client(workdir, pki.rsa, config, ["-dhparam", dh])
    page = assert_ok_page(run)
    assert run.session is not None
    assert run.session.group == group
    assert page.cipher_code == DHE_RSA_GCM.code


@pytest.mark.parametrize("group", EC_GROUPS, ids=lambda g: g.name)
def test_our_server_ecdhe_group(pki: tp.Pki, group: NamedGroup) -> None:
    """s_client offering one curve: our server uses it (s_client's Server Temp Key)."""
    name = tp.OPENSSL_GROUPS[group][0]
    run, result = s_client_to_ours(server_config(pki), ["-tls1_2", "-groups", name])
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.group == view.group == group


def test_our_server_ffdhe_default(pki: tp.Pki) -> None:
    """OpenSSL 3.0 offers no FFDHE group in TLS 1.2: our server falls back to ffdhe2048."""
    run, result = s_client_to_ours(
        server_config(pki), ["-tls1_2", "-cipher", "DHE-RSA-AES256-GCM-SHA384"]
    )
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.group == view.group == NamedGroup.FFDHE2048


@pytest.mark.parametrize("group", [NamedGroup.SECP384R1, NamedGroup.X448], ids=lambda g: g.name)
def test_our_server_group_preference(pki: tp.Pki, group: NamedGroup) -> None:
    """Our server configured with one group uses it even when s_client prefers another."""
    run, result = s_client_to_ours(
        server_config(pki, groups=(group,)), ["-tls1_2", "-groups", "X25519:P-256:X448:P-384"]
    )
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.group == view.group == group


# -- TLS 1.2 signature schemes ----------------------------------------------------------------

RSA_SCHEMES = (
    SignatureScheme.RSA_PKCS1_SHA256,
    SignatureScheme.RSA_PKCS1_SHA384,
    SignatureScheme.RSA_PKCS1_SHA512,
    SignatureScheme.RSA_PSS_RSAE_SHA256,
    SignatureScheme.RSA_PSS_RSAE_SHA384,
    SignatureScheme.RSA_PSS_RSAE_SHA512,
    SignatureScheme.RSA_PKCS1_SHA1,
)
ECDSA_SCHEMES = (
    SignatureScheme.ECDSA_SECP256R1_SHA256,
    SignatureScheme.ECDSA_SECP384R1_SHA384,
    SignatureScheme.ECDSA_SECP521R1_SHA512,
    SignatureScheme.ECDSA_SHA1,
)
SCHEME_PARAMS = [pytest.param(s, id=s.name) for s in RSA_SCHEMES + ECDSA_SCHEMES]


def _scheme_setup(pki: tp.Pki, scheme: SignatureScheme) -> tuple[tp.Identity, CipherSuite]:
    if scheme in ECDSA_SCHEMES:
        return pki.ecdsa, SUITES[0xC02B]  # TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    return pki.rsa, SUITES[0xC02F]  # TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256


@pytest.mark.parametrize("scheme", SCHEME_PARAMS)
def test_our_client_signature_scheme(pki: tp.Pki, workdir: Path, scheme: SignatureScheme) -> None:
    """s_server signing ServerKeyExchange with one scheme (-sigalgs): our client checks it."""
    identity, suite = _scheme_setup(pki, scheme)
    sha1 = scheme in (SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.ECDSA_SHA1)
    config = client_config(pki, cipher_suites=(suite,), allow_sha1_signatures=sha1)
    sigalgs = tp.OPENSSL_SIGALGS[scheme]
    run, _ = www_client(workdir, identity, config, ["-sigalgs", sigalgs])
    assert_ok_page(run)
    assert run.session is not None
    assert run.session.signature_scheme == scheme


@pytest.mark.parametrize("scheme", SCHEME_PARAMS)
def test_our_server_signature_scheme(pki: tp.Pki, scheme: SignatureScheme) -> None:
    """s_client offering one scheme (-sigalgs): our server signs with it."""
    _, suite = _scheme_setup(pki, scheme)
    sha1 = scheme in (SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.ECDSA_SHA1)
    config = server_config(pki, cipher_suites=(suite,), allow_sha1_signatures=sha1)
    sigalgs = tp.OPENSSL_SIGALGS[scheme]
    run, result = s_client_to_ours(
        config, ["-tls1_2", "-sigalgs", sigalgs, "-cipher", "ALL:@SECLEVEL=0"]
    )
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.signature_scheme == scheme
    assert view.peer_signature == tp.expected_peer_signature(scheme)


def test_our_server_without_sha1_refuses_sha1_only_client(pki: tp.Pki) -> None:
    """A TLS 1.2 client that only accepts SHA-1 signatures: we do not sign with SHA-1
    (RFC 9155) and fail the handshake (RFC 5246 §7.4.1.4.1: no common scheme)."""
    config = server_config(pki, cipher_suites=(SUITES[0xC02F],))
    run, result = s_client_to_ours(
        config, ["-tls1_2", "-sigalgs", "RSA+SHA1", "-cipher", "ALL:@SECLEVEL=0"]
    )
    assert run.session is None
    assert isinstance(run.failure, errors.HandshakeFailure), run.failure
    assert result.view().alerts == [40], result.text[-1500:]  # handshake_failure


# -- extended master secret (RFC 7627) --------------------------------------------------------

EMS_CASES = [
    # (ours, openssl has EMS, expected: True/False = used, None = handshake_failure)
    ("on", True, True),
    ("on", False, False),
    ("off", True, False),
    ("off", False, False),
    ("required", True, True),
    ("required", False, None),
]


def _client_ems_case(ours: str, theirs: bool, expected: bool | None) -> object:
    return pytest.param(ours, theirs, expected, id=f"{ours}-{theirs}")


@pytest.mark.parametrize(("ours", "theirs", "expected"), [_client_ems_case(*c) for c in EMS_CASES])
def test_our_client_ems(
    pki: tp.Pki, workdir: Path, ours: str, theirs: bool, expected: bool | None
) -> None:
    config = client_config(pki, extended_master_secret=ours)
    env = None if theirs else tp.no_ems_env(workdir)
    run, log = www_client(workdir, pki.rsa, config, [], env=env)
    if expected is None:
        assert isinstance(run.failure, errors.HandshakeFailure), run.failure
        assert run.last_plaintext_alert() == (V12, 2, 40)  # fatal handshake_failure
        assert tp.OpenSSLView(log).alerts == [40], log
        return
    page = assert_ok_page(run)
    assert run.session is not None
    assert run.session.extended_master_secret is expected
    assert page.extended_master_secret is expected


@pytest.mark.parametrize(("ours", "theirs", "expected"), EMS_CASES)
def test_our_server_ems(
    pki: tp.Pki, workdir: Path, ours: str, theirs: bool, expected: bool | None
) -> None:
    config = server_config(pki, extended_master_secret=ours)
    env = None if theirs else tp.no_ems_env(workdir)
    run, result = s_client_to_ours(config, ["-tls1_2"], env=env)
    if expected is None:
        assert isinstance(run.failure, errors.HandshakeFailure), run.failure
        assert result.view().alerts == [40], result.text[-1500:]
        return
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.extended_master_secret is expected
    assert view.extended_master_secret is expected


# -- ALPN (RFC 7301) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        (("h2", "http/1.1"), "http/1.1,h2", "http/1.1"),  # the server's preference wins
        (("http/1.1",), "h2,http/1.1", "http/1.1"),
        ((), "h2,http/1.1", None),
    ],
)
def test_our_client_alpn(
    pki: tp.Pki, workdir: Path, ours: tuple[str, ...], theirs: str, expected: str | None
) -> None:
    config = client_config(pki, alpn_protocols=ours)
    run, _ = www_client(workdir, pki.rsa, config, ["-alpn", theirs])
    assert_ok_page(run)
    assert run.session is not None
    assert run.session.alpn_protocol == expected


def test_our_client_alpn_no_overlap(pki: tp.Pki, workdir: Path) -> None:
    """OpenSSL 3.0's s_server answers an ALPN offer without overlap with the fatal
    no_application_protocol alert (RFC 7301 §3.2): our client reports it."""
    config = client_config(pki, alpn_protocols=("h2",))
    run, _ = www_client(workdir, pki.rsa, config, ["-alpn", "spdy/3"])
    assert run.session is None
    assert isinstance(run.failure, tls.FatalAlertReceived), run.failure
    assert run.failure.received == AlertDescription.NO_APPLICATION_PROTOCOL


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        (("h2", "http/1.1"), "http/1.1,h2", "h2"),  # our (the server's) preference wins
        (("http/1.1", "h2"), "h2", "h2"),
        ((), "h2,http/1.1", None),  # we do not speak ALPN: the extension is ignored
    ],
)
def test_our_server_alpn(
    pki: tp.Pki, ours: tuple[str, ...], theirs: str, expected: str | None
) -> None:
    run, result = s_client_to_ours(server_config(pki, alpn_protocols=ours), ["-alpn", theirs])
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.alpn_protocol == view.alpn == expected


def test_our_server_alpn_no_overlap(pki: tp.Pki) -> None:
    """RFC 7301 §3.2: no common protocol -> fatal no_application_protocol (120)."""
    config = server_config(pki, alpn_protocols=("h2",))
    run, result = s_client_to_ours(config, ["-alpn", "spdy/3,http/1.1"])
    assert isinstance(run.failure, errors.NoApplicationProtocol), run.failure
    assert result.view().alerts == [120], result.text[-1500:]


# -- SNI (RFC 6066) ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "cn"), [("other.test", "other.test"), ("localhost", "localhost")])
def test_our_client_sni(pki: tp.Pki, workdir: Path, name: str, cn: str) -> None:
    """s_server switches to its second certificate for -servername: our client's SNI."""
    other = [
        "-servername",
        "other.test",
        "-cert2",
        str(pki.other.leaf),
        "-key2",
        str(pki.other.key),
    ]
    run, _ = www_client(workdir, pki.rsa, client_config(pki), other, server_name=name)
    assert_ok_page(run)
    assert run.session is not None
    assert run.session.server_name == name
    assert tp.common_name(run.session.peer_certificates[0]) == cn


@pytest.mark.parametrize(
    ("args", "cn"),
    [
        (["-servername", "other.test"], "other.test"),
        (["-servername", "localhost"], "localhost"),
        (["-noservername"], "localhost"),  # no SNI: the first chain
    ],
)
def test_our_server_sni(pki: tp.Pki, args: list[str], cn: str) -> None:
    """Our server picks the chain whose leaf matches the SNI name (s_client validates it)."""
    config = server_config(
        pki, certificates=(pki.rsa.certificate_chain(), pki.other.certificate_chain())
    )
    run, result = s_client_to_ours(config, ["-tls1_2", *args, *verify_args(pki, cn)])
    view = assert_ok_s_client(run, result)
    assert view.subject_cn == cn
    assert run.session is not None
    assert run.session.server_name == (None if "-noservername" in args else args[1])


# -- certificate validation failures: our client's alert --------------------------------------


def _far_future() -> datetime:
    return datetime(2100, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("case", "failure", "alert"),
    [
        ("unknown-ca", errors.UnknownCA, 48),
        ("ecdsa-unknown-ca", errors.UnknownCA, 48),
        ("wrong-host", errors.BadCertificate, 42),
        ("expired", errors.CertificateExpired, 45),
    ],
)
def test_our_client_rejects_chain(
    pki: tp.Pki, workdir: Path, case: str, failure: type[errors.TLSError], alert: int
) -> None:
    identity, name, config = pki.rsa, "localhost", client_config(pki)
    if case == "unknown-ca":
        identity = pki.rogue
    elif case == "ecdsa-unknown-ca":
        identity = pki.ecdsa
        config = tls.Config(authenticator=tls_auth_rsa_only(pki), cipher_suites=(SUITES[0xC02B],))
    elif case == "wrong-host":
        name = "wrong.test"
    else:
        config = client_config(pki, now=_far_future)
    run, log = www_client(workdir, identity, config, [], server_name=name)
    assert run.session is None
    assert isinstance(run.failure, failure), run.failure
    assert tp.OpenSSLView(log).alerts == [alert], log


def tls_auth_rsa_only(pki: tp.Pki) -> x509.Authenticator:
    """An authenticator trusting only the RSA root."""
    return x509.Authenticator.chain_of_trust([pki.rsa.root_certificate()])


# -- versions and the fallback SCSV -----------------------------------------------------------


@pytest.mark.parametrize("server_version", VERSIONS, ids=lambda v: v.name)
def test_our_client_version_negotiation(
    pki: tp.Pki, workdir: Path, server_version: ProtocolVersion
) -> None:
    """Our client offering 1.0-1.2 gets what a one-version s_server speaks."""
    config = client_config(pki, min_version=V10, max_version=V12)
    flag = tp.OPENSSL_VERSION_FLAGS[server_version]
    run, _ = www_client(workdir, pki.rsa, config, [flag])
    page = assert_ok_page(run)
    assert run.session is not None
    assert run.session.version == page.protocol == server_version


def test_our_client_refuses_lower_version(pki: tp.Pki, workdir: Path) -> None:
    """A TLS 1.2-only client and a TLS 1.1-only server: protocol_version (70), RFC 5246
    appendix E.1. (Which record version that alert should carry is not specified; OpenSSL
    3.0 reads it only with the version it chose, 0x0302, so only our side is checked.)"""
    run, log = www_client(workdir, pki.rsa, client_config(pki), ["-tls1_1"])
    assert run.session is None
    assert isinstance(run.failure, errors.ProtocolVersionError), run.failure
    alert = run.last_plaintext_alert()
    assert alert is not None and alert[1:] == (2, 70), alert
    assert "server accepts that finished" in log and "0 server accepts that finished" in log


@pytest.mark.parametrize("client_version", VERSIONS, ids=lambda v: v.name)
def test_our_server_version_negotiation(pki: tp.Pki, client_version: ProtocolVersion) -> None:
    flag = tp.OPENSSL_VERSION_FLAGS[client_version]
    run, result = s_client_to_ours(server_config(pki), [flag, "-cipher", tp.OPENSSL_ALL])
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.version == view.protocol == client_version


def test_our_server_refuses_lower_version(pki: tp.Pki) -> None:
    run, result = s_client_to_ours(
        server_config(pki, min_version=V12), ["-tls1_1", "-cipher", tp.OPENSSL_ALL]
    )
    assert run.session is None
    assert isinstance(run.failure, errors.ProtocolVersionError), run.failure
    assert result.view().alerts == [70], result.text[-1500:]


@pytest.mark.parametrize(
    ("max_version", "expected_alert"), [(V12, 86), (V11, None)], ids=["fallback", "max-1.1"]
)
def test_our_server_fallback_scsv(
    pki: tp.Pki, max_version: ProtocolVersion, expected_alert: int | None
) -> None:
    """RFC 7507: a TLS 1.1 hello with TLS_FALLBACK_SCSV to a 1.2 server ->
    inappropriate_fallback (86); to a server whose best is 1.1 it is fine."""
    config = server_config(pki, max_version=max_version)
    args = ["-tls1_1", "-fallback_scsv", "-cipher", tp.OPENSSL_ALL]
    run, result = s_client_to_ours(config, args)
    if expected_alert is None:
        assert_ok_s_client(run, result)
        return
    assert isinstance(run.failure, errors.InappropriateFallback), run.failure
    assert result.view().alerts == [expected_alert], result.text[-1500:]


# -- large transfers --------------------------------------------------------------------------

LINES = [bytes([0x61 + i % 26]) * 3000 + b"%d\n" % i for i in range(12)]  # ~36 KB


@pytest.mark.parametrize("version", [V12, V10], ids=lambda v: v.name)
def test_our_client_large_transfer(pki: tp.Pki, workdir: Path, version: ProtocolVersion) -> None:
    """36 KB each way through ``s_server -rev`` (lines reversed), TLS 1.2 GCM and TLS 1.0
    CBC (our 1/n-1 record split)."""
    suite = ECDHE_RSA[version]
    config = client_config(pki, min_version=version, max_version=version, cipher_suites=(suite,))
    request = b"".join(LINES)
    expected = b"".join(line[:-1][::-1] + b"\n" for line in LINES)
    args = s_server_args(pki.rsa, "-rev", tp.OPENSSL_VERSION_FLAGS[version])
    with tp.OpenSSLServer(args, workdir) as srv:
        run = tp.engine_client(
            srv.port, config, "localhost", request, until=lambda r: len(r.data) >= len(expected)
        )
        log = srv.log()
    assert run.failure is None, run.failure
    assert run.data == expected
    assert tp.OpenSSLView(log).cipher_code == suite.code


@pytest.mark.parametrize(
    ("version", "frag"),
    [(V12, []), (V10, []), (V12, ["-max_send_frag", "512"])],
    ids=["TLS12", "TLS10", "TLS12-512-byte-records"],
)
def test_our_server_large_transfer(pki: tp.Pki, version: ProtocolVersion, frag: list[str]) -> None:
    """40 KB from s_client (also in 512-byte records), 40 KB back."""
    payload = bytes(range(0x30, 0x7A)) * 560 + b"\n"
    config = server_config(pki, cipher_suites=(ECDHE_RSA[version],))
    port, thread = tp.engine_server_thread(config, reverse_line)
    flag = tp.OPENSSL_VERSION_FLAGS[version]
    result = tp.run_s_client(port, [flag, "-cipher", tp.OPENSSL_ALL, *frag], payload)
    run = thread.result()
    assert run.failure is None, run.failure
    assert run.data == payload
    assert b"nqsb:" + payload[::-1] in result.output


# -- handshake variants: fragmentation, CertificateRequest, renegotiation, resumption ---------


@pytest.mark.parametrize("version", [V12, V10], ids=lambda v: v.name)
def test_our_client_fragmented_handshake(
    pki: tp.Pki, workdir: Path, version: ProtocolVersion
) -> None:
    """s_server -max_send_frag 512 spreads the Certificate message (and the page) over
    many records (RFC 5246 §6.2.1: handshake messages may span records)."""
    config = client_config(pki, min_version=version, max_version=version)
    args = ["-max_send_frag", "512", tp.OPENSSL_VERSION_FLAGS[version]]
    run, _ = www_client(workdir, pki.rsa, config, args)
    page = assert_ok_page(run)
    assert page.protocol == version


@pytest.mark.parametrize("version", [V12, V10], ids=lambda v: v.name)
def test_our_client_answers_certificate_request(
    pki: tp.Pki, workdir: Path, version: ProtocolVersion
) -> None:
    """s_server -verify 1 asks for a client certificate: we answer with an empty
    Certificate (RFC 5246 §7.4.6) and the handshake completes."""
    config = client_config(pki, min_version=version, max_version=version)
    args = ["-verify", "1", "-CAfile", str(pki.roots), tp.OPENSSL_VERSION_FLAGS[version]]
    run, _ = www_client(workdir, pki.rsa, config, args)
    assert_ok_page(run)
    assert b"no client certificate available" in run.data


def test_our_client_without_certificate_required(pki: tp.Pki, workdir: Path) -> None:
    """s_server -Verify 1 requires one: it aborts with handshake_failure, which we report."""
    args = ["-Verify", "1", "-CAfile", str(pki.roots)]
    run, log = www_client(workdir, pki.rsa, client_config(pki), args)
    assert run.session is None
    assert isinstance(run.failure, tls.FatalAlertReceived), run.failure
    assert run.failure.received == AlertDescription.HANDSHAKE_FAILURE
    assert "peer did not return a certificate" in log


@pytest.mark.parametrize("version", [V12, V10], ids=lambda v: v.name)
def test_our_client_refuses_renegotiation(
    pki: tp.Pki, workdir: Path, version: ProtocolVersion
) -> None:
    """s_server's "r" command sends a HelloRequest: we answer with the no_renegotiation
    warning (RFC 5246 §7.4.1.1); OpenSSL reads it ("no renegotiation") and then aborts with
    handshake_failure, its own choice."""
    config = client_config(pki, min_version=version, max_version=version)
    with tp.OpenSSLServer(
        s_server_args(pki.rsa, tp.OPENSSL_VERSION_FLAGS[version]), workdir
    ) as srv:
        conn = tp.EngineConnection(
            tp.connect(srv.port), *tls.client(with_system_clock(config), "localhost")
        )
        try:
            conn.pump(lambda r: r.established)
            conn.send(b"before renegotiation\n")
            assert srv.wait_for("before renegotiation"), srv.log()
            assert srv.proc.stdin is not None
            srv.proc.stdin.write(b"r\n")
            srv.proc.stdin.flush()
            conn.pump(lambda r: False)
        finally:
            conn.close()
        assert srv.wait_for("no renegotiation"), srv.log()
    assert conn.run.session is not None
    assert isinstance(conn.run.failure, tls.FatalAlertReceived), conn.run.failure
    assert conn.run.failure.received == AlertDescription.HANDSHAKE_FAILURE


@pytest.mark.parametrize("version", [V12, V10], ids=lambda v: v.name)
def test_our_server_refuses_renegotiation(pki: tp.Pki, version: ProtocolVersion) -> None:
    """s_client's "R" command sends a new ClientHello: we answer no_renegotiation; OpenSSL
    reads it ("no renegotiation") and aborts with handshake_failure."""
    assert tp.OPENSSL is not None
    lsock = tp.listener()
    port = int(lsock.getsockname()[1])
    args = [tp.OPENSSL_VERSION_FLAGS[version], "-cipher", tp.OPENSSL_ALL]
    proc = tp.spawn(
        [tp.OPENSSL, "s_client", "-connect", f"{tp.HOST}:{port}", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        sock, _ = lsock.accept()
        conn = tp.EngineConnection(sock, tls.server(with_system_clock(server_config(pki))))
        try:
            conn.pump(lambda r: r.established)
            assert proc.stdin is not None
            proc.stdin.write(b"R\n")  # s_client's renegotiate command (without -ign_eof)
            proc.stdin.flush()
            conn.pump(lambda r: False)
        finally:
            conn.close()
        output, _ = proc.communicate(timeout=tp.CONNECTION_TIMEOUT)
    finally:
        lsock.close()
        tp.stop_process(proc)
    text = output.decode("utf-8", "replace")
    assert "RENEGOTIATING" in text and "no renegotiation" in text, text[-1500:]
    assert conn.run.session is not None
    assert isinstance(conn.run.failure, tls.FatalAlertReceived), conn.run.failure
    assert conn.run.failure.received == AlertDescription.HANDSHAKE_FAILURE


def test_our_server_declines_resumption(pki: tp.Pki) -> None:
    """s_client -reconnect offers the session ID (and ticket) again five times: we do not
    resume (no session cache), so every connection is a full handshake ("New")."""
    port, thread = tp.engine_servers_thread(server_config(pki), reverse_line, 6)
    result = tp.run_s_client(port, ["-tls1_2", "-reconnect"], PAYLOAD)
    runs = thread.result(6 * tp.CONNECTION_TIMEOUT)
    assert result.returncode == 0, result.text[-1500:]
    assert result.text.count("New, TLSv1.2") == 6, result.text
    assert "Reused" not in result.text
    assert all(r.session is not None and r.failure is None for r in runs), runs
    assert runs[-1].data == PAYLOAD


# -- our server's choice under the client's constraints, weak DH groups -----------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # RFC 5246 §7.4.1.4.1: only RSA signatures acceptable -> not the ECDSA chain
        (["-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
          "-sigalgs", "RSA+SHA256"], 0xC02F),
        (["-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA",
          "-sigalgs", "rsa_pss_rsae_sha256"], 0x002F),
        # RFC 8422 §5.1: the P-256 key is unusable by a client without secp256r1
        (["-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
          "-groups", "X25519"], 0xC02F),
        (["-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-groups", "X25519"], None),
        # any hash with any curve in TLS 1.2
        (["-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-sigalgs", "ECDSA+SHA384"], 0xC02B),
    ],
    ids=["rsa-sigalgs-only", "pss-only-static-rsa", "no-p256", "no-p256-ecdsa-only",
         "p256-with-sha384"],
)  # fmt: skip
def test_our_server_choice(pki: tp.Pki, args: list[str], expected: int | None) -> None:
    run, result = s_client_to_ours(server_config(pki), ["-tls1_2", *args])
    if expected is None:
        assert isinstance(run.failure, errors.HandshakeFailure), run.failure
        assert result.view().alerts == [40], result.text[-1500:]
        return
    view = assert_ok_s_client(run, result)
    assert run.session is not None
    assert run.session.cipher_suite.code == view.cipher_code == expected


@pytest.mark.parametrize(
    ("group", "accepted"),
    [("dh_1024_160", False), ("modp_1536", False), ("modp_2048", True)],
)
def test_our_client_dh_group_size(pki: tp.Pki, workdir: Path, group: str, accepted: bool) -> None:
    """Non-RFC 7919 groups: accepted from min_dh_bits (2048) up, unnamed in the Session;
    smaller ones refused with insufficient_security (71)."""
    config = client_config(pki, cipher_suites=(DHE_RSA_GCM,))
    run, log = www_client(workdir, pki.rsa, config, ["-dhparam", str(tp.dhparam(workdir, group))])
    if accepted:
        assert_ok_page(run)
        assert run.session is not None
        assert run.session.group is None
        return
    assert isinstance(run.failure, errors.InsufficientSecurity), run.failure
    assert run.last_plaintext_alert() == (V12, 2, 71)
    assert tp.OpenSSLView(log).alerts == [71], log


# -- downgrade protection (RFC 8446 §4.1.3) through a rewriting proxy -------------------------


def _relay(client: socket.socket, upstream: socket.socket, rewrite: bool) -> None:
    """Copy bytes both ways until one side closes; with *rewrite*, lower the first
    ClientHello's client_version from TLS 1.2 to TLS 1.1 (an active downgrade attacker)."""
    first = True
    socks = [client, upstream]
    while True:
        ready, _, _ = select.select(socks, [], [], tp.CONNECTION_TIMEOUT)
        if not ready:
            return
        for sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            if sock is client and first:
                first = False
                # record header (5) + handshake header (4), then client_version
                if rewrite and data[9:11] == b"\x03\x03":
                    data = data[:9] + b"\x03\x02" + data[11:]
            (upstream if sock is client else client).sendall(data)


@pytest.mark.parametrize("rewrite", [False, True], ids=["relay", "downgrade"])
def test_our_client_detects_downgrade(pki: tp.Pki, workdir: Path, rewrite: bool) -> None:
    """A proxy lowers our ClientHello to TLS 1.1; s_server (which speaks 1.2) answers 1.1
    with the DOWNGRD\\x00 sentinel in ServerHello.random; our client, having offered 1.2,
    aborts with illegal_parameter (RFC 8446 §4.1.3). Without the rewrite the relay works."""
    config = client_config(pki, min_version=V10, max_version=V12)
    proxy = tp.listener()
    port = int(proxy.getsockname()[1])
    with tp.OpenSSLServer(s_server_args(pki.rsa, "-www"), workdir) as srv:

        def relay() -> bool:
            try:
                client, _ = proxy.accept()
            finally:
                proxy.close()
            with client, socket.create_connection((tp.HOST, srv.port)) as upstream:
                _relay(client, upstream, rewrite)
            return True

        thread: tp.PeerThread[bool] = tp.PeerThread(f"proxy:{port}", relay)
        thread.start()
        run = tp.engine_client(port, config, "localhost", GET)
        assert thread.result()
    if not rewrite:
        page = assert_ok_page(run)
        assert page.protocol == V12
        return
    assert run.session is None
    assert isinstance(run.failure, errors.IllegalParameter), run.failure
    alert = run.last_plaintext_alert()
    assert alert is not None and alert[1:] == (2, 47), alert
