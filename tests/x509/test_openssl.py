"""Differential tests against the openssl command line.

Certificates, requests and CRLs made by openssl (RSA, RSA-PSS keys and PSS signatures, EC
P-256/384/521, Ed25519, DSA; the extensions of test_grammar's CONFIG and more) read by us
to the values ``openssl x509|req|crl -text`` and friends print; certificates, requests and
CRLs made by us (every key type we sign with) accepted by ``openssl verify``, ``openssl req
-verify`` and ``openssl crl -verify``, and printed by openssl as we read them.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import x509
from asn1 import OID
from tests.x509.conftest import NOW, OPENSSL, Run, make_ca, run_openssl, store_certificates
from tests.x509.test_grammar import CA_DATABASE, CA_SECTION, CONFIG

EXTRA_CONFIG = """
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, codeSigning, emailProtection, timeStamping, OCSPSigning
subjectAltName = DNS:leaf.example, IP:10.1.2.3, email:leaf@example.org, URI:http://leaf.example/
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
crlDistributionPoints = URI:http://crl.example/leaf.crl
"""
# The subject of the leaf: RFC 4514 special characters, a leading '#', non-ASCII.
LEAF_SUBJECT = (
    "/C=DE/O=Comma, Inc./OU=a\\+b;c<d>/CN=#hash lead/emailAddress=x@example.org"
    "/serialNumber=1234/DC=example/L=Zürich/OU=x+CN=multi"
)
KINDS = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "pss": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
    "ed": ["-algorithm", "ED25519"],
    "dsa": ["-paramfile", "dsa.param"],
}
HASHES = {"p256": "-sha256", "p384": "-sha384", "p521": "-sha512", "dsa": "-sha256"}
CERTS = ["rsa", "pss", "pss-sig", "p256", "p384", "p521", "ed", "dsa", "sha1", "md5", "leaf"]
SELF_SIGNED = [c for c in CERTS if c != "leaf"]


def _commands() -> Iterator[str]:
    yield "genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param"
    for kind, args in KINDS.items():
        yield f"genpkey {shlex.join(args)} -out {kind}.key"
    x509_req = "req -new -x509 -config ca.cnf -days 30"
    yield f"{x509_req} -extensions ext -key rsa.key -set_serial 0x0123456789abcdef01 -out rsa.pem"
    for kind in KINDS:
        if kind != "rsa":
            digest = HASHES.get(kind, "")
            yield f"{x509_req} -extensions ext -key {kind}.key {digest} -out {kind}.pem"
    yield (
        f"{x509_req} -key rsa.key -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 "
        "-sha384 -out pss-sig.pem"
    )
    yield f"{x509_req} -key rsa.key -sha1 -out sha1.pem"
    yield f"{x509_req} -key rsa.key -md5 -out md5.pem"
    yield f"req -new -key p256.key -utf8 -subj {shlex.quote(LEAF_SUBJECT)} -out leaf.csr"
    yield (
        "x509 -req -in leaf.csr -CA rsa.pem -CAkey rsa.key -extfile ca.cnf -extensions leaf_ext "
        "-set_serial 0x1001 -days 10 -out leaf.pem"
    )
    for kind in KINDS:
        yield (
            f"req -new -config ca.cnf -key {kind}.key "
            f"-addext subjectAltName=DNS:csr.example,IP:10.0.0.1 -out req-{kind}.pem"
        )
    for kind in ("rsa", "p256"):
        yield f"ca -gencrl -config ca-crl.cnf -keyfile {kind}.key -cert {kind}.pem -out {kind}.crl"


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The artefacts of _commands(), made by openssl in a temporary folder."""
    if OPENSSL is None:
        pytest.skip("needs the openssl command line")
    d = tmp_path_factory.mktemp("openssl-x509")
    (d / "ca.cnf").write_text(CONFIG + EXTRA_CONFIG)
    (d / "ca-crl.cnf").write_text(CONFIG + CA_SECTION)
    (d / "index.txt").write_text(CA_DATABASE)
    (d / "crlnumber").write_text("07\n")
    for line in _commands():
        run_openssl(*shlex.split(line), cwd=d)
    return d


# --- reading what openssl prints -------------------------------------------------------------


def _fields(out: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in out.strip().splitlines() if "=" in line)


def _unescape(rfc2253: str) -> str:
    """openssl -nameopt RFC2253 escapes UTF-8 octets as \\XX (esc_msb): undo that."""
    raw = re.sub(
        r"((?:\\[89A-F][0-9A-F])+)",
        lambda m: bytes.fromhex(m.group(1).replace("\\", "")).decode("utf-8"),
        rfc2253,
    )
    return raw


def _dn(text: str) -> list[list[str]]:
    """An RFC 4514 string split into RDNs and sorted attributes (openssl writes the
    attributes of a multi-valued RDN in reverse order)."""
    rdns = re.split(r"(?<!\\),", text)
    return [sorted(re.split(r"(?<!\\)\+", rdn)) for rdn in rdns]


def _date(text: str) -> datetime:
    return datetime.strptime(text, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=UTC)


def _extension_blocks(text: str) -> dict[str, tuple[bool, list[str]]]:
    """openssl -text's extensions: name -> (critical, the lines of its value)."""
    out: dict[str, tuple[bool, list[str]]] = {}
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip().endswith("extensions:"))
    except StopIteration:
        return out
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    current: list[str] = []
    for line in lines[start + 1 :]:
        stripped = line.strip()
        depth = len(line) - len(line.lstrip())
        if depth < indent or stripped.startswith("Signature Algorithm"):
            break
        if depth == indent:
            name, _, flag = stripped.partition(":")
            current = []
            out[name] = (flag.strip() == "critical", current)
        else:
            current.append(stripped)
    return out


KEY_USAGE = {
    "Digital Signature": "digitalSignature",
    "Non Repudiation": "nonRepudiation",
    "Key Encipherment": "keyEncipherment",
    "Data Encipherment": "dataEncipherment",
    "Key Agreement": "keyAgreement",
    "Certificate Sign": "keyCertSign",
    "CRL Sign": "cRLSign",
    "Encipher Only": "encipherOnly",
    "Decipher Only": "decipherOnly",
}
EKU = {
    "TLS Web Server Authentication": "1.3.6.1.5.5.7.3.1",
    "TLS Web Client Authentication": "1.3.6.1.5.5.7.3.2",
    "Code Signing": "1.3.6.1.5.5.7.3.3",
    "E-mail Protection": "1.3.6.1.5.5.7.3.4",
    "Time Stamping": "1.3.6.1.5.5.7.3.8",
    "OCSP Signing": "1.3.6.1.5.5.7.3.9",
}
SIGNATURE_NAMES = {
    "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.113549.1.1.10": "rsassaPss",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.3.101.112": "ED25519",
    "2.16.840.1.101.3.4.3.2": "dsa_with_SHA256",
}


def _san_items(line: str) -> list[object]:
    """The DNS, email, URI and IP entries of openssl's GeneralNames line, typed."""
    out: list[object] = []
    for item in line.split(", "):
        kind, _, value = item.partition(":")
        if kind in ("DNS", "email", "URI"):
            out.append((kind, value))
        elif kind in ("IP Address", "IP"):
            out.append(("IP", ipaddress.ip_address(value)))
    return out


def _our_items(names: tuple[x509.GeneralName, ...]) -> list[object]:
    out: list[object] = []
    for n in names:
        if isinstance(n, x509.DNSName):
            out.append(("DNS", n.value))
        elif isinstance(n, x509.RFC822Name):
            out.append(("email", n.value))
        elif isinstance(n, x509.URI):
            out.append(("URI", n.value))
        elif isinstance(n, x509.IPAddress):
            out.append(("IP", n.value))
    return out


def _colon_hex(data: bytes) -> str:
    return ":".join(f"{b:02X}" for b in data)


def check_certificate(cert: x509.Certificate, path: str, openssl: Run) -> None:
    """Compare *cert* with what openssl prints for the same file."""
    out = openssl(
        "x509", "-in", path, "-noout", "-serial", "-subject", "-issuer", "-dates",
        "-fingerprint", "-sha256", "-nameopt", "RFC2253", "-text",
    )  # fmt: skip
    head, _, text = out.partition("Certificate:\n")
    fields = _fields(head)
    assert int(fields["serial"], 16) == cert.serial_number
    assert _dn(_unescape(fields["subject"])) == _dn(str(cert.subject))
    assert _dn(_unescape(fields["issuer"])) == _dn(str(cert.issuer))
    assert _date(fields["notBefore"]) == cert.not_before
    assert _date(fields["notAfter"]) == cert.not_after
    assert fields["sha256 Fingerprint"] == _colon_hex(cert.fingerprint())
    assert f"Version: {cert.version} " in text
    algorithm = cert.signature_algorithm
    assert f"Signature Algorithm: {SIGNATURE_NAMES[algorithm.oid]}" in text
    if algorithm.pss is not None:
        assert f"Hash Algorithm: {algorithm.pss.hash}" in text
        assert f"Mask Algorithm: mgf1 with {algorithm.pss.mgf1_hash}" in text
        assert f"Salt Length: 0x{algorithm.pss.salt_length:02X}" in text
    info = cert.public_key_info
    if info.key_type == "ed25519":
        assert "ED25519 Public-Key" in text
    else:
        assert f"Public-Key: ({info.size_bits} bit)" in text
    if info.curve is not None:
        assert f"NIST CURVE: {info.curve}" in text
    exts = _extension_blocks(text)
    assert len(exts) == len(cert.extensions)
    e = cert.extensions
    for ext in cert.extensions:
        label = {
            "2.5.29.19": "X509v3 Basic Constraints",
            "2.5.29.15": "X509v3 Key Usage",
            "2.5.29.30": "X509v3 Name Constraints",
        }.get(ext.oid)
        if label is not None:
            assert exts[label][0] == ext.critical
    if e.basic_constraints is not None:
        (line,) = exts["X509v3 Basic Constraints"][1]
        bc = e.basic_constraints
        expected = "CA:TRUE" if bc.ca else "CA:FALSE"
        if bc.path_length is not None:
            expected += f", pathlen:{bc.path_length}"
        assert line == expected
    if e.key_usage is not None:
        (line,) = exts["X509v3 Key Usage"][1]
        assert {KEY_USAGE[n] for n in line.split(", ")} == e.key_usage.names
    if e.extended_key_usage is not None:
        (line,) = exts["X509v3 Extended Key Usage"][1]
        assert [EKU.get(n, n) for n in line.split(", ")] == list(e.extended_key_usage.usages)
    if e.subject_alternative_name is not None:
        (line,) = exts["X509v3 Subject Alternative Name"][1]
        assert _san_items(line) == _our_items(e.subject_alternative_name.names)
    if e.name_constraints is not None:
        lines = exts["X509v3 Name Constraints"][1]
        split = lines.index("Excluded:") if "Excluded:" in lines else len(lines)
        permitted = [
            ("IP", ipaddress.ip_network(v.replace("IP:", ""))) if v.startswith("IP:") else v
            for v in lines[1:split]
            if v.startswith(("DNS:", "IP:", "email:"))
        ]
        ours: list[object] = []
        for n in e.name_constraints.permitted or ():
            if isinstance(n, x509.IPNetwork):
                ours.append(("IP", n.value))
            elif isinstance(n, x509.DNSName | x509.RFC822Name):
                ours.append(str(n))
        assert permitted == ours
    if e.subject_key_identifier is not None:
        assert exts["X509v3 Subject Key Identifier"][1] == [
            _colon_hex(e.subject_key_identifier.digest)
        ]
    aki = e.authority_key_identifier
    if aki is not None:
        lines = exts["X509v3 Authority Key Identifier"][1]
        assert lines[0].removeprefix("keyid:") == _colon_hex(aki.key_identifier or b"")
        if aki.authority_cert_serial_number is not None:
            serial = aki.authority_cert_serial_number
            size = max(1, (serial.bit_length() + 7) // 8)
            assert lines[-1] == "serial:" + _colon_hex(serial.to_bytes(size))
    if e.crl_distribution_points is not None:
        uris = [x for x in exts["X509v3 CRL Distribution Points"][1] if x.startswith("URI:")]
        assert uris == [str(n) for p in e.crl_distribution_points.points for n in p.full_name or ()]
    if e.authority_information_access is not None:
        method = {
            x509.AccessDescription.OCSP: "OCSP",
            x509.AccessDescription.CA_ISSUERS: "CA Issuers",
        }
        assert exts["Authority Information Access"][1] == [
            f"{method[d.method]} - {d.location}"
            for d in e.authority_information_access.descriptions
        ]
    if e.certificate_policies is not None:
        lines = exts["X509v3 Certificate Policies"][1]
        policy_names = {"X509v3 Any Policy": "2.5.29.32.0"}
        printed = [x.removeprefix("Policy: ") for x in lines if x.startswith("Policy:")]
        assert [policy_names.get(x, x) for x in printed] == [
            p.policy_identifier for p in e.certificate_policies.policies
        ]
        for p in e.certificate_policies.policies:
            for q in p.qualifiers:
                if isinstance(q, x509.CPSUri):
                    assert f"CPS: {q.uri}" in lines
                elif isinstance(q, x509.UserNotice):
                    # openssl prints BMPString texts as empty
                    bmp = q.explicit_text_type == "bmpString"
                    text_line = "Explicit Text:" + ("" if bmp else f" {q.explicit_text}")
                    assert q.explicit_text is None or text_line in lines
                    if q.notice_reference is not None:
                        assert f"Organization: {q.notice_reference.organization}" in lines
                        numbers = ", ".join(str(n) for n in q.notice_reference.notice_numbers)
                        assert f"Numbers: {numbers}" in lines
    if e.policy_constraints is not None:
        pc = e.policy_constraints
        assert exts["X509v3 Policy Constraints"][1] == [
            f"Require Explicit Policy:{pc.require_explicit_policy}, "
            f"Inhibit Policy Mapping:{pc.inhibit_policy_mapping}"
        ]
    if e.inhibit_any_policy is not None:
        assert exts["X509v3 Inhibit Any Policy"][1] == [str(e.inhibit_any_policy.skip_certs)]
    if e.policy_mappings is not None:
        assert exts["X509v3 Policy Mappings"][1] == [
            f"{m.issuer_domain_policy}:{m.subject_domain_policy}"
            for m in e.policy_mappings.mappings
        ]


# --- theirs read by us ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CERTS)
def test_openssl_certificates(name: str, made: Path, openssl: Run) -> None:
    path = str(made / f"{name}.pem")
    cert = x509.Certificate.from_pem((made / f"{name}.pem").read_text())
    check_certificate(cert, path, openssl)
    if name == "leaf":
        issuer = x509.Certificate.from_pem((made / "rsa.pem").read_text())
        assert cert.verify_signature(issuer) and not cert.verify_signature(cert)
        assert cert.subject.get("CN") == ("#hash lead", "multi")
        assert cert.subject.get("OU") == ("a+b;c<d>", "x") and cert.subject.get("L") == ("Zürich",)
        assert str(cert.subject).startswith("OU=x+CN=multi,L=Zürich,") or str(
            cert.subject
        ).startswith("CN=multi+OU=x,L=Zürich,")
        assert (
            cert.public_key == x509.load_private_key((made / "p256.key").read_bytes()).public_key()
        )
        return
    key_file = {"pss-sig": "rsa", "sha1": "rsa", "md5": "rsa"}.get(name, name)
    key = x509.load_private_key((made / f"{key_file}.key").read_bytes())
    assert cert.public_key == key.public_key()
    assert cert.is_self_issued
    if name == "md5":
        assert cert.signature_algorithm.hash == "md5"
        assert not cert.verify_signature(cert, allow_sha1=True)
    elif name == "sha1":
        assert not cert.verify_signature(cert) and cert.verify_signature(cert, allow_sha1=True)
    else:
        assert cert.verify_signature(cert)
    if name == "pss":
        assert cert.public_key_info.key_type == "rsa-pss"
        assert cert.signature_algorithm.kind == "rsa-pss"
    if name == "rsa":
        e = cert.extensions
        assert e.policy_mappings == x509.PolicyMappings(
            (x509.PolicyMapping(OID("1.2.3.4"), OID("1.2.3.5")),)
        )
        san = e.subject_alternative_name
        assert san is not None
        assert x509.RegisteredID(OID("1.2.3.4")) in san.names
        assert x509.DirectoryName(x509.Name.from_rfc4514("O=Dir Org,CN=dir name")) in san.names
        nc = e.name_constraints
        assert nc is not None and nc.excluded == (
            x509.RFC822Name("bad.example"),
            x509.DirectoryName(x509.Name.from_rfc4514("O=Dir Org,CN=dir name")),
        )


@pytest.mark.parametrize("kind", list(KINDS))
def test_openssl_requests(kind: str, made: Path, openssl: Run) -> None:
    path = str(made / f"req-{kind}.pem")
    csr = x509.CertificationRequest.from_pem((made / f"req-{kind}.pem").read_text())
    assert csr.verify()
    assert csr.public_key == x509.load_private_key((made / f"{kind}.key").read_bytes()).public_key()
    subject = _fields(openssl("req", "-in", path, "-noout", "-subject", "-nameopt", "RFC2253"))
    assert subject["subject"] == str(csr.subject)
    text = openssl("req", "-in", path, "-noout", "-text")
    assert f"Signature Algorithm: {SIGNATURE_NAMES[csr.signature_algorithm.oid]}" in text
    san_line = text.split("X509v3 Subject Alternative Name:")[1].splitlines()[1].strip()
    san = csr.extensions.subject_alternative_name
    assert san is not None and _san_items(san_line) == _our_items(san.names)
    assert csr.version == 0 and x509.CertificationRequest.from_pem(csr.to_pem()) == csr


REASONS = {"Key Compromise": "keyCompromise", "Superseded": "superseded"}


@pytest.mark.parametrize("kind", ["rsa", "p256"])
def test_openssl_crls(kind: str, made: Path, openssl: Run) -> None:
    path = str(made / f"{kind}.crl")
    crl = x509.CertificateRevocationList.from_pem((made / f"{kind}.crl").read_text())
    issuer = x509.Certificate.from_pem((made / f"{kind}.pem").read_text())
    assert crl.verify(issuer) and crl.issuer == issuer.subject
    other = x509.Certificate.from_pem((made / "p384.pem").read_text())
    assert not crl.verify(other)
    fields = _fields(
        openssl(
            "crl",
            "-in",
            path,
            "-noout",
            "-lastupdate",
            "-nextupdate",
            "-crlnumber",
            "-issuer",
            "-nameopt",
            "RFC2253",
        )
    )
    assert _date(fields["lastUpdate"]) == crl.this_update
    assert crl.next_update is not None and _date(fields["nextUpdate"]) == crl.next_update
    assert int(fields["crlNumber"], 16) == crl.crl_number == {"rsa": 7, "p256": 8}[kind]
    assert fields["issuer"] == str(crl.issuer)
    text = openssl("crl", "-in", path, "-noout", "-text")
    entries = re.findall(r"Serial Number: ([0-9A-F]+)\n\s+Revocation Date: (.+)", text)
    assert [(int(s, 16), _date(d)) for s, d in entries] == [
        (r.serial_number, r.revocation_date) for r in crl.revoked_certificates
    ]
    reasons = re.findall(r"CRL Reason Code: *\n\s+(.+)", text)
    assert [REASONS[r] for r in reasons] == [
        r.reason for r in crl.revoked_certificates if r.reason is not None
    ]
    first = crl.is_revoked(0x1001)
    assert first is not None and first.reason == "keyCompromise" and crl.is_revoked(0x1003) is None
    idp = crl.extensions.issuing_distribution_point
    assert idp is not None and idp.only_some_reasons == frozenset({"keyCompromise", "superseded"})
    assert crl.extensions.authority_key_identifier is not None


# --- ours read by openssl --------------------------------------------------------------------

CHAINS = ["rsa", "rsa-pss", "p256", "p384", "p521", "ed25519", "dsa"]


def _full_ca(key: x509.PrivateKey, algorithm: x509.SignatureAlgorithm) -> x509.Certificate:
    directory = x509.DirectoryName(x509.Name.from_rfc4514("CN=dir name,O=Dir Org"))
    return make_ca(
        key,
        name="Root with everything",
        algorithm=algorithm,
        serial_number=0x0123456789ABCDEF01,
        extended_key_usage=[x509.ExtendedKeyUsage.SERVER_AUTH, OID("1.2.3.4.5")],
        subject_alternative_names=[
            x509.DNSName("a.example"),
            x509.IPAddress(ipaddress.ip_address("2001:db8::1")),
            x509.RFC822Name("x@example.org"),
            x509.URI("https://example.org/"),
            directory,
        ],
        name_constraints=x509.NameConstraints(
            permitted=(
                x509.DNSName("example"),
                x509.IPNetwork(ipaddress.ip_network("192.0.2.0/24")),
            ),
            excluded=(x509.RFC822Name("bad.example"), directory),
        ),
        policies=[
            OID("2.23.140.1.2.1"),
            x509.PolicyInformation(
                OID("1.3.6.1.4.1.99999.1"),
                (
                    x509.CPSUri("https://example.org/cps"),
                    x509.UserNotice(
                        x509.NoticeReference("Example Org", (1, 2, 3)), "Explicit text"
                    ),
                ),
            ),
        ],
        crl_distribution_points=["http://crl.example/ca.crl"],
        ocsp_responders=["http://ocsp.example/"],
        ca_issuers=["http://ca.example/ca.der"],
        extensions=[
            x509.PolicyConstraints(1, 2),
            x509.InhibitAnyPolicy(3),
            x509.PolicyMappings((x509.PolicyMapping(OID("1.2.3.4"), OID("1.2.3.5")),)),
            x509.BasicConstraints(True, 2),
        ],
    )


@pytest.mark.parametrize("kind", CHAINS)
def test_our_chain_verified_by_openssl(
    kind: str, keys: dict[str, x509.PrivateKey], openssl: Run, tmp_path: Path
) -> None:
    key = keys["rsa" if kind == "rsa-pss" else kind]
    algorithm = x509.SignatureAlgorithm.for_key(key, pss=kind == "rsa-pss")
    now = NOW  # the validity of make_ca's roots; openssl is told the time with -attime
    at = str(int(NOW.timestamp()))
    root = _full_ca(key, algorithm)
    inter_key = keys["p256" if kind != "p256" else "p384"]
    inter = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=Intermediate,O=nqsb tests,C=DE"),
        public_key=inter_key.public_key(),
        signing_key=key,
        issuer=root,
        not_before=now - timedelta(hours=1),
        not_after=now + timedelta(days=1),
        basic_constraints=x509.BasicConstraints(True, 0),
        key_usage=x509.KeyUsage.of("keyCertSign", "cRLSign"),
        signature_algorithm=algorithm,
    )
    leaf = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=www.example,O=Comma\\, Inc.,C=DE"),
        public_key=keys["ed25519"].public_key(),
        signing_key=inter_key,
        issuer=inter,
        not_before=now - timedelta(hours=1),
        not_after=now + timedelta(hours=2),
        basic_constraints=x509.BasicConstraints(False),
        key_usage=x509.KeyUsage.of("digitalSignature"),
        extended_key_usage=[x509.ExtendedKeyUsage.SERVER_AUTH],
        subject_alternative_names=[x509.DNSName("www.example")],
    )
    for name, cert in (("root", root), ("inter", inter), ("leaf", leaf)):
        (tmp_path / f"{name}.pem").write_text(cert.to_pem())
        check_certificate(cert, f"{name}.pem", openssl)
    result = openssl(
        "verify",
        "-x509_strict",
        "-attime",
        at,
        "-CAfile",
        "root.pem",
        "-untrusted",
        "inter.pem",
        "leaf.pem",
        check=False,
    )
    assert "leaf.pem: OK" in result, result
    # a CRL of the intermediate revoking the leaf, and a request
    crl = x509.CertificateRevocationList.create(
        issuer=inter,
        private_key=inter_key,
        this_update=now - timedelta(minutes=5),
        next_update=now + timedelta(days=7),
        crl_number=42,
        revoked=[
            x509.RevokedCertificate(
                leaf.serial_number, now - timedelta(minutes=5), "keyCompromise"
            ),
            x509.RevokedCertificate(
                12345, now - timedelta(minutes=5), invalidity_date=now - timedelta(days=1)
            ),
        ],
    )
    (tmp_path / "crl.pem").write_text(crl.to_pem())
    assert "verify OK" in openssl(
        "crl", "-in", "crl.pem", "-CAfile", "inter.pem", "-noout", check=False
    )
    text = openssl("crl", "-in", "crl.pem", "-noout", "-text")
    serial = f"{leaf.serial_number:X}"
    assert f"Serial Number: {serial.zfill(len(serial) + len(serial) % 2)}" in text
    assert "Key Compromise" in text and "Invalidity Date" in text
    assert "X509v3 CRL Number: \n                42" in text
    (tmp_path / "chain.pem").write_text(root.to_pem() + inter.to_pem())
    revoked = openssl(
        "verify",
        "-crl_check",
        "-attime",
        at,
        "-CRLfile",
        "crl.pem",
        "-CAfile",
        "chain.pem",
        "leaf.pem",
        check=False,
    )
    assert "certificate revoked" in revoked, revoked
    csr = x509.CertificationRequest.create(
        x509.Name.from_rfc4514("CN=req.example"),
        key,
        [
            x509.SubjectAlternativeName((x509.DNSName("req.example"),)),
            x509.KeyUsage.of("digitalSignature"),
        ],
        algorithm,
    )
    (tmp_path / "csr.pem").write_text(csr.to_pem())
    out = openssl("req", "-in", "csr.pem", "-verify", "-noout", "-text", check=False)
    assert "verify OK" in out and "DNS:req.example" in out, out
    assert csr.verify()


STORE_CERTS = store_certificates()


@pytest.mark.skipif(not STORE_CERTS, reason="no certificates in /etc/ssl/certs")
def test_trust_store_as_openssl_prints_it(openssl: Run, tmp_path: Path) -> None:
    for name, der in STORE_CERTS:
        cert = x509.Certificate.from_der(der)
        (tmp_path / "c.pem").write_text(cert.to_pem())
        try:
            check_certificate(cert, "c.pem", openssl)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from None
