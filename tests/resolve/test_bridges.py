"""A name alone never joins two people: edges resting on names only attach, never bridge."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linemap.resolve.cluster import cluster_positions, without_bridges

Edge = tuple[int, int, float]


def _clusters(size: int, edges: list[Edge]) -> list[int]:
    """Each position's cluster (its smallest member), as the run would make them."""
    ids = [f"r{i:02d}" for i in range(size)]
    clustering = cluster_positions(ids, edges, 0.9)
    return [int(clustering.cluster_of[i][1:]) for i in ids]


def test_a_bare_name_reaching_two_people_joins_neither() -> None:
    # 0 and 1: two Zayan Prasads with dates of birth; 2: "Zayan Prasad" and nothing else.
    edges = [(0, 2, 0.99), (1, 2, 0.97)]
    kept = without_bridges(3, edges, [True, True], [False, False, True])
    assert _clusters(3, kept) == [0, 1, 2]


def test_a_bare_name_reaching_one_person_joins_them() -> None:
    edges = [(0, 1, 0.99), (1, 2, 0.96)]  # 0-1 share a date of birth; 2 is a bare name
    kept = without_bridges(3, edges, [False, True], [False, False, True])
    assert _clusters(3, kept) == [0, 0, 0]


def test_two_people_are_never_joined_on_their_names_alone() -> None:
    # 0 holds a phone, 1 a date of birth: nothing but the name agrees.
    kept = without_bridges(2, [(0, 1, 0.99)], [True], [False, False])
    assert _clusters(2, kept) == [0, 1]


def test_bare_names_join_each_other_and_then_one_person() -> None:
    # 2 and 3 are the same bare name; 3 reaches person 0 only.
    edges = [(2, 3, 0.99), (0, 3, 0.96)]
    kept = without_bridges(4, edges, [True, True], [False, False, True, True])
    assert _clusters(4, kept) == [0, 1, 0, 0]


def test_a_chain_of_bare_names_never_bridges_two_people() -> None:
    # 0 - 2 - 3 - 1: each bare name reaches one person, but together they would join two.
    edges = [(0, 2, 0.99), (2, 3, 0.98), (3, 1, 0.97)]
    kept = without_bridges(4, edges, [True, True, True], [False, False, True, True])
    clusters = _clusters(4, kept)
    assert clusters[0] != clusters[1]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[Edge], list[bool], list[bool]]:
    size = draw(st.integers(2, 12))
    names_only = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=25,
        )
    )
    edges = [(a, b, draw(st.floats(0.9, 1.0))) for a, b in pairs]
    # An edge with a bare name at either end can only rest on the names.
    on_names = [names_only[a] or names_only[b] or draw(st.booleans()) for a, b, _ in edges]
    return size, edges, on_names, names_only


@given(graphs())
def test_people_share_a_cluster_only_through_more_than_a_name(
    graph: tuple[int, list[Edge], list[bool], list[bool]],
) -> None:
    size, edges, on_names, names_only = graph
    clusters = _clusters(size, without_bridges(size, edges, on_names, names_only))
    strong = _clusters(size, [e for e, weak in zip(edges, on_names, strict=True) if not weak])
    everything = _clusters(size, edges)
    for a in range(size):
        # Nothing is joined that the edges themselves would not join.
        assert all(
            clusters[a] != clusters[b] or everything[a] == everything[b] for b in range(size)
        )
        if names_only[a]:
            continue
        for b in range(size):
            if not names_only[b] and clusters[a] == clusters[b]:
                # Two records holding more than a name are together only by edges resting on
                # more than names.
                assert strong[a] == strong[b]
    # Every edge resting on more than names still joins its ends.
    for (a, b, _), weak in zip(edges, on_names, strict=True):
        if not weak:
            assert clusters[a] == clusters[b]
