"""The OTR message layer (OTR protocol version 3, "Unencoded messages", "Encoded messages"
and "Fragmentation"): query messages, whitespace-tagged plaintext, error messages, base-64
encoded messages and the version 2 and 3 fragment formats, in both directions, plus the
bounded reassembly of received fragments.

:func:`parse` maps any string to one of the message kinds below, or raises
:class:`otr._wire.OTRDecodeError` (bad base 64, a malformed fragment); it never raises
anything else.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass
from typing import Final, NamedTuple

from otr._wire import OTRDecodeError

__all__ = [
    "MAX_FRAGMENTS",
    "MAX_MESSAGE_CHARS",
    "QUERY_PREFIX",
    "WHITESPACE_BASE",
    "WHITESPACE_VERSIONS",
    "Encoded",
    "ErrorMessage",
    "Fragment",
    "Parsed",
    "Plaintext",
    "Query",
    "Reassembly",
    "encode",
    "encoded_data",
    "error_message",
    "fragment",
    "parse",
    "query_message",
    "reassemble",
    "whitespace_tag",
]

#: The longest encoded message (or reassembled set of fragments) accepted, in characters:
#: 256 KiB, far above any AKE message (under 1.5 KiB) and a generous chat message.
MAX_MESSAGE_CHARS: Final = 256 * 1024
#: "k and n are unsigned short ints (2 bytes), and each has a maximum value of 65535".
MAX_FRAGMENTS: Final = 65535

QUERY_PREFIX: Final = "?OTR"
_ENCODED_PREFIX: Final = "?OTR:"
_ERROR_PREFIX: Final = "?OTR Error:"
_V3_FRAGMENT_PREFIX: Final = "?OTR|"
_V2_FRAGMENT_PREFIX: Final = "?OTR,"

#: "Always send "\x20\x09\x20\x20\x09\x09\x09\x09" "\x20\x09\x20\x09\x20\x09\x20\x20",
#: followed by one or more of" the version tags (section "Tagged plaintext messages").
WHITESPACE_BASE: Final = "\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20"
#: The 8-character version tags, by version (1 is recognised, never offered).
WHITESPACE_VERSIONS: Final = {
    1: "\x20\x09\x20\x09\x20\x20\x09\x20",
    2: "\x20\x20\x09\x09\x20\x20\x09\x20",
    3: "\x20\x20\x09\x09\x20\x20\x09\x09",
}
_TAG_TO_VERSION: Final = {tag: version for version, tag in WHITESPACE_VERSIONS.items()}


# --- the message kinds -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plaintext:
    """A plain message; *tag_versions* is what a whitespace tag offered (the tag itself is
    removed from *text*), empty when there was no tag; *tagged* tells whether there was."""

    text: str
    tag_versions: frozenset[int] = frozenset()
    tagged: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """An OTR Query Message offering *versions* (1 when "?OTR?" is present)."""

    versions: frozenset[int]


@dataclass(frozen=True, slots=True)
class ErrorMessage:
    """An OTR Error Message: "Any message containing the string "?OTR Error:""."""

    text: str


class Encoded(NamedTuple):
    """A base-64 encoded binary message, decoded (a named tuple: one is made for every
    message received, and a frozen dataclass costs more to build)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Fragment:
    """One fragment: *version* 3 carries instance tags, version 2 does not (0 here)."""

    version: int
    sender_tag: int
    receiver_tag: int
    k: int
    n: int
    piece: str


Parsed = Plaintext | Query | ErrorMessage | Encoded | Fragment


# --- parsing -----------------------------------------------------------------------------


def _decimal(text: str) -> int:
    """k or n of a fragment: 1 to 5 decimal digits, at most 65535 ("%hu")."""
    if not (1 <= len(text) <= 5 and text.isascii() and text.isdigit()):
        raise OTRDecodeError(f"bad fragment number {text[:8]!r}")
    value = int(text)
    if value > MAX_FRAGMENTS:
        raise OTRDecodeError("fragment number above 65535")
    return value


def _hex_tag(text: str) -> int:
    """An instance tag in a v3 fragment: 1 to 8 hex digits ("%x")."""
    if not (1 <= len(text) <= 8 and all(c in "0123456789abcdefABCDEF" for c in text)):
        raise OTRDecodeError(f"bad fragment instance tag {text[:10]!r}")
    return int(text, 16)


def _parse_fragment(body: str, version: int) -> Fragment:
    """The part after "?OTR|" (v3: "sender|receiver,k,n,piece,") or "?OTR," (v2:
    "k,n,piece,")."""
    if len(body) > MAX_MESSAGE_CHARS:
        raise OTRDecodeError("fragment too long")
    sender = receiver = 0
    if version == 3:
        tags, sep, body = body.partition(",")
        sender_text, bar, receiver_text = tags.partition("|")
        if not sep or not bar:
            raise OTRDecodeError("malformed v3 fragment header")
        sender, receiver = _hex_tag(sender_text), _hex_tag(receiver_text)
    fields = body.split(",")
    # k, n, piece and the empty string after the final comma.
    if len(fields) != 4 or fields[3] != "":
        raise OTRDecodeError("malformed fragment: expected k,n,piece,")
    k, n, piece = _decimal(fields[0]), _decimal(fields[1]), fields[2]
    if not piece:
        raise OTRDecodeError("empty fragment piece: 'each piece[k] must be non-empty'")
    return Fragment(version, sender, receiver, k, n, piece)


def _decode_base64(text: str) -> bytes:
    """Strict base 64 (RFC 4648 section 4): the standard alphabet, padding, and canonical
    (re-encoding gives the same text)."""
    if not text.isascii():
        raise OTRDecodeError("non-ASCII character in base 64")
    try:
        # Strict mode: only the alphabet, "=" only as the final padding, nothing after it.
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        raise OTRDecodeError("bad base 64") from None
    # What strict mode lets through is canonical (re-encodes to the same text) iff it has
    # the length of the canonical encoding and the character before the padding has its
    # unused low-order bits clear (RFC 4648 section 3.5: "the pad bits MUST be set to
    # zero"), four of them before "==", two before "=": every other quantum is four
    # alphabet characters, 24 bits that decode one to one. This spares re-encoding the
    # whole message to compare.
    if len(text) != (len(data) + 2) // 3 * 4:
        raise OTRDecodeError("non-canonical base 64")
    if text.endswith("="):
        if text.endswith("=="):
            if text[-3] not in _LOW_4_BITS_CLEAR:
                raise OTRDecodeError("non-canonical base 64")
        elif text[-2] not in _LOW_2_BITS_CLEAR:
            raise OTRDecodeError("non-canonical base 64")
    return data


#: The base-64 characters whose 6-bit values have their low 4 (2) bits clear: the only
#: ones that may stand before "==" ("=") in a canonical encoding.
_LOW_4_BITS_CLEAR: Final = "AQgw"
_LOW_2_BITS_CLEAR: Final = "AEIMQUYcgkosw048"


def _parse_query(text: str, start: int) -> Query | None:
    """The query message at *start* ("?OTR" then "?" and/or "v...?"), or None."""
    pos = start + len(QUERY_PREFIX)
    versions: set[int] = set()
    matched = False
    if text.startswith("?", pos):
        versions.add(1)
        matched = True
        pos += 1
    if text.startswith("v", pos):
        end = text.find("?", pos + 1)
        if end < 0:
            return Query(frozenset(versions)) if matched else None
        for c in text[pos + 1 : end]:
            if c.isascii() and c.isdigit():
                versions.add(int(c))
        matched = True
    return Query(frozenset(versions)) if matched else None


def _strip_whitespace_tag(text: str) -> Plaintext:
    """Find a whitespace tag, remove it and its version tags, and report the versions."""
    start = text.find(WHITESPACE_BASE)
    if start < 0:
        return Plaintext(text)
    pos = start + len(WHITESPACE_BASE)
    versions: set[int] = set()
    while (version := _TAG_TO_VERSION.get(text[pos : pos + 8])) is not None:
        versions.add(version)
        pos += 8
    return Plaintext(text[:start] + text[pos:], frozenset(versions), True)


def encoded_data(text: str) -> bytes | None:
    """The binary message of *text* if it is exactly one whole encoded message ("?OTR:",
    base 64, "." and nothing else), the common case, which :func:`parse` returns as
    ``Encoded(data)``; None for anything else (what it is, :func:`parse` tells)."""
    if (
        text.startswith(_ENCODED_PREFIX)
        and text.endswith(".")
        and len(text) - len(_ENCODED_PREFIX) - 1 <= MAX_MESSAGE_CHARS
    ):
        # Without scanning the text three times for the fragment prefixes: if everything
        # between "?OTR:" and the final "." is valid base 64, it holds neither "?" nor ".",
        # so that final "." is the first one and no fragment prefix can occur anywhere; the
        # general path of parse would give the same Encoded value.
        try:
            return _decode_base64(text[len(_ENCODED_PREFIX) : -1])
        except OTRDecodeError:
            return None
    return None


def parse(text: str) -> Parsed:
    """Classify a received message. Fragments are looked for first ("you'll need to check for
    this _before_ checking for any of the other "?OTR:" markers"), then encoded messages,
    error messages, query messages and whitespace tags; anything else is plaintext."""
    data = encoded_data(text)
    if data is not None:
        # Encoded(data), without the named tuple's Python __new__.
        return tuple.__new__(Encoded, (data,))
    index = text.find(_V3_FRAGMENT_PREFIX)
    if index >= 0:
        return _parse_fragment(text[index + len(_V3_FRAGMENT_PREFIX) :], 3)
    index = text.find(_V2_FRAGMENT_PREFIX)
    if index >= 0:
        return _parse_fragment(text[index + len(_V2_FRAGMENT_PREFIX) :], 2)
    index = text.find(_ENCODED_PREFIX)
    if index >= 0:
        start = index + len(_ENCODED_PREFIX)
        end = text.find(".", start)
        if end < 0:
            raise OTRDecodeError("encoded message without the final '.'")
        if end - start > MAX_MESSAGE_CHARS:
            raise OTRDecodeError("encoded message too long")
        return Encoded(_decode_base64(text[start:end]))
    index = text.find(_ERROR_PREFIX)
    if index >= 0:
        return ErrorMessage(text[index + len(_ERROR_PREFIX) :].strip())
    index = text.find(QUERY_PREFIX)
    while index >= 0:
        query = _parse_query(text, index)
        if query is not None:
            return query
        index = text.find(QUERY_PREFIX, index + 1)
    return _strip_whitespace_tag(text)


# --- writing -----------------------------------------------------------------------------


def encode(data: bytes) -> str:
    """ "?OTR:", the base-64 encoding of the binary message, then "."."""
    return f"{_ENCODED_PREFIX}{binascii.b2a_base64(data, newline=False).decode('ascii')}."


def query_message(versions: frozenset[int]) -> str:
    """ "?OTRv23?" and the like (never version 1)."""
    return QUERY_PREFIX + "v" + "".join(str(v) for v in sorted(versions)) + "?"


def whitespace_tag(versions: frozenset[int]) -> str:
    """The base tag followed by the tag of each version in *versions*."""
    return WHITESPACE_BASE + "".join(WHITESPACE_VERSIONS[v] for v in sorted(versions))


def error_message(text: str) -> str:
    """An OTR Error Message carrying *text*."""
    return _ERROR_PREFIX + " " + text


def _fragment_overhead(version: int) -> int:
    """Characters a fragment adds around its piece (with 8-digit tags and 5-digit k, n)."""
    if version == 3:
        return len("?OTR|00000000|00000000,00000,00000,,")
    return len("?OTR,00000,00000,,")


def fragment(message: str, max_size: int, version: int, sender: int, receiver: int) -> list[str]:
    """Split an encoded *message* into fragments of at most *max_size* characters ("?OTR|%x|
    %x,%hu,%hu,%s," for version 3, "?OTR,%hu,%hu,%s," for version 2; tags written with 8
    digits and k, n with 5 as libotr does). A message that fits is returned whole.
    ValueError when *max_size* leaves no room for a piece or needs more than 65535 pieces."""
    if len(message) <= max_size:
        return [message]
    room = max_size - _fragment_overhead(version)
    if room < 1:
        raise ValueError(f"max_message_size {max_size} leaves no room for a fragment")
    pieces = [message[i : i + room] for i in range(0, len(message), room)]
    n = len(pieces)
    if n > MAX_FRAGMENTS:
        raise ValueError("message needs more than 65535 fragments")
    if version == 3:
        return [
            f"?OTR|{sender:08x}|{receiver:08x},{k:05d},{n:05d},{piece},"
            for k, piece in enumerate(pieces, 1)
        ]
    return [f"?OTR,{k:05d},{n:05d},{piece}," for k, piece in enumerate(pieces, 1)]


# --- reassembly --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reassembly:
    """The stored fragment state (K, N, F) of section "Fragmentation"."""

    k: int = 0
    n: int = 0
    pieces: tuple[str, ...] = ()
    size: int = 0


def reassemble(state: Reassembly, frag: Fragment) -> tuple[Reassembly, str | None, str | None]:
    """One step of "Receiving Fragments": the new state, the complete message when this
    fragment finished one, and a warning when a fragment was dropped."""
    k, n, piece = frag.k, frag.n, frag.piece
    # "If k == 0 or n == 0 or k > n, discard this (illegal) fragment."
    if k == 0 or n == 0 or k > n:
        return state, None, "illegal fragment number"
    if k == 1:
        new = Reassembly(1, n, (piece,), len(piece))
    elif n == state.n and k == state.k + 1:
        new = Reassembly(k, n, (*state.pieces, piece), state.size + len(piece))
    else:
        # "Otherwise: Forget any stored fragment you may have".
        return Reassembly(), None, "fragment out of order; stored fragments dropped"
    if new.size > MAX_MESSAGE_CHARS:
        return Reassembly(), None, "fragmented message too long; dropped"
    # "After this, if N > 0 and K == N, treat F as the received message."
    if new.k == new.n:
        return Reassembly(), "".join(new.pieces), None
    return new, None, None
