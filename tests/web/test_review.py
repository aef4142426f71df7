"""The who-is-who review queue and judgements, through /api/v1 and the page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from linemap.settings import Settings
from linemap.store import tables
from linemap.store.unit_of_work import UnitOfWork

Client = Callable[[str | None], TestClient]


def _events(settings: Settings, operation: str) -> list[tuple[tuple[str, ...], dict[str, object]]]:
    uow = UnitOfWork.from_url(settings.database_url)
    with uow.read() as tx:
        found = [
            (e.event.record_ids, dict(e.event.detail))
            for e in tx.audit.iter_events()
            if e.event.operation.value == operation
        ]
    uow.dispose()
    return found


def test_the_queue_shows_a_pair_with_its_explanation_children_first(client_for: Client) -> None:
    queue = client_for("csc.worker").get("/api/v1/review").json()  # under the ISA
    assert (queue["waiting"], queue["judged"], queue["elsewhere"]) == (1, 0, 0)
    [item] = queue["items"]
    assert item["involves_child"] is True
    assert item["probability"] == 0.7
    assert item["prior_weight"] == -9.5
    assert [(f["comparison"], f["level"], f["weight"]) for f in item["factors"]] == [
        ("forename", "exact", 6.1),
        ("surname", "Jaro-Winkler >= 0.8", 2.3),
        ("dob", "born within a year", -1.2),
    ]
    names = {item[side]["properties"]["forename"][0]["value"] for side in ("left", "right")}
    assert names == {"jordan", "casey"}


def test_a_pair_that_joined_a_bare_name_is_offered_and_a_no_parts_them_at_once(
    client_for: Client, app_settings: Settings
) -> None:
    # The run joined the two mentions on the name alone, under the match threshold: they are
    # one person already (each remembering its own part), and still offered for review.
    uow = UnitOfWork.from_url(app_settings.database_url)
    member, pair = tables.resolution_member, tables.resolution_pair
    with uow.write() as tx:
        [person] = tx.connection.execute(select(func.min(member.c.person_id))).scalars()
        tx.connection.execute(
            update(member)
            .where(member.c.person_id != person)
            .values(person_id=person, clustered_as=member.c.person_id)
        )
        tx.connection.execute(update(pair).values(joined_on_name=True))
    worker = client_for("csc.worker")
    [item] = worker.get("/api/v1/review").json()["items"]
    assert item["joined_on_name"] is True
    assert "Already one person" in worker.get("/review").text
    made = worker.post(
        "/api/v1/judgements",
        json={
            "left": item["left"]["id"],
            "right": item["right"]["id"],
            "judgement": "negative",
            "reason": "the stop-search names another young person",
        },
    )
    assert made.status_code == 201, made.text
    with uow.read() as tx:
        people = set(tx.connection.execute(select(member.c.person_id)).scalars())
    uow.dispose()
    assert len(people) == 2


def test_a_reviewer_who_may_not_read_both_records_sees_no_pair(client_for: Client) -> None:
    queue = client_for("housing.officer").get("/api/v1/review").json()
    assert queue["items"] == []
    assert queue["elsewhere"] == 1
    assert "jordan" not in str(queue).lower()


def test_roles_that_do_not_judge_are_refused(client_for: Client) -> None:
    for who in ("pol.auditor", "the.admin"):
        response = client_for(who).get("/api/v1/review")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_a_judgement_is_recorded_audited_and_leaves_the_queue_until_undone(
    client_for: Client, app_settings: Settings
) -> None:
    worker = client_for("csc.worker")
    [item] = worker.get("/api/v1/review").json()["items"]
    body = {
        "left": item["right"]["id"],  # either order: stored as one pair
        "right": item["left"]["id"],
        "judgement": "negative",
        "reason": "different dates of birth and schools",
    }
    before = len(_events(app_settings, "combination"))
    made = worker.post("/api/v1/judgements", json=body)
    assert made.status_code == 201, made.text
    judged = made.json()
    assert (judged["judgement"], judged["actor"], judged["agency"]) == (
        "negative",
        "csc.worker",
        "KENTCSC",
    )
    combination = _events(app_settings, "combination")[before:]
    assert [detail["judgement"] for _, detail in combination] == ["negative"]
    assert worker.get("/api/v1/review").json()["items"] == []
    assert [j["id"] for j in worker.get("/api/v1/judgements").json()] == [judged["id"]]
    # another agency can neither see nor undo it
    assert client_for("pol.analyst").get("/api/v1/judgements").json() == []
    refused = client_for("pol.analyst").post(
        f"/api/v1/judgements/{judged['id']}/undo", json={"reason": "mine now"}
    )
    assert refused.status_code == 403
    undone = worker.post(f"/api/v1/judgements/{judged['id']}/undo", json={"reason": "mistake"})
    assert undone.status_code == 204
    assert len(worker.get("/api/v1/review").json()["items"]) == 1
    assert worker.get("/api/v1/judgements").json() == []
    again = worker.post(f"/api/v1/judgements/{judged['id']}/undo", json={"reason": "mistake"})
    assert again.status_code == 404


def test_judging_records_one_may_not_read_is_refused_and_logged(
    client_for: Client, app_settings: Settings
) -> None:
    [item] = client_for("csc.worker").get("/api/v1/review").json()["items"]
    before = len(_events(app_settings, "consultation"))
    refused = client_for("housing.officer").post(
        "/api/v1/judgements",
        json={
            "left": item["left"]["id"],
            "right": item["right"]["id"],
            "judgement": "positive",
            "reason": "looks alike",
        },
    )
    assert refused.status_code == 403
    assert "Kent Police" in refused.json()["error"]["message"]
    withheld = _events(app_settings, "consultation")[before:]
    assert withheld
    assert all(detail["disclosed"] is False for _, detail in withheld)


def test_bad_judgements_say_what_is_wrong(client_for: Client) -> None:
    worker = client_for("csc.worker")
    [item] = worker.get("/api/v1/review").json()["items"]
    pair = {"left": item["left"]["id"], "right": item["right"]["id"]}
    cases = [
        ({**pair, "judgement": "maybe", "reason": "x"}, 422),
        ({**pair, "judgement": "positive", "reason": "   "}, 422),
        ({**pair, "right": pair["left"], "judgement": "positive", "reason": "x"}, 422),
        ({**pair, "right": "KENTPOL:NOPE#p1", "judgement": "positive", "reason": "x"}, 404),
    ]
    for body, status in cases:
        response = worker.post("/api/v1/judgements", json=body)
        assert response.status_code == status, (body, response.text)
        assert "jordan" not in response.text.lower()
    no_csrf = client_for("csc.worker")
    del no_csrf.headers["X-CSRF-Token"]
    assert (
        no_csrf.post(
            "/api/v1/judgements", json={**pair, "judgement": "positive", "reason": "x"}
        ).status_code
        == 403
    )


def test_the_page_takes_a_decision_and_offers_an_undo(client_for: Client) -> None:
    page = client_for(None)
    page.post(
        "/sign-in", data={"username": "csc.worker", "password": "correct horse battery staple"}
    )
    assert "1 uncertain pair(s)" in page.get("/").text  # the dashboard says what waits
    html = page.get("/review").text
    assert "Are these the same person?" in html
    assert "born within a year" in html
    assert 'data-key="y"' in html
    assert "/static/review.js" in html
    csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
    left = html.split('name="left" value="')[1].split('"')[0]
    right = html.split('name="right" value="')[1].split('"')[0]
    form = {"csrf_token": csrf, "left": left, "right": right, "judgement": "unsure"}
    empty = page.post("/review/judge", data={**form, "reason": ""})
    assert "give the reason" in empty.text
    done = page.post(
        "/review/judge", data={**form, "reason": "cannot tell"}, follow_redirects=False
    )
    assert done.status_code == 303
    html = page.get("/review").text
    assert "Nothing waits for you to review." in html
    assert "Undo " in html
    assert "cannot tell" in html
