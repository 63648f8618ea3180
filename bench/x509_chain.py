"""X.509 path validation: chains validated per second by nqsb's ``x509.validate`` and by
pyca/cryptography's verifier, on the same chains, in one run.

Two chains of three certificates (root -> intermediate -> leaf, the leaf for
``www.example.org``), made here with ``x509.Certificate.create``: one all RSA-2048 (PKCS #1
v1.5 with SHA-256), one all ECDSA P-256 (SHA-256). What is timed is the whole validation of
an already-parsed chain for the host name: path building, both signatures, the RFC 5280
checks and the name check (nqsb: ``x509.validate(leaf, [intermediate], [root], time=...,
host=...)``; cryptography: ``PolicyBuilder().store(Store([root])).time(...)
.build_server_verifier(DNSName(...)).verify(leaf, [intermediate])`` with the verifier
built once, outside the loop). Best of 5 repeats (``bench.run.measure``); ratio = ours /
theirs in chains per second (>1: nqsb faster).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import x509
from nocrypto import ec, rsa

HOST = "www.example.org"
START = datetime(2030, 1, 1, tzinfo=UTC)
AT = START + timedelta(days=10)


def make_chain(kind: str) -> tuple[x509.Certificate, x509.Certificate, x509.Certificate]:
    """(leaf, intermediate, root), all keys of *kind* ("rsa" or "p256")."""

    def new_key() -> x509.PrivateKey:
        if kind == "rsa":
            return rsa.RSAPrivateKey.generate(2048)
        return ec.ECPrivateKey.generate(ec.P256)

    root_key, int_key, leaf_key = new_key(), new_key(), new_key()
    ca_usage = x509.KeyUsage.of("keyCertSign", "cRLSign")
    root = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=nqsb bench root,O=nqsb"),
        public_key=root_key.public_key(),
        signing_key=root_key,
        not_before=START,
        not_after=START + timedelta(days=3650),
        basic_constraints=x509.BasicConstraints(ca=True),
        key_usage=ca_usage,
    )
    inter = x509.Certificate.create(
        subject=x509.Name.from_rfc4514("CN=nqsb bench intermediate,O=nqsb"),
        public_key=int_key.public_key(),
        signing_key=root_key,
        issuer=root,
        not_before=START,
        not_after=START + timedelta(days=1000),
        basic_constraints=x509.BasicConstraints(ca=True, path_length=0),
        key_usage=ca_usage,
    )
    usage = ("digitalSignature", "keyEncipherment") if kind == "rsa" else ("digitalSignature",)
    leaf = x509.Certificate.create(
        subject=x509.Name.from_rfc4514(f"CN={HOST},O=Example"),
        public_key=leaf_key.public_key(),
        signing_key=int_key,
        issuer=inter,
        not_before=START,
        not_after=START + timedelta(days=90),
        key_usage=x509.KeyUsage.of(*usage),
        extended_key_usage=(x509.ExtendedKeyUsage.SERVER_AUTH,),
        subject_alternative_names=(x509.DNSName(HOST), x509.DNSName("example.org")),
    )
    return leaf, inter, root


def _rate(call: Callable[[], object]) -> float:
    from bench.run import measure

    return 1 / measure(call).seconds


def _their_verification(
    leaf: x509.Certificate, inter: x509.Certificate, root: x509.Certificate
) -> Callable[[], object]:
    """cryptography's verification of the same chain, the verifier built once."""
    from cryptography import x509 as pyca
    from cryptography.x509.verification import PolicyBuilder, Store

    p_leaf = pyca.load_der_x509_certificate(leaf.der)
    p_inter = pyca.load_der_x509_certificate(inter.der)
    p_root = pyca.load_der_x509_certificate(root.der)
    verifier = (
        PolicyBuilder().store(Store([p_root])).time(AT).build_server_verifier(pyca.DNSName(HOST))
    )
    verifier.verify(p_leaf, [p_inter])  # both must accept the chain

    def theirs() -> object:
        return verifier.verify(p_leaf, [p_inter])

    return theirs


def bench_x509_chains() -> list[str]:
    """The figures, as lines of text."""
    lines = ["x509: 3-certificate chains validated per second (ratio = nqsb / cryptography)"]
    try:
        from cryptography import __version__ as theirs_version
    except ImportError:
        theirs_version = ""
    header = f"  {'':<22}{'nqsb':>10}"
    if theirs_version:
        header += f"{'cryptography ' + theirs_version:>24}{'ratio':>9}"
    lines.append(header)
    for kind, label in (("rsa", "RSA-2048 chain"), ("p256", "ECDSA P-256 chain")):
        leaf, inter, root = make_chain(kind)

        def ours(
            leaf: x509.Certificate = leaf,
            inter: x509.Certificate = inter,
            root: x509.Certificate = root,
        ) -> object:
            result = x509.validate(leaf, [inter], [root], time=AT, host=HOST)
            assert isinstance(result, x509.Ok), str(result)
            return result

        ours_rate = _rate(ours)
        if not theirs_version:
            lines.append(f"  {label:<22}{ours_rate:>8.0f}/s  (cryptography not installed)")
            continue
        theirs_rate = _rate(_their_verification(leaf, inter, root))
        lines.append(
            f"  {label:<22}{ours_rate:>8.0f}/s{theirs_rate:>22.0f}/s"
            f"{ours_rate / theirs_rate:>8.2f}x"
        )
    return lines


if __name__ == "__main__":  # python -m bench.x509_chain, from the repository
    print("\n".join(bench_x509_chains()))
