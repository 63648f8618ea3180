"""``python -m x509``: look at and make certificates, requests, CRLs and keys.

Commands (``python -m x509 COMMAND --help`` for each):

- ``show FILE``: every certificate, CRL and certification request of a PEM or DER file,
  field by field (RFC 5280 4.1, 5.1; RFC 2986 4), like ``openssl x509 -text``.
- ``genkey``: a new RSA, EC (P-256/384/521), Ed25519 or DSA private key as PKCS #8 PEM
  (RFC 5958, RFC 7468 10), written with mode 0600.
- ``selfsign``: a self-signed certificate (a CA with ``--ca``).
- ``req``: a PKCS #10 certification request (RFC 2986).
- ``sign``: a certificate issued by a CA, for a request or a key.
- ``crl``: a CRL of revoked serial numbers (RFC 5280 5), or ``--show`` one.
- ``verify``: build and validate a certification path (RFC 5280 6) for a host name (RFC
  9525); prints the path, or the certificate at fault and the rule it breaks (exit 1).

The profile of what is made follows RFC 5280 4.2: a CA has basicConstraints cA TRUE
(critical, 4.2.1.9), keyUsage keyCertSign and cRLSign (critical, 4.2.1.3) and a subject
key identifier (4.2.1.2); a leaf has basicConstraints cA FALSE, keyUsage
digitalSignature (and keyEncipherment for an RSA key), extKeyUsage serverAuth when it
names DNS hosts, and the authority key identifier of its issuer (4.2.1.1). Serial
numbers are 16 random octets from ``nocrypto.rng`` with the top bit clear (positive,
4.1.2.2). Times are UTC, whole seconds (4.1.2.5).

A file that cannot be read, a malformed input or a key that does not fit prints
``x509: <reason>`` on standard error and exits with status 1; a wrong command line exits
with status 2. This module is the only part of ``x509`` that touches files, the clock and
the random generator directly.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

import asn1
from asn1 import OID
from nocrypto import dsa, ec, ecx, rng, rsa

from ._authenticator import load_trust_store
from ._certificate import Certificate, load_pem_bundle
from ._cli_show import render_certificate, render_crl, render_request
from ._crl import CertificateRevocationList, RevokedCertificate
from ._csr import CertificationRequest
from ._errors import DecodeError
from ._extensions import (
    REASONS,
    BasicConstraints,
    ExtendedKeyUsage,
    KeyUsage,
    SubjectAlternativeName,
)
from ._general_name import URI, DNSName, GeneralName, IPAddress, RFC822Name
from ._keys import PrivateKey, PublicKey, PublicKeyInfo, dump_private_key, load_private_key
from ._name import Name
from ._validation import Ok, ValidationPolicy, validate

__all__ = ["main"]

PROG: Final = "python -m x509"
#: The largest input file read (the PEM limit of ``asn1.pem``).
MAX_INPUT_SIZE: Final = asn1.pem.MAX_PEM_SIZE
#: Octets of randomness in a new serial number (the top bit is cleared: RFC 5280 4.1.2.2).
SERIAL_OCTETS: Final = 16
DEFAULT_DAYS: Final = 365
DEFAULT_CRL_DAYS: Final = 30
CURVES: Final = {"P-256": ec.P256, "P-384": ec.P384, "P-521": ec.P521}
#: FIPS 186-4 4.2: the q size that goes with each DSA p size.
DSA_SIZES: Final = {1024: 160, 2048: 256, 3072: 256}
#: extKeyUsage names (RFC 5280 4.2.1.12) accepted by ``--eku``.
KEY_PURPOSES: Final = {
    "serverAuth": ExtendedKeyUsage.SERVER_AUTH,
    "clientAuth": ExtendedKeyUsage.CLIENT_AUTH,
    "codeSigning": ExtendedKeyUsage.CODE_SIGNING,
    "emailProtection": ExtendedKeyUsage.EMAIL_PROTECTION,
    "timeStamping": ExtendedKeyUsage.TIME_STAMPING,
    "OCSPSigning": ExtendedKeyUsage.OCSP_SIGNING,
    "any": ExtendedKeyUsage.ANY,
}
_PURPOSES_LOWER: Final = {k.lower(): v for k, v in KEY_PURPOSES.items()}
#: What ``show`` reads, by PEM label (RFC 7468 5, 6, 7).
_PEM_LABELS: Final = {
    "CERTIFICATE": "certificate",
    "X509 CRL": "crl",
    "CERTIFICATE REQUEST": "request",
    "NEW CERTIFICATE REQUEST": "request",
}
_TITLES: Final = {
    "certificate": "Certificate",
    "crl": "Certificate Revocation List",
    "request": "Certificate Request",
}


class CliError(Exception):
    """A failure to report as ``x509: <message>`` with exit status 1."""


class UsageError(CliError):
    """Options that do not go together: ``x509: <message>``, exit status 2 (as argparse)."""


# --- input and output ----------------------------------------------------------------------


def read_input(path: str) -> bytes:
    """The contents of *path* (``-``: standard input), at most MAX_INPUT_SIZE octets."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_SIZE + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_INPUT_SIZE + 1)
    except OSError as e:
        raise CliError(f"{path}: {e.strerror or e}") from None
    if len(data) > MAX_INPUT_SIZE:
        raise CliError(f"{path}: larger than {MAX_INPUT_SIZE} octets")
    return data


def write_output(path: str | None, text: str, private: bool = False) -> None:
    """Write *text* to *path*, or to standard output if None; a *private* file is
    created (or truncated) with mode 0600 before anything is written into it."""
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    try:
        if private:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                os.fchmod(f.fileno(), 0o600)  # also when the file existed before
                f.write(text)
        else:
            with open(path, "w", encoding="ascii") as f:
                f.write(text)
    except OSError as e:
        raise CliError(f"{path}: {e.strerror or e}") from None


def load_key(path: str, signing: bool = True) -> PrivateKey:
    """The private key in *path* (PEM or DER; what ``load_private_key`` reads); with
    *signing*, one that can make signatures (not X25519 or X448)."""
    try:
        key = load_private_key(read_input(path))
    except DecodeError as e:
        raise CliError(f"{path}: {e}") from None
    if signing and isinstance(key, ecx.X25519PrivateKey | ecx.X448PrivateKey):
        raise CliError(f"{path}: an {type(key).__name__[:-10]} key cannot sign")
    return key


def load_certificate(path: str) -> Certificate:
    """The first certificate of *path* (PEM, or DER)."""
    data = read_input(path)
    try:
        if asn1.pem.looks_like_pem(data):
            blocks = asn1.pem.decode(data, "CERTIFICATE")
            if not blocks:
                raise CliError(f"{path}: no CERTIFICATE PEM block")
            return Certificate.from_der(blocks[0][1])
        return Certificate.from_der(data)
    except asn1.DecodeError as e:
        raise CliError(f"{path}: {e}") from None


def load_request(path: str) -> CertificationRequest:
    """The certification request in *path* (PEM or DER)."""
    data = read_input(path)
    try:
        if asn1.pem.looks_like_pem(data):
            return CertificationRequest.from_pem(data)
        return CertificationRequest.from_der(data)
    except asn1.DecodeError as e:
        raise CliError(f"{path}: {e}") from None


# --- argument values -----------------------------------------------------------------------


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or time; without a zone it is UTC. Whole seconds, in UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def now() -> datetime:
    """The current time, UTC, whole seconds (RFC 5280 4.1.2.5.2 forbids fractions)."""
    return datetime.now(UTC).replace(microsecond=0)


def parse_name(text: str, option: str) -> Name:
    """An RFC 4514 distinguished name given on the command line."""
    try:
        return Name.from_rfc4514(text)
    except ValueError as e:
        raise CliError(f"{option}: {e}") from None


def parse_sans(values: Sequence[str]) -> tuple[GeneralName, ...]:
    """``DNS:x,IP:1.2.3.4,email:a@b,URI:https://...`` (one or several options) as
    subjectAltName GeneralNames (RFC 5280 4.2.1.6)."""
    out: list[GeneralName] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            kind, sep, text = item.partition(":")
            kind = kind.strip().lower()
            if not sep or not text:
                raise CliError(f"--san: {item!r} is not TYPE:VALUE (DNS, IP, email, URI)")
            if kind == "dns":
                out.append(DNSName(text))
            elif kind in ("ip", "ip address"):
                try:
                    out.append(IPAddress(ipaddress.ip_address(text)))
                except ValueError:
                    raise CliError(f"--san: {text!r} is not an IP address") from None
            elif kind == "email":
                out.append(RFC822Name(text))
            elif kind == "uri":
                out.append(URI(text))
            else:
                raise CliError(f"--san: unknown name type {kind!r} (DNS, IP, email, URI)")
    return tuple(out)


def parse_ekus(text: str) -> tuple[OID, ...]:
    """``serverAuth,clientAuth`` or dotted OIDs as extKeyUsage purposes (RFC 5280 4.2.1.12)."""
    out = []
    for item in (s.strip() for s in text.split(",")):
        if not item:
            continue
        known = _PURPOSES_LOWER.get(item.lower())
        if known is not None:
            out.append(known)
            continue
        try:
            out.append(OID(item))
        except ValueError:
            names = ", ".join(KEY_PURPOSES)
            raise CliError(f"--eku: unknown purpose {item!r} (one of {names}, or an OID)") from None
    if not out:
        raise CliError("--eku: no purpose given")
    return tuple(out)


def parse_serial(text: str) -> int:
    """A serial number: decimal, ``0x`` hex, or colon-separated hex octets as
    ``openssl`` prints them."""
    t = text.strip()
    try:
        if t.lower().startswith("0x"):
            value = int(t[2:], 16)
        elif ":" in t:
            value = int.from_bytes(bytes.fromhex(t.replace(":", "")), "big")
        else:
            value = int(t, 10)
    except ValueError:
        raise CliError(f"not a serial number: {text!r}") from None
    if value <= 0:
        raise CliError(f"serial numbers are positive (RFC 5280 4.1.2.2): {text!r}")
    if value.bit_length() > 159:
        raise CliError(f"serial numbers take at most 20 octets (RFC 5280 4.1.2.2): {text!r}")
    return value


def random_serial() -> int:
    """SERIAL_OCTETS random octets from nocrypto.rng, top bit clear, never zero."""
    while True:
        serial = int.from_bytes(rng.generate(SERIAL_OCTETS), "big") & ~(
            1 << (8 * SERIAL_OCTETS - 1)
        )
        if serial:
            return serial


def leaf_key_usage(key: PublicKey) -> KeyUsage:
    """digitalSignature, and keyEncipherment for an RSA key (RSA key transport);
    keyAgreement alone for an X25519 or X448 key (RFC 8410 5: "the following MUST be
    present: keyAgreement")."""
    if isinstance(key, rsa.RSAPublicKey):
        return KeyUsage.of("digitalSignature", "keyEncipherment")
    if isinstance(key, ecx.X25519PublicKey | ecx.X448PublicKey):
        return KeyUsage.of("keyAgreement")
    return KeyUsage.of("digitalSignature")


def _check_pair(cert: Certificate, key: PrivateKey) -> None:
    """The CA's private key must be the one of its certificate."""
    try:
        matches = cert.public_key == key.public_key()
    except DecodeError as e:
        raise CliError(f"the CA certificate's key cannot be used: {e}") from None
    if not matches:
        raise CliError("the CA key does not belong to the CA certificate")


def _check_ca(cert: Certificate, usage: str) -> None:
    """RFC 5280 4.2.1.9 and 4.2.1.3: an issuer must be a CA allowed to sign *usage*."""
    bc = cert.extensions.basic_constraints
    if cert.version == 3 and (bc is None or not bc.ca):
        raise CliError(
            f"the CA certificate ({cert.subject}) is not a CA: basicConstraints cA is not TRUE"
        )
    ku = cert.extensions.key_usage
    if ku is not None and usage not in ku.names:
        raise CliError(f"the CA certificate's keyUsage does not allow {usage}")


# --- commands ------------------------------------------------------------------------------


def _render(label: str, der: bytes, title: str) -> str:
    if label == "certificate":
        return render_certificate(Certificate.from_der(der), title)
    if label == "crl":
        return render_crl(CertificateRevocationList.from_der(der), title)
    return render_request(CertificationRequest.from_der(der), title)


def _render_der(der: bytes) -> str:
    """A DER certificate, CRL or request, whichever it parses as."""
    first: asn1.DecodeError | None = None
    for label, title in _TITLES.items():
        try:
            return _render(label, der, title)
        except asn1.DecodeError as e:
            first = first or e
    raise CliError(f"not a certificate, CRL or certification request ({first})")


def cmd_show(args: argparse.Namespace) -> int:
    """Print every certificate, CRL and request of the file."""
    path: str = args.file
    data = read_input(path)
    if args.der or not asn1.pem.looks_like_pem(data):
        try:
            sys.stdout.write(_render_der(data))
        except CliError as e:
            raise CliError(f"{path}: {e}") from None
        return 0
    try:
        blocks = asn1.pem.decode(data)
    except asn1.DecodeError as e:
        raise CliError(f"{path}: {e}") from None
    shown = failed = 0
    for index, (label, der) in enumerate(blocks, 1):
        kind = _PEM_LABELS.get(label)
        if kind is None:
            print(f"x509: {path}: PEM block {index} ({label}) skipped", file=sys.stderr)
            continue
        title = f"{_TITLES[kind]} (PEM block {index})"
        try:
            text = _render(kind, der, title)
        except asn1.DecodeError as e:
            print(f"x509: {path}: PEM block {index} ({label}): {e}", file=sys.stderr)
            failed += 1
            continue
        if shown:
            sys.stdout.write("\n")
        sys.stdout.write(text)
        shown += 1
    if not shown and not failed:
        raise CliError(f"{path}: no certificate, CRL or certification request")
    return 1 if failed else 0


def cmd_genkey(args: argparse.Namespace) -> int:
    """Make a private key and write it as PKCS #8 PEM (mode 0600)."""
    kind: str = args.type
    bits: int | None = args.bits
    curve: str | None = args.curve
    if curve is not None and kind != "ec":
        raise UsageError("--curve is for --type ec")
    if bits is not None and kind not in ("rsa", "dsa"):
        raise UsageError("--bits is for --type rsa or dsa")
    key: PrivateKey
    if kind == "rsa":
        try:
            key = rsa.RSAPrivateKey.generate(2048 if bits is None else bits)
        except ValueError as e:
            raise CliError(str(e)) from None
    elif kind == "ec":
        key = ec.ECPrivateKey.generate(CURVES[curve or "P-256"])
    elif kind == "ed25519":
        key = ecx.Ed25519PrivateKey.generate()
    else:
        size = 2048 if bits is None else bits
        if size not in DSA_SIZES:
            raise CliError(f"--bits for DSA: one of {', '.join(map(str, DSA_SIZES))}")
        key = dsa.DSAPrivateKey.generate(dsa.DSAParameters.generate(size, DSA_SIZES[size]))
    write_output(args.out, dump_private_key(key).decode("ascii"), private=True)
    return 0


def _validity(args: argparse.Namespace) -> tuple[datetime, datetime]:
    start = now() if args.not_before is None else parse_time(args.not_before)
    return start, _after(start, args.days)


def _after(start: datetime, days: int, option: str = "--days") -> datetime:
    if days < 1:
        raise CliError(f"{option} must be at least 1")
    try:
        return start + timedelta(days=days)
    except OverflowError:
        raise CliError(f"{option}: {days} days from {start:%Y-%m-%d} is past 9999") from None


def _serial(args: argparse.Namespace) -> int:
    return random_serial() if args.serial is None else parse_serial(args.serial)


def cmd_selfsign(args: argparse.Namespace) -> int:
    """Make a self-signed CA or leaf certificate."""
    key = load_key(args.key)
    subject = parse_name(args.subject, "--subject")
    if not subject:
        # RFC 5280 4.1.2.4: "The issuer field MUST contain a non-empty distinguished name".
        raise CliError("--subject: a self-signed certificate needs a non-empty name")
    sans = parse_sans(args.san)
    return _issue(args, subject, key.public_key(), key, None, sans, (), None)


def _default_ekus(sans: Sequence[GeneralName]) -> tuple[OID, ...]:
    """serverAuth for a leaf that names DNS hosts (RFC 5280 4.2.1.12 id-kp-serverAuth)."""
    if any(isinstance(n, DNSName) for n in sans):
        return (ExtendedKeyUsage.SERVER_AUTH,)
    return ()


def cmd_req(args: argparse.Namespace) -> int:
    """Make a PKCS #10 request, with the SANs in an extensionRequest (RFC 2985 5.4.2)."""
    key = load_key(args.key)
    subject = parse_name(args.subject, "--subject")
    sans = parse_sans(args.san)
    extensions = (SubjectAlternativeName(sans),) if sans else ()
    csr = CertificationRequest.create(subject, key, extensions)
    write_output(args.out, csr.to_pem())
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    """Issue a certificate for a request (its signature checked first) or a key."""
    if args.path_len is not None and not args.ca:
        raise UsageError("--path-len needs --ca")
    if args.csr is None and (args.key is None or args.subject is None):
        raise UsageError("give --csr, or --key and --subject")
    if args.csr is not None and (args.key is not None or args.subject is not None):
        raise UsageError("--csr excludes --key and --subject")
    ca_cert = load_certificate(args.ca_cert)
    ca_key = load_key(args.ca_key)
    _check_pair(ca_cert, ca_key)
    _check_ca(ca_cert, "keyCertSign")
    sans = parse_sans(args.san)
    public_key: PublicKey | PublicKeyInfo
    if args.csr is not None:
        csr = load_request(args.csr)
        # RFC 2986 3: the request is signed with the subject's key (proof of possession).
        if not csr.verify():
            raise CliError(f"{args.csr}: the request's signature does not verify")
        subject, public_key = csr.subject, csr.public_key_info
        requested = csr.extensions.subject_alternative_name
        if not sans and requested is not None:
            sans = requested.names
    else:
        subject = parse_name(args.subject, "--subject")
        public_key = load_key(args.key, signing=False).public_key()
    try:
        public_key_of(public_key)  # a key this package can use, or a clear error now
    except DecodeError as e:
        raise CliError(f"the subject's key cannot be used: {e}") from None
    if not subject and not sans:
        raise CliError("an empty subject needs --san (RFC 5280 4.1.2.6)")
    ekus = parse_ekus(args.eku) if args.eku is not None else ()
    return _issue(args, subject, public_key, ca_key, ca_cert, sans, ekus, args.path_len)


def _issue(
    args: argparse.Namespace,
    subject: Name,
    public_key: PublicKey | PublicKeyInfo,
    signing_key: PrivateKey,
    issuer: Certificate | None,
    sans: Sequence[GeneralName],
    ekus: tuple[OID, ...],
    path_len: int | None,
) -> int:
    """Make, sign and write the certificate in the profile of the module docstring: a CA
    (``--ca``: basicConstraints cA with *path_len*, keyCertSign and cRLSign) or a leaf
    (digitalSignature, keyEncipherment for RSA, *ekus* or serverAuth for DNS names)."""
    not_before, not_after = _validity(args)
    if issuer is not None and not_after > issuer.not_after:
        print(
            f"x509: warning: the certificate outlives its CA ({issuer.not_after:%Y-%m-%d})",
            file=sys.stderr,
        )
    if args.ca:
        bc = BasicConstraints(ca=True, path_length=path_len)
        ku = KeyUsage.of("keyCertSign", "cRLSign")
    else:
        bc, ku = BasicConstraints(ca=False), leaf_key_usage(public_key_of(public_key))
        ekus = ekus or _default_ekus(sans)
    cert = Certificate.create(
        subject=subject,
        public_key=public_key,
        signing_key=signing_key,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        serial_number=_serial(args),
        basic_constraints=bc,
        key_usage=ku,
        extended_key_usage=ekus,
        subject_alternative_names=sans,
    )
    write_output(args.out, cert.to_pem())
    return 0


def public_key_of(info: PublicKeyInfo | PublicKey) -> PublicKey:
    """The nocrypto key of a SubjectPublicKeyInfo (or the key itself)."""
    return info.public_key() if isinstance(info, PublicKeyInfo) else info


def parse_revocation(text: str) -> tuple[int, str | None]:
    """``SERIAL[:reason]`` with a CRLReason name (RFC 5280 5.3.1)."""
    head, sep, tail = text.rpartition(":")
    reason: str | None = None
    if sep and tail in REASONS:
        text, reason = head, tail
    elif sep and tail.isalpha() and not all(c in "0123456789abcdefABCDEF" for c in tail):
        raise CliError(f"--revoke: unknown reason {tail!r}; one of {', '.join(REASONS)}")
    if reason == "removeFromCRL":
        # RFC 5280 5.3.1: "removeFromCRL ... only in delta CRLs".
        raise CliError("--revoke: removeFromCRL only appears in delta CRLs (RFC 5280 5.3.1)")
    return parse_serial(text), reason


def cmd_crl(args: argparse.Namespace) -> int:
    """Make a CRL signed by the CA, or show one."""
    if args.show is not None:
        if args.ca_cert or args.ca_key or args.revoke or args.out:
            raise UsageError("--show takes no other option")
        return cmd_show(argparse.Namespace(file=args.show, der=False))
    if args.ca_cert is None or args.ca_key is None:
        raise UsageError("give --ca-cert and --ca-key (or --show FILE)")
    ca_cert = load_certificate(args.ca_cert)
    ca_key = load_key(args.ca_key)
    _check_pair(ca_cert, ca_key)
    _check_ca(ca_cert, "cRLSign")
    this_update = now() if args.this_update is None else parse_time(args.this_update)
    revoked = []
    seen: set[int] = set()
    for item in args.revoke:
        serial, reason = parse_revocation(item)
        if serial in seen:
            raise CliError(f"--revoke: serial {item} given twice")
        seen.add(serial)
        revoked.append(RevokedCertificate(serial, this_update, reason))
    # cRLNumber (RFC 5280 5.2.3) must increase from CRL to CRL: by default the seconds
    # since 1970 of thisUpdate.
    number = int(this_update.timestamp()) if args.number is None else args.number
    if number < 0:
        raise CliError("--number must not be negative")
    crl = CertificateRevocationList.create(
        issuer=ca_cert,
        private_key=ca_key,
        this_update=this_update,
        next_update=_after(this_update, args.days),
        crl_number=number,
        revoked=revoked,
    )
    write_output(args.out, crl.to_pem())
    return 0


# --- the command line ----------------------------------------------------------------------


def _load_bundle(path: str) -> list[Certificate]:
    certs = load_pem_bundle(read_input(path))
    if not certs:
        raise CliError(f"{path}: no CERTIFICATE block")
    return certs


def _load_crl(path: str) -> CertificateRevocationList:
    data = read_input(path)
    if b"-----BEGIN" in data:
        return CertificateRevocationList.from_pem(data)
    return CertificateRevocationList.from_der(data)


def cmd_verify(args: argparse.Namespace) -> int:
    """Validate CHAIN for --host with the trust anchors of --ca (or the system store)."""
    chain = _load_bundle(args.chain)
    for path in args.untrusted:
        chain.extend(_load_bundle(path))
    if args.ca is None:
        roots, skipped = load_trust_store()
        where = f"the system trust store ({len(roots)} roots)"
    else:
        if os.path.isdir(args.ca):
            roots, skipped = load_trust_store(args.ca)
        else:
            roots, skipped = _load_bundle(args.ca), 0
        where = f"{args.ca} ({len(roots)} roots)"
    if skipped:
        print(
            f"x509: {skipped} unreadable certificates left out of the trust anchors",
            file=sys.stderr,
        )
    when = parse_time(args.time) if args.time else now()
    purpose: OID | None
    if args.purpose == "any":
        purpose = None
    else:
        ekus = parse_ekus(args.purpose)
        if len(ekus) != 1:
            raise UsageError("--purpose takes one extKeyUsage")
        purpose = ekus[0]
    policy = ValidationPolicy(
        purpose=purpose,
        allow_sha1=args.allow_sha1,
        webpki=not args.rfc5280,
        crls=tuple(_load_crl(p) for p in args.crl),
    )
    result = validate(chain[0], chain[1:], roots, time=when, host=args.host, policy=policy)
    if isinstance(result, Ok):
        print(
            f"OK: a valid path to {where} at {when.isoformat()}"
            + (f" for {args.host}" if args.host else "")
        )
        for depth, cert in enumerate(result.path):
            role = "leaf" if depth == 0 else "anchor" if depth == len(result.path) - 1 else "CA"
            print(f"  {depth}: {cert.subject} ({role}, until {cert.not_after.isoformat()})")
        return 0
    print(f"FAILED ({type(result).__name__}): {result}")
    return 1


def _issuing_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--days", type=int, default=DEFAULT_DAYS, help="validity in days (365)")
    p.add_argument("--not-before", metavar="ISO", help="start of validity (default: now, UTC)")
    p.add_argument("--serial", metavar="N", help="serial number (default: 16 random octets)")
    p.add_argument(
        "--san",
        action="append",
        default=[],
        metavar="NAMES",
        help="subjectAltName: DNS:x,IP:1.2.3.4,email:a@b,URI:u (repeatable)",
    )
    p.add_argument("--out", metavar="FILE", help="output file (default: standard output)")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of every command."""
    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Show and make X.509 certificates, requests, CRLs and keys.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    show = sub.add_parser("show", help="print certificates, CRLs and requests field by field")
    show.add_argument("file", help="PEM bundle or DER file, or - for standard input")
    show.add_argument("--der", action="store_true", help="read the file as DER")
    show.set_defaults(run=cmd_show)

    genkey = sub.add_parser("genkey", help="make a private key (PKCS #8 PEM)")
    genkey.add_argument("--type", required=True, choices=("rsa", "ec", "ed25519", "dsa"))
    genkey.add_argument("--bits", type=int, help="RSA: 2048-4096 (2048); DSA: 1024/2048/3072")
    genkey.add_argument("--curve", choices=tuple(CURVES), help="EC curve (P-256)")
    genkey.add_argument("--out", metavar="FILE", help="output file, mode 0600 (default: stdout)")
    genkey.set_defaults(run=cmd_genkey)

    selfsign = sub.add_parser("selfsign", help="make a self-signed certificate")
    selfsign.add_argument("--key", required=True, metavar="KEY", help="the private key")
    selfsign.add_argument("--subject", required=True, metavar="DN", help='"CN=Test CA,O=nqsb"')
    selfsign.add_argument("--ca", action="store_true", help="make a CA certificate")
    _issuing_options(selfsign)
    selfsign.set_defaults(run=cmd_selfsign)

    req = sub.add_parser("req", help="make a PKCS #10 certification request")
    req.add_argument("--key", required=True, metavar="KEY", help="the private key")
    req.add_argument("--subject", required=True, metavar="DN", help="RFC 4514 name")
    req.add_argument("--san", action="append", default=[], metavar="NAMES", help="as selfsign")
    req.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    req.set_defaults(run=cmd_req)

    sign = sub.add_parser("sign", help="issue a certificate with a CA")
    sign.add_argument("--ca-cert", required=True, metavar="CA.pem")
    sign.add_argument("--ca-key", required=True, metavar="KEY")
    sign.add_argument("--csr", metavar="CSR", help="the request (its signature is checked)")
    sign.add_argument("--key", metavar="KEY", help="or the subject's private key ...")
    sign.add_argument("--subject", metavar="DN", help="... and its name")
    sign.add_argument("--ca", action="store_true", help="issue an intermediate CA")
    sign.add_argument("--path-len", type=int, metavar="N", help="with --ca: pathLenConstraint")
    sign.add_argument("--eku", metavar="LIST", help="serverAuth,clientAuth,... or OIDs")
    _issuing_options(sign)
    sign.set_defaults(run=cmd_sign)

    crl = sub.add_parser("crl", help="make a CRL, or --show one")
    crl.add_argument("--show", metavar="FILE", help="print a CRL instead (as show)")
    crl.add_argument("--ca-cert", metavar="CA.pem")
    crl.add_argument("--ca-key", metavar="KEY")
    crl.add_argument(
        "--revoke",
        action="append",
        default=[],
        metavar="SERIAL[:reason]",
        help=f"revoke a serial (decimal, 0x hex or aa:bb hex); reasons: {', '.join(REASONS)}",
    )
    crl.add_argument("--days", type=int, default=DEFAULT_CRL_DAYS, help="until nextUpdate (30)")
    crl.add_argument("--this-update", metavar="ISO", help="thisUpdate (default: now, UTC)")
    crl.add_argument("--number", type=int, metavar="N", help="cRLNumber (default: thisUpdate)")
    crl.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    crl.set_defaults(run=cmd_crl)

    verify = sub.add_parser("verify", help="validate a chain (RFC 5280 6) for a host name")
    verify.add_argument("chain", help="PEM: the leaf first, then intermediates (any order)")
    verify.add_argument("--host", metavar="NAME", help="the DNS name or IP address to check")
    verify.add_argument(
        "--ca", metavar="FILE", help="trust anchors: PEM bundle or directory (default: system)"
    )
    verify.add_argument("--time", metavar="ISO", help="validation time (default: now, UTC)")
    verify.add_argument(
        "--purpose",
        default="serverAuth",
        metavar="EKU",
        help="extKeyUsage the leaf must allow: serverAuth (default), clientAuth, an OID, any",
    )
    verify.add_argument(
        "--untrusted",
        action="append",
        default=[],
        metavar="FILE",
        help="more intermediates (PEM), repeatable",
    )
    verify.add_argument(
        "--crl",
        action="append",
        default=[],
        metavar="FILE",
        help="CRL (PEM or DER) to check revocation against, repeatable",
    )
    verify.add_argument("--allow-sha1", action="store_true", help="accept SHA-1 signatures")
    verify.add_argument(
        "--rfc5280",
        action="store_true",
        help="the RFC 5280 profile only (without the CA/Browser Forum rules)",
    )
    verify.set_defaults(run=cmd_verify)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help (0) or a usage error (2)
        return e.code if isinstance(e.code, int) else 2
    try:
        status: int = args.run(args)
        return status
    except UsageError as e:
        print(f"x509: {e}", file=sys.stderr)
        return 2
    except (CliError, asn1.DecodeError, ValueError) as e:
        # DecodeError: a malformed input; ValueError: a value the library refuses
        # (a name attribute too long for its type, ...).
        print(f"x509: {e}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # never a traceback; but say that it is a bug
        print(f"x509: internal error: {type(e).__name__}: {e}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
