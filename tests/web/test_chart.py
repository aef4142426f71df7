"""The map through /api/v1 and the pages: the same policy and audit as every other read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.web.conftest import phone_chart

Client = Callable[[str | None], TestClient]


@pytest.fixture
def phone_node(app_settings: Settings) -> int:
    """The seeded snapshot's node of the phone the first record names."""
    return phone_chart(app_settings.database_url)[0]


def _consultations(settings: Settings) -> int:
    uow = UnitOfWork.from_url(settings.database_url)
    with uow.read() as tx:
        count = sum(1 for e in tx.audit.iter_events() if e.event.operation.value == "consultation")
    uow.dispose()
    return count


def test_a_reader_under_an_isa_draws_a_node_and_opens_a_links_evidence(
    client_for: Client, phone_node: int, app_settings: Settings
) -> None:
    worker = client_for("csc.worker")  # children's services, under the ISA with the police
    before = _consultations(app_settings)
    drawn = worker.get(f"/api/v1/map/chart?focus=node:{phone_node}&view=safeguarding")
    assert drawn.status_code == 200, drawn.text
    body = drawn.json()
    assert body["edges"]
    assert phone_node in {n["id"] for n in body["nodes"]}
    assert all(n["rank"] is None for n in body["nodes"])
    people = [n for n in body["nodes"] if n["kind"] == "person"]
    assert people
    assert "jordan" not in str(body).lower()  # people by role and number, never by name
    assert _consultations(app_settings) > before
    evidence = worker.get(f"/api/v1/map/edges/{body['edges'][0]['id']}").json()
    assert [r["agency"] for r in evidence["record_list"]] == ["KENTPOL"]


def test_an_agency_without_an_agreement_is_told_nothing_exists(
    client_for: Client, phone_node: int
) -> None:
    housing = client_for("housing.officer")
    drawn = housing.get(f"/api/v1/map/chart?focus=node:{phone_node}")
    assert drawn.status_code == 404
    assert drawn.json()["error"]["code"] == "not_found"
    assert "+44" not in drawn.text
    assert housing.get("/api/v1/map/edges/0").status_code == 404
    assert housing.get("/api/v1/map/lines").json()["lines"] == []


def test_roles_without_casework_are_refused_and_bad_input_is_one_clear_error(
    client_for: Client, phone_node: int
) -> None:
    assert (
        client_for("pol.auditor").get(f"/api/v1/map/chart?focus=node:{phone_node}").status_code
        == 403
    )
    analyst = client_for("pol.analyst")
    bad = analyst.get("/api/v1/map/chart?focus=everything")
    assert bad.status_code == 422
    assert "focus must be" in bad.json()["error"]["message"]
    backwards = analyst.get(
        f"/api/v1/map/chart?focus=node:{phone_node}&start=2026-02-01&end=2026-01-01"
    )
    assert backwards.status_code == 422


def test_the_pages_render(client_for: Client, phone_node: int) -> None:
    analyst = client_for("pol.analyst")
    page = analyst.get("/map")
    assert page.status_code == 200
    assert "Deal lines" in page.text
    frame = analyst.get(f"/map/chart?focus=node:{phone_node}&view=disruption")
    assert frame.status_code == 200
    assert "/static/vendor/cytoscape.min.js" in frame.text


def test_an_export_is_a_watermarked_disclosure_of_every_record_behind_it(
    client_for: Client, phone_node: int, app_settings: Settings
) -> None:
    analyst = client_for("pol.analyst")
    body = {
        "focus": f"node:{phone_node}",
        "view": "disruption",
        "format": "gexf",
        "recipient": "Kent CSC, strategy discussion chair",
        "purpose": "strategy discussion",
        "lawful_basis": "Children Act 1989 s.47",
    }
    made = analyst.post("/api/v1/map/export", json=body)
    assert made.status_code == 200, made.text
    disclosure = made.headers["X-Linemap-Disclosure"]
    assert made.headers["Content-Disposition"].endswith('.gexf"')
    assert disclosure.encode() in made.content
    assert b"jordan" not in made.content.lower()
    uow = UnitOfWork.from_url(app_settings.database_url)
    with uow.read() as tx:
        disclosed = [
            e.event for e in tx.audit.iter_events() if e.event.operation.value == "disclosure"
        ]
    uow.dispose()
    assert disclosed
    assert {d.detail["recipient"] for d in disclosed} == {body["recipient"]}
    missing = analyst.post("/api/v1/map/export", json={**body, "lawful_basis": " "})
    assert missing.status_code == 422


def test_a_persons_network_opens_from_their_profile(client_for: Client) -> None:
    worker = client_for("csc.worker")
    profile = worker.get("/people/KENTPOL%3AP1%23person")
    assert "/map/chart?focus=person:KENTPOL%3AP1%23person" in profile.text
    drawn = worker.get("/api/v1/map/chart", params={"focus": "person:KENTPOL:P1#person"})
    assert drawn.status_code == 200, drawn.text
    assert any(n["kind"] == "person" for n in drawn.json()["nodes"])
    unknown = worker.get("/api/v1/map/chart", params={"focus": "person:KENTPOL:NOPE#person"})
    assert unknown.status_code == 404


def test_the_base_map_may_be_cached_but_pages_and_data_may_not(client_for: Client) -> None:
    analyst = client_for("pol.analyst")
    base = analyst.get("/static/vendor/land-10m.json")
    if base.status_code == 404:
        pytest.skip("front-end assets are not built (make assets)")
    assert base.headers["cache-control"] == "private, max-age=86400"
    assert analyst.get("/map").headers["cache-control"] == "no-store"
    assert analyst.get("/api/v1/map/lines").headers["cache-control"] == "no-store"
