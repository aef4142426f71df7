"""MACE meetings: creating them, the chair's minutes and decisions, and the actions agreed.

A chair (role `mace_chair`) creates a meeting for an area, a date and the attending agencies;
its VOLT agenda is generated then from the latest network snapshot and the latest assessment
run's flags (`services.mace_agenda`), and is only ever shown through the access policy
(`services.mace_pack`: the agenda page per reader, each record a consultation; an attendee's
pack, each record a disclosure). Minutes, decisions and actions are the chair's record,
audited as alterations; an overdue action escalates as `safeguard.mace.Action` says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.governance.actor import Actor, check_agency_code
from linemap.governance.audit import AuditEvent
from linemap.model.vocabulary import AuditOperation, Role
from linemap.safeguard.mace import Action
from linemap.services import consultation
from linemap.services.mace_agenda import SECTIONS, generate
from linemap.store.mace import ActionRow, MeetingRow
from linemap.store.unit_of_work import Transaction, UnitOfWork


@dataclass(frozen=True)
class Meeting:
    """A meeting as listed: no agenda, which is only ever shown through the policy."""

    id: int
    area: str
    held_on: str
    chair: str
    agency: str
    attendees: tuple[str, ...]
    snapshot: int | None
    minutes: str | None
    decisions: list[dict[str, str]]


@dataclass(frozen=True)
class ActionShown:
    """An action with how late it is and to whom it is escalated today."""

    id: int
    description: str
    owner_agency: str
    owner: str
    due: str
    done_on: str | None
    days_overdue: int
    escalation: str | None


def make_meeting(row: MeetingRow) -> Meeting:
    """Build a meeting as listed from its stored row (leaving its agenda out)."""
    return Meeting(
        row.id,
        row.area,
        row.held_on,
        row.chair,
        row.agency,
        row.attendees,
        row.snapshot_id,
        row.minutes,
        row.decisions,
    )


def _event(
    actor: Actor, operation: AuditOperation, ids: Iterable[str], **detail: object
) -> AuditEvent:
    return AuditEvent(
        operation,
        actor.username,
        tuple(ids),
        detail,
        actor_agency=actor.agency_code,
        actor_role=actor.role.value,
    )


def require_chair(actor: Actor, row: MeetingRow | None = None) -> None:
    """Refuse anyone but an active MACE chair (of the meeting's agency, given a meeting)."""
    if not actor.active or actor.role is not Role.MACE_CHAIR:
        raise Forbidden("only a MACE chair may do this; ask your agency's MACE chair")
    if row is not None and row.agency != actor.agency_code:
        raise Forbidden(f"meeting {row.id} is chaired by {row.agency}; ask its chair")


def chairs(actor: Actor, row: MeetingRow) -> bool:
    """Return whether the actor chairs the meeting (a MACE chair of the chair's agency)."""
    return actor.role is Role.MACE_CHAIR and actor.agency_code == row.agency


def reader(tx: Transaction, actor: Actor, purpose: str | None, today: date) -> consultation.Context:
    """Return the reading context of a casework role; refuse the roles that read no case data."""
    ctx = consultation.load_context(tx, actor, purpose, today)
    if not consultation.reads_casework(ctx):
        raise Forbidden(f"the {actor.role.value} role does not read MACE meetings")
    return ctx


def get_meeting(tx: Transaction, actor: Actor, meeting_id: int) -> MeetingRow:
    """Return a meeting the actor's agency attends (others may not know it exists)."""
    row = tx.mace.find_meeting(meeting_id)
    if row is None or actor.agency_code not in row.attendees:
        raise NotFound(f"no MACE meeting {meeting_id} that your agency attends")
    return row


def create_meeting(
    uow: UnitOfWork, actor: Actor, area: str, held_on: date, attendees: Iterable[str], now: datetime
) -> int:
    """Create a meeting and generate its VOLT agenda from the latest map and flags."""
    require_chair(actor)
    area = area.strip()
    if not 0 < len(area) <= 120:
        raise InvalidInput("name the area the meeting covers (at most 120 characters)")
    codes = sorted({check_agency_code(code) for code in attendees} | {actor.agency_code})
    with uow.write() as tx:
        known = {a.code: a for a in tx.directory.list_agencies()}
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise NotFound(f"no agency {', '.join(unknown)}; check the attending agencies")
        snapshot = tx.network.latest_snapshot()
        if snapshot is None:
            raise NotFound("no network snapshot yet: run `linemap map` before the meeting")
        run = tx.safeguarding.latest_run()
        flags = tx.safeguarding.flags(run.id) if run else []
        agenda = generate(tx, snapshot, flags, held_on)
        meeting_id = tx.mace.add_meeting(
            known[actor.agency_code].id,
            codes,
            agenda,
            area=area,
            held_on=held_on.isoformat(),
            chair=actor.username,
            created_at=now.isoformat(),
            snapshot_id=snapshot.id,
        )
        counts = Counter(item["section"] for item in agenda)
        tx.audit.append(  # the agenda combines records of many agencies (DPA 2018 s.62)
            _event(
                actor,
                AuditOperation.COMBINATION,
                [f"mace_meeting:{meeting_id}"],
                snapshot=snapshot.id,
                flags=len(flags),
                attendees=codes,
                **{s: counts[s] for s in SECTIONS},
            )
        )
    return meeting_id


def meetings(uow: UnitOfWork, actor: Actor, today: date) -> list[Meeting]:
    """Return the meetings the actor's agency attends, the latest first (no agenda: no data)."""
    with uow.read() as tx:
        reader(tx, actor, None, today)
        return [
            make_meeting(r) for r in tx.mace.list_meetings() if actor.agency_code in r.attendees
        ]


def make_action(a: ActionRow, today: date) -> ActionShown:
    """Build an action as shown today: how late it is and to whom it is escalated."""
    action = Action(
        f"MACE-{a.meeting_id}",
        a.description,
        a.owner_agency,
        a.owner,
        date.fromisoformat(a.due),
        date.fromisoformat(a.done_on) if a.done_on else None,
    )
    level = action.escalation(today)
    return ActionShown(
        a.id,
        a.description,
        a.owner_agency,
        a.owner,
        a.due,
        a.done_on,
        action.days_overdue(today),
        level.value if level else None,
    )


def record_minutes(
    uow: UnitOfWork,
    chair: Actor,
    meeting_id: int,
    minutes: str | None,
    decision: str | None,
    now: datetime,
) -> None:
    """Record the minutes (replacing the last version) and add a decision, by the chair."""
    with uow.write() as tx:
        row = get_meeting(tx, chair, meeting_id)
        require_chair(chair, row)
        decisions = list(row.decisions)
        if decision and decision.strip():
            decisions.append(
                {"decision": decision.strip(), "by": chair.username, "at": now.isoformat()}
            )
        written = (minutes.strip() or None) if minutes is not None else row.minutes
        if written == row.minutes and len(decisions) == len(row.decisions):
            raise InvalidInput("nothing to record: write the minutes or a decision")
        tx.mace.record_minutes(meeting_id, written, decisions)
        tx.audit.append(
            _event(
                chair,
                AuditOperation.ALTERATION,
                [f"mace_meeting:{meeting_id}"],
                minutes=written != row.minutes,
                decisions=len(decisions),
            )
        )


def add_action(
    uow: UnitOfWork,
    chair: Actor,
    meeting_id: int,
    description: str,
    owner_agency: str,
    owner: str,
    due: date,
    now: datetime,
) -> int:
    """Agree an action at a meeting: an attending owner agency, a named owner, a due date."""
    code = check_agency_code(owner_agency)
    action = Action(f"MACE-{meeting_id}", description.strip(), code, owner.strip(), due)
    with uow.write() as tx:
        row = get_meeting(tx, chair, meeting_id)
        require_chair(chair, row)
        if code not in row.attendees:
            raise InvalidInput(f"{code} does not attend meeting {meeting_id}; choose an attendee")
        made = tx.mace.add_action(
            meeting_id=meeting_id,
            description=action.description,
            owner_agency=code,
            owner=action.owner,
            due=due.isoformat(),
            created_by=chair.username,
            created_at=now.isoformat(),
        )
        tx.audit.append(
            _event(
                chair,
                AuditOperation.ALTERATION,
                [f"mace_meeting:{meeting_id}", f"mace_action:{made}"],
                owner_agency=code,
                due=due.isoformat(),
            )
        )
    return made


def complete_action(
    uow: UnitOfWork, actor: Actor, meeting_id: int, action_id: int, today: date
) -> None:
    """Mark an action done: by the meeting's chair or someone of the owner agency."""
    with uow.write() as tx:
        reader(tx, actor, None, today)
        row = get_meeting(tx, actor, meeting_id)
        found = next((a for a in tx.mace.actions(meeting_id) if a.id == action_id), None)
        if found is None:
            raise NotFound(f"no action {action_id} at meeting {meeting_id}")
        if not chairs(actor, row) and actor.agency_code != found.owner_agency:
            raise Forbidden(f"action {action_id} belongs to {found.owner_agency}; ask its owner")
        if found.done_on is not None:
            raise InvalidInput(f"action {action_id} is already done")
        tx.mace.complete_action(action_id, today.isoformat())
        tx.audit.append(
            _event(
                actor,
                AuditOperation.ALTERATION,
                [f"mace_meeting:{meeting_id}", f"mace_action:{action_id}"],
                done_on=today.isoformat(),
            )
        )
