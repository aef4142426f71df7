"""The search index: terms derived from statements, and lookups over them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    Select,
    delete,
    func,
    insert,
    intersect,
    select,
    union_all,
    update,
)

from linemap.store.db import analyse, bulk_insert, vacuum
from linemap.store.tables import (
    agency,
    qualifier,
    search_head,
    search_term,
    source_record,
    statement,
)

Hit = tuple[str, int]  # (entity id, source record id)


@dataclass(frozen=True)
class Term:
    """One way a search part may match: a term of `field` equal to one of `equals`, or
    starting with `prefix`."""

    field: str
    equals: tuple[str, ...] = ()
    prefix: str | None = None


Part = Sequence[Term]  # a row matches a part when it matches any of its terms


def _next(prefix: str) -> str:
    """Return the smallest string after every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _matching(part: Part, *columns: ColumnElement[Any]) -> Select[Any]:
    """Return a select of `columns` of the rows matching any term of `part`.

    One select per term, joined by UNION ALL rather than OR, so that each is one range of the
    covering index (term, field, entity_id, record_id) and none reads the table itself.
    """
    term = search_term.c.term
    selects: list[Select[Any]] = []
    for option in part:
        base = select(*columns).where(search_term.c.field == option.field)
        if option.equals:
            selects.append(base.where(term.in_(list(option.equals))))
        if option.prefix:
            selects.append(base.where(term >= option.prefix, term < _next(option.prefix)))
    if not selects:
        raise ValueError("a search part needs at least one term")
    if len(selects) == 1:
        return selects[0]
    # SQLite takes no parenthesised compound inside another (the INTERSECT): use a subquery.
    union = union_all(*selects).subquery()
    return select(*union.c)


def _intersection(selects: Sequence[Select[Any]]) -> Select[Any] | CompoundSelect[Any]:
    """Return the rows every select returns."""
    return selects[0] if len(selects) == 1 else intersect(*selects)


def tidy(engine: Engine) -> None:
    """Vacuum and analyse the index after a refresh, so searches read the index alone, and
    analyse the records and statements the refresh follows (each import refreshes the index),
    so that the planner knows how many there are."""
    vacuum(engine, search_term.name)
    analyse(engine, (source_record.name, statement.name, qualifier.name))


class SearchRepository:
    """Reads and writes the search index."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def head(self) -> int:
        """Return the id of the last source record indexed (0 when none)."""
        found = self.connection.execute(select(search_head.c.record_id)).scalar()
        return int(found or 0)

    def set_head(self, record_id: int) -> None:
        """Record that every source record up to `record_id` is indexed."""
        done = self.connection.execute(update(search_head).values(record_id=record_id)).rowcount
        if not done:
            self.connection.execute(insert(search_head).values(id=1, record_id=record_id))

    def last_record_id(self) -> int:
        """Return the newest source record id (0 when none)."""
        return int(self.connection.execute(select(func.max(source_record.c.id))).scalar() or 0)

    def iter_unindexed(
        self, after: int, until: int, wanted: Mapping[str, frozenset[str]]
    ) -> Iterator[tuple[int, int | None, str, str, str, str]]:
        """Yield (record id, superseded id, entity id, schema, prop, value) of new records.

        Two primary-key range scans, no join: the records of the step, then the statements
        between the lowest and highest statement id those records hold (literal bounds). A join
        on the per-record range (id between first_statement_id and first + count) is planned by
        PostgreSQL as a nested loop over every statement per record and does not finish at
        100,000 records.
        """
        records = {
            r.id: r
            for r in self.connection.execute(
                select(
                    source_record.c.id,
                    source_record.c.supersedes_id,
                    source_record.c.first_statement_id,
                    source_record.c.statement_count,
                    agency.c.code,
                    source_record.c.source_ref,
                )
                .join(agency, agency.c.id == source_record.c.agency_id)
                .where(
                    source_record.c.id > after,
                    source_record.c.id <= until,
                    source_record.c.erased_at.is_(None),
                    source_record.c.statement_count > 0,
                )
            )
        }
        if not records:
            return
        low = min(r.first_statement_id for r in records.values())
        high = max(r.first_statement_id + r.statement_count - 1 for r in records.values())
        rows = self.connection.execute(
            select(
                statement.c.source_record_id,
                statement.c.entity_key,
                statement.c.schema,
                statement.c.prop,
                statement.c.value,
            )
            .where(
                statement.c.id.between(low, high),
                statement.c.schema.in_(sorted(wanted)),
                statement.c.prop.in_(sorted({p for props in wanted.values() for p in props})),
            )
            .order_by(statement.c.id)
        )
        for r in rows:
            record = records.get(r.source_record_id)
            if record is None:  # a statement of a record outside the step (or erased)
                continue
            yield (
                record.id,
                record.supersedes_id,
                f"{record.code}:{record.source_ref}#{r.entity_key}",
                r.schema,
                r.prop,
                r.value,
            )

    def add_terms(self, rows: Sequence[tuple[str, str, str, int]]) -> None:
        """Store (term, field, entity id, record id) rows."""
        if rows:
            bulk_insert(
                self.connection, "search_term", ("term", "field", "entity_id", "record_id"), rows
            )

    def purge(self, record_ids: Sequence[int]) -> None:
        """Drop the terms of records superseded or erased."""
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            self.connection.execute(delete(search_term).where(search_term.c.record_id.in_(chunk)))

    def find(
        self, people: Sequence[Part], records: Sequence[Part], limit: int
    ) -> tuple[list[Hit], bool]:
        """Return up to `limit` (entity id, record id), ordered, and whether more matched.

        Each of `people` must match the same entity (names, a date of birth); each of `records`
        (a postcode, a district, a phone) must match somewhere in the same source record. With
        no `people`, the hits are the entities matching any of `records`. The parts are
        intersected in the database and only then limited, so nobody is lost to a limit on
        one part.
        """
        if not people and not records:
            return [], False
        pair = (search_term.c.entity_id, search_term.c.record_id)
        if people:
            hits = _intersection([_matching(part, *pair) for part in people]).subquery()
        else:
            hits = union_all(*[_matching(part, *pair) for part in records]).subquery()
        query = select(hits.c.entity_id, hits.c.record_id).distinct()
        if records:
            common = _intersection([_matching(part, search_term.c.record_id) for part in records])
            query = query.where(hits.c.record_id.in_(common))
        rows = self.connection.execute(
            query.order_by(hits.c.record_id, hits.c.entity_id).limit(limit + 1)
        ).all()
        return [(r.entity_id, r.record_id) for r in rows[:limit]], len(rows) > limit
