"""The one door between nocrypto and its kernels: native C or pure-Python twins.

The backend is chosen once, when this module is first imported, from the
environment variable ``NOCRYPTO_BACKEND``:

- ``python``: the pure-Python twins in ``nocrypto._ref`` (slow; for machines
  without a C compiler, and to test the twins on their own);
- ``native``: the C extension ``nocrypto._native._nocrypto``; ``ImportError``
  if it is not built;
- unset (or empty): native if the extension imports, else the twins, with a
  single ``RuntimeWarning`` saying so.

Any other value is a ``ValueError``.  Both backends expose the same names with
the same signatures (STYLE.md, convention 6); the public modules of nocrypto
own argument validation and documentation and call only what is exported here.
"""

from __future__ import annotations

import functools
import os
import warnings
from typing import Final, Literal, Protocol

__all__ = [
    "ENV_VAR",
    "FALLBACK_WARNING",
    "HW_AESNI",
    "HW_AVX2",
    "HW_PCLMUL",
    "HW_SHA",
    "NAME",
    "AesKernel",
    "ChachaKernel",
    "DesKernel",
    "DigestKernel",
    "EcpKernel",
    "EcxKernel",
    "GcmKernel",
    "MpKernel",
    "aes",
    "chacha",
    "ct_equal",
    "des",
    "digest",
    "ecp",
    "ecx",
    "gcm",
    "hw_features",
    "mp",
    "restrict_hw",
]

#: The environment variable that selects the backend.
ENV_VAR: Final = "NOCRYPTO_BACKEND"

_ALLOWED: Final = ("native", "python")

#: The RuntimeWarning emitted (once) when the extension is missing and the
#: variable is unset.
FALLBACK_WARNING: Final = "nocrypto: C extension not built, using the pure-Python backend (slow)"


def _select() -> Literal["native", "python"]:
    """Read ``NOCRYPTO_BACKEND`` and decide; import the native module if needed."""
    requested = os.environ.get(ENV_VAR, "")
    if requested == "python":
        return "python"
    if requested not in ("", "native"):
        raise ValueError(
            f"{ENV_VAR} must be one of {', '.join(map(repr, _ALLOWED))} (or unset), "
            f"not {requested!r}"
        )
    try:
        import nocrypto._native._nocrypto  # noqa: F401 (probe that the extension loads)
    except ImportError as exc:
        if requested == "native":
            raise ImportError(
                f"{ENV_VAR}=native, but the C extension nocrypto._native._nocrypto cannot "
                f"be imported ({exc}); build it with `make venv` or `pip install -e .`, "
                f"or set {ENV_VAR}=python"
            ) from exc
        # Imported once per process, so this is emitted once per process.
        warnings.warn(FALLBACK_WARNING, RuntimeWarning, stacklevel=1)
        return "python"
    return "native"


#: The backend in use for the life of the process.
NAME: Final[Literal["native", "python"]] = _select()

if NAME == "native":
    from nocrypto._native.ct import ct_equal
else:
    from nocrypto._ref.ct import ct_equal


# --- the kernel families -----------------------------------------------------------------
#
# Each family is a module pair, ``nocrypto._native.<family>`` (a thin wrapper over the C
# kernel) and ``nocrypto._ref.<family>`` (its pure-Python twin), with the same functions.
# The Protocols below are that common interface: mypy checks both modules against them
# (a module satisfies a Protocol whose methods it defines as functions). Public modules get
# their kernel from the loader functions, which import the chosen module on first use.

Buffer = bytes | bytearray | memoryview


MAX_MODULUS_BITS: Final = 8192


class DigestKernel(Protocol):
    """Compression functions (FIPS 180-4, RFC 1321).

    *state* is the chaining value serialised as the digest is (MD5: little-endian words,
    SHA: big-endian words; 16/20/32/64 bytes for MD5/SHA-1/SHA-256/SHA-512, the full width
    also for SHA-224 and SHA-384) and is updated in place; *blocks* is a whole number of
    blocks (64 bytes, 128 for SHA-512).

    ``hash_finish``, ``hash_message`` and ``hmac`` name the hash *algorithm* as :mod:`hashlib`
    does ("md5", "sha1", "sha224", "sha256", "sha384", "sha512"). ``hash_finish`` returns the
    digest of a *length*-byte message from the chaining value *state* after its whole blocks
    (not modified) and its last ``length % block_size`` bytes *tail*: the padding (RFC 1321,
    3.1-3.2; FIPS 180-4, 5.1) with the low-order 64 bits of the bit length (128 for SHA-384
    and SHA-512; the caller enforces the SHA bound) and the last compressions, in one call.
    ``hash_message`` is the digest of *message*, and ``hmac`` the HMAC (RFC 2104; FIPS 198-1)
    of *message* under *key*, each in one call.
    """

    def md5_compress(self, state: bytearray, blocks: Buffer) -> None: ...
    def sha1_compress(self, state: bytearray, blocks: Buffer) -> None: ...
    def sha256_compress(self, state: bytearray, blocks: Buffer) -> None: ...
    def sha512_compress(self, state: bytearray, blocks: Buffer) -> None: ...
    def hash_finish(self, algorithm: str, state: Buffer, tail: Buffer, length: int) -> bytes: ...
    def hash_message(self, algorithm: str, message: Buffer) -> bytes: ...
    def hmac(self, algorithm: str, key: Buffer, message: Buffer) -> bytes: ...


class AesKernel(Protocol):
    """AES (FIPS 197) and its modes (SP 800-38A). The key schedule is an opaque byte string
    made by ``aes_expand_key`` of the same backend (16-, 24- or 32-byte keys). Data lengths
    are whole blocks, except for CTR. In CTR mode the last *counter_bytes* (1..16) bytes of
    the counter block are a big-endian counter incremented per block, wrapping modulo
    2**(8*counter_bytes) (GCM: 4; CCM: 15 - nonce length; plain CTR: 16)."""

    def aes_expand_key(self, key: bytes) -> bytes: ...
    def aes_ecb_encrypt(self, schedule: bytes, data: Buffer) -> bytes: ...
    def aes_ecb_decrypt(self, schedule: bytes, data: Buffer) -> bytes: ...
    def aes_cbc_encrypt(self, schedule: bytes, iv: bytes, data: Buffer) -> bytes: ...
    def aes_cbc_decrypt(self, schedule: bytes, iv: bytes, data: Buffer) -> bytes: ...
    def aes_ctr(
        self, schedule: bytes, counter_block: bytes, data: Buffer, counter_bytes: int
    ) -> bytes: ...


class DesKernel(Protocol):
    """TDEA / 3DES-EDE (SP 800-67) with 24-byte keys (K1 K2 K3), ECB and CBC over whole
    8-byte blocks; the key schedule is opaque, made by ``des3_expand_key``."""

    def des3_expand_key(self, key: bytes) -> bytes: ...
    def des3_ecb_encrypt(self, schedule: bytes, data: Buffer) -> bytes: ...
    def des3_ecb_decrypt(self, schedule: bytes, data: Buffer) -> bytes: ...
    def des3_cbc_encrypt(self, schedule: bytes, iv: bytes, data: Buffer) -> bytes: ...
    def des3_cbc_decrypt(self, schedule: bytes, iv: bytes, data: Buffer) -> bytes: ...


class GcmKernel(Protocol):
    """GHASH and AES-GCM (SP 800-38D). ``ghash_key`` precomputes (opaquely) from the hash
    subkey H = E(K, 0^128); ``ghash`` continues GHASH from *y* over *data* (a whole number
    of 16-byte blocks). ``aes_gcm_seal`` returns ciphertext || 16-byte tag for the
    pre-counter block *j0*; ``aes_gcm_open`` checks the first len(tag) bytes of the tag in
    constant time and returns the plaintext, or None (and no plaintext) on a mismatch."""

    def ghash_key(self, h: bytes) -> bytes: ...
    def ghash(self, hkey: bytes, y: bytes, data: Buffer) -> bytes: ...
    def aes_gcm_seal(
        self, schedule: bytes, hkey: bytes, j0: bytes, aad: Buffer, plaintext: Buffer
    ) -> bytes: ...
    def aes_gcm_open(
        self, schedule: bytes, hkey: bytes, j0: bytes, aad: Buffer, ciphertext: Buffer, tag: bytes
    ) -> bytes | None: ...


class ChachaKernel(Protocol):
    """ChaCha20, Poly1305 and their AEAD (RFC 8439). ``chacha20_xor`` starts at block
    *counter* (32-bit) with a 12-byte nonce; ``poly1305`` takes a one-time 32-byte key;
    the AEAD returns ciphertext || 16-byte tag, and ``..._open`` returns None on a bad
    tag (checked in constant time, no plaintext released)."""

    def chacha20_xor(self, key: bytes, counter: int, nonce: bytes, data: Buffer) -> bytes: ...
    def poly1305(self, key: bytes, message: Buffer) -> bytes: ...
    def chacha20_poly1305_seal(
        self, key: bytes, nonce: bytes, aad: Buffer, plaintext: Buffer
    ) -> bytes: ...
    def chacha20_poly1305_open(
        self, key: bytes, nonce: bytes, aad: Buffer, ciphertext: Buffer, tag: bytes
    ) -> bytes | None: ...


class MpKernel(Protocol):
    """Multi-precision modular arithmetic on non-negative ints (the Python wrapper converts
    to fixed-width limbs). Moduli are odd, 3 <= modulus < 2**MAX_MODULUS_BITS (8192); other
    operands are reduced (0 <= a < modulus); ValueError otherwise. Everything is constant
    time in the operands for a given modulus size (and, for ``mod_exp``, a given
    *exponent_bits*, the public bound 0 <= exponent < 2**exponent_bits that fixes the loop):
    Montgomery multiplication, fixed-window exponentiation with constant-time table selection.
    ``mod_inverse`` returns the inverse of *a* modulo the odd *modulus*, or 0 when there is
    none (gcd != 1), in constant time.

    ``rsa_crt`` is the whole RSA private operation (RFC 8017 5.1.2, CRT form of the key) in
    one call, constant time in everything but the sizes of n, p, q and the public e: with
    cb = c * blind mod n, m1 = cb^dP mod p, m2 = cb^dQ mod q, h = qInv (m1 - m2) mod p and
    mb = m2 + q h, it checks mb^e = cb mod n and returns (mb * unblind mod n, blind^2 mod n,
    unblind^2 mod n), or None when the check fails (a fault, or numbers that are not a key).
    Requires p, q odd with 3 <= p, q < n, 1 <= e < n, c, blind, unblind < n, dP, qInv < p,
    dQ < q (ValueError otherwise)."""

    def mod_exp(self, base: int, exponent: int, modulus: int, exponent_bits: int) -> int: ...
    def mod_mul(self, a: int, b: int, modulus: int) -> int: ...
    def mod_inverse(self, a: int, modulus: int) -> int: ...
    def rsa_crt(
        self,
        c: int,
        blind: int,
        unblind: int,
        n: int,
        e: int,
        p: int,
        q: int,
        dp: int,
        dq: int,
        qinv: int,
    ) -> tuple[int, int, int] | None: ...


class EcpKernel(Protocol):
    """NIST P-256, P-384, P-521 (FIPS 186-4 D.1.2), *curve* one of ``"P-256"``, ``"P-384"``,
    ``"P-521"``. Points are SEC 1 uncompressed octet strings (0x04 || X || Y, coordinates
    of the curve's byte length); scalars are big-endian octet strings of the curve's byte
    length (any value below 2**bits; reduced modulo n inside). ``ec_mul`` and ``ec_mul_base``
    are constant time in the scalar (complete addition formulas, constant-time table
    selection) and return None for the point at infinity; they raise ValueError for a point
    that is not on the curve. ``ec_mul_add`` computes u1*G + u2*P for signature verification
    (public inputs; may be variable time). ``ecdsa_sign`` is the ECDSA signature r || s
    (SEC 1 4.1.3) for the private key *d*, the nonce *k* and the hash value *e* (scalars as
    above): R = k*G, r = x_R mod n, s = k^-1 (e + r d) mod n, constant time in d, k and e;
    None when r = 0 or s = 0."""

    def ec_mul(self, curve: str, scalar: bytes, point: bytes) -> bytes | None: ...
    def ec_mul_base(self, curve: str, scalar: bytes) -> bytes | None: ...
    def ec_mul_add(self, curve: str, u1: bytes, u2: bytes, point: bytes) -> bytes | None: ...
    def ecdsa_sign(self, curve: str, d: bytes, k: bytes, e: bytes) -> bytes | None: ...


class EcxKernel(Protocol):
    """X25519 and X448 (RFC 7748 section 5: the scalar is clamped inside, u-coordinates
    little-endian, the top bit of an X25519 u masked) and the group operations of Ed25519
    (RFC 8032 section 5.1). ``ed25519_mul_base`` returns the encoding of [s]B for a 32-byte
    little-endian scalar s (any value below 2**256), constant time in s.
    ``ed25519_mul_add_vartime`` returns the encoding of [s]B - [k]A for the encoded point A
    (public inputs), or None if A does not decode to a point (RFC 8032 5.1.3, strict: a y
    coordinate >= p is refused). ``ed25519_scalar_muladd`` is the scalar arithmetic of
    signing, (a * b + c) mod L for 32-, 32- and 64-byte little-endian a, b, c (RFC 8032 5.1.6
    step 6), constant time in all three."""

    def x25519(self, scalar: bytes, u: bytes) -> bytes: ...
    def x448(self, scalar: bytes, u: bytes) -> bytes: ...
    def ed25519_mul_base(self, scalar: bytes) -> bytes: ...
    def ed25519_mul_add_vartime(self, s: bytes, k: bytes, a: bytes) -> bytes | None: ...
    def ed25519_scalar_muladd(self, a: bytes, b: bytes, c: bytes) -> bytes: ...


@functools.cache
def digest() -> DigestKernel:
    """The hash compression kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import digest as native

        return native
    from nocrypto._ref import digest as ref

    return ref


@functools.cache
def aes() -> AesKernel:
    """The AES kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import aes as native

        return native
    from nocrypto._ref import aes as ref

    return ref


@functools.cache
def des() -> DesKernel:
    """The 3DES kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import des as native

        return native
    from nocrypto._ref import des as ref

    return ref


@functools.cache
def gcm() -> GcmKernel:
    """The GHASH / AES-GCM kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import gcm as native

        return native
    from nocrypto._ref import gcm as ref

    return ref


@functools.cache
def chacha() -> ChachaKernel:
    """The ChaCha20 / Poly1305 kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import chacha as native

        return native
    from nocrypto._ref import chacha as ref

    return ref


@functools.cache
def mp() -> MpKernel:
    """The multi-precision kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import mp as native

        return native
    from nocrypto._ref import mp as ref

    return ref


@functools.cache
def ecp() -> EcpKernel:
    """The NIST prime-curve kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import ecp as native

        return native
    from nocrypto._ref import ecp as ref

    return ref


@functools.cache
def ecx() -> EcxKernel:
    """The X25519 / X448 / Ed25519 kernel of the chosen backend."""
    if NAME == "native":
        from nocrypto._native import ecx as native

        return native
    from nocrypto._ref import ecx as ref

    return ref


# --- hardware paths of the native kernels ---------------------------------------------------

HW_AESNI: Final = 0x01
HW_PCLMUL: Final = 0x02
HW_SHA: Final = 0x04
HW_AVX2: Final = 0x08


def hw_features() -> int:
    """The hardware paths the native kernels use now (HW_* bits); 0 for the python backend."""
    if NAME != "native":
        return 0
    from nocrypto._native._nocrypto import lib

    return int(lib.nocrypto_cpu_features())


def restrict_hw(mask: int) -> None:
    """Let the native kernels use only the hardware paths in *mask* (0: portable C only).

    For tests and benchmarks of the portable paths; a no-op for the python backend. Key
    schedules record the path that made them, so a schedule made before a change of mask
    stays usable.
    """
    if NAME != "native":
        return
    from nocrypto._native._nocrypto import lib

    lib.nocrypto_cpu_restrict(mask & 0xFFFFFFFF)
