"""Key players among those who run the lines, for the disruption side of the response.

The ranking is the snapshot's (`network.role.rank_organisers`: adults holding a perpetrator role
and no victim role, never a child), shown with what each score is made of, its caveats, how it
changes when the weak links are left out (the sensitivity check) and year by year: who rises,
who falls, who takes over. A reader sees an organiser only when they may read a record behind
one of that person's links, and each such record is logged; people are shown by number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from linemap.governance.actor import Actor
from linemap.network.rank import CAVEATS
from linemap.services import chart, consultation
from linemap.store.unit_of_work import UnitOfWork

SCAN = 4  # organisers examined per one shown, past those the reader may not see


@dataclass(frozen=True)
class Organiser:
    """One ranked person, as this reader may see them."""

    node: int
    label: str
    rank: int
    score: float
    contributions: dict[str, float]
    rank_without_weak_links: int | None
    ranks_by_year: dict[str, int]
    movement: str  # risen, fallen, steady, new this year, or not seen this year


@dataclass(frozen=True)
class Organisers:
    """The ranking a reader may see, with the leaders year by year and the caveats."""

    snapshot: int
    organisers: list[Organiser]
    leaders: dict[str, str]  # year -> the label of the best-ranked organiser shown that year
    takeovers: list[str]
    caveats: tuple[str, ...] = field(default=CAVEATS)


def _movement(ranks: dict[str, int], years: list[str]) -> str:
    if not years or years[-1] not in ranks:
        return "not seen this year"
    if len(years) < 2 or years[-2] not in ranks:
        return "new this year"
    now, before = ranks[years[-1]], ranks[years[-2]]
    return "risen" if now < before else "fallen" if now > before else "steady"


def organisers(
    uow: UnitOfWork, actor: Actor, today: date, top: int = 25, purpose: str | None = None
) -> Organisers:
    """Return the best-ranked organisers this reader may see, each record behind them logged."""
    with uow.read() as tx:
        ctx = chart.reader(tx, actor, purpose, today)
        snapshot = chart.latest(tx)
        rows = tx.network.findings(snapshot, "organiser")[: top * SCAN]  # best first
        found = [(node, json.loads(detail)) for _, node, _, _, detail in rows if node is not None]
        scores = {node: score for _, node, _, score, _ in rows}
        edges = {node: tx.chart.edges_around(snapshot, [node]) for node, _ in found}
        readable = chart.readable_records(ctx, tx, (e for es in edges.values() for e in es))
    shown: list[Organiser] = []
    years = sorted({y for _, detail in found for y in detail.get("ranks_by_year", {})})
    for node, detail in found:
        backing = sorted({r for e in edges[node] for r in e.records} & readable)
        if not backing:
            continue
        for record in backing:
            consultation.consulted(ctx, record, "organiser ranking", True, None)
        ranks = {str(y): int(r) for y, r in detail.get("ranks_by_year", {}).items()}
        shown.append(
            Organiser(
                node,
                f"Organiser {node}",
                int(detail["rank"]),
                round(scores.get(node) or 0.0, 4),
                dict(detail.get("contributions", {})),
                detail.get("rank_without_weak_links"),
                ranks,
                _movement(ranks, years),
            )
        )
        if len(shown) == top:
            break
    consultation.log(uow, ctx)
    leaders: dict[str, str] = {}
    for year in years:
        ranked = [o for o in shown if year in o.ranks_by_year]
        if ranked:
            leaders[year] = min(ranked, key=lambda o: o.ranks_by_year[year]).label
    takeovers = [
        f"{leaders[a]} led {a}; {leaders[b]} led {b}"
        for a, b in pairwise(years)
        if a in leaders and b in leaders and leaders[a] != leaders[b]
    ]
    return Organisers(snapshot, shown, leaders, takeovers)
