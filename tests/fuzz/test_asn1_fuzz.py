"""Bounded fuzz smoke run (the long runs are ``make fuzz``): random and mutated bytes give
a value or a DecodeError, nothing else, and decoding time grows linearly with input size."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn1
from asn1._core import encode_length
from asn1._tree import Element
from tests.asn1.modules import rfc5280
from tests.fuzz.targets import TARGETS

ROOT = Path(__file__).resolve().parents[2]
DEMO = asn1.pem.decode_one((ROOT / "vectors/x509/demo-cert.pem").read_bytes(), "CERTIFICATE")


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600))
def test_random_bytes(name: str, data: bytes) -> None:
    TARGETS[name](data)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        i = rng.randrange(len(b)) if b else 0
        if op == 0 and b:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1 and b:
            b[i] = rng.choice((0x00, 0x80, 0x81, 0xFF, 0x1F, 0x30, rng.randrange(256)))
        elif op == 2:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif op == 3 and b:
            del b[i : i + rng.randint(1, 8)]
        else:
            j = rng.randrange(len(b) + 1)
            b[i:i] = b[j : j + rng.randint(1, 64)]
    return bytes(b)


def _rebuild(e: Element, rng: random.Random, p: float) -> bytes:
    """Re-encode a tree with some primitive contents or tags mutated and all lengths made
    consistent again, so that mutations reach deep into the grammar."""
    ident = asn1._core.encode_identifier(e.tag, e.constructed)
    if rng.random() < p / 4:
        ident = bytes((rng.choice((0x02, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x17, 0x30, 0x31, 0xA0)),))
    if e.constructed:
        parts = [_rebuild(c, rng, p) for c in e.children]
        if parts and rng.random() < p / 4:
            i = rng.randrange(len(parts))
            parts[i : i + 1] = rng.choice(([], [parts[i], parts[i]]))
        body = b"".join(parts)
    else:
        body = _mutate(rng, e.content) if e.content and rng.random() < p else e.content
    return ident + encode_length(len(body)) + body


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_certificates(name: str) -> None:
    rng = random.Random(f"asn1-fuzz-{name}")
    target = TARGETS[name]
    tree = asn1._tree.parse(DEMO)[0]
    decoded = 0
    for _ in range(3000):
        target(_mutate(rng, DEMO))
        data = _rebuild(tree, rng, 0.05)
        target(data)
        if name == "asn1_certificate_der":
            try:
                asn1.decode_der(rfc5280.Certificate, data)
                decoded += 1
            except asn1.DecodeError:
                pass
    target(DEMO)
    if name == "asn1_certificate_der":
        # The structure-aware mutations must reach past the outer layers: some still decode.
        assert 0 < decoded < 3000


def _seq(body: bytes, tag: int = 0x30) -> bytes:
    return bytes((tag,)) + encode_length(len(body)) + body


def _nested_indefinite(n: int) -> bytes:
    # many siblings, each a BER indefinite-length nest of depth 20
    one = b"\x30\x80" * 20 + b"\x05\x00" + b"\x00\x00" * 20
    return b"\x30\x80" + one * n + b"\x00\x00"


def _many_oids(n: int) -> bytes:
    return _seq(b"".join(_seq(b"\x2a" + b"\x81\x80\x01" * 40, 0x06) for _ in range(n)))


def _many_integers(n: int) -> bytes:
    return _seq(b"\x02\x01\x01" * (n * 40))


def _segmented_octets(n: int) -> bytes:
    return b"\x24\x80" + b"\x04\x01a" * (n * 40) + b"\x00\x00"


def _deep_any(n: int) -> bytes:
    leaf = b"\x05\x00" * 10
    nest = leaf
    for _ in range(30):
        nest = _seq(nest)
    return _seq(nest * n)


INT_LIST = asn1.sequence_of(asn1.integer)
OID_LIST = asn1.sequence_of(asn1.object_identifier)
ANY_LIST = asn1.sequence_of(asn1.any)
LIMITS = asn1.Limits(max_elements=10_000_000)

SHAPES: list[tuple[str, Callable[[int], bytes], Callable[[bytes], object]]] = [
    ("nested indefinite lengths", _nested_indefinite, lambda d: asn1.decode_ber(ANY_LIST, d)),
    ("BER tree", _nested_indefinite, lambda d: asn1._tree.parse(d, ber=True, limits=LIMITS)),
    ("long OIDs", _many_oids, lambda d: asn1.decode_der(OID_LIST, d)),
    ("many integers", _many_integers, lambda d: asn1.decode_der(INT_LIST, d)),
    ("segmented OCTET STRING", _segmented_octets, lambda d: asn1.decode_ber(asn1.octet_string, d)),
    ("deep ANY", _deep_any, lambda d: asn1.decode_der(ANY_LIST, d)),
]


def _best(f: Callable[[bytes], object], data: bytes) -> float:
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        f(data)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.parametrize("shape", SHAPES, ids=[s[0] for s in SHAPES])
def test_decoding_time_is_linear(
    shape: tuple[str, Callable[[int], bytes], Callable[[bytes], object]],
) -> None:
    _, make, decode = shape
    small, large = make(50), make(800)
    assert len(large) > 14 * len(small)
    ratio = _best(decode, large) / _best(decode, small)
    # 16 times the input: linear is ~16, quadratic would be ~256. The bound leaves room for
    # a noisy shared machine without letting a quadratic path through.
    assert ratio < 60, f"{len(small)} -> {len(large)} bytes took {ratio:.1f}x longer"
