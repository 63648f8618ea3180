"""otr: Off-the-Record messaging, protocol version 3 (and its version 2 subset).

Written from "Off-the-Record Messaging Protocol version 3" (otr.cypherpunks.ca,
Protocol-v3-4.1.1) as a pure engine in the shape of ``tls``: a :class:`Session` is an
immutable value, each step maps a session and an input to a new session and an
:class:`Output`; randomness comes from the caller (``rng``); nothing here does I/O.

>>> import otr
>>> from nocrypto import dsa, rng
>>> def key(seed):
...     random = rng.Fortuna(seed=seed).generate
...     params = dsa.DSAParameters.generate(1024, 160, hash="sha1", random=random)
...     return dsa.DSAPrivateKey.generate(params, random=random)
>>> alice = otr.Session.new(key(b"a"), otr.Policy.DEFAULT, rng.Fortuna())
>>> bob = otr.Session.new(key(b"b"), otr.Policy.DEFAULT, rng.Fortuna())
>>> alice, out = otr.query(alice)
>>> out.to_send
['?OTRv23?']
>>> bob, out = otr.handle(bob, out.to_send[0])            # Bob: D-H Commit
>>> alice, out = otr.handle(alice, out.to_send[0])        # Alice: D-H Key
>>> bob, out = otr.handle(bob, out.to_send[0])            # Bob: Reveal Signature
>>> alice, out = otr.handle(alice, out.to_send[0])        # Alice: Signature
>>> bob, last = otr.handle(bob, out.to_send[0])
>>> [type(e).__name__ for e in last.events], alice.ssid == bob.ssid
(['GoneSecure'], True)
>>> alice, out = otr.send(alice, "hello")
>>> otr.handle(bob, out.to_send[0])[1].received
'hello'

Covered: query messages, whitespace tags, error messages, encoded messages and v2/v3
fragments (sent at ``max_message_size`` and reassembled with a bound); the AKE (D-H Commit,
D-H Key, Reveal Signature, Signature) with instance tags, DSA-1024 keys, the SSID and
fingerprints; data messages (AES-128-CTR, SHA-1 HMAC, key rotation, MAC key revelation,
counter replay check, TLVs, the extra symmetric key); SMP with and without a question
(``otr._smp``); the policies of the specification. Long-term keys in libotr's private-key
file format: :func:`read_private_keys`, :func:`write_private_keys`,
:func:`generate_account_key` (:class:`AccountKey`, :class:`KeyFileError`).

Depends on ``nocrypto`` only.
"""

from __future__ import annotations

from otr._keyfile import (
    AccountKey,
    KeyFileError,
    generate_account_key,
    read_private_keys,
    write_private_keys,
)
from otr._session import (
    Output,
    Session,
    end,
    handle,
    query,
    send,
    smp_abort,
    smp_respond,
    smp_start,
    use_extra_key,
)
from otr._wire import fingerprint as _fingerprint
from otr._wire import human_fingerprint
from otr.events import (
    ErrorReceived,
    Event,
    ExtraSymmetricKey,
    GoneInsecure,
    GoneSecure,
    SMPRequested,
    SMPResult,
    Warning,
)
from otr.policy import Policy

__all__ = [
    "AccountKey",
    "ErrorReceived",
    "Event",
    "ExtraSymmetricKey",
    "GoneInsecure",
    "GoneSecure",
    "KeyFileError",
    "Output",
    "Policy",
    "SMPRequested",
    "SMPResult",
    "Session",
    "Warning",
    "end",
    "fingerprint",
    "generate_account_key",
    "handle",
    "human_fingerprint",
    "query",
    "read_private_keys",
    "send",
    "smp_abort",
    "smp_respond",
    "smp_start",
    "use_extra_key",
    "write_private_keys",
]


def fingerprint(key: object) -> bytes:
    """The 20-byte OTR fingerprint of a DSA public (or private) key: SHA-1 of its PUBKEY
    encoding without the 2-byte type. ``human_fingerprint`` formats it as libotr does."""
    from nocrypto import dsa

    if isinstance(key, dsa.DSAPrivateKey):
        key = key.public_key()
    if not isinstance(key, dsa.DSAPublicKey):
        raise TypeError("fingerprint needs a nocrypto.dsa DSA key")
    return _fingerprint(key)
