"""Make the TLS engine's fixed test PKI in this directory (run from the repository root):

    .venv/bin/python vectors/tls/make_vectors.py

Writes, from a fixed Fortuna seed (so a re-run gives the same keys):

- ``rsa-root.pem`` (self-signed RSA-2048 CA) and ``rsa-leaf.pem`` / ``rsa-leaf.key``
  (RSA-2048, DNS ``server.test``, digitalSignature + keyEncipherment, serverAuth);
- ``ec-root.pem`` (self-signed P-256 CA) and ``ec-leaf.pem`` / ``ec-leaf.key`` (P-256, DNS
  ``server.test``, digitalSignature, serverAuth).

Valid from 2026-01-01 to 2036-01-01. The golden transcript test
(tests/tls/test_handshake_golden.py) runs a handshake with these and a seeded random
source; this script prints its SHA-256 (the value pinned in that test) and writes the
transcript as hex to ``golden-ecdhe-ecdsa.hex`` for inspection.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import x509
from nocrypto import ec, rsa
from nocrypto.rng import Fortuna

HERE = Path(__file__).resolve().parent
NOT_BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2036, 1, 1, tzinfo=UTC)
HOST = "server.test"


def _name(cn: str) -> x509.Name:
    return x509.Name.from_attributes([("O", "nqsb tls tests"), ("CN", cn)])


def make() -> None:
    """Write the PEM files."""
    rng = Fortuna(seed=b"nqsb tls engine test vectors").generate
    for kind in ("rsa", "ec"):
        root_key: x509.PrivateKey
        leaf_key: x509.PrivateKey
        if kind == "rsa":
            root_key = rsa.RSAPrivateKey.generate(2048, random=rng)
            leaf_key = rsa.RSAPrivateKey.generate(2048, random=rng)
            usage = x509.KeyUsage.of("digitalSignature", "keyEncipherment")
        else:
            root_key = ec.ECPrivateKey.generate(ec.P256, random=rng)
            leaf_key = ec.ECPrivateKey.generate(ec.P256, random=rng)
            usage = x509.KeyUsage.of("digitalSignature")
        root = x509.Certificate.create(
            subject=_name(f"{kind} test root"),
            public_key=root_key.public_key(),
            signing_key=root_key,
            not_before=NOT_BEFORE,
            not_after=NOT_AFTER,
            serial_number=1,
            basic_constraints=x509.BasicConstraints(ca=True),
            key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign"),
            random=rng,
        )
        leaf = x509.Certificate.create(
            subject=_name(HOST),
            public_key=leaf_key.public_key(),
            signing_key=root_key,
            issuer=root,
            not_before=NOT_BEFORE,
            not_after=NOT_AFTER,
            serial_number=2,
            key_usage=usage,
            extended_key_usage=(x509.ExtendedKeyUsage.SERVER_AUTH,),
            subject_alternative_names=(x509.DNSName(HOST),),
            random=rng,
        )
        (HERE / f"{kind}-root.pem").write_text(root.to_pem())
        (HERE / f"{kind}-leaf.pem").write_text(leaf.to_pem())
        (HERE / f"{kind}-leaf.key").write_bytes(x509.dump_private_key(leaf_key))


def golden() -> None:
    """Print the golden transcript's SHA-256 and write it as hex."""
    sys.path.insert(0, str(HERE.parents[1]))
    from tests.tls.test_handshake_golden import run_golden

    transcript = run_golden()
    digest = hashlib.sha256(b"".join(transcript)).hexdigest()
    (HERE / "golden-ecdhe-ecdsa.hex").write_text(
        "".join(
            f"{'C>S' if i % 2 == 0 else 'S>C'} {flight.hex()}\n"
            for i, flight in enumerate(transcript)
        )
    )
    print("golden transcript sha256:", digest)
    print("ClientHello starts:", transcript[0][:16].hex())


if __name__ == "__main__":
    if "--golden-only" not in sys.argv:
        make()
    golden()
