"""``python -m x509``: the commands run in-process through ``main(argv)``, with the openssl
command line as the oracle: it verifies the chains, requests and CRLs we make, and its
``x509 -text`` output of certificates it made must carry the values ``show`` prints."""

from __future__ import annotations

import ipaddress
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from shlex import split

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import x509
from nocrypto import ec, ecx
from tests.x509.conftest import Run
from x509.__main__ import main

REPO = Path(__file__).resolve().parents[2]

# What openssl prints for the keyUsage bits and key purposes, by RFC 5280 name.
OPENSSL_KEY_USAGE = {
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
OPENSSL_PURPOSES = {
    "TLS Web Server Authentication": "serverAuth",
    "TLS Web Client Authentication": "clientAuth",
    "Code Signing": "codeSigning",
    "E-mail Protection": "emailProtection",
    "Time Stamping": "timeStamping",
    "OCSP Signing": "OCSPSigning",
}


@dataclass(frozen=True)
class Result:
    status: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """cli(*argv): main(argv) run in tmp_path, with its status, stdout and stderr."""
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> Result:
        capsys.readouterr()
        status = main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "internal error" not in err, err
        return Result(status, out, err)

    return run


def ok(result: Result) -> str:
    assert result.status == 0, result.err
    return result.out


def failed(result: Result, status: int = 1) -> str:
    """The message of a failure: status as given, one ``x509: `` line on stderr."""
    assert result.status == status, result
    assert result.err.startswith("x509: "), result.err
    return result.err


# --- reading the two outputs ---------------------------------------------------------------


def block(text: str, header: str) -> list[str]:
    """The stripped lines indented under the first line that starts with *header* (after
    its indentation); [] if there is none."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(header):
            depth = len(line) - len(line.lstrip())
            out = []
            for following in lines[i + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) <= depth:
                    break
                out.append(following.strip())
            return out
    return []


def field(text: str, label: str) -> str:
    """The value after ``label:`` on its line (the first such line)."""
    match = re.search(rf"^\s*{re.escape(label)}:[ ]?(.*)$", text, re.M)
    assert match is not None, f"no {label!r} in\n{text}"
    return match.group(1).strip()


def words(line: str) -> list[str]:
    return [w.strip() for w in line.split(",") if w.strip()]


def general_name(text: str) -> str:
    """A GeneralName as printed, with IP addresses normalised (openssl writes IPv6 in
    full, upper case)."""
    if text.startswith("IP Address:"):
        return "IP Address:" + str(ipaddress.ip_address(text.split(":", 1)[1]))
    return text


def openssl_time(text: str) -> datetime:
    return datetime.strptime(text, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=UTC)


@dataclass(frozen=True)
class Fields:
    """The values both outputs show, in one vocabulary."""

    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    key_bits: str
    san: list[str]
    key_usage: list[str]
    eku: list[str]
    basic_constraints: list[str]
    ski: list[str]
    aki: list[str]
    crl_dp: list[str]
    aia: list[str]
    policies: list[str]


def ours(text: str) -> Fields:
    ku = block(text, "keyUsage")
    eku = block(text, "extKeyUsage")
    key = field(text, "Key")
    return Fields(
        subject=field(text, "Subject"),
        issuer=field(text, "Issuer"),
        serial=field(text, "Serial Number"),
        not_before=datetime.strptime(field(text, "Not Before"), "%Y-%m-%d %H:%M:%S UTC").replace(
            tzinfo=UTC
        ),
        not_after=datetime.strptime(field(text, "Not After"), "%Y-%m-%d %H:%M:%S UTC").replace(
            tzinfo=UTC
        ),
        key_bits=re.sub(r"^.*?(\d+) bits.*$", r"\1", key),  # "RSA 2048 bits, ..." or "Ed25519"
        san=[general_name(n) for n in block(text, "subjectAltName")],
        key_usage=words(ku[0]) if ku else [],
        eku=words(eku[0]) if eku else [],
        basic_constraints=block(text, "basicConstraints"),
        ski=block(text, "subjectKeyIdentifier"),
        aki=[line.removeprefix("keyid:") for line in block(text, "authorityKeyIdentifier")],
        crl_dp=block(text, "cRLDistributionPoints"),
        aia=block(text, "authorityInfoAccess"),
        policies=[
            re.sub(r"^.*\((.*)\)$", r"\1", line.removeprefix("Policy: "))
            for line in block(text, "certificatePolicies")
            if line.startswith("Policy: ")
        ],
    )


def _openssl_key_size(text: str) -> str:
    raw = re.search(r"(ED25519|X25519|X448) Public-Key:", text)
    if raw is not None:  # no size; we print the name
        return {"ED25519": "Ed25519"}.get(raw.group(1), raw.group(1))
    match = re.search(r"Public-Key: \((\d+) bit\)", text)
    assert match is not None, text
    return match.group(1)


def theirs(text: str) -> Fields:
    """The same values from ``openssl x509 -text -noout -nameopt RFC2253``."""
    serial = field(text, "Serial Number") or block(text, "Serial Number")[0]
    ku = block(text, "X509v3 Key Usage")
    eku = block(text, "X509v3 Extended Key Usage")
    san = block(text, "X509v3 Subject Alternative Name")
    return Fields(
        subject=field(text, "Subject"),
        issuer=field(text, "Issuer"),
        serial=serial,
        not_before=openssl_time(field(text, "Not Before")),
        not_after=openssl_time(field(text, "Not After ")),
        key_bits=_openssl_key_size(text),
        san=[general_name(n) for n in words(san[0])] if san else [],
        key_usage=[OPENSSL_KEY_USAGE[w] for w in words(ku[0])] if ku else [],
        eku=[OPENSSL_PURPOSES.get(w, w) for w in words(eku[0])] if eku else [],
        basic_constraints=block(text, "X509v3 Basic Constraints"),
        ski=block(text, "X509v3 Subject Key Identifier"),
        aki=[line.removeprefix("keyid:") for line in block(text, "X509v3 Authority Key Id")],
        # openssl prints "Full Name:" above the names of each point, we print the names.
        crl_dp=[n for n in block(text, "X509v3 CRL Distribution Points") if n != "Full Name:"],
        aia=block(text, "Authority Information Access"),
        policies=[
            line.removeprefix("Policy: ")
            for line in block(text, "X509v3 Certificate Policies")
            if line.startswith("Policy: ")
        ],
    )


def compare_with_openssl(path: str, cli: Cli, openssl: Run) -> Fields:
    """``show`` and ``openssl x509 -text`` of *path* agree on every value of Fields (and
    on the SHA-256 fingerprint); the values."""
    text = ok(cli("show", path))
    other = openssl("x509", "-in", path, "-noout", "-text", "-nameopt", "RFC2253")
    mine = ours(text)
    assert mine == theirs(other)
    fingerprint = openssl("x509", "-in", path, "-noout", "-fingerprint", "-sha256")
    assert field(text, "SHA-256 Fingerprint") == fingerprint.split("=", 1)[1].strip()
    return mine


# --- the command line ----------------------------------------------------------------------


def test_help_in_a_child_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "x509", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("show", "genkey", "selfsign", "req", "sign", "crl"):
        assert command in result.stdout


def test_usage_errors(cli: Cli) -> None:
    assert cli("--help").status == 0
    assert cli().status == 2
    assert cli("genkey", "--type", "rsa2").status == 2
    failed(cli("genkey", "--type", "ed25519", "--bits", "256"), 2)
    failed(cli("genkey", "--type", "rsa", "--curve", "P-256"), 2)
    failed(cli("sign", "--ca-cert", "a", "--ca-key", "b", "--key", "k"), 2)
    failed(cli("sign", "--ca-cert", "a", "--ca-key", "b", "--csr", "c", "--path-len", "1"), 2)
    failed(cli("crl", "--revoke", "1"), 2)


CHAINS = {
    # name: (CA key, intermediate key, leaf key) as genkey options
    "rsa": (["--type", "rsa"], ["--type", "ec", "--curve", "P-384"], ["--type", "rsa"]),
    "ec": (
        ["--type", "ec", "--curve", "P-521"],
        ["--type", "ec", "--curve", "P-384"],
        ["--type", "ec"],
    ),
    "ed25519": (["--type", "ed25519"], ["--type", "ed25519"], ["--type", "ed25519"]),
    "dsa": (["--type", "ec"], ["--type", "rsa", "--bits", "3072"], ["--type", "dsa"]),
}


@pytest.mark.parametrize("kind", sorted(CHAINS))
def test_chain_verified_by_openssl(kind: str, cli: Cli, openssl: Run) -> None:
    ca_key, inter_key, leaf_key = CHAINS[kind]
    ok(cli("genkey", *ca_key, "--out", "ca.key"))
    ok(cli("genkey", *inter_key, "--out", "inter.key"))
    ok(cli("genkey", *leaf_key, "--out", "leaf.key"))
    for name in ("ca.key", "inter.key", "leaf.key"):
        assert stat.S_IMODE(os.stat(name).st_mode) == 0o600
        openssl("pkey", "-in", name, "-noout")  # openssl reads our PKCS #8

    ok(cli(*split("selfsign --key ca.key --subject 'CN=Test CA,O=nqsb' --ca --out ca.pem")))
    ok(
        cli(
            *split("sign --ca-cert ca.pem --ca-key ca.key --key inter.key --ca --path-len 0"),
            *split("--subject CN=Intermediate,O=nqsb --days 100 --out inter.pem"),
        )
    )
    san = "DNS:leaf.example.org,DNS:www.example.org,IP:192.0.2.7,IP:2001:db8::7"
    ok(
        cli(
            *split("req --key leaf.key --subject CN=leaf.example.org,O=nqsb --out leaf.csr"),
            "--san",
            san,
        )
    )
    verified = openssl("req", "-verify", "-in", "leaf.csr", "-noout", check=False)
    assert "verify OK" in verified and verified.endswith("rc=0"), verified
    ok(cli(*split("sign --ca-cert inter.pem --ca-key inter.key --csr leaf.csr --out leaf.pem")))

    # openssl builds and checks the path, strictly, for a TLS server of that name.
    result = openssl(
        *split("verify -x509_strict -purpose sslserver -verify_hostname www.example.org"),
        *split("-CAfile ca.pem -untrusted inter.pem leaf.pem"),
    )
    assert result.strip() == "leaf.pem: OK"

    # What show prints of ours is what openssl reads in them.
    leaf = compare_with_openssl("leaf.pem", cli, openssl)
    assert leaf.san == [
        "DNS:leaf.example.org",
        "DNS:www.example.org",
        "IP Address:192.0.2.7",
        "IP Address:2001:db8::7",
    ]
    assert leaf.eku == ["serverAuth"]
    assert leaf.basic_constraints == ["CA:FALSE"]
    expected_usage = (
        ["digitalSignature", "keyEncipherment"] if kind == "rsa" else ["digitalSignature"]
    )
    assert leaf.key_usage == expected_usage
    inter = compare_with_openssl("inter.pem", cli, openssl)
    assert inter.basic_constraints == ["CA:TRUE, pathlen:0"]
    assert inter.key_usage == ["keyCertSign", "cRLSign"]
    assert leaf.aki == inter.ski and inter.aki == compare_with_openssl("ca.pem", cli, openssl).ski

    # A CRL of the intermediate revoking the leaf: openssl checks it and then refuses the leaf.
    revoke = f"{leaf.serial}:keyCompromise"
    ok(
        cli(
            *split("crl --ca-cert inter.pem --ca-key inter.key --out inter.crl"),
            *("--revoke", revoke, "--revoke", "0x1234"),
        )
    )
    text = openssl(
        "crl", "-verify", "-CAfile", "inter.pem", "-in", "inter.crl", "-noout", "-text", check=False
    )
    assert "verify OK" in text and text.endswith("rc=0"), text
    listed = re.findall(r"Serial Number: ([0-9A-F]+)", text)
    serial = (
        int(leaf.serial.replace(":", ""), 16) if ":" in leaf.serial else int(leaf.serial.split()[0])
    )
    assert sorted(int(s, 16) for s in listed) == sorted([serial, 0x1234])
    assert "Key Compromise" in text
    revoked = openssl(
        *split("verify -crl_check -CRLfile inter.crl -CAfile ca.pem -untrusted inter.pem leaf.pem"),
        check=False,
    )
    assert "certificate revoked" in revoked and not revoked.endswith("rc=0")
    shown = ok(cli("crl", "--show", "inter.crl"))
    assert field(shown, "Issuer") == "CN=Intermediate,O=nqsb"
    assert f"Serial Number: {leaf.serial}" in shown and "Reason: keyCompromise" in shown


OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3
[dn]
C = DE
O = nqsb, tests
OU = unit+plus
CN = many.example.org
[v3]
basicConstraints = critical, CA:TRUE, pathlen:2
keyUsage = critical, digitalSignature, nonRepudiation, keyCertSign, cRLSign, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection, OCSPSigning, 1.2.3.4.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:many.example.org, DNS:*.example.org, IP:192.0.2.1, IP:2001:db8::1, \
email:a@example.org, URI:https://example.org/x
certificatePolicies = 2.23.140.1.2.1, 1.3.6.1.4.1.99999.1
crlDistributionPoints = URI:http://crl.example.org/ca.crl, URI:ldap://ldap.example.org/cn=ca
authorityInfoAccess = OCSP;URI:http://ocsp.example.org, caIssuers;URI:http://ca.example.org/ca.crt
nameConstraints = critical, permitted;DNS:example.org, excluded;IP:10.0.0.0/255.0.0.0
1.2.3.4.5.6 = ASN1:UTF8String:hello
"""


def test_show_matches_openssl_on_its_certificate(cli: Cli, openssl: Run, tmp_path: Path) -> None:
    (tmp_path / "ext.cnf").write_text(OPENSSL_CONFIG)
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "c.pem",
        "-config", "ext.cnf", "-days", "30", "-set_serial", "0x00ff" + "ab" * 18,
    )  # fmt: skip
    mine = compare_with_openssl("c.pem", cli, openssl)
    # Not vacuous: the extensions are all there.
    assert mine.subject == r"CN=many.example.org,OU=unit\+plus,O=nqsb\, tests,C=DE"
    assert len(mine.san) == 6 and len(mine.eku) == 6 and len(mine.crl_dp) == 2
    assert mine.key_usage == [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "keyCertSign",
        "cRLSign",
    ]
    assert mine.serial.startswith("ff:ab:ab")
    assert mine.policies == ["2.23.140.1.2.1", "1.3.6.1.4.1.99999.1"] and len(mine.aia) == 2
    assert mine.basic_constraints == ["CA:TRUE, pathlen:2"] and mine.ski == mine.aki != []
    text = ok(cli("show", "c.pem"))
    assert block(text, "nameConstraints (critical)") == [
        "Permitted:",
        "DNS:example.org",
        "Excluded:",
        "IP:10.0.0.0/8",
    ]
    assert block(text, "1.2.3.4.5.6") == ["not decoded here; extnValue:", "0C:05:68:65:6C:6C:6F"]
    assert "Self-signed: yes, the signature verifies" in text

    # The same certificate in DER, and a PEM bundle of two.
    openssl("x509", "-in", "c.pem", "-outform", "DER", "-out", "c.der")
    assert ok(cli("show", "c.der")).split("\n", 1)[1] == text.split("\n", 1)[1]
    assert ok(cli("show", "--der", "c.der")) == ok(cli("show", "c.der"))
    (tmp_path / "bundle.pem").write_text(
        (tmp_path / "c.pem").read_text() * 2 + (tmp_path / "k.pem").read_text()
    )
    bundle = cli("show", "bundle.pem")
    assert ok(bundle).count("Certificate (PEM block") == 2
    assert "PEM block 3 (PRIVATE KEY) skipped" in bundle.err


def test_show_an_openssl_request(cli: Cli, openssl: Run, tmp_path: Path) -> None:
    openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
        "-keyout", "k.pem", "-out", "r.pem", "-subj", "/C=DE/O=nqsb/CN=req.example.org",
        "-addext", "subjectAltName=DNS:req.example.org,IP:198.51.100.1",
        "-addext", "keyUsage=critical,digitalSignature",
    )  # fmt: skip
    text = ok(cli("show", "r.pem"))
    assert field(text, "Subject") == "CN=req.example.org,O=nqsb,C=DE"
    assert field(text, "Key") == "EC P-384 (384 bits)"
    assert block(text, "subjectAltName") == ["DNS:req.example.org", "IP Address:198.51.100.1"]
    assert block(text, "keyUsage (critical)") == ["digitalSignature"]
    assert field(text, "Self-signature") == "verifies"


def test_reproducible_options(cli: Cli, openssl: Run) -> None:
    ok(cli("genkey", "--type", "ec", "--out", "k.pem"))
    ok(
        cli(
            *split("selfsign --key k.pem --subject CN=host.example.org --san DNS:host.example.org"),
            *split(
                "--not-before 2030-06-01T12:00:00.5+02:00 --days 10 --serial 0x1234 --out c.pem"
            ),
        )
    )
    dates = openssl("x509", "-in", "c.pem", "-noout", "-dates", "-serial")
    assert "notBefore=Jun  1 10:00:00 2030 GMT" in dates
    assert "notAfter=Jun 11 10:00:00 2030 GMT" in dates
    assert "serial=1234" in dates
    text = ok(cli("show", "c.pem"))
    assert field(text, "Serial Number") == "4660 (0x1234)"
    assert block(text, "basicConstraints (critical)") == ["CA:FALSE"]
    assert block(text, "extKeyUsage") == ["serverAuth"]
    # A leaf signed for a key and name, with the purposes given.
    ok(cli("genkey", "--type", "ed25519", "--out", "ca.key"))
    ok(cli("selfsign", "--key", "ca.key", "--subject", "CN=CA", "--ca", "--out", "ca.pem"))
    ok(
        cli(
            *split("sign --ca-cert ca.pem --ca-key ca.key --key k.pem --subject CN=client"),
            *split("--eku clientAuth,emailProtection --serial 77 --out leaf.pem"),
        )
    )
    leaf = compare_with_openssl("leaf.pem", cli, openssl)
    assert leaf.eku == ["clientAuth", "emailProtection"] and leaf.san == []
    assert leaf.serial == "77 (0x4d)"


def test_genkey_to_stdout_and_existing_file(cli: Cli, tmp_path: Path) -> None:
    pem = ok(cli("genkey", "--type", "ec", "--curve", "P-521"))
    key = x509.load_private_key(pem)
    assert isinstance(key, ec.ECPrivateKey) and key.curve.name == "P-521"
    target = tmp_path / "old.key"
    target.write_text("old")
    target.chmod(0o644)
    ok(cli("genkey", "--type", "ed25519", "--out", "old.key"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "PRIVATE KEY" in target.read_text()


# --- errors --------------------------------------------------------------------------------


@pytest.fixture
def ca(cli: Cli) -> None:
    ok(cli("genkey", "--type", "ec", "--out", "ca.key"))
    ok(cli("genkey", "--type", "ec", "--out", "other.key"))
    ok(cli("selfsign", "--key", "ca.key", "--subject", "CN=CA", "--ca", "--out", "ca.pem"))
    ok(cli("selfsign", "--key", "other.key", "--subject", "CN=leaf", "--out", "leaf.pem"))
    ok(cli("req", "--key", "other.key", "--subject", "CN=r", "--out", "r.csr"))


@pytest.mark.usefixtures("ca")
def test_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    assert "No such file" in failed(cli("show", "absent.pem"))
    (tmp_path / "junk").write_bytes(b"\x30\x82\x01\x00junk")
    assert "not a certificate, CRL or certification request" in failed(cli("show", "junk"))
    (tmp_path / "text").write_text("hello\n")
    failed(cli("show", "text"))
    assert "no certificate" in failed(cli("show", "ca.key"))
    assert "does not belong" in failed(
        cli("sign", "--ca-cert", "ca.pem", "--ca-key", "other.key", "--csr", "r.csr")
    )
    assert "not a CA" in failed(
        cli("sign", "--ca-cert", "leaf.pem", "--ca-key", "other.key", "--csr", "r.csr")
    )
    assert "not a CA" in failed(cli("crl", "--ca-cert", "leaf.pem", "--ca-key", "other.key"))
    failed(cli("sign", "--ca-cert", "ca.pem", "--ca-key", "ca.pem", "--csr", "r.csr"))
    failed(cli("sign", "--ca-cert", "ca.key", "--ca-key", "ca.key", "--csr", "r.csr"))
    failed(cli("selfsign", "--key", "ca.key", "--subject", "CN=x,,"))
    failed(cli("selfsign", "--key", "ca.key", "--subject", ""))
    assert "--san" in failed(
        cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--san", "DNS")
    )
    failed(cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--san", "IP:300.1.1.1"))
    failed(cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--not-before", "yesterday"))
    failed(cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--serial", "0"))
    failed(cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--serial", hex(1 << 160)))
    failed(cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--days", "0"))
    assert "past 9999" in failed(
        cli("selfsign", "--key", "ca.key", "--subject", "CN=x", "--days", "10000000")
    )
    assert "unknown reason" in failed(
        cli("crl", "--ca-cert", "ca.pem", "--ca-key", "ca.key", "--revoke", "12:stolen")
    )
    assert "delta CRLs" in failed(
        cli("crl", "--ca-cert", "ca.pem", "--ca-key", "ca.key", "--revoke", "12:removeFromCRL")
    )
    assert "twice" in failed(
        cli(
            "crl", "--ca-cert", "ca.pem", "--ca-key", "ca.key", "--revoke", "18", "--revoke", "0x12"
        )
    )
    failed(
        cli("sign", "--ca-cert", "ca.pem", "--ca-key", "ca.key", "--csr", "r.csr", "--eku", "nope")
    )
    failed(cli("genkey", "--type", "rsa", "--bits", "1000"))
    failed(cli("genkey", "--type", "dsa", "--bits", "4096"))
    failed(cli("genkey", "--type", "ec", "--out", str(tmp_path / "no" / "dir.key")))


@pytest.mark.usefixtures("ca")
def test_x25519_keys(cli: Cli, openssl: Run, tmp_path: Path) -> None:
    """An X25519 key cannot sign, but can be certified: keyAgreement (RFC 8410 5)."""
    key = ecx.X25519PrivateKey.generate()
    (tmp_path / "x.key").write_bytes(x509.dump_private_key(key))
    assert "cannot sign" in failed(cli("selfsign", "--key", "x.key", "--subject", "CN=x"))
    assert "cannot sign" in failed(cli("req", "--key", "x.key", "--subject", "CN=x"))
    ok(cli(*split("sign --ca-cert ca.pem --ca-key ca.key --key x.key --subject CN=dh --out x.pem")))
    assert openssl("verify", "-CAfile", "ca.pem", "x.pem").strip() == "x.pem: OK"
    cert = compare_with_openssl("x.pem", cli, openssl)
    assert cert.key_usage == ["keyAgreement"] and cert.key_bits == "X25519"


@pytest.mark.usefixtures("ca")
def test_request_with_a_bad_signature_is_refused(cli: Cli, tmp_path: Path) -> None:
    csr = x509.CertificationRequest.from_pem((tmp_path / "r.csr").read_text())
    der = bytearray(csr.der)
    der[-3] ^= 0x01  # inside the signature
    bad = x509.CertificationRequest.from_der(bytes(der))
    (tmp_path / "bad.csr").write_text(bad.to_pem())
    assert "DOES NOT VERIFY" in ok(cli("show", "bad.csr"))
    assert "does not verify" in failed(
        cli("sign", "--ca-cert", "ca.pem", "--ca-key", "ca.key", "--csr", "bad.csr")
    )
    assert not (tmp_path / "leaf-bad.pem").exists()


@pytest.fixture(scope="module")
def sample_der() -> bytes:
    return x509.Certificate.from_pem((REPO / "vectors" / "x509" / "demo-cert.pem").read_text()).der


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_show_never_fails_badly(
    data: st.DataObject, cli: Cli, tmp_path: Path, sample_der: bytes
) -> None:
    """Any mutation of a certificate: shown (status 0) or one ``x509:`` line (status 1)."""
    der = bytearray(sample_der)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(der) - 1))
        der[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(der)))
    (tmp_path / "m.der").write_bytes(bytes(der[:cut]) if data.draw(st.booleans()) else bytes(der))
    result = cli("show", "--der", "m.der")
    if result.status:
        failed(result)
    else:
        assert result.out.startswith("Certificate") and result.err == ""


# --- verify ---------------------------------------------------------------------------------


def test_verify(cli: Cli, openssl: Run, tmp_path: Path) -> None:
    """CA -> intermediate -> leaf made with the CLI; `verify` agrees with `openssl verify`
    on the good chain, and names the certificate and the rule for each bad one."""
    nb = "--not-before=2030-01-01T00:00:00Z"
    ok(cli("genkey", "--type", "ec", "--out", "ca.key"))
    ok(cli("genkey", "--type", "ec", "--out", "int.key"))
    ok(cli("genkey", "--type", "ec", "--out", "leaf.key"))
    ok(cli("selfsign", "--key", "ca.key", "--subject", "CN=V CA", "--ca", nb, "--out", "ca.pem"))
    ok(
        cli(
            "sign",
            "--ca-cert",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--key",
            "int.key",
            "--subject",
            "CN=V Int",
            "--ca",
            nb,
            "--out",
            "int.pem",
        )
    )
    ok(
        cli(
            "sign",
            "--ca-cert",
            "int.pem",
            "--ca-key",
            "int.key",
            "--key",
            "leaf.key",
            "--subject",
            "CN=www.example.com",
            "--san",
            "DNS:www.example.com",
            nb,
            "--days",
            "30",
            "--out",
            "leaf.pem",
        )
    )
    (tmp_path / "chain.pem").write_text(
        (tmp_path / "leaf.pem").read_text() + (tmp_path / "int.pem").read_text()
    )
    at = "--time=2030-01-10T00:00:00Z"
    out = ok(cli("verify", "--ca", "ca.pem", "--host", "www.example.com", at, "chain.pem"))
    assert out.startswith("OK") and "0: CN=www.example.com (leaf" in out
    assert "1: CN=V Int (CA" in out and "2: CN=V CA (anchor" in out
    openssl(
        "verify",
        "-attime",
        "1894060800",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "int.pem",
        "-verify_hostname",
        "www.example.com",
        "leaf.pem",
    )

    bad_host = cli("verify", "--ca", "ca.pem", "--host", "mail.example.com", at, "chain.pem")
    assert bad_host.status == 1 and "NameMismatch" in bad_host.out and "the leaf" in bad_host.out
    expired = cli("verify", "--ca", "ca.pem", "--time=2030-03-01T00:00:00Z", "chain.pem")
    assert expired.status == 1 and "Expired" in expired.out
    missing = cli("verify", "--ca", "ca.pem", at, "leaf.pem")
    assert missing.status == 1 and "UnknownIssuer" in missing.out
    with_untrusted = cli("verify", "--ca", "ca.pem", "--untrusted", "int.pem", at, "leaf.pem")
    assert with_untrusted.status == 0, with_untrusted.out
    client = cli("verify", "--ca", "ca.pem", "--purpose", "clientAuth", at, "chain.pem")
    assert client.status == 1 and "EKUMismatch" in client.out
    failed(cli("verify", "--ca", "nonexistent.pem", "chain.pem"))
