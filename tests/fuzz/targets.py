"""Fuzz targets shared by the bounded smoke tests (pytest) and the long atheris runs.

Each target takes bytes and may only raise the documented error of its parser.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import asn1
import x509
from asn1._tree import parse
from tests.asn1.modules import rfc5280


def asn1_certificate_der(data: bytes) -> None:
    try:
        value = asn1.decode_der(rfc5280.Certificate, data)
    except asn1.DecodeError:
        return
    # Whatever strict DER accepts re-encodes to the same bytes (DER is canonical).
    assert asn1.encode_der(rfc5280.Certificate, value) == data


def asn1_certificate_ber(data: bytes) -> None:
    try:
        value = asn1.decode_ber(rfc5280.Certificate, data)
    except asn1.DecodeError:
        return
    der = asn1.encode_der(rfc5280.Certificate, value)
    assert asn1.decode_der(rfc5280.Certificate, der) == value


EXTENSION_GRAMMARS: tuple[asn1.Grammar[Any], ...] = (
    rfc5280.GeneralNames,
    rfc5280.NameConstraints,
    rfc5280.CRLDistributionPoints,
    rfc5280.CertificatePolicies,
    rfc5280.KeyUsage,
)


def asn1_extensions(data: bytes) -> None:
    for grammar in EXTENSION_GRAMMARS:
        try:
            value = asn1.decode_der(grammar, data)
        except asn1.DecodeError:
            continue
        assert asn1.encode_der(grammar, value) == data


def asn1_tree(data: bytes) -> None:
    for ber in (False, True):
        with contextlib.suppress(asn1.DecodeError):
            parse(data, ber=ber)


def asn1_pem(data: bytes) -> None:
    with contextlib.suppress(asn1.DecodeError):
        asn1.pem.decode(data)


def x509_certificate(data: bytes) -> None:
    try:
        cert = x509.Certificate.from_der(data)
        # Everything a validator reads: names, dates, every extension typed, the key.
        names = (str(cert.subject), str(cert.issuer))
        constraints = cert.extensions.basic_constraints
        fingerprint = cert.public_key_info.fingerprint()
        extensions = list(cert.extensions)
    except x509.DecodeError:
        return
    assert all(isinstance(n, str) for n in names)
    assert constraints is None or isinstance(constraints, x509.BasicConstraints)
    assert len(fingerprint) == 32 and len(extensions) <= 64
    assert cert.not_before.tzinfo is not None
    assert x509.Certificate.from_der(cert.der) == cert


TARGETS: dict[str, Callable[[bytes], None]] = {
    "asn1_certificate_der": asn1_certificate_der,
    "asn1_certificate_ber": asn1_certificate_ber,
    "asn1_extensions": asn1_extensions,
    "asn1_tree": asn1_tree,
    "asn1_pem": asn1_pem,
    "x509_certificate": x509_certificate,
}
