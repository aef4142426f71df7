"""Rank changes: comparing two rankings, and the ranking without the weakest links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linemap.errors import InvalidInput
from linemap.network.change import Movement, compare, sensitivity
from linemap.network.edge import EdgeList
from linemap.network.rank import rank


def edges(*links: tuple[str, str, float]) -> EdgeList:
    return EdgeList(
        tuple(s for s, _, _ in links), tuple(t for _, t, _ in links), tuple(w for _, _, w in links)
    )


def test_compare_reports_risers_fallers_entries_and_exits() -> None:
    before = rank(edges(("a", "b", 1), ("a", "c", 1), ("a", "d", 1), ("b", "c", 1)))
    after = rank(edges(("d", "a", 1), ("d", "c", 1), ("d", "e", 1), ("e", "c", 1)))
    assert [p.node for p in before.top(3)] == ["a", "b", "c"]
    assert [p.node for p in after.top(3)] == ["d", "c", "e"]
    change = compare(before, after, 3)
    assert change.entered == ("d", "e")
    assert change.left == ("a", "b")
    assert change.risers == (Movement("d", 4, 1), Movement("c", 3, 2), Movement("e", None, 3))
    assert change.fallers == (Movement("a", 1, 4), Movement("b", 2, None))
    assert change.risers[0].change == 3
    assert change.fallers[1].change is None
    assert change.overlap == pytest.approx(1 / 3)
    with pytest.raises(InvalidInput):
        compare(before, after, 0)


def test_dropping_weak_links_shows_a_ranking_that_rests_on_them() -> None:
    # "w" leads only through many weak links; the strong triangle takes over without them.
    weak = [("w", f"x{i}", 1.0) for i in range(6)]
    strong = [("a", "b", 9.0), ("b", "c", 9.0), ("a", "c", 9.0), ("c", "w", 5.0)]
    result = sensitivity(edges(*weak, *strong), top=2, min_weight=2)
    assert result.full.leader == "w"
    assert result.dropped_links == 6
    assert result.threshold == 1.0
    assert result.reduced.nodes == 4
    assert result.reduced.leader == "c"
    assert "w" in result.comparison.before
    assert result.comparison.fallers[0].node == "w"


def test_drop_fraction_is_deterministic_on_equal_weights() -> None:
    ring = edges(*[(f"v{i}", f"v{(i + 1) % 8}", 1.0) for i in range(8)])
    one = sensitivity(ring, top=3, drop_fraction=0.25)
    two = sensitivity(ring, top=3, drop_fraction=0.25)
    assert one.dropped_links == 2
    assert one.comparison == two.comparison
    assert one.reduced.links == 6


def test_sensitivity_needs_one_way_of_dropping() -> None:
    ring = edges(("a", "b", 1.0), ("b", "c", 1.0))
    with pytest.raises(InvalidInput):
        sensitivity(ring)
    with pytest.raises(InvalidInput):
        sensitivity(ring, min_weight=1, drop_fraction=0.1)
    with pytest.raises(InvalidInput):
        sensitivity(ring, drop_fraction=1.0)


@settings(max_examples=60, deadline=None)
@given(
    links=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(1, 4)), min_size=2, max_size=30
    ).filter(lambda rows: any(s != t for s, t, _ in rows))
)
def test_dropping_nothing_changes_nothing(links: list[tuple[int, int, int]]) -> None:
    edge_list = edges(*[(f"v{s}", f"v{t}", float(w)) for s, t, w in links])
    result = sensitivity(edge_list, top=3, min_weight=0)
    assert result.dropped_links == 0
    assert result.comparison.before == result.comparison.after
    assert result.comparison.risers == result.comparison.fallers == ()
    assert result.comparison.overlap == 1.0
