"""Ingest an agency export: validate, normalise, store statements with provenance, audit.

The good rows of a file land in one transaction with their audit event, or nothing lands: an
unreadable file, a mapping that does not fit, or (with strict) any bad row rolls it all back.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from linemap.errors import InvalidInput, MappingError, RowRejected
from linemap.governance.audit import AuditEvent
from linemap.intake.mapping import MappingSpec, load_mapping
from linemap.intake.pipeline import bulk_allocation, iter_chunks
from linemap.intake.reader import open_table
from linemap.intake.transform import Accepted, Rejected, RowPlan
from linemap.model.statement import QualifierKey
from linemap.model.vocabulary import AuditOperation
from linemap.settings import Settings
from linemap.store.record import LatestVersion, RecordRepository
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
        data = asdict(self)
        data.pop("problems")
        return data


@dataclass
class _Batch:
    """State carried across the chunks of one ingest."""

    batch_id: int
    agency_id: int
    latest: dict[str, LatestVersion]
    summary: IngestSummary
    strict: bool
    next_record: int = 0
    next_statement: int = 0
    next_qualifier: int = 0
    qualifiers: dict[QualifierKey, int] = field(default_factory=dict)

    @classmethod
    def start(
        cls, records: RecordRepository, batch_id: int, agency_id: int, strict: bool
    ) -> _Batch:
        """Load what the batch needs to know of what is already stored."""
        batch = cls(
            batch_id,
            agency_id,
            records.latest_versions(agency_id),
            IngestSummary(),
            strict,
            qualifiers=records.qualifiers(),
        )
        batch.next_record, batch.next_statement, batch.next_qualifier = records.next_ids()
        return batch


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
    summary = IngestSummary()  # replaced by the batch's once the transaction has begun
    try:
        with uow.write() as tx:
            agency = tx.directory.get_agency(agency_code.upper())
            with open_table(path) as table:
                _check_fit(mapping, agency.kind.value, agency.code, table.columns)
            plan = RowPlan(mapping, agency.code, date.today())
            batch_id = tx.records.add_batch(
                agency_id=agency.id,
                mapping=mapping.name,
                mapping_digest=mapping.digest,
                file_name=path.name,
                file_digest=digest,
                actor=settings.actor,
            )
            batch = _Batch.start(tx.records, batch_id, agency.id, strict)
            summary = batch.summary
            with bulk_allocation():
                for results, done in iter_chunks(path, plan, settings.ingest_chunk_rows):
                    _store_chunk(tx.records, batch, results)
                    if progress:
                        progress(*done)
            counts = summary.counts()
            tx.records.finish_batch(
                batch.batch_id,
                {k: int(counts[k]) for k in ("accepted", "rejected", "unchanged", "superseded")},
            )
            summary.batch_id = batch.batch_id
            tx.audit.append(_collection_event(settings.actor, agency.code, mapping, batch))
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
    missing = [c for c in mapping.columns if c not in columns]
    if missing:
        raise MappingError(
            f"the file lacks column(s) {', '.join(missing)} that mapping {mapping.name} reads; "
            f"check the file is a {mapping.title} export or write a mapping for it"
        )


def _store_chunk(
    records: RecordRepository, batch: _Batch, results: list[Accepted | Rejected]
) -> None:
    new_records: list[tuple[object, ...]] = []
    statements: list[tuple[object, ...]] = []
    new_qualifiers: list[tuple[int, QualifierKey]] = []
    quarantined: list[tuple[int, str, str]] = []
    replaced: dict[int, int] = {}  # new record id -> the id it supersedes
    for result in results:
        if isinstance(result, Rejected):
            _reject(batch, result, quarantined)
            continue
        prior = batch.latest.get(result.source_ref)
        if prior is not None and prior.erased:
            reason = f"record {prior.id} was erased; re-import cannot collect it again"
            _reject(batch, Rejected(result.number, [("", reason)], {}), quarantined)
            continue
        if prior is not None and prior.content_hash == result.content_hash:
            batch.summary.unchanged += 1
            continue
        record_id = batch.next_record
        batch.next_record += 1
        first = batch.next_statement
        for key, schema, prop, value, original, qualifier in result.statements:
            qualifier_id = batch.qualifiers.get(qualifier)
            if qualifier_id is None:
                qualifier_id = batch.qualifiers[qualifier] = batch.next_qualifier
                batch.next_qualifier += 1
                new_qualifiers.append((qualifier_id, qualifier))
            statements.append(
                (
                    batch.next_statement,
                    record_id,
                    key,
                    schema,
                    prop,
                    value,
                    original,
                    None,
                    qualifier_id,
                )
            )
            batch.next_statement += 1
        version = prior.version + 1 if prior else 1
        new_records.append(
            (
                record_id,
                batch.agency_id,
                result.source_ref,
                version,
                batch.batch_id,
                result.number,
                result.content_hash,
                result.recorded_at,
                first,
                batch.next_statement - first,
                prior.id if prior else None,
            )
        )
        batch.latest[result.source_ref] = LatestVersion(
            record_id, version, result.content_hash, False
        )
        if prior:
            replaced[record_id] = prior.id
            batch.summary.superseded += 1
        batch.summary.accepted += 1
    if batch.strict and quarantined:
        raise RowRejected("strict")
    records.add_qualifiers(new_qualifiers)
    records.add_records(new_records)
    if replaced:
        statements = _carry_first_seen(records, replaced, statements)
    records.add_statements(statements)
    records.add_quarantine(batch.batch_id, quarantined)


def _reject(batch: _Batch, result: Rejected, quarantined: list[tuple[int, str, str]]) -> None:
    batch.summary.rejected += 1
    for column, reason in result.problems:
        batch.summary.problems.append((result.number, column, reason))
    problems = json.dumps([{"column": c, "reason": r} for c, r in result.problems])
    quarantined.append((result.number, problems, json.dumps(dict(result.values))))


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


def _collection_event(actor: str, agency: str, mapping: MappingSpec, batch: _Batch) -> AuditEvent:
    s = batch.summary
    return AuditEvent(
        AuditOperation.COLLECTION,
        actor,
        record_ids=(f"batch:{batch.batch_id}",),
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
