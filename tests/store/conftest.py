"""A small history for store tests: two agencies, a changed version, an erased record."""

from __future__ import annotations

from pathlib import Path

import pytest

from linemap.services import directory, erasure, intake
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv


@pytest.fixture
def history(uow: UnitOfWork, settings: Settings, tmp_path: Path) -> UnitOfWork:
    """Records 1-3 (KENTPOL), 4 (P1 changed), 5 (KENTPOL) and 6 (SCH1); record 2 erased."""
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    directory.add_agency(uow, "admin", "SCH1", "Example Academy", "education", "Kent")
    first = [
        register_row("P1"),
        register_row("P2", forename="Casey", surname="Sample", phone=""),
        register_row("P3", forename="Riley", surname="Witness", category="witness"),
    ]
    files = [
        ("a.csv", first, "KENTPOL"),
        ("b.csv", [register_row("P1", postcode="ME7 1AA"), register_row("P4")], "KENTPOL"),
        ("c.csv", [register_row("S1", forename="Alex", date_of_birth="2010")], "SCH1"),
    ]
    for name, rows, agency in files:
        intake.ingest(uow, settings, write_csv(tmp_path / name, rows), agency, "person-register")
    erasure.erase_record(uow, "dpo", 2, "retention period ended")
    return uow
