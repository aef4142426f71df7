"""How a ranking changes: between two rankings, and when the weakest links are dropped.

`compare` is shared by phases (risers and fallers from one phase to the next) and by
`sensitivity`, which answers "would the top k still be the top k without the weak links?":
a ranking that turns over when low-weight (or, later, low-graded) links go rests on them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from linemap.errors import InvalidInput
from linemap.network.edge import EdgeList
from linemap.network.graph import make_network, without_links
from linemap.network.rank import (
    DEFAULT_SEED,
    DEFAULT_WEIGHTS,
    EXACT_BETWEENNESS_BUDGET,
    Measure,
    Ranking,
    rank_network,
)


@dataclass(frozen=True)
class Movement:
    """One node's rank before and after (None where it is not in that network)."""

    node: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        """Return how many places the node rose (negative: fell); None if it is in only one."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


@dataclass(frozen=True)
class Comparison:
    """The top k of two rankings: who entered, who left, who rose and who fell."""

    top: int
    before: tuple[str, ...]  # the top k before, best first
    after: tuple[str, ...]  # the top k after, best first
    risers: tuple[Movement, ...]  # in the top k after and ranked better than before (or new)
    fallers: tuple[Movement, ...]  # in the top k before and ranked worse after (or gone)

    @property
    def entered(self) -> tuple[str, ...]:
        """Return the nodes in the top k after that were not in it before."""
        return tuple(node for node in self.after if node not in self.before)

    @property
    def left(self) -> tuple[str, ...]:
        """Return the nodes in the top k before that are not in it after."""
        return tuple(node for node in self.before if node not in self.after)

    @property
    def overlap(self) -> float:
        """Return the share of the top k kept (1.0: the same nodes, perhaps reordered)."""
        if not self.before:
            return 1.0
        return len(set(self.before) & set(self.after)) / len(self.before)


def compare(before: Ranking, after: Ranking, top: int) -> Comparison:
    """Compare the top k of two rankings of (possibly) different networks."""
    if top < 1:
        raise InvalidInput("the number of top nodes to compare must be 1 or more")
    first = tuple(p.node for p in before.top(top))
    second = tuple(p.node for p in after.top(top))
    risers = tuple(
        Movement(node, before.rank_of(node), rank)
        for rank, node in enumerate(second, start=1)
        if (was := before.rank_of(node)) is None or was > rank
    )
    fallers = tuple(
        Movement(node, rank, after.rank_of(node))
        for rank, node in enumerate(first, start=1)
        if (now := after.rank_of(node)) is None or now > rank
    )
    return Comparison(top, first, second, risers, fallers)


@dataclass(frozen=True)
class Sensitivity:
    """The ranking with every link, the ranking without the weakest, and how the top k moved."""

    full: Ranking
    reduced: Ranking
    dropped_links: int
    threshold: float  # the weight of the strongest link dropped (0 if none was)
    comparison: Comparison


def sensitivity(
    edges: EdgeList,
    *,
    directed: bool = False,
    top: int = 10,
    min_weight: float | None = None,
    drop_fraction: float | None = None,
    weights: Mapping[Measure, float] = DEFAULT_WEIGHTS,
    seed: int = DEFAULT_SEED,
    exact_budget: int = EXACT_BETWEENNESS_BUDGET,
) -> Sensitivity:
    """Re-rank without the weakest links and report how the top k changes.

    Give exactly one of `min_weight` (drop links weighing less, after repeated rows are summed)
    or `drop_fraction` (drop that share of links, weakest first; equal weights are dropped in
    order of their ends' names, so the choice is deterministic).
    """
    if (min_weight is None) == (drop_fraction is None):
        raise InvalidInput("give either a minimum weight or a fraction of links to drop")
    if drop_fraction is not None and not 0 <= drop_fraction < 1:
        raise InvalidInput("the fraction of links to drop must be at least 0 and below 1")
    network = make_network(edges, directed=directed)
    if network.links == 0:
        raise InvalidInput("there are no links between two different nodes to rank; check the file")
    names, strengths = network.names, network.graph.es["weight"] if network.links else []
    ends = network.graph.get_edgelist()
    order = sorted(
        range(network.links), key=lambda e: (strengths[e], names[ends[e][0]], names[ends[e][1]])
    )
    if min_weight is not None:
        dropped = [e for e in order if strengths[e] < min_weight]
    else:
        dropped = order[: math.floor(len(order) * (drop_fraction or 0.0))]
    full = rank_network(network, weights=weights, seed=seed, exact_budget=exact_budget)
    reduced = rank_network(
        without_links(network, dropped), weights=weights, seed=seed, exact_budget=exact_budget
    )
    return Sensitivity(
        full,
        reduced,
        len(dropped),
        max((strengths[e] for e in dropped), default=0.0),
        compare(full, reduced, top),
    )
