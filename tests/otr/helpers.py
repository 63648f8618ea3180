"""Shared helpers for the OTR engine tests: deterministic DSA-1024 keys and an in-memory
pair of sessions that delivers each side's messages to the other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import otr
from nocrypto import dsa, rng
from otr.events import Event


def make_key(seed: bytes) -> dsa.DSAPrivateKey:
    """A DSA key with (L, N) = (1024, 160), as libotr makes, from a seeded Fortuna."""
    random = rng.Fortuna(seed=seed).generate
    params = dsa.DSAParameters.generate(1024, 160, hash="sha1", random=random)
    return dsa.DSAPrivateKey.generate(params, random=random)


@dataclass
class Side:
    """One end of the conversation and what it saw."""

    session: otr.Session
    received: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)

    def absorb(self, result: tuple[otr.Session, otr.Output]) -> list[str]:
        """Take a step's result: keep the session, record what it shows, return to_send."""
        self.session, out = result
        if out.received is not None:
            self.received.append(out.received)
        self.events.extend(out.events)
        self.sent.extend(out.to_send)
        return list(out.to_send)

    def of(self, kind: type) -> list[Event]:
        """The events of one type."""
        return [e for e in self.events if isinstance(e, kind)]


@dataclass
class Pair:
    """Alice and Bob in memory; :meth:`deliver` runs messages back and forth until quiet."""

    alice: Side
    bob: Side
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def peer(self, side: Side) -> Side:
        return self.bob if side is self.alice else self.alice

    def deliver(self, sender: Side, messages: Iterable[str], limit: int = 1000) -> None:
        """Deliver *messages* from *sender* to its peer, then the replies, and so on."""
        pending = [(sender, m) for m in messages]
        steps = 0
        while pending:
            steps += 1
            assert steps <= limit, "the sessions keep talking"
            origin, message = pending.pop(0)
            target = self.peer(origin)
            self.transcript.append(("A" if origin is self.alice else "B", message))
            replies = target.absorb(otr.handle(target.session, message))
            pending += [(target, r) for r in replies]

    def act(self, side: Side, result: tuple[otr.Session, otr.Output]) -> None:
        """Apply a user action's result on *side* and deliver what it sends."""
        self.deliver(side, side.absorb(result))


def new_pair(
    alice_key: dsa.DSAPrivateKey,
    bob_key: dsa.DSAPrivateKey,
    policy_a: otr.Policy = otr.Policy.DEFAULT,
    policy_b: otr.Policy = otr.Policy.DEFAULT,
    *,
    seed: bytes = b"",
    max_a: int | None = None,
    max_b: int | None = None,
) -> Pair:
    """Two fresh sessions with seeded random sources (instance tags 0x1111 and 0x2222)."""
    a = otr.Session.new(
        alice_key, policy_a, rng.Fortuna(seed=b"alice" + seed), 0x1111, max_message_size=max_a
    )
    b = otr.Session.new(
        bob_key, policy_b, rng.Fortuna(seed=b"bob" + seed), 0x2222, max_message_size=max_b
    )
    return Pair(Side(a), Side(b))


def secure_pair(
    alice_key: dsa.DSAPrivateKey,
    bob_key: dsa.DSAPrivateKey,
    version: int = 3,
    *,
    seed: bytes = b"",
    max_size: int | None = None,
) -> Pair:
    """A pair that ran the AKE (Alice sends the query) in *version*."""
    policy = otr.Policy.ALLOW_V3 if version == 3 else otr.Policy.ALLOW_V2
    pair = new_pair(alice_key, bob_key, policy, policy, seed=seed, max_a=max_size, max_b=max_size)
    pair.act(pair.alice, otr.query(pair.alice.session))
    assert pair.alice.session.encrypted and pair.bob.session.encrypted
    return pair
