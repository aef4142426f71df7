"""The audit chain catches every kind of tampering, on SQLite and PostgreSQL, and concurrent
writers never fork it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, text, update
from sqlalchemy.exc import DBAPIError

from linemap.services import audit, directory, intake
from linemap.settings import Settings
from linemap.store.tables import audit_event, audit_head
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv


@pytest.fixture
def trail(agencies: UnitOfWork) -> UnitOfWork:
    """A trail of five events: five agencies registered."""
    for n in range(3):
        directory.add_agency(
            agencies, "admin", f"YOT{n}", f"Youth Justice {n}", "youth_justice", None
        )
    assert audit.verify_chain(agencies).events == 5
    return agencies


def _tamper(uow: UnitOfWork, statement: object) -> None:
    """Change the trail as someone with full database rights could: triggers off first."""
    with uow.engine.begin() as connection:
        _disable_guards(connection)
        connection.execute(statement)  # type: ignore[call-overload]


def _disable_guards(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    else:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
        connection.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))


def test_the_database_refuses_updates_and_deletes_of_events(trail: UnitOfWork) -> None:
    for statement in (
        update(audit_event).where(audit_event.c.seq == 2).values(actor="mallory"),
        delete(audit_event).where(audit_event.c.seq == 2),
    ):
        with pytest.raises(DBAPIError, match="append-only"), trail.engine.begin() as connection:
            connection.execute(statement)
    assert audit.verify_chain(trail).intact


def test_intact_chain_verifies(trail: UnitOfWork) -> None:
    result = audit.verify_chain(trail)
    assert result.intact
    assert result.events == 5


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("detail", '{"kind": "police"}'),
        ("actor", "someone-else"),
        ("occurred_at", "2020-01-01"),
        ("record_ids", '["actor:99"]'),
        ("operation", "erasure"),
        ("hash", "f" * 64),
    ],
)
def test_altered_event_is_named(trail: UnitOfWork, field: str, value: str) -> None:
    _tamper(trail, update(audit_event).where(audit_event.c.seq == 3).values({field: value}))
    result = audit.verify_chain(trail)
    assert not result.intact
    assert result.first_bad_seq == 3


def test_deleted_middle_event_is_named(trail: UnitOfWork) -> None:
    _tamper(trail, delete(audit_event).where(audit_event.c.seq == 2))
    result = audit.verify_chain(trail)
    assert result.first_bad_seq == 2
    assert "missing" in (result.problem or "")


def test_deleted_last_event_is_caught_by_the_head(trail: UnitOfWork) -> None:
    _tamper(trail, delete(audit_event).where(audit_event.c.seq == 5))
    result = audit.verify_chain(trail)
    assert result.first_bad_seq == 5


def test_deleted_head_is_caught(trail: UnitOfWork) -> None:
    _tamper(trail, delete(audit_head))
    assert not audit.verify_chain(trail).intact


def test_reordered_events_are_caught(trail: UnitOfWork) -> None:
    with trail.engine.begin() as connection:
        _disable_guards(connection)
        connection.execute(update(audit_event).where(audit_event.c.seq == 2).values(seq=-2))
        connection.execute(update(audit_event).where(audit_event.c.seq == 3).values(seq=2))
        connection.execute(update(audit_event).where(audit_event.c.seq == -2).values(seq=3))
    result = audit.verify_chain(trail)
    assert result.first_bad_seq == 2


def test_rechained_forgery_from_the_middle_is_caught_by_content(trail: UnitOfWork) -> None:
    # An attacker who rewrites one event and its own hash still breaks the next link.
    with trail.engine.begin() as connection:
        _disable_guards(connection)
        connection.execute(
            text("UPDATE audit_event SET detail = :d, hash = :h WHERE seq = 4"),
            {"d": '{"role": "auditor"}', "h": "a" * 64},
        )
    result = audit.verify_chain(trail)
    assert result.first_bad_seq == 4


def test_parallel_ingests_never_fork_the_chain(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    files = [
        write_csv(tmp_path / f"part{n}.csv", [register_row(f"N{n}-{i}") for i in range(200)])
        for n in range(6)
    ]
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        unit = UnitOfWork.from_url(settings.database_url)
        try:
            intake.ingest(unit, settings, path, "SCH1", "person-register")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            unit.dispose()

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = audit.verify_chain(agencies)
    assert result.intact
    assert result.events == 2 + len(files)
    with agencies.read() as tx:
        assert tx.records.count("source_record") == 6 * 200
