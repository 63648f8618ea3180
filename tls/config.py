"""The configuration of a TLS engine: versions, suites, groups, keys, trust, randomness, time.

A :class:`Config` is an immutable value checked when it is built (STYLE.md "misuse fails
fast"): a bad combination raises ``ValueError``/``TypeError`` here, never later in a
handshake. The engine's only sources of randomness and time are ``Config.random`` and
``Config.now`` (DESIGN.md principle 1), so a seeded ``random`` and a fixed ``now`` make a
handshake reproducible byte for byte.

RFCs: RFC 5246 (versions, suites, signature_algorithms §7.4.1.4.1), RFC 8422 and RFC 7919
(groups), RFC 7301 (ALPN protocol names are 1..255 bytes), RFC 7627 (extended master
secret), RFC 9155 (no SHA-1 signatures in TLS 1.2 by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

import x509
from nocrypto import ec, ecx, rng, rsa
from tls import ciphersuites
from tls._wire import NamedGroup, ProtocolVersion, SignatureScheme
from tls.ciphersuites import CipherSuite, KeyExchange

__all__ = [
    "DEFAULT_GROUPS",
    "DEFAULT_SIGNATURE_SCHEMES",
    "SHA1_SIGNATURE_SCHEMES",
    "SUPPORTED_SIGNATURE_SCHEMES",
    "CertificateChain",
    "Config",
]

#: The groups offered and accepted by default, most preferred first (RFC 8422 §5.1.1,
#: RFC 7919 §2). ffdhe6144/8192 are supported but not offered by default (slow).
DEFAULT_GROUPS: Final[tuple[NamedGroup, ...]] = (
    NamedGroup.X25519,
    NamedGroup.SECP256R1,
    NamedGroup.SECP384R1,
    NamedGroup.X448,
    NamedGroup.SECP521R1,
    NamedGroup.FFDHE2048,
    NamedGroup.FFDHE3072,
    NamedGroup.FFDHE4096,
)

#: The TLS 1.2 signature schemes used by default, most preferred first. No SHA-1
#: (RFC 9155 §2: "Clients MUST NOT include MD5 and SHA-1 in the signature_algorithms
#: extension" -- relaxed only by ``allow_sha1_signatures``).
DEFAULT_SIGNATURE_SCHEMES: Final[tuple[SignatureScheme, ...]] = (
    SignatureScheme.ECDSA_SECP256R1_SHA256,
    SignatureScheme.ECDSA_SECP384R1_SHA384,
    SignatureScheme.ECDSA_SECP521R1_SHA512,
    SignatureScheme.ED25519,
    SignatureScheme.RSA_PSS_RSAE_SHA256,
    SignatureScheme.RSA_PSS_RSAE_SHA384,
    SignatureScheme.RSA_PSS_RSAE_SHA512,
    SignatureScheme.RSA_PKCS1_SHA256,
    SignatureScheme.RSA_PKCS1_SHA384,
    SignatureScheme.RSA_PKCS1_SHA512,
)

#: The SHA-1 schemes added (last) when ``allow_sha1_signatures`` is set.
SHA1_SIGNATURE_SCHEMES: Final[tuple[SignatureScheme, ...]] = (
    SignatureScheme.RSA_PKCS1_SHA1,
    SignatureScheme.ECDSA_SHA1,
)

#: Every scheme the engine can produce and check.
SUPPORTED_SIGNATURE_SCHEMES: Final[frozenset[SignatureScheme]] = frozenset(
    DEFAULT_SIGNATURE_SCHEMES + SHA1_SIGNATURE_SCHEMES
)

_VERSIONS: Final = (ProtocolVersion.TLS10, ProtocolVersion.TLS11, ProtocolVersion.TLS12)
_EMS_MODES: Final = ("off", "on", "required")
#: Below this an FFDHE prime is not accepted at all (RFC 7919 §1 explains why 1024-bit
#: groups are unsafe); the smallest RFC 7919 group has 2048 bits.
_MIN_DH_BITS_FLOOR: Final = 1024


@dataclass(frozen=True, slots=True)
class CertificateChain:
    """A server's certificate chain (leaf first) and the private key of the leaf.

    The key is RSA (for the RSA, DHE_RSA and ECDHE_RSA key exchanges), EC on P-256/384/521
    or Ed25519 (ECDHE_ECDSA, RFC 8422 §2.1 and §5.1.3).
    """

    certificates: tuple[x509.Certificate, ...]
    private_key: x509.PrivateKey

    def __post_init__(self) -> None:
        if not self.certificates:
            raise ValueError("a certificate chain needs at least the leaf certificate")
        for cert in self.certificates:
            if not isinstance(cert, x509.Certificate):
                raise TypeError(f"certificates must be x509.Certificate, got {type(cert)!r}")
        if not isinstance(
            self.private_key, (rsa.RSAPrivateKey, ec.ECPrivateKey, ecx.Ed25519PrivateKey)
        ):
            raise TypeError(
                f"unsupported private key type {type(self.private_key).__name__}: "
                "RSA, EC (P-256/384/521) or Ed25519"
            )

    @property
    def is_rsa(self) -> bool:
        """Whether the chain's key is an RSA key (usable for *_RSA key exchanges)."""
        return isinstance(self.private_key, rsa.RSAPrivateKey)

    def serves(self, kex: KeyExchange) -> bool:
        """Whether this chain's key can authenticate the key exchange *kex*."""
        if kex is KeyExchange.ECDHE_ECDSA:
            return not self.is_rsa
        return self.is_rsa


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """How an engine (client or server) behaves. Built once, checked at construction.

    - ``random(n)``: the engine's only randomness; ``now()``: its only clock (used only for
      certificate validation; the "gmt_unix_time" of the hello randoms is random bytes).
      The engine never reads the system clock: with ``now=None`` the authenticator's own
      time source is used (``x509.Authenticator.chain_of_trust(roots, time=...)``), and the
      adapters (``tls.socket``, ``tls.aio``, the CLI) fill in the system clock.
    - ``min_version``/``max_version``: the versions spoken, within TLS 1.0..1.2.
    - ``cipher_suites``: offered (client) or accepted (server) in preference order; suites
      that need a newer version than the one negotiated are left out of that handshake.
    - ``groups``: ECDHE and FFDHE groups in preference order.
    - ``signature_schemes`` (+ the SHA-1 ones with ``allow_sha1_signatures``): TLS 1.2
      ServerKeyExchange signatures. TLS 1.0/1.1 signatures are MD5||SHA-1 (RSA) or SHA-1
      (ECDSA) whatever this says, as those versions define them.
    - ``certificates``: server chains, picked by SNI and by key exchange.
    - ``authenticator``: client; validates the server's chain. ``None`` (no validation)
      needs ``insecure_skip_verify=True`` -- checked by ``tls.client``.
    - ``alpn_protocols``: RFC 7301 names, preference order.
    - ``extended_master_secret``: "off" (not offered/answered), "on" (used when the peer
      has it), "required" (handshake_failure without it).
    - ``min_dh_bits``: client; the smallest FFDHE prime accepted from a server.
    """

    random: Callable[[int], bytes] = rng.generate
    now: Callable[[], datetime] | None = None
    min_version: ProtocolVersion = ProtocolVersion.TLS12
    max_version: ProtocolVersion = ProtocolVersion.TLS12
    cipher_suites: tuple[CipherSuite, ...] = ciphersuites.DEFAULT_SUITES
    groups: tuple[NamedGroup, ...] = DEFAULT_GROUPS
    signature_schemes: tuple[SignatureScheme, ...] = DEFAULT_SIGNATURE_SCHEMES
    allow_sha1_signatures: bool = False
    certificates: tuple[CertificateChain, ...] = ()
    authenticator: x509.Authenticator | None = None
    insecure_skip_verify: bool = False
    alpn_protocols: tuple[str, ...] = ()
    extended_master_secret: Literal["off", "on", "required"] = "on"
    min_dh_bits: int = 2048
    _schemes: tuple[SignatureScheme, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("min_version", "max_version"):
            v = getattr(self, name)
            if v not in _VERSIONS:
                raise ValueError(f"{name} must be TLS 1.0, 1.1 or 1.2, got {v!r}")
            object.__setattr__(self, name, ProtocolVersion(v))
        if self.min_version > self.max_version:
            raise ValueError("min_version is above max_version")
        suites = tuple(self.cipher_suites)
        if not suites:
            raise ValueError("no cipher suites")
        for s in suites:
            if not isinstance(s, CipherSuite) or ciphersuites.SUITES.get(s.code) != s:
                raise ValueError(f"unknown cipher suite {s!r}")
        if len({s.code for s in suites}) != len(suites):
            raise ValueError("a cipher suite is listed twice")
        if all(s.min_version > self.max_version for s in suites):
            raise ValueError(f"no cipher suite is usable up to {self.max_version.name}")
        object.__setattr__(self, "cipher_suites", suites)
        groups = tuple(self.groups)
        for g in groups:
            if g not in NamedGroup.__members__.values():
                raise ValueError(f"unknown group {g!r}")
        if len(set(groups)) != len(groups):
            raise ValueError("a group is listed twice")
        object.__setattr__(self, "groups", tuple(NamedGroup(g) for g in groups))
        kexes = {s.kex for s in suites}
        has_ec = any(NamedGroup(g) < NamedGroup.FFDHE2048 for g in groups)
        if not has_ec and kexes <= {KeyExchange.ECDHE_RSA, KeyExchange.ECDHE_ECDSA}:
            raise ValueError("ECDHE suites only, but no elliptic-curve group")
        schemes = tuple(self.signature_schemes)
        for sch in schemes:
            if sch not in SUPPORTED_SIGNATURE_SCHEMES:
                raise ValueError(f"unsupported signature scheme {sch!r}")
            if sch in SHA1_SIGNATURE_SCHEMES and not self.allow_sha1_signatures:
                raise ValueError(f"{sch!r} needs allow_sha1_signatures=True (RFC 9155)")
        if len(set(schemes)) != len(schemes):
            raise ValueError("a signature scheme is listed twice")
        object.__setattr__(self, "signature_schemes", tuple(SignatureScheme(s) for s in schemes))
        effective = self.signature_schemes
        if self.allow_sha1_signatures:
            effective += tuple(s for s in SHA1_SIGNATURE_SCHEMES if s not in effective)
        if not effective:
            raise ValueError("no signature schemes")
        object.__setattr__(self, "_schemes", effective)
        for chain in self.certificates:
            if not isinstance(chain, CertificateChain):
                raise TypeError("certificates must be CertificateChain values")
        object.__setattr__(self, "certificates", tuple(self.certificates))
        if self.authenticator is not None and not isinstance(
            self.authenticator, x509.Authenticator
        ):
            raise TypeError("authenticator must be an x509.Authenticator")
        alpn = tuple(self.alpn_protocols)
        for p in alpn:
            # RFC 7301 §3.1: "opaque ProtocolName<1..2^8-1>"; "Empty strings MUST NOT be
            # included".
            if not isinstance(p, str) or not 1 <= len(p.encode()) <= 255:
                raise ValueError(f"an ALPN protocol name must be 1..255 bytes: {p!r}")
        if len(set(alpn)) != len(alpn):
            raise ValueError("an ALPN protocol is listed twice")
        object.__setattr__(self, "alpn_protocols", alpn)
        if self.extended_master_secret not in _EMS_MODES:
            raise ValueError(f"extended_master_secret must be one of {_EMS_MODES}")
        if not isinstance(self.min_dh_bits, int) or self.min_dh_bits < _MIN_DH_BITS_FLOOR:
            raise ValueError(f"min_dh_bits must be an int >= {_MIN_DH_BITS_FLOOR}")
        if not callable(self.random) or (self.now is not None and not callable(self.now)):
            raise TypeError("random must be a callable, now a callable or None")

    @property
    def effective_signature_schemes(self) -> tuple[SignatureScheme, ...]:
        """``signature_schemes`` plus the SHA-1 ones when ``allow_sha1_signatures``."""
        return self._schemes

    def suites_for(self, version: ProtocolVersion) -> tuple[CipherSuite, ...]:
        """The configured suites that *version* may negotiate (RFC 5246 appendix A.5)."""
        return tuple(s for s in self.cipher_suites if s.min_version <= version)
