"""nocrypto: the cryptographic primitives of nqsb.

Hashes, MACs, ciphers, public-key algorithms and constant-time helpers, written
from their specifications.  Speed-critical kernels are C (``nocrypto._native``,
built by cffi); every kernel has a pure-Python twin (``nocrypto._ref``).  The
backend is chosen once at import from ``NOCRYPTO_BACKEND`` (see
``nocrypto._backend``); ``backend()`` tells which one is in use.

This package depends on nothing but its own kernels.
"""

from __future__ import annotations

from typing import Literal

from nocrypto import _backend
from nocrypto._compare import compare_digest
from nocrypto._errors import AuthenticationError

from nocrypto import (  # isort: skip - after the names the submodules import from here
    aead,
    ciphers,
    dh,
    dsa,
    ec,
    ecx,
    hashes,
    hmac,
    primes,
    rfc6979,
    rng,
    rsa,
)

__all__ = [
    "AuthenticationError",
    "aead",
    "backend",
    "ciphers",
    "compare_digest",
    "dh",
    "dsa",
    "ec",
    "ecx",
    "hashes",
    "hmac",
    "primes",
    "rfc6979",
    "rng",
    "rsa",
]


def backend() -> Literal["native", "python"]:
    """Return the name of the kernel backend in use: ``"native"`` or ``"python"``."""
    return _backend.NAME
