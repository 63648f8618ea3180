"""ECDH and ECDSA over P-256, P-384, P-521 (nocrypto.ec): Wycheproof (every ECDSA file, DER
and P1363, and every ECDH file: SubjectPublicKeyInfo, PEM, raw point, JWK), RFC 6979 A.2.5-
A.2.7, the FIPS 186-3 CAVP files (SigVer, SigGen, KeyPair, PKV) and the KAS ECC CDH primitive
vectors, the openssl command line both ways, rejection tables for encodings and keys,
hostile signatures, and hypothesis round trips.

Decisions on Wycheproof's "acceptable" vectors (the only ones are in the ECDH files):
- ``CompressedPublic``: accepted; SEC 1 2.3.4 compressed points are supported, so the
  shared secret must be the expected one.
- ``UnnamedCurve`` (the curve given by explicit parameters in the SubjectPublicKeyInfo):
  rejected; like RFC 5480 2.1.1 this reader takes only a namedCurve.
- ``InvalidAsn`` / ``InvalidPem`` (BER-only or malformed encodings of the key): rejected by
  the strict DER decoder of ``asn1`` (DESIGN.md principle 6).
ECDSA DER signatures are decoded strictly too: any non-DER encoding is invalid.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn1
from nocrypto import ec, hashes, rng
from nocrypto._ref import ecp as ref_ecp
from nocrypto.ec import P256, P384, P521, Curve, ECPrivateKey, ECPublicKey
from tests.nocrypto.vectors import (
    cryptography_vector,
    load_nist,
    load_nist_dsa,
    pycryptodome_vector,
    python_backend,
)

CURVES = (P256, P384, P521)
BY_NAME = {c.name: c for c in CURVES}
WYCHEPROOF_CURVES = {"secp256r1": P256, "secp384r1": P384, "secp521r1": P521}

#: In the reduced (pure-Python) pass, every STRIDE-th vector of the large files.
STRIDE = 31 if python_backend() else 1
#: Fewer hypothesis examples for the slow twins.
EXAMPLES = 5 if python_backend() else 15


def stride(items: list[Any]) -> list[Any]:
    return items[::STRIDE]


# --- ASN.1 for the tests only (key formats are x509's business) -----------------------------

ECDSA_SIG_VALUE = asn1.sequence(("r", asn1.integer), ("s", asn1.integer))  # SEC 1 C.8
ALGORITHM_IDENTIFIER = asn1.sequence(
    ("algorithm", asn1.object_identifier), asn1.optional("parameters", asn1.any)
)
SUBJECT_PUBLIC_KEY_INFO = asn1.sequence(  # RFC 5280 4.1, RFC 5480 2
    ("algorithm", ALGORITHM_IDENTIFIER), ("subjectPublicKey", asn1.bit_string)
)
EC_PRIVATE_KEY = asn1.sequence(  # RFC 5915 3
    ("version", asn1.integer),
    ("privateKey", asn1.octet_string),
    asn1.optional("parameters", asn1.explicit(0, asn1.any)),
    asn1.optional("publicKey", asn1.explicit(1, asn1.bit_string)),
)
PRIVATE_KEY_INFO = asn1.sequence(  # RFC 5208 5 (no attributes)
    ("version", asn1.integer),
    ("privateKeyAlgorithm", ALGORITHM_IDENTIFIER),
    ("privateKey", asn1.octet_string),
)
ID_EC_PUBLIC_KEY = asn1.OID("1.2.840.10045.2.1")


def named_curve(curve: Curve) -> bytes:
    return asn1.encode_der(asn1.object_identifier, asn1.OID(curve.oid))


def spki_der(key: ECPublicKey, compressed: bool = False) -> bytes:
    bits = asn1.BitString(key.to_bytes(compressed))
    return asn1.encode_der(
        SUBJECT_PUBLIC_KEY_INFO, ((ID_EC_PUBLIC_KEY, named_curve(key.curve)), bits)
    )


def pkcs8_der(key: ECPrivateKey) -> bytes:
    inner = asn1.encode_der(
        EC_PRIVATE_KEY, (1, key.to_bytes(), None, asn1.BitString(key.public_key().to_bytes()))
    )
    return asn1.encode_der(PRIVATE_KEY_INFO, (0, (ID_EC_PUBLIC_KEY, named_curve(key.curve)), inner))


def read_spki(curve: Curve, der: bytes) -> ECPublicKey:
    """An EC public key of *curve* from a strict-DER SubjectPublicKeyInfo with a namedCurve
    (RFC 5480 2.1.1); ValueError for anything else."""
    (algorithm, parameters), bits = asn1.decode_der(SUBJECT_PUBLIC_KEY_INFO, der)
    if algorithm != ID_EC_PUBLIC_KEY:
        raise ValueError("not id-ecPublicKey")
    if parameters != named_curve(curve):
        raise ValueError("not the namedCurve of this curve")
    if bits.unused:
        raise ValueError("the point is not a whole number of octets")
    return ECPublicKey.from_bytes(curve, bits.data)


def read_pkcs8(der: bytes) -> tuple[Curve, int]:
    """(curve, d) from a PKCS#8 PrivateKeyInfo holding an RFC 5915 ECPrivateKey."""
    version, (algorithm, parameters), inner = asn1.decode_der(PRIVATE_KEY_INFO, der)
    if version != 0 or algorithm != ID_EC_PUBLIC_KEY:
        raise ValueError("not an EC PKCS#8 key")
    curve = next(c for c in CURVES if parameters == named_curve(c))
    version, private, _, _ = asn1.decode_der(EC_PRIVATE_KEY, inner)
    if version != 1:
        raise ValueError("ECPrivateKey version must be 1")
    return curve, int.from_bytes(private, "big")


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read_jwk_public(curve: Curve, jwk: dict[str, str]) -> ECPublicKey:
    """RFC 7518 6.2.1: kty EC, crv the curve's name, x and y the full-length coordinates."""
    if jwk.get("kty") != "EC" or jwk.get("crv") != curve.name:
        raise ValueError("JWK: not a key of this curve")
    x, y = b64url(jwk["x"]), b64url(jwk["y"])
    if len(x) != curve.size or len(y) != curve.size:
        raise ValueError("JWK: coordinates must have the full length (RFC 7518 6.2.1.2)")
    return ECPublicKey(curve, int.from_bytes(x, "big"), int.from_bytes(y, "big"))


def digest_of(hash_name: str, message: bytes) -> bytes:
    """The hash of *message*: nocrypto for SHA-1/SHA-2, hashlib for SHA-3 (which nocrypto
    does not implement; ECDSA itself only sees the digest, through verify_digest)."""
    name = hash_name.lower()
    if name.startswith("sha3-"):
        return hashlib.new(name.replace("sha3-", "sha3_"), message).digest()
    return hashes.new(name.replace("-", ""), message).digest()


# --- curve descriptors -----------------------------------------------------------------------


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_curve_descriptors(curve: Curve) -> None:
    twin = ref_ecp.CURVES[curve.name]
    assert (curve.p, curve.b, curve.n, curve.gx, curve.gy) == (
        twin.p,
        twin.b,
        twin.n,
        twin.gx,
        twin.gy,
    )
    assert curve.a == curve.p - 3 and curve.h == 1
    assert curve.size == (curve.p.bit_length() + 7) // 8 == twin.size
    assert (curve.gx, curve.gy) == curve.G and curve.contains(*curve.G)
    assert curve.bits == {"P-256": 256, "P-384": 384, "P-521": 521}[curve.name]
    assert curve.hash == {"P-256": "sha256", "P-384": "sha384", "P-521": "sha512"}[curve.name]
    assert ec.CURVES[curve.name] is curve
    assert repr(curve) == f"Curve({curve.name})"
    # The base point as a key: 1 G.
    assert ECPrivateKey(curve, 1).public_key() == ECPublicKey(curve, curve.gx, curve.gy)
    assert ECPrivateKey(curve, curve.n - 1).public_key().y == curve.p - curve.gy


# --- Wycheproof ECDSA -----------------------------------------------------------------------


def ecdsa_files() -> list[str]:
    folder = pycryptodome_vector("Signature", "wycheproof")
    return sorted(
        path.name for curve in WYCHEPROOF_CURVES for path in folder.glob(f"ecdsa_{curve}_*.json")
    )


def wycheproof_json(folder: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(pycryptodome_vector(folder, "wycheproof", name).read_text())
    return data


def test_ecdsa_file_list_is_complete() -> None:
    names = ecdsa_files()
    assert len(names) == 16  # 6 P-256, 7 P-384, 3 P-521 files in this release
    assert sum("p1363" in n for n in names) == 5


@pytest.mark.parametrize("name", ecdsa_files())
def test_wycheproof_ecdsa(name: str) -> None:
    data = wycheproof_json("Signature", name)
    p1363 = "p1363" in name
    keys: dict[int, ECPublicKey] = {}
    pairs = [(g, t) for g in data["testGroups"] for t in g["tests"]]
    for group, test in stride(pairs):
        key_info = group["publicKey"] if "publicKey" in group else group["key"]
        curve = WYCHEPROOF_CURVES[key_info["curve"]]
        if id(group) not in keys:
            public = ECPublicKey.from_bytes(curve, bytes.fromhex(key_info["uncompressed"]))
            assert public == read_spki(curve, bytes.fromhex(group["publicKeyDer"]))
            keys[id(group)] = public
        public = keys[id(group)]
        digest = digest_of(group["sha"], bytes.fromhex(test["msg"]))
        signature: bytes | tuple[int, int] | None
        raw = bytes.fromhex(test["sig"])
        if p1363:
            signature = raw
        else:
            try:
                signature = asn1.decode_der(ECDSA_SIG_VALUE, raw)
            except asn1.DecodeError:
                signature = None  # not DER: invalid
        ok = signature is not None and public.verify_digest(signature, digest)
        assert test["result"] in ("valid", "invalid"), test
        assert ok is (test["result"] == "valid"), (name, test["tcId"], test["comment"])
    assert len(pairs) == data["numberOfTests"]


# --- Wycheproof ECDH --------------------------------------------------------------------------


def ecdh_files() -> list[str]:
    folder = pycryptodome_vector("Protocol", "wycheproof")
    return sorted(
        path.name for curve in WYCHEPROOF_CURVES for path in folder.glob(f"ecdh_{curve}_*.json")
    )


def test_ecdh_file_list_is_complete() -> None:
    names = ecdh_files()
    assert len(names) == 12  # test (SPKI), pem, ecpoint, webcrypto for each curve
    for curve in WYCHEPROOF_CURVES:
        for kind in ("test", "pem_test", "ecpoint_test", "webcrypto_test"):
            assert f"ecdh_{curve}_{kind}.json" in names


def ecdh_inputs(
    kind: str, curve: Curve, test: dict[str, Any]
) -> tuple[Callable[[], ECPublicKey], Callable[[], int]]:
    """How to read the public and the private key of one vector of a file *kind*."""
    public, private = test["public"], test["private"]
    if kind == "ecpoint":
        return (
            lambda: ECPublicKey.from_bytes(curve, bytes.fromhex(public)),
            lambda: int(private, 16),
        )
    if kind == "webcrypto":
        return lambda: read_jwk_public(curve, public), lambda: int.from_bytes(
            b64url(private["d"]), "big"
        )
    if kind == "pem":

        def from_pem() -> int:
            found, d = read_pkcs8(asn1.pem.decode_one(private, "PRIVATE KEY"))
            assert found == curve
            return d

        return (
            lambda: read_spki(curve, asn1.pem.decode_one(public, "PUBLIC KEY")),
            from_pem,
        )
    return lambda: read_spki(curve, bytes.fromhex(public)), lambda: int(private, 16)


def exchange_or_none(
    curve: Curve, public: Callable[[], ECPublicKey], private: Callable[[], int]
) -> bytes | None:
    key = ECPrivateKey(curve, private())  # the private keys are all well formed
    try:
        peer = public()
    except ValueError:
        return None
    return key.exchange(peer)


@pytest.mark.parametrize("name", ecdh_files())
def test_wycheproof_ecdh(name: str) -> None:
    data = wycheproof_json("Protocol", name)
    kind = {
        "EcdhTest": "spki",
        "EcdhPemTest": "pem",
        "EcdhEcpointTest": "ecpoint",
        "EcdhWebcryptoTest": "webcrypto",
    }[data["testGroups"][0]["type"]]
    counts = {"valid": 0, "invalid": 0, "acceptable": 0}
    pairs = [(g, t) for g in data["testGroups"] for t in g["tests"]]
    assert len(pairs) == data["numberOfTests"]
    for group, test in stride(pairs):
        curve = WYCHEPROOF_CURVES.get(group["curve"]) or BY_NAME[group["curve"]]
        public, private = ecdh_inputs(kind, curve, test)
        shared = exchange_or_none(curve, public, private)
        flags = set(test["flags"])
        where = (name, test["tcId"], test["comment"])
        result = test["result"]
        counts[result] += 1
        if result == "valid":
            assert shared == bytes.fromhex(test["shared"]), where
        elif result == "invalid":
            assert shared is None, where
        elif "CompressedPublic" in flags:  # acceptable: compressed points are supported
            assert shared == bytes.fromhex(test["shared"]), where
        else:  # acceptable: explicit curve parameters, or not strict DER / PEM
            assert flags & {"UnnamedCurve", "InvalidAsn", "InvalidPem"}, where
            assert shared is None, where
    assert counts["valid"] > 0 and (counts["invalid"] > 0 or STRIDE > 1)


# --- RFC 6979 A.2.5-A.2.7 (OpenSSL's evp test file of the RFC's vectors) -------------------


def rfc6979_blocks() -> Iterator[dict[str, str]]:
    """The blank-line separated blocks of evppkey_ecdsa_rfc6979.txt as dictionaries; a PEM
    block is kept whole under the key "PEM"."""
    text = cryptography_vector("asymmetric", "ECDSA", "RFC6979", "evppkey_ecdsa_rfc6979.txt")
    for block in text.read_text().split("\n\n"):
        entry: dict[str, str] = {}
        lines = [line for line in block.strip().splitlines() if not line.startswith("#")]
        for i, line in enumerate(lines):
            if line.startswith("-----BEGIN"):
                entry["PEM"] = "\n".join(lines[i:]) + "\n"
                break
            key, sep, value = line.partition("=")
            if sep:
                entry[key.strip()] = value.strip()
        if entry:
            yield entry


@cache
def rfc6979_cases() -> tuple[dict[str, ECPrivateKey], list[dict[str, str]]]:
    keys: dict[str, ECPrivateKey] = {}
    publics: dict[str, bytes] = {}
    cases = []
    for block in rfc6979_blocks():
        if "PrivateKey" in block and block["PrivateKey"][:5] in BY_NAME:
            curve, d = read_pkcs8(asn1.pem.decode_one(block["PEM"], "PRIVATE KEY"))
            assert curve.name == block["PrivateKey"][:5]
            keys[block["PrivateKey"]] = ECPrivateKey(curve, d)
        elif "PublicKey" in block and block["PublicKey"][:5] in BY_NAME:
            publics[block["PublicKey"]] = asn1.pem.decode_one(block["PEM"], "PUBLIC KEY")
        elif block.get("Key", "")[:5] in BY_NAME:
            cases.append(block)
    for name, der in publics.items():
        key = keys[name.replace("_PUB", "_PRIV")]
        assert read_spki(key.curve, der) == key.public_key()
    return keys, cases


def test_rfc6979_vectors() -> None:
    keys, cases = rfc6979_cases()
    assert len(keys) == 3
    signed = verified = 0
    for case in cases:
        hash_name = (case.get("DigestSign") or case["DigestVerify"]).lower()
        message = case["Input"].strip('"').encode()
        expected = bytes.fromhex(case["Output"])
        key = keys[case["Key"].replace("_PUB", "_PRIV")]
        if "DigestSign" in case:
            assert case["NonceType"] == "deterministic"
            signature = key.sign(message, hash_name)
            assert asn1.encode_der(ECDSA_SIG_VALUE, signature) == expected, case
            signed += 1
        else:
            r, s = asn1.decode_der(ECDSA_SIG_VALUE, expected)
            good = case.get("Result") != "VERIFY_ERROR"
            assert key.public_key().verify((r, s), message, hash_name) is good, case
            verified += 1
    # A.2.5-A.2.7: three curves x five hashes x two messages.
    assert signed == 30 and verified == 60


def test_rfc6979_a25_typed() -> None:
    """RFC 6979 A.2.5 (P-256), as printed in the RFC: the key pair and the SHA-256
    signatures of "sample" and "test"."""
    key = ECPrivateKey(P256, 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721)
    public = key.public_key()
    assert public.x == 0x60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6
    assert public.y == 0x7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299
    assert key.sign(b"sample", "sha256") == (
        0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716,
        0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8,
    )
    assert key.sign(b"test", "sha256") == (
        0xF1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367,
        0x019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083,
    )


# --- FIPS 186-3 CAVP and KAS ECC CDH ------------------------------------------------------------


def ecdsa_cavp(name: str) -> Path:
    return cryptography_vector("asymmetric", "ECDSA", "FIPS_186-3", name)


def cavp_sections(name: str) -> Iterator[tuple[Curve, str, list[dict[str, str]]]]:
    """(curve, hash name, cases) of the P-256/384/521 sections of a SigVer/SigGen file."""
    for section in load_nist_dsa(ecdsa_cavp(name)):
        curve_name, _, sha = section.name.partition(",")
        if curve_name in BY_NAME:
            yield BY_NAME[curve_name], sha.lower().replace("-", ""), section.cases


def test_cavp_sigver() -> None:
    seen = 0
    for curve, hash_name, cases in cavp_sections("SigVer.rsp"):
        for case in stride(cases):
            digest = hashes.new(hash_name, bytes.fromhex(case["Msg"])).digest()
            try:
                public = ECPublicKey(curve, int(case["Qx"], 16), int(case["Qy"], 16))
            except ValueError:
                ok = False  # "Q changed" may leave the curve
            else:
                ok = public.verify_digest((int(case["R"], 16), int(case["S"], 16)), digest)
            assert ok is case["Result"].startswith("P"), (curve.name, hash_name, case)
            seen += 1
    assert seen >= (3 * 5 * 15) // STRIDE


def test_cavp_siggen_known_nonces() -> None:
    """SigGen.txt gives d and the nonce k: (r, s) must come out exactly."""
    seen = 0
    for curve, hash_name, cases in cavp_sections("SigGen.txt"):
        for case in stride(cases):
            key = ECPrivateKey(curve, int(case["d"], 16))
            assert key.public_key() == ECPublicKey(curve, int(case["Qx"], 16), int(case["Qy"], 16))
            digest = hashes.new(hash_name, bytes.fromhex(case["Msg"])).digest()
            signature = key.sign_digest(digest, k=int(case["k"], 16))
            assert signature == (int(case["R"], 16), int(case["S"], 16)), case
            assert key.public_key().verify_digest(signature, digest)
            seen += 1
    assert seen >= (3 * 5 * 15) // STRIDE


def test_cavp_siggen_signatures_verify() -> None:
    seen = 0
    for curve, hash_name, cases in cavp_sections("SigGen.rsp"):
        for case in stride(cases):
            public = ECPublicKey(curve, int(case["Qx"], 16), int(case["Qy"], 16))
            message = bytes.fromhex(case["Msg"])
            signature = (int(case["R"], 16), int(case["S"], 16))
            assert public.verify(signature, message, hash_name)
            assert not public.verify(signature, message + b"\x00", hash_name)
            seen += 1
    assert seen >= (3 * 5 * 10) // STRIDE


def curve_blocks(path: Path) -> Iterator[tuple[Curve, dict[str, str]]]:
    """(curve, case) of the files whose cases follow a bare ``[P-256]`` header, possibly with
    a second header under it (KeyPair.rsp's ``[B.4.2 ...]``), which load_nist would take
    for the section's name."""
    curve: Curve | None = None
    case: dict[str, str] = {}
    for raw in [*path.read_text().splitlines(), ""]:
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1]
            if name[:1] in "PKB" and name[1:2] == "-":
                curve = BY_NAME.get(name)
            continue
        key, sep, value = line.partition("=")
        if sep:
            case[key.strip()] = value.strip()
        elif not line and case:
            if curve is not None:
                yield curve, case
            case = {}


def test_cavp_keypair() -> None:
    seen = set()
    for curve, case in curve_blocks(ecdsa_cavp("KeyPair.rsp")):
        if "d" not in case:
            continue  # the "N = 10" line
        key = ECPrivateKey(curve, int(case["d"], 16))
        assert key.public_key() == ECPublicKey(curve, int(case["Qx"], 16), int(case["Qy"], 16))
        seen.add(curve.name)
    assert seen == set(BY_NAME)


def test_cavp_pkv() -> None:
    results = {"P": 0, "F": 0}
    for curve, case in curve_blocks(ecdsa_cavp("PKV.rsp")):
        x, y = int(case["Qx"], 16), int(case["Qy"], 16)
        expected = case["Result"][0]
        try:
            ECPublicKey(curve, x, y)
            got = "P"
        except ValueError:
            got = "F"
        assert got == expected, (curve.name, case)
        # The same point through the octet-string decoder, when it fits.
        if x.bit_length() <= 8 * curve.size and y.bit_length() <= 8 * curve.size:
            data = b"\x04" + x.to_bytes(curve.size, "big") + y.to_bytes(curve.size, "big")
            try:
                ECPublicKey.from_bytes(curve, data)
                assert expected == "P"
            except ValueError:
                assert expected == "F"
        results[expected] += 1
    assert results["P"] > 0 and results["F"] > 0


def test_kas_ecc_cdh_primitive() -> None:
    path = pycryptodome_vector("Protocol", "KAS_ECC_CDH_PrimitiveTest.txt")
    seen = 0
    for section in load_nist(path):
        curve = BY_NAME.get(section.name)
        if curve is None:
            continue
        for case in stride(section.cases):
            key = ECPrivateKey(curve, int(case["dIUT"], 16))
            assert key.public_key() == ECPublicKey(
                curve, int(case["QIUTx"], 16), int(case["QIUTy"], 16)
            )
            peer = ECPublicKey(curve, int(case["QCAVSx"], 16), int(case["QCAVSy"], 16))
            assert key.exchange(peer) == bytes.fromhex(case["ZIUT"]), case["COUNT"]
            seen += 1
    assert seen >= 75 // STRIDE


# --- rejection tables ---------------------------------------------------------------------------


def bad_encodings(curve: Curve) -> list[tuple[bytes, str]]:
    """(encoding, fragment of the ValueError) for SEC 1 2.3.4 decoding."""
    size = curve.size
    gx, gy = curve.gx, curve.gy
    x_bytes = gx.to_bytes(size, "big")
    good = b"\x04" + x_bytes + gy.to_bytes(size, "big")
    # an x with no point (x^3 - 3x + b is not a square): the smallest one
    p = curve.p
    x_none = next(
        x for x in range(1, 100) if pow((x**3 - 3 * x + curve.b) % p, (p - 1) // 2, p) != 1
    )
    rows = [
        (b"", "empty encoding"),
        (b"\x00", "point at infinity"),
        (b"\x00" * (1 + 2 * size), "bad encoding"),
        (b"\x00" + good[1:], "bad encoding"),
        (b"\x01" + good[1:], "unknown point encoding 0x01"),
        (b"\x05" + good[1:], "unknown point encoding 0x05"),
        (b"\x06" + good[1:], "unknown point encoding 0x06"),
        (b"\x07" + good[1:], "unknown point encoding 0x07"),
        (good[:-1], "uncompressed .* has"),
        (good + b"\x00", "uncompressed .* has"),
        (b"\x04", "uncompressed .* has"),
        (b"\x04" + x_bytes, "uncompressed .* has"),
        (b"\x02" + x_bytes + b"\x00", "compressed .* has"),
        (b"\x03" + x_bytes[1:], "compressed .* has"),
        (b"\x02", "compressed .* has"),
        (good[: 1 + size] + (gy + 1).to_bytes(size, "big"), "not on"),
        (b"\x04" + bytes(2 * size), "not on"),
        (b"\x04" + curve.p.to_bytes(size, "big") + gy.to_bytes(size, "big"), r"\[0, p\)"),
        (b"\x04" + x_bytes + curve.p.to_bytes(size, "big"), r"\[0, p\)"),
        (b"\x04" + b"\xff" * (2 * size), r"\[0, p\)"),
        (b"\x02" + curve.p.to_bytes(size, "big"), r"x must be in \[0, p\)"),
        (b"\x03" + b"\xff" * size, r"x must be in \[0, p\)"),
        (b"\x02" + x_none.to_bytes(size, "big"), "no point"),
        (b"\x03" + x_none.to_bytes(size, "big"), "no point"),
    ]
    if curve.p + gx < 2 ** (8 * size):  # P-521: x + p and y + p fit in 66 bytes
        rows.append(
            (b"\x04" + (gx + curve.p).to_bytes(size, "big") + good[1 + size :], r"\[0, p\)")
        )
        rows.append((good[: 1 + size] + (gy + curve.p).to_bytes(size, "big"), r"\[0, p\)"))
        rows.append((b"\x02" + (gx + curve.p).to_bytes(size, "big"), r"x must be in \[0, p\)"))
    return rows


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_from_bytes_rejections(curve: Curve) -> None:
    for data, fragment in bad_encodings(curve):
        with pytest.raises(ValueError, match=fragment):
            ECPublicKey.from_bytes(curve, data)


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_from_bytes_accepts_both_forms(curve: Curve) -> None:
    for k in (1, 2, 3, curve.n - 1, 0xDEADBEEF):
        public = ECPrivateKey(curve, k).public_key()
        for compressed in (False, True):
            data = public.to_bytes(compressed)
            assert len(data) == (1 + curve.size if compressed else 1 + 2 * curve.size)
            assert data[0] == (2 | (public.y & 1) if compressed else 4)
            assert ECPublicKey.from_bytes(curve, data) == public
            assert ECPublicKey.from_bytes(curve, bytearray(data)) == public
    # The wrong parity prefix gives the other point with the same x: -Q.
    public = ECPrivateKey(curve, 5).public_key()
    flipped = bytes([public.to_bytes(True)[0] ^ 1]) + public.to_bytes(True)[1:]
    assert ECPublicKey.from_bytes(curve, flipped) == ECPrivateKey(curve, curve.n - 5).public_key()


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_public_key_constructor_rejections(curve: Curve) -> None:
    gx, gy, p = curve.gx, curve.gy, curve.p
    for x, y, fragment in [
        (gx, gy + 1, "not on"),
        (0, 0, "not on"),
        (gx, gy + p, r"\[0, p\)"),
        (gx + p, gy, r"\[0, p\)"),
        (-gx, gy, r"\[0, p\)"),
        (gx, -gy, r"\[0, p\)"),
        (gx, p - gy + p, r"\[0, p\)"),
    ]:
        with pytest.raises(ValueError, match=fragment):
            ECPublicKey(curve, x, y)
    with pytest.raises(TypeError, match="ints"):
        ECPublicKey(curve, float(gx), gy)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ints"):
        ECPublicKey(curve, True, gy)
    with pytest.raises(TypeError, match="Curve"):
        ECPublicKey("P-256", gx, gy)  # type: ignore[arg-type]
    other = Curve(
        "P-256", curve.p, curve.a, curve.b, gx, gy, curve.n + 2, 1, curve.size, "sha256", "1.2"
    )
    with pytest.raises(ValueError, match="only the curves"):
        ECPublicKey(other, gx, gy)


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_private_key_rejections(curve: Curve) -> None:
    for d in (0, -1, curve.n, curve.n + 1, 2 ** (8 * curve.size)):
        with pytest.raises(ValueError, match="0 < d < n"):
            ECPrivateKey(curve, d)
    with pytest.raises(TypeError, match="int"):
        ECPrivateKey(curve, 1.0)  # type: ignore[arg-type]
    size = (curve.bits + 7) // 8
    with pytest.raises(ValueError, match=f"has {size} bytes"):
        ECPrivateKey.from_bytes(curve, bytes(size - 1) + b"\x01" * 2)
    with pytest.raises(ValueError, match="0 < d < n"):
        ECPrivateKey.from_bytes(curve, curve.n.to_bytes(size, "big"))
    key = ECPrivateKey.from_bytes(curve, (7).to_bytes(size, "big"))
    assert key.d == 7 and key.to_bytes() == (7).to_bytes(size, "big")
    assert "d=" not in repr(key) and str(7) not in repr(key).replace(curve.name, "")


def test_exchange_rejections() -> None:
    key = ECPrivateKey(P256, 12345)
    with pytest.raises(ValueError, match="is on P-384"):
        key.exchange(ECPrivateKey(P384, 2).public_key())
    with pytest.raises(TypeError, match="ECPublicKey"):
        key.exchange(b"\x04" + bytes(64))  # type: ignore[arg-type]


def test_sign_rejections() -> None:
    key = ECPrivateKey(P256, 12345)
    with pytest.raises(ValueError, match="unsupported hash"):
        key.sign(b"m", "md5")
    with pytest.raises(ValueError, match="unsupported hash"):
        key.public_key().verify((1, 1), b"m", "sha3-256")
    with pytest.raises(ValueError, match="0 < k < n"):
        key.sign(b"m", k=0)
    with pytest.raises(ValueError, match="0 < k < n"):
        key.sign(b"m", k=P256.n)
    with pytest.raises(ValueError, match="no approved hash has 17-byte"):
        key.sign_digest(bytes(17))
    # The digest length picks the RFC 6979 hash: the same as naming it.
    digest = hashes.sha384(b"m").digest()
    assert key.sign_digest(digest) == key.sign_digest(digest, "sha384") == key.sign(b"m", "SHA-384")


def test_sign_needs_no_randomness() -> None:
    """The nonce is RFC 6979's and the kernel's arithmetic is constant time: no blinding, so
    signing never calls the random source."""

    def refuse(n: int) -> bytes:
        raise AssertionError(f"ECDSA signing asked for {n} random bytes")

    for curve in CURVES:
        key = ECPrivateKey(curve, 0xC0FFEE)
        signature = key.sign(b"message", random=refuse)
        assert key.public_key().verify(signature, b"message")
        assert key.sign_digest(bytes(32), "sha256", k=7, random=refuse) == key.sign_digest(
            bytes(32), "sha256", k=7
        )


def test_sign_with_k_giving_s_zero() -> None:
    """s = k^-1 (e + r d) = 0 when e = -r d mod n: the explicit nonce is refused."""
    d, k = 2, 3
    key = ECPrivateKey(P256, d)
    point = ref_ecp.ec_mul_base("P-256", k.to_bytes(32, "big"))
    assert point is not None
    r = int.from_bytes(point[1:33], "big") % P256.n
    e = -r * d % P256.n
    with pytest.raises(ValueError, match="r = 0 or s = 0"):
        key.sign_digest(e.to_bytes(32, "big"), k=k)


# --- hostile signatures never raise -------------------------------------------------------------

HOSTILE: list[object] = [
    None,
    b"",
    b"\x00" * 64,
    b"\xff" * 64,
    b"\x00" * 63,
    "(1, 1)",
    (1,),
    (1, 2, 3),
    (1.0, 2.0),
    (True, 1),
    (0, 1),
    (1, 0),
    (-1, 1),
    (P256.n, 1),
    (1, P256.n),
    (2**600, 1),
    [1, 1],
    {"r": 1, "s": 1},
    object(),
]


def test_hostile_signatures_are_false() -> None:
    key = ECPrivateKey(P256, 777)
    public = key.public_key()
    for signature in HOSTILE:
        assert public.verify(signature, b"message") is False  # type: ignore[arg-type]
        assert public.verify_digest(signature, bytes(32)) is False  # type: ignore[arg-type]
    good = key.sign(b"message")
    assert public.verify_digest(good, "not bytes") is False  # type: ignore[arg-type]
    assert public.verify(good, "text") is False  # type: ignore[arg-type]
    assert public.verify(good, b"message")
    assert public.verify(ec.encode_p1363(good, P256), b"message")
    assert public.verify(bytearray(ec.encode_p1363(good, P256)), b"message")


@settings(max_examples=60)
@given(
    signature=st.one_of(
        st.binary(max_size=140),
        st.tuples(st.integers(), st.integers()),
        st.tuples(st.integers(0, P256.n), st.integers(0, P256.n)),
        st.none(),
        st.text(max_size=10),
    ),
    digest=st.binary(max_size=80),
)
def test_verify_never_raises(signature: object, digest: bytes) -> None:
    public = ECPrivateKey(P256, 99).public_key()
    assert public.verify_digest(signature, digest) is False  # type: ignore[arg-type]


def test_p1363_helpers() -> None:
    for curve in CURVES:
        size = (curve.bits + 7) // 8
        data = ec.encode_p1363((1, curve.n - 1), curve)
        assert len(data) == 2 * size
        assert ec.decode_p1363(data, curve) == (1, curve.n - 1)
        with pytest.raises(ValueError, match=f"has {2 * size} bytes"):
            ec.decode_p1363(data[1:], curve)
        for bad in ((0, 1), (1, curve.n), (-1, 1)):
            with pytest.raises(ValueError, match="0 < r < n"):
                ec.encode_p1363(bad, curve)


# --- key generation -------------------------------------------------------------------------------


def counting_random(chunks: list[bytes]) -> Callable[[int], bytes]:
    it = iter(chunks)

    def random(n: int) -> bytes:
        chunk = next(it)
        assert len(chunk) == n
        return chunk

    return random


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_generate_testing_candidates(curve: Curve) -> None:
    """FIPS 186-4 B.4.2: c = the leftmost len(n) bits of the random string; rejected while
    c > n - 2; d = c + 1."""
    nbytes = (curve.bits + 7) // 8
    random = counting_random([b"\xff" * nbytes, bytes(nbytes)])
    assert ECPrivateKey.generate(curve, random=random).d == 1
    n_minus_2 = (curve.n - 2) << (8 * nbytes - curve.bits)
    random = counting_random([n_minus_2.to_bytes(nbytes, "big")])
    assert ECPrivateKey.generate(curve, random=random).d == curve.n - 1
    with pytest.raises(ValueError, match="returned"):
        ECPrivateKey.generate(curve, random=lambda n: bytes(n - 1))
    with pytest.raises(RuntimeError, match="keeps failing"):
        ECPrivateKey.generate(curve, random=lambda n: b"\xff" * n)
    seeded = [ECPrivateKey.generate(curve, random=rng.Fortuna(seed=b"k").generate) for _ in "ab"]
    assert seeded[0] == seeded[1]
    assert ECPrivateKey.generate(curve) != ECPrivateKey.generate(curve)


# --- round trips ------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    curve=st.sampled_from(CURVES),
    seed=st.binary(min_size=1, max_size=8),
    message=st.binary(max_size=200),
    hash_name=st.sampled_from(["sha1", "sha224", "sha256", "sha384", "sha512"]),
)
def test_sign_verify_round_trip(curve: Curve, seed: bytes, message: bytes, hash_name: str) -> None:
    key = ECPrivateKey.generate(curve, random=rng.Fortuna(seed=seed).generate)
    public = key.public_key()
    signature = key.sign(message, hash_name)
    assert public.verify(signature, message, hash_name)
    # Deterministic nonces; the random source (unused by ECDSA) does not change the signature.
    assert key.sign(message, hash_name, random=rng.Fortuna(seed=b"other").generate) == signature
    assert not public.verify(signature, message + b"!", hash_name)
    r, s = signature
    # ECDSA is malleable: (r, n - s) is valid too (R and -R have the same x).
    assert public.verify((r, curve.n - s), message, hash_name)
    assert not public.verify((r, s ^ 1), message, hash_name)
    assert not public.verify((s, r), message, hash_name) or r == s
    assert public.verify(ec.encode_p1363(signature, curve), message, hash_name)
    other = ECPrivateKey(curve, key.d % (curve.n - 1) + 1 if key.d != curve.n - 1 else 1)
    assert not other.public_key().verify(signature, message, hash_name)


@settings(max_examples=EXAMPLES, deadline=None)
@given(curve=st.sampled_from(CURVES), a=st.integers(1, 2**600), b=st.integers(1, 2**600))
def test_exchange_is_symmetric(curve: Curve, a: int, b: int) -> None:
    ka = ECPrivateKey(curve, a % (curve.n - 1) + 1)
    kb = ECPrivateKey(curve, b % (curve.n - 1) + 1)
    shared = ka.exchange(kb.public_key())
    assert shared == kb.exchange(ka.public_key())
    assert len(shared) == curve.size
    expected = ECPrivateKey(curve, ka.d * kb.d % curve.n).public_key().x
    assert shared == expected.to_bytes(curve.size, "big")


@settings(max_examples=25, deadline=None)
@given(curve=st.sampled_from(CURVES), k=st.integers(1, 2**521), compressed=st.booleans())
def test_point_encoding_round_trip(curve: Curve, k: int, compressed: bool) -> None:
    public = ECPrivateKey(curve, k % (curve.n - 1) + 1).public_key()
    assert ECPublicKey.from_bytes(curve, public.to_bytes(compressed)) == public


# --- openssl, both ways ---------------------------------------------------------------------------

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


def pem(label: str, der: bytes) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, timeout=60, check=False)


OPENSSL_CURVE = {"P-256": "P-256", "P-384": "P-384", "P-521": "P-521"}


def openssl_key(curve: Curve, tmp_path: Path, name: str) -> tuple[ECPrivateKey, ECPublicKey]:
    """A key generated by openssl (key file ``name``.pem, public ``name``_pub.pem), read
    back through PKCS#8 and SubjectPublicKeyInfo DER."""
    made = openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", f"ec_paramgen_curve:{curve.name}",
        "-out", f"{name}.pem", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    der = openssl(
        "pkcs8", "-topk8", "-nocrypt", "-in", f"{name}.pem", "-outform", "DER", cwd=tmp_path
    )
    assert der.returncode == 0, der.stderr
    found, d = read_pkcs8(der.stdout)
    assert found == curve
    pub = openssl("pkey", "-in", f"{name}.pem", "-pubout", "-outform", "DER", cwd=tmp_path)
    assert pub.returncode == 0, pub.stderr
    (tmp_path / f"{name}_pub.pem").write_text(pem("PUBLIC KEY", pub.stdout))
    return ECPrivateKey(curve, d), read_spki(curve, pub.stdout)


@needs_openssl
@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_openssl_signatures_both_ways(curve: Curve, tmp_path: Path) -> None:
    theirs, their_public = openssl_key(curve, tmp_path, "theirs")
    assert theirs.public_key() == their_public  # d G agrees with openssl
    ours = ECPrivateKey.generate(curve, random=rng.Fortuna(seed=curve.name.encode()).generate)
    (tmp_path / "ours.pem").write_text(pem("PRIVATE KEY", pkcs8_der(ours)))
    (tmp_path / "ours_pub.pem").write_text(pem("PUBLIC KEY", spki_der(ours.public_key())))
    checked = openssl("pkey", "-in", "ours.pem", "-check", "-noout", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    message = b"nocrypto <-> openssl " + curve.name.encode()
    (tmp_path / "msg").write_bytes(message)
    for hash_name in ("sha256", "sha384", "sha512"):
        # Ours, checked by openssl.
        signature = ours.sign(message, hash_name)
        (tmp_path / "sig_ours").write_bytes(asn1.encode_der(ECDSA_SIG_VALUE, signature))
        verified = openssl(
            "dgst", f"-{hash_name}", "-verify", "ours_pub.pem", "-signature", "sig_ours", "msg",
            cwd=tmp_path,
        )  # fmt: skip
        assert verified.returncode == 0 and b"Verified OK" in verified.stdout, verified
        # Theirs, checked by us.
        signed = openssl(
            "dgst", f"-{hash_name}", "-sign", "theirs.pem", "-out", "sig_theirs", "msg",
            cwd=tmp_path,
        )  # fmt: skip
        assert signed.returncode == 0, signed.stderr
        r, s = asn1.decode_der(ECDSA_SIG_VALUE, (tmp_path / "sig_theirs").read_bytes())
        assert their_public.verify((r, s), message, hash_name)
        assert not their_public.verify((r, s), message + b".", hash_name)


@needs_openssl
@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_openssl_ecdh_both_ways(curve: Curve, tmp_path: Path) -> None:
    theirs, their_public = openssl_key(curve, tmp_path, "theirs")
    ours = ECPrivateKey.generate(
        curve, random=rng.Fortuna(seed=b"ecdh " + curve.name.encode()).generate
    )
    (tmp_path / "ours.pem").write_text(pem("PRIVATE KEY", pkcs8_der(ours)))
    for compressed in (False, True):
        (tmp_path / "ours_pub.pem").write_text(
            pem("PUBLIC KEY", spki_der(ours.public_key(), compressed))
        )
        derived = openssl(
            "pkeyutl", "-derive", "-inkey", "theirs.pem", "-peerkey", "ours_pub.pem",
            cwd=tmp_path,
        )  # fmt: skip
        assert derived.returncode == 0, derived.stderr
        assert derived.stdout == ours.exchange(their_public)
    derived = openssl(
        "pkeyutl", "-derive", "-inkey", "ours.pem", "-peerkey", "theirs_pub.pem", cwd=tmp_path
    )
    assert derived.returncode == 0, derived.stderr
    assert derived.stdout == ours.exchange(their_public) == theirs.exchange(ours.public_key())
    # openssl's compressed encoding of its key decodes to the same point.
    short = openssl(
        "ec", "-in", "theirs.pem", "-pubout", "-conv_form", "compressed", "-outform", "DER",
        cwd=tmp_path,
    )  # fmt: skip
    assert short.returncode == 0, short.stderr
    assert read_spki(curve, short.stdout) == their_public
    assert spki_der(their_public, compressed=True) == short.stdout
