"""Shared helpers for service tests: agencies and small synthetic exports."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from linemap.bootstrap import unit_of_work
from linemap.governance.actor import Actor
from linemap.intake.mapping import load_mapping
from linemap.model.vocabulary import Role
from linemap.services import database, directory, intake, region, search, sharing
from linemap.services.mention import iter_mentions
from linemap.settings import Settings
from linemap.store import tables
from linemap.store.unit_of_work import UnitOfWork

REGISTER_COLUMNS = load_mapping("person-register").columns
TODAY = date(2026, 11, 26)


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


@pytest.fixture
def agencies_with_records(uow: UnitOfWork, settings: Settings, tmp_path: Path) -> UnitOfWork:
    """Three agencies with two register records each, one ISA in force and one expired."""
    for code, name, kind in (
        ("KENTPOL", "Kent Police", "police"),
        ("KENTCSC", "Kent Children's Services", "childrens_social_care"),
        ("THANETH", "Thanet Housing", "housing"),
    ):
        directory.add_agency(
            uow, "admin", code, name, kind, "Kent", f"share@{code.lower()}.example"
        )
        rows = [
            register_row(f"{code}-1", forename="Jordan", surname="Example"),
            register_row(f"{code}-2", forename="Jordon", surname="Exampel", date_of_birth="2009"),
        ]
        path = write_csv(tmp_path / f"{code}.csv", rows)
        intake.ingest(uow, settings, path, code, "person-register")
    search.refresh_index(uow)
    for code, parties, end in (
        ("ISA-CE", ["KENTPOL", "KENTCSC"], TODAY + timedelta(days=30)),
        ("ISA-OLD", ["KENTPOL", "THANETH"], TODAY - timedelta(days=1)),
    ):
        sharing.add_isa(
            uow,
            None,
            code=code,
            purpose="Safeguarding children from criminal exploitation",
            lawful_basis="DPA 2018 Sch 8 para 4",
            parties=parties,
            roles=["practitioner", "analyst"],
            record_kinds=["person-register"],
            start=TODAY - timedelta(days=60),
            end=end,
        )
    return uow


READER_ACCOUNTS = {
    "pol.analyst": Actor(1, "pol.analyst", "KENTPOL", Role.ANALYST, True),
    "csc.worker": Actor(2, "csc.worker", "KENTCSC", Role.PRACTITIONER, True),
    "csc.chair": Actor(3, "csc.chair", "KENTCSC", Role.MACE_CHAIR, True),
    "housing.officer": Actor(4, "housing.officer", "THANETH", Role.PRACTITIONER, True),
}


def store_run(uow: UnitOfWork, people: list[int]) -> list[tuple[str, int, str]]:
    """Store a run putting mention i into person people[i]; return (entity, record, person)."""
    with uow.write() as tx:
        mentions = sorted(iter_mentions(tx), key=lambda m: m.record_id)
        run = tx.resolution.add_run(
            started_at="2026-11-26T09:00:00+00:00",
            actor="test",
            backend="duckdb",
            model="{}",
            model_digest="0" * 64,
            trained_in_run=None,
            threshold=0.95,
        )
        members = [
            (m.entity_id, m.record_id, f"P{run}-{people[i]}") for i, m in enumerate(mentions)
        ]
        tx.resolution.add_members([(run, e, p, r, True, None) for e, r, p in members])
        tx.resolution.finish_run(run, "2026-11-26T09:00:01+00:00", len(mentions), len(set(people)))
    return members


def load_simulated(url: str, folder: Path) -> tuple[Settings, UnitOfWork]:
    """Create the database at `url` and load the simulated region in `folder` into it."""
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    uow = unit_of_work(settings, check=False)
    database.initialise(uow)
    region.load_region(uow, settings, folder)
    return settings, uow


def run_linemap(url: str, *args: str, actor: str = "test") -> subprocess.CompletedProcess[str]:
    """Run the installed `linemap` command on a database, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "linemap", "--db", url, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LINEMAP_ACTOR": actor},
    )
