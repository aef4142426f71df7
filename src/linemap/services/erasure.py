"""Erasure: purge a source record's statements, leaving one metadata-only event (s.62)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from linemap.errors import InvalidInput
from linemap.governance.audit import AuditEvent
from linemap.model.vocabulary import AuditOperation
from linemap.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ErasureOutcome:
    """What an erasure removed."""

    record_ids: tuple[int, ...]
    statements_purged: int
    event_seq: int


def erase_record(uow: UnitOfWork, actor: str, record_id: int, reason: str) -> ErasureOutcome:
    """Purge every version of a source record; its history goes too, its metadata stays."""
    if not reason.strip():
        raise InvalidInput("give the reason for the erasure with --reason")
    now = datetime.now(UTC).isoformat()
    with uow.write() as tx:
        versions = tx.records.versions(record_id)
        if all(v.erased_at for v in versions):
            raise InvalidInput(f"source record {record_id} was already erased")
        ids = tuple(v.id for v in versions)
        purged = tx.records.erase(versions, now)
        tx.search.purge([v.id for v in versions])  # the derived index goes with the data
        event = tx.audit.append(
            AuditEvent(
                AuditOperation.ERASURE,
                actor,
                tuple(f"record:{i}" for i in ids),
                {"agency": versions[0].agency_code, "versions": len(ids), "statements": purged},
                justification=reason.strip(),
                occurred_at=now,
            )
        )
    return ErasureOutcome(ids, purged, event.seq)
