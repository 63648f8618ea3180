"""Fortuna (nocrypto.rng): determinism of seeded instances, the generator's output checked
against an independent AES-256-CTR (the openssl command line) and SHA-256d (hashlib), key
rotation, pool reseeds, fork safety and argument checks."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest

from nocrypto import rng


def sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def openssl_ctr(key: bytes, counter: int, n_blocks: int) -> bytes:
    """The AES-256-CTR keystream from the openssl command line: an independent oracle."""
    out = subprocess.run(
        ["openssl", "enc", "-aes-256-ctr", "-nosalt", "-K", key.hex(), "-iv", f"{counter:032x}"],
        input=bytes(16 * n_blocks),
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    assert len(out) == 16 * n_blocks
    return out


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_seeded_generator_matches_the_book_with_independent_primitives() -> None:
    seed = b"test seed"
    f = rng.Fortuna(seed=seed)
    # Section 9.4.2: K = SHA_d-256(K || s) with K = 0^256, then C = 1.
    key = sha256d(bytes(32) + b"nqsb fortuna seed" + seed)
    counter = 1
    for n in (0, 1, 16, 17, 100):
        blocks = (n + 15) // 16
        stream = openssl_ctr(key, counter, blocks + 2)
        assert f.generate(n) == stream[:n]
        # Section 9.4.4: two more blocks become the next key.
        key = stream[16 * blocks : 16 * blocks + 32]
        counter += blocks + 2


def test_seeded_instances_are_reproducible() -> None:
    a, b, c = rng.Fortuna(seed=b"x"), rng.Fortuna(seed=b"x"), rng.Fortuna(seed=b"y")
    outs_a = [a.generate(n) for n in (5, 64, 1000)]
    assert outs_a == [b.generate(n) for n in (5, 64, 1000)]
    assert outs_a != [c.generate(n) for n in (5, 64, 1000)]
    assert a(7) == b(7)  # callable as random(n)


def test_requests_larger_than_one_mebibyte_are_split() -> None:
    f = rng.Fortuna(seed=b"big")
    g = rng.Fortuna(seed=b"big")
    big = f.generate(rng.MAX_REQUEST + 5)
    assert len(big) == rng.MAX_REQUEST + 5
    assert big[: rng.MAX_REQUEST] == g.generate(rng.MAX_REQUEST)
    assert big[rng.MAX_REQUEST :] == g.generate(5)


def test_pool_events_reseed_deterministically() -> None:
    a, b, plain = rng.Fortuna(seed=b"s"), rng.Fortuna(seed=b"s"), rng.Fortuna(seed=b"s")
    for f in (a, b):
        for i in range(rng.POOLS * 3):
            f.add_random_event(3, bytes([i]) * 32)
    assert a._pool0_size >= rng.MIN_POOL_SIZE
    out = a.generate(32)
    assert out == b.generate(32)
    assert a._reseeds == 1 and a._pool0_size == 0
    assert out != plain.generate(32)


def test_os_seeded_instances_differ_and_the_global_works() -> None:
    assert rng.Fortuna().generate(32) != rng.Fortuna().generate(32)
    x, y = rng.generate(32), rng.generate(32)
    assert len(x) == 32 and x != y


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_repeat_its_parent() -> None:
    f = rng.Fortuna()
    f.generate(16)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        os.write(write, f.generate(32))
        os._exit(0)
    os.close(write)
    child = b""
    while len(child) < 32:
        chunk = os.read(read, 32)
        if not chunk:
            break
        child += chunk
    os.close(read)
    os.waitpid(pid, 0)
    assert len(child) == 32
    assert child != f.generate(32)


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: rng.Fortuna(seed="text"), TypeError),  # type: ignore[arg-type]
        (lambda: rng.Fortuna(seed=b"s").generate(-1), ValueError),
        (lambda: rng.Fortuna(seed=b"s").add_random_event(256, b"x"), ValueError),
        (lambda: rng.Fortuna(seed=b"s").add_random_event(0, b""), ValueError),
        (lambda: rng.Fortuna(seed=b"s").add_random_event(0, bytes(33)), ValueError),
    ],
)
def test_argument_checks(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]
