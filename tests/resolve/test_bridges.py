"""A name alone never joins two people: edges resting on names only attach, never bridge."""

from __future__ import annotations

from typing import cast

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from linemap.resolve.cluster import cluster_positions, without_bridges
from linemap.resolve.feature import make_features
from linemap.resolve.link import cluster_at
from linemap.resolve.model import Model
from linemap.resolve.score import Predictions

Edge = tuple[int, int, float]


def _clusters(size: int, edges: list[Edge]) -> list[int]:
    """Each position's cluster (its smallest member), as the run would make them."""
    ids = [f"r{i:02d}" for i in range(size)]
    clustering = cluster_positions(ids, edges, 0.9)
    return [int(clustering.cluster_of[i][1:]) for i in ids]


def test_a_bare_name_reaching_two_people_joins_neither() -> None:
    # 0 and 1: two Zayan Prasads with dates of birth; 2: "Zayan Prasad" and nothing else.
    edges = [(0, 2, 0.99), (1, 2, 0.97)]
    kept, _ = without_bridges(3, edges, [True, True], [False, False, True])
    assert _clusters(3, kept) == [0, 1, 2]


def test_a_bare_name_reaching_one_person_joins_them() -> None:
    edges = [(0, 1, 0.99), (1, 2, 0.96)]  # 0-1 share a date of birth; 2 is a bare name
    kept, _ = without_bridges(3, edges, [False, True], [False, False, True])
    assert _clusters(3, kept) == [0, 0, 0]


def test_two_people_are_never_joined_on_their_names_alone() -> None:
    # 0 holds a phone, 1 a date of birth: nothing but the name agrees.
    kept, _ = without_bridges(2, [(0, 1, 0.99)], [True], [False, False])
    assert _clusters(2, kept) == [0, 1]


def test_bare_names_join_each_other_and_then_one_person() -> None:
    # 2 and 3 are the same bare name; 3 reaches person 0 only.
    edges = [(2, 3, 0.99), (0, 3, 0.96)]
    kept, _ = without_bridges(4, edges, [True, True], [False, False, True, True])
    assert _clusters(4, kept) == [0, 1, 0, 0]


def test_a_chain_of_bare_names_never_bridges_two_people() -> None:
    # 0 - 2 - 3 - 1: each bare name reaches one person, but together they reach two, so the
    # two bare names stay together and apart from both, whatever order the edges come in.
    edges = [(0, 2, 0.99), (2, 3, 0.98), (3, 1, 0.97)]
    for ordered in (edges, edges[::-1]):
        kept, joins = without_bridges(4, ordered, [True, True, True], [False, False, True, True])
        assert _clusters(4, kept) == [0, 1, 2, 2]
        assert joins == []


def test_each_join_of_bare_names_is_reported_with_its_pairs() -> None:
    # 2 and 3 (one bare name, twice) reach person 0-1 by three pairs: one join, three pairs.
    edges = [(0, 1, 0.99), (2, 3, 0.7), (0, 2, 0.6), (1, 2, 0.8), (0, 3, 0.55)]
    on_names = [False, True, True, True, True]
    kept, joins = without_bridges(4, edges, on_names, [False, False, True, True])
    assert _clusters(4, kept) == [0, 0, 0, 0]
    assert joins == [[(0, 2, 0.6), (1, 2, 0.8), (0, 3, 0.55)]]


def test_joins_are_told_once_by_records_that_can_be_explained() -> None:
    # b1 and b2 are the same bare name twice (one group, scored once as b1); each reaches a.
    records = pa.table(
        {
            "unique_id": ["a", "b1", "b2"],
            "first_name": ["Zoe"] * 3,
            "surname": ["Riney"] * 3,
            "dob": ["2008-03-04", None, None],
        }
    )
    features = make_features(records)
    pairs = pa.table(
        {"id_l": ["a"], "id_r": ["b1"], "match_weight": [1.2], "match_probability": [0.7]}
    )
    model = cast(Model, None)  # clustering reads the pairs, never the model
    predictions = Predictions(pairs, model, 0.5, groups=features.duplicates.groups)
    clustering = cluster_at(features, predictions, 0.95)
    assert set(clustering.cluster_of.values()) == {"a"}
    assert clustering.name_joins == (("a", "b1", 0.7),)
    # Without the joins each bare name is apart: a judgement can part them again at once.
    assert clustering.before_name_joins == {"b1": "b1", "b2": "b2"}
    # From a name threshold over the pair's probability, the bare names stay apart.
    assert cluster_at(features, predictions, 0.95, name_threshold=0.8).cluster_of == {
        "a": "a",
        "b1": "b1",
        "b2": "b2",
    }


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
    kept, joins = without_bridges(size, edges, on_names, names_only)
    clusters = _clusters(size, kept)
    # The same edges in another order make the same clusters.
    assert _clusters(size, without_bridges(size, edges[::-1], on_names[::-1], names_only)[0]) == (
        clusters
    )
    # Each join is one of the edges, between a bare name and someone holding more.
    assert all(e in edges and names_only[e[0]] != names_only[e[1]] for j in joins for e in j)
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
