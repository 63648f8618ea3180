"""OTR ("Off-the-Record Messaging Protocol version 3"): nqsb's engine against libotr 4.1.

Two figures, each measured for both implementations in this run, both sides in memory:

- one complete AKE (query message, DH-Commit, DH-Key, Reveal-Signature, Signature, until
  both sides are encrypted), version 3, DSA-1024 keys: the time of all the computation of
  both sides; the sessions (and libotr's user states, key files read) are made beforehand;
- one data message of 1 KiB: encryption by one side and decryption by the other, in KiB/s.

libotr runs through the test binding (``tests/interop/libotr.py``, cffi), so its figures
include the cost of the Python callbacks that collect its messages (small next to its
crypto). Targets (issue 7): AKE at most 2x libotr's time; data at least 0.5x libotr's rate.
Ratios are libotr's time / ours (AKE; above 0.5 meets the target) and our rate / libotr's
(data; above 0.5 meets it).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if sys.path[:1] != [str(REPO)]:
    # First on the path: run as ``python bench/run.py`` the folder bench/ comes first, and
    # there ``import otr`` would find this very file instead of the package.
    sys.path.insert(0, str(REPO))

import otr  # noqa: E402
from nocrypto import dsa, rng  # noqa: E402
from tests.interop import libotr  # noqa: E402

REPEATS = 5
AKE_ROUNDS = 5  # complete AKEs per repeat
DATA_REPEATS = 15  # the data figure is short: more repeats of more messages, against noise
DATA_COUNT = 200  # messages per repeat
DATA = ("0123456789abcdef" * 64)[:1024]  # 1 KiB of text


def _best(run: Callable[[], float], repeats: int = REPEATS) -> float:
    """The smallest of ``repeats`` results of ``run`` (seconds per operation)."""
    return min(run() for _ in range(repeats))


# -- ours ----------------------------------------------------------------------------------


def _our_key(seed: bytes) -> dsa.DSAPrivateKey:
    random = rng.Fortuna(seed=seed).generate
    return dsa.DSAPrivateKey.generate(
        dsa.DSAParameters.generate(1024, 160, hash="sha1", random=random), random=random
    )


def _our_pair(
    a_key: dsa.DSAPrivateKey, b_key: dsa.DSAPrivateKey, n: int
) -> tuple[otr.Session, otr.Session]:
    policy = otr.Policy.ALLOW_V2 | otr.Policy.ALLOW_V3
    a = otr.Session.new(
        a_key, policy, rng.Fortuna(seed=b"bench a %d" % n), our_instance_tag=0x100 + n
    )
    b = otr.Session.new(
        b_key, policy, rng.Fortuna(seed=b"bench b %d" % n), our_instance_tag=0x200 + n
    )
    return a, b


def _our_ake(a: otr.Session, b: otr.Session) -> tuple[otr.Session, otr.Session]:
    """Run the AKE from a query by ``a``; return both encrypted sessions."""
    a, out = otr.query(a)
    queue = [(1, m) for m in out.to_send]
    secure = 0
    while queue:
        to, message = queue.pop(0)
        if to == 1:
            b, out = otr.handle(b, message)
            queue.extend((0, m) for m in out.to_send)
        else:
            a, out = otr.handle(a, message)
            queue.extend((1, m) for m in out.to_send)
        secure += sum(isinstance(e, otr.GoneSecure) for e in out.events)
    if secure != 2:
        raise SystemExit(f"otr bench: our AKE did not end secure on both sides ({secure})")
    return a, b


def _ours() -> tuple[float, float]:
    keys = _our_key(b"bench key a"), _our_key(b"bench key b")

    def ake() -> float:
        pairs = [_our_pair(*keys, n) for n in range(AKE_ROUNDS)]
        start = time.perf_counter()
        for a, b in pairs:
            _our_ake(a, b)
        return (time.perf_counter() - start) / AKE_ROUNDS

    sessions = list(_our_ake(*_our_pair(*keys, 99)))

    def data() -> float:
        count = DATA_COUNT
        a, b = sessions
        start = time.perf_counter()
        for _ in range(count):
            a, out = otr.send(a, DATA)
            for message in out.to_send:
                b, got = otr.handle(b, message)
        elapsed = time.perf_counter() - start
        if got.received != DATA:
            raise SystemExit("otr bench: our data message did not round-trip")
        sessions[:] = [a, b]
        return elapsed / count

    return _best(ake), _best(data, DATA_REPEATS)


# -- libotr --------------------------------------------------------------------------------


def _libotr() -> tuple[float, float]:
    def pair(n: int) -> tuple[libotr.LibotrPeer, libotr.LibotrPeer]:
        a = libotr.LibotrPeer("bench-a@nqsb", "bench-b@nqsb", instance_tag=0x100 + n)
        b = libotr.LibotrPeer("bench-b@nqsb", "bench-a@nqsb", instance_tag=0x200 + n)
        return a, b

    def ake() -> float:
        pairs = [pair(n) for n in range(AKE_ROUNDS)]
        start = time.perf_counter()
        for a, b in pairs:
            for _ in libotr.pump(a, b, [a.query()]):
                pass
        elapsed = time.perf_counter() - start
        if not all(a.is_encrypted and b.is_encrypted for a, b in pairs):
            raise SystemExit("otr bench: libotr's AKE did not end encrypted")
        for a, b in pairs:
            a.close()
            b.close()
        return elapsed / AKE_ROUNDS

    a, b = pair(99)
    list(libotr.pump(a, b, [a.query()]))

    def data() -> float:
        count = DATA_COUNT
        start = time.perf_counter()
        for _ in range(count):
            for message in a.send(DATA):
                got = b.receive(message)
        elapsed = time.perf_counter() - start
        if got != DATA:
            raise SystemExit("otr bench: libotr's data message did not round-trip")
        return elapsed / count

    return _best(ake), _best(data, DATA_REPEATS)


def bench_otr() -> list[str]:
    """Lines of the OTR benchmark: AKE time and 1 KiB data rate, nqsb and libotr."""
    lines = [
        "otr: one complete AKE (v3, both sides, in memory) and one 1 KiB data message",
        f"  (encrypt + decrypt); best of {REPEATS} repeats of {AKE_ROUNDS} AKEs and of "
        f"{DATA_REPEATS} repeats of {DATA_COUNT} messages",
    ]
    try:
        libotr.load()
        for account in ("bench-a@nqsb", "bench-b@nqsb"):
            libotr.cached_key_file(account)
    except Exception as exc:  # no headers, no compiler: the comparison is impossible
        return [*lines, f"  libotr binding unavailable: skipped ({exc})"]
    our_ake, our_data = _ours()
    their_ake, their_data = _libotr()
    kib = len(DATA.encode()) / 1024
    ake_ratio, data_ratio = their_ake / our_ake, their_data / our_data
    ake_met = "met" if ake_ratio >= 0.5 else "MISSED"
    data_met = "met" if data_ratio >= 0.5 else "MISSED"
    lines += [
        f"  {'':<20}{'nqsb':>14}{'libotr ' + libotr.version():>16}{'ratio':>9}  target",
        f"  {'AKE time':<20}{our_ake * 1e3:>11.2f} ms{their_ake * 1e3:>13.2f} ms"
        f"{ake_ratio:>8.2f}x  >= 0.50x: {ake_met}",
        f"  {'1 KiB enc+dec':<20}{kib / our_data:>8.0f} KiB/s{kib / their_data:>10.0f} KiB/s"
        f"{data_ratio:>8.2f}x  >= 0.50x: {data_met}",
        f"  ({our_data * 1e6:.0f} us vs {their_data * 1e6:.0f} us per 1 KiB message; ratios:"
        " libotr's AKE time / ours, our data rate / libotr's)",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(bench_otr()))
