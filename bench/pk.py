"""Public-key benchmarks: nqsb against ``openssl speed`` measured in the same run.

Operations per second through the public Python API (the native kernels), the OpenSSL
command line's figure for the same operation, their ratio (>1: we are faster) against the
issue 4 targets, and the pure-Python twins' figure (a child process with
``NOCRYPTO_BACKEND=python``).

What is timed: a signature of a 32-byte message (hash included) and its verification; an
"ECDH"/"X25519" is one shared-secret derivation with a fixed peer key (as ``openssl speed``
times it); "FFDHE-2048" is one derivation with the RFC 7919 group.
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

from nocrypto import _backend, dh, ec, ecx, rsa

MESSAGE = bytes(range(32))
Op = Callable[[], object]


@dataclass(frozen=True)
class Case:
    name: str
    openssl: tuple[str, int]  # (speed algorithm, index of the ops/s figure from the end)
    make: Callable[[], Op]
    target: float | None


def _rsa(bits: int, verify: bool) -> Callable[[], Op]:
    def make() -> Op:
        key = rsa.RSAPrivateKey.generate(bits)
        if not verify:
            return lambda: key.sign(MESSAGE)
        public, signature = key.public_key(), key.sign(MESSAGE)
        return lambda: public.verify(signature, MESSAGE)

    return make


def _ecdsa(curve: ec.Curve, verify: bool) -> Callable[[], Op]:
    def make() -> Op:
        key = ec.ECPrivateKey.generate(curve)
        if not verify:
            return lambda: key.sign(MESSAGE)
        public, signature = key.public_key(), key.sign(MESSAGE)
        return lambda: public.verify(signature, MESSAGE)

    return make


def _ecdh(curve: ec.Curve) -> Callable[[], Op]:
    def make() -> Op:
        key, peer = ec.ECPrivateKey.generate(curve), ec.ECPrivateKey.generate(curve)
        public = peer.public_key()
        return lambda: key.exchange(public)

    return make


def _x25519() -> Op:
    key = ecx.X25519PrivateKey.generate()
    peer = ecx.X25519PrivateKey.generate().public_key()
    return lambda: key.exchange(peer)


def _ed25519(verify: bool) -> Callable[[], Op]:
    def make() -> Op:
        key = ecx.Ed25519PrivateKey.generate()
        if not verify:
            return lambda: key.sign(MESSAGE)
        public, signature = key.public_key(), key.sign(MESSAGE)
        return lambda: public.verify(signature, MESSAGE)

    return make


def _ffdhe() -> Op:
    key = dh.FFDHE2048.generate_private_key()
    peer = dh.FFDHE2048.generate_private_key().public_key()
    return lambda: key.exchange(peer)


CASES = [
    Case("RSA-2048 sign", ("rsa2048", 2), _rsa(2048, False), 0.4),
    Case("RSA-2048 verify", ("rsa2048", 1), _rsa(2048, True), None),
    Case("RSA-4096 sign", ("rsa4096", 2), _rsa(4096, False), None),
    Case("ECDSA P-256 sign", ("ecdsap256", 2), _ecdsa(ec.P256, False), 0.25),
    Case("ECDSA P-256 verify", ("ecdsap256", 1), _ecdsa(ec.P256, True), None),
    Case("ECDH P-256", ("ecdhp256", 1), _ecdh(ec.P256), 0.25),
    Case("ECDH P-384", ("ecdhp384", 1), _ecdh(ec.P384), None),
    Case("X25519", ("ecdhx25519", 1), lambda: _x25519(), 0.5),
    Case("Ed25519 sign", ("ed25519", 2), _ed25519(False), 0.3),
    Case("Ed25519 verify", ("ed25519", 1), _ed25519(True), None),
    Case("FFDHE-2048 derive", ("ffdh2048", 1), lambda: _ffdhe(), None),
]


def ops_per_second(op: Op, repeat: int = 5) -> float:
    timer = timeit.Timer(op)
    loops, _ = timer.autorange()
    return loops / min(timer.repeat(repeat=repeat, number=loops))


_speed_cache: dict[str, list[float]] = {}


def openssl_speed(alg: str, from_end: int) -> float | None:
    """An ops/s figure of ``openssl speed -seconds 1 alg``: the from_end-th number counted
    from the end of its result line (verify and derive are last, sign before verify)."""
    if shutil.which("openssl") is None:
        return None
    if alg not in _speed_cache:
        cmd = ["openssl", "speed", "-seconds", "1", alg]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        numbers: list[float] = []
        if result.returncode == 0 and lines:
            for word in lines[-1].split():
                try:
                    numbers.append(float(word))
                except ValueError:
                    continue
        _speed_cache[alg] = numbers
    numbers = _speed_cache[alg]
    return numbers[-from_end] if len(numbers) >= from_end else None


def twin_figures() -> dict[str, float]:
    """Ops/s of each case on the pure-Python twins, from a child process."""
    env = dict(os.environ, NOCRYPTO_BACKEND="python")
    code = "import bench.pk as b, json; print(json.dumps(b._twin_main()))"
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return figures


def _twin_main() -> dict[str, float]:
    assert _backend.NAME == "python"
    out = {}
    for case in CASES:
        op = case.make()
        timer = timeit.Timer(op)
        out[case.name] = 1 / min(timer.repeat(repeat=2, number=1))
    return out


def bench_public_key() -> list[str]:
    lines = [
        "nocrypto public key: ours (Python API) vs `openssl speed`, ops/s, one run",
        f"  {'':<22}{'nqsb':>10}{'openssl':>10}{'ratio':>8}  {'target':<10}{'twin':>9}",
    ]
    twins = twin_figures()
    for case in CASES:
        ours = ops_per_second(case.make())
        theirs = openssl_speed(*case.openssl)
        ratio = ours / theirs if theirs else float("nan")
        verdict = ""
        if case.target and theirs:
            verdict = f">={case.target} {'ok' if ratio >= case.target else 'MISS'}"
        lines.append(
            f"  {case.name:<22}{ours:>10.0f}{theirs or float('nan'):>10.0f}{ratio:>8.2f}"
            f"  {verdict:<10}{twins[case.name]:>9.1f}"
        )
    return lines
