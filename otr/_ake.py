"""The OTR authenticated key exchange (OTR protocol version 3, "Authenticated Key Exchange
(AKE)", "D-H Commit Message" ... "Signature Message", "Computing AES keys, MAC keys, and the
secure session id" and the authstate transitions of "The protocol state machine"), for
protocol versions 2 and 3 (which differ only in the instance tags of the header).

The authentication states are frozen dataclasses, one per message awaited; :func:`receive`
is the one dispatcher, a pure function of the state, the received message and a random
source, returning an :class:`AKEStep`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from nocrypto import ciphers, dh, dsa, hashes, hmac
from nocrypto import compare_digest as _ct_equal
from otr._wire import (
    Header,
    OTRDecodeError,
    Reader,
    encode_data,
    encode_header,
    encode_int,
    encode_mpi,
    encode_pubkey,
    encode_sig,
)

__all__ = [
    "DH_COMMIT",
    "DH_KEY",
    "GROUP",
    "REVEAL_SIGNATURE",
    "SIGNATURE",
    "AKEContext",
    "AKEKeys",
    "AKEStep",
    "AuthNone",
    "AuthState",
    "AwaitingDHKey",
    "AwaitingRevealSig",
    "AwaitingSig",
    "Established",
    "derive_ake_keys",
    "generate_dh",
    "receive",
    "secbytes",
    "shared_secret",
    "start",
]

Random = Callable[[int], bytes]

# Message types (sections "D-H Commit Message" ... "Signature Message").
DH_COMMIT: Final = 0x02
DH_KEY: Final = 0x0A
REVEAL_SIGNATURE: Final = 0x11
SIGNATURE: Final = 0x12

#: "the group is the one defined in RFC 3526 with 1536-bit modulus ... and a generator (g)
#: of 2".
GROUP: Final = dh.MODP1536
#: "Choose a random value x (at least 320 bits)".
DH_PRIVATE_BITS: Final = 320
#: "Choose a random value r (128 bits)".
R_BYTES: Final = 16
# The keyid of the D-H key used in the AKE: "When you send AKE messages: Send the public part
# of our_dh[our_keyid-1]" with our_keyid = 2 for a new conversation.
AKE_KEYID: Final = 1
# The longest encrypted g^x (an MPI of the 1536-bit group) and X_A / X_B (a PUBKEY with
# MPIs of at most MAX_MPI_BYTES, an INT and a SIG) accepted.
_MAX_GX_MPI: Final = 4 + 192
_MAX_X: Final = 2 + 4 * (4 + 1024) + 4 + 40
_ZERO_COUNTER: Final = bytes(16)


# --- D-H and key derivation ----------------------------------------------------------------


def generate_dh(random: Random) -> dh.DHPrivateKey:
    """A D-H key pair of the OTR group with a 320-bit private exponent."""
    return GROUP.generate_private_key(random, bits=DH_PRIVATE_BITS)


def shared_secret(ours: dh.DHPrivateKey, their_y: int) -> int:
    """s = their_y ^ x mod p. The caller has checked 2 <= their_y <= p - 2; ValueError
    if s is degenerate (only for a peer value of small order)."""
    return int.from_bytes(ours.exchange(dh.DHPublicKey(GROUP, their_y)), "big")


def valid_public(y: int) -> bool:
    """ "Verifies that ... g^y is a legal value (2 <= g^y <= modulus-2)"."""
    return 2 <= y <= GROUP.p - 2


def secbytes(s: int) -> bytes:
    """ "Write the value of s as a minimum-length MPI ... Let this (4+len)-byte value be
    "secbytes"."."""
    return encode_mpi(s)


@dataclass(frozen=True, slots=True, repr=False)
class AKEKeys:
    """ssid, c, c', m1, m2, m1', m2' from s (section "Computing AES keys, MAC keys, and the
    secure session id")."""

    ssid: bytes
    c: bytes
    c_prime: bytes
    m1: bytes
    m2: bytes
    m1_prime: bytes
    m2_prime: bytes


def _h2(b: int, sec: bytes) -> bytes:
    """h2(b) = SHA256(b || secbytes)."""
    return hashes.digest("sha256", bytes((b,)) + sec)


def derive_ake_keys(sec: bytes) -> AKEKeys:
    """ "Let ssid be the first 64 bits of h2(0x00). Let c be the first 128 bits of h2(0x01),
    and let c' be the second 128 bits of h2(0x01). Let m1 be h2(0x02) ..."."""
    h1 = _h2(0x01, sec)
    return AKEKeys(
        ssid=_h2(0x00, sec)[:8],
        c=h1[:16],
        c_prime=h1[16:],
        m1=_h2(0x02, sec),
        m2=_h2(0x03, sec),
        m1_prime=_h2(0x04, sec),
        m2_prime=_h2(0x05, sec),
    )


# --- states ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuthNone:
    """AUTHSTATE_NONE: no AKE in progress."""


@dataclass(frozen=True, slots=True, repr=False)
class AwaitingDHKey:
    """AUTHSTATE_AWAITING_DHKEY: we sent a D-H Commit (kept for retransmission)."""

    version: int
    r: bytes
    our_dh: dh.DHPrivateKey
    hashed_gx: bytes
    commit: bytes


@dataclass(frozen=True, slots=True, repr=False)
class AwaitingRevealSig:
    """AUTHSTATE_AWAITING_REVEALSIG: we answered a D-H Commit with our D-H Key."""

    version: int
    their_tag: int
    our_dh: dh.DHPrivateKey
    encrypted_gx: bytes
    hashed_gx: bytes
    dh_key: bytes


@dataclass(frozen=True, slots=True, repr=False)
class AwaitingSig:
    """AUTHSTATE_AWAITING_SIG: we sent the Reveal Signature (kept for retransmission)."""

    version: int
    their_tag: int
    our_dh: dh.DHPrivateKey
    their_gy: int
    keys: AKEKeys
    reveal: bytes


AuthState = AuthNone | AwaitingDHKey | AwaitingRevealSig | AwaitingSig


@dataclass(frozen=True, slots=True, repr=False)
class Established:
    """A completed AKE: what the data-message layer starts from."""

    version: int
    their_tag: int
    ssid: bytes
    their_pub: dsa.DSAPublicKey
    our_dh: dh.DHPrivateKey
    our_keyid: int
    their_y: int
    their_keyid: int
    #: Whether we sent the Reveal Signature message (the first half of the ssid is "ours").
    sent_reveal: bool


@dataclass(frozen=True, slots=True)
class AKEContext:
    """What the AKE needs from the session: our long-term key and instance tag."""

    key: dsa.DSAPrivateKey
    our_tag: int


@dataclass(frozen=True, slots=True)
class AKEStep:
    """The outcome of one received AKE message."""

    state: AuthState
    send: bytes | None = None
    established: Established | None = None
    warning: str | None = None


# --- message builders --------------------------------------------------------------------


def _header(version: int, kind: int, ctx: AKEContext, their_tag: int) -> bytes:
    return encode_header(Header(version, kind, ctx.our_tag, their_tag))


def start(version: int, ctx: AKEContext, their_tag: int, random: Random) -> AwaitingDHKey:
    """Begin an AKE: a new D-H key and r, and the D-H Commit message ("Encrypt gxmpi using
    AES128-CTR, with key r and initial counter value 0"; "Hashed g^x ... is the SHA256 hash
    of gxmpi"). The message is ``state.commit``."""
    r = random(R_BYTES)
    ours = generate_dh(random)
    gxmpi = encode_mpi(ours.public_key().y)
    encrypted = ciphers.AES_CTR(r).crypt(_ZERO_COUNTER, gxmpi)
    hashed = hashes.digest("sha256", gxmpi)
    commit = (
        _header(version, DH_COMMIT, ctx, their_tag) + encode_data(encrypted) + encode_data(hashed)
    )
    return AwaitingDHKey(version, r, ours, hashed, commit)


def _dh_key_message(version: int, ctx: AKEContext, their_tag: int, ours: dh.DHPrivateKey) -> bytes:
    return _header(version, DH_KEY, ctx, their_tag) + encode_mpi(ours.public_key().y)


def _dsa_input(m: bytes, q: int) -> bytes:
    """The value DSA signs for the 32-byte M, as 20 bytes that nocrypto takes whole. The
    specification only says M "does not need to be hashed again"; libotr hands M to
    libgcrypt as a plain (not opaque) integer, which libgcrypt does not truncate
    (_gcry_dsa_normalize_hash leaves non-opaque input alone), so s = k^-1 (M + x r) mod q
    uses M reduced mod q - not the leftmost 160 bits FIPS 186-4 would take. Every OTR peer
    checks libotr's rule, so it is used here."""
    return (int.from_bytes(m, "big") % q).to_bytes(20, "big")


def _signed_part(
    mac_key: bytes, ours_y: int, theirs_y: int, ctx: AKEContext, keyid: int, random: Random
) -> bytes:
    """X = pub, keyid, sig(M) with M = SHA256-HMAC_mac_key(g^ours, g^theirs, pub, keyid);
    the DSA signature is over "the 32-byte M ... (which does not need to be hashed again)",
    reduced to 160 bits as libotr does (:func:`_dsa_input`)."""
    pub = encode_pubkey(ctx.key.public_key())
    m = hmac.digest(
        mac_key, encode_mpi(ours_y) + encode_mpi(theirs_y) + pub + encode_int(keyid), "sha256"
    )
    signature = ctx.key.sign_digest(_dsa_input(m, ctx.key.params.q), random=random)
    return pub + encode_int(keyid) + encode_sig(signature)


def _encrypt_and_mac(aes_key: bytes, mac_key: bytes, x: bytes) -> bytes:
    """DATA(AES128-CTR_key(X), counter 0) then "the SHA256-HMAC-160 ... of the encrypted
    signature field (including the four-byte length)"."""
    field = encode_data(ciphers.AES_CTR(aes_key).crypt(_ZERO_COUNTER, x))
    return field + hmac.digest(mac_key, field, "sha256")[:20]


def _verify_x(
    m1: bytes, c: bytes, field: bytes, their_y: int, ours_y: int
) -> tuple[dsa.DSAPublicKey, int] | str:
    """Decrypt X from the DATA *field* with c, parse it and check its signature with m1."""
    try:
        encrypted = Reader(field).data()
        x = Reader(ciphers.AES_CTR(c).crypt(_ZERO_COUNTER, encrypted))
        pub = x.pubkey()
        pub_bytes = x.consumed
        keyid = x.u32()
        signature = x.sig()
        x.expect_end()
    except OTRDecodeError as exc:
        return f"malformed signed part: {exc}"
    if keyid == 0:
        return "keyid 0 in the AKE (it must be greater than 0)"
    m = hmac.digest(
        m1, encode_mpi(their_y) + encode_mpi(ours_y) + pub_bytes + encode_int(keyid), "sha256"
    )
    if not pub.verify_digest(signature, _dsa_input(m, pub.params.q)):
        return "bad DSA signature in the AKE"
    return pub, keyid


# --- the dispatcher ----------------------------------------------------------------------


def _answer_commit(
    header: Header, body: Reader, ctx: AKEContext, state: AuthState, random: Random
) -> AKEStep:
    encrypted_gx = body.data(_MAX_GX_MPI)
    hashed_gx = body.data(32)
    body.expect_end()
    if len(hashed_gx) != 32:
        raise OTRDecodeError("hashed g^x must be 32 bytes")
    their_tag = header.sender_tag
    # In AUTHSTATE_AWAITING_DHKEY: "compare the hashed g^x you sent ... with the one you
    # received, considered as 32-byte unsigned big-endian values. If yours is the higher hash
    # value: Ignore the incoming D-H Commit message, but resend your D-H Commit message."
    if isinstance(state, AwaitingDHKey) and state.hashed_gx > hashed_gx:
        return AKEStep(state, state.commit)
    # In AUTHSTATE_AWAITING_REVEALSIG: "Retransmit your D-H Key Message (the same one as you
    # sent when you entered AUTHSTATE_AWAITING_REVEALSIG). Forget the old D-H Commit message,
    # and use this new one instead." Otherwise a new D-H key.
    ours = state.our_dh if isinstance(state, AwaitingRevealSig) else generate_dh(random)
    message = _dh_key_message(header.version, ctx, their_tag, ours)
    new = AwaitingRevealSig(header.version, their_tag, ours, encrypted_gx, hashed_gx, message)
    return AKEStep(new, message)


def _answer_dh_key(
    header: Header, body: Reader, ctx: AKEContext, state: AuthState, random: Random
) -> AKEStep:
    gy = body.mpi()
    body.expect_end()
    if isinstance(state, AwaitingSig) and header.version == state.version:
        # "If this D-H Key message is the same the one you received earlier ...:
        # Retransmit your Reveal Signature Message. Otherwise: Ignore the message."
        if gy == state.their_gy and header.sender_tag == state.their_tag:
            return AKEStep(state, state.reveal)
        return AKEStep(state, warning="unexpected D-H Key message ignored")
    if not isinstance(state, AwaitingDHKey) or header.version != state.version:
        return AKEStep(state, warning="unexpected D-H Key message ignored")
    if not valid_public(gy):
        return AKEStep(state, warning="D-H Key message with an illegal g^y ignored")
    ours = state.our_dh
    try:
        s = shared_secret(ours, gy)
    except ValueError:
        return AKEStep(state, warning="D-H Key message with a degenerate g^y ignored")
    keys = derive_ake_keys(secbytes(s))
    their_tag = header.sender_tag
    x_b = _signed_part(keys.m1, ours.public_key().y, gy, ctx, AKE_KEYID, random)
    message = (
        _header(state.version, REVEAL_SIGNATURE, ctx, their_tag)
        + encode_data(state.r)
        + _encrypt_and_mac(keys.c, keys.m2, x_b)
    )
    new = AwaitingSig(state.version, their_tag, ours, gy, keys, message)
    return AKEStep(new, message)


def _answer_reveal(
    header: Header, body: Reader, ctx: AKEContext, state: AuthState, random: Random
) -> AKEStep:
    r = body.data(64)
    field_reader = Reader(body.rest())
    encrypted = field_reader.data(_MAX_X)
    field = encode_data(encrypted)
    mac = field_reader.mac()
    field_reader.expect_end()
    if not isinstance(state, AwaitingRevealSig) or header.version != state.version:
        return AKEStep(state, warning="unexpected Reveal Signature message ignored")
    if header.version == 3 and header.sender_tag != state.their_tag:
        return AKEStep(state, warning="Reveal Signature from another instance ignored")
    # "Regardless of whether the signature verifications succeed, the authstate variable is
    # transitioned to AUTHSTATE_NONE."
    fail = AuthNone()
    if len(r) != R_BYTES:
        return AKEStep(fail, warning="revealed key r is not 128 bits")
    gxmpi = ciphers.AES_CTR(r).crypt(_ZERO_COUNTER, state.encrypted_gx)
    # "Verifies that HASH(g^x) matches the value sent earlier".
    if not _ct_equal(hashes.digest("sha256", gxmpi), state.hashed_gx):
        return AKEStep(fail, warning="g^x does not match its hash in the D-H Commit")
    try:
        gx_reader = Reader(gxmpi)
        gx = gx_reader.mpi()
        gx_reader.expect_end()
    except OTRDecodeError:
        return AKEStep(fail, warning="malformed g^x in the D-H Commit")
    if not valid_public(gx):
        return AKEStep(fail, warning="illegal g^x in the D-H Commit")
    ours = state.our_dh
    try:
        s = shared_secret(ours, gx)
    except ValueError:
        return AKEStep(fail, warning="degenerate g^x in the D-H Commit")
    keys = derive_ake_keys(secbytes(s))
    gy = ours.public_key().y
    if not _ct_equal(hmac.digest(keys.m2, field, "sha256")[:20], mac):
        return AKEStep(fail, warning="bad MAC on the Reveal Signature message")
    checked = _verify_x(keys.m1, keys.c, field, gx, gy)
    if isinstance(checked, str):
        return AKEStep(fail, warning=checked)
    their_pub, their_keyid = checked
    x_a = _signed_part(keys.m1_prime, gy, gx, ctx, AKE_KEYID, random)
    message = _header(state.version, SIGNATURE, ctx, state.their_tag) + _encrypt_and_mac(
        keys.c_prime, keys.m2_prime, x_a
    )
    done = Established(
        state.version,
        state.their_tag,
        keys.ssid,
        their_pub,
        ours,
        AKE_KEYID,
        gx,
        their_keyid,
        sent_reveal=False,
    )
    return AKEStep(AuthNone(), message, done)


def _answer_signature(header: Header, body: Reader, state: AuthState) -> AKEStep:
    encrypted = body.data(_MAX_X)
    field = encode_data(encrypted)
    mac = body.mac()
    body.expect_end()
    if not isinstance(state, AwaitingSig) or header.version != state.version:
        return AKEStep(state, warning="unexpected Signature message ignored")
    if header.version == 3 and header.sender_tag != state.their_tag:
        return AKEStep(state, warning="Signature message from another instance ignored")
    keys = state.keys
    fail = AuthNone()
    if not _ct_equal(hmac.digest(keys.m2_prime, field, "sha256")[:20], mac):
        return AKEStep(fail, warning="bad MAC on the Signature message")
    gx = state.our_dh.public_key().y
    checked = _verify_x(keys.m1_prime, keys.c_prime, field, state.their_gy, gx)
    if isinstance(checked, str):
        return AKEStep(fail, warning=checked)
    their_pub, their_keyid = checked
    done = Established(
        state.version,
        state.their_tag,
        keys.ssid,
        their_pub,
        state.our_dh,
        AKE_KEYID,
        state.their_gy,
        their_keyid,
        sent_reveal=True,
    )
    return AKEStep(AuthNone(), None, done)


def receive(
    state: AuthState, header: Header, body: Reader, ctx: AKEContext, random: Random
) -> AKEStep:
    """Handle one AKE message (its header already read; *body* is the rest). Raises
    :class:`OTRDecodeError` for a malformed message; every protocol failure is a warning in
    the returned step. Version and instance-tag policy checks are the session's."""
    if header.type == DH_COMMIT:
        return _answer_commit(header, body, ctx, state, random)
    if header.type == DH_KEY:
        return _answer_dh_key(header, body, ctx, state, random)
    if header.type == REVEAL_SIGNATURE:
        return _answer_reveal(header, body, ctx, state, random)
    if header.type == SIGNATURE:
        return _answer_signature(header, body, state)
    raise OTRDecodeError(f"not an AKE message type: {header.type:#04x}")
