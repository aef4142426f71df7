"""/api/v1 under the access policy: sessions, errors, discovery, audit, administration."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv
from tests.web.conftest import PASSWORD, Clock, later

Client = Callable[[str | None], TestClient]


def _events(settings: Settings) -> list[tuple[str, str, tuple[str, ...], str]]:
    uow = UnitOfWork.from_url(settings.database_url)
    with uow.read() as tx:
        found = [
            (e.event.operation.value, e.event.actor, e.event.record_ids, e.event.outcome)
            for e in tx.audit.iter_events()
        ]
    uow.dispose()
    return found


def test_no_session_is_401_in_the_one_error_shape(client_for: Client) -> None:
    response = client_for(None).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_signed_in"
    assert response.headers["cache-control"] == "no-store"


def test_wrong_password_then_throttle(client_for: Client) -> None:
    client = client_for(None)
    for _ in range(3):
        bad = client.post(
            "/api/v1/session", json={"username": "csc.worker", "password": "wrong-password!"}
        )
        assert bad.status_code == 422
        assert "username or password" in bad.json()["error"]["message"]
    blocked = client.post("/api/v1/session", json={"username": "csc.worker", "password": PASSWORD})
    assert blocked.status_code == 429


def test_search_under_an_agreement_and_discovery_without(client_for: Client) -> None:
    found = client_for("csc.worker").get(
        "/api/v1/search", params={"q": "Sample", "purpose": "referral"}
    )
    assert found.status_code == 200
    assert [h["properties"]["surname"][0]["value"] for h in found.json()["hits"]] == ["sample"]
    housing = client_for("housing.officer").get("/api/v1/search", params={"q": "Sample"}).json()
    assert housing["hits"] == []
    assert housing["discoveries"] == [
        {
            "agency": "KENTPOL",
            "name": "Kent Police",
            "contact": "intel@kentpol.example",
            "records": 1,
        }
    ]


def test_profile_is_403_with_whom_to_ask_or_404_for_non_casework(client_for: Client) -> None:
    hit = client_for("pol.analyst").get("/api/v1/search", params={"q": "Jordan"}).json()["hits"][0]
    path = f"/api/v1/people/{quote(hit['id'], safe='')}"
    assert client_for("csc.worker").get(path).status_code == 200
    refused = client_for("housing.officer").get(path)
    assert refused.status_code == 403
    assert "Kent Police" in refused.json()["error"]["message"]
    assert "intel@kentpol.example" in refused.json()["error"]["message"]
    assert client_for("the.admin").get(path).status_code == 404
    assert client_for("pol.auditor").get(f"/api/v1/records/{hit['record_id']}").status_code == 404


def test_session_ends_on_inactivity_and_on_sign_out(client_for: Client, clock: Clock) -> None:
    client = client_for("csc.worker")
    later(clock, minutes=29)
    assert client.get("/api/v1/me").status_code == 200
    later(clock, minutes=31)
    assert client.get("/api/v1/me").status_code == 401
    other = client_for("csc.chair")
    assert other.delete("/api/v1/session").status_code == 204
    assert other.get("/api/v1/me").status_code == 401


def test_disabling_an_account_ends_its_sessions_at_once(client_for: Client) -> None:
    worker = client_for("csc.worker")
    admin = client_for("the.admin")
    csrf = admin.get("/api/v1/me").json()["csrf_token"]
    done = admin.post(
        "/admin/users/csc.worker/active",
        data={"csrf_token": csrf, "active": "false"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert worker.get("/api/v1/me").status_code == 401


def test_state_changes_need_the_csrf_token(client_for: Client) -> None:
    admin = client_for("the.admin")
    body = {
        "code": "ISA-NEW",
        "purpose": "Housing and police on cuckooing",
        "lawful_basis": "DPA 2018 Sch 8 para 4",
        "parties": ["KENTPOL", "THANETH"],
        "roles": ["practitioner"],
        "record_kinds": ["housing-asb-cuckooing"],
        "start": "2026-01-01",
        "end": "2026-12-31",
    }
    token = admin.headers.pop("X-CSRF-Token")
    assert admin.post("/api/v1/isas", json=body).status_code == 403
    made = admin.post("/api/v1/isas", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    assert made.json()["parties"] == ["KENTPOL", "THANETH"]
    worker = client_for("csc.worker")
    assert worker.post("/api/v1/isas", json={**body, "code": "ISA-X"}).status_code == 403


def test_auditors_never_see_their_own_activity_and_are_audited(
    client_for: Client, app_settings: Settings
) -> None:
    client_for("csc.worker").get("/api/v1/search", params={"q": "Sample"})
    auditor = client_for("pol.auditor")
    auditor.get("/api/v1/audit")  # the auditor's own search is logged ...
    events = auditor.get("/api/v1/audit", params={"operation": "consultation"}).json()
    assert events
    assert all(e["actor"] != "pol.auditor" for e in events)  # ... but never shown to them
    assert any(e["actor"] == "csc.worker" for e in events)
    assert auditor.get("/api/v1/audit", params={"actor": "pol.auditor"}).status_code == 403
    assert client_for("pol.auditor2").get("/api/v1/audit", params={"actor": "pol.auditor"}).json()
    assert client_for("csc.worker").get("/api/v1/audit").status_code == 403
    assert ("consultation", "pol.auditor", ("audit_trail",), "success") in _events(app_settings)


def test_upload_quarantines_a_bad_row_with_its_reason(client_for: Client, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv", [register_row("C1"), register_row("C2", date_of_birth="31/02/2009")]
    )
    worker = client_for("csc.worker")
    with path.open("rb") as handle:
        response = worker.post(
            "/api/v1/intake",
            params={"mapping": "person-register"},
            files={"file": ("x.csv", handle, "text/csv")},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (1, 1)
    assert body["problems"][0]["row"] == 3
    assert "2009" not in body["problems"][0]["reason"]  # reasons never echo the value
    admin = client_for("the.admin")
    with path.open("rb") as handle:
        refused = admin.post(
            "/api/v1/intake",
            params={"mapping": "person-register"},
            files={"file": ("x.csv", handle, "text/csv")},
        )
    assert refused.status_code == 403


def test_openapi_document_is_served(client_for: Client) -> None:
    spec = client_for(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in spec["paths"]
    assert all(path.startswith("/api/v1") for path in spec["paths"])
