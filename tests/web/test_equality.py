"""Equality monitoring through /api/v1 and the page: aggregates for oversight roles and
auditors, small numbers withheld, nobody listed, each view logged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from linemap.settings import Settings
from linemap.store import tables
from linemap.store.unit_of_work import UnitOfWork
from linemap.web.app import create_app

Client = Callable[[str | None], TestClient]
PATH = "/api/v1/safeguarding/equality"


@pytest.fixture
def flagged_two(app_settings: Settings) -> int:
    """Flag both people of the seeded workspace in a newer assessment run; return its id."""
    uow = UnitOfWork.from_url(app_settings.database_url)
    with uow.write() as tx:
        run = tx.resolution.latest_run()
        assert run is not None
        members = tx.connection.execute(
            tables.resolution_member.select().where(tables.resolution_member.c.run_id == run.id)
        ).all()
        assessment = tx.connection.execute(
            insert(tables.assessment_run)
            .values(
                started_at="2026-11-26T10:00:00+00:00",
                finished_at="2026-11-26T10:01:00+00:00",
                actor="test",
                resolution_run_id=run.id,
                criteria="county-lines-indicators@2023.1",
                as_of="2026-11-26",
                people=2,
                flags=2,
            )
            .returning(tables.assessment_run.c.id)
        ).scalar_one()
        for number, member in enumerate(members):
            tx.connection.execute(
                insert(tables.flag).values(
                    run_id=assessment,
                    flag_id=number,
                    person_id=member.person_id,
                    subject=member.entity_id,
                    kind="exploitation",
                    child=True,
                    frame="victim",
                    risk="medium",
                    raised_by="linemap assess",
                    raised_on="2026-11-26",
                    review_by="2027-02-26",
                    records=str(member.record_id),
                    observations="[]",
                )
            )
    uow.dispose()
    return int(assessment)


def test_an_analyst_reads_the_figures_with_small_numbers_withheld(
    client_for: Client, flagged_two: int
) -> None:
    response = client_for("pol.analyst").get(PATH, params={"purpose": "quarterly review"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["baseline"] == "census-2021-england-wales@2021.1"
    assert body["assessment_run"] == flagged_two
    assert body["alerts"] == 0
    [flagged] = [p for p in body["populations"] if p["id"] == "flagged"]
    assert flagged["people"] is None  # two people: fewer than 5
    sex = next(t for t in flagged["tables"] if t["dimension"] == "sex")
    male = next(r for r in sex["rows"] if r["group"] == "male")
    assert male["count"] is None
    assert male["note"] == "fewer than 5"
    assert sex["total"] is None
    assert sex["tested"] is None
    for table in flagged["tables"]:
        assert all(r["count"] in (None, 0) for r in table["rows"])
    assert "jordan" not in response.text.lower()
    assert "casey" not in response.text.lower()


def test_an_auditor_sees_the_page(client_for: Client, flagged_two: int) -> None:
    page = client_for("pol.auditor").get("/safeguarding/equality")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Equality monitoring" in text
    assert "census-2021-england-wales@2021.1" in text
    assert f"Flagged in assessment run {flagged_two}" in text
    assert "fewer than 5" in text
    assert "no baseline" in text
    assert "ONS, Ethnic group, England and Wales: Census 2021" in text
    assert "jordan" not in text.lower()


def test_casework_and_administration_roles_are_refused_and_strangers_asked_to_sign_in(
    client_for: Client,
) -> None:
    for who in ("csc.worker", "vcs.partner", "the.admin", "pol.intel"):
        client = client_for(who)
        refused = client.get(PATH)
        assert refused.status_code == 403, who
        assert refused.json()["error"]["code"] == "forbidden"
        assert client.get("/safeguarding/equality").status_code == 403, who
    assert client_for(None).get(PATH).status_code == 401
    page = client_for(None).get("/safeguarding/equality", follow_redirects=False)
    assert page.status_code == 303
    assert "/sign-in" in page.headers["location"]


def test_a_missing_configured_baseline_is_explained(app_settings: Settings, tmp_path: Path) -> None:
    settings = Settings(
        database_url=app_settings.database_url, equality_baseline=tmp_path / "nowhere.yaml"
    )
    app = create_app(settings)
    client = TestClient(app, base_url="https://testserver")
    signed = client.post(
        "/api/v1/session",
        json={"username": "pol.analyst", "password": "correct horse battery staple"},
    )
    assert signed.status_code == 200
    response = client.get(PATH)
    assert response.status_code == 400
    assert "does not exist" in response.json()["error"]["message"]
    assert "LINEMAP_EQUALITY_BASELINE" in response.json()["error"]["message"]
    client.close()
    app.state.workspace.uow.dispose()


def test_each_view_is_one_consultation_event(client_for: Client, app_settings: Settings) -> None:
    def consultations() -> list[tuple[str, ...]]:
        uow = UnitOfWork.from_url(app_settings.database_url)
        with uow.read() as tx:
            found = [
                e.event.record_ids
                for e in tx.audit.iter_events()
                if e.event.operation.value == "consultation"
            ]
        uow.dispose()
        return found

    before = len(consultations())
    assert client_for("pol.analyst").get(PATH).status_code == 200
    assert client_for("csc.chair").get("/safeguarding/equality").status_code == 200
    assert consultations()[before:] == [("equality_monitoring",), ("equality_monitoring",)]
