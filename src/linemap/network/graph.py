"""Turn an edge list into a weighted igraph graph: one link per pair, weights summed.

Vertices are numbered in node-name order, so the same links give the same graph whatever the
order of the rows, and anything seeded (sampled betweenness) picks the same nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import igraph as ig  # type: ignore[import-untyped]

from linemap.network.edge import EdgeList


@dataclass(frozen=True)
class Network:
    """A simple weighted graph (no repeated links, no self-links) and what building it changed."""

    graph: Any  # igraph.Graph: vertex attribute "name", edge attribute "weight"
    directed: bool
    merged_rows: int = 0  # rows summed into a link already seen (repeats, both directions)
    self_links: int = 0  # rows from a node to itself, left out
    zero_weight_rows: int = 0  # rows of weight 0, left out when reading

    @property
    def names(self) -> list[str]:
        """Return the node names, in vertex order (sorted)."""
        names: list[str] = self.graph.vs["name"] if self.graph.vcount() else []
        return names

    @property
    def nodes(self) -> int:
        """Return the number of nodes."""
        count: int = self.graph.vcount()
        return count

    @property
    def links(self) -> int:
        """Return the number of links after repeated rows are summed."""
        count: int = self.graph.ecount()
        return count


def make_network(edges: EdgeList, *, directed: bool = False) -> Network:
    """Build the graph: self-links left out, repeated links summed (both directions if undirected).

    A node that appears only in self-links is not in the graph: it has no link to anyone else.
    """
    keep = [s != t for s, t in zip(edges.sources, edges.targets, strict=True)]
    self_links = len(keep) - sum(keep)
    sources = [s for s, k in zip(edges.sources, keep, strict=True) if k]
    targets = [t for t, k in zip(edges.targets, keep, strict=True) if k]
    weights = [w for w, k in zip(edges.weights, keep, strict=True) if k]
    names = sorted(set(sources).union(targets))
    index = {name: position for position, name in enumerate(names)}
    graph = ig.Graph(
        n=len(names),
        edges=[(index[s], index[t]) for s, t in zip(sources, targets, strict=True)],
        directed=directed,
    )
    graph.vs["name"] = names
    graph.es["weight"] = weights
    graph.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    return Network(
        graph,
        directed,
        merged_rows=len(sources) - graph.ecount(),
        self_links=self_links,
        zero_weight_rows=edges.zero_weight_rows,
    )


def without_links(network: Network, links: list[int]) -> Network:
    """Return the network less the given links (edge ids) and any node left with no link."""
    graph = network.graph.copy()
    graph.delete_edges(links)
    graph.delete_vertices([v for v, degree in enumerate(graph.degree()) if degree == 0])
    return Network(graph, network.directed)
