"""The CSPRNG: Fortuna (Ferguson, Schneier, Kohno, *Cryptography Engineering*, chapter 9).

A *generator* (AES-256 in counter mode, rekeyed after every request, so that a compromised
state reveals no earlier output) fed by an *accumulator* of 32 entropy pools (SHA-256
contexts); pool *i* takes part in every 2**i-th reseed, so an attacker who knows some of the
entropy sources still loses track of the state eventually.

- :func:`generate` draws from a process-wide instance seeded from the operating system
  (``os.urandom``) at creation and again in a child process after ``fork`` (the pid changes),
  with OS entropy and timing events fed to its pools as it is used.
- ``Fortuna(seed=...)`` is a deterministic instance: it never reads the OS or the clock, so
  the same seed gives the same bytes. Engines take it as their injected randomness for
  reproducible tests and transcripts; never use a seeded instance for real keys.

Deviations from the book, neither of which affects the design: the counter block is
big-endian (the CTR convention of SP 800-38A) rather than little-endian, and the 100 ms
minimum between reseeds applies only to OS-seeded instances (a seeded instance reseeds as
soon as pool 0 holds 64 bytes, to stay deterministic).
"""

from __future__ import annotations

import os
import threading
import time

from nocrypto import _backend
from nocrypto.hashes import sha256

__all__ = ["Fortuna", "generate"]

POOLS = 32
MIN_POOL_SIZE = 64  # bytes of events in pool 0 before a reseed (book section 9.5.5)
MAX_REQUEST = 1 << 20  # bytes per generator request (book section 9.4.4)
RESEED_INTERVAL = 0.1  # seconds between reseeds of an OS-seeded instance


def _sha256d(data: bytes) -> bytes:
    """SHA-256 applied twice, the book's SHA_d-256 (section 6.3.1)."""
    return sha256(sha256(data).digest()).digest()


class _Generator:
    """Book section 9.4: AES-256-CTR under a key that changes after every request."""

    __slots__ = ("_counter", "_key", "_schedule")

    def __init__(self) -> None:
        self._key = bytes(32)
        self._counter = 0  # 0 means "never seeded" (section 9.4.1)
        self._schedule = _backend.aes().aes_expand_key(self._key)

    def reseed(self, seed: bytes) -> None:
        self._set_key(_sha256d(self._key + seed))
        self._counter += 1

    def _set_key(self, key: bytes) -> None:
        self._key = key
        self._schedule = _backend.aes().aes_expand_key(key)

    def _blocks(self, n: int) -> bytes:
        if self._counter == 0:
            raise RuntimeError("Fortuna generator used before it was seeded")
        counter_block = (self._counter % (1 << 128)).to_bytes(16, "big")
        out = _backend.aes().aes_ctr(self._schedule, counter_block, bytes(16 * n), 16)
        self._counter += n
        return out

    def pseudo_random_data(self, n: int) -> bytes:
        """Section 9.4.4: at most 2**20 bytes, then two more blocks become the new key."""
        assert 0 <= n <= MAX_REQUEST
        out = self._blocks((n + 15) // 16)[:n]
        self._set_key(self._blocks(2))
        return out


class Fortuna:
    """A Fortuna instance: ``Fortuna()`` seeds itself from the OS, ``Fortuna(seed=b"...")``
    is deterministic (for tests and reproducible engine runs only).

    ``generate(n)`` returns *n* random bytes; an instance is also callable as
    ``random(n) -> bytes``, the shape the TLS and OTR engines take. Thread-safe.
    """

    def __init__(self, seed: bytes | None = None) -> None:
        if seed is not None and not isinstance(seed, bytes | bytearray):
            raise TypeError("Fortuna seed must be bytes")
        self._deterministic = seed is not None
        self._lock = threading.Lock()
        self._generator = _Generator()
        self._pools = [sha256() for _ in range(POOLS)]
        self._pool0_size = 0
        self._reseeds = 0
        self._last_reseed = float("-inf")
        self._next_pool = 0
        self._calls = 0
        if seed is not None:
            self._generator.reseed(b"nqsb fortuna seed" + bytes(seed))
        else:
            self._seed_from_os()

    def _seed_from_os(self) -> None:
        self._pid = os.getpid()
        self._generator.reseed(os.urandom(64))

    def add_random_event(self, source: int, data: bytes) -> None:
        """Section 9.5.6: add an event from entropy *source* (0-255) to the next pool."""
        if not 0 <= source <= 255:
            raise ValueError("Fortuna event source must be in 0..255")
        if not 1 <= len(data) <= 32:
            raise ValueError("Fortuna event data must be 1 to 32 bytes")
        with self._lock:
            self._add_event(source, bytes(data))

    def _add_event(self, source: int, data: bytes) -> None:
        i = self._next_pool
        self._pools[i].update(bytes((source, len(data))) + data)
        if i == 0:
            self._pool0_size += len(data) + 2
        self._next_pool = (i + 1) % POOLS

    def generate(self, n: int) -> bytes:
        """*n* random bytes (section 9.5.5 RandomData, in requests of at most 2**20)."""
        if not isinstance(n, int) or n < 0:
            raise ValueError("number of random bytes must be a non-negative int")
        with self._lock:
            if not self._deterministic:
                if os.getpid() != self._pid:
                    # A forked child must not repeat its parent's stream.
                    self._seed_from_os()
                self._os_events()
            self._maybe_reseed()
            parts = []
            while True:  # even n == 0 is one request, which rekeys (as in the book)
                take = min(n, MAX_REQUEST)
                parts.append(self._generator.pseudo_random_data(take))
                n -= take
                if n <= 0:
                    return b"".join(parts)

    __call__ = generate

    def _os_events(self) -> None:
        # Timing of the calls is a (weak) source; every 32nd call brings 32 bytes from the
        # OS, spread over the pools in turn.
        self._calls += 1
        self._add_event(1, (time.perf_counter_ns() & 0xFFFFFFFF).to_bytes(4, "big"))
        if self._calls % 32 == 0:
            self._add_event(0, os.urandom(32))

    def _maybe_reseed(self) -> None:
        if self._pool0_size < MIN_POOL_SIZE:
            return
        now = 0.0 if self._deterministic else time.monotonic()
        if not self._deterministic and now - self._last_reseed < RESEED_INTERVAL:
            return
        self._reseeds += 1
        seed = b""
        for i in range(POOLS):
            if self._reseeds % (1 << i):
                break
            seed += _sha256d(self._pools[i].digest())
            self._pools[i] = sha256()
        self._pool0_size = 0
        self._last_reseed = now
        self._generator.reseed(seed)


_instance: Fortuna | None = None
_instance_lock = threading.Lock()


def generate(n: int) -> bytes:
    """*n* bytes from the process-wide Fortuna instance, seeded from the OS."""
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = Fortuna()
    return _instance.generate(n)
