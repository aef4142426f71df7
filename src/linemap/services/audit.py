"""Verify the audit trail and show what it holds about a record."""

from __future__ import annotations

from linemap.errors import NotFound
from linemap.governance.audit import ChainedEvent, Verification, verify
from linemap.store.unit_of_work import UnitOfWork


def verify_chain(uow: UnitOfWork) -> Verification:
    """Recompute every hash and link of the audit chain."""
    with uow.read() as tx:
        return verify(tx.audit.iter_events(), tx.audit.head())


def events_for_record(uow: UnitOfWork, record_id: int) -> list[ChainedEvent]:
    """Return the events about a source record: its own and those of the batches it came in."""
    with uow.read() as tx:
        try:
            versions = tx.records.versions(record_id)
        except NotFound:
            versions = []
        ids = [f"record:{record_id}"]
        ids += [f"record:{v.id}" for v in versions]
        ids += sorted({f"batch:{v.batch_id}" for v in versions})
        events = tx.audit.for_records(ids)
    if not events and not versions:
        raise NotFound(f"no source record with id {record_id} and no audit event names it")
    return events
