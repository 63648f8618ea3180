"""The golden transcript: with seeded random sources and a fixed clock a handshake (and a
request, a reply and the closure) is reproducible byte for byte (DESIGN.md principle 1).

Pinned: the SHA-256 of the whole transcript and the first bytes of the ClientHello (made
by vectors/tls/make_vectors.py, which also writes the transcript as hex). Independent
checks, each able to fail on its own: the randoms come from the configured sources and
nowhere else, a second run is identical and another seed is not, the records have the
expected types, and the application data decrypts under keys re-derived here from the
transcript with the standard library's HMAC (RFC 5246 §5 PRF, RFC 7627 session hash),
X25519 and AES-GCM, without the engine's key schedule.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path

import tls
import x509
from nocrypto import ecx
from nocrypto.aead import AES_GCM
from nocrypto.rng import Fortuna
from tls import NamedGroup, SignatureScheme
from tls.ciphersuites import by_name

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "tls"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CLIENT_SEED = b"golden client"
SERVER_SEED = b"golden server"
REQUEST = b"GET /golden HTTP/1.1\r\nHost: server.test\r\n\r\n"
REPLY = b"HTTP/1.1 204 No Content\r\n\r\n"

#: Pinned by vectors/tls/make_vectors.py.
GOLDEN_SHA256 = "3415a17010ae50ad0cae0c77f3169647eca8e0b6eb6afa57f0b0079ab027a503"
#: Record header (handshake, record version TLS 1.0, length), ClientHello header, version
#: TLS 1.2 and the first bytes of the random.
CLIENT_HELLO_START = "1603010066010000620303e9bcb950f5"


def _configs(client_seed: bytes, server_seed: bytes) -> tuple[tls.Config, tls.Config]:
    root = x509.Certificate.from_pem((VECTORS / "ec-root.pem").read_text())
    leaf = x509.Certificate.from_pem((VECTORS / "ec-leaf.pem").read_text())
    key = x509.load_private_key((VECTORS / "ec-leaf.key").read_bytes())
    common = {
        "cipher_suites": (
            by_name("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            by_name("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
        ),
        "groups": (NamedGroup.X25519, NamedGroup.SECP256R1),
        "signature_schemes": (SignatureScheme.ECDSA_SECP256R1_SHA256,),
        "now": lambda: NOW,
    }
    client = tls.Config(
        random=Fortuna(seed=client_seed).generate,
        authenticator=x509.Authenticator.chain_of_trust([root]),
        **common,  # type: ignore[arg-type]
    )
    server = tls.Config(
        random=Fortuna(seed=server_seed).generate,
        certificates=(tls.CertificateChain((leaf, root), key),),
        **common,  # type: ignore[arg-type]
    )
    return client, server


def run_golden(client_seed: bytes = CLIENT_SEED, server_seed: bytes = SERVER_SEED) -> list[bytes]:
    """The flights of the golden connection, in order (client first)."""
    ccfg, scfg = _configs(client_seed, server_seed)
    client, out = tls.client(ccfg, "server.test")
    server = tls.server(scfg)
    flights = [out.to_send]
    server, out = tls.handle(server, flights[-1])
    flights.append(out.to_send)
    client, out = tls.handle(client, flights[-1])
    flights.append(out.to_send)
    server, out = tls.handle(server, flights[-1])
    flights.append(out.to_send)
    client, out = tls.handle(client, flights[-1])
    assert tls.is_established(client) and tls.is_established(server)
    client, out = tls.send(client, REQUEST)
    flights.append(out.to_send)
    server, out = tls.handle(server, flights[-1])
    assert out.data == REQUEST
    server, out = tls.send(server, REPLY)
    flights.append(out.to_send)
    client, out = tls.handle(client, flights[-1])
    assert out.data == REPLY
    client, out = tls.close(client)
    flights.append(out.to_send)
    server, out = tls.handle(server, flights[-1])
    flights.append(out.to_send)  # the server's close_notify
    return flights


def _records(data: bytes) -> list[tuple[int, bytes]]:
    out = []
    while data:
        length = int.from_bytes(data[3:5], "big")
        out.append((data[0], data[5 : 5 + length]))
        data = data[5 + length :]
    return out


def test_transcript_is_pinned() -> None:
    flights = run_golden()
    assert flights[0][:16].hex() == CLIENT_HELLO_START
    assert flights[0][9:11] == b"\x03\x03"  # client_version TLS 1.2
    assert hashlib.sha256(b"".join(flights)).hexdigest() == GOLDEN_SHA256


def test_transcript_is_reproducible_and_seed_dependent() -> None:
    assert run_golden() == run_golden()
    other = run_golden(client_seed=b"another seed")
    assert other[0] != run_golden()[0]


def test_randoms_come_from_the_configured_sources() -> None:
    flights = run_golden()
    client_random = Fortuna(seed=CLIENT_SEED).generate(32)
    server_random = Fortuna(seed=SERVER_SEED).generate(32)
    # ClientHello.random follows the record header (5), handshake header (4), version (2)
    assert flights[0][11:43] == client_random
    assert flights[1][11:43] == server_random


def test_record_types_in_order() -> None:
    flights = run_golden()
    types = [[t for t, _ in _records(f)] for f in flights]
    assert types == [
        [22],  # ClientHello
        [22],  # ServerHello .. ServerHelloDone in one record
        [22, 20, 22],  # ClientKeyExchange, CCS, Finished
        [20, 22],  # CCS, Finished
        [23],
        [23],
        [21],
        [21],
    ]


def _prf(secret: bytes, label: bytes, seed: bytes, n: int) -> bytes:
    # RFC 5246 §5: P_SHA256, written here with the standard library only.
    out, a = b"", label + seed
    while len(out) < n:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + label + seed, hashlib.sha256).digest()
    return out[:n]


def _handshake_messages(records: list[tuple[int, bytes]]) -> bytes:
    return b"".join(body for t, body in records if t == 22)


def test_application_data_decrypts_under_independently_derived_keys() -> None:
    flights = run_golden()
    client_rng = Fortuna(seed=CLIENT_SEED).generate
    client_random = client_rng(32)
    client_x25519 = ecx.X25519PrivateKey.from_bytes(client_rng(32))
    hello = _handshake_messages(_records(flights[0]))
    server_flight = _handshake_messages(_records(flights[1]))
    ckx_record = _records(flights[2])[0][1]
    server_random = server_flight[6:38]
    # ServerKeyExchange: find it after ServerHello and Certificate
    pos = 0
    ske = b""
    while pos < len(server_flight):
        length = int.from_bytes(server_flight[pos + 1 : pos + 4], "big")
        if server_flight[pos] == 12:
            ske = server_flight[pos + 4 : pos + 4 + length]
        pos += 4 + length
    assert ske[:3] == b"\x03\x00\x1d"  # named_curve x25519
    server_point = ske[4 : 4 + ske[3]]
    premaster = client_x25519.exchange(ecx.X25519PublicKey.from_bytes(server_point))
    # RFC 7627: the session hash covers ClientHello .. ClientKeyExchange
    session_hash = hashlib.sha256(hello + server_flight + ckx_record).digest()
    master = _prf(premaster, b"extended master secret", session_hash, 48)
    block = _prf(master, b"key expansion", server_random + client_random, 2 * (16 + 4))
    client_key, server_key = block[:16], block[16:32]
    client_iv, server_iv = block[32:36], block[36:40]
    for flight, key, iv, expected in (
        (flights[4], client_key, client_iv, REQUEST),
        (flights[5], server_key, server_iv, REPLY),
    ):
        ((_content_type, body),) = _records(flight)
        explicit, sealed = body[:8], body[8:]
        seq = 1  # the Finished was record 0 under these keys
        aad = seq.to_bytes(8, "big") + bytes([23, 3, 3]) + (len(sealed) - 16).to_bytes(2, "big")
        assert explicit == seq.to_bytes(8, "big")
        assert AES_GCM(key).open(iv + explicit, sealed, aad) == expected
