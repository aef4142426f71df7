"""Community reports over HTTP: the public form without an account, and the team's triage."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from linemap.errors import TooManyAttempts
from linemap.web.community import SubmissionLimit

Client = Callable[[str | None], TestClient]
SAME_SITE = {"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"}
FORM = {
    "concern": "Two children of about 13 are dropped off at the flat every evening after school.",
    "location": "Flat above 2 Sample Parade, Gillingham",
    "postcode": "ME7",
    "happened": "2026-11-20",
    "phone": "07700 900331",
    "reporter_name": "Sam Testreporter",
    "reporter_contact": "sam@example.org",
}
REFERENCE = re.compile(r"CR-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def _send(client_for: Client, **change: str) -> str:
    response = client_for(None).post("/api/v1/reports", json={**FORM, **change})
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def test_the_form_needs_no_account_and_answers_with_a_reference(client_for: Client) -> None:
    public = client_for(None)
    form = public.get("/report")
    assert form.status_code == 200
    assert "you do not have to say who you are" in form.text
    assert "call 999" in form.text
    # Referrer-Policy: no-referrer makes a browser's Origin "null"; Sec-Fetch-Site still tells.
    sent = public.post("/report", data=FORM, headers={**SAME_SITE, "Origin": "null"})
    assert sent.status_code == 200, sent.text
    found = REFERENCE.search(sent.text)
    assert found is not None
    assert "Sam Testreporter" not in sent.text
    [report] = client_for("csc.worker").get("/api/v1/reports").json()
    assert report["reference"] == found.group(0)
    assert report["reporter"] == {"name": "Sam Testreporter", "contact": "sam@example.org"}
    assert report["details"] == {"postcode": "ME7", "phone": "07700 900331"}


def test_a_report_sent_from_another_site_is_refused(client_for: Client) -> None:
    public = client_for(None)
    for headers in (
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null", "Sec-Fetch-Site": "same-site"},
    ):
        refused = public.post("/report", data=FORM, headers=headers)
        assert refused.status_code == 403, headers
        assert "did not come from this site" in refused.text
        api = public.post("/api/v1/reports", json=FORM, headers=headers)
        assert api.status_code == 403
    assert client_for("csc.worker").get("/api/v1/reports").json() == []


def test_a_bad_report_comes_back_with_what_to_correct_and_what_was_typed(
    client_for: Client,
) -> None:
    public = client_for(None)
    sent = public.post("/report", data={**FORM, "concern": "", "phone": "12345"}, headers=SAME_SITE)
    assert sent.status_code == 422
    assert "What is happening: this is needed" in sent.text
    assert "Phone number noticed:" in sent.text
    assert FORM["location"] in sent.text  # kept in the form, not lost
    too_long = public.post("/api/v1/reports", json={**FORM, "concern": "x" * 4001})
    assert too_long.status_code == 422
    assert "x" * 50 not in too_long.text
    assert client_for("csc.worker").get("/api/v1/reports").json() == []


def test_submissions_are_limited_per_client_and_overall() -> None:
    limit = SubmissionLimit(per_client=2, overall=3, window_seconds=60)
    limit.admit("a")
    limit.admit("a")
    with pytest.raises(TooManyAttempts, match="call 999"):
        limit.admit("a")
    limit.admit("b")
    with pytest.raises(TooManyAttempts):
        limit.admit("c")  # the overall ceiling


def test_reports_from_one_client_are_limited(client_for: Client) -> None:
    public = client_for(None)
    for _ in range(5):
        assert public.post("/api/v1/reports", json=FORM).status_code == 201
    refused = public.post("/api/v1/reports", json=FORM)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_attempts"
    page = public.post("/report", data=FORM, headers=SAME_SITE)
    assert page.status_code == 429
    assert FORM["location"] in page.text


def test_only_the_receiving_team_reads_reports(client_for: Client) -> None:
    reference = _send(client_for)
    assert client_for(None).get("/api/v1/reports").status_code == 401
    unsigned = client_for(None).get(f"/reports/{reference}", follow_redirects=False)
    assert unsigned.status_code == 303
    assert unsigned.headers["location"].startswith("/sign-in")
    for who in ("housing.officer", "vcs.partner", "pol.analyst", "the.admin", "pol.auditor"):
        client = client_for(who)
        assert client.get("/api/v1/reports").status_code == 403, who
        assert client.get("/reports").status_code == 403, who
        hidden = client.get(f"/api/v1/reports/{reference}")
        assert hidden.status_code == 404, who
        assert "Testreporter" not in hidden.text
        assert client.get(f"/reports/{reference}").status_code == 404, who
    chair = client_for("csc.chair")
    assert reference in chair.get("/reports").text
    page = chair.get(f"/reports/{reference}")
    assert page.status_code == 200
    assert "Sam Testreporter" in page.text
    assert "sam@example.org" in page.text


def test_a_triager_accepts_a_report_into_a_graded_record(client_for: Client) -> None:
    reference = _send(client_for)
    worker = client_for("csc.worker")
    body = {"source": "2", "intelligence": "C", "place_kind": "trap_house"}
    no_token = client_for(None)
    no_token.cookies.update(worker.cookies)
    assert no_token.post(f"/api/v1/reports/{reference}/accept", json=body).status_code == 403
    grade_one = worker.post(f"/api/v1/reports/{reference}/accept", json={**body, "source": "1"})
    assert grade_one.status_code == 422
    chair = client_for("csc.chair")
    assert chair.post(f"/api/v1/reports/{reference}/accept", json=body).status_code == 403
    made = worker.post(f"/api/v1/reports/{reference}/accept", json=body)
    assert made.status_code == 200, made.text
    assert (made.json()["status"], made.json()["triage_reason"]) == ("accepted", "2CP")
    record = worker.get(f"/api/v1/records/{made.json()['record_id']}")
    assert record.status_code == 200
    assert "trap_house" in record.text
    assert "Testreporter" not in record.text
    assert "sam@example.org" not in record.text
    again = worker.post(f"/api/v1/reports/{reference}/accept", json=body)
    assert again.status_code == 422
    assert worker.get("/api/v1/reports").json() == []


def test_the_triage_pages_accept_and_dismiss(client_for: Client) -> None:
    first, second = _send(client_for), _send(client_for, concern="A car parks outside daily.")
    worker = client_for("csc.worker")
    queue = worker.get("/reports")
    assert queue.status_code == 200
    assert queue.text.index(first) < queue.text.index(second)  # oldest first
    page = worker.get(f"/reports/{first}")
    csrf = _csrf(page.text)
    wrong = worker.post(
        f"/reports/{first}/accept", data={"csrf_token": csrf, "source": "3", "intelligence": ""}
    )
    assert wrong.status_code == 422
    assert "grade the intelligence" in wrong.text
    bad_token = worker.post(f"/reports/{first}/dismiss", data={"csrf_token": "x", "reason": "r"})
    assert bad_token.status_code == 403
    accepted = worker.post(
        f"/reports/{first}/accept",
        data={"csrf_token": csrf, "source": "3", "intelligence": "D", "place_kind": ""},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/reports?done={first}"
    dismissed = worker.post(
        f"/reports/{second}/dismiss",
        data={"csrf_token": csrf, "reason": "Parking only; no concern."},
        follow_redirects=False,
    )
    assert dismissed.status_code == 303
    assert "No new reports" in worker.get("/reports").text
    assert first in worker.get("/reports", params={"status": "accepted"}).text
    done = worker.get(f"/reports/{second}").text
    assert "Dismissed: Parking only; no concern." in done
    assert 'action="/reports/' not in done  # no triage forms once triaged


def test_a_report_said_to_be_over_64_kib_is_refused_before_it_is_read(client_for: Client) -> None:
    public = client_for(None)
    long_form = {**FORM, "concern": "x" * (64 * 1024)}
    api = public.post("/api/v1/reports", json=long_form)
    assert api.status_code == 413
    error = api.json()["error"]
    assert (error["status"], error["code"]) == (413, "http")
    assert "the report is too long" in error["message"]
    assert "x" * 50 not in api.text
    page = public.post("/report", data=long_form, headers=SAME_SITE)
    assert page.status_code == 413
    assert "the report is too long" in page.text
    # refused unread: a malformed body over the limit is not even found malformed
    unread = b"{" + b" " * (64 * 1024)
    sent = public.post(
        "/api/v1/reports", content=unread, headers={"content-type": "application/json"}
    )
    assert sent.status_code == 413
    # 64 KiB exactly is read as usual (and here refused for what it says)
    body = json.dumps({**FORM, "concern": ""}).encode()
    at_limit = body[:-1] + b" " * (64 * 1024 - len(body)) + b"}"
    assert len(at_limit) == 64 * 1024
    read = public.post(
        "/api/v1/reports", content=at_limit, headers={"content-type": "application/json"}
    )
    assert read.status_code == 422
    assert client_for("csc.worker").get("/api/v1/reports").json() == []
