"""Places where linked at-risk children concentrate: contexts to assess, never marks on children.

Contextual Safeguarding (Firmin; mission-anchors c.7) assesses and changes the contexts where
harm happens: a children's home, a school, a pupil referral unit, supported accommodation, a
hotel. A place is reported when at least MIN_CHILDREN people working a line by their own
records (role.py) lived, were placed or went to school there while under 18: children
recruited there may be adults by now, and the place is still where it happened. The finding
describes the place: how many children at risk are linked to it, on which lines, and how many
children are linked to it at all; the children are listed only as the evidence the assessment
of the place starts from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from linemap.network.snapshot import NodeKind, Snapshot

MIN_CHILDREN = 2
_LINKS = frozenset({"ResidesAt", "PlacedAt", "Attends"})


@dataclass(frozen=True)
class ContextPlace:
    """A place to assess as a context of exploitation."""

    place: int
    kind: str
    children_at_risk: tuple[int, ...]
    children_linked: int  # every child linked to the place, at risk or not
    lines: tuple[str, ...]
    evidence: tuple[int, ...]  # edge ids linking the children at risk to the place


def find_places(
    snapshot: Snapshot, at_risk: Mapping[int, str | None], *, min_children: int = MIN_CHILDREN
) -> list[ContextPlace]:
    """Return the places linked to at least `min_children` children at risk (person -> line:
    the people on lines, counted where they were under 18 when linked), most first."""
    found = []
    for place in snapshot.nodes_of(NodeKind.PLACE):
        children: set[int] = set()
        risk: dict[int, list[int]] = {}
        for e in snapshot.incident[place]:
            person = snapshot.other(e, place)
            edge = snapshot.edges[e]
            when = date.fromisoformat(edge.start) if edge.start else None
            age = snapshot.age(person, when)
            if edge.kind not in _LINKS or age is None or age >= 18:
                continue
            children.add(person)
            if person in at_risk:
                risk.setdefault(person, []).append(e)
        if len(risk) >= min_children:
            lines = sorted({line for p in risk if (line := at_risk[p])})
            found.append(
                ContextPlace(
                    place,
                    snapshot.attrs[place].get("kind", ""),
                    tuple(sorted(risk)),
                    len(children),
                    tuple(lines),
                    tuple(sorted(e for es in risk.values() for e in es)),
                )
            )
    found.sort(key=lambda p: (-len(p.children_at_risk), p.place))
    return found


def children_by_place(places: Sequence[ContextPlace]) -> dict[int, list[int]]:
    """Return, per child at risk, the places they are linked to."""
    found: dict[int, list[int]] = {}
    for place in places:
        for child in place.children_at_risk:
            found.setdefault(child, []).append(place.place)
    return found
