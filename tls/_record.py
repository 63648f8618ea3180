"""Record protection: the cipher states of RFC 5246 §6.1 and §6.2.3.

- CBC suites (RFC 5246 §6.2.3.2, RFC 4346 §6.2.3.2, RFC 2246 §6.2.3.2): MAC-then-encrypt
  with HMAC over seq_num || type || version || length || fragment (§6.2.3.1), padding to
  the block size, CBC. TLS 1.0 chains the IV across records (the first from the key
  block, then the last ciphertext block of the previous record, per direction); TLS 1.1+
  sends a fresh random explicit IV in every record.
- AES-GCM and AES-CCM (RFC 5288 §3, RFC 6655 §3, RFC 5246 §6.2.3.3): nonce =
  salt (the 4-byte fixed IV) || nonce_explicit (8 bytes, sent in the record); we use the
  64-bit sequence number as nonce_explicit, which RFC 5288 §3 allows ("MAY be the 64-bit
  sequence number"). additional_data = seq_num || type || version || length of the
  plaintext.
- ChaCha20-Poly1305 (RFC 7905 §2): nonce = the 12-byte fixed IV XOR the sequence number
  left-padded to 12 bytes; no explicit nonce; the same additional_data.

Framing and fragmentation of application data (including the TLS 1.0 1/n-1 split) are
the engine's; this module protects and unprotects one record. Before the first
ChangeCipherSpec the state is ``None`` (TLSPlaintext, RFC 5246 §6.2.1). Sequence numbers
start at 0 in each new state (§6.1: "set to zero whenever a connection state is made the
active state") and never wrap (§6.1: "Sequence numbers ... may not exceed 2^64-1").

Every failure to authenticate or decrypt a record is :class:`tls.errors.BadRecordMac`
(RFC 5246 §7.2.2, §6.2.3.2: one alert for padding and MAC errors); over-long records are
:class:`tls.errors.RecordOverflow`. The CBC check is the Lucky 13 countermeasure: see
:func:`_cbc_verify`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol

from nocrypto import AuthenticationError, compare_digest, hashes, hmac
from nocrypto.aead import AES_CCM, AES_GCM, ChaCha20Poly1305
from nocrypto.ciphers import AES_CBC, TripleDES_CBC
from tls import errors
from tls._keys import KeyBlock, key_block_lengths
from tls._wire import MAX_CIPHERTEXT, MAX_PLAINTEXT, ContentType, ProtocolVersion
from tls.ciphersuites import MAC, BulkCipher, CipherSuite

__all__ = [
    "MAX_SEQUENCE_NUMBER",
    "CipherState",
    "SequenceNumberOverflow",
    "new_cipher_state",
    "protect",
    "unprotect",
]

#: RFC 5246 §6.1: "Sequence numbers are of type uint64 and may not exceed 2^64-1."
MAX_SEQUENCE_NUMBER: Final = 2**64 - 1

#: RFC 5246 §6.2.3.2: "padding_length ... MUST be ... no longer than 255 bytes"; with the
#: padding_length byte itself, at most 256 bytes of a record are padding.
_MAX_PADDING: Final = 256

#: The hash constructor for the Lucky 13-safe MAC check; a module attribute so that a test
#: can count the compression-function blocks it is fed (tests/tls/test_record.py).
_new_hash: Callable[[str], hashes.Hash] = hashes.new


class SequenceNumberOverflow(errors.InternalError):
    """A record would need sequence number 2^64 (RFC 5246 §6.1: "If a TLS implementation
    would need to wrap a sequence number, it must renegotiate instead"). The connection
    cannot go on in this state."""


class _BlockCipher(Protocol):
    def encrypt(self, iv: bytes, data: bytes) -> bytes: ...
    def decrypt(self, iv: bytes, data: bytes) -> bytes: ...


class _Aead(Protocol):
    def seal(self, nonce: bytes, plaintext: bytes, aad: bytes = ...) -> bytes: ...
    def open(self, nonce: bytes, data: bytes, aad: bytes = ...) -> bytes: ...


@dataclass(frozen=True, slots=True)
class _Prepared:
    """The key-dependent objects of a state, made once: the cipher with its key schedule
    and, for CBC suites, the HMAC hashes after the blocks K XOR ipad and K XOR opad (RFC
    2104 §2). Never mutated (the hashes are copied for each record), so states that share
    it stay independent values."""

    cbc: _BlockCipher | None
    aead: _Aead | None
    inner: hashes.Hash | None
    outer: hashes.Hash | None


@dataclass(frozen=True, slots=True)
class CipherState:
    """The protection state of one direction of a connection (RFC 5246 §6.1).

    ``iv`` is the fixed IV of an AEAD suite, the IV of the next record for CBC in TLS 1.0
    (the last ciphertext block of the previous one), empty for CBC in TLS 1.1+.
    ``sequence_number`` is the number of the next record. Keys are left out of ``repr``;
    the prepared cipher objects are left out of ``repr`` and of comparisons.
    """

    suite: CipherSuite
    version: ProtocolVersion
    mac_key: bytes = field(repr=False)
    key: bytes = field(repr=False)
    iv: bytes = field(repr=False)
    sequence_number: int
    prepared: _Prepared = field(repr=False, compare=False)


def _prepare(suite: CipherSuite, mac_key: bytes, key: bytes) -> _Prepared:
    cipher = suite.cipher
    cbc: _BlockCipher | None = None
    aead: _Aead | None = None
    if cipher in (BulkCipher.AES_128_CBC, BulkCipher.AES_256_CBC):
        cbc = AES_CBC(key)
    elif cipher is BulkCipher.TRIPLE_DES_EDE_CBC:
        cbc = TripleDES_CBC(key)
    elif cipher in (BulkCipher.AES_128_GCM, BulkCipher.AES_256_GCM):
        aead = AES_GCM(key)
    elif cipher in (BulkCipher.AES_128_CCM, BulkCipher.AES_256_CCM):
        aead = AES_CCM(key, tag_length=16)
    elif cipher in (BulkCipher.AES_128_CCM_8, BulkCipher.AES_256_CCM_8):
        aead = AES_CCM(key, tag_length=8)  # RFC 6655 §3: CCM_8 has an 8-octet tag
    else:
        aead = ChaCha20Poly1305(key)
    inner = outer = None
    if suite.mac is not MAC.AEAD:
        # RFC 2104 §2: K padded with zeros to the hash's block size B (the TLS MAC keys
        # are never longer than B), then XOR ipad (0x36...) and XOR opad (0x5C...).
        inner = _new_hash(suite.mac.value)
        outer = _new_hash(suite.mac.value)
        k = mac_key.ljust(inner.block_size, b"\x00")
        inner.update(bytes(b ^ 0x36 for b in k))
        outer.update(bytes(b ^ 0x5C for b in k))
    return _Prepared(cbc, aead, inner, outer)


def new_cipher_state(
    version: ProtocolVersion,
    suite: CipherSuite,
    key_block: KeyBlock,
    side: Literal["client", "server"],
    direction: Literal["write", "read"],
) -> CipherState:
    """The state that protects records *side* writes (``"write"``) or unprotects records
    it reads (``"read"``), from the key block of :func:`tls._keys.key_block`: a client
    writes and a server reads with the client_write keys (RFC 5246 §6.3). The sequence
    number starts at 0."""
    # version and suite checked there (ValueError); one source for the key lengths
    mac_length, key_length, iv_length = key_block_lengths(version, suite)
    if side not in ("client", "server") or direction not in ("write", "read"):
        raise ValueError("side must be 'client' or 'server', direction 'write' or 'read'")
    client_keys = (side == "client") == (direction == "write")
    kb = key_block
    mac_key, key, iv = (
        (kb.client_mac, kb.client_key, kb.client_iv)
        if client_keys
        else (kb.server_mac, kb.server_key, kb.server_iv)
    )
    if len(mac_key) != mac_length or len(key) != key_length or len(iv) != iv_length:
        raise ValueError(f"key block does not fit {suite.name} in {ProtocolVersion(version).name}")
    return CipherState(
        suite=suite,
        version=ProtocolVersion(version),
        mac_key=mac_key,
        key=key,
        iv=iv,
        sequence_number=0,
        prepared=_prepare(suite, mac_key, key),
    )


def _header(content_type: int, version: int) -> bytes:
    """type(1) || version(2), the start of a record header and of the MAC/AAD input."""
    return bytes((content_type,)) + version.to_bytes(2, "big")


def _next_sequence_number(state: CipherState) -> bytes:
    seq = state.sequence_number
    if seq > MAX_SEQUENCE_NUMBER:
        raise SequenceNumberOverflow("record sequence number would exceed 2^64-1")
    return seq.to_bytes(8, "big")


def _chacha_nonce(iv: bytes, seq: bytes) -> bytes:
    """RFC 7905 §2: "The 64-bit record sequence number is serialized as an 8-byte,
    big-endian value and padded on the left with four 0x00 bytes"; XOR the client/server
    write IV."""
    return (int.from_bytes(iv, "big") ^ int.from_bytes(seq, "big")).to_bytes(12, "big")


def protect(
    state: CipherState | None,
    content_type: ContentType,
    version: ProtocolVersion,
    fragment: bytes,
    random: Callable[[int], bytes],
) -> tuple[CipherState | None, bytes]:
    """Protect one record: the new state and the whole record, 5-byte header included.

    *fragment* is at most 2^14 bytes (RFC 5246 §6.2.1); longer, or a *version* other
    than the state's, is a programming error (ValueError). *random* supplies the explicit
    CBC IV in TLS 1.1+ (RFC 4346 §6.2.3.2: "The IV SHOULD be chosen at random"). With
    state ``None`` the record is sent in the clear (TLSPlaintext).
    """
    if len(fragment) > MAX_PLAINTEXT:
        raise ValueError(f"record fragment of {len(fragment)} bytes exceeds 2^14 (RFC 5246 §6.2.1)")
    head = _header(content_type, version)
    if state is None:
        return None, head + len(fragment).to_bytes(2, "big") + fragment
    if version != state.version:
        raise ValueError(f"record version {version!r} is not the state's {state.version!r}")
    seq = _next_sequence_number(state)
    suite = state.suite
    prepared = state.prepared
    # RFC 5246 §6.2.3.1 (MAC) and §6.2.3.3 (additional_data): seq_num || type || version
    # || length, the length being that of the plaintext fragment.
    pseudo_header = seq + head + len(fragment).to_bytes(2, "big")
    iv = state.iv
    if prepared.aead is not None:
        if suite.cipher is BulkCipher.CHACHA20_POLY1305:
            body = prepared.aead.seal(_chacha_nonce(iv, seq), fragment, pseudo_header)
        else:
            # RFC 5288 §3: GCMNonce = salt || nonce_explicit, nonce_explicit sent first.
            body = seq + prepared.aead.seal(iv + seq, fragment, pseudo_header)
    else:
        assert prepared.cbc is not None
        mac = hmac.digest(state.mac_key, pseudo_header + fragment, suite.mac.value)
        size = suite.block_size
        # RFC 5246 §6.2.3.2: padding makes the total a multiple of the block size, each
        # byte holding padding_length. We use the minimal padding.
        pad = size - 1 - (len(fragment) + len(mac)) % size
        plaintext = fragment + mac + bytes((pad,)) * (pad + 1)
        if state.version == ProtocolVersion.TLS10:
            # RFC 2246 §6.3: the IV of the first record comes from the key block; later
            # ones are "the last ciphertext block from the previous record".
            body = prepared.cbc.encrypt(iv, plaintext)
            iv = body[-size:]
        else:
            explicit = random(size)
            if len(explicit) != size:
                raise ValueError("random() returned the wrong number of bytes")
            body = explicit + prepared.cbc.encrypt(explicit, plaintext)
    new_state = dataclasses.replace(state, sequence_number=state.sequence_number + 1, iv=iv)
    return new_state, head + len(body).to_bytes(2, "big") + body


def unprotect(
    state: CipherState | None,
    content_type: ContentType,
    version: ProtocolVersion,
    ciphertext_fragment: bytes,
) -> tuple[CipherState | None, bytes]:
    """Unprotect the fragment of one received record (the bytes after its 5-byte header,
    whose type and version are *content_type* and *version*): the new state and the
    plaintext.

    Raises :class:`tls.errors.RecordOverflow` if the fragment exceeds 2^14 + 2048 bytes
    (2^14 with state ``None``) or decrypts to more than 2^14 bytes (RFC 5246 §6.2.1-6.2.3;
    this library never negotiates compression), and :class:`tls.errors.BadRecordMac` for
    every authentication, padding or length failure. The engine checks *version* against
    the negotiated one; here it is authenticated as given.
    """
    n = len(ciphertext_fragment)
    if n > MAX_CIPHERTEXT:
        raise errors.RecordOverflow(f"record of {n} bytes exceeds 2^14+2048")
    if state is None:
        if n > MAX_PLAINTEXT:
            raise errors.RecordOverflow(f"plaintext record of {n} bytes exceeds 2^14")
        return None, bytes(ciphertext_fragment)
    fragment = bytes(ciphertext_fragment)
    seq = _next_sequence_number(state)
    head = _header(content_type, version)
    prepared = state.prepared
    iv = state.iv
    if prepared.aead is not None:
        plaintext = _aead_open(state, prepared.aead, seq + head, fragment)
    else:
        assert prepared.cbc is not None
        plaintext, iv = _cbc_open(state, prepared.cbc, seq + head, fragment)
    if len(plaintext) > MAX_PLAINTEXT:
        raise errors.RecordOverflow(f"record decrypted to {len(plaintext)} bytes, over 2^14")
    new_state = dataclasses.replace(state, sequence_number=state.sequence_number + 1, iv=iv)
    return new_state, plaintext


def _aead_open(state: CipherState, aead: _Aead, seq_head: bytes, fragment: bytes) -> bytes:
    suite = state.suite
    explicit = suite.record_iv_length
    if len(fragment) < explicit + suite.tag_length:
        raise errors.BadRecordMac("AEAD record shorter than its nonce and tag")
    if suite.cipher is BulkCipher.CHACHA20_POLY1305:
        nonce = _chacha_nonce(state.iv, seq_head[:8])
    else:
        # RFC 5288 §3: the receiver takes nonce_explicit from the record.
        nonce = state.iv + fragment[:explicit]
    sealed = fragment[explicit:]
    length = len(sealed) - suite.tag_length
    try:
        return aead.open(nonce, sealed, seq_head + length.to_bytes(2, "big"))
    except AuthenticationError:
        raise errors.BadRecordMac("AEAD tag does not verify") from None


def _cbc_open(
    state: CipherState, cbc: _BlockCipher, seq_head: bytes, fragment: bytes
) -> tuple[bytes, bytes]:
    """Decrypt a CBC record and check it: (plaintext, IV of the next record)."""
    suite = state.suite
    size = suite.block_size
    mac_length = suite.mac_length
    if state.version == ProtocolVersion.TLS10:
        iv, body, next_iv = state.iv, fragment, fragment[-size:]
    else:
        iv, body, next_iv = fragment[:size], fragment[size:], b""
    # Public checks, on lengths only (RFC 5246 §6.2.3.2 and §7.2.2: "it wasn't an even
    # multiple of the block length"): the explicit IV, whole blocks, and room for the MAC
    # and the padding_length byte.
    if len(iv) != size or len(body) % size or len(body) < mac_length + 1:
        raise errors.BadRecordMac("CBC record of an impossible length")
    plaintext = cbc.decrypt(iv, body)
    good, length = _cbc_verify(state, seq_head, plaintext)
    if not good:
        raise errors.BadRecordMac("bad record MAC or padding")
    return plaintext[:length], next_iv


# --- Lucky 13 -------------------------------------------------------------------------------
#
# AlFardan and Paterson, "Lucky Thirteen: Breaking the TLS and DTLS Record Protocols"
# (IEEE S&P 2013): if the receiver's time depends on the padding length (through an early
# exit on bad padding, or through the number of hash compression blocks the MAC costs,
# which depends on the length of the data behind the padding), an attacker who can make it
# decrypt modified records learns plaintext bytes. RFC 5246 §6.2.3.2's "compute the MAC as
# if there were zero-length padding" leaves the second channel open.
#
# What _cbc_verify does, given the decrypted record P of public length n:
#   1. reads padding_length p = P[n-1] and checks, with a masked loop over the last
#      min(n, 256) bytes (a window whose size depends only on n), that the p bytes before
#      it all equal p, and that p + 1 + mac_length <= n; bad padding is then treated as
#      p = 0 through a mask (no branch), so that the work below is the same;
#   2. copies the received MAC out of P without indexing by the secret offset: every byte
#      of the public window where the MAC may start (the last mac_length + 256 bytes) is
#      ORed, masked, into a rotating buffer whose position is public, and the buffer is
#      then rotated by the secret offset in log2(mac_length) masked steps (the
#      "constant-time MAC extraction" of OpenSSL's fix, ssl3_cbc_copy_mac);
#   3. computes HMAC over seq_num || type || version || length || P[:n - mac_length - 1 -
#      p] with the true length, then feeds a second, throw-away hash of the same
#      algorithm enough whole blocks that the two together always cost
#      blocks(longest possible data) + 1 compression-function calls: the total depends on
#      n only, not on p (the dummy hash always gets at least one block, so the kernel is
#      called the same number of times too);
#   4. compares the MACs with nocrypto.compare_digest and ANDs the verdict with the
#      padding verdict; the caller raises one BadRecordMac, after all of the work, for
#      either failure.
#
# What remains (documented, not fixed): this is Python. Small-integer arithmetic and list
# indexing are not guaranteed constant time (CPython caches small ints, and its integer
# operations take time proportional to the size of their operands, which here is bounded
# by a machine word); slicing P[:length] and allocating the dummy block copy a number of
# bytes that depends on p (a few hundred bytes at most, tens of nanoseconds, against the
# compression function's ~hundreds of nanoseconds per block that no longer vary); the
# interpreter's own jitter is far larger than either. The compression-block count, the
# dominant and the one Lucky 13 measured, is constant; the padding and the MAC are checked
# with no branch or index on secret values. A remote attacker would need many more samples
# than a TLS connection gives (one bad record is fatal), but the residual is not zero.


def _lt(a: int, b: int) -> int:
    """1 if a < b else 0, without a branch, for 0 <= a, b < 2^31."""
    return ((a - b) >> 31) & 1


def _is_zero(x: int) -> int:
    """1 if x == 0 else 0, without a branch, for 0 <= x < 2^31."""
    return ((x - 1) >> 31) & 1


def _cbc_verify(state: CipherState, seq_head: bytes, plaintext: bytes) -> tuple[int, int]:
    """(1 if padding and MAC are good else 0, length of the data) for a decrypted CBC
    record *plaintext* (at least mac_length + 1 bytes). See the comment above."""
    suite = state.suite
    prepared = state.prepared
    assert prepared.inner is not None and prepared.outer is not None
    mac_length = suite.mac_length
    n = len(plaintext)

    # 1. The padding (RFC 5246 §6.2.3.2: "Each uint8 in the padding data vector MUST be
    # filled with the padding length value. The receiver MUST check this padding").
    pad = plaintext[n - 1]
    good = 1 ^ _lt(n, pad + 1 + mac_length)
    diff = 0
    for i in range(1, min(n, _MAX_PADDING) + 1):  # the byte i places from the end
        in_padding = _lt(i - 1, pad + 1)
        diff |= (plaintext[n - i] ^ pad) & -in_padding
    good &= _is_zero(diff)
    pad &= -good
    length = n - mac_length - 1 - pad  # where the MAC starts

    # 2. The received MAC, from a public window, rotated into place.
    scan_start = max(0, n - mac_length - _MAX_PADDING)
    mac_end = length + mac_length
    rotated = [0] * mac_length
    j = 0
    for i in range(scan_start, n - 1):
        inside = (1 ^ _lt(i, length)) & _lt(i, mac_end)
        rotated[j] |= plaintext[i] & -inside
        j += 1
        if j == mac_length:  # public: depends on i only
            j = 0
    offset = (length - scan_start) % mac_length
    step = 1
    while step < mac_length:  # rotate left by offset, one bit of it at a time
        mask = -(offset & 1)
        rotated = [
            (rotated[(k + step) % mac_length] & mask) | (rotated[k] & ~mask)
            for k in range(mac_length)
        ]
        offset >>= 1
        step <<= 1
    received = bytes(rotated)

    # 3. HMAC (RFC 2104) over seq_num || type || version || length || data, with as many
    # compression blocks in all as for the longest data n - mac_length - 1.
    inner = prepared.inner.copy()
    block = inner.block_size
    length_field = 16 if block == 128 else 8  # FIPS 180-4 §5.1: 64- or 128-bit length
    inner.update(seq_head + length.to_bytes(2, "big") + plaintext[:length])
    inner_digest = inner.digest()
    # ceil((13 + data + 1 + length_field) / B) blocks after the K XOR ipad block
    real_blocks = (13 + length + length_field + block) // block
    most_blocks = (13 + (n - mac_length - 1) + length_field + block) // block
    dummy = _new_hash(suite.mac.value)
    dummy.update(bytes(block * (most_blocks - real_blocks + 1)))
    outer = prepared.outer.copy()
    outer.update(inner_digest)
    computed = outer.digest()

    # 4. One verdict for both checks.
    good &= int(compare_digest(computed, received))
    return good, length
