"""Ingest an agency export: validate, normalise, store statements with provenance, audit.

The good rows of a file land in one transaction with their audit event, or nothing lands: an
unreadable file, a mapping that does not fit, or (with strict) any bad row rolls it all back.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from linemap.errors import InvalidInput, MappingError, RowRejected
from linemap.governance.audit import AuditEvent
from linemap.intake.batch import BatchBuilder, Prepared
from linemap.intake.mapping import MappingSpec, load_mapping
from linemap.intake.pipeline import bulk_allocation, iter_prepared
from linemap.intake.reader import open_table
from linemap.intake.transform import RowPlan
from linemap.model.vocabulary import AuditOperation
from linemap.settings import Settings
from linemap.store.record import RecordRepository
from linemap.store.unit_of_work import UnitOfWork

Progress = Callable[[int, int], None]


@dataclass
class IngestSummary:
    """What an ingest did. accepted + rejected + unchanged = rows read."""

    accepted: int = 0  # rows stored as new records or new versions
    rejected: int = 0  # rows quarantined
    unchanged: int = 0  # rows identical to the version already held
    superseded: int = 0  # of the accepted, those that replaced an earlier version
    report: str | None = None
    batch_id: int | None = None
    problems: list[tuple[int, str, str]] = field(default_factory=list, repr=False)

    def counts(self) -> dict[str, int]:
        """Return the four counts."""
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "superseded": self.superseded,
        }

    def as_json(self) -> dict[str, object]:
        """Return the machine-readable summary the CLI prints with --json."""
        return {**self.counts(), "report": self.report}


def ingest(
    uow: UnitOfWork,
    settings: Settings,
    path: Path,
    agency_code: str,
    mapping_ref: str,
    *,
    strict: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest one file for one agency with one mapping; see the module docstring."""
    mapping = load_mapping(mapping_ref, settings.mapping_dirs)
    digest = _file_digest(path)
    summary = IngestSummary()
    try:
        with uow.write() as tx:
            agency = tx.directory.get_agency(agency_code.upper())
            with open_table(path) as table:
                _check_fit(mapping, agency.kind.value, agency.code, table.columns)
            summary.batch_id = tx.records.add_batch(
                agency_id=agency.id,
                mapping=mapping.name,
                mapping_digest=mapping.digest,
                file_name=path.name,
                file_digest=digest,
                actor=settings.actor,
            )
            builder = BatchBuilder(
                summary.batch_id,
                agency.id,
                tx.records.latest_versions(agency.id),
                tx.records.qualifiers(),
                *tx.records.next_ids(),
            )
            plan = RowPlan(mapping, agency.code, date.today())
            chunks = iter_prepared(
                path,
                plan,
                builder,
                settings.ingest_chunk_rows,
                parallel_from_bytes=settings.ingest_parallel_from_bytes,
            )
            with bulk_allocation():
                for chunk in chunks:
                    _store(tx.records, summary, chunk, strict)
                    if progress:
                        progress(*chunk.progress)
            tx.records.finish_batch(summary.batch_id, summary.counts())
            tx.audit.append(_collection_event(settings.actor, agency.code, mapping, summary))
            if summary.superseded:
                tx.audit.append(_alteration_event(settings.actor, agency.code, summary))
    except RowRejected:
        summary.report = _write_report(path, summary.problems)
        raise RowRejected(
            f"--strict: {summary.rejected} row(s) refused, nothing was stored; "
            f"see {summary.report or 'the problems listed'} and fix them"
        ) from None
    summary.report = _write_report(path, summary.problems) if summary.problems else None
    return summary


def _check_fit(mapping: MappingSpec, kind: str, code: str, columns: tuple[str, ...]) -> None:
    if mapping.agency_kinds and kind not in mapping.agency_kinds:
        kinds = ", ".join(k.value for k in mapping.agency_kinds)
        raise InvalidInput(
            f"mapping {mapping.name} is for agencies of kind {kinds}; agency {code} is {kind}. "
            "Choose the agency whose export this is, or another mapping"
        )
    missing = [c for c in mapping.required_columns if c not in columns]
    if missing:
        raise MappingError(
            f"the file lacks column(s) {', '.join(missing)} that mapping {mapping.name} reads; "
            f"check the file is a {mapping.title} export or write a mapping for it"
        )


def _store(
    records: RecordRepository, summary: IngestSummary, chunk: Prepared, strict: bool
) -> None:
    summary.accepted += chunk.accepted
    summary.rejected += chunk.rejected
    summary.unchanged += chunk.unchanged
    summary.superseded += chunk.superseded
    summary.problems += chunk.problems
    if strict and chunk.quarantined:
        raise RowRejected("strict")
    records.add_qualifiers(chunk.qualifiers)
    records.add_records(chunk.records)
    statements = chunk.statements
    if chunk.replaced:
        statements = _carry_first_seen(records, chunk.replaced, statements)
    records.add_statements(statements)
    records.add_quarantine(summary.batch_id or 0, chunk.quarantined)


def _carry_first_seen(
    records: RecordRepository, replaced: dict[int, int], statements: list[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    """Keep first-seen dates of values a new version repeats from the version it supersedes."""
    known = records.first_seen(sorted(set(replaced.values())))
    out = []
    for row in statements:
        old = replaced.get(row[1])  # type: ignore[call-overload]
        first = known.get((old, row[2], row[4], row[5])) if old else None  # type: ignore[arg-type]
        out.append(row if first is None else (*row[:7], first, row[8]))
    return out


def _collection_event(
    actor: str, agency: str, mapping: MappingSpec, s: IngestSummary
) -> AuditEvent:
    return AuditEvent(
        AuditOperation.COLLECTION,
        actor,
        record_ids=(f"batch:{s.batch_id}",),
        detail={
            "agency": agency,
            "mapping": mapping.name,
            "mapping_version": mapping.version,
            "accepted": s.accepted,
            "rejected": s.rejected,
            "unchanged": s.unchanged,
            "superseded": s.superseded,
        },
        occurred_at=datetime.now(UTC).isoformat(),
    )


def _alteration_event(actor: str, agency: str, s: IngestSummary) -> AuditEvent:
    """Record that rows of this batch superseded earlier versions (which stay as history)."""
    return AuditEvent(
        AuditOperation.ALTERATION,
        actor,
        record_ids=(f"batch:{s.batch_id}",),
        detail={"agency": agency, "superseded": s.superseded},
    )


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return ""  # open_table reports a missing or unreadable file with a clear message
    return digest.hexdigest()


def _write_report(path: Path, problems: list[tuple[int, str, str]]) -> str | None:
    """Write row, column, reason beside the input; values are left in the input file."""
    report = path.with_name(f"{path.stem}.quarantine.csv")
    try:
        with report.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "column", "reason"])
            writer.writerows(problems)
    except OSError:
        return None
    return str(report)
