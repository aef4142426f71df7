"""Reading the criteria in records, and whether they flag: hand-made records, exact outcomes.
Everyone here is invented."""

from __future__ import annotations

from datetime import date
from itertools import count

from linemap.assess.observe import Fact, PersonFile, RecordFacts, current, decide
from linemap.assess.rules import FlagKind, RiskLevel
from linemap.model.grading import Grading

TODAY = date(2026, 11, 26)
RULES = current()
_ids = count(1)
_statements = count(1)


def record(
    *entities: tuple[str, str, dict[str, str]],
    grading: str | None = None,
    legacy: str | None = None,
    on: date = date(2026, 3, 1),
) -> RecordFacts:
    """A record about `child`: (key, schema, properties) per entity."""
    record_id = next(_ids)
    facts = tuple(
        Fact(next(_statements), key, schema, prop, value)
        for key, schema, props in entities
        for prop, value in props.items()
    )
    return RecordFacts(
        record_id, on, "child", facts, Grading.parse(grading) if grading else None, legacy
    )


CHILD = ("child", "Person", {"birth_date": "2010-05-01"})
ADULT = ("child", "Person", {"birth_date": "1980-05-01"})


def person(*records: RecordFacts) -> PersonFile:
    file = PersonFile()
    for r in records:
        file.add(r, RULES)
    return file


def kinds(file: PersonFile) -> list[str]:
    return [f.kind.value for f in decide("P1-1", file, RULES, TODAY).flags]


def test_a_child_arrested_for_supply_is_flagged_with_the_statements_that_show_it() -> None:
    arrest = record(
        CHILD,
        (
            "arrest",
            "Event",
            {"event_kind": "arrest", "offence": "Possession with intent to supply"},
        ),
    )
    outcome = decide("P1-1", person(arrest), RULES, TODAY)
    [flag] = outcome.flags
    assert flag.kind is FlagKind.EXPLOITATION
    assert flag.child
    assert flag.risk is RiskLevel.MEDIUM  # one strong sign
    assert flag.raised_by == "rule:linemap-observations@1"
    assert flag.criteria == "county-lines-indicators@2023.2"
    [supply] = [o for o in flag.observations if o.criterion.id == "drug-supply"]
    offence = next(f for f in arrest.facts if f.prop == "offence")
    assert [e.statement_id for e in supply.evidence] == [offence.statement_id]


def test_one_ordinary_sign_is_not_enough_and_three_are() -> None:
    missing = record(CHILD, ("e", "Event", {"event_kind": "missing_episode"}))
    injured = record(CHILD, ("e", "Event", {"event_kind": "hospital_attendance_assault"}))
    excluded = record(CHILD, ("e", "Event", {"event_kind": "school_exclusion"}))
    assert kinds(person(missing)) == []
    assert kinds(person(missing, injured)) == []
    assert (
        "fewer than 3 different signs"
        in decide("P1-1", person(missing, injured), RULES, TODAY).reasons[0]
    )
    assert kinds(person(missing, injured, excluded)) == ["exploitation"]


def test_found_out_of_area_counts_only_away_from_every_home() -> None:
    def episode(found_postcode: str) -> RecordFacts:
        return record(
            CHILD,
            ("home", "Address", {"postcode": "CT9 1AA", "local_authority": "Kent"}),
            ("found", "Address", {"postcode": found_postcode}),
            ("e", "Event", {"event_kind": "missing_episode"}),
            ("at", "OccurredAt", {"event": "X:1#e", "location": "X:1#found", "role": "found_at"}),
            (
                "from",
                "OccurredAt",
                {"event": "X:1#e", "location": "X:1#home", "role": "missing_from"},
            ),
        )

    away = person(episode("NW10 4AB"))
    near = person(episode("CT11 9AA"))
    seen_away = {o.criterion.id: strong for o, strong in away.observations(TODAY)}
    seen_near = {o.criterion.id: strong for o, strong in near.observations(TODAY)}
    assert seen_away == {"missing": False}  # both rules fired, one criterion
    assert len(away.candidates) == 2
    assert seen_near == {"missing": False}
    assert near.homes == {("postcode", "CT"), ("authority", "kent")}


def test_weak_intelligence_alone_never_flags_and_a_usable_grade_does() -> None:
    def intel(grade: str | None, legacy: str | None = None) -> RecordFacts:
        return record(
            CHILD,
            (
                "e",
                "Event",
                {"event_kind": "intelligence_report", "summary": "Child believed exploited"},
            ),
            grading=grade,
            legacy=legacy,
        )

    weak = decide("P1-1", person(intel("3BP")), RULES, TODAY)
    assert weak.flags == ()
    assert "graded E or from a source graded 3" in weak.reasons[0]
    assert decide("P1-1", person(intel(None, "D23")), RULES, TODAY).flags == ()
    assert kinds(person(intel("2BP"))) == ["exploitation"]


def test_an_adult_is_flagged_as_exploited_only_with_care_and_support_needs() -> None:
    dealing = record(
        ADULT, ("e", "Event", {"event_kind": "arrest", "offence": "Being concerned in the supply"})
    )
    convicted = record(ADULT, ("e", "Event", {"event_kind": "conviction", "offence": "Theft"}))
    assert kinds(person(dealing, convicted)) == []  # the criminal justice system is not a need
    vulnerable = record(
        ("child", "Person", {"birth_date": "1980-05-01", "vulnerability": "learning_disability"})
    )
    assert kinds(person(dealing, vulnerable)) == ["exploitation"]
    unknown_age = record(
        ("child", "Person", {}), ("e", "Event", {"event_kind": "arrest", "offence": "supply"})
    )
    assert kinds(person(unknown_age)) == []  # no date of birth: not shown to be a child


def test_a_taken_over_home_flags_cuckooing_and_slang_never_counts() -> None:
    report = record(
        ADULT,
        (
            "e",
            "Event",
            {"event_kind": "cuckooing_report", "summary": "Resident not seen; door damaged"},
        ),
    )
    outcome = decide("P1-1", person(report), RULES, TODAY)
    [flag] = outcome.flags
    assert flag.kind is FlagKind.CUCKOOING
    assert {o.criterion.id for o in flag.observations} == {"taken-over", "resident-unseen", "door"}
    slang = record(
        CHILD,
        (
            "e",
            "Event",
            {"event_kind": "intelligence_report", "summary": "uses the word trapping, drill music"},
        ),
    )
    assert person(slang).observations(TODAY) == ()


def test_a_mace_rating_sets_the_risk() -> None:
    mace = record(
        CHILD, ("e", "Event", {"event_kind": "mace_discussion", "risk_level": "high_significant"})
    )
    [flag] = decide("P1-1", person(mace), RULES, TODAY).flags
    assert flag.risk is RiskLevel.HIGH
    assert flag.review_by == date(2026, 12, 24)


def test_an_adult_an_agency_records_as_the_victim_of_a_strong_sign_is_a_vulnerable_adult() -> None:
    def intel(victim: bool, summary: str, grade: str = "2BP") -> RecordFacts:
        made = record(
            ADULT, ("e", "Event", {"event_kind": "intelligence_report", "summary": summary})
        )
        return RecordFacts(
            made.record_id, made.recorded, "child", made.facts, Grading.parse(grade), None, victim
        )

    named = "Believed exploited on the line; found with drugs plugged"
    assert kinds(person(intel(True, named))) == ["exploitation"]
    assert kinds(person(intel(False, named))) == []
    assert kinds(person(intel(True, named, "3BP"))) == []  # weak: neither carries nor qualifies
    assault = record(ADULT, ("e", "Event", {"event_kind": "hospital_attendance_assault"}))
    victim_of_assault = RecordFacts(
        assault.record_id, assault.recorded, "child", assault.facts, None, None, True
    )
    missing = record(ADULT, ("e", "Event", {"event_kind": "missing_episode"}))
    excluded = record(ADULT, ("e", "Event", {"event_kind": "school_exclusion"}))
    assert kinds(person(victim_of_assault, missing, excluded)) == []  # no strong sign


def test_a_stated_age_under_18_stands_in_for_a_missing_date_of_birth() -> None:
    def concern(age: str) -> RecordFacts:
        return record(
            ("child", "Person", {"note": age}),
            (
                "e",
                "Event",
                {"event_kind": "community_concern", "summary": "Found with drugs wrapped for sale"},
            ),
        )

    assert kinds(person(concern("about 15"))) == ["exploitation"]
    assert kinds(person(concern("about 24"))) == []
    assert kinds(person(concern("late teens"))) == []  # no age stated: nothing shows a child
