"""The link chart: part of the latest network snapshot, drawn for one reader under the policy.

A focus says what to draw: `line:L3` (the line's phones and the people working it, with the
links around them), `person:ENTITY` (the person resolution made of a mention, and their links),
`node:123` (a node and its neighbours: a place, an address, a phone) or `path:12:34` (a
shortest path between two nodes over the links this reader may see). A link is shown only when
the reader may read at least one of the records behind it (the access policy decides per
record, as for every other read); a node only when a link shown touches it (a node alone would
disclose its key). Every record behind a link drawn is a consultation, logged before anything
is returned; links withheld are counted, never described.

Two views of the same graph. The safeguarding view shows the people at risk, the places and the
addresses, and no ranking. The disruption view adds the organiser ranking, handsets and
vehicles, and leaves out the places (contexts to assess, never enforcement targets); children
stay marked as children at risk and are never ranked (a child's place on a line is a
safeguarding matter first). People are labelled by their role and number, never by name: the
profile, opened from the chart, shows who they are to those who may see it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.network.export import Link as ChartLink  # a link as drawn is a link as exported
from linemap.services import consultation
from linemap.services.view import Discovery
from linemap.store.chart import EdgeRow, NodeRow
from linemap.store.unit_of_work import Transaction, UnitOfWork

VIEWS = ("safeguarding", "disruption")
# Safeguarding looks at people and contexts; disruption at the line's kit. Places where children
# concentrate (schools, children's homes) are contexts to assess, never enforcement targets.
HIDDEN_IN_VIEW = {
    "safeguarding": frozenset({"handset", "vehicle"}),
    "disruption": frozenset({"place"}),
}
VICTIM_ROLES = frozenset({"child_at_risk", "vulnerable_adult_at_risk", "cuckooed_resident"})
MAX_NODES = 500  # more than this is cut, with a warning
MAX_PATH_DEPTH = 6


@dataclass(frozen=True)
class ChartFilter:
    """What to leave out: links outside a date range, weak links, kinds of node or link."""

    start: date | None = None
    end: date | None = None
    strong_only: bool = False
    node_kinds: frozenset[str] = frozenset()  # empty: every kind
    link_kinds: frozenset[str] = frozenset()

    def keeps(self, edge: EdgeRow) -> bool:
        """Return whether a link passes the filter (undated links pass a date range)."""
        if self.strong_only and edge.weak:
            return False
        if self.link_kinds and edge.kind not in self.link_kinds:
            return False
        if self.start and edge.end and edge.end < self.start.isoformat():
            return False
        return not (self.end and edge.start and edge.start > self.end.isoformat())


@dataclass(frozen=True)
class ChartNode:
    """A node as drawn."""

    id: int
    kind: str
    label: str
    roles: tuple[str, ...] = ()
    child: bool = False
    victim: bool = False
    focus: bool = False
    degree: int = 0
    rank: int | None = None  # organiser rank (disruption view only)


@dataclass(frozen=True)
class Chart:
    """What one reader sees of part of a snapshot."""

    snapshot: int
    focus: str
    view: str
    nodes: list[ChartNode]
    links: list[ChartLink]
    withheld: int
    warnings: list[str] = field(default_factory=list)


def chart(
    uow: UnitOfWork,
    actor: Actor,
    focus: str,
    view: str,
    chart_filter: ChartFilter,
    today: date,
    purpose: str | None = None,
) -> Chart:
    """Draw the focus for this reader, logging every record behind a link shown."""
    if view not in VIEWS:
        raise InvalidInput(f"view must be one of {', '.join(VIEWS)}")
    with uow.read() as tx:
        ctx = reader(tx, actor, purpose, today)
        snapshot = latest(tx)
        seeds, path_ends = _seeds(tx, snapshot, focus)
        if path_ends is None:
            around = [e for e in tx.chart.edges_around(snapshot, seeds) if chart_filter.keeps(e)]
            edges, cut = _within(around, seeds)
            readable = readable_records(ctx, tx, edges)
        else:  # the search reads and decides the links it passes
            readable, cut = set(), 0
            edges = _shortest_path(tx, snapshot, path_ends, chart_filter, ctx, readable)
        shown = [e for e in edges if readable.intersection(e.records)]
        withheld = len(edges) - len(shown)
        if path_ends is not None and not shown:
            hops = f"No path within {MAX_PATH_DEPTH} links among the links you may see."
            drawn: tuple[list[ChartNode], list[ChartLink], list[str]] = ([], [], [hops])
        else:
            drawn = _draw(tx, snapshot, seeds, shown, view, chart_filter)
    for record_id in sorted({r for e in shown for r in e.records if r in readable}):
        consultation.consulted(ctx, record_id, "link chart", True, None)
    for record_id in sorted({r for e in edges for r in e.records} - readable):
        consultation.consulted(ctx, record_id, "link chart", False, None)  # withheld
    consultation.log(uow, ctx)
    nodes, links, warnings = drawn
    if cut:
        warnings = [
            f"{cut:,} more links are not drawn: more than {MAX_NODES} nodes; filter by date, "
            "grading or kind, or focus on fewer nodes.",
            *warnings,
        ]
    return Chart(snapshot, focus, view, nodes, links, withheld, warnings)


def _within(edges: list[EdgeRow], seeds: set[int]) -> tuple[list[EdgeRow], int]:
    """Keep the links whose ends fit in MAX_NODES nodes, strongest evidence first (not weak,
    then more records), so that a busy node's chart reads, logs and draws only what it
    shows; return them and how many were left out."""
    ends = {n for e in edges for n in (e.source, e.target)}
    if len(ends | seeds) <= MAX_NODES:
        return edges, 0
    ranked = sorted(edges, key=lambda e: (e.weak, -len(e.records), e.id))
    kept, nodes = [], set(seeds)
    for edge in ranked:
        new = {edge.source, edge.target} - nodes
        if len(nodes) + len(new) > MAX_NODES:
            continue
        nodes |= new
        kept.append(edge)
    return sorted(kept, key=lambda e: e.id), len(edges) - len(kept)


def reader(tx: Transaction, actor: Actor, purpose: str | None, today: date) -> consultation.Context:
    """Return the reading context of a casework role; refuse the roles that read no case data."""
    ctx = consultation.load_context(tx, actor, purpose, today)
    if not consultation.reads_casework(ctx):
        raise Forbidden(f"the {actor.role.value} role does not read the map")
    return ctx


def latest(tx: Transaction) -> int:
    """Return the latest snapshot's id, or say how to make one."""
    snapshot = tx.network.latest_snapshot()
    if snapshot is None:
        raise NotFound("no network snapshot yet: run `linemap map`")
    return snapshot.id


@dataclass(frozen=True)
class Evidence:
    """The records behind one link: those the reader may open, and who holds the rest."""

    link: ChartLink
    records: list[tuple[int, str]]  # (record id, agency code)
    discoveries: list[Discovery]


def evidence(
    uow: UnitOfWork, actor: Actor, edge_id: int, today: date, purpose: str | None = None
) -> Evidence:
    """Return the evidence of one link of the latest snapshot: each record the reader may
    open (each a consultation), and which agencies hold the others and whom to ask."""
    with uow.read() as tx:
        ctx = reader(tx, actor, purpose, today)
        snapshot_id = latest(tx)
        edge = tx.chart.edge(snapshot_id, edge_id)
        if edge is None:
            raise NotFound(f"no link {edge_id} in the latest snapshot")
        decided = consultation.decide_records(ctx, tx, edge.records)
    allowed = sorted(r for r, (_, d) in decided.items() if d.allowed)
    hidden: dict[str, int] = {}
    for record_id, (marking, decision) in sorted(decided.items()):
        consultation.consulted(ctx, record_id, "link evidence", decision.allowed, decision.isa)
        if not decision.allowed:
            hidden[marking.agency] = hidden.get(marking.agency, 0) + 1
    consultation.log(uow, ctx)  # the refused attempt is on the record too
    if not allowed:  # a link with no record the reader may see is not theirs to know of
        raise NotFound(f"no link {edge_id} in the latest snapshot")
    link = ChartLink(
        edge.id,
        edge.kind,
        edge.source,
        edge.target,
        edge.start,
        edge.end,
        edge.grading,
        edge.weak,
        len(edge.records),
    )
    return Evidence(
        link,
        [(r, decided[r][0].agency) for r in allowed],
        [
            Discovery(code, ctx.agencies[code].name, ctx.agencies[code].contact, count)
            for code, count in sorted(hidden.items())
        ],
    )


def _seeds(
    tx: Transaction, snapshot_id: int, focus: str
) -> tuple[set[int], tuple[int, int] | None]:
    """Return the nodes a focus starts from, and the two ends of a path focus."""
    kind, _, rest = focus.partition(":")
    if kind == "line" and rest:
        detail = tx.chart.line_detail(snapshot_id, rest)
        if detail is None:
            raise NotFound(f"no line {rest} in the latest snapshot")
        phones = tx.chart.nodes_by_key(snapshot_id, "phone", detail.get("phones", []))
        members = set(tx.chart.line_members(snapshot_id, rest))
        return set(phones) | members, None
    if kind == "person" and rest:  # an entity id: the person resolution made of it
        info = tx.network.latest_snapshot()
        assert info is not None
        key = tx.resolution.person_of(info.resolution_run_id, rest) or rest
        found = tx.chart.nodes_by_key(snapshot_id, "person", [key])
        if not found:
            raise NotFound("that person is not on the latest map")
        return set(found), None
    try:
        if kind == "node":
            return {int(rest)}, None
        if kind == "path":
            left, _, right = rest.partition(":")
            return {int(left), int(right)}, (int(left), int(right))
    except ValueError:
        pass
    raise InvalidInput("focus must be line:ID, person:ENTITY, node:ID or path:ID:ID")


def readable_records(
    ctx: consultation.Context, tx: Transaction, edges: Iterable[EdgeRow]
) -> set[int]:
    """Return the records behind these links that the reader may read."""
    records = {r for e in edges for r in e.records}
    decided = consultation.decide_records(ctx, tx, records)
    return {r for r, (_, decision) in decided.items() if decision.allowed}


def _shortest_path(
    tx: Transaction,
    snapshot_id: int,
    ends: tuple[int, int],
    chart_filter: ChartFilter,
    ctx: consultation.Context,
    readable: set[int],
) -> list[EdgeRow]:
    """Breadth-first search over the links the reader may see, at most MAX_PATH_DEPTH hops;
    the records it finds the reader may read are added to `readable`."""
    start, goal = ends
    came: dict[int, EdgeRow | None] = {start: None}
    frontier = deque([start])
    for _ in range(MAX_PATH_DEPTH):
        if goal in came or not frontier:
            break
        layer = set(frontier)
        frontier.clear()
        around = [e for e in tx.chart.edges_around(snapshot_id, layer) if chart_filter.keeps(e)]
        readable |= readable_records(
            ctx, tx, [e for e in around if not readable.intersection(e.records)]
        )
        for edge in around:
            if not readable.intersection(edge.records):
                continue
            for here, there in ((edge.source, edge.target), (edge.target, edge.source)):
                if here in layer and there not in came:
                    came[there] = edge
                    frontier.append(there)
    if goal not in came:
        return []
    path: list[EdgeRow] = []
    node, step = goal, came[goal]
    while step is not None:
        path.append(step)
        node = step.source if step.target == node else step.target
        step = came[node]
    return path


def _draw(
    tx: Transaction,
    snapshot_id: int,
    focus: set[int],
    shown: list[EdgeRow],
    view: str,
    chart_filter: ChartFilter,
) -> tuple[list[ChartNode], list[ChartLink], list[str]]:
    """Label the nodes and links to draw, in this view, cut to MAX_NODES."""
    ids = set(focus) | {n for e in shown for n in (e.source, e.target)}
    rows = tx.chart.nodes(snapshot_id, ids)
    hidden = HIDDEN_IN_VIEW[view] | (
        frozenset(k for k in {r.kind for r in rows.values()} if k not in chart_filter.node_kinds)
        if chart_filter.node_kinds
        else frozenset()
    )
    linked = {n for e in shown for n in (e.source, e.target)}
    # Only what a link the reader may see touches: a node alone would disclose its key.
    keep = {n for n, row in rows.items() if row.kind not in hidden and n in linked}
    if not keep:
        raise NotFound("nothing to draw there among the links you may see")
    warnings = []
    if len(keep) > MAX_NODES:
        keep = set(sorted(keep, key=lambda n: (n not in focus, n))[:MAX_NODES])
        warnings.append(f"Only {MAX_NODES} nodes are drawn; filter or focus to see the rest.")
    roles: dict[int, set[str]] = {}
    ranks: dict[int, int] = {}
    for kind, node, label, detail in tx.chart.node_findings(
        snapshot_id, ("role", "organiser"), keep
    ):
        if kind == "organiser":
            ranks[node] = int(detail["rank"])
        elif label:
            roles.setdefault(node, set()).add(label)
    degrees = tx.chart.degrees(snapshot_id, keep)
    nodes = [
        _node(
            rows[n],
            sorted(roles.get(n, ())),
            n in focus,
            degrees.get(n, 0),
            ranks.get(n) if view == "disruption" else None,
        )
        for n in sorted(keep)
    ]
    links = [
        ChartLink(
            e.id, e.kind, e.source, e.target, e.start, e.end, e.grading, e.weak, len(e.records)
        )
        for e in shown
        if e.source in keep and e.target in keep
    ]
    return nodes, links, warnings


def _node(row: NodeRow, roles: list[str], focus: bool, degree: int, rank: int | None) -> ChartNode:
    """Label a node: people by role and number (never a name; a victim role first), events by
    kind and date, places and addresses by what they are, phones and handsets by number."""
    roles = sorted(roles, key=lambda role: (role not in VICTIM_ROLES, role))
    child = "child_at_risk" in roles
    if child:
        rank = None  # a child is never ranked
    if row.kind == "person":
        label = f"{(roles[0] if roles else 'person').replace('_', ' ').capitalize()} {row.id}"
    elif row.kind == "event":
        what = str(row.attributes.get("kind", "event")).replace("_", " ").capitalize()
        label = f"{what} {row.attributes.get('date') or ''}".strip()
    elif row.kind in ("address", "place"):
        first, _, second = row.key.partition("|")
        kind = str(row.attributes.get("kind", "")).replace("_", " ").capitalize()
        where = ", ".join(part for part in (second, first) if part)
        label = f"{kind}: {where}" if row.kind == "place" and kind else where
    else:
        label = f"{row.kind.capitalize()} {row.key}"
    return ChartNode(
        row.id,
        row.kind,
        label,
        tuple(roles),
        child,
        bool(VICTIM_ROLES.intersection(roles)),
        focus,
        degree,
        rank,
    )
