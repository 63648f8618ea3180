"""Keys: SubjectPublicKeyInfo and the private key formats, against the openssl command line
in both directions (theirs read by us, ours read and checked by them, same key material)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn1
import x509
from asn1 import OID, BitString
from nocrypto import ec, ecx, rsa
from tests.x509.conftest import Run
from x509 import _grammar as g

# openssl genpkey arguments for each key type it can make and we can read.
GENPKEY = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa-pss": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
    "ed25519": ["-algorithm", "ED25519"],
    "x25519": ["-algorithm", "X25519"],
    "x448": ["-algorithm", "X448"],
}
# the traditional (non-PKCS #8) forms openssl writes, by key type
TRADITIONAL = {"rsa": ["rsa", "-traditional"], "p256": ["ec"], "p521": ["ec"]}


@pytest.mark.parametrize("kind", sorted(GENPKEY))
def test_openssl_keys_read_by_us(kind: str, openssl: Run, tmp_path: Path) -> None:
    openssl("genpkey", *GENPKEY[kind], "-out", "k.pem")
    openssl("pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "pub.der")
    openssl("pkey", "-in", "k.pem", "-outform", "DER", "-out", "k.der")
    their_spki = (tmp_path / "pub.der").read_bytes()
    for path in ("k.pem", "k.der"):
        key = x509.load_private_key((tmp_path / path).read_bytes())
        info = x509.PublicKeyInfo.from_der(their_spki)
        assert info.public_key() == key.public_key()
        assert info.key_type == ("ec" if kind[0] == "p" else kind)
        if kind != "rsa-pss":  # we write rsaEncryption SPKIs, openssl keeps the PSS OID
            assert x509.dump_public_key(key.public_key(), encoding="der") == their_spki
    assert x509.load_public_key(their_spki) == key.public_key()
    assert x509.load_public_key(asn1.pem.encode("PUBLIC KEY", their_spki)) == key.public_key()
    if kind in TRADITIONAL:
        cmd, *extra = TRADITIONAL[kind]
        openssl(cmd, "-in", "k.pem", *extra, "-out", "trad.pem")
        text = (tmp_path / "trad.pem").read_text()
        assert "-----BEGIN RSA PRIVATE KEY" in text or "-----BEGIN EC PRIVATE KEY" in text
        assert x509.load_private_key(text).public_key() == key.public_key()
        openssl(cmd, "-in", "trad.pem", "-outform", "DER", "-out", "trad.der")
        assert x509.load_private_key((tmp_path / "trad.der").read_bytes()).public_key() == (
            key.public_key()
        )
    if kind == "rsa-pss":
        assert info.key_type == "rsa-pss" and info.pss is None
        assert isinstance(key, rsa.RSAPrivateKey)


@pytest.mark.parametrize(
    "kind", ["rsa", "p256", "p384", "p521", "ed25519", "x25519", "x448", "dsa"]
)
def test_our_keys_read_by_openssl(
    kind: str, keys: dict[str, x509.PrivateKey], openssl: Run, tmp_path: Path
) -> None:
    key = keys[kind]
    spki = x509.dump_public_key(key.public_key(), encoding="der")
    formats: list[str] = ["pkcs8"]
    if kind == "rsa":
        formats.append("pkcs1")
    if kind.startswith("p"):
        formats.append("sec1")
    for fmt in formats:
        for encoding in ("pem", "der"):
            data = x509.dump_private_key(key, fmt, encoding)  # type: ignore[arg-type]
            path = tmp_path / f"{fmt}.{encoding}"
            path.write_bytes(data)
            inform = "PEM" if encoding == "pem" else "DER"
            if kind in ("rsa", "p256", "p384", "p521", "dsa"):
                out = openssl("pkey", "-inform", inform, "-in", path.name, "-check", "-noout")
                assert "valid" in out.lower()
            openssl(
                "pkey",
                "-inform",
                inform,
                "-in",
                path.name,
                "-pubout",
                "-outform",
                "DER",
                "-out",
                "pub.der",
            )
            assert (tmp_path / "pub.der").read_bytes() == spki
            back = x509.load_private_key(data)
            assert back.public_key() == key.public_key()
            assert x509.dump_private_key(back, fmt, encoding) == data  # type: ignore[arg-type]
    (tmp_path / "pub.pem").write_bytes(x509.dump_public_key(key.public_key()))
    text = openssl("pkey", "-pubin", "-in", "pub.pem", "-noout", "-text")
    assert {
        "rsa": "2048 bit",
        "p256": "256 bit",
        "p384": "384 bit",
        "p521": "521 bit",
        "ed25519": "ED25519",
        "x25519": "X25519",
        "x448": "X448",
        "dsa": "2048 bit",
    }[kind] in text


def test_rsa_public_pkcs1(keys: dict[str, x509.PrivateKey], openssl: Run, tmp_path: Path) -> None:
    public = keys["rsa"].public_key()
    (tmp_path / "p1.pem").write_bytes(x509.dump_public_key(public, "pkcs1"))
    openssl(
        "rsa", "-RSAPublicKey_in", "-in", "p1.pem", "-pubout", "-outform", "DER", "-out", "s.der"
    )
    assert (tmp_path / "s.der").read_bytes() == x509.dump_public_key(public, encoding="der")
    assert x509.load_public_key(x509.dump_public_key(public, "pkcs1", "der")) == public
    with pytest.raises(ValueError):
        x509.dump_public_key(keys["p256"].public_key(), "pkcs1")
    with pytest.raises(ValueError):
        x509.dump_private_key(keys["p256"], "pkcs1")
    with pytest.raises(ValueError):
        x509.dump_private_key(keys["rsa"], "sec1")


def test_openssl_dsa_keys(openssl: Run, tmp_path: Path) -> None:
    openssl(
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:2048",
        "-out",
        "p.pem",
    )
    openssl("genpkey", "-paramfile", "p.pem", "-out", "k.pem")
    openssl("dsa", "-in", "k.pem", "-out", "trad.pem")
    openssl("pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "pub.der")
    key = x509.load_private_key((tmp_path / "k.pem").read_bytes())
    trad = (tmp_path / "trad.pem").read_text()
    assert "BEGIN DSA PRIVATE KEY" in trad
    assert x509.load_private_key(trad).public_key() == key.public_key()
    spki = (tmp_path / "pub.der").read_bytes()
    assert x509.dump_public_key(key.public_key(), encoding="der") == spki
    info = x509.PublicKeyInfo.from_der(spki)
    assert info.key_type == "dsa" and info.size_bits == 2048


def test_refused_keys(openssl: Run, tmp_path: Path) -> None:
    openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-pkeyopt",
        "ec_param_enc:explicit",
        "-out",
        "explicit.pem",
    )
    openssl("pkey", "-in", "explicit.pem", "-pubout", "-out", "explicit.pub")
    with pytest.raises(x509.UnsupportedAlgorithm, match="explicit curve"):
        x509.load_private_key((tmp_path / "explicit.pem").read_bytes())
    with pytest.raises(x509.UnsupportedAlgorithm, match="explicit curve"):
        x509.load_public_key((tmp_path / "explicit.pub").read_bytes())
    openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", "k1.pem"
    )
    with pytest.raises(x509.UnsupportedAlgorithm, match="secp256k1"):
        x509.load_private_key((tmp_path / "k1.pem").read_bytes())
    openssl("genpkey", "-algorithm", "ED448", "-out", "ed448.pem")
    with pytest.raises(x509.UnsupportedAlgorithm, match="Ed448"):
        x509.load_private_key((tmp_path / "ed448.pem").read_bytes())
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "r.pem")
    openssl(
        "pkcs8",
        "-topk8",
        "-in",
        "r.pem",
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:pw",
        "-out",
        "enc.pem",
    )
    enc = (tmp_path / "enc.pem").read_bytes()
    with pytest.raises(x509.UnsupportedAlgorithm, match="encrypted"):
        x509.load_private_key(enc, password=b"pw")
    der = asn1.pem.decode_one(enc, "ENCRYPTED PRIVATE KEY")
    with pytest.raises(x509.UnsupportedAlgorithm, match="encrypted"):
        x509.load_private_key(der)
    openssl(
        "rsa", "-in", "r.pem", "-traditional", "-aes256", "-passout", "pass:pw", "-out", "old.pem"
    )
    with pytest.raises(x509.UnsupportedAlgorithm, match="Proc-Type"):
        x509.load_private_key((tmp_path / "old.pem").read_bytes())
    with pytest.raises(TypeError, match="not encrypted"):
        x509.load_private_key((tmp_path / "r.pem").read_bytes(), password=b"pw")


def test_small_rsa_keys_are_unsupported_not_malformed(openssl: Run, tmp_path: Path) -> None:
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512", "-out", "s.pem")
    openssl("pkey", "-in", "s.pem", "-pubout", "-outform", "DER", "-out", "s.der")
    info = x509.PublicKeyInfo.from_der((tmp_path / "s.der").read_bytes())
    assert info.key_type == "rsa"
    with pytest.raises(x509.UnsupportedAlgorithm, match="1024"):
        info.public_key()


def test_pkcs8_v2_and_mismatched_public_keys(keys: dict[str, x509.PrivateKey]) -> None:
    ed = keys["ed25519"]
    assert isinstance(ed, ecx.Ed25519PrivateKey)
    v1 = asn1.decode_der(g.OneAsymmetricKeyG, x509.dump_private_key(ed, encoding="der"))
    assert v1.version == 0
    public = BitString(ed.public_key().to_bytes())
    v2 = g.OneAsymmetricKey(1, v1.private_key_algorithm, v1.private_key, None, public)
    assert x509.load_private_key(asn1.encode_der(g.OneAsymmetricKeyG, v2)).public_key() == (
        ed.public_key()
    )
    wrong = g.OneAsymmetricKey(
        1, v1.private_key_algorithm, v1.private_key, None, BitString(bytes(32))
    )
    with pytest.raises(x509.DecodeError, match="does not match"):
        x509.load_private_key(asn1.encode_der(g.OneAsymmetricKeyG, wrong))
    bad_version = g.OneAsymmetricKey(0, v1.private_key_algorithm, v1.private_key, None, public)
    with pytest.raises(x509.DecodeError, match="version"):
        x509.load_private_key(asn1.encode_der(g.OneAsymmetricKeyG, bad_version))
    p256 = keys["p256"]
    assert isinstance(p256, ec.ECPrivateKey)
    other = ec.ECPrivateKey.generate(ec.P256).public_key().to_bytes()
    sec1 = g.ECPrivateKey(1, p256.to_bytes(), OID("1.2.840.10045.3.1.7"), BitString(other))
    with pytest.raises(x509.DecodeError, match="publicKey does not match"):
        x509.load_private_key(asn1.encode_der(g.ECPrivateKeyG, sec1))
    p384 = g.ECPrivateKey(1, p256.to_bytes(), OID("1.3.132.0.34"))
    with pytest.raises(x509.DecodeError, match="P-384 private key has 48 bytes"):
        x509.load_private_key(asn1.encode_der(g.ECPrivateKeyG, p384))
    r = keys["rsa"]
    assert isinstance(r, rsa.RSAPrivateKey)
    n = r.private_numbers
    broken = g.RSAPrivateKey(0, n.n, n.e, n.d + 2, n.p, n.q, n.dp, n.dq, n.qinv)
    with pytest.raises(x509.DecodeError, match="PKCS #1"):
        x509.load_private_key(asn1.encode_der(g.RSAPrivateKeyG, broken))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x30\x00",
        b"garbage",
        b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
    ],
)
def test_not_keys(data: bytes) -> None:
    with pytest.raises(x509.DecodeError):
        x509.load_private_key(data)
    with pytest.raises(x509.DecodeError):
        x509.load_public_key(data)


def test_public_key_info_views(keys: dict[str, x509.PrivateKey]) -> None:
    expected = {
        "rsa": ("rsa", None, 2048),
        "p256": ("ec", "P-256", 256),
        "p384": ("ec", "P-384", 384),
        "p521": ("ec", "P-521", 521),
        "ed25519": ("ed25519", None, 255),
        "x25519": ("x25519", None, 255),
        "x448": ("x448", None, 448),
        "dsa": ("dsa", None, 2048),
    }
    for kind, (key_type, curve, bits) in expected.items():
        info = x509.PublicKeyInfo.from_key(keys[kind].public_key())
        assert (info.key_type, info.curve, info.size_bits) == (key_type, curve, bits)
        again = x509.PublicKeyInfo.from_der(info.der)
        assert again == info and again.public_key() == keys[kind].public_key()
        assert again.key_identifier() == info.key_identifier() and len(info.key_identifier()) == 20
    pss = x509.PSSParameters("sha256", "sha256", 32)
    restricted = x509.PublicKeyInfo.from_key(keys["rsa"].public_key(), pss=pss)
    assert restricted.key_type == "rsa-pss" and restricted.pss == pss
    assert x509.PublicKeyInfo.from_der(restricted.der).public_key() == keys["rsa"].public_key()
    with pytest.raises(ValueError):
        x509.PublicKeyInfo.from_key(keys["p256"].public_key(), pss=True)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_keys(keys: dict[str, x509.PrivateKey], data: st.DataObject) -> None:
    """Mutated key encodings load or fail with DecodeError, nothing else."""
    key = keys[data.draw(st.sampled_from(sorted(keys)))]
    formats = ["pkcs8", "pkcs1"] if isinstance(key, rsa.RSAPrivateKey) else ["pkcs8"]
    seeds = [x509.dump_private_key(key, fmt, "der") for fmt in formats]  # type: ignore[arg-type]
    seeds.append(x509.dump_public_key(key.public_key(), encoding="der"))
    der = bytearray(data.draw(st.sampled_from(seeds)))
    for _ in range(data.draw(st.integers(1, 3))):
        der[data.draw(st.integers(0, len(der) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    for load in (x509.load_private_key, x509.load_public_key):
        with contextlib.suppress(x509.DecodeError):
            load(bytes(der))
