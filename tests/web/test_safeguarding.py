"""Safeguarding in the workspace: the coverage dashboard and a flag under the access policy,
and a screener's decision recorded as a named step (API and pages)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

Client = Callable[[str | None], TestClient]
FLAG = "F1-1"


def _operations(settings: Settings, operation: str) -> list[tuple[str, ...]]:
    uow = UnitOfWork.from_url(settings.database_url)
    with uow.read() as tx:
        found = [
            e.event.record_ids
            for e in tx.audit.iter_events()
            if e.event.operation.value == operation
        ]
    uow.dispose()
    return found


def test_a_screener_refers_a_flagged_child_and_the_dashboard_updates(
    client_for: Client, app_settings: Settings
) -> None:
    worker = client_for("csc.worker")  # reads the police record under the ISA
    before = worker.get("/api/v1/safeguarding/coverage").json()
    assert before["counts"]["identified"] == 1
    assert [f["reference"] for f in before["outstanding"]] == [FLAG]
    assert before["outstanding"][0]["child"] is True
    assert before["outstanding"][0]["overdue"] is True  # flagged yesterday, no decision yet
    made = worker.post(
        f"/api/v1/safeguarding/flags/{FLAG}/steps",
        json={"action": "refer", "local_authority": "Kent"},
    )
    assert made.status_code == 201, made.text
    case = made.json()
    assert case["state"] == "referred"
    assert case["steps"][0]["by_name"] == "csc.worker"
    assert case["steps"][0]["by_role"] == "practitioner"
    assert case["actions"] == ["screen"]
    after = worker.get("/api/v1/safeguarding/coverage").json()
    assert after["outstanding"] == []
    assert after["counts"]["referred"] == 1
    assert after["counts"]["identified"] == 0
    assert _operations(app_settings, "alteration")[-1] == (f"case:{case['id']}",)


def test_a_flag_shows_its_evidence_to_a_reader_of_its_records_only(client_for: Client) -> None:
    flag = client_for("csc.worker").get(f"/api/v1/safeguarding/flags/{FLAG}")
    assert flag.status_code == 200, flag.text
    body = flag.json()
    assert body["frame"] == "victim"
    assert [o["criterion"] for o in body["observations"]] == ["missing", "drug-supply"]
    assert body["observations"][0]["records"]
    housing = client_for("housing.officer")  # no agreement with the police
    assert housing.get(f"/api/v1/safeguarding/flags/{FLAG}").status_code == 404
    coverage = housing.get("/api/v1/safeguarding/coverage").json()
    assert coverage["flags"] == []
    assert coverage["hidden"] == 1
    assert client_for("pol.auditor").get("/api/v1/safeguarding/coverage").status_code == 403
    assert client_for(None).get("/api/v1/safeguarding/coverage").status_code == 401


def test_a_step_outside_the_workflow_is_refused_with_what_is_allowed(client_for: Client) -> None:
    worker = client_for("csc.worker")
    wrong = worker.post(f"/api/v1/safeguarding/flags/{FLAG}/steps", json={"action": "close"})
    assert wrong.status_code == 422
    assert "allowed: refer, decide_not_to_refer" in wrong.text
    no_reason = worker.post(
        f"/api/v1/safeguarding/flags/{FLAG}/steps", json={"action": "decide_not_to_refer"}
    )
    assert no_reason.status_code == 422
    assert "reason" in no_reason.text
    del worker.headers["X-CSRF-Token"]
    forged = worker.post(f"/api/v1/safeguarding/flags/{FLAG}/steps", json={"action": "refer"})
    assert forged.status_code == 403
    still = client_for("csc.worker").get("/api/v1/safeguarding/coverage").json()
    assert still["counts"]["identified"] == 1


def test_the_pages_list_the_flag_and_record_a_decision(client_for: Client) -> None:
    page = client_for(None)
    page.post(
        "/sign-in", data={"username": "csc.chair", "password": "correct horse battery staple"}
    )
    dashboard = page.get("/safeguarding")
    assert dashboard.status_code == 200
    assert f'href="/safeguarding/flags/{FLAG}"' in dashboard.text
    assert "Waiting for a referral or a recorded decision" in dashboard.text
    detail = page.get(f"/safeguarding/flags/{FLAG}")
    assert "Personal assessment" in detail.text
    csrf = detail.text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = page.post(
        f"/safeguarding/flags/{FLAG}/steps",
        data={"csrf_token": csrf, "workflow": "referral", "action": "decide_not_to_refer"},
    )
    assert refused.status_code == 200
    assert "give the reason" in refused.text
    done = page.post(
        f"/safeguarding/flags/{FLAG}/steps",
        data={
            "csrf_token": csrf,
            "workflow": "referral",
            "action": "decide_not_to_refer",
            "reason": "Already open to Kent's exploitation team",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    shown = page.get(f"/safeguarding/flags/{FLAG}")
    assert 'id="flag-status">decided<' in shown.text
    assert "Already open to Kent" in shown.text
    assert "Nobody flagged is waiting" in page.get("/safeguarding").text


def test_a_disruption_is_proposed_and_approved_by_another_person(client_for: Client) -> None:
    analyst = client_for("pol.analyst")
    tactics = analyst.get("/api/v1/safeguarding/tactics").json()
    assert {t["id"] for t in tactics} >= {"ddtro", "closure-order", "ccepo"}
    no_impact = analyst.post(
        "/api/v1/safeguarding/disruptions",
        json={"tactic": "ddtro", "line": "L1", "safeguarding_impact": " "},
    )
    assert no_impact.status_code == 422
    assert "safeguarding impact" in no_impact.text
    made = analyst.post(
        "/api/v1/safeguarding/disruptions",
        json={
            "tactic": "ddtro",
            "line": "L1",
            "safeguarding_impact": "Two children run this line: refer them before the phones go",
        },
    )
    assert made.status_code == 201, made.text
    case = made.json()["case"]
    assert case["state"] == "proposed"
    own = analyst.post(
        f"/api/v1/safeguarding/disruptions/{case['id']}/steps", json={"action": "approve"}
    )
    assert own.status_code == 403
    assert "another person" in own.text
    intel = client_for("pol.intel")
    approved = intel.post(
        f"/api/v1/safeguarding/disruptions/{case['id']}/steps", json={"action": "approve"}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["case"]["state"] == "approved"
    assert client_for("csc.worker").get("/api/v1/safeguarding/disruptions").json() == []
    page = client_for(None)
    page.post(
        "/sign-in", data={"username": "pol.analyst", "password": "correct horse battery staple"}
    )
    shown = page.get("/safeguarding/disruption")
    assert "Application" in shown.text
    assert "approve by pol.intel (police_intelligence)" in shown.text


def test_a_childs_frame_changes_only_with_a_second_approver_of_another_role(
    client_for: Client,
) -> None:
    worker = client_for("csc.worker")
    steps = f"/api/v1/safeguarding/flags/{FLAG}/steps"
    unreasoned = worker.post(
        steps, json={"workflow": "frame", "action": "request_change", "frame": "dual"}
    )
    assert unreasoned.status_code == 422
    assert "reason" in unreasoned.text
    direct = worker.post(
        steps,
        json={"workflow": "frame", "action": "change", "frame": "dual", "reason": "Dealing"},
    )
    assert direct.status_code == 403
    assert "second approver" in direct.text
    asked = worker.post(
        steps,
        json={
            "workflow": "frame",
            "action": "request_change",
            "frame": "dual",
            "reason": "Recruits younger children onto the line himself",
        },
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["state"] == "change_requested"
    same = worker.post(steps, json={"workflow": "frame", "action": "approve_change"})
    assert same.status_code == 403
    assert (
        client_for("csc.worker").get(f"/api/v1/safeguarding/flags/{FLAG}").json()["frame"]
        == "victim"
    )
    chair = client_for("csc.chair")
    approved = chair.post(steps, json={"workflow": "frame", "action": "approve_change"})
    assert approved.status_code == 201, approved.text
    flag = chair.get(f"/api/v1/safeguarding/flags/{FLAG}").json()
    assert flag["frame"] == "dual"
    assert flag["cases"]["frame"]["steps"][-1]["by_role"] == "mace_chair"
    assert "direct consequence of being a victim" in flag["section_45"]


def test_an_nrm_referral_of_a_child_needs_no_consent_and_reconsideration_its_requester(
    client_for: Client,
) -> None:
    worker = client_for("csc.worker")
    steps = f"/api/v1/safeguarding/flags/{FLAG}/steps"
    nameless = worker.post(steps, json={"workflow": "nrm", "action": "refer"})
    assert nameless.status_code == 422
    assert "First Responder" in nameless.text
    referred = worker.post(
        steps, json={"workflow": "nrm", "action": "refer", "first_responder": "Kent CSC"}
    )
    assert referred.status_code == 201, referred.text
    assert referred.json()["state"] == "rg_pending"
    negative = worker.post(
        steps,
        json={
            "workflow": "nrm",
            "action": "reasonable_grounds_negative",
            "reason": "Competent authority: not enough information",
        },
    )
    assert negative.status_code == 201, negative.text
    again = {"workflow": "nrm", "action": "request_reconsideration", "reason": "New evidence"}
    refused = worker.post(steps, json={**again, "requested_by": "parent"})
    assert refused.status_code == 422
    assert "First Responder or a support provider" in refused.text
    asked = worker.post(steps, json={**again, "requested_by": "first_responder"})
    assert asked.status_code == 201, asked.text
    assert asked.json()["state"] == "rg_pending"
