"""Clustering honours judgements: negatives never violated, positives always held, undo restores."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from linemap.model.vocabulary import Judgement
from linemap.resolve.cluster import Clustering, JudgedPair, cluster

NEGATIVE, POSITIVE, UNSURE = Judgement.NEGATIVE, Judgement.POSITIVE, Judgement.UNSURE


def _components(
    ids: list[str], edges: list[tuple[str, str, float]], threshold: float
) -> set[frozenset[str]]:
    """The oracle: connected components by repeated merging of sets (slow, obviously right)."""
    groups = [{i} for i in ids]
    for a, b, p in edges:
        if p < threshold:
            continue
        ga = next(g for g in groups if a in g)
        gb = next(g for g in groups if b in g)
        if ga is not gb:
            ga |= gb
            groups.remove(gb)
    return {frozenset(g) for g in groups}


def _partition(result: Clustering) -> set[frozenset[str]]:
    return {frozenset(members) for members in result.clusters().values()}


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str, float]], list[JudgedPair]]:
    """Records, scored pairs, and judgements consistent with a hidden true partition."""
    count = draw(st.integers(2, 14))
    ids = [f"r{i:02d}" for i in range(count)]
    person = {i: f"p{draw(st.integers(0, count // 2))}" for i in ids}
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda t: t[0] != t[1]),
            max_size=30,
        )
    )
    edges = [(a, b, draw(st.floats(0.0, 1.0))) for a, b in pairs]
    judged = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda t: t[0] != t[1]),
            max_size=8,
        )
    )
    judgements = [
        JudgedPair(a, b, POSITIVE if person[a] == person[b] else NEGATIVE) for a, b in judged
    ]
    return ids, edges, judgements


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.floats(0.05, 1.0))
def test_without_judgements_clusters_are_the_thresholded_components(scenario, threshold) -> None:  # type: ignore[no-untyped-def]
    ids, edges, _ = scenario
    assert _partition(cluster(ids, edges, threshold)) == _components(ids, edges, threshold)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.floats(0.05, 1.0))
def test_negatives_are_never_violated_and_positives_always_hold(scenario, threshold) -> None:  # type: ignore[no-untyped-def]
    ids, edges, judgements = scenario
    result = cluster(ids, edges, threshold, judgements)
    for judged in judgements:
        together = result.cluster_of[judged.id_l] == result.cluster_of[judged.id_r]
        assert together is (judged.judgement is POSITIVE)
    assert not result.caveats


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.floats(0.05, 1.0), st.integers(0, 2**32 - 1))
def test_undoing_a_judgement_restores_the_prior_clusters(scenario, threshold, seed) -> None:  # type: ignore[no-untyped-def]
    ids, edges, judgements = scenario
    if not judgements:
        return
    before = cluster(ids, edges, threshold, judgements[:-1])
    cluster(ids, edges, threshold, judgements)  # the judgement is made ...
    rng = random.Random(seed)  # ... and undone, with the pairs arriving in another order
    shuffled = edges[:]
    rng.shuffle(shuffled)
    kept = judgements[:-1]
    rng.shuffle(kept)
    after = cluster(ids, shuffled, threshold, kept)
    assert after.cluster_of == before.cluster_of


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.floats(0.05, 1.0))
def test_judgements_only_split_what_scores_and_positives_join(scenario, threshold) -> None:  # type: ignore[no-untyped-def]
    ids, edges, judgements = scenario
    positives = [(j.id_l, j.id_r, 1.0) for j in judgements if j.judgement is POSITIVE]
    joined = _components(ids, edges + positives, threshold)
    for members in _partition(cluster(ids, edges, threshold, judgements)):
        assert any(members <= component for component in joined)


def test_a_negative_cuts_the_weakest_link_on_the_path() -> None:
    edges = [("a", "b", 0.99), ("b", "c", 0.96), ("c", "d", 0.999)]
    result = cluster(["a", "b", "c", "d"], edges, 0.95, [JudgedPair("a", "d", NEGATIVE)])
    assert result.clusters() == {"a": ["a", "b"], "c": ["c", "d"]}
    assert result.cut_edges == (("b", "c", 0.96),)


def test_a_positive_joins_below_the_threshold_and_unsure_changes_nothing() -> None:
    edges = [("a", "b", 0.2), ("b", "c", 0.3)]
    judged = [JudgedPair("a", "b", POSITIVE), JudgedPair("b", "c", UNSURE)]
    assert cluster(["a", "b", "c"], edges, 0.9, judged).clusters() == {"a": ["a", "b"], "c": ["c"]}


def test_cluster_ids_are_the_smallest_member_id() -> None:
    result = cluster(["z", "m", "a"], [("z", "m", 1.0), ("m", "a", 1.0)], 0.5)
    assert set(result.cluster_of.values()) == {"a"}


def test_contradictory_judgements_keep_the_negative_and_say_so() -> None:
    judged = [
        JudgedPair("a", "b", POSITIVE),
        JudgedPair("b", "c", POSITIVE),
        JudgedPair("a", "c", NEGATIVE),
    ]
    result = cluster(["a", "b", "c"], [], 0.9, judged)
    assert result.cluster_of["a"] != result.cluster_of["c"]
    assert any("contradict" in caveat for caveat in result.caveats)


def test_judgements_on_unknown_records_are_counted_not_applied() -> None:
    result = cluster(["a", "b"], [("a", "b", 1.0)], 0.9, [JudgedPair("a", "zz", NEGATIVE)])
    assert result.clusters() == {"a": ["a", "b"]}
    assert result.caveats == ("1 judgements name records not in this run and were not applied",)
