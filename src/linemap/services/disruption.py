"""Disruption of organisers and lines: the register of tactics, and each application as a case.

A proposal names its tactic, the line (as the map names it, L1, L2...) and/or the people (by
id) it targets, and its safeguarding impact; another person approves it; then it is applied,
granted or refused, and ended or withdrawn, each step a named person's decision from the
transition table (`safeguard.disruption`), audited as an alteration. Applications are held by
the proposer's agency and shown to casework roles of that agency only: a planned enforcement
step is not shared by being recorded here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from linemap.errors import InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.safeguard import disruption
from linemap.safeguard.machine import Decider
from linemap.services.cases import CaseView, case_view, casework, record_step, replay
from linemap.store.unit_of_work import Transaction, UnitOfWork

_ID = re.compile(r"^[A-Za-z0-9:#_.-]{1,300}$")


@dataclass(frozen=True)
class Application:
    """A disruption application: its tactic, targets and safeguarding impact, and its case."""

    case: CaseView
    tactic: disruption.Tactic
    line: str
    people: list[str]
    safeguarding_impact: str


def _application(tx: Transaction, case_id: int, today: date) -> Application:
    row = tx.safeguarding.case(case_id)
    if row is None or row.workflow != "disruption":
        raise NotFound(f"no disruption application {case_id}")
    view = case_view(row, tx.safeguarding.steps([case_id])[case_id], today)
    first = json.loads(view.steps[0].details)
    return Application(
        view,
        disruption.tactic(first["tactic"]),
        first.get("line", ""),
        [p for p in first.get("people", "").split(",") if p],
        first["safeguarding_impact"],
    )


def applications(uow: UnitOfWork, actor: Actor, today: date) -> list[Application]:
    """Return the applications held by the reader's agency, newest first."""
    with uow.read() as tx:
        ctx = casework(tx, actor, None, today)
        rows = tx.safeguarding.cases(workflow="disruption")
        held = [r.id for r in rows if r.agency_id == ctx.agency.id]
        return [_application(tx, case_id, today) for case_id in reversed(held)]


def propose(
    uow: UnitOfWork,
    actor: Actor,
    tactic_id: str,
    *,
    line: str,
    people: list[str],
    safeguarding_impact: str,
    now: datetime,
) -> Application:
    """Record a proposal for a tactic against a line and/or people (by id)."""
    bad = [p for p in [line, *people] if p and not _ID.match(p)]
    if bad:
        raise InvalidInput("name lines and people by their ids (letters, digits, ':#_.-')")
    by = Decider(actor.username, actor.role.value)
    case = disruption.propose(
        tactic_id,
        by,
        now.date(),
        line=line.strip() or None,
        people=tuple(p.strip() for p in people if p.strip()),
        safeguarding_impact=safeguarding_impact,
    )
    with uow.write() as tx:
        ctx = casework(tx, actor, None, now.date())
        case_id = tx.safeguarding.open_case(
            workflow="disruption",
            subject=f"line:{line.strip()}" if line.strip() else f"person:{people[0].strip()}",
            agency_id=ctx.agency.id,
            opened_at=now.isoformat(),
            opened_by=actor.username,
            state=case.workflow.initial,
            detail=json.dumps({"tactic": tactic_id}),
        )
        record_step(tx, actor, case_id, case.steps[-1], now, {"workflow": "disruption"})
        return _application(tx, case_id, now.date())


def step(
    uow: UnitOfWork, actor: Actor, case_id: int, action: str, *, reason: str, now: datetime
) -> Application:
    """Take the next step on an application held by the reader's agency."""
    with uow.write() as tx:
        ctx = casework(tx, actor, None, now.date())
        row = tx.safeguarding.case(case_id)
        if row is None or row.workflow != "disruption" or row.agency_id != ctx.agency.id:
            raise NotFound(f"no disruption application {case_id} held by {actor.agency_code}")
        case = replay(disruption.DISRUPTION, tx.safeguarding.steps([case_id])[case_id])
        by = Decider(actor.username, actor.role.value)
        taken = (
            disruption.approve(case, by, now.date())
            if action == "approve"
            else case.take(action, by, now.date(), reason)
        )
        record_step(tx, actor, case_id, taken.steps[-1], now, {"workflow": "disruption"})
        return _application(tx, case_id, now.date())
