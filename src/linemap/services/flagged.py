"""The flagged people and their cases for the command line: `linemap cases list` and
`linemap export flagged`.

The command line runs as the operator (`LINEMAP_ACTOR`), with the database in hand; it shows
cases by id and state only. The export names each flagged person by id with every record behind
them (every record they are the subject of, and the evidence of their flags: agency and
source reference), their flags and where their referral stands, or the decision
recorded; it is a disclosure: one audit event per record disclosed, all under one disclosure id,
with the recipient, purpose and lawful basis, in the transaction that reads it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from linemap.errors import InvalidInput, NotFound
from linemap.governance.audit import AuditEvent
from linemap.model.vocabulary import AuditOperation
from linemap.services.cases import WORKFLOWS, CaseView, case_view
from linemap.services.safeguarding import cases_by_flag, flag_line, flag_reference
from linemap.settings import Settings
from linemap.store.safeguarding import FlagRow
from linemap.store.unit_of_work import UnitOfWork

FORMATS = ("csv", "jsonl")
CSV_COLUMNS = ("person", "records", "flags", "referral_status", "decision")


@dataclass(frozen=True)
class CaseLine:
    """One case, by id and state: no personal data."""

    id: int
    workflow: str
    subject: str
    flag: str | None
    state: str
    opened_at: str
    last_step: str | None
    due: str | None
    overdue: bool


def list_cases(
    uow: UnitOfWork, today: date, *, workflow: str | None = None, overdue_only: bool = False
) -> list[CaseLine]:
    """Return every case (of a workflow), oldest first."""
    if workflow is not None and workflow not in WORKFLOWS:
        raise InvalidInput(f"workflow must be one of {', '.join(WORKFLOWS)}")
    with uow.read() as tx:
        rows = tx.safeguarding.cases(workflow=workflow)
        steps = tx.safeguarding.steps([r.id for r in rows])
    found = []
    for row in rows:
        view = case_view(row, steps[row.id], today)
        last = view.steps[-1] if view.steps else None
        found.append(
            CaseLine(
                row.id,
                row.workflow,
                row.subject,
                json.loads(row.detail or "{}").get("flag"),
                view.state,
                row.opened_at,
                f"{last.action} by {last.by_name} ({last.by_role}) on {last.on_date}"
                if last
                else None,
                view.due.isoformat() if view.due else None,
                view.overdue,
            )
        )
    return [c for c in found if c.overdue or not overdue_only]


def _decision(case: CaseView | None) -> dict[str, object]:
    """Return where the referral stands, or the decision that closed it."""
    if case is None:
        return {"referral_status": "identified: waiting for a decision"}
    last = case.steps[-1]
    if case.state == "closed":
        return {
            "decision": {
                "action": last.action,
                "by": last.by_name,
                "role": last.by_role,
                "on": last.on_date,
                "reason": last.reason,
            }
        }
    return {"referral_status": case.state}


def _entry(
    flags: list[FlagRow],
    behind: list[int],
    case: CaseView | None,
    refs: dict[int, tuple[str, str]],
    today: date,
) -> dict[str, object]:
    records = sorted({*behind, *(r for f in flags for r in f.record_ids)})
    return {
        "person": flags[0].person_id,
        "records": [{"agency": refs[r][0], "source_ref": refs[r][1]} for r in records],
        "flags": [
            {
                "flag": flag_reference(f.run_id, f.flag_id),
                "kind": f.kind,
                "child": f.child,
                "frame": f.frame,
                "risk": f.risk,
                "raised_by": f.raised_by,
                "raised_on": f.raised_on,
                "review_by": f.review_by,
                "home_authority": f.home_authority,
                "criteria": [o["criterion"] for o in json.loads(f.observations)],
                "overdue": flag_line(f, case, today).overdue,
            }
            for f in flags
        ],
        **_decision(case),
    }


def _csv_row(entry: dict[str, object]) -> list[str]:
    records = entry["records"]
    flags = entry["flags"]
    assert isinstance(records, list)
    assert isinstance(flags, list)
    decision = entry.get("decision")
    return [
        str(entry["person"]),
        ";".join(f"{r['agency']}:{r['source_ref']}" for r in records),
        ";".join(f"{f['flag']} {f['kind']} {f['risk']}" for f in flags),
        str(entry.get("referral_status", "")),
        json.dumps(decision) if decision else "",
    ]


@dataclass(frozen=True)
class FlaggedExport:
    """The export's text and what it disclosed."""

    disclosure_id: str
    people: int
    records: int
    text: str


def export_flagged(
    uow: UnitOfWork,
    settings: Settings,
    fmt: str,
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    now: datetime,
) -> FlaggedExport:
    """Export every person flagged in the latest assessment run, as one disclosure."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}")
    given = {"recipient": recipient, "purpose": purpose, "lawful basis": lawful_basis}
    missing = [name for name, value in given.items() if not value.strip()]
    if missing:
        raise InvalidInput(f"a disclosure needs its {', '.join(missing)}; give them and retry")
    today = now.date()
    with uow.write() as tx:
        run = tx.safeguarding.latest_run()
        if run is None:
            raise NotFound("no assessment run yet: run `linemap assess`")
        flags = tx.safeguarding.flags(run.id)
        if not flags:
            raise NotFound(f"assessment run {run.id} raised no flags: nothing to export")
        cases = cases_by_flag(tx, run.id, flags, today, "referral")
        people: dict[str, list[FlagRow]] = {}
        for f in flags:
            people.setdefault(f.person_id, []).append(f)
        behind = {
            person: [record for _, record in members]
            for person, members in tx.resolution.members_of_people(
                run.resolution_run_id, people, subjects=True
            ).items()
        }
        refs = tx.safeguarding.source_refs(
            {r for f in flags for r in f.record_ids} | {r for rs in behind.values() for r in rs}
        )
        entries = [
            _entry(
                fs, behind.get(person, []), cases.get((fs[0].run_id, fs[0].flag_id)), refs, today
            )
            for person, fs in people.items()
        ]
        detail: dict[str, object] = {
            "recipient": recipient.strip(),
            "lawful_basis": lawful_basis.strip(),
            "export": "flagged",
            "assessment_run": run.id,
            "format": fmt,
            "people": len(entries),
        }
        disclosed = sorted(refs)
        first = tx.audit.append(_disclosure(settings.actor, disclosed[0], detail, purpose, now))
        disclosure_id = f"D-{first.seq}"
        tx.audit.append_all(
            [
                _disclosure(
                    settings.actor, r, {**detail, "disclosure": disclosure_id}, purpose, now
                )
                for r in disclosed[1:]
            ]
        )
    return FlaggedExport(disclosure_id, len(entries), len(disclosed), "".join(_lines(fmt, entries)))


def _lines(fmt: str, entries: list[dict[str, object]]) -> Iterator[str]:
    if fmt == "jsonl":
        for entry in entries:
            yield json.dumps(entry, ensure_ascii=False) + "\n"
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(_csv_row(entry))
    yield out.getvalue()


def _disclosure(
    actor: str, record_id: int, detail: dict[str, object], purpose: str, now: datetime
) -> AuditEvent:
    return AuditEvent(
        AuditOperation.DISCLOSURE,
        actor,
        (f"record:{record_id}",),
        detail,
        justification=purpose.strip(),
        occurred_at=now.isoformat(),
    )
