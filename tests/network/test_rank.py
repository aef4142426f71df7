"""Key-player ranking: measures against networkx as an oracle, and the score's invariants."""

from __future__ import annotations

import random
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# networkx's own pure-Python PageRank: the public `nx.pagerank` needs SciPy, not installed here.
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from linemap.errors import InvalidInput
from linemap.network.edge import EdgeList
from linemap.network.rank import CAVEATS, Measure, Ranking, rank

Link = tuple[int, int, int]
links = st.lists(
    st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(1, 5)), min_size=1, max_size=45
).filter(lambda rows: any(s != t for s, t, _ in rows))


def edge_list(rows: list[Link]) -> EdgeList:
    return EdgeList(
        tuple(f"v{s:02d}" for s, _, _ in rows),
        tuple(f"v{t:02d}" for _, t, _ in rows),
        tuple(float(w) for _, _, w in rows),
    )


def unweighted(pairs: list[tuple[str, str]]) -> EdgeList:
    return EdgeList(tuple(s for s, _ in pairs), tuple(t for _, t in pairs), (1.0,) * len(pairs))


def oracle(rows: list[Link], directed: bool) -> nx.Graph:
    """The same network in networkx: self-links left out, repeated links summed."""
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    for s, t, w in rows:
        if s == t:
            continue
        a, b = f"v{s:02d}", f"v{t:02d}"
        weight = graph[a][b]["weight"] + w if graph.has_edge(a, b) else w
        graph.add_edge(a, b, weight=weight)
    return graph


def measures(ranking: Ranking, measure: Measure) -> dict[str, float]:
    return {p.node: p.measures[measure] for p in ranking.players}


@settings(max_examples=150, deadline=None)
@given(rows=links, directed=st.booleans())
def test_measures_agree_with_networkx(rows: list[Link], directed: bool) -> None:
    ranking = rank(edge_list(rows), directed=directed)
    graph = oracle(rows, directed)
    assert set(measures(ranking, Measure.DEGREE)) == set(graph.nodes)
    assert measures(ranking, Measure.DEGREE) == {v: float(d) for v, d in graph.degree()}
    assert measures(ranking, Measure.STRENGTH) == {
        v: float(d) for v, d in graph.degree(weight="weight")
    }
    between = nx.betweenness_centrality(graph, normalized=False)
    for node, value in measures(ranking, Measure.BETWEENNESS).items():
        assert value == pytest.approx(between[node], abs=1e-9)
    pagerank = _pagerank_python(graph, alpha=0.85, weight="weight", tol=1e-12, max_iter=10_000)
    for node, value in measures(ranking, Measure.PAGERANK).items():
        assert value == pytest.approx(pagerank[node], abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(rows=links, directed=st.booleans())
def test_contributions_add_up_to_a_score_in_unit_range(rows: list[Link], directed: bool) -> None:
    ranking = rank(edge_list(rows), directed=directed)
    assert [p.rank for p in ranking.players] == list(range(1, ranking.nodes + 1))
    for player in ranking.players:
        assert set(player.contributions) == set(Measure)
        assert sum(player.contributions.values()) == pytest.approx(player.score)
        assert 0.0 <= player.score <= 1.0 + 1e-12
    for a, b in pairwise(ranking.players):
        key_a, key_b = round(a.score, 12), round(b.score, 12)
        assert key_a > key_b or (key_a == key_b and a.node < b.node)
    # Every measure's best node gets the measure's full share.
    for measure in Measure:
        assert max(p.contributions[measure] for p in ranking.players) in (0.0, pytest.approx(0.25))


@settings(max_examples=100, deadline=None)
@given(rows=links, directed=st.booleans(), seed=st.integers(0, 2**16))
def test_the_order_of_rows_does_not_change_the_ranking(
    rows: list[Link], directed: bool, seed: int
) -> None:
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    first = rank(edge_list(rows), directed=directed)
    second = rank(edge_list(shuffled), directed=directed)
    assert [p.node for p in first.players] == [p.node for p in second.players]
    for a, b in zip(first.players, second.players, strict=True):
        assert a.score == pytest.approx(b.score)


def test_ties_are_broken_by_node_name() -> None:
    cycle = EdgeList(("d", "b", "c", "a"), ("b", "c", "a", "d"), (1.0, 1.0, 1.0, 1.0))
    ranking = rank(cycle)
    assert [p.node for p in ranking.players] == ["a", "b", "c", "d"]
    assert len({round(p.score, 9) for p in ranking.players}) == 1


def test_a_broker_between_two_groups_leads_on_betweenness() -> None:
    left = [(f"l{i}", f"l{j}") for i in range(5) for j in range(i + 1, 5)]
    right = [(f"r{i}", f"r{j}") for i in range(5) for j in range(i + 1, 5)]
    pairs = [*left, *right, ("l0", "broker"), ("broker", "r0")]
    ranking = rank(unweighted(pairs))
    broker = next(p for p in ranking.players if p.node == "broker")
    assert broker.contributions[Measure.BETWEENNESS] == pytest.approx(0.25)
    assert broker.measures[Measure.DEGREE] == 2


def test_strength_counts_repeated_and_reverse_rows_in_one_link() -> None:
    edges = EdgeList(("a", "b", "a", "a"), ("b", "a", "b", "c"), (2.0, 3.0, 1.0, 1.0))
    undirected = rank(edges)
    a = next(p for p in undirected.players if p.node == "a")
    assert a.measures[Measure.DEGREE] == 2
    assert a.measures[Measure.STRENGTH] == 7
    assert undirected.links == 2
    assert rank(edges, directed=True).links == 3
    assert any("repeat a link" in note for note in undirected.caveats)


def test_custom_weights_rank_on_one_measure() -> None:
    edges = EdgeList(("a", "a", "a", "b"), ("b", "c", "d", "c"), (1.0, 1.0, 1.0, 9.0))
    by_strength = rank(edges, weights={Measure.STRENGTH: 1.0})
    assert [p.node for p in by_strength.top(2)] == ["b", "c"]
    assert by_strength.players[0].score == pytest.approx(1.0)
    by_degree = rank(edges, weights={Measure.DEGREE: 2.0})
    assert by_degree.leader == "a"
    with pytest.raises(InvalidInput):
        rank(edges, weights={Measure.DEGREE: -1.0})


def test_sampled_betweenness_is_seeded_and_said() -> None:
    rng = random.Random(3)
    pairs = [(f"v{rng.randrange(400)}", f"v{rng.randrange(400)}") for _ in range(1600)]
    pairs += [("hub", f"v{i}") for i in range(0, 400, 4)]
    edges = unweighted(pairs)
    exact = rank(edges)
    sampled = rank(edges, exact_budget=1000)
    again = rank(edges, exact_budget=1000)
    assert exact.betweenness_sources is None
    assert sampled.betweenness_sources == 100
    assert [p.node for p in sampled.players] == [p.node for p in again.players]
    assert any("estimated from 100 of" in note for note in sampled.caveats)
    assert sampled.leader == exact.leader == "hub"
    # The estimate is unbiased: its total is near the exact total.
    total = sum(p.measures[Measure.BETWEENNESS] for p in exact.players)
    estimate = sum(p.measures[Measure.BETWEENNESS] for p in sampled.players)
    assert estimate == pytest.approx(total, rel=0.15)


def test_the_caveats_come_with_every_ranking() -> None:
    ranking = rank(EdgeList(("a",), ("b",), (1.0,)))
    assert ranking.caveats[: len(CAVEATS)] == CAVEATS
    assert any("not culpability" in caveat for caveat in ranking.caveats)
    assert any("strength repeats degree" in caveat for caveat in ranking.caveats)


def test_nothing_to_rank_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no links"):
        rank(EdgeList(("a", "b"), ("a", "b"), (1.0, 1.0)))
    with pytest.raises(InvalidInput, match="no links"):
        rank(EdgeList((), (), ()))
