"""``python -m tls demo``: a CA, a server and clients on 127.0.0.1, and what they agreed on.

Makes a CA and two server certificates (RSA-2048 and ECDSA P-256, for ``localhost`` and
127.0.0.1) with ``x509`` in a temporary directory, starts this package's server
(``tls.__main__.Server``, the ``--www`` mode) in a thread on a free port, connects with this
package's client a few times (different suites and versions) and with ``openssl s_client``
when it is installed, prints what each handshake negotiated (RFC 5246 version and suite,
the RFC 8422/7919 group, RFC 7627 extended master secret, RFC 7301 ALPN), and stops
everything. :func:`make_pki` is also what the adapter tests use for their certificates.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, TextIO

import x509
from nocrypto import ec, rsa
from tls import ciphersuites
from tls._wire import ProtocolVersion
from tls.config import CertificateChain, Config

__all__ = ["Pki", "make_pki", "run_demo"]

#: How long openssl s_client may take before the demo gives up on it.
OPENSSL_TIMEOUT: Final = 30.0


@dataclass(frozen=True)
class Pki:
    """A CA and two server chains (leaf, CA) with their files in ``directory``:
    ca.pem, rsa.pem/rsa.key, ecdsa.pem/ecdsa.key (PEM; PKCS #8 keys)."""

    directory: Path
    ca: x509.Certificate
    ca_key: x509.PrivateKey
    rsa_chain: CertificateChain
    ecdsa_chain: CertificateChain

    @property
    def ca_file(self) -> Path:
        """The CA certificate (PEM)."""
        return self.directory / "ca.pem"

    def files(self, kind: str) -> tuple[Path, Path]:
        """(certificate chain PEM, key PEM) of *kind*: "rsa" or "ecdsa"."""
        return self.directory / f"{kind}.pem", self.directory / f"{kind}.key"

    def authenticator(self) -> x509.Authenticator:
        """A chain-of-trust authenticator to this CA."""
        return x509.Authenticator.chain_of_trust([self.ca])


def make_pki(directory: Path, hosts: tuple[str, ...] = ("localhost",)) -> Pki:
    """Make a CA (ECDSA P-256) and RSA-2048 and P-256 server certificates for *hosts* and
    127.0.0.1 (serverAuth, valid from a day ago for 30 days); write them to *directory*."""
    now = datetime.now(UTC)
    not_before, not_after = now - timedelta(days=1), now + timedelta(days=30)
    ca_key = ec.ECPrivateKey.generate(ec.P256)
    ca_name = x509.Name.from_attributes([("O", "nqsb demo"), ("CN", "nqsb demo CA")])
    ca = x509.Certificate.create(
        subject=ca_name,
        public_key=ca_key.public_key(),
        signing_key=ca_key,
        not_before=not_before,
        not_after=not_after,
        basic_constraints=x509.BasicConstraints(ca=True),
        key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign"),
    )
    names: tuple[x509.GeneralName, ...] = (
        *(x509.DNSName(h) for h in hosts),
        x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")),
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ca.pem").write_text(ca.to_pem())
    chains = {}
    keys: dict[str, x509.PrivateKey] = {
        "rsa": rsa.RSAPrivateKey.generate(2048),
        "ecdsa": ec.ECPrivateKey.generate(ec.P256),
    }
    for kind, key in keys.items():
        usage = ("digitalSignature", "keyEncipherment") if kind == "rsa" else ("digitalSignature",)
        leaf = x509.Certificate.create(
            subject=x509.Name.from_attributes([("O", "nqsb demo"), ("CN", hosts[0])]),
            public_key=key.public_key(),
            signing_key=ca_key,
            issuer=ca,
            not_before=not_before,
            not_after=not_after,
            basic_constraints=x509.BasicConstraints(ca=False),
            key_usage=x509.KeyUsage.of(*usage),
            extended_key_usage=[x509.ExtendedKeyUsage.SERVER_AUTH],
            subject_alternative_names=names,
        )
        (directory / f"{kind}.pem").write_text(leaf.to_pem() + ca.to_pem())
        (directory / f"{kind}.key").write_bytes(x509.dump_private_key(key))
        chains[kind] = CertificateChain((leaf, ca), key)
    return Pki(directory, ca, ca_key, chains["rsa"], chains["ecdsa"])


def _describe(version: str, suite: str, group: str, ems: str, alpn: str) -> str:
    return f"{version:<8} {suite:<46} group {group:<10} EMS {ems:<3} ALPN {alpn}"


def _our_client(pki: Pki, port: int, label: str, out: TextIO, **options: object) -> None:
    from tls import socket as tls_socket

    config = Config(authenticator=pki.authenticator(), alpn_protocols=("http/1.1",), **options)  # type: ignore[arg-type]
    with tls_socket.connect(("127.0.0.1", port), config, "localhost", timeout=30) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        page = b""
        while chunk := conn.recv(65536):
            page += chunk
        s = conn.session
        line = _describe(
            conn.version(),
            s.cipher_suite.name,
            s.group.name.lower() if s.group is not None else "-",
            "yes" if s.extended_master_secret else "no",
            s.alpn_protocol or "-",
        )
    status = page.split(b"\r\n", 1)[0].decode("latin-1")
    print(f"  nqsb client, {label}:", file=out)
    print(f"    {line}", file=out)
    print(
        f"    verified path: {' <- '.join(str(c.subject) for c in s.verified_path or ())}", file=out
    )
    print(f"    server answered: {status} ({len(page)} bytes)", file=out)


def _openssl_client(pki: Pki, port: int, out: TextIO) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        print("  openssl s_client: not installed, skipped", file=out)
        return
    args = [
        openssl, "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
        "-CAfile", str(pki.ca_file), "-verify_return_error", "-alpn", "http/1.1", "-ign_eof",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            args,
            input=b"GET / HTTP/1.0\r\n\r\n",
            capture_output=True,
            timeout=OPENSSL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print("  openssl s_client: timed out", file=out)
        return
    text = done.stdout.decode("latin-1")

    def find(pattern: str) -> str:
        m = re.search(pattern, text, re.MULTILINE)
        return m.group(1).strip() if m else "?"

    line = _describe(
        find(r"^\s*Protocol\s*:\s*(\S+)"),
        find(r"^\s*Cipher\s*:\s*(\S+)") + " (OpenSSL name)",
        find(r"^Server Temp Key:\s*([^,\n]+)"),
        find(r"^\s*Extended master secret:\s*(\S+)"),
        find(r"^ALPN protocol:\s*(\S+)"),
    )
    print(f"  openssl s_client (exit {done.returncode}):", file=out)
    print(f"    {line}", file=out)
    verification = find(r"^\s*Verify return code:\s*(.*)$")
    print(f"    verification: {verification}", file=out)
    status = next((x for x in text.splitlines() if x.startswith("HTTP/")), "no answer")
    print(f"    server answered: {status}", file=out)


def run_demo(out: TextIO = sys.stdout) -> int:
    """Run the demo (see the module docstring); 0 when every client succeeded."""
    from tls.__main__ import Server

    failures = 0
    with tempfile.TemporaryDirectory(prefix="nqsb-tls-demo-") as tmp:
        pki = make_pki(Path(tmp))
        print(f"made a CA and RSA-2048 / ECDSA P-256 server certificates in {tmp}", file=out)
        config = Config(
            certificates=(pki.rsa_chain, pki.ecdsa_chain),
            min_version=ProtocolVersion.TLS10,
            alpn_protocols=("http/1.1",),
        )
        server = Server(config, "127.0.0.1", 0, www=True, log=None)
        thread = threading.Thread(target=server.serve_forever, name="demo server")
        thread.start()
        try:
            port = server.address[1]
            print(f"nqsb server (--www, TLS 1.0-1.2) listening on 127.0.0.1:{port}", file=out)
            runs: tuple[tuple[str, dict[str, object]], ...] = (
                ("defaults", {}),
                (
                    "ECDHE-ECDSA with ChaCha20-Poly1305",
                    {
                        "cipher_suites": (
                            ciphersuites.by_name("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
                        )
                    },
                ),
                (
                    "TLS 1.1, DHE-RSA with AES-256-CBC",
                    {
                        "min_version": ProtocolVersion.TLS11,
                        "max_version": ProtocolVersion.TLS11,
                        "cipher_suites": (
                            ciphersuites.by_name("TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
                        ),
                    },
                ),
            )
            for label, options in runs:
                try:
                    _our_client(pki, port, label, out, **options)
                except Exception as e:  # the demo reports any failure and goes on
                    failures += 1
                    print(f"  nqsb client, {label}: FAILED: {e}", file=out)
            _openssl_client(pki, port, out)
        finally:
            server.stop()
            thread.join(timeout=10)
    print(
        "server stopped" if failures == 0 else f"server stopped; {failures} client(s) failed",
        file=out,
    )
    return 1 if failures else 0
