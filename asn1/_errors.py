"""Errors of the asn1 package.

Decoding failures are :class:`DecodeError`, encoding failures :class:`EncodeError`; both name
the path of the field they happened in (``tbsCertificate.validity.notBefore: ...``). A grammar
that is ambiguous or malformed is refused when it is built, with :class:`GrammarError`.
"""

from __future__ import annotations


def _join(path: list[str]) -> str:
    out = ""
    for part in path:
        if part.startswith("[") or not out:
            out += part
        else:
            out += "." + part
    return out


class _PathError(ValueError):
    """Base of the two codec errors: a reason, the field path and (for decoding) an offset."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset
        self._path: list[str] = []

    @property
    def path(self) -> str:
        """The dotted path of the field that failed, outermost first ('' at the top)."""
        return _join(self._path)

    def within(self, name: str) -> _PathError:
        """Record that the failure happened inside the field *name* (called while unwinding)."""
        self._path.insert(0, name)
        return self

    def __str__(self) -> str:
        where = f" (at byte {self.offset})" if self.offset is not None else ""
        path = self.path
        return f"{path}: {self.reason}{where}" if path else f"{self.reason}{where}"


class DecodeError(_PathError):
    """The input is not a valid encoding of the grammar (or breaks a DER rule or a limit)."""


class EncodeError(_PathError):
    """The value cannot be encoded with the grammar (wrong type, out of range, bad charset)."""


class GrammarError(ValueError):
    """A grammar is ill-formed: an ambiguous CHOICE or OPTIONAL tag set, a duplicate name, ..."""
