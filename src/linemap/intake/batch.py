"""Turn mapped rows into the rows to store: classify, number, qualify. Pure, no I/O.

A row whose agency reference is new becomes version 1; one whose content changed becomes the
next version, superseding the last; an unchanged row is counted and skipped; a row whose record
was erased is refused. Ids are allocated here, from the next free ids read under the write lock,
so each version's statements take one contiguous id range.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from linemap.intake.transform import Accepted, Rejected
from linemap.model.statement import KnownVersion, QualifierKey


@dataclass
class Prepared:
    """One chunk's rows to store, and what happened to each input row."""

    records: list[tuple[object, ...]] = field(default_factory=list)  # RECORD_COLUMNS
    statements: list[tuple[object, ...]] = field(default_factory=list)  # STATEMENT_COLUMNS
    qualifiers: list[tuple[int, QualifierKey]] = field(default_factory=list)
    quarantined: list[tuple[int, str, str]] = field(default_factory=list)  # row, problems, raw
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, reason
    replaced: dict[int, int] = field(default_factory=dict)  # new record id -> superseded id
    accepted: int = 0
    rejected: int = 0
    unchanged: int = 0
    superseded: int = 0
    progress: tuple[int, int] = (0, 0)


@dataclass
class BatchBuilder:
    """Carries what is known of stored records, and the next free ids, across chunks."""

    batch_id: int
    agency_id: int
    latest: dict[str, KnownVersion]
    qualifiers: dict[QualifierKey, int]
    next_record: int
    next_statement: int
    next_qualifier: int

    def add(self, results: list[Accepted | Rejected]) -> Prepared:
        """Prepare one chunk of mapped rows."""
        out = Prepared()
        for result in results:
            if isinstance(result, Rejected):
                _reject(out, result)
                continue
            prior = self.latest.get(result.source_ref)
            if prior is not None and prior.erased:
                reason = f"record {prior.id} was erased; re-import cannot collect it again"
                _reject(out, Rejected(result.number, [("", reason)], {}))
            elif prior is not None and prior.content_hash == result.content_hash:
                out.unchanged += 1
            else:
                self._accept(out, result, prior)
        return out

    def _accept(self, out: Prepared, result: Accepted, prior: KnownVersion | None) -> None:
        record_id = self.next_record
        self.next_record += 1
        first = next_id = self.next_statement
        qualifiers = self.qualifiers
        for key, schema, prop, value, original, qualifier in result.statements:
            qualifier_id = qualifiers.get(qualifier)
            if qualifier_id is None:
                qualifier_id = qualifiers[qualifier] = self.next_qualifier
                self.next_qualifier += 1
                out.qualifiers.append((qualifier_id, qualifier))
            out.statements.append(
                (next_id, record_id, key, schema, prop, value, original, None, qualifier_id)
            )
            next_id += 1
        self.next_statement = next_id
        version = prior.version + 1 if prior else 1
        out.records.append(
            (
                record_id,
                self.agency_id,
                result.source_ref,
                version,
                self.batch_id,
                result.number,
                result.content_hash,
                result.recorded_at,
                first,
                next_id - first,
                prior.id if prior else None,
            )
        )
        self.latest[result.source_ref] = KnownVersion(
            record_id, version, result.content_hash, False
        )
        out.accepted += 1
        if prior:
            out.replaced[record_id] = prior.id
            out.superseded += 1


def _reject(out: Prepared, result: Rejected) -> None:
    out.rejected += 1
    out.problems += [(result.number, column, reason) for column, reason in result.problems]
    problems = json.dumps([{"column": c, "reason": r} for c, r in result.problems])
    out.quarantined.append((result.number, problems, json.dumps(dict(result.values))))
