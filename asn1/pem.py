"""PEM textual encoding (RFC 7468).

:func:`decode` reads every ``-----BEGIN label-----`` ... ``-----END label-----`` block of a
text (a bundle), ignoring explanatory text between blocks (RFC 7468 section 2); the base64 is
checked strictly, the END label must match the BEGIN label. :func:`encode` writes the strict
form: 64-column lines (RFC 7468 section 3, ``stricttextualmsg``).
"""

from __future__ import annotations

import base64
import binascii
import re

from ._errors import DecodeError

__all__ = ["decode", "decode_one", "encode", "looks_like_pem"]

# RFC 7468 section 3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E
_LABEL = r"(?:[\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*)?"
_BEGIN = re.compile(rb"^-----BEGIN (" + _LABEL.encode() + rb")-----[ \t]*\r?$", re.M)
_END = re.compile(rb"^-----END (" + _LABEL.encode() + rb")-----[ \t]*\r?$", re.M)
_B64 = re.compile(rb"[A-Za-z0-9+/=\s]*")
MAX_PEM_SIZE = 64 * 1024 * 1024


def looks_like_pem(data: bytes) -> bool:
    """True if *data* holds a PEM BEGIN line."""
    return _BEGIN.search(data) is not None


def decode(text: str | bytes, label: str | None = None) -> list[tuple[str, bytes]]:
    """All PEM blocks of *text*, as ``(label, der)`` pairs, in order.

    With *label*, only blocks of that label are returned (others are skipped). A block that
    is broken (bad base64, no END line, mismatched END label) is a :class:`DecodeError`.
    """
    raw = text.encode("ascii", "replace") if isinstance(text, str) else bytes(text)
    if len(raw) > MAX_PEM_SIZE:
        raise DecodeError(f"PEM input larger than {MAX_PEM_SIZE} bytes")
    out: list[tuple[str, bytes]] = []
    pos = 0
    while True:
        begin = _BEGIN.search(raw, pos)
        if begin is None:
            return out
        name = begin.group(1).decode("ascii")
        end = _END.search(raw, begin.end())
        if end is None:
            raise DecodeError(f"PEM block {name!r} has no END line", begin.start())
        if end.group(1).decode("ascii") != name:
            raise DecodeError(
                f"PEM block {name!r} ends with label {end.group(1).decode('ascii')!r}",
                end.start(),
            )
        body = raw[begin.end() : end.start()]
        if not _B64.fullmatch(body):
            raise DecodeError(f"PEM block {name!r}: headers or non-base64 text", begin.end())
        try:
            der = binascii.a2b_base64(b"".join(body.split()), strict_mode=True)
        except binascii.Error as e:
            raise DecodeError(f"PEM block {name!r}: bad base64 ({e})", begin.end()) from None
        if label is None or name == label:
            out.append((name, der))
        pos = end.end()


def decode_one(text: str | bytes, label: str) -> bytes:
    """The DER of the only block labelled *label* (DecodeError if there is not exactly one)."""
    blocks = decode(text, label)
    if len(blocks) != 1:
        raise DecodeError(f"expected exactly one PEM block {label!r}, found {len(blocks)}")
    return blocks[0][1]


def encode(label: str, der: bytes) -> str:
    """One PEM block, base64 in lines of 64 characters, ending with a newline."""
    if not re.fullmatch(_LABEL, label):
        raise ValueError(f"not a valid PEM label: {label!r}")
    b64 = base64.b64encode(der).decode("ascii")
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----", ""])
