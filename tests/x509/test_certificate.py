"""Certificates: the system trust store read whole, certificates made by Certificate.create,
the structural rules of RFC 5280 4.1, limits, and hostile (mutated) input."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn1
import x509
from asn1 import OID, BitString
from tests.x509.conftest import NOW, make_ca, rebuild, store_certificates
from x509 import _grammar as g

CERTS = store_certificates()


def _tbs_of(cert: x509.Certificate) -> bytes:
    """The tbsCertificate encoded again from the typed view (not from the kept DER)."""
    spki = asn1.decode_der(g.SubjectPublicKeyInfoG, cert.public_key_info.der)
    tbs = g.TBSCertificate(
        cert.version - 1,
        cert.serial_number,
        cert.tbs_signature_algorithm.identifier,
        cert.issuer._to_grammar(),
        cert._validity,
        cert.subject._to_grammar(),
        spki,
        cert.issuer_unique_id,
        cert.subject_unique_id,
        cert.extensions._to_grammar(),
    )
    return asn1.encode_der(g.TBSCertificateG, tbs)


@pytest.mark.skipif(not CERTS, reason="no certificates in /etc/ssl/certs")
def test_trust_store() -> None:
    sha1 = lenient_key_usage = 0
    for name, der in CERTS:
        cert = x509.Certificate.from_der(der)
        assert cert.der == der
        assert cert.tbs_der == der[4 : 4 + len(cert.tbs_der)] and _tbs_of(cert) == cert.tbs_der, (
            name
        )
        assert cert.version in (1, 3)
        assert cert.not_before < cert.not_after and cert.not_before.tzinfo is not None
        assert cert.signature_algorithm == cert.tbs_signature_algorithm
        assert cert.fingerprint() == hashlib.sha256(der).digest()
        assert cert.fingerprint("sha1") == hashlib.sha1(der).digest()
        assert x509.Certificate.from_pem(cert.to_pem()) == cert
        assert str(cert.subject) and cert.subject.der == _subject_der(der)
        for ext in cert.extensions:
            assert ext.value is not None or ext.oid not in x509._extensions.CERTIFICATE_EXTENSIONS
            if ext.value is not None and ext.value.to_der() != ext.der:
                assert ext.oid == "2.5.29.15"  # trailing zero bits, read leniently
                lenient_key_usage += 1
        assert cert.extensions.unknown_critical == ()
        assert cert.public_key_info.key_type in ("rsa", "ec")
        assert cert.public_key_info.size_bits >= 256
        if cert.is_self_issued:
            assert cert.verify_signature(cert, allow_sha1=True), name
            if cert.signature_algorithm.hash == "sha1":
                sha1 += 1
                assert not cert.verify_signature(cert)
    assert lenient_key_usage <= 4
    assert sha1 > 0 or all(
        x509.Certificate.from_der(d).signature_algorithm.hash != "sha1" for _, d in CERTS
    )


def _subject_der(cert_der: bytes) -> bytes:
    tbs = asn1.decode_der(g.CertificateG, cert_der).value.tbs_certificate.value
    return asn1.encode_der(g.NameG, tbs.subject)


@pytest.mark.skipif(not CERTS, reason="no certificates in /etc/ssl/certs")
def test_bundle() -> None:
    text = "".join(x509.Certificate.from_der(der).to_pem() + "junk between\n" for _, der in CERTS)
    bundle = x509.load_pem_bundle(text)
    assert [c.der for c in bundle] == [der for _, der in CERTS]
    assert len(set(bundle)) == len({der for _, der in CERTS})
    broken = text.replace(text.splitlines()[3], "A" * 64, 1)
    with pytest.raises(x509.DecodeError, match="certificate 1"):
        x509.load_pem_bundle(broken)
    with pytest.raises(x509.DecodeError, match="exactly one"):
        x509.Certificate.from_pem(text)


@pytest.mark.parametrize("kind", ["rsa", "p256", "p384", "p521", "ed25519", "dsa"])
def test_created_chain(kind: str, keys: dict[str, x509.PrivateKey]) -> None:
    key = keys[kind]
    ca = make_ca(key, name=f"{kind} root")
    assert ca.is_self_issued and ca.verify_signature(ca) and ca.verify_signature(key.public_key())
    assert ca.version == 3 and 0 < ca.serial_number < 2**159
    inter_key = keys["p256" if kind == "p384" else "p384"]
    inter = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=intermediate,O=nqsb tests,C=DE"),
        public_key=inter_key.public_key(),
        signing_key=key,
        issuer=ca,
        not_before=NOW,
        not_after=NOW + timedelta(days=10),
        basic_constraints=x509.BasicConstraints(True, 0),
        key_usage=x509.KeyUsage.of("keyCertSign"),
        name_constraints=x509.NameConstraints(permitted=(x509.DNSName("example.org"),)),
        policies=[OID("2.23.140.1.2.1")],
        crl_distribution_points=["http://crl.example/root.crl"],
        ocsp_responders=["http://ocsp.example/"],
        ca_issuers=["http://ca.example/root.der"],
    )
    assert inter.issuer == ca.subject and not inter.is_self_issued
    assert inter.verify_signature(ca) and not inter.verify_signature(inter)
    aki = inter.extensions.authority_key_identifier
    ski = ca.extensions.subject_key_identifier
    assert aki is not None and ski is not None and aki.key_identifier == ski.digest
    nc = inter.extensions.get("2.5.29.30")
    assert nc is not None and nc.critical
    aia = inter.extensions.authority_information_access
    assert aia is not None and [d.method for d in aia.descriptions] == [
        x509.AccessDescription.OCSP,
        x509.AccessDescription.CA_ISSUERS,
    ]
    leaf_key = keys["ed25519"]
    leaf = x509.Certificate.create(
        subject=x509.Name(),
        public_key=leaf_key.public_key(),
        signing_key=inter_key,
        issuer=inter,
        not_before=datetime(2049, 12, 31, 23, 59, 59, 999, tzinfo=UTC),
        not_after=datetime(2050, 1, 1, tzinfo=UTC),
        serial_number=0x1234,
        subject_alternative_names=[x509.DNSName("www.example.org")],
        extended_key_usage=[x509.ExtendedKeyUsage.SERVER_AUTH],
    )
    assert leaf.verify_signature(inter) and not leaf.verify_signature(ca)
    assert leaf.serial_number == 0x1234 and not leaf.subject
    # RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds
    assert leaf._validity.not_before.generalized is False
    assert leaf._validity.not_after.generalized is True
    assert leaf.not_before == datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)
    # 4.2.1.6: an empty subject makes the subjectAltName critical
    san = leaf.extensions.get("2.5.29.17")
    assert san is not None and san.critical
    assert leaf.public_key == leaf_key.public_key()


def test_created_fields(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["rsa"]
    subject = x509.Name.from_rfc4514("CN=self,O=Org")
    pss = x509.SignatureAlgorithm.rsa_pss("sha384")
    cert = x509.Certificate.create(
        subject=subject,
        public_key=key.public_key(),
        signing_key=key,
        not_before=NOW,
        not_after=NOW + timedelta(hours=1),
        signature_algorithm=pss,
        extensions=[x509.Extension.of(x509.BasicConstraints(True, 3), critical=False)],
        basic_constraints=x509.BasicConstraints(True),
        authority_key_identifier=False,
        subject_key_identifier=False,
    )
    assert cert.signature_algorithm == pss and cert.signature_algorithm.pss is not None
    assert cert.not_before == NOW and cert.not_after == NOW + timedelta(hours=1)
    assert cert.subject == subject == cert.issuer
    (bc,) = cert.extensions  # the given extension replaced the generated one
    assert not bc.critical and bc.value == x509.BasicConstraints(True, 3)
    assert repr(cert).startswith("<Certificate subject='CN=self,O=Org' serial=0x")
    v1 = x509.Certificate.create(
        subject=subject,
        public_key=key.public_key(),
        signing_key=key,
        not_before=NOW,
        not_after=NOW,
        version=1,
    )
    assert v1.version == 1 and len(v1.extensions) == 0 and v1.verify_signature(key.public_key())
    with pytest.raises(ValueError, match="v1"):
        x509.Certificate.create(
            subject=subject,
            public_key=key.public_key(),
            signing_key=key,
            not_before=NOW,
            not_after=NOW,
            version=1,
            key_usage=x509.KeyUsage.of("keyCertSign"),
        )
    with pytest.raises(ValueError, match="timezone"):
        x509.Certificate.create(
            subject=subject,
            public_key=key.public_key(),
            signing_key=key,
            not_before=datetime(2030, 1, 1),
            not_after=NOW,
        )


def test_structural_rules(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["p256"]
    ca = make_ca(key)
    ids = BitString(b"\x01")
    assert (
        x509.Certificate.from_der(rebuild(ca, key, subject_unique_id=ids)).subject_unique_id == ids
    )
    with pytest.raises(x509.DecodeError, match="version 4"):
        x509.Certificate.from_der(rebuild(ca, key, version=3))
    with pytest.raises(x509.DecodeError, match="not v3"):
        x509.Certificate.from_der(rebuild(ca, key, version=1))
    with pytest.raises(x509.DecodeError, match="unique identifiers in a v1"):
        x509.Certificate.from_der(
            rebuild(ca, key, version=0, extensions=None, issuer_unique_id=ids)
        )
    v2 = x509.Certificate.from_der(
        rebuild(ca, key, version=1, extensions=None, issuer_unique_id=ids)
    )
    assert v2.version == 2 and v2.issuer_unique_id == ids
    # RFC 5280 4.1.1.2: the outer signatureAlgorithm must equal the signed one
    other = x509.SignatureAlgorithm.ecdsa("sha384")
    mismatch = x509.Certificate.from_der(rebuild(ca, key, outer_algorithm=other))
    assert mismatch.signature_algorithm != mismatch.tbs_signature_algorithm
    assert not mismatch.verify_signature(key.public_key())
    with pytest.raises(x509.DecodeError, match="trailing"):
        x509.Certificate.from_der(ca.der + b"\x00")
    with pytest.raises(x509.DecodeError, match=r"certificate: .*validity"):
        bad_time = ca.der.replace(b"\x17\x0d", b"\x17\x0c", 1)
        x509.Certificate.from_der(bad_time)


def test_size_limit(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["p256"]
    names = [x509.DNSName(f"host{i:05}.example.org") for i in range(1000)]
    big = make_ca(key, subject_alternative_names=names)
    san = big.extensions.subject_alternative_name
    assert san is not None and len(san.names) == 1000
    filler = x509.Extension(
        OID("1.2.3.4"),
        False,
        b"\x04\x83"
        + (x509.MAX_CERTIFICATE_SIZE).to_bytes(3, "big")
        + bytes(x509.MAX_CERTIFICATE_SIZE),
    )
    huge = rebuild(big, key, extensions=(g.Extension(filler.oid, False, filler.der),))
    with pytest.raises(x509.DecodeError, match="exceeds the limit"):
        x509.Certificate.from_der(huge)


def test_unsupported_keys_still_parse(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["p256"]
    ca = make_ca(key)
    spki = g.SubjectPublicKeyInfo(g.AlgorithmIdentifier(OID("1.3.101.113")), BitString(bytes(57)))
    cert = x509.Certificate.from_der(rebuild(ca, key, subject_public_key_info=spki))
    assert cert.public_key_info.algorithm_name == "Ed448"
    with pytest.raises(x509.UnsupportedAlgorithm, match="Ed448"):
        cert.public_key  # noqa: B018
    assert not ca.verify_signature(cert)  # the key cannot be used: False, no exception


def test_equality_and_hash(keys: dict[str, x509.PrivateKey]) -> None:
    a = make_ca(keys["ed25519"])
    b = x509.Certificate.from_der(a.der)
    c = make_ca(keys["ed25519"])
    assert a == b and hash(a) == hash(b) and a != c and len({a, b, c}) == 2
    assert dataclasses.is_dataclass(a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.serial_number = 1  # type: ignore[misc]


# --- hostile input ----------------------------------------------------------------------

_SEEDS: list[bytes] = [der for _, der in CERTS[::12]]


@pytest.fixture(scope="module")
def seeds(keys: dict[str, x509.PrivateKey]) -> list[bytes]:
    """Trust store certificates and our own with many extensions, to mutate."""
    key = keys["p256"]
    ours = make_ca(
        key,
        subject_alternative_names=[
            x509.DNSName("a.example"),
            x509.IPAddress(__import__("ipaddress").ip_address("192.0.2.1")),
        ],
        name_constraints=x509.NameConstraints(permitted=(x509.DNSName("example"),)),
        policies=[OID("2.23.140.1.2.1")],
        crl_distribution_points=["http://crl.example/"],
        ocsp_responders=["http://ocsp.example/"],
    )
    return [*_SEEDS, ours.der, make_ca(keys["dsa"]).der, make_ca(keys["ed25519"]).der]


def _exercise(der: bytes) -> None:
    """Everything a user may do with a certificate from bytes: only x509.DecodeError."""
    try:
        cert = x509.Certificate.from_der(der)
    except x509.DecodeError:
        return
    assert isinstance(str(cert.subject) + str(cert.issuer) + repr(cert), str)
    assert isinstance(cert.subject.key, tuple) and cert.is_self_issued in (True, False)
    for ext in cert.extensions:
        if ext.value is not None:
            ext.value.to_der()
    with contextlib.suppress(x509.DecodeError):
        cert.public_key_info.public_key()
    assert cert.verify_signature(cert, allow_sha1=True) in (True, False)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_certificates(seeds: list[bytes], data: st.DataObject) -> None:
    der = bytearray(data.draw(st.sampled_from(seeds)))
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        pos = data.draw(st.integers(0, len(der) - 1)) if der else 0
        if op == "flip" and der:
            der[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "set" and der:
            der[pos] = data.draw(st.integers(0, 255))
        elif op == "insert":
            der[pos:pos] = data.draw(st.binary(min_size=1, max_size=4))
        elif op == "delete" and der:
            del der[pos : pos + data.draw(st.integers(1, 4))]
        elif op == "truncate":
            del der[pos:]
    _exercise(bytes(der))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _exercise(data)
    _exercise(b"\x30\x82" + len(data).to_bytes(2, "big") + data)
