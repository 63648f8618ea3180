"""x509: X.509 certificates and their validation (RFC 5280).

Will hold certificate, CRL and key parsing written entirely as ``asn1`` grammars
transcribing RFC 5280's ASN.1 module (one description for decoder and encoder),
PEM handling, and the authenticators - chain of trust validated per RFC 5280
(with host name checks per RFC 6125), key fingerprint and certificate
fingerprint - returning a validated path or a typed validation error.

Depends on ``asn1`` and ``nocrypto`` only.
"""

from __future__ import annotations

__all__: list[str] = []
