"""Fuzz targets shared by the bounded smoke tests (pytest) and the long atheris runs.

Each target takes bytes and may only raise the documented error of its parser.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import UTC, datetime
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


@functools.cache
def _tls_peers() -> tuple[Any, Any]:
    """A fresh server state and a client state that has sent its ClientHello (made once:
    states are values, every input starts from the same ones)."""
    import tls
    from tests.tls.conftest import HOST, client_config, server_config

    client, _ = tls.client(client_config(), server_name=HOST)
    return tls.server(server_config()), client


def _tls_feed(state: Any, data: bytes) -> None:
    import tls

    strict = tls.engine.raise_internal_errors
    tls.engine.raise_internal_errors = True  # a bug must surface, not become an alert
    try:
        # Whole, then in two pieces: reassembly must not change the verdict.
        new, out = tls.handle(state, data)
        cut = len(data) // 2
        half, first = tls.handle(state, data[:cut])
        _, second = tls.handle(half, data[cut:])
    finally:
        tls.engine.raise_internal_errors = strict
    assert (out.failure is None) == (first.failure is None and second.failure is None)
    if out.failure is not None:
        assert tls.is_closed(new) and out.to_send  # the fatal alert is in to_send


def tls_server(data: bytes) -> None:
    """Peer bytes into a TLS server awaiting a ClientHello: an Output, never an exception."""
    _tls_feed(_tls_peers()[0], data)


def tls_client(data: bytes) -> None:
    """Peer bytes into a TLS client awaiting a ServerHello."""
    _tls_feed(_tls_peers()[1], data)


@functools.cache
def _otr_sessions() -> tuple[Any, Any]:
    """A plaintext OTR session and an encrypted one (after an AKE)."""
    import otr
    from tests.otr.helpers import make_key, secure_pair

    alice, bob = make_key(b"fuzz alice"), make_key(b"fuzz bob")
    plain = otr.Session.new(alice, otr.Policy.DEFAULT)
    return plain, secure_pair(alice, bob).bob.session


def otr_handle(data: bytes) -> None:
    """Any text into plaintext and encrypted OTR sessions: an Output, never an exception."""
    import otr

    text = data.decode("utf-8", "replace")
    for session in _otr_sessions():
        for message in (text, "?OTR:" + text, "?OTR|" + text):
            _, out = otr.handle(session, message)
            assert isinstance(out, otr.Output)


@functools.cache
def _chain() -> tuple[Any, Any, Any]:
    from tests.x509.test_validation import simple

    case = simple()
    return case.leaf, case.intermediates[0], case.roots[0]


def x509_validate(data: bytes) -> None:
    """A fuzzed DER certificate as the leaf, and as the intermediate, of a chain: validation
    returns Ok or a ValidationError value, never raises."""
    try:
        cert = x509.Certificate.from_der(data)
    except x509.DecodeError:
        return
    leaf, inter, root = _chain()
    when = datetime(2030, 6, 1, 12, tzinfo=UTC)
    for chain in ((cert, [inter]), (leaf, [cert, inter])):
        result = x509.validate(chain[0], chain[1], [root], time=when, host="www.example.com")
        assert isinstance(result, x509.Ok | x509.ValidationError)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "asn1_certificate_der": asn1_certificate_der,
    "asn1_certificate_ber": asn1_certificate_ber,
    "asn1_extensions": asn1_extensions,
    "asn1_tree": asn1_tree,
    "asn1_pem": asn1_pem,
    "x509_certificate": x509_certificate,
    "x509_validate": x509_validate,
    "tls_server": tls_server,
    "tls_client": tls_client,
    "otr_handle": otr_handle,
}
