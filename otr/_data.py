"""OTR data messages (OTR protocol version 3, "Data Message", "Key Management", "Computing
AES keys, MAC keys, and the secure session id" for data messages, "Extra symmetric key" and
"Revealing MAC keys"), for protocol versions 2 and 3, plus the TLV records of the plaintext.

:class:`DataKeys` is the immutable key state of an encrypted session: our two most recent
D-H key pairs, the correspondent's two most recent public keys, the session keys derived
from each pairing with their counters, and the receiving MAC keys waiting to be revealed.
:func:`encrypt` and :func:`decrypt` are pure functions of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from nocrypto import ciphers, dh, hashes, hmac
from nocrypto import compare_digest as _ct_equal
from otr._ake import Established, generate_dh, secbytes, shared_secret, valid_public
from otr._wire import Header, OTRDecodeError, Reader, encode_data, encode_header, encode_mpi

__all__ = [
    "DATA",
    "FLAG_IGNORE_UNREADABLE",
    "TLV_DISCONNECTED",
    "TLV_EXTRA_SYMMETRIC_KEY",
    "TLV_PADDING",
    "DataKeys",
    "DataMessage",
    "Decrypted",
    "Rejected",
    "SessionKeys",
    "decrypt",
    "encode_tlvs",
    "encrypt",
    "from_established",
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
    """The keys of one pairing (our keyid, their keyid) and its counters: the last top-half
    counter we sent and the last one we accepted."""

    our_keyid: int
    their_keyid: int
    send_aes: bytes
    send_mac: bytes
    recv_aes: bytes
    recv_mac: bytes
    extra_key: bytes
    send_ctr: int = 0
    recv_ctr: int = 0
    #: "you only need to take MAC keys that were actually used to verify a MAC".
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
    )


@dataclass(frozen=True, slots=True, repr=False)
class DataKeys:
    """Key management state: our_dh[our_keyid] (``our_dh``) and our_dh[our_keyid-1]
    (``our_prev_dh``); their_y[their_keyid] and their_y[their_keyid-1] (None when unknown);
    cached session keys by pairing; MAC keys to reveal in the next message we send."""

    our_keyid: int
    our_dh: dh.DHPrivateKey
    our_prev_dh: dh.DHPrivateKey
    their_keyid: int
    their_y: int
    their_prev_y: int | None
    sessions: tuple[SessionKeys, ...] = ()
    reveal: bytes = b""

    def _our_key(self, keyid: int) -> dh.DHPrivateKey | None:
        if keyid == self.our_keyid:
            return self.our_dh
        if keyid == self.our_keyid - 1 and keyid > 0:
            return self.our_prev_dh
        return None

    def _their_key(self, keyid: int) -> int | None:
        if keyid == self.their_keyid:
            return self.their_y
        if keyid == self.their_keyid - 1 and keyid > 0:
            return self.their_prev_y
        return None

    def session(self, our_keyid: int, their_keyid: int) -> SessionKeys | None:
        """The keys for a pairing, from the cache or derived; None for unknown keyids."""
        for keys in self.sessions:
            if keys.our_keyid == our_keyid and keys.their_keyid == their_keyid:
                return keys
        ours, theirs = self._our_key(our_keyid), self._their_key(their_keyid)
        if ours is None or theirs is None:
            return None
        return _derive(ours, our_keyid, theirs, their_keyid)

    def with_session(self, keys: SessionKeys) -> DataKeys:
        """This state with *keys* stored in the cache (replacing its older version)."""
        others = tuple(
            k
            for k in self.sessions
            if (k.our_keyid, k.their_keyid) != (keys.our_keyid, keys.their_keyid)
        )
        return replace(self, sessions=(*others, keys))

    def sending_keys(self) -> SessionKeys:
        """The keys of the pairing we send with: our_dh[our_keyid-1] and
        their_y[their_keyid]."""
        keys = self.session(self.our_keyid - 1, self.their_keyid)
        assert keys is not None  # both keys always exist
        return keys


def from_established(done: Established, random: Random) -> DataKeys:
    """The key state after an AKE: "generate two DH key pairs for yourself, and set our_keyid
    = 2" (the AKE used our_dh[1]); "set their_keyid to the keyid value given in the AKE
    messages, and their_y[their_keyid] to the DH pubkey ... their_y[their_keyid-1] should be
    set to NULL"."""
    return DataKeys(
        our_keyid=done.our_keyid + 1,
        our_dh=generate_dh(random),
        our_prev_dh=done.our_dh,
        their_keyid=done.their_keyid,
        their_y=done.their_y,
        their_prev_y=None,
    )


def _forget(keys: DataKeys, keep: Callable[[SessionKeys], bool]) -> DataKeys:
    """Drop the cached pairings that *keep* rejects, queueing their used receiving MAC keys
    for revelation ("Revealing MAC keys")."""
    kept: list[SessionKeys] = []
    reveal = keys.reveal
    for s in keys.sessions:
        if keep(s):
            kept.append(s)
        elif s.recv_mac_used:
            reveal += s.recv_mac
    return replace(keys, sessions=tuple(kept), reveal=reveal)


# --- the message -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DataMessage:
    """A parsed Data Message; *authenticated* is the byte range the MAC covers ("everything
    from the Protocol version to the end of the encrypted message")."""

    header: Header
    flags: int
    sender_keyid: int
    recipient_keyid: int
    next_y: int
    ctr: bytes
    encrypted: bytes
    mac: bytes
    old_mac_keys: bytes
    authenticated: bytes


def parse_data_message(header: Header, raw: bytes, body: Reader) -> DataMessage:
    """The fields after the header (*raw* is the whole message, for the MAC)."""
    flags = body.u8()
    sender_keyid = body.u32()
    recipient_keyid = body.u32()
    next_y = body.mpi()
    ctr = body.ctr()
    encrypted = body.data(_MAX_FIELD)
    authenticated = raw[: len(raw) - body.remaining]
    mac = body.mac()
    old = body.data(_MAX_FIELD)
    body.expect_end()
    return DataMessage(
        header,
        flags,
        sender_keyid,
        recipient_keyid,
        next_y,
        ctr,
        encrypted,
        mac,
        old,
        authenticated,
    )


def encrypt(
    keys: DataKeys, header: Header, plain: bytes, flags: int = 0
) -> tuple[DataKeys, bytes, bytes]:
    """A Data Message carrying *plain*: the new key state, the message bytes and the extra
    symmetric key of the pairing used. "Set the sender keyid to (our_keyid-1), and the
    recipient keyid to (their_keyid). Set the DH pubkey in the Data message to the public part
    of our_dh[our_keyid]"; the counter increases for each message of the pairing; the MAC
    keys queued for revelation go out and are forgotten."""
    session = keys.sending_keys()
    ctr = session.send_ctr + 1
    if ctr >= 1 << 64:
        raise ValueError("data message counter exhausted for this key pair")
    top = ctr.to_bytes(8, "big")
    encrypted = ciphers.AES_CTR(session.send_aes).crypt(top + bytes(8), plain)
    body = (
        encode_header(header)
        + bytes((flags,))
        + (keys.our_keyid - 1).to_bytes(4, "big")
        + keys.their_keyid.to_bytes(4, "big")
        + encode_mpi(keys.our_dh.public_key().y)
        + top
        + encode_data(encrypted)
    )
    mac = hmac.digest(session.send_mac, body, "sha1")
    message = body + mac + encode_data(keys.reveal)
    new = replace(keys.with_session(replace(session, send_ctr=ctr)), reveal=b"")
    return new, message, session.extra_key


@dataclass(frozen=True, slots=True)
class Decrypted:
    """An authenticated, decrypted data message and the key state after it."""

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
    session = keys.session(ours, theirs)
    if session is None:
        return Rejected(f"unknown keyids (sender {theirs}, recipient {ours})")
    # "Use the "receiving MAC key" to verify the MAC on the message."
    expected = hmac.digest(session.recv_mac, msg.authenticated, "sha1")
    if not _ct_equal(expected, msg.mac):
        return Rejected("bad MAC on a data message")
    # "Check that the counter in the Data message is strictly larger than the last counter
    # you saw using this pair of keys. If not, reject the message."
    ctr = int.from_bytes(msg.ctr, "big")
    if ctr <= session.recv_ctr:
        return Rejected("data message counter not increasing (replay?)", replay=True)
    rotate_theirs = theirs == keys.their_keyid
    if rotate_theirs and not valid_public(msg.next_y):
        return Rejected("illegal next D-H public key in a data message")
    plain = ciphers.AES_CTR(session.recv_aes).crypt(msg.ctr + bytes(8), msg.encrypted)
    new = keys.with_session(replace(session, recv_ctr=ctr, recv_mac_used=True))
    # "If the "recipient keyid" in the Data message equals our_keyid, then he's seen the
    # public part of our most recent DH key pair, so you must securely forget
    # our_dh[our_keyid-1], increment our_keyid, and set our_dh[our_keyid] to a new DH key".
    if ours == new.our_keyid:
        dropped = new.our_keyid - 1
        new = _forget(new, lambda s: s.our_keyid != dropped)
        new = replace(
            new, our_keyid=new.our_keyid + 1, our_prev_dh=new.our_dh, our_dh=generate_dh(random)
        )
    # "If the "sender keyid" in the Data message equals their_keyid, increment their_keyid,
    # and set their_y[their_keyid] to the new DH pubkey specified in the Data message."
    if rotate_theirs:
        dropped = new.their_keyid - 1
        new = _forget(new, lambda s: s.their_keyid != dropped)
        new = replace(
            new, their_keyid=new.their_keyid + 1, their_prev_y=new.their_y, their_y=msg.next_y
        )
    return Decrypted(new, plain, session.extra_key)
