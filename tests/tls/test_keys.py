"""tls._keys: the PRF, master secrets, key block and Finished, against tlslite-ng's
mathtls, OpenSSL's TLS1-PRF KDF and the published TLS 1.2 PRF vectors."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tlslite import mathtls
from tlslite.handshakehashes import HandshakeHashes

from tls import _keys
from tls._wire import ProtocolVersion
from tls.ciphersuites import SUITES, CipherSuite, by_name

V10, V11, V12 = ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12
_TUPLE = {V10: (3, 1), V11: (3, 2), V12: (3, 3)}

GCM128 = by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
GCM256 = by_name("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
CBC_SHA = by_name("TLS_RSA_WITH_AES_128_CBC_SHA")

_PAIRS = [
    (version, suite)
    for suite in SUITES.values()
    for version in (V10, V11, V12)
    if version >= suite.min_version
]


def _tlslite_prf(version: ProtocolVersion, prf_hash: str) -> object:
    if version < V12:
        return mathtls.PRF
    return mathtls.PRF_1_2_SHA384 if prf_hash == "sha384" else mathtls.PRF_1_2


def _hashes(messages: bytes) -> HandshakeHashes:
    h = HandshakeHashes()
    h.update(bytearray(messages))
    return h


# --- known answers ---------------------------------------------------------------------------

# The TLS 1.2 PRF vectors posted to the IETF TLS WG list (msg03416), "test label".
_KAT = [
    (
        "sha256",
        "9bbe436ba940f017b17652849a71db35",
        "a0ba9f936cda311827a6f796ffd5198c",
        "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
        "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
        "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
        "87347b66",
    ),
    (
        "sha384",
        "b80b733d6ceefcdc71566ea48e5567df",
        "cd665cf6a8447dd6ff8b27555edb7465",
        "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
        "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
        "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
        "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
        "91c8f3a26854308d5eaa3be85e0990703d73e56f",
    ),
]


@pytest.mark.parametrize(("prf_hash", "secret", "seed", "output"), _KAT)
def test_tls12_prf_known_answer(prf_hash: str, secret: str, seed: str, output: str) -> None:
    expected = bytes.fromhex(output)
    got = _keys.prf(
        V12, prf_hash, bytes.fromhex(secret), b"test label", bytes.fromhex(seed), len(expected)
    )
    assert got == expected


def _openssl_prf(digest: str, secret: bytes, seed: bytes, length: int) -> bytes:
    out = subprocess.run(
        [
            "openssl",
            "kdf",
            "-keylen",
            str(length),
            "-kdfopt",
            f"digest:{digest}",
            "-kdfopt",
            f"hexsecret:{secret.hex()}",
            "-kdfopt",
            f"hexseed:{seed.hex()}",
            "TLS1-PRF",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return bytes.fromhex(out.strip().replace(":", ""))


@pytest.mark.parametrize(
    ("version", "prf_hash", "digest"),
    [(V10, "sha256", "MD5-SHA1"), (V12, "sha256", "SHA2-256"), (V12, "sha384", "SHA2-384")],
)
@pytest.mark.parametrize(
    ("secret_length", "length"), [(1, 1), (15, 37), (48, 104), (49, 200), (130, 13)]
)
def test_prf_against_openssl_kdf(
    version: ProtocolVersion, prf_hash: str, digest: str, secret_length: int, length: int
) -> None:
    # Odd secret lengths exercise the shared middle byte of S1 and S2 (RFC 2246 §5).
    secret = bytes((7 * i + secret_length) % 256 for i in range(secret_length))
    seed = bytes(range(40))
    expected = _openssl_prf(digest, secret, b"label" + seed, length)
    assert _keys.prf(version, prf_hash, secret, b"label", seed, length) == expected


# --- differential against tlslite-ng ---------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    version=st.sampled_from([V10, V11, V12]),
    prf_hash=st.sampled_from(["sha256", "sha384"]),
    secret=st.binary(max_size=150),
    label=st.binary(max_size=40),
    seed=st.binary(max_size=100),
    length=st.integers(0, 300),
)
def test_prf_matches_tlslite(
    version: ProtocolVersion, prf_hash: str, secret: bytes, label: bytes, seed: bytes, length: int
) -> None:
    reference = _tlslite_prf(version, prf_hash)
    expected = bytes(reference(bytearray(secret), label, bytearray(seed), length))  # type: ignore[operator]
    assert _keys.prf(version, prf_hash, secret, label, seed, length) == expected


def test_tls10_and_tls11_ignore_the_prf_hash() -> None:
    a = _keys.prf(V10, "sha256", b"s" * 33, b"l", b"seed", 64)
    assert a == _keys.prf(V11, "sha384", b"s" * 33, b"l", b"seed", 64)
    assert a != _keys.prf(V12, "sha256", b"s" * 33, b"l", b"seed", 64)


@settings(max_examples=40, deadline=None)
@given(
    pair=st.sampled_from(_PAIRS),
    premaster=st.binary(min_size=1, max_size=200),
    client_random=st.binary(min_size=32, max_size=32),
    server_random=st.binary(min_size=32, max_size=32),
    messages=st.binary(max_size=300),
)
def test_master_secret_finished_and_key_block_match_tlslite(
    pair: tuple[ProtocolVersion, CipherSuite],
    premaster: bytes,
    client_random: bytes,
    server_random: bytes,
    messages: bytes,
) -> None:
    version, suite = pair
    v = _TUPLE[version]
    cr, sr = bytearray(client_random), bytearray(server_random)
    master = _keys.master_secret(version, suite, premaster, client_random, server_random)
    assert master == bytes(
        mathtls.calc_key(
            v,
            bytearray(premaster),
            suite.code,
            b"master secret",
            client_random=cr,
            server_random=sr,
            output_length=48,
        )
    )
    hashes_ = _hashes(messages)
    ems = _keys.extended_master_secret(
        version, suite, premaster, _keys.session_hash(version, suite, messages)
    )
    assert ems == bytes(
        mathtls.calc_key(
            v,
            bytearray(premaster),
            suite.code,
            b"extended master secret",
            handshake_hashes=hashes_,
            output_length=48,
        )
    )
    for label in (b"client finished", b"server finished"):
        mine = _keys.verify_data(version, suite, master, label, messages)
        theirs = mathtls.calc_key(
            v, bytearray(master), suite.code, label, handshake_hashes=hashes_, output_length=12
        )
        assert mine == bytes(theirs)
        assert len(mine) == _keys.VERIFY_DATA_LENGTH
    # the key block, against tlslite's own expansion and partition (RecordLayer order)
    kb = _keys.key_block(version, suite, master, client_random, server_random)
    mac, key, iv = _keys.key_block_lengths(version, suite)
    block = bytes(
        mathtls.calc_key(
            v,
            bytearray(master),
            suite.code,
            b"key expansion",
            client_random=cr,
            server_random=sr,
            output_length=2 * (mac + key + iv),
        )
    )
    assert (
        kb.client_mac
        + kb.server_mac
        + kb.client_key
        + kb.server_key
        + kb.client_iv
        + (kb.server_iv)
        == block
    )


# --- the key block partition -------------------------------------------------------------------


@pytest.mark.parametrize(("version", "suite"), _PAIRS, ids=lambda x: getattr(x, "name", str(x)))
def test_key_block_partition(version: ProtocolVersion, suite: CipherSuite) -> None:
    master = bytes(range(48))
    cr, sr = b"c" * 32, b"s" * 32
    kb = _keys.key_block(version, suite, master, cr, sr)
    # RFC 5246 §6.3 lengths: MAC keys as the MAC output (none for AEAD), keys as the
    # cipher's, IVs: the salt / fixed nonce for AEAD, the first CBC IV only in TLS 1.0.
    assert len(kb.client_mac) == len(kb.server_mac) == suite.mac_length
    assert len(kb.client_key) == len(kb.server_key) == suite.key_length
    if suite.aead:
        expected_iv = 12 if "CHACHA20" in suite.name else 4
    else:
        expected_iv = suite.block_size if version == V10 else 0
    assert len(kb.client_iv) == len(kb.server_iv) == expected_iv
    # the six pieces are consecutive slices of one PRF output, in RFC order
    whole = _keys.prf(
        version,
        suite.prf_hash,
        master,
        b"key expansion",
        sr + cr,
        2 * (suite.mac_length + suite.key_length + expected_iv),
    )
    joined = kb.client_mac + kb.server_mac + kb.client_key + kb.server_key + kb.client_iv
    assert joined + kb.server_iv == whole
    assert "secret" in repr(kb) and kb.client_key.hex() not in repr(kb)


def test_session_hash_shape() -> None:
    msgs = b"handshake"
    assert len(_keys.session_hash(V10, CBC_SHA, msgs)) == 16 + 20
    assert len(_keys.session_hash(V12, GCM128, msgs)) == 32
    assert len(_keys.session_hash(V12, GCM256, msgs)) == 48


# --- misuse ------------------------------------------------------------------------------------


def test_misuse_raises_value_error() -> None:
    with pytest.raises(ValueError):
        _keys.prf(ProtocolVersion.SSL3, "sha256", b"s", b"l", b"s", 10)
    with pytest.raises(ValueError):
        _keys.prf(V12, "md5", b"s", b"l", b"s", 10)
    with pytest.raises(ValueError):
        _keys.prf(V12, "sha256", b"s", b"l", b"s", -1)
    with pytest.raises(ValueError):  # GCM needs TLS 1.2
        _keys.master_secret(V11, GCM128, b"p", b"c" * 32, b"s" * 32)
    with pytest.raises(ValueError):
        _keys.master_secret(V12, GCM128, b"p", b"c" * 31, b"s" * 32)
    with pytest.raises(ValueError):
        _keys.key_block(V10, CBC_SHA, b"m" * 48, b"c" * 32, b"s" * 33)
    with pytest.raises(ValueError):
        _keys.verify_data(V12, GCM128, b"m" * 48, b"finished", b"")
