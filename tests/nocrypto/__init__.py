"""Tests for ``nocrypto``: C kernels against their pure-Python twins, and the public API."""
