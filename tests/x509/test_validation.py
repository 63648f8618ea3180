"""Path validation (RFC 5280 section 6): a table of chains built here with our own creation
API, each row checking one rule positively or negatively, with the typed reason and the
depth of the certificate at fault; plus authenticators and hostile input."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import x509
from asn1 import OID
from nocrypto import ec, hashes

NOW = datetime(2030, 6, 1, 12, 0, 0, tzinfo=UTC)
SERVER_AUTH = x509.ExtendedKeyUsage.SERVER_AUTH
CLIENT_AUTH = x509.ExtendedKeyUsage.CLIENT_AUTH
POLICY_A = OID("2.16.840.1.114412.9.1")


def name(cn: str) -> x509.Name:
    return x509.Name.from_attributes([("O", "nqsb validation"), ("CN", cn)])


_KEYS: dict[str, ec.ECPrivateKey] = {}


def key(label: str) -> ec.ECPrivateKey:
    """One P-256 key per label, made once (fast to make and to verify)."""
    if label not in _KEYS:
        _KEYS[label] = ec.ECPrivateKey.generate(ec.P256)
    return _KEYS[label]


def ca(
    label: str,
    issuer: x509.Certificate | None = None,
    issuer_key: str | None = None,
    *,
    path_len: int | None = None,
    ca_flag: bool = True,
    days: tuple[int, int] = (-10, 365),
    **kwargs: object,
) -> x509.Certificate:
    """A CA certificate for *label* (self-signed when *issuer* is None)."""
    bc = x509.BasicConstraints(ca=ca_flag, path_length=path_len) if ca_flag else None
    ku = kwargs.pop("key_usage", x509.KeyUsage.of("keyCertSign", "cRLSign"))
    assert ku is None or isinstance(ku, x509.KeyUsage)
    return x509.Certificate.create(
        subject=name(label),
        public_key=key(label).public_key(),
        signing_key=key(issuer_key or label),
        issuer=issuer,
        not_before=NOW + timedelta(days=days[0]),
        not_after=NOW + timedelta(days=days[1]),
        basic_constraints=bc,
        key_usage=ku,
        **kwargs,  # type: ignore[arg-type]
    )


def leaf(
    issuer: x509.Certificate,
    issuer_key: str,
    *,
    dns: tuple[str, ...] = ("www.example.com",),
    days: tuple[int, int] = (-1, 90),
    eku: tuple[OID, ...] = (SERVER_AUTH,),
    label: str = "leaf",
    **kwargs: object,
) -> x509.Certificate:
    sans = kwargs.pop("sans", tuple(x509.DNSName(d) for d in dns))
    return x509.Certificate.create(
        subject=x509.Name.from_attributes([("O", "nqsb leaf")]),
        public_key=key(label).public_key(),
        signing_key=key(issuer_key),
        issuer=issuer,
        not_before=NOW + timedelta(days=days[0]),
        not_after=NOW + timedelta(days=days[1]),
        key_usage=kwargs.pop("key_usage", x509.KeyUsage.of("digitalSignature")),  # type: ignore[arg-type]
        extended_key_usage=eku,
        subject_alternative_names=sans,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


@dataclass
class Case:
    leaf: x509.Certificate
    intermediates: list[x509.Certificate]
    roots: list[x509.Certificate]
    host: str | None = "www.example.com"
    policy: x509.ValidationPolicy = field(default_factory=x509.ValidationPolicy)
    time: datetime = NOW

    def run(self) -> x509.Ok | x509.ValidationError:
        return x509.validate(
            self.leaf,
            self.intermediates,
            self.roots,
            time=self.time,
            host=self.host,
            policy=self.policy,
        )


def simple(**leaf_kwargs: object) -> Case:
    root = ca("root")
    inter = ca("inter", root, "root")
    return Case(leaf(inter, "inter", **leaf_kwargs), [inter], [root])  # type: ignore[arg-type]


# Each builder returns a Case; the expected outcome is the error class (None = Ok) and the
# depth of the certificate at fault.
Builder = Callable[[], Case]


def c_valid() -> Case:
    return simple()


def c_intermediate_not_ca() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root", ca_flag=False)
    return Case(leaf(inter, "inter"), [inter], [root])


def c_intermediate_ca_false() -> Case:
    root = ca("root")
    inter = x509.Certificate.create(
        subject=name("inter"),
        public_key=key("inter").public_key(),
        signing_key=key("root"),
        issuer=root,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=9),
        basic_constraints=x509.BasicConstraints(ca=False),
    )
    return Case(leaf(inter, "inter"), [inter], [root])


def c_v1_intermediate() -> Case:
    root = ca("root")
    inter = x509.Certificate.create(
        subject=name("inter"),
        public_key=key("inter").public_key(),
        signing_key=key("root"),
        issuer=root,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=9),
        version=1,
    )
    return Case(leaf(inter, "inter"), [inter], [root])


def c_v1_root() -> Case:
    root = x509.Certificate.create(
        subject=name("root"),
        public_key=key("root").public_key(),
        signing_key=key("root"),
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=9),
        version=1,
    )
    inter = ca("inter", root, "root")
    return Case(leaf(inter, "inter"), [inter], [root])


def c_pathlen_exceeded() -> Case:
    root = ca("root")
    i1 = ca("i1", root, "root", path_len=0)
    i2 = ca("i2", i1, "i1")
    return Case(leaf(i2, "i2"), [i2, i1], [root])


def c_pathlen_ok() -> Case:
    root = ca("root")
    i1 = ca("i1", root, "root", path_len=1)
    i2 = ca("i2", i1, "i1", path_len=0)
    return Case(leaf(i2, "i2"), [i1, i2], [root])


def c_root_pathlen_exceeded() -> Case:
    root = ca("root", path_len=0)
    i1 = ca("i1", root, "root")
    return Case(leaf(i1, "i1"), [i1], [root])


def c_max_intermediates() -> Case:
    case = c_pathlen_ok()
    case.policy = x509.ValidationPolicy(max_intermediates=1)
    return case


def _validity(depth: int, days: tuple[int, int]) -> Case:
    root = ca("root", days=days if depth == 2 else (-10, 365))
    inter = ca("inter", root, "root", days=days if depth == 1 else (-10, 365))
    lf = leaf(inter, "inter", days=days if depth == 0 else (-1, 90))
    return Case(lf, [inter], [root])


def c_expired_leaf() -> Case:
    return _validity(0, (-30, -1))


def c_expired_inter() -> Case:
    return _validity(1, (-30, -1))


def c_expired_root() -> Case:
    return _validity(2, (-30, -1))


def c_future_leaf() -> Case:
    return _validity(0, (1, 30))


def c_future_inter() -> Case:
    return _validity(1, (1, 30))


def c_future_root() -> Case:
    return _validity(2, (1, 30))


def c_exact_bounds() -> Case:
    case = simple()
    case.time = case.leaf.not_after
    return case


def c_eku_mismatch_leaf() -> Case:
    return simple(eku=(CLIENT_AUTH,))


def c_eku_missing() -> Case:
    """RFC 5280 4.2.1.12: no extendedKeyUsage, any purpose."""
    return simple(eku=())


def c_eku_any_webpki() -> Case:
    return simple(eku=(x509.ExtendedKeyUsage.ANY,))


def c_eku_any_rfc5280() -> Case:
    case = simple(eku=(x509.ExtendedKeyUsage.ANY,))
    case.policy = x509.ValidationPolicy(webpki=False)
    return case


def c_eku_nesting() -> Case:
    """No purpose asked, but the leaf's purposes must lie within the intermediate's."""
    root = ca("root")
    inter = ca("inter", root, "root", extended_key_usage=(x509.ExtendedKeyUsage.EMAIL_PROTECTION,))
    case = Case(leaf(inter, "inter"), [inter], [root])
    case.policy = x509.ValidationPolicy(purpose=None)
    return case


def c_eku_intermediate() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root", extended_key_usage=(CLIENT_AUTH,))
    return Case(leaf(inter, "inter"), [inter], [root])


def c_eku_client_purpose() -> Case:
    case = simple(eku=(CLIENT_AUTH,))
    case.policy = x509.ValidationPolicy(purpose=CLIENT_AUTH)
    case.host = None
    return case


def _nc(
    permitted: tuple[x509.GeneralName, ...] | None,
    excluded: tuple[x509.GeneralName, ...] | None,
    sans: tuple[x509.GeneralName, ...],
    host: str | None = None,
    subject: x509.Name | None = None,
) -> Case:
    root = ca("root")
    inter = ca(
        "inter",
        root,
        "root",
        name_constraints=x509.NameConstraints(permitted=permitted, excluded=excluded),
    )
    kwargs: dict[str, object] = {"sans": sans}
    lf = x509.Certificate.create(
        subject=subject if subject is not None else x509.Name.from_attributes([("O", "nqsb leaf")]),
        public_key=key("leaf").public_key(),
        signing_key=key("inter"),
        issuer=inter,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=30),
        extended_key_usage=(SERVER_AUTH,),
        subject_alternative_names=kwargs["sans"],  # type: ignore[arg-type]
    )
    return Case(lf, [inter], [root], host=host)


D = x509.DNSName
IP = x509.IPAddress
NET = x509.IPNetwork
MAIL = x509.RFC822Name


def c_nc_dns_permitted_ok() -> Case:
    return _nc((D("example.com"),), None, (D("www.example.com"),), "www.example.com")


def c_nc_dns_permitted_bad() -> Case:
    return _nc((D("example.com"),), None, (D("www.example.org"),), "www.example.org")


def c_nc_dns_excluded() -> Case:
    return _nc(None, (D("bad.example.com"),), (D("x.bad.example.com"),))


def c_nc_dns_excluded_wildcard() -> Case:
    return _nc(None, (D("bar.example.com"),), (D("*.example.com"),))


def c_nc_ip_permitted_ok() -> Case:
    net = NET(ipaddress.ip_network("192.0.2.0/24"))
    return _nc((net,), None, (IP(ipaddress.ip_address("192.0.2.7")),), "192.0.2.7")


def c_nc_ip_permitted_bad() -> Case:
    net = NET(ipaddress.ip_network("192.0.2.0/24"))
    return _nc((net,), None, (IP(ipaddress.ip_address("198.51.100.7")),))


def c_nc_ip_excluded() -> Case:
    net = NET(ipaddress.ip_network("2001:db8::/32"))
    return _nc(None, (net,), (IP(ipaddress.ip_address("2001:db8::1")),))


def c_nc_email_permitted_ok() -> Case:
    return _nc((MAIL("example.com"),), None, (MAIL("alice@example.com"),))


def c_nc_email_permitted_bad() -> Case:
    return _nc((MAIL("example.com"),), None, (MAIL("alice@example.org"),))


def c_nc_email_excluded() -> Case:
    return _nc(None, (MAIL(".example.com"),), (MAIL("alice@mail.example.com"),))


def c_nc_dirname_permitted_ok() -> Case:
    base = x509.DirectoryName(x509.Name.from_attributes([("O", "nqsb leaf")]))
    return _nc((base,), None, (D("www.example.com"),))


def c_nc_dirname_permitted_bad() -> Case:
    base = x509.DirectoryName(x509.Name.from_attributes([("O", "elsewhere")]))
    return _nc((base,), None, (D("www.example.com"),))


def c_nc_dirname_excluded() -> Case:
    base = x509.DirectoryName(x509.Name.from_attributes([("O", "nqsb leaf")]))
    return _nc(None, (base,), (D("www.example.com"),))


def c_nc_other_type_unconstrained() -> Case:
    net = NET(ipaddress.ip_network("192.0.2.0/24"))
    return _nc((net,), None, (D("www.example.com"),), "www.example.com")


def c_unknown_critical_leaf() -> Case:
    ext = x509.Extension(OID("1.3.6.1.4.1.55555.1"), True, b"\x05\x00")
    return simple(extensions=(ext,))


def c_unknown_noncritical_leaf() -> Case:
    ext = x509.Extension(OID("1.3.6.1.4.1.55555.1"), False, b"\x05\x00")
    return simple(extensions=(ext,))


def c_unknown_critical_inter() -> Case:
    root = ca("root")
    ext = x509.Extension(OID("1.3.6.1.4.1.55555.1"), True, b"\x05\x00")
    inter = ca("inter", root, "root", extensions=(ext,))
    return Case(leaf(inter, "inter"), [inter], [root])


def c_wrong_signature() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root")
    return Case(leaf(inter, "other"), [inter], [root])


def c_missing_intermediate() -> Case:
    case = simple()
    case.intermediates = []
    return case


def c_untrusted_root() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root")
    return Case(leaf(inter, "inter"), [inter, root], [ca("other")])


def c_loop() -> Case:
    a = ca(
        "a",
        x509.Certificate.create(  # a issued by b, b issued by a: no anchor reachable
            subject=name("b"),
            public_key=key("b").public_key(),
            signing_key=key("b"),
            not_before=NOW - timedelta(days=1),
            not_after=NOW + timedelta(days=9),
        ),
        "b",
    )
    b = ca("b", a, "a")
    return Case(leaf(a, "a"), [a, b], [ca("root")])


def c_too_long() -> Case:
    root = ca("root")
    chain = []
    issuer, issuer_key = root, "root"
    for i in range(20):
        c = ca(f"i{i}", issuer, issuer_key)
        chain.append(c)
        issuer, issuer_key = c, f"i{i}"
    case = Case(leaf(issuer, issuer_key), chain[::-1], [root])
    case.policy = x509.ValidationPolicy(max_intermediates=100)
    return case


def _cross() -> tuple[x509.Certificate, x509.Certificate, x509.Certificate, x509.Certificate]:
    old = ca("old root", days=(-400, -5))  # expired
    new = ca("new root")
    via_old = ca("inter", old, "old root")
    via_new = ca("inter", new, "new root")
    return old, new, via_old, via_new


def c_cross_signed_one_good() -> Case:
    old, new, via_old, via_new = _cross()
    lf = leaf(via_new, "inter")
    return Case(lf, [via_old, via_new], [old, new])


def c_cross_signed_only_bad() -> Case:
    old, new, via_old, _ = _cross()
    return Case(leaf(via_old, "inter"), [via_old], [old, new])


def c_wildcard_ok() -> Case:
    case = simple(dns=("*.example.com",))
    case.host = "a.example.com"
    return case


def c_wildcard_two_labels() -> Case:
    case = simple(dns=("*.example.com",))
    case.host = "a.b.example.com"
    return case


def c_wildcard_apex() -> Case:
    case = simple(dns=("*.example.com",))
    case.host = "example.com"
    return case


def c_wildcard_tld() -> Case:
    case = simple(dns=("*.com",))
    case.host = "example.com"
    return case


def c_wildcard_partial() -> Case:
    case = simple(dns=("w*.example.com",))
    case.host = "www.example.com"
    return case


def c_host_case() -> Case:
    case = simple(dns=("WWW.Example.COM",))
    case.host = "www.example.com."
    return case


def c_host_idn() -> Case:
    case = simple(dns=("xn--bcher-kva.example",))
    case.host = "bücher.example"
    return case


def c_host_ip() -> Case:
    case = simple(sans=(IP(ipaddress.ip_address("192.0.2.1")),))
    case.host = "192.0.2.1"
    return case


def c_host_ip_as_dns() -> Case:
    case = simple(dns=("192.0.2.1",))
    case.host = "192.0.2.1"
    return case


def c_host_mismatch() -> Case:
    case = simple()
    case.host = "mail.example.com"
    return case


def c_ku_issuer() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root", key_usage=x509.KeyUsage.of("cRLSign"))
    return Case(leaf(inter, "inter"), [inter], [root])


def c_ku_leaf_needed() -> Case:
    case = simple(key_usage=x509.KeyUsage.of("keyAgreement"))
    case.policy = x509.ValidationPolicy(key_usage=("digitalSignature",))
    return case


def c_revoked() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root")
    lf = leaf(inter, "inter")
    crl = x509.CertificateRevocationList.create(
        issuer=inter,
        private_key=key("inter"),
        crl_number=1,
        this_update=NOW - timedelta(days=1),
        next_update=NOW + timedelta(days=6),
        revoked=[
            x509.RevokedCertificate(lf.serial_number, NOW - timedelta(hours=1), "keyCompromise")
        ],
    )
    return Case(lf, [inter], [root], policy=x509.ValidationPolicy(crls=(crl,)))


def c_crl_other_issuer() -> Case:
    case = c_revoked()
    other = ca("other")
    crl = x509.CertificateRevocationList.create(
        issuer=other,
        private_key=key("other"),
        crl_number=1,
        this_update=NOW - timedelta(days=1),
        next_update=NOW + timedelta(days=6),
        revoked=[x509.RevokedCertificate(case.leaf.serial_number, NOW - timedelta(hours=1))],
    )
    case.policy = x509.ValidationPolicy(crls=(crl,))
    return case


def c_sha1() -> Case:
    root = ca("root")
    inter = ca("inter", root, "root")
    return Case(leaf(inter, "inter", signature_algorithm="sha1"), [inter], [root])


def c_sha1_allowed() -> Case:
    case = c_sha1()
    case.policy = x509.ValidationPolicy(allow_sha1=True)
    return case


def c_explicit_policy_missing() -> Case:
    root = ca("root")
    inter = ca(
        "inter",
        root,
        "root",
        extensions=(x509.Extension.of(x509.PolicyConstraints(require_explicit_policy=0)),),
    )
    return Case(leaf(inter, "inter"), [inter], [root])


def c_explicit_policy_present() -> Case:
    root = ca("root")
    inter = ca(
        "inter",
        root,
        "root",
        policies=(POLICY_A,),
        extensions=(x509.Extension.of(x509.PolicyConstraints(require_explicit_policy=0)),),
    )
    return Case(leaf(inter, "inter", policies=(POLICY_A,)), [inter], [root])


def c_explicit_policy_other() -> Case:
    root = ca("root")
    inter = ca(
        "inter",
        root,
        "root",
        policies=(POLICY_A,),
        extensions=(x509.Extension.of(x509.PolicyConstraints(require_explicit_policy=0)),),
    )
    other = OID("2.16.840.1.114412.9.2")
    return Case(leaf(inter, "inter", policies=(other,)), [inter], [root])


POLICY_B = OID("2.16.840.1.114412.9.2")
ANY = OID("2.5.29.32.0")
EXPLICIT = x509.Extension.of(x509.PolicyConstraints(require_explicit_policy=0))


def _policy_chain(
    inter_policies: tuple[OID, ...],
    inter_extensions: tuple[x509.Extension, ...],
    leaf_policies: tuple[OID, ...],
    second: tuple[tuple[OID, ...], tuple[x509.Extension, ...]] | None = None,
) -> Case:
    """root -> inter [-> inter2] -> leaf with the given policies and extensions."""
    root = ca("root")
    inter = ca("inter", root, "root", policies=inter_policies, extensions=inter_extensions)
    chain, issuer, issuer_key = [inter], inter, "inter"
    if second is not None:
        inter2 = ca("inter2", inter, "inter", policies=second[0], extensions=second[1])
        chain.insert(0, inter2)
        issuer, issuer_key = inter2, "inter2"
    return Case(leaf(issuer, issuer_key, policies=leaf_policies), chain, [root])


def c_policy_any_expands() -> Case:
    """6.1.3 (d)(1)(ii): an anyPolicy node above lets the leaf's policy through."""
    return _policy_chain((ANY,), (EXPLICIT,), (POLICY_A,))


def c_policy_inhibit_any() -> Case:
    """6.1.4 (j): inhibitAnyPolicy 0 in inter: inter2's anyPolicy no longer counts."""
    inhibit = x509.Extension.of(x509.InhibitAnyPolicy(skip_certs=0))
    return _policy_chain((ANY,), (EXPLICIT, inhibit), (POLICY_A,), second=((ANY,), ()))


def c_policy_any_not_inhibited() -> Case:
    return _policy_chain((ANY,), (EXPLICIT,), (POLICY_A,), second=((ANY,), ()))


def c_policy_mapping() -> Case:
    """6.1.4 (b): inter maps A (its domain) to B (the subject's): a leaf with B is valid."""
    mapping = x509.Extension.of(
        x509.PolicyMappings(mappings=(x509.PolicyMapping(POLICY_A, POLICY_B),))
    )
    return _policy_chain((POLICY_A,), (EXPLICIT,), (POLICY_B,), second=((POLICY_A,), (mapping,)))


def c_policy_mapping_inhibited() -> Case:
    """inhibitPolicyMapping 0 in inter: inter2's mapping deletes A instead of mapping it."""
    mapping = x509.Extension.of(
        x509.PolicyMappings(mappings=(x509.PolicyMapping(POLICY_A, POLICY_B),))
    )
    inhibit = x509.Extension.of(
        x509.PolicyConstraints(require_explicit_policy=0, inhibit_policy_mapping=0)
    )
    return _policy_chain((POLICY_A,), (inhibit,), (POLICY_B,), second=((POLICY_A,), (mapping,)))


def c_policy_mapping_any() -> Case:
    """6.1.4 (a): a mapping to or from anyPolicy is refused."""
    mapping = x509.Extension.of(x509.PolicyMappings(mappings=(x509.PolicyMapping(ANY, POLICY_B),)))
    return _policy_chain((ANY,), (), (POLICY_B,), second=((ANY,), (mapping,)))


def c_policy_not_required() -> Case:
    """Without requireExplicitPolicy, a leaf outside the tree is still valid."""
    return _policy_chain((POLICY_A,), (), (POLICY_B,))


def c_leaf_ca() -> Case:
    """RFC 5280 4.2.1.9 lets the last certificate be a CA certificate."""
    root = ca("root")
    lf = ca(
        "www.example.com",
        root,
        "root",
        subject_alternative_names=(D("www.example.com"),),
        extended_key_usage=(SERVER_AUTH,),
    )
    return Case(lf, [], [root])


def c_leaf_ca_without_keycertsign() -> Case:
    """4.2.1.9: cA TRUE requires keyCertSign when keyUsage is present."""
    root = ca("root")
    lf = ca(
        "www.example.com",
        root,
        "root",
        key_usage=x509.KeyUsage.of("digitalSignature"),
        subject_alternative_names=(D("www.example.com"),),
        extended_key_usage=(SERVER_AUTH,),
    )
    return Case(lf, [], [root])


def c_cn_not_in_san() -> Case:
    root = ca("root")
    lf = x509.Certificate.create(
        subject=x509.Name.from_attributes([("CN", "WWW.example.com")]),
        public_key=key("leaf").public_key(),
        signing_key=key("root"),
        issuer=root,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=30),
        extended_key_usage=(SERVER_AUTH,),
        subject_alternative_names=(D("www.example.com"),),
    )
    return Case(lf, [], [root])


TABLE: list[tuple[Builder, type[x509.ValidationError] | None, int | None]] = [
    (c_valid, None, None),
    (c_intermediate_not_ca, x509.NotCA, 1),
    (c_intermediate_ca_false, x509.NotCA, 1),
    (c_v1_intermediate, x509.NotCA, 1),
    (c_v1_root, None, None),
    (c_pathlen_exceeded, x509.PathLengthExceeded, None),
    (c_pathlen_ok, None, None),
    (c_root_pathlen_exceeded, x509.PathLengthExceeded, None),
    (c_max_intermediates, x509.PathLengthExceeded, None),
    (c_expired_leaf, x509.Expired, 0),
    (c_expired_inter, x509.Expired, 1),
    (c_expired_root, x509.Expired, 2),
    (c_future_leaf, x509.NotYetValid, 0),
    (c_future_inter, x509.NotYetValid, 1),
    (c_future_root, x509.NotYetValid, 2),
    (c_exact_bounds, None, None),
    (c_eku_mismatch_leaf, x509.EKUMismatch, 0),
    (c_eku_missing, None, None),
    (c_eku_any_webpki, x509.InvalidCertificate, 0),
    (c_eku_any_rfc5280, None, None),
    (c_eku_nesting, x509.EKUMismatch, 0),
    (c_eku_intermediate, x509.EKUMismatch, 1),
    (c_eku_client_purpose, None, None),
    (c_nc_dns_permitted_ok, None, None),
    (c_nc_dns_permitted_bad, x509.NameConstraintViolation, 0),
    (c_nc_dns_excluded, x509.NameConstraintViolation, 0),
    (c_nc_dns_excluded_wildcard, x509.NameConstraintViolation, 0),
    (c_nc_ip_permitted_ok, None, None),
    (c_nc_ip_permitted_bad, x509.NameConstraintViolation, 0),
    (c_nc_ip_excluded, x509.NameConstraintViolation, 0),
    (c_nc_email_permitted_ok, None, None),
    (c_nc_email_permitted_bad, x509.NameConstraintViolation, 0),
    (c_nc_email_excluded, x509.NameConstraintViolation, 0),
    (c_nc_dirname_permitted_ok, None, None),
    (c_nc_dirname_permitted_bad, x509.NameConstraintViolation, 0),
    (c_nc_dirname_excluded, x509.NameConstraintViolation, 0),
    (c_nc_other_type_unconstrained, None, None),
    (c_unknown_critical_leaf, x509.UnknownCriticalExtension, 0),
    (c_unknown_noncritical_leaf, None, None),
    (c_unknown_critical_inter, x509.UnknownCriticalExtension, 1),
    (c_wrong_signature, x509.BadSignature, 0),
    (c_missing_intermediate, x509.UnknownIssuer, 0),
    (c_untrusted_root, x509.UnknownIssuer, None),
    (c_loop, x509.UnknownIssuer, None),
    (c_too_long, x509.ChainTooLong, None),
    (c_cross_signed_one_good, None, None),
    (c_cross_signed_only_bad, x509.Expired, 2),
    (c_wildcard_ok, None, None),
    (c_wildcard_two_labels, x509.NameMismatch, 0),
    (c_wildcard_apex, x509.NameMismatch, 0),
    (c_wildcard_tld, x509.NameMismatch, 0),
    (c_wildcard_partial, x509.NameMismatch, 0),
    (c_host_case, None, None),
    (c_host_idn, None, None),
    (c_host_ip, None, None),
    (c_host_ip_as_dns, x509.NameMismatch, 0),
    (c_host_mismatch, x509.NameMismatch, 0),
    (c_ku_issuer, x509.KeyUsageMissing, 1),
    (c_ku_leaf_needed, x509.KeyUsageMissing, 0),
    (c_revoked, x509.Revoked, 0),
    (c_crl_other_issuer, None, None),
    (c_sha1, x509.WeakSignatureAlgorithm, 0),
    (c_sha1_allowed, None, None),
    (c_explicit_policy_missing, x509.PolicyViolation, None),
    (c_explicit_policy_present, None, None),
    (c_explicit_policy_other, x509.PolicyViolation, None),
    (c_policy_any_expands, None, None),
    (c_policy_inhibit_any, x509.PolicyViolation, 1),
    (c_policy_any_not_inhibited, None, None),
    (c_policy_mapping, None, None),
    (c_policy_mapping_inhibited, x509.PolicyViolation, 0),
    (c_policy_mapping_any, x509.PolicyViolation, 1),
    (c_policy_not_required, None, None),
    (c_leaf_ca, None, None),
    (c_leaf_ca_without_keycertsign, x509.InvalidCertificate, 0),
    (c_cn_not_in_san, x509.InvalidCertificate, 0),
]


@pytest.mark.parametrize(
    ("build", "expected", "depth"), TABLE, ids=[b.__name__[2:] for b, _, _ in TABLE]
)
def test_path_validation(
    build: Builder, expected: type[x509.ValidationError] | None, depth: int | None
) -> None:
    case = build()
    result = case.run()
    if expected is None:
        assert isinstance(result, x509.Ok), str(result)
        assert result.leaf == case.leaf
        assert result.anchor in case.roots
        for child, parent in zip(result.path, result.path[1:], strict=False):
            assert child.issuer.matches(parent.subject)
            assert child.verify_signature(parent, allow_sha1=True)
    else:
        assert isinstance(result, expected), f"{type(result).__name__}: {result}"
        assert str(result)  # a sentence for a person
        if depth is not None:
            assert result.depth == depth, str(result)


def test_cross_signed_path_is_the_valid_one() -> None:
    case = c_cross_signed_one_good()
    result = case.run()
    assert isinstance(result, x509.Ok)
    assert str(result.anchor.subject) == str(name("new root"))


def test_time_must_be_aware() -> None:
    case = simple()
    with pytest.raises(ValueError, match="timezone"):
        x509.validate(case.leaf, case.intermediates, case.roots, time=datetime(2030, 1, 1))


# --- authenticators -------------------------------------------------------------------------


def test_chain_of_trust_authenticator() -> None:
    case = simple()
    auth = x509.Authenticator.chain_of_trust(case.roots)
    chain = [case.leaf, *case.intermediates]
    assert isinstance(auth(chain, "www.example.com", time=NOW), x509.Ok)
    assert isinstance(auth(chain, "other.example.com", time=NOW), x509.NameMismatch)
    with pytest.raises(ValueError, match="time"):
        auth(chain, "www.example.com")
    fixed = x509.Authenticator.chain_of_trust(case.roots, time=NOW)
    assert isinstance(fixed(chain, "www.example.com"), x509.Ok)
    later = x509.Authenticator.chain_of_trust(case.roots, time=lambda: NOW + timedelta(days=400))
    assert isinstance(later(chain, "www.example.com"), x509.Expired)


def test_fingerprint_authenticators() -> None:
    case = simple()
    lf = case.leaf
    cert_fp = lf.fingerprint("sha256")
    key_fp = hashes.digest("sha256", lf.public_key_info.der)
    by_cert = x509.Authenticator.cert_fingerprint("sha256", {"www.example.com": cert_fp})
    assert isinstance(by_cert([lf], "www.example.com", time=NOW), x509.Ok)
    assert isinstance(by_cert([lf], "WWW.example.com.", time=NOW), x509.Ok)
    assert isinstance(by_cert([lf], "other.example.com", time=NOW), x509.FingerprintMismatch)
    anyhost = x509.Authenticator.key_fingerprint("sha256", [key_fp])
    assert isinstance(anyhost([lf], None, time=NOW), x509.Ok)
    wrong = x509.Authenticator.key_fingerprint("sha256", [cert_fp])
    assert isinstance(wrong([lf], None, time=NOW), x509.FingerprintMismatch)
    assert isinstance(anyhost([lf], None, time=NOW + timedelta(days=400)), x509.Expired)
    with pytest.raises(ValueError):
        x509.Authenticator.key_fingerprint("nohash", [key_fp])


def test_system_authenticator_loads_the_store() -> None:
    try:
        auth = x509.Authenticator.system()
    except FileNotFoundError:
        pytest.skip("no system trust store on this machine")
    assert "system trust store" in auth.description
    case = simple()
    result = auth([case.leaf, *case.intermediates], "www.example.com", time=NOW)
    assert isinstance(result, x509.UnknownIssuer)


# --- hostile input ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_chains_never_raise(data: st.DataObject) -> None:
    case = _mutation_base()
    ders = [case.leaf.der, *(c.der for c in case.intermediates)]
    which = data.draw(st.integers(0, len(ders) - 1))
    der = bytearray(ders[which])
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(der) - 1))
        der[pos] = data.draw(st.integers(0, 255))
    try:
        cert = x509.Certificate.from_der(bytes(der))
    except x509.DecodeError:
        return
    chain = [case.leaf, *case.intermediates]
    chain[which] = cert
    result = x509.validate(chain[0], chain[1:], case.roots, time=NOW, host="www.example.com")
    assert isinstance(result, x509.Ok | x509.ValidationError)


_BASE: list[Case] = []


def _mutation_base() -> Case:
    if not _BASE:
        _BASE.append(simple())
    return _BASE[0]


def test_many_same_named_candidates_are_bounded() -> None:
    """Hostile bundle: 60 intermediates with the issuer's name but other keys; building
    stays within the budget and fails with a typed reason."""
    root = ca("root")
    fakes = [ca("inter", ca(f"f{i}"), f"f{i}") for i in range(60)]
    inter = ca("inter", root, "root")
    lf = leaf(inter, "inter", label="leaf")
    result = x509.validate(lf, [*fakes, inter], [root], time=NOW, host="www.example.com")
    assert isinstance(result, x509.Ok)
    result = x509.validate(lf, fakes, [root], time=NOW, host="www.example.com")
    assert isinstance(result, x509.ValidationError)


POLICY_ROWS = [row for row in TABLE if row[0].__name__.startswith(("c_policy", "c_explicit"))]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command line")
@pytest.mark.parametrize(
    ("build", "expected", "depth"), POLICY_ROWS, ids=[b.__name__[2:] for b, _, _ in POLICY_ROWS]
)
def test_policies_agree_with_openssl(
    build: Builder, expected: type[x509.ValidationError] | None, depth: int | None, tmp_path: Path
) -> None:
    """The policy rows, differentially: `openssl verify -policy_check` with the RFC 5280
    default user-initial-policy-set {anyPolicy} (`-policy 2.5.29.32.0`; without it OpenSSL
    starts from an empty set) reaches the same verdict as our policy tree."""
    case = build()
    (tmp_path / "root.pem").write_text("".join(c.to_pem() for c in case.roots))
    (tmp_path / "untrusted.pem").write_text("".join(c.to_pem() for c in case.intermediates))
    (tmp_path / "leaf.pem").write_text(case.leaf.to_pem())
    proc = subprocess.run(
        [
            "openssl",
            "verify",
            "-policy_check",
            "-policy",
            "2.5.29.32.0",
            "-attime",
            str(int(case.time.timestamp())),
            "-CAfile",
            "root.pem",
            "-untrusted",
            "untrusted.pem",
            "leaf.pem",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (proc.returncode == 0) == (expected is None), proc.stdout + proc.stderr
    assert isinstance(case.run(), x509.Ok) == (expected is None)
