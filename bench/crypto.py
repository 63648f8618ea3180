"""Symmetric crypto: nqsb against ``openssl speed -evp`` measured in the same run.

For each algorithm of issue 3: MB/s at 16 KiB and microseconds per call at 64 B through the
public Python API (AEADs: seal and open), first with the hardware paths, then MB/s of the
portable C (``restrict_hw(0)``); beside them the OpenSSL command line's figures and the
ratios; and the pure-Python twins' MB/s (in a child process with ``NOCRYPTO_BACKEND=python``,
on 1 KiB: they are slow). Ratios are ours / OpenSSL's throughput (>1: we are faster) and, at
64 B, our time per call / OpenSSL's (<1: we are faster).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nocrypto import _backend, aead, ciphers, hashes, hmac

BIG = 16 * 1024
SMALL = 64
TWIN_SIZE = 1024
Op = Callable[[bytes], object]


@dataclass(frozen=True)
class Case:
    name: str
    openssl: str  # the -evp name
    seal: Callable[[], Op]  # built after restrict_hw, so schedules follow the mask
    open: Callable[[], Op] | None  # AEADs: the decryption of seal's output
    target: float | None  # ours / OpenSSL at 16 KiB, from issue 3
    small_target: float | None = None  # our time / OpenSSL's at 64 B


KEY16, KEY32, NONCE, IV = bytes(range(16)), bytes(range(32)), bytes(12), bytes(16)


def _aead(
    make: Callable[[], aead.AES_GCM | aead.ChaCha20Poly1305],
) -> tuple[Callable[[], Op], Callable[[], Op]]:
    def seal() -> Op:
        a = make()
        return lambda data: a.seal(NONCE, data)

    def open_() -> Op:
        a = make()
        sealed: dict[int, bytes] = {}

        def op(data: bytes) -> object:
            ct = sealed.get(len(data))
            if ct is None:
                ct = sealed[len(data)] = a.seal(NONCE, data)
            return a.open(NONCE, ct)

        return op

    return seal, open_


def _cbc_hmac() -> Op:
    cbc = ciphers.AES_CBC(KEY16)
    mac_key = bytes(20)
    return lambda data: (cbc.encrypt(IV, data), hmac.new(mac_key, data, "sha1").digest())


CASES = [
    Case("AES-128-GCM", "aes-128-gcm", *_aead(lambda: aead.AES_GCM(KEY16)), 0.5, 4.0),
    Case("AES-256-GCM", "aes-256-gcm", *_aead(lambda: aead.AES_GCM(KEY32)), 0.5, 4.0),
    Case(
        "ChaCha20-Poly1305",
        "chacha20-poly1305",
        *_aead(lambda: aead.ChaCha20Poly1305(KEY32)),
        0.35,
        4.0,
    ),
    # OpenSSL's figure is its stitched AES-NI cipher aes-128-cbc-hmac-sha1 (what its TLS
    # uses); ours is AES-128-CBC encryption plus HMAC-SHA1 over the same data.
    Case("AES-128-CBC + HMAC-SHA1", "aes-128-cbc-hmac-sha1", _cbc_hmac, None, None),
    Case("SHA-256", "sha256", lambda: lambda d: hashes.sha256(d).digest(), None, 0.7),
    Case("SHA-1", "sha1", lambda: lambda d: hashes.sha1(d).digest(), None, 0.7),
]


def per_call(op: Op, size: int) -> float:
    """Seconds per call of op on *size* bytes: best of 5 repeats (as timeit does)."""
    data = bytes(size)
    timer = timeit.Timer(lambda: op(data))
    loops, _ = timer.autorange()
    return min(timer.repeat(repeat=5, number=loops)) / loops


def openssl_speed(alg: str, size: int) -> float | None:
    """Seconds per call of ``openssl speed -evp alg -bytes size``; None if unavailable."""
    if shutil.which("openssl") is None:
        return None
    cmd = ["openssl", "speed", "-evp", alg, "-seconds", "1", "-bytes", str(size)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines or not lines[-1].endswith("k"):
        return None
    bytes_per_second = float(lines[-1].split()[-1][:-1]) * 1000.0
    return size / bytes_per_second


def _mbs(seconds: float, size: int) -> float:
    return size / seconds / 1e6


def twin_figures() -> dict[str, float]:
    """MB/s of each case on the pure-Python twins, from a child process."""
    env = dict(os.environ, NOCRYPTO_BACKEND="python")
    code = "import bench.crypto as c, json; print(json.dumps(c._twin_main()))"
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return figures


def _twin_main() -> dict[str, float]:
    assert _backend.NAME == "python"
    data = bytes(TWIN_SIZE)
    out = {}
    for case in CASES:
        op = case.seal()
        timer = timeit.Timer(lambda op=op: op(data))  # type: ignore[misc]
        out[case.name] = _mbs(min(timer.repeat(repeat=3, number=1)), TWIN_SIZE)
    return out


def bench_symmetric() -> list[str]:
    lines = [
        "nocrypto symmetric: ours (Python API) vs `openssl speed -evp`, one run",
        f"  {'':<24}{'16 KiB MB/s':>12}{'openssl':>9}{'ratio':>7}  {'target':<10}"
        f"{'64 B us':>8}{'openssl':>9}{'x':>6}  {'target':<8}{'portable':>9}{'twin 1K':>9}",
    ]
    twins = twin_figures()
    for case in CASES:
        ossl_big = openssl_speed(case.openssl, BIG)
        ossl_small = openssl_speed(case.openssl, SMALL)
        variants = (
            [("seal", case.seal)]
            if case.open is None
            else [("seal", case.seal), ("open", case.open)]
        )
        for which, make in variants:
            op = make()
            big = per_call(op, BIG)
            small = per_call(op, SMALL)
            _backend.restrict_hw(0)
            try:
                portable = per_call(make(), BIG)
            finally:
                _backend.restrict_hw(0xFFFFFFFF)
            label = case.name if which == "seal" else "  (open)"
            ratio = ossl_big / big if ossl_big else float("nan")
            small_x = small / ossl_small if ossl_small else float("nan")
            verdict = ""
            if case.target and ratio == ratio:
                met = "ok" if ratio >= case.target else "MISS"
                verdict = f">={case.target} {met}"
            small_verdict = ""
            if case.small_target and small_x == small_x:
                met = "ok" if small_x <= case.small_target else "MISS"
                small_verdict = f"<={case.small_target:g} {met}"
            lines.append(
                f"  {label:<24}{_mbs(big, BIG):>12.0f}"
                f"{_mbs(ossl_big, BIG) if ossl_big else float('nan'):>9.0f}"
                f"{ratio:>7.2f}  {verdict:<10}"
                f"{small * 1e6:>8.2f}{ossl_small * 1e6 if ossl_small else float('nan'):>9.2f}"
                f"{small_x:>6.1f}  {small_verdict:<8}{_mbs(portable, BIG):>9.0f}"
                f"{twins[case.name] if which == 'seal' else float('nan'):>9.3f}"
            )
    lines.append(
        "  (x: our time per 64-byte call / OpenSSL's, target <= 4 for AEADs; portable: C "
        "without AES-NI/PCLMUL/SHA-NI/AVX2; twin: pure Python)"
    )
    return lines
