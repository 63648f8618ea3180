"""Public and private keys: SubjectPublicKeyInfo and the private key formats.

- :class:`PublicKeyInfo` is a SubjectPublicKeyInfo (RFC 5280 4.1.2.7) kept as its exact DER,
  with :meth:`PublicKeyInfo.public_key` turning it into a ``nocrypto`` key: RSA (RFC 3279
  2.3.1, parameters NULL), RSASSA-PSS (RFC 4055 1.2, with optional parameters that restrict
  the key), EC (RFC 5480: id-ecPublicKey with a named curve, P-256, P-384 or P-521 only;
  specifiedCurve and implicitCurve are refused), Ed25519, X25519, X448 (RFC 8410 3,
  parameters absent) and DSA (RFC 3279 2.3.2, with explicit Dss-Parms).
- Private keys: PKCS #1 RSAPrivateKey (RFC 8017 A.1.2), SEC 1 ECPrivateKey (RFC 5915),
  PKCS #8 PrivateKeyInfo / OneAsymmetricKey v1 and v2 (RFC 5208, RFC 5958), and OpenSSL's
  traditional DSA form, in PEM (RFC 7468 labels) or DER: :func:`load_private_key`,
  :func:`dump_private_key`; public keys: :func:`load_public_key`, :func:`dump_public_key`
  (SPKI, or PKCS #1 RSAPublicKey). Encrypted keys are refused with
  :class:`UnsupportedAlgorithm`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias, TypeVar

import asn1
from asn1 import OID, BitString
from nocrypto import dsa, ec, ecx, hashes, rsa

from . import _grammar as g
from ._algorithms import NULL, PSSParameters
from ._errors import LIMITS, DecodeError, UnsupportedAlgorithm

__all__ = [
    "PrivateKey",
    "PublicKey",
    "PublicKeyInfo",
    "dump_private_key",
    "dump_public_key",
    "load_private_key",
    "load_public_key",
]

T = TypeVar("T")

PublicKey: TypeAlias = (
    rsa.RSAPublicKey
    | ec.ECPublicKey
    | ecx.Ed25519PublicKey
    | ecx.X25519PublicKey
    | ecx.X448PublicKey
    | dsa.DSAPublicKey
)
PrivateKey: TypeAlias = (
    rsa.RSAPrivateKey
    | ec.ECPrivateKey
    | ecx.Ed25519PrivateKey
    | ecx.X25519PrivateKey
    | ecx.X448PrivateKey
    | dsa.DSAPrivateKey
)

RSA_ENCRYPTION: Final = OID("1.2.840.113549.1.1.1")
RSASSA_PSS: Final = OID("1.2.840.113549.1.1.10")
EC_PUBLIC_KEY: Final = OID("1.2.840.10045.2.1")
X25519: Final = OID("1.3.101.110")
X448: Final = OID("1.3.101.111")
ED25519: Final = OID("1.3.101.112")
ED448: Final = OID("1.3.101.113")
DSA: Final = OID("1.2.840.10040.4.1")

#: RFC 5480 2.1.1.1: the named curves, by OID.
CURVES: Final = {
    OID("1.2.840.10045.3.1.7"): ec.P256,
    OID("1.3.132.0.34"): ec.P384,
    OID("1.3.132.0.35"): ec.P521,
}
CURVE_OIDS: Final = {curve.name: oid for oid, curve in CURVES.items()}

KeyType = Literal["rsa", "rsa-pss", "ec", "ed25519", "x25519", "x448", "dsa"]
_KEY_TYPES: Final[dict[str, KeyType]] = {
    RSA_ENCRYPTION: "rsa",
    RSASSA_PSS: "rsa-pss",
    EC_PUBLIC_KEY: "ec",
    ED25519: "ed25519",
    X25519: "x25519",
    X448: "x448",
    DSA: "dsa",
}
_RAW_SIZES: Final = {ED25519: 32, X25519: 32, X448: 56}


def _decode(grammar: asn1.Grammar[T], der: bytes, what: str) -> T:
    try:
        return asn1.decode_der(grammar, der, limits=LIMITS)
    except asn1.DecodeError as e:
        raise DecodeError(f"{what}: {e}") from None


def _nocrypto(what: str, error: ValueError) -> DecodeError:
    """A nocrypto refusal of key material: sizes it does not handle are unsupported, the
    rest is malformed."""
    text = str(error)
    if "bits" in text and ("must have" in text or "supported" in text):
        return UnsupportedAlgorithm(f"{what}: {text}")
    return DecodeError(f"{what}: {text}")


def _curve_of(parameters: bytes | None, what: str) -> ec.Curve:
    """The named curve of ECParameters (RFC 5480 2.1.1)."""
    if parameters is None:
        raise DecodeError(f"{what}: EC key without curve parameters")
    if parameters[:1] == b"\x30":
        raise UnsupportedAlgorithm(
            f"{what}: explicit curve parameters (specifiedCurve) are refused (RFC 5480 2.1.1)"
        )
    if parameters == NULL:
        raise UnsupportedAlgorithm(f"{what}: implicitCurve is refused (RFC 5480 2.1.1)")
    oid = _decode(g.ECParameters, parameters, f"{what}: ECParameters")
    curve = CURVES.get(oid)
    if curve is None:
        name = asn1.oids.name(oid)
        label = f"{name} ({oid})" if name else oid
        raise UnsupportedAlgorithm(f"{what}: curve {label} is not supported (P-256/384/521)")
    return curve


def _dss_parameters(der: bytes, what: str) -> dsa.DSAParameters:
    p = _decode(g.DSSParmsG, der, f"{what}: Dss-Parms")
    try:
        return dsa.DSAParameters(p.p, p.q, p.g)
    except ValueError as e:
        raise _nocrypto(what, e) from None


@dataclass(frozen=True, slots=True)
class PublicKeyInfo:
    """A SubjectPublicKeyInfo: ``algorithm`` (the key type's OID), ``parameters`` (their
    exact DER or None), ``subject_public_key`` (the BIT STRING) and ``der``, the exact DER
    of the whole structure. :meth:`public_key` gives the ``nocrypto`` key."""

    algorithm: OID
    parameters: bytes | None
    subject_public_key: BitString
    der: bytes
    _key: PublicKey | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_der(cls, der: bytes) -> PublicKeyInfo:
        """The SubjectPublicKeyInfo in *der* (the key itself is checked by public_key())."""
        spki = _decode(g.SubjectPublicKeyInfoG, der, "SubjectPublicKeyInfo")
        return cls._from_grammar(spki, der)

    @classmethod
    def _from_grammar(cls, spki: g.SubjectPublicKeyInfo, der: bytes) -> PublicKeyInfo:
        algorithm = spki.algorithm
        if cls is not PublicKeyInfo:
            return cls(algorithm.algorithm, algorithm.parameters, spki.subject_public_key, der)
        # The same, the slots of the frozen value filled directly.
        info = object.__new__(cls)
        _SET_ALGORITHM(info, algorithm.algorithm)
        _SET_PARAMETERS(info, algorithm.parameters)
        _SET_KEY(info, spki.subject_public_key)
        _SET_DER(info, der)
        _SET_CACHED_KEY(info, None)
        return info

    @classmethod
    def from_key(cls, key: PublicKey, pss: PSSParameters | bool = False) -> PublicKeyInfo:
        """The SubjectPublicKeyInfo of *key*. For an RSA key, ``pss=True`` writes an
        id-RSASSA-PSS key without parameters, ``pss=PSSParameters(...)`` one restricted to
        them (RFC 4055 3.1)."""
        params: bytes | None = None
        if isinstance(key, rsa.RSAPublicKey):
            alg, params = RSA_ENCRYPTION, NULL
            if isinstance(pss, PSSParameters):
                alg, params = RSASSA_PSS, pss.to_der()
            elif pss:
                alg, params = RSASSA_PSS, None
            value = asn1.encode_der(g.RSAPublicKeyG, g.RSAPublicKey(key.n, key.e))
        elif pss:
            raise ValueError("only RSA keys can be RSASSA-PSS keys")
        elif isinstance(key, ec.ECPublicKey):
            alg = EC_PUBLIC_KEY
            params = asn1.encode_der(g.ECParameters, CURVE_OIDS[key.curve.name])
            value = key.to_bytes()
        elif isinstance(key, ecx.Ed25519PublicKey):
            alg, value = ED25519, key.to_bytes()
        elif isinstance(key, ecx.X25519PublicKey):
            alg, value = X25519, key.to_bytes()
        elif isinstance(key, ecx.X448PublicKey):
            alg, value = X448, key.to_bytes()
        elif isinstance(key, dsa.DSAPublicKey):
            alg = DSA
            p = key.params
            params = asn1.encode_der(g.DSSParmsG, g.DSSParms(p.p, p.q, p.g))
            value = asn1.encode_der(g.DSAPublicKey, key.y)
        else:
            raise TypeError(f"not a supported public key: {type(key).__name__}")
        spki = g.SubjectPublicKeyInfo(g.AlgorithmIdentifier(alg, params), BitString(value))
        info = cls._from_grammar(spki, asn1.encode_der(g.SubjectPublicKeyInfoG, spki))
        object.__setattr__(info, "_key", key)
        return info

    @property
    def key_type(self) -> KeyType | None:
        """ "rsa", "rsa-pss", "ec", "ed25519", "x25519", "x448", "dsa", or None."""
        return _KEY_TYPES.get(self.algorithm)

    @property
    def algorithm_name(self) -> str:
        """The algorithm's name ("rsaEncryption", ...) or its dotted OID."""
        return asn1.oids.name(self.algorithm) or str(self.algorithm)

    @property
    def curve(self) -> str | None:
        """The curve of an EC key ("P-256", ...), None for other keys."""
        if self.algorithm != EC_PUBLIC_KEY:
            return None
        return _curve_of(self.parameters, "EC public key").name

    @property
    def pss(self) -> PSSParameters | None:
        """The restrictions of an id-RSASSA-PSS key (RFC 4055 3.1), None otherwise or if
        the key is unrestricted."""
        if self.algorithm != RSASSA_PSS or self.parameters is None:
            return None
        try:
            return PSSParameters.from_der(self.parameters)
        except ValueError as e:  # asn1.DecodeError included
            raise DecodeError(f"RSASSA-PSS key parameters: {e}") from None

    def key_identifier(self) -> bytes:
        """RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey BIT STRING's
        value (without tag, length and unused-bits octet)."""
        return hashes.digest("sha1", self.subject_public_key.data)

    def fingerprint(self, hash: str = "sha256") -> bytes:
        """The hash of the whole SubjectPublicKeyInfo DER (as pinned by RFC 7469)."""
        return hashes.digest(hash, self.der)

    @property
    def size_bits(self) -> int:
        """The key size: RSA modulus or DSA prime bits, curve bits, 255/448 for the RFC 8410
        curves."""
        key = self.public_key()
        if isinstance(key, rsa.RSAPublicKey):
            return key.size_bits
        if isinstance(key, ec.ECPublicKey):
            return key.curve.bits
        if isinstance(key, dsa.DSAPublicKey):
            return key.params.L
        return 448 if isinstance(key, ecx.X448PublicKey) else 255

    def public_key(self) -> PublicKey:
        """The nocrypto public key; :class:`UnsupportedAlgorithm` for a key type, curve or
        size nocrypto does not handle, :class:`DecodeError` for malformed key material."""
        if self._key is None:
            object.__setattr__(self, "_key", self._convert())
        assert self._key is not None
        return self._key

    def _convert(self) -> PublicKey:
        alg, params = self.algorithm, self.parameters
        kind = _KEY_TYPES.get(alg)
        if kind is None:
            name = asn1.oids.name(alg)
            label = f"{name} ({alg})" if name else alg
            raise UnsupportedAlgorithm(f"public key algorithm {label} is not supported")
        what = f"{kind} public key"
        bits = self.subject_public_key
        if bits.unused:
            raise DecodeError(f"{what}: subjectPublicKey is not a whole number of octets")
        data = bits.data
        if kind in ("rsa", "rsa-pss"):
            if kind == "rsa" and params != NULL:
                # RFC 3279 2.3.1: "the parameters field MUST have ASN.1 type NULL"
                raise DecodeError(f"{what}: rsaEncryption parameters must be NULL")
            if kind == "rsa-pss":
                self.pss  # noqa: B018 - checks the parameters
            k = _decode(g.RSAPublicKeyG, data, f"{what}: RSAPublicKey")
            try:
                return rsa.RSAPublicKey(k.modulus, k.public_exponent)
            except ValueError as e:
                raise _nocrypto(what, e) from None
        if kind == "ec":
            curve = _curve_of(params, what)
            try:
                return ec.ECPublicKey.from_bytes(curve, data)
            except ValueError as e:
                raise DecodeError(f"{what}: {e}") from None
        if kind == "dsa":
            if params is None:
                raise UnsupportedAlgorithm(
                    f"{what}: DSA parameters inherited from the issuer (RFC 3279 2.3.2) are "
                    "not supported"
                )
            dss = _dss_parameters(params, what)
            y = _decode(g.DSAPublicKey, data, f"{what}: DSAPublicKey")
            try:
                return dsa.DSAPublicKey(dss, y)
            except ValueError as e:
                raise DecodeError(f"{what}: {e}") from None
        # RFC 8410 3: "For all of the OIDs, the parameters MUST be absent."
        if params is not None:
            raise DecodeError(f"{what}: parameters must be absent (RFC 8410 3)")
        size = _RAW_SIZES[alg]
        if len(data) != size:
            raise DecodeError(f"{what}: a key of {len(data)} octets, not {size}")
        try:
            if kind == "ed25519":
                return ecx.Ed25519PublicKey.from_bytes(data)
            if kind == "x25519":
                return ecx.X25519PublicKey.from_bytes(data)
            return ecx.X448PublicKey.from_bytes(data)
        except ValueError as e:
            raise DecodeError(f"{what}: {e}") from None


# The slots of the frozen PublicKeyInfo, for PublicKeyInfo._from_grammar.
_SET_ALGORITHM: Final = vars(PublicKeyInfo)["algorithm"].__set__
_SET_PARAMETERS: Final = vars(PublicKeyInfo)["parameters"].__set__
_SET_KEY: Final = vars(PublicKeyInfo)["subject_public_key"].__set__
_SET_DER: Final = vars(PublicKeyInfo)["der"].__set__
_SET_CACHED_KEY: Final = vars(PublicKeyInfo)["_key"].__set__


def public_key_of(key: PrivateKey) -> PublicKey:
    """The public key of a private key."""
    return key.public_key()


# --- PEM ----------------------------------------------------------------------------------

_PRIVATE_LABELS: Final = {
    "PRIVATE KEY": "pkcs8",
    "RSA PRIVATE KEY": "pkcs1",
    "EC PRIVATE KEY": "sec1",
    "DSA PRIVATE KEY": "dsa",
    "ENCRYPTED PRIVATE KEY": "encrypted",
}
_PUBLIC_LABELS: Final = {"PUBLIC KEY": "spki", "RSA PUBLIC KEY": "pkcs1"}


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise TypeError("key data must be bytes or str")


def _pem_blocks(raw: bytes, labels: dict[str, str], what: str) -> tuple[str, bytes] | None:
    """The (format, der) of the first PEM block of *raw* with one of *labels*, None if
    *raw* is not PEM."""
    if not asn1.pem.looks_like_pem(raw):
        return None
    if b"Proc-Type: 4,ENCRYPTED" in raw:
        raise UnsupportedAlgorithm(
            f"{what}: encrypted PEM (Proc-Type 4,ENCRYPTED) is not supported"
        )
    try:
        blocks = asn1.pem.decode(raw)
    except asn1.DecodeError as e:
        raise DecodeError(f"{what}: {e}") from None
    for label, der in blocks:
        if label in labels:
            return labels[label], der
    found = ", ".join(sorted({label for label, _ in blocks})) or "none"
    raise DecodeError(f"{what}: no PEM block labelled {' or '.join(labels)} (found {found})")


# --- private keys -------------------------------------------------------------------------


def _rsa_private(der: bytes, what: str) -> rsa.RSAPrivateKey:
    k = _decode(g.RSAPrivateKeyG, der, f"{what}: RSAPrivateKey")
    if k.version != 0 or k.other_prime_infos is not None:
        # RFC 8017 A.1.2: version 1 (multi) carries otherPrimeInfos
        raise UnsupportedAlgorithm(f"{what}: multi-prime RSA keys are not supported")
    try:
        return rsa.RSAPrivateKey.from_numbers(
            k.modulus,
            k.public_exponent,
            k.private_exponent,
            k.prime1,
            k.prime2,
            k.exponent1,
            k.exponent2,
            k.coefficient,
        )
    except (ValueError, TypeError) as e:
        raise DecodeError(f"{what}: {e}") from None


def _ec_private(der: bytes, curve: ec.Curve | None, what: str) -> ec.ECPrivateKey:
    k = _decode(g.ECPrivateKeyG, der, f"{what}: ECPrivateKey")
    if k.version != 1:  # RFC 5915 3: ecPrivkeyVer1
        raise DecodeError(f"{what}: ECPrivateKey version {k.version} (1 expected)")
    if k.parameters is not None:
        inner = _curve_of(asn1.encode_der(g.ECParameters, k.parameters), what)
        if curve is not None and inner != curve:
            raise DecodeError(f"{what}: the curve of the key differs from its algorithm's")
        curve = inner
    if curve is None:
        raise DecodeError(f"{what}: ECPrivateKey without the curve (RFC 5915 3)")
    try:
        key = ec.ECPrivateKey.from_bytes(curve, k.private_key)
    except ValueError as e:
        raise DecodeError(f"{what}: {e}") from None
    if k.public_key is not None and k.public_key.data != key.public_key().to_bytes():
        try:
            stated = ec.ECPublicKey.from_bytes(curve, k.public_key.data)
        except ValueError as e:
            raise DecodeError(f"{what}: publicKey: {e}") from None
        if stated != key.public_key():
            raise DecodeError(f"{what}: publicKey does not match the private key")
    return key


def _raw_private(
    info: g.OneAsymmetricKey, what: str
) -> ecx.Ed25519PrivateKey | ecx.X25519PrivateKey | ecx.X448PrivateKey:
    alg = info.private_key_algorithm
    if alg.parameters is not None:
        raise DecodeError(f"{what}: parameters must be absent (RFC 8410 7)")
    seed = _decode(g.CurvePrivateKey, info.private_key, f"{what}: CurvePrivateKey")
    size = _RAW_SIZES[alg.algorithm]
    if len(seed) != size:
        raise DecodeError(f"{what}: a private key of {len(seed)} octets, not {size}")
    key: ecx.Ed25519PrivateKey | ecx.X25519PrivateKey | ecx.X448PrivateKey
    if alg.algorithm == ED25519:
        key = ecx.Ed25519PrivateKey.from_bytes(seed)
    elif alg.algorithm == X25519:
        key = ecx.X25519PrivateKey.from_bytes(seed)
    else:
        key = ecx.X448PrivateKey.from_bytes(seed)
    if info.public_key is not None and info.public_key.data != key.public_key().to_bytes():
        raise DecodeError(f"{what}: publicKey does not match the private key (RFC 8410 7)")
    return key


def _dsa_private(params: dsa.DSAParameters, x: int, y: int | None, what: str) -> dsa.DSAPrivateKey:
    try:
        key = dsa.DSAPrivateKey(params, x)
    except ValueError as e:
        raise DecodeError(f"{what}: {e}") from None
    if y is not None and key.public_key().y != y:
        raise DecodeError(f"{what}: y does not match x")
    return key


def _pkcs8(der: bytes) -> PrivateKey:
    what = "PKCS #8 private key"
    info = _decode(g.OneAsymmetricKeyG, der, what)
    # RFC 5958 2: v1 (0) without publicKey, v2 (1) with it allowed.
    if info.version not in (0, 1) or (info.version == 0 and info.public_key is not None):
        raise DecodeError(f"{what}: version {info.version} with these fields")
    alg = info.private_key_algorithm
    kind = _KEY_TYPES.get(alg.algorithm)
    what = f"{what} ({kind or alg.algorithm})"
    if kind == "rsa":
        if alg.parameters not in (None, NULL):
            raise DecodeError(f"{what}: rsaEncryption parameters must be NULL")
        return _rsa_private(info.private_key, what)
    if kind == "rsa-pss":
        if alg.parameters is not None:
            try:
                PSSParameters.from_der(alg.parameters)
            except ValueError as e:
                raise DecodeError(f"{what}: {e}") from None
        return _rsa_private(info.private_key, what)
    if kind == "ec":
        return _ec_private(info.private_key, _curve_of(alg.parameters, what), what)
    if kind == "dsa":
        if alg.parameters is None:
            raise DecodeError(f"{what}: DSA key without parameters")
        params = _dss_parameters(alg.parameters, what)
        x = _decode(g.DSAPublicKey, info.private_key, f"{what}: x")
        return _dsa_private(params, x, None, what)
    if kind in ("ed25519", "x25519", "x448"):
        return _raw_private(info, what)
    name = asn1.oids.name(alg.algorithm) or alg.algorithm
    raise UnsupportedAlgorithm(f"{what}: private key algorithm {name} is not supported")


def _traditional_dsa(der: bytes) -> dsa.DSAPrivateKey:
    what = "DSA private key"
    k = _decode(g.DSAPrivateKeyOpenSSLG, der, what)
    if k.version != 0:
        raise DecodeError(f"{what}: version {k.version} (0 expected)")
    try:
        params = dsa.DSAParameters(k.p, k.q, k.g)
    except ValueError as e:
        raise _nocrypto(what, e) from None
    return _dsa_private(params, k.x, k.y, what)


def _private_of(kind: str, der: bytes) -> PrivateKey:
    if kind == "pkcs8":
        return _pkcs8(der)
    if kind == "pkcs1":
        return _rsa_private(der, "PKCS #1 private key")
    if kind == "sec1":
        return _ec_private(der, None, "SEC 1 private key")
    if kind == "dsa":
        return _traditional_dsa(der)
    raise UnsupportedAlgorithm(
        "encrypted private keys (PKCS #8 EncryptedPrivateKeyInfo) are not supported"
    )


def load_private_key(data: bytes | str, password: bytes | None = None) -> PrivateKey:
    """The private key in *data*: PEM ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
    "DSA PRIVATE KEY"; the first such block) or DER (PKCS #8, PKCS #1, SEC 1 or OpenSSL
    DSA, tried in that order). Encrypted keys raise :class:`UnsupportedAlgorithm`;
    *password* is accepted for them only, and is otherwise a TypeError."""
    raw = _as_bytes(data)
    if len(raw) > 4 * LIMITS.max_size:
        raise DecodeError("private key: input too large")
    pem = _pem_blocks(raw, _PRIVATE_LABELS, "private key")
    if pem is not None:
        kind, der = pem
        if kind == "encrypted":
            return _private_of(kind, der)
        if password is not None:
            raise TypeError("a password was given but the private key is not encrypted")
        return _private_of(kind, der)
    errors = []
    for kind in ("pkcs8", "pkcs1", "sec1", "dsa"):
        try:
            key = _private_of(kind, raw)
        except UnsupportedAlgorithm:
            raise
        except DecodeError as e:
            errors.append(str(e))
            continue
        if password is not None:
            raise TypeError("a password was given but the private key is not encrypted")
        return key
    try:
        asn1.decode_der(g.EncryptedPrivateKeyInfoG, raw)
    except asn1.DecodeError:
        raise DecodeError(f"not a private key: {'; '.join(errors)}") from None
    return _private_of("encrypted", raw)


Format = Literal["pkcs8", "pkcs1", "sec1"]
Encoding = Literal["pem", "der"]


def _pkcs8_value(key: PrivateKey) -> g.OneAsymmetricKey:
    if isinstance(key, rsa.RSAPrivateKey):
        return g.OneAsymmetricKey(0, g.AlgorithmIdentifier(RSA_ENCRYPTION, NULL), _pkcs1_der(key))
    if isinstance(key, ec.ECPrivateKey):
        curve = asn1.encode_der(g.ECParameters, CURVE_OIDS[key.curve.name])
        inner = g.ECPrivateKey(1, key.to_bytes(), None, BitString(key.public_key().to_bytes()))
        return g.OneAsymmetricKey(
            0,
            g.AlgorithmIdentifier(EC_PUBLIC_KEY, curve),
            asn1.encode_der(g.ECPrivateKeyG, inner),
        )
    if isinstance(key, dsa.DSAPrivateKey):
        p = key.params
        params = asn1.encode_der(g.DSSParmsG, g.DSSParms(p.p, p.q, p.g))
        return g.OneAsymmetricKey(
            0, g.AlgorithmIdentifier(DSA, params), asn1.encode_der(g.DSAPublicKey, key.x)
        )
    oid = (
        ED25519
        if isinstance(key, ecx.Ed25519PrivateKey)
        else X25519
        if isinstance(key, ecx.X25519PrivateKey)
        else X448
    )
    seed = asn1.encode_der(g.CurvePrivateKey, key.to_bytes())
    return g.OneAsymmetricKey(0, g.AlgorithmIdentifier(oid), seed)


def _pkcs1_der(key: rsa.RSAPrivateKey) -> bytes:
    n = key.private_numbers
    value = g.RSAPrivateKey(0, n.n, n.e, n.d, n.p, n.q, n.dp, n.dq, n.qinv)
    return asn1.encode_der(g.RSAPrivateKeyG, value)


def _encode(der: bytes, label: str, encoding: Encoding) -> bytes:
    if encoding == "der":
        return der
    if encoding == "pem":
        return asn1.pem.encode(label, der).encode("ascii")
    raise ValueError('encoding must be "pem" or "der"')


def dump_private_key(
    key: PrivateKey, format: Format = "pkcs8", encoding: Encoding = "pem"
) -> bytes:
    """*key* as PKCS #8 PrivateKeyInfo (v1, any key type), PKCS #1 RSAPrivateKey (RSA) or
    SEC 1 ECPrivateKey (EC; with the named curve and the public key), in PEM or DER.
    Unencrypted."""
    if not isinstance(
        key,
        rsa.RSAPrivateKey
        | ec.ECPrivateKey
        | ecx.Ed25519PrivateKey
        | ecx.X25519PrivateKey
        | ecx.X448PrivateKey
        | dsa.DSAPrivateKey,
    ):
        raise TypeError(f"not a supported private key: {type(key).__name__}")
    if format == "pkcs8":
        der = asn1.encode_der(g.OneAsymmetricKeyG, _pkcs8_value(key))
        return _encode(der, "PRIVATE KEY", encoding)
    if format == "pkcs1":
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("PKCS #1 holds RSA keys only")
        return _encode(_pkcs1_der(key), "RSA PRIVATE KEY", encoding)
    if format == "sec1":
        if not isinstance(key, ec.ECPrivateKey):
            raise ValueError("SEC 1 holds EC keys only")
        value = g.ECPrivateKey(
            1, key.to_bytes(), CURVE_OIDS[key.curve.name], BitString(key.public_key().to_bytes())
        )
        return _encode(asn1.encode_der(g.ECPrivateKeyG, value), "EC PRIVATE KEY", encoding)
    raise ValueError('format must be "pkcs8", "pkcs1" or "sec1"')


# --- public keys --------------------------------------------------------------------------


def load_public_key(data: bytes | str) -> PublicKey:
    """The public key in *data*: PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or "RSA PUBLIC KEY"
    (PKCS #1), or DER of either."""
    raw = _as_bytes(data)
    pem = _pem_blocks(raw, _PUBLIC_LABELS, "public key")
    if pem is not None:
        kind, der = pem
        if kind == "spki":
            return PublicKeyInfo.from_der(der).public_key()
        return _pkcs1_public(der)
    try:
        info = PublicKeyInfo.from_der(raw)
    except DecodeError as first:
        try:
            return _pkcs1_public(raw)
        except DecodeError:
            raise first from None
    return info.public_key()


def _pkcs1_public(der: bytes) -> rsa.RSAPublicKey:
    k = _decode(g.RSAPublicKeyG, der, "PKCS #1 RSA public key")
    try:
        return rsa.RSAPublicKey(k.modulus, k.public_exponent)
    except ValueError as e:
        raise _nocrypto("PKCS #1 RSA public key", e) from None


def dump_public_key(
    key: PublicKey, format: Literal["spki", "pkcs1"] = "spki", encoding: Encoding = "pem"
) -> bytes:
    """*key* as a SubjectPublicKeyInfo ("PUBLIC KEY") or, for RSA, a PKCS #1 RSAPublicKey
    ("RSA PUBLIC KEY"), in PEM or DER."""
    if format == "spki":
        return _encode(PublicKeyInfo.from_key(key).der, "PUBLIC KEY", encoding)
    if format == "pkcs1":
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("PKCS #1 holds RSA keys only")
        der = asn1.encode_der(g.RSAPublicKeyG, g.RSAPublicKey(key.n, key.e))
        return _encode(der, "RSA PUBLIC KEY", encoding)
    raise ValueError('format must be "spki" or "pkcs1"')
