"""Differential tests of asn1 against asn1tools' DER codec, our ASN.1 oracle.

Two modules are written twice, as ASN.1 text for asn1tools and as asn1 combinators:
``rfc5280`` (the certificate module of RFC 5280) and ``alltypes`` (every type asn1 supports).
For every type of both, with values drawn by :func:`tests.asn1.strategies.values`:

(a) our DER is asn1tools' DER for the same value;
(b) asn1tools decodes our DER to the same value;
(c) we decode asn1tools' DER to the same value;
(d) re-encoding what we decoded gives the same bytes.

Then every certificate of the system store decodes the same with both, and re-encodes to its
own bytes. asn1tools' own deviations from DER are corrected in
:mod:`tests.asn1.asn1tools_bridge`, each with the rule it breaks.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn1
from tests.asn1 import strategies
from tests.asn1.asn1tools_bridge import compile_der, from_asn1tools, to_asn1tools
from tests.asn1.modules import alltypes, rfc5280

MODULES: dict[str, ModuleType] = {"rfc5280": rfc5280, "alltypes": alltypes}
REPO = Path(__file__).resolve().parents[2]
CERT_STORE = Path("/etc/ssl/certs")

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TYPES = [
    pytest.param(module, name, id=f"{module}.{name}")
    for module, mod in MODULES.items()
    for name in mod.TYPES
]


@functools.cache
def spec(module: str) -> Any:
    return compile_der(MODULES[module].ASN_PATH)


def grammar(module: str, name: str) -> asn1.Grammar[Any]:
    g: asn1.Grammar[Any] = MODULES[module].TYPES[name]
    return g


@functools.cache
def values(module: str, name: str) -> st.SearchStrategy[Any]:
    return strategies.values(grammar(module, name))


def theirs(module: str, name: str, value: Any) -> bytes:
    """asn1tools' DER for our *value*."""
    return bytes(spec(module).encode(name, to_asn1tools(grammar(module, name), value)))


def test_modules_match() -> None:
    """Each combinator module holds the types of its ASN.1 text (rfc5280.asn also names a
    few plain aliases, such as KeyPurposeId, which the tests reach through their users)."""
    assert set(alltypes.TYPES) == set(spec("alltypes").types)
    assert set(rfc5280.TYPES) <= set(spec("rfc5280").types)


@pytest.mark.parametrize(("module", "name"), TYPES)
@PROPERTY
@given(data=st.data())
def test_same_der(module: str, name: str, data: st.DataObject) -> None:
    """(a) our DER == asn1tools' DER."""
    value = data.draw(values(module, name))
    assert asn1.encode_der(grammar(module, name), value) == theirs(module, name, value)


@pytest.mark.parametrize(("module", "name"), TYPES)
@PROPERTY
@given(data=st.data())
def test_asn1tools_decodes_ours(module: str, name: str, data: st.DataObject) -> None:
    """(b) asn1tools reads our DER back as the value we encoded."""
    g = grammar(module, name)
    value = data.draw(values(module, name))
    decoded = spec(module).decode(name, asn1.encode_der(g, value))
    assert from_asn1tools(g, decoded) == value


@pytest.mark.parametrize(("module", "name"), TYPES)
@PROPERTY
@given(data=st.data())
def test_we_decode_theirs(module: str, name: str, data: st.DataObject) -> None:
    """(c) and (d): we read asn1tools' DER as the value it encoded, and write the same bytes."""
    g = grammar(module, name)
    value = data.draw(values(module, name))
    encoded = theirs(module, name, value)
    decoded = asn1.decode_der(g, encoded)
    assert decoded == value
    assert asn1.encode_der(g, decoded) == encoded


@pytest.mark.parametrize("name", ["Tags", "Times", "Bags"])
@PROPERTY
@given(data=st.data())
def test_set_of_order(name: str, data: st.DataObject) -> None:
    """X.690 11.6: a SET OF is encoded sorted, whatever order its items are given in."""
    g = grammar("alltypes", name)
    value = data.draw(values("alltypes", name))
    shuffled = tuple(data.draw(st.permutations(value)))
    encoded = asn1.encode_der(g, shuffled)
    assert encoded == asn1.encode_der(g, value) == theirs("alltypes", name, shuffled)
    assert asn1.decode_der(g, encoded) == value


# DER at the edges where asn1tools needs a correction (asn1tools_bridge) and where a wrong
# reading of a rule would show; the bytes are worked out by hand from X.690.
EDGES: list[tuple[str, str, Any]] = [
    # X.690 8.19.4: the first subidentifier is 80 + 999 = 1079 = 0x88 0x37.
    ("Identifier", "06 03 8837 03", asn1.OID("2.999.3")),
    # RFC 5280 4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY.
    ("Utc", "17 0d 3530303130313030303030305a", datetime(1950, 1, 1, tzinfo=UTC)),
    ("Utc", "17 0d 3439313233313233353935395a", datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)),
    # X.680 46.3: a four-digit year; X.690 11.7.3: no trailing zeros in the fraction.
    (
        "Generalized",
        "18 12 30393939303130323033303430352e30315a",  # 09990102030405.01Z
        datetime(999, 1, 2, 3, 4, 5, 10000, tzinfo=UTC),
    ),
    # X.690 10.3 / X.680 8.6: BOOLEAN, PrintableString, UTCTime (the CHOICE), [APPLICATION 1],
    # [APPLICATION 40] (first octet 0x5f < 0x61, yet after), [2]; "first" is its DEFAULT.
    (
        "Bag",
        "31 23 0101ff 130161 170d3530303130313030303030305a 61030101ff 5f280107 a203020101",
        (False, 1, "a", True, "first", ("utc", datetime(1950, 1, 1, tzinfo=UTC)), True, 7),
    ),
    # X.690 11.5: DEFAULT values left out; 11.2.2: named bits without trailing zero bits
    # ({read} is one bit: 7 unused bits, 0x80).
    (
        "Record",
        "30 0a 020101 0c0178 8c020780",
        (1, "x", True, 5, "green", None, None, frozenset({"read"}), None, None, None),
    ),
]


@pytest.mark.parametrize(("name", "hexder", "value"), EDGES, ids=[e[0] for e in EDGES])
def test_edges(name: str, hexder: str, value: Any) -> None:
    g = grammar("alltypes", name)
    der = bytes.fromhex(hexder)
    assert asn1.encode_der(g, value) == der
    assert asn1.decode_der(g, der) == value
    assert theirs("alltypes", name, value) == der
    assert from_asn1tools(g, spec("alltypes").decode(name, der)) == value


def test_optional_null_round_trip() -> None:
    """Bag.secret is ``[PRIVATE 1] IMPLICIT NULL OPTIONAL``; present, it is ``c1 00``. Its
    absent marker is False, since None is the NULL value itself."""
    g = alltypes.Bag
    der = bytes.fromhex(
        "31 25 0101ff 130161 170d3530303130313030303030305a 61030101ff 5f280107 a203020101 c100"
    )
    assert "secret" in spec("alltypes").decode("Bag", der)  # asn1tools sees it
    value = asn1.decode_der(g, der)
    assert value[0] is None  # present NULL
    assert asn1.encode_der(g, value) == der
    absent = asn1.encode_der(g, (False, *value[1:]))
    assert absent == bytes.fromhex(
        "31 23 0101ff 130161 170d3530303130313030303030305a 61030101ff 5f280107 a203020101"
    )
    assert asn1.decode_der(g, absent)[0] is False
    with pytest.raises(asn1.GrammarError, match="cannot also mean absent"):
        asn1.sequence(asn1.optional("n", asn1.null))


def _certificate_files() -> list[Any]:
    files = [REPO / "vectors" / "x509" / "demo-cert.pem"]
    store = sorted(CERT_STORE.glob("*.pem")) if CERT_STORE.is_dir() else []
    params = [pytest.param(p, id=p.name) for p in files + store]
    if not store:
        params.append(
            pytest.param(None, id="store", marks=pytest.mark.skip(reason=f"no {CERT_STORE}"))
        )
    return params


@pytest.mark.parametrize("path", _certificate_files())
def test_certificates(path: Path) -> None:
    """Real certificates: both decode to the same value, and both re-encode the same bytes."""
    blocks = [der for label, der in asn1.pem.decode(path.read_bytes()) if label == "CERTIFICATE"]
    assert blocks
    g = rfc5280.Certificate
    for der in blocks:
        ours = asn1.decode_der(g, der)
        assert from_asn1tools(g, spec("rfc5280").decode("Certificate", der)) == ours
        assert asn1.encode_der(g, ours) == der
        assert theirs("rfc5280", "Certificate", ours) == der
