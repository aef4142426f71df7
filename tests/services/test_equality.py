"""Equality monitoring on a real database: flagged people and role holders counted from their
records (the most frequent value where records disagree), small numbers withheld, the view
logged, and only oversight roles and auditors let in."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert

from linemap.assess.baseline import NOT_RECORDED, AlertRule, parse_baseline
from linemap.assess.equality import Table, compare
from linemap.errors import ConfigurationError, Forbidden
from linemap.governance.actor import Actor
from linemap.model.vocabulary import Role
from linemap.services import directory, equality, intake
from linemap.services.equality import FEWER, WITHHELD, Monitoring, ShownTable
from linemap.services.mention import iter_mentions
from linemap.settings import Settings
from linemap.store import tables
from linemap.store.unit_of_work import UnitOfWork
from tests.assess.test_baseline import SMALL
from tests.services.conftest import store_run

ANALYST = Actor(1, "pol.analyst", "KENTPOL", Role.ANALYST, True)
AUDITOR = Actor(2, "pol.auditor", "KENTPOL", Role.AUDITOR, True)
CHAIR = Actor(3, "csc.chair", "KENTPOL", Role.MACE_CHAIR, True)
MAPPING = """
name: register-with-ethnicity
title: A test register that records ethnicity
version: 1
source_ref: ref
recorded: {column: recorded, normaliser: date}
subject_category: other
markings:
  tlp: {value: amber}
entities:
  person:
    schema: Person
    properties:
      forename: {column: forename, required: true}
      surname: {column: surname, required: true}
      birth_date: {column: dob}
      sex: {column: sex}
      ethnicity: {column: ethnicity}
"""
COLUMNS = ["ref", "recorded", "forename", "surname", "dob", "sex", "ethnicity"]
# (how many people, ethnicity, sex, date of birth): one record each
PEOPLE = [
    (20, "B1", "Male", "2009-03-04"),  # 17 on the run's day: 16-17
    (15, "W1", "Female", "2011-06-01"),  # 15: 14-15
    (3, "A1", "M", "1990-01-01"),  # 25 and over
    (2, "", "", ""),  # nothing recorded
]
# people with several records: (ethnicities, date of birth)
SEVERAL = [(["A1", "B1"], "2009"), (["W1", "W1", "B1"], "2009")]


def _ingest(uow: UnitOfWork, settings: Settings, tmp_path: Path, rows: list[list[str]]) -> None:
    mapping = tmp_path / "register-with-ethnicity.yaml"
    mapping.write_text(MAPPING)
    path = tmp_path / f"export-{rows[0][0]}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    intake.ingest(uow, settings, path, "KENTPOL", str(mapping))


@pytest.fixture
def flagged(uow: UnitOfWork, settings: Settings, tmp_path: Path) -> UnitOfWork:
    """42 flagged people (ethnicity skewed against the baseline), an assessment run, and a map
    in which six hold the runner role, one of them a mention the run left out."""
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    rows, people = [], []
    for count, ethnicity, sex, dob in PEOPLE:
        for _ in range(count):
            people.append(len(set(people)))
            rows.append([f"R{len(rows)}", "2026-01-05", "Test", "Person", dob, sex, ethnicity])
    for ethnicities, dob in SEVERAL:
        person = len(set(people))
        for ethnicity in ethnicities:
            people.append(person)
            rows.append([f"R{len(rows)}", "2026-01-05", "Test", "Person", dob, "", ethnicity])
    _ingest(uow, settings, tmp_path, rows)
    with uow.read() as tx:
        assert len(list(iter_mentions(tx))) == len(people)
    members = store_run(uow, people)
    _ingest(uow, settings, tmp_path, [["LATE1", "2026-02-01", "Test", "Late", "", "", "O2"]])
    run_id = int(members[0][2].split("-")[0][1:])
    persons = sorted({p for _, _, p in members})
    with uow.write() as tx:
        _assessment(tx.connection, run_id, persons)
        _snapshot(tx.connection, run_id, [*persons[:5], "KENTPOL:LATE1#person"])
    return uow


def _assessment(connection: object, run_id: int, persons: list[str]) -> None:
    connection.execute(  # type: ignore[attr-defined]
        insert(tables.assessment_run).values(
            id=7,
            started_at="2026-11-26T09:00:00+00:00",
            finished_at="2026-11-26T09:01:00+00:00",
            actor="test",
            resolution_run_id=run_id,
            criteria="county-lines-indicators@2023.1",
            as_of="2026-11-26",
            people=len(persons),
            flags=len(persons) + 1,
        )
    )
    flags = [(p, "exploitation") for p in persons] + [(persons[0], "cuckooing")]  # one twice
    for number, (person, kind) in enumerate(flags):
        connection.execute(  # type: ignore[attr-defined]
            insert(tables.flag).values(
                run_id=7,
                flag_id=number,
                person_id=person,
                subject=f"KENTPOL:R{number}#person",
                kind=kind,
                child=True,
                frame="victim",
                risk="medium",
                raised_by="linemap assess",
                raised_on="2026-11-26",
                review_by="2027-02-26",
                records=str(number + 1),
                observations="[]",
            )
        )


def _snapshot(connection: object, run_id: int, keys: list[str]) -> None:
    execute = connection.execute  # type: ignore[attr-defined]
    execute(
        insert(tables.network_snapshot).values(
            id=3,
            started_at="2026-11-26T09:00:00+00:00",
            finished_at="2026-11-26T09:02:00+00:00",
            actor="test",
            resolution_run_id=run_id,
            as_of="2026-11-26",
        )
    )
    for node, key in enumerate(keys):
        execute(
            insert(tables.network_node).values(
                snapshot_id=3, node_id=node, kind="person", key=key, attributes="{}"
            )
        )
        execute(
            insert(tables.network_finding).values(
                snapshot_id=3,
                finding_id=node,
                kind="role",
                line="L1",
                node_id=node,
                label="runner",
                detail=json.dumps({}),
            )
        )


def _table(found: Monitoring, population: str, dimension: str) -> ShownTable:
    [pop] = [p for p in found.populations if p.id == population]
    [table] = [t for t in pop.tables if t.dimension == dimension]
    return table


def _counts(table: ShownTable) -> dict[str, int | None]:
    return {r.group: r.count for r in table.rows}


def test_flagged_people_by_ethnicity_raise_an_alert_and_withhold_small_numbers(
    flagged: UnitOfWork, settings: Settings
) -> None:
    found = equality.monitor(flagged, settings, ANALYST, "quarterly equality review")
    assert (found.assessment_run, found.snapshot) == (7, 3)
    [population] = [p for p in found.populations if p.id == "flagged"]
    assert population.people == 42  # a person flagged twice counts once
    table = _table(found, "flagged", "ethnicity")
    counts = _counts(table)
    # W1, W1, B1 is White (the most frequent); A1 and B1 is a tie, counted as disagreeing
    assert counts["black"] == 20
    assert counts["white"] == 16
    notes = {r.group: r.note for r in table.rows}
    assert notes["asian"] == FEWER
    assert notes[NOT_RECORDED] == FEWER
    assert notes["disputed"] == FEWER
    assert notes["mixed"] == WITHHELD  # else 39 tested - 20 - 16 - 0 - 0 gives Asian away
    assert (table.total, table.tested) == (42, 39)
    assert table.alert
    assert "Black" in table.reason
    black = next(r for r in table.rows if r.group == "black")
    assert black.ratio == pytest.approx(round(20 / (39 * 0.04), 2))
    assert table.statistic is None
    assert table.p_value == "p < 0.001"
    for shown in (t for p in found.populations for t in p.tables):
        assert all(r.count is None or r.count == 0 or r.count >= 5 for r in shown.rows)


def test_age_bands_and_sex_are_counted_on_the_runs_day(
    flagged: UnitOfWork, settings: Settings
) -> None:
    found = equality.monitor(flagged, settings, AUDITOR)
    age = _counts(_table(found, "flagged", "age"))
    assert age["16-17"] == 22
    assert age["14-15"] == 15
    assert age["25+"] is None
    assert age[NOT_RECORDED] is None
    sex = _counts(_table(found, "flagged", "sex"))
    assert sex["male"] == 23
    assert sex["female"] == 15
    assert _table(found, "flagged", "age").method is None  # no baseline: shown only


def test_role_holders_are_counted_including_a_mention_the_run_left_out(
    flagged: UnitOfWork, settings: Settings
) -> None:
    found = equality.monitor(flagged, settings, CHAIR)
    [runners] = [p for p in found.populations if p.id == "runner"]
    assert runners.people == 6
    ethnicity = _table(found, "runner", "ethnicity")
    assert ethnicity.total == 6
    assert not ethnicity.alert
    assert "fewer than 30" in ethnicity.reason
    # five B1 runners and the late one recorded O2 (Other): 5 shown, 1 withheld
    assert _counts(ethnicity)["black"] == 5
    assert _counts(ethnicity)["other"] is None
    assert all(not p.tables for p in found.populations if p.id not in ("flagged", "runner"))


def test_each_view_is_one_consultation_naming_the_runs(
    flagged: UnitOfWork, settings: Settings
) -> None:
    equality.monitor(flagged, settings, ANALYST, "quarterly equality review")
    with flagged.read() as tx:
        events = [e.event for e in tx.audit.iter_events() if e.event.operation == "consultation"]
    assert len(events) == 1
    [event] = events
    assert event.record_ids == ("equality_monitoring",)
    assert event.actor == "pol.analyst"
    assert event.justification == "quarterly equality review"
    assert event.detail["assessment_run"] == 7
    assert event.detail["network_snapshot"] == 3
    assert event.detail["baseline"] == "census-2021-england-wales@2021.1"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.COMMUNITY_PARTNER, Role.ADMINISTRATOR])
def test_casework_and_administration_roles_do_not_see_it(
    uow: UnitOfWork, settings: Settings, role: Role
) -> None:
    with pytest.raises(Forbidden):
        equality.monitor(uow, settings, Actor(9, "someone", "KENTPOL", role, True))
    with pytest.raises(Forbidden):
        equality.monitor(uow, settings, Actor(9, "former", "KENTPOL", Role.ANALYST, False))


def test_nothing_assessed_or_mapped_yet_says_so(uow: UnitOfWork, settings: Settings) -> None:
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    found = equality.monitor(uow, settings, ANALYST)
    assert found.populations == []
    assert found.alerts == 0
    assert any("linemap assess" in n for n in found.notes)
    assert any("linemap map" in n for n in found.notes)


def test_a_configured_baseline_is_used_and_a_bad_one_refused(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    good = tmp_path / "baseline.yaml"
    good.write_text(SMALL)
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    configured = Settings(database_url=settings.database_url, equality_baseline=good)
    assert equality.monitor(uow, configured, ANALYST).baseline == "test-baseline@1"
    missing = Settings(database_url=settings.database_url, equality_baseline=tmp_path / "no.yaml")
    with pytest.raises(ConfigurationError, match="does not exist"):
        equality.monitor(uow, missing, ANALYST)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed")
    with pytest.raises(ConfigurationError, match="not valid YAML"):
        equality.load_baseline(bad)
    assert Settings.from_env({"LINEMAP_EQUALITY_BASELINE": str(good)}).equality_baseline == good


# --- what is shown, on hand-made tables ----------------------------------------------------

BASELINE = parse_baseline(SMALL, "test")
ETHNICITY = BASELINE.dimensions[0]


def _show(counts: dict[str, int]) -> ShownTable:
    table: Table = compare(ETHNICITY, counts, AlertRule())
    return equality.show(table, ETHNICITY, AlertRule())


def test_one_small_count_takes_a_second_with_it_in_its_part() -> None:
    shown = _show({"a": 30, "b": 20, "c": 3, NOT_RECORDED: 12})
    notes = {r.group: r.note for r in shown.rows}
    assert notes["c"] == FEWER
    assert notes["b"] == WITHHELD
    assert notes["a"] is None
    assert notes[NOT_RECORDED] is None  # the other part has nothing to protect
    b = next(r for r in shown.rows if r.group == "b")
    assert b.ratio is None
    assert b.share is None
    assert b.p_value is None


def test_nothing_withheld_shows_the_exact_test() -> None:
    shown = _show({"a": 50, "b": 30, "c": 20})
    assert all(r.note is None for r in shown.rows)
    assert shown.statistic == 0.0
    assert shown.p_value == "p = 1"
    assert "in line with the baseline" in shown.reason


def test_a_tiny_population_shows_no_total_and_no_expected_counts() -> None:
    shown = _show({"a": 2, "c": 1})
    assert shown.total is None
    assert shown.tested is None
    assert all(r.expected is None and r.ratio is None for r in shown.rows)
    assert all(r.count in (None, 0) for r in shown.rows)


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", NOT_RECORDED, "not_mapped", "disputed"]), st.integers(0, 40)
    )
)
def test_no_small_number_can_be_shown_or_worked_out(counts: dict[str, int]) -> None:
    shown = _show(counts)
    assert all(r.count is None or r.count == 0 or r.count >= 5 for r in shown.rows)
    for tested in (True, False):
        part = [r for r in shown.rows if (r.baseline is not None) is tested]
        # a part's total is known (from the people tested, or the rest), so never one alone
        assert sum(r.count is None for r in part) != 1
    hidden = [r for r in shown.rows if r.count is None]
    assert all(r.ratio is None and r.share is None and r.p_value is None for r in hidden)
    if hidden:
        assert shown.statistic is None


def test_an_alert_on_withheld_counts_still_says_which_way() -> None:
    sex = BASELINE.dimensions[1]
    table = compare(sex, {"male": 39, "female": 1}, AlertRule())
    shown = equality.show(table, sex, AlertRule())
    assert [r.count for r in shown.rows[:2]] == [None, None]  # 39 would give the 1 away
    assert shown.alert
    assert "Male: more than expected (count withheld)" in shown.reason
    assert "Female: fewer than expected (count withheld)" in shown.reason
