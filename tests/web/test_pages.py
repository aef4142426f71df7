"""Server-rendered pages: sign-in, search, profile, intake, administration, sign-out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.services.conftest import register_row, write_csv
from tests.web.conftest import PASSWORD

Client = Callable[[str | None], TestClient]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post("/sign-in", data={"username": username, "password": password})
    assert response.status_code == 200, response.text


def test_pages_need_a_session_and_sign_in_works(client_for: Client) -> None:
    client = client_for(None)
    response = client.get("/search", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")
    failed = client.post(
        "/sign-in", data={"username": "csc.worker", "password": "not the password"}
    )
    assert failed.status_code == 401
    assert "username or password is not right" in failed.text
    _sign_in(client, "csc.worker")
    dashboard = client.get("/")
    assert "Dashboard" in dashboard.text
    assert 'lang="en-GB"' in dashboard.text
    assert "Skip to main content" in dashboard.text


def test_search_page_shows_hits_and_discovery(client_for: Client) -> None:
    worker = client_for(None)
    _sign_in(worker, "csc.worker")
    page = worker.get("/search", params={"q": "Sample 2008"}).text
    assert "/people/KENTPOL%3AP2%23" in page
    housing = client_for(None)
    _sign_in(housing, "housing.officer")
    page = housing.get("/search", params={"q": "Sample"}).text
    assert "Kent Police (KENTPOL) holds information" in page
    assert "intel@kentpol.example" in page
    assert "/people/" not in page
    bad = housing.get("/search", params={"q": "Sample 31/02/2009"})
    assert "not a date of birth" in bad.text


def test_profile_page_shows_provenance_and_refuses_outsiders(client_for: Client) -> None:
    worker = client_for(None)
    _sign_in(worker, "csc.worker")
    page = worker.get("/people/KENTPOL%3AP1%23person")
    assert page.status_code == 200, page.text
    assert "KENTPOL · 2025-01-10" in page.text
    assert "seen under agreement ISA-CE" in page.text
    housing = client_for(None)
    _sign_in(housing, "housing.officer")
    refused = housing.get("/people/KENTPOL%3AP1%23person")
    assert refused.status_code == 403
    assert "Kent Police (KENTPOL) holds information here that you may not open" in refused.text


def test_intake_page_reports_quarantined_rows(client_for: Client, tmp_path: Path) -> None:
    worker = client_for(None)
    _sign_in(worker, "csc.worker")
    csrf = _csrf(worker.get("/intake").text)
    path = write_csv(
        tmp_path / "r.csv", [register_row("W1"), register_row("W2", postcode="NOT A CODE")]
    )
    with path.open("rb") as handle:
        page = worker.post(
            "/intake",
            data={"csrf_token": csrf, "mapping": "person-register"},
            files={"file": ("r.csv", handle, "text/csv")},
        )
    assert page.status_code == 200, page.text
    assert "1 accepted, 1 quarantined" in page.text
    assert "postcode" in page.text
    assert "NOT A CODE" not in page.text
    with path.open("rb") as handle:
        forged = worker.post(
            "/intake",
            data={"csrf_token": "forged", "mapping": "person-register"},
            files={"file": ("r.csv", handle, "text/csv")},
        )
    assert forged.status_code == 403


def test_administration_is_for_administrators_only(client_for: Client) -> None:
    admin = client_for(None)
    _sign_in(admin, "the.admin")
    page = admin.get("/admin")
    assert "ISA-CE" in page.text
    made = admin.post(
        "/admin/agencies",
        data={
            "csrf_token": _csrf(page.text),
            "code": "NEWVCS",
            "name": "New charity",
            "kind": "voluntary",
        },
    )
    assert "agency NEWVCS added" in made.text
    worker = client_for(None)
    _sign_in(worker, "csc.worker")
    assert worker.get("/admin").status_code == 403
    assert admin.get("/search", params={"q": "Jordan"}).status_code == 403


def test_sign_out_ends_the_session(client_for: Client) -> None:
    worker = client_for(None)
    _sign_in(worker, "csc.worker")
    csrf = _csrf(worker.get("/").text)
    done = worker.post("/sign-out", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert worker.get("/", follow_redirects=False).status_code == 303
