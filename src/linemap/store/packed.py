"""Reading many records' statements fast: one row per record, its statements packed into one
string by the database (SQLite's group_concat, PostgreSQL's string_agg). A million records are
then a million rows rather than six million, which is most of the cost of reading them.

Used by identity resolution (person mentions) and the network map (everything it keys on).
Statements are packed as fields joined by the unit separator, records' statements by the
record separator; a value holding either has it replaced by a space.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, and_, cast, func, literal, select

from linemap.store.tables import agency, source_record, statement

UNIT, RECORD = "\x1f", "\x1e"


def clean(column: ColumnElement[str]) -> ColumnElement[str]:
    """Return a text column with both separators replaced by a space."""
    return func.replace(func.replace(column, literal(RECORD), " "), literal(UNIT), " ")


def pack(*fields: ColumnElement[str]) -> ColumnElement[str]:
    """Return the fields joined by the unit separator."""
    packed = fields[0]
    for field in fields[1:]:
        packed = packed + literal(UNIT) + field
    return packed


def statements(*, with_id: bool = False) -> ColumnElement[str]:
    """Pack a statement as "[id,] key, schema, prop, value, qualifier id"."""
    fields = (
        statement.c.entity_key,
        statement.c.schema,
        statement.c.prop,
        clean(statement.c.value),
        cast(statement.c.qualifier_id, String),
    )
    return pack(cast(statement.c.id, String), *fields) if with_id else pack(*fields)


def unpack(
    text: str, wanted: Mapping[str, Collection[str]], *, with_id: bool = False
) -> Iterator[list[str]]:
    """Yield the fields of each packed statement whose schema and property are wanted."""
    at = 2 if with_id else 1  # where the schema is
    for item in text.split(RECORD):
        fields = item.split(UNIT)
        if fields[at + 1] in wanted.get(fields[at], ()):
            yield fields


def agency_codes(connection: Connection) -> dict[int, str]:
    """Return every agency's code by id."""
    return {r.id: r.code for r in connection.execute(select(agency.c.id, agency.c.code))}


def iter_records(
    connection: Connection,
    packed: ColumnElement[str],
    properties: Mapping[str, Collection[str]],
    columns: Sequence[ColumnElement[Any]],
    yield_per: int = 20_000,
) -> Iterator[tuple[Any, ...]]:
    """Yield (*columns, packed statements) for each current, unerased record holding any of
    the given properties of the given schemas, by record id. The caller still checks each
    statement's property against its schema (the filter here is on each set alone).

    The few superseded records are read first and skipped here: a correlated NOT EXISTS on
    `supersedes_id`, which has no index, scans the whole table once per record.
    """
    superseded = set(
        connection.execute(
            select(source_record.c.supersedes_id).where(source_record.c.supersedes_id.is_not(None))
        ).scalars()
    )
    props = sorted({p for names in properties.values() for p in names})
    end = source_record.c.first_statement_id + source_record.c.statement_count
    rows = connection.execute(
        select(*columns, func.aggregate_strings(packed, RECORD))
        .select_from(source_record)
        .join(
            statement,
            and_(
                statement.c.id >= source_record.c.first_statement_id,
                statement.c.id < end,
            ),
        )
        .where(
            source_record.c.erased_at.is_(None),
            statement.c.schema.in_(sorted(properties)),
            statement.c.prop.in_(props),
        )
        # By the primary key alone (PostgreSQL takes the other columns as functionally
        # dependent): with more, SQLite sorts a million groups again for the ORDER BY.
        .group_by(source_record.c.id)
        .order_by(source_record.c.id)
        .execution_options(yield_per=yield_per)
    )
    for row in rows:
        if row[0] in superseded or not row[-1]:
            continue
        yield tuple(row)
