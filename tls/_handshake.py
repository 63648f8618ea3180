"""What the client and server handshakes share: key derivation, Finished, the session.

RFC 5246 §8.1 (master secret), RFC 7627 §4 (extended master secret over the session
hash of the messages up to and including ClientKeyExchange), §6.3 (key block), §7.4.9
(Finished: "verify_data ... the recipient MUST verify that the contents are correct",
compared here in constant time), RFC 5746 (renegotiation_info).
"""

from __future__ import annotations

from typing import Literal

from nocrypto import compare_digest
from tls import _keys, errors
from tls._messages import Finished
from tls._reader import VERIFY_DATA_LENGTH
from tls._record import CipherState, new_cipher_state
from tls._state import Negotiated
from tls._writer import encode_finished

__all__ = ["check_finished", "derive_keys", "finished_message"]


def derive_keys(
    params: Negotiated,
    premaster: bytes,
    log: bytes,
    side: Literal["client", "server"],
) -> tuple[bytes, CipherState, CipherState]:
    """(master secret, our write state, our read state) from the premaster secret; *log*
    holds the handshake messages up to and including ClientKeyExchange (RFC 7627 §4)."""
    v, suite = params.version, params.suite
    if params.extended_master_secret:
        master = _keys.extended_master_secret(
            v, suite, premaster, _keys.session_hash(v, suite, log)
        )
    else:
        master = _keys.master_secret(
            v, suite, premaster, params.client_random, params.server_random
        )
    block = _keys.key_block(v, suite, master, params.client_random, params.server_random)
    write = new_cipher_state(v, suite, block, side, "write")
    read = new_cipher_state(v, suite, block, side, "read")
    return master, write, read


def finished_message(params: Negotiated, master: bytes, label: bytes, log: bytes) -> bytes:
    """Our Finished message (RFC 5246 §7.4.9) over the handshake messages in *log*."""
    data = _keys.verify_data(params.version, params.suite, master, label, log)
    return encode_finished(Finished(data))


def check_finished(
    params: Negotiated, master: bytes, label: bytes, log: bytes, received: Finished
) -> None:
    """Check the peer's Finished: a wrong length is a decode_error (RFC 5246 §7.4.9 fixes
    12 bytes), a wrong value a decrypt_error (§7.2.2: "a ... finished message could not
    be correctly verified"), compared in constant time."""
    if len(received.verify_data) != VERIFY_DATA_LENGTH:
        raise errors.DecodeError("Finished.verify_data is not 12 bytes")
    expected = _keys.verify_data(params.version, params.suite, master, label, log)
    if not compare_digest(expected, received.verify_data):
        raise errors.DecryptError("the peer's Finished does not verify")
