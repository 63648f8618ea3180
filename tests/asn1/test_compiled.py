"""The compiled DER decoder (``asn1/_fast.py``) against the interpreter it stands in for.

The compiled decoder may only accept what the interpreter accepts, with the same value;
whatever it declines, ``decode_der`` hands to the interpreter. So for any grammar and any
input: the compiled decoder declines, or agrees with the interpreter; and ``decode_der``
gives exactly the interpreter's outcome (value, or error message with field path and
offset). Checked on random grammars with random valid encodings and mutations of them
(hypothesis), and on the RFC 5280 Certificate grammar with mutated certificates of the
trust store. The certificates themselves must take the compiled path (else it would be dead
code), and grammars it cannot handle exactly (recursion, SET) must not.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn1
from asn1._core import Ctx, read_header
from asn1._fast import compiled, header
from asn1._grammar import Grammar
from tests.asn1.modules import alltypes, rfc5280
from tests.asn1.strategies import values
from tests.asn1.test_roundtrip import GRAMMARS

DEMO = Path(__file__).resolve().parents[2] / "vectors" / "x509" / "demo-cert.pem"
STORE = Path("/etc/ssl/certs")

Outcome = tuple[str, Any]


def interpreted(grammar: Grammar[Any], data: bytes) -> Outcome:
    """``decode_der`` by the interpreter alone: ("value", v) or ("error", message)."""
    ctx = Ctx(False, asn1.DEFAULT_LIMITS)
    try:
        key, cons, cs, ce, ne = read_header(data, 0, len(data), ctx)
        value = grammar._dec(data, key, cons, 0, cs, ce, ne, ctx)
        if ne != len(data):
            raise asn1.DecodeError(f"{len(data) - ne} trailing bytes after the element", ne)
    except asn1.DecodeError as e:
        return ("error", str(e))
    return ("value", value)


def compiled_only(grammar: Grammar[Any], data: bytes) -> Outcome:
    """The compiled decoder alone: ("value", v), or ("declined", None)."""
    fast = compiled(grammar, asn1.DEFAULT_LIMITS)
    if fast is None:
        return ("declined", None)
    try:
        cs, ce = header(data, 0, len(data))
        if ce != len(data):
            return ("declined", None)
        return ("value", fast(data, 0, cs, ce))
    except Exception:  # declining is the compiled decoder's only way to fail
        return ("declined", None)


def public(grammar: Grammar[Any], data: bytes) -> Outcome:
    try:
        return ("value", asn1.decode_der(grammar, data))
    except asn1.DecodeError as e:
        return ("error", str(e))


def same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (repr shows OID vs str, True vs 1, ...)."""
    return bool(a == b) and repr(a) == repr(b)


def agree(grammar: Grammar[Any], data: bytes) -> Outcome:
    slow = interpreted(grammar, data)
    fast = compiled_only(grammar, data)
    if fast[0] == "value":
        assert slow[0] == "value", (data.hex(), slow)
        assert same(fast[1], slow[1]), data.hex()
    for _ in range(2):  # the second call takes decode_der's shortcut for small inputs
        mine = public(grammar, data)
        assert mine[0] == slow[0], (data.hex(), mine, slow)
        assert same(mine[1], slow[1]) if mine[0] == "value" else mine[1] == slow[1]
    return fast


def mutations(data: bytes, rng: random.Random, n: int) -> Iterator[bytes]:
    """*n* variants of *data*: octets changed (often length and tag octets), inserted,
    removed, cut off, a run repeated."""
    for _ in range(n):
        b = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(b)) if b else 0
            kind = rng.randrange(6)
            if kind == 0 and b:
                b[i] = rng.randrange(256)
            elif kind == 1 and b:
                b[i] ^= 1 << rng.randrange(8)
            elif kind == 2:
                b.insert(i, rng.choice((0, 0x80, 0x81, 0xFF, rng.randrange(256))))
            elif kind == 3 and b:
                del b[i]
            elif kind == 4:
                del b[rng.randrange(len(b) + 1) :]
            elif b:
                j = min(len(b), i + rng.randint(1, 8))
                b[i:i] = b[i:j]
        yield bytes(b)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_grammars_valid_and_mutated(data: st.DataObject) -> None:
    grammar = data.draw(GRAMMARS, label="grammar")
    value = data.draw(values(grammar), label="value")
    der = asn1.encode_der(grammar, value)
    agree(grammar, der)
    rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    for mutated in mutations(der, rng, 20):
        agree(grammar, mutated)


def _store() -> list[bytes]:
    out = [asn1.pem.decode_one(DEMO.read_bytes(), "CERTIFICATE")]
    if STORE.is_dir():
        for path in sorted(STORE.glob("*.pem"))[:40]:
            out += [der for _, der in asn1.pem.decode(path.read_bytes(), "CERTIFICATE")]
    return out


CERTS = _store()


def test_certificates_take_the_compiled_path_and_agree() -> None:
    for der in CERTS:
        assert agree(rfc5280.Certificate, der)[0] == "value", der[:16].hex()


def test_mutated_certificates() -> None:
    rng = random.Random(5280)
    accepted = 0
    for der in CERTS[:12]:
        for mutated in mutations(der, rng, 150):
            accepted += agree(rfc5280.Certificate, mutated)[0] == "value"
    # Some mutations (in a signature, a serial number, a string) stay valid: both paths
    # were compared on accepted inputs too, not only on errors.
    assert accepted > 20


def test_what_the_compiled_decoder_leaves_to_the_interpreter() -> None:
    assert compiled(alltypes.Tree, asn1.DEFAULT_LIMITS) is None  # recursion: no static depth
    assert compiled(asn1.set(("a", asn1.integer)), asn1.DEFAULT_LIMITS) is None
    assert compiled(asn1.explicit(31, asn1.integer), asn1.DEFAULT_LIMITS) is None  # 2-octet tag
    deep: Grammar[Any] = asn1.integer
    value: Any = 1
    for _ in range(5):
        deep = asn1.sequence(("x", deep))
        value = (value,)
    assert compiled(deep, asn1.Limits(max_depth=5)) is not None
    # One level too deep for the limit: the interpreter decodes, and says so.
    assert compiled(deep, asn1.Limits(max_depth=4)) is None
    data = asn1.encode_der(deep, value)
    assert asn1.decode_der(deep, data, limits=asn1.Limits(max_depth=5)) == value
    with pytest.raises(asn1.DecodeError, match="nesting deeper than the limit of 4"):
        asn1.decode_der(deep, data, limits=asn1.Limits(max_depth=4))


def test_the_element_limit_still_holds() -> None:
    # 101 elements (the SEQUENCE OF and 100 INTEGERs): with n // 2 allowed the compiled
    # decoder may run; with fewer the interpreter counts, exactly.
    g = asn1.sequence_of(asn1.integer)
    data = asn1.encode_der(g, tuple(range(100)))
    for allowed in (len(data) // 2, 101):
        assert asn1.decode_der(g, data, limits=asn1.Limits(max_elements=allowed)) == tuple(
            range(100)
        )
    with pytest.raises(asn1.DecodeError, match="more than 100 elements"):
        asn1.decode_der(g, data, limits=asn1.Limits(max_elements=100))
