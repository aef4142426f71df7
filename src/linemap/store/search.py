"""The search index: terms derived from statements, and lookups over them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from linemap.store.db import bulk_insert
from linemap.store.tables import agency, search_head, search_term, source_record, statement

MAX_MATCHES = 5_000  # per search part; a search matching more than this is too broad to show


def _next(prefix: str) -> str:
    """Return the smallest string after every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


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
        """Yield (record id, superseded id, entity id, schema, prop, value) of new records."""
        schemas = sorted(wanted)
        props = sorted({p for props in wanted.values() for p in props})
        rows = self.connection.execute(
            select(
                source_record.c.id,
                source_record.c.supersedes_id,
                agency.c.code,
                source_record.c.source_ref,
                statement.c.entity_key,
                statement.c.schema,
                statement.c.prop,
                statement.c.value,
            )
            .select_from(source_record)
            .join(agency, agency.c.id == source_record.c.agency_id)
            .join(
                statement,
                and_(
                    statement.c.id >= source_record.c.first_statement_id,
                    statement.c.id
                    < source_record.c.first_statement_id + source_record.c.statement_count,
                ),
            )
            .where(
                source_record.c.id > after,
                source_record.c.id <= until,
                source_record.c.erased_at.is_(None),
                statement.c.schema.in_(schemas),
                statement.c.prop.in_(props),
            )
            .order_by(statement.c.id)
        )
        for r in rows:
            yield (
                r.id,
                r.supersedes_id,
                f"{r.code}:{r.source_ref}#{r.entity_key}",
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

    def match(
        self,
        field: str,
        *,
        equals: Sequence[str] = (),
        prefix: str | None = None,
        alternative: tuple[str, str] | None = None,
    ) -> set[tuple[str, int]]:
        """Return (entity id, record id) whose term in `field` equals one of `equals` or starts
        with `prefix`, or whose term in another field equals a value (`alternative`)."""
        term = search_term.c.term
        options = []
        if equals:
            options.append(and_(search_term.c.field == field, term.in_(list(equals))))
        if prefix:
            options.append(and_(search_term.c.field == field, term >= prefix, term < _next(prefix)))
        if alternative:
            options.append(and_(search_term.c.field == alternative[0], term == alternative[1]))
        if not options:
            return set()
        rows = self.connection.execute(
            select(search_term.c.entity_id, search_term.c.record_id)
            .where(or_(*options))
            .distinct()
            .limit(MAX_MATCHES)
        )
        return {(r.entity_id, r.record_id) for r in rows}
