"""Shared helpers for service tests: agencies and small synthetic exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from linemap.intake.mapping import load_mapping
from linemap.services import directory
from linemap.store import tables
from linemap.store.unit_of_work import UnitOfWork

REGISTER_COLUMNS = load_mapping("person-register").columns


def register_row(ref: str, **overrides: str) -> dict[str, str]:
    """Return one synthetic person-register row."""
    row = {
        "person_ref": ref,
        "recorded": "2025-01-10",
        "category": "other",
        "forename": "Jordan",
        "surname": "Example",
        "date_of_birth": "03/04/2009",
        "sex": "male",
        "address": "1 Fictional Road, Margate",
        "postcode": "CT9 1AA",
        "phone": "07700 900123",
    }
    row.update(overrides)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    """Write rows as CSV with the person-register header."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=REGISTER_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def snapshot(uow: UnitOfWork) -> dict[str, int]:
    """Count the rows of every table, to assert a failed operation changed nothing."""
    counts = {}
    with uow.read() as tx:
        for name, table in tables.metadata.tables.items():
            counts[name] = tx.connection.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
    return counts


@pytest.fixture
def agencies(uow: UnitOfWork) -> UnitOfWork:
    """Register a police force and a school, and return the unit of work."""
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    directory.add_agency(uow, "admin", "SCH1", "Example Academy", "education", "Kent")
    return uow
