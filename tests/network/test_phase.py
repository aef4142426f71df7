"""Phases: natural order, one ranking per phase, risers, fallers and changes of leader."""

from __future__ import annotations

import pytest

from linemap.errors import InvalidInput
from linemap.network.change import Movement
from linemap.network.edge import EdgeList
from linemap.network.phase import PHASE_CAVEAT, phase_order, rank_phases


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["10", "2", "1"], ["1", "2", "10"]),
        (["1.5", "10", "-2"], ["-2", "1.5", "10"]),
        (["phase 10", "Phase 2", "phase 1"], ["phase 1", "Phase 2", "phase 10"]),
        (["2024-11", "2024-2", "2023-12"], ["2023-12", "2024-2", "2024-11"]),
        (["b", "a", "2"], ["2", "a", "b"]),
        (["nan", "2", "²"], ["2", "nan", "²"]),
    ],
)
def test_phases_run_in_natural_order(labels: list[str], expected: list[str]) -> None:
    assert phase_order(labels) == expected


def star(centre: str, leaves: list[str], phase: str) -> list[tuple[str, str, float, str]]:
    return [(centre, leaf, 1.0, phase) for leaf in leaves]


def test_leader_changes_and_movements_between_phases() -> None:
    links = [
        *star("a", ["b", "c", "d", "e"], "10"),  # listed first, ranked last
        *star("a", ["b", "c", "d"], "1"),
        ("b", "x", 1.0, "1"),
        *star("b", ["a", "c", "d", "x"], "2"),
        ("self", "self", 1.0, "3"),
    ]
    sources, targets, weights, phases = zip(*links, strict=True)
    report = rank_phases(EdgeList(sources, targets, weights, phases), top=2)
    assert [p.phase for p in report.phases] == ["1", "2", "10"]
    assert [p.leader for p in report.phases] == ["a", "b", "a"]
    first = report.changes[0]
    assert (first.before, first.after, first.leader_changed) == ("1", "2", True)
    assert first.comparison.risers[0] == Movement("b", 2, 1)
    assert first.comparison.fallers[0] == Movement("a", 1, 2)
    assert [(c.before, c.after) for c in report.leader_changes] == [("1", "2"), ("2", "10")]
    assert PHASE_CAVEAT in report.caveats
    assert any("left out: 3" in caveat for caveat in report.caveats)


def test_phases_need_a_phase_column() -> None:
    with pytest.raises(InvalidInput, match="no phase"):
        rank_phases(EdgeList(("a",), ("b",), (1.0,)))
