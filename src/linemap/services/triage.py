"""Triage of community reports by the receiving team: the queue, one report, accept, dismiss.

Reports are received by `services.community`. Only caseworkers of the receiving team see a
report: the policy reads it as TLP:RED of that agency, so no sharing agreement reaches it.
Triage either accepts it, turning it into one source record of the receiving agency through the
ordinary intake path (the community-concern template, graded 3x5x2 source 2 or 3 with the
triager's A-E, handling P; the reporter never enters it: R16), or dismisses it with a reason.
Each report shown is a consultation and each triage an alteration (DPA 2018 s.62).
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from linemap.errors import Forbidden, InvalidInput, NotFound, RowRejected
from linemap.governance.actor import Actor, Agency
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import Marking, Operation, decide
from linemap.model.vocabulary import (
    AuditOperation,
    HandlingCode,
    IntelligenceAssessment,
    LocationKind,
    Tlp,
)
from linemap.services import intake, search
from linemap.services.community import (
    REFERENCE,
    TEMPLATE,
    Submission,
    find_receiving,
    template,
    template_row,
)
from linemap.settings import Settings
from linemap.store.community import StoredReport
from linemap.store.unit_of_work import Transaction, UnitOfWork

STATUSES = ("new", "accepted", "dismissed")
KIND = "community-report"  # the policy's record kind for a report held apart
COMMUNITY_SOURCES = ("2", "3")  # 3x5x2: a member of the public is untested (2) or unreliable (3)
QUEUE_LIMIT = 50


def queue(
    uow: UnitOfWork, settings: Settings, actor: Actor, today: date, status: str = "new"
) -> list[StoredReport]:
    """Return the team's reports in one status, oldest first; each shown is a consultation."""
    if status not in STATUSES:
        raise InvalidInput(f"unknown report status; choose one of: {', '.join(STATUSES)}")
    with uow.read() as tx:
        agency = _team(tx, settings, actor, today)
        found = tx.community.list_reports(agency.id, status, QUEUE_LIMIT)
    _consulted(uow, actor, [(r.id, True) for r in found], "triage_queue")
    return found


def waiting(uow: UnitOfWork, settings: Settings, actor: Actor, today: date) -> int:
    """Return how many new reports wait for the actor's team (no personal data, no audit)."""
    with uow.read() as tx:
        agency = _team(tx, settings, actor, today)
        return tx.community.count(agency.id, "new")


def get(uow: UnitOfWork, actor: Actor, reference: str, today: date) -> StoredReport:
    """Return one report of the actor's team; anyone else is told there is no such report."""
    with uow.read() as tx:
        report, allowed = _held(tx, actor, reference, today)
    if report is not None:
        _consulted(uow, actor, [(report.id, allowed)], "report")
    if report is None or not allowed:
        raise NotFound(f"there is no community report {_shown(reference)}; check the reference")
    return report


def accept(
    uow: UnitOfWork,
    settings: Settings,
    actor: Actor,
    reference: str,
    source: str,
    intelligence: str,
    place_kind: str,
    now: datetime,
) -> StoredReport:
    """Turn a new report into a graded source record of the team, through intake."""
    grade = _grade(source, intelligence)
    kind = _place_kind(place_kind)
    report, agency = _triageable(uow, actor, reference, now.date(), Operation.INGEST)
    given = Submission(
        report.concern, report.location or "", report.happened or "", **report.details
    )
    row = {
        **template_row(given, report.reference, report.received_at[:10], grade),
        "Type of Place": kind,
    }
    batch = _ingest(uow, replace(settings, actor=actor.username), agency, row)
    search.refresh_index(uow)
    with uow.write() as tx:
        record = tx.records.find_current(agency.code, report.reference)
        detail: dict[str, object] = {"decision": "accepted", "grading": grade, "batch": batch}
        return _decide(tx, actor, report, grade, record.id if record else None, detail, now)


def dismiss(
    uow: UnitOfWork, actor: Actor, reference: str, reason: str, now: datetime
) -> StoredReport:
    """Close a new report without a record, with the triager's reason."""
    reason = reason.strip()
    if not reason or len(reason) > 2000:
        raise InvalidInput("give the reason for dismissing the report (up to 2000 characters)")
    report, _ = _triageable(uow, actor, reference, now.date(), Operation.READ)
    with uow.write() as tx:
        return _decide(tx, actor, report, reason, None, {"decision": "dismissed"}, now)


def _ingest(uow: UnitOfWork, settings: Settings, agency: Agency, row: dict[str, str]) -> int | None:
    """Ingest one row with the graded template, as any export is ingested; return the batch."""
    spec = template(agency.kind)
    with tempfile.TemporaryDirectory(prefix="linemap-report-") as folder:
        mapping, path = Path(folder) / f"{TEMPLATE}.yaml", Path(folder) / "report.csv"
        dumped = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        mapping.write_text(yaml.safe_dump(dumped, sort_keys=False), "utf-8")
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=spec.columns)
            writer.writeheader()
            writer.writerow(row)
        try:
            done = intake.ingest(uow, settings, path, agency.code, str(mapping), strict=True)
        except RowRejected:
            raise InvalidInput(
                "the report could not be turned into a record; dismiss it with a reason, "
                "or add what it says through intake"
            ) from None
    return done.batch_id


def _grade(source: str, intelligence: str) -> str:
    if source.strip() not in COMMUNITY_SOURCES:
        raise InvalidInput(
            "grade the source of a community report 2 (untested) or 3 (not reliable)"
        )
    try:
        assessed = IntelligenceAssessment(intelligence.strip().upper())
    except ValueError:
        raise InvalidInput("grade the intelligence A, B, C, D or E") from None
    return f"{source.strip()}{assessed.value}{HandlingCode.P.value}"


def _place_kind(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return LocationKind(text.strip().lower()).value
    except ValueError:
        choices = ", ".join(k.value for k in LocationKind)
        raise InvalidInput(f"unknown kind of place; choose one of: {choices}") from None


def _marking(agency: str) -> Marking:
    # Held apart: read as TLP:RED of the receiving agency, so no agreement carries it out (R16).
    return Marking(agency, KIND, Tlp.RED, HandlingCode.P)


def _team(tx: Transaction, settings: Settings, actor: Actor, today: date) -> Agency:
    """Return the actor's agency if its caseworkers triage reports; else raise Forbidden."""
    agency = tx.directory.get_agency(actor.agency_code)
    if decide(actor, Operation.READ, _marking(agency.code), [], today).allowed:
        receiving = find_receiving(tx, settings)
        if (receiving and receiving.id == agency.id) or tx.community.count(agency.id):
            return agency
    raise Forbidden("community reports are seen only by caseworkers of the team that receives them")


def _held(
    tx: Transaction, actor: Actor, reference: str, today: date
) -> tuple[StoredReport | None, bool]:
    """Return the report (None if unknown) and whether the actor may read it."""
    text = reference.strip().upper()
    report = tx.community.find(text) if REFERENCE.match(text) else None
    if report is None:
        return None, False
    agencies = {a.id: a.code for a in tx.directory.list_agencies()}
    marking = _marking(agencies.get(report.agency_id, ""))
    return report, decide(actor, Operation.READ, marking, [], today).allowed


def _triageable(
    uow: UnitOfWork, actor: Actor, reference: str, today: date, operation: Operation
) -> tuple[StoredReport, Agency]:
    """Return a new report the actor may triage (accepting adds a record: INGEST) and its team."""
    with uow.read() as tx:
        report, allowed = _held(tx, actor, reference, today)
        if report is None or not allowed:
            raise NotFound(f"there is no community report {_shown(reference)}; check the reference")
        agency = tx.directory.get_agency(actor.agency_code)
    verdict = decide(
        actor, operation, Marking(agency.code, TEMPLATE, Tlp.AMBER, HandlingCode.P), [], today
    )
    if not verdict.allowed:
        raise Forbidden(f"you may not triage this report: {verdict.reason}")
    if report.status != "new":
        raise InvalidInput(
            f"report {report.reference} was already {report.status}; reload the queue"
        )
    return report, agency


def _decide(
    tx: Transaction,
    actor: Actor,
    report: StoredReport,
    reason: str,
    record_id: int | None,
    detail: dict[str, object],
    now: datetime,
) -> StoredReport:
    """Record a triage decision on a new report with its audit event; return the report."""
    status = "accepted" if detail["decision"] == "accepted" else "dismissed"
    at = now.isoformat()
    made = tx.community.triage(
        report.id, status=status, by=actor.username, at=at, reason=reason, record_id=record_id
    )
    if not made:
        raise InvalidInput(f"report {report.reference} was triaged meanwhile; reload the queue")
    ids = (f"community_report:{report.id}",) + ((f"record:{record_id}",) if record_id else ())
    tx.audit.append(_event(AuditOperation.ALTERATION, actor, ids, detail, at))
    return tx.community.find(report.reference) or report


def _event(
    operation: AuditOperation,
    actor: Actor,
    ids: tuple[str, ...],
    detail: dict[str, object],
    at: str,
    outcome: str = "success",
) -> AuditEvent:
    return AuditEvent(
        operation,
        actor.username,
        ids,
        detail,
        actor_agency=actor.agency_code,
        actor_role=actor.role.value,
        outcome=outcome,
        occurred_at=at,
    )


def _consulted(uow: UnitOfWork, actor: Actor, shown: list[tuple[int, bool]], view: str) -> None:
    """DPA 2018 s.62: each report shown (or refused) is a consultation, committed first."""
    events = [
        _event(
            AuditOperation.CONSULTATION,
            actor,
            (f"community_report:{report_id}",),
            {"view": view, "disclosed": allowed},
            datetime.now(UTC).isoformat(),
            "success" if allowed else "withheld",
        )
        for report_id, allowed in shown
    ]
    if events:
        with uow.write() as tx:
            tx.audit.append_all(events)


def _shown(reference: str) -> str:
    """Return a reference safe to repeat in a message (only if it looks like one)."""
    text = reference.strip().upper()
    return text if REFERENCE.match(text) else "with that reference"
