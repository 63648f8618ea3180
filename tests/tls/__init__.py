"""Tests of the tls package."""
