"""Erasure purges every statement of a source record and leaves one metadata-only event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from linemap.errors import InvalidInput, NotFound
from linemap.services import audit, erasure, intake
from linemap.settings import Settings
from linemap.store.tables import source_record, statement
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv


def test_erasure_leaves_no_statement_behind(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    intake.ingest(
        agencies,
        settings,
        write_csv(tmp_path / "a.csv", [register_row("P1"), register_row("P2", forename="Riley")]),
        "SCH1",
        "person-register",
    )
    intake.ingest(
        agencies,
        settings,
        write_csv(tmp_path / "b.csv", [register_row("P1", postcode="CT9 5AD")]),
        "SCH1",
        "person-register",
    )
    outcome = erasure.erase_record(agencies, "dpo", 1, "subject access erasure request 42")
    assert outcome.record_ids == (1, 3)  # both versions of P1
    with agencies.read() as tx:
        left = tx.connection.execute(
            select(statement.c.id).where(statement.c.source_record_id.in_([1, 3]))
        ).all()
        other = tx.records.statements(2)
        hashes = (
            tx.connection.execute(
                select(source_record.c.content_hash).where(source_record.c.id.in_([1, 3]))
            )
            .scalars()
            .all()
        )
    assert left == []
    assert other, "the other record is untouched"
    assert all(bytes(h) == bytes(16) for h in hashes)
    events = [
        e for e in audit.events_for_record(agencies, 1) if e.event.operation.value == "erasure"
    ]
    assert len(events) == 1
    body = json.dumps(events[0].event.detail)
    assert "Jordan" not in body
    assert "Example" not in body
    assert events[0].event.justification == "subject access erasure request 42"
    assert audit.verify_chain(agencies).intact


def test_erased_record_is_not_collected_again(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "a.csv", [register_row("P1")])
    intake.ingest(agencies, settings, path, "SCH1", "person-register")
    erasure.erase_record(agencies, "dpo", 1, "retention period ended")
    summary = intake.ingest(agencies, settings, path, "SCH1", "person-register")
    assert (summary.accepted, summary.rejected) == (0, 1)
    with agencies.read() as tx:
        assert tx.records.count("statement") == 0


def test_erasure_needs_a_reason_and_a_record(agencies: UnitOfWork) -> None:
    with pytest.raises(InvalidInput, match="reason"):
        erasure.erase_record(agencies, "dpo", 1, "  ")
    with pytest.raises(NotFound):
        erasure.erase_record(agencies, "dpo", 999, "a reason")
