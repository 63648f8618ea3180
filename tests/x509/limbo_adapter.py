"""The x509-limbo validator interface (../shared/tools/limbo-run.py) over x509.validate.

Run by tests/x509/test_limbo.py, or by hand:

    python ../shared/tools/limbo-run.py --validator tests/x509/limbo_adapter.py:validate

It validates with the default :class:`x509.ValidationPolicy` (RFC 5280 plus the Web PKI
rules), so the features it claims are those of that profile; the feature tags it leaves out
are the pedantic ones it does not implement (see LIMBO_FEATURES).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import x509
from asn1 import OID

NAME = "nqsb x509"

#: Limbo feature tags whose testcases this validator runs. Left out:
#: "rfc5280-incompatible-with-webpki" (we validate with the Web PKI profile, so those cases
#: conflict with the webpki ones we run) and "pedantic-public-suffix-wildcard" (needs the
#: public suffix list, which we do not ship: only single-label suffixes like "*.com" are
#: refused) and "pedantic-rfc5280" (its one testcase wants a cross-signed trust anchor
#: without authorityKeyIdentifier refused, while cve::cve-2024-0567 expects such an anchor
#: accepted: we take a trust anchor as given).
LIMBO_FEATURES = {
    "has-crl",
    "denial-of-service",
    "max-chain-depth",
    "name-constraint-dn",
    "pedantic-webpki-eku",
    "pedantic-webpki-subscriber-key",
    "pedantic-serial-number",
    "has-policy-constraints",
}

REJECTION_EXCEPTIONS = (x509.DecodeError,)


def validate(
    *,
    leaf_der: bytes,
    intermediates_der: list[bytes],
    roots_der: list[bytes],
    validation_time: dt.datetime,
    expected_peer_name: tuple[str, str] | None,
    extended_key_usage: list[str],
    max_chain_depth: int | None,
    validation_kind: str,
    expected_peer_names: list[tuple[str, str]],
    key_usage: list[str],
    signature_algorithms: list[str],
    crls_der: list[bytes],
    **_future: object,
) -> bool | None:
    """True when x509.validate builds a valid path (see the module docstring)."""
    leaf = x509.Certificate.from_der(leaf_der)  # a DecodeError is a rejection
    intermediates = []
    for der in intermediates_der:
        try:
            intermediates.append(x509.Certificate.from_der(der))
        except x509.DecodeError:
            continue  # junk among the untrusted certificates is ignored, as by TLS clients
    roots = []
    for der in roots_der:
        try:
            roots.append(x509.Certificate.from_der(der))
        except x509.DecodeError:
            continue
    crls = tuple(x509.CertificateRevocationList.from_der(der) for der in crls_der)
    if len(extended_key_usage) > 1:
        return None
    purpose = OID(extended_key_usage[0]) if extended_key_usage else None
    policy = x509.ValidationPolicy(
        purpose=purpose,
        key_usage=tuple(key_usage),
        max_intermediates=max_chain_depth if max_chain_depth is not None else 8,
        crls=crls,
    )
    host = None
    mailbox = None
    if expected_peer_name is not None:
        kind, value = expected_peer_name
        if kind == "RFC822":
            mailbox = value
        elif kind in ("DNS", "IP"):
            host = value
        else:
            return None
    result = x509.validate(
        leaf, intermediates, roots, time=validation_time, host=host, policy=policy
    )
    if not isinstance(result, x509.Ok):
        return False
    if mailbox is not None and not _has_mailbox(leaf, mailbox):
        return False
    for kind, value in expected_peer_names if validation_kind == "CLIENT" else ():
        if kind == "RFC822":
            if not _has_mailbox(leaf, value):
                return False
            continue
        if kind not in ("DNS", "IP"):
            return None
        if not x509.verify_hostname(leaf, value):  # the path is valid already: names only
            return False
    return True


def _has_mailbox(cert: x509.Certificate, mailbox: str) -> bool:
    """An rfc822Name SAN equal to *mailbox*: local part exact, domain case-insensitive
    (RFC 5280 7.5)."""
    san = cert.extensions.find(x509.SubjectAlternativeName)
    local, _, domain = mailbox.rpartition("@")
    for name in san.names if san is not None else ():
        if isinstance(name, x509.RFC822Name):
            n_local, _, n_domain = name.value.rpartition("@")
            if n_local == local and n_domain.lower() == domain.lower():
                return True
    return False
