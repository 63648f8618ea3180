"""OTR data messages (OTR protocol version 3, "Data Message", "Key Management", "Computing
AES keys, MAC keys, and the secure session id" for data messages, "Extra symmetric key" and
"Revealing MAC keys"), for protocol versions 2 and 3, plus the TLV records of the plaintext.

:class:`DataKeys` is the immutable key state of an encrypted session: our two most recent
D-H key pairs and the correspondent's two most recent public keys (:class:`DHKeys`, which
changes only when a key rotates), the session keys derived from each pairing with their
counters (:class:`Pairing`, :class:`SessionKeys`), and the receiving MAC keys waiting to be
revealed. :func:`encrypt` and :func:`decrypt` are pure functions of it. Keys are derived and
AES key schedules expanded once per pairing; a message rebuilds only a DataKeys and a
Pairing.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final, NamedTuple

from nocrypto import ciphers, dh, hashes, hmac
from nocrypto import compare_digest as _ct_equal
from otr._ake import Established, generate_dh, secbytes, shared_secret, valid_public
from otr._wire import (
    CTR_BYTES,
    MAC_BYTES,
    MAX_MPI_BYTES,
    Header,
    OTRDecodeError,
    Reader,
    encode_mpi,
)

__all__ = [
    "DATA",
    "FLAG_IGNORE_UNREADABLE",
    "TLV_DISCONNECTED",
    "TLV_EXTRA_SYMMETRIC_KEY",
    "TLV_PADDING",
    "DHKeys",
    "DataKeys",
    "DataMessage",
    "Decrypted",
    "Pairing",
    "Rejected",
    "SessionKeys",
    "decrypt",
    "encode_tlvs",
    "encrypt",
    "from_established",
    "parse_data_body",
    "parse_data_message",
    "parse_tlvs",
    "split_plaintext",
]

Random = Callable[[int], bytes]

#: "The Data Message has type 0x03."
DATA: Final = 0x03
#: "IGNORE_UNREADABLE (0x01)".
FLAG_IGNORE_UNREADABLE: Final = 0x01
TLV_PADDING: Final = 0
TLV_DISCONNECTED: Final = 1
TLV_EXTRA_SYMMETRIC_KEY: Final = 8
#: The most TLV records read from one message (each costs at least 4 bytes anyway).
MAX_TLVS: Final = 1024
# The largest DATA field of a data message: the encrypted message is bounded by the message
# layer (otr._message.MAX_MESSAGE_CHARS of base 64), so this only guards the length word.
_MAX_FIELD: Final = 1 << 20
#: Flags (BYTE), sender keyid and recipient keyid (INT), the length of the MPI after them.
_BODY_START: Final = struct.Struct(">BIII")
#: CTR (8 bytes), then the length of the encrypted message (DATA).
_CTR_AND_SIZE: Final = struct.Struct(f">{CTR_BYTES}sI")
#: MAC (20 bytes), then the length of the old MAC keys (DATA).
_MAC_AND_SIZE: Final = struct.Struct(f">{MAC_BYTES}sI")
_KEYIDS: Final = struct.Struct(">II")
#: bytes((b,)) for each byte value b (the flags byte of a message we send).
_BYTES: Final = tuple(bytes((b,)) for b in range(256))
#: ``tuple.__new__``: ``_new_tuple(Pairing, (k, s, r, u))`` is ``Pairing(k, s, r, u)``
#: without the Python-level ``__new__`` of a named tuple (half the cost), for the records
#: made on every message; each use gives every field.
_new_tuple: Final = tuple.__new__
#: The low half of the initial counter block: "whose last 8 bytes are all 0".
_ZERO_HALF: Final = bytes(8)
#: The old MAC keys field (DATA) of a message that reveals none: a zero length.
_NO_OLD_KEYS: Final = bytes(4)


# --- TLVs --------------------------------------------------------------------------------


def encode_tlvs(tlvs: tuple[tuple[int, bytes], ...]) -> bytes:
    """Type (SHORT), Length (SHORT), Value for each record, "with no padding between them".
    ValueError for a value longer than 65535 bytes."""
    out = b""
    for kind, value in tlvs:
        if len(value) > 0xFFFF:
            raise ValueError("a TLV value is at most 65535 bytes")
        out += kind.to_bytes(2, "big") + len(value).to_bytes(2, "big") + value
    return out


def parse_tlvs(data: bytes) -> tuple[tuple[int, bytes], ...]:
    """The TLV records of *data*; OTRDecodeError if they do not fill it exactly."""
    reader = Reader(data)
    out: list[tuple[int, bytes]] = []
    while reader.remaining:
        if len(out) >= MAX_TLVS:
            raise OTRDecodeError("too many TLV records")
        kind = reader.u16()
        out.append((kind, reader.take(reader.u16())))
    return tuple(out)


def split_plaintext(plain: bytes) -> tuple[bytes, bytes | None]:
    """The human-readable part and, after "a single NUL", the TLV bytes (None without it)."""
    human, nul, rest = plain.partition(b"\x00")
    return human, (rest if nul else None)


# --- session keys ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class SessionKeys:
    """The keys of one pairing (our keyid, their keyid), derived once when the pairing is
    first used and never changed: the AES and MAC keys each way, the extra symmetric key,
    and the AES-CTR objects of both AES keys (their key schedules expanded once per pairing,
    not once per message)."""

    our_keyid: int
    their_keyid: int
    send_aes: bytes
    send_mac: bytes
    recv_aes: bytes
    recv_mac: bytes
    extra_key: bytes
    send_cipher: ciphers.AES_CTR = field(compare=False)
    recv_cipher: ciphers.AES_CTR = field(compare=False)


class Pairing(NamedTuple):
    """The state of one pairing: its keys, the last top-half counter we sent with it and
    the last one we accepted, and whether its receiving MAC key verified a message
    ("you only need to take MAC keys that were actually used to verify a MAC").

    Every data message makes a new one, so it is a named tuple: immutable like a frozen
    dataclass, at a fraction of the cost to build (a frozen dataclass sets each field
    through a call of ``object.__setattr__``)."""

    keys: SessionKeys
    send_ctr: int = 0
    recv_ctr: int = 0
    recv_mac_used: bool = False


def _derive(ours: dh.DHPrivateKey, our_keyid: int, their_y: int, their_keyid: int) -> SessionKeys:
    """ "If Alice's public key is numerically greater than Bob's public key, then she is the
    "high" end" (sendbyte 0x01, recvbyte 0x02; the low end the reverse); "the "sending AES
    key" is the first 16 bytes of h1(sendbyte)", "the "sending MAC key" is the 20-byte SHA-1
    hash of the 16-byte sending AES key"; the extra symmetric key is h2(0xFF)."""
    sec = secbytes(shared_secret(ours, their_y))
    high = ours.public_key().y > their_y
    send_byte, recv_byte = (0x01, 0x02) if high else (0x02, 0x01)
    send_aes = hashes.digest("sha1", bytes((send_byte,)) + sec)[:16]
    recv_aes = hashes.digest("sha1", bytes((recv_byte,)) + sec)[:16]
    return SessionKeys(
        our_keyid,
        their_keyid,
        send_aes,
        hashes.digest("sha1", send_aes),
        recv_aes,
        hashes.digest("sha1", recv_aes),
        hashes.digest("sha256", b"\xff" + sec),
        ciphers.AES_CTR(send_aes),
        ciphers.AES_CTR(recv_aes),
    )


@dataclass(frozen=True, slots=True, repr=False)
class DHKeys:
    """The D-H half of the key state, which changes only when a key rotates:
    our_dh[our_keyid] (``our_dh``) and our_dh[our_keyid-1] (``our_prev_dh``);
    their_y[their_keyid] and their_y[their_keyid-1] (None when unknown); and
    ``send_fields``, what every message we send carries after its flags until a key
    rotates: the sender keyid (our_keyid-1), the recipient keyid (their_keyid) and the MPI
    of our_dh's public value. None until the first message sent with these keys encodes
    it (:meth:`with_send_fields`), so that the public value of a new key pair is computed
    when it is first needed, as before, not when the pair is made."""

    our_keyid: int
    our_dh: dh.DHPrivateKey
    our_prev_dh: dh.DHPrivateKey
    their_keyid: int
    their_y: int
    their_prev_y: int | None
    send_fields: bytes | None = field(default=None, compare=False)

    def with_send_fields(self) -> DHKeys:
        """These keys with ``send_fields`` encoded: "Set the sender keyid to
        (our_keyid-1), and the recipient keyid to (their_keyid). Set the DH pubkey in the
        Data message to the public part of our_dh[our_keyid]"."""
        fields = _KEYIDS.pack(self.our_keyid - 1, self.their_keyid) + encode_mpi(
            self.our_dh.public_key().y
        )
        return replace(self, send_fields=fields)

    def our_key(self, keyid: int) -> dh.DHPrivateKey | None:
        """our_dh[keyid] if we still have it."""
        if keyid == self.our_keyid:
            return self.our_dh
        if keyid == self.our_keyid - 1 and keyid > 0:
            return self.our_prev_dh
        return None

    def their_key(self, keyid: int) -> int | None:
        """their_y[keyid] if we know it."""
        if keyid == self.their_keyid:
            return self.their_y
        if keyid == self.their_keyid - 1 and keyid > 0:
            return self.their_prev_y
        return None


class DataKeys(NamedTuple):
    """Key management state: the D-H keys (:class:`DHKeys`), the pairings used so far
    (oldest first) and the MAC keys to reveal in the next message we send. A data message
    rebuilds this value and one :class:`Pairing` (named tuples, see there); the rest is
    shared with the old state."""

    dh_keys: DHKeys
    sessions: tuple[Pairing, ...]
    reveal: bytes

    def __repr__(self) -> str:
        # The keyids only: no key material in logs and tracebacks.
        return f"DataKeys(our_keyid={self.our_keyid}, their_keyid={self.their_keyid})"

    @property
    def our_keyid(self) -> int:
        """our_keyid: the keyid of our most recent D-H key."""
        return self.dh_keys.our_keyid

    @property
    def our_dh(self) -> dh.DHPrivateKey:
        """our_dh[our_keyid]."""
        return self.dh_keys.our_dh

    @property
    def our_prev_dh(self) -> dh.DHPrivateKey:
        """our_dh[our_keyid-1]."""
        return self.dh_keys.our_prev_dh

    @property
    def their_keyid(self) -> int:
        """their_keyid: the keyid of the correspondent's most recent D-H key."""
        return self.dh_keys.their_keyid

    @property
    def their_y(self) -> int:
        """their_y[their_keyid]."""
        return self.dh_keys.their_y

    @property
    def their_prev_y(self) -> int | None:
        """their_y[their_keyid-1] (None when unknown)."""
        return self.dh_keys.their_prev_y

    def pairing(self, our_keyid: int, their_keyid: int) -> Pairing | None:
        """The state of a pairing, from the cache or newly derived (not stored: see
        :meth:`with_pairing`); None for unknown keyids."""
        for p in self.sessions:
            keys = p.keys
            if keys.our_keyid == our_keyid and keys.their_keyid == their_keyid:
                return p
        ours, theirs = self.dh_keys.our_key(our_keyid), self.dh_keys.their_key(their_keyid)
        if ours is None or theirs is None:
            return None
        return Pairing(_derive(ours, our_keyid, theirs, their_keyid))

    def with_pairing(self, old: Pairing, new: Pairing, reveal: bytes) -> DataKeys:
        """This state with *new* stored in place of *old* (*old* as :meth:`pairing` gave
        it, cached or not; *new* goes last) and *reveal* queued for revelation."""
        sessions = self.sessions
        if len(sessions) == 1 and sessions[0] is old:  # the common case: one pairing in use
            sessions = (new,)
        elif sessions and sessions[-1] is old:
            sessions = (*sessions[:-1], new)
        else:
            sessions = (*(p for p in sessions if p is not old), new)
        return _new_tuple(DataKeys, (self.dh_keys, sessions, reveal))


def from_established(done: Established, random: Random) -> DataKeys:
    """The key state after an AKE: "generate two DH key pairs for yourself, and set our_keyid
    = 2" (the AKE used our_dh[1]); "set their_keyid to the keyid value given in the AKE
    messages, and their_y[their_keyid] to the DH pubkey ... their_y[their_keyid-1] should be
    set to NULL"."""
    keys = DHKeys(
        our_keyid=done.our_keyid + 1,
        our_dh=generate_dh(random),
        our_prev_dh=done.our_dh,
        their_keyid=done.their_keyid,
        their_y=done.their_y,
        their_prev_y=None,
    )
    return DataKeys(keys, (), b"")


def _forget(
    sessions: tuple[Pairing, ...], reveal: bytes, keep: Callable[[SessionKeys], bool]
) -> tuple[tuple[Pairing, ...], bytes]:
    """Drop the pairings whose keys *keep* rejects, queueing their used receiving MAC keys
    for revelation ("Revealing MAC keys")."""
    kept: list[Pairing] = []
    for p in sessions:
        if keep(p.keys):
            kept.append(p)
        elif p.recv_mac_used:
            reveal += p.keys.recv_mac
    return tuple(kept), reveal


# --- the message -------------------------------------------------------------------------


class DataMessage(NamedTuple):
    """A parsed Data Message; *authenticated* is the byte range the MAC covers ("everything
    from the Protocol version to the end of the encrypted message"). A named tuple, as
    :class:`otr._wire.Header`: one is made per message received."""

    header: Header
    flags: int
    sender_keyid: int
    recipient_keyid: int
    #: The next D-H public key, as the bytes of its MPI (see :attr:`next_y`).
    next_y_bytes: bytes
    ctr: bytes
    encrypted: bytes
    mac: bytes
    old_mac_keys: bytes
    authenticated: bytes

    @property
    def next_y(self) -> int:
        """The next D-H public key (converted only when asked: a key rotation needs it, most
        messages do not)."""
        return int.from_bytes(self.next_y_bytes, "big")


def parse_data_message(header: Header, raw: bytes, body: Reader) -> DataMessage:
    """The fields after the header: *raw* is the whole message and *body* a reader over it
    that has read the header. Flags (BYTE), sender and recipient keyids (INT), the next D-H
    public key (MPI), the top half of the counter (CTR), the encrypted message (DATA), the
    MAC (MAC), the old MAC keys (DATA).

    The reader's fast path for the one structure parsed for every data message: the rest of
    the message is read in place with three fixed-layout unpacks, under the rules of
    ``Reader.mpi`` and ``Reader.data`` (at most MAX_MPI_BYTES and no leading zero byte in
    the MPI, each DATA field at most its limit, nothing left over). Any violation is an
    OTRDecodeError, as from the reader."""
    # The fields are read in place from *raw* (the reader's bytes), from where the reader
    # stands to the end, which it then marks read.
    return parse_data_body(header, raw, len(raw) - body.skip_rest())


def parse_data_body(header: Header, raw: bytes, start: int) -> DataMessage:
    """:func:`parse_data_message` for a header that ends at offset *start* of *raw* (the
    whole message), without a reader."""
    size = len(raw)
    if start + _BODY_START.size > size:
        raise OTRDecodeError(f"truncated data message: {size - start} bytes after the header")
    flags, sender_keyid, recipient_keyid, y_size = _BODY_START.unpack_from(raw, start)
    if y_size > MAX_MPI_BYTES:
        raise OTRDecodeError(f"MPI of {y_size} bytes exceeds the limit of {MAX_MPI_BYTES}")
    y_at = start + _BODY_START.size
    ctr_at = y_at + y_size
    if ctr_at + _CTR_AND_SIZE.size > size:
        raise OTRDecodeError("truncated data message: no room for the MPI and the CTR")
    if y_size and raw[y_at] == 0:  # y_at < ctr_at < size
        raise OTRDecodeError("MPI with a leading zero byte (not minimal)")
    ctr, encrypted_size = _CTR_AND_SIZE.unpack_from(raw, ctr_at)
    if encrypted_size > _MAX_FIELD:
        raise OTRDecodeError(f"DATA field of {encrypted_size} bytes exceeds the limit")
    encrypted_at = ctr_at + _CTR_AND_SIZE.size
    mac_at = encrypted_at + encrypted_size
    if mac_at + _MAC_AND_SIZE.size > size:
        raise OTRDecodeError("truncated data message: no room for the message and the MAC")
    mac, old_size = _MAC_AND_SIZE.unpack_from(raw, mac_at)
    if old_size > _MAX_FIELD:
        raise OTRDecodeError(f"DATA field of {old_size} bytes exceeds the limit")
    old_at = mac_at + _MAC_AND_SIZE.size
    if old_at + old_size != size:
        raise OTRDecodeError(
            f"data message of {size - start} bytes after the header, "
            f"not {old_at + old_size - start}"
        )
    return _new_tuple(
        DataMessage,
        (
            header,
            flags,
            sender_keyid,
            recipient_keyid,
            raw[y_at:ctr_at],
            ctr,
            raw[encrypted_at:mac_at],
            mac,
            raw[old_at:],
            # "everything from the Protocol version to the end of the encrypted message".
            raw[:mac_at],
        ),
    )


def encrypt(
    keys: DataKeys, header: bytes, plain: bytes, flags: int = 0
) -> tuple[DataKeys, bytes, bytes]:
    """A Data Message carrying *plain* after the encoded *header* (``encode_header``): the
    new key state, the message bytes and the extra symmetric key of the pairing used. The
    keyids and the next D-H public key are ``DHKeys.send_fields``; the counter increases
    for each message of the pairing; the MAC keys queued for revelation go out and are
    forgotten."""
    dhk = keys.dh_keys
    fields = dhk.send_fields
    if fields is None:
        # The first message since the keys changed encodes their fields, once.
        dhk = dhk.with_send_fields()
        fields = dhk.send_fields
        assert fields is not None
    pairing = keys.pairing(dhk.our_keyid - 1, dhk.their_keyid)
    assert pairing is not None  # both keys always exist
    session = pairing.keys
    ctr = pairing.send_ctr + 1
    if ctr >= 1 << 64:
        raise ValueError("data message counter exhausted for this key pair")
    top = ctr.to_bytes(8, "big")
    # "the initial counter is a 16-byte value whose first 8 bytes are the above "top half
    # of counter init" value, and whose last 8 bytes are all 0".
    encrypted = session.send_cipher.crypt(top + _ZERO_HALF, plain)
    body = b"".join(
        (
            header,
            _BYTES[flags],
            fields,
            top,
            len(encrypted).to_bytes(4, "big"),
            encrypted,
        )
    )
    mac = hmac.digest(session.send_mac, body, "sha1")
    reveal = keys.reveal
    if reveal:
        message = b"".join((body, mac, len(reveal).to_bytes(4, "big"), reveal))
    else:
        message = b"".join((body, mac, _NO_OLD_KEYS))
    sent = _new_tuple(Pairing, (session, ctr, pairing.recv_ctr, pairing.recv_mac_used))
    new = keys.with_pairing(pairing, sent, b"")
    if dhk is not keys.dh_keys:
        new = DataKeys(dhk, new.sessions, new.reveal)
    return new, message, session.extra_key


class Decrypted(NamedTuple):
    """An authenticated, decrypted data message and the key state after it (a named tuple,
    as :class:`Pairing`: one per message)."""

    keys: DataKeys
    plain: bytes
    extra_key: bytes


@dataclass(frozen=True, slots=True)
class Rejected:
    """A data message that did not verify; *replay* for a counter not above the last one."""

    reason: str
    replay: bool = False


def decrypt(keys: DataKeys, msg: DataMessage, random: Random) -> Decrypted | Rejected:
    """ "When you receive a Data Message": select the keys by keyid, verify the MAC, check the
    counter, decrypt, then rotate keys."""
    theirs, ours = msg.sender_keyid, msg.recipient_keyid
    # "Must be strictly greater than 0"; "If the keyids do not represent either the most
    # recent key or the previous key (for either the sender or receiver), reject the message.
    # Also reject the message if the sender keyid is their_keyid-1, but
    # their_y[their_keyid-1] is NULL."
    if theirs == 0 or ours == 0:
        return Rejected("keyid 0 in a data message")
    pairing = keys.pairing(ours, theirs)
    if pairing is None:
        return Rejected(f"unknown keyids (sender {theirs}, recipient {ours})")
    session = pairing.keys
    # "Use the "receiving MAC key" to verify the MAC on the message."
    expected = hmac.digest(session.recv_mac, msg.authenticated, "sha1")
    if not _ct_equal(expected, msg.mac):
        return Rejected("bad MAC on a data message")
    # "Check that the counter in the Data message is strictly larger than the last counter
    # you saw using this pair of keys. If not, reject the message."
    ctr = int.from_bytes(msg.ctr, "big")
    if ctr <= pairing.recv_ctr:
        return Rejected("data message counter not increasing (replay?)", replay=True)
    dhk = keys.dh_keys
    rotate_theirs = theirs == dhk.their_keyid
    next_y = int.from_bytes(msg.next_y_bytes, "big") if rotate_theirs else 0
    if rotate_theirs and not valid_public(next_y):
        return Rejected("illegal next D-H public key in a data message")
    plain = session.recv_cipher.crypt(msg.ctr + _ZERO_HALF, msg.encrypted)
    received = _new_tuple(Pairing, (session, pairing.send_ctr, ctr, True))
    new = keys.with_pairing(pairing, received, keys.reveal)
    rotate_ours = ours == dhk.our_keyid
    if not (rotate_ours or rotate_theirs):
        return _new_tuple(Decrypted, (new, plain, session.extra_key))
    our_keyid, our_dh, our_prev_dh = dhk.our_keyid, dhk.our_dh, dhk.our_prev_dh
    their_keyid, their_y, their_prev_y = dhk.their_keyid, dhk.their_y, dhk.their_prev_y
    sessions, reveal = new.sessions, new.reveal
    # "If the "recipient keyid" in the Data message equals our_keyid, then he's seen the
    # public part of our most recent DH key pair, so you must securely forget
    # our_dh[our_keyid-1], increment our_keyid, and set our_dh[our_keyid] to a new DH key".
    if rotate_ours:
        dropped = our_keyid - 1
        sessions, reveal = _forget(sessions, reveal, lambda s: s.our_keyid != dropped)
        our_keyid, our_prev_dh, our_dh = our_keyid + 1, our_dh, generate_dh(random)
    # "If the "sender keyid" in the Data message equals their_keyid, increment their_keyid,
    # and set their_y[their_keyid] to the new DH pubkey specified in the Data message."
    if rotate_theirs:
        dropped = their_keyid - 1
        sessions, reveal = _forget(sessions, reveal, lambda s: s.their_keyid != dropped)
        their_keyid, their_prev_y, their_y = their_keyid + 1, their_y, next_y
    rotated = DHKeys(our_keyid, our_dh, our_prev_dh, their_keyid, their_y, their_prev_y)
    return Decrypted(DataKeys(rotated, sessions, reveal), plain, session.extra_key)
