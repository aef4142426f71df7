"""Flags from assessment runs, and safeguarding cases with their append-only steps.

`linemap assess` reads each record about a person (its statements with their ids, so a flag can
cite them) through the shared packed read (`store/packed.py`), and stores one run whole: its
flags are never edited. A case is opened once for a subject and moves only by steps appended in
sequence; its `state` column repeats the last step's target for queries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select
from sqlalchemy import update as sql_update

from linemap.store import packed
from linemap.store.db import bulk_insert, latest_finished
from linemap.store.tables import (
    agency,
    assessment_run,
    case_step,
    flag,
    qualifier,
    resolution_member,
    safeguard_case,
    source_record,
)

CHUNK_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One current record's statements an assessment reads: (statement id, entity key,
    schema, prop, value, qualifier id) each, with the record's recorded date."""

    record_id: int
    recorded: str | None
    statements: list[tuple[int, str, str, str, str, int]]


@dataclass(frozen=True)
class AssessmentRunRow:
    """A stored assessment run's metadata."""

    id: int
    started_at: str
    finished_at: str | None
    actor: str
    resolution_run_id: int
    criteria: str
    as_of: str
    people: int
    flags: int
    summary: str | None


@dataclass(frozen=True)
class FlagRow:
    """A stored flag (see `tables.flag`)."""

    run_id: int
    flag_id: int
    person_id: str
    subject: str
    kind: str
    child: bool
    frame: str
    risk: str
    raised_by: str
    raised_on: str
    review_by: str
    home_authority: str | None
    records: str
    observations: str

    @property
    def record_ids(self) -> list[int]:
        """Return the source records behind the flag."""
        return [int(r) for r in self.records.split()]


@dataclass(frozen=True)
class CaseRow:
    """A stored case's head (see `tables.safeguard_case`)."""

    id: int
    workflow: str
    subject: str
    agency_id: int
    opened_at: str
    opened_by: str
    state: str
    detail: str | None


@dataclass(frozen=True)
class StepRow:
    """One stored step of a case."""

    case_id: int
    seq: int
    action: str
    source: str
    target: str
    by_name: str
    by_role: str
    actor: str
    on_date: str
    recorded_at: str
    reason: str
    details: str


class SafeguardingRepository:
    """Reads what an assessment rests on; writes and reads runs, flags and cases."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def iter_evidence(self, properties: Mapping[str, Collection[str]]) -> Iterator[EvidenceRecord]:
        """Yield every current, unerased record holding any of these properties of these
        schemas, with those statements and their ids."""
        wanted = {schema: frozenset(names) for schema, names in properties.items()}
        columns = (source_record.c.id, source_record.c.recorded_at)
        for record_id, recorded, text in packed.iter_records(
            self.connection, packed.statements(with_id=True), wanted, columns, CHUNK_ROWS
        ):
            found = [
                (int(statement_id), key, schema, prop, value, int(qualifier_id))
                for statement_id, key, schema, prop, value, qualifier_id in packed.unpack(
                    text, wanted, with_id=True
                )
            ]
            yield EvidenceRecord(record_id, recorded, found)

    def gradings(
        self,
    ) -> dict[int, tuple[str | None, str | None, str | None, str | None, str | None]]:
        """Return every qualifier's (source, intelligence, handling, legacy grade, data-subject
        category), by id."""
        rows = self.connection.execute(
            select(
                qualifier.c.id,
                qualifier.c.source_evaluation,
                qualifier.c.intelligence_assessment,
                qualifier.c.handling_code,
                qualifier.c.legacy_grading,
                qualifier.c.subject_category,
            )
        )
        return {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def subjects(self, run_id: int) -> dict[int, tuple[str, str]]:
        """Return, by record id, (person id, entity id) of the person each record is about in a
        resolution run."""
        rows = self.connection.execute(
            select(
                resolution_member.c.record_id,
                resolution_member.c.person_id,
                resolution_member.c.entity_id,
            )
            .where(resolution_member.c.run_id == run_id, resolution_member.c.subject.is_(True))
            .execution_options(yield_per=CHUNK_ROWS)
        )
        return {record_id: (person_id, entity_id) for record_id, person_id, entity_id in rows}

    def add_run(self, **values: object) -> int:
        """Store a new assessment run's metadata and return its id."""
        return int(
            self.connection.execute(
                insert(assessment_run)
                .values(people=0, flags=0, **values)
                .returning(assessment_run.c.id)
            ).scalar_one()
        )

    def finish_run(self, run_id: int, **values: object) -> None:
        """Record the counts and summary of a completed run."""
        self.connection.execute(
            sql_update(assessment_run).where(assessment_run.c.id == run_id).values(**values)
        )

    def add_flags(self, rows: Iterable[Sequence[object]]) -> None:
        """Store flag rows in `flag` column order."""
        bulk_insert(self.connection, "flag", tuple(c.name for c in flag.columns), rows)

    def latest_run(self) -> AssessmentRunRow | None:
        """Return the newest finished assessment run, or None."""
        row = latest_finished(
            self.connection, assessment_run, AssessmentRunRow.__dataclass_fields__
        )
        return AssessmentRunRow(*row) if row else None

    def run(self, run_id: int) -> AssessmentRunRow | None:
        """Return one assessment run, or None."""
        row = self.connection.execute(
            select(*[assessment_run.c[n] for n in AssessmentRunRow.__dataclass_fields__]).where(
                assessment_run.c.id == run_id
            )
        ).first()
        return AssessmentRunRow(*row) if row else None

    def flags(self, run_id: int, *, children_only: bool = False) -> list[FlagRow]:
        """Return a run's flags in flag order."""
        query = select(*[flag.c[n] for n in FlagRow.__dataclass_fields__]).where(
            flag.c.run_id == run_id
        )
        if children_only:
            query = query.where(flag.c.child.is_(True))
        return [FlagRow(*r) for r in self.connection.execute(query.order_by(flag.c.flag_id))]

    def flag(self, run_id: int, flag_id: int) -> FlagRow | None:
        """Return one flag of a run, or None."""
        row = self.connection.execute(
            select(*[flag.c[n] for n in FlagRow.__dataclass_fields__]).where(
                flag.c.run_id == run_id, flag.c.flag_id == flag_id
            )
        ).first()
        return FlagRow(*row) if row else None

    def agency_of_records(self, record_ids: Collection[int]) -> dict[int, str]:
        """Return the agency code of each of these records."""
        found: dict[int, str] = {}
        ids = sorted(set(record_ids))
        for start in range(0, len(ids), 500):
            rows = self.connection.execute(
                select(source_record.c.id, agency.c.code)
                .join(agency, agency.c.id == source_record.c.agency_id)
                .where(source_record.c.id.in_(ids[start : start + 500]))
            )
            found.update({r.id: r.code for r in rows})
        return found

    def source_refs(self, record_ids: Collection[int]) -> dict[int, tuple[str, str]]:
        """Return (agency code, source reference) of each of these records."""
        found: dict[int, tuple[str, str]] = {}
        ids = sorted(set(record_ids))
        for start in range(0, len(ids), 500):
            rows = self.connection.execute(
                select(source_record.c.id, agency.c.code, source_record.c.source_ref)
                .join(agency, agency.c.id == source_record.c.agency_id)
                .where(source_record.c.id.in_(ids[start : start + 500]))
            )
            found.update({r.id: (r.code, r.source_ref) for r in rows})
        return found

    def open_case(self, **values: object) -> int:
        """Open a case and return its id."""
        return int(
            self.connection.execute(
                insert(safeguard_case).values(**values).returning(safeguard_case.c.id)
            ).scalar_one()
        )

    def add_step(self, case_id: int, **values: object) -> None:
        """Append a step to a case and move its state to the step's target."""
        seq = self.connection.execute(
            select(func.coalesce(func.max(case_step.c.seq), 0)).where(
                case_step.c.case_id == case_id
            )
        ).scalar_one()
        self.connection.execute(insert(case_step).values(case_id=case_id, seq=seq + 1, **values))
        self.connection.execute(
            sql_update(safeguard_case)
            .where(safeguard_case.c.id == case_id)
            .values(state=values["target"])
        )

    def case(self, case_id: int) -> CaseRow | None:
        """Return a case's head, or None."""
        row = self.connection.execute(
            select(*[safeguard_case.c[n] for n in CaseRow.__dataclass_fields__]).where(
                safeguard_case.c.id == case_id
            )
        ).first()
        return CaseRow(*row) if row else None

    def cases(
        self, *, workflow: str | None = None, subjects: Collection[str] | None = None
    ) -> list[CaseRow]:
        """Return cases, oldest first, of a workflow and/or about these subjects."""
        query = select(*[safeguard_case.c[n] for n in CaseRow.__dataclass_fields__])
        if workflow is not None:
            query = query.where(safeguard_case.c.workflow == workflow)
        if subjects is None:
            return [CaseRow(*r) for r in self.connection.execute(query.order_by("id"))]
        found: list[CaseRow] = []
        ids = sorted(set(subjects))
        for start in range(0, len(ids), 500):
            part = query.where(safeguard_case.c.subject.in_(ids[start : start + 500]))
            found.extend(CaseRow(*r) for r in self.connection.execute(part))
        return sorted(found, key=lambda c: c.id)

    def steps(self, case_ids: Collection[int]) -> dict[int, list[StepRow]]:
        """Return each case's steps in order."""
        found: dict[int, list[StepRow]] = {c: [] for c in case_ids}
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), 500):
            rows = self.connection.execute(
                select(*[case_step.c[n] for n in StepRow.__dataclass_fields__])
                .where(case_step.c.case_id.in_(ids[start : start + 500]))
                .order_by(case_step.c.case_id, case_step.c.seq)
            )
            for r in rows:
                found[r.case_id].append(StepRow(*r))
        return found
