"""Reads for equality monitoring: the latest assessment run's flagged people, the latest
snapshot's role holders, and what the records each person was resolved from say of them (the
Person statements of a few properties: ethnicity, sex, gender, birth date).

The service counts these into aggregates; nothing read here is shown. A person is a person id
of a resolution run, or (a mention the run left out, as the map keeps it) an entity id
"AGENCY:SOURCE_REF#key", read from the current version of its record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from linemap.store import span
from linemap.store.db import latest_finished
from linemap.store.tables import (
    agency,
    assessment_run,
    flag,
    network_finding,
    network_node,
    resolution_member,
    source_record,
    statement,
)

CHUNK = 500  # people per query


@dataclass(frozen=True)
class AssessmentInfo:
    """A finished assessment run: its resolution run and the day ages are judged on."""

    id: int
    resolution_run_id: int
    as_of: str
    criteria: str


Values = dict[str, list[tuple[str, str]]]  # person -> (property, value) of each statement


class EqualityRepository:
    """Reads the people behind flags and roles, and their recorded characteristics."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def latest_assessment(self) -> AssessmentInfo | None:
        """Return the newest finished assessment run, or None."""
        row = latest_finished(self.connection, assessment_run, AssessmentInfo.__dataclass_fields__)
        return AssessmentInfo(*row) if row else None

    def flagged(self, run_id: int) -> set[str]:
        """Return the people an assessment run flagged."""
        rows = self.connection.execute(
            select(flag.c.person_id).where(flag.c.run_id == run_id).distinct()
        )
        return {r.person_id for r in rows}

    def role_holders(self, snapshot_id: int) -> dict[str, set[str]]:
        """Return the people (node keys) holding each role in a snapshot, by role."""
        rows = self.connection.execute(
            select(network_finding.c.label, network_node.c.key)
            .join(
                network_node,
                (network_node.c.snapshot_id == network_finding.c.snapshot_id)
                & (network_node.c.node_id == network_finding.c.node_id),
            )
            .where(network_finding.c.snapshot_id == snapshot_id, network_finding.c.kind == "role")
        )
        found: dict[str, set[str]] = defaultdict(set)
        for role, key in rows:
            found[role].add(key)
        return dict(found)

    def values(self, run_id: int, people: Collection[str], props: Collection[str]) -> Values:
        """Return what the Person statements of each person's mentions in a run say, for these
        properties (a mention the run left out: its record's current version)."""
        found: Values = defaultdict(list)
        ids = sorted(set(people))
        seen: set[str] = set()
        for start in range(0, len(ids), CHUNK):
            members = self.connection.execute(
                select(
                    resolution_member.c.person_id,
                    resolution_member.c.entity_id,
                    resolution_member.c.record_id,
                ).where(
                    resolution_member.c.run_id == run_id,
                    resolution_member.c.person_id.in_(ids[start : start + CHUNK]),
                )
            ).all()
            seen.update(m.person_id for m in members)
            self._read(found, [(m.person_id, m.entity_id, m.record_id) for m in members], props)
        for entity_id in (i for i in ids if i not in seen and "#" in i):
            record_id = self._current_record(entity_id)
            if record_id is not None:
                self._read(found, [(entity_id, entity_id, record_id)], props)
        return dict(found)

    def _current_record(self, entity_id: str) -> int | None:
        """Return the current, unerased version of the record an entity id names."""
        code, _, source_ref = entity_id.rpartition("#")[0].partition(":")
        found = self.connection.execute(
            select(source_record.c.id)
            .join(agency, agency.c.id == source_record.c.agency_id)
            .where(
                agency.c.code == code,
                source_record.c.source_ref == source_ref,
                source_record.c.erased_at.is_(None),
            )
            .order_by(source_record.c.version.desc())
            .limit(1)
        ).scalar()
        return int(found) if found is not None else None

    def _read(
        self, found: Values, mentions: Iterable[tuple[str, str, int]], props: Collection[str]
    ) -> None:
        """Add the statements of (person, entity id, record id) mentions to `found`."""
        person_of = {(r, e.rpartition("#")[2]): p for p, e, r in mentions}
        ids = sorted({r for r, _ in person_of})
        for start in range(0, len(ids), span.CHUNK):
            records = self.connection.execute(
                select(
                    source_record.c.id,
                    source_record.c.first_statement_id,
                    source_record.c.statement_count,
                ).where(
                    source_record.c.id.in_(ids[start : start + span.CHUNK]),
                    source_record.c.erased_at.is_(None),
                )
            ).all()
            ranges = span.spans(records)
            if ranges is None:
                continue
            query: Any = span.in_spans(
                ranges,
                statement.c.source_record_id,
                statement.c.entity_key,
                statement.c.prop,
                statement.c.value,
            ).where(statement.c.schema == "Person", statement.c.prop.in_(sorted(props)))
            for record_id, key, prop, value in self.connection.execute(query):
                if (person := person_of.get((record_id, key))) is not None:
                    found[person].append((prop, value))
