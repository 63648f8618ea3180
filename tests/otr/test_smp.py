"""SMP (otr._smp): two in-memory parties end to end (success, failure, question, abort,
restart), every proof and every field tampered with, group elements and exponents out of
range, unexpected and malformed TLVs, the public proofs re-checked by an independent
transcription of the spec, and hypothesis: handle() is total on random and mutated TLVs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nocrypto.rng import Fortuna
from otr import _smp
from otr._smp import SMP, SMPStep

P = _smp.MODULUS
Q = _smp.ORDER
G = 2
ABORT = (_smp.TLV_SMP_ABORT, b"")
OUTCOMES = {"requested", "success", "failure", "aborted", "protocol-error", None}


def rng(seed: bytes) -> Callable[[int], bytes]:
    """A deterministic random(n)."""
    return Fortuna(seed=seed).generate


# --- an independent transcription of the wire format and the hash -------------------------


def mpi(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return len(raw).to_bytes(4, "big") + raw


def pack(values: list[int]) -> bytes:
    return len(values).to_bytes(4, "big") + b"".join(mpi(v) for v in values)


def unpack(data: bytes) -> list[int]:
    count, pos, out = int.from_bytes(data[:4], "big"), 4, []
    for _ in range(count):
        n = int.from_bytes(data[pos : pos + 4], "big")
        out.append(int.from_bytes(data[pos + 4 : pos + 4 + n], "big"))
        pos += 4 + n
    assert pos == len(data)
    return out


def h(version: int, *values: int) -> int:
    """ "SMP Hash function": SHA-256(version BYTE || MPI || [MPI])."""
    data = bytes((version,)) + b"".join(mpi(v) for v in values)
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


# --- the two parties ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Every state and message of one exchange, Alice starting."""

    alice2: SMP  # EXPECT2, after start
    bob_request: SMPStep  # Bob after SMP1: "requested"
    bob3: SMP  # EXPECT3, after respond
    alice4: SMP  # EXPECT4, after SMP2
    bob_end: SMPStep  # Bob after SMP3
    alice_end: SMPStep  # Alice after SMP4
    m1: tuple[int, bytes]
    m2: bytes
    m3: bytes
    m4: bytes


def only(step: SMPStep) -> tuple[int, bytes]:
    assert len(step.send) == 1, step.send
    return step.send[0]


def run(x: int, y: int, question: str | None = None, seed: bytes = b"") -> Run:
    ra, rb = rng(b"alice" + seed), rng(b"bob" + seed)
    start = _smp.start(SMP.idle(), x, question, ra)
    m1 = only(start)
    request = _smp.handle(SMP.idle(), m1[0], m1[1], rb)
    assert request.send == ()
    reply = _smp.respond(request.state, y, rb)
    t2, m2 = only(reply)
    assert t2 == _smp.TLV_SMP2
    step3 = _smp.handle(start.state, t2, m2, ra)
    t3, m3 = only(step3)
    assert t3 == _smp.TLV_SMP3, step3
    bob_end = _smp.handle(reply.state, t3, m3, rb)
    t4, m4 = only(bob_end)
    assert t4 == _smp.TLV_SMP4, bob_end
    alice_end = _smp.handle(step3.state, t4, m4, ra)
    return Run(start.state, request, reply.state, step3.state, bob_end, alice_end, m1, m2, m3, m4)


SECRET = _smp.secret_value(b"A" * 20, b"B" * 20, b"ssid0001", b"our secret")
OTHER = _smp.secret_value(b"A" * 20, b"B" * 20, b"ssid0001", b"not our secret")


@pytest.fixture(scope="module")
def honest() -> Run:
    return run(SECRET, SECRET)


def assert_protocol_error(step: SMPStep, *words: str) -> None:
    assert step.outcome == "protocol-error", step
    assert step.send == (ABORT,)
    assert not step.state.in_progress
    assert step.state.smpstate == "SMPSTATE_EXPECT1"
    for word in words:
        assert word in (step.detail or ""), step.detail


# --- end to end ----------------------------------------------------------------------------


def test_success(honest: Run) -> None:
    assert honest.m1[0] == _smp.TLV_SMP1
    assert honest.bob_request.outcome == "requested"
    assert honest.bob_request.question is None
    assert honest.bob_request.state.awaiting_secret
    assert honest.bob_end.outcome == "success"
    assert honest.alice_end.outcome == "success"
    assert honest.alice_end.send == ()
    assert not honest.bob_end.state.in_progress
    assert not honest.alice_end.state.in_progress


def test_the_states_in_between(honest: Run) -> None:
    assert honest.alice2.smpstate == "SMPSTATE_EXPECT2"
    assert honest.bob3.smpstate == "SMPSTATE_EXPECT3"
    assert honest.alice4.smpstate == "SMPSTATE_EXPECT4"
    assert all(s.in_progress for s in (honest.alice2, honest.bob3, honest.alice4))
    assert not any(s.awaiting_secret for s in (honest.alice2, honest.bob3, honest.alice4))
    assert not SMP.idle().in_progress and not SMP.idle().awaiting_secret


@pytest.mark.parametrize(("x", "y"), [(SECRET, OTHER), (0, 1)], ids=["hashes", "0-1"])
def test_different_secrets_fail_on_both_sides(x: int, y: int) -> None:
    result = run(x, y, seed=b"diff")
    assert result.bob_end.outcome == "failure"
    assert result.alice_end.outcome == "failure"
    assert not result.bob_end.state.in_progress and not result.alice_end.state.in_progress


@pytest.mark.parametrize("secret", [0, Q, 2**256 - 1], ids=["0", "q", "2^256-1"])
def test_equal_secrets_of_any_size_succeed(secret: int) -> None:
    result = run(secret, secret, seed=b"size")
    assert (result.bob_end.outcome, result.alice_end.outcome) == ("success", "success")


@pytest.mark.parametrize("question", ["", "Où ça? 名前"])
def test_with_a_question(question: str) -> None:
    result = run(SECRET, SECRET, question, seed=b"q")
    kind, value = result.m1
    assert kind == _smp.TLV_SMP1Q
    prefix = question.encode("utf-8") + b"\x00"
    assert value.startswith(prefix)
    assert len(unpack(value[len(prefix) :])) == 6
    assert result.bob_request.outcome == "requested"
    assert result.bob_request.question == question
    assert result.bob_request.state.question == question
    assert (result.bob_end.outcome, result.alice_end.outcome) == ("success", "success")


def test_a_question_that_is_not_utf8_is_still_shown() -> None:
    honest_value = _smp.start(SMP.idle(), SECRET, None, rng(b"nu")).send[0][1]
    step = _smp.handle(SMP.idle(), _smp.TLV_SMP1Q, b"\xff\xfeq?\x00" + honest_value, rng(b""))
    assert step.outcome == "requested"
    assert step.question == "\ufffd\ufffdq?"


def test_deterministic_with_the_same_random() -> None:
    a, b = run(SECRET, SECRET, seed=b"d"), run(SECRET, SECRET, seed=b"d")
    assert (a.m1, a.m2, a.m3, a.m4) == (b.m1, b.m2, b.m3, b.m4)
    other = _smp.start(SMP.idle(), SECRET, None, rng(b"alice" + b"e"))
    assert a.m1 != only(other)


def test_the_messages_follow_the_spec(honest: Run) -> None:
    """Re-check, from public values only, what a third party can: the counts, the ranges,
    minimal MPIs, and the proofs c2, c3 (messages 1, 2) and cR (messages 3, 4)."""
    g2a, c2, d2, g3a, c3, d3 = unpack(honest.m1[1])
    g2b, c2b, d2b, g3b, c3b, d3b, pb, qb, cpb, d5b, d6b = unpack(honest.m2)
    pa, qa, cpa, d5a, d6a, ra, cra, d7a = unpack(honest.m3)
    rb, crb, d7b = unpack(honest.m4)
    for element in (g2a, g3a, g2b, g3b, pb, qb, pa, qa, ra, rb):
        assert 2 <= element <= P - 2
    for d in (d2, d3, d2b, d3b, d5b, d6b, d5a, d6a, d7a, d7b):
        assert 0 <= d < Q
    for c in (c2, c3, c2b, c3b, cpb, cpa, cra, crb):
        assert c < 2**256
    assert h(1, pow(G, d2, P) * pow(g2a, c2, P) % P) == c2
    assert h(2, pow(G, d3, P) * pow(g3a, c3, P) % P) == c3
    assert h(3, pow(G, d2b, P) * pow(g2b, c2b, P) % P) == c2b
    assert h(4, pow(G, d3b, P) * pow(g3b, c3b, P) % P) == c3b
    qab = qa * pow(qb, -1, P) % P
    first = pow(G, d7a, P) * pow(g3a, cra, P) % P
    assert h(7, first, pow(qab, d7a, P) * pow(ra, cra, P) % P) == cra
    first = pow(G, d7b, P) * pow(g3b, crb, P) % P
    assert h(8, first, pow(qab, d7b, P) * pow(rb, crb, P) % P) == crb
    # The writer's bytes are what the independent packer makes of the same values.
    assert pack(unpack(honest.m2)) == honest.m2


def test_secret_value_is_the_spec_hash() -> None:
    fa, fb, ssid = bytes(range(20)), bytes(range(20, 40)), b"\x01" * 8
    expected = hashlib.sha256(b"\x01" + fa + fb + ssid + "sécret".encode()).digest()
    assert _smp.secret_value(fa, fb, ssid, "sécret".encode()) == int.from_bytes(expected, "big")
    assert _smp.secret_value(fa, fb, ssid, b"x") != _smp.secret_value(fb, fa, ssid, b"x")


@pytest.mark.parametrize(
    ("fa", "fb", "ssid"),
    [
        (b"a" * 19, b"b" * 20, b"s" * 8),
        (b"a" * 20, b"b" * 21, b"s" * 8),
        (b"a" * 20, b"b" * 20, b""),
    ],
)
def test_secret_value_checks_lengths(fa: bytes, fb: bytes, ssid: bytes) -> None:
    with pytest.raises(ValueError):
        _smp.secret_value(fa, fb, ssid, b"x")


# --- abort and restart ---------------------------------------------------------------------


def test_user_abort_in_every_state(honest: Run) -> None:
    states = [SMP.idle(), honest.alice2, honest.bob_request.state, honest.bob3, honest.alice4]
    for state in states:
        step = _smp.abort(state)
        assert step.send == (ABORT,)
        assert step.outcome == "aborted"
        assert not step.state.in_progress


def test_received_abort(honest: Run) -> None:
    for state in (honest.alice2, honest.bob_request.state, honest.bob3, honest.alice4):
        step = _smp.handle(state, _smp.TLV_SMP_ABORT, b"", rng(b""))
        assert (step.outcome, step.send, step.state.in_progress) == ("aborted", (), False)
    idle = _smp.handle(SMP.idle(), _smp.TLV_SMP_ABORT, b"", rng(b""))
    assert (idle.outcome, idle.send, idle.state.in_progress) == (None, (), False)


def test_abort_midway_then_the_late_message_is_refused(honest: Run) -> None:
    # Alice aborts after receiving SMP2; Bob, in EXPECT3, sees the abort.
    alice = _smp.abort(honest.alice4)
    bob = _smp.handle(honest.bob3, *alice.send[0], rng(b""))
    assert bob.outcome == "aborted" and not bob.state.in_progress
    # A late SMP3 to the reset Bob is out of order: abort, protocol error.
    late = _smp.handle(bob.state, _smp.TLV_SMP3, honest.m3, rng(b""))
    assert_protocol_error(late, "SMP message 3", "SMPSTATE_EXPECT1")


def test_restart_while_in_progress_sends_abort_first(honest: Run) -> None:
    ra, rb = rng(b"ra"), rng(b"rb")
    restart = _smp.start(honest.alice4, OTHER, "again?", ra)
    assert restart.send[0] == ABORT
    assert restart.send[1][0] == _smp.TLV_SMP1Q
    assert restart.state.smpstate == "SMPSTATE_EXPECT2"
    # Bob, still in EXPECT3, takes the abort and then the new SMP1Q.
    bob = honest.bob3
    steps = []
    for tlv in restart.send:
        step = _smp.handle(bob, *tlv, rb)
        steps.append(step)
        bob = step.state
    assert [s.outcome for s in steps] == ["aborted", "requested"]
    assert steps[1].question == "again?"
    # ...and the new exchange runs to the end.
    reply = _smp.respond(bob, OTHER, rb)
    s3 = _smp.handle(restart.state, *only(reply), ra)
    s4 = _smp.handle(reply.state, *only(s3), rb)
    end = _smp.handle(s3.state, *only(s4), ra)
    assert (s4.outcome, end.outcome) == ("success", "success")


def test_a_new_smp1_replaces_one_awaiting_the_secret(honest: Run) -> None:
    other = _smp.start(SMP.idle(), SECRET, "second", rng(b"2nd"))
    step = _smp.handle(honest.bob_request.state, *only(other), rng(b""))
    assert step.outcome == "requested" and step.question == "second"


def test_simultaneous_starts_abort_each_other(honest: Run) -> None:
    bob_start = _smp.start(SMP.idle(), SECRET, None, rng(b"bs"))
    step = _smp.handle(honest.alice2, *only(bob_start), rng(b""))
    assert_protocol_error(step, "SMP message 1", "SMPSTATE_EXPECT2")


# --- out of order, malformed, out of range, tampered ---------------------------------------


def out_of_order_cases(run_: Run) -> list[tuple[str, SMP, int, bytes]]:
    m1q = _smp.start(SMP.idle(), SECRET, "q", rng(b"oq")).send[0][1]
    m1, m2, m3, m4 = run_.m1[1], run_.m2, run_.m3, run_.m4
    idle, waiting = SMP.idle(), run_.bob_request.state
    T = _smp
    return [
        ("idle", idle, T.TLV_SMP2, m2),
        ("idle", idle, T.TLV_SMP3, m3),
        ("idle", idle, T.TLV_SMP4, m4),
        ("awaiting", waiting, T.TLV_SMP2, m2),
        ("awaiting", waiting, T.TLV_SMP3, m3),
        ("awaiting", waiting, T.TLV_SMP4, m4),
        ("expect2", run_.alice2, T.TLV_SMP1, m1),
        ("expect2", run_.alice2, T.TLV_SMP1Q, m1q),
        ("expect2", run_.alice2, T.TLV_SMP3, m3),
        ("expect2", run_.alice2, T.TLV_SMP4, m4),
        ("expect3", run_.bob3, T.TLV_SMP1, m1),
        ("expect3", run_.bob3, T.TLV_SMP2, m2),
        ("expect3", run_.bob3, T.TLV_SMP4, m4),
        ("expect4", run_.alice4, T.TLV_SMP1Q, m1q),
        ("expect4", run_.alice4, T.TLV_SMP2, m2),
        ("expect4", run_.alice4, T.TLV_SMP3, m3),
    ]


def test_out_of_order_tlvs_abort(honest: Run) -> None:
    cases = out_of_order_cases(honest)
    assert len(cases) == 16
    for label, state, kind, value in cases:
        step = _smp.handle(state, kind, value, rng(b""))
        assert step.outcome == "protocol-error", (label, kind, step)
        assert_protocol_error(step, "received in", state.smpstate)


@pytest.mark.parametrize("kind", [0, 1, 8, 9, 0xFFFF])
def test_other_tlv_types_change_nothing(honest: Run, kind: int) -> None:
    step = _smp.handle(honest.bob3, kind, b"\x00\x01", rng(b""))
    assert step == SMPStep(honest.bob3, (), None)


# Each message, the receiving state, and the field names in order.
FIELDS = {
    1: ("g2a", "c2", "D2", "g3a", "c3", "D3"),
    2: ("g2b", "c2", "D2", "g3b", "c3", "D3", "Pb", "Qb", "cP", "D5", "D6"),
    3: ("Pa", "Qa", "cP", "D5", "D6", "Ra", "cR", "D7"),
    4: ("Rb", "cR", "D7"),
}
CASES = [(n, i, name) for n, names in FIELDS.items() for i, name in enumerate(names)]


def receiver(run_: Run, n: int) -> tuple[SMP, int, bytes]:
    if n == 1:
        return SMP.idle(), _smp.TLV_SMP1, run_.m1[1]
    if n == 2:
        return run_.alice2, _smp.TLV_SMP2, run_.m2
    if n == 3:
        return run_.bob3, _smp.TLV_SMP3, run_.m3
    return run_.alice4, _smp.TLV_SMP4, run_.m4


def tampered(name: str, value: int) -> int:
    """Another in-range value of the same kind."""
    if name.startswith("c"):
        return value ^ 1
    if name.startswith("D"):
        return value + 1 if value + 1 < Q else 1
    return value * G % P  # a different group element, still in [2, p - 2] here


@pytest.mark.parametrize(("n", "index", "name"), CASES, ids=[f"smp{n}-{f}" for n, _, f in CASES])
def test_each_field_tampered_fails_the_proof(honest: Run, n: int, index: int, name: str) -> None:
    state, kind, value = receiver(honest, n)
    values = unpack(value)
    values[index] = tampered(name, values[index])
    assert all(2 <= v <= P - 2 for i, v in enumerate(values) if FIELDS[n][i][0] in "gPQR")
    step = _smp.handle(state, kind, pack(values), rng(b""))
    assert_protocol_error(step, f"SMP message {n}", "does not verify")


def test_the_untampered_messages_pass(honest: Run) -> None:
    """The control for the table above: the same repacking without a change is accepted."""
    for n in FIELDS:
        state, kind, value = receiver(honest, n)
        step = _smp.handle(state, kind, pack(unpack(value)), rng(b""))
        assert step.outcome in ("requested", "success", None), step


ELEMENT_CASES = [(n, i, f) for n, i, f in CASES if f[0] in "gPQR"]
BAD_ELEMENTS = [0, 1, P - 1, P, P + 1, 2**1536]


@pytest.mark.parametrize(
    ("n", "index", "name"), ELEMENT_CASES, ids=[f"smp{n}-{f}" for n, _, f in ELEMENT_CASES]
)
def test_group_elements_out_of_range_are_rejected(
    honest: Run, n: int, index: int, name: str
) -> None:
    state, kind, value = receiver(honest, n)
    for bad in BAD_ELEMENTS:
        values = unpack(value)
        values[index] = bad
        step = _smp.handle(state, kind, pack(values), rng(b""))
        assert_protocol_error(step, name, "group element")


EXPONENT_CASES = [(n, i, f) for n, i, f in CASES if f[0] == "D"]


@pytest.mark.parametrize(
    ("n", "index", "name"), EXPONENT_CASES, ids=[f"smp{n}-{f}" for n, _, f in EXPONENT_CASES]
)
def test_exponents_out_of_range_are_rejected(honest: Run, n: int, index: int, name: str) -> None:
    state, kind, value = receiver(honest, n)
    for bad in (0, Q, Q + 1, P):
        values = unpack(value)
        values[index] = bad
        step = _smp.handle(state, kind, pack(values), rng(b""))
        assert_protocol_error(step, name, "exponent")


HASH_CASES = [(n, i, f) for n, i, f in CASES if f[0] == "c"]


@pytest.mark.parametrize(
    ("n", "index", "name"), HASH_CASES, ids=[f"smp{n}-{f}" for n, _, f in HASH_CASES]
)
def test_hash_values_longer_than_sha256_are_rejected(
    honest: Run, n: int, index: int, name: str
) -> None:
    state, kind, value = receiver(honest, n)
    values = unpack(value)
    values[index] += 2**256  # the same value mod 2^256: only the bound catches it
    step = _smp.handle(state, kind, pack(values), rng(b""))
    assert_protocol_error(step, name, "SHA-256")


def test_malformed_values(honest: Run) -> None:
    m2 = honest.m2
    values = unpack(m2)
    non_minimal = (
        (11).to_bytes(4, "big")
        + b"".join(mpi(v) for v in values[:10])
        + (len(mpi(values[10])) - 3).to_bytes(4, "big")
        + b"\x00"
        + mpi(values[10])[4:]
    )
    cases = {
        "empty": b"",
        "count too small": (10).to_bytes(4, "big") + m2[4:],
        "count too large": (12).to_bytes(4, "big") + m2[4:],
        "truncated": m2[:-1],
        "trailing byte": m2 + b"\x00",
        "length past the end": m2[:-5] + b"\xff\xff\xff\xff" + m2[-1:],
        "non-minimal MPI": non_minimal,
    }
    for label, value in cases.items():
        step = _smp.handle(honest.alice2, _smp.TLV_SMP2, value, rng(b""))
        assert_protocol_error(step, "SMP message 2")
        assert step.detail, label


def test_smp1q_without_nul_is_rejected() -> None:
    value = _smp.start(SMP.idle(), SECRET, None, rng(b"nn")).send[0][1]
    step = _smp.handle(
        SMP.idle(), _smp.TLV_SMP1Q, b"question" + value.replace(b"\x00", b"\x01"), rng(b"")
    )
    assert_protocol_error(step, "1Q")


# --- misuse --------------------------------------------------------------------------------


def test_respond_needs_a_request(honest: Run) -> None:
    for state in (SMP.idle(), honest.alice2, honest.bob3, honest.alice4):
        with pytest.raises(ValueError, match="awaiting_secret"):
            _smp.respond(state, SECRET, rng(b""))


@pytest.mark.parametrize(
    ("secret", "question"),
    [(-1, None), (SECRET, "nul\x00inside"), (SECRET, "x" * 70000), (True, None)],
)
def test_start_rejects_bad_arguments(secret: int, question: str | None) -> None:
    with pytest.raises(ValueError):
        _smp.start(SMP.idle(), secret, question, rng(b""))


def test_a_short_random_is_an_error() -> None:
    with pytest.raises(ValueError, match="192 bytes"):
        _smp.start(SMP.idle(), SECRET, None, lambda n: b"\x01" * (n - 1))


def test_repr_hides_the_secrets(honest: Run) -> None:
    for state in (honest.alice2, honest.bob3, honest.alice4):
        text = repr(state) + repr(SMPStep(state, (), None))
        assert str(SECRET) not in text and "SMPSTATE_EXPECT" in text


# --- hypothesis: handle() is total ---------------------------------------------------------

STATE_NAMES = ["idle", "awaiting", "expect2", "expect3", "expect4"]


def state_named(run_: Run, name: str) -> SMP:
    return {
        "idle": SMP.idle(),
        "awaiting": run_.bob_request.state,
        "expect2": run_.alice2,
        "expect3": run_.bob3,
        "expect4": run_.alice4,
    }[name]


def check_step(step: SMPStep) -> None:
    assert isinstance(step, SMPStep)
    assert step.outcome in OUTCOMES
    if step.outcome == "protocol-error":
        assert step.send == (ABORT,) and not step.state.in_progress


_HONEST = run(SECRET, SECRET, seed=b"hypothesis")


@st.composite
def mpi_lists(draw: st.DrawFn) -> bytes:
    """A count and that many MPIs, the values near the edges of the checks."""
    values = draw(
        st.lists(
            st.one_of(
                st.integers(0, 4),
                st.integers(P - 3, P + 1),
                st.integers(Q - 1, Q + 1),
                st.integers(0, 2**1536),
                st.integers(0, 2**256),
            ),
            max_size=12,
        )
    )
    return pack(values)


PAYLOADS = st.one_of(
    st.binary(max_size=300),
    mpi_lists(),
    st.builds(lambda q, m: q + b"\x00" + m, st.binary(max_size=8), mpi_lists()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(STATE_NAMES),
    st.integers(0, 10),
    PAYLOADS,
)
def test_handle_is_total_on_random_tlvs(state: str, kind: int, value: bytes) -> None:
    step = _smp.handle(state_named(_HONEST, state), kind, value, rng(b"h"))
    check_step(step)
    assert step.outcome not in ("success", "failure")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4), st.data())
def test_a_mutated_honest_message_never_passes(n: int, data: st.DataObject) -> None:
    state, kind, value = receiver(_HONEST, n)
    position = data.draw(st.integers(0, len(value) - 1), label="position")
    flip = data.draw(st.integers(1, 255), label="xor")
    mutated = value[:position] + bytes((value[position] ^ flip,)) + value[position + 1 :]
    step = _smp.handle(state, kind, mutated, rng(b"m"))
    check_step(step)
    assert step.outcome == "protocol-error", (position, flip, step)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.data())
def test_a_truncated_or_extended_honest_message_is_rejected(n: int, data: st.DataObject) -> None:
    state, kind, value = receiver(_HONEST, n)
    cut = data.draw(st.integers(0, len(value) - 1))
    extra = data.draw(st.binary(min_size=1, max_size=8))
    for bad in (value[:cut], value + extra):
        step = _smp.handle(state, kind, bad, rng(b"t"))
        check_step(step)
        assert step.outcome == "protocol-error"
