"""Reading a network snapshot for the link chart: nodes by id or key, the edges around a set of
nodes, one edge, and the nodes a finding names. Every read is by index (migration 0008)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from linemap.store.tables import network_edge, network_finding, network_node

_CHUNK = 500


@dataclass(frozen=True)
class NodeRow:
    """A node of a snapshot."""

    id: int
    kind: str
    key: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class EdgeRow:
    """An edge of a snapshot, with its evidence."""

    id: int
    kind: str
    source: int
    target: int
    role: str | None
    start: str | None
    end: str | None
    records: tuple[int, ...]
    agencies: tuple[str, ...]
    grading: str | None
    weak: bool


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _edge(row: Any) -> EdgeRow:
    return EdgeRow(
        row.edge_id,
        row.kind,
        row.source,
        row.target,
        row.role,
        row.start_date,
        row.end_date,
        tuple(int(r) for r in row.records.split()),
        tuple(row.agencies.split()),
        row.grading,
        bool(row.weak),
    )


class ChartRepository:
    """Reads of one snapshot's graph, for drawing part of it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def nodes(self, snapshot_id: int, node_ids: Collection[int]) -> dict[int, NodeRow]:
        """Return these nodes of a snapshot, by id."""
        found: dict[int, NodeRow] = {}
        for chunk in _chunks(node_ids):
            rows = self.connection.execute(
                select(network_node).where(
                    network_node.c.snapshot_id == snapshot_id, network_node.c.node_id.in_(chunk)
                )
            )
            for r in rows:
                found[r.node_id] = NodeRow(
                    r.node_id, r.kind, r.key, json.loads(r.attributes) if r.attributes else {}
                )
        return found

    def nodes_by_key(self, snapshot_id: int, kind: str, keys: Sequence[str]) -> list[int]:
        """Return the ids of the nodes of a kind with these keys (phone numbers, say)."""
        if not keys:
            return []
        rows = self.connection.execute(
            select(network_node.c.node_id).where(
                network_node.c.snapshot_id == snapshot_id,
                network_node.c.key.in_(list(keys)),
                network_node.c.kind == kind,
            )
        )
        return sorted(r.node_id for r in rows)

    def edges_around(self, snapshot_id: int, node_ids: Collection[int]) -> list[EdgeRow]:
        """Return every edge touching any of these nodes, by edge id (one indexed query per
        end: an OR of the two would scan the table)."""
        found: dict[int, EdgeRow] = {}
        for chunk in _chunks(node_ids):
            for end in (network_edge.c.source, network_edge.c.target):
                rows = self.connection.execute(
                    select(network_edge).where(
                        network_edge.c.snapshot_id == snapshot_id, end.in_(chunk)
                    )
                )
                found.update((r.edge_id, _edge(r)) for r in rows)
        return [found[k] for k in sorted(found)]

    def degrees(self, snapshot_id: int, node_ids: Collection[int]) -> dict[int, int]:
        """Return how many edges touch each of these nodes (a self-loop counts once)."""
        counts = dict.fromkeys(node_ids, 0)
        for chunk in _chunks(node_ids):
            for end in (network_edge.c.source, network_edge.c.target):
                rows = self.connection.execute(
                    select(end, func.count())
                    .where(network_edge.c.snapshot_id == snapshot_id, end.in_(chunk))
                    .group_by(end)
                )
                for node, count in rows:
                    counts[node] += count
        return counts

    def edge(self, snapshot_id: int, edge_id: int) -> EdgeRow | None:
        """Return one edge, or None."""
        row = self.connection.execute(
            select(network_edge).where(
                network_edge.c.snapshot_id == snapshot_id, network_edge.c.edge_id == edge_id
            )
        ).first()
        return _edge(row) if row else None

    def line_members(self, snapshot_id: int, line: str) -> list[int]:
        """Return the nodes of the people a snapshot puts on a line."""
        rows = self.connection.execute(
            select(network_finding.c.node_id).where(
                network_finding.c.snapshot_id == snapshot_id,
                network_finding.c.kind == "member",
                network_finding.c.line == line,
            )
        )
        return [r.node_id for r in rows]

    def line_detail(self, snapshot_id: int, line: str) -> dict[str, Any] | None:
        """Return a line finding's detail (phones, handsets, names, areas, dates), or None."""
        found = self.connection.execute(
            select(network_finding.c.detail).where(
                network_finding.c.snapshot_id == snapshot_id,
                network_finding.c.kind == "line",
                network_finding.c.line == line,
            )
        ).scalar()
        return json.loads(found) if found else None

    def line_details(self, snapshot_id: int) -> list[tuple[str, dict[str, Any]]]:
        """Return (line id, detail) of every line of a snapshot, in finding order."""
        rows = self.connection.execute(
            select(network_finding.c.line, network_finding.c.detail)
            .where(network_finding.c.snapshot_id == snapshot_id, network_finding.c.kind == "line")
            .order_by(network_finding.c.finding_id)
        )
        return [(r.line, json.loads(r.detail)) for r in rows]

    def edges(self, snapshot_id: int, edge_ids: Collection[int]) -> list[EdgeRow]:
        """Return these edges of a snapshot, by edge id."""
        found: list[EdgeRow] = []
        for chunk in _chunks(edge_ids):
            rows = self.connection.execute(
                select(network_edge).where(
                    network_edge.c.snapshot_id == snapshot_id, network_edge.c.edge_id.in_(chunk)
                )
            )
            found.extend(_edge(r) for r in rows)
        return sorted(found, key=lambda e: e.id)

    def district_towns(
        self, snapshot_id: int, districts: Collection[str], per_district: int = 200
    ) -> dict[str, list[str]]:
        """Return, for each postcode district, the towns of up to `per_district` of its
        addresses (an address node's key starts with its postcode)."""
        found: dict[str, list[str]] = {}
        for district in sorted(districts):
            rows = self.connection.execute(
                select(network_node.c.attributes)
                .where(
                    network_node.c.snapshot_id == snapshot_id,
                    network_node.c.kind == "address",
                    network_node.c.key.like(f"{district} %"),
                )
                .limit(per_district)
            )
            towns = [json.loads(r.attributes).get("town") for r in rows if r.attributes]
            found[district] = [t for t in towns if t]
        return found

    def node_findings(
        self, snapshot_id: int, kinds: Sequence[str], node_ids: Collection[int]
    ) -> list[tuple[str, int, str | None, dict[str, Any]]]:
        """Return (kind, node id, label, detail) of the findings of these kinds about these
        nodes."""
        found: list[tuple[str, int, str | None, dict[str, Any]]] = []
        for chunk in _chunks(node_ids):
            rows = self.connection.execute(
                select(
                    network_finding.c.kind,
                    network_finding.c.node_id,
                    network_finding.c.label,
                    network_finding.c.detail,
                ).where(
                    network_finding.c.snapshot_id == snapshot_id,
                    network_finding.c.kind.in_(list(kinds)),
                    network_finding.c.node_id.in_(chunk),
                )
            )
            found.extend((r.kind, r.node_id, r.label, json.loads(r.detail)) for r in rows)
        return found
