"""Community and family reports: received without an account, held apart, triaged by one team."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from linemap.errors import ConfigurationError, Forbidden, InvalidInput, NotFound, TooManyAttempts
from linemap.governance.actor import Actor
from linemap.model.vocabulary import Role
from linemap.services import community, directory, triage
from linemap.services.community import Submission
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import snapshot

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
WORKER = Actor(1, "csc.worker", "KENTCSC", Role.PRACTITIONER, True)
CHAIR = Actor(2, "csc.chair", "KENTCSC", Role.MACE_CHAIR, True)
CSC_ADMIN = Actor(3, "csc.admin", "KENTCSC", Role.ADMINISTRATOR, True)
POLICE = Actor(4, "pol.analyst", "KENTPOL", Role.ANALYST, True)
VOLUNTEER = Actor(5, "vcs.worker", "THANETVCS", Role.PRACTITIONER, True)
REPORTER = ("Alex Testreporter", "07700 900999")
CONCERN = Submission(
    concern="A boy of about 14 hands small packages to people getting out of cars.",
    location="Bus shelter opposite 40 Fictional Street, Margate",
    happened="2026-11-20",
    postcode="CT9 1ZZ",
    known_as="Little J",
    age="about 14",
    phone="07700 900331",
    vehicle="XX00 EXM",
    reporter_name=REPORTER[0],
    reporter_contact=REPORTER[1],
)


@pytest.fixture
def region(uow: UnitOfWork) -> UnitOfWork:
    """A police force, then children's social care, then a voluntary organisation."""
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    directory.add_agency(
        uow, "admin", "KENTCSC", "Kent Children's Services", "childrens_social_care", "Kent"
    )
    directory.add_agency(uow, "admin", "THANETVCS", "Thanet Youth Trust", "voluntary", "Thanet")
    return uow


def _send(
    uow: UnitOfWork, settings: Settings, given: Submission = CONCERN, at: datetime = NOW
) -> str:
    return community.submit(uow, settings, given, at)


def _events(uow: UnitOfWork, operation: str) -> list[tuple[tuple[str, ...], str]]:
    with uow.read() as tx:
        return [
            (e.event.record_ids, json.dumps(e.event.detail))
            for e in tx.audit.iter_events()
            if e.event.operation.value == operation
        ]


def test_a_report_goes_to_the_first_care_or_voluntary_agency_with_a_reference(
    region: UnitOfWork, settings: Settings
) -> None:
    reference = _send(region, settings)
    assert community.REFERENCE.match(reference)
    assert reference != _send(region, settings)
    [report, _] = triage.queue(region, settings, WORKER, TODAY)
    assert report.reference == reference
    assert report.reporter == {"name": REPORTER[0], "contact": REPORTER[1]}
    assert report.details["known_as"] == "Little J"
    [(ids, detail), *_] = _events(region, "collection")[-2:]
    assert ids == (f"community_report:{report.id}",)
    assert '"agency": "KENTCSC"' in detail
    assert '"reporter_given": true' in detail
    assert REPORTER[0] not in detail
    assert "Fictional" not in detail


def test_the_receiving_agency_can_be_configured(region: UnitOfWork, settings: Settings) -> None:
    configured = Settings(settings.database_url, community_report_agency="thanetvcs")
    reference = _send(region, configured)
    assert [r.reference for r in triage.queue(region, configured, VOLUNTEER, TODAY)] == [reference]
    with pytest.raises(Forbidden):
        triage.queue(region, configured, WORKER, TODAY)  # KENTCSC holds none and is not set
    with pytest.raises(ConfigurationError, match="not registered"):
        _send(region, Settings(settings.database_url, community_report_agency="NOPE"))


def test_without_a_receiving_team_nothing_is_stored(uow: UnitOfWork, settings: Settings) -> None:
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    before = snapshot(uow)
    with pytest.raises(ConfigurationError, match="call 999"):
        _send(uow, settings)
    assert snapshot(uow) == before


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"concern": "  "}, "What is happening: this is needed"),
        ({"location": ""}, "Where: this is needed"),
        ({"happened": "2099-01-01"}, "When: give a date that is not in the future"),
        ({"happened": "last Tuesday"}, "When: give a date such as"),
        ({"concern": "x" * 4001}, "What is happening: shorten it to 4000"),
        ({"reporter_contact": "y" * 301}, "How to contact you: shorten it"),
        ({"phone": "12345"}, "Phone number noticed:"),
        ({"postcode": "NOT A POSTCODE 99"}, "Postcode:"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field_not_the_value(
    region: UnitOfWork, settings: Settings, change: dict[str, str], named: str
) -> None:
    before = snapshot(region)
    given = Submission(**{**CONCERN.__dict__, **change})
    with pytest.raises(InvalidInput) as refused:
        _send(region, settings, given)
    assert named in str(refused.value)
    for value in change.values():
        if value.strip():
            assert value not in str(refused.value)
    assert snapshot(region) == before


def test_control_characters_are_dropped_so_every_database_stores_the_report(
    region: UnitOfWork, settings: Settings
) -> None:
    reference = _send(region, settings, Submission("Seen\x00 twice\x1b.\nAgain today.", "Margate"))
    [report] = triage.queue(region, settings, WORKER, TODAY)
    assert (report.reference, report.concern) == (reference, "Seen twice.\nAgain today.")


def test_only_a_valid_report_counts_against_the_flood_limit(
    region: UnitOfWork, settings: Settings
) -> None:
    counted: list[int] = []

    def admit() -> None:
        counted.append(1)
        if len(counted) > 1:
            raise TooManyAttempts("too many reports")

    community.submit(region, settings, CONCERN, NOW, admit)
    with pytest.raises(InvalidInput):
        community.submit(region, settings, Submission("", "Margate"), NOW, admit)
    assert len(counted) == 1  # correcting a mistake costs nothing
    before = snapshot(region)
    with pytest.raises(TooManyAttempts):
        community.submit(region, settings, CONCERN, NOW, admit)
    assert snapshot(region) == before


def test_only_caseworkers_of_the_receiving_team_see_reports(
    region: UnitOfWork, settings: Settings
) -> None:
    newer = _send(region, settings, at=NOW)
    older = _send(region, settings, at=NOW - timedelta(days=1))
    before = len(_events(region, "consultation"))
    found = triage.queue(region, settings, CHAIR, TODAY)
    assert [r.reference for r in found] == [older, newer]  # oldest first
    consulted = _events(region, "consultation")[before:]
    assert sorted(ids for ids, _ in consulted) == sorted(
        [(f"community_report:{r.id}",) for r in found]
    )
    assert triage.get(region, WORKER, newer.lower(), TODAY).reference == newer
    for outsider in (POLICE, CSC_ADMIN, VOLUNTEER):
        with pytest.raises(Forbidden):
            triage.queue(region, settings, outsider, TODAY)
        with pytest.raises(NotFound, match="check the reference"):
            triage.get(region, outsider, newer, TODAY)
    refused = _events(region, "consultation")[-3:]
    assert all('"disclosed": false' in detail for _, detail in refused)
    with pytest.raises(NotFound):
        triage.get(region, WORKER, "CR-0000-0000", TODAY)


def test_accepting_makes_a_graded_record_through_intake_without_the_reporter(
    region: UnitOfWork, settings: Settings
) -> None:
    reference = _send(region, settings)
    made = triage.accept(region, settings, WORKER, reference, "3", "c", "trap_house", NOW)
    assert (made.status, made.triaged_by, made.triage_reason) == ("accepted", "csc.worker", "3CP")
    assert made.record_id is not None
    with region.read() as tx:
        record = tx.records.get_record(made.record_id)
        statements = tx.records.statements(made.record_id)
        mapping = tx.records.batch_mapping(record.batch_id)
    assert (record.agency_code, record.source_ref, mapping) == (
        "KENTCSC",
        reference,
        "community-concern",
    )
    values = {(s.schema, s.prop): s.value for s in statements}
    assert values[("Event", "event_kind")] == "community_concern"
    assert values[("Phone", "number")] == "+447700900331"
    assert values[("Address", "location_kind")] == "trap_house"
    assert values[("Event", "date")] == "2026-11-20"
    assert {
        (s.qualifier.source_evaluation, s.qualifier.intelligence_assessment) for s in statements
    } == {("3", "C")}
    assert {s.qualifier.handling_code for s in statements} == {"P"}
    assert {s.qualifier.basis for s in statements} == {"personal_assessment"}
    held = " ".join(f"{s.value} {s.original_value or ''}" for s in statements).lower()
    assert "testreporter" not in held
    assert "900999" not in held
    [(ids, detail)] = _events(region, "alteration")
    assert ids == (f"community_report:{made.id}", f"record:{made.record_id}")
    assert '"decision": "accepted"' in detail
    assert triage.queue(region, settings, WORKER, TODAY) == []
    with pytest.raises(InvalidInput, match="already accepted"):
        triage.accept(region, settings, WORKER, reference, "2", "B", "", NOW)


@pytest.mark.parametrize(
    ("source", "intelligence", "place", "message"),
    [
        ("1", "A", "", "source of a community report 2"),
        ("2", "F", "", "intelligence A, B, C, D or E"),
        ("2", "B", "castle", "unknown kind of place"),
    ],
)
def test_accepting_refuses_a_grade_a_community_report_cannot_have(
    region: UnitOfWork,
    settings: Settings,
    source: str,
    intelligence: str,
    place: str,
    message: str,
) -> None:
    reference = _send(region, settings)
    before = snapshot(region)
    with pytest.raises(InvalidInput, match=message):
        triage.accept(region, settings, WORKER, reference, source, intelligence, place, NOW)
    assert snapshot(region) == before


def test_only_those_who_add_records_accept_and_only_in_the_team(
    region: UnitOfWork, settings: Settings
) -> None:
    reference = _send(region, settings)
    with pytest.raises(Forbidden, match="only analysts and practitioners"):
        triage.accept(region, settings, CHAIR, reference, "2", "B", "", NOW)
    with pytest.raises(NotFound):
        triage.accept(region, settings, POLICE, reference, "2", "B", "", NOW)
    with pytest.raises(NotFound):
        triage.dismiss(region, VOLUNTEER, reference, "not ours", NOW)
    assert [r.status for r in triage.queue(region, settings, WORKER, TODAY)] == ["new"]


def test_dismissing_needs_a_reason_and_is_audited(region: UnitOfWork, settings: Settings) -> None:
    reference = _send(region, settings, Submission("Loud music at night.", "Margate"))
    with pytest.raises(InvalidInput, match="reason"):
        triage.dismiss(region, CHAIR, reference, "  ", NOW)
    made = triage.dismiss(region, CHAIR, reference, "No sign of exploitation.", NOW)
    assert (made.status, made.triage_reason, made.record_id) == (
        "dismissed",
        "No sign of exploitation.",
        None,
    )
    assert made.reporter == {}
    [(ids, detail)] = _events(region, "alteration")
    assert ids == (f"community_report:{made.id}",)
    assert "No sign" not in detail
    assert [r.reference for r in triage.queue(region, settings, WORKER, TODAY, "dismissed")] == [
        reference
    ]
    with pytest.raises(InvalidInput, match="already dismissed"):
        triage.dismiss(region, WORKER, reference, "again", NOW)
