"""CRLs and certification requests made and read by us: fields, lookup, signatures, the
structural rules of RFC 5280 5.1 and RFC 2986, and mutated input."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn1
import x509
from asn1 import OID, BitString, Encoded
from tests.x509.conftest import NOW, make_ca
from x509 import _grammar as g


def _crl(
    keys: dict[str, x509.PrivateKey], **kw: object
) -> tuple[x509.Certificate, x509.CertificateRevocationList]:
    key = keys["p256"]
    ca = make_ca(key)
    args: dict[str, object] = {
        "issuer": ca,
        "private_key": key,
        "this_update": NOW,
        "next_update": NOW + timedelta(days=7),
        "crl_number": 5,
        "revoked": [
            x509.RevokedCertificate(10, NOW - timedelta(days=1)),
            x509.RevokedCertificate(
                2**150, NOW - timedelta(hours=2), "cACompromise", NOW - timedelta(days=3)
            ),
            x509.RevokedCertificate(
                11,
                datetime(2051, 1, 1, tzinfo=UTC),
                extensions=x509.Extensions(
                    [x509.Extension.of(x509.HoldInstructionCode(OID("1.2.840.10040.2.2")))]
                ),
            ),
        ],
    }
    args.update(kw)
    return ca, x509.CertificateRevocationList.create(**args)  # type: ignore[arg-type]


def test_crl_fields_and_lookup(keys: dict[str, x509.PrivateKey]) -> None:
    ca, crl = _crl(keys)
    assert crl.version == 2 and crl.issuer == ca.subject and crl.crl_number == 5
    assert crl.this_update == NOW and crl.next_update == NOW + timedelta(days=7)
    assert (
        crl.verify(ca) and crl.verify(ca.public_key_info) and crl.verify(keys["p256"].public_key())
    )
    assert not crl.verify(keys["p384"].public_key())
    aki = crl.extensions.authority_key_identifier
    ski = ca.extensions.subject_key_identifier
    assert aki is not None and ski is not None and aki.key_identifier == ski.digest
    assert [r.serial_number for r in crl.revoked_certificates] == [10, 2**150, 11]
    plain = crl.is_revoked(10)
    assert plain is not None and plain.reason is None and len(plain.extensions) == 0
    compromised = crl.is_revoked(2**150)
    assert compromised is not None and compromised.reason == "cACompromise"
    assert compromised.invalidity_date == NOW - timedelta(days=3)
    held = crl.is_revoked(11)
    assert held is not None and held.revocation_date.year == 2051
    assert held.extensions[0].value == x509.HoldInstructionCode(OID("1.2.840.10040.2.2"))
    assert crl.is_revoked(12) is None
    assert x509.CertificateRevocationList.from_pem(crl.to_pem()) == crl
    assert hash(crl) == hash(x509.CertificateRevocationList.from_der(crl.der))
    assert "entries=3" in repr(crl)


def test_crl_options_and_rules(keys: dict[str, x509.PrivateKey]) -> None:
    _, empty = _crl(
        keys,
        issuer=x509.Name.from_rfc4514("CN=Just a name"),
        next_update=None,
        revoked=[],
        signature_algorithm="sha512",
        extensions=[x509.DeltaCRLIndicator(4), x509.CRLNumber(6)],
    )
    assert empty.next_update is None and empty.revoked_certificates == ()
    assert empty.crl_number == 6 and empty.extensions.delta_crl_indicator == x509.DeltaCRLIndicator(
        4
    )
    assert empty.signature_algorithm == x509.SignatureAlgorithm.ecdsa("sha512")
    delta = empty.extensions.get("2.5.29.27")
    assert delta is not None and delta.critical
    with pytest.raises(ValueError):
        _crl(keys, crl_number=-1)
    with pytest.raises(ValueError):
        x509.CRLReason("becauseIFeltLikeIt")
    # the version rules of RFC 5280 5.1.2.1, on a decoded CRL signed again
    _, crl = _crl(keys)
    structure = asn1.decode_der(g.CertificateListG, crl.der).value
    tbs = structure.tbs_cert_list.value

    def again(**changes: object) -> bytes:
        new = dataclasses.replace(tbs, **changes)  # type: ignore[arg-type]
        der = asn1.encode_der(g.TBSCertListG, new)
        s = g.CertificateListStructure(
            Encoded(new, der), structure.signature_algorithm, structure.signature_value
        )
        return asn1.encode_der(g.CertificateListG, Encoded(s))

    with pytest.raises(x509.DecodeError, match="extensions in a v1 CRL"):
        x509.CertificateRevocationList.from_der(again(version=None))
    with pytest.raises(x509.DecodeError, match="version 2"):
        x509.CertificateRevocationList.from_der(again(version=2))
    v1 = x509.CertificateRevocationList.from_der(
        again(
            version=None,
            crl_extensions=None,
            revoked_certificates=(g.RevokedCertificate(7, tbs.this_update),),
        )
    )
    assert (
        v1.version == 1
        and v1.is_revoked(7) is not None
        and not v1.verify(keys["p256"].public_key())
    )
    bad_entry = g.RevokedCertificate(
        7, tbs.this_update, (g.Extension(OID("2.5.29.21"), False, b"\x0a\x01\x07"),)
    )
    with pytest.raises(x509.DecodeError, match=r"revokedCertificates\[0\].*reasonCode"):
        x509.CertificateRevocationList.from_der(again(revoked_certificates=(bad_entry,)))


def test_request(keys: dict[str, x509.PrivateKey]) -> None:
    key = keys["ed25519"]
    subject = x509.Name.from_rfc4514("CN=req.example,O=Org")
    csr = x509.CertificationRequest.create(
        subject,
        key,
        [x509.SubjectAlternativeName((x509.DNSName("req.example"),)), x509.BasicConstraints(False)],
    )
    assert csr.verify() and csr.subject == subject and csr.public_key == key.public_key()
    assert csr.signature_algorithm == x509.SignatureAlgorithm.ed25519()
    assert [e.name for e in csr.extensions] == ["subjectAltName", "basicConstraints"]
    assert csr.extensions.basic_constraints == x509.BasicConstraints(False)
    (attribute,) = csr.attributes
    assert attribute[0] == "1.2.840.113549.1.9.14"
    assert x509.CertificationRequest.from_pem(csr.to_pem()) == csr
    bare = x509.CertificationRequest.create(subject, keys["rsa"], hash="sha384")
    assert bare.verify() and bare.attributes == () and len(bare.extensions) == 0
    assert bare.signature_algorithm.name == "sha384WithRSAEncryption"
    # a request signed with another key than the one it carries
    structure = asn1.decode_der(g.CertificationRequestG, csr.der).value
    info = structure.certification_request_info
    forged = g.CertificationRequestStructure(
        info, structure.signature_algorithm, BitString(x509.sign(keys["ed25519"], None, b"other"))
    )
    assert not x509.CertificationRequest.from_der(
        asn1.encode_der(g.CertificationRequestG, Encoded(forged))
    ).verify()
    twice = dataclasses.replace(info.value, attributes=info.value.attributes * 2)
    again = g.CertificationRequestStructure(
        Encoded(twice, b""), structure.signature_algorithm, structure.signature
    )
    with pytest.raises(x509.DecodeError, match="more than one extensionRequest"):
        x509.CertificationRequest.from_der(asn1.encode_der(g.CertificationRequestG, Encoded(again)))
    v2 = dataclasses.replace(info.value, version=1)
    with pytest.raises(x509.DecodeError, match="version 1"):
        x509.CertificationRequest.from_der(
            asn1.encode_der(
                g.CertificationRequestG,
                Encoded(
                    g.CertificationRequestStructure(
                        Encoded(v2, b""), structure.signature_algorithm, structure.signature
                    )
                ),
            )
        )


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_crls_and_requests(keys: dict[str, x509.PrivateKey], data: st.DataObject) -> None:
    seeds = _seeds(keys)
    der = bytearray(data.draw(st.sampled_from(seeds)))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(der) - 1))
        der[pos] ^= 1 << data.draw(st.integers(0, 7))
    for kind in (x509.CertificateRevocationList, x509.CertificationRequest):
        try:
            value = kind.from_der(bytes(der))
        except x509.DecodeError:
            continue
        if isinstance(value, x509.CertificateRevocationList):
            assert value.verify(keys["p256"].public_key()) in (True, False)
            assert (
                value.is_revoked(10) is None or value.is_revoked(10) in value.revoked_certificates
            )
        else:
            assert value.verify(allow_sha1=True) in (True, False)


_SEEDS: list[bytes] = []


def _seeds(keys: dict[str, x509.PrivateKey]) -> list[bytes]:
    if not _SEEDS:
        _SEEDS.append(_crl(keys)[1].der)
        names: list[x509.GeneralName] = [x509.DNSName("a.example"), x509.URI("http://x/")]
        _SEEDS.append(
            x509.CertificationRequest.create(
                x509.Name.from_rfc4514("CN=x"),
                keys["p256"],
                [x509.SubjectAlternativeName(tuple(names))],
            ).der
        )
    return _SEEDS
