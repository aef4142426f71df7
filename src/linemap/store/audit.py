"""The audit trail as stored: appended under the write lock, read back in order."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, Row, insert, or_, select, update

from linemap.governance.audit import AuditEvent, ChainedEvent, extend
from linemap.model.vocabulary import AuditOperation
from linemap.store.tables import audit_event, audit_head


def _event(row: Row[tuple[object, ...]]) -> ChainedEvent:
    event = AuditEvent(
        operation=AuditOperation(row.operation),
        actor=row.actor,
        record_ids=tuple(json.loads(row.record_ids)),
        detail=json.loads(row.detail),
        justification=row.justification,
        actor_agency=row.actor_agency,
        actor_role=row.actor_role,
        outcome=row.outcome,
        occurred_at=row.occurred_at,
    )
    return ChainedEvent(row.seq, event, row.prev_hash, row.hash)


def _row(item: ChainedEvent) -> dict[str, object]:
    event = item.event
    return {
        "seq": item.seq,
        "occurred_at": event.occurred_at,
        "operation": event.operation.value,
        "actor": event.actor,
        "actor_agency": event.actor_agency,
        "actor_role": event.actor_role,
        "record_ids": json.dumps(list(event.record_ids)),
        "detail": json.dumps(event.detail, sort_keys=True, default=str),
        "justification": event.justification,
        "outcome": event.outcome,
        "prev_hash": item.prev_hash,
        "hash": item.hash,
    }


class AuditRepository:
    """Appends audit events to the hash chain and reads them back."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def head(self) -> tuple[int, str] | None:
        """Return (seq, hash) of the last event as recorded in the head row, if any."""
        row = self.connection.execute(
            select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
        ).first()
        return (int(row.seq), str(row.hash)) if row else None

    def append(self, event: AuditEvent) -> ChainedEvent:
        """Chain `event` after the current head; call only inside a write transaction."""
        return self.append_all([event])[0]

    def append_all(self, events: Sequence[AuditEvent]) -> list[ChainedEvent]:
        """Chain `events` in order after the current head; call only inside a write transaction.

        One read of the head, one INSERT of every event (executemany) and one write of the new
        head, however many events: a read that logs a consultation per record stays cheap.
        """
        if not events:
            return []
        head = self.head()
        chained = extend(head, events)
        self.connection.execute(insert(audit_event), [_row(item) for item in chained])
        last = chained[-1]
        if head:
            self.connection.execute(
                update(audit_head).where(audit_head.c.id == 1).values(seq=last.seq, hash=last.hash)
            )
        else:
            self.connection.execute(insert(audit_head).values(id=1, seq=last.seq, hash=last.hash))
        return chained

    def iter_events(self, batch_size: int = 5000) -> Iterator[ChainedEvent]:
        """Yield every event in sequence order, a page at a time."""
        after = 0
        while True:
            rows = self.connection.execute(
                select(audit_event)
                .where(audit_event.c.seq > after)
                .order_by(audit_event.c.seq)
                .limit(batch_size)
            ).all()
            if not rows:
                return
            for row in rows:
                yield _event(row)
            after = rows[-1].seq

    def for_records(self, record_ids: list[str]) -> list[ChainedEvent]:
        """Return the events naming any of these record ids (e.g. record:12, batch:3)."""
        conditions = [audit_event.c.record_ids.like(f'%"{rid}"%') for rid in record_ids]
        rows = self.connection.execute(
            select(audit_event).where(or_(*conditions)).order_by(audit_event.c.seq)
        ).all()
        return [_event(r) for r in rows]

    def search(
        self,
        *,
        actor: str | None = None,
        record: str | None = None,
        operation: AuditOperation | None = None,
        exclude_actor: str | None = None,
        limit: int = 200,
    ) -> list[ChainedEvent]:
        """Return the newest events matching every filter given, newest first."""
        conditions = []
        if actor:
            conditions.append(audit_event.c.actor == actor)
        if record:
            conditions.append(audit_event.c.record_ids.like(f'%"{record}"%'))
        if operation:
            conditions.append(audit_event.c.operation == operation.value)
        if exclude_actor:
            conditions.append(audit_event.c.actor != exclude_actor)
        rows = self.connection.execute(
            select(audit_event).where(*conditions).order_by(audit_event.c.seq.desc()).limit(limit)
        ).all()
        return [_event(r) for r in rows]
