"""The events an OTR session reports (in ``Output.events``), as frozen dataclasses, in the
manner of h11: the caller matches on their types. None of them carries a secret except
:class:`ExtraSymmetricKey`, whose key is meant for the application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ErrorReceived",
    "Event",
    "ExtraSymmetricKey",
    "GoneInsecure",
    "GoneSecure",
    "SMPRequested",
    "SMPResult",
    "Warning",
    "WarningKind",
]


@dataclass(frozen=True, slots=True)
class GoneSecure:
    """The AKE succeeded: messages are now encrypted (MSGSTATE_ENCRYPTED). *fingerprint* is
    the correspondent's key fingerprint in libotr's human form (five groups of eight hex
    digits), *ssid* the 8-byte secure session id, *version* the protocol version."""

    fingerprint: str
    ssid: bytes
    version: int = 3


@dataclass(frozen=True, slots=True)
class GoneInsecure:
    """The encrypted session is over: ``"peer-ended"`` when the correspondent sent the
    Disconnected TLV (MSGSTATE_FINISHED: nothing can be sent until ``otr.end``), ``"ended"``
    when we ended it ourselves (MSGSTATE_PLAINTEXT)."""

    reason: Literal["peer-ended", "ended"] = "peer-ended"


@dataclass(frozen=True, slots=True)
class SMPRequested:
    """The correspondent started the Socialist Millionaires' Protocol; answer with
    ``otr.smp_respond`` (or ``otr.smp_abort``). *question* is theirs (SMP message 1Q)."""

    question: str | None = None


@dataclass(frozen=True, slots=True)
class SMPResult:
    """An SMP exchange ended: *success* tells whether both secrets matched; *outcome* is
    ``"success"``, ``"failure"``, ``"aborted"`` or ``"protocol-error"``."""

    success: bool
    outcome: Literal["success", "failure", "aborted", "protocol-error"] = "success"
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorReceived:
    """The correspondent sent an OTR Error Message; *text* is its human-readable part."""

    text: str


@dataclass(frozen=True, slots=True)
class ExtraSymmetricKey:
    """The extra symmetric key of a data message carrying TLV type 8: *use* and *use_data*
    are the TLV's 4-byte purpose and the rest of its value; *key* the 32-byte key; *ours*
    whether we sent the TLV (``otr.use_extra_key``) or received it."""

    key: bytes = field(repr=False)
    use: int
    use_data: bytes
    ours: bool


#: What a :class:`Warning` is about.
WarningKind = Literal[
    "malformed",  # a message that does not parse (bad base 64, truncated or bad fields)
    "unreadable",  # an encrypted message we cannot read (no session, bad MAC, old keyids)
    "replay",  # a data message whose counter is not above the last one
    "wrong-instance",  # a version 3 message for another instance tag, or from a bad one
    "unencrypted",  # plaintext received while encrypted, or with REQUIRE_ENCRYPTION
    "fragment",  # a fragment dropped (out of order, illegal numbers, too long)
    "ake",  # an AKE message ignored or failed (bad signature, MAC, value out of range)
    "version",  # a message of a protocol version the policy does not allow
    "tlv",  # malformed TLV records in an authenticated data message
    "not-sent",  # a message that cannot be sent now (MSGSTATE_FINISHED)
    "stored",  # a message kept until the session is encrypted (REQUIRE_ENCRYPTION)
]


@dataclass(frozen=True, slots=True)
class Warning:  # the name the OTR API uses (shadows the builtin inside this module only)
    """Something the user may want to know; the message was dropped or handled safely."""

    kind: WarningKind
    detail: str = ""


Event = (
    GoneSecure
    | GoneInsecure
    | SMPRequested
    | SMPResult
    | ErrorReceived
    | ExtraSymmetricKey
    | Warning
)
