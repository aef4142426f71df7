"""The network map: a versioned snapshot of resolved people, objects, places and events, and
what it finds (deal lines, membership, contexts, cuckooed addresses, roles, organisers).

A snapshot is derived data: built from the current statements and the latest resolution run,
stored whole with its date, author and run, and never edited; the next `linemap map` makes a
new one. Building it combines records from many agencies (DPA 2018 s.62) and is audited as
one combination, in the same transaction that stores it. Nothing it stores or returns as a
summary holds a name: counts only.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from linemap.errors import NotFound
from linemap.governance.audit import AuditEvent
from linemap.model.vocabulary import AuditOperation
from linemap.network.cuckoo import CuckooedAddress, find_cuckooed
from linemap.network.line import DealLine, find_lines
from linemap.network.membership import Member, find_members
from linemap.network.place import ContextPlace, find_places
from linemap.network.role import Assessment, assess, in_year, rank_organisers
from linemap.network.snapshot import PROPERTIES, Snapshot, SnapshotBuilder
from linemap.resolve.address import address_key
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

Progress = Callable[[str], None]
YEARS = 4  # the temporal view of the organiser ranking: this many calendar years to as_of
# Words placing an event at or near a dwelling ("Outside 7 Sample Road"): the dwelling is it.
_NEAR = re.compile(r"^\s*(?:outside|opposite|near|behind|flat at|at)\s+", re.I)


def map_address_key(text: str) -> str | None:
    """Key an address line as the resolver does, an event outside it keyed as the dwelling."""
    return address_key(_NEAR.sub("", text))


@dataclass(frozen=True)
class MapSummary:
    """What a snapshot holds and found: counts only, never names."""

    snapshot_id: int
    resolution_run: int
    as_of: str
    records: int
    nodes: int
    edges: int
    lines: int
    members: int
    places: int
    cuckooed_addresses: int
    roles: dict[str, int]
    safeguarding_review: int
    ranked_organisers: int

    def as_json(self) -> dict[str, object]:
        """Return the summary as plain JSON values."""
        return {
            "snapshot": self.snapshot_id,
            "resolution_run": self.resolution_run,
            "as_of": self.as_of,
            "records": self.records,
            "nodes": self.nodes,
            "edges": self.edges,
            "lines": self.lines,
            "members": self.members,
            "places": self.places,
            "cuckooed_addresses": self.cuckooed_addresses,
            "people_by_role": dict(self.roles),
            "routed_to_safeguarding_review": self.safeguarding_review,
            "ranked_organisers": self.ranked_organisers,
        }


def build_snapshot(
    uow: UnitOfWork,
    settings: Settings,
    *,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> MapSummary:
    """Build a snapshot from the current statements and the latest resolution run, find what
    it shows, and store it all as a new versioned snapshot."""
    say = progress or (lambda _: None)
    day = as_of or date.today()
    started = datetime.now(UTC).isoformat()
    with uow.read() as tx:
        run = tx.resolution.latest_run()
        if run is None:
            raise NotFound("no resolution run yet: run `linemap resolve`")
        say("reading the resolved people")
        builder = SnapshotBuilder(
            day, tx.network.persons(run.id), tx.network.qualifiers(), map_address_key
        )
        say("reading the statements")
        for source in tx.network.iter_sources(PROPERTIES):
            builder.add(
                source.record_id, source.agency, source.mapping, source.recorded, source.statements
            )
    snapshot = builder.finish()
    findings = _analyse(snapshot, say)
    say("storing the snapshot")
    with uow.write() as tx:
        snapshot_id = tx.network.add_snapshot(
            started_at=started, actor=settings.actor, resolution_run_id=run.id, as_of=str(day)
        )
        tx.network.add_nodes(_node_rows(snapshot_id, snapshot))
        tx.network.add_edges(_edge_rows(snapshot_id, snapshot))
        tx.network.add_findings(_finding_rows(snapshot_id, findings))
        summary = _summary(snapshot_id, run.id, day, snapshot, findings)
        tx.network.finish_snapshot(
            snapshot_id,
            finished_at=datetime.now(UTC).isoformat(),
            records=snapshot.records,
            nodes=len(snapshot),
            edges=len(snapshot.edges),
            summary=json.dumps(summary.as_json()),
        )
        tx.audit.append(
            AuditEvent(
                AuditOperation.COMBINATION,
                settings.actor,
                (f"network_snapshot:{snapshot_id}",),
                {
                    "resolution_run": run.id,
                    **{k: v for k, v in summary.as_json().items() if isinstance(v, int)},
                },
            )
        )
    return summary


@dataclass
class Findings:
    """Everything the analysis found in one snapshot."""

    lines: list[DealLine]
    members: list[Member]
    cuckooed: list[CuckooedAddress]
    assessments: list[Assessment]
    places: list[ContextPlace]
    organisers: list[int]
    scores: dict[int, tuple[float, dict[str, float]]]
    without_weak: dict[int, int]  # rank with weak links left out (the sensitivity check)
    by_year: dict[int, dict[str, int]]  # rank in each of the last YEARS calendar years


def _analyse(snapshot: Snapshot, say: Progress) -> Findings:
    say("finding deal lines")
    lines = find_lines(snapshot)
    say("finding line membership")
    members = find_members(snapshot, lines)
    say("finding cuckooed addresses")
    cuckooed = find_cuckooed(snapshot, lines, members)
    say("assessing roles")
    assessments = assess(snapshot, lines, members, cuckooed)
    at_risk = {a.person: r.line for a in assessments for r in a.roles if r.line is not None}
    say("finding places to assess")
    places = find_places(snapshot, at_risk)
    say("ranking organisers on the perpetrator subgraph")
    ranking, organisers = rank_organisers(snapshot, assessments, lines)
    scores = {}
    if ranking is not None:
        for player in ranking.players:
            if player.node.startswith("p"):
                contributions = {str(m): round(v, 4) for m, v in player.contributions.items()}
                scores[int(player.node[1:])] = (player.score, contributions)
    say("checking the organiser ranking without weak links, and year by year")
    _, strong = rank_organisers(snapshot, assessments, lines, lambda edge: not edge.weak)
    without_weak = {person: position for position, person in enumerate(strong, start=1)}
    by_year: dict[int, dict[str, int]] = {}
    for year in range(snapshot.as_of.year - YEARS + 1, snapshot.as_of.year + 1):
        _, that_year = rank_organisers(snapshot, assessments, lines, in_year(year))
        for position, person in enumerate(that_year, start=1):
            by_year.setdefault(person, {})[str(year)] = position
    return Findings(
        lines, members, cuckooed, assessments, places, organisers, scores, without_weak, by_year
    )


def _node_rows(snapshot_id: int, snapshot: Snapshot) -> Iterator[tuple[object, ...]]:
    for node, (kind, key, attrs) in enumerate(
        zip(snapshot.kinds, snapshot.keys, snapshot.attrs, strict=True)
    ):
        plain = {k: sorted(v) if isinstance(v, set) else v for k, v in attrs.items()}
        yield snapshot_id, node, kind, key[:300], json.dumps(plain) if plain else None


def _edge_rows(snapshot_id: int, snapshot: Snapshot) -> Iterator[tuple[object, ...]]:
    for e, edge in enumerate(snapshot.edges):
        yield (
            snapshot_id,
            e,
            edge.kind,
            edge.source,
            edge.target,
            edge.roles[:40] or None,
            edge.start,
            edge.end,
            " ".join(map(str, edge.records)),
            edge.agencies,
            edge.grading,
            edge.weak,
        )


def _finding_rows(snapshot_id: int, f: Findings) -> Iterator[tuple[object, ...]]:
    rows: list[tuple[str, str | None, int | None, str | None, float | None, dict[str, Any]]] = []
    for line in f.lines:
        detail = {
            "phones": list(line.phones),
            "handsets": list(line.handsets),
            "names": list(line.names),
            "exporting_area": line.exporting_area,
            "importing_areas": list(line.importing_areas),
            "first_seen": line.first_seen,
            "last_seen": line.last_seen,
            "joined_by": list(line.joined_by),
            "evidence": list(line.evidence),
        }
        rows.append(("line", line.id, None, None, None, detail))
    for m in f.members:
        detail = {"evidence": list(m.direct), "other_lines": list(m.other_lines)}
        rows.append(("member", m.line, m.person, None, round(m.strength, 4), detail))
    for c in f.cuckooed:
        detail = {
            "residents_as_victims": list(c.residents),
            "first_seen": c.first_seen,
            "evidence": list(c.evidence),
        }
        rows.append(("cuckooed", c.lines[0] if c.lines else None, c.address, None, None, detail))
    for p in f.places:
        detail = {
            "children_at_risk": len(p.children_at_risk),
            "children_linked": p.children_linked,
            "lines": list(p.lines),
            "evidence": list(p.evidence),
            "framing": "a context to assess (Contextual Safeguarding), not a mark on the children",
        }
        rows.append(("place", None, p.place, p.kind, float(len(p.children_at_risk)), detail))
    for a in f.assessments:
        for r in a.roles:
            detail = {
                "start": r.start,
                "end": r.end,
                "reasons": list(r.reasons),
                "evidence": list(r.evidence),
                "route": a.route,
                "child": a.child,
            }
            rows.append(("role", r.line, r.person, r.role.value, None, detail))
    for position, person in enumerate(f.organisers, start=1):
        value, contributions = f.scores[person]
        detail = {
            "rank": position,
            "contributions": contributions,
            "rank_without_weak_links": f.without_weak.get(person),
            "ranks_by_year": f.by_year.get(person, {}),
        }
        rows.append(("organiser", None, person, None, round(value, 6), detail))
    for number, row in enumerate(rows):
        yield (snapshot_id, number, *row[:5], json.dumps(row[5]))


def _summary(
    snapshot_id: int, run_id: int, day: date, snapshot: Snapshot, f: Findings
) -> MapSummary:
    roles: Counter[str] = Counter()
    for a in f.assessments:
        for kind in {r.role.value for r in a.roles}:
            roles[kind] += 1
    return MapSummary(
        snapshot_id,
        run_id,
        str(day),
        snapshot.records,
        len(snapshot),
        len(snapshot.edges),
        len(f.lines),
        len(f.members),
        len(f.places),
        len(f.cuckooed),
        dict(sorted(roles.items())),
        sum(1 for a in f.assessments if a.route == "safeguarding_review"),
        len(f.organisers),
    )
