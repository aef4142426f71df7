"""Community and family reports: received without an account, held apart, triaged by one team.

A member of the public (or a family member) says what is happening, where and when; who they
are is optional. The report is held in its own table, never among agency records, and only
caseworkers of the receiving team see it (`services.triage`: the policy reads it as TLP:RED of
that agency, so no sharing agreement reaches it). This module receives reports: it checks what
was typed as triage will read it (the community-concern template), stores the report with an
acknowledgement reference, and audits receiving as a collection (DPA 2018 s.62) naming the
agency and whether the reporter gave their details, never what they said.

Which team receives: the agency named by the `community_report_agency` setting when there is one,
otherwise the first registered agency of kind voluntary or children's social care.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from linemap.errors import ConfigurationError, InvalidInput
from linemap.governance.actor import Agency
from linemap.governance.audit import AuditEvent
from linemap.intake.mapping import FieldSpec, MappingSpec, load_mapping
from linemap.intake.reader import Row
from linemap.intake.transform import Rejected, RowPlan
from linemap.model.vocabulary import AgencyKind, AuditOperation
from linemap.settings import Settings
from linemap.store.unit_of_work import Transaction, UnitOfWork

RECEIVING_KINDS = (AgencyKind.VOLUNTARY, AgencyKind.CHILDRENS_SOCIAL_CARE)
TEMPLATE = "community-concern"
GRADING_COLUMN = "Grading"
# Crockford's base 32: no I, L, O or U, so a reference read out over the phone is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never meant; PostgreSQL refuses NUL
REFERENCE = re.compile(r"^CR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
LIMITS = {"concern": 4000, "location": 300, "reporter_contact": 300}
SHORT = 200  # every other field
# The template's column for each field the public gives, and how the form labels it.
COLUMNS = {
    "concern": ("What Was Seen", "What is happening"),
    "location": ("Location", "Where"),
    "postcode": ("Postcode", "Postcode"),
    "happened": ("Date Seen", "When"),
    "name": ("Name If Known", "Their name"),
    "known_as": ("Known As", "Nickname or street name"),
    "age": ("Approximate Age", "Approximate age"),
    "phone": ("Phone Number Seen", "Phone number noticed"),
    "vehicle": ("Vehicle Registration", "Vehicle registration noticed"),
}
DETAILS = ("postcode", "name", "known_as", "age", "phone", "vehicle")


@dataclass(frozen=True)
class Submission:
    """What someone reports: what, where and when, and (all optional) who and who they are."""

    concern: str
    location: str
    happened: str = ""  # ISO date, or blank
    postcode: str = ""
    name: str = ""
    known_as: str = ""
    age: str = ""
    phone: str = ""
    vehicle: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""


def find_receiving(tx: Transaction, settings: Settings) -> Agency | None:
    """Return the agency that receives community reports, or None if none fits."""
    configured = settings.community_report_agency
    if configured:
        found = tx.directory.find_agency(configured.strip().upper())
        if found is None:
            raise ConfigurationError(
                "the agency set to receive community reports is not registered; "
                "check LINEMAP_COMMUNITY_REPORT_AGENCY"
            )
        return found
    fitting = [a for a in tx.directory.list_agencies() if a.kind in RECEIVING_KINDS]
    return min(fitting, key=lambda a: a.id, default=None)


def make_reference() -> str:
    """Return a new acknowledgement reference, such as CR-7K2M-Q9XD (40 random bits)."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"CR-{chars[:4]}-{chars[4:]}"


def submit(
    uow: UnitOfWork,
    settings: Settings,
    given: Submission,
    now: datetime,
    admit: Callable[[], None] = lambda: None,
    channel: str = "form",
) -> str:
    """Check and store a report for the receiving team; return its acknowledgement reference.

    `admit` is called once the report is found valid, to refuse floods (it raises
    TooManyAttempts); invalid reports are not counted, so correcting one costs nothing.
    """
    given = _checked(given, now.date())
    admit()
    with uow.write() as tx:
        agency = find_receiving(tx, settings)
        if agency is None:
            raise ConfigurationError(
                "reports cannot be received here yet: no team is set up to receive them. "
                "If someone is in danger now, call 999"
            )
        reference = make_reference()
        while tx.community.reference_taken(reference):
            reference = make_reference()
        reporter = {"name": given.reporter_name, "contact": given.reporter_contact}
        report_id = tx.community.add(
            reference=reference,
            agency_id=agency.id,
            received_at=now.isoformat(),
            concern=given.concern,
            location=given.location,
            happened=given.happened or None,
            details={k: v for k in DETAILS if (v := getattr(given, k))},
            reporter={k: v for k, v in reporter.items() if v},
        )
        tx.audit.append(
            AuditEvent(
                AuditOperation.COLLECTION,
                "public",
                (f"community_report:{report_id}",),
                {
                    "agency": agency.code,
                    "channel": channel,
                    "reporter_given": bool(given.reporter_name or given.reporter_contact),
                },
                occurred_at=now.isoformat(),
            )
        )
    return reference


def _checked(given: Submission, today: date) -> Submission:
    """Return the submission trimmed, or raise InvalidInput naming each field to correct."""
    values = {k: _CONTROL.sub("", str(v)).strip() for k, v in asdict(given).items()}
    problems: dict[str, str] = {}  # by field, the first problem found
    for key, value in values.items():
        if len(value) > LIMITS.get(key, SHORT):
            problems[key] = f"shorten it to {LIMITS.get(key, SHORT)} characters"
        elif key in ("concern", "location") and not value:
            problems[key] = "this is needed"
    if values["happened"] and "happened" not in problems:
        try:
            if date.fromisoformat(values["happened"]) > today:
                problems["happened"] = "give a date that is not in the future"
        except ValueError:
            problems["happened"] = "give a date such as 2026-03-14, or leave it blank"
    # Read it as triage will, so that accepting it cannot fail on what the public typed.
    plan = RowPlan(template(AgencyKind.VOLUNTARY), "CHECK", today)
    refused = plan.apply(
        Row(1, template_row(replace(given, **values), "CR-CHECK", today.isoformat(), "2C"))
    )
    if isinstance(refused, Rejected):
        fields = {column: key for key, (column, _) in COLUMNS.items()}
        for column, reason in refused.problems:
            problems.setdefault(fields.get(column, column), reason)
    if problems:
        listed = "; ".join(f"{_label(k)}: {reason}" for k, reason in problems.items())
        raise InvalidInput(f"please correct the report: {listed}")
    return replace(given, **values)


def _label(key: str) -> str:
    if key in COLUMNS:
        return COLUMNS[key][1]
    return {"reporter_name": "Your name", "reporter_contact": "How to contact you"}.get(key, key)


def template(kind: AgencyKind) -> MappingSpec:
    """Return the community-concern template, graded by a column, for an agency of `kind`."""
    base = load_mapping(TEMPLATE)
    markings = base.markings.model_copy(update={"grading": FieldSpec(column=GRADING_COLUMN)})
    kinds = sorted({*base.agency_kinds, kind})
    return base.model_copy(update={"markings": markings, "agency_kinds": kinds, "example": []})


def template_row(given: Submission, reference: str, received: str, grade: str) -> dict[str, str]:
    """Return the template row for a report: never the reporter (R16)."""
    row = {column: getattr(given, key) for key, (column, _) in COLUMNS.items()}
    row.update({"Report Ref": reference, "Date Reported": received, GRADING_COLUMN: grade})
    return row
