"""The VOLT agenda of a MACE meeting, generated from the map and the flags.

Victims (children and vulnerable adults the map routes to safeguarding review, and the people
flagged in the victim or dual frame), Offenders (adults holding line roles, ranked organisers
first; never a child, never anyone on the victims list), Locations (cuckooed addresses and
places to assess) and Themes (the lines, counts and the trend). Each item keeps the source
records behind it, so what anyone sees of it is decided per record when it is shown
(`services.mace_pack`). People appear by role and number, never by name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import Any

from linemap.network.role import SAFEGUARDING, VICTIM_ROLES
from linemap.services.geography import LineSummary, active_in, suppress
from linemap.store.network import SnapshotInfo
from linemap.store.safeguarding import FlagRow
from linemap.store.unit_of_work import Transaction

SECTIONS = ("victims", "offenders", "locations", "themes")  # VOLT (London Protocol 2021)
MAX_ITEMS = 100  # per section; the rest are counted in the themes
TREND_YEARS = 4


def _people(tx: Transaction, snapshot: int) -> dict[int, dict[str, Any]]:
    """Return every person the snapshot assesses: roles, lines, evidence edges, reasons."""
    people: dict[int, dict[str, Any]] = {}
    for line, node, label, _, detail in tx.network.findings(snapshot, "role"):
        if node is None or label is None:
            continue
        found = json.loads(detail)
        p = people.setdefault(
            node, {"roles": set(), "lines": set(), "edges": set(), "reasons": [], "victim": False}
        )
        p["roles"].add(label)
        if line:
            p["lines"].add(line)
        p["edges"].update(found.get("evidence", []))
        p["reasons"] += [r for r in found.get("reasons", []) if r not in p["reasons"]]
        p["victim"] |= bool(found.get("child")) or found.get("route") == SAFEGUARDING
        p["child"] = p.get("child", False) or bool(found.get("child"))
    return people


def _label(roles: Iterable[str], node: int | str) -> str:
    ordered = sorted(roles, key=lambda r: (r not in VICTIM_ROLES, r))
    return f"{(ordered[0] if ordered else 'person').replace('_', ' ').capitalize()} {node}"


def _item(
    section: str, subject: str, label: str, facts: dict[str, Any], **more: Any
) -> dict[str, Any]:
    return {
        "section": section,
        "subject": subject,
        "label": label,
        "facts": facts,
        "reasons": list(more.get("reasons", [])),
        "edges": sorted(more.get("edges", [])),
        "records": sorted(more.get("records", [])),
    }


def _person_items(
    tx: Transaction, snapshot: SnapshotInfo, flags: list[FlagRow]
) -> list[dict[str, Any]]:
    people = _people(tx, snapshot.id)
    keys = {key: node for node, (_, key) in tx.network.node_keys(snapshot.id, people).items()}
    # A flag follows its subject into the map's resolution run (the runs may differ).
    persons = tx.resolution.members_of_entities(
        snapshot.resolution_run_id, [f.subject for f in flags]
    )
    victims, offenders = [], []
    for f in flags:
        if f.frame not in ("victim", "dual"):
            continue  # a suspect-frame flag is no victim item; offenders come from the map only
        flagged = {"flag": f.kind, "risk": f.risk, "frame": f.frame, "review_by": f.review_by}
        node = keys.get(persons.get(f.subject, f.person_id))
        if node is not None:
            people[node]["victim"] = True
            people[node]["child"] = people[node].get("child") or f.child
            people[node]["flag"], people[node]["flag_records"] = flagged, f.record_ids
            continue
        who = "Flagged child" if f.child else "Flagged adult"
        victims.append(
            _item(
                "victims",
                f"flag:{f.flag_id}",
                f"{who} (flag {f.flag_id})",
                {**flagged, "child": f.child},
                records=f.record_ids,
            )
        )
    ranks = {
        node: int(json.loads(detail)["rank"])
        for _, node, _, _, detail in tx.network.findings(snapshot.id, "organiser")
        if node is not None
    }
    for node, p in sorted(people.items()):
        facts: dict[str, Any] = {"roles": sorted(p["roles"]), "lines": sorted(p["lines"])}
        if p["victim"]:
            facts |= {"child": bool(p.get("child")), **p.get("flag", {})}
            victims.append(
                _item(
                    "victims",
                    f"node:{node}",
                    _label(p["roles"], node),
                    facts,
                    reasons=p["reasons"],
                    edges=p["edges"],
                    records=p.get("flag_records", ()),
                )
            )
        else:  # adults holding line roles and no victim role (network.role)
            facts["rank"] = ranks.get(node)
            offenders.append(
                _item(
                    "offenders",
                    f"node:{node}",
                    _label(p["roles"], node),
                    facts,
                    reasons=p["reasons"],
                    edges=p["edges"],
                )
            )
    victims.sort(key=lambda i: (not i["facts"].get("child"), i["subject"]))
    offenders.sort(
        key=lambda i: (i["facts"]["rank"] is None, i["facts"]["rank"] or 0, i["subject"])
    )
    return victims + offenders


def _location_items(tx: Transaction, snapshot: int) -> list[dict[str, Any]]:
    items = []
    for line, node, _, _, detail in tx.network.findings(snapshot, "cuckooed"):
        found = json.loads(detail)
        facts = {
            "kind": "cuckooed address",
            "line": line,
            "first_seen": found.get("first_seen"),
            "residents_as_victims": len(found.get("residents_as_victims", [])),
        }
        items.append(
            _item(
                "locations",
                f"node:{node}",
                f"Cuckooed address {node}",
                facts,
                edges=found.get("evidence", []),
            )
        )
    for _, node, kind, _, detail in tx.network.findings(snapshot, "place"):
        found = json.loads(detail)
        facts = {
            "kind": f"place to assess: {(kind or 'place').replace('_', ' ')}",
            "children_at_risk": suppress(int(found.get("children_at_risk", 0))),
            "lines": list(found.get("lines", [])),
        }
        label = f"{(kind or 'place').replace('_', ' ').capitalize()} {node}"
        items.append(
            _item("locations", f"node:{node}", label, facts, edges=found.get("evidence", []))
        )
    return items


def _theme_items(tx: Transaction, snapshot: int, held_on: date) -> list[dict[str, Any]]:
    members = Counter(line for line, *_ in tx.network.findings(snapshot, "member"))
    items, years = [], range(held_on.year - TREND_YEARS + 1, held_on.year + 1)
    active: Counter[int] = Counter()
    for line, detail in tx.chart.line_details(snapshot):
        summary = LineSummary.of(line, detail, members[line])
        active.update(year for year in years if active_in(summary, year))
        listed = asdict(summary)  # a line as the map lists it, its members called people
        facts = {k: v for k, v in listed.items() if k not in ("id", "members")}
        facts["people"] = summary.members
        items.append(
            _item("themes", f"line:{line}", f"Line {line}", facts, edges=detail.get("evidence", []))
        )
    trend = {str(year): active[year] for year in years}
    items.append(_item("themes", "trend", "Lines active by year", trend))
    return items


def generate(
    tx: Transaction, info: SnapshotInfo, flags: list[FlagRow], held_on: date
) -> list[dict[str, Any]]:
    """Return the agenda items, each with the source records behind it (by its evidence)."""
    snapshot = info.id
    found = [
        *_person_items(tx, info, flags),
        *_location_items(tx, snapshot),
        *_theme_items(tx, snapshot, held_on),
    ]
    edges = {
        e.id: e.records for e in tx.chart.edges(snapshot, {i for f in found for i in f["edges"]})
    }
    for item in found:
        behind = {r for e in item.pop("edges") for r in edges.get(e, ())}
        item["records"] = sorted(set(item["records"]) | behind)
    counts = Counter(i["section"] for i in found)
    children = sum(1 for i in found if i["section"] == "victims" and i["facts"].get("child"))
    totals = {
        "children at risk": suppress(children),
        "adults at risk": suppress(counts["victims"] - children),
        "offenders": suppress(counts["offenders"]),
        "locations": counts["locations"],
        "lines": counts["themes"] - 1,
        "flags": len(flags),
    }
    agenda = [_item("themes", "counts", "Counts", totals)]
    for section in SECTIONS:
        agenda += [i for i in found if i["section"] == section][:MAX_ITEMS]
    return agenda
