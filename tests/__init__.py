"""Tests for nqsb; the layout mirrors the packages (``tests/nocrypto``, ...)."""
