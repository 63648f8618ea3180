"""The public cipher classes of ``nocrypto.ciphers``: known answers through the API, the rules
they enforce (lengths, types, degenerate 3DES keys), chaining across calls, buffers.

The kernels themselves are tested against every NIST vector in test_aes.py and test_des.py;
here the SP 800-38A appendix F vectors go through the public classes, on the selected
backend and, natively, also with the hardware paths off.
"""

from __future__ import annotations

import array
import contextlib
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import _backend, ciphers
from nocrypto.ciphers import AES_CBC, AES_CTR, AES_ECB, TripleDES_CBC, TripleDES_ECB
from tests.nocrypto.vectors import cryptography_vector, load_nist

H = bytes.fromhex
PATHS = ["default", "portable"]


@contextlib.contextmanager
def native_path(path: str) -> Iterator[None]:
    """ "default" (AES-NI if present) or "portable" (native hardware paths off)."""
    if path == "portable":
        if _backend.NAME != "native":
            pytest.skip("the portable C path belongs to the native backend")
        _backend.restrict_hw(0)
    try:
        yield
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


# SP 800-38A appendix F: the shared plaintext and IV / initial counter block.
PLAINTEXT = H(
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710"
)
IV = H("000102030405060708090a0b0c0d0e0f")
T1 = H("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
KEY128 = H("2b7e151628aed2a6abf7158809cf4f3c")
KEY192 = H("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b")
KEY256 = H("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")

# (key, F.1 ECB, F.2 CBC, F.5 CTR) ciphertexts.
APPENDIX_F = [
    (
        KEY128,
        "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
        "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4",
        "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
        "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
        "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
        "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
    ),
    (
        KEY192,
        "bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eef"
        "ef7afd2270e2e60adce0ba2face6444e9a4b41ba738d6c72fb16691603c18e0e",
        "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
        "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd",
        "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
        "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050",
    ),
    (
        KEY256,
        "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
        "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7",
        "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
        "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
        "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6",
    ),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("key", "ecb", "cbc", "ctr"), APPENDIX_F)
def test_sp800_38a_appendix_f(path: str, key: bytes, ecb: str, cbc: str, ctr: str) -> None:
    with native_path(path):
        assert AES_ECB(key).encrypt(PLAINTEXT) == H(ecb)
        assert AES_ECB(key).decrypt(H(ecb)) == PLAINTEXT
        assert AES_CBC(key).encrypt(IV, PLAINTEXT) == H(cbc)
        assert AES_CBC(key).decrypt(IV, H(cbc)) == PLAINTEXT
        assert AES_CTR(key).crypt(T1, PLAINTEXT) == H(ctr)
        assert AES_CTR(key).crypt(T1, H(ctr)) == PLAINTEXT


def test_ctr_counter_is_the_whole_block() -> None:
    """The 128-bit counter carries across all 16 bytes and wraps to zero (SP 800-38A B.1
    with m = 128)."""
    key = bytes(range(16))
    ecb = AES_ECB(key)
    ctr = AES_CTR(key)
    t1 = H("00112233445566778899aabbffffffff")  # carries out of the low 32 bits
    t2 = H("00112233445566778899aabc00000000")
    assert ctr.crypt(t1, bytes(32)) == ecb.encrypt(t1 + t2)
    top = b"\xff" * 16  # 2^128 - 1, then 0
    assert ctr.crypt(top, bytes(32)) == ecb.encrypt(top + bytes(16))
    assert ctr.crypt(top, b"") == b""


# -- chaining across calls equals one call ------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
    iv=st.binary(min_size=16, max_size=16),
    blocks=st.integers(0, 30),
    cut=st.integers(0, 30),
)
def test_aes_cbc_chaining_across_calls(
    path: str, key: bytes, iv: bytes, blocks: int, cut: int
) -> None:
    data = bytes((i * 13 + 1) & 0xFF for i in range(16 * blocks))
    cut = 16 * min(cut, blocks)
    with native_path(path):
        cbc = AES_CBC(key)
        whole = cbc.encrypt(iv, data)
        first = cbc.encrypt(iv, data[:cut])
        next_iv = first[-16:] if first else iv
        assert first + cbc.encrypt(next_iv, data[cut:]) == whole
        plain = cbc.decrypt(iv, whole[:cut]) + cbc.decrypt(next_iv, whole[cut:])
        assert plain == data


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=40, deadline=None)
@given(
    key=st.binary(min_size=16, max_size=16),
    t1=st.binary(min_size=16, max_size=16),
    blocks=st.integers(0, 20),
    cut=st.integers(0, 20),
)
def test_aes_ctr_chaining_across_calls(
    path: str, key: bytes, t1: bytes, blocks: int, cut: int
) -> None:
    data = bytes((i * 7 + 2) & 0xFF for i in range(16 * blocks + 5))
    cut = min(cut, blocks)
    with native_path(path):
        ctr = AES_CTR(key)
        t_next = ((int.from_bytes(t1, "big") + cut) % (1 << 128)).to_bytes(16, "big")
        assert ctr.crypt(t1, data[: 16 * cut]) + ctr.crypt(t_next, data[16 * cut :]) == (
            ctr.crypt(t1, data)
        )


def test_3des_cbc_chaining_across_calls() -> None:
    cbc = TripleDES_CBC(bytes(range(24)))
    iv = bytes(8)
    data = bytes(range(80))
    whole = cbc.encrypt(iv, data)
    assert cbc.encrypt(iv, data[:24]) + cbc.encrypt(whole[16:24], data[24:]) == whole
    assert cbc.decrypt(iv, whole[:24]) + cbc.decrypt(whole[16:24], whole[24:]) == data


# -- 3DES through the API ------------------------------------------------------------------------


def test_3des_known_answers() -> None:
    """The three-key multi-block messages of TCBCMMT3 / TECBMMT3 through the API (the
    other TDES files use K1 = K2 = K3, which the API refuses)."""
    count = 0
    for mode in ("CBC", "ECB"):
        file = cryptography_vector("ciphers", "3DES", mode, f"T{mode}MMT3.rsp")
        for section in load_nist(file):
            for case in section.cases:
                key = H(case["KEY1"] + case["KEY2"] + case["KEY3"])
                pt, ct = H(case["PLAINTEXT"]), H(case["CIPHERTEXT"])
                if mode == "CBC":
                    cbc, iv = TripleDES_CBC(key), H(case["IV"])
                    got = cbc.encrypt(iv, pt) if section.name == "ENCRYPT" else cbc.decrypt(iv, ct)
                else:
                    ecb = TripleDES_ECB(key)
                    got = ecb.encrypt(pt) if section.name == "ENCRYPT" else ecb.decrypt(ct)
                assert got == (ct if section.name == "ENCRYPT" else pt), case["COUNT"]
                count += 1
    assert count == 40


def test_3des_keying_option_2_is_allowed() -> None:
    k1, k2 = H("0123456789abcdef"), H("fedcba9876543210")
    cbc = TripleDES_CBC(k1 + k2 + k1)  # K1 = K3: SP 800-67 keying option 2
    assert cbc.decrypt(bytes(8), cbc.encrypt(bytes(8), bytes(16))) == bytes(16)


DEGENERATE = "degenerates to single DES"


@pytest.mark.parametrize("cls", [TripleDES_CBC, TripleDES_ECB])
def test_3des_refuses_degenerate_keys(cls: type[TripleDES_CBC] | type[TripleDES_ECB]) -> None:
    a, b, c = H("0123456789abcdef"), H("23456789abcdef01"), H("456789abcdef0123")
    for key in (a + a + c, a + c + c, a + a + a):
        with pytest.raises(ValueError, match=DEGENERATE):
            cls(key)
    # DES ignores the parity bit of each byte: keys equal but for those are equal.
    parity_flipped = bytes(x ^ 1 for x in a)
    with pytest.raises(ValueError, match=DEGENERATE):
        cls(a + parity_flipped + c)
    with pytest.raises(ValueError, match=DEGENERATE):
        cls(a + b + bytes(x ^ 1 for x in b))
    cls(a + b + c)  # distinct keys are fine


# -- rules: lengths ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [AES_ECB, AES_CBC, AES_CTR])
@pytest.mark.parametrize("size", [0, 1, 8, 15, 17, 23, 25, 31, 33, 48, 64])
def test_aes_key_sizes(cls: type[AES_ECB] | type[AES_CBC] | type[AES_CTR], size: int) -> None:
    with pytest.raises(ValueError, match="AES key must be 16, 24 or 32 bytes"):
        cls(bytes(size))


@pytest.mark.parametrize("size", [16, 24, 32])
def test_aes_good_key_sizes(size: int) -> None:
    assert len(AES_ECB(bytes(size)).encrypt(bytes(32))) == 32
    assert AES_CBC.block_size == AES_ECB.block_size == AES_CTR.block_size == 16


def test_aes_data_must_be_whole_blocks() -> None:
    ecb, cbc = AES_ECB(bytes(16)), AES_CBC(bytes(16))
    rule = "must be a whole number of 16-byte blocks"
    for n in (1, 15, 17, 33):
        with pytest.raises(ValueError, match=rule):
            ecb.encrypt(bytes(n))
        with pytest.raises(ValueError, match=rule):
            ecb.decrypt(bytes(n))
        with pytest.raises(ValueError, match=rule):
            cbc.encrypt(bytes(16), bytes(n))
        with pytest.raises(ValueError, match=rule):
            cbc.decrypt(bytes(16), bytes(n))
    assert ecb.encrypt(b"") == b"" and cbc.encrypt(bytes(16), b"") == b""


def test_aes_iv_and_counter_lengths() -> None:
    cbc, ctr = AES_CBC(bytes(16)), AES_CTR(bytes(16))
    for n in (0, 8, 12, 15, 17, 32):
        with pytest.raises(ValueError, match="AES-CBC iv must be 16 bytes"):
            cbc.encrypt(bytes(n), bytes(16))
        with pytest.raises(ValueError, match="AES-CBC iv must be 16 bytes"):
            cbc.decrypt(bytes(n), bytes(16))
        with pytest.raises(ValueError, match="AES-CTR counter block must be 16 bytes"):
            ctr.crypt(bytes(n), b"data")


def test_3des_lengths() -> None:
    good = bytes(range(24))
    for n in (0, 8, 16, 23, 25, 32):
        with pytest.raises(ValueError, match=r"3DES key must be 24 bytes \(K1 \|\| K2 \|\| K3\)"):
            TripleDES_CBC(bytes(range(n)))
        with pytest.raises(ValueError, match="3DES key must be 24 bytes"):
            TripleDES_ECB(bytes(range(n)))
    cbc, ecb = TripleDES_CBC(good), TripleDES_ECB(good)
    for n in (1, 7, 9, 15):
        with pytest.raises(ValueError, match="must be a whole number of 8-byte blocks"):
            cbc.encrypt(bytes(8), bytes(n))
        with pytest.raises(ValueError, match="must be a whole number of 8-byte blocks"):
            ecb.decrypt(bytes(n))
    for n in (0, 7, 9, 16):
        with pytest.raises(ValueError, match="3DES-CBC iv must be 8 bytes"):
            cbc.decrypt(bytes(n), bytes(8))
    assert TripleDES_CBC.block_size == TripleDES_ECB.block_size == 8


# -- rules: types --------------------------------------------------------------------------------

NOT_BYTES: list[object] = ["text", 42, None, [1, 2, 3], 1.5]


@pytest.mark.parametrize("bad", NOT_BYTES)
def test_non_bytes_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match="AES key must be bytes-like"):
        AES_ECB(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="3DES key must be bytes-like"):
        TripleDES_CBC(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bytes-like"):
        AES_ECB(bytes(16)).encrypt(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AES-CBC iv must be bytes-like"):
        AES_CBC(bytes(16)).encrypt(bad, bytes(16))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AES-CBC data must be bytes-like"):
        AES_CBC(bytes(16)).decrypt(bytes(16), bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AES-CTR counter block must be bytes-like"):
        AES_CTR(bytes(16)).crypt(bad, b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AES-CTR data must be bytes-like"):
        AES_CTR(bytes(16)).crypt(bytes(16), bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="3DES-CBC iv must be bytes-like"):
        TripleDES_CBC(bytes(range(24))).encrypt(bad, bytes(8))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="3DES-ECB data must be bytes-like"):
        TripleDES_ECB(bytes(range(24))).encrypt(bad)  # type: ignore[arg-type]


def test_bytes_like_arguments() -> None:
    key = bytes(range(16))
    data = bytes(range(64))
    expected_cbc = AES_CBC(key).encrypt(IV, data)
    for make in (bytearray, memoryview):
        assert AES_CBC(make(key)).encrypt(make(IV), make(data)) == expected_cbc
    # Any object with the buffer interface, counted in bytes; non-contiguous views too.
    assert AES_CBC(key).encrypt(IV, array.array("I", data)) == expected_cbc  # type: ignore[arg-type]
    strided = memoryview(bytes(b for b in data for _ in (0, 1)))[::2]
    assert AES_CBC(key).encrypt(IV, strided) == expected_cbc
    assert AES_CTR(key).crypt(bytearray(T1), memoryview(data)[3:]) == AES_CTR(key).crypt(
        T1, data[3:]
    )
    # The caller's buffer is not kept or changed.
    buf = bytearray(data)
    AES_ECB(key).encrypt(buf)
    assert buf == data


def test_objects_keep_no_per_message_state() -> None:
    cbc = AES_CBC(bytes(16))
    first = cbc.encrypt(IV, PLAINTEXT)
    assert cbc.encrypt(IV, PLAINTEXT) == first  # same inputs, same output
    ctr = AES_CTR(bytes(16))
    assert ctr.crypt(T1, PLAINTEXT) == ctr.crypt(T1, PLAINTEXT)
    with pytest.raises(AttributeError):
        cbc.extra = 1  # type: ignore[attr-defined]


# --- ChaCha20 ----------------------------------------------------------------------------


def test_chacha20_rfc8439_2_4_2() -> None:
    """RFC 8439 section 2.4.2: the sunscreen example, block counter 1."""
    key = bytes(range(32))
    nonce = bytes.fromhex("000000000000004a00000000")
    text = (
        b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
        b"the future, sunscreen would be it."
    )
    expected = bytes.fromhex(
        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
        "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
        "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
        "5af90bbf74a35be6b40b8eedf2785e42874d"
    )
    cipher = ciphers.ChaCha20(key)
    assert cipher.crypt(nonce, text, counter=1) == expected
    assert cipher.crypt(nonce, expected, counter=1) == text
    # A later counter continues the same key stream.
    assert cipher.crypt(nonce, text[64:], counter=2) == expected[64:]


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: ciphers.ChaCha20(bytes(16)), "key must be 32 bytes"),
        (lambda: ciphers.ChaCha20(bytes(32)).crypt(bytes(8), b"x"), "nonce must be 12 bytes"),
        (lambda: ciphers.ChaCha20(bytes(32)).crypt(bytes(12), b"x", -1), "counter"),
        (lambda: ciphers.ChaCha20(bytes(32)).crypt(bytes(12), bytes(65), 2**32 - 1), "wrap"),
    ],
)
def test_chacha20_rules(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
