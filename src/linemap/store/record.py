"""Import batches, source records, qualifiers, statements and quarantined rows."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from linemap.errors import NotFound
from linemap.model.statement import (
    QUALIFIER_COLUMNS,
    RECORD_COLUMNS,
    STATEMENT_COLUMNS,
    KnownVersion,
    Qualifier,
    QualifierKey,
    Statement,
    make_entity_id,
)
from linemap.store import span
from linemap.store.db import bulk_insert
from linemap.store.span import RecordMarking
from linemap.store.tables import (
    agency,
    import_batch,
    qualifier,
    quarantine,
    source_record,
    statement,
)

ERASED_HASH = bytes(16)


@dataclass(frozen=True)
class RecordInfo:
    """Metadata of one version of a source record (no personal data)."""

    id: int
    agency_code: str
    source_ref: str
    version: int
    batch_id: int
    row_number: int
    recorded_at: str | None
    first_statement_id: int
    statement_count: int
    supersedes_id: int | None
    erased_at: str | None

    @property
    def statement_ids(self) -> tuple[int, int]:
        """Return the inclusive range of this version's statement ids."""
        return self.first_statement_id, self.first_statement_id + self.statement_count - 1


def _info(row: Any) -> RecordInfo:
    return RecordInfo(
        row.id,
        row.code,
        row.source_ref,
        row.version,
        row.batch_id,
        row.row_number,
        row.recorded_at,
        row.first_statement_id,
        row.statement_count,
        row.supersedes_id,
        row.erased_at,
    )


class RecordRepository:
    """Reads and writes the provenance store."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_batch(self, **values: object) -> int:
        """Store an import batch and return its id."""
        started = datetime.now(UTC).isoformat()
        counts = {"accepted": 0, "rejected": 0, "unchanged": 0, "superseded": 0}
        return int(
            self.connection.execute(
                insert(import_batch)
                .values(started_at=started, **counts, **values)
                .returning(import_batch.c.id)
            ).scalar_one()
        )

    def finish_batch(self, batch_id: int, counts: dict[str, int]) -> None:
        """Record the outcome counts of a batch."""
        self.connection.execute(
            update(import_batch).where(import_batch.c.id == batch_id).values(**counts)
        )

    def latest_versions(self, agency_id: int) -> dict[str, KnownVersion]:
        """Return, for every source reference of an agency, its newest version."""
        rows = self.connection.execute(
            select(
                source_record.c.source_ref,
                source_record.c.id,
                source_record.c.version,
                source_record.c.content_hash,
                source_record.c.erased_at,
            )
            .where(source_record.c.agency_id == agency_id)
            .order_by(source_record.c.version)
        )
        return {
            r.source_ref: KnownVersion(r.id, r.version, bytes(r.content_hash), bool(r.erased_at))
            for r in rows
        }

    def next_ids(self) -> tuple[int, int, int]:
        """Return the next free record, statement and qualifier ids; call under the write lock."""
        ids = [
            int(self.connection.execute(select(func.max(column))).scalar() or 0) + 1
            for column in (source_record.c.id, statement.c.id, qualifier.c.id)
        ]
        return ids[0], ids[1], ids[2]

    def qualifiers(self) -> dict[QualifierKey, int]:
        """Return every stored qualifier by its key."""
        rows = self.connection.execute(select(qualifier))
        return {tuple(r[1:]): r.id for r in rows}

    def add_qualifiers(self, rows: Sequence[tuple[int, QualifierKey]]) -> None:
        """Store new qualifiers given as (id, key)."""
        if rows:
            self.connection.execute(
                insert(qualifier),
                [{"id": i, **dict(zip(QUALIFIER_COLUMNS, key, strict=True))} for i, key in rows],
            )

    def add_records(self, rows: Sequence[Sequence[object]]) -> None:
        """Bulk-insert source records given in RECORD_COLUMNS order."""
        if rows:
            bulk_insert(self.connection, "source_record", RECORD_COLUMNS, rows)

    def add_statements(self, rows: Iterable[Sequence[object]]) -> None:
        """Bulk-insert statements given in STATEMENT_COLUMNS order."""
        bulk_insert(self.connection, "statement", STATEMENT_COLUMNS, rows)

    def add_quarantine(self, batch_id: int, rows: Sequence[tuple[int, str, str]]) -> None:
        """Store rejected rows as (row_number, problems JSON, raw JSON)."""
        if rows:
            self.connection.execute(
                insert(quarantine),
                [
                    {"batch_id": batch_id, "row_number": n, "problems": p, "raw": raw}
                    for n, p, raw in rows
                ],
            )

    def first_seen(self, record_ids: Sequence[int]) -> dict[tuple[int, str, str, str], str]:
        """Return when each value of these versions was first seen, keyed by
        (record id, entity key, property, value)."""
        found: dict[tuple[int, str, str, str], str] = {}
        for start in range(0, len(record_ids), span.CHUNK):
            chunk = record_ids[start : start + span.CHUNK]
            records = self.connection.execute(
                select(
                    source_record.c.id,
                    source_record.c.first_statement_id,
                    source_record.c.statement_count,
                    source_record.c.recorded_at,
                ).where(source_record.c.id.in_(chunk))
            ).all()
            recorded = {r.id: r.recorded_at for r in records}
            if (spans := span.spans(records)) is None:
                continue
            rows = self.connection.execute(
                span.in_spans(
                    spans,
                    statement.c.source_record_id,
                    statement.c.entity_key,
                    statement.c.prop,
                    statement.c.value,
                    statement.c.first_seen,
                )
            )
            for r in rows:
                seen = r.first_seen or recorded[r.source_record_id]
                if seen:
                    found[(r.source_record_id, r.entity_key, r.prop, r.value)] = seen
        return found

    def _records(self, *conditions: Any) -> list[RecordInfo]:
        rows = self.connection.execute(
            select(source_record, agency.c.code)
            .join(agency, agency.c.id == source_record.c.agency_id)
            .where(*conditions)
            .order_by(source_record.c.version)
        )
        return [_info(r) for r in rows]

    def get_record(self, record_id: int) -> RecordInfo:
        """Return one version's metadata or raise NotFound."""
        found = self._records(source_record.c.id == record_id)
        if not found:
            raise NotFound(f"no source record with id {record_id}; check the id")
        return found[0]

    def find_current(self, agency_code: str, source_ref: str) -> RecordInfo | None:
        """Return the latest version of a source record unless it was erased, else None."""
        found = self._records(
            agency.c.code == agency_code, source_record.c.source_ref == source_ref
        )
        return found[-1] if found and found[-1].erased_at is None else None

    def markings(self, record_ids: Iterable[int]) -> dict[int, RecordMarking]:
        """Return, per record holding statements, its agency, mapping and distinct qualifiers."""
        return span.markings(self.connection, record_ids)

    def recent_batches(self, agency_code: str, limit: int = 10) -> list[dict[str, object]]:
        """Return the newest import batches of an agency (metadata and counts only)."""
        rows = self.connection.execute(
            select(
                import_batch.c.id,
                import_batch.c.mapping,
                import_batch.c.file_name,
                import_batch.c.actor,
                import_batch.c.started_at,
                import_batch.c.accepted,
                import_batch.c.rejected,
                import_batch.c.unchanged,
                import_batch.c.superseded,
            )
            .join(agency, agency.c.id == import_batch.c.agency_id)
            .where(agency.c.code == agency_code)
            .order_by(import_batch.c.id.desc())
            .limit(limit)
        )
        return [dict(r._mapping) for r in rows]

    def batch_mapping(self, batch_id: int) -> str:
        """Return the mapping name a batch was ingested with."""
        return str(
            self.connection.execute(
                select(import_batch.c.mapping).where(import_batch.c.id == batch_id)
            ).scalar_one()
        )

    def versions(self, record_id: int) -> list[RecordInfo]:
        """Return every version of the source record that `record_id` is one version of."""
        info = self.get_record(record_id)
        return self._records(
            agency.c.code == info.agency_code, source_record.c.source_ref == info.source_ref
        )

    def statements(self, record_id: int) -> list[Statement]:
        """Return the statements of one version, in the order they were recorded."""
        found = self.statements_of([record_id])
        if record_id not in found:
            raise NotFound(f"no source record with id {record_id}; check the id")
        return found[record_id]

    def statements_of(
        self, record_ids: Iterable[int], entity_ids: Collection[str] | None = None
    ) -> dict[int, list[Statement]]:
        """Return the statements of each of these versions (that exist), in recorded order;
        only those about `entity_ids` when given.

        One query per CHUNK records for their statements (literal id ranges, no ORDER BY: the
        rows are sorted here), one for their metadata and one for the qualifiers they use.
        """
        keys = sorted({e.partition("#")[2] for e in entity_ids or ()})
        out: dict[int, list[Statement]] = {}
        ids = sorted(set(record_ids))
        for start in range(0, len(ids), span.CHUNK):
            chunk = ids[start : start + span.CHUNK]
            infos = {i.id: i for i in self._records(source_record.c.id.in_(chunk))}
            out.update((record_id, []) for record_id in infos)
            if (spans := span.spans(infos.values())) is None:
                continue
            query = span.in_spans(spans, *span.STATEMENT_FIELDS)
            if entity_ids is not None:  # entity keys narrow it; the full ids are checked below
                query = query.where(statement.c.entity_key.in_(keys))
            rows = sorted(self.connection.execute(query), key=itemgetter(0))  # by id: as recorded
            used = span.qualifier_keys(self.connection, {r[-1] for r in rows})
            qualifiers = {q: Qualifier(*key) for q, key in used.items()}
            for sid, record_id, key, schema, prop, value, original, seen, q in rows:
                info = infos[record_id]
                entity_id = make_entity_id(info.agency_code, info.source_ref, key)
                if entity_ids is not None and entity_id not in entity_ids:
                    continue
                out[record_id].append(
                    Statement(
                        sid,
                        entity_id,
                        schema,
                        prop,
                        value,
                        original if original is not None else value,
                        record_id,
                        info.agency_code,
                        info.recorded_at,
                        seen or info.recorded_at,
                        info.recorded_at,
                        qualifiers[q],
                    )
                )
        return out

    def erase(self, versions: Sequence[RecordInfo], at: str) -> int:
        """Purge the statements of these versions and mark them erased; return how many went."""
        ranges = [statement.c.id.between(*v.statement_ids) for v in versions if v.statement_count]
        purged = (
            self.connection.execute(delete(statement).where(or_(*ranges))).rowcount if ranges else 0
        )
        self.connection.execute(
            update(source_record)
            .where(source_record.c.id.in_([v.id for v in versions]))
            .values(erased_at=at, content_hash=ERASED_HASH)
        )
        return int(purged or 0)

    def quarantined(self, batch_id: int) -> list[dict[str, object]]:
        """Return the quarantined rows of a batch, with their problems decoded."""
        rows = self.connection.execute(
            select(quarantine).where(quarantine.c.batch_id == batch_id).order_by(quarantine.c.id)
        )
        return [
            {"row_number": r.row_number, "problems": json.loads(r.problems), "raw": r.raw}
            for r in rows
        ]

    def iter_record_keys(self) -> Iterator[str]:
        """Yield "AGENCY:SOURCE_REF" of every source record not erased, once each."""
        rows = self.connection.execute(
            select(agency.c.code, source_record.c.source_ref)
            .join(agency, agency.c.id == source_record.c.agency_id)
            .where(source_record.c.erased_at.is_(None))
            .distinct()
        )
        for row in rows:
            yield f"{row.code}:{row.source_ref}"

    def iter_quarantined(self) -> Iterator[tuple[str, str, str]]:
        """Yield (agency code, mapping name, raw row JSON) of every quarantined row."""
        rows = self.connection.execute(
            select(agency.c.code, import_batch.c.mapping, quarantine.c.raw)
            .join(import_batch, import_batch.c.id == quarantine.c.batch_id)
            .join(agency, agency.c.id == import_batch.c.agency_id)
            .order_by(quarantine.c.id)
        )
        for row in rows:
            yield row.code, row.mapping, row.raw

    def count(self, table: str) -> int:
        """Return the number of rows in a provenance table (for summaries and tests)."""
        tables = {"source_record": source_record, "statement": statement, "quarantine": quarantine}
        query = select(func.count()).select_from(tables[table])
        return int(self.connection.execute(query).scalar_one())
