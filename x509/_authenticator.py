"""Authenticators: pure functions ``(chain, host, time) -> Ok(path) | ValidationError``.

The TLS engine asks an authenticator whether the certificate chain a peer sent is
acceptable for the host it wanted to reach, passing the time from its configuration (the
engine never reads the clock). Three kinds, as in ocaml-x509's ``Authenticator``:

- :meth:`Authenticator.chain_of_trust`: RFC 5280 path validation to trust anchors, with the
  host name check of RFC 9525 (x509._validation);
- :meth:`Authenticator.cert_fingerprint` and :meth:`Authenticator.key_fingerprint`: pinning
  of the leaf certificate (or of its SubjectPublicKeyInfo) by hash, optionally per host;
- :meth:`Authenticator.system`: chain of trust to the operating system's trust store
  (Debian's ``/etc/ssl/certs/ca-certificates.crt``, or a given file or directory) -- the only
  one that reads files, and only when it is made.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, TypeAlias

import asn1
from nocrypto import compare_digest, hashes

from ._certificate import Certificate
from ._errors import DecodeError
from ._validation import Ok, ValidationPolicy, validate
from ._verrors import (
    Expired,
    FingerprintMismatch,
    NotYetValid,
    ValidationError,
)

__all__ = ["DEFAULT_TRUST_STORE", "Authenticator", "Result"]

#: Where Debian, Ubuntu and OpenSSL's default configuration keep the trust store bundle.
DEFAULT_TRUST_STORE: Final = Path("/etc/ssl/certs/ca-certificates.crt")
_TRUST_DIR: Final = Path("/etc/ssl/certs")

Result: TypeAlias = Ok | ValidationError
TimeSource: TypeAlias = datetime | Callable[[], datetime] | None
_Check: TypeAlias = Callable[[Sequence[Certificate], str | None, datetime], Result]


class Authenticator:
    """A pure check of a peer's chain: call it as ``auth(chain, host, time=...)``.

    *chain* is what the peer sent: the leaf first, then (untrusted) intermediates in any
    order. *host* is the name the client wanted (None: no name check). *time* (timezone
    aware) is the validation time; when omitted, the time source the authenticator was made
    with is used (a fixed datetime or a callable), and without either, calling raises
    ``ValueError`` -- the library never reads the clock on its own.
    """

    __slots__ = ("_check", "_time", "description")

    def __init__(self, check: _Check, *, time: TimeSource = None, description: str = "") -> None:
        self._check = check
        self._time = time
        self.description = description

    def __repr__(self) -> str:
        return f"<Authenticator {self.description}>"

    @property
    def has_time_source(self) -> bool:
        """Whether it was made with a time (fixed or callable), so that a call may omit
        ``time=``."""
        return self._time is not None

    def __call__(
        self,
        chain: Sequence[Certificate],
        host: str | None = None,
        *,
        time: datetime | None = None,
    ) -> Result:
        """Validate *chain* for *host* at *time*: :class:`Ok` with the path, or the reason."""
        when = time if time is not None else self._time
        if callable(when):
            when = when()
        if when is None:
            raise ValueError("no validation time: pass time= to the call or to the constructor")
        if when.tzinfo is None:
            raise ValueError("the validation time must be timezone-aware")
        if not chain:
            raise ValueError("an empty chain: the peer sent no certificate")
        return self._check(chain, host, when.astimezone(UTC))

    # --- constructors ------------------------------------------------------------------------

    @classmethod
    def chain_of_trust(
        cls,
        roots: Iterable[Certificate],
        *,
        time: TimeSource = None,
        policy: ValidationPolicy | None = None,
    ) -> Authenticator:
        """RFC 5280 path validation from the leaf to one of *roots*, plus the host name
        check (RFC 9525) when a host is given. *policy* sets the purpose (serverAuth by
        default), key usage, SHA-1, CRLs, ... (:class:`ValidationPolicy`)."""
        anchors = tuple(roots)
        for r in anchors:
            if not isinstance(r, Certificate):
                raise TypeError(f"roots must be Certificates, got {type(r).__name__}")
        pol = policy if policy is not None else ValidationPolicy()

        def check(chain: Sequence[Certificate], host: str | None, when: datetime) -> Result:
            return validate(chain[0], chain[1:], anchors, time=when, host=host, policy=pol)

        return cls(check, time=time, description=f"chain of trust to {len(anchors)} roots")

    @classmethod
    def cert_fingerprint(
        cls,
        hash: str,
        fingerprints: Mapping[str, bytes] | Iterable[bytes],
        *,
        time: TimeSource = None,
    ) -> Authenticator:
        """Accept a leaf whose certificate hash (*hash*: "sha256", ...) is pinned: either
        for the host (a mapping host -> fingerprint) or for any host (a collection). The
        leaf must be within its validity period; nothing else is checked."""
        return cls._pinned(hash, fingerprints, time, lambda c: c.der, "certificate")

    @classmethod
    def key_fingerprint(
        cls,
        hash: str,
        fingerprints: Mapping[str, bytes] | Iterable[bytes],
        *,
        time: TimeSource = None,
    ) -> Authenticator:
        """Like :meth:`cert_fingerprint`, with the hash of the leaf's
        SubjectPublicKeyInfo (a pin that survives re-issuing with the same key)."""
        return cls._pinned(hash, fingerprints, time, lambda c: c.public_key_info.der, "key")

    @classmethod
    def _pinned(
        cls,
        hash: str,
        fingerprints: Mapping[str, bytes] | Iterable[bytes],
        time: TimeSource,
        part: Callable[[Certificate], bytes],
        what: str,
    ) -> Authenticator:
        hashes.digest(hash, b"")  # an unknown hash name fails here, at construction
        per_host: dict[str, frozenset[bytes]] | None
        anywhere: frozenset[bytes]
        if isinstance(fingerprints, Mapping):
            per_host = {_host_key(h): frozenset([bytes(fp)]) for h, fp in fingerprints.items()}
            anywhere = frozenset()
        else:
            per_host = None
            anywhere = frozenset(bytes(fp) for fp in fingerprints)

        def check(chain: Sequence[Certificate], host: str | None, when: datetime) -> Result:
            leaf = chain[0]
            subject = str(leaf.subject)
            if when < leaf.not_before:
                return NotYetValid(depth=0, subject=subject, not_before=leaf.not_before, time=when)
            if when > leaf.not_after:
                return Expired(depth=0, subject=subject, not_after=leaf.not_after, time=when)
            digest = hashes.digest(hash, part(leaf))
            allowed = anywhere
            if per_host is not None:
                allowed = per_host.get(_host_key(host), frozenset()) if host else frozenset()
            if any(_equal(digest, fp) for fp in allowed):
                return Ok((leaf,))
            return FingerprintMismatch(
                depth=0, subject=subject, fingerprint=f"{hash}:{digest.hex()}"
            )

        return cls(check, time=time, description=f"{what} fingerprint ({hash})")

    @classmethod
    def system(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        time: TimeSource = None,
        policy: ValidationPolicy | None = None,
    ) -> Authenticator:
        """Chain of trust to the system trust store: *path* is a PEM bundle or a directory
        of PEM files (default: ``/etc/ssl/certs/ca-certificates.crt``, or the directory
        ``/etc/ssl/certs`` if there is no bundle). Certificates this package cannot read
        are left out (``auth.description`` says how many). Raises ``FileNotFoundError``
        when there is no store."""
        roots, skipped = load_trust_store(path)
        auth = cls.chain_of_trust(roots, time=time, policy=policy)
        auth.description = f"system trust store: {len(roots)} roots" + (
            f", {skipped} unreadable left out" if skipped else ""
        )
        return auth


def load_trust_store(path: str | os.PathLike[str] | None = None) -> tuple[list[Certificate], int]:
    """The certificates of a PEM bundle or a directory of PEM files, and how many blocks
    could not be read."""
    if path is None:
        where = DEFAULT_TRUST_STORE if DEFAULT_TRUST_STORE.exists() else _TRUST_DIR
    else:
        where = Path(path)
    if not where.exists():
        raise FileNotFoundError(f"no trust store at {where}")
    files = sorted(p for p in where.iterdir() if p.is_file()) if where.is_dir() else [where]
    roots: dict[bytes, Certificate] = {}
    skipped = 0
    for file in files:
        try:
            text = file.read_bytes()
        except OSError:
            skipped += 1
            continue
        for der in _pem_blocks(text):
            try:
                cert = Certificate.from_der(der)
            except DecodeError:
                skipped += 1
                continue
            roots[cert.der] = cert
    return list(roots.values()), skipped


def _pem_blocks(text: bytes) -> list[bytes]:
    """The DER of each CERTIFICATE block (one unreadable block does not hide the others)."""
    out = []
    for block in text.split(b"-----END CERTIFICATE-----"):
        start = block.find(b"-----BEGIN CERTIFICATE-----")
        if start < 0:
            continue
        pem = block[start:] + b"-----END CERTIFICATE-----\n"
        try:
            out.append(asn1.pem.decode_one(pem, "CERTIFICATE"))
        except asn1.DecodeError:
            continue
    return out


def _host_key(host: str) -> str:
    return host.rstrip(".").lower()


def _equal(a: bytes, b: bytes) -> bool:
    return len(a) == len(b) and compare_digest(a, b)
