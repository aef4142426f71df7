"""MACE meetings: a VOLT agenda from the map and the flags, packs redacted per attendee agency
(each record a disclosure), the agenda page per reader (each record a consultation), minutes,
decisions and actions that escalate while overdue."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.intake.mapping import load_mapping
from linemap.model.vocabulary import Role
from linemap.services import directory, intake, mace, mace_pack, sharing
from linemap.settings import Settings
from linemap.store import tables
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
CHAIR = Actor(3, "csc.chair", "KENTCSC", Role.MACE_CHAIR, True)
POLICE = Actor(1, "pol.analyst", "KENTPOL", Role.ANALYST, True)
HOUSING = Actor(4, "housing.officer", "THANETH", Role.PRACTITIONER, True)
AUDITOR = Actor(5, "pol.auditor", "KENTPOL", Role.AUDITOR, True)
BASIS = "DPA 2018 Sch 8 para 4; Children Act 2004 s.11"
# Police intelligence: a graded line report, a graded report on a child, a handling-code C
# report (never exported) and a TLP:RED one (never leaves the police).
INTEL = [
    (
        "INT-1",
        "2BP",
        "green",
        "",
        "suspect",
        "Tyrone",
        "2001",
        "Deal line advertised by bulk text.",
    ),
    (
        "INT-2",
        "1AP",
        "amber",
        "",
        "victim",
        "Riley",
        "2010",
        "Child seen travelling with an adult.",
    ),
    (
        "INT-3",
        "3DC",
        "amber",
        "Not to be disclosed without DI approval",
        "suspect",
        "Tyrone",
        "2001",
        "Address used to store drugs.",
    ),
    ("INT-4", "2BP", "red", "", "victim", "Riley", "2010", "Child seen at the school gates."),
]
SUMMARY = "Child seen travelling with an adult."


def ingest_intelligence(
    uow: UnitOfWork, settings: Settings, folder: Path, today: date = TODAY
) -> None:
    """Ingest the police intelligence rows for KENTPOL and a register row for KENTCSC, and an
    agreement between the three agencies in force on `today`."""
    columns = load_mapping("police-intelligence").columns
    path = folder / "intel.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for ref, grading, tlp, conditions, category, forename, born, summary in INTEL:
            writer.writerow(
                dict.fromkeys(columns, "")
                | {
                    "intel_ref": ref,
                    "date_recorded": "2026-10-01",
                    "grading": grading,
                    "tlp": tlp,
                    "handling_conditions": conditions,
                    "subject_category": category,
                    "subject_forename": forename,
                    "subject_surname": "Example",
                    "subject_dob": born,
                    "phone": "07700 900101",
                    "line_name": "Tony line",
                    "summary": summary,
                }
            )
    intake.ingest(uow, settings, path, "KENTPOL", "police-intelligence")
    rows = [register_row("CSC-1", forename="Riley", category="victim", date_of_birth="2010")]
    intake.ingest(uow, settings, write_csv(folder / "csc.csv", rows), "KENTCSC", "person-register")
    sharing.add_isa(
        uow,
        None,
        code="ISA-MACE",
        purpose="MACE: safeguarding children from criminal exploitation",
        lawful_basis=BASIS,
        parties=["KENTPOL", "KENTCSC", "THANETH"],
        roles=["practitioner", "analyst", "mace_chair"],
        record_kinds=["police-intelligence", "person-register"],
        start=today - timedelta(days=30),
        end=today + timedelta(days=365),
    )


def add_map(uow: UnitOfWork, flagged_as: str = "P-child") -> dict[str, int]:
    """Store a small snapshot whose findings rest on those records, and the flags of an
    assessment run (the child's flag on `flagged_as`: another run's person id, say); return
    the record ids. The child's register record is theirs in the map's resolution run."""
    child_key = "P-child"
    with uow.write() as tx:
        ids = {}
        for agency, ref in [*(("KENTPOL", row[0]) for row in INTEL), ("KENTCSC", "CSC-1")]:
            found = tx.records.find_current(agency, ref)
            assert found is not None
            ids[ref] = found.id
        run = tx.resolution.latest_run()
        run_id = (
            run.id
            if run
            else tx.resolution.add_run(
                started_at=NOW.isoformat(),
                actor="test",
                backend="duckdb",
                model="{}",
                model_digest="0" * 64,
                trained_in_run=None,
                threshold=0.95,
            )
        )
        if run is None:
            tx.resolution.finish_run(run_id, NOW.isoformat(), 0, 0)
        tx.resolution.add_members(
            [(run_id, "KENTCSC:CSC-1#person", child_key, ids["CSC-1"], True, None)]
        )
        snap = tx.network.add_snapshot(
            started_at=NOW.isoformat(), actor="test", resolution_run_id=run_id, as_of=str(TODAY)
        )
        tx.network.add_nodes(
            [
                (snap, 0, "person", child_key, None),
                (snap, 1, "person", "P-organiser", None),
                (snap, 2, "address", "CT9 1AA|12 Sample Road", None),
                (snap, 3, "phone", "+447700900101", None),
                (snap, 4, "place", "CT9 2BB|Example Academy", json.dumps({"kind": "school"})),
            ]
        )
        edges = [  # (kind, source, target, records)
            ("UsesPhone", 1, 3, ["INT-1"]),
            ("UsesPhone", 0, 3, ["INT-2"]),
            ("ResidesAt", 0, 2, ["CSC-1"]),
            ("OccurredAt", 1, 2, ["INT-3"]),
            ("AttendsSchool", 0, 4, ["INT-4"]),
        ]
        tx.network.add_edges(
            (
                snap,
                e,
                kind,
                s,
                t,
                None,
                "2026-01-01",
                "2026-10-01",
                " ".join(str(ids[r]) for r in refs),
                "KENTPOL",
                None,
                False,
            )
            for e, (kind, s, t, refs) in enumerate(edges)
        )
        child = {
            "evidence": [1, 2, 4],
            "reasons": ["found out of area"],
            "route": "safeguarding_review",
            "child": True,
        }
        organiser = {
            "evidence": [0, 3],
            "reasons": ["line phone used as a suspect"],
            "route": "disruption",
            "child": False,
        }
        findings = [
            (
                "line",
                "L1",
                None,
                None,
                None,
                {
                    "names": ["Tony line"],
                    "phones": ["+447700900101"],
                    "first_seen": "2025-03-01",
                    "last_seen": "2026-10-01",
                    "evidence": [0, 1],
                },
            ),
            ("member", "L1", 0, None, 0.9, {}),
            ("member", "L1", 1, None, 0.8, {}),
            ("role", "L1", 0, "child_at_risk", None, child),
            ("role", "L1", 1, "organiser_or_line_holder", None, organiser),
            ("organiser", None, 1, None, 0.9, {"rank": 1}),
            ("cuckooed", "L1", 2, None, None, {"residents_as_victims": [], "evidence": [3]}),
            ("place", None, 4, "school", 1.0, {"children_at_risk": 1, "evidence": [4]}),
        ]
        tx.network.add_findings(
            (snap, n, kind, line, node, label, score, json.dumps(detail))
            for n, (kind, line, node, label, score, detail) in enumerate(findings)
        )
        tx.network.finish_snapshot(snap, finished_at=NOW.isoformat(), records=5, nodes=5, edges=5)
        assessment = tx.connection.execute(
            insert(tables.assessment_run)
            .values(
                started_at=NOW.isoformat(),
                finished_at=NOW.isoformat(),
                actor="test",
                resolution_run_id=run_id,
                criteria="county-lines@1",
                as_of=str(TODAY),
                people=2,
                flags=3,
            )
            .returning(tables.assessment_run.c.id)
        ).scalar_one()
        flag = {
            "run_id": assessment,
            "kind": "exploitation",
            "raised_by": "assess",
            "raised_on": str(TODAY),
            "review_by": "2027-02-26",
            "observations": "[]",
            "records": str(ids["CSC-1"]),
        }
        tx.connection.execute(
            insert(tables.flag),
            [
                {
                    **flag,
                    "flag_id": 1,
                    "person_id": flagged_as,
                    "subject": "KENTCSC:CSC-1#person",
                    "child": True,
                    "frame": "victim",
                    "risk": "high/significant",
                },
                {
                    **flag,
                    "flag_id": 2,
                    "person_id": "P-elsewhere",
                    "subject": "KENTCSC:X#person",
                    "child": False,
                    "frame": "dual",
                    "risk": "medium/moderate",
                },
                {
                    **flag,
                    "flag_id": 3,
                    "person_id": "P-suspect",
                    "subject": "KENTCSC:Y#person",
                    "child": False,
                    "frame": "suspect",
                    "risk": "low/emerging",
                },
            ],
        )
    return ids


@pytest.fixture
def mapped(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> tuple[UnitOfWork, dict[str, int]]:
    """Three agencies, the intelligence, an agreement between them all and the small map."""
    for code, name, kind in (
        ("KENTPOL", "Kent Police", "police"),
        ("KENTCSC", "Kent Children's Services", "childrens_social_care"),
        ("THANETH", "Thanet Housing", "housing"),
    ):
        directory.add_agency(uow, "admin", code, name, kind, "Kent")
    ingest_intelligence(uow, settings, tmp_path)
    return uow, add_map(uow)


def _events(
    uow: UnitOfWork, operation: str
) -> list[tuple[tuple[str, ...], dict[str, object], str]]:
    with uow.read() as tx:
        return [
            (e.event.record_ids, dict(e.event.detail), e.event.outcome)
            for e in tx.audit.iter_events()
            if e.event.operation.value == operation
        ]


def _item(pack: mace_pack.Pack, subject: str) -> mace_pack.ItemShown | None:
    return next(
        (i for items in pack.sections.values() for i in items if i.subject == subject), None
    )


def _meeting(uow: UnitOfWork) -> int:
    return mace.create_meeting(uow, CHAIR, "Thanet", TODAY, ["KENTPOL", "THANETH"], NOW)


def test_a_chair_creates_a_meeting_with_a_volt_agenda(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, ids = mapped
    made = _meeting(uow)
    agenda = mace_pack.meeting(uow, POLICE, made, TODAY).pack
    victims = {i.subject: i for i in agenda.sections["victims"]}
    assert set(victims) == {"node:0", "flag:2"}  # the suspect-frame flag is no victim item
    child = victims["node:0"]
    assert child.label == "Child at risk 0"
    assert child.facts["child"] is True
    assert child.facts["risk"] == "high/significant"  # the flag, merged with the map's finding
    assert {r.id for r in child.records} == {ids["INT-2"], ids["CSC-1"], ids["INT-4"]}
    assert [i.subject for i in agenda.sections["offenders"]] == ["node:1"]
    assert agenda.sections["offenders"][0].facts["rank"] == 1
    assert {i.subject for i in agenda.sections["locations"]} == {"node:2", "node:4"}
    assert _item(agenda, "node:2").facts["where"] == "12 Sample Road, CT9 1AA"  # type: ignore[union-attr]
    themes = {i.subject: i for i in agenda.sections["themes"]}
    assert themes["counts"].facts["children at risk"] == "fewer than 5"
    assert themes["line:L1"].facts["names"] == ["Tony line"]
    assert themes["trend"].facts == {"2023": 0, "2024": 0, "2025": 1, "2026": 1}
    [(record_ids, detail, _)] = _events(uow, "combination")[-1:]
    assert record_ids == (f"mace_meeting:{made}",)
    assert detail["victims"] == 2
    assert detail["attendees"] == ["KENTCSC", "KENTPOL", "THANETH"]
    assert "Riley" not in json.dumps(detail)


def test_a_flag_from_another_resolution_run_follows_its_subject(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    for code, kind in (("KENTPOL", "police"), ("KENTCSC", "childrens_social_care")):
        directory.add_agency(uow, "admin", code, code, kind, "Kent")
    directory.add_agency(uow, "admin", "THANETH", "Thanet Housing", "housing", "Kent")
    ingest_intelligence(uow, settings, tmp_path)
    add_map(uow, flagged_as="P7-KENTCSC:CSC-1#person")  # the person id of an older run
    agenda = mace_pack.meeting(uow, POLICE, _meeting(uow), TODAY).pack
    victims = {i.subject: i for i in agenda.sections["victims"]}
    assert set(victims) == {"node:0", "flag:2"}  # one child, not a child and a flagged child
    assert victims["node:0"].facts["risk"] == "high/significant"


def test_children_and_victims_are_never_offenders(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, _ = mapped
    agenda = mace_pack.meeting(uow, POLICE, _meeting(uow), TODAY).pack
    victims = {i.subject for i in agenda.sections["victims"]}
    offenders = agenda.sections["offenders"]
    assert not victims & {i.subject for i in offenders}
    assert not any(i.facts.get("child") for i in offenders)


def test_only_a_chair_creates_and_bad_input_is_refused(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, _ = mapped
    with pytest.raises(Forbidden):
        mace.create_meeting(uow, HOUSING, "Thanet", TODAY, ["KENTPOL"], NOW)
    with pytest.raises(InvalidInput, match="area"):
        mace.create_meeting(uow, CHAIR, "  ", TODAY, ["KENTPOL"], NOW)
    with pytest.raises(NotFound, match="NOPE"):
        mace.create_meeting(uow, CHAIR, "Thanet", TODAY, ["NOPE"], NOW)
    with pytest.raises(InvalidInput, match="agency code"):
        mace.create_meeting(uow, CHAIR, "Thanet", TODAY, ["not a code!"], NOW)


def test_the_police_copy_has_police_only_fields_and_the_housing_copy_does_not(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, ids = mapped
    made = _meeting(uow)
    police = mace_pack.give_pack(
        uow, CHAIR, made, "KENTPOL", lawful_basis=BASIS, purpose="", now=NOW
    )
    housing = mace_pack.give_pack(
        uow, CHAIR, made, "THANETH", lawful_basis=BASIS, purpose="", now=NOW
    )
    seen = {
        name: {r.id: r for i in pack.sections.values() for item in i for r in item.records}
        for name, pack in (("police", police), ("housing", housing))
    }
    report = seen["police"][ids["INT-2"]]
    assert report.grading == "1AP"
    assert report.handling == "P"
    assert report.summaries == (SUMMARY,)
    child = _item(housing, "node:0")
    assert child is not None  # the same item, shared under the agreement...
    shared = {r.id: r for r in child.records}
    assert shared[ids["INT-2"]].grading is None  # ...without the police source details (R12)
    assert shared[ids["INT-2"]].handling is None
    assert shared[ids["INT-2"]].summaries == ()
    assert child.reasons == ()
    assert all(r.grading is None and not r.summaries for r in seen["housing"].values())
    for name, pack in (("police", police), ("housing", housing)):
        assert not {ids["INT-3"], ids["INT-4"]} & set(seen[name])  # C and RED never leave
        assert _item(pack, "node:2") is None
        assert _item(pack, "node:4") is None
        assert pack.withheld == 2
        assert pack.disclosure
        assert pack.disclosure in (pack.watermark or "")
    disclosed = _events(uow, "disclosure")
    assert sorted(d[0][0] for d in disclosed if d[1]["recipient"] == "THANETH") == sorted(
        f"record:{ids[r]}" for r in ("INT-1", "INT-2", "CSC-1")
    )
    assert {d[1].get("disclosure", housing.disclosure) for d in disclosed[3:]} == {
        housing.disclosure
    }


def test_a_pack_needs_the_chair_an_attendee_and_a_lawful_basis(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, _ = mapped
    made = _meeting(uow)
    with pytest.raises(InvalidInput, match="lawful basis"):
        mace_pack.give_pack(uow, CHAIR, made, "KENTPOL", lawful_basis=" ", purpose="", now=NOW)
    directory.add_agency(uow, "admin", "KENTYJ", "Kent Youth Justice", "youth_justice", "Kent")
    with pytest.raises(InvalidInput, match="does not attend"):
        mace_pack.give_pack(uow, CHAIR, made, "KENTYJ", lawful_basis=BASIS, purpose="", now=NOW)
    with pytest.raises(Forbidden):
        mace_pack.give_pack(uow, HOUSING, made, "THANETH", lawful_basis=BASIS, purpose="", now=NOW)
    assert _events(uow, "disclosure") == []


def test_the_agenda_page_shows_what_the_readers_agency_may_read_each_record_logged(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, ids = mapped
    made = _meeting(uow)
    before = len(_events(uow, "consultation"))
    police = mace_pack.meeting(uow, POLICE, made, TODAY)
    assert _item(police.pack, "node:2") is not None  # their own C and RED records, read in house
    assert _item(police.pack, "node:1").reasons == ("line phone used as a suspect",)  # type: ignore[union-attr]
    logged = _events(uow, "consultation")[before:]
    assert len(logged) == len(ids)  # one per record behind the agenda
    assert all(len(record_ids) == 1 for record_ids, _, _ in logged)
    before = len(logged) + before
    housing = mace_pack.meeting(uow, HOUSING, made, TODAY)
    cuckooed = _item(
        housing.pack, "node:2"
    )  # a C record is read in the app, its conditions with it
    assert cuckooed is not None
    assert cuckooed.records[0].handling is None
    assert cuckooed.records[0].conditions == ("Not to be disclosed without DI approval",)
    assert _item(housing.pack, "node:4") is None  # TLP:RED stays with the police
    offender = _item(housing.pack, "node:1")
    assert offender is not None
    assert offender.reasons == ()
    assert offender.held_elsewhere == 0
    assert all(
        r.grading is None for i in housing.pack.sections.values() for x in i for r in x.records
    )
    outcomes = [outcome for _, _, outcome in _events(uow, "consultation")[before:]]
    assert outcomes.count("withheld") == 1
    assert len(outcomes) == len(ids)
    assert not police.chair
    assert not housing.chair


def test_a_meeting_is_unknown_to_agencies_that_do_not_attend(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, _ = mapped
    made = mace.create_meeting(uow, CHAIR, "Thanet", TODAY, ["THANETH"], NOW)
    with pytest.raises(NotFound):
        mace_pack.meeting(uow, POLICE, made, TODAY)
    assert made not in [m.id for m in mace.meetings(uow, POLICE, TODAY)]
    assert made in [m.id for m in mace.meetings(uow, HOUSING, TODAY)]
    with pytest.raises(Forbidden):
        mace_pack.meeting(uow, AUDITOR, made, TODAY)


def test_minutes_decisions_and_actions_are_the_chairs_record(
    mapped: tuple[UnitOfWork, dict[str, int]],
) -> None:
    uow, _ = mapped
    made = _meeting(uow)
    mace.record_minutes(uow, CHAIR, made, "Child at risk 0 discussed.", "Refer node 0", NOW)
    with pytest.raises(InvalidInput, match="nothing to record"):
        mace.record_minutes(uow, CHAIR, made, "Child at risk 0 discussed.", "", NOW)
    with pytest.raises(Forbidden):
        mace.record_minutes(uow, POLICE, made, "changed", None, NOW)
    action = mace.add_action(
        uow,
        CHAIR,
        made,
        "Visit node 0 at home",
        "THANETH",
        "a.officer",
        TODAY - timedelta(days=9),
        NOW,
    )
    with pytest.raises(InvalidInput, match="named owner"):
        mace.add_action(uow, CHAIR, made, "Visit", "THANETH", " ", TODAY, NOW)
    with pytest.raises(InvalidInput, match="does not attend"):
        mace.add_action(uow, CHAIR, made, "Visit", "KENTYJ", "someone", TODAY, NOW)
    view = mace_pack.meeting(uow, HOUSING, made, TODAY)
    assert view.pack.meeting.minutes == "Child at risk 0 discussed."
    assert [d["decision"] for d in view.pack.meeting.decisions] == ["Refer node 0"]
    [shown] = view.actions
    assert shown.days_overdue == 9
    assert shown.escalation == "the MACE chair"
    with pytest.raises(Forbidden):
        mace.complete_action(uow, POLICE, made, action, TODAY)
    mace.complete_action(uow, HOUSING, made, action, TODAY)
    [done] = mace_pack.meeting(uow, HOUSING, made, TODAY).actions
    assert done.done_on == str(TODAY)
    assert done.escalation is None
    with pytest.raises(InvalidInput, match="already done"):
        mace.complete_action(uow, CHAIR, made, action, TODAY)
    altered = _events(uow, "alteration")
    assert len(altered) == 3
    assert "Visit" not in json.dumps([d for _, d, _ in altered])  # ids and metadata only
