"""Cases: a workflow's steps as stored, replayed through its transition table.

Shared by the safeguarding cases of flagged people (`safeguarding.py`) and disruption
applications (`disruption.py`): a stored case replays to its state; a step is appended with its
audit event (an alteration) in the caller's transaction; only casework roles read or take them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from linemap.errors import Forbidden
from linemap.governance.actor import Actor
from linemap.governance.audit import AuditEvent
from linemap.model.vocabulary import AuditOperation
from linemap.safeguard import disruption, frame, nrm, referral
from linemap.safeguard.machine import Case, Decider, Step, Workflow
from linemap.services import consultation
from linemap.store.safeguarding import CaseRow, StepRow
from linemap.store.unit_of_work import Transaction

WORKFLOWS: dict[str, Workflow] = {
    "referral": referral.REFERRAL,
    "nrm": nrm.NRM,
    "disruption": disruption.DISRUPTION,
    "frame": frame.FRAME,
}


@dataclass(frozen=True)
class CaseView:
    """A case as its workflow sees it: where it is, what was decided, what may come next."""

    id: int
    workflow: str
    state: str
    steps: list[StepRow]
    actions: tuple[str, ...]
    due: date | None
    overdue: bool
    kept_until: date | None


def replay(workflow: Workflow, steps: list[StepRow]) -> Case:
    return Case(
        workflow,
        tuple(
            Step(
                s.action,
                s.source,
                s.target,
                Decider(s.by_name, s.by_role),
                date.fromisoformat(s.on_date),
                s.reason,
                json.loads(s.details),
            )
            for s in steps
        ),
    )


def case_view(row: CaseRow, steps: list[StepRow], today: date) -> CaseView:
    workflow = WORKFLOWS[row.workflow]
    case = replay(workflow, steps)
    is_referral = row.workflow == "referral"
    return CaseView(
        row.id,
        row.workflow,
        case.state,
        steps,
        workflow.actions(case.state),
        referral.due(case) if is_referral else None,
        referral.overdue(case, today) if is_referral else False,
        referral.retention_until(case) if is_referral else None,
    )


def casework(
    tx: Transaction, actor: Actor, purpose: str | None, today: date
) -> consultation.Context:
    ctx = consultation.load_context(tx, actor, purpose, today)
    if not consultation.reads_casework(ctx):
        raise Forbidden(f"the {actor.role.value} role does not read safeguarding cases")
    return ctx


def record_step(
    tx: Transaction,
    actor: Actor,
    case_id: int,
    step: Step,
    now: datetime,
    detail: Mapping[str, object],
) -> None:
    """Append a step to a case and audit it as an alteration, in the same transaction."""
    tx.safeguarding.add_step(
        case_id,
        action=step.action,
        source=step.source,
        target=step.target,
        by_name=step.by.name,
        by_role=step.by.role,
        actor=actor.username,
        on_date=step.on.isoformat(),
        recorded_at=now.isoformat(),
        reason=step.reason,
        details=json.dumps(dict(step.details)),
    )
    tx.audit.append(
        AuditEvent(
            AuditOperation.ALTERATION,
            actor.username,
            (f"case:{case_id}",),
            {**detail, "action": step.action, "to": step.target},
            justification=step.reason or None,
            actor_agency=actor.agency_code,
            actor_role=actor.role.value,
            occurred_at=now.isoformat(),
        )
    )
