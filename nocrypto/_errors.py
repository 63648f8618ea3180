"""Errors of the nocrypto package."""

from __future__ import annotations

__all__ = ["AuthenticationError"]


class AuthenticationError(ValueError):
    """An AEAD tag or a MAC did not verify: the data is not authentic and no plaintext is
    released."""
