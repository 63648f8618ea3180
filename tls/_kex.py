"""Key exchange and ServerKeyExchange signatures, on top of nocrypto.

- Groups: RFC 8422 §5.1.1 (secp256r1/384r1/521r1 with uncompressed points only, §5.1.2;
  x25519/x448 as RFC 8422 §5.11 / RFC 7748 describe) and RFC 7919 (FFDHE).
- RSA premaster: RFC 5246 §7.4.7.1, with the Bleichenbacher countermeasure on the server.
- Signatures: RFC 5246 §4.7 and §7.4.1.4.1 (TLS 1.2 ``digitally-signed`` with a
  SignatureAndHashAlgorithm; RSA-PSS and Ed25519 code points from RFC 8446 §4.2.3 and
  RFC 8422 §5.1.3), RFC 2246/4346 §4.7 (TLS 1.0/1.1: RSA over MD5||SHA-1 without
  DigestInfo) and RFC 4492 §5.4 (TLS 1.0/1.1 ECDSA over SHA-1).

Every failure caused by the peer's values raises a :class:`tls.errors.TLSError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeAlias

import asn1
import x509
from nocrypto import dh, ec, ecx, hashes, rsa
from tls import errors
from tls._state import EphemeralKey
from tls._wire import NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import KeyExchange

Random: TypeAlias = Callable[[int], bytes]

__all__ = [
    "EC_GROUPS",
    "FFDHE_GROUPS",
    "curve_group",
    "dh_shared",
    "ec_shared",
    "generate",
    "key_fits",
    "named_ffdhe",
    "public_bytes",
    "rsa_premaster_decrypt",
    "scheme_fits",
    "sign",
    "verify",
]

#: RFC 8422 §5.1.1 / RFC 7748: the elliptic-curve groups.
EC_GROUPS: Final[frozenset[NamedGroup]] = frozenset(
    {
        NamedGroup.SECP256R1,
        NamedGroup.SECP384R1,
        NamedGroup.SECP521R1,
        NamedGroup.X25519,
        NamedGroup.X448,
    }
)

_CURVES: Final[dict[NamedGroup, ec.Curve]] = {
    NamedGroup.SECP256R1: ec.P256,
    NamedGroup.SECP384R1: ec.P384,
    NamedGroup.SECP521R1: ec.P521,
}

#: RFC 7919 §2 / appendix A: the FFDHE groups.
FFDHE_GROUPS: Final[dict[NamedGroup, dh.DHGroup]] = {
    NamedGroup.FFDHE2048: dh.FFDHE2048,
    NamedGroup.FFDHE3072: dh.FFDHE3072,
    NamedGroup.FFDHE4096: dh.FFDHE4096,
    NamedGroup.FFDHE6144: dh.FFDHE6144,
    NamedGroup.FFDHE8192: dh.FFDHE8192,
}

_ECDSA_SIG = asn1.sequence(("r", asn1.integer), ("s", asn1.integer))

#: TLS 1.2 signature schemes: (kind, hash).
_SCHEMES: Final[dict[SignatureScheme, tuple[str, str]]] = {
    SignatureScheme.RSA_PKCS1_SHA1: ("rsa", "sha1"),
    SignatureScheme.RSA_PKCS1_SHA256: ("rsa", "sha256"),
    SignatureScheme.RSA_PKCS1_SHA384: ("rsa", "sha384"),
    SignatureScheme.RSA_PKCS1_SHA512: ("rsa", "sha512"),
    SignatureScheme.RSA_PSS_RSAE_SHA256: ("pss", "sha256"),
    SignatureScheme.RSA_PSS_RSAE_SHA384: ("pss", "sha384"),
    SignatureScheme.RSA_PSS_RSAE_SHA512: ("pss", "sha512"),
    SignatureScheme.ECDSA_SHA1: ("ecdsa", "sha1"),
    SignatureScheme.ECDSA_SECP256R1_SHA256: ("ecdsa", "sha256"),
    SignatureScheme.ECDSA_SECP384R1_SHA384: ("ecdsa", "sha384"),
    SignatureScheme.ECDSA_SECP521R1_SHA512: ("ecdsa", "sha512"),
    SignatureScheme.ED25519: ("ed25519", ""),
}


def curve_group(key: ec.ECPublicKey) -> NamedGroup | None:
    """The NamedGroup of an EC key's curve (RFC 8422 §5.1.1)."""
    for group, curve in _CURVES.items():
        if curve == key.curve:
            return group
    return None


def named_ffdhe(p: int, g: int) -> NamedGroup | None:
    """The RFC 7919 group with prime *p* and generator *g*, if it is one."""
    for named, group in FFDHE_GROUPS.items():
        if group.p == p and group.g == g:
            return named
    return None


# -- ephemeral keys -------------------------------------------------------------------------


def generate(group: NamedGroup, random: Random) -> EphemeralKey:
    """A fresh ephemeral private key in *group*, from the configured random source."""
    rand = random
    if group == NamedGroup.X25519:
        return ecx.X25519PrivateKey.generate(rand)
    if group == NamedGroup.X448:
        return ecx.X448PrivateKey.generate(rand)
    if group in _CURVES:
        return ec.ECPrivateKey.generate(_CURVES[group], random=rand)
    return FFDHE_GROUPS[group].generate_private_key(rand)


def public_bytes(key: EphemeralKey) -> bytes:
    """The wire form of *key*'s public value: the uncompressed point (RFC 8422 §5.4), the
    X25519/X448 u-coordinate (RFC 8422 §5.11) or dh_Y padded to the size of p (RFC 7919
    §4 allows the padding)."""
    return key.public_key().to_bytes()


def ec_shared(key: EphemeralKey, point: bytes) -> bytes:
    """The ECDH premaster of our *key* and the peer's encoded *point* (RFC 8422 §5.10,
    §5.11). A point that is not on the curve, a compressed or hybrid encoding, a wrong
    length, or an all-zero X25519/X448 secret is :class:`~tls.errors.IllegalParameter`
    (RFC 8422 §5.11: X25519/X448 "MUST check whether the computed Diffie-Hellman shared
    secret is the all-zero value and abort if so")."""
    try:
        if isinstance(key, ecx.X25519PrivateKey):
            if len(point) != 32:
                raise errors.IllegalParameter("an X25519 public value has 32 bytes")
            return key.exchange(ecx.X25519PublicKey.from_bytes(point))
        if isinstance(key, ecx.X448PrivateKey):
            if len(point) != 56:
                raise errors.IllegalParameter("an X448 public value has 56 bytes")
            return key.exchange(ecx.X448PublicKey.from_bytes(point))
        if isinstance(key, ec.ECPrivateKey):
            # RFC 8422 §5.1.2: only the uncompressed format is negotiated by this library.
            if len(point) != 1 + 2 * key.curve.size or point[0] != 4:
                raise errors.IllegalParameter("not an uncompressed point of the right size")
            return key.exchange(ec.ECPublicKey.from_bytes(key.curve, point))
    except ValueError as e:
        raise errors.IllegalParameter(f"bad ECDH public value: {e}") from None
    raise errors.InternalError("ec_shared with a finite-field key")


def dh_shared(key: dh.DHPrivateKey, y: bytes) -> bytes:
    """The DH premaster Z with leading zero bytes stripped (RFC 5246 §8.1.2) of our *key*
    and the peer's dh_Y; y outside [2, p-2] (RFC 7919 §5.1) is IllegalParameter."""
    try:
        peer = dh.DHPublicKey.from_bytes(key.group, y)
        return key.exchange(peer, strip_leading_zeros=True)
    except ValueError as e:
        raise errors.IllegalParameter(f"bad DH public value: {e}") from None


def rsa_premaster_decrypt(
    key: rsa.RSAPrivateKey, encrypted: bytes, client_version: int, random: Random
) -> bytes:
    """The premaster secret of an RSA ClientKeyExchange, with the countermeasure of
    RFC 5246 §7.4.7.1 against Bleichenbacher's attack, in one code path:

    1. R = 46 random bytes, generated before decrypting; the fallback is
       ClientHello.client_version || R.
    2. M = the PKCS #1 v1.5 message if the padding is right and M has 48 bytes, else the
       fallback -- ``decrypt_pkcs1v15_or`` decides without a branch on the padding.
    3. M's version bytes must be ClientHello.client_version ("strict" check): the choice
       between M and the fallback is again an arithmetic mask, no branch.

    Never raises and sends no alert of its own: "a TLS server MUST NOT generate an alert if
    processing an RSA-encrypted premaster secret message fails, or the version number is
    not as expected. Instead, it MUST continue the handshake with a randomly generated
    premaster secret." A wrong premaster shows up only as a Finished that does not verify.
    """
    rand = random
    version = client_version.to_bytes(2, "big")
    fallback = version + rand(46)
    message = key.decrypt_pkcs1v15_or(encrypted, fallback, random=rand)
    # Constant-time version check: diff == 0 iff the two version bytes match.
    diff = (message[0] ^ version[0]) | (message[1] ^ version[1])
    good = ((diff - 1) >> 8) & 1  # 1 if diff == 0 else 0 (diff < 256)
    mask = -good & ((1 << 384) - 1)
    chosen = (int.from_bytes(message, "big") & mask) | (int.from_bytes(fallback, "big") & ~mask)
    return (chosen & ((1 << 384) - 1)).to_bytes(48, "big")


# -- signatures -----------------------------------------------------------------------------


def key_fits(key: x509.PublicKey, kex: KeyExchange) -> bool:
    """Whether a certificate key can authenticate *kex* (RFC 5246 §7.4.2, RFC 8422 §5.3:
    an RSA key for the *_RSA exchanges, an ECDSA or Ed25519 key for ECDHE_ECDSA)."""
    if kex is KeyExchange.ECDHE_ECDSA:
        return isinstance(key, (ec.ECPublicKey, ecx.Ed25519PublicKey)) and (
            not isinstance(key, ec.ECPublicKey) or curve_group(key) is not None
        )
    return isinstance(key, rsa.RSAPublicKey)


def scheme_fits(scheme: int, key: x509.PublicKey) -> bool:
    """Whether TLS 1.2 *scheme* can be made or checked with *key*."""
    try:
        kind, _ = _SCHEMES[SignatureScheme(scheme)]
    except (ValueError, KeyError):
        return False
    if kind in ("rsa", "pss"):
        return isinstance(key, rsa.RSAPublicKey)
    if kind == "ecdsa":
        return isinstance(key, ec.ECPublicKey)
    return isinstance(key, ecx.Ed25519PublicKey)


def _md5_sha1(data: bytes) -> bytes:
    """RFC 2246 §4.7: an RSA signature "is performed using PKCS #1 block type 1" over the
    36 bytes MD5(data) || SHA-1(data), without a DigestInfo (nocrypto's "md5sha1")."""
    return hashes.digest("md5", data) + hashes.digest("sha1", data)


def sign(
    key: x509.PrivateKey,
    version: ProtocolVersion,
    scheme: SignatureScheme | None,
    data: bytes,
    random: Random,
) -> bytes:
    """Our signature of *data* (TLS 1.2: with *scheme*; before: the version's fixed form)."""
    rand = random
    if version < ProtocolVersion.TLS12 or scheme is None:
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign_digest(_md5_sha1(data), "md5sha1", "pkcs1v15", random=rand)
        if isinstance(key, ec.ECPrivateKey):
            r, s = key.sign(data, "sha1")
            return asn1.encode_der(_ECDSA_SIG, (r, s))
        raise errors.InternalError("no TLS 1.0/1.1 signature for this key")
    kind, hash_name = _SCHEMES[scheme]
    if kind == "rsa" and isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, hash_name, "pkcs1v15", random=rand)
    if kind == "pss" and isinstance(key, rsa.RSAPrivateKey):
        # RFC 8446 §4.2.3: "The length of the Salt MUST be equal to the length of the output
        # of the digest algorithm" (salt_length None = the hash length).
        return key.sign(data, hash_name, "pss", None, random=rand)
    if kind == "ecdsa" and isinstance(key, ec.ECPrivateKey):
        r, s = key.sign(data, hash_name)
        return asn1.encode_der(_ECDSA_SIG, (r, s))
    if kind == "ed25519" and isinstance(key, ecx.Ed25519PrivateKey):
        return key.sign(data)
    raise errors.InternalError(f"{scheme!r} does not fit the key")


def verify(
    key: x509.PublicKey,
    version: ProtocolVersion,
    scheme: int | None,
    data: bytes,
    signature: bytes,
) -> bool:
    """Whether *signature* over *data* is the peer's, under the leaf's *key*."""
    if version < ProtocolVersion.TLS12 or scheme is None:
        if isinstance(key, rsa.RSAPublicKey):
            return key.verify_digest(signature, _md5_sha1(data), "md5sha1", "pkcs1v15")
        if isinstance(key, ec.ECPublicKey):
            return _ecdsa_verify(key, data, signature, "sha1")
        return False
    try:
        kind, hash_name = _SCHEMES[SignatureScheme(scheme)]
    except (ValueError, KeyError):
        return False
    try:
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            return key.verify(signature, data, hash_name, "pkcs1v15")
        if kind == "pss" and isinstance(key, rsa.RSAPublicKey):
            return key.verify(signature, data, hash_name, "pss", None)
        if kind == "ecdsa" and isinstance(key, ec.ECPublicKey):
            return _ecdsa_verify(key, data, signature, hash_name)
        if kind == "ed25519" and isinstance(key, ecx.Ed25519PublicKey):
            return key.verify(signature, data)
    except ValueError:
        return False
    return False


def _ecdsa_verify(key: ec.ECPublicKey, data: bytes, signature: bytes, hash_name: str) -> bool:
    # RFC 8422 §5.4: the signature is the DER ``Ecdsa-Sig-Value`` (strict DER here).
    try:
        r, s = asn1.decode_der(_ECDSA_SIG, signature)
    except asn1.DecodeError:
        return False
    if not (isinstance(r, int) and isinstance(s, int)):
        return False
    return key.verify((r, s), data, hash_name)
