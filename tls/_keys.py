"""Key derivation: the TLS PRF, the master secret, the key block and Finished.

RFC 2246 §5 and RFC 4346 §5 (the TLS 1.0/1.1 PRF: P_MD5 XOR P_SHA-1 over the two halves
of the secret), RFC 5246 §5 (the TLS 1.2 PRF: P_<hash> with the suite's PRF hash),
RFC 5246 §8.1 (master secret), §6.3 (key block), §7.4.9 (Finished; RFC 2246 §7.4.9 for
MD5 || SHA-1 before 1.2), RFC 7627 §4 (extended master secret over the session hash).

Everything here is a pure function of its arguments; HMAC and the hashes are nocrypto's.
Arguments the engine supplies wrongly (a version before TLS 1.0, a suite not allowed in the
version, randoms that are not 32 bytes, a negative length) raise ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nocrypto import hashes, hmac
from tls._wire import ProtocolVersion
from tls.ciphersuites import CipherSuite

__all__ = [
    "MASTER_SECRET_LENGTH",
    "VERIFY_DATA_LENGTH",
    "KeyBlock",
    "extended_master_secret",
    "key_block",
    "key_block_lengths",
    "master_secret",
    "prf",
    "session_hash",
    "verify_data",
]

#: RFC 5246 §8.1: "The master secret is always exactly 48 bytes in length."
MASTER_SECRET_LENGTH: Final = 48
#: RFC 5246 §7.4.9: "verify_data_length ... defaults to 12"; RFC 2246 §7.4.9: 12 bytes.
VERIFY_DATA_LENGTH: Final = 12
#: RFC 5246 §7.4.1.2: Random is 32 bytes (gmt_unix_time + random_bytes[28]).
_RANDOM_LENGTH: Final = 32
#: A bound on what the engine may ask of the PRF (the longest key block is 2 * (48 + 32 +
#: 16) = 192 bytes); it keeps a bug from asking for gigabytes.
_MAX_PRF_OUTPUT: Final = 1 << 16


def _check_version(version: ProtocolVersion) -> None:
    if version not in (ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12):
        raise ValueError(f"TLS key derivation: unsupported version {version!r}")


def _check_suite(version: ProtocolVersion, suite: CipherSuite) -> None:
    _check_version(version)
    if version < suite.min_version:
        raise ValueError(f"{suite.name} is not allowed in {ProtocolVersion(version).name}")


def _p_hash(hash_name: str, secret: bytes, seed: bytes, length: int) -> bytes:
    """RFC 5246 §5 (RFC 2246 §5): the data expansion function

    P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed)
    + ..., A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)), cut to *length* bytes."""
    out = bytearray()
    a = seed
    while len(out) < length:
        a = hmac.digest(secret, a, hash_name)
        out += hmac.digest(secret, a + seed, hash_name)
    return bytes(out[:length])


def prf(
    version: ProtocolVersion,
    prf_hash: str,
    secret: bytes,
    label: bytes,
    seed: bytes,
    length: int,
) -> bytes:
    """PRF(secret, label, seed) cut to *length* bytes.

    TLS 1.2 (RFC 5246 §5): P_<prf_hash>(secret, label + seed), *prf_hash* being the
    suite's (``"sha256"`` or ``"sha384"``). TLS 1.0 and 1.1 (RFC 2246 §5, RFC 4346 §5):
    P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed), where S1 and S2 are the first
    and the last ceil(len(secret) / 2) bytes of the secret (they share a byte when the
    length is odd); *prf_hash* is ignored.
    """
    _check_version(version)
    if not 0 <= length <= _MAX_PRF_OUTPUT:
        raise ValueError(f"TLS PRF: length must be 0..{_MAX_PRF_OUTPUT}, not {length}")
    labelled = label + seed
    if version == ProtocolVersion.TLS12:
        if prf_hash not in ("sha256", "sha384"):
            raise ValueError(f"TLS 1.2 PRF: hash must be sha256 or sha384, not {prf_hash!r}")
        return _p_hash(prf_hash, secret, labelled, length)
    # RFC 2246 §5: "L_S = length in bytes of secret; L_S1 = L_S2 = ceil(L_S / 2);
    # S1 is the first L_S1 bytes of secret and S2 is the last L_S2 bytes."
    half = (len(secret) + 1) // 2
    s1, s2 = secret[:half], secret[len(secret) - half :]
    md5 = _p_hash("md5", s1, labelled, length)
    sha1 = _p_hash("sha1", s2, labelled, length)
    return (int.from_bytes(md5, "big") ^ int.from_bytes(sha1, "big")).to_bytes(length, "big")


def _check_randoms(client_random: bytes, server_random: bytes) -> None:
    if len(client_random) != _RANDOM_LENGTH or len(server_random) != _RANDOM_LENGTH:
        raise ValueError("ClientHello.random and ServerHello.random must be 32 bytes each")


def master_secret(
    version: ProtocolVersion,
    suite: CipherSuite,
    premaster: bytes,
    client_random: bytes,
    server_random: bytes,
) -> bytes:
    """RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret",
    ClientHello.random + ServerHello.random)[0..47]."""
    _check_suite(version, suite)
    _check_randoms(client_random, server_random)
    return prf(
        version,
        suite.prf_hash,
        premaster,
        b"master secret",
        client_random + server_random,
        MASTER_SECRET_LENGTH,
    )


def extended_master_secret(
    version: ProtocolVersion, suite: CipherSuite, premaster: bytes, session_hash: bytes
) -> bytes:
    """RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret",
    session_hash)[0..47], *session_hash* being :func:`session_hash` of the handshake
    messages up to and including the ClientKeyExchange."""
    _check_suite(version, suite)
    return prf(
        version,
        suite.prf_hash,
        premaster,
        b"extended master secret",
        session_hash,
        MASTER_SECRET_LENGTH,
    )


def session_hash(version: ProtocolVersion, suite: CipherSuite, handshake_messages: bytes) -> bytes:
    """The hash of the handshake messages, as the PRF's seed for Finished (RFC 5246
    §7.4.9) and the extended master secret (RFC 7627 §3): MD5(m) || SHA-1(m) before
    TLS 1.2 (RFC 2246 §7.4.9), the suite's PRF hash in TLS 1.2."""
    _check_suite(version, suite)
    if version == ProtocolVersion.TLS12:
        return hashes.digest(suite.prf_hash, handshake_messages)
    return hashes.digest("md5", handshake_messages) + hashes.digest("sha1", handshake_messages)


@dataclass(frozen=True, slots=True)
class KeyBlock:
    """The key block partitioned as RFC 5246 §6.3 lists it: client_write_MAC_key,
    server_write_MAC_key, client_write_key, server_write_key, client_write_IV,
    server_write_IV.

    The IVs are the suite's ``fixed_iv_length`` bytes for AEAD suites and for CBC in
    TLS 1.0 (RFC 2246 §6.3: the first record's IV); empty for CBC in TLS 1.1+, which
    sends an explicit IV in every record (RFC 4346 §6.3 generates none). The MAC keys are
    empty for AEAD suites. The ``repr`` shows no key material.
    """

    client_mac: bytes
    server_mac: bytes
    client_key: bytes
    server_key: bytes
    client_iv: bytes
    server_iv: bytes

    def __repr__(self) -> str:
        return "<KeyBlock (secret)>"


def key_block_lengths(version: ProtocolVersion, suite: CipherSuite) -> tuple[int, int, int]:
    """(MAC key, encryption key, IV) lengths of one side's keys in the key block."""
    _check_suite(version, suite)
    iv = suite.fixed_iv_length
    if not suite.aead and version >= ProtocolVersion.TLS11:
        iv = 0
    return suite.mac_length, suite.key_length, iv


def key_block(
    version: ProtocolVersion,
    suite: CipherSuite,
    master: bytes,
    client_random: bytes,
    server_random: bytes,
) -> KeyBlock:
    """RFC 5246 §6.3: key_block = PRF(SecurityParameters.master_secret, "key expansion",
    SecurityParameters.server_random + SecurityParameters.client_random), cut into the
    six keys of :class:`KeyBlock` in that order."""
    _check_randoms(client_random, server_random)
    mac, key, iv = key_block_lengths(version, suite)
    block = prf(
        version,
        suite.prf_hash,
        master,
        b"key expansion",
        server_random + client_random,
        2 * (mac + key + iv),
    )
    cuts = []
    start = 0
    for size in (mac, mac, key, key, iv, iv):
        cuts.append(block[start : start + size])
        start += size
    return KeyBlock(*cuts)


def verify_data(
    version: ProtocolVersion,
    suite: CipherSuite,
    master: bytes,
    label: bytes,
    handshake_messages: bytes,
) -> bytes:
    """RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label,
    Hash(handshake_messages))[0..verify_data_length-1], with *label* ``b"client
    finished"`` or ``b"server finished"`` and Hash as in :func:`session_hash`. Compare
    the peer's with :func:`nocrypto.compare_digest`."""
    if label not in (b"client finished", b"server finished"):
        raise ValueError("Finished label must be b'client finished' or b'server finished'")
    return prf(
        version,
        suite.prf_hash,
        master,
        label,
        session_hash(version, suite, handshake_messages),
        VERIFY_DATA_LENGTH,
    )
