"""Key-player ranking: an explainable score from four normalised centralities.

The score of node v is

    score(v) = sum over measures m of  w_m * c_m(v) / max_u c_m(u)

with equal weights w_m = 1/4 over four measures, each answering a different question about a
node's position (Freeman 1979; Morselli 2009 for brokerage in criminal networks):

- degree: how many others it is in contact with (in + out when directed);
- strength: how much contact, the sum of its links' weights (calls, sightings);
- betweenness: brokerage, how many shortest paths between others run through it. Paths are
  counted in hops: a weight says how strong a link is, not how long, and turning it into a
  distance would make brokerage hinge on how often people happened to call;
- PageRank (damping 0.85, weighted): being in contact with others who are well connected.
  Chosen over eigenvector centrality because it is defined on disconnected networks, which
  intelligence networks nearly always are.

Each measure is divided by its largest value in the network, so a score lies in [0, 1], the
contributions (w_m times the normalised measure) add up to it, and 1 would be the top node on
every measure. Equal weights because nothing known justifies putting one question above
another; degree and strength both describe direct activity (Opsahl et al. 2010 argue that the
number and the weight of ties both matter), brokerage and reach a quarter each. Ties are broken
by node name.

Exact betweenness costs a breadth-first search from every node. Past a budget of nodes x links
it is estimated from a fixed-seed sample of source nodes (Brandes & Pich 2007) and scaled up;
the ranking says so in its caveats.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any

from linemap.errors import InvalidInput
from linemap.network.edge import EdgeList
from linemap.network.graph import Network, make_network


class Measure(StrEnum):
    """The centralities the score combines."""

    DEGREE = "degree"
    STRENGTH = "strength"
    BETWEENNESS = "betweenness"
    PAGERANK = "pagerank"


DEFAULT_WEIGHTS: Mapping[Measure, float] = MappingProxyType(dict.fromkeys(Measure, 0.25))
DEFAULT_SEED = 7
DAMPING = 0.85
EXACT_BETWEENNESS_BUDGET = 250_000_000  # nodes x links: about 10 s of breadth-first search
MIN_SOURCES = 100  # fewer sampled sources than this and the estimate is too noisy to rank on

CAVEATS = (
    "Centrality is not culpability: leaders often keep away from the operations and are not "
    "central (Morselli 2009); a high score describes a position among the recorded links, not a "
    "role, and is never on its own a reason to act.",
    "The data are incomplete: links nobody recorded (other phones, meetings) are missing, so "
    "ranks can change with more data; check how they change when weak links are dropped.",
    "Rank key players only on a network of confirmed perpetrators: many central people in "
    "County Lines are exploited children and vulnerable adults, to be safeguarded first.",
    "Removing a central person is not success: disruption can displace risk onto exploited "
    "young people; weigh the safeguarding impact of any action.",
    "A set of top-ranked nodes is not the best set to fragment or reach the network "
    "(Borgatti's key-player problem): the top k can be redundant with each other.",
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class KeyPlayer:
    """One node's rank and score, with what each measure contributed to the score."""

    node: str
    rank: int
    score: float  # the sum of the contributions, in [0, 1]
    contributions: Mapping[Measure, float]  # weight x measure / the network's largest
    measures: Mapping[Measure, float]  # the raw centralities (betweenness estimated if sampled)


@dataclass(frozen=True)
class Ranking:
    """Every node of a network ranked as a key player, best first, with the caveats."""

    players: tuple[KeyPlayer, ...]
    directed: bool
    links: int
    weights: Mapping[Measure, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    betweenness_sources: int | None = None  # None: exact; else how many sources were sampled
    caveats: tuple[str, ...] = ()

    @property
    def nodes(self) -> int:
        """Return the number of nodes ranked."""
        return len(self.players)

    @property
    def leader(self) -> str | None:
        """Return the top-ranked node, if there is any node."""
        return self.players[0].node if self.players else None

    def top(self, k: int) -> tuple[KeyPlayer, ...]:
        """Return the k best-ranked players."""
        return self.players[:k]

    @cached_property
    def _rank_of(self) -> dict[str, int]:
        return {player.node: player.rank for player in self.players}

    def rank_of(self, node: str) -> int | None:
        """Return a node's rank, or None if it is not in the network."""
        return self._rank_of.get(node)


def rank(
    edges: EdgeList,
    *,
    directed: bool = False,
    weights: Mapping[Measure, float] = DEFAULT_WEIGHTS,
    seed: int = DEFAULT_SEED,
    exact_budget: int = EXACT_BETWEENNESS_BUDGET,
    progress: Progress | None = None,
) -> Ranking:
    """Rank the nodes of an edge list as key players; refuse an edge list with no link."""
    if progress:
        progress("building the network")
    network = make_network(edges, directed=directed)
    if network.links == 0:
        raise InvalidInput("there are no links between two different nodes to rank; check the file")
    return rank_network(
        network, weights=weights, seed=seed, exact_budget=exact_budget, progress=progress
    )


def rank_network(
    network: Network,
    *,
    weights: Mapping[Measure, float] = DEFAULT_WEIGHTS,
    seed: int = DEFAULT_SEED,
    exact_budget: int = EXACT_BETWEENNESS_BUDGET,
    progress: Progress | None = None,
) -> Ranking:
    """Rank the nodes of a built network; an empty network gives an empty ranking."""
    shares = _shares(weights)
    values, sources = measure(network, seed=seed, exact_budget=exact_budget, progress=progress)
    if progress:
        progress("combining the measures")
    players = combine(network.names, values, shares)
    return Ranking(
        players,
        network.directed,
        network.links,
        MappingProxyType(shares),
        sources,
        CAVEATS + _notes(network, sources, seed),
    )


def _shares(weights: Mapping[Measure, float]) -> dict[Measure, float]:
    """Scale the measure weights to add up to 1; refuse negative or all-zero weights."""
    if any(value < 0 for value in weights.values()) or sum(weights.values()) <= 0:
        raise InvalidInput("measure weights must be 0 or more and not all 0")
    total = sum(weights.values())
    return {m: weights.get(m, 0.0) / total for m in Measure}


def measure(
    network: Network,
    *,
    seed: int = DEFAULT_SEED,
    exact_budget: int = EXACT_BETWEENNESS_BUDGET,
    progress: Progress | None = None,
) -> tuple[dict[Measure, list[float]], int | None]:
    """Compute the raw centralities of every node, in vertex order, and the sample size if any."""
    graph, directed = network.graph, network.directed
    if progress:
        progress("degree and strength")
    values: dict[Measure, list[float]] = {
        Measure.DEGREE: [float(d) for d in graph.degree(mode="all")],
        Measure.STRENGTH: [float(s) for s in graph.strength(mode="all", weights="weight")],
    }
    between, sources = betweenness(
        graph, directed, seed=seed, exact_budget=exact_budget, progress=progress
    )
    values[Measure.BETWEENNESS] = between
    if progress:
        progress("PageRank")
    values[Measure.PAGERANK] = (
        list(graph.pagerank(directed=directed, damping=DAMPING, weights="weight"))
        if graph.vcount()
        else []
    )
    return values, sources


def betweenness(
    graph: Any,
    directed: bool,
    *,
    seed: int = DEFAULT_SEED,
    exact_budget: int = EXACT_BETWEENNESS_BUDGET,
    progress: Progress | None = None,
) -> tuple[list[float], int | None]:
    """Return betweenness in hops: exact within the budget, else estimated from sampled sources.

    The estimate counts the shortest paths from k sources picked at random (fixed seed) and
    scales by n / k, which is unbiased (Brandes & Pich 2007).
    """
    nodes, links = graph.vcount(), graph.ecount()
    if nodes * max(links, 1) <= exact_budget:
        if progress:
            progress("betweenness (exact)")
        return [float(b) for b in graph.betweenness(directed=directed)], None
    k = min(nodes, max(MIN_SOURCES, exact_budget // max(links, 1)))
    if progress:
        progress(f"betweenness (estimated from {k:,} sources)")
    sources = sorted(random.Random(seed).sample(range(nodes), k))
    scale = nodes / k
    return [b * scale for b in graph.betweenness(directed=directed, sources=sources)], k


def combine(
    names: list[str], values: Mapping[Measure, list[float]], shares: Mapping[Measure, float]
) -> tuple[KeyPlayer, ...]:
    """Normalise each measure by its largest value, weigh, add up and rank (ties by name)."""
    measures = tuple(Measure)
    parts = []  # per measure, every node's contribution
    for m in measures:
        largest = max(values[m], default=0.0)
        factor = shares[m] / largest if largest > 0 else 0.0
        parts.append([value * factor for value in values[m]])
    scores = [sum(node) for node in zip(*parts, strict=True)]
    # Rounding before sorting keeps ties that differ only in floating-point noise in name order.
    order = sorted(range(len(names)), key=lambda i: (-round(scores[i], 12), names[i]))
    raw = [values[m] for m in measures]
    return tuple(
        KeyPlayer(
            names[i],
            rank,
            scores[i],
            dict(zip(measures, (part[i] for part in parts), strict=True)),
            dict(zip(measures, (column[i] for column in raw), strict=True)),
        )
        for rank, i in enumerate(order, start=1)
    )


def _notes(network: Network, sources: int | None, seed: int) -> tuple[str, ...]:
    """Say what about this network and this computation bears on reading the ranks."""
    graph, notes = network.graph, []
    if sources is not None:
        notes.append(
            f"Betweenness is estimated from {sources:,} of {network.nodes:,} nodes taken as "
            f"sources (seed {seed}); ranks below the first few may differ from exact ones."
        )
    parts = len(graph.connected_components(mode="weak")) if graph.vcount() else 0
    if parts > 1:
        notes.append(
            f"The network falls into {parts:,} separate parts; scores compare nodes in "
            "different parts only roughly."
        )
    if graph.ecount() and min(graph.es["weight"]) == max(graph.es["weight"]):
        notes.append(
            "Every link has the same weight, so strength repeats degree: direct contacts "
            "count for half of the score."
        )
    if network.self_links or network.zero_weight_rows:
        notes.append(
            f"Left out: {network.self_links:,} rows linking a node to itself and "
            f"{network.zero_weight_rows:,} rows of weight 0."
        )
    if network.merged_rows:
        how = "" if network.directed else " (in either direction: the links are undirected)"
        notes.append(
            f"{network.merged_rows:,} rows repeat a link already seen{how}; "
            "their weights are summed."
        )
    return tuple(notes)
