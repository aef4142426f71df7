"""Unit of work: one transaction per use case, with the repositories bound to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect

from linemap.errors import ConfigurationError
from linemap.store import migration
from linemap.store.audit import AuditRepository
from linemap.store.chart import ChartRepository
from linemap.store.community import CommunityRepository
from linemap.store.db import make_engine, take_write_lock
from linemap.store.directory import DirectoryRepository
from linemap.store.equality import EqualityRepository
from linemap.store.mace import MaceRepository
from linemap.store.network import NetworkRepository
from linemap.store.record import RecordRepository
from linemap.store.resolution import ResolutionRepository
from linemap.store.safeguarding import SafeguardingRepository
from linemap.store.search import SearchRepository
from linemap.store.session import SessionRepository
from linemap.store.sharing import SharingRepository


@dataclass
class Transaction:
    """Repositories sharing one connection and one transaction."""

    connection: Connection
    directory: DirectoryRepository
    records: RecordRepository
    audit: AuditRepository
    sharing: SharingRepository
    sessions: SessionRepository
    search: SearchRepository
    resolution: ResolutionRepository
    network: NetworkRepository
    chart: ChartRepository
    safeguarding: SafeguardingRepository
    mace: MaceRepository
    community: CommunityRepository
    equality: EqualityRepository


class UnitOfWork:
    """Opens transactions on one database; services use nothing else to reach storage."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> UnitOfWork:
        """Connect to the database at `url` (not yet checked)."""
        return cls(make_engine(url))

    def migrate(self) -> tuple[str | None, str | None]:
        """Create or upgrade the schema; return the revisions before and after."""
        before = migration.current_revision(self.engine)
        migration.upgrade(self.engine)
        return before, migration.current_revision(self.engine)

    def check_ready(self) -> None:
        """Raise ConfigurationError unless the database exists and is fully migrated."""
        try:
            current = migration.current_revision(self.engine)
        except Exception as error:  # any driver error means we cannot reach it
            raise ConfigurationError(
                f"cannot open the database ({type(error).__name__}); check --db or "
                "LINEMAP_DATABASE_URL"
            ) from None
        if current != migration.head_revision():
            raise ConfigurationError(
                "the database is not initialised or is out of date; run `linemap init`"
            )

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """Open a write transaction holding the write lock; commit on success."""
        with self.engine.connect() as raw:
            connection = raw.execution_options(linemap_write=True)
            with connection.begin():
                take_write_lock(connection)
                yield self._bind(connection)

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """Open a read-only transaction; it is rolled back at the end."""
        with self.engine.connect() as connection, connection.begin() as tx:
            yield self._bind(connection)
            tx.rollback()

    def table_names(self) -> list[str]:
        """Return the tables present (for diagnostics and tests)."""
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @staticmethod
    def _bind(connection: Connection) -> Transaction:
        return Transaction(
            connection,
            DirectoryRepository(connection),
            RecordRepository(connection),
            AuditRepository(connection),
            SharingRepository(connection),
            SessionRepository(connection),
            SearchRepository(connection),
            ResolutionRepository(connection),
            NetworkRepository(connection),
            ChartRepository(connection),
            SafeguardingRepository(connection),
            MaceRepository(connection),
            CommunityRepository(connection),
            EqualityRepository(connection),
        )
