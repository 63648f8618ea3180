"""Errors and limits of the x509 package.

Every failure to read certificates, requests, CRLs, names, extensions and keys from bytes is
an :class:`DecodeError` (a subclass of :class:`asn1.DecodeError`) whose message names the
structure and field; a well-formed input that uses an algorithm, key type or curve this
package does not support (or refuses, like explicit curve parameters) is the subclass
:class:`UnsupportedAlgorithm`. Misuse of the API (wrong argument types, impossible
requests when building) raises ``TypeError`` or ``ValueError``.

The limits are explicit constants (DESIGN.md principle 5).
"""

from __future__ import annotations

from typing import Final

import asn1

__all__ = [
    "MAX_CERTIFICATE_SIZE",
    "MAX_EXTENSIONS",
    "MAX_GENERAL_NAMES",
    "MAX_NAME_ATTRIBUTES",
    "MAX_REVOKED",
    "DecodeError",
    "UnsupportedAlgorithm",
]

#: The largest certificate, request or key (in DER octets) this package reads.
MAX_CERTIFICATE_SIZE: Final = 128 * 1024
#: The largest CRL (in DER octets).
MAX_CRL_SIZE: Final = 16 * 1024 * 1024
#: Extensions in one certificate, request, CRL or CRL entry.
MAX_EXTENSIONS: Final = 64
#: GeneralNames in one extension (subjectAltName, nameConstraints subtrees, ...).
MAX_GENERAL_NAMES: Final = 1024
#: Attributes in one distinguished name (over all its RDNs).
MAX_NAME_ATTRIBUTES: Final = 128
#: Revoked entries in one CRL.
MAX_REVOKED: Final = 1_000_000

#: The asn1 limits for certificates, requests and keys.
LIMITS: Final = asn1.Limits(max_size=MAX_CERTIFICATE_SIZE, max_depth=32, max_elements=200_000)
#: The asn1 limits for CRLs.
CRL_LIMITS: Final = asn1.Limits(max_size=MAX_CRL_SIZE, max_depth=32, max_elements=20_000_000)


class DecodeError(asn1.DecodeError):
    """The input is not a valid certificate, request, CRL, name, extension or key: the
    message says which structure and which field."""


class UnsupportedAlgorithm(DecodeError):
    """The input is well formed, but uses an algorithm, key type, curve or format this
    package does not support or refuses (MD2/MD5, explicit curve parameters, encrypted
    private keys, ...)."""


def wrap(what: str, error: asn1.DecodeError) -> DecodeError:
    """An x509 DecodeError for *error* raised while decoding *what*."""
    if isinstance(error, DecodeError):
        return error
    return DecodeError(f"{what}: {error}")
