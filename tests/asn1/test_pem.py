"""PEM (RFC 7468): bundles, labels, strict base64, round trips."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

import asn1
from asn1 import pem


@given(st.binary(max_size=300), st.sampled_from(["CERTIFICATE", "PRIVATE KEY", "X509 CRL"]))
def test_round_trip(der: bytes, label: str) -> None:
    text = pem.encode(label, der)
    assert all(len(line) <= 64 for line in text.splitlines())
    assert pem.decode(text) == [(label, der)]
    assert text == pem.encode(label, base64.b64decode("".join(text.splitlines()[1:-1])))


def test_bundle_with_explanatory_text() -> None:
    text = (
        "Subject: first\n"
        + pem.encode("CERTIFICATE", b"\x30\x00")
        + "some text between\n"
        + pem.encode("PRIVATE KEY", b"\x05\x00")
        + pem.encode("CERTIFICATE", b"\x02\x01\x01")
    )
    assert pem.decode(text) == [
        ("CERTIFICATE", b"\x30\x00"),
        ("PRIVATE KEY", b"\x05\x00"),
        ("CERTIFICATE", b"\x02\x01\x01"),
    ]
    assert pem.decode(text, "CERTIFICATE") == [
        ("CERTIFICATE", b"\x30\x00"),
        ("CERTIFICATE", b"\x02\x01\x01"),
    ]
    assert pem.decode_one(text, "PRIVATE KEY") == b"\x05\x00"
    with pytest.raises(asn1.DecodeError, match="exactly one"):
        pem.decode_one(text, "CERTIFICATE")


@pytest.mark.parametrize(
    "text,message",
    [
        ("-----BEGIN A-----\nMAA=\n", "no END line"),
        ("-----BEGIN A-----\nMAA=\n-----END B-----\n", "ends with label 'B'"),
        ("-----BEGIN A-----\nMA=A\n-----END A-----\n", "bad base64"),
        ("-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\n\nMAA=\n-----END A-----\n", "non-base64"),
        ("-----BEGIN A-----\nMAA\n-----END A-----\n", "bad base64"),
    ],
)
def test_broken_blocks(text: str, message: str) -> None:
    with pytest.raises(asn1.DecodeError, match=message):
        pem.decode(text)


def test_crlf_and_no_blocks() -> None:
    text = pem.encode("A", b"\x05\x00").replace("\n", "\r\n")
    assert pem.decode(text) == [("A", b"\x05\x00")]
    assert pem.decode("no pem here") == []
    assert not pem.looks_like_pem(b"\x30\x00")
    with pytest.raises(ValueError):
        pem.encode("bad--label", b"")
