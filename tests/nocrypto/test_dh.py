"""Finite-field Diffie-Hellman (nocrypto.dh): the RFC 7919 and RFC 3526 constants recomputed
from their defining formulas and checked against OpenSSL's built-in groups and
``openssl prime``; RFC 5114 and other known answers; key exchange with the openssl command
line both ways; group, private-key and peer-value rejection tables; the TLS 1.0-1.2 zero
stripping; hypothesis round trips."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn1
from nocrypto import dh, rng
from nocrypto.dh import DHGroup, DHPrivateKey, DHPublicKey
from tests.nocrypto.vectors import cryptography_vector, load_nist, python_backend

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

# --- the constants, from their definitions ------------------------------------------------


def e_scaled(bits: int) -> int:
    """floor(e * 2^bits), from e = sum 1/k! in fixed point with 64 guard bits."""
    one = 1 << (bits + 64)
    total = term = one
    k = 1
    while term:
        term //= k
        total += term
        k += 1
    return total >> 64  # the truncation error of the ~k terms is far below 2^-64


def arctan_inverse(x: int, one: int) -> int:
    """arctan(1/x) * one, by its Taylor series."""
    total = term = one // x
    n, sign = 1, -1
    while term:
        term //= x * x
        n += 2
        total += sign * (term // n)
        sign = -sign
    return total


def pi_scaled(bits: int) -> int:
    """floor(pi * 2^bits), by Machin's formula pi = 16 arctan(1/5) - 4 arctan(1/239)."""
    one = 1 << (bits + 64)
    return (16 * arctan_inverse(5, one) - 4 * arctan_inverse(239, one)) >> 64


def test_e_and_pi_are_right() -> None:
    assert e_scaled(64) == 0x2_B7E1_5162_8AED_2A6A  # e = 2.b7e151628aed2a6a...
    assert pi_scaled(64) == 0x3_243F_6A88_85A3_08D3  # pi = 3.243f6a8885a308d3...


# RFC 7919 appendix A: p = 2^b - 2^{b-64} + {[2^{b-130} e] + X} * 2^64 - 1.
FFDHE_X = {2048: 560316, 3072: 2625351, 4096: 5736041, 6144: 15705020, 8192: 10965728}
# RFC 3526 (and RFC 2409 6.2 for 1536): p = 2^b - 2^{b-64} - 1 + 2^64 * {[2^{b-130} pi] + X}.
MODP_X = {1536: 741804, 2048: 124476, 3072: 1690314, 4096: 240904, 6144: 929484, 8192: 4743158}


def named_groups() -> list[tuple[str, int]]:
    return [(f"ffdhe{b}", b) for b in FFDHE_X] + [(f"modp{b}", b) for b in MODP_X]


@pytest.mark.parametrize(("name", "bits"), named_groups())
def test_group_constants_from_their_formulas(name: str, bits: int) -> None:
    group = DHGroup.from_name(name)
    b = bits
    if name.startswith("ffdhe"):
        expected = 2**b - 2 ** (b - 64) + (e_scaled(b - 130) + FFDHE_X[b]) * 2**64 - 1
    else:
        expected = 2**b - 2 ** (b - 64) - 1 + 2**64 * (pi_scaled(b - 130) + MODP_X[b])
    assert group.p == expected
    assert group.g == 2
    assert group.q == (group.p - 1) // 2
    assert group.bits == b
    assert group.name == name
    assert dh.GROUPS[name] is group


def test_modp_constants_match_cryptography_vectors() -> None:
    """cryptography-vectors' copy of RFC 3526 (groups 5 and 14-18), an independent typing."""
    cases = [
        case
        for section in load_nist(cryptography_vector("asymmetric", "DH", "rfc3526.txt"))
        for case in section.cases
    ]
    assert len(cases) == 6
    ours = [dh.MODP1536, dh.MODP2048, dh.MODP3072, dh.MODP4096, dh.MODP6144, dh.MODP8192]
    for case, group in zip(cases, ours, strict=True):
        assert int(case["P"], 16) == group.p
        assert int(case["G"]) == group.g


# Private-exponent sizes: RFC 7919 appendix A for ffdhe, RFC 3526 section 8 for MODP.
PRIVATE_BITS = {
    "ffdhe2048": 225, "ffdhe3072": 275, "ffdhe4096": 325, "ffdhe6144": 375, "ffdhe8192": 400,
    "modp1536": 240, "modp2048": 320, "modp3072": 420, "modp4096": 480, "modp6144": 540,
    "modp8192": 620,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PRIVATE_BITS))
def test_private_key_sizes(name: str) -> None:
    group = DHGroup.from_name(name)
    assert group.private_key_bits == PRIVATE_BITS[name]
    key = group.generate_private_key(random=rng.Fortuna(seed=name.encode()))
    assert 1 <= key.x < 1 << PRIVATE_BITS[name]
    # Without q the exponent is full size (a TLS server's group of unknown structure).
    assert DHGroup(group.p, group.g).private_key_bits == group.bits


def openssl(*args: str, cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["openssl", *args], cwd=cwd, input=data, capture_output=True, timeout=120, check=False
    )


OPENSSL_NAMES = {f"ffdhe{b}": f"ffdhe{b}" for b in FFDHE_X} | {
    f"modp{b}": f"modp_{b}" for b in MODP_X
}

# SubjectPublicKeyInfo and PKCS #8 PrivateKeyInfo for PKCS #3 DH (dhKeyAgreement), built by
# hand for the openssl command line.
DH_KEY_AGREEMENT = "1.2.840.113549.1.3.1"
DH_PARAMETER = asn1.sequence(("prime", asn1.integer), ("base", asn1.integer))
ALGORITHM = asn1.sequence(("algorithm", asn1.object_identifier), ("parameters", DH_PARAMETER))
SPKI = asn1.sequence(("algorithm", ALGORITHM), ("subjectPublicKey", asn1.bit_string))
PKCS8 = asn1.sequence(
    ("version", asn1.integer), ("algorithm", ALGORITHM), ("privateKey", asn1.octet_string)
)


def spki_der(public: DHPublicKey) -> bytes:
    y = asn1.encode_der(asn1.integer, public.y)
    algorithm = (asn1.OID(DH_KEY_AGREEMENT), (public.group.p, public.group.g))
    return asn1.encode_der(SPKI, (algorithm, asn1.BitString(y)))


def pkcs8_der(private: DHPrivateKey) -> bytes:
    x = asn1.encode_der(asn1.integer, private.x)
    algorithm = (asn1.OID(DH_KEY_AGREEMENT), (private.group.p, private.group.g))
    return asn1.encode_der(PKCS8, (0, algorithm, x))


def pem(label: str, der: bytes) -> bytes:
    body = base64.b64encode(der).decode()
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n".encode()


def openssl_public(cwd: Path, key_file: str) -> tuple[int, int, int]:
    """(p, g, y) of an openssl DH key, read from its SubjectPublicKeyInfo."""
    out = openssl("pkey", "-in", key_file, "-pubout", "-outform", "DER", cwd=cwd)
    assert out.returncode == 0, out.stderr
    (_, (p, g)), bits = asn1.decode_der(SPKI, out.stdout)
    return p, g, asn1.decode_der(asn1.integer, bits.data)


@needs_openssl
@pytest.mark.parametrize(("name", "bits"), named_groups())
def test_openssl_builtin_groups_are_ours(name: str, bits: int, tmp_path: Path) -> None:
    if python_backend() and bits > 4096:
        pytest.skip("the 6144- and 8192-bit exchange is slow in the pure-Python pass")
    group = DHGroup.from_name(name)
    made = openssl(
        "genpkey", "-algorithm", "DH", "-pkeyopt", f"group:{OPENSSL_NAMES[name]}",
        "-out", "theirs.pem", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    p, g, y = openssl_public(tmp_path, "theirs.pem")
    assert (p, g) == (group.p, group.g)
    # And the two sides agree: our key against theirs, in both programs.
    ours = group.generate_private_key(random=rng.Fortuna(seed=name.encode()))
    theirs = DHPublicKey(group, y).validate()
    (tmp_path / "ours_pub.pem").write_bytes(pem("PUBLIC KEY", spki_der(ours.public_key())))
    derived = openssl(
        "pkeyutl", "-derive", "-inkey", "theirs.pem", "-peerkey", "ours_pub.pem",
        "-pkeyopt", "dh_pad:1", cwd=tmp_path,
    )  # fmt: skip
    assert derived.returncode == 0, derived.stderr
    assert derived.stdout == ours.exchange(theirs)
    assert len(derived.stdout) == (bits + 7) // 8


@needs_openssl
def test_openssl_takes_our_private_key_and_strips_like_tls12(tmp_path: Path) -> None:
    """A hand-built PKCS #8 key: openssl computes our public value, and its default derive
    (no padding) is our RFC 5246 8.1.2 form. x = 2000 against the peer value 2 makes
    Z = 2^2000, five leading zero bytes in a 2048-bit group."""
    group = dh.FFDHE2048
    ours = DHPrivateKey(group, 2000)
    (tmp_path / "ours.pem").write_bytes(pem("PRIVATE KEY", pkcs8_der(ours)))
    p, g, y = openssl_public(tmp_path, "ours.pem")
    assert (p, g, y) == (group.p, group.g, ours.public_key().y)
    peer = DHPublicKey(group, 2)
    (tmp_path / "peer.pem").write_bytes(pem("PUBLIC KEY", spki_der(peer)))
    unpadded = openssl(
        "pkeyutl", "-derive", "-inkey", "ours.pem", "-peerkey", "peer.pem", cwd=tmp_path
    )
    padded = openssl(
        "pkeyutl", "-derive", "-inkey", "ours.pem", "-peerkey", "peer.pem",
        "-pkeyopt", "dh_pad:1", cwd=tmp_path,
    )  # fmt: skip
    assert unpadded.returncode == 0 and padded.returncode == 0, (unpadded.stderr, padded.stderr)
    z = ours.exchange(peer)
    assert z == padded.stdout == (1 << 2000).to_bytes(256, "big")
    assert z[:5] == bytes(5) and z[5] == 1
    stripped = ours.exchange(peer, strip_leading_zeros=True)
    assert stripped == unpadded.stdout == z[5:]


# ``openssl prime`` takes 10-30 s for each 6144- and 8192-bit q on this 2-core box (OpenSSL 3
# ignores -checks): those four run only when NQSB_EXPENSIVE is set. Their p is still checked
# above against the RFC formulas, cryptography-vectors and OpenSSL's built-in groups.
EXPENSIVE = bool(os.environ.get("NQSB_EXPENSIVE"))


@needs_openssl
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "bits"),
    [
        pytest.param(
            name,
            bits,
            marks=pytest.mark.skipif(
                bits > 4096 and not EXPENSIVE, reason="set NQSB_EXPENSIVE=1 (10-30 s each)"
            ),
        )
        for name, bits in named_groups()
    ],
)
def test_openssl_prime_confirms_q(name: str, bits: int, tmp_path: Path) -> None:
    """q = (p - 1) / 2 is prime according to ``openssl prime`` (so p is a safe prime: with q
    prime and q > sqrt(p), 2^(p-1) = 1 and 2^2 != 1 mod p prove p prime by Pocklington)."""
    group = DHGroup.from_name(name)
    assert group.q is not None
    out = openssl("prime", "-hex", f"{group.q:X}", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.rstrip().endswith(b"is prime"), out
    assert pow(2, group.p - 1, group.p) == 1 and pow(2, 2, group.p) != 1


# --- known answers -----------------------------------------------------------------------


def test_rfc5114_known_answers() -> None:
    """RFC 5114 appendix A (1024/160, 2048/224, 2048/256 groups): both static key pairs
    and the shared secret Z, of the length of p."""
    sections = load_nist(cryptography_vector("asymmetric", "DH", "RFC5114.txt"))
    assert len(sections) == 3
    for section in sections:
        case: dict[str, str] = {}
        for block in section.cases:
            case |= block
        group = DHGroup(int(case["P"], 16), int(case["G"], 16), int(case["Q"], 16))
        cavs = DHPrivateKey(group, int(case["XstatCAVS"], 16))
        iut = DHPrivateKey(group, int(case["XstatIUT"], 16))
        assert cavs.public_key().y == int(case["YstatCAVS"], 16)
        assert iut.public_key().y == int(case["YstatIUT"], 16)
        z = bytes.fromhex(case["Z"])
        assert len(z) == (group.bits + 7) // 8
        assert cavs.exchange(iut.public_key().validate()) == z
        assert iut.exchange(cavs.public_key().validate()) == z
        assert group.validate(min_bits=1024) is group


def test_botan_known_answers() -> None:
    """cryptography-vectors DH/vec.txt (from Botan): small groups without q; the peer's
    public value Y and our x give K."""
    count = 0
    for section in load_nist(cryptography_vector("asymmetric", "DH", "vec.txt")):
        for case in section.cases:
            group = DHGroup(int(case["P"]), int(case["G"]))
            z = DHPrivateKey(group, int(case["X"])).exchange(DHPublicKey(group, int(case["Y"])))
            assert len(z) == (group.bits + 7) // 8
            assert int.from_bytes(z, "big") == int(case["K"], 16)
            count += 1
    assert count == 5


def test_bad_exchange_vectors() -> None:
    """cryptography-vectors DH/bad_exchange.txt: a peer value above p, and two groups."""
    cases = load_nist(cryptography_vector("asymmetric", "DH", "bad_exchange.txt"))[0].cases
    assert len(cases) == 2
    first, second = cases
    group1 = DHGroup(int(first["P1"]), int(first["G"]))
    with pytest.raises(ValueError, match="1 < y < p - 1"):
        DHPublicKey(group1, int(first["Y2"]))
    group1 = DHGroup(int(second["P1"]), int(second["G"]))
    group2 = DHGroup(int(second["P2"]), int(second["G"]))
    key1 = DHPrivateKey(group1, int(second["X1"]))
    with pytest.raises(ValueError, match="another group"):
        key1.exchange(DHPublicKey(group2, int(second["Y2"])))


# --- rejection tables -----------------------------------------------------------------------

P = dh.FFDHE2048.p
Q = (P - 1) // 2


@pytest.mark.parametrize(
    ("p", "g", "q", "match"),
    [
        (P, 1, None, "1 < g < p - 1"),
        (P, 0, None, "1 < g < p - 1"),
        (P, P - 1, None, "1 < g < p - 1"),
        (P, P, None, "1 < g < p - 1"),
        (P, P + 1, None, "1 < g < p - 1"),
        (P + 1, 2, None, "odd"),
        (4, 2, None, "odd"),
        (3, 2, None, "odd prime"),
        (-P, 2, None, "odd prime"),
        (1 << 8193 | 1, 2, None, "at most 8192 bits"),
        (P, 2, Q + 2, "odd divisor of p - 1"),
        (P, 2, P - 1, "odd divisor"),
        (P, 2, 2, "odd divisor"),
        (P, 2, 1, "odd divisor"),
    ],
)
def test_group_rejected_on_construction(p: int, g: int, q: int | None, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        DHGroup(p, g, q)


def test_group_type_checks() -> None:
    with pytest.raises(TypeError):
        DHGroup(P, True)
    with pytest.raises(TypeError):
        DHGroup("23", 5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("group", "kwargs", "match"),
    [
        (dh.MODP1536, {}, "1536 bits, below the minimum of 2048"),
        (dh.FFDHE2048, {"min_bits": 3072}, "2048 bits, below the minimum of 3072"),
        (dh.FFDHE2048, {"min_bits": 1023}, "at least 1024"),
        (dh.FFDHE2048, {"min_bits": 512}, "at least 1024"),
        # g = p - 2 = -2 is not a quadratic residue (p = 7 mod 8): order 2q, not q.
        (DHGroup(P, P - 2, Q), {}, "subgroup of order q"),
        # p + 2 (odd, composite) as a "server group"; and a prime p that is not safe.
        (DHGroup(P + 2, 2), {"check_safe_prime": True}, "p is not prime"),
    ],
)
def test_group_validation_rejects(group: DHGroup, kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        group.validate(**kwargs)  # type: ignore[arg-type]


def test_group_validation_safe_prime() -> None:
    # The RFC 5114 2048/256 group: p prime, but (p - 1) / 2 is not.
    section = load_nist(cryptography_vector("asymmetric", "DH", "RFC5114.txt"))[2]
    p = int(section.cases[0]["P"], 16)
    with pytest.raises(ValueError, match="not a safe prime"):
        DHGroup(p, 2).validate(check_safe_prime=True)
    assert dh.MODP1536.validate(min_bits=1024) is dh.MODP1536


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ffdhe2048", "modp2048", "ffdhe3072"])
def test_group_validation_accepts_safe_primes(name: str) -> None:
    group = DHGroup.from_name(name)
    server = DHGroup(group.p, group.g)  # as a TLS 1.2 ServerKeyExchange gives it
    assert server.validate(check_safe_prime=True) is server
    assert group.validate(check_safe_prime=True) is group


@pytest.mark.parametrize("y", [0, 1, P - 1, P, P + 1, -1, -2, 1 << 4096])
def test_peer_value_range(y: int) -> None:
    with pytest.raises(ValueError, match="1 < y < p - 1"):
        DHPublicKey(dh.FFDHE2048, y)


def test_peer_value_outside_subgroup() -> None:
    # p - 2 = -2 is a non-residue: order 2q. The range check passes, validate() refuses.
    peer = DHPublicKey(dh.FFDHE2048, P - 2)
    with pytest.raises(ValueError, match="not in the subgroup of order q"):
        peer.validate()
    assert DHPublicKey(dh.FFDHE2048, 4).validate().y == 4  # 4 = 2^2 is in it


def test_small_order_shared_secrets_refused() -> None:
    """Z = 1 or Z = p - 1 (SP 800-56A 5.7.1.1): reachable in a group given without q,
    where x = q is allowed: a residue peer value gives Z = 1, a non-residue Z = p - 1."""
    group = DHGroup(P, 2)
    key = DHPrivateKey(group, Q)
    with pytest.raises(ValueError, match="0, 1 or p - 1"):
        key.exchange(DHPublicKey(group, 4))
    with pytest.raises(ValueError, match="0, 1 or p - 1"):
        key.exchange(DHPublicKey(group, P - 2))


@pytest.mark.parametrize(
    ("group", "x", "match"),
    [
        (dh.FFDHE2048, 0, "1 <= x <= q - 1"),
        (dh.FFDHE2048, Q, "1 <= x <= q - 1"),
        (dh.FFDHE2048, -5, "1 <= x <= q - 1"),
        (DHGroup(P, 2), 0, "1 <= x <= p - 2"),
        (DHGroup(P, 2), P - 1, "1 <= x <= p - 2"),
    ],
)
def test_private_key_range(group: DHGroup, x: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        DHPrivateKey(group, x)


def test_generate_private_key_arguments() -> None:
    group = dh.MODP1536
    # OTR: 320-bit exponents in the 1536-bit group.
    key = group.generate_private_key(random=rng.Fortuna(seed=b"otr"), bits=320)
    assert key.x < 1 << 320
    assert key.public_key().y == pow(2, key.x, group.p)
    peer = group.generate_private_key(random=rng.Fortuna(seed=b"peer"))
    assert key.exchange(peer.public_key()) == peer.exchange(key.public_key())
    with pytest.raises(ValueError, match=r"bits must be in 160\.\.1535"):
        group.generate_private_key(bits=100)
    with pytest.raises(ValueError, match="bits must be in"):
        group.generate_private_key(bits=1536)
    with pytest.raises(ValueError, match="returned"):
        group.generate_private_key(random=lambda n: b"")
    # All-zero candidates are fine (x = 1); all-ones are above M - 2 without q.
    assert group.generate_private_key(random=lambda n: bytes(n)).x == 1
    with pytest.raises(RuntimeError, match="random source"):
        DHGroup(group.p, 2).generate_private_key(random=lambda n: b"\xff" * n)


def test_from_name_and_encodings() -> None:
    assert DHGroup.from_name("FFDHE2048") is dh.FFDHE2048
    with pytest.raises(ValueError, match="known are ffdhe2048"):
        DHGroup.from_name("ffdhe1024")
    key = dh.FFDHE2048.generate_private_key(random=rng.Fortuna(seed=b"enc"))
    public = key.public_key()
    encoded = public.to_bytes()
    assert len(encoded) == 256
    assert DHPublicKey.from_bytes(dh.FFDHE2048, encoded) == public
    assert DHPublicKey.from_bytes(dh.FFDHE2048, encoded.lstrip(b"\x00")) == public
    with pytest.raises(ValueError, match="1 to 256 bytes"):
        DHPublicKey.from_bytes(dh.FFDHE2048, b"")
    with pytest.raises(ValueError, match="1 to 256 bytes"):
        DHPublicKey.from_bytes(dh.FFDHE2048, b"\x00" + encoded)
    assert "x=" not in repr(key) and "ffdhe2048" in repr(key)
    # Groups compare by value, not by name.
    assert DHGroup(dh.FFDHE2048.p, 2, dh.FFDHE2048.q) == dh.FFDHE2048


def test_exchange_needs_a_public_key() -> None:
    key = dh.FFDHE2048.generate_private_key()
    with pytest.raises(TypeError):
        key.exchange(4)  # type: ignore[arg-type]


# --- hypothesis ------------------------------------------------------------------------------


@settings(max_examples=5 if python_backend() else 25, deadline=None)
@given(
    name=st.sampled_from(["ffdhe2048", "modp1536", "ffdhe3072", "modp2048"]),
    seed=st.binary(min_size=1, max_size=16),
)
def test_exchange_round_trip(name: str, seed: bytes) -> None:
    group = DHGroup.from_name(name)
    random = rng.Fortuna(seed=seed)
    alice = group.generate_private_key(random=random)
    bob = group.generate_private_key(random=random)
    shared = alice.exchange(bob.public_key().validate())
    assert shared == bob.exchange(alice.public_key())
    assert len(shared) == (group.bits + 7) // 8
    assert alice.exchange(bob.public_key(), strip_leading_zeros=True) == shared.lstrip(b"\x00")
    assert DHPublicKey.from_bytes(group, alice.public_key().to_bytes()) == alice.public_key()


@settings(max_examples=5 if python_backend() else 20, deadline=None)
@given(x=st.integers(1, Q - 1), peer=st.integers(2, P - 2))
def test_exchange_matches_pow(x: int, peer: int) -> None:
    """Any x of the group (not only short ones) and any in-range peer value: Z = y^x."""
    group = dh.FFDHE2048
    z = pow(peer, x, P)
    key = DHPrivateKey(group, x)
    if z in (1, P - 1):  # pragma: no cover - astronomically unlikely
        return
    assert key.exchange(DHPublicKey(group, peer)) == z.to_bytes(256, "big")
    assert key.public_key().y == pow(2, x, P)
