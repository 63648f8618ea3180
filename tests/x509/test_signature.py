"""Signature algorithms: identifiers read and written, sign/verify for each kind, the SHA-1
and MD5 policy, strict Ecdsa-Sig-Value, and verify_signature never raising."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn1
import x509
from asn1 import OID, BitString
from x509 import _grammar as g

MESSAGE = b"to be signed"

CASES: list[tuple[str, x509.SignatureAlgorithm]] = [
    *[
        ("rsa", x509.SignatureAlgorithm.rsa_pkcs1v15(h))
        for h in ("sha1", "sha224", "sha256", "sha384", "sha512")
    ],
    ("rsa", x509.SignatureAlgorithm.rsa_pss("sha256")),
    ("rsa", x509.SignatureAlgorithm.rsa_pss("sha384", salt_length=0, mgf1_hash="sha1")),
    ("rsa", x509.SignatureAlgorithm.rsa_pss("sha1")),
    *[
        ("p256", x509.SignatureAlgorithm.ecdsa(h))
        for h in ("sha1", "sha224", "sha256", "sha384", "sha512")
    ],
    ("p384", x509.SignatureAlgorithm.ecdsa("sha384")),
    ("p521", x509.SignatureAlgorithm.ecdsa("sha512")),
    ("ed25519", x509.SignatureAlgorithm.ed25519()),
    *[("dsa", x509.SignatureAlgorithm.dsa(h)) for h in ("sha1", "sha224", "sha256")],
]


@pytest.mark.parametrize("kind,algorithm", CASES, ids=lambda c: getattr(c, "name", c))
def test_sign_and_verify(
    kind: str, algorithm: x509.SignatureAlgorithm, keys: dict[str, x509.PrivateKey]
) -> None:
    key = keys[kind]
    signature = x509.sign(key, algorithm, MESSAGE)
    sha1 = algorithm.hash == "sha1"
    public = key.public_key()
    assert x509.verify_signature(public, algorithm, MESSAGE, signature, allow_sha1=True)
    # SHA-1 is refused unless asked for
    assert x509.verify_signature(public, algorithm, MESSAGE, signature) is not sha1
    info = x509.PublicKeyInfo.from_key(public)
    assert x509.verify_signature(info, algorithm, MESSAGE, BitString(signature), allow_sha1=True)
    assert not x509.verify_signature(public, algorithm, MESSAGE + b"!", signature, allow_sha1=True)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not x509.verify_signature(public, algorithm, MESSAGE, flipped, allow_sha1=True)
    # the identifier survives its encoding
    assert x509.SignatureAlgorithm.from_der(algorithm.to_der()) == algorithm
    # another key of another type never verifies it
    other = keys["p384" if kind != "p384" else "rsa"].public_key()
    assert not x509.verify_signature(other, algorithm, MESSAGE, signature, allow_sha1=True)


def test_default_algorithms(keys: dict[str, x509.PrivateKey]) -> None:
    names = {
        k: x509.SignatureAlgorithm.for_key(keys[k]).name
        for k in ("rsa", "p256", "p384", "p521", "ed25519", "dsa")
    }
    assert names == {
        "rsa": "sha256WithRSAEncryption",
        "p256": "ecdsa-with-SHA256",
        "p384": "ecdsa-with-SHA384",
        "p521": "ecdsa-with-SHA512",
        "ed25519": "Ed25519",
        "dsa": "id-dsa-with-sha256",
    }
    assert x509.SignatureAlgorithm.for_key(
        keys["rsa"], "sha512", pss=True
    ).pss == x509.PSSParameters("sha512", "sha512", 64)
    with pytest.raises(ValueError):
        x509.SignatureAlgorithm.for_key(keys["p256"], pss=True)
    with pytest.raises(TypeError):
        x509.SignatureAlgorithm.for_key(keys["x25519"])
    with pytest.raises(ValueError, match="cannot make"):
        x509.sign(keys["p256"], x509.SignatureAlgorithm.rsa_pkcs1v15(), MESSAGE)
    with pytest.raises(ValueError):
        x509.SignatureAlgorithm.rsa_pkcs1v15("md5")
    with pytest.raises(ValueError):
        x509.SignatureAlgorithm.dsa("sha512")
    # RSA PKCS #1 v1.5 identifiers carry NULL parameters, the others none (RFC 4055, 5758, 8410)
    assert x509.SignatureAlgorithm.rsa_pkcs1v15().parameters == b"\x05\x00"
    assert x509.SignatureAlgorithm.ecdsa().parameters is None


def _alg(oid: str, params: bytes | None = None) -> x509.SignatureAlgorithm:
    return x509.SignatureAlgorithm.from_identifier(g.AlgorithmIdentifier(OID(oid), params))


def _pss_params(**kw: object) -> bytes:
    base = asn1.decode_der(g.RSASSAPSSParamsG, x509.PSSParameters("sha256", "sha256", 32).to_der())
    return asn1.encode_der(g.RSASSAPSSParamsG, dataclasses.replace(base, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "algorithm,refusal",
    [
        (_alg("1.2.840.113549.1.1.4", b"\x05\x00"), "MD5 signatures are refused"),
        (_alg("1.2.840.113549.1.1.2"), "MD2 signatures are refused"),
        (_alg("1.2.840.113549.1.1.11", b"\x02\x01\x00"), "parameters other than NULL"),
        (_alg("1.2.840.10045.4.3.2", b"\x05\x00"), "parameters must be absent"),
        (_alg("1.3.101.112", b"\x05\x00"), "parameters must be absent"),
        (_alg("1.3.101.113"), "unknown signature algorithm Ed448"),
        (_alg("1.2.3.4"), "unknown signature algorithm 1.2.3.4"),
        (_alg("1.2.840.113549.1.1.10"), "RSASSA-PSS without parameters"),
        (_alg("1.2.840.113549.1.1.10", b"\x30\x00\x00"), "RSASSA-PSS parameters"),
        (_alg("1.2.840.113549.1.1.10", _pss_params(trailer_field=2)), "trailer field 2"),
        (
            _alg(
                "1.2.840.113549.1.1.10",
                _pss_params(
                    hash_algorithm=g.AlgorithmIdentifier(OID("1.2.840.113549.2.5"), b"\x05\x00")
                ),
            ),
            "unsupported hash",
        ),
        (
            _alg(
                "1.2.840.113549.1.1.10",
                _pss_params(mask_gen_algorithm=g.AlgorithmIdentifier(OID("1.2.3"), b"\x05\x00")),
            ),
            "not MGF1",
        ),
    ],
)
def test_refused_algorithms(
    algorithm: x509.SignatureAlgorithm, refusal: str, keys: dict[str, x509.PrivateKey]
) -> None:
    reason = algorithm.refusal(allow_sha1=True)
    assert reason is not None and refusal in reason
    for key in keys.values():
        assert not x509.verify_signature(key.public_key(), algorithm, MESSAGE, b"\x00" * 64)


def test_pss_parameters_are_read(keys: dict[str, x509.PrivateKey]) -> None:
    # absent fields are the SHA-1 defaults (RFC 4055 3.1)
    default = _alg("1.2.840.113549.1.1.10", b"\x30\x00")
    assert default.pss == x509.PSSParameters("sha1", "sha1", 20) and default.hash == "sha1"
    assert default.refusal() is not None and default.refusal(allow_sha1=True) is None
    algorithm = x509.SignatureAlgorithm.rsa_pss("sha256", salt_length=32)
    signature = x509.sign(keys["rsa"], algorithm, MESSAGE)
    # the salt length of the parameters is enforced
    other_salt = x509.SignatureAlgorithm.rsa_pss("sha256", salt_length=20)
    assert not x509.verify_signature(keys["rsa"].public_key(), other_salt, MESSAGE, signature)
    # an id-RSASSA-PSS key verifies PSS only, within its restrictions (RFC 4055 1.2, 3.3)
    public = keys["rsa"].public_key()
    pss_key = x509.PublicKeyInfo.from_key(public, pss=x509.PSSParameters("sha256", "sha256", 32))
    assert x509.verify_signature(pss_key, algorithm, MESSAGE, signature)
    tighter = x509.PublicKeyInfo.from_key(public, pss=x509.PSSParameters("sha256", "sha256", 48))
    assert not x509.verify_signature(tighter, algorithm, MESSAGE, signature)
    other_hash = x509.PublicKeyInfo.from_key(public, pss=x509.PSSParameters("sha384", "sha384", 32))
    assert not x509.verify_signature(other_hash, algorithm, MESSAGE, signature)
    pkcs1 = x509.SignatureAlgorithm.rsa_pkcs1v15()
    assert not x509.verify_signature(
        pss_key, pkcs1, MESSAGE, x509.sign(keys["rsa"], pkcs1, MESSAGE)
    )
    unrestricted = x509.PublicKeyInfo.from_key(public, pss=True)
    assert x509.verify_signature(unrestricted, algorithm, MESSAGE, signature)


def test_ecdsa_signature_der_is_strict(keys: dict[str, x509.PrivateKey]) -> None:
    algorithm = x509.SignatureAlgorithm.ecdsa("sha256")
    public = keys["p256"].public_key()
    der = x509.sign(keys["p256"], algorithm, MESSAGE)
    value = asn1.decode_der(g.ECDSASigValueG, der)
    assert x509.verify_signature(public, algorithm, MESSAGE, der)
    # trailing bytes, a non-minimal INTEGER, a BER long length, raw r || s, negative s
    # r on 34 octets has at least one redundant leading zero whatever its top bit
    r, s = value.r.to_bytes(34, "big"), value.s.to_bytes(33, "big")
    padded = b"\x30" + bytes([2 + 34 + 2 + 33]) + b"\x02\x22" + r + b"\x02\x21" + s
    long_form = b"\x30\x81" + der[1:]
    negative = asn1.encode_der(g.ECDSASigValueG, g.DSSSigValue(value.r, -value.s))
    for bad in (der + b"\x00", padded, long_form, value.r.to_bytes(32, "big") + s[1:], negative):
        assert not x509.verify_signature(public, algorithm, MESSAGE, bad)
    assert not x509.verify_signature(public, algorithm, MESSAGE, BitString(der[:-1] + b"\x80", 7))


@settings(max_examples=150, deadline=None)
@given(signature=st.binary(max_size=600), case=st.sampled_from(range(len(CASES))))
def test_verify_never_raises(keys: dict[str, x509.PrivateKey], signature: bytes, case: int) -> None:
    kind, algorithm = CASES[case]
    public = keys[kind].public_key()
    assert x509.verify_signature(public, algorithm, MESSAGE, signature, allow_sha1=True) is False
    bits = BitString(signature[:-1] + bytes([signature[-1] & 0xF0]), 4) if signature else None
    if bits is not None:
        assert x509.verify_signature(public, algorithm, MESSAGE, bits, allow_sha1=True) is False
