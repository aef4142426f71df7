"""Search, profile and record reads under the access policy, with their audit events."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.model.vocabulary import AuditOperation, Role
from linemap.services import casework, directory, erasure, intake, search, sharing
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv

TODAY = date(2026, 11, 26)


@pytest.fixture
def region(uow: UnitOfWork, settings: Settings, tmp_path: Path) -> UnitOfWork:
    """Three agencies, the police register ingested and indexed, an ISA with social care."""
    directory.add_agency(
        uow, "admin", "KENTPOL", "Kent Police", "police", "Kent", "intel-unit@example.org"
    )
    directory.add_agency(
        uow, "admin", "KENTCSC", "Kent Children's Services", "childrens_social_care", "Kent"
    )
    directory.add_agency(uow, "admin", "THANETH", "Thanet Housing", "housing", "Thanet")
    rows = [
        register_row("P1"),
        register_row(
            "P2",
            forename="Casey",
            surname="Sample",
            date_of_birth="2008",
            postcode="ME7 1AA",
            phone="",
        ),
        register_row("P3", forename="Riley", surname="Witness", category="witness", phone=""),
    ]
    intake.ingest(
        uow, settings, write_csv(tmp_path / "register.csv", rows), "KENTPOL", "person-register"
    )
    assert search.refresh_index(uow) == 3
    sharing.add_isa(
        uow,
        None,
        code="ISA-CE",
        purpose="Safeguarding children from criminal exploitation",
        lawful_basis="DPA 2018 Sch 8 para 4",
        parties=["KENTPOL", "KENTCSC"],
        roles=["practitioner"],
        record_kinds=["person-register"],
        start=TODAY - timedelta(days=10),
        end=TODAY + timedelta(days=10),
    )
    return uow


def _actor(agency: str, role: Role = Role.PRACTITIONER) -> Actor:
    return Actor(1, f"user.{agency.lower()}", agency, role, True)


def _consultations(uow: UnitOfWork) -> list[tuple[tuple[str, ...], str]]:
    with uow.read() as tx:
        return [
            (e.event.record_ids, e.event.outcome)
            for e in tx.audit.iter_events()
            if e.event.operation is AuditOperation.CONSULTATION
        ]


def test_search_finds_name_variants_dob_and_postcode(region: UnitOfWork) -> None:
    police = _actor("KENTPOL", Role.ANALYST)
    for text in (
        "Jordon Exampel",
        "jordan 2009",
        "Example 03/04/2009",
        "CT9 1AA",
        "07700 900123",
        "jor exa",
    ):
        result = casework.search(region, police, text, "case review", TODAY)
        assert [h.first("forename") or h.schema for h in result.hits][:1] in (
            ["jordan"],
            ["Address"],
            ["Phone"],
        ), text
    assert (
        casework.search(region, police, "Casey ME7", None, TODAY).hits[0].first("surname")
        == "sample"
    )
    assert casework.search(region, police, "Jordan ME7", None, TODAY).hits == []


def test_search_under_an_agreement_shows_and_logs_each_record(region: UnitOfWork) -> None:
    before = len(_consultations(region))
    result = casework.search(region, _actor("KENTCSC"), "Sample", "strategy discussion", TODAY)
    assert [h.first("surname") for h in result.hits] == ["sample"]
    assert result.discoveries == []
    events = _consultations(region)[before:]
    assert events == [((f"record:{result.hits[0].record_id}",), "success")]


def test_witnesses_are_never_shown_outside_their_agency(region: UnitOfWork) -> None:
    assert casework.search(region, _actor("KENTCSC"), "Riley Witness", None, TODAY).hits == []
    own = casework.search(region, _actor("KENTPOL"), "Riley Witness", None, TODAY)
    assert own.hits
    assert own.hits[0].first("surname") == "witness"


def test_no_agreement_means_discovery_only(region: UnitOfWork) -> None:
    before = len(_consultations(region))
    result = casework.search(region, _actor("THANETH"), "Jordan Example", None, TODAY)
    assert result.hits == []
    assert [(d.agency, d.contact, d.records) for d in result.discoveries] == [
        ("KENTPOL", "intel-unit@example.org", 1)
    ]
    assert [o for _, o in _consultations(region)[before:]] == ["withheld"]


def test_expired_agreement_stops_access_at_once(region: UnitOfWork) -> None:
    sharing.end_isa(region, None, "ISA-CE", TODAY - timedelta(days=1))
    result = casework.search(region, _actor("KENTCSC"), "Sample", None, TODAY)
    assert result.hits == []
    assert result.discoveries[0].agency == "KENTPOL"


def test_profile_and_record_show_provenance_and_refuse_outsiders(region: UnitOfWork) -> None:
    hit = casework.search(region, _actor("KENTCSC"), "Jordan", None, TODAY).hits[0]
    profile = casework.profile(region, _actor("KENTCSC"), hit.id, "referral", TODAY)
    dob = profile.person.properties["birth_date"][0]
    assert (dob.value, dob.agency, dob.category, dob.basis) == (
        "2009-04-03",
        "KENTPOL",
        "other",
        "fact",
    )
    assert {label for label, _ in profile.linked} >= {"resides at", "uses phone"}
    view = casework.record(region, _actor("KENTCSC"), hit.record_id, None, TODAY)
    assert view.isa == "ISA-CE"
    assert view.kind == "person-register"
    with pytest.raises(Forbidden, match=r"Kent Police \(KENTPOL\).*intel-unit@example.org"):
        casework.profile(region, _actor("THANETH"), hit.id, None, TODAY)
    with pytest.raises(NotFound):
        casework.record(region, _actor("KENTPOL", Role.ADMINISTRATOR), hit.record_id, None, TODAY)
    with pytest.raises(NotFound):
        casework.profile(region, _actor("KENTCSC"), "KENTPOL:NOPE#subject", None, TODAY)


def test_administrators_and_auditors_do_not_search(region: UnitOfWork) -> None:
    for role in (Role.ADMINISTRATOR, Role.AUDITOR):
        with pytest.raises(Forbidden):
            casework.search(region, _actor("KENTPOL", role), "Jordan", None, TODAY)
    with pytest.raises(InvalidInput):
        casework.search(region, _actor("KENTPOL"), "   ", None, TODAY)


def test_erasure_takes_the_record_out_of_search(region: UnitOfWork) -> None:
    hit = casework.search(region, _actor("KENTPOL"), "Casey", None, TODAY).hits[0]
    erasure.erase_record(region, "dpo", hit.record_id, "retention period ended")
    assert casework.search(region, _actor("KENTPOL"), "Casey", None, TODAY).hits == []


def _marked_register(tmp_path: Path, name: str, markings: str) -> Path:
    base = (
        Path(__file__).parents[2] / "src/linemap/intake/templates/person-register.yaml"
    ).read_text()
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        base.replace("name: person-register", f"name: {name}").replace(
            "  tlp: {value: amber}\n", markings
        )
    )
    return path


def test_export_is_a_watermarked_disclosure_and_c_or_red_never_leave(
    region: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    hit = casework.search(region, _actor("KENTCSC"), "Sample", None, TODAY).hits[0]
    with pytest.raises(InvalidInput, match="lawful basis"):
        casework.export_record(
            region,
            _actor("KENTCSC"),
            hit.record_id,
            recipient="MASH",
            purpose="referral",
            lawful_basis=" ",
            now=now,
        )
    made = casework.export_record(
        region,
        _actor("KENTCSC"),
        hit.record_id,
        recipient="Kent MASH, duty social worker",
        purpose="referral",
        lawful_basis="DPA 2018 Sch 8 para 4",
        now=now,
    )
    assert made.id.startswith("D-")
    assert made.id in made.watermark
    assert "user.kentcsc" in made.watermark
    with region.read() as tx:
        last = list(tx.audit.iter_events())[-1].event
    assert last.operation is AuditOperation.DISCLOSURE
    assert last.detail["recipient"] == "Kent MASH, duty social worker"
    assert last.justification == "referral"
    for name, markings in (
        ("red-register", "  tlp: {value: red}\n"),
        (
            "c-register",
            "  tlp: {value: amber}\n  handling_code: {value: C}\n"
            "  handling_conditions: {value: Not to be disclosed}\n",
        ),
    ):
        mapping = _marked_register(tmp_path, name, markings)
        path = write_csv(tmp_path / f"{name}.csv", [register_row(f"{name}-1", surname="Marked")])
        intake.ingest(region, settings, path, "KENTPOL", str(mapping))
        search.refresh_index(region)
        record_id = (
            casework.search(region, _actor("KENTPOL"), "Marked", None, TODAY).hits[-1].record_id
        )
        with pytest.raises(Forbidden, match="cannot be exported"):
            casework.export_record(
                region,
                _actor("KENTPOL"),
                record_id,
                recipient="x",
                purpose="y",
                lawful_basis="z",
                now=now,
            )


def test_a_search_shows_at_most_max_hits_logs_only_those_and_says_more_matched(
    region: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    more = [register_row(f"Q{n}", phone="") for n in range(casework.MAX_HITS + 10)]
    intake.ingest(
        region, settings, write_csv(tmp_path / "more.csv", more), "KENTPOL", "person-register"
    )
    search.refresh_index(region)
    before = len(_consultations(region))
    result = casework.search(region, _actor("KENTPOL", Role.ANALYST), "Jordan", None, TODAY)
    assert result.truncated
    assert len(result.hits) == casework.MAX_HITS
    assert {h.first("forename") for h in result.hits} == {"jordan"}
    shown = [h.record_id for h in result.hits]
    assert shown == [1, *range(4, 4 + casework.MAX_HITS - 1)]  # P1, then Q0... in record order
    events = _consultations(region)[before:]
    assert events == [((f"record:{r}",), "success") for r in shown]
