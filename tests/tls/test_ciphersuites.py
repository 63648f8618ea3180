"""tls.ciphersuites: code points against two oracles (``openssl ciphers -V`` and tlslite-ng's
IANA name table) and the properties every suite must have."""

from __future__ import annotations

import re
import subprocess

import pytest
from tlslite.constants import CipherSuite as TlsliteSuites

from tls import ciphersuites
from tls._wire import ProtocolVersion
from tls.ciphersuites import (
    DEFAULT_SUITES,
    MAC,
    SUITES,
    BulkCipher,
    CipherSuite,
    KeyExchange,
    by_name,
)

_ALL = list(SUITES.values())


def _openssl_suites() -> dict[int, tuple[str, str, str, str]]:
    """code -> (Kx, Au, Enc, Mac) for every suite openssl 3.0 knows (SECLEVEL 0)."""
    out = subprocess.run(
        ["openssl", "ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    table = {}
    for line in out.splitlines():
        m = re.match(
            r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - \S+\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+"
            r"Enc=(\S+)\s+Mac=(\S+)",
            line,
        )
        assert m, line
        code = int(m[1] + m[2], 16)
        if m[3] == "TLSv1.3":
            continue
        table[code] = (m[4], m[5], m[6], m[7])
    return table


_OPENSSL_ENC = {
    BulkCipher.AES_128_CBC: "AES(128)",
    BulkCipher.AES_256_CBC: "AES(256)",
    BulkCipher.TRIPLE_DES_EDE_CBC: "3DES(168)",
    BulkCipher.AES_128_GCM: "AESGCM(128)",
    BulkCipher.AES_256_GCM: "AESGCM(256)",
    BulkCipher.AES_128_CCM: "AESCCM(128)",
    BulkCipher.AES_256_CCM: "AESCCM(256)",
    BulkCipher.AES_128_CCM_8: "AESCCM8(128)",
    BulkCipher.AES_256_CCM_8: "AESCCM8(256)",
    BulkCipher.CHACHA20_POLY1305: "CHACHA20/POLY1305(256)",
}
_OPENSSL_KX = {
    KeyExchange.RSA: ("RSA", "RSA"),
    KeyExchange.DHE_RSA: ("DH", "RSA"),
    KeyExchange.ECDHE_RSA: ("ECDH", "RSA"),
    KeyExchange.ECDHE_ECDSA: ("ECDH", "ECDSA"),
}


def test_code_points_and_properties_match_openssl() -> None:
    theirs = _openssl_suites()
    both = [s for s in _ALL if s.code in theirs]
    # OpenSSL 3.0 builds without 3DES in its lists; every other suite of ours it knows.
    missing = {s.name for s in _ALL if s.code not in theirs}
    assert missing <= {s.name for s in _ALL if s.cipher is BulkCipher.TRIPLE_DES_EDE_CBC}
    assert len(both) >= 39
    for suite in both:
        kx, au, enc, mac = theirs[suite.code]
        assert (kx, au) == _OPENSSL_KX[suite.kex], suite
        assert enc == _OPENSSL_ENC[suite.cipher], suite
        assert mac == ("AEAD" if suite.aead else suite.mac.name), suite


def test_code_points_and_names_match_tlslite() -> None:
    for suite in _ALL:
        assert TlsliteSuites.ietfNames[suite.code] == suite.name
        assert getattr(TlsliteSuites, suite.name) == suite.code
    # tlslite's own classification of the PRF hash and of the AEAD suites
    for suite in _ALL:
        assert (suite.code in TlsliteSuites.sha384PrfSuites) == (suite.prf_hash == "sha384")
        assert (suite.code in TlsliteSuites.aeadSuites) == suite.aead


def test_every_iana_combination_is_present() -> None:
    # the count per key exchange: RSA 11, DHE_RSA 12, ECDHE_ECDSA 12, ECDHE_RSA 8
    counts = {kex: sum(s.kex is kex for s in _ALL) for kex in KeyExchange}
    assert counts == {
        KeyExchange.RSA: 11,
        KeyExchange.DHE_RSA: 12,
        KeyExchange.ECDHE_ECDSA: 12,
        KeyExchange.ECDHE_RSA: 8,
    }
    assert len({s.name for s in _ALL}) == len(_ALL) == len(SUITES)


@pytest.mark.parametrize("suite", _ALL, ids=lambda s: s.name)
def test_suite_properties(suite: CipherSuite) -> None:
    name = suite.name
    assert SUITES[suite.code] is suite and by_name(name) is suite
    for banned in ("NULL", "anon", "EXPORT", "RC4", "_DES_CBC", "IDEA", "PSK", "SRP", "MD5"):
        assert banned not in name
    assert name.startswith(f"TLS_{suite.kex.name}_WITH_")
    if suite.aead:
        assert suite.min_version == ProtocolVersion.TLS12
        assert suite.mac_length == 0 and suite.block_size == 0
        assert suite.tag_length == (8 if name.endswith("_CCM_8") else 16)
        assert suite.fixed_iv_length == (12 if "CHACHA20" in name else 4)
        assert suite.record_iv_length == (0 if "CHACHA20" in name else 8)
    else:
        assert suite.tag_length == 0
        assert suite.block_size == suite.fixed_iv_length == suite.record_iv_length
        assert suite.block_size == (8 if "3DES" in name else 16)
        assert suite.mac_length == {MAC.SHA1: 20, MAC.SHA256: 32, MAC.SHA384: 48}[suite.mac]
        expected = ProtocolVersion.TLS10 if suite.mac is MAC.SHA1 else ProtocolVersion.TLS12
        assert suite.min_version == expected
    # the SHA-384 suites use the SHA-384 PRF, all others SHA-256 (RFC 5246 §5, RFC 5289)
    assert suite.prf_hash == ("sha384" if name.endswith("SHA384") else "sha256")
    assert suite.key_length == (16 if "_128_" in name else 24 if "3DES" in name else 32)
    assert suite.forward_secret == (suite.kex is not KeyExchange.RSA)


def test_defaults() -> None:
    assert len(set(DEFAULT_SUITES)) == len(DEFAULT_SUITES)
    assert not any(s.cipher is BulkCipher.TRIPLE_DES_EDE_CBC for s in DEFAULT_SUITES)
    assert not any(s.tag_length == 8 for s in DEFAULT_SUITES)  # CCM_8: on request only
    off = {BulkCipher.TRIPLE_DES_EDE_CBC, BulkCipher.AES_128_CCM_8, BulkCipher.AES_256_CCM_8}
    assert set(DEFAULT_SUITES) == {s for s in _ALL if s.cipher not in off}

    # forward-secret AEAD, then forward-secret CBC-SHA256/384, then CBC-SHA, then RSA
    def group(s: CipherSuite) -> int:
        if not s.forward_secret:
            return 3
        return 0 if s.aead else 1 if s.mac is not MAC.SHA1 else 2

    groups = [group(s) for s in DEFAULT_SUITES]
    assert groups == sorted(groups)
    assert DEFAULT_SUITES[0].name == "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
    rsa = [s for s in DEFAULT_SUITES if not s.forward_secret]
    assert [s.aead for s in rsa] == sorted((s.aead for s in rsa), reverse=True)


def test_scsv_values_and_lookup_errors() -> None:
    assert ciphersuites.TLS_EMPTY_RENEGOTIATION_INFO_SCSV == 0x00FF
    assert ciphersuites.TLS_FALLBACK_SCSV == 0x5600
    assert TlsliteSuites.TLS_EMPTY_RENEGOTIATION_INFO_SCSV == 0x00FF
    assert TlsliteSuites.TLS_FALLBACK_SCSV == 0x5600
    with pytest.raises(KeyError):
        by_name("TLS_RSA_WITH_RC4_128_SHA")
    assert 0x00FF not in SUITES and 0x5600 not in SUITES
