"""A small workspace: three agencies, one account per role, police records, one agreement."""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest

from linemap.governance.password import hash_password
from linemap.services import directory, intake, mace, network, search, sharing
from linemap.services.mention import iter_mentions
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from linemap.web.app import create_app

PASSWORD = "correct horse battery staple"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
ACCOUNTS = {
    "pol.analyst": ("KENTPOL", "analyst"),
    "pol.auditor": ("KENTPOL", "auditor"),
    "pol.auditor2": ("KENTPOL", "auditor"),
    "csc.worker": ("KENTCSC", "practitioner"),
    "csc.chair": ("KENTCSC", "mace_chair"),
    "housing.officer": ("THANETH", "practitioner"),
    "vcs.partner": ("THANETH", "community_partner"),
    "pol.intel": ("KENTPOL", "police_intelligence"),
    "the.admin": ("KENTCSC", "administrator"),
}


class Clock:
    """A clock the tests move."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@functools.cache
def _hash_once(password: str) -> str:
    """Hash the seeded accounts' shared password once per session (a valid argon2 hash)."""
    return hash_password(password)


def seed_workspace(database_url: str, folder: Path) -> None:
    """Fill a migrated database: agencies, one account per role, two police records, an ISA."""
    uow = UnitOfWork.from_url(database_url)
    settings = Settings(database_url=database_url, actor="setup")
    directory.add_agency(
        uow, "setup", "KENTPOL", "Kent Police", "police", "Kent", "intel@kentpol.example"
    )
    directory.add_agency(
        uow, "setup", "KENTCSC", "Kent Children's Services", "childrens_social_care", "Kent"
    )
    directory.add_agency(uow, "setup", "THANETH", "Thanet Housing", "housing", "Thanet")
    with mock.patch.object(directory, "hash_password", _hash_once):  # argon2 is slow by design
        for username, (agency, role) in ACCOUNTS.items():
            directory.add_user(uow, "setup", username, agency, role, PASSWORD)
    rows = [
        register_row("P1"),
        register_row("P2", forename="Casey", surname="Sample", date_of_birth="2008", phone=""),
    ]
    path = write_csv(folder / "reg.csv", rows)
    intake.ingest(uow, settings, path, "KENTPOL", "person-register")
    search.refresh_index(uow)
    sharing.add_isa(
        uow,
        None,
        code="ISA-CE",
        purpose="Safeguarding children from criminal exploitation",
        lawful_basis="DPA 2018 Sch 8 para 4",
        parties=["KENTPOL", "KENTCSC"],
        roles=["practitioner", "mace_chair"],
        record_kinds=["person-register"],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    seed_resolution(uow)
    network.build_snapshot(uow, settings, as_of=NOW.date())
    seed_flag(uow)
    chair = next(a for a in directory.list_users(uow) if a.username == "csc.chair")
    mace.create_meeting(uow, chair, "Kent", NOW.date(), ["KENTPOL"], NOW)  # meeting 1
    uow.dispose()


def phone_chart(database_url: str) -> tuple[int, int]:
    """Return the seeded snapshot's node of the first record's phone, and a link of it."""
    uow = UnitOfWork.from_url(database_url)
    with uow.read() as tx:
        snapshot = tx.network.latest_snapshot()
        assert snapshot is not None
        [node] = tx.chart.nodes_by_key(snapshot.id, "phone", ["+447700900123"])
        [edge, *_] = tx.chart.edges_around(snapshot.id, [node])
    uow.dispose()
    return node, edge.id


EXPLANATION = {
    "prior": -9.5,
    "factors": [
        ["forename", "forename", "exact", 6.1],
        ["surname", "surname", "Jaro-Winkler >= 0.8", 2.3],
        ["dob", "date of birth", "born within a year", -1.2],
    ],
}


def seed_resolution(uow: UnitOfWork) -> tuple[str, str]:
    """Store a resolution run in which the two person mentions are an uncertain pair."""
    with uow.write() as tx:
        mentions = sorted(iter_mentions(tx), key=lambda m: m.record_id)[:2]
        run = tx.resolution.add_run(
            started_at="2026-11-26T09:00:00+00:00",
            actor="setup",
            backend="duckdb",
            model="{}",
            model_digest="0" * 64,
            trained_in_run=None,
            threshold=0.95,
        )
        tx.resolution.add_members(
            [(run, m.entity_id, f"P{run}-{m.entity_id}", m.record_id, True, None) for m in mentions]
        )
        left, right = sorted(m.entity_id for m in mentions)
        tx.resolution.add_pairs(
            [(run, left, right, 0.7, 1.22, True, json.dumps(EXPLANATION), False)]
        )
        tx.resolution.finish_run(run, "2026-11-26T09:00:01+00:00", 2, 2)
    return left, right


def seed_flag(uow: UnitOfWork) -> str:
    """Store an assessment run flagging the first person mention (a child, on a missing
    episode read from their police record) and return the flag's reference, F1-1."""
    with uow.write() as tx:
        run = tx.resolution.latest_run()
        assert run is not None
        mention = sorted(iter_mentions(tx), key=lambda m: m.record_id)[0]
        assessment = tx.safeguarding.add_run(
            started_at="2026-11-26T09:30:00+00:00",
            actor="setup",
            resolution_run_id=run.id,
            criteria="county-lines-indicators@2023.2",
            as_of="2026-11-25",
        )
        evidence = {"statement": 1, "record": mention.record_id, "grading": None, "usable": True}
        observations = [
            {
                "criterion": c,
                "label": label,
                "kind": "sign",
                "evidence_kind": "behaviour",
                "observed_on": "2026-11-20",
                "counts": True,
                "evidence": [evidence],
            }
            for c, label in (("missing", "Persistently going missing"), ("drug-supply", "Supply"))
        ]
        tx.safeguarding.add_flags(
            [
                (
                    assessment,
                    1,
                    f"P{run.id}-{mention.entity_id}",
                    mention.entity_id,
                    "exploitation",
                    True,
                    "victim",
                    "high/significant",
                    "rule:linemap-observations@1",
                    "2026-11-25",
                    "2026-12-23",
                    "Kent",
                    str(mention.record_id),
                    json.dumps(observations),
                )
            ]
        )
        tx.safeguarding.finish_run(
            assessment, finished_at="2026-11-26T09:30:01+00:00", people=2, flags=1
        )
    return "F1-1"


@pytest.fixture
def workspace_db(database_url: str, tmp_path: Path) -> str:
    seed_workspace(database_url, tmp_path)
    return database_url


@pytest.fixture
def app_settings(workspace_db: str) -> Settings:
    return Settings(database_url=workspace_db, actor="web", sign_in_limit=3)


@pytest.fixture
def client_for(
    app_settings: Settings, clock: Clock
) -> Iterator[Callable[[str | None], TestClient]]:
    """Return a factory of clients, each signed in as the named account (None: signed out)."""
    app = create_app(app_settings, clock=clock)
    made: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        made.append(client)
        if username:
            response = client.post(
                "/api/v1/session", json={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    yield make
    for client in made:
        client.close()
    app.state.workspace.uow.dispose()


def later(clock: Clock, **delta: float) -> None:
    clock.now = clock.now + timedelta(**delta)
