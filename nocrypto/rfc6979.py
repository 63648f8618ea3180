"""Deterministic nonces for DSA and ECDSA (RFC 6979, section 3.2).

The nonce k is derived with HMAC_DRBG from the private key x and the message hash h1, so
signing needs no randomness and a weak RNG cannot leak the key. :func:`nonces` yields the
successive candidates of step h: the first is the nonce; a signer whose r or s came out zero
takes the next one (section 3.4).
"""

from __future__ import annotations

from collections.abc import Iterator

from nocrypto import _backend, hashes

__all__ = ["bits2int", "bits2octets", "int2octets", "nonces"]


def bits2int(data: bytes, qlen: int) -> int:
    """Section 2.3.2: the leftmost *qlen* bits of *data* as an integer."""
    value = int.from_bytes(data, "big")
    blen = 8 * len(data)
    return value >> (blen - qlen) if blen > qlen else value


def int2octets(x: int, qlen: int) -> bytes:
    """Section 2.3.3: *x* as rlen = ceil(qlen / 8) big-endian bytes."""
    return x.to_bytes((qlen + 7) // 8, "big")


def bits2octets(data: bytes, q: int) -> bytes:
    """Section 2.3.4: bits2int, reduced modulo q, then int2octets."""
    qlen = q.bit_length()
    return int2octets(bits2int(data, qlen) % q, qlen)


def nonces(q: int, x: int, h1: bytes, hash_name: str) -> Iterator[int]:
    """The candidate nonces 1 <= k < q for private key *x* and message hash *h1* (the hash
    of the message with *hash_name*, which also keys the HMAC_DRBG)."""
    if q < 2 or not 0 < x < q:
        raise ValueError("RFC 6979: need 0 < x < q")
    qlen = q.bit_length()
    rlen = (qlen + 7) // 8
    hlen = len(h1)
    # Every HMAC of the HMAC_DRBG is one kernel call: on inputs this short, the cost of an
    # HMAC is the cost of a call.
    name = hashes._canonical(hash_name)
    mac = _backend.digest().hmac

    # Steps b-g (a: h1 is given): V = 0x01 0x01 ..., K = 0x00 0x00 ...,
    # K = HMAC_K(V || 0x00 || int2octets(x) || bits2octets(h1)), V = HMAC_K(V), and again
    # with 0x01.
    v = b"\x01" * hlen
    seed = int2octets(x, qlen) + bits2octets(h1, q)
    k = mac(name, bytes(hlen), v + b"\x00" + seed)
    v = mac(name, k, v)
    k = mac(name, k, v + b"\x01" + seed)
    v = mac(name, k, v)
    # Step h: T from V = HMAC_K(V) until it has qlen bits (rlen bytes); a candidate outside
    # [1, q - 1] (or one the caller refuses) moves K and V on.
    while True:
        t = b""
        while len(t) < rlen:
            v = mac(name, k, v)
            t += v
        candidate = bits2int(t, qlen)
        if 1 <= candidate < q:
            yield candidate
        k = mac(name, k, v + b"\x00")
        v = mac(name, k, v)
