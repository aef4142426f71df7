"""Flags pass the rules or are refused with every reason: never from association alone, never
on E or source-3 grading alone, never on slang, music or clothing alone; children stay in the
victim frame unless two people in two roles say otherwise."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linemap.assess import criteria
from linemap.assess.criteria import CriterionKind, EvidenceKind
from linemap.assess.rules import (
    Approver,
    Evidence,
    Flag,
    FlagKind,
    Frame,
    Observation,
    RiskLevel,
    change_frame,
    is_child,
    propose_flag,
    refusals,
)
from linemap.errors import Forbidden, InvalidInput
from linemap.model.grading import Grading

TODAY = date(2026, 11, 27)
SET = criteria.current()
STRONG = Evidence(1, 10, Grading.parse("1AP"))
WEAK_E = Evidence(2, 11, Grading.parse("2EP"))
WEAK_3 = Evidence(3, 12, Grading.parse("3BP"))
FACT = Evidence(4, 13)  # an agency's own record: a missing episode, an arrest


def seen(criterion: str, *evidence: Evidence) -> Observation:
    return Observation(SET.get(criterion), evidence, TODAY)


def flag(*observations: Observation, kind: FlagKind = FlagKind.EXPLOITATION) -> Flag:
    return propose_flag(
        "P1-KENT:1#p",
        kind,
        observations,
        criteria=SET.reference,
        birth_date="2010-05",
        raised_by=f"rule:{SET.reference}",
        today=TODAY,
    )


def test_the_criteria_set_is_versioned_and_complete() -> None:
    assert SET.reference == "county-lines-indicators@2023.2"
    assert len(SET.of_kind(CriterionKind.SIGN)) == 26
    assert len(SET.of_kind(CriterionKind.VULNERABILITY)) == 12
    assert len(SET.of_kind(CriterionKind.CUCKOOING)) == 12
    assert SET.get("slang").evidence is EvidenceKind.CULTURE
    assert SET.get("gang-association").evidence is EvidenceKind.ASSOCIATION


@pytest.mark.parametrize(
    ("observations", "reason"),
    [
        ((seen("gang-association", STRONG),), "association alone"),
        ((seen("older-relationships", FACT), seen("slang", STRONG)), "association alone"),
        ((seen("slang", STRONG),), "slang, music or clothing"),
        ((seen("plugging", WEAK_E),), "graded E or from a source graded 3"),
        ((seen("plugging", WEAK_3), seen("missing", WEAK_E)), "graded E or from a source"),
        ((seen("care", FACT), seen("substance-misuse", STRONG)), "vulnerability factors alone"),
        ((seen("missing"),), "names no evidence statement"),
        ((), "no sign observed"),
    ],
)
def test_a_flag_on_forbidden_grounds_is_refused_with_the_reason(
    observations: tuple[Observation, ...], reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        flag(*observations)
    assert "P1-KENT:1#p" in str(refused.value)  # the person by id, never by name


def test_a_behaviour_with_usable_evidence_carries_a_flag_and_the_rest_support_it() -> None:
    raised = flag(seen("missing", FACT), seen("gang-association", STRONG), seen("slang", WEAK_E))
    assert raised.criteria == "county-lines-indicators@2023.2"
    assert raised.statement_ids == (4, 1, 2)
    assert raised.frame is Frame.VICTIM
    assert raised.child
    assert raised.review_by == date(2027, 5, 26)
    weak_and_strong = flag(seen("plugging", WEAK_E, STRONG))
    assert weak_and_strong.observations[0].counts


def test_cuckooing_needs_a_cuckooing_sign() -> None:
    with pytest.raises(InvalidInput, match="no cuckooing observed"):
        flag(seen("missing", FACT), kind=FlagKind.CUCKOOING)
    with pytest.raises(InvalidInput, match="association alone"):
        flag(seen("new-friends", FACT), kind=FlagKind.CUCKOOING)
    assert flag(seen("visitors", FACT), kind=FlagKind.CUCKOOING)


EVIDENCE = st.sampled_from([STRONG, WEAK_E, WEAK_3, FACT])
OBSERVATIONS = st.lists(
    st.builds(
        Observation,
        st.sampled_from(list(SET.criteria.values())),
        st.lists(EVIDENCE, max_size=3).map(tuple),
        st.just(TODAY),
    ),
    max_size=5,
).map(tuple)


@given(OBSERVATIONS, st.sampled_from(list(FlagKind)))
def test_a_flag_is_allowed_exactly_when_a_behaviour_sign_has_usable_evidence(
    observations: tuple[Observation, ...], kind: FlagKind
) -> None:
    needed = "sign" if kind is FlagKind.EXPLOITATION else "cuckooing"
    carried = any(
        o.criterion.kind.value == needed
        and o.criterion.evidence.value == "behaviour"
        and any(
            e.grading is None or (e.grading.code[0] != "3" and e.grading.code[1] != "E")
            for e in o.evidence
        )
        for o in observations
    )
    every_observation_has_evidence = all(o.evidence for o in observations)
    assert (not refusals(kind, observations)) == (carried and every_observation_has_evidence)


@pytest.mark.parametrize(
    ("birth_date", "child"),
    [
        ("2008-11-28", True),  # 18 tomorrow
        ("2008-11-27", False),  # 18 today
        ("2008-11", True),  # may have been born on the 30th
        ("2008", True),
        ("2007", False),
        ("2008-02-29", False),  # 18th birthday taken as 1 March 2026
        (None, True),  # unknown: nothing shows they are an adult
        ("not a date", True),
    ],
)
def test_childhood_resolves_towards_the_child(birth_date: str | None, child: bool) -> None:
    assert is_child(birth_date, TODAY) is child


def test_a_childs_frame_needs_a_second_approver_of_another_role() -> None:
    raised = flag(seen("missing", FACT))
    officer = Approver("a.officer", "police_intelligence")
    with pytest.raises(Forbidden, match="second approver"):
        change_frame(raised, Frame.DUAL, "seen directing younger children", officer, None)
    with pytest.raises(Forbidden, match="another person in another role"):
        change_frame(
            raised,
            Frame.DUAL,
            "seen directing younger children",
            officer,
            Approver("b.officer", "police_intelligence"),
        )
    with pytest.raises(InvalidInput, match="reason"):
        change_frame(raised, Frame.DUAL, " ", officer, Approver("c.worker", "practitioner"))
    moved = change_frame(
        raised,
        Frame.DUAL,
        "seen directing younger children",
        officer,
        Approver("c.worker", "practitioner"),
    )
    assert moved.frame is Frame.DUAL
    assert [a.name for a in moved.frame_approvers] == ["a.officer", "c.worker"]


def test_an_adults_frame_moves_with_a_reason_and_risk_sets_the_review_date() -> None:
    adult = propose_flag(
        "P1-KENT:2#p",
        FlagKind.EXPLOITATION,
        (seen("arrested-out-of-area", FACT),),
        criteria=SET.reference,
        birth_date="1990-01-01",
        raised_by="a.analyst",
        today=TODAY,
        risk=RiskLevel.HIGH,
    )
    assert adult.review_by == date(2026, 12, 25)
    moved = change_frame(
        adult, Frame.SUSPECT, "controls the line phone", Approver("x", "analyst"), None
    )
    assert moved.frame is Frame.SUSPECT
