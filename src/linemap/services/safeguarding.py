"""Flags and the cases that carry each flagged person to a decision, and the coverage of both.

A reader sees a flag when the access policy lets them read a record behind it (its evidence),
and sees only the evidence they may read; each record considered is a consultation. A step on a
case is a named person's decision from the workflow's transition table (`safeguard`), taken by a
casework role, audited as an alteration in the transaction that stores it. Cases follow a
flagged person by their anchor entity, so a new resolution or assessment run keeps them.

Coverage: every flag of the latest assessment run, and where its person's referral stands. A
flagged child (or vulnerable adult) with neither a referral nor a recorded decision is
outstanding, and shown as such until one exists; an identified person waits for the same day's
decision, so one flagged before today is overdue.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from linemap.errors import InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.safeguard import frame, nrm, referral
from linemap.safeguard.machine import Case, Decider
from linemap.services import consultation
from linemap.services.cases import WORKFLOWS, CaseView, case_view, casework, record_step, replay
from linemap.store.safeguarding import FlagRow
from linemap.store.unit_of_work import Transaction, UnitOfWork

FLAG_WORKFLOWS = ("referral", "nrm", "frame")  # a flagged person's cases
# Signs of an offence a victim may be charged with where the s.45 defence is to be considered
# (supplying drugs is not a Schedule 4 offence).
CHARGEABLE = frozenset({"drug-supply", "arrested-out-of-area"})
REFERRED = frozenset({"referred", "screened", "strategy_discussion"})
PLANNED = frozenset({"plan_in_place", "review"})
LISTED = 100  # flags listed on the dashboard (the counts cover them all)
RISK_ORDER = {"high/significant": 0, "medium/moderate": 1, "low/emerging": 2, "no risk": 3}


def flag_reference(run_id: int, flag_id: int) -> str:
    """Return how a flag is named: F<run>-<flag>."""
    return f"F{run_id}-{flag_id}"


def parse_reference(text: str) -> tuple[int, int]:
    """Read F<run>-<flag>, or say what a flag reference looks like."""
    run, _, number = text.strip().upper().removeprefix("F").partition("-")
    if not (run.isdigit() and number.isdigit()) or len(run) > 9 or len(number) > 9:
        raise InvalidInput("a flag reference looks like F3-17 (assessment run 3, flag 17)")
    return int(run), int(number)


@dataclass(frozen=True)
class FlagLine:
    """One flag on the coverage dashboard: by reference, never by name."""

    reference: str
    person: str
    kind: str
    child: bool
    risk: str
    raised_on: str
    review_by: str
    home_authority: str | None
    status: str  # identified, referred, plan in place, decided (closed or not referred)
    overdue: bool


@dataclass(frozen=True)
class Coverage:
    """Identified, referred, plan in place, decided and overdue; who is still waiting."""

    run_id: int | None
    counts: dict[str, int]
    outstanding: list[FlagLine]  # waiting for a referral or a decision (at most the limit)
    flags: list[FlagLine]  # the flags listed (at most the limit)
    hidden: int  # flags behind records this reader may not read


@dataclass(frozen=True)
class Observed:
    """One observation of a flag, with the evidence this reader may see."""

    criterion: str
    label: str
    kind: str
    counts: bool
    observed_on: str
    records: list[int]
    withheld: int


@dataclass(frozen=True)
class FlagDetail:
    """A flag as a personal assessment: what it says, on what evidence, and its cases."""

    line: FlagLine
    criteria: str
    raised_by: str
    frame: str
    observations: list[Observed]
    cases: dict[str, CaseView] = field(default_factory=dict)
    section_45: str | None = None  # the s.45 defence's test, for a child who may be charged


def _status(case: CaseView | None) -> str:
    if case is None or case.state == "identified":
        return "identified"
    if case.state in REFERRED:
        return "referred"
    if case.state in PLANNED:
        return "plan in place"
    return "decided"


def flag_line(flag: FlagRow, case: CaseView | None, today: date) -> FlagLine:
    status = _status(case)
    waiting = status == "identified" and date.fromisoformat(flag.raised_on) < today
    return FlagLine(
        flag_reference(flag.run_id, flag.flag_id),
        flag.person_id,
        flag.kind,
        flag.child,
        flag.risk,
        flag.raised_on,
        flag.review_by,
        flag.home_authority,
        status,
        waiting or bool(case and case.overdue),
    )


def cases_by_flag(
    tx: Transaction, run_id: int, flags: list[FlagRow], today: date, workflow: str
) -> dict[tuple[int, int], CaseView]:
    """Return each flag's case of a workflow, found by any entity of its person."""
    assessed = tx.safeguarding.run(run_id)
    members = (
        tx.resolution.members_of_people(assessed.resolution_run_id, [f.person_id for f in flags])
        if assessed
        else {}
    )
    subjects = {
        f.flag_id: {f.subject, *(entity for entity, _ in members.get(f.person_id, []))}
        for f in flags
    }
    rows = tx.safeguarding.cases(
        workflow=workflow, subjects={s for ss in subjects.values() for s in ss}
    )
    steps = tx.safeguarding.steps([r.id for r in rows])
    by_subject = {r.subject: r for r in rows}  # the latest case of a subject wins
    found: dict[tuple[int, int], CaseView] = {}
    for f in flags:
        row = next((by_subject[s] for s in sorted(subjects[f.flag_id]) if s in by_subject), None)
        if row is not None:
            found[(f.run_id, f.flag_id)] = case_view(row, steps[row.id], today)
    return found


def _readable(
    ctx: consultation.Context, tx: Transaction, flags: list[FlagRow]
) -> tuple[list[FlagRow], set[int]]:
    decided = consultation.decide_records(ctx, tx, {r for f in flags for r in f.record_ids})
    readable = {r for r, (_, decision) in decided.items() if decision.allowed}
    return [f for f in flags if readable.intersection(f.record_ids)], readable


def coverage(
    uow: UnitOfWork, actor: Actor, today: date, purpose: str | None = None, limit: int = LISTED
) -> Coverage:
    """Return the coverage of the latest assessment run's flags this reader may see: counts
    over them all, and lists of at most `limit` flags (those waiting, children and the oldest
    first; and every flag, children and the highest risk first). Each flag listed is a
    consultation of the records behind it that the reader may read."""
    with uow.read() as tx:
        ctx = casework(tx, actor, purpose, today)
        run = tx.safeguarding.latest_run()
        if run is None:
            return Coverage(None, {}, [], [], 0)
        every = tx.safeguarding.flags(run.id)
        flags, readable = _readable(ctx, tx, every)
        cases = cases_by_flag(tx, run.id, flags, today, "referral")
    lines = [flag_line(f, cases.get((f.run_id, f.flag_id)), today) for f in flags]
    outstanding = sorted(
        (line for line in lines if line.status == "identified"),
        key=lambda line: (not line.child, line.raised_on, line.reference),
    )[:limit]
    listed = sorted(lines, key=lambda line: (not line.child, RISK_ORDER.get(line.risk, 9)))[:limit]
    shown = {line.reference for line in (*outstanding, *listed)}
    for f in flags:
        if flag_reference(f.run_id, f.flag_id) in shown:
            for record in sorted(readable.intersection(f.record_ids)):
                consultation.consulted(ctx, record, "safeguarding coverage", True, None)
    consultation.log(uow, ctx)
    counts = Counter(line.status for line in lines)
    summary = {
        "flagged": len(lines),
        "children": sum(1 for line in lines if line.child),
        "identified": counts["identified"],
        "referred": counts["referred"],
        "plan_in_place": counts["plan in place"],
        "decided": counts["decided"],
        "overdue": sum(1 for line in lines if line.overdue),
    }
    return Coverage(run.id, summary, outstanding, listed, len(every) - len(flags))


def _flag(tx: Transaction, reference: str) -> FlagRow:
    run_id, flag_id = parse_reference(reference)
    found = tx.safeguarding.flag(run_id, flag_id)
    if found is None:
        raise NotFound(f"no flag {reference}; see the coverage dashboard for the flags you may see")
    return found


def flag_detail(
    uow: UnitOfWork, actor: Actor, reference: str, today: date, purpose: str | None = None
) -> FlagDetail:
    """Return a flag with the evidence this reader may read, each record logged."""
    with uow.read() as tx:
        ctx = casework(tx, actor, purpose, today)
        flag = _flag(tx, reference)
        shown, readable = _readable(ctx, tx, [flag])
        if not shown:
            raise NotFound(f"no flag {reference} that you may see")
        run = tx.safeguarding.run(flag.run_id)
        assert run is not None  # a flag's run exists (foreign key)
        cases = {
            name: cases_by_flag(tx, flag.run_id, [flag], today, name).get(
                (flag.run_id, flag.flag_id)
            )
            for name in FLAG_WORKFLOWS
        }
    for record in sorted(readable.intersection(flag.record_ids)):
        consultation.consulted(ctx, record, "safeguarding flag", True, None)
    consultation.log(uow, ctx)
    observed = []
    for o in json.loads(flag.observations):
        records = sorted({e["record"] for e in o["evidence"]})
        open_ = [r for r in records if r in readable]
        observed.append(
            Observed(
                o["criterion"],
                o["label"],
                o["kind"],
                o["counts"],
                o["observed_on"],
                open_,
                len(records) - len(open_),
            )
        )
    referral_case, frame_case = cases.get("referral"), cases.get("frame")
    chargeable = flag.child and any(o.criterion in CHARGEABLE and o.counts for o in observed)
    return FlagDetail(
        flag_line(flag, referral_case, today),
        run.criteria,
        flag.raised_by,
        frame.current(replay(frame.FRAME, frame_case.steps)) if frame_case else flag.frame,
        observed,
        {name: case for name, case in cases.items() if case is not None},
        nrm.section_45(child=True, schedule_4_offence=False).test if chargeable else None,
    )


def _checked_step(
    workflow: str,
    case: Case,
    action: str,
    by: Decider,
    on: date,
    reason: str,
    details: Mapping[str, str],
    flag: FlagRow,
) -> Case:
    """Take one step through the module's own rules where it has them."""
    if workflow == "referral" and action == "refer":
        authority = details.get("local_authority") or flag.home_authority or ""
        return referral.refer(case, by, on, authority)
    if workflow == "referral" and action == "screen":
        try:
            rag = referral.Rag(details.get("rag", "").lower())
        except ValueError:
            raise InvalidInput("screening needs a RAG rating: red, amber or green") from None
        return referral.screen(case, by, on, rag)
    if workflow == "frame" and action in ("change", "request_change"):
        chosen = details.get("frame", "")
        if action == "change":
            return frame.change(case, by, on, child=flag.child, frame=chosen, reason=reason)
        return frame.request_change(case, by, on, frame=chosen, reason=reason)
    if workflow == "frame" and action == "approve_change":
        return frame.approve_change(case, by, on)
    if workflow == "nrm" and action == "request_reconsideration":
        return nrm.request_reconsideration(case, by, on, reason, details.get("requested_by", ""))
    if workflow == "nrm" and action == "refer":
        return nrm.refer(
            case,
            by,
            on,
            child=flag.child,
            consent=details.get("consent") == "given",
            first_responder=details.get("first_responder", ""),
        )
    return case.take(action, by, on, reason, details)


def take_step(
    uow: UnitOfWork,
    actor: Actor,
    reference: str,
    workflow: str,
    action: str,
    *,
    on: date,
    now: datetime,
    reason: str = "",
    details: Mapping[str, str] | None = None,
) -> CaseView:
    """Record a named person's decision on a flagged person's case (opening it at the first
    step), or refuse it with the actions allowed; nothing changes when refused."""
    if workflow not in FLAG_WORKFLOWS:
        raise InvalidInput(f"workflow must be one of {', '.join(FLAG_WORKFLOWS)}")
    with uow.write() as tx:
        ctx = casework(tx, actor, None, on)
        flag = _flag(tx, reference)
        if not _readable(ctx, tx, [flag])[0]:
            raise NotFound(f"no flag {reference} that you may see")
        existing = cases_by_flag(tx, flag.run_id, [flag], on, workflow).get(
            (flag.run_id, flag.flag_id)
        )
        if existing is not None and existing.state in WORKFLOWS[workflow].final:
            existing = None  # a closed case stays as it was; a new one starts
        steps = existing.steps if existing else []
        case = replay(WORKFLOWS[workflow], steps)
        by = Decider(actor.username, actor.role.value)
        taken = _checked_step(workflow, case, action, by, on, reason, dict(details or {}), flag)
        step = taken.steps[-1]
        case_id = (
            existing.id
            if existing
            else tx.safeguarding.open_case(
                workflow=workflow,
                subject=flag.subject,
                agency_id=ctx.agency.id,
                opened_at=now.isoformat(),
                opened_by=actor.username,
                state=case.state,
                detail=json.dumps({"flag": reference}),
            )
        )
        record_step(tx, actor, case_id, step, now, {"workflow": workflow, "flag": reference})
        row = tx.safeguarding.case(case_id)
        assert row is not None
        return case_view(row, tx.safeguarding.steps([case_id])[case_id], on)
