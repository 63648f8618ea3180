"""RSA (``nocrypto.rsa``, RFC 8017): Wycheproof (every vector of ``rsa_signature_*``,
``rsa_pkcs1_*`` signature generation and decryption, ``rsa_pss_*``, ``rsa_oaep_*``), the
RFC 8017 / PKCS #1 text vectors of cryptography-vectors, the ``openssl`` command line both
ways, blinding, fault detection, the TLS decryption entry point and key validation.

Wycheproof "acceptable" vectors, decided:
- ``MissingNull`` (rsa_signature_*, tcId 8: a DigestInfo without the NULL parameters):
  rejected. Verification re-encodes the one DER DigestInfo of RFC 8017 9.2 and compares
  blocks; it never parses, so it accepts no alternative encoding.
- ``SmallIntegerCiphertext`` (rsa_oaep_misc: a constructed EM that is a small integer, so
  the ciphertext is too): decrypted like any other ciphertext below n (RFC 8017 7.1.2 asks
  only 0 <= c < n), giving the expected message.
- ``WeakHash`` / ``SmallModulus`` signature generation (SHA-1, 1024/1536-bit keys): signed,
  byte for byte as expected (loaded keys may have 1024 bits; generated ones have 2048+).

Files whose hash nocrypto.hashes does not provide (SHA-512/224, SHA-512/256, SHA-3): the
PKCS #1 v1.5 ones are checked through ``verify_digest`` with a digest from hashlib (the
DigestInfo prefixes are in nocrypto.rsa); PSS and OAEP need the hash itself and are
skipped with that reason. Under the python backend (the twins), the private-key files run
a fixed sample of their vectors.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from math import gcd
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn1
from nocrypto import _backend, hashes, rng, rsa
from tests.nocrypto.vectors import cryptography_vector, pycryptodome_vector, python_backend

QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=25)
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


def wycheproof_files(folder: str, prefix: str) -> list[str]:
    root = pycryptodome_vector(folder, "wycheproof")
    return sorted(p.name for p in root.glob(f"{prefix}*.json"))


def load(folder: str, name: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    data = json.loads(pycryptodome_vector(folder, "wycheproof", name).read_text())
    return [(group, test) for group in data["testGroups"] for test in group["tests"]]


def our_hash(wycheproof_name: str) -> str:
    """ "SHA-512/224" -> "sha512_224", "SHA3-256" -> "sha3_256", "SHA-1" -> "sha1"."""
    return wycheproof_name.lower().replace("/", "_").replace("sha-", "sha").replace("-", "_")


def supported(name: str) -> bool:
    return name in hashes.ALGORITHMS


def sample(tests: list[tuple[dict[str, Any], dict[str, Any]]], every: int) -> list[Any]:
    """All vectors natively; under the twins every *every*-th (and always the first)."""
    return tests[::every] if python_backend() else tests


def fixed(data: bytes) -> Callable[[int], bytes]:
    """A "random" source that gives *data* (a vector's salt or seed) when asked for that
    many bytes, and real random bytes otherwise (the blinding of a private operation)."""

    def draw(k: int) -> bytes:
        return data if k == len(data) else rng.generate(k)

    return draw


def recover_primes(n: int, e: int, d: int) -> tuple[int, int]:
    """p and q from (n, e, d) (NIST SP 800-56B rev. 2, Appendix C.2): e*d - 1 = 2^t * r;
    for g = 2, 3, ...: some g^(r * 2^i) is a square root of 1 other than +-1, and
    gcd(x - 1, n) splits n. (Wycheproof's signature-generation keys give only n, e, d.)"""
    k = d * e - 1
    t = (k & -k).bit_length() - 1
    r = k >> t
    for g in range(2, 1000):
        y = pow(g, r, n)
        for _ in range(t):
            x = y * y % n
            if x == 1 and y not in (1, n - 1):
                p = gcd(y - 1, n)
                return max(p, n // p), min(p, n // p)
            y = x
    raise AssertionError("no factor found")


def private_key_of(fields: dict[str, str]) -> rsa.RSAPrivateKey:
    n, e, d = (int(fields[f], 16) for f in ("modulus", "publicExponent", "privateExponent"))
    if "prime1" in fields:
        p, q, dp, dq, qinv = (
            int(fields[f], 16)
            for f in ("prime1", "prime2", "exponent1", "exponent2", "coefficient")
        )
        return rsa.RSAPrivateKey.from_numbers(n, e, d, p, q, dp, dq, qinv)
    p, q = recover_primes(n, e, d)
    return rsa.RSAPrivateKey.from_numbers(n, e, d, p, q)


def public_key_of(fields: dict[str, str]) -> rsa.RSAPublicKey:
    return rsa.RSAPublicKey(int(fields["modulus"], 16), int(fields["publicExponent"], 16))


# --- Wycheproof: RSASSA-PKCS1-v1_5 verification ---------------------------------------------


@pytest.mark.parametrize("name", wycheproof_files("Signature", "rsa_signature_"))
def test_wycheproof_pkcs1v15_verify(name: str) -> None:
    tests = sample(load("Signature", name), 4)
    assert tests
    keys: dict[str, rsa.RSAPublicKey] = {}
    for group, test in tests:
        key = keys.setdefault(group["publicKey"]["modulus"], public_key_of(group["publicKey"]))
        hash_name = our_hash(group["sha"])
        msg, sig = bytes.fromhex(test["msg"]), bytes.fromhex(test["sig"])
        if supported(hash_name):
            ok = key.verify(sig, msg, hash=hash_name)
            assert ok == key.verify_digest(sig, hashlib.new(hash_name, msg).digest(), hash_name)
        else:
            ok = key.verify_digest(sig, hashlib.new(hash_name, msg).digest(), hash=hash_name)
        # "acceptable" = MissingNull: rejected (see the module docstring).
        assert ok is (test["result"] == "valid"), (name, test["tcId"], test["comment"])


# --- Wycheproof: RSASSA-PKCS1-v1_5 signature generation ------------------------------------


@pytest.mark.parametrize("name", wycheproof_files("Signature", "rsa_pkcs1_"))
def test_wycheproof_pkcs1v15_sign(name: str) -> None:
    tests = sample(load("Signature", name), 6)
    assert tests
    keys: dict[str, rsa.RSAPrivateKey] = {}
    for group, test in tests:
        fields = group["privateKey"]
        key = keys.setdefault(fields["modulus"], private_key_of(fields))
        hash_name = our_hash(group["sha"])
        msg, sig = bytes.fromhex(test["msg"]), bytes.fromhex(test["sig"])
        assert test["result"] in ("valid", "acceptable")  # acceptable: WeakHash/SmallModulus
        if supported(hash_name):
            assert key.sign(msg, hash=hash_name) == sig, (name, test["tcId"])
            assert key.public_key().verify(sig, msg, hash=hash_name)
        digest = hashlib.new(hash_name, msg).digest()
        assert key.sign_digest(digest, hash=hash_name) == sig, (name, test["tcId"])


# --- Wycheproof: RSASSA-PSS verification ----------------------------------------------------


@pytest.mark.parametrize("name", wycheproof_files("Signature", "rsa_pss_"))
def test_wycheproof_pss_verify(name: str) -> None:
    tests = sample(load("Signature", name), 4)
    assert tests
    first = tests[0][0]
    if not all(supported(our_hash(g[k])) for g, _ in tests for k in ("sha", "mgfSha")):
        pytest.skip(f"{first['sha']} / {first['mgfSha']}: not provided by nocrypto.hashes")
    keys: dict[str, rsa.RSAPublicKey] = {}
    for group, test in tests:
        assert group["mgf"] == "MGF1"
        key = keys.setdefault(group["publicKey"]["modulus"], public_key_of(group["publicKey"]))
        msg, sig = bytes.fromhex(test["msg"]), bytes.fromhex(test["sig"])
        ok = key.verify(
            sig,
            msg,
            hash=our_hash(group["sha"]),
            padding="pss",
            salt_length=group["sLen"],
            mgf_hash=our_hash(group["mgfSha"]),
        )
        assert ok is (test["result"] == "valid"), (name, test["tcId"], test["comment"])
        if ok:  # a valid signature also verifies with the salt length recovered
            assert key.verify(
                sig,
                msg,
                hash=our_hash(group["sha"]),
                padding="pss",
                salt_length="auto",
                mgf_hash=our_hash(group["mgfSha"]),
            )


# --- Wycheproof: RSAES-OAEP and RSAES-PKCS1-v1_5 decryption ---------------------------------


@pytest.mark.parametrize("name", wycheproof_files("Cipher", "rsa_oaep_"))
def test_wycheproof_oaep_decrypt(name: str) -> None:
    tests = load("Cipher", name)
    first = tests[0][0]
    if not all(supported(our_hash(g[k])) for g, _ in tests for k in ("sha", "mgfSha")):
        pytest.skip(f"{first['sha']} / {first['mgfSha']}: not provided by nocrypto.hashes")
    tests = sample(tests, 25 if "misc" in name else 10)
    keys: dict[str, rsa.RSAPrivateKey] = {}
    for group, test in tests:
        key = keys.setdefault(group["privateKey"]["modulus"], private_key_of(group["privateKey"]))
        ct, label = bytes.fromhex(test["ct"]), bytes.fromhex(test["label"])
        sha, mgf = our_hash(group["sha"]), our_hash(group["mgfSha"])
        if test["result"] == "invalid":
            with pytest.raises(ValueError, match=r"^decryption error$"):
                key.decrypt(ct, padding="oaep", hash=sha, label=label, mgf_hash=mgf)
        else:  # valid, and the acceptable SmallIntegerCiphertext ones: decrypted
            msg = key.decrypt(ct, padding="oaep", hash=sha, label=label, mgf_hash=mgf)
            assert msg == bytes.fromhex(test["msg"]), (name, test["tcId"])


@pytest.mark.parametrize(
    "name", ["rsa_pkcs1_2048_test.json", "rsa_pkcs1_3072_test.json", "rsa_pkcs1_4096_test.json"]
)
def test_wycheproof_pkcs1v15_decrypt(name: str) -> None:
    """Every vector through decrypt (ValueError("decryption error") for each invalid one,
    one message for all) and through the TLS entry point (the message, or the fallback)."""
    tests = sample(load("Cipher", name), 8)
    assert tests
    keys: dict[str, rsa.RSAPrivateKey] = {}
    errors: set[str] = set()
    for group, test in tests:
        key = keys.setdefault(group["privateKey"]["modulus"], private_key_of(group["privateKey"]))
        ct, msg = bytes.fromhex(test["ct"]), bytes.fromhex(test["msg"])
        fallback = bytes(b ^ 0x5A for b in msg) or b"\x5a"
        if test["result"] == "valid":
            assert key.decrypt(ct, padding="pkcs1v15") == msg, (name, test["tcId"])
            if msg:
                assert key.decrypt_pkcs1v15_or(ct, fallback) == msg
        else:
            with pytest.raises(ValueError) as caught:
                key.decrypt(ct, padding="pkcs1v15")
            errors.add(str(caught.value))
            assert key.decrypt_pkcs1v15_or(ct, b"\x42" * 48) == b"\x42" * 48
    assert errors <= {"decryption error"}


# --- RFC 8017 / PKCS #1 text vectors (cryptography-vectors) -----------------------------------


KEY_FIELDS = {
    "modulus": "n",
    "public exponent": "e",
    "exponent": "d",  # in the private key block; in the public key block it is e
    "prime 1": "p",
    "prime 2": "q",
    "prime exponent 1": "dp",
    "prime exponent 2": "dq",
    "coefficient": "qinv",
}
EXAMPLE_FIELDS = {
    "message": "message",
    "message to be signed": "message",
    "signature": "signature",
    "encryption": "encryption",
    "salt": "salt",
    "seed": "seed",
}


def pkcs1_text_vectors(path: Path) -> Iterator[tuple[dict[str, int], list[dict[str, bytes]]]]:
    """The PKCS #1 v2.1 test vector files: per "# Example N: A ...-bit RSA key pair", the
    "# Public key" and "# Private key" blocks ("# Modulus:", ...), then examples, each
    starting with "# Message...:" and holding "# Signature:" / "# Encryption:" / "# Salt:" /
    "# Seed:"; every value is the hex block under its header."""
    key: dict[str, int] = {}
    examples: list[dict[str, bytes]] = []
    section = ""
    field: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        nonlocal field, buffer
        if field is not None:
            data = bytes.fromhex("".join(buffer))
            if section == "example":
                examples[-1][field] = data
            elif section == "public" and field == "exponent":
                key["e"] = int.from_bytes(data, "big")
            else:
                key[KEY_FIELDS[field]] = int.from_bytes(data, "big")
        field, buffer = None, []

    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if field is not None and line:
                buffer.append(line.replace(" ", ""))
            continue
        flush()
        text = line.lstrip("#").strip().rstrip(":").strip().lower()
        if text.startswith("example ") and "key pair" in text:
            if key:
                yield key, examples
            key, examples, section = {}, [], ""
        elif text == "public key":
            section = "public"
        elif text == "private key":
            section = "private"
        elif text in EXAMPLE_FIELDS:
            if EXAMPLE_FIELDS[text] == "message":
                examples.append({})
                section = "example"
            field = EXAMPLE_FIELDS[text]
        elif text in KEY_FIELDS and section in ("public", "private"):
            field = text
    flush()
    if key:
        yield key, examples


def test_rfc8017_pss_vectors() -> None:
    path = cryptography_vector("asymmetric", "RSA", "pkcs-1v2-1d2-vec", "pss-vect.txt")
    count = 0
    for numbers, examples in pkcs1_text_vectors(path):
        key = rsa.RSAPrivateKey.from_numbers(**numbers)
        for ex in examples:
            if "signature" not in ex:
                continue
            salt = ex["salt"]
            sig = key.sign(
                ex["message"],
                hash="sha1",
                padding="pss",
                salt_length=len(salt),
                random=fixed(salt),
            )
            assert sig == ex["signature"]
            assert key.public_key().verify(
                sig, ex["message"], hash="sha1", padding="pss", salt_length=len(salt)
            )
            count += 1
    assert count == 60


def test_rfc8017_oaep_vectors() -> None:
    path = cryptography_vector("asymmetric", "RSA", "pkcs-1v2-1d2-vec", "oaep-vect.txt")
    count = 0
    for numbers, examples in pkcs1_text_vectors(path):
        key = rsa.RSAPrivateKey.from_numbers(**numbers)
        for ex in examples:
            if "encryption" not in ex:
                continue
            seed = ex["seed"]
            ct = key.public_key().encrypt(ex["message"], hash="sha1", random=fixed(seed))
            assert ct == ex["encryption"]
            assert key.decrypt(ct, hash="sha1") == ex["message"]
            count += 1
    assert count == 60


def test_pkcs1v15_text_vectors() -> None:
    """pkcs1v15sign-vectors.txt (signatures) and pkcs1v15crypt-vectors.txt (decryption)."""
    signed = 0
    path = cryptography_vector("asymmetric", "RSA", "pkcs1v15sign-vectors.txt")
    for numbers, examples in pkcs1_text_vectors(path):
        key = rsa.RSAPrivateKey.from_numbers(**numbers)
        for ex in examples[:2] if python_backend() else examples:
            if "signature" in ex:
                assert key.sign(ex["message"], hash="sha1") == ex["signature"]
                signed += 1
    assert signed == (30 if python_backend() else 300)
    decrypted = 0
    path = cryptography_vector("asymmetric", "RSA", "pkcs1v15crypt-vectors.txt")
    for numbers, examples in pkcs1_text_vectors(path):
        key = rsa.RSAPrivateKey.from_numbers(**numbers)
        for ex in examples[:2] if python_backend() else examples:
            if "encryption" in ex:
                assert key.decrypt(ex["encryption"], padding="pkcs1v15") == ex["message"]
                decrypted += 1
    assert decrypted == (30 if python_backend() else 300)


def test_pkcs1v15_encryption_text_vectors() -> None:
    """The seeds of pkcs1v15crypt-vectors.txt are the PS octets: with them as the random
    source, encryption reproduces the ciphertext."""
    path = cryptography_vector("asymmetric", "RSA", "pkcs1v15crypt-vectors.txt")
    count = 0
    for numbers, examples in pkcs1_text_vectors(path):
        pub = rsa.RSAPublicKey(numbers["n"], numbers["e"])
        for ex in examples[:3] if python_backend() else examples:
            seed = ex["seed"]
            ct = pub.encrypt(ex["message"], padding="pkcs1v15", random=fixed(seed))
            assert ct == ex["encryption"]
            count += 1
    assert count >= 45


# --- keys made here ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    """One 2048-bit key for the module, from a seeded generator (reproducible)."""
    return rsa.RSAPrivateKey.generate(2048, random=rng.Fortuna(seed=b"test_rsa key").generate)


def seeded(label: bytes) -> rng.Fortuna:
    return rng.Fortuna(seed=label)


def test_generated_key_shape(key: rsa.RSAPrivateKey) -> None:
    numbers = key.private_numbers
    n, e, d, p, q = numbers.n, numbers.e, numbers.d, numbers.p, numbers.q
    assert n.bit_length() == 2048 and key.size_bits == 2048 and e == 65537
    assert p * q == n and p.bit_length() == q.bit_length() == 1024
    assert p >> 1022 == 0b11 and q >> 1022 == 0b11
    lam = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
    assert e * d % lam == 1 and d < lam and d > 1 << 1024  # FIPS 186-4 B.3.1: d > 2^(nlen/2)
    assert abs(p - q) > 1 << (1024 - 100)
    assert numbers.dp == d % (p - 1) and numbers.dq == d % (q - 1)
    assert numbers.qinv * q % p == 1
    assert key.public_numbers == rsa.RSAPublicNumbers(n, e)
    assert key.public_key() == rsa.RSAPublicKey(n, e)
    assert "d=" not in repr(key) and str(d) not in repr(numbers)


@pytest.mark.slow
def test_generate_is_deterministic_for_a_seeded_source(key: rsa.RSAPrivateKey) -> None:
    again = rsa.RSAPrivateKey.generate(2048, random=rng.Fortuna(seed=b"test_rsa key").generate)
    assert again.private_numbers == key.private_numbers


@pytest.mark.slow
@pytest.mark.parametrize("bits", [3072, 4096, 2056])
def test_generate_other_sizes(bits: int) -> None:
    made = rsa.RSAPrivateKey.generate(bits, random=seeded(b"size %d" % bits).generate)
    assert made.size_bits == bits
    assert made.public_key().verify(made.sign(b"m"), b"m")


@pytest.mark.parametrize(
    ("bits", "e"),
    [
        *[(bits, 65537) for bits in (1024, 2047, 2052, 4104, 8192)],
        *[(2048, e) for e in (3, 65536, 1 << 256 | 1, 65535)],
    ],
)
def test_generate_refuses(bits: int, e: int) -> None:
    with pytest.raises(ValueError, match="RSA: "):
        rsa.RSAPrivateKey.generate(bits, e)


# --- from_numbers validation ------------------------------------------------------------------


def test_from_numbers_round_trip(key: rsa.RSAPrivateKey) -> None:
    nums = key.private_numbers
    again = rsa.RSAPrivateKey.from_numbers(nums.n, nums.e, nums.d, nums.p, nums.q)
    assert again.private_numbers == nums
    swapped = rsa.RSAPrivateKey.from_numbers(nums.n, nums.e, nums.d, nums.q, nums.p)
    assert swapped.sign(b"x") == key.sign(b"x")
    # d may be given modulo phi(n) rather than lambda(n) (RFC 8017 allows either).
    phi = (nums.p - 1) * (nums.q - 1)
    d_phi = pow(nums.e, -1, phi)
    assert rsa.RSAPrivateKey.from_numbers(nums.n, nums.e, d_phi, nums.p, nums.q).sign(
        b"x"
    ) == key.sign(b"x")


def test_from_numbers_rules(key: rsa.RSAPrivateKey) -> None:
    k = key.private_numbers
    n, e, d, p, q = k.n, k.e, k.d, k.p, k.q
    cases: list[tuple[dict[str, int], str]] = [
        ({"n": n + 2}, "n must equal p \\* q"),
        ({"p": p + 2}, "n must equal p \\* q"),
        ({"p": q}, "n must equal p \\* q"),
        ({"e": e + 2}, "e \\* d must be 1 mod lambda"),
        ({"e": 65536}, "e must be odd"),
        ({"e": 1}, "e must be odd"),
        ({"d": d + 2}, "e \\* d must be 1 mod lambda"),
        ({"d": 0}, "0 < d < n"),
        ({"d": n + d}, "0 < d < n"),
        ({"dp": k.dp + 1}, "dP"),
        ({"dp": k.dp + p - 1}, "dP"),
        ({"dq": k.dq + 2}, "dQ"),
        ({"qinv": k.qinv + 1}, "qInv"),
        ({"qinv": k.qinv + p}, "qInv"),
    ]
    for change, message in cases:
        args = {"n": n, "e": e, "d": d, "p": p, "q": q, "dp": k.dp, "dq": k.dq, "qinv": k.qinv}
        args.update(change)
        with pytest.raises(ValueError, match=message):
            rsa.RSAPrivateKey.from_numbers(**args)
    with pytest.raises(ValueError, match="1024 to 8192 bits"):
        rsa.RSAPrivateKey.from_numbers(3233, 17, 413, 61, 53)
    with pytest.raises(TypeError):
        rsa.RSAPrivateKey.from_numbers(n, e, str(d), p, q)  # type: ignore[arg-type]


def test_public_key_rules() -> None:
    n = (2**1279 - 1) * (2**607 - 1)  # odd, 1886 bits
    assert rsa.RSAPublicKey(n, 3).size_bits == 1886
    for bad_n, message in [
        (n * 2, "odd"),
        (2**1022 + 1, "1024 to 8192"),
        (1 << 8192 | 1, "1024 to 8192"),
    ]:
        with pytest.raises(ValueError, match=message):
            rsa.RSAPublicKey(bad_n, 65537)
    for bad_e in (1, 2, 65536, n, n + 2):
        with pytest.raises(ValueError, match="e must be odd"):
            rsa.RSAPublicKey(n, bad_e)
    with pytest.raises(TypeError):
        rsa.RSAPublicKey(n, True)
    assert rsa.RSAPublicKey(n, 3) == rsa.RSAPublicKey(n, 3) != rsa.RSAPublicKey(n, 5)
    assert hash(rsa.RSAPublicKey(n, 3)) == hash(rsa.RSAPublicKey(n, 3))


# --- round trips and hostile input ------------------------------------------------------------

HASHES = ["sha1", "sha224", "sha256", "sha384", "sha512"]


@QUICK
@given(
    message=st.binary(max_size=300),
    hash_name=st.sampled_from([*HASHES, "md5"]),
    padding=st.sampled_from(["pkcs1v15", "pss"]),
)
def test_sign_verify_round_trip(
    key: rsa.RSAPrivateKey, message: bytes, hash_name: str, padding: rsa.SignaturePadding
) -> None:
    pub = key.public_key()
    sig = key.sign(message, hash=hash_name, padding=padding)
    assert len(sig) == 256
    assert pub.verify(sig, message, hash=hash_name, padding=padding)
    assert not pub.verify(sig, message + b"!", hash=hash_name, padding=padding)
    tampered = bytes([sig[0] ^ 1]) + sig[1:]
    assert not pub.verify(tampered, message, hash=hash_name, padding=padding)
    other = "pss" if padding == "pkcs1v15" else "pkcs1v15"
    assert not pub.verify(sig, message, hash=hash_name, padding=other)  # type: ignore[arg-type]


@QUICK
@given(
    message=st.binary(max_size=190),
    hash_name=st.sampled_from(HASHES),
    label=st.binary(max_size=40),
    padding=st.sampled_from(["oaep", "pkcs1v15"]),
)
def test_encrypt_decrypt_round_trip(
    key: rsa.RSAPrivateKey,
    message: bytes,
    hash_name: str,
    label: bytes,
    padding: rsa.EncryptionPadding,
) -> None:
    pub = key.public_key()
    h_len = hashlib.new(hash_name).digest_size
    limit = 256 - 2 * h_len - 2 if padding == "oaep" else 256 - 11
    if len(message) > limit:
        with pytest.raises(ValueError, match="message too long"):
            pub.encrypt(message, padding=padding, hash=hash_name, label=label)
        return
    ct = pub.encrypt(message, padding=padding, hash=hash_name, label=label)
    assert len(ct) == 256
    assert key.decrypt(ct, padding=padding, hash=hash_name, label=label) == message
    if padding == "oaep":
        with pytest.raises(ValueError, match=r"^decryption error$"):
            key.decrypt(ct, padding=padding, hash=hash_name, label=label + b"x")


@QUICK
@given(st.binary(max_size=600))
def test_verify_never_raises_on_garbage(key: rsa.RSAPrivateKey, garbage: bytes) -> None:
    pub = key.public_key()
    for padding in ("pkcs1v15", "pss"):
        assert pub.verify(garbage, b"message", padding=padding) is False
        assert pub.verify(garbage, b"message", padding=padding, salt_length="auto") is False


def test_verify_edge_values(key: rsa.RSAPrivateKey) -> None:
    pub = key.public_key()
    n = pub.n
    for s in (0, 1, n - 1, n, n + 1, (1 << 2048) - 1):
        sig = s.to_bytes(256, "big")
        for padding in ("pkcs1v15", "pss"):
            assert not pub.verify(sig, b"m", padding=padding)
    good = key.sign(b"m")
    assert pub.verify(good, b"m")
    assert not pub.verify(b"\x00" + good, b"m")  # length k + 1
    assert not pub.verify(good[1:], b"m")
    assert not pub.verify(good, b"m", hash="sha384")


def test_decrypt_rejects_uniformly(key: rsa.RSAPrivateKey) -> None:
    n = key.public_key().n
    bad = [b"", b"\x01" * 255, b"\x01" * 257, n.to_bytes(256, "big"), b"\xff" * 256]
    bad += [bytes(256), (1).to_bytes(256, "big"), bytes(range(256))]
    for padding in ("oaep", "pkcs1v15"):
        for ct in bad:
            with pytest.raises(ValueError, match=r"^decryption error$"):
                key.decrypt(ct, padding=padding)


def test_parameter_errors(key: rsa.RSAPrivateKey) -> None:
    pub = key.public_key()
    with pytest.raises(ValueError, match="unsupported hash"):
        pub.verify(b"", b"", hash="whirlpool")
    with pytest.raises(ValueError, match=r"not provided by nocrypto\.hashes"):
        pub.verify(b"", b"", hash="sha3-256")
    with pytest.raises(ValueError, match="padding"):
        pub.verify(b"", b"", padding="raw")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="padding"):
        pub.encrypt(b"", padding="pss")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="32 bytes"):
        pub.verify_digest(b"", b"short")
    with pytest.raises(ValueError, match="salt_length"):
        key.sign(b"", padding="pss", salt_length="auto")
    with pytest.raises(ValueError, match="salt_length"):
        pub.verify(b"", b"", padding="pss", salt_length=-1)
    with pytest.raises(TypeError):
        pub.verify("text", b"")  # type: ignore[arg-type]


def test_pss_salt_lengths(key: rsa.RSAPrivateKey) -> None:
    """Sign: digest length by default, any int, or "max" (emLen - hLen - 2 = 222 here).
    Verify: digest length by default, an exact int, "max", or "auto" (any)."""
    pub = key.public_key()
    msg = b"salted"
    for salt_length, expect_len in [(None, 32), (0, 0), (20, 20), ("max", 222)]:
        sig = key.sign(msg, padding="pss", salt_length=salt_length)  # type: ignore[arg-type]
        assert pub.verify(sig, msg, padding="pss", salt_length="auto")
        assert pub.verify(sig, msg, padding="pss", salt_length=expect_len)
        assert not pub.verify(sig, msg, padding="pss", salt_length=expect_len + 1)
        assert pub.verify(sig, msg, padding="pss") is (expect_len == 32)
        assert pub.verify(sig, msg, padding="pss", salt_length="max") is (expect_len == 222)
    with pytest.raises(ValueError, match="too small"):
        key.sign(msg, padding="pss", salt_length=223)
    # A distinct MGF1 hash (RFC 8017 allows it): both sides must agree.
    sig = key.sign(msg, hash="sha512", padding="pss", mgf_hash="sha1")
    assert pub.verify(sig, msg, hash="sha512", padding="pss", mgf_hash="sha1")
    assert not pub.verify(sig, msg, hash="sha512", padding="pss")


def test_pss_signatures_are_randomised_and_injectable(key: rsa.RSAPrivateKey) -> None:
    a = key.sign(b"m", padding="pss", random=seeded(b"salt").generate)
    b = key.sign(b"m", padding="pss", random=seeded(b"salt").generate)
    c = key.sign(b"m", padding="pss")
    assert a == b != c
    assert key.sign(b"m") == key.sign(b"m")  # PKCS #1 v1.5 is deterministic


# --- blinding and faults ----------------------------------------------------------------------


@QUICK
@given(st.integers(min_value=0))
def test_blinding_gives_the_unblinded_result(key: rsa.RSAPrivateKey, x: int) -> None:
    nums = key.private_numbers
    c = x % nums.n
    plain = pow(c, nums.d, nums.n)
    assert key._rsadp(c, rng.generate, blind=False) == plain
    assert key._rsadp(c, rng.generate) == plain


def test_blinding_pair_is_renewed(key: rsa.RSAPrivateKey) -> None:
    """A fresh pair (r^e, r^-1), then its squares after each operation, then a fresh pair
    after BLINDING_USES operations; each operation gives the unblinded result."""
    nums = key.private_numbers
    n, e = nums.n, nums.e
    key._blindings.clear()
    c = 0x1234567 % n
    plain = pow(c, nums.d, n)
    assert key._rsadp(c, rng.generate) == plain
    (state,) = key._blindings
    a1, ai1 = state.a, state.ai
    assert a1 * pow(ai1, e, n) % n == 1  # the square of (r^e, r^-1) is (s^e, s^-1), s = r^2
    assert state.uses == rsa.BLINDING_USES - 1
    assert key._rsadp(c, rng.generate) == plain
    (state,) = key._blindings
    assert (state.a, state.ai) == (a1 * a1 % n, ai1 * ai1 % n)
    for _ in range(rsa.BLINDING_USES - 2):
        assert key._rsadp(c, rng.generate) == plain
    assert key._blindings == []  # used up: dropped
    assert key._rsadp(c, rng.generate) == plain
    (state,) = key._blindings
    assert state.a * pow(state.ai, e, n) % n == 1
    assert state.a != pow(a1, 1 << (rsa.BLINDING_USES - 1), n)  # a fresh r
    assert state.uses == rsa.BLINDING_USES - 1


def test_blinding_pair_from_another_process_is_dropped(key: rsa.RSAPrivateKey) -> None:
    """A pair made before a fork (another pid) is never used by the child."""
    nums = key.private_numbers
    c = 0x7654321 % nums.n
    key._blindings.clear()
    assert key._rsadp(c, rng.generate) == pow(c, nums.d, nums.n)
    (state,) = key._blindings
    state.pid = -1
    old = state.a
    assert key._rsadp(c, rng.generate) == pow(c, nums.d, nums.n)
    (state,) = key._blindings
    assert state.pid != -1 and state.a != old * old % nums.n


def test_concurrent_private_operations_share_a_key(key: rsa.RSAPrivateKey) -> None:
    """Threads signing with one key at once (the kernel releases the GIL): every signature
    verifies, and at most one pair per thread is kept."""
    pub = key.public_key()
    key._blindings.clear()
    messages = [bytes([i]) * 10 for i in range(4)]
    results: dict[int, list[bytes]] = {}

    def work(i: int) -> None:
        results[i] = [key.sign(messages[i] + bytes([j])) for j in range(6)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, sigs in results.items():
        for j, sig in enumerate(sigs):
            assert pub.verify(sig, messages[i] + bytes([j]))
    assert sorted(results) == [0, 1, 2, 3]
    assert 1 <= len(key._blindings) <= 4


class FaultyKernel:
    """The real kernel, but the private operation runs with a fault in one CRT half (the
    exponent of the half modulo *victim* has its bit 1 flipped, as a glitch in that
    exponentiation would) or in the recombination (qInv): the kernel's own check must refuse
    to release the result (Boneh-DeMillo-Lipton)."""

    def __init__(self, victim: int | None) -> None:
        self.victim = victim
        self.real = _backend.mp()

    def mod_exp(self, base: int, exponent: int, modulus: int, exponent_bits: int) -> int:
        return self.real.mod_exp(base, exponent, modulus, exponent_bits)

    def mod_mul(self, a: int, b: int, modulus: int) -> int:
        return self.real.mod_mul(a, b, modulus)

    def mod_inverse(self, a: int, modulus: int) -> int:
        return self.real.mod_inverse(a, modulus)

    def rsa_crt(
        self,
        c: int,
        blind: int,
        unblind: int,
        n: int,
        e: int,
        p: int,
        q: int,
        dp: int,
        dq: int,
        qinv: int,
    ) -> tuple[int, int, int] | None:
        if self.victim == p:
            dp ^= 2
        elif self.victim == q:
            dq ^= 2
        else:
            qinv ^= 1
        return self.real.rsa_crt(c, blind, unblind, n, e, p, q, dp, dq, qinv)


@pytest.mark.parametrize("half", ["p", "q", "recombination"])
def test_fault_in_a_crt_half_is_caught(
    key: rsa.RSAPrivateKey, half: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pub = key.public_key()
    ct_oaep = pub.encrypt(b"secret")
    ct_tls = pub.encrypt(b"P" * 48, padding="pkcs1v15")
    victim = getattr(key.private_numbers, half, None)
    monkeypatch.setattr(rsa, "_mp", lambda: FaultyKernel(victim))
    for padding in ("pkcs1v15", "pss"):
        with pytest.raises(ValueError, match="fault"):
            key.sign(b"m", padding=padding)
    with pytest.raises(ValueError, match=r"^decryption error$"):
        key.decrypt(ct_oaep)
    assert key.decrypt_pkcs1v15_or(ct_tls, b"F" * 48) == b"F" * 48
    monkeypatch.undo()
    assert key.decrypt_pkcs1v15_or(ct_tls, b"F" * 48) == b"P" * 48


# --- the TLS entry point (RFC 5246 7.4.7.1) ---------------------------------------------------


def raw_encrypt(key: rsa.RSAPrivateKey, em: bytes) -> bytes:
    n, e = key.public_numbers.n, key.public_numbers.e
    return pow(int.from_bytes(em, "big"), e, n).to_bytes(256, "big")


def test_decrypt_pkcs1v15_or_padding_classes(key: rsa.RSAPrivateKey) -> None:
    """The message for a good block; the fallback for every malformed class."""
    message = bytes(range(1, 49))  # a 48-byte premaster
    fallback = b"\xee" * 48
    ps = b"\x5a" * (256 - 3 - 48)
    good = b"\x00\x02" + ps + b"\x00" + message
    assert key.decrypt_pkcs1v15_or(raw_encrypt(key, good), fallback) == message
    malformed = {
        "first byte not 0": b"\x01\x02" + ps + b"\x00" + message,
        "block type 1": b"\x00\x01" + ps + b"\x00" + message,
        "block type 0": b"\x00\x00" + ps + b"\x00" + message,
        "block type 3": b"\x00\x03" + ps + b"\x00" + message,
        "no zero separator": b"\x00\x02" + b"\x5a" * 254,
        "separator too late (message 47)": b"\x00\x02" + ps + b"\x5a" + b"\x00" + message[1:],
        "separator too early (message 49)": b"\x00\x02" + ps[:-1] + b"\x00" + b"\x01" + message,
        "short PS (zero at 9)": b"\x00\x02" + b"\x5a" * 7 + b"\x00" + bytes(246),
        "zero inside PS": b"\x00\x02" + ps[:50] + b"\x00" + ps[51:] + b"\x00" + message,
        "all zero": bytes(256),
    }
    for what, em in malformed.items():
        assert len(em) == 256, what
        assert key.decrypt_pkcs1v15_or(raw_encrypt(key, em), fallback) == fallback, what
    # Public failures: ciphertext length, c >= n, a fallback of unusable length.
    ct = raw_encrypt(key, good)
    n = key.public_numbers.n
    assert key.decrypt_pkcs1v15_or(ct[1:], fallback) == fallback
    assert key.decrypt_pkcs1v15_or(b"\x00" + ct, fallback) == fallback
    assert key.decrypt_pkcs1v15_or(n.to_bytes(256, "big"), fallback) == fallback
    assert key.decrypt_pkcs1v15_or(ct, b"") == b""
    # The fallback length decides what "the right length" means.
    short_message = b"\x00\x02" + b"\x5a" * (256 - 3 - 10) + b"\x00" + b"0123456789"
    ct10 = raw_encrypt(key, short_message)
    assert key.decrypt_pkcs1v15_or(ct10, b"f" * 10) == b"0123456789"
    assert key.decrypt_pkcs1v15_or(ct10, fallback) == fallback
    # The shortest PS allowed: 8 octets.
    longest = b"\x00\x02" + b"\x01" * 8 + b"\x00" + bytes(range(245))
    assert key.decrypt_pkcs1v15_or(raw_encrypt(key, longest), b"f" * 245) == bytes(range(245))
    assert key.decrypt(raw_encrypt(key, longest), padding="pkcs1v15") == bytes(range(245))


# --- openssl, both ways -------------------------------------------------------------------------

PKCS1_PRIVATE = asn1.sequence(
    *[(f, asn1.integer) for f in ("version", "n", "e", "d", "p", "q", "dp", "dq", "qinv")]
)


def openssl(
    *args: str, cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["openssl", *args], cwd=cwd, input=stdin, capture_output=True, timeout=60, check=False
    )


def write_key(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    """key.der: the PKCS #1 RSAPrivateKey (RFC 8017 A.1.2), built here with asn1; pub.pem
    derived from it by openssl."""
    k = key.private_numbers
    der = asn1.encode_der(PKCS1_PRIVATE, (0, k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qinv))
    (tmp_path / "key.der").write_bytes(der)
    made = openssl(
        "rsa", "-inform", "DER", "-in", "key.der", "-pubout", "-out", "pub.pem", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr


@needs_openssl
def test_openssl_accepts_our_key(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    write_key(key, tmp_path)
    checked = openssl("rsa", "-check", "-noout", "-inform", "DER", "-in", "key.der", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert b"RSA key ok" in checked.stdout


@needs_openssl
@pytest.mark.parametrize("hash_name", ["sha1", "sha256", "sha512"])
def test_openssl_verifies_our_signatures(
    key: rsa.RSAPrivateKey, tmp_path: Path, hash_name: str
) -> None:
    write_key(key, tmp_path)
    message = b"signed by nocrypto, checked by openssl"
    (tmp_path / "msg").write_bytes(message)
    for padding, opts in [
        ("pkcs1v15", []),
        ("pss", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]),
    ]:
        sig = key.sign(message, hash=hash_name, padding=padding)  # type: ignore[arg-type]
        (tmp_path / "sig").write_bytes(sig)
        ok = openssl(
            "dgst",
            f"-{hash_name}",
            *opts,
            "-verify",
            "pub.pem",
            "-signature",
            "sig",
            "msg",
            cwd=tmp_path,
        )
        assert ok.returncode == 0 and b"Verified OK" in ok.stdout, (padding, ok.stderr)
        (tmp_path / "sig").write_bytes(bytes([sig[0] ^ 1]) + sig[1:])
        bad = openssl(
            "dgst",
            f"-{hash_name}",
            *opts,
            "-verify",
            "pub.pem",
            "-signature",
            "sig",
            "msg",
            cwd=tmp_path,
        )
        assert bad.returncode != 0


@needs_openssl
def test_we_verify_openssl_signatures(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    write_key(key, tmp_path)
    message = b"signed by openssl, checked by nocrypto"
    (tmp_path / "msg").write_bytes(message)
    pub = key.public_key()
    for hash_name in ("sha256", "sha384"):
        for padding, opts in [
            ("pkcs1v15", []),
            ("pss", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:max"]),
        ]:
            made = openssl(
                "dgst",
                f"-{hash_name}",
                *opts,
                "-keyform",
                "DER",
                "-sign",
                "key.der",
                "-out",
                "sig",
                "msg",
                cwd=tmp_path,
            )
            assert made.returncode == 0, made.stderr
            sig = (tmp_path / "sig").read_bytes()
            mode: rsa.SignaturePadding = "pss" if padding == "pss" else "pkcs1v15"
            salt: rsa.SaltLength = "auto" if padding == "pss" else None
            assert pub.verify(sig, message, hash=hash_name, padding=mode, salt_length=salt)
            assert not pub.verify(
                sig, message + b".", hash=hash_name, padding=mode, salt_length=salt
            )


OAEP_OPTS = [
    "-pkeyopt",
    "rsa_padding_mode:oaep",
    "-pkeyopt",
    "rsa_oaep_md:sha256",
    "-pkeyopt",
    "rsa_mgf1_md:sha256",
]


@needs_openssl
def test_openssl_decrypts_our_ciphertexts(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    write_key(key, tmp_path)
    pub = key.public_key()
    message = b"encrypted by nocrypto"
    for padding, opts in [
        ("oaep", [*OAEP_OPTS, "-pkeyopt", "rsa_oaep_label:6c6162656c"]),
        ("pkcs1v15", ["-pkeyopt", "rsa_padding_mode:pkcs1"]),
    ]:
        ct = pub.encrypt(message, padding=padding, label=b"label")  # type: ignore[arg-type]
        (tmp_path / "ct").write_bytes(ct)
        out = openssl(
            "pkeyutl",
            "-decrypt",
            "-keyform",
            "DER",
            "-inkey",
            "key.der",
            "-in",
            "ct",
            *opts,
            cwd=tmp_path,
        )
        assert out.returncode == 0, (padding, out.stderr)
        assert out.stdout == message


@needs_openssl
def test_we_decrypt_openssl_ciphertexts(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    write_key(key, tmp_path)
    message = b"encrypted by openssl"
    (tmp_path / "msg").write_bytes(message)
    for padding, opts in [
        ("oaep", OAEP_OPTS),
        ("pkcs1v15", ["-pkeyopt", "rsa_padding_mode:pkcs1"]),
    ]:
        out = openssl(
            "pkeyutl",
            "-encrypt",
            "-pubin",
            "-inkey",
            "pub.pem",
            "-in",
            "msg",
            "-out",
            "ct",
            *opts,
            cwd=tmp_path,
        )
        assert out.returncode == 0, out.stderr
        ct = (tmp_path / "ct").read_bytes()
        assert key.decrypt(ct, padding=padding) == message  # type: ignore[arg-type]
        if padding == "pkcs1v15":
            assert key.decrypt_pkcs1v15_or(ct, b"x" * len(message)) == message


def test_md5sha1_signature_is_tls10_block_type_1(key: rsa.RSAPrivateKey) -> None:
    """RFC 2246 4.7: "md5sha1" signs MD5 || SHA-1 in a PKCS #1 type 1 block without a
    DigestInfo; checked against the raw RSA public operation."""
    import hashlib

    data = b"client_random || server_random || params"
    t = hashlib.md5(data).digest() + hashlib.sha1(data).digest()
    sig = key.sign_digest(t, "MD5-SHA1", "pkcs1v15")
    pub = key.public_key()
    k = pub.size_bytes
    em = pow(int.from_bytes(sig, "big"), pub.e, pub.n).to_bytes(k, "big")
    assert em == b"\x00\x01" + b"\xff" * (k - 39) + b"\x00" + t
    assert pub.verify_digest(sig, t, "md5sha1", "pkcs1v15")
    assert not pub.verify_digest(sig, t[:-1] + bytes([t[-1] ^ 1]), "md5sha1", "pkcs1v15")
    with pytest.raises(ValueError, match="36 bytes"):
        key.sign_digest(t[:20], "md5sha1", "pkcs1v15")
    with pytest.raises(ValueError):
        key.sign(data, "md5sha1")  # only for digests: no md5sha1 message hash here


def test_broken_random_source_fails_instead_of_looping(key: rsa.RSAPrivateKey) -> None:
    """A constant random source never yields a blinding value: the private operation
    raises ValueError after a bounded number of draws (it used to loop for ever)."""
    fresh = rsa.RSAPrivateKey.from_numbers(*_numbers_of(key))  # an empty blinding pool
    with pytest.raises(ValueError, match="random source"):
        fresh.sign(b"m", "sha256", random=lambda n: bytes(n))


def _numbers_of(key: rsa.RSAPrivateKey) -> tuple[int, int, int, int, int]:
    nums = key.private_numbers
    return nums.n, nums.e, nums.d, nums.p, nums.q
