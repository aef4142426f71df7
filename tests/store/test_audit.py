"""Appending audit events: several at once chain, store and verify exactly as one by one."""

from __future__ import annotations

from linemap.governance.audit import AuditEvent, verify
from linemap.model.vocabulary import AuditOperation
from linemap.store.unit_of_work import UnitOfWork


def _event(n: int) -> AuditEvent:
    return AuditEvent(
        AuditOperation.CONSULTATION,
        "user.one",
        (f"record:{n}",),
        {"view": "search", "disclosed": n % 2 == 0},
        justification="strategy discussion",
        actor_agency="KENTPOL",
        actor_role="analyst",
        outcome="success" if n % 2 == 0 else "withheld",
        occurred_at=f"2026-11-26T10:00:{n:02d}+00:00",
    )


def test_appending_many_at_once_verifies_and_moves_the_head_once(uow: UnitOfWork) -> None:
    with uow.write() as tx:
        assert tx.audit.append_all([]) == []
        assert tx.audit.head() is None
        first = tx.audit.append(_event(1))
        batch = tx.audit.append_all([_event(n) for n in range(2, 12)])
    with uow.write() as tx:
        later = tx.audit.append_all([_event(12), _event(13)])
    assert [c.seq for c in [first, *batch, *later]] == list(range(1, 14))
    assert batch[0].prev_hash == first.hash
    assert later[0].prev_hash == batch[-1].hash
    with uow.read() as tx:
        stored = list(tx.audit.iter_events())
        head = tx.audit.head()
    assert head == (13, later[-1].hash)
    assert stored == [first, *batch, *later]  # read back exactly as chained
    assert verify(stored, head).intact
