"""Information sharing agreements: made, listed and ended by administrators, all audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from linemap.governance.actor import Actor, check_agency_code, parse_choice
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import Isa, check_isa
from linemap.model.vocabulary import AuditOperation, Role, Tlp
from linemap.services.directory import require_administrator
from linemap.store.unit_of_work import UnitOfWork


def add_isa(
    uow: UnitOfWork,
    by: Actor | None,
    *,
    code: str,
    purpose: str,
    lawful_basis: str,
    parties: Iterable[str],
    roles: Iterable[str],
    record_kinds: Iterable[str],
    start: date,
    end: date,
    max_tlp: str = "amber",
    actor_name: str = "cli",
) -> Isa:
    """Record a new agreement after checking it cannot share too widely."""
    require_administrator(by)
    isa = Isa(
        0,
        check_agency_code(code),
        purpose.strip(),
        lawful_basis.strip(),
        frozenset(check_agency_code(p) for p in parties),
        frozenset(parse_choice(Role, r, "role") for r in roles),
        frozenset(k.strip() for k in record_kinds if k.strip()),
        start,
        end,
        parse_choice(Tlp, max_tlp, "TLP label"),
    )
    check_isa(isa)
    who = by.username if by else actor_name
    with uow.write() as tx:
        stored = tx.sharing.add_isa(isa, who)
        tx.audit.append(
            AuditEvent(
                AuditOperation.COLLECTION,
                who,
                (f"isa:{stored.code}",),
                {
                    "parties": sorted(stored.parties),
                    "roles": sorted(r.value for r in stored.roles),
                    "record_kinds": sorted(stored.record_kinds),
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "max_tlp": stored.max_tlp.value,
                },
                justification=stored.purpose,
                actor_agency=by.agency_code if by else None,
                actor_role=by.role.value if by else None,
            )
        )
    return stored


def list_isas(uow: UnitOfWork, by: Actor | None) -> list[Isa]:
    """Return every agreement (they hold no personal data)."""
    with uow.read() as tx:
        return tx.sharing.list_isas()


def end_isa(
    uow: UnitOfWork, by: Actor | None, code: str, on: date, actor_name: str = "cli"
) -> None:
    """End an agreement: access under it stops after `on`."""
    require_administrator(by)
    who = by.username if by else actor_name
    with uow.write() as tx:
        tx.sharing.end_isa(code.upper(), on)
        tx.audit.append(
            AuditEvent(
                AuditOperation.ALTERATION,
                who,
                (f"isa:{code.upper()}",),
                {"end": on.isoformat()},
                actor_agency=by.agency_code if by else None,
                actor_role=by.role.value if by else None,
            )
        )
