"""A libotr 4.1 peer for differential tests of the OTR engine (OTR protocol versions 2 and 3).

``LibotrPeer`` wraps one libotr ``OtrlUserState`` talking to one buddy: messages go in with
``receive`` and come out of ``send`` / ``take``; libotr's callbacks (``OtrlMessageAppOps``)
are Python functions that collect injected messages and record events. The binding is
compiled on first use by ``_libotr_build`` (API-mode cffi, headers of Debian's
``libotr5-dev``); ``load()`` raises ``LibotrUnavailable`` when that is impossible.

Facts of libotr honoured here: ``otrl_init`` runs once per process; v3 needs an instance
tag, made by the ``create_instag`` callback (or read from a file); ``is_logged_in`` answers
1 so that libotr sends its disconnect TLV; SMP answers are given after ``receive`` returns,
never from inside a callback.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build" / "libotr-binding"
KEYS = BUILD / "keys"
PROTOCOL = "nqsb"
HEADER = Path("/usr/include/libotr/proto.h")

# OTRL_POLICY_* of libotr's proto.h (the values are checked against the headers by load()).
ALLOW_V2 = 0x02
ALLOW_V3 = 0x04
REQUIRE_ENCRYPTION = 0x08
SEND_WHITESPACE_TAG = 0x10
WHITESPACE_START_AKE = 0x20
ERROR_START_AKE = 0x40
MANUAL = ALLOW_V2 | ALLOW_V3

SMP_EVENTS = {
    0: "none",
    1: "error",
    2: "abort",
    3: "cheated",
    4: "ask-for-answer",
    5: "ask-for-secret",
    6: "in-progress",
    7: "success",
    8: "failure",
}
# OtrlMessageEvent of message.h, in order, without the OTRL_MSGEVENT_ prefix.
MSG_EVENTS = (
    "NONE",
    "ENCRYPTION_REQUIRED",
    "ENCRYPTION_ERROR",
    "CONNECTION_ENDED",
    "SETUP_ERROR",
    "MSG_REFLECTED",
    "MSG_RESENT",
    "RCVDMSG_NOT_IN_PRIVATE",
    "RCVDMSG_UNREADABLE",
    "RCVDMSG_MALFORMED",
    "LOG_HEARTBEAT_RCVD",
    "LOG_HEARTBEAT_SENT",
    "RCVDMSG_GENERAL_ERR",
    "RCVDMSG_UNENCRYPTED",
    "RCVDMSG_UNRECOGNIZED",
    "RCVDMSG_FOR_OTHER_INSTANCE",
)
MSGSTATES = {0: "plaintext", 1: "encrypted", 2: "finished"}


class LibotrUnavailable(Exception):
    """The binding cannot be built or loaded (no headers, no compiler, no library)."""


@dataclass(frozen=True)
class Binding:
    """The compiled module: its ``ffi`` and ``lib``."""

    ffi: Any
    lib: Any


_binding: Binding | None = None
_callback_errors: list[BaseException] = []


def ensure_headers() -> None:
    """Install Debian's ``libotr5-dev`` when its headers are missing and we may (root with
    apt-get); LibotrUnavailable when they are still missing."""
    if HEADER.exists():
        return
    apt = shutil.which("apt-get")
    if apt is not None and os.geteuid() == 0:
        subprocess.run(
            [apt, "install", "-y", "--no-install-recommends", "libotr5-dev"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
            check=False,
        )
    if not HEADER.exists():
        raise LibotrUnavailable(f"{HEADER} missing and libotr5-dev could not be installed")


def load() -> Binding:
    """Build (once, cached on disk) and import the binding; call ``otrl_init`` once."""
    global _binding
    if _binding is not None:
        return _binding
    ensure_headers()
    try:
        from tests.interop import _libotr_build

        folder = _libotr_build.build(BUILD)
        (path,) = folder.glob(f"{_libotr_build.MODULE}*.so")
        spec = importlib.util.spec_from_file_location(_libotr_build.MODULE, path)
        if spec is None or spec.loader is None:
            raise LibotrUnavailable(f"cannot import {path}")
        module: ModuleType = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except LibotrUnavailable:
        raise
    except Exception as exc:  # compiler or linker missing: an unavailable oracle, not a bug
        raise LibotrUnavailable(f"building the libotr binding failed: {exc!r}") from exc
    ffi, lib = module.ffi, module.lib
    expected = (ALLOW_V2, ALLOW_V3, REQUIRE_ENCRYPTION, SEND_WHITESPACE_TAG)
    actual = (
        lib.OTRL_POLICY_ALLOW_V2,
        lib.OTRL_POLICY_ALLOW_V3,
        lib.OTRL_POLICY_REQUIRE_ENCRYPTION,
        lib.OTRL_POLICY_SEND_WHITESPACE_TAG,
    )
    if expected != actual:
        raise LibotrUnavailable(f"unexpected OTRL_POLICY values {actual}")
    for number, name in enumerate(MSG_EVENTS):
        if getattr(lib, f"OTRL_MSGEVENT_{name}") != number:
            raise LibotrUnavailable(f"OTRL_MSGEVENT_{name} is not {number}")
    for number, kind in SMP_EVENTS.items():
        if getattr(lib, "OTRL_SMPEVENT_" + kind.upper().replace("-", "_")) != number:
            raise LibotrUnavailable(f"the SMP event {kind} is not {number}")
    if lib.otrl_init(lib.OTRL_VERSION_MAJOR, lib.OTRL_VERSION_MINOR, lib.OTRL_VERSION_SUB):
        raise LibotrUnavailable("otrl_init failed")
    _binding = Binding(ffi, lib)
    _install_callbacks(_binding)
    return _binding


def version() -> str:
    """libotr's version as the headers give it, e.g. ``"4.1.1"``."""
    lib = load().lib
    return f"{lib.OTRL_VERSION_MAJOR}.{lib.OTRL_VERSION_MINOR}.{lib.OTRL_VERSION_SUB}"


def generate_key_file(path: Path, account: str) -> None:
    """Write a new DSA key for ``account`` (protocol ``PROTOCOL``) in libotr's format."""
    b = load()
    us = b.lib.otrl_userstate_create()
    try:
        err = b.lib.otrl_privkey_generate(
            us, str(path).encode(), account.encode(), PROTOCOL.encode()
        )
        if err:
            raise RuntimeError(f"otrl_privkey_generate failed: {err}")
    finally:
        b.lib.otrl_userstate_free(us)


def cached_key_file(account: str) -> Path:
    """A libotr key file for ``account``, generated once and kept under ``build/``."""
    path = KEYS / f"{account}.{PROTOCOL}.key"
    if not path.exists():
        KEYS.mkdir(parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(dir=KEYS, suffix=".tmp")
        os.close(fd)
        generate_key_file(Path(scratch), account)
        os.replace(scratch, path)
    return path


def key_fingerprint(path: Path, account: str) -> bytes:
    """The 20-byte fingerprint libotr computes for ``account``'s key in ``path``."""
    b = load()
    us = b.lib.otrl_userstate_create()
    try:
        if b.lib.otrl_privkey_read(us, str(path).encode()):
            raise ValueError(f"otrl_privkey_read rejected {path}")
        out = b.ffi.new("unsigned char[20]")
        if (
            b.lib.otrl_privkey_fingerprint_raw(us, out, account.encode(), PROTOCOL.encode())
            == b.ffi.NULL
        ):
            raise ValueError(f"no key for {account!r} in {path}")
        return bytes(b.ffi.buffer(out, 20))
    finally:
        b.lib.otrl_userstate_free(us)


def human_fingerprint(raw: bytes) -> str:
    """libotr's human-readable form of a 20-byte fingerprint (5 groups of 8 hex digits)."""
    b = load()
    out = b.ffi.new("char[]", b.lib.OTRL_PRIVKEY_FPRINT_HUMAN_LEN)
    b.lib.otrl_privkey_hash_to_human(out, raw)
    return str(b.ffi.string(out).decode())


@dataclass(frozen=True)
class SMPEvent:
    """One ``handle_smp_event`` call: the kind (``SMP_EVENTS``), progress and question."""

    kind: str
    progress: int
    question: str | None = None


@dataclass
class LibotrPeer:
    """One libotr user ``account`` talking to ``buddy`` (protocol ``PROTOCOL``).

    ``outbox`` collects what libotr injects (``inject_message``); ``events`` records
    ``gone_secure`` / ``gone_insecure`` / ``still_secure`` / ``new_fingerprint``;
    ``smp_events`` and ``msg_events`` record the SMP and message events libotr reports.
    """

    account: str
    buddy: str
    key_file: Path | None = None
    policy: int = MANUAL
    max_message_size: int = 0
    instance_tag: int | None = None
    outbox: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    smp_events: list[SMPEvent] = field(default_factory=list)
    msg_events: list[tuple[str, str | None]] = field(default_factory=list)
    tlvs: list[tuple[int, bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        b = load()
        self._b = b
        self._us = b.lib.otrl_userstate_create()
        self._ops = _ops(b)
        self._handle = b.ffi.new_handle(self)
        self._account = self.account.encode()
        self._buddy = self.buddy.encode()
        key = self.key_file if self.key_file is not None else cached_key_file(self.account)
        if b.lib.otrl_privkey_read(self._us, str(key).encode()):
            raise ValueError(f"otrl_privkey_read rejected {key}")
        if self.instance_tag is not None:
            self._load_instance_tag(self.instance_tag)

    def _load_instance_tag(self, tag: int) -> None:
        # The instance tag file: "account<TAB>protocol<TAB>tag in hex" per line.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "instags"
            path.write_text(f"{self.account}\t{PROTOCOL}\t{tag:08x}\n")
            if self._b.lib.otrl_instag_read(self._us, str(path).encode()):
                raise ValueError("otrl_instag_read failed")

    def close(self) -> None:
        """Free libotr's user state (the peer is unusable afterwards)."""
        if self._us is not None:
            self._b.lib.otrl_userstate_free(self._us)
            self._us = None

    def __del__(self) -> None:
        if getattr(self, "_us", None) is not None:
            self.close()

    # -- messages ---------------------------------------------------------------------------

    def take(self) -> list[str]:
        """Return and clear the messages libotr injected since the last call."""
        out, self.outbox[:] = list(self.outbox), []
        return out

    def receive(self, text: str) -> str | None:
        """Feed one message from the buddy; return what to show the user (or None).

        Messages libotr answers with (AKE, SMP, errors) land in ``outbox``.
        """
        b = self._b
        newmsg = b.ffi.new("char **")
        tlvs = b.ffi.new("OtrlTLV **")
        with _checked():
            internal = b.lib.otrl_message_receiving(
                self._us, self._ops, self._handle, self._account, PROTOCOL.encode(),
                self._buddy, text.encode(), newmsg, tlvs, b.ffi.NULL, b.ffi.NULL, b.ffi.NULL,
            )  # fmt: skip
        tlv = tlvs[0]
        while tlv != b.ffi.NULL:
            self.tlvs.append((int(tlv.type), bytes(b.ffi.buffer(tlv.data, tlv.len))))
            tlv = tlv.next
        if tlvs[0] != b.ffi.NULL:
            b.lib.otrl_tlv_free(tlvs[0])
        shown: str | None = None
        if newmsg[0] != b.ffi.NULL:
            shown = b.ffi.string(newmsg[0]).decode()
            b.lib.otrl_message_free(newmsg[0])
        if internal:
            return None
        return text if shown is None else shown

    def send(self, text: str) -> list[str]:
        """Encrypt (or pass through) ``text``; return the messages to transmit, in order.

        libotr fragments to ``max_message_size`` itself (``OTRL_FRAGMENT_SEND_ALL``) and
        injects every piece; when it injected nothing the returned message (or the text
        itself, for plaintext) is what to send.
        """
        b = self._b
        newmsg = b.ffi.new("char **")
        with _checked():
            err = b.lib.otrl_message_sending(
                self._us, self._ops, self._handle, self._account, PROTOCOL.encode(),
                self._buddy, b.lib.OTRL_INSTAG_BEST, text.encode(), b.ffi.NULL, newmsg,
                b.lib.OTRL_FRAGMENT_SEND_ALL, b.ffi.NULL, b.ffi.NULL, b.ffi.NULL,
            )  # fmt: skip
        returned: str | None = None
        if newmsg[0] != b.ffi.NULL:
            returned = b.ffi.string(newmsg[0]).decode()
            b.lib.otrl_message_free(newmsg[0])
        if err:
            raise RuntimeError(f"otrl_message_sending failed: {err}")
        injected = self.take()
        if injected:
            return injected
        return [text if returned is None else returned]

    def query(self) -> str:
        """libotr's query message for this peer's policy (e.g. ``?OTRv23?`` plus a text)."""
        b = self._b
        raw = b.lib.otrl_proto_default_query_msg(self._account, self.policy)
        try:
            return str(b.ffi.string(raw).decode())
        finally:
            b.lib.free(raw)

    def disconnect(self) -> list[str]:
        """End the private conversation (sends the disconnect TLV when encrypted)."""
        with _checked():
            self._b.lib.otrl_message_disconnect(
                self._us, self._ops, self._handle, self._account, PROTOCOL.encode(),
                self._buddy, self._context().their_instance,
            )  # fmt: skip
        return self.take()

    # -- SMP --------------------------------------------------------------------------------

    def smp_start(self, secret: bytes, question: str | None = None) -> list[str]:
        """Start SMP with ``secret`` (and ``question``, as SMP1Q); return the messages."""
        b = self._b
        with _checked():
            if question is None:
                b.lib.otrl_message_initiate_smp(
                    self._us, self._ops, self._handle, self._context(), secret, len(secret)
                )
            else:
                b.lib.otrl_message_initiate_smp_q(
                    self._us, self._ops, self._handle, self._context(), question.encode(),
                    secret, len(secret),
                )  # fmt: skip
        return self.take()

    def smp_respond(self, secret: bytes) -> list[str]:
        """Answer the buddy's SMP request with ``secret``; return the messages."""
        with _checked():
            self._b.lib.otrl_message_respond_smp(
                self._us, self._ops, self._handle, self._context(), secret, len(secret)
            )
        return self.take()

    def smp_abort(self) -> list[str]:
        """Abort SMP (sends the abort TLV); return the messages."""
        with _checked():
            self._b.lib.otrl_message_abort_smp(self._us, self._ops, self._handle, self._context())
        return self.take()

    # -- state ------------------------------------------------------------------------------

    def _context(self) -> Any:
        b = self._b
        ctx = b.lib.otrl_context_find(
            self._us, self._buddy, self._account, PROTOCOL.encode(), b.lib.OTRL_INSTAG_BEST,
            0, b.ffi.NULL, b.ffi.NULL, b.ffi.NULL,
        )  # fmt: skip
        if ctx == b.ffi.NULL:
            raise RuntimeError(f"libotr has no context for {self.buddy!r} yet")
        return ctx

    @property
    def msgstate(self) -> str:
        """``plaintext``, ``encrypted`` or ``finished`` (the best instance's state)."""
        try:
            return MSGSTATES[int(self._context().msgstate)]
        except RuntimeError:
            return "plaintext"

    @property
    def is_encrypted(self) -> bool:
        """Whether the conversation with the buddy is in the encrypted state."""
        return self.msgstate == "encrypted"

    @property
    def protocol_version(self) -> int:
        """The OTR version in use with the buddy (2 or 3; 0 before any AKE)."""
        return int(self._context().protocol_version)

    @property
    def ssid(self) -> bytes:
        """The secure session id (8 bytes) of the current encrypted session."""
        ctx = self._context()
        return bytes(self._b.ffi.buffer(ctx.sessionid, ctx.sessionid_len))

    @property
    def our_instance(self) -> int:
        """Our instance tag in the current context (0 if none)."""
        return int(self._context().our_instance)

    @property
    def their_instance(self) -> int:
        """The buddy's instance tag in the current context (0 for v2)."""
        return int(self._context().their_instance)

    @property
    def fingerprint_ours(self) -> bytes:
        """SHA-1 fingerprint (20 bytes) of our own public key."""
        b = self._b
        out = b.ffi.new("unsigned char[20]")
        if (
            b.lib.otrl_privkey_fingerprint_raw(self._us, out, self._account, PROTOCOL.encode())
            == b.ffi.NULL
        ):
            raise RuntimeError("no private key loaded")
        return bytes(b.ffi.buffer(out, 20))

    @property
    def fingerprint_theirs(self) -> bytes | None:
        """SHA-1 fingerprint (20 bytes) of the buddy's key in the current session."""
        b = self._b
        fp = self._context().active_fingerprint
        if fp == b.ffi.NULL or fp.fingerprint == b.ffi.NULL:
            return None
        return bytes(b.ffi.buffer(fp.fingerprint, 20))


# -- callbacks ----------------------------------------------------------------------------


class _checked:
    """Re-raise, after a libotr call returns, an exception raised inside a callback."""

    def __enter__(self) -> None:
        _callback_errors.clear()

    def __exit__(self, *exc: object) -> None:
        if _callback_errors and exc[0] is None:
            error = _callback_errors[0]
            _callback_errors.clear()
            raise RuntimeError("a libotr callback raised") from error


def _peer(b: Binding, opdata: Any) -> LibotrPeer:
    peer = b.ffi.from_handle(opdata)
    assert isinstance(peer, LibotrPeer)
    return peer


def _text(b: Binding, ptr: Any) -> str | None:
    return None if ptr == b.ffi.NULL else str(b.ffi.string(ptr).decode())


_Fn = TypeVar("_Fn", bound=Callable[..., Any])


def _ops(b: Binding) -> Any:
    ops = b.ffi.new("OtrlMessageAppOps *")
    for name in _CALLBACKS:
        setattr(ops, name, getattr(b.lib, f"nqsb_{name}"))
    return ops


_CALLBACKS = (
    "policy",
    "create_privkey",
    "is_logged_in",
    "inject_message",
    "update_context_list",
    "new_fingerprint",
    "write_fingerprints",
    "gone_secure",
    "gone_insecure",
    "still_secure",
    "max_message_size",
    "handle_smp_event",
    "handle_msg_event",
    "create_instag",
)


def _install_callbacks(b: Binding) -> None:
    def on_error(exception: type[BaseException], value: BaseException, tb: object) -> None:
        _callback_errors.append(value)

    def extern(fn: _Fn) -> _Fn:
        b.ffi.def_extern(name=f"nqsb_{fn.__name__}", onerror=on_error)(fn)
        return fn

    @extern
    def policy(opdata: Any, context: Any) -> int:
        return _peer(b, opdata).policy

    @extern
    def create_privkey(opdata: Any, accountname: Any, protocol: Any) -> None:
        raise RuntimeError("libotr asked for a private key: the key file was not loaded")

    @extern
    def is_logged_in(opdata: Any, accountname: Any, protocol: Any, recipient: Any) -> int:
        return 1

    @extern
    def inject_message(
        opdata: Any, accountname: Any, protocol: Any, recipient: Any, message: Any
    ) -> None:
        _peer(b, opdata).outbox.append(str(b.ffi.string(message).decode()))

    @extern
    def update_context_list(opdata: Any) -> None:
        pass

    @extern
    def new_fingerprint(
        opdata: Any, us: Any, accountname: Any, protocol: Any, username: Any, fp: Any
    ) -> None:
        _peer(b, opdata).events.append("new_fingerprint")

    @extern
    def write_fingerprints(opdata: Any) -> None:
        pass

    @extern
    def gone_secure(opdata: Any, context: Any) -> None:
        _peer(b, opdata).events.append("gone_secure")

    @extern
    def gone_insecure(opdata: Any, context: Any) -> None:
        _peer(b, opdata).events.append("gone_insecure")

    @extern
    def still_secure(opdata: Any, context: Any, is_reply: int) -> None:
        _peer(b, opdata).events.append("still_secure")

    @extern
    def max_message_size(opdata: Any, context: Any) -> int:
        return _peer(b, opdata).max_message_size

    @extern
    def handle_smp_event(
        opdata: Any, event: int, context: Any, progress: int, question: Any
    ) -> None:
        kind = SMP_EVENTS.get(int(event), f"unknown-{event}")
        asked = _text(b, question) if kind == "ask-for-answer" else None
        _peer(b, opdata).smp_events.append(SMPEvent(kind, int(progress), asked))

    @extern
    def handle_msg_event(opdata: Any, event: int, context: Any, message: Any, err: int) -> None:
        name = MSG_EVENTS[event] if 0 <= event < len(MSG_EVENTS) else f"unknown-{event}"
        _peer(b, opdata).msg_events.append((name, _text(b, message)))

    @extern
    def create_instag(opdata: Any, accountname: Any, protocol: Any) -> None:
        peer = _peer(b, opdata)
        # otrl_instag_generate writes every tag of the user state to the file; none is kept.
        if b.lib.otrl_instag_generate(peer._us, os.devnull.encode(), accountname, protocol):
            raise RuntimeError("otrl_instag_generate failed")


def pump(a: LibotrPeer, b: LibotrPeer, messages: list[str], *, limit: int = 100) -> Iterator[str]:
    """Deliver ``messages`` from ``a`` to ``b`` and every answer back, until quiet.

    Yields what either user is shown (plaintexts), in order.
    """
    queue: list[tuple[LibotrPeer, str]] = [(b, m) for m in messages]
    for _ in range(limit):
        if not queue:
            return
        target, message = queue.pop(0)
        shown = target.receive(message)
        if shown is not None:
            yield shown
        other = a if target is b else b
        queue.extend((other, m) for m in target.take())
    raise RuntimeError(f"no quiescence after {limit} deliveries")
