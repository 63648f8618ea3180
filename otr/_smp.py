"""The Socialist Millionaires' Protocol (SMP) of OTR version 3: its state machine and math.

Specification: "Off-the-Record Messaging Protocol version 3", sections "Socialist
Millionaires' Protocol (SMP)" (the overview, and under "Details of the protocol": "Secret
information", "The SMP state machine", "SMP Hash function", "Receiving a type 2 ... 5 TLV",
"User requests to begin SMP", "User requests to abort SMP").

Alice (who starts) and Bob hold secrets x and y and learn whether x == y and nothing more.
All arithmetic is in the 1536-bit MODP group of RFC 3526 (``nocrypto.dh.MODP1536``) with
g1 = 2; the zero-knowledge proofs reduce their D values modulo q = (p - 1) / 2, and "the
random exponents are 1536-bit numbers" (192 random bytes each, used as they are).

The state machine, one state per message awaited (the spec's ``smpstate``)::

    state              receives                       sends / becomes
    EXPECT1 (idle)     SMP1, SMP1Q (proofs verified)  nothing; AWAIT_SECRET, "requested"
    AWAIT_SECRET       respond(y)                     SMP2; EXPECT3
    EXPECT1/AWAIT      start(x)                       [abort if in progress] SMP1; EXPECT2
    EXPECT2 (Alice)    SMP2                           SMP3; EXPECT4
    EXPECT3 (Bob)      SMP3                           SMP4; EXPECT1, "success"/"failure"
    EXPECT4 (Alice)    SMP4                           nothing; EXPECT1, "success"/"failure"
    any                abort (TLV 6)                  nothing; EXPECT1, "aborted"
    any                abort() by the user            abort; EXPECT1, "aborted"
    any                an SMP TLV it does not expect  abort; EXPECT1, "protocol-error"
    any                a malformed TLV, a value out   abort; EXPECT1, "protocol-error"
                       of range, a failed proof

AWAIT_SECRET is the spec's SMPSTATE_EXPECT1 after a valid SMP message 1: the proofs are
checked on receipt, the user is asked for the secret, and SMP message 2 is made when the
secret is given (``respond``), as libotr does.

Every received group element must lie in [2, p - 2] and every D value in [1, q - 1] (the
range libotr's ``check_expon`` enforces; an honest D is 0 with probability 2^-1535); a c
value must be below 2^256, being a SHA-256 output (this also bounds the cost of the
exponentiations by c). MPIs must be minimal and the TLV must hold exactly the expected
count of them, with nothing after.

Side channels: this module uses Python integers and the built-in ``pow``, which are not
constant time. Constant time is not required for SMP in this pure-Python engine: the
exponents are fresh for every run, the secret is a hash, and the group has prime order q
(no small-subgroup confinement). An attacker able to time ``pow`` finely enough to recover
exponents is outside this engine's model; the long-term DSA and the DH secrets have
nocrypto's constant-time kernels for that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from nocrypto import dh, hashes
from otr._wire import OTRDecodeError, Reader, encode_int, encode_mpi

__all__ = [
    "EXPONENT_BYTES",
    "GENERATOR",
    "MAX_TLV_VALUE",
    "MODULUS",
    "ORDER",
    "SMP",
    "SMP_VERSION",
    "TLV_SMP1",
    "TLV_SMP1Q",
    "TLV_SMP2",
    "TLV_SMP3",
    "TLV_SMP4",
    "TLV_SMP_ABORT",
    "Outcome",
    "SMPStep",
    "abort",
    "handle",
    "respond",
    "secret_value",
    "start",
]

#: TLV types ("Type 2: SMP Message 1" ... "Type 7: SMP Message 1Q").
TLV_SMP1, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT, TLV_SMP1Q = 2, 3, 4, 5, 6, 7

#: "For the Diffie-Hellman group computations, the group is the one defined in RFC 3526
#: with 1536-bit modulus"; SMP uses the same prime with "g1" = 2.
MODULUS: Final = dh.MODP1536.p
GENERATOR: Final = 2
#: "the D values are calculated modulo q = (p - 1) / 2".
ORDER: Final = (MODULUS - 1) // 2
#: "The random exponents are 1536-bit numbers."
EXPONENT_BYTES: Final = 192
#: "Version (BYTE): The version of SMP used. The version described here is 1." (Secret
#: information).
SMP_VERSION: Final = 1
#: A TLV's length is a SHORT, so no TLV value exceeds this many bytes.
MAX_TLV_VALUE: Final = 0xFFFF

# Lengths fixed by "Secret information": 20-byte fingerprints, the 8-byte ssid.
_FINGERPRINT_BYTES: Final = 20
_SSID_BYTES: Final = 8
# A c value is a SHA-256 digest read as an integer.
_HASH_BOUND: Final = 1 << 256
# How many MPIs each message holds ("containing g2a, c2, D2, g3a, c3 and D3 in that order").
_MPI_COUNTS: Final = {TLV_SMP1: 6, TLV_SMP2: 11, TLV_SMP3: 8, TLV_SMP4: 3}

Random: TypeAlias = Callable[[int], bytes]
Outcome: TypeAlias = Literal["requested", "success", "failure", "aborted", "protocol-error"]

_ABORT: Final = ((TLV_SMP_ABORT, b""),)


# --- states ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Expect1:
    """SMPSTATE_EXPECT1: no exchange under way."""


@dataclass(frozen=True, slots=True)
class _AwaitSecret:
    """SMPSTATE_EXPECT1 after a verified SMP message 1: Alice's g2a and g3a, kept until the
    user gives the secret."""

    g2a: int
    g3a: int
    question: str | None


@dataclass(frozen=True, slots=True, repr=False)
class _Expect2:
    """SMPSTATE_EXPECT2 (Alice): "Store the values of x, a2 and a3"."""

    x: int
    a2: int
    a3: int


@dataclass(frozen=True, slots=True, repr=False)
class _Expect3:
    """SMPSTATE_EXPECT3 (Bob): "Store the values of g3a, g2, g3, b3, Pb and Qb"."""

    g3a: int
    g2: int
    g3: int
    b3: int
    pb: int
    qb: int


@dataclass(frozen=True, slots=True, repr=False)
class _Expect4:
    """SMPSTATE_EXPECT4 (Alice): "Store the values of g3b, (Pa / Pb), (Qa / Qb) and Ra"
    (Ra is not needed again; a3 is, for Rab = Rb^a3)."""

    g3b: int
    pab: int
    qab: int
    a3: int


_Phase: TypeAlias = _Expect1 | _AwaitSecret | _Expect2 | _Expect3 | _Expect4

_STATE_NAMES: Final = {
    _Expect1: "SMPSTATE_EXPECT1",
    _AwaitSecret: "SMPSTATE_EXPECT1",
    _Expect2: "SMPSTATE_EXPECT2",
    _Expect3: "SMPSTATE_EXPECT3",
    _Expect4: "SMPSTATE_EXPECT4",
}


@dataclass(frozen=True, slots=True)
class SMP:
    """The SMP state of one OTR conversation: an immutable value (start from
    :meth:`idle`). Its ``repr`` shows the spec's state name, never a secret."""

    _phase: _Phase = field(default_factory=_Expect1)

    @classmethod
    def idle(cls) -> SMP:
        """SMPSTATE_EXPECT1 with nothing under way (also the state after every end)."""
        return cls(_Expect1())

    @property
    def in_progress(self) -> bool:
        """Whether an exchange is under way (including one awaiting our secret)."""
        return not isinstance(self._phase, _Expect1)

    @property
    def awaiting_secret(self) -> bool:
        """Whether the peer's SMP message 1 was received and :func:`respond` is due."""
        return isinstance(self._phase, _AwaitSecret)

    @property
    def question(self) -> str | None:
        """The peer's question while :attr:`awaiting_secret` (None without one)."""
        phase = self._phase
        return phase.question if isinstance(phase, _AwaitSecret) else None

    @property
    def smpstate(self) -> str:
        """The spec's name of the state: ``"SMPSTATE_EXPECT1"`` ... ``"SMPSTATE_EXPECT4"``."""
        return _STATE_NAMES[type(self._phase)]

    def __repr__(self) -> str:
        extra = ", awaiting secret" if self.awaiting_secret else ""
        return f"SMP({self.smpstate}{extra})"


@dataclass(frozen=True, slots=True)
class SMPStep:
    """What one SMP step yields: the new state, the TLVs (type, value) to send in a data
    message, in order, and the outcome if the step ends or announces something."""

    state: SMP
    send: tuple[tuple[int, bytes], ...]
    outcome: Outcome | None
    question: str | None = None
    detail: str | None = None


class _SMPError(Exception):
    """Peer input that ends the exchange with a protocol error (internal)."""


# --- the hash, MPI lists and range checks ------------------------------------------------


def _hash(version: int, a: int, b: int | None = None) -> int:
    """ "SMP Hash function": SHA-256 of the version BYTE, the first MPI and, if present, the
    second, as an integer."""
    data = bytes((version,)) + encode_mpi(a)
    if b is not None:
        data += encode_mpi(b)
    return int.from_bytes(hashes.digest("sha256", data), "big")


def _encode_mpis(values: tuple[int, ...]) -> bytes:
    """An SMP TLV value: the count (INT), then each value as an MPI."""
    return encode_int(len(values)) + b"".join(encode_mpi(v) for v in values)


def _decode_mpis(data: bytes, tlv_type: int) -> tuple[int, ...]:
    """The MPIs of an SMP message 1-4: exactly the count the message has, nothing after."""
    expected = _MPI_COUNTS[tlv_type]
    reader = Reader(data)
    try:
        count = reader.u32()
        if count != expected:
            raise _SMPError(f"{_name(tlv_type)}: {count} MPIs, expected {expected}")
        values = tuple(reader.mpi() for _ in range(count))
        reader.expect_end()
    except OTRDecodeError as exc:
        raise _SMPError(f"{_name(tlv_type)}: {exc}") from None
    return values


def _name(tlv_type: int) -> str:
    return "SMP message 1Q" if tlv_type == TLV_SMP1Q else f"SMP message {tlv_type - 1}"


def _check_element(label: str, value: int) -> None:
    """ "Check that ... are >= 2 and <= modulus-2"."""
    if not 2 <= value <= MODULUS - 2:
        raise _SMPError(f"{label} is not a group element in [2, p - 2]")


def _check_exponent(label: str, value: int) -> None:
    """A D value: reduced modulo q, and not 0 (libotr's check_expon)."""
    if not 1 <= value < ORDER:
        raise _SMPError(f"{label} is not an exponent in [1, q - 1]")


def _check_hash(label: str, value: int) -> None:
    """A c value: a SHA-256 output, so below 2^256."""
    if value >= _HASH_BOUND:
        raise _SMPError(f"{label} is longer than a SHA-256 output")


def _random_exponent(random: Random) -> int:
    """A random 1536-bit exponent."""
    data = random(EXPONENT_BYTES)
    if not isinstance(data, bytes) or len(data) != EXPONENT_BYTES:
        raise ValueError(f"random({EXPONENT_BYTES}) must return {EXPONENT_BYTES} bytes")
    return int.from_bytes(data, "big")


def _inverse(value: int) -> int:
    """value^-1 mod p (value is in [2, p - 2] or a product of such, so invertible)."""
    return pow(value, -1, MODULUS)


# --- the zero-knowledge proofs -----------------------------------------------------------
# Three kinds, each made by one side and checked by the other:
#   knowledge of a log:  c = h(v, g1^r),               D = r - a c        (versions 1-4)
#   equal coordinates:   c = h(v, g3^r5, g1^r5 g2^r6), D5 = r5 - r4 c,
#                                                      D6 = r6 - x c      (versions 5, 6)
#   equal logs:          c = h(v, g1^r7, Qab^r7),      D7 = r7 - a3 c     (versions 7, 8)
# all modulo q.


def _prove_log(version: int, exponent: int, random: Random) -> tuple[int, int]:
    r = _random_exponent(random)
    c = _hash(version, pow(GENERATOR, r, MODULUS))
    return c, (r - exponent * c) % ORDER


def _verify_log(version: int, c: int, d: int, element: int) -> bool:
    """c = h(v, g1^D element^c)."""
    value = pow(GENERATOR, d, MODULUS) * pow(element, c, MODULUS) % MODULUS
    return _hash(version, value) == c


def _prove_coords(
    version: int, g2: int, g3: int, r4: int, secret: int, random: Random
) -> tuple[int, int, int]:
    r5, r6 = _random_exponent(random), _random_exponent(random)
    c = _hash(
        version,
        pow(g3, r5, MODULUS),
        pow(GENERATOR, r5, MODULUS) * pow(g2, r6, MODULUS) % MODULUS,
    )
    return c, (r5 - r4 * c) % ORDER, (r6 - secret * c) % ORDER


def _verify_coords(
    version: int, c: int, d5: int, d6: int, p_value: int, q_value: int, g2: int, g3: int
) -> bool:
    """c = h(v, g3^D5 P^c, g1^D5 g2^D6 Q^c)."""
    first = pow(g3, d5, MODULUS) * pow(p_value, c, MODULUS) % MODULUS
    second = (
        pow(GENERATOR, d5, MODULUS)
        * pow(g2, d6, MODULUS)
        % MODULUS
        * pow(q_value, c, MODULUS)
        % MODULUS
    )
    return _hash(version, first, second) == c


def _prove_logs(version: int, qab: int, exponent: int, random: Random) -> tuple[int, int]:
    r7 = _random_exponent(random)
    c = _hash(version, pow(GENERATOR, r7, MODULUS), pow(qab, r7, MODULUS))
    return c, (r7 - exponent * c) % ORDER


def _verify_logs(version: int, c: int, d7: int, r_value: int, g3o: int, qab: int) -> bool:
    """c = h(v, g1^D7 g3o^c, Qab^D7 R^c), g3o being the other side's g3a or g3b."""
    first = pow(GENERATOR, d7, MODULUS) * pow(g3o, c, MODULUS) % MODULUS
    second = pow(qab, d7, MODULUS) * pow(r_value, c, MODULUS) % MODULUS
    return _hash(version, first, second) == c


# --- the secret --------------------------------------------------------------------------


def secret_value(
    initiator_fingerprint: bytes, responder_fingerprint: bytes, ssid: bytes, secret: bytes
) -> int:
    """The SMP secret x or y ("Secret information"): SHA-256 of the version BYTE (1), the
    20-byte fingerprints of the initiator and of the responder, the 8-byte ssid and the
    user's secret, as an integer. ValueError on wrong lengths."""
    if len(initiator_fingerprint) != _FINGERPRINT_BYTES:
        raise ValueError("SMP: the initiator fingerprint must be 20 bytes")
    if len(responder_fingerprint) != _FINGERPRINT_BYTES:
        raise ValueError("SMP: the responder fingerprint must be 20 bytes")
    if len(ssid) != _SSID_BYTES:
        raise ValueError("SMP: the ssid must be 8 bytes")
    data = (
        bytes((SMP_VERSION,))
        + bytes(initiator_fingerprint)
        + bytes(responder_fingerprint)
        + bytes(ssid)
        + bytes(secret)
    )
    return int.from_bytes(hashes.digest("sha256", data), "big")


def _check_secret(secret: int) -> None:
    if not isinstance(secret, int) or isinstance(secret, bool) or secret < 0:
        raise ValueError("SMP: the secret must be a non-negative int (see secret_value)")


# --- user actions ------------------------------------------------------------------------


def start(smp: SMP, secret: int, question: str | None, random: Random) -> SMPStep:
    """ "User requests to begin SMP": make SMP message 1 (type 2, or type 7 with *question*)
    for *secret* (from :func:`secret_value`). If an exchange is under way, "send a type 6
    TLV (SMP abort) to the other party and then proceed as if smpstate was
    SMPSTATE_EXPECT1". ValueError on a bad secret or question (a NUL, or too long)."""
    _check_secret(secret)
    prefix = b""
    if question is not None:
        if not isinstance(question, str) or "\x00" in question:
            raise ValueError("SMP: the question must be a str without NUL characters")
        prefix = question.encode("utf-8") + b"\x00"
    a2, a3 = _random_exponent(random), _random_exponent(random)
    g2a, g3a = pow(GENERATOR, a2, MODULUS), pow(GENERATOR, a3, MODULUS)
    c2, d2 = _prove_log(1, a2, random)
    c3, d3 = _prove_log(2, a3, random)
    value = prefix + _encode_mpis((g2a, c2, d2, g3a, c3, d3))
    if len(value) > MAX_TLV_VALUE:
        raise ValueError("SMP: the question is too long for a TLV")
    message = (TLV_SMP1 if question is None else TLV_SMP1Q, value)
    send = (*_ABORT, message) if smp.in_progress else (message,)
    return SMPStep(SMP(_Expect2(secret, a2, a3)), send, None)


def respond(smp: SMP, secret: int, random: Random) -> SMPStep:
    """Answer a received SMP message 1 with *secret* (from :func:`secret_value`): make
    SMP message 2 and await message 3. ValueError unless :attr:`SMP.awaiting_secret`."""
    phase = smp._phase
    if not isinstance(phase, _AwaitSecret):
        raise ValueError("SMP: respond() needs a received SMP message 1 (awaiting_secret)")
    _check_secret(secret)
    # "Pick random exponents b2 and b3 ... r2, r3, r4, r5 and r6" (r2, r3, r5 and r6 are
    # drawn inside the proofs).
    b2, b3 = _random_exponent(random), _random_exponent(random)
    g2b, g3b = pow(GENERATOR, b2, MODULUS), pow(GENERATOR, b3, MODULUS)
    c2, d2 = _prove_log(3, b2, random)
    c3, d3 = _prove_log(4, b3, random)
    g2, g3 = pow(phase.g2a, b2, MODULUS), pow(phase.g3a, b3, MODULUS)
    r4 = _random_exponent(random)
    pb = pow(g3, r4, MODULUS)
    qb = pow(GENERATOR, r4, MODULUS) * pow(g2, secret, MODULUS) % MODULUS
    cp, d5, d6 = _prove_coords(5, g2, g3, r4, secret, random)
    value = _encode_mpis((g2b, c2, d2, g3b, c3, d3, pb, qb, cp, d5, d6))
    state = SMP(_Expect3(phase.g3a, g2, g3, b3, pb, qb))
    return SMPStep(state, ((TLV_SMP2, value),), None)


def abort(smp: SMP) -> SMPStep:
    """ "User requests to abort SMP": "In all cases, send a type 6 TLV (SMP abort) to the
    correspondent and set smpstate to SMPSTATE_EXPECT1"."""
    return SMPStep(SMP.idle(), _ABORT, "aborted")


# --- received TLVs -----------------------------------------------------------------------


def handle(smp: SMP, tlv_type: int, value: bytes, random: Random) -> SMPStep:
    """Process a received TLV of type 2-7 (other types leave the state alone). Never
    raises on peer input: an unexpected message, a malformed value, an element or exponent
    out of range or a failed proof sends an abort and returns to SMPSTATE_EXPECT1 with the
    outcome "protocol-error" and a *detail*."""
    try:
        return _handle(smp, tlv_type, bytes(value), random)
    except _SMPError as exc:
        return SMPStep(SMP.idle(), _ABORT, "protocol-error", detail=str(exc))


def _handle(smp: SMP, tlv_type: int, value: bytes, random: Random) -> SMPStep:
    phase = smp._phase
    if tlv_type == TLV_SMP_ABORT:
        # "SMP Abort Message": back to SMPSTATE_EXPECT1.
        return SMPStep(SMP.idle(), (), "aborted" if smp.in_progress else None)
    if tlv_type in (TLV_SMP1, TLV_SMP1Q):
        if isinstance(phase, _Expect1 | _AwaitSecret):
            return _receive_smp1(tlv_type, value)
    elif tlv_type == TLV_SMP2:
        if isinstance(phase, _Expect2):
            return _receive_smp2(phase, value, random)
    elif tlv_type == TLV_SMP3:
        if isinstance(phase, _Expect3):
            return _receive_smp3(phase, value, random)
    elif tlv_type == TLV_SMP4:
        if isinstance(phase, _Expect4):
            return _receive_smp4(phase, value)
    else:
        return SMPStep(smp, (), None)
    # "If smpstate is not SMPSTATE_EXPECTn: Set smpstate to SMPSTATE_EXPECT1 and send a
    # type 6 TLV (SMP abort)".
    raise _SMPError(f"{_name(tlv_type)} received in {smp.smpstate}")


def _receive_smp1(tlv_type: int, value: bytes) -> SMPStep:
    """ "Receiving a type 2 TLV (SMP message 1)" in SMPSTATE_EXPECT1: verify Alice's proofs
    for g2a and g3a, then ask the user for the secret."""
    question: str | None = None
    if tlv_type == TLV_SMP1Q:
        # "A type 7 (SMP Message 1Q) TLV is the same as the above, but is preceded by a
        # user-specified question" (NUL-terminated, as libotr sends it).
        end = value.find(b"\x00")
        if end < 0:
            raise _SMPError("SMP message 1Q: the question is not NUL-terminated")
        question = value[:end].decode("utf-8", errors="replace")
        value = value[end + 1 :]
    g2a, c2, d2, g3a, c3, d3 = _decode_mpis(value, TLV_SMP1)
    name = _name(tlv_type)
    _check_element(f"{name}: g2a", g2a)
    _check_element(f"{name}: g3a", g3a)
    _check_hash(f"{name}: c2", c2)
    _check_hash(f"{name}: c3", c3)
    _check_exponent(f"{name}: D2", d2)
    _check_exponent(f"{name}: D3", d3)
    if not _verify_log(1, c2, d2, g2a):  # "Check that c2 = SHA256(1, g1^D2 g2a^c2)"
        raise _SMPError(f"{name}: the proof for g2a (c2, D2) does not verify")
    if not _verify_log(2, c3, d3, g3a):  # "Check that c3 = SHA256(2, g1^D3 g3a^c3)"
        raise _SMPError(f"{name}: the proof for g3a (c3, D3) does not verify")
    return SMPStep(SMP(_AwaitSecret(g2a, g3a, question)), (), "requested", question=question)


def _receive_smp2(phase: _Expect2, value: bytes, random: Random) -> SMPStep:
    """ "Receiving a type 3 TLV (SMP message 2)" in SMPSTATE_EXPECT2 (Alice)."""
    g2b, c2, d2, g3b, c3, d3, pb, qb, cp, d5, d6 = _decode_mpis(value, TLV_SMP2)
    for label, element in (("g2b", g2b), ("g3b", g3b), ("Pb", pb), ("Qb", qb)):
        _check_element(f"SMP message 2: {label}", element)
    for label, c in (("c2", c2), ("c3", c3), ("cP", cp)):
        _check_hash(f"SMP message 2: {label}", c)
    for label, d in (("D2", d2), ("D3", d3), ("D5", d5), ("D6", d6)):
        _check_exponent(f"SMP message 2: {label}", d)
    if not _verify_log(3, c2, d2, g2b):  # "Check that c2 = SHA256(3, g1^D2 g2b^c2)"
        raise _SMPError("SMP message 2: the proof for g2b (c2, D2) does not verify")
    if not _verify_log(4, c3, d3, g3b):  # "Check that c3 = SHA256(4, g1^D3 g3b^c3)"
        raise _SMPError("SMP message 2: the proof for g3b (c3, D3) does not verify")
    g2, g3 = pow(g2b, phase.a2, MODULUS), pow(g3b, phase.a3, MODULUS)
    # "Check that cP = SHA256(5, g3^D5 Pb^cP, g1^D5 g2^D6 Qb^cP)"
    if not _verify_coords(5, cp, d5, d6, pb, qb, g2, g3):
        raise _SMPError("SMP message 2: the proof for Pb and Qb (cP, D5, D6) does not verify")
    # Make SMP message 3: Pa = g3^r4, Qa = g1^r4 g2^x, Ra = (Qa / Qb)^a3 and their proofs.
    r4 = _random_exponent(random)
    pa = pow(g3, r4, MODULUS)
    qa = pow(GENERATOR, r4, MODULUS) * pow(g2, phase.x, MODULUS) % MODULUS
    cp_a, d5_a, d6_a = _prove_coords(6, g2, g3, r4, phase.x, random)
    pab = pa * _inverse(pb) % MODULUS
    qab = qa * _inverse(qb) % MODULUS
    ra = pow(qab, phase.a3, MODULUS)
    cr, d7 = _prove_logs(7, qab, phase.a3, random)
    out = _encode_mpis((pa, qa, cp_a, d5_a, d6_a, ra, cr, d7))
    state = SMP(_Expect4(g3b, pab, qab, phase.a3))
    return SMPStep(state, ((TLV_SMP3, out),), None)


def _receive_smp3(phase: _Expect3, value: bytes, random: Random) -> SMPStep:
    """ "Receiving a type 4 TLV (SMP message 3)" in SMPSTATE_EXPECT3 (Bob): verify, send
    SMP message 4, and compare."""
    pa, qa, cp, d5, d6, ra, cr, d7 = _decode_mpis(value, TLV_SMP3)
    for label, element in (("Pa", pa), ("Qa", qa), ("Ra", ra)):
        _check_element(f"SMP message 3: {label}", element)
    for label, c in (("cP", cp), ("cR", cr)):
        _check_hash(f"SMP message 3: {label}", c)
    for label, d in (("D5", d5), ("D6", d6), ("D7", d7)):
        _check_exponent(f"SMP message 3: {label}", d)
    # "Check that cP = SHA256(6, g3^D5 Pa^cP, g1^D5 g2^D6 Qa^cP)"
    if not _verify_coords(6, cp, d5, d6, pa, qa, phase.g2, phase.g3):
        raise _SMPError("SMP message 3: the proof for Pa and Qa (cP, D5, D6) does not verify")
    pab = pa * _inverse(phase.pb) % MODULUS
    qab = qa * _inverse(phase.qb) % MODULUS
    # "Check that cR = SHA256(7, g1^D7 g3a^cR, (Qa / Qb)^D7 Ra^cR)"
    if not _verify_logs(7, cr, d7, ra, phase.g3a, qab):
        raise _SMPError("SMP message 3: the proof for Ra (cR, D7) does not verify")
    # Make SMP message 4: Rb = (Qa / Qb)^b3 and its proof.
    rb = pow(qab, phase.b3, MODULUS)
    cr_b, d7_b = _prove_logs(8, qab, phase.b3, random)
    out = _encode_mpis((rb, cr_b, d7_b))
    # "Compute Rab = Ra^b3. Determine if x = y by checking ... (Pa / Pb) = Rab."
    success = pow(ra, phase.b3, MODULUS) == pab
    return _result(success, ((TLV_SMP4, out),))


def _receive_smp4(phase: _Expect4, value: bytes) -> SMPStep:
    """ "Receiving a type 5 TLV (SMP message 4)" in SMPSTATE_EXPECT4 (Alice)."""
    rb, cr, d7 = _decode_mpis(value, TLV_SMP4)
    _check_element("SMP message 4: Rb", rb)
    _check_hash("SMP message 4: cR", cr)
    _check_exponent("SMP message 4: D7", d7)
    # "Check that cR = SHA256(8, g1^D7 g3b^cR, (Qa / Qb)^D7 Rb^cR)"
    if not _verify_logs(8, cr, d7, rb, phase.g3b, phase.qab):
        raise _SMPError("SMP message 4: the proof for Rb (cR, D7) does not verify")
    # "Compute Rab = Rb^a3. Determine if x = y by checking ... (Pa / Pb) = Rab."
    success = pow(rb, phase.a3, MODULUS) == phase.pab
    return _result(success, ())


def _result(success: bool, send: tuple[tuple[int, bytes], ...]) -> SMPStep:
    """The end of an exchange: "Set smpstate to SMPSTATE_EXPECT1"."""
    if success:
        return SMPStep(SMP.idle(), send, "success")
    return SMPStep(SMP.idle(), send, "failure", detail="the secrets differ")
