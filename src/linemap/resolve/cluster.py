"""Clustering of scored pairs into people, honouring reviewers' judgements; pure.

Records join when a pair scores at or above the threshold, transitively (connected components).
Judgements override the scores: a positive judgement always joins its pair; a negative one
never lets its pair end up together. A component that would hold a negatively judged pair is
rebuilt alone: positive judgements first, then its pairs from the most to the least probable,
refusing any union that would bring a negatively judged pair together (so the weakest links on
the path are the ones cut). Without judgements the result is exactly the thresholded components,
and because the clustering is a function of the pairs and judgements alone, undoing a judgement
restores the clusters it changed. Unsure judgements do not change clusters.

A cluster's id is its smallest record id, so ids are stable while its membership is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import not_

from linemap.model.vocabulary import Judgement

Edge = tuple[str, str, float]


@dataclass(frozen=True)
class JudgedPair:
    """A reviewer's judgement on a pair of records (its attribution lives with the caller)."""

    id_l: str
    id_r: str
    judgement: Judgement


@dataclass(frozen=True)
class Clustering:
    """Which cluster each record is in, and what judgements changed."""

    cluster_of: Mapping[str, str]  # record id -> cluster id (the cluster's smallest record id)
    threshold: float
    cut_edges: tuple[Edge, ...] = ()  # pairs above the threshold kept apart by negatives
    caveats: tuple[str, ...] = ()
    # Pairs under the threshold by which records holding only a name joined the one person
    # they match (`without_bridges`), each such join once: worth a reviewer's look.
    name_joins: tuple[Edge, ...] = ()
    # Each record's cluster without those joins, where it differs from `cluster_of`: the parts
    # a judgement on a join can part again at once.
    before_name_joins: Mapping[str, str] = field(default_factory=dict)

    def clusters(self) -> dict[str, list[str]]:
        """Return each cluster's record ids, sorted, by cluster id."""
        members: dict[str, list[str]] = {}
        for record, cluster_id in self.cluster_of.items():
            members.setdefault(cluster_id, []).append(record)
        return {key: sorted(value) for key, value in sorted(members.items())}


class _Forest:
    """Union-find over record positions with path halving; a root is always the smallest
    position of its set, so every parent is at a smaller position than its child."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def union_all(self, edges: Iterable[tuple[int, int, float]]) -> None:
        """Join the sets of every edge (`find` and `union` written out: a million edges)."""
        parent = self.parent
        for left, right, _ in edges:
            while parent[left] != left:
                parent[left] = parent[parent[left]]
                left = parent[left]
            while parent[right] != right:
                parent[right] = parent[parent[right]]
                right = parent[right]
            if left < right:
                parent[right] = left
            elif right < left:
                parent[left] = right

    def roots(self) -> list[int]:
        """Return each position's root in one pass: parents point to smaller positions, whose
        roots are known by the time they are needed."""
        parent = self.parent
        for node in range(len(parent)):
            parent[node] = parent[parent[node]]
        return parent

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, left: int, right: int) -> int:
        """Join two sets; the smaller position becomes the root (deterministic)."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return a
        if b < a:
            a, b = b, a
        self.parent[b] = a
        return a


def cluster(
    ids: Sequence[str],
    edges: Iterable[Edge],
    threshold: float,
    judgements: Iterable[JudgedPair] = (),
) -> Clustering:
    """Cluster records by scored pairs at or above the threshold, honouring judgements."""
    position = {record: i for i, record in enumerate(ids)}
    kept = [(position[id_l], position[id_r], p) for id_l, id_r, p in edges if p >= threshold]
    return cluster_positions(ids, kept, threshold, judgements, position)


def without_bridges(
    size: int,
    edges: Sequence[tuple[int, int, float]],
    on_names: Sequence[bool],
    names_only: Sequence[bool],
) -> tuple[list[tuple[int, int, float]], list[list[tuple[int, int, float]]]]:
    """Keep the edges that never let a name alone join two people.

    A name is weak evidence: "Zayan Prasad" with a phone and "Zayan Prasad" with a date of
    birth may be namesakes, and a record with nothing but the name may match either. So an
    edge resting on the names alone (`on_names`: nothing else of the pair agrees: no year of
    birth, postcode district, phone, address, extra column or identifier) never joins two
    sets of records that each hold more than a name (not `names_only`: "anchored" sets).
    Records holding only names join each other by such edges, and then the one anchored set
    their edges reach, or none when they reach several (they stay apart, for review). Every
    other edge joins as ever. Edges are (position, position, probability), thresholded by the
    caller; judgements are applied after.

    Return the edges kept, and for each set of name-only records joined to an anchored set
    its edges there (the join a reviewer may want to see, and to part).
    """
    forest = _Forest(size)
    kept = list(compress(edges, map(not_, on_names)))
    forest.union_all(kept)
    roots = forest.roots()
    anchored = set(compress(roots, map(not_, names_only)))
    weak = list(compress(edges, on_names))
    loose = [e for e in weak if roots[e[0]] not in anchored and roots[e[1]] not in anchored]
    forest.union_all(loose)
    kept.extend(loose)
    reach: dict[int, dict[int, list[tuple[int, int, float]]]] = {}
    for edge in weak:
        a, b = forest.find(edge[0]), forest.find(edge[1])
        if (a in anchored) != (b in anchored):
            free, anchor = (b, a) if a in anchored else (a, b)
            reach.setdefault(free, {}).setdefault(anchor, []).append(edge)
    joins = []
    for anchors in reach.values():
        if len(anchors) == 1:
            (joining,) = anchors.values()
            kept.extend(joining)
            joins.append(joining)
    return kept, joins


def cluster_positions(
    ids: Sequence[str],
    edges: Sequence[tuple[int, int, float]],
    threshold: float,
    judgements: Iterable[JudgedPair] = (),
    position: Mapping[str, int] | None = None,
) -> Clustering:
    """Cluster as `cluster` does, given edges at or above the threshold by record position
    (a million records' edges, found by Arrow, cost no string lookups)."""
    forest = _Forest(len(ids))
    forest.union_all(edges)
    if position is None:
        judged = list(judgements)
        named = {j.id_l for j in judged} | {j.id_r for j in judged}
        position = {record: i for i, record in enumerate(ids) if record in named}
        judgements = judged
    kept = edges
    positives, negatives, unknown = _split(judgements, position)
    for left, right in positives:
        forest.union(left, right)
    caveats = (
        [f"{unknown} judgements name records not in this run and were not applied"]
        if unknown
        else []
    )
    conflicted = {forest.find(a) for a, b in negatives if forest.find(a) == forest.find(b)}
    cut: list[Edge] = []
    if conflicted:
        cut, conflicts = _rebuild(forest, conflicted, kept, positives, negatives, ids)
        if conflicts:
            caveats.append(
                f"{conflicts} positive judgements contradict negative ones and were not applied;"
                " review the judgements of these records"
            )
    return Clustering(_name_clusters(ids, forest), threshold, tuple(cut), tuple(caveats))


def _split(
    judgements: Iterable[JudgedPair], position: Mapping[str, int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Sort judgements into positive and negative position pairs; count unknown records."""
    positives, negatives, unknown = [], [], 0
    for judged in judgements:
        left, right = position.get(judged.id_l), position.get(judged.id_r)
        if left is None or right is None:
            unknown += 1
        elif judged.judgement is Judgement.POSITIVE:
            positives.append((left, right))
        elif judged.judgement is Judgement.NEGATIVE and left != right:
            negatives.append((left, right))
    return positives, negatives, unknown


def _rebuild(
    forest: _Forest,
    conflicted: set[int],
    kept: Sequence[tuple[int, int, float]],
    positives: list[tuple[int, int]],
    negatives: list[tuple[int, int]],
    ids: Sequence[str],
) -> tuple[list[Edge], int]:
    """Re-cluster the components holding a negative pair; return the cut edges and conflicts."""
    members = [i for i in range(len(ids)) if forest.find(i) in conflicted]
    for node in members:  # make each record of those components its own set again
        forest.parent[node] = node
    inside = set(members)
    apart: dict[int, set[int]] = {node: set() for node in members}
    for a, b in negatives:
        if a in inside and b in inside:  # pairs in different components are apart already
            apart[a].add(b)
            apart[b].add(a)
    conflicts = 0
    for a, b in positives:
        if a in inside and not _join(forest, apart, a, b):
            conflicts += 1
    ordered = sorted(
        (e for e in kept if e[0] in inside), key=lambda e: (-e[2], ids[e[0]], ids[e[1]])
    )
    cut = [(ids[a], ids[b], p) for a, b, p in ordered if not _join(forest, apart, a, b)]
    return cut, conflicts


def _join(forest: _Forest, apart: dict[int, set[int]], a: int, b: int) -> bool:
    """Join the sets of a and b unless a negative judgement separates them; say if joined."""
    root_a, root_b = forest.find(a), forest.find(b)
    if root_a == root_b:
        return True
    if root_b in apart[root_a]:
        return False
    root = forest.union(root_a, root_b)
    other = root_b if root == root_a else root_a
    merged = apart[root_a] | apart[root_b]
    apart[root] = merged
    for node in apart[other]:  # point the other set's rivals at the new root
        apart[node].discard(other)
        apart[node].add(root)
    return True


def _name_clusters(ids: Sequence[str], forest: _Forest) -> dict[str, str]:
    """Name each cluster by its smallest record id and map every record to it."""
    roots = forest.roots()
    smallest: dict[int, str] = {}
    for record, root in zip(ids, roots, strict=True):
        current = smallest.get(root)
        if current is None or record < current:
            smallest[root] = record
    return {record: smallest[root] for record, root in zip(ids, roots, strict=True)}
