"""The TLS 1.0-1.2 cipher suites this library speaks, as data.

Each suite's code point and name come from the IANA "TLS Cipher Suites" registry; the
suites are defined by RFC 5246 appendix A.5 (RSA, DHE_RSA with AES-CBC and 3DES; the AES
suites first in RFC 3268), RFC 5288 (AES-GCM), RFC 5289 (ECDHE with SHA-256/384 and GCM),
RFC 6655 (AES-CCM, CCM_8), RFC 7251 (ECDHE_ECDSA with AES-CCM), RFC 7905
(ChaCha20-Poly1305) and RFC 4492 / RFC 8422 (ECDHE_RSA, ECDHE_ECDSA with CBC).

The record parameters (key, IV and MAC lengths) follow RFC 5246 §6.3 and appendix C, and
for the AEAD ciphers RFC 5288 §3, RFC 6655 §3 and RFC 7905 §2. Never here: NULL, export,
anonymous, RC4, single DES, IDEA, PSK, SRP, Camellia, ARIA, SEED (principle 6 of
DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Final

from tls._wire import ProtocolVersion

__all__ = [
    "DEFAULT_SUITES",
    "MAC",
    "SUITES",
    "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
    "TLS_FALLBACK_SCSV",
    "BulkCipher",
    "CipherSuite",
    "KeyExchange",
    "by_name",
]

#: RFC 5746 §3.3: the signalling cipher suite value a client may send instead of an empty
#: renegotiation_info extension.
TLS_EMPTY_RENEGOTIATION_INFO_SCSV: Final = 0x00FF
#: RFC 7507 §2: the signalling cipher suite value of a client retrying with a lower version.
TLS_FALLBACK_SCSV: Final = 0x5600


class KeyExchange(Enum):
    """How the premaster secret is agreed and the server authenticated."""

    RSA = "RSA"  # RFC 5246 §7.4.7.1: premaster encrypted to the server's RSA key
    DHE_RSA = "DHE_RSA"  # RFC 5246 §7.4.3 / RFC 7919: finite-field DHE, RSA-signed
    ECDHE_RSA = "ECDHE_RSA"  # RFC 8422 §2.1: ephemeral ECDH, RSA-signed
    ECDHE_ECDSA = "ECDHE_ECDSA"  # RFC 8422 §2.1: ephemeral ECDH, ECDSA-signed


class BulkCipher(Enum):
    """The record cipher (RFC 5246 §6.2.3)."""

    AES_128_CBC = "AES_128_CBC"
    AES_256_CBC = "AES_256_CBC"
    TRIPLE_DES_EDE_CBC = "3DES_EDE_CBC"
    AES_128_GCM = "AES_128_GCM"
    AES_256_GCM = "AES_256_GCM"
    AES_128_CCM = "AES_128_CCM"
    AES_256_CCM = "AES_256_CCM"
    AES_128_CCM_8 = "AES_128_CCM_8"
    AES_256_CCM_8 = "AES_256_CCM_8"
    CHACHA20_POLY1305 = "CHACHA20_POLY1305"


class MAC(Enum):
    """The record MAC: HMAC with a hash for the CBC suites, none (the AEAD's tag) else."""

    SHA1 = "sha1"
    SHA256 = "sha256"
    SHA384 = "sha384"
    AEAD = "aead"


@dataclass(frozen=True, slots=True)
class CipherSuite:
    """One cipher suite and the record parameters it implies.

    ``prf_hash`` is the hash of the TLS 1.2 PRF and handshake hash (RFC 5246 §5: SHA-256
    unless the suite says otherwise; the ``_SHA384`` suites say SHA-384); TLS 1.0 and 1.1
    always use their MD5/SHA-1 PRF. ``min_version`` is the first version that may negotiate
    the suite (AEAD and SHA-256/384 suites need TLS 1.2).

    The lengths are in bytes:

    - ``key_length``: the encryption key (RFC 5246 §6.3 ``enc_key_length``).
    - ``fixed_iv_length``: the IV taken from the key block: the CBC block size (used only
      by TLS 1.0, whose first record IV comes from the key block, RFC 2246 §6.3), 4 for
      GCM and CCM (the nonce salt, RFC 5288 §3, RFC 6655 §3), 12 for ChaCha20-Poly1305
      (RFC 7905 §2).
    - ``record_iv_length``: the explicit IV or nonce sent in each record: the block size
      for CBC in TLS 1.1+ (RFC 4346 §6.2.3.2; none in TLS 1.0), 8 for GCM and CCM, 0 for
      ChaCha20-Poly1305.
    - ``mac_length``: the HMAC key and output length (``mac_key_length`` =
      ``mac_length``, RFC 5246 §6.2.3.1); 0 for AEAD suites.
    - ``block_size``: the CBC block size; 0 for AEAD suites.
    - ``tag_length``: the AEAD tag (16, or 8 for CCM_8); 0 for CBC suites.
    """

    code: int
    name: str
    kex: KeyExchange
    cipher: BulkCipher
    mac: MAC
    prf_hash: str
    min_version: ProtocolVersion
    key_length: int
    fixed_iv_length: int
    record_iv_length: int
    mac_length: int
    block_size: int
    tag_length: int

    @property
    def aead(self) -> bool:
        """Whether the suite's cipher is an AEAD (no separate MAC, no padding)."""
        return self.mac is MAC.AEAD

    @property
    def forward_secret(self) -> bool:
        """Whether the key exchange is ephemeral (DHE or ECDHE)."""
        return self.kex is not KeyExchange.RSA

    def __repr__(self) -> str:
        return f"<CipherSuite {self.name} 0x{self.code:04X}>"


@dataclass(frozen=True, slots=True)
class _CipherParameters:
    key_length: int
    fixed_iv_length: int
    record_iv_length: int
    block_size: int
    tag_length: int


# RFC 5246 appendix C; RFC 5288 §3 (salt 4, nonce_explicit 8, tag 16); RFC 6655 §3 (the
# same, tag 8 for CCM_8); RFC 7905 §2 (a 12-byte fixed IV, no explicit nonce, tag 16).
_CIPHERS: Final[Mapping[BulkCipher, _CipherParameters]] = MappingProxyType(
    {
        BulkCipher.AES_128_CBC: _CipherParameters(16, 16, 16, 16, 0),
        BulkCipher.AES_256_CBC: _CipherParameters(32, 16, 16, 16, 0),
        BulkCipher.TRIPLE_DES_EDE_CBC: _CipherParameters(24, 8, 8, 8, 0),
        BulkCipher.AES_128_GCM: _CipherParameters(16, 4, 8, 0, 16),
        BulkCipher.AES_256_GCM: _CipherParameters(32, 4, 8, 0, 16),
        BulkCipher.AES_128_CCM: _CipherParameters(16, 4, 8, 0, 16),
        BulkCipher.AES_256_CCM: _CipherParameters(32, 4, 8, 0, 16),
        BulkCipher.AES_128_CCM_8: _CipherParameters(16, 4, 8, 0, 8),
        BulkCipher.AES_256_CCM_8: _CipherParameters(32, 4, 8, 0, 8),
        BulkCipher.CHACHA20_POLY1305: _CipherParameters(32, 12, 0, 0, 16),
    }
)

_MAC_LENGTHS: Final[Mapping[MAC, int]] = MappingProxyType(
    {MAC.SHA1: 20, MAC.SHA256: 32, MAC.SHA384: 48, MAC.AEAD: 0}
)


def _suite(code: int, name: str) -> CipherSuite:
    """The suite *code* named *name*; everything else is read off the IANA name
    ``TLS_<kex>_WITH_<cipher>[_<hash>]``, so the name is the one source of truth."""
    kex_name, _, rest = name.removeprefix("TLS_").partition("_WITH_")
    kex = KeyExchange[kex_name]
    if rest.startswith("3DES_EDE_CBC_"):
        cipher = BulkCipher.TRIPLE_DES_EDE_CBC
        hash_name = rest.removeprefix("3DES_EDE_CBC_")
    elif rest.endswith(("_CCM", "_CCM_8")):
        # RFC 6655 §3 / RFC 7251 §2: the CCM suites carry no hash in their name and use
        # the TLS 1.2 PRF with SHA-256.
        cipher = BulkCipher[rest]
        hash_name = "SHA256"
    else:
        cipher_name, _, hash_name = rest.rpartition("_")
        cipher = BulkCipher[cipher_name]
    params = _CIPHERS[cipher]
    if params.tag_length:
        # RFC 5288 §3, RFC 5289 §3.2, RFC 7905 §2: in an AEAD suite's name the hash is the
        # PRF's; the record has no MAC.
        mac = MAC.AEAD
        prf_hash = hash_name.lower()
    else:
        # RFC 5246 A.5: "SHA" in a suite's name is SHA-1.
        mac = MAC.SHA1 if hash_name == "SHA" else MAC(hash_name.lower())
        # RFC 5246 §5: "New cipher suites MUST explicitly specify a PRF and, in general,
        # SHOULD use the TLS PRF with SHA-256 or a stronger standard hash function."
        # RFC 5289 §3.1: the _SHA384 CBC suites use SHA-384; the older suites use SHA-256.
        prf_hash = "sha384" if mac is MAC.SHA384 else "sha256"
    # AEAD ciphers and the SHA-256/384 MACs exist only from TLS 1.2 on (RFC 5246 §6.2.3.3,
    # RFC 5288 §4, RFC 5289 §4, RFC 6655 §3, RFC 7905 §2).
    tls12_only = mac in (MAC.AEAD, MAC.SHA256, MAC.SHA384)
    return CipherSuite(
        code=code,
        name=name,
        kex=kex,
        cipher=cipher,
        mac=mac,
        prf_hash=prf_hash,
        min_version=ProtocolVersion.TLS12 if tls12_only else ProtocolVersion.TLS10,
        key_length=params.key_length,
        fixed_iv_length=params.fixed_iv_length,
        record_iv_length=params.record_iv_length,
        mac_length=_MAC_LENGTHS[mac],
        block_size=params.block_size,
        tag_length=params.tag_length,
    )


# The IANA registry's entries for every (key exchange, cipher) combination it defines.
_TABLE: Final = (
    # RFC 5246 A.5 (RFC 3268), RFC 5288, RFC 6655: static RSA
    (0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"),
    (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
    (0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
    (0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
    (0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
    (0xC09C, "TLS_RSA_WITH_AES_128_CCM"),
    (0xC09D, "TLS_RSA_WITH_AES_256_CCM"),
    (0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8"),
    (0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8"),
    # RFC 5246 A.5, RFC 5288, RFC 6655, RFC 7905: DHE_RSA
    (0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
    (0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
    (0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
    (0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM"),
    (0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM"),
    (0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"),
    (0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"),
    (0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    # RFC 4492/8422, RFC 5289, RFC 7251, RFC 7905: ECDHE_ECDSA
    (0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
    (0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
    (0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
    (0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
    (0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    (0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    (0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
    (0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
    (0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
    (0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"),
    (0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
    (0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
    # RFC 4492/8422, RFC 5289, RFC 7905: ECDHE_RSA (IANA defines no ECDHE_RSA CCM suite)
    (0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    (0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    (0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
    (0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
)

#: Every supported suite, by its code point.
SUITES: Final[Mapping[int, CipherSuite]] = MappingProxyType(
    {code: _suite(code, name) for code, name in _TABLE}
)

_BY_NAME: Final[Mapping[str, CipherSuite]] = MappingProxyType(
    {suite.name: suite for suite in SUITES.values()}
)


def by_name(name: str) -> CipherSuite:
    """The suite with the IANA name *name* (``"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"``);
    KeyError naming the problem if this library does not support it."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unsupported cipher suite {name!r}") from None


def _default_order() -> tuple[CipherSuite, ...]:
    """Forward-secret AEAD suites first, then forward-secret CBC with SHA-256/384, then
    forward-secret CBC with SHA-1, then static RSA (AEAD, CBC-SHA256, CBC-SHA). Within a
    group: ECDHE before DHE, then AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305, AES-CCM,
    AES-CCM_8 (128 before 256), AES-128-CBC, AES-256-CBC, then ECDSA before RSA.
    3DES is never a default (64-bit blocks: Sweet32)."""
    kex_rank = {
        KeyExchange.ECDHE_ECDSA: 0,
        KeyExchange.ECDHE_RSA: 1,
        KeyExchange.DHE_RSA: 2,
        KeyExchange.RSA: 3,
    }
    cipher_rank = {
        BulkCipher.AES_128_GCM: 0,
        BulkCipher.AES_256_GCM: 1,
        BulkCipher.CHACHA20_POLY1305: 2,
        BulkCipher.AES_128_CCM: 3,
        BulkCipher.AES_256_CCM: 4,
        BulkCipher.AES_128_CBC: 5,
        BulkCipher.AES_256_CBC: 6,
    }

    def mac_rank(s: CipherSuite) -> int:
        return 0 if s.aead else (1 if s.mac is not MAC.SHA1 else 2)

    def group(s: CipherSuite) -> int:
        return mac_rank(s) if s.forward_secret else 3

    # Left out (available on request): 3DES (64-bit blocks, Sweet32) and CCM_8 (8-byte tags:
    # 64-bit forgery resistance, meant for constrained devices, RFC 6655 §3).
    chosen = [s for s in SUITES.values() if s.cipher not in _NOT_BY_DEFAULT]
    return tuple(
        sorted(
            chosen,
            key=lambda s: (
                group(s),
                0 if s.kex in (KeyExchange.ECDHE_ECDSA, KeyExchange.ECDHE_RSA) else 1,
                mac_rank(s),
                cipher_rank[s.cipher],
                kex_rank[s.kex],
            ),
        )
    )


_NOT_BY_DEFAULT: Final = frozenset(
    {BulkCipher.TRIPLE_DES_EDE_CBC, BulkCipher.AES_128_CCM_8, BulkCipher.AES_256_CCM_8}
)

#: The suites offered and accepted by default, most preferred first.
DEFAULT_SUITES: Final[tuple[CipherSuite, ...]] = _default_order()
