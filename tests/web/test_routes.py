"""The route table: every route says what it audits, and data-touching routes do exactly that."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi.testclient import TestClient

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from linemap.web.app import create_app, route_table
from tests.web.conftest import phone_chart

Client = Callable[[str | None], TestClient]
KINDS = {"none", "consultation", "collection", "alteration", "disclosure", "combination"}


def _consultations(settings: Settings, operation: str = "consultation") -> list[tuple[str, ...]]:
    uow = UnitOfWork.from_url(settings.database_url)
    with uow.read() as tx:
        found = [
            e.event.record_ids
            for e in tx.audit.iter_events()
            if e.event.operation.value == operation
        ]
    uow.dispose()
    return found


def test_every_route_declares_what_it_audits(app_settings: Settings) -> None:
    app = create_app(app_settings)
    routes = route_table(app.routes)
    assert len(routes) > 20
    for route in routes:
        declared = (route.openapi_extra or {}).get("x-linemap-audit")
        assert declared in KINDS, f"{route.path} {route.methods} declares no x-linemap-audit"
    app.state.workspace.uow.dispose()


def test_each_consultation_route_writes_one_event_per_record_touched(
    client_for: Client, app_settings: Settings
) -> None:
    analyst = client_for("pol.analyst")
    hit = analyst.get("/api/v1/search", params={"q": "Jordan"}).json()["hits"][0]
    person = quote(hit["id"], safe="")
    record = hit["record_id"]
    node, edge = phone_chart(app_settings.database_url)  # one record stands behind the link
    sent = {"concern": "Children at a flat late at night", "location": "Margate"}
    report = client_for(None).post("/api/v1/reports", json=sent).json()["reference"]
    # (who, path, params, records the call touches); a new consultation route must be added here
    calls = {
        ("/api/v1/search", "GET"): ("csc.worker", "/api/v1/search", {"q": "Jordan"}, 1),
        ("/search", "GET"): ("housing.officer", "/search", {"q": "Jordan"}, 1),
        ("/api/v1/people/{entity_id:path}", "GET"): (
            "csc.worker",
            f"/api/v1/people/{person}",
            {},
            1,
        ),
        ("/people/{entity_id:path}", "GET"): ("csc.chair", f"/people/{person}", {}, 1),
        ("/api/v1/records/{record_id}", "GET"): ("pol.analyst", f"/api/v1/records/{record}", {}, 1),
        ("/records/{record_id}", "GET"): ("housing.officer", f"/records/{record}", {}, 1),
        ("/api/v1/audit", "GET"): ("pol.auditor", "/api/v1/audit", {}, 1),
        ("/audit", "GET"): ("pol.auditor", "/audit", {}, 1),
        ("/api/v1/review", "GET"): ("csc.worker", "/api/v1/review", {}, 2),
        ("/review", "GET"): ("pol.analyst", "/review", {}, 2),
        ("/api/v1/map/chart", "GET"): (
            "pol.analyst",
            "/api/v1/map/chart",
            {"focus": f"node:{node}"},
            1,
        ),
        ("/api/v1/map/edges/{edge_id}", "GET"): ("csc.worker", f"/api/v1/map/edges/{edge}", {}, 1),
        ("/api/v1/map/lines", "GET"): ("pol.analyst", "/api/v1/map/lines", {}, 0),  # no line
        ("/map", "GET"): ("pol.analyst", "/map", {}, 0),
        ("/api/v1/map/organisers", "GET"): ("pol.analyst", "/api/v1/map/organisers", {}, 0),
        ("/map/organisers", "GET"): ("csc.worker", "/map/organisers", {}, 0),
        ("/api/v1/map/places", "GET"): ("pol.analyst", "/api/v1/map/places", {}, 0),  # none
        ("/api/v1/map/areas", "GET"): ("pol.analyst", "/api/v1/map/areas", {}, 0),  # no line
        ("/map/timeline", "GET"): ("csc.worker", "/map/timeline", {"focus": f"node:{node}"}, 1),
        ("/api/v1/safeguarding/coverage", "GET"): (
            "csc.worker",
            "/api/v1/safeguarding/coverage",
            {},
            1,  # the seeded flag rests on one record
        ),
        ("/safeguarding", "GET"): ("csc.chair", "/safeguarding", {}, 1),
        ("/api/v1/safeguarding/flags/{reference}", "GET"): (
            "csc.worker",
            "/api/v1/safeguarding/flags/F1-1",
            {},
            1,
        ),
        ("/safeguarding/flags/{reference}", "GET"): (
            "csc.chair",
            "/safeguarding/flags/F1-1",
            {},
            1,
        ),
        # equality monitoring: aggregates only, one event per view naming "equality_monitoring"
        ("/api/v1/safeguarding/equality", "GET"): (
            "pol.analyst",
            "/api/v1/safeguarding/equality",
            {},
            1,
        ),
        ("/safeguarding/equality", "GET"): ("pol.auditor", "/safeguarding/equality", {}, 1),
        # community reports: one report, sent without an account just before the calls
        ("/api/v1/reports", "GET"): ("csc.worker", "/api/v1/reports", {}, 1),
        ("/reports", "GET"): ("csc.chair", "/reports", {}, 1),
        ("/api/v1/reports/{reference}", "GET"): ("csc.worker", f"/api/v1/reports/{report}", {}, 1),
        ("/reports/{reference}", "GET"): ("csc.chair", f"/reports/{report}", {}, 1),
        # MACE: the seeded meeting's agenda holds one item, the flagged child, on one record
        ("/api/v1/mace/meetings/{meeting_id}", "GET"): (
            "csc.chair",
            "/api/v1/mace/meetings/1",
            {},
            1,
        ),
        ("/mace/{meeting_id}", "GET"): ("csc.chair", "/mace/1", {}, 1),
    }
    app = create_app(app_settings)
    consultation_routes = {
        (r.path, m)
        for r in route_table(app.routes)
        if (r.openapi_extra or {}).get("x-linemap-audit") == "consultation"
        for m in r.methods
    }
    app.state.workspace.uow.dispose()
    assert consultation_routes == set(calls), "every consultation route needs a check here"
    for key, (who, path, params, touched) in calls.items():
        before = len(_consultations(app_settings))
        response = client_for(who).get(path, params=params)
        assert response.status_code in (200, 403), (key, response.status_code)
        new = _consultations(app_settings)[before:]
        assert len(new) == touched, (key, new)
        assert all(len(ids) == 1 for ids in new), key


def test_each_disclosure_route_writes_one_disclosure_per_record(
    client_for: Client, app_settings: Settings
) -> None:
    analyst = client_for("pol.analyst")
    record = analyst.get("/api/v1/search", params={"q": "Jordan"}).json()["hits"][0]["record_id"]
    body = {
        "recipient": "Kent MASH",
        "purpose": "referral",
        "lawful_basis": "DPA 2018 Sch 8 para 4",
    }
    app = create_app(app_settings)
    routes = {
        r.path
        for r in route_table(app.routes)
        if (r.openapi_extra or {}).get("x-linemap-audit") == "disclosure"
    }
    app.state.workspace.uow.dispose()
    assert routes == {
        "/api/v1/records/{record_id}/disclosures",
        "/records/{record_id}/export",
        "/api/v1/map/export",
        "/map/export",
        "/api/v1/mace/meetings/{meeting_id}/packs",  # tests/web/test_mace.py gives packs
        "/mace/{meeting_id}/pack",
    }
    before = len(_consultations(app_settings, "disclosure"))
    made = analyst.post(f"/api/v1/records/{record}/disclosures", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["disclosure_id"] in made.json()["watermark"]
    page = client_for(None)
    page.post(
        "/sign-in", data={"username": "pol.analyst", "password": "correct horse battery staple"}
    )
    csrf = page.get(f"/records/{record}").text.split('name="csrf_token" value="')[1].split('"')[0]
    download = page.post(f"/records/{record}/export", data={"csrf_token": csrf, **body})
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert "linemap disclosure D-" in download.text
    assert len(_consultations(app_settings, "disclosure")) == before + 2
    node, _ = phone_chart(app_settings.database_url)
    chart = {"focus": f"node:{node}", "view": "safeguarding", "format": "graphml", **body}
    exported = analyst.post("/api/v1/map/export", json=chart)
    assert exported.status_code == 200, exported.text
    frame = page.get(f"/map/chart?focus=node:{node}").text
    csrf = frame.split('name="csrf_token" value="')[1].split('"')[0]
    download = page.post("/map/export", data={"csrf_token": csrf, **chart})
    assert download.status_code == 200
    assert "linemap disclosure D-" in download.text
    assert len(_consultations(app_settings, "disclosure")) == before + 4  # one record each
