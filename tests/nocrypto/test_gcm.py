"""GHASH and AES-GCM (NIST SP 800-38D): the kernel ``nocrypto._native.gcm`` (PCLMULQDQ with
the fused AES-NI loop, and portable C) against its twin ``nocrypto._ref.gcm``, known
answers, and every NIST CAVP GCM vector (cryptography-vectors ``ciphers/AES/GCM``) through
the public ``nocrypto.aead.AES_GCM``. Wycheproof's AES-GCM file is in ``test_aead.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import AuthenticationError, _backend
from nocrypto._ref import aes as ref_aes
from nocrypto._ref import gcm as ref
from nocrypto.aead import AES_GCM
from tests.nocrypto.vectors import cryptography_vector, load_nist, python_backend

PYTHON_ONLY_RUN = os.environ.get(_backend.ENV_VAR) == "python"
PATHS = ["hardware", "portable"]


def native_modules() -> tuple[ModuleType, ModuleType]:
    """(``nocrypto._native.gcm``, ``nocrypto._native.aes``); skip under a python-only run,
    else fail if not built."""
    if PYTHON_ONLY_RUN:
        # restrict_hw is a no-op there, and the pure-Python pass is about the twins
        pytest.skip(f"{_backend.ENV_VAR}=python for this run: native kernel not tested")
    try:
        from nocrypto._native import aes, gcm
    except ImportError as exc:
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return gcm, aes


@dataclass
class Native:
    gcm: ModuleType
    aes: ModuleType
    path: str

    def keys(self, key: bytes) -> tuple[bytes, bytes]:
        """(AES schedule, GHASH key), made under the current restriction (so "portable" gets
        a portable AES schedule: the AES kernel follows its schedule's own path)."""
        schedule: bytes = self.aes.aes_expand_key(key)
        hkey: bytes = self.gcm.ghash_key(self.aes.aes_ecb_encrypt(schedule, bytes(16)))
        return schedule, hkey


@pytest.fixture(params=PATHS)
def native(request: pytest.FixtureRequest) -> Iterator[Native]:
    gcm, aes = native_modules()
    if request.param == "portable":
        _backend.restrict_hw(0)
    try:
        yield Native(gcm, aes, request.param)
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


def ref_keys(key: bytes) -> tuple[bytes, bytes]:
    schedule = ref_aes.aes_expand_key(key)
    return schedule, ref.ghash_key(ref_aes.aes_ecb_encrypt(schedule, bytes(16)))


def test_fused_path_is_exercised() -> None:
    """The hardware run uses the fused AES-NI + PCLMULQDQ path when the CPU has both."""
    _, aes = native_modules()
    hw = _backend.hw_features()
    if not (hw & _backend.HW_AESNI and hw & _backend.HW_PCLMUL):
        pytest.skip("this CPU has no AES-NI + PCLMULQDQ: only the portable C path runs")
    assert aes.uses_aesni(aes.aes_expand_key(bytes(16)))
    _backend.restrict_hw(0)
    try:
        assert not aes.uses_aesni(aes.aes_expand_key(bytes(16)))
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


# -- known answers (McGrew and Viega, "The Galois/Counter Mode of Operation", test cases) ----

#: Test case 2: H = E(0^128, 0^128), C = E(0, inc32(J0)) for K = 0, IV = 0^96.
TC2_H = bytes.fromhex("66e94bd4ef8a2c3b884cfa59ca342b2e")
TC2_C = bytes.fromhex("0388dace60b6a392f328c2b971b2fe78")
TC2_GHASH = bytes.fromhex("f38cbb1ad69223dcc3457ae5b6b0f885")


TC2_DATA = TC2_C + (0).to_bytes(8, "big") + (128).to_bytes(8, "big")


def test_twin_ghash_known_answer() -> None:
    assert ref.ghash(ref.ghash_key(TC2_H), bytes(16), TC2_DATA) == TC2_GHASH


def test_ghash_known_answer(native: Native) -> None:
    assert native.gcm.ghash(native.gcm.ghash_key(TC2_H), bytes(16), TC2_DATA) == TC2_GHASH


TC4_KEY = bytes.fromhex("feffe9928665731c6d6a8f9467308308")
TC4_IV = bytes.fromhex("cafebabefacedbaddecaf888")
TC4_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
TC4_P = bytes.fromhex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
)
TC4_C = bytes.fromhex(
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
)
TC4_T = bytes.fromhex("5bc94fbc3221a5db94fae95ae7121a47")


TC4_J0 = TC4_IV + b"\x00\x00\x00\x01"


def test_twin_gcm_known_answer() -> None:
    rs, rh = ref_keys(TC4_KEY)
    assert ref.aes_gcm_seal(rs, rh, TC4_J0, TC4_AAD, TC4_P) == TC4_C + TC4_T
    assert ref.aes_gcm_open(rs, rh, TC4_J0, TC4_AAD, TC4_C, TC4_T) == TC4_P
    assert ref.aes_gcm_open(rs, rh, TC4_J0, TC4_AAD, TC4_C, TC4_T[:12]) == TC4_P


def test_gcm_known_answer(native: Native) -> None:
    schedule, hkey = native.keys(TC4_KEY)
    assert native.gcm.aes_gcm_seal(schedule, hkey, TC4_J0, TC4_AAD, TC4_P) == TC4_C + TC4_T
    assert native.gcm.aes_gcm_open(schedule, hkey, TC4_J0, TC4_AAD, TC4_C, TC4_T) == TC4_P
    assert native.gcm.aes_gcm_open(schedule, hkey, TC4_J0, TC4_AAD, TC4_C, TC4_T[:12]) == TC4_P


def test_twin_gf_mul_identity_and_commutes() -> None:
    """Algorithm 1 sanity: the multiplicative identity is the block 10000...0."""
    one = 1 << 127
    x = int.from_bytes(TC2_H, "big")
    assert ref.gf_mul(x, one) == x
    assert ref.gf_mul(one, x) == x
    y = int.from_bytes(TC2_C, "big")
    assert ref.gf_mul(x, y) == ref.gf_mul(y, x)


# -- argument checks -----------------------------------------------------------------------------


def check_arguments(kernel: ModuleType, s: bytes, h: bytes) -> None:
    j0 = bytes(16)
    with pytest.raises(ValueError, match="hash subkey H must be 16 bytes"):
        kernel.ghash_key(bytes(15))
    with pytest.raises(ValueError, match="whole number of 16-byte blocks"):
        kernel.ghash(h, bytes(16), bytes(15))
    with pytest.raises(ValueError, match="y must be 16 bytes"):
        kernel.ghash(h, bytes(15), bytes(16))
    with pytest.raises(ValueError, match="J0 must be 16 bytes"):
        kernel.aes_gcm_seal(s, h, bytes(12), b"", b"")
    with pytest.raises(ValueError, match="made by ghash_key"):
        kernel.aes_gcm_seal(s, h[:-1], j0, b"", b"")
    with pytest.raises(ValueError, match="made by aes_expand_key"):
        kernel.aes_gcm_seal(s[:-1], h, j0, b"", b"")
    with pytest.raises(ValueError, match="tag is 1 to 16 bytes"):
        kernel.aes_gcm_open(s, h, j0, b"", b"", bytes(17))
    with pytest.raises(ValueError, match="tag is 1 to 16 bytes"):
        kernel.aes_gcm_open(s, h, j0, b"", b"", b"")


def test_twin_argument_checks() -> None:
    check_arguments(ref, *ref_keys(bytes(16)))


def test_argument_checks(native: Native) -> None:
    check_arguments(native.gcm, *native.keys(bytes(16)))


# -- the C kernel against its twin ---------------------------------------------------------------

BLOCK_COUNTS = st.one_of(
    st.integers(min_value=0, max_value=20), st.sampled_from([31, 32, 33, 64, 65])
)
LENGTHS = st.one_of(
    st.integers(min_value=0, max_value=150),
    st.sampled_from([255, 256, 257, 383, 384, 385, 1024, 1040]),
)
#: J0 counters near the 32-bit wrap (§6.2: inc32 is modulo 2^32) and random ones.
J0S = st.one_of(
    st.binary(min_size=16, max_size=16),
    st.tuples(
        st.binary(min_size=12, max_size=12),
        st.sampled_from([0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFF8, 0xFFFFFFF7, 0, 1]),
    ).map(lambda t: t[0] + t[1].to_bytes(4, "big")),
)


def test_ghash_matches_twin(native: Native) -> None:
    @settings(max_examples=150, deadline=None)
    @given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16), BLOCK_COUNTS)
    def check(h: bytes, y: bytes, nblocks: int) -> None:
        data = os.urandom(16 * nblocks)
        assert native.gcm.ghash(native.gcm.ghash_key(h), y, data) == ref.ghash(
            ref.ghash_key(h), y, data
        )

    check()


def test_aes_gcm_matches_twin(native: Native) -> None:
    @settings(max_examples=60, deadline=None)
    @given(
        st.sampled_from([16, 24, 32]).map(os.urandom),
        J0S,
        st.binary(max_size=80),
        LENGTHS.map(os.urandom),
    )
    def check(key: bytes, j0: bytes, aad: bytes, plaintext: bytes) -> None:
        schedule, hkey = native.keys(key)
        rs, rh = ref_keys(key)
        sealed = native.gcm.aes_gcm_seal(schedule, hkey, j0, aad, plaintext)
        assert sealed == ref.aes_gcm_seal(rs, rh, j0, aad, plaintext)
        ciphertext, tag = sealed[:-16], sealed[-16:]
        for t in (16, 12, 8, 4):
            assert native.gcm.aes_gcm_open(schedule, hkey, j0, aad, ciphertext, tag[:t]) == (
                plaintext
            )
        bad = tag[:-1] + bytes([tag[-1] ^ 0x40])
        assert native.gcm.aes_gcm_open(schedule, hkey, j0, aad, ciphertext, bad) is None
        assert ref.aes_gcm_open(rs, rh, j0, aad, ciphertext, bad) is None
        # a mismatch beyond the compared prefix does not matter
        assert native.gcm.aes_gcm_open(schedule, hkey, j0, aad, ciphertext, bad[:15]) == (plaintext)

    check()


def test_hkey_serves_every_path() -> None:
    """A GHASH key made under one mask works (with the same answers) under the other."""
    gcm, _ = native_modules()
    h, y, data = os.urandom(16), os.urandom(16), os.urandom(16 * 37)
    hkey = gcm.ghash_key(h)
    fast = gcm.ghash(hkey, y, data)
    _backend.restrict_hw(0)
    try:
        assert gcm.ghash(hkey, y, data) == fast
        assert gcm.ghash_key(h) == hkey
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


def test_open_writes_no_plaintext_on_failure(native: Native) -> None:
    from nocrypto._native._nocrypto import ffi, lib

    schedule, hkey = native.keys(os.urandom(16))
    j0 = os.urandom(12) + b"\x00\x00\x00\x01"
    data = os.urandom(1000)
    sealed = native.gcm.aes_gcm_seal(schedule, hkey, j0, b"", data)
    out = ffi.new("uint8_t[]", 1000)  # zeroed
    bad = sealed[-16:-1] + bytes([sealed[-1] ^ 1])
    assert (
        lib.nocrypto_aes_gcm_open(schedule, hkey, j0, b"", 0, sealed[:-16], 1000, bad, 16, out) == 0
    )
    assert bytes(ffi.buffer(out)) == bytes(1000)
    tag = sealed[-16:]
    assert (
        lib.nocrypto_aes_gcm_open(schedule, hkey, j0, b"", 0, sealed[:-16], 1000, tag, 16, out) == 1
    )
    assert bytes(ffi.buffer(out)) == data


# -- NIST CAVP (gcmEncryptExtIV*.rsp, gcmDecrypt*.rsp) through the public AES_GCM --------------


def cavp_cases(name: str) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """(section parameters, case) of a CAVP GCM file."""
    for section in load_nist(cryptography_vector("ciphers", "AES", "GCM", name)):
        for case in section.cases:
            yield section.params, case


def check_cavp_case(params: dict[str, str], case: dict[str, str], decrypt: bool) -> None:
    key, iv = bytes.fromhex(case["Key"]), bytes.fromhex(case["IV"])
    assert len(iv) * 8 == int(params["IVlen"])
    aad, tag = bytes.fromhex(case["AAD"]), bytes.fromhex(case["Tag"])
    ciphertext = bytes.fromhex(case["CT"])
    tag_length = int(params["Taglen"]) // 8
    aead = AES_GCM(key, tag_length)
    if decrypt and "FAIL" in case.get("_flags", ""):
        with pytest.raises(AuthenticationError):
            aead.open(iv, ciphertext + tag, aad)
        return
    plaintext = bytes.fromhex(case["PT"])
    assert aead.seal(iv, plaintext, aad) == ciphertext + tag, case["Count"]
    assert aead.open(iv, ciphertext + tag, aad) == plaintext


FILES = [
    (f"gcm{kind}{bits}.rsp", kind == "Decrypt")
    for kind in ("EncryptExtIV", "Decrypt")
    for bits in (128, 192, 256)
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "decrypt"), FILES)
def test_cavp_all(name: str, decrypt: bool) -> None:
    """Every case (7875 per file; IVs of 8 to 1024 bits, tags of 32 to 128 bits); in the
    Decrypt files a FAIL case must raise AuthenticationError."""
    count = fails = 0
    for params, case in cavp_cases(name):
        check_cavp_case(params, case, decrypt)
        count += 1
        fails += "FAIL" in case.get("_flags", "")
    assert count == 7875
    assert (fails > 0) == decrypt


@pytest.mark.parametrize(("name", "decrypt"), FILES)
def test_cavp_sample(name: str, decrypt: bool) -> None:
    """A spread sample of each file for the reduced (pure-Python) pass: every 97th case
    natively would be pointless (test_cavp_all runs them all), so the native run takes the
    same sample only as a smoke test."""
    step = 97 if python_backend() else 499
    cases = list(cavp_cases(name))
    sample = cases[::step]
    assert sample
    for params, case in sample:
        check_cavp_case(params, case, decrypt)
