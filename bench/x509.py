"""X.509 parsing: certificates read per second by nqsb's ``x509`` and by pyca/cryptography.

Two RSA-2048 certificates: ``vectors/x509/demo-cert.pem`` (1391 bytes, a CA with three
extensions), and a typical TLS server leaf made here with ``x509.Certificate.create``
(nine extensions: basicConstraints, keyUsage, extKeyUsage, the two key identifiers,
subjectAltName with four names, certificatePolicies, cRLDistributionPoints,
authorityInfoAccess).

"Parse + read" is what an application does with a certificate it received:

- nqsb: ``Certificate.from_der(der)``, then the typed value of every extension and
  ``str()`` of subject and issuer (RFC 4514). ``from_der`` already decodes every field and
  every known extension, so the reads are cheap;
- cryptography: ``x509.load_der_x509_certificate(der)``, then ``.value`` of every
  extension and ``rfc4514_string()`` of subject and issuer (cryptography parses lazily:
  extensions are decoded on first access, so the reads are part of its cost).

"from_der alone" is the bare parse on both sides. Every figure is the best of 5 repeats
(``bench.run.measure``) in this process; the ratio is ours / theirs in certificates per
second (>1: nqsb faster).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import asn1
import x509
from asn1 import OID
from nocrypto import rsa

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "vectors" / "x509" / "demo-cert.pem"


def typical_leaf() -> bytes:
    """The DER of an RSA-2048 TLS server certificate with the usual nine extensions,
    issued by an RSA-2048 CA."""
    ca_key, leaf_key = rsa.RSAPrivateKey.generate(2048), rsa.RSAPrivateKey.generate(2048)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    ca = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=nqsb bench CA,O=nqsb,C=DE"),
        public_key=ca_key.public_key(),
        signing_key=ca_key,
        not_before=start,
        not_after=start + timedelta(days=3650),
        basic_constraints=x509.BasicConstraints(ca=True),
        key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign"),
    )
    names = ("example.org", "www.example.org", "mail.example.org", "api.example.org")
    leaf = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=www.example.org,O=Example Inc,L=Berlin,C=DE"),
        public_key=leaf_key.public_key(),
        signing_key=ca_key,
        issuer=ca,
        not_before=start,
        not_after=start + timedelta(days=90),
        basic_constraints=x509.BasicConstraints(ca=False),
        key_usage=x509.KeyUsage.of("digitalSignature", "keyEncipherment"),
        extended_key_usage=(x509.ExtendedKeyUsage.SERVER_AUTH, x509.ExtendedKeyUsage.CLIENT_AUTH),
        subject_alternative_names=tuple(x509.DNSName(n) for n in names),
        policies=(OID("2.23.140.1.2.2"),),
        crl_distribution_points=("http://crl.example.org/ca.crl",),
        ocsp_responders=("http://ocsp.example.org",),
        ca_issuers=("http://ca.example.org/ca.crt",),
    )
    return leaf.der


def _ours(der: bytes) -> object:
    cert = x509.Certificate.from_der(der)
    values = [e.value for e in cert.extensions]
    return values, str(cert.subject), str(cert.issuer)


def _rate(call: Callable[[], object]) -> float:
    from bench.run import measure  # here: bench.run imports this module

    return 1 / measure(call).seconds


def bench_x509() -> list[str]:
    """The figures, as lines of text."""
    from bench.run import REPEATS

    samples = [
        (f"{DEMO.relative_to(REPO)}", asn1.pem.decode_one(DEMO.read_bytes(), "CERTIFICATE")),
        ("typical TLS leaf (made here)", typical_leaf()),
    ]
    lines = [
        "x509: certificates per second, RSA-2048 certificates; "
        f"best of {REPEATS} repeats; ratio = nqsb / cryptography (>1: nqsb faster)",
    ]
    try:
        from cryptography import __version__ as theirs_version
        from cryptography import x509 as pyca
    except ImportError:
        lines.append("  cryptography not installed: skipped")
        for label, der in samples:
            lines.append(f"  {label} ({len(der)} bytes)")
            lines.append(f"    parse + read every field {_rate(partial(_ours, der)):10.0f}/s")
            lines.append(
                f"    from_der alone           "
                f"{_rate(partial(x509.Certificate.from_der, der)):10.0f}/s"
            )
        return lines

    def theirs(der: bytes) -> object:
        cert = pyca.load_der_x509_certificate(der)
        values = [e.value for e in cert.extensions]
        return values, cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()

    lines.append(f"  {'':<44}{'nqsb':>8}{'cryptography ' + theirs_version:>22}{'ratio':>9}")
    for label, der in samples:
        # Both must read the same certificate alike, or they do different work.
        mine = x509.Certificate.from_der(der)
        other = pyca.load_der_x509_certificate(der)
        if len(mine.extensions) != len(other.extensions) or str(mine.subject) != (
            other.subject.rfc4514_string()
        ):
            raise SystemExit(f"{label}: the two parsers disagree")
        lines.append(f"  {label} ({len(der)} bytes, {len(mine.extensions)} extensions)")
        rows: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
            ("parse + read every field", partial(_ours, der), partial(theirs, der)),
            (
                "from_der alone",
                partial(x509.Certificate.from_der, der),
                partial(pyca.load_der_x509_certificate, der),
            ),
        ]
        for what, ours_call, theirs_call in rows:
            ours_rate, theirs_rate = _rate(ours_call), _rate(theirs_call)
            lines.append(
                f"    {what:<40}{ours_rate:>8.0f}/s{theirs_rate:>20.0f}/s"
                f"{ours_rate / theirs_rate:>8.2f}x"
            )
    return lines


if __name__ == "__main__":  # python -m bench.x509, from the repository
    print("\n".join(bench_x509()))
