"""Bounded fuzzing of the engine: at every step of a handshake (and after it), the bytes the
peer would send are mutated by hypothesis (bit flips, overwrites, insertions, deletions,
truncation, re-chunking, random records) and fed to the state waiting for them.

The engine must never raise (``raise_internal_errors`` is on: a bug fails the test), never
hang (hypothesis' deadline), and either carry on (valid or incomplete input) or end failed
and closed with a fatal alert as the last record it sends (none when the peer's own fatal
alert ended it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tls
from tests.tls.conftest import HOST, client_config, seeded, server_config
from tls.ciphersuites import by_name

EXAMPLES = 200


@dataclass(frozen=True)
class Step:
    name: str
    state: tls.State
    genuine: bytes


@pytest.fixture(scope="module")
def steps() -> dict[str, Step]:
    """The states of one handshake per suite family, each with the bytes it awaits."""
    out: dict[str, Step] = {}
    for family, suite in (
        ("ecdhe", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        ("rsa-cbc", "TLS_RSA_WITH_AES_128_CBC_SHA256"),
        ("dhe-chacha", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    ):
        kw = {"cipher_suites": (by_name(suite),)}
        client, hello = tls.client(client_config(random=seeded(b"fc"), **kw), HOST)
        server = tls.server(server_config(random=seeded(b"fs"), **kw))
        out[f"{family}: server awaits ClientHello"] = Step("", server, hello.to_send)
        server, s1 = tls.handle(server, hello.to_send)
        out[f"{family}: client awaits ServerHello"] = Step("", client, s1.to_send)
        client, c1 = tls.handle(client, s1.to_send)
        out[f"{family}: server awaits ClientKeyExchange"] = Step("", server, c1.to_send)
        server, s2 = tls.handle(server, c1.to_send)
        out[f"{family}: client awaits server CCS"] = Step("", client, s2.to_send)
        client, _c2 = tls.handle(client, s2.to_send)
        assert tls.is_established(client) and tls.is_established(server)
        client, data = tls.send(client, b"request " * 40)
        out[f"{family}: server established"] = Step("", server, data.to_send)
        server, reply = tls.send(server, b"reply " * 40)
        out[f"{family}: client established"] = Step("", client, reply.to_send)
    return out


STEP_NAMES = [
    f"{family}: {what}"
    for family in ("ecdhe", "rsa-cbc", "dhe-chacha")
    for what in (
        "server awaits ClientHello",
        "client awaits ServerHello",
        "server awaits ClientKeyExchange",
        "client awaits server CCS",
        "server established",
        "client established",
    )
]


@st.composite
def mutated(draw: st.DrawFn, genuine: bytes) -> list[bytes]:
    """*genuine* changed by a few edits, then cut into chunks."""
    data = bytearray(genuine)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate", "record"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 8))]
        elif kind == "truncate":
            del data[pos:]
        elif kind == "record":
            content_type = draw(st.sampled_from([20, 21, 22, 23, 24, 0x80]))
            body = draw(st.binary(max_size=40))
            version = draw(st.sampled_from([b"\x03\x03", b"\x03\x01", b"\x03\x00", b"\x02\x00"]))
            record = bytes([content_type]) + version + len(body).to_bytes(2, "big") + body
            data[pos:pos] = record
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=4)))
    chunks, last = [], 0
    for cut in cuts:
        chunks.append(bytes(data[last:cut]))
        last = cut
    chunks.append(bytes(data[last:]))
    return chunks


def _check(state: tls.State, chunks: list[bytes]) -> None:
    for chunk in chunks:
        before = state
        state, out = tls.handle(state, chunk)
        if out.failure is not None:
            assert tls.is_closed(state) and not tls.is_established(state)
            if isinstance(out.failure, tls.FatalAlertReceived):
                return
            # the last record sent is an alert (5-byte header + 2 or more protected bytes)
            assert out.to_send, "a failure must send its alert"
            tail = out.to_send
            last = 0
            while last < len(tail):
                start = last
                last += 5 + int.from_bytes(tail[last + 3 : last + 5], "big")
            assert last == len(tail) and tail[start] == 21
            # a failed state ignores everything after
            again, nothing = tls.handle(state, b"\x16\x03\x03\x00\x00")
            assert nothing == tls.Output() and again is state
            return
        if tls.is_closed(state) and not tls.is_closed(before):
            return  # a close_notify slipped in (it is not a failure)


def _fuzz(name: str) -> Callable[[dict[str, Step]], None]:
    def test(steps: dict[str, Step]) -> None:
        step = steps[name]

        @settings(
            max_examples=EXAMPLES,
            deadline=2000,
            derandomize=True,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        )
        @given(mutated(step.genuine))
        def run(chunks: list[bytes]) -> None:
            _check(step.state, chunks)

        run()

    return test


@pytest.mark.parametrize("name", STEP_NAMES)
def test_mutated_input_never_breaks_the_engine(steps: dict[str, Step], name: str) -> None:
    _fuzz(name)(steps)


@pytest.mark.parametrize("name", STEP_NAMES)
def test_genuine_input_carries_on(steps: dict[str, Step], name: str) -> None:
    step = steps[name]
    _state, out = tls.handle(step.state, step.genuine)
    assert out.failure is None


@settings(max_examples=EXAMPLES, deadline=2000, derandomize=True, database=None)
@given(st.lists(st.binary(max_size=64), max_size=6), st.booleans())
def test_random_bytes(chunks: list[bytes], as_server: bool) -> None:
    if as_server:
        state = tls.server(server_config())
    else:
        state, _ = tls.client(client_config(), HOST)
    _check(state, chunks)
