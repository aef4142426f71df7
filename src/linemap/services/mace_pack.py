"""What an agency sees of a MACE meeting's agenda: the agenda page per reader, and the packs
the chair gives out to the attending agencies as disclosures.

Each agenda item keeps the source records behind it, so what anyone sees of it is decided per
record by the access policy, as for every other read: the agenda page shows a reader what their
agency may read (each record a consultation), and an attendee's pack what their agency may
receive from the chair (each record a disclosure, under one watermarked disclosure id). Items
none of whose records an agency receives are counted, never described. Grading, handling codes,
intelligence summaries and the reasons behind a role go only where the policy shows police
source details (R12), and reasons only when every record behind them is received.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from linemap.errors import InvalidInput
from linemap.governance.actor import Actor, check_agency_code
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import (
    Marking,
    Operation,
    decide,
    field_visible,
    grading_visible,
    recipient,
)
from linemap.model.vocabulary import AgencyKind, AuditOperation, HandlingCode, Role, Tlp
from linemap.services import consultation
from linemap.services.mace import (
    ActionShown,
    Meeting,
    chairs,
    get_meeting,
    make_action,
    make_meeting,
    reader,
    require_chair,
)
from linemap.services.mace_agenda import SECTIONS
from linemap.store.mace import MeetingRow
from linemap.store.unit_of_work import Transaction, UnitOfWork

# An attendee's pack is decided as for a practitioner of their agency: the casework role every
# partner agency sends to MACE (an agreement naming only analysts does not reach the meeting).
ATTENDEE_ROLE = Role.PRACTITIONER
Receivers = list[tuple[Actor, AgencyKind]]


@dataclass(frozen=True)
class RecordShown:
    """A record behind an item, with the police source details where they may be shown."""

    id: int
    agency: str
    kind: str
    grading: str | None
    handling: str | None
    summaries: tuple[str, ...]
    conditions: tuple[str, ...]  # handling conditions go with every read (R14)


@dataclass(frozen=True)
class ItemShown:
    """An agenda item as one agency sees it."""

    section: str
    subject: str
    label: str
    facts: dict[str, Any]
    reasons: tuple[str, ...]
    records: tuple[RecordShown, ...]
    held_elsewhere: int  # records behind it this agency does not receive


@dataclass(frozen=True)
class Pack:
    """The agenda for one agency; a pack given out carries its disclosure id and watermark."""

    meeting: Meeting
    agency: str
    sections: dict[str, list[ItemShown]]
    withheld: int  # items none of whose records this agency receives
    disclosure: str | None = None
    watermark: str | None = None


@dataclass(frozen=True)
class MeetingView:
    """What a reader sees of a meeting: their agency's agenda and the actions."""

    pack: Pack
    actions: list[ActionShown]
    chair: bool = field(default=False)  # whether the reader chairs it


def _grading(qualifiers: Iterable[tuple[str | None, ...]]) -> str | None:
    found: list[str] = []
    for k in qualifiers:
        grade = f"{k[0]}{k[1]}{k[2]}" if k[0] and k[1] else f"{k[4]} (5x5x5)" if k[4] else None
        if grade and grade not in found:
            found.append(grade)
    return ", ".join(found) or None


def _summaries(tx: Transaction, records: set[int], to: Receivers) -> dict[int, tuple[str, ...]]:
    """Return the summaries of the events (intelligence reports and the like) of records."""
    found = {}
    for record, statements in tx.records.statements_of(records).items():
        texts = [
            s.value
            for s in statements
            if s.schema == "Event"
            and s.prop == "summary"
            and all(
                field_visible(recipient(a, kind, s.agency), s.prop, s.qualifier.subject_category)
                for a, kind in to
            )
        ]
        if texts:
            found[record] = tuple(dict.fromkeys(texts))
    return found


def _where(tx: Transaction, row: MeetingRow, items: list[ItemShown]) -> None:
    """Say where each location shown is (as the link chart labels addresses and places)."""
    nodes = [int(i.subject.partition(":")[2]) for i in items if i.subject.startswith("node:")]
    if row.snapshot_id is None or not nodes:
        return
    found = tx.chart.nodes(row.snapshot_id, nodes)
    for item in items:
        node = found.get(int(item.subject.partition(":")[2]))
        if node is not None:
            first, _, second = node.key.partition("|")
            item.facts["where"] = ", ".join(part for part in (second, first) if part)


def _shown(
    ctx: consultation.Context,
    tx: Transaction,
    row: MeetingRow,
    agency: str,
    to: Receivers,
    operation: Operation,
) -> tuple[Pack, set[int], set[int]]:
    """Return the agenda as every one of `to` may have it, the records received and the rest.

    A record is received when the policy lets every one of `to` do `operation` on it; police
    source details (grading, handling code, summaries) go with it only where the policy shows
    them to every one of `to` (R12); an item's reasons only when all its records are received
    with those details (reasons rest on all of them)."""
    behind = {r for item in row.agenda for r in item["records"]}
    held = tx.records.markings(behind)
    markings = {
        r: Marking.combine(
            h.agency_code,
            h.mapping,
            ((Tlp(str(k[5])), HandlingCode(str(k[2])), k[3]) for k in h.qualifiers),
        )
        for r, h in held.items()
    }
    received = {
        r
        for r, m in markings.items()
        if all(decide(a, operation, m, ctx.isas, ctx.today).allowed for a, _ in to)
    }
    detailed = {
        r
        for r in received
        if all(grading_visible(recipient(a, kind, markings[r].agency)) for a, kind in to)
    }
    summaries = _summaries(tx, detailed, to)
    sections: dict[str, list[ItemShown]] = {s: [] for s in SECTIONS}
    withheld = 0
    for item in row.agenda:
        mine = [r for r in item["records"] if r in received]
        if item["records"] and not mine:
            withheld += 1  # counted, never described
            continue
        full = len(mine) == len(item["records"]) and detailed.issuperset(mine)
        shown = tuple(
            RecordShown(
                r,
                markings[r].agency,
                markings[r].kind,
                _grading(held[r].qualifiers) if r in detailed else None,
                markings[r].handling.value if r in detailed else None,
                summaries.get(r, ()),
                markings[r].conditions,
            )
            for r in mine
        )
        sections[item["section"]].append(
            ItemShown(
                item["section"],
                item["subject"],
                item["label"],
                dict(item["facts"]),
                tuple(item["reasons"]) if full else (),
                shown,
                len(item["records"]) - len(mine),
            )
        )
    _where(tx, row, sections["locations"])
    return Pack(make_meeting(row), agency, sections, withheld), received, behind - received


def meeting(
    uow: UnitOfWork, actor: Actor, meeting_id: int, today: date, purpose: str | None = None
) -> MeetingView:
    """Return a meeting with the agenda as the reader's agency may read it (each record behind
    its items a consultation, shown or withheld), its minutes, decisions and actions."""
    with uow.read() as tx:
        ctx = reader(tx, actor, purpose, today)
        row = get_meeting(tx, actor, meeting_id)
        pack, received, refused = _shown(
            ctx, tx, row, actor.agency_code, [(actor, ctx.agency.kind)], Operation.READ
        )
        actions = [make_action(a, today) for a in tx.mace.actions(meeting_id)]
    for record in sorted(received):
        consultation.consulted(ctx, record, "MACE agenda", True, None)
    for record in sorted(refused):
        consultation.consulted(ctx, record, "MACE agenda", False, None)  # withheld
    consultation.log(uow, ctx)
    return MeetingView(pack, actions, chairs(actor, row))


def give_pack(
    uow: UnitOfWork,
    chair: Actor,
    meeting_id: int,
    agency: str,
    *,
    lawful_basis: str,
    purpose: str,
    now: datetime,
) -> Pack:
    """Give an attending agency its pack: what the chair may disclose and the agency may receive
    of the agenda, one disclosure event per record under one watermarked disclosure id."""
    if not lawful_basis.strip():
        raise InvalidInput("a pack is a disclosure: give its lawful basis and retry")
    code = check_agency_code(agency)
    why = purpose.strip() or f"MACE meeting {meeting_id}"
    with uow.write() as tx:
        ctx = reader(tx, chair, why, now.date())
        row = get_meeting(tx, chair, meeting_id)
        require_chair(chair, row)
        if code not in row.attendees:
            raise InvalidInput(f"{code} does not attend meeting {meeting_id}; choose an attendee")
        attendee = Actor(0, f"{code.lower()}.attendee", code, ATTENDEE_ROLE, True)
        to = [(chair, ctx.agency.kind), (attendee, ctx.agencies[code].kind)]
        pack, received, _ = _shown(ctx, tx, row, code, to, Operation.EXPORT)
        detail: dict[str, object] = {
            "recipient": code,
            "lawful_basis": lawful_basis.strip(),
            "mace_meeting": meeting_id,
            "items": sum(len(items) for items in pack.sections.values()),
        }
        ids = [f"record:{r}" for r in sorted(received)] or [f"mace_meeting:{meeting_id}"]
        events = [
            AuditEvent(
                AuditOperation.DISCLOSURE,
                chair.username,
                (ref,),
                detail,
                justification=why,
                actor_agency=chair.agency_code,
                actor_role=chair.role.value,
                occurred_at=now.isoformat(),
            )
            for ref in ids
        ]
        disclosure = f"D-{tx.audit.append(events[0]).seq}"
        tx.audit.append_all(
            [replace(e, detail={**detail, "disclosure": disclosure}) for e in events[1:]]
        )
    watermark = (
        f"linemap disclosure {disclosure} by {chair.username} ({chair.agency_code}) at "
        f"{now.isoformat(timespec='seconds')} to {code} for MACE meeting {meeting_id}; do not "
        "share further than the markings of its records allow"
    )
    return Pack(pack.meeting, code, pack.sections, pack.withheld, disclosure, watermark)
