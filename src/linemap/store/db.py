"""Engines and every difference between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, make_url, select, text
from sqlalchemy.exc import ArgumentError

from linemap.errors import ConfigurationError

# Any fixed number: the advisory lock every writer of ids or audit events takes on PostgreSQL.
WRITE_LOCK_KEY = 7_260_315_001


def make_engine(url: str) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL, configured for durability."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            f"not a database URL: {url!r}; use sqlite:///FILE or postgresql+psycopg://HOST/DB"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).parent.exists():
            raise ConfigurationError(
                f"the folder for the SQLite database {database!r} does not exist; create it"
            )
        engine = create_engine(url, connect_args={"timeout": 60})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # No JIT: it compiles the searches' set operations at every call, tens of milliseconds
        # spent to save a few on queries that read an index range.
        given = parsed.query.get("options")
        options = " ".join([*([given] if isinstance(given, str) else given or []), "-c jit=off"])
        return create_engine(parsed, pool_pre_ping=True, connect_args={"options": options})
    raise ConfigurationError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE can be issued (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")  # R34: durable commits
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB: bulk ingests spill less
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Writers take the database write lock up front, so reading the audit head and
        # allocating ids cannot race another writer.
        mode = "IMMEDIATE" if connection.get_execution_options().get("linemap_write") else ""
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def is_postgresql(connection: Connection) -> bool:
    """Return whether the connection is to PostgreSQL."""
    return connection.dialect.name == "postgresql"


def take_write_lock(connection: Connection) -> None:
    """Serialise writers of ids and audit events until the transaction ends."""
    if is_postgresql(connection):
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
    # SQLite: the write transaction began IMMEDIATE, which already holds the write lock.


def vacuum(engine: Engine, table: str) -> None:
    """Set a bulk-written table's visibility map and statistics now (PostgreSQL; SQLite: no-op).

    An index-only scan skips the table only on pages the visibility map marks all-visible, and
    autovacuum (when it is on at all) gets there in its own time: until then every index hit
    is also a table read. VACUUM cannot run inside a transaction, hence its own connection.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))


def analyse(engine: Engine, tables: Sequence[str]) -> None:
    """Refresh the planner's statistics of bulk-written tables now (PostgreSQL; SQLite: no-op).

    A table written in bulk keeps the statistics it had before until autovacuum (when it is on
    at all) analyses it; planning the range joins of `packed.py` on a freshly loaded table as
    if it were empty turns them into nested loops over every statement (48 s instead of 1.5 s
    for the small simulated region's map).
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.execute(text(f'ANALYZE "{table}"'))


def latest_finished(
    connection: Connection, table: Table, columns: Iterable[str]
) -> tuple[Any, ...] | None:
    """Return these columns of the newest finished row of a versioned run table (a resolution
    run, a snapshot, an assessment run: `id` and `finished_at`), or None."""
    row = connection.execute(
        select(*[table.c[name] for name in columns])
        .where(table.c.finished_at.is_not(None))
        .order_by(table.c.id.desc())
        .limit(1)
    ).first()
    return tuple(row) if row else None


def bulk_insert(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert many rows set-based: COPY on PostgreSQL, executemany on SQLite."""
    driver = connection.connection.driver_connection
    assert driver is not None
    names = ", ".join(columns)
    if is_postgresql(connection):
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = driver.cursor()
    try:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
    finally:
        cursor.close()
