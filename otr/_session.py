"""The OTR session: message state, policies and the one dispatcher (OTR protocol version 3,
"The protocol state machine": "Message state", "Authentication state", "Policies", "State
transitions"; "Instance Tags"; "Fragmentation"), tying together the message layer
(``otr._message``), the AKE (``otr._ake``), data messages (``otr._data``) and SMP
(``otr._smp``).

A :class:`Session` is an immutable value; every step returns a new one with an
:class:`Output`. Peer input never raises: a malformed, hostile or unexpected message becomes
a :class:`otr.events.Warning` (and, where the specification says so, an OTR Error Message to
send). Calling the API wrongly (sending an SMP answer with no request, a NUL in a message)
raises ValueError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Final, Literal, NamedTuple, Protocol

from nocrypto import dsa
from otr import _ake, _data, _message, _smp
from otr._wire import (
    MIN_INSTANCE_TAG,
    Header,
    OTRDecodeError,
    Reader,
    encode_header,
    fingerprint,
)
from otr._wire import human_fingerprint as _human
from otr.events import (
    ErrorReceived,
    Event,
    ExtraSymmetricKey,
    GoneInsecure,
    GoneSecure,
    SMPRequested,
    SMPResult,
    Warning,
    WarningKind,
)
from otr.policy import Policy

__all__ = [
    "MIN_MAX_MESSAGE_SIZE",
    "Output",
    "Session",
    "end",
    "handle",
    "query",
    "send",
    "smp_abort",
    "smp_respond",
    "smp_start",
    "use_extra_key",
]

#: The smallest ``max_message_size``: a version 3 fragment needs 36 characters of framing.
MIN_MAX_MESSAGE_SIZE: Final = 64
#: The text of the Error Message answering an unreadable data message.
UNREADABLE_ERROR: Final = "You transmitted an unreadable encrypted message."
_AKE_TYPES: Final = frozenset({_ake.DH_COMMIT, _ake.DH_KEY, _ake.REVEAL_SIGNATURE, _ake.SIGNATURE})
_SMP_TLVS: Final = frozenset(
    {_smp.TLV_SMP1, _smp.TLV_SMP2, _smp.TLV_SMP3, _smp.TLV_SMP4, _smp.TLV_SMP_ABORT, _smp.TLV_SMP1Q}
)

Random = Callable[[int], bytes]


class RandomSource(Protocol):
    """What ``Session.new`` takes as *rng*: ``nocrypto.rng.Fortuna`` and the like."""

    def generate(self, n: int) -> bytes:
        """*n* random bytes."""
        ...


# --- message states ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plaintext:
    """MSGSTATE_PLAINTEXT."""


@dataclass(frozen=True, slots=True, repr=False)
class _Peer:
    """What an encrypted session fixes when it starts: the protocol version, the peer's
    instance tag, the ssid, the peer's long-term key and its fingerprint,
    *data_header*, the encoded header of every data message we send in it (version, type,
    our and their instance tags), encoded once, and *their_header* and
    *their_header_bytes*, the header of every data message of this session we accept
    (version, type, their and our instance tags; see ``_receive_own_data``)."""

    version: int
    their_tag: int
    ssid: bytes
    their_pub: dsa.DSAPublicKey
    their_fingerprint: bytes
    sent_reveal: bool
    data_header: bytes
    their_header: Header
    their_header_bytes: bytes


class _Encrypted(NamedTuple):
    """MSGSTATE_ENCRYPTED: the session's fixed facts, the data keys and the SMP state. Only
    the keys change with each data message, so what a message rebuilds is three fields in
    a named tuple (immutable, and cheaper to build than a frozen dataclass)."""

    peer: _Peer
    keys: _data.DataKeys
    smp: _smp.SMP

    def __repr__(self) -> str:
        return f"_Encrypted(version={self.peer.version}, keys={self.keys!r})"


@dataclass(frozen=True, slots=True)
class _Finished:
    """MSGSTATE_FINISHED: the peer ended the encrypted session."""


_MsgState = _Plaintext | _Encrypted | _Finished


# --- output ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Output:
    """The result of one step: *to_send* is the messages to transmit to the correspondent in
    order (already fragmented; never mutated after it is returned), *received* the text to
    show the user (None when there is none), *events* what happened."""

    to_send: list[str] = field(default_factory=list)
    received: str | None = None
    events: tuple[Event, ...] = ()


_new_object = object.__new__
#: ``tuple.__new__``, to build the named tuples made on every message without their
#: Python-level ``__new__`` (see ``otr._data._new_tuple``); each use gives every field.
_new_tuple: Final = tuple.__new__
_set_to_send, _set_received, _set_events = (Output.__dict__[f.name].__set__ for f in fields(Output))
if [f.name for f in fields(Output)] != ["to_send", "received", "events"]:
    raise AssertionError("_output fills Output's slots in this order")


def _output(to_send: list[str], received: str | None, events: tuple[Event, ...]) -> Output:
    """``Output(to_send, received, events)``, built by filling the slots directly: made at
    every step, and the ``__init__`` of a frozen dataclass costs an ``object.__setattr__``
    call per field (see ``Session._with_msgstate``)."""
    out = _new_object(Output)
    _set_to_send(out, to_send)
    _set_received(out, received)
    _set_events(out, events)
    return out


class _Out:
    """An Output under construction (local to one step; a plain class, as the dataclass
    machinery for default factories costs more than the rest of building it)."""

    __slots__ = ("events", "received", "to_send")

    def __init__(self) -> None:
        self.to_send: list[str] = []
        self.received: str | None = None
        self.events: list[Event] = []

    def warn(self, kind: WarningKind, detail: str = "") -> None:
        self.events.append(Warning(kind, detail))

    def done(self) -> Output:
        """The Output; this builder is not used after it (its list is handed over)."""
        return _output(self.to_send, self.received, tuple(self.events))


# --- the session -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class Session:
    """One OTR conversation with one correspondent: an immutable value. Make one with
    :meth:`new`; step it with ``otr.handle``, ``otr.send`` and the other functions."""

    account_key: dsa.DSAPrivateKey
    policy: Policy
    random: Random = field(compare=False)
    our_instance_tag: int
    max_message_size: int | None = None
    msgstate: _MsgState = field(default_factory=_Plaintext)
    auth: _ake.AuthState = field(default_factory=_ake.AuthNone)
    fragments: _message.Reassembly = field(default_factory=_message.Reassembly)
    #: "if Alice receives a plaintext message from Bob ... she should stop sending him the
    #: whitespace tag".
    whitespace_off: bool = False
    #: "Store the plaintext message for possible retransmission".
    stored: str | None = None

    @classmethod
    def new(
        cls,
        account_key: dsa.DSAPrivateKey,
        policy: Policy = Policy.DEFAULT,
        rng: RandomSource | None = None,
        our_instance_tag: int | None = None,
        *,
        max_message_size: int | None = None,
    ) -> Session:
        """A session in MSGSTATE_PLAINTEXT / AUTHSTATE_NONE. *account_key* is our DSA key
        (q of 160 bits, as OTR requires); *rng* an object with ``generate(n)`` (default:
        ``nocrypto.rng``'s OS-seeded instance); *our_instance_tag* at least 0x100 (random
        when None); *max_message_size* the longest message the network carries (encoded
        messages above it are fragmented; None: no limit)."""
        if not isinstance(account_key, dsa.DSAPrivateKey):
            raise TypeError("account_key must be a nocrypto.dsa.DSAPrivateKey")
        if account_key.params.q.bit_length() != 160:
            raise ValueError("OTR needs a DSA key with a 160-bit q (SIG halves are 20 bytes)")
        if rng is None:
            from nocrypto import rng as _rng

            random: Random = _rng.generate
        else:
            random = rng.generate
        if our_instance_tag is None:
            our_instance_tag = 0
            while our_instance_tag < MIN_INSTANCE_TAG:
                our_instance_tag = int.from_bytes(random(4), "big")
        elif not MIN_INSTANCE_TAG <= our_instance_tag <= 0xFFFFFFFF:
            raise ValueError("an instance tag is a 32-bit value of at least 0x100")
        if max_message_size is not None and max_message_size < MIN_MAX_MESSAGE_SIZE:
            raise ValueError(f"max_message_size must be at least {MIN_MAX_MESSAGE_SIZE}")
        return cls(account_key, Policy(policy), random, our_instance_tag, max_message_size)

    # -- read-only views --

    @property
    def state(self) -> Literal["plaintext", "encrypted", "finished"]:
        """The message state: MSGSTATE_PLAINTEXT, _ENCRYPTED or _FINISHED."""
        match self.msgstate:
            case _Encrypted():
                return "encrypted"
            case _Finished():
                return "finished"
            case _:
                return "plaintext"

    @property
    def encrypted(self) -> bool:
        """Whether outgoing messages are encrypted."""
        return isinstance(self.msgstate, _Encrypted)

    @property
    def version(self) -> int | None:
        """The protocol version of the encrypted session (None when not encrypted)."""
        m = self.msgstate
        return m.peer.version if isinstance(m, _Encrypted) else None

    @property
    def ssid(self) -> bytes | None:
        """The secure session id of the encrypted session."""
        m = self.msgstate
        return m.peer.ssid if isinstance(m, _Encrypted) else None

    @property
    def our_fingerprint(self) -> str:
        """Our key's fingerprint in human form."""
        return _human(fingerprint(self.account_key.public_key()))

    @property
    def their_fingerprint(self) -> str | None:
        """The correspondent's fingerprint in human form (None when not encrypted)."""
        m = self.msgstate
        return _human(m.peer.their_fingerprint) if isinstance(m, _Encrypted) else None

    @property
    def their_instance_tag(self) -> int | None:
        """The correspondent's instance tag in the encrypted session (version 3)."""
        m = self.msgstate
        return m.peer.their_tag if isinstance(m, _Encrypted) and m.peer.version == 3 else None

    @property
    def their_public_key(self) -> dsa.DSAPublicKey | None:
        """The correspondent's long-term DSA key (None when not encrypted)."""
        m = self.msgstate
        return m.peer.their_pub if isinstance(m, _Encrypted) else None

    @property
    def data_keys(self) -> _data.DataKeys | None:
        """The data-message key state (for tests and diagnostics)."""
        m = self.msgstate
        return m.keys if isinstance(m, _Encrypted) else None

    @property
    def smp_in_progress(self) -> bool:
        """Whether an SMP exchange is under way."""
        m = self.msgstate
        return isinstance(m, _Encrypted) and m.smp.in_progress

    @property
    def smp_awaiting_secret(self) -> bool:
        """Whether the correspondent asked for SMP and ``otr.smp_respond`` is due."""
        m = self.msgstate
        return isinstance(m, _Encrypted) and m.smp.awaiting_secret

    def __repr__(self) -> str:
        return (
            f"Session({self.state}, auth={type(self.auth).__name__}, "
            f"instance={self.our_instance_tag:#010x})"
        )

    def _with_msgstate(self, msgstate: _MsgState) -> Session:
        """This session with another message state: ``replace(self, msgstate=msgstate)``,
        built by filling the slots of a new instance directly. The data path does this for
        every message, and the ``__init__`` of a frozen dataclass sets each field through
        ``object.__setattr__``, at about twice the cost. The result is an ordinary frozen
        Session (equal to what ``replace`` gives; the field order is asserted below)."""
        new = _new_object(Session)
        set_ = _SESSION_SETTERS
        set_[0](new, self.account_key)
        set_[1](new, self.policy)
        set_[2](new, self.random)
        set_[3](new, self.our_instance_tag)
        set_[4](new, self.max_message_size)
        set_[5](new, msgstate)
        set_[6](new, self.auth)
        set_[7](new, self.fragments)
        set_[8](new, self.whitespace_off)
        set_[9](new, self.stored)
        return new


#: The slot setters of Session's fields, in their order (for ``Session._with_msgstate``).
_SESSION_SETTERS: Final = tuple(Session.__dict__[f.name].__set__ for f in fields(Session))
_SESSION_FIELDS: Final = (
    "account_key",
    "policy",
    "random",
    "our_instance_tag",
    "max_message_size",
    "msgstate",
    "auth",
    "fragments",
    "whitespace_off",
    "stored",
)
if tuple(f.name for f in fields(Session)) != _SESSION_FIELDS:
    raise AssertionError("Session._with_msgstate fills the slots in this order")


# --- helpers -----------------------------------------------------------------------------


def _ctx(session: Session) -> _ake.AKEContext:
    return _ake.AKEContext(session.account_key, session.our_instance_tag)


def _wire_out(session: Session, data: bytes, version: int, receiver: int) -> list[str]:
    """An encoded message, fragmented to the session's maximum size."""
    text = _message.encode(data)
    if session.max_message_size is None:
        return [text]
    return _message.fragment(
        text, session.max_message_size, version, session.our_instance_tag, receiver
    )


def _choose_version(policy: Policy, offered: frozenset[int]) -> int | None:
    """ "If the query message offers OTR version 3 and ALLOW_V3 is set ... Otherwise, if the
    message offers OTR version 2 and ALLOW_V2 is set"."""
    for version in (3, 2):
        if version in offered and version in policy.versions():
            return version
    return None


def _start_ake(session: Session, version: int, out: _Out) -> Session:
    """ "Send a version N D-H Commit Message, and transition authstate to
    AUTHSTATE_AWAITING_DHKEY" (receiver instance tag 0: not known yet)."""
    auth = _ake.start(version, _ctx(session), 0, session.random)
    out.to_send += _wire_out(session, auth.commit, version, 0)
    return replace(session, auth=auth)


def _send_data(
    session: Session,
    human: bytes,
    tlvs: tuple[tuple[int, bytes], ...],
    out: _Out,
    flags: int = 0,
) -> tuple[Session, bytes]:
    """Encrypt a data message (human part, then a NUL and the TLVs if any); the new session
    and the extra symmetric key of the pairing used."""
    m = session.msgstate
    assert isinstance(m, _Encrypted)
    plain = human + (b"\x00" + _data.encode_tlvs(tlvs) if tlvs else b"")
    keys, message, extra = _data.encrypt(m.keys, m.peer.data_header, plain, flags)
    out.to_send += _wire_out(session, message, m.peer.version, m.peer.their_tag)
    return session._with_msgstate(_new_tuple(_Encrypted, (m.peer, keys, m.smp))), extra


def _smp_events(step: _smp.SMPStep, out: _Out) -> None:
    match step.outcome:
        case "requested":
            out.events.append(SMPRequested(step.question))
        case "success":
            out.events.append(SMPResult(True, "success"))
        case "failure" | "aborted" | "protocol-error" as outcome:
            out.events.append(SMPResult(False, outcome, step.detail))
        case None:
            pass


def _smp_step(session: Session, step: _smp.SMPStep, out: _Out) -> Session:
    """Store the SMP state, send its TLVs in a data message, report its outcome."""
    m = session.msgstate
    assert isinstance(m, _Encrypted)
    session = session._with_msgstate(_Encrypted(m.peer, m.keys, step.state))
    if step.send:
        session, _ = _send_data(session, b"", step.send, out)
    _smp_events(step, out)
    return session


# --- receiving ---------------------------------------------------------------------------


def _go_secure(session: Session, done: _ake.Established, out: _Out) -> Session:
    """The AKE completed: MSGSTATE_ENCRYPTED with fresh data keys and SMP state; "If there
    is a recent stored message, encrypt it and send it as a Data Message"."""
    their_fp = fingerprint(done.their_pub)
    keys = _data.from_established(done, session.random)
    header = Header(done.version, _data.DATA, session.our_instance_tag, done.their_tag)
    theirs = Header(done.version, _data.DATA, done.their_tag, session.our_instance_tag)
    if done.version != 3:
        theirs = Header(done.version, _data.DATA)  # no instance tags before version 3
    peer = _Peer(
        done.version,
        done.their_tag,
        done.ssid,
        done.their_pub,
        their_fp,
        done.sent_reveal,
        encode_header(header),
        theirs,
        encode_header(theirs),
    )
    encrypted = _Encrypted(peer, keys, _smp.SMP.idle())
    session = replace(session, msgstate=encrypted, auth=_ake.AuthNone())
    out.events.append(GoneSecure(_human(their_fp), done.ssid, done.version))
    if session.stored is not None:
        text, session = session.stored, replace(session, stored=None)
        session, _ = _send_data(session, text.encode("utf-8"), (), out)
    return session


def _instance_ok(session: Session, header: Header, out: _Out) -> bool:
    """ "If a client receives a message with the sender instance tag set to less than
    0x00000100, it should discard the message. Similarly, if ... the recipient instance tag
    set to greater than 0 but less than 0x00000100"; "someone receiving a message with a
    recipient instance tag specified that does not equal their own should discard the message
    ... The exception here is the D-H Commit Message where the recipient instance tag may
    be 0"."""
    if header.version != 3:
        return True
    if header.sender_tag < MIN_INSTANCE_TAG:
        out.warn("wrong-instance", f"sender instance tag {header.sender_tag:#x} below 0x100")
        return False
    receiver = header.receiver_tag
    if receiver == session.our_instance_tag or (receiver == 0 and header.type == _ake.DH_COMMIT):
        return True
    out.warn("wrong-instance", f"message for instance {receiver:#x}, not ours")
    return False


def _unreadable(flags: int, detail: str, out: _Out) -> None:
    """ "inform the user that an unreadable encrypted message was received, and reply with an
    Error Message" - unless the message has the IGNORE_UNREADABLE flag."""
    if flags & _data.FLAG_IGNORE_UNREADABLE:
        return
    out.warn("unreadable", detail)
    out.to_send.append(_message.error_message(UNREADABLE_ERROR))


def _receive_tlvs(
    session: Session, tlvs: tuple[tuple[int, bytes], ...], extra: bytes, out: _Out
) -> Session:
    """Act on the TLVs of an authenticated data message."""
    for kind, value in tlvs:
        m = session.msgstate
        if not isinstance(m, _Encrypted):
            break
        if kind == _data.TLV_DISCONNECTED:
            # "If the received message contains a TLV type 1, forget all encryption keys for
            # this correspondent, and transition msgstate to MSGSTATE_FINISHED."
            session = replace(session, msgstate=_Finished())
            out.events.append(GoneInsecure("peer-ended"))
        elif kind in _SMP_TLVS:
            session = _smp_step(session, _smp.handle(m.smp, kind, value, session.random), out)
        elif kind == _data.TLV_EXTRA_SYMMETRIC_KEY:
            if len(value) < 4:
                out.warn("tlv", "extra symmetric key TLV shorter than 4 bytes")
            else:
                use = int.from_bytes(value[:4], "big")
                out.events.append(ExtraSymmetricKey(extra, use, value[4:], ours=False))
        # Type 0 (padding) and unknown types: "Records with unrecognized types should be
        # ignored."
    return session


def _receive_data(session: Session, header: Header, raw: bytes, body: Reader, out: _Out) -> Session:
    msg = _data.parse_data_message(header, raw, body)
    m = session.msgstate
    if not isinstance(m, _Encrypted):
        _unreadable(msg.flags, "encrypted message received outside a session", out)
        return session
    if header.version != m.peer.version or (
        header.version == 3 and header.sender_tag != m.peer.their_tag
    ):
        _unreadable(msg.flags, "data message from another session", out)
        return session
    result = _data.decrypt(m.keys, msg, session.random)
    if isinstance(result, _data.Rejected):
        if result.replay:
            out.warn("replay", result.reason)
        else:
            _unreadable(msg.flags, result.reason, out)
        return session
    return _deliver(session, m, result, out)


def _deliver(session: Session, m: _Encrypted, result: _data.Decrypted, out: _Out) -> Session:
    """A data message decrypted in the state *m* of *session*: the new keys, the text for
    the user, the TLVs acted on."""
    session = session._with_msgstate(_new_tuple(_Encrypted, (m.peer, result.keys, m.smp)))
    human, tlv_bytes = _data.split_plaintext(result.plain)
    if human:
        out.received = human.decode("utf-8", "replace")
    if tlv_bytes:
        try:
            tlvs = _data.parse_tlvs(tlv_bytes)
        except OTRDecodeError as exc:
            out.warn("tlv", str(exc))
        else:
            session = _receive_tlvs(session, tlvs, result.extra_key, out)
    return session


def _receive_own_data(
    session: Session, m: _Encrypted, text: str, versions: frozenset[int]
) -> tuple[Session, Output] | None:
    """``handle`` for its common case, on a short path: in MSGSTATE_ENCRYPTED with no
    stored fragment, *text* is one whole encoded Data Message with this session's header
    (``_Peer.their_header``: every check of ``_receive_encoded`` and ``_receive_data`` on
    the header passes) that verifies. None for anything else, before anything changed
    (``_data.decrypt`` rejects before it draws randomness), and ``handle`` takes its
    general path from the start: the functions are pure, so that path comes to the same
    point for whatever this one accepts, and goes on from there in the same way."""
    peer = m.peer
    if peer.version not in versions:
        return None
    data = _message.encoded_data(text)
    if data is None or not data.startswith(peer.their_header_bytes):
        return None
    try:
        msg = _data.parse_data_body(peer.their_header, data, len(peer.their_header_bytes))
    except OTRDecodeError:
        return None
    result = _data.decrypt(m.keys, msg, session.random)
    if isinstance(result, _data.Rejected):
        return None
    plain = result.plain
    if b"\x00" not in plain:
        # No TLVs: nothing but the text to deliver (as _deliver would).
        new = session._with_msgstate(_new_tuple(_Encrypted, (peer, result.keys, m.smp)))
        return new, _output([], plain.decode("utf-8", "replace") if plain else None, ())
    out = _Out()
    try:
        new = _deliver(session, m, result, out)
    except OTRDecodeError as exc:  # as handle does
        out.warn("malformed", str(exc))
        new = session
    return new, out.done()


def _receive_encoded(session: Session, data: bytes, versions: frozenset[int], out: _Out) -> Session:
    """An encoded message; *versions* are those the policy allows."""
    reader = Reader(data)
    header = Header.read(reader)
    if header.version not in versions:
        out.warn("version", f"version {header.version} message ignored by policy")
        return session
    if not _instance_ok(session, header, out):
        return session
    if header.type in _AKE_TYPES:
        step = _ake.receive(session.auth, header, reader, _ctx(session), session.random)
        session = replace(session, auth=step.state)
        if step.warning is not None:
            out.warn("ake", step.warning)
        if step.send is not None:
            receiver = header.sender_tag
            out.to_send += _wire_out(session, step.send, header.version, receiver)
        if step.established is not None:
            session = _go_secure(session, step.established, out)
        return session
    if header.type == _data.DATA:
        return _receive_data(session, header, data, reader, out)
    raise OTRDecodeError(f"unknown message type {header.type:#04x}")


def _receive_plaintext(session: Session, msg: _message.Plaintext, out: _Out) -> Session:
    """ "Receiving plaintext without [or with] the whitespace tag"."""
    out.received = msg.text
    if not isinstance(session.msgstate, _Plaintext):
        out.warn("unencrypted", "a plaintext message arrived during an OTR conversation")
    elif session.policy & Policy.REQUIRE_ENCRYPTION:
        out.warn("unencrypted", "the message was received unencrypted")
    session = replace(session, whitespace_off=True)
    if msg.tagged and session.policy & Policy.WHITESPACE_START_AKE:
        version = _choose_version(session.policy, msg.tag_versions)
        if version is not None:
            session = _start_ake(session, version, out)
    return session


def _receive(session: Session, text: str, versions: frozenset[int], out: _Out) -> Session:
    """Any received message; *versions* are those the policy allows (not empty)."""
    parsed = _message.parse(text)
    if not isinstance(parsed, _message.Fragment) and session.fragments.n:
        # "If you receive a non-OTR message, or an unfragmented message, forget any stored
        # fragment you may have".
        session = replace(session, fragments=_message.Reassembly())
    match parsed:
        # Encoded first: the common case (the cases exclude one another).
        case _message.Encoded():
            return _receive_encoded(session, parsed.data, versions, out)
        case _message.Fragment():
            # "If the recipient's own instance tag does not match the listed receiver
            # instance tag, and the listed receiver instance tag is not zero, the recipient
            # should discard the message"; sender tags below 0x100 are invalid.
            if parsed.version == 3 and (
                parsed.sender_tag < MIN_INSTANCE_TAG
                or parsed.receiver_tag not in (0, session.our_instance_tag)
            ):
                out.warn("wrong-instance", "fragment for another instance dropped")
                return session
            fragments, whole, warning = _message.reassemble(session.fragments, parsed)
            session = replace(session, fragments=fragments)
            if warning is not None:
                out.warn("fragment", warning)
            if whole is None:
                return session
            inner = _message.parse(whole)
            if not isinstance(inner, _message.Encoded):
                out.warn("fragment", "reassembled fragments are not an encoded message")
                return session
            return _receive_encoded(session, inner.data, versions, out)
        case _message.Query():
            # "If the query message offers OTR version 3 and ALLOW_V3 is set: Send a version
            # 3 D-H Commit Message ..."
            version = _choose_version(session.policy, parsed.versions)
            if version is not None:
                session = _start_ake(session, version, out)
            return session
        case _message.ErrorMessage():
            # "Display the message to the user. If ERROR_START_AKE is set, reply with a
            # Query Message."
            out.events.append(ErrorReceived(parsed.text))
            if session.policy & Policy.ERROR_START_AKE and session.policy.versions():
                out.to_send.append(_message.query_message(session.policy.versions()))
            return session
        case _message.Plaintext():
            return _receive_plaintext(session, parsed, out)


def handle(session: Session, message: str) -> tuple[Session, Output]:
    """Process one message received from the correspondent. Never raises on its content:
    malformed or hostile input yields a Warning event (and the unchanged session, or the
    state the specification prescribes)."""
    versions = session.policy.versions()
    if not versions:
        # "if not, then OTR is completely disabled, and no special handling of messages
        # should be done at all."
        return session, Output(received=message)
    m = session.msgstate
    if type(m) is _Encrypted and not session.fragments.n:
        done = _receive_own_data(session, m, message, versions)
        if done is not None:
            return done
    out = _Out()
    try:
        session = _receive(session, message, versions, out)
    except OTRDecodeError as exc:
        out.warn("malformed", str(exc))
    return session, out.done()


# --- user actions ------------------------------------------------------------------------


def send(session: Session, text: str) -> tuple[Session, Output]:
    """ "User types a message to be sent": encrypted in MSGSTATE_ENCRYPTED; in
    MSGSTATE_PLAINTEXT sent as is (with the whitespace tag if the policy says so), or, with
    REQUIRE_ENCRYPTION, stored while a Query Message goes out; in MSGSTATE_FINISHED stored
    and not sent. ValueError for text containing NUL (it would end the human-readable
    part)."""
    if "\x00" in text:
        raise ValueError("an OTR message cannot contain NUL")
    m = session.msgstate
    if isinstance(m, _Encrypted):
        # The common case, without the general Output builder: one data message, no event.
        keys, message, _ = _data.encrypt(m.keys, m.peer.data_header, text.encode("utf-8"))
        if session.max_message_size is None:  # _wire_out without fragmentation, inline
            to_send = [_message.encode(message)]
        else:
            to_send = _wire_out(session, message, m.peer.version, m.peer.their_tag)
        new = session._with_msgstate(_new_tuple(_Encrypted, (m.peer, keys, m.smp)))
        return new, _output(to_send, None, ())
    out = _Out()
    if isinstance(m, _Finished):
        out.warn("not-sent", "the correspondent ended the private conversation; use end()")
        session = replace(session, stored=text)
    elif session.policy & Policy.REQUIRE_ENCRYPTION and session.policy.versions():
        out.warn("stored", "the message will be sent once the conversation is private")
        out.to_send.append(_message.query_message(session.policy.versions()))
        session = replace(session, stored=text)
    else:
        versions = session.policy.versions()
        if session.policy & Policy.SEND_WHITESPACE_TAG and versions and not session.whitespace_off:
            text += _message.whitespace_tag(versions)
        out.to_send.append(text)
    return session, out.done()


def query(session: Session) -> tuple[Session, Output]:
    """ "User requests to start an OTR conversation": a Query Message for the versions the
    policy allows. ValueError if it allows none."""
    versions = session.policy.versions()
    if not versions:
        raise ValueError("the policy allows no OTR version")
    return session, Output(to_send=[_message.query_message(versions)])


def end(session: Session) -> tuple[Session, Output]:
    """ "User requests to end an OTR conversation": in MSGSTATE_ENCRYPTED send a data message
    with the Disconnected TLV and go to MSGSTATE_PLAINTEXT; from MSGSTATE_FINISHED go to
    MSGSTATE_PLAINTEXT; otherwise nothing."""
    out = _Out()
    m = session.msgstate
    if isinstance(m, _Encrypted):
        session, _ = _send_data(session, b"", ((_data.TLV_DISCONNECTED, b""),), out)
        session = replace(session, msgstate=_Plaintext())
        out.events.append(GoneInsecure("ended"))
    elif isinstance(m, _Finished):
        session = replace(session, msgstate=_Plaintext())
    return session, out.done()


def _encrypted(session: Session) -> _Encrypted:
    m = session.msgstate
    if not isinstance(m, _Encrypted):
        raise ValueError("this needs an encrypted OTR session")
    return m


def _secret(session: Session, m: _Encrypted, secret: str | bytes, we_initiate: bool) -> int:
    """ "Secret information": version, initiator's and responder's fingerprints, ssid and the
    user's secret (str encoded in UTF-8), hashed."""
    ours = fingerprint(session.account_key.public_key())
    raw = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    first, second = (
        (ours, m.peer.their_fingerprint) if we_initiate else (m.peer.their_fingerprint, ours)
    )
    return _smp.secret_value(first, second, m.peer.ssid, raw)


def smp_start(
    session: Session, secret: str | bytes, question: str | None = None
) -> tuple[Session, Output]:
    """ "User requests to begin SMP" with *secret* (and a *question* for SMP message 1Q).
    ValueError outside an encrypted session."""
    m = _encrypted(session)
    out = _Out()
    step = _smp.start(m.smp, _secret(session, m, secret, True), question, session.random)
    session = _smp_step(session, step, out)
    return session, out.done()


def smp_respond(session: Session, secret: str | bytes) -> tuple[Session, Output]:
    """Answer the correspondent's SMP request (after an SMPRequested event) with *secret*.
    ValueError when no request is pending."""
    m = _encrypted(session)
    if not m.smp.awaiting_secret:
        raise ValueError("no SMP request is waiting for an answer")
    out = _Out()
    step = _smp.respond(m.smp, _secret(session, m, secret, False), session.random)
    session = _smp_step(session, step, out)
    return session, out.done()


def smp_abort(session: Session) -> tuple[Session, Output]:
    """ "User requests to abort SMP": send the SMP Abort TLV and reset the SMP state.
    ValueError outside an encrypted session."""
    m = _encrypted(session)
    out = _Out()
    session = _smp_step(session, _smp.abort(m.smp), out)
    return session, out.done()


def use_extra_key(session: Session, use: int, use_data: bytes = b"") -> tuple[Session, Output]:
    """Tell the correspondent (TLV type 8, "Extra symmetric key") that we use the extra
    symmetric key for *use* (4 bytes) with *use_data*; the key itself is in the
    ExtraSymmetricKey event of the returned Output (the correspondent gets the same key).
    Version 3 only; ValueError otherwise."""
    m = _encrypted(session)
    if m.peer.version != 3:
        raise ValueError("the extra symmetric key needs protocol version 3")
    if not 0 <= use <= 0xFFFFFFFF:
        raise ValueError("use is a 32-bit value")
    out = _Out()
    value = use.to_bytes(4, "big") + bytes(use_data)
    session, extra = _send_data(session, b"", ((_data.TLV_EXTRA_SYMMETRIC_KEY, value),), out)
    out.events.append(ExtraSymmetricKey(extra, use, bytes(use_data), ours=True))
    return session, out.done()
