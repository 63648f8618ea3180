"""ChaCha20, Poly1305 and the ChaCha20-Poly1305 kernel (RFC 8439): ``nocrypto._native.chacha``
(AVX2 and portable C paths) and its twin ``nocrypto._ref.chacha``.

Known answers: the RFC 8439 examples of §2.3.2, §2.4.2, §2.5.2, §2.6.2, §2.8.2 and the test
vectors of appendix A.1-A.5 (typed in from the RFC, or read from cryptography-vectors'
``ciphers/ChaCha20/rfc7539.txt``, ``poly1305/rfc7539.txt`` and
``ciphers/ChaCha20Poly1305/{openssl,boringssl}.txt``). Then the C kernel against its twin
on random inputs, on both C paths. The public AEAD class is tested in ``test_aead.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import _backend
from nocrypto._ref import chacha as ref
from tests.nocrypto.vectors import cryptography_vector, load_nist

PYTHON_ONLY_RUN = os.environ.get(_backend.ENV_VAR) == "python"

#: Both C paths: "hardware" (AVX2 where the CPU has it) and "portable" (restrict_hw(0)).
PATHS = ["hardware", "portable"]


def native_module() -> ModuleType:
    """``nocrypto._native.chacha``; skip under a python-only run, else fail if not built."""
    if PYTHON_ONLY_RUN:
        # restrict_hw is a no-op there, and the pure-Python pass is about the twins
        pytest.skip(f"{_backend.ENV_VAR}=python for this run: native kernel not tested")
    try:
        from nocrypto._native import chacha
    except ImportError as exc:
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return chacha


@pytest.fixture(params=PATHS)
def native(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """The native kernel with the hardware paths allowed, or restricted to portable C."""
    module = native_module()
    if request.param == "portable":
        _backend.restrict_hw(0)
    try:
        yield module
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


def kernels() -> list[ModuleType]:
    """The twin, and the native kernel unless this is a python-only run."""
    if PYTHON_ONLY_RUN:
        return [ref]
    return [ref, native_module()]


def test_avx2_path_is_exercised() -> None:
    """The hardware run really uses AVX2 when this CPU has it (else only portable is tested:
    say so instead of passing silently)."""
    native_module()
    if not _backend.hw_features() & _backend.HW_AVX2:
        pytest.skip("this CPU (or the current mask) has no AVX2: only the portable C path runs")
    _backend.restrict_hw(0)
    try:
        assert _backend.hw_features() & _backend.HW_AVX2 == 0
    finally:
        _backend.restrict_hw(0xFFFFFFFF)
    assert _backend.hw_features() & _backend.HW_AVX2


# -- RFC 8439 examples, typed in --------------------------------------------------------------

KEY_00_1F = bytes(range(32))
SUNSCREEN = (
    b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
    b"future, sunscreen would be it."
)


def test_rfc8439_2_3_2_block_function() -> None:
    """§2.3.2: the serialized block for key 00..1f, nonce 00000009 0000004a 00000000,
    counter 1."""
    expected = bytes.fromhex(
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"
    )
    nonce = bytes.fromhex("000000090000004a00000000")
    assert ref.chacha20_block(KEY_00_1F, 1, nonce) == expected
    for kernel in kernels():
        assert kernel.chacha20_xor(KEY_00_1F, 1, nonce, bytes(64)) == expected


def test_rfc8439_2_4_2_encryption() -> None:
    """§2.4.2: the sunscreen text, counter 1, nonce 00000000 0000004a 00000000."""
    nonce = bytes.fromhex("000000000000004a00000000")
    expected = bytes.fromhex(
        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
        "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
        "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
        "5af90bbf74a35be6b40b8eedf2785e42874d"
    )
    for kernel in kernels():
        assert kernel.chacha20_xor(KEY_00_1F, 1, nonce, SUNSCREEN) == expected
        assert kernel.chacha20_xor(KEY_00_1F, 1, nonce, expected) == SUNSCREEN


def test_rfc8439_2_5_2_poly1305() -> None:
    """§2.5.2: "Cryptographic Forum Research Group"."""
    key = bytes.fromhex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b")
    tag = bytes.fromhex("a8061dc1305136c6c22b8baf0c0127a9")
    for kernel in kernels():
        assert kernel.poly1305(key, b"Cryptographic Forum Research Group") == tag


def test_rfc8439_2_6_2_poly1305_key_generation() -> None:
    """§2.6.2: the one-time key is the first 32 bytes of block 0."""
    key = bytes(range(0x80, 0xA0))
    nonce = bytes.fromhex("000000000001020304050607")
    expected = bytes.fromhex("8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646")
    for kernel in kernels():
        assert kernel.chacha20_xor(key, 0, nonce, bytes(32)) == expected


def test_rfc8439_2_8_2_aead() -> None:
    """§2.8.2: the sunscreen text sealed with key 80..9f."""
    key = bytes(range(0x80, 0xA0))
    nonce = bytes.fromhex("070000004041424344454647")
    aad = bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
    ciphertext = bytes.fromhex(
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        "3ff4def08e4b7a9de576d26586cec64b6116"
    )
    tag = bytes.fromhex("1ae10b594f09e26a7e902ecbd0600691")
    for kernel in kernels():
        assert kernel.chacha20_poly1305_seal(key, nonce, aad, SUNSCREEN) == ciphertext + tag
        assert kernel.chacha20_poly1305_open(key, nonce, aad, ciphertext, tag) == SUNSCREEN


#: Appendix A.1: keystream blocks (key, nonce, counter, block), typed in from the RFC.
A1_BLOCKS = [
    (
        bytes(32),
        bytes(12),
        0,
        "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
        "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586",
    ),
    (
        bytes(32),
        bytes(12),
        1,
        "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
        "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f",
    ),
    (
        bytes(31) + b"\x01",
        bytes(12),
        1,
        "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
        "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0",
    ),
    (
        b"\x00\xff" + bytes(30),
        bytes(12),
        2,
        "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
        "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096",
    ),
    (
        bytes(32),
        bytes(11) + b"\x02",
        0,
        "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
        "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d",
    ),
]


@pytest.mark.parametrize(("key", "nonce", "counter", "block"), A1_BLOCKS)
def test_rfc8439_a1_block_function(key: bytes, nonce: bytes, counter: int, block: str) -> None:
    assert ref.chacha20_block(key, counter, nonce).hex() == block
    for kernel in kernels():
        assert kernel.chacha20_xor(key, counter, nonce, bytes(64)).hex() == block


def test_rfc8439_a2_encryption_vectors() -> None:
    """Appendix A.2, from cryptography-vectors (every case of the file)."""
    cases = [
        c
        for s in load_nist(cryptography_vector("ciphers", "ChaCha20", "rfc7539.txt"))
        for c in s.cases
    ]
    assert len(cases) == 3
    for case in cases:
        key = bytes.fromhex(case["KEY"])
        nonce = bytes.fromhex(case["NONCE"])
        counter = int(case["INITIAL_BLOCK_COUNTER"])
        plaintext = bytes.fromhex(case["PLAINTEXT"])
        ciphertext = bytes.fromhex(case["CIPHERTEXT"])
        for kernel in kernels():
            assert kernel.chacha20_xor(key, counter, nonce, plaintext) == ciphertext


def test_rfc8439_poly1305_vectors() -> None:
    """§2.5.2 and appendix A.3 (with its edge cases for the reduction), from
    cryptography-vectors (every case of the file)."""
    cases = [c for s in load_nist(cryptography_vector("poly1305", "rfc7539.txt")) for c in s.cases]
    assert len(cases) >= 11
    for case in cases:
        key = bytes.fromhex(case["KEY"])
        msg = bytes.fromhex(case["MSG"])
        for kernel in kernels():
            assert kernel.poly1305(key, msg).hex() == case["TAG"].lower(), case["COUNT"]


def test_rfc8439_a4_poly1305_key_generation() -> None:
    """Appendix A.4: Poly1305 one-time keys (first 32 bytes of block 0)."""
    vectors = [
        (bytes(32), bytes(12), "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"),
        (
            bytes(31) + b"\x01",
            bytes(11) + b"\x02",
            "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739",
        ),
        (
            bytes.fromhex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"),
            bytes(11) + b"\x02",
            "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae",
        ),
    ]
    for key, nonce, polykey in vectors:
        for kernel in kernels():
            assert kernel.chacha20_xor(key, 0, nonce, bytes(32)).hex() == polykey


def _text_or_hex(value: str) -> bytes:
    """boringssl.txt writes some values as quoted text."""
    if value.startswith('"') and value.endswith('"'):
        return value[1:-1].encode()
    return bytes.fromhex(value)


def test_aead_vectors_openssl() -> None:
    """OpenSSL's evpciph vectors (the first is RFC 8439 appendix A.5); a
    ``Result = CIPHERFINAL_ERROR`` case has a bad tag and must be rejected."""
    path = cryptography_vector("ciphers", "ChaCha20Poly1305", "openssl.txt")
    cases = [c for s in load_nist(path) for c in s.cases]
    assert len(cases) >= 5
    for case in cases:
        key, nonce = bytes.fromhex(case["Key"]), bytes.fromhex(case["IV"])
        aad, tag = bytes.fromhex(case["AAD"]), bytes.fromhex(case["Tag"])
        plaintext = bytes.fromhex(case["Plaintext"])
        ciphertext = bytes.fromhex(case["Ciphertext"])
        for kernel in kernels():
            opened = kernel.chacha20_poly1305_open(key, nonce, aad, ciphertext, tag)
            if case.get("Result") == "CIPHERFINAL_ERROR":
                assert opened is None
            else:
                assert opened == plaintext
                assert kernel.chacha20_poly1305_seal(key, nonce, aad, plaintext) == (
                    ciphertext + tag
                )


def test_aead_vectors_boringssl() -> None:
    """BoringSSL's vectors (the first is RFC 8439 §2.8.2; then padding edge cases and random
    lengths)."""
    path = cryptography_vector("ciphers", "ChaCha20Poly1305", "boringssl.txt")
    cases = [c for s in load_nist(path) for c in s.cases]
    assert len(cases) == 66
    for case in cases:
        key, nonce = bytes.fromhex(case["KEY"]), bytes.fromhex(case["NONCE"])
        plaintext, aad = _text_or_hex(case["IN"]), _text_or_hex(case["AD"])
        ciphertext, tag = _text_or_hex(case["CT"]), bytes.fromhex(case["TAG"])
        for kernel in kernels():
            assert kernel.chacha20_poly1305_seal(key, nonce, aad, plaintext) == ciphertext + tag
            assert kernel.chacha20_poly1305_open(key, nonce, aad, ciphertext, tag) == plaintext


# -- argument checks ---------------------------------------------------------------------------


def test_argument_checks() -> None:
    for kernel in kernels():
        with pytest.raises(ValueError, match="key must be 32 bytes"):
            kernel.chacha20_xor(bytes(31), 0, bytes(12), b"x")
        with pytest.raises(ValueError, match="nonce must be 12 bytes"):
            kernel.chacha20_xor(bytes(32), 0, bytes(8), b"x")
        with pytest.raises(ValueError, match="32-bit"):
            kernel.chacha20_xor(bytes(32), 2**32, bytes(12), b"x")
        with pytest.raises(ValueError, match="32-bit"):
            kernel.chacha20_xor(bytes(32), -1, bytes(12), b"x")
        with pytest.raises(ValueError, match="one-time key must be 32 bytes"):
            kernel.poly1305(bytes(16), b"x")
        with pytest.raises(ValueError, match="nonce must be 12 bytes"):
            kernel.chacha20_poly1305_seal(bytes(32), bytes(24), b"", b"x")
        with pytest.raises(ValueError, match="tag must be 16 bytes"):
            kernel.chacha20_poly1305_open(bytes(32), bytes(12), b"", b"x", bytes(12))


def test_buffers_accepted() -> None:
    """bytearray and memoryview inputs give the same results as bytes."""
    key, nonce = bytes(range(32)), bytes(12)
    data = bytes(range(200))
    for kernel in kernels():
        expected = kernel.chacha20_xor(key, 7, nonce, data)
        assert kernel.chacha20_xor(key, 7, nonce, bytearray(data)) == expected
        assert kernel.chacha20_xor(key, 7, nonce, memoryview(data)) == expected
        sealed = kernel.chacha20_poly1305_seal(key, nonce, b"ad", data)
        assert kernel.chacha20_poly1305_seal(key, nonce, bytearray(b"ad"), memoryview(data)) == (
            sealed
        )
        assert kernel.poly1305(key, bytearray(data)) == kernel.poly1305(key, data)


# -- the C kernel against its twin ---------------------------------------------------------------

#: Lengths around the 64-byte block, the AVX2 tails (portable up to 128 bytes, the 4-block
#: row layout up to 256, an 8-block batch of 512 beyond), the AEAD's first call (row layout
#: up to 192 message bytes, else a batch covering 448), and Poly1305's 16-byte block and
#: 4-block (64-byte) loop.
LENGTHS = st.one_of(
    st.integers(min_value=0, max_value=130),
    st.sampled_from(
        [191, 192, 193, 255, 256, 257, 447, 448, 449, 511, 512, 513, 640, 641, 768, 769, 1024]
    ),
    st.integers(min_value=130, max_value=1600),
)


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    n = draw(LENGTHS)
    return draw(st.binary(min_size=n, max_size=n))


KEYS = st.binary(min_size=32, max_size=32)
NONCES = st.binary(min_size=12, max_size=12)
COUNTERS = st.one_of(
    st.integers(min_value=0, max_value=2**32 - 1),
    st.sampled_from([0, 1, 2**32 - 1, 2**32 - 2, 2**32 - 8, 2**32 - 9]),
)


def test_chacha20_matches_twin(native: ModuleType) -> None:
    """Also across the wrap of the 32-bit counter (the kernels wrap modulo 2**32)."""

    @settings(max_examples=150, deadline=None)
    @given(KEYS, COUNTERS, NONCES, messages())
    def check(key: bytes, counter: int, nonce: bytes, data: bytes) -> None:
        assert native.chacha20_xor(key, counter, nonce, data) == ref.chacha20_xor(
            key, counter, nonce, data
        )

    check()


def test_poly1305_matches_twin(native: ModuleType) -> None:
    special = st.sampled_from([b"\xff" * 32, b"\xff" * 16 + bytes(16), bytes(32)])

    @settings(max_examples=200, deadline=None)
    @given(st.one_of(KEYS, special), st.one_of(messages(), st.sampled_from([b"\xff" * 1024])))
    def check(key: bytes, message: bytes) -> None:
        assert native.poly1305(key, message) == ref.poly1305(key, message)

    check()


def test_aead_matches_twin(native: ModuleType) -> None:
    @settings(max_examples=100, deadline=None)
    @given(KEYS, NONCES, st.binary(max_size=70), messages())
    def check(key: bytes, nonce: bytes, aad: bytes, plaintext: bytes) -> None:
        sealed = native.chacha20_poly1305_seal(key, nonce, aad, plaintext)
        assert sealed == ref.chacha20_poly1305_seal(key, nonce, aad, plaintext)
        ciphertext, tag = sealed[:-16], sealed[-16:]
        assert native.chacha20_poly1305_open(key, nonce, aad, ciphertext, tag) == plaintext
        bad = bytes([tag[0] ^ 1]) + tag[1:]
        assert native.chacha20_poly1305_open(key, nonce, aad, ciphertext, bad) is None
        assert ref.chacha20_poly1305_open(key, nonce, aad, ciphertext, bad) is None

    check()


def test_avx2_matches_portable_directly() -> None:
    """The AVX2 and portable C paths of the same build give the same bytes (each also
    matches the twin above; this compares them with no twin in between)."""
    native = native_module()
    key, nonce = os.urandom(32), os.urandom(12)
    for n in (0, 1, 63, 64, 65, 128, 129, 192, 193, 256, 257, 448, 449, 512, 513, 4096 + 17):
        data = os.urandom(n)
        for counter in (0, 1, 2**32 - 3):
            fast = native.chacha20_xor(key, counter, nonce, data)
            sealed = native.chacha20_poly1305_seal(key, nonce, b"aad", data)
            _backend.restrict_hw(0)
            try:
                assert native.chacha20_xor(key, counter, nonce, data) == fast
                assert native.chacha20_poly1305_seal(key, nonce, b"aad", data) == sealed
            finally:
                _backend.restrict_hw(0xFFFFFFFF)


def test_open_writes_no_plaintext_on_failure() -> None:
    """The raw C call leaves the output buffer untouched when the tag is wrong."""
    native_module()
    from nocrypto._native._nocrypto import ffi, lib

    key, nonce = os.urandom(32), os.urandom(12)
    data = os.urandom(1000)
    sealed = ref.chacha20_poly1305_seal(key, nonce, b"", data)
    for mask in (0xFFFFFFFF, 0):
        _backend.restrict_hw(mask)
        try:
            out = ffi.new("uint8_t[]", 1000)  # zeroed
            bad = bytes([sealed[-1] ^ 0x80])
            ok = lib.nocrypto_chacha20_poly1305_open(
                key, nonce, b"", 0, sealed[:-16], 1000, sealed[-16:-1] + bad, out
            )
            assert ok == 0
            assert bytes(ffi.buffer(out)) == bytes(1000)
            ok = lib.nocrypto_chacha20_poly1305_open(
                key, nonce, b"", 0, sealed[:-16], 1000, sealed[-16:], out
            )
            assert ok == 1
            assert bytes(ffi.buffer(out)) == data
        finally:
            _backend.restrict_hw(0xFFFFFFFF)
