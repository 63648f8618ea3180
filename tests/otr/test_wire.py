"""OTR data types: round trips, rejection tables, and the fingerprint against hashlib."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import otr
from nocrypto import dsa
from otr._wire import (
    MAX_MPI_BYTES,
    Header,
    OTRDecodeError,
    Reader,
    encode_data,
    encode_header,
    encode_int,
    encode_mpi,
    encode_pubkey,
    encode_short,
    encode_sig,
    fingerprint,
    human_fingerprint,
)


@given(st.integers(min_value=0, max_value=(1 << 2048) - 1))
def test_mpi_round_trip(value: int) -> None:
    raw = encode_mpi(value)
    reader = Reader(raw + b"tail")
    assert reader.mpi() == value
    assert reader.rest() == b"tail"
    # Minimum length: no leading zero byte, and 0 is the empty value.
    assert raw[4:5] != b"\x00"
    assert len(raw) == 4 + (value.bit_length() + 7) // 8


@given(st.binary(max_size=300))
def test_data_round_trip(value: bytes) -> None:
    reader = Reader(encode_data(value))
    assert reader.data() == value
    reader.expect_end()


@given(st.integers(0, 0xFFFF), st.integers(0, 0xFFFFFFFF))
def test_short_int_round_trip(a: int, b: int) -> None:
    reader = Reader(encode_short(a) + encode_int(b))
    assert (reader.u16(), reader.u32()) == (a, b)
    reader.expect_end()


@pytest.mark.parametrize(
    ("raw", "method"),
    [
        (b"\x00\x00\x00\x02\x00\x01", "mpi"),  # leading zero: not minimal
        (b"\x00\x00\x00\x05\x01", "mpi"),  # truncated
        ((MAX_MPI_BYTES + 1).to_bytes(4, "big"), "mpi"),  # oversized length
        (b"\x00\x00\x01\x00abc", "data"),  # truncated
        (b"\x00", "u16"),
        (b"\x00\x00\x00", "u32"),
        (b"1234567", "ctr"),
        (b"x" * 19, "mac"),
        (b"x" * 39, "sig"),
        (b"\x00\x01", "pubkey"),  # unknown key type
    ],
)
def test_reader_rejects(raw: bytes, method: str) -> None:
    with pytest.raises(OTRDecodeError):
        getattr(Reader(raw), method)()


def test_trailing_bytes() -> None:
    reader = Reader(b"\x00\x01x")
    reader.u16()
    with pytest.raises(OTRDecodeError):
        reader.expect_end()


def test_data_limit() -> None:
    with pytest.raises(OTRDecodeError):
        Reader(encode_data(b"abcd")).data(limit=3)


def test_pubkey_round_trip_and_fingerprint(alice_key: dsa.DSAPrivateKey) -> None:
    pub = alice_key.public_key()
    raw = encode_pubkey(pub)
    assert raw[:2] == b"\x00\x00"
    reader = Reader(raw)
    assert reader.pubkey() == pub
    reader.expect_end()
    # Independently: SHA-1 over the four MPIs, written here by hand.
    p, q, g, y = pub.params.p, pub.params.q, pub.params.g, pub.y
    mpis = b"".join(
        len(v.to_bytes((v.bit_length() + 7) // 8, "big")).to_bytes(4, "big")
        + v.to_bytes((v.bit_length() + 7) // 8, "big")
        for v in (p, q, g, y)
    )
    expected = hashlib.sha1(mpis).digest()
    assert fingerprint(pub) == expected == otr.fingerprint(alice_key)
    human = human_fingerprint(expected)
    assert human == " ".join(expected.hex().upper()[i : i + 8] for i in range(0, 40, 8))
    assert len(human) == 44 and human.count(" ") == 4


def test_pubkey_rejects_bad_parameters(alice_key: dsa.DSAPrivateKey) -> None:
    pub = alice_key.public_key()
    p, q, g, y = pub.params.p, pub.params.q, pub.params.g, pub.y
    for values in [(p, q, g + 1, y), (p + 2, q, g, y), (p, q, g, 0), (p, q * 2 + 1, g, y)]:
        raw = encode_short(0) + b"".join(encode_mpi(v) for v in values)
        with pytest.raises(OTRDecodeError):
            Reader(raw).pubkey()


@given(st.integers(1, 2**160 - 1), st.integers(1, 2**160 - 1))
def test_sig_round_trip(r: int, s: int) -> None:
    raw = encode_sig((r, s))
    assert len(raw) == 40
    assert Reader(raw).sig() == (r, s)


@pytest.mark.parametrize(
    "header", [Header(3, 0x03, 0x100, 0xFFFFFFFF), Header(2, 0x02), Header(3, 0x0A, 0x1234, 0)]
)
def test_header_round_trip(header: Header) -> None:
    raw = encode_header(header)
    assert len(raw) == (11 if header.version == 3 else 3)
    reader = Reader(raw)
    assert Header.read(reader) == header
    reader.expect_end()


@pytest.mark.parametrize("version", [0, 1, 4, 0xFFFF])
def test_header_rejects_versions(version: int) -> None:
    with pytest.raises(OTRDecodeError):
        Header.read(Reader(encode_short(version) + b"\x02" + bytes(8)))
