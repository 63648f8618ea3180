"""x509/_grammar.py: RFC 5280 (and the key and request formats) as asn1 grammars.

Real inputs decode and re-encode byte for byte: every certificate of the system trust store,
and certificates, requests, CRLs and keys that the openssl command line makes with many
extensions; the decoded values are checked against what openssl was asked to put in.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import asn1
from x509 import _grammar as g

STORE = Path("/etc/ssl/certs")
OPENSSL = shutil.which("openssl")

EXTENSIONS: dict[str, asn1.Grammar[Any]] = {
    "2.5.29.14": g.SubjectKeyIdentifier,
    "2.5.29.15": g.KeyUsage,
    "2.5.29.16": g.PrivateKeyUsagePeriodG,
    "2.5.29.17": g.GeneralNames,
    "2.5.29.18": g.GeneralNames,
    "2.5.29.19": g.BasicConstraintsG,
    "2.5.29.30": g.NameConstraintsG,
    "2.5.29.31": g.CRLDistributionPoints,
    "2.5.29.32": g.CertificatePolicies,
    "2.5.29.33": g.PolicyMappings,
    "2.5.29.35": g.AuthorityKeyIdentifierG,
    "2.5.29.36": g.PolicyConstraintsG,
    "2.5.29.37": g.ExtKeyUsageSyntax,
    "2.5.29.54": g.InhibitAnyPolicy,
    "1.3.6.1.5.5.7.1.1": g.AuthorityInfoAccessSyntax,
    "1.3.6.1.5.5.7.1.11": g.SubjectInfoAccessSyntax,
    "2.5.29.20": g.CRLNumber,
    "2.5.29.21": g.CRLReason,
    "2.5.29.24": g.InvalidityDate,
    "2.5.29.28": g.IssuingDistributionPointG,
}


def round_trip(grammar: asn1.Grammar[Any], der: bytes) -> Any:
    value = asn1.decode_der(grammar, der)
    assert asn1.encode_der(grammar, value) == der
    return value


def extensions_of(extensions: tuple[g.Extension, ...] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ext in extensions or ():
        grammar = EXTENSIONS.get(ext.extn_id)
        if grammar is not None:
            out[ext.extn_id] = round_trip(grammar, ext.extn_value)
    return out


def _store() -> list[tuple[str, bytes]]:
    if not STORE.is_dir():
        return []
    return [
        (path.name, der)
        for path in sorted(STORE.glob("*.pem"))
        for _, der in asn1.pem.decode(path.read_bytes(), "CERTIFICATE")
    ]


CERTS = _store()


@pytest.mark.skipif(not CERTS, reason=f"no certificates in {STORE}")
def test_trust_store_round_trips() -> None:
    lenient = 0
    for name, der in CERTS:
        cert = round_trip(g.CertificateG, der).value
        assert cert.tbs_certificate.encoding == der[4 : 4 + len(cert.tbs_certificate.encoding)]
        tbs = cert.tbs_certificate.value
        assert tbs.version in (g.V1, g.V3), name
        assert tbs.validity.not_before.value < tbs.validity.not_after.value
        for ext in tbs.extensions or ():
            if ext.extn_id == "2.5.29.15":
                try:
                    round_trip(g.KeyUsage, ext.extn_value)
                except asn1.DecodeError:
                    # trailing zero bits (two Trustwave roots): the lenient form reads them
                    asn1.decode_der(g.KeyUsageLenient, ext.extn_value)
                    lenient += 1
                continue
            grammar = EXTENSIONS.get(ext.extn_id)
            if grammar is not None:
                round_trip(grammar, ext.extn_value)
    assert lenient <= 4


def openssl(*args: str, cwd: Path, stdin: bytes | None = None) -> bytes:
    assert OPENSSL is not None
    result = subprocess.run(
        [OPENSSL, *args], cwd=cwd, input=stdin, capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def der_of(path: Path) -> bytes:
    return asn1.pem.decode(path.read_bytes())[0][1]


CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
C = DE
O = Example Org
CN = test.example
[ext]
basicConstraints = critical, CA:TRUE, pathlen:2
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
extendedKeyUsage = serverAuth, clientAuth, 1.2.3.4.5
subjectAltName = DNS:a.example, DNS:*.b.example, IP:192.0.2.1, IP:2001:db8::1, \
    email:x@example.org, URI:https://example.org/, RID:1.2.3.4, dirName:dir_sect, \
    otherName:1.3.6.1.5.5.7.8.9;UTF8:user@example.org
nameConstraints = critical, permitted;DNS:example, permitted;IP:192.0.2.0/255.255.255.0, \
    excluded;email:bad.example, excluded;dirName:dir_sect
crlDistributionPoints = URI:http://crl.example/ca.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example/, caIssuers;URI:http://ca.example/ca.der
certificatePolicies = 2.23.140.1.2.1, @policy_sect
policyConstraints = requireExplicitPolicy:1, inhibitPolicyMapping:2
inhibitAnyPolicy = 3
policyMappings = 1.2.3.4:1.2.3.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always, issuer:always
[dir_sect]
CN = dir name
O = Dir Org
[policy_sect]
policyIdentifier = 1.3.6.1.4.1.99999.1
CPS.1 = "https://example.org/cps"
userNotice.1 = @notice
[notice]
explicitText = "Explicit text"
organization = "Example Org"
noticeNumbers = 1, 2, 3
[crl_ext]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp
[idp]
fullname = URI:http://crl.example/ca.crl
onlysomereasons = keyCompromise, superseded
"""


# The artefacts: a CA certificate with every extension, a request, keys in each format,
# certificates signed with RSA-PSS, Ed25519 and DSA, and a CRL with revoked entries.
COMMANDS = """
genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
req -new -x509 -config ca.cnf -extensions ext -key rsa.key -days 30 -set_serial 0x0123456789abcdef01 -out ca.pem
req -new -config ca.cnf -key rsa.key -addext subjectAltName=DNS:csr.example -out req.pem
genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key
ec -in ec.key -out ec-sec1.pem
genpkey -algorithm ED25519 -out ed.key
genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param
genpkey -paramfile dsa.param -out dsa.key
rsa -in rsa.key -traditional -out rsa-pkcs1.pem
req -new -x509 -config ca.cnf -key rsa.key -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sha384 -days 1 -out pss.pem
req -new -x509 -config ca.cnf -key ed.key -days 1 -out ed.pem
req -new -x509 -config ca.cnf -key dsa.key -days 1 -out dsa.pem
ca -gencrl -config ca-crl.cnf -keyfile rsa.key -cert ca.pem -out ca.crl
"""  # noqa: E501

CA_DATABASE = (
    "R\t301231000000Z\t250101000000Z,keyCompromise\t1001\tunknown\t/CN=revoked\n"
    "R\t301231000000Z\t250102000000Z\t1002\tunknown\t/CN=other\n"
)
CA_SECTION = """
[ca]
default_ca = CA
[CA]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 7
crl_extensions = crl_ext
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The artefacts of COMMANDS, made by the openssl command line in a temporary folder."""
    if OPENSSL is None:
        pytest.skip("needs the openssl command line")
    d = tmp_path_factory.mktemp("openssl")
    (d / "ca.cnf").write_text(CONFIG)
    (d / "ca-crl.cnf").write_text(CONFIG + CA_SECTION)
    (d / "index.txt").write_text(CA_DATABASE)
    (d / "crlnumber").write_text("07\n")
    for line in COMMANDS.strip().splitlines():
        openssl(*shlex.split(line), cwd=d)
    return d


def test_openssl_certificate_with_every_extension(made: Path) -> None:
    cert = round_trip(g.CertificateG, der_of(made / "ca.pem")).value
    tbs = cert.tbs_certificate.value
    assert tbs.version == g.V3
    assert tbs.serial_number == 0x0123456789ABCDEF01
    assert tbs.signature.algorithm == "1.2.840.113549.1.1.11"
    assert cert.signature_algorithm == tbs.signature
    names = [
        (atv.type, asn1.decode_der(g.DirectoryString, atv.value)[1])
        for rdn in tbs.subject.rdns
        for atv in rdn
    ]
    assert names == [("2.5.4.6", "DE"), ("2.5.4.10", "Example Org"), ("2.5.4.3", "test.example")]
    assert tbs.issuer == tbs.subject
    critical = {e.extn_id for e in tbs.extensions or () if e.critical}
    assert critical == {"2.5.29.19", "2.5.29.15", "2.5.29.30"}
    ext = extensions_of(tbs.extensions)
    assert ext["2.5.29.19"] == g.BasicConstraints(True, 2)
    assert ext["2.5.29.15"] == {"keyCertSign", "cRLSign", "digitalSignature"}
    assert ext["2.5.29.37"] == ("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.2.3.4.5")
    san = ext["2.5.29.17"]
    assert ("dNSName", "*.b.example") in san
    assert ("iPAddress", bytes([192, 0, 2, 1])) in san
    assert ("iPAddress", bytes.fromhex("20010db8" + "00" * 11 + "01")) in san
    assert ("rfc822Name", "x@example.org") in san
    assert ("uniformResourceIdentifier", "https://example.org/") in san
    assert ("registeredID", "1.2.3.4") in san
    other = next(v for k, v in san if k == "otherName")
    assert other.type_id == "1.3.6.1.5.5.7.8.9"
    assert asn1.decode_der(asn1.utf8_string, other.value) == "user@example.org"
    directory = next(v for k, v in san if k == "directoryName")
    assert len(directory.rdns) == 2
    nc = ext["2.5.29.30"]
    assert [s.base for s in nc.permitted_subtrees] == [
        ("dNSName", "example"),
        ("iPAddress", bytes([192, 0, 2, 0, 255, 255, 255, 0])),
    ]
    assert [s.base[0] for s in nc.excluded_subtrees] == ["rfc822Name", "directoryName"]
    assert ext["2.5.29.31"][0].distribution_point == (
        "fullName",
        (("uniformResourceIdentifier", "http://crl.example/ca.crl"),),
    )
    assert [a.access_method for a in ext["1.3.6.1.5.5.7.1.1"]] == [
        "1.3.6.1.5.5.7.48.1",
        "1.3.6.1.5.5.7.48.2",
    ]
    policies = ext["2.5.29.32"]
    assert [p.policy_identifier for p in policies] == ["2.23.140.1.2.1", "1.3.6.1.4.1.99999.1"]
    qualifiers = policies[1].policy_qualifiers
    assert asn1.decode_der(asn1.ia5_string, qualifiers[0].qualifier) == "https://example.org/cps"
    notice = round_trip(g.UserNoticeG, qualifiers[1].qualifier)
    assert notice.explicit_text[1] == "Explicit text"
    assert notice.notice_ref.notice_numbers == (1, 2, 3)
    assert ext["2.5.29.36"] == g.PolicyConstraints(1, 2)
    assert ext["2.5.29.54"] == 3
    assert ext["2.5.29.33"] == (g.PolicyMapping(asn1.OID("1.2.3.4"), asn1.OID("1.2.3.5")),)
    aki = ext["2.5.29.35"]
    assert aki.key_identifier == ext["2.5.29.14"]
    assert aki.authority_cert_serial_number == tbs.serial_number
    assert aki.authority_cert_issuer == (("directoryName", tbs.issuer),)


def test_openssl_request(made: Path) -> None:
    req = round_trip(g.CertificationRequestG, der_of(made / "req.pem")).value
    info = req.certification_request_info.value
    assert info.version == 0
    (attribute,) = info.attributes
    assert attribute.type == "1.2.840.113549.1.9.14"  # extensionRequest
    (extensions_der,) = attribute.values
    (san,) = round_trip(g.ExtensionRequest, extensions_der)
    assert round_trip(g.GeneralNames, san.extn_value) == (("dNSName", "csr.example"),)


def test_openssl_crl(made: Path) -> None:
    crl = round_trip(g.CertificateListG, der_of(made / "ca.crl")).value
    tbs = crl.tbs_cert_list.value
    assert tbs.version == 1
    assert [r.user_certificate for r in tbs.revoked_certificates] == [0x1001, 0x1002]
    first = tbs.revoked_certificates[0]
    assert extensions_of(first.crl_entry_extensions) == {"2.5.29.21": "keyCompromise"}
    ext = extensions_of(tbs.crl_extensions)
    assert ext["2.5.29.20"] == 7
    idp = ext["2.5.29.28"]
    assert idp.only_some_reasons == {"keyCompromise", "superseded"}


def test_openssl_keys_and_signature_algorithms(made: Path) -> None:
    pkcs8 = round_trip(g.OneAsymmetricKeyG, der_of(made / "rsa.key"))
    assert pkcs8.private_key_algorithm.algorithm == "1.2.840.113549.1.1.1"
    rsa = round_trip(g.RSAPrivateKeyG, pkcs8.private_key)
    assert rsa == round_trip(g.RSAPrivateKeyG, der_of(made / "rsa-pkcs1.pem"))
    assert rsa.modulus == rsa.prime1 * rsa.prime2
    sec1 = round_trip(g.ECPrivateKeyG, der_of(made / "ec-sec1.pem"))
    assert sec1.parameters == "1.2.840.10045.3.1.7" and len(sec1.private_key) == 32
    ed = round_trip(g.OneAsymmetricKeyG, der_of(made / "ed.key"))
    assert ed.private_key_algorithm == g.AlgorithmIdentifier(asn1.OID("1.3.101.112"))
    assert len(round_trip(g.CurvePrivateKey, ed.private_key)) == 32
    dsa = round_trip(g.OneAsymmetricKeyG, der_of(made / "dsa.key"))
    params = round_trip(g.DSSParmsG, dsa.private_key_algorithm.parameters or b"")
    assert params.p.bit_length() == 2048 and (params.p - 1) % params.q == 0

    pss = round_trip(g.CertificateG, der_of(made / "pss.pem")).value
    assert pss.signature_algorithm.algorithm == "1.2.840.113549.1.1.10"
    pss_params = round_trip(g.RSASSAPSSParamsG, pss.signature_algorithm.parameters or b"")
    assert pss_params.hash_algorithm.algorithm == "2.16.840.1.101.3.4.2.2"  # sha384
    assert pss_params.salt_length == 32
    ed_cert = round_trip(g.CertificateG, der_of(made / "ed.pem")).value
    assert ed_cert.signature_algorithm == g.AlgorithmIdentifier(asn1.OID("1.3.101.112"))
    dsa_cert = round_trip(g.CertificateG, der_of(made / "dsa.pem")).value
    sig = round_trip(g.DSSSigValueG, dsa_cert.signature_value.octets())
    assert 0 < sig.r < params.q and 0 < sig.s < params.q


def test_time_form_follows_rfc5280_and_is_kept() -> None:
    from datetime import UTC, datetime

    early, late = datetime(2049, 12, 31, tzinfo=UTC), datetime(2050, 1, 1, tzinfo=UTC)
    assert g.Time.of(early) == g.Time(early, False)
    assert g.Time.of(late) == g.Time(late, True)
    # a GeneralizedTime before 2050 (seen in deployed certificates) is kept as it came
    der = asn1.encode_der(g.TimeG, g.Time(early, True))
    assert der[0] == 0x18 and round_trip(g.TimeG, der) == g.Time(early, True)
