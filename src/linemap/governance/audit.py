"""Audit events (DPA 2018 s.62) and their hash chain. Pure: storage lives in store/.

Each event's hash covers its own fields and the previous event's hash, so altering, deleting or
reordering any event breaks verification from that event on. Events carry record ids and
operation metadata, never personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from linemap.model.vocabulary import AuditOperation

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    """One logged operation: who, what, when, which records, why; no personal data."""

    operation: AuditOperation
    actor: str
    record_ids: tuple[str, ...] = ()
    detail: Mapping[str, object] = field(default_factory=dict)
    justification: str | None = None
    actor_agency: str | None = None
    actor_role: str | None = None
    outcome: str = "success"
    occurred_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


@dataclass(frozen=True)
class ChainedEvent:
    """An event as stored: its place in the chain and the hashes that bind it."""

    seq: int
    event: AuditEvent
    prev_hash: str
    hash: str


def canonical(seq: int, event: AuditEvent, prev_hash: str) -> bytes:
    """Serialise deterministically what the hash covers."""
    body = {
        "seq": seq,
        "operation": event.operation.value,
        "actor": event.actor,
        "actor_agency": event.actor_agency,
        "actor_role": event.actor_role,
        "record_ids": list(event.record_ids),
        "detail": event.detail,
        "justification": event.justification,
        "outcome": event.outcome,
        "occurred_at": event.occurred_at,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain(seq: int, event: AuditEvent, prev_hash: str) -> ChainedEvent:
    """Place `event` after the event whose hash is `prev_hash`."""
    digest = hashlib.sha256(canonical(seq, event, prev_hash)).hexdigest()
    return ChainedEvent(seq, event, prev_hash, digest)


def extend(head: tuple[int, str] | None, events: Iterable[AuditEvent]) -> list[ChainedEvent]:
    """Chain `events` one after another after `head` (seq, hash); None starts a new chain.

    The same links as chaining each after the one before: appending several events at once
    verifies exactly as appending them one by one.
    """
    seq, prev = head if head else (0, GENESIS_HASH)
    chained = []
    for event in events:
        seq += 1
        item = chain(seq, event, prev)
        chained.append(item)
        prev = item.hash
    return chained


@dataclass(frozen=True)
class Verification:
    """Outcome of verifying a chain: intact, or the first bad event and what is wrong."""

    events: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        """Return whether every event verified."""
        return self.first_bad_seq is None


def verify(stored: Iterable[ChainedEvent], head: tuple[int, str] | None) -> Verification:
    """Check every hash, every link and the sequence, then the recorded head of the chain."""
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    for item in stored:
        count += 1
        if item.seq != expected_seq:
            return Verification(count, expected_seq, f"event {expected_seq} is missing")
        if item.prev_hash != prev:
            return Verification(count, item.seq, "does not link to the event before it")
        if chain(item.seq, item.event, item.prev_hash).hash != item.hash:
            return Verification(count, item.seq, "content does not match its hash")
        prev, expected_seq = item.hash, expected_seq + 1
    last_seq = expected_seq - 1
    if head is None and count:
        return Verification(count, last_seq, "the chain head record is missing")
    if head is not None and head != (last_seq, prev):
        bad = min(head[0], last_seq + 1)
        return Verification(count, bad, "the chain ends before its recorded head")
    return Verification(count)
