"""Every certificate of the system trust store: dumps, decodes with the RFC 5280 grammar and
re-encodes to the same bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import asn1
from asn1._tree import parse, render
from tests.asn1.modules import rfc5280

STORE = Path("/etc/ssl/certs")


def _certificates() -> list[tuple[str, bytes]]:
    if not STORE.is_dir():
        return []
    out = []
    for path in sorted(STORE.glob("*.pem")):
        for _, der in asn1.pem.decode(path.read_bytes(), "CERTIFICATE"):
            out.append((path.name, der))
    return out


CERTS = _certificates()


@pytest.mark.skipif(not CERTS, reason=f"no certificates in {STORE} on this machine")
def test_every_trust_store_certificate() -> None:
    assert len(CERTS) > 50
    for name, der in CERTS:
        tree = parse(der)
        assert len(tree) == 1 and tree[0].length == len(der) - tree[0].header_length, name
        assert render(tree).startswith("     0 "), name
        value = asn1.decode_der(rfc5280.Certificate, der)
        assert asn1.encode_der(rfc5280.Certificate, value) == der, name
        tbs = value[0]
        # Extensions decode with their own grammars where this module has one.
        for ext_id, _, ext_value in tbs[9] or ():
            grammar = EXTENSIONS.get(ext_id)
            if grammar is None:
                continue
            try:
                inner = asn1.decode_der(grammar, ext_value)
            except asn1.DecodeError as e:
                # Known in the wild (two Trustwave ECC roots): keyUsage 03 03 07 06 00, whose
                # last octet is only zero bits. Strict DER refuses it; the lenient form reads it.
                assert ext_id == "2.5.29.15", (name, e)
                assert "trailing zero bits" in str(e)
                lenient = asn1.decode_der(LENIENT_KEY_USAGE, ext_value)
                assert lenient == asn1.decode_der(rfc5280.KeyUsage, lenient_der(lenient))
                lenient_roots.append(name)
                continue
            assert asn1.encode_der(grammar, inner) == ext_value, (name, ext_id)
    assert len(lenient_roots) <= 5, lenient_roots


LENIENT_KEY_USAGE = asn1.named_bits(*rfc5280.KeyUsage.names, strict=False)
lenient_roots: list[str] = []


def lenient_der(flags: frozenset[str]) -> bytes:
    return asn1.encode_der(rfc5280.KeyUsage, flags)


EXTENSIONS: dict[str, asn1.Grammar[Any]] = {
    "2.5.29.14": rfc5280.SubjectKeyIdentifier,
    "2.5.29.15": rfc5280.KeyUsage,
    "2.5.29.17": rfc5280.SubjectAltName,
    "2.5.29.19": rfc5280.BasicConstraints,
    "2.5.29.30": rfc5280.NameConstraints,
    "2.5.29.31": rfc5280.CRLDistributionPoints,
    "2.5.29.32": rfc5280.CertificatePolicies,
    "2.5.29.35": rfc5280.AuthorityKeyIdentifier,
    "2.5.29.37": rfc5280.ExtKeyUsageSyntax,
    "1.3.6.1.5.5.7.1.1": rfc5280.AuthorityInfoAccessSyntax,
}
