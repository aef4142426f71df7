"""Database fixtures: every database test runs on a fresh SQLite file and, when
LINEMAP_TEST_DATABASE_URL points at a PostgreSQL server, on a fresh PostgreSQL database too."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

PG_URL = os.environ.get("LINEMAP_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _admin_dsn() -> str:
    assert PG_URL
    url = make_url(PG_URL)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_execute(sql: str) -> None:
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _pg_database_url(name: str) -> str:
    assert PG_URL
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template(worker_id: str) -> Iterator[str]:
    """Create a migrated PostgreSQL database once per worker, to copy for each test."""
    if not PG_URL:
        pytest.skip("LINEMAP_TEST_DATABASE_URL is not set")
    name = f"linemap_template_{worker_id}_{os.getpid()}"
    _pg_execute(f'DROP DATABASE IF EXISTS "{name}"')
    _pg_execute(f'CREATE DATABASE "{name}"')
    uow = UnitOfWork.from_url(_pg_database_url(name))
    uow.migrate()
    uow.dispose()
    yield name
    _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_new_database(request: pytest.FixtureRequest, template: str | None) -> str:
    """Create a new PostgreSQL database (a copy of `template` if given), dropped after the test."""
    if not PG_URL:
        pytest.skip("LINEMAP_TEST_DATABASE_URL is not set")
    name = f"linemap_test_{uuid.uuid4().hex[:12]}"
    _pg_execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    request.addfinalizer(lambda: _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return _pg_database_url(name)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a fresh, unmigrated database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'linemap.db'}"
    return _pg_new_database(request, None)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a fresh database of each backend, migrated to the newest schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'linemap.db'}"
        uow = UnitOfWork.from_url(url)
        uow.migrate()
        uow.dispose()
        return url
    return _pg_new_database(request, request.getfixturevalue("pg_template"))


@pytest.fixture
def uow(database_url: str) -> Iterator[UnitOfWork]:
    """Return a unit of work on a fresh migrated database."""
    unit = UnitOfWork.from_url(database_url)
    yield unit
    unit.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Return settings pointing at the fresh database."""
    return Settings(database_url=database_url, actor="test-actor")
