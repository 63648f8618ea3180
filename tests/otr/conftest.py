"""Fixtures of the OTR engine tests: two DSA-1024 keys made once per test session."""

from __future__ import annotations

import pytest

from nocrypto import dsa
from tests.otr.helpers import make_key


@pytest.fixture(scope="session")
def alice_key() -> dsa.DSAPrivateKey:
    return make_key(b"nqsb otr test key alice")


@pytest.fixture(scope="session")
def bob_key() -> dsa.DSAPrivateKey:
    return make_key(b"nqsb otr test key bob")
