"""The shortcuts taken for parsing speed give what the plain code gives.

- Certificate.from_der with asn1's compiled DER decoder against the interpreter alone, on
  the trust store's certificates and thousands of mutations of them: the same certificate
  (every field) or the same error message;
- the constructors that fill the slots of frozen dataclasses directly (``_maker``,
  ``NameAttribute._decoded``, ...) against the dataclasses' own ``__init__``;
- ``str(Name)`` against the RFC 4514 form written attribute by attribute.
"""

from __future__ import annotations

import random
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest

import asn1
import asn1._api
import x509
from asn1._grammar import Grammar
from tests.x509.conftest import store_certificates
from x509 import _grammar as g
from x509._extension_values import AccessDescription, DistributionPoint, KeyUsage
from x509._general_name import URI, DNSName, from_choice, from_choices
from x509._name import Name, NameAttribute

DEMO = Path(__file__).resolve().parents[2] / "vectors" / "x509" / "demo-cert.pem"
CERTS = [asn1.pem.decode_one(DEMO.read_bytes(), "CERTIFICATE")] + [
    der for _, der in store_certificates()[:60]
]


def view(der: bytes) -> tuple[str, Any]:
    """Everything Certificate.from_der makes of *der*, or its error."""
    try:
        c = x509.Certificate.from_der(der)
    except x509.DecodeError as e:
        return ("error", str(e))
    extensions = [(e.oid, e.critical, e.der, repr(e.value)) for e in c.extensions]
    return (
        "certificate",
        (
            c.der,
            c.tbs_der,
            c.version,
            c.serial_number,
            repr(c.signature_algorithm),
            repr(c.tbs_signature_algorithm),
            repr(c.issuer.rdns),
            str(c.issuer),
            repr(c.subject.rdns),
            str(c.subject),
            c.not_before,
            c.not_after,
            repr(c.public_key_info),
            c.public_key_info.der,
            c.issuer_unique_id,
            c.subject_unique_id,
            extensions,
            c.signature_bits,
            repr(c._validity),
        ),
    )


def mutated(der: bytes, rng: random.Random) -> bytes:
    b = bytearray(der)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(b))
        kind = rng.randrange(4)
        if kind == 0:
            b[i] = rng.randrange(256)
        elif kind == 1:
            b[i] ^= 1 << rng.randrange(8)
        elif kind == 2:
            b.insert(i, rng.randrange(256))
        else:
            del b[i]
    return bytes(b)


@pytest.fixture
def interpreter_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """asn1.decode_der without its compiled decoder: the interpreter decodes everything."""
    monkeypatch.setattr(asn1._api, "compiled", lambda grammar, limits: None)
    monkeypatch.setattr(Grammar, "_entry", None)  # no grammar has a shortcut entry then


def test_compiled_and_interpreted_certificates_agree(
    interpreter_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5280)
    inputs = list(CERTS)
    for der in CERTS[:25]:
        inputs += [mutated(der, rng) for _ in range(80)]
    slow = [view(d) for d in inputs]
    monkeypatch.undo()  # the compiled decoder again
    fast = [view(d) for d in inputs]
    assert fast == slow
    # Mutations of signatures, serial numbers and key bits stay certificates: both kinds
    # of outcome were compared.
    assert 50 < sum(kind == "certificate" for kind, _ in fast) < len(fast) - 500


def _records() -> list[type]:
    return [
        v
        for v in vars(g).values()
        if isinstance(v, type) and is_dataclass(v) and v.__module__ == g.__name__
    ]


@pytest.mark.parametrize("cls", _records(), ids=lambda c: c.__name__)
def test_maker_is_the_constructor(cls: type) -> None:
    values = tuple(f"field {i}" for i, f in enumerate(fields(cls)) if f.init)
    made: Any = g._maker(cls)(values)
    plain = cls(*values)
    assert made == plain and repr(made) == repr(plain) and hash(made) == hash(plain)
    with pytest.raises(AttributeError):
        made.__setattr__(fields(cls)[0].name, 1)  # still frozen


def test_makers_of_public_values() -> None:
    flags = [True, False] * 4 + [True]
    assert g._maker(KeyUsage)(flags) == KeyUsage(*flags)
    point = (None, None, frozenset({"keyCompromise"}), None)
    assert g._maker(DistributionPoint)(point) == DistributionPoint(*point)
    access = (AccessDescription.OCSP, URI("http://ocsp.example"))
    assert repr(g._maker(AccessDescription)(access)) == repr(AccessDescription(*access))
    for kind, cls in (("dNSName", DNSName), ("uniformResourceIdentifier", URI)):
        assert repr(from_choice((kind, "a.example"))) == repr(cls("a.example"))
        assert from_choices([(kind, "b.example")], "test") == (cls("b.example"),)


def test_decoded_names_are_the_constructed_ones() -> None:
    cn, c = asn1.OID("2.5.4.3"), asn1.OID("2.5.4.6")
    values = (b"\x0c\x03abc", b"\x13\x02DE", b"\x04\x01\x00", b"\x1e\x02\x00A")
    rdns = tuple((g.AttributeTypeAndValue(cn, v), g.AttributeTypeAndValue(c, v)) for v in values)
    fast = Name._from_grammar(g.Name(rdns))
    plain = Name([NameAttribute(a.type, a.value) for a in rdn] for rdn in rdns)
    assert repr(fast.rdns) == repr(plain.rdns) and fast == plain and str(fast) == str(plain)
    bad = g.Name(((g.AttributeTypeAndValue(cn, b"\x13\x01@"),),))
    with pytest.raises(x509.DecodeError, match="PrintableString") as decoded:
        Name._from_grammar(bad)
    with pytest.raises(x509.DecodeError) as constructed:
        NameAttribute(cn, b"\x13\x01@")
    assert str(decoded.value) == str(constructed.value)


def test_name_str_is_rfc4514_attribute_by_attribute() -> None:
    rng = random.Random(4514)
    alphabet = 'ab #"+,;<>\\=\x00\x1f\x7fé '
    for _ in range(2000):
        rdns = [
            [
                NameAttribute.of(
                    rng.choice(("CN", "O", "2.5.4.99")),
                    "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))),
                )
                for _ in range(rng.randint(1, 2))
            ]
            for _ in range(rng.randint(0, 3))
        ]
        name = Name(rdns)
        expected = ",".join("+".join(str(a) for a in rdn) for rdn in reversed(name.rdns))
        assert str(name) == expected
        assert Name.from_rfc4514(str(name)) == name
