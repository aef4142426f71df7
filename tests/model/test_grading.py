"""3x5x2 and legacy 5x5x5 grades, and TLP ordering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linemap.errors import InvalidInput
from linemap.model.grading import Grading, LegacyGrading
from linemap.model.vocabulary import HandlingCode, IntelligenceAssessment, SourceEvaluation, Tlp


@pytest.mark.parametrize(
    ("text", "code"), [("2BP", "2BP"), ("2/b/p", "2BP"), ("1 A", "1AP"), ("3-E-P", "3EP")]
)
def test_three_five_two_parses(text: str, code: str) -> None:
    assert Grading.parse(text).code == code


@pytest.mark.parametrize("text", ["4AP", "2FP", "2BX", "80%", "", "B24", "2 B P P"])
def test_three_five_two_rejects(text: str) -> None:
    with pytest.raises(InvalidInput, match="3x5x2"):
        Grading.parse(text)


def test_handling_c_needs_conditions() -> None:
    with pytest.raises(InvalidInput, match="conditions"):
        Grading.parse("1AC")
    graded = Grading.parse("1AC", conditions="Originator consent before action")
    assert graded.handling is HandlingCode.C
    assert graded.conditions == "Originator consent before action"


def test_weak_grades() -> None:
    assert Grading.parse("1EP").is_weak
    assert Grading.parse("3AP").is_weak
    assert not Grading.parse("2CP").is_weak


def test_legacy_grade_is_kept_as_recorded() -> None:
    legacy = LegacyGrading.parse("b/2/4")
    assert legacy.code == "B24"
    with pytest.raises(InvalidInput, match="5x5x5"):
        LegacyGrading.parse("2BP")


@given(st.lists(st.sampled_from(list(Tlp)), min_size=1))
def test_most_restrictive_tlp_wins(labels: list[Tlp]) -> None:
    winner = Tlp.most_restrictive(labels)
    assert winner in labels
    assert all(winner.restrictiveness >= label.restrictiveness for label in labels)


def test_tlp_order_and_labels() -> None:
    order = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]
    assert sorted(Tlp, key=lambda t: t.restrictiveness) == order
    assert Tlp.parse("TLP:AMBER+STRICT") is Tlp.AMBER_STRICT
    assert Tlp.parse("white") is Tlp.CLEAR
    assert Tlp.AMBER_STRICT.label == "TLP:AMBER+STRICT"


def test_vocabulary_values_are_stable() -> None:
    assert [s.value for s in SourceEvaluation] == ["1", "2", "3"]
    assert [i.value for i in IntelligenceAssessment] == ["A", "B", "C", "D", "E"]
