"""Peers for the TLS interop tests: a test PKI, OpenSSL's ``s_server``/``s_client``, and a
tiny socket loop around our sans-I/O engine (the tlslite-ng peers are in
``test_tls_tlslite.py``).

The engine is driven over real loopback sockets by :class:`EngineConnection` (``recv`` ->
``tls.handle`` -> ``sendall(out.to_send)``), independent of ``tls.socket``. Every process
started here is registered and stopped by :func:`stop_process` (terminate, then kill);
every thread is a :class:`PeerThread` that is joined with a timeout.
:func:`leftovers` lists what is still alive, for the session-end check in ``conftest.py``.

What is parsed from OpenSSL's output (``openssl s_client`` / ``s_server -www`` pages and
logs): the ``Protocol``/``Cipher`` lines of the SSL-Session block (RFC 5246 version and
suite), ``Extended master secret`` (RFC 7627), ``ALPN protocol`` (RFC 7301), ``Server Temp
Key`` (the ECDHE/DHE group, RFC 8422 / RFC 7919), ``Peer signature type``/``Peer signing
digest`` (RFC 5246 §7.4.1.4.1), the certificate subject, and ``SSL alert number N``
(RFC 5246 §7.2) for the alerts it received.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Generic, TypeVar

import tls
import x509
from tls import events
from tls._wire import NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import SUITES, CipherSuite
from tls.errors import TLSError
from tls.socket import with_system_clock

HOST: Final = "127.0.0.1"
#: Seconds one connection (handshake plus data) may take before the peer is killed.
CONNECTION_TIMEOUT: Final = 20.0
#: Seconds a started ``s_server`` may take to print its ``ACCEPT`` line.
STARTUP_TIMEOUT: Final = 10.0
#: Seconds a closing connection waits for the peer's last bytes (see EngineConnection.close).
DRAIN_TIMEOUT: Final = 2.0
OPENSSL: Final = shutil.which("openssl")
#: ``-cipher`` for OpenSSL 3.0 peers: TLS 1.0/1.1 and SHA-1 signatures need security level 0.
OPENSSL_ALL: Final = "ALL:@SECLEVEL=0"

OPENSSL_VERSION_NAMES: Final = {
    ProtocolVersion.TLS10: "TLSv1",
    ProtocolVersion.TLS11: "TLSv1.1",
    ProtocolVersion.TLS12: "TLSv1.2",
}
#: s_client/s_server switches that pin one version.
OPENSSL_VERSION_FLAGS: Final = {
    ProtocolVersion.TLS10: "-tls1",
    ProtocolVersion.TLS11: "-tls1_1",
    ProtocolVersion.TLS12: "-tls1_2",
}
#: ``-groups`` names and the way ``Server Temp Key`` prints each group.
OPENSSL_GROUPS: Final = {
    NamedGroup.X25519: ("X25519", "X25519"),
    NamedGroup.X448: ("X448", "X448"),
    NamedGroup.SECP256R1: ("P-256", "prime256v1"),
    NamedGroup.SECP384R1: ("P-384", "secp384r1"),
    NamedGroup.SECP521R1: ("P-521", "secp521r1"),
    NamedGroup.FFDHE2048: ("ffdhe2048", "DH 2048"),
    NamedGroup.FFDHE3072: ("ffdhe3072", "DH 3072"),
    NamedGroup.FFDHE4096: ("ffdhe4096", "DH 4096"),
}
#: OpenSSL's ``-sigalgs`` names of the TLS 1.2 signature schemes.
OPENSSL_SIGALGS: Final = {
    SignatureScheme.RSA_PKCS1_SHA256: "RSA+SHA256",
    SignatureScheme.RSA_PKCS1_SHA384: "RSA+SHA384",
    SignatureScheme.RSA_PKCS1_SHA512: "RSA+SHA512",
    SignatureScheme.RSA_PSS_RSAE_SHA256: "rsa_pss_rsae_sha256",
    SignatureScheme.RSA_PSS_RSAE_SHA384: "rsa_pss_rsae_sha384",
    SignatureScheme.RSA_PSS_RSAE_SHA512: "rsa_pss_rsae_sha512",
    SignatureScheme.ECDSA_SECP256R1_SHA256: "ECDSA+SHA256",
    SignatureScheme.ECDSA_SECP384R1_SHA384: "ECDSA+SHA384",
    SignatureScheme.ECDSA_SECP521R1_SHA512: "ECDSA+SHA512",
    SignatureScheme.RSA_PKCS1_SHA1: "RSA+SHA1",
    SignatureScheme.ECDSA_SHA1: "ECDSA+SHA1",
}

T = TypeVar("T")


# -- processes and threads ------------------------------------------------------------------

_PROCESSES: list[subprocess.Popen[bytes]] = []
_THREADS: list[threading.Thread] = []
_LOCK = threading.Lock()


def spawn(args: Sequence[str], **kwargs: object) -> subprocess.Popen[bytes]:
    """Start a process and register it, so that :func:`leftovers` can see it."""
    proc: subprocess.Popen[bytes] = subprocess.Popen(list(args), **kwargs)  # type: ignore[call-overload]
    with _LOCK:
        _PROCESSES.append(proc)
    return proc


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Terminate *proc* (SIGTERM, then SIGKILL after 2 s) and reap it. Idempotent."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _child_openssl_pids() -> list[int]:
    """PIDs of ``openssl`` processes whose parent is this process (from /proc)."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
        comm = stat[stat.find("(") + 1 : stat.rfind(")")]
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        if ppid == me and comm == "openssl":
            found.append(int(entry.name))
    return found


def leftovers() -> list[str]:
    """What this module started and is still alive: processes and threads."""
    with _LOCK:
        alive = [f"process {p.args!r}" for p in _PROCESSES if p.poll() is None]
        alive += [f"thread {t.name}" for t in _THREADS if t.is_alive()]
    alive += [f"openssl child pid {pid}" for pid in _child_openssl_pids()]
    return alive


class PeerThread(threading.Thread, Generic[T]):
    """A daemon thread running ``target()``; :meth:`result` joins it and returns its value
    or re-raises its exception."""

    def __init__(self, name: str, target: Callable[[], T]) -> None:
        super().__init__(name=name, daemon=True)
        self._target_fn = target
        self._value: T | None = None
        self._error: BaseException | None = None
        with _LOCK:
            _THREADS.append(self)

    def run(self) -> None:
        """Run the target, keeping its value or exception."""
        try:
            self._value = self._target_fn()
        except BaseException as exc:  # handed to result()
            self._error = exc

    def result(self, timeout: float = CONNECTION_TIMEOUT) -> T:
        """Join (at most *timeout* seconds) and return the target's value."""
        self.join(timeout)
        if self.is_alive():
            raise TimeoutError(f"{self.name} still running after {timeout} s")
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def listener() -> socket.socket:
    """A TCP socket listening on 127.0.0.1 at a port the kernel picks."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    sock.listen(4)
    sock.settimeout(CONNECTION_TIMEOUT)
    return sock


def connect(port: int) -> socket.socket:
    """A TCP connection to 127.0.0.1:*port* with the connection timeout set."""
    sock = socket.create_connection((HOST, port), timeout=CONNECTION_TIMEOUT)
    sock.settimeout(CONNECTION_TIMEOUT)
    return sock


# -- the PKI ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A server identity in PEM files: the leaf, its intermediates, its key and its root."""

    leaf: Path
    chain: Path  # leaf first, then the intermediates (no root)
    key: Path
    root: Path

    def certificate_chain(self) -> tls.CertificateChain:
        """The identity as our engine's :class:`tls.CertificateChain`."""
        certs = x509.load_pem_bundle(self.chain.read_bytes())
        return tls.CertificateChain(tuple(certs), x509.load_private_key(self.key.read_bytes()))

    def root_certificate(self) -> x509.Certificate:
        """The trust anchor of this identity."""
        return x509.Certificate.from_pem(self.root.read_bytes())

    def intermediates(self) -> Path:
        """A PEM file with only the intermediates (for ``s_server -cert_chain``)."""
        return self.chain.with_suffix(".intermediates.pem")


@dataclass(frozen=True)
class Pki:
    """The identities of the interop tests, all made by the ``openssl`` command line.

    - ``rsa``: RSA-2048 root -> RSA-2048 intermediate -> RSA-2048 leaf for ``localhost``;
    - ``ecdsa``: P-256 root -> P-256 leaf for ``localhost``;
    - ``other``: RSA-2048 leaf for ``other.test`` under the RSA root (SNI selection);
    - ``rogue``: a self-signed RSA root nobody trusts -> leaf for ``localhost``.
    """

    dir: Path
    rsa: Identity
    ecdsa: Identity
    other: Identity
    rogue: Identity
    roots: Path  # the RSA and P-256 roots in one PEM file (for s_client -CAfile)

    def authenticator(self) -> x509.Authenticator:
        """Chain of trust to the RSA and P-256 roots (not the rogue one)."""
        return x509.Authenticator.chain_of_trust(
            [self.rsa.root_certificate(), self.ecdsa.root_certificate()]
        )


def _openssl(*args: str, cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _key(d: Path, name: str, kind: str) -> Path:
    path = d / f"{name}.key.pem"
    if kind == "rsa":
        _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                 "-out", str(path), cwd=d)  # fmt: skip
    else:
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-pkeyopt", "ec_param_enc:named_curve", "-out", str(path), cwd=d)  # fmt: skip
    return path


_EXTENSIONS: Final = """\
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_rsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:{host}
[leaf_ec]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:{host}
"""


def _root(d: Path, name: str, kind: str) -> tuple[Path, Path]:
    key = _key(d, name, kind)
    cert = d / f"{name}.pem"
    _openssl("req", "-new", "-x509", "-key", str(key), "-subj", f"/O=nqsb interop/CN={name}",
             "-days", "30", "-sha256", "-set_serial", "1", "-out", str(cert),
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)  # fmt: skip
    return cert, key


def _issue(d: Path, name: str, kind: str, section: str, host: str, ca: tuple[Path, Path],
           serial: int) -> tuple[Path, Path]:  # fmt: skip
    key = _key(d, name, kind)
    csr = d / f"{name}.csr"
    cert = d / f"{name}.pem"
    ext = d / f"{name}.ext"
    ext.write_text(_EXTENSIONS.format(host=host))
    _openssl("req", "-new", "-key", str(key), "-subj", f"/O=nqsb interop/CN={host}",
             "-out", str(csr), cwd=d)  # fmt: skip
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]),
             "-days", "30", "-sha256", "-set_serial", str(serial), "-extfile", str(ext),
             "-extensions", section, "-out", str(cert), cwd=d)  # fmt: skip
    return cert, key


def _identity(d: Path, name: str, leaf: Path, key: Path, intermediates: Sequence[Path],
              root: Path) -> Identity:  # fmt: skip
    chain = d / f"{name}.chain.pem"
    chain.write_bytes(b"".join(p.read_bytes() for p in (leaf, *intermediates)))
    ident = Identity(leaf=leaf, chain=chain, key=key, root=root)
    ident.intermediates().write_bytes(b"".join(p.read_bytes() for p in intermediates))
    return ident


def make_pki(d: Path) -> Pki:
    """Make the test PKI in directory *d* with the ``openssl`` command line."""
    rsa_root = _root(d, "rsa-root", "rsa")
    rsa_ca = d / "rsa-ca"
    ica_key = _key(d, "rsa-ca", "rsa")
    csr = d / "rsa-ca.csr"
    ext = d / "ca.ext"
    ext.write_text(_EXTENSIONS.format(host="unused"))
    _openssl("req", "-new", "-key", str(ica_key), "-subj", "/O=nqsb interop/CN=rsa-ca",
             "-out", str(csr), cwd=d)  # fmt: skip
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(rsa_root[0]), "-CAkey",
             str(rsa_root[1]), "-days", "30", "-sha256", "-set_serial", "2", "-extfile",
             str(ext), "-extensions", "ca", "-out", str(rsa_ca) + ".pem", cwd=d)  # fmt: skip
    ica = (Path(str(rsa_ca) + ".pem"), ica_key)
    rsa_leaf = _issue(d, "rsa-leaf", "rsa", "leaf_rsa", "localhost", ica, 3)
    ec_root = _root(d, "ec-root", "ec")
    ec_leaf = _issue(d, "ec-leaf", "ec", "leaf_ec", "localhost", ec_root, 4)
    other = _issue(d, "other-leaf", "rsa", "leaf_rsa", "other.test", rsa_root, 5)
    rogue_root = _root(d, "rogue-root", "rsa")
    rogue = _issue(d, "rogue-leaf", "rsa", "leaf_rsa", "localhost", rogue_root, 6)
    roots = d / "roots.pem"
    roots.write_bytes(rsa_root[0].read_bytes() + ec_root[0].read_bytes())
    return Pki(
        dir=d,
        roots=roots,
        rsa=_identity(d, "rsa", rsa_leaf[0], rsa_leaf[1], [ica[0]], rsa_root[0]),
        ecdsa=_identity(d, "ecdsa", ec_leaf[0], ec_leaf[1], [], ec_root[0]),
        other=_identity(d, "other", other[0], other[1], [], rsa_root[0]),
        rogue=_identity(d, "rogue", rogue[0], rogue[1], [], rogue_root[0]),
    )


def common_name(cert: x509.Certificate) -> str | None:
    """The first CN of *cert*'s subject."""
    names = cert.subject.get("CN")
    return names[0] if names else None


# -- OpenSSL ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenSSLSuite:
    """One suite as OpenSSL names it, with our suite of the same code point."""

    ours: CipherSuite
    openssl_name: str


@functools.cache
def openssl_suites(version: ProtocolVersion) -> tuple[OpenSSLSuite, ...]:
    """The suites both OpenSSL (``openssl ciphers -stdname -s -<version> 'ALL:@SECLEVEL=0'``)
    and we support for *version*, in OpenSSL's order."""
    assert OPENSSL is not None
    flag = OPENSSL_VERSION_FLAGS[version]
    out = subprocess.run(
        [OPENSSL, "ciphers", "-V", "-stdname", "-s", flag, OPENSSL_ALL],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    found = []
    for line in out.splitlines():
        # "0xC0,0x2C - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 - ECDHE-ECDSA-AES256-GCM-SHA384 ..."
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- (\S+)", line)
        if m is None:
            continue
        code = int(m.group(1) + m.group(2), 16)
        suite = SUITES.get(code)
        if suite is not None and suite.min_version <= version:
            assert suite.name == m.group(3), (suite.name, m.group(3))
            found.append(OpenSSLSuite(suite, m.group(4)))
    return tuple(found)


def openssl_name_to_code() -> dict[str, int]:
    """OpenSSL cipher name -> IANA code point, for every version."""
    return {s.openssl_name: s.ours.code for v in OPENSSL_VERSION_FLAGS for s in openssl_suites(v)}


@dataclass(frozen=True)
class OpenSSLView:
    """What an OpenSSL peer printed about a connection."""

    text: str

    def _field(self, pattern: str) -> str | None:
        m = re.search(pattern, self.text, re.MULTILINE)
        return None if m is None else m.group(1).strip()

    @property
    def protocol(self) -> ProtocolVersion | None:
        """The negotiated version (``Protocol  :`` or ``Protocol version:`` line)."""
        name = self._field(r"^\s*Protocol(?:\s+|\s+version):?\s*:?\s*(TLSv1(?:\.\d)?)\s*$")
        names = {v: k for k, v in OPENSSL_VERSION_NAMES.items()}
        return None if name is None else names.get(name)

    @property
    def cipher_code(self) -> int | None:
        """The negotiated suite's code point (``Cipher    :`` or ``Ciphersuite:``)."""
        name = self._field(r"^\s*(?:Cipher\s+:|Ciphersuite:)\s*(\S+)\s*$")
        return None if name is None else openssl_name_to_code().get(name)

    @property
    def extended_master_secret(self) -> bool | None:
        """``Extended master secret: yes/no``."""
        value = self._field(r"^\s*Extended master secret:\s*(\w+)")
        return None if value is None else value == "yes"

    @property
    def alpn(self) -> str | None:
        """``ALPN protocol: X`` (None for ``No ALPN negotiated``)."""
        return self._field(r"^ALPN protocol:\s*(\S+)")

    @property
    def temp_key(self) -> str | None:
        """``Server Temp Key`` normalised to OPENSSL_GROUPS' second names."""
        value = self._field(r"^Server Temp Key:\s*(.*)$")
        if value is None:
            return None
        parts = [p.strip() for p in value.split(",")]
        if parts[0] == "ECDH":
            return parts[1]
        if parts[0] == "DH":
            return "DH " + parts[1].split()[0]
        return parts[0]

    @property
    def group(self) -> NamedGroup | None:
        """The (EC)DHE group from ``Server Temp Key``."""
        key = self.temp_key
        for group, (_, printed) in OPENSSL_GROUPS.items():
            if printed == key:
                return group
        return None

    @property
    def peer_signature(self) -> tuple[str, str] | None:
        """(``Peer signature type``, ``Peer signing digest``), e.g. ("RSA-PSS", "SHA256")."""
        kind = self._field(r"^Peer signature type:\s*(\S+)")
        digest = self._field(r"^Peer signing digest:\s*(\S+)")
        return None if kind is None or digest is None else (kind, digest)

    @property
    def subject_cn(self) -> str | None:
        """The CN of the peer certificate (``subject=...CN = x``)."""
        return self._field(r"^subject=.*CN\s*=\s*([^,\s]+)")

    @property
    def alerts(self) -> list[int]:
        """Every ``SSL alert number N`` printed (alerts OpenSSL received)."""
        return [int(n) for n in re.findall(r"SSL alert number (\d+)", self.text)]


def expected_peer_signature(scheme: SignatureScheme) -> tuple[str, str]:
    """How s_client prints a TLS 1.2 ServerKeyExchange signature made with *scheme*."""
    kind = {0x01: "RSA", 0x03: "ECDSA"}.get(scheme & 0xFF)
    if scheme >> 8 == 0x08 and 0x04 <= scheme & 0xFF <= 0x06:
        return ("RSA-PSS", {4: "SHA256", 5: "SHA384", 6: "SHA512"}[scheme & 0xFF])
    if scheme == SignatureScheme.ED25519:
        return ("Ed25519", "SHA512")  # not asserted on: OpenSSL prints no digest for it
    assert kind is not None, scheme
    digest = {0x02: "SHA1", 0x04: "SHA256", 0x05: "SHA384", 0x06: "SHA512"}[scheme >> 8]
    return (kind, digest)


class OpenSSLServer:
    """``openssl s_server`` on 127.0.0.1 at a port it picks (parsed from ``ACCEPT``).

    Use as a context manager: the process is stopped on exit, whatever happened. Its
    stdout+stderr go to a log file, read by :meth:`log`.
    """

    def __init__(self, args: Sequence[str], workdir: Path, env: dict[str, str] | None = None):
        assert OPENSSL is not None
        self.log_path = workdir / f"s_server-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("wb")
        command = [OPENSSL, "s_server", "-accept", f"{HOST}:0", *args]
        self.proc = spawn(
            command,
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env={**os.environ, **(env or {})},
        )
        self.port = 0

    def __enter__(self) -> OpenSSLServer:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        try:
            while time.monotonic() < deadline:
                m = re.search(r"^ACCEPT .*:(\d+)$", self.log(), re.MULTILINE)
                if m is not None:
                    self.port = int(m.group(1))
                    return self
                if self.proc.poll() is not None:
                    raise RuntimeError(f"s_server exited: {self.log()}")
                time.sleep(0.01)
            raise TimeoutError(f"s_server printed no ACCEPT line: {self.log()}")
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the process and close the log."""
        stop_process(self.proc)
        self._log.close()

    def log(self) -> str:
        """Everything s_server printed so far."""
        return self.log_path.read_bytes().decode("utf-8", "replace")

    def view(self) -> OpenSSLView:
        """The log, parsed."""
        return OpenSSLView(self.log())

    def wait_for(self, pattern: str, timeout: float = 5.0) -> bool:
        """Wait until the log matches *pattern* (regex); whether it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.log(), re.MULTILINE):
                return True
            time.sleep(0.01)
        return False


@dataclass(frozen=True)
class ProcessRun:
    """A finished (or killed) process: exit status and its stdout+stderr."""

    returncode: int
    output: bytes
    timed_out: bool

    @property
    def text(self) -> str:
        """The output as text."""
        return self.output.decode("utf-8", "replace")

    def view(self) -> OpenSSLView:
        """The output, parsed."""
        return OpenSSLView(self.text)


def run_s_client(
    port: int, args: Sequence[str], stdin: bytes, env: dict[str, str] | None = None
) -> ProcessRun:
    """``openssl s_client -connect 127.0.0.1:port -ign_eof -nocommands ARGS`` fed *stdin*;
    killed after CONNECTION_TIMEOUT."""
    assert OPENSSL is not None
    command = [OPENSSL, "s_client", "-connect", f"{HOST}:{port}", "-ign_eof", "-nocommands"]
    proc = spawn(
        [*command, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    try:
        out, _ = proc.communicate(stdin, timeout=CONNECTION_TIMEOUT)
        return ProcessRun(proc.returncode, out, timed_out=False)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        return ProcessRun(proc.returncode, out, timed_out=True)
    finally:
        stop_process(proc)


def no_ems_env(workdir: Path) -> dict[str, str]:
    """An environment whose OpenSSL configuration turns the extended master secret off
    (``Options = -ExtendedMasterSecret``; OpenSSL 3.0 has no command-line switch for it)."""
    conf = workdir / "no-ems.cnf"
    if not conf.exists():
        conf.write_text(
            "openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n"
            "[ssl_sect]\nsystem_default = sys_default\n"
            "[sys_default]\nOptions = -ExtendedMasterSecret\n"
        )
    return {"OPENSSL_CONF": str(conf)}


@functools.cache
def _dhparam_cached(workdir: str, group: str) -> str:
    assert OPENSSL is not None
    path = Path(workdir) / f"{group}.dh.pem"
    subprocess.run(
        [OPENSSL, "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", f"group:{group}",
         "-out", str(path)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return str(path)


def dhparam(workdir: Path, group: NamedGroup | str) -> Path:
    """A PEM file with a named group's parameters (for ``s_server -dhparam``): an RFC 7919
    group, or an OpenSSL name such as "modp_1536" (RFC 3526) or "dh_1024_160" (RFC 5114)."""
    name = OPENSSL_GROUPS[group][0] if isinstance(group, NamedGroup) else group
    return Path(_dhparam_cached(str(workdir), name))


# -- our engine on a socket -------------------------------------------------------------------


@dataclass
class EngineRun:
    """What one engine connection saw."""

    session: events.Session | None = None
    data: bytes = b""
    failure: TLSError | None = None
    alerts: list[events.AlertReceived] = field(default_factory=list)
    closed: bool = False  # close_notify received
    eof: bool = False  # the TCP connection ended
    socket_error: OSError | None = None
    sent: bytearray = field(default_factory=bytearray)  # every byte written to the peer

    @property
    def established(self) -> bool:
        """Whether the handshake completed."""
        return self.session is not None

    def last_plaintext_alert(self) -> tuple[int, int, int] | None:
        """(record version, level, description) of the last record we sent, when it is an
        unprotected alert (an alert sent before ChangeCipherSpec); else None."""
        sent, last = bytes(self.sent), None
        while len(sent) >= 5:
            length = int.from_bytes(sent[3:5], "big")
            last, sent = sent[: 5 + length], sent[5 + length :]
        if last is None or last[0] != 21 or len(last) != 7:
            return None
        return int.from_bytes(last[1:3], "big"), last[5], last[6]


class EngineConnection:
    """Our engine over a connected socket: ``recv -> tls.handle -> sendall(out.to_send)``."""

    def __init__(
        self, sock: socket.socket, state: tls.State, first: tls.Output | None = None
    ) -> None:
        self.sock = sock
        self.state = state
        self.run = EngineRun()
        if first is not None:
            self._apply(first)

    def _apply(self, out: tls.Output) -> None:
        for event in out.events:
            if isinstance(event, events.HandshakeComplete):
                self.run.session = event.session
            elif isinstance(event, events.AlertReceived):
                self.run.alerts.append(event)
            elif isinstance(event, events.Closed):
                self.run.closed = True
        self.run.data += out.data
        if out.failure is not None:
            self.run.failure = out.failure
        if out.to_send:
            self.run.sent += out.to_send
            try:
                self.sock.sendall(out.to_send)
            except OSError as exc:  # the peer may have gone after its own alert
                self.run.socket_error = exc

    @property
    def done(self) -> bool:
        """Nothing more can happen on this connection."""
        r = self.run
        return r.failure is not None or r.closed or r.eof or r.socket_error is not None

    def pump(self, until: Callable[[EngineRun], bool]) -> EngineRun:
        """Read and handle until *until(run)* holds or the connection is done."""
        while not until(self.run) and not self.done:
            try:
                chunk = self.sock.recv(65536)
            except OSError as exc:
                self.run.socket_error = exc
                break
            if not chunk:
                self.run.eof = True
                break
            self.state, out = tls.handle(self.state, chunk)
            self._apply(out)
        return self.run

    def send(self, data: bytes) -> None:
        """Send application data."""
        self.state, out = tls.send(self.state, data)
        self._apply(out)

    def close(self) -> None:
        """Send close_notify if the connection is still up, then close the socket.

        Before closing, the write side is shut and what the peer still sends is read (up
        to a short timeout): closing a socket with unread input makes the kernel answer
        with a RST, which can destroy data the peer has not read yet.
        """
        try:
            if self.run.established and self.run.failure is None and not self.done:
                self.state, out = tls.close(self.state)
                self._apply(out)
            self.sock.shutdown(socket.SHUT_WR)
            self.sock.settimeout(DRAIN_TIMEOUT)
            while self.sock.recv(65536):
                pass
        except OSError:
            pass
        finally:
            self.sock.close()


def engine_client(
    port: int,
    config: tls.Config,
    server_name: str | None,
    request: bytes,
    until: Callable[[EngineRun], bool] = lambda run: False,
) -> EngineRun:
    """Connect our client to 127.0.0.1:*port*, complete the handshake, send *request*,
    read until *until* holds or the peer closes, then send close_notify."""
    sock = connect(port)
    # This loop is an adapter like tls.socket: it gives the engine the system clock.
    state, first = tls.client(with_system_clock(config), server_name)
    conn = EngineConnection(sock, state, first)
    try:
        conn.pump(lambda run: run.established)
        if conn.run.established and not conn.done:
            conn.send(request)
            conn.pump(until)
    finally:
        conn.close()
    return conn.run


def serve_connection(
    sock: socket.socket, config: tls.Config, respond: Callable[[bytes], bytes | None]
) -> EngineRun:
    """Our server on an accepted socket: handshake, read until *respond(data)* gives an
    answer, send it, close_notify, close."""
    sock.settimeout(CONNECTION_TIMEOUT)
    conn = EngineConnection(sock, tls.server(with_system_clock(config)))
    answer: list[bytes] = []

    def answered(run: EngineRun) -> bool:
        if run.established and run.data:
            reply = respond(run.data)
            if reply is not None:
                answer.append(reply)
                return True
        return False

    try:
        conn.pump(answered)
        if answer and not conn.done:
            conn.send(answer[0])
    finally:
        conn.close()
    return conn.run


def engine_server_thread(
    config: tls.Config, respond: Callable[[bytes], bytes | None]
) -> tuple[int, PeerThread[EngineRun]]:
    """Our server in a thread, for one connection (:func:`serve_connection`) on a fresh
    listener. Returns (port, thread)."""
    server_sock = listener()
    port = int(server_sock.getsockname()[1])

    def serve() -> EngineRun:
        try:
            sock, _ = server_sock.accept()
        finally:
            server_sock.close()
        return serve_connection(sock, config, respond)

    thread: PeerThread[EngineRun] = PeerThread(f"engine-server:{port}", serve)
    thread.start()
    return port, thread


def engine_servers_thread(
    config: tls.Config, respond: Callable[[bytes], bytes | None], connections: int
) -> tuple[int, PeerThread[list[EngineRun]]]:
    """Our server in a thread for *connections* connections, one after the other."""
    server_sock = listener()
    port = int(server_sock.getsockname()[1])

    def serve() -> list[EngineRun]:
        runs = []
        try:
            for _ in range(connections):
                sock, _ = server_sock.accept()
                runs.append(serve_connection(sock, config, respond))
        finally:
            server_sock.close()
        return runs

    thread: PeerThread[list[EngineRun]] = PeerThread(f"engine-servers:{port}", serve)
    thread.start()
    return port, thread
