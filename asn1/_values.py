"""Python values for the ASN.1 types that have no exact built-in counterpart."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_DOTTED = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))+")
# Python refuses int <-> decimal conversions of more than 4300 digits; an arc is also kept
# well below that so that str() of any decoded OID works (an explicit limit on arc size).
MAX_ARC_DIGITS = 1000


class OID(str):
    """An OBJECT IDENTIFIER in dotted form (X.680 32), e.g. ``OID("2.5.4.3")``.

    A ``str`` subclass, so it compares equal to (and hashes like) its dotted string and can
    key the same dictionaries. The constructor checks X.690 8.19.4: at least two arcs, the
    first 0, 1 or 2, the second below 40 when the first is 0 or 1.
    """

    __slots__ = ()

    def __new__(cls, value: str | Iterable[int]) -> OID:
        dotted = value if isinstance(value, str) else ".".join(str(a) for a in value)
        if not _DOTTED.fullmatch(dotted):
            raise ValueError(f"not a dotted OID with at least two arcs: {dotted!r}")
        parts = dotted.split(".")
        if any(len(p) > MAX_ARC_DIGITS for p in parts):
            raise ValueError(f"OID arc longer than {MAX_ARC_DIGITS} digits")
        first, second = int(parts[0]), int(parts[1])
        if first > 2 or (first < 2 and second >= 40):
            raise ValueError(f"OID {dotted}: first arc must be 0-2, second below 40 under 0/1")
        return str.__new__(cls, dotted)

    @classmethod
    def _trusted(cls, dotted: str) -> OID:
        return str.__new__(cls, dotted)

    @property
    def arcs(self) -> tuple[int, ...]:
        """The arcs as integers."""
        return tuple(int(a) for a in self.split("."))

    def __repr__(self) -> str:
        return f"OID({str.__repr__(self)})"


@dataclass(frozen=True, slots=True)
class BitString:
    """A BIT STRING: *data* holds the bits, first bit in the high bit of the first octet;
    the last *unused* (0-7) low bits of the last octet are padding and must be zero
    (X.690 11.2.1)."""

    data: bytes
    unused: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.data, bytes) or not isinstance(self.unused, int):
            raise TypeError("BitString(data: bytes, unused: int)")
        if not 0 <= self.unused <= 7:
            raise ValueError("unused bits must be in 0..7")
        if not self.data and self.unused:
            raise ValueError("an empty bit string has no unused bits")
        if self.data and self.data[-1] & ((1 << self.unused) - 1):
            raise ValueError("padding bits of a bit string must be zero")

    @classmethod
    def from_bits(cls, bits: Iterable[bool | int]) -> BitString:
        """Build from a sequence of bits, first bit first."""
        bl = [1 if b else 0 for b in bits]
        out = bytearray((len(bl) + 7) // 8)
        for i, b in enumerate(bl):
            if b:
                out[i >> 3] |= 0x80 >> (i & 7)
        return cls(bytes(out), (8 - len(bl) % 8) % 8)

    def bits(self) -> tuple[bool, ...]:
        """The bits, first bit first."""
        return tuple(bool(self.data[i >> 3] & (0x80 >> (i & 7))) for i in range(len(self)))

    def __len__(self) -> int:
        return len(self.data) * 8 - self.unused

    def octets(self) -> bytes:
        """The content as whole octets (keys, signatures); ValueError if there is padding."""
        if self.unused:
            raise ValueError("bit string is not a whole number of octets")
        return self.data


@dataclass(frozen=True, slots=True)
class Encoded(Generic[T]):
    """A decoded value together with the exact bytes of its encoding (X.509 signs the exact
    ``tbsCertificate`` bytes). Encoding an ``Encoded`` encodes ``value``."""

    value: T
    encoding: bytes = b""
