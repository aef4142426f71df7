"""MACE through /api/v1 and the pages: meetings, the agenda per reader, packs per attendee."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.test_mace import BASIS, SUMMARY, add_map, ingest_intelligence

Client = Callable[[str | None], TestClient]
MEETING = {"area": "Thanet", "held_on": "2026-11-26", "attendees": ["KENTPOL", "THANETH"]}


@pytest.fixture
def mapped(app_settings: Settings, tmp_path: Path) -> dict[str, int]:
    """The workspace, with police intelligence, an agreement for MACE and a small map."""
    uow = UnitOfWork.from_url(app_settings.database_url)
    ingest_intelligence(uow, app_settings, tmp_path)
    ids = add_map(uow)
    uow.dispose()
    return ids


def _csrf(client: TestClient) -> str:
    return str(client.headers["X-CSRF-Token"])


def test_a_chair_creates_a_meeting_and_gives_each_attendee_its_pack(
    client_for: Client, mapped: dict[str, int]
) -> None:
    chair = client_for("csc.chair")
    made = chair.post("/api/v1/mace/meetings", json=MEETING)
    assert made.status_code == 201, made.text
    meeting = made.json()["id"]
    listed = client_for("housing.officer").get("/api/v1/mace/meetings").json()
    assert [m["id"] for m in listed] == [meeting]
    agenda = client_for("pol.analyst").get(f"/api/v1/mace/meetings/{meeting}")
    assert agenda.status_code == 200, agenda.text
    assert {i["subject"] for i in agenda.json()["agenda"]["sections"]["victims"]} >= {"node:0"}
    packs = {}
    for agency in ("KENTPOL", "THANETH"):
        body = {"agency": agency, "lawful_basis": BASIS}
        given = chair.post(f"/api/v1/mace/meetings/{meeting}/packs", json=body)
        assert given.status_code == 200, given.text
        packs[agency] = given.json()
        assert packs[agency]["disclosure"] in packs[agency]["watermark"]
    police, housing = (packs[a]["sections"]["victims"] for a in ("KENTPOL", "THANETH"))
    assert [i["subject"] for i in police] == [i["subject"] for i in housing]
    assert "1AP" in str(police)
    assert SUMMARY in str(police)
    assert "1AP" not in str(housing)
    assert SUMMARY not in str(housing)
    for pack in packs.values():
        assert "riley" not in str(pack).lower()  # people by role and number, never by name


def test_refusals_and_bad_input_are_one_clear_error(
    client_for: Client, mapped: dict[str, int]
) -> None:
    assert (
        client_for("housing.officer").post("/api/v1/mace/meetings", json=MEETING).status_code == 403
    )
    chair = client_for("csc.chair")
    bad = chair.post("/api/v1/mace/meetings", json={**MEETING, "held_on": "26/11/2026"})
    assert bad.status_code == 422
    assert "held_on" in bad.json()["error"]["message"]
    unknown = chair.post("/api/v1/mace/meetings", json={**MEETING, "attendees": ["NOPE"]})
    assert unknown.status_code == 404
    del chair.headers["X-CSRF-Token"]
    assert chair.post("/api/v1/mace/meetings", json=MEETING).status_code == 403
    chair = client_for("csc.chair")
    private = chair.post("/api/v1/mace/meetings", json={**MEETING, "attendees": ["THANETH"]})
    meeting = private.json()["id"]
    assert client_for("pol.analyst").get(f"/api/v1/mace/meetings/{meeting}").status_code == 404
    assert client_for("pol.auditor").get(f"/api/v1/mace/meetings/{meeting}").status_code == 403
    refused = chair.post(
        f"/api/v1/mace/meetings/{meeting}/packs", json={"agency": "KENTPOL", "lawful_basis": BASIS}
    )
    assert refused.status_code == 422
    assert "does not attend" in refused.text


def test_the_chair_runs_the_meeting_from_the_pages(
    client_for: Client, mapped: dict[str, int]
) -> None:
    chair = client_for("csc.chair")
    csrf = _csrf(chair)
    assert "New meeting" in chair.get("/mace").text
    assert "New meeting" not in client_for("housing.officer").get("/mace").text
    made = chair.post(
        "/mace",
        data={
            "csrf_token": csrf,
            "area": "Thanet",
            "held_on": "2026-11-26",
            "attendees": ["THANETH"],
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page = made.headers["location"]
    shown = chair.get(page)
    assert shown.status_code == 200
    assert "Victims" in shown.text
    assert "Child at risk 0" in shown.text
    minutes = {"csrf_token": csrf, "minutes": "Child at risk 0 discussed.", "decision": "Refer"}
    assert chair.post(f"{page}/minutes", data=minutes).status_code == 200
    action = {
        "csrf_token": csrf,
        "description": "Visit node 0",
        "owner_agency": "THANETH",
        "owner": "a.officer",
        "due": "2026-11-10",
    }
    assert chair.post(f"{page}/actions", data=action).status_code == 200
    housing = client_for("housing.officer").get(page).text
    assert "Child at risk 0 discussed." in housing
    assert "the strategic (Silver) group" in housing
    assert "Record minutes" not in housing  # the chair's forms are the chair's
    bad = chair.post(f"{page}/actions", data={**action, "due": "soon"})
    assert "give the date as YYYY-MM-DD" in bad.text
    given = {"csrf_token": csrf, "agency": "THANETH", "lawful_basis": BASIS, "output": "page"}
    pack = chair.post(f"{page}/pack", data=given)
    assert "linemap disclosure D-" in pack.text
    assert "1AP" not in pack.text
    download = chair.post(f"{page}/pack", data={**given, "output": "file"})
    assert "attachment" in download.headers["content-disposition"]
    assert download.headers["X-Linemap-Disclosure"] in download.text
    assert csrf not in download.text  # the file carries no session secret


def test_minutes_decisions_and_actions_through_the_api(
    client_for: Client, mapped: dict[str, int], app_settings: Settings
) -> None:
    chair = client_for("csc.chair")
    meeting = chair.post("/api/v1/mace/meetings", json=MEETING).json()["id"]
    base = f"/api/v1/mace/meetings/{meeting}"
    minutes = {"minutes": "Child at risk 0 discussed.", "decision": "Refer node 0"}
    assert chair.post(f"{base}/minutes", json=minutes).status_code == 204
    assert chair.post(f"{base}/minutes", json={}).status_code == 422  # nothing to record
    action = {"description": "Visit node 0", "owner_agency": "THANETH", "owner": "a.officer"}
    made = chair.post(f"{base}/actions", json={**action, "due": "2026-11-25"})
    assert made.status_code == 201, made.text
    housing = client_for("housing.officer")
    assert housing.post(f"{base}/actions", json={**action, "due": "2026-11-25"}).status_code == 403
    [shown] = housing.get(base).json()["actions"]
    assert shown["escalation"] == "the owner's manager"
    assert shown["days_overdue"] == 1
    done = housing.post(f"{base}/actions/{made.json()['id']}/done")
    assert done.status_code == 204
    assert housing.get(base).json()["actions"][0]["done_on"] == "2026-11-26"
    uow = UnitOfWork.from_url(app_settings.database_url)
    with uow.read() as tx:
        altered = [
            e.event for e in tx.audit.iter_events() if e.event.operation.value == "alteration"
        ]
    uow.dispose()
    assert [e.actor for e in altered] == ["csc.chair", "csc.chair", "housing.officer"]
    assert "Visit" not in str([e.detail for e in altered])
