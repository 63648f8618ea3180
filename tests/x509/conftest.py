"""Shared fixtures of the x509 tests: our own keys of every type (session-wide, made once),
the openssl command line as an oracle, and the certificates of the system trust store."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import asn1
import x509
from nocrypto import dsa, ec, ecx, rsa
from x509 import _grammar as g

OPENSSL = shutil.which("openssl")
STORE = Path("/etc/ssl/certs")
NOW = datetime(2030, 6, 1, 12, 0, 0, tzinfo=UTC)

Run = Callable[..., str]


def store_certificates() -> list[tuple[str, bytes]]:
    """(file name, DER) of every certificate in the system trust store."""
    if not STORE.is_dir():
        return []
    return [
        (path.name, der)
        for path in sorted(STORE.glob("*.pem"))
        for _, der in asn1.pem.decode(path.read_bytes(), "CERTIFICATE")
    ]


def run_openssl(*args: str, cwd: Path, stdin: bytes | None = None, check: bool = True) -> str:
    """Run the openssl command line in *cwd*; its stdout (stderr appended when it fails)."""
    assert OPENSSL is not None
    result = subprocess.run(
        [OPENSSL, *args], cwd=cwd, input=stdin, capture_output=True, timeout=60, check=False
    )
    out = result.stdout.decode("utf-8", "replace")
    if check:
        assert result.returncode == 0, f"openssl {' '.join(args)}: {result.stderr.decode()}"
        return out
    return out + result.stderr.decode("utf-8", "replace") + f"\nrc={result.returncode}"


@pytest.fixture(scope="session")
def keys() -> dict[str, x509.PrivateKey]:
    """One private key of each type we can sign with (and the two X keys)."""
    return {
        "rsa": rsa.RSAPrivateKey.generate(2048),
        "p256": ec.ECPrivateKey.generate(ec.P256),
        "p384": ec.ECPrivateKey.generate(ec.P384),
        "p521": ec.ECPrivateKey.generate(ec.P521),
        "ed25519": ecx.Ed25519PrivateKey.generate(),
        "dsa": dsa.DSAPrivateKey.generate(dsa.DSAParameters.generate(2048, 256)),
        "x25519": ecx.X25519PrivateKey.generate(),
        "x448": ecx.X448PrivateKey.generate(),
    }


def make_ca(
    key: x509.PrivateKey,
    name: str = "Test CA",
    algorithm: x509.SignatureAlgorithm | str | None = None,
    **kwargs: object,
) -> x509.Certificate:
    """A self-signed CA certificate valid around NOW."""
    return x509.Certificate.create(
        subject=x509.Name.from_attributes([("C", "DE"), ("O", "nqsb tests"), ("CN", name)]),
        public_key=key.public_key(),
        signing_key=key,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=365),
        basic_constraints=x509.BasicConstraints(ca=True),
        key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign"),
        signature_algorithm=algorithm,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def openssl(tmp_path: Path) -> Run:
    """openssl(*args, stdin=None, check=True) run inside this test's tmp_path."""
    if OPENSSL is None:
        pytest.skip("needs the openssl command line")

    def run(*args: str, stdin: bytes | None = None, check: bool = True) -> str:
        return run_openssl(*args, cwd=tmp_path, stdin=stdin, check=check)

    return run


def rebuild(
    cert: x509.Certificate,
    key: x509.PrivateKey,
    outer_algorithm: x509.SignatureAlgorithm | None = None,
    **changes: object,
) -> bytes:
    """The DER of *cert* with the tbsCertificate fields *changes* (RFC field names in
    snake_case, grammar values) replaced, signed again with *key* (with *outer_algorithm*
    as the outer signatureAlgorithm if given): for malformed certificates."""
    structure = asn1.decode_der(g.CertificateG, cert.der).value
    tbs = dataclasses.replace(structure.tbs_certificate.value, **changes)  # type: ignore[arg-type]
    tbs_der = asn1.encode_der(g.TBSCertificateG, tbs)
    algorithm = cert.signature_algorithm
    signature = x509.sign(key, algorithm, tbs_der)
    outer = (outer_algorithm or algorithm).identifier
    new = g.CertificateStructure(asn1.Encoded(tbs, tbs_der), outer, asn1.BitString(signature))
    return asn1.encode_der(g.CertificateG, asn1.Encoded(new))
