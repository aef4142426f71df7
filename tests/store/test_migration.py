"""Migrations: upgrade, downgrade, upgrade on each backend, and no drift from tables.py."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from linemap.store import migration
from linemap.store.tables import metadata
from linemap.store.unit_of_work import UnitOfWork


def test_upgrade_downgrade_upgrade(empty_database_url: str) -> None:
    uow = UnitOfWork.from_url(empty_database_url)
    assert migration.current_revision(uow.engine) is None
    migration.upgrade(uow.engine)
    assert migration.current_revision(uow.engine) == migration.head_revision()
    assert {"agency", "statement", "audit_event"} <= set(uow.table_names())
    migration.downgrade(uow.engine, "base")
    assert migration.current_revision(uow.engine) is None
    assert not {"agency", "statement", "audit_event"} & set(uow.table_names())
    migration.upgrade(uow.engine)
    assert migration.current_revision(uow.engine) == migration.head_revision()
    uow.dispose()


def test_migrations_match_the_tables(database_url: str) -> None:
    uow = UnitOfWork.from_url(database_url)
    with uow.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diff = compare_metadata(context, metadata)
    uow.dispose()
    assert diff == []


def test_check_ready_refuses_an_unmigrated_database(empty_database_url: str) -> None:
    import pytest

    from linemap.errors import ConfigurationError

    uow = UnitOfWork.from_url(empty_database_url)
    with pytest.raises(ConfigurationError, match="linemap init"):
        uow.check_ready()
    uow.migrate()
    uow.check_ready()
    uow.dispose()
