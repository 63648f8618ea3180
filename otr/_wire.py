"""OTR data types (OTR protocol version 3, "Data types" and "Public keys, signatures, and
fingerprints"): BYTE, SHORT, INT, MPI, DATA, CTR, MAC, PUBKEY and SIG, one reader cursor
and the writers beside it, plus the header of every encoded message (protocol version,
message type and, for version 3, the sender and receiver instance tags).

Every read goes through :class:`Reader`, which raises :class:`OTRDecodeError` and nothing
else on any input; the engine maps that error to an event (``otr.handle`` never raises on
peer input).
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from nocrypto import dsa, hashes

__all__ = [
    "CTR_BYTES",
    "MAC_BYTES",
    "MAX_MPI_BYTES",
    "MIN_INSTANCE_TAG",
    "PUBKEY_TYPE_DSA",
    "Header",
    "OTRDecodeError",
    "Reader",
    "encode_data",
    "encode_header",
    "encode_int",
    "encode_mpi",
    "encode_pubkey",
    "encode_short",
    "encode_sig",
    "fingerprint",
    "human_fingerprint",
    "mpi_bytes",
]

#: The longest MPI value accepted, in bytes: room for an 8192-bit DSA p (nocrypto's
#: largest modulus); every OTR value (1536-bit DH and SMP values, DSA-1024) is far shorter.
MAX_MPI_BYTES: Final = 1024
#: "DSA public keys have type 0x0000" (section "Public keys, signatures, and fingerprints").
PUBKEY_TYPE_DSA: Final = 0x0000
#: "The smallest valid instance tag is 0x00000100" (section "Instance Tags").
MIN_INSTANCE_TAG: Final = 0x100
#: "len is the length of the DSA public parameter q, which in current implementations must
#: be 20 bytes, or 160 bits" (DSA signature, SIG).
SIG_HALF_BYTES: Final = 20
#: CTR: "8 bytes"; MAC: "20 bytes" (section "Data types").
CTR_BYTES: Final = 8
MAC_BYTES: Final = 20


#: The 4-byte big-endian length that starts DATA and MPI.
_LENGTH: Final = struct.Struct(">I")


class OTRDecodeError(Exception):
    """A malformed OTR structure (truncated, oversized, non-minimal, out of range)."""


# --- reader ------------------------------------------------------------------------------


class Reader:
    """A cursor over a byte string; every method raises :class:`OTRDecodeError` on a short
    read or a malformed value, never ``IndexError``."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes) -> None:
        self._data = data if type(data) is bytes else bytes(data)
        self._pos = 0

    @property
    def remaining(self) -> int:
        """Bytes left to read."""
        return len(self._data) - self._pos

    @property
    def consumed(self) -> bytes:
        """Everything read so far (for MACs over a prefix of a message)."""
        return self._data[: self._pos]

    def take(self, n: int) -> bytes:
        """The next *n* bytes."""
        # The hot path of every parser: no property, one bounds check, one slice.
        pos = self._pos
        end = pos + n
        if n < 0 or end > len(self._data):
            raise OTRDecodeError(f"truncated: need {n} bytes, {self.remaining} left")
        self._pos = end
        return self._data[pos:end]

    def u8(self) -> int:
        """BYTE: 1 byte unsigned."""
        pos = self._pos
        if pos >= len(self._data):
            raise OTRDecodeError("truncated: need 1 bytes, 0 left")
        self._pos = pos + 1
        return self._data[pos]

    def u16(self) -> int:
        """SHORT: 2 bytes unsigned, big-endian."""
        return int.from_bytes(self.take(2), "big")

    def u32(self) -> int:
        """INT: 4 bytes unsigned, big-endian."""
        return int.from_bytes(self.take(4), "big")

    def unpack(self, fmt: struct.Struct) -> tuple[int, ...]:
        """Fixed-size integer fields in one read: *fmt* is a big-endian ``struct.Struct``
        of unsigned codes only (``B`` BYTE, ``H`` SHORT, ``I`` INT), e.g. ``>BII``."""
        pos = self._pos
        end = pos + fmt.size
        if end > len(self._data):
            raise OTRDecodeError(f"truncated: need {fmt.size} bytes, {self.remaining} left")
        self._pos = end
        values: tuple[int, ...] = fmt.unpack_from(self._data, pos)
        return values

    def data(self, limit: int | None = None) -> bytes:
        """DATA: 4-byte length, then that many bytes (at most *limit* if given)."""
        data, pos = self._data, self._pos
        start = pos + 4
        if start > len(data):
            raise OTRDecodeError(f"truncated: need 4 bytes, {self.remaining} left")
        (n,) = _LENGTH.unpack_from(data, pos)
        if limit is not None and n > limit:
            raise OTRDecodeError(f"DATA field of {n} bytes exceeds the limit of {limit}")
        end = start + n
        if end > len(data):
            raise OTRDecodeError(f"truncated: need {n} bytes, {len(data) - start} left")
        self._pos = end
        return data[start:end]

    def mpi(self) -> int:
        """MPI: 4-byte length, then the big-endian value. "MPIs must use the minimum-length
        encoding; i.e. no leading 0x00 bytes" (section "Data types")."""
        data, pos = self._data, self._pos
        start = pos + 4
        if start > len(data):
            raise OTRDecodeError(f"truncated: need 4 bytes, {self.remaining} left")
        (n,) = _LENGTH.unpack_from(data, pos)
        if n > MAX_MPI_BYTES:
            raise OTRDecodeError(f"MPI of {n} bytes exceeds the limit of {MAX_MPI_BYTES}")
        end = start + n
        if end > len(data):
            raise OTRDecodeError(f"truncated: need {n} bytes, {len(data) - start} left")
        self._pos = end
        raw = data[start:end]
        if raw[:1] == b"\x00":
            raise OTRDecodeError("MPI with a leading zero byte (not minimal)")
        return int.from_bytes(raw, "big")

    def ctr(self) -> bytes:
        """CTR: 8 bytes, the top half of the initial counter."""
        return self.take(CTR_BYTES)

    def mac(self) -> bytes:
        """MAC: 20 bytes."""
        return self.take(MAC_BYTES)

    def pubkey(self) -> dsa.DSAPublicKey:
        """PUBKEY: type SHORT 0x0000, then p, q, g, y as MPIs; a DSA key with a 160-bit q
        and valid domain parameters (nocrypto checks q | p - 1 and g^q = 1)."""
        kind = self.u16()
        if kind != PUBKEY_TYPE_DSA:
            raise OTRDecodeError(f"unsupported public key type {kind:#06x}")
        p, q, g, y = self.mpi(), self.mpi(), self.mpi(), self.mpi()
        if q.bit_length() != 8 * SIG_HALF_BYTES:
            raise OTRDecodeError("DSA q must be 160 bits (SIG halves are 20 bytes)")
        try:
            return dsa.DSAPublicKey(dsa.DSAParameters(p, q, g), y)
        except (ValueError, TypeError) as exc:
            raise OTRDecodeError(f"bad DSA public key: {exc}") from None

    def sig(self) -> tuple[int, int]:
        """SIG: r and s, 20 bytes each, big-endian (no length prefix)."""
        r = int.from_bytes(self.take(SIG_HALF_BYTES), "big")
        s = int.from_bytes(self.take(SIG_HALF_BYTES), "big")
        return r, s

    def rest(self) -> bytes:
        """Everything left."""
        return self.take(self.remaining)

    def skip_rest(self) -> int:
        """Mark everything left as read, without copying it (a caller that parses the
        underlying bytes in place); the number of bytes skipped."""
        n = len(self._data) - self._pos
        self._pos = len(self._data)
        return n

    def expect_end(self) -> None:
        """Fail unless every byte was read (trailing bytes are an error)."""
        if self._pos != len(self._data):
            raise OTRDecodeError(f"{self.remaining} trailing bytes")


# --- writers -----------------------------------------------------------------------------


def encode_short(value: int) -> bytes:
    """SHORT."""
    return value.to_bytes(2, "big")


def encode_int(value: int) -> bytes:
    """INT."""
    return value.to_bytes(4, "big")


def mpi_bytes(value: int) -> bytes:
    """The minimal big-endian bytes of a non-negative integer (empty for 0)."""
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def encode_mpi(value: int) -> bytes:
    """MPI: minimum-length encoding with a 4-byte length."""
    raw = mpi_bytes(value)
    return encode_int(len(raw)) + raw


def encode_data(value: bytes) -> bytes:
    """DATA."""
    return encode_int(len(value)) + value


def encode_pubkey(key: dsa.DSAPublicKey) -> bytes:
    """PUBKEY of a DSA key: type 0x0000, p, q, g, y."""
    params = key.params
    return (
        encode_short(PUBKEY_TYPE_DSA)
        + encode_mpi(params.p)
        + encode_mpi(params.q)
        + encode_mpi(params.g)
        + encode_mpi(key.y)
    )


def encode_sig(signature: tuple[int, int]) -> bytes:
    """SIG: r || s, 20 bytes each."""
    r, s = signature
    return r.to_bytes(SIG_HALF_BYTES, "big") + s.to_bytes(SIG_HALF_BYTES, "big")


def fingerprint(key: dsa.DSAPublicKey) -> bytes:
    """The 20-byte fingerprint: SHA-1 of the PUBKEY encoding, "if the pubkey type is 0x0000,
    those two leading 0x00 bytes are omitted from the data to be hashed"."""
    return hashes.digest("sha1", encode_pubkey(key)[2:])


def human_fingerprint(raw: bytes) -> str:
    """A 20-byte fingerprint as libotr shows it: ``"12345678 90ABCDEF ..."``, five groups of
    eight upper-case hex digits. ValueError for any other length."""
    if not isinstance(raw, bytes | bytearray) or len(raw) != 20:
        raise ValueError("human_fingerprint: a fingerprint is 20 bytes")
    text = bytes(raw).hex().upper()
    return " ".join(text[i : i + 8] for i in range(0, 40, 8))


# --- message header ----------------------------------------------------------------------


class Header(NamedTuple):
    """The start of every encoded message: protocol version (SHORT), message type (BYTE)
    and, in version 3, the sender and receiver instance tags (INT each; 0 in version 2).

    A named tuple rather than a frozen dataclass: one is made for every message received,
    and a frozen dataclass costs an ``object.__setattr__`` call per field to build (several
    times the whole tuple)."""

    version: int
    type: int
    sender_tag: int = 0
    receiver_tag: int = 0

    @staticmethod
    def read(reader: Reader) -> Header:
        """Read a header for version 2 or 3; other versions are a decode error."""
        version, kind = reader.unpack(_VERSION_TYPE)
        if version == 3:
            sender, receiver = reader.unpack(_INSTANCE_TAGS)
            # Header(3, kind, sender, receiver), without the named tuple's Python __new__.
            return tuple.__new__(Header, (3, kind, sender, receiver))
        if version == 2:
            return Header(2, kind)
        raise OTRDecodeError(f"unsupported protocol version {version}")


#: Protocol version (SHORT) and message type (BYTE).
_VERSION_TYPE: Final = struct.Struct(">HB")
#: Sender and receiver instance tags (INT each), version 3 only.
_INSTANCE_TAGS: Final = struct.Struct(">II")


def encode_header(header: Header) -> bytes:
    """The bytes of *header* (instance tags only for version 3)."""
    out = encode_short(header.version) + bytes((header.type,))
    if header.version == 3:
        out += encode_int(header.sender_tag) + encode_int(header.receiver_tag)
    return out
