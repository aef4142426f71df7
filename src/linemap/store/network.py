"""Network snapshots: reading the statements a map is built from, and storing the map.

The read streams every current, unerased source record's statements of the schemas and
properties the map uses, a record at a time, packed into one string per record
(`store/packed.py`, as identity resolution reads person mentions), each carrying its qualifier
id. A snapshot is stored
whole and never edited: nodes, edges and findings go in set-based (COPY or executemany).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select
from sqlalchemy import update as sql_update

from linemap.store import packed
from linemap.store.db import bulk_insert, latest_finished
from linemap.store.tables import (
    import_batch,
    network_edge,
    network_finding,
    network_node,
    network_snapshot,
    qualifier,
    resolution_member,
    source_record,
)

CHUNK_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class SourceStatements:
    """One current source record's statements the map reads: (key, schema, prop, value,
    qualifier id) each, with the record's agency, mapping (its kind) and recorded date."""

    record_id: int
    agency: str
    mapping: str
    recorded: str | None
    statements: list[tuple[str, str, str, str, int]]


@dataclass(frozen=True)
class SnapshotInfo:
    """A stored snapshot's metadata."""

    id: int
    started_at: str
    finished_at: str | None
    actor: str
    resolution_run_id: int
    as_of: str
    records: int
    nodes: int
    edges: int
    summary: str | None


class NetworkRepository:
    """Reads what a map is built from; writes and reads snapshots."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def iter_sources(self, properties: Mapping[str, Collection[str]]) -> Iterator[SourceStatements]:
        """Yield every current, unerased record holding any of these properties of these
        schemas, with those statements (in no particular order)."""
        codes = packed.agency_codes(self.connection)
        mappings = {
            r.id: r.mapping
            for r in self.connection.execute(select(import_batch.c.id, import_batch.c.mapping))
        }
        wanted = {schema: frozenset(names) for schema, names in properties.items()}
        columns = (
            source_record.c.id,
            source_record.c.agency_id,
            source_record.c.batch_id,
            source_record.c.recorded_at,
        )
        for record_id, agency_id, batch_id, recorded, text in packed.iter_records(
            self.connection, packed.statements(), wanted, columns, CHUNK_ROWS
        ):
            found = [
                (key, schema, prop, value, int(qualifier_id))
                for key, schema, prop, value, qualifier_id in packed.unpack(text, wanted)
            ]
            yield SourceStatements(record_id, codes[agency_id], mappings[batch_id], recorded, found)

    def qualifiers(self) -> dict[int, tuple[str | None, ...]]:
        """Return every qualifier as (source, intelligence, handling, legacy grade,
        data-subject category, basis), by id."""
        rows = self.connection.execute(
            select(
                qualifier.c.id,
                qualifier.c.source_evaluation,
                qualifier.c.intelligence_assessment,
                qualifier.c.handling_code,
                qualifier.c.legacy_grading,
                qualifier.c.subject_category,
                qualifier.c.basis,
            )
        )
        return {r[0]: tuple(r[1:]) for r in rows}

    def persons(self, run_id: int) -> dict[str, str]:
        """Return the person of every mention in a resolution run, by entity id."""
        rows = self.connection.execute(
            select(resolution_member.c.entity_id, resolution_member.c.person_id)
            .where(resolution_member.c.run_id == run_id)
            .execution_options(yield_per=CHUNK_ROWS)
        )
        return {entity_id: person_id for entity_id, person_id in rows}

    def add_snapshot(self, **values: object) -> int:
        """Store a new snapshot's metadata and return its id."""
        return int(
            self.connection.execute(
                insert(network_snapshot)
                .values(records=0, nodes=0, edges=0, **values)
                .returning(network_snapshot.c.id)
            ).scalar_one()
        )

    def finish_snapshot(self, snapshot_id: int, **values: object) -> None:
        """Record the counts and summary of a completed snapshot."""
        self.connection.execute(
            sql_update(network_snapshot)
            .where(network_snapshot.c.id == snapshot_id)
            .values(**values)
        )

    def add_nodes(self, rows: Iterable[Sequence[object]]) -> None:
        """Store (snapshot id, node id, kind, key, attributes JSON) rows."""
        bulk_insert(
            self.connection,
            "network_node",
            ("snapshot_id", "node_id", "kind", "key", "attributes"),
            rows,
        )

    def add_edges(self, rows: Iterable[Sequence[object]]) -> None:
        """Store edge rows in `network_edge` column order."""
        bulk_insert(
            self.connection, "network_edge", tuple(c.name for c in network_edge.columns), rows
        )

    def add_findings(self, rows: Iterable[Sequence[object]]) -> None:
        """Store finding rows in `network_finding` column order."""
        bulk_insert(
            self.connection,
            "network_finding",
            tuple(c.name for c in network_finding.columns),
            rows,
        )

    def latest_snapshot(self) -> SnapshotInfo | None:
        """Return the newest finished snapshot, or None."""
        row = latest_finished(self.connection, network_snapshot, SnapshotInfo.__dataclass_fields__)
        return SnapshotInfo(*row) if row else None

    def findings(
        self, snapshot_id: int, kind: str
    ) -> list[tuple[str | None, int | None, str | None, float | None, str]]:
        """Return (line, node id, label, score, detail JSON) of a snapshot's findings of a kind,
        in finding order."""
        rows = self.connection.execute(
            select(
                network_finding.c.line,
                network_finding.c.node_id,
                network_finding.c.label,
                network_finding.c.score,
                network_finding.c.detail,
            )
            .where(network_finding.c.snapshot_id == snapshot_id, network_finding.c.kind == kind)
            .order_by(network_finding.c.finding_id)
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def node_keys(self, snapshot_id: int, node_ids: Collection[int]) -> dict[int, tuple[str, str]]:
        """Return (kind, key) of these nodes of a snapshot."""
        found: dict[int, tuple[str, str]] = {}
        ids = sorted(set(node_ids))
        for start in range(0, len(ids), 500):
            rows = self.connection.execute(
                select(network_node.c.node_id, network_node.c.kind, network_node.c.key).where(
                    network_node.c.snapshot_id == snapshot_id,
                    network_node.c.node_id.in_(ids[start : start + 500]),
                )
            )
            found.update({r.node_id: (r.kind, r.key) for r in rows})
        return found
