"""Verify the audit trail and show what it holds about a record."""

from __future__ import annotations

from linemap.errors import Forbidden, NotFound
from linemap.governance.actor import Actor, parse_choice
from linemap.governance.audit import AuditEvent, ChainedEvent, Verification, verify
from linemap.governance.policy import may_audit
from linemap.model.vocabulary import AuditOperation
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


def search_trail(
    uow: UnitOfWork,
    auditor: Actor,
    *,
    actor: str | None = None,
    record: str | None = None,
    operation: str | None = None,
    purpose: str | None = None,
) -> list[ChainedEvent]:
    """Search the trail as an auditor: never their own activity, and the search is logged."""
    if actor and not may_audit(auditor, actor.strip().lower()):
        raise Forbidden("nobody may audit their own activity; ask another auditor")
    if not may_audit(auditor, None):
        raise Forbidden("only auditors search the audit trail")
    chosen = parse_choice(AuditOperation, operation, "operation") if operation else None
    with uow.write() as tx:
        events = tx.audit.search(
            actor=actor.strip().lower() if actor else None,
            record=record.strip() if record else None,
            operation=chosen,
            exclude_actor=auditor.username,  # R19: no user audits their own activity
        )
        filters = {"actor": actor, "record": record, "operation": operation}
        tx.audit.append(
            AuditEvent(
                AuditOperation.CONSULTATION,
                auditor.username,
                ("audit_trail",),
                {"view": "audit", "filters": {k: v for k, v in filters.items() if v}},
                justification=purpose,
                actor_agency=auditor.agency_code,
                actor_role=auditor.role.value,
                outcome="success",
            )
        )
    return events
