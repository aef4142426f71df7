"""Deal lines: the phones acting as lines, joined into one line across rebrands and handsets.

A phone is taken as a deal line when an agency named it as a line (a line name recorded with
it, as intelligence does), or when it has many distinct contacts (MANY_CONTACTS people using
it or taking part in events it was part of) and was seized or found in at least two events of
drug supply. A personal phone seized once from a dealer and a co-arrestee is not a line.

Line phones are joined into one line (union-find) when:

- one handset carried both numbers (a new SIM in the same handset: the number changes, the
  handset stays);
- the same line name was recorded for both and at least one person used both;
- the same people used both: at least SHARED_PEOPLE people in common, and they are at least
  OVERLAP of the smaller phone's people (a rebrand: a new number and name for the same group).
  Two lines of one organiser share one person, which is not enough;
- a number fell silent before the other was first seen, within GAP_DAYS, and at least
  SHARED_PEOPLE people used both, however many each had (a number replaced: its people moved
  on to the new one). Two lines one organiser runs at once overlap in time: not joined so.

A line's exporting area is where most of its people live (their home postcode districts); its
importing areas are the other districts where its events happened; first and last seen are
its evidence's dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from linemap.network.snapshot import NodeKind, Sign, Snapshot

MANY_CONTACTS = 5
DRUG_EVENTS = 2
SHARED_PEOPLE = 2
OVERLAP = 0.3
GAP_DAYS = 180  # how soon after a number falls silent its successor must be first seen
AREAS = 3  # importing areas listed per line, most active first
_DRUG = Sign.SUPPLY | Sign.DRUGS_FOUND


@dataclass(frozen=True)
class LinePhone:
    """A phone found acting as a deal line, and why."""

    node: int
    names: tuple[str, ...]
    contacts: tuple[int, ...]  # people using it or in events it was part of
    drug_events: int
    evidence: tuple[int, ...]  # edge ids
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass(frozen=True)
class DealLine:
    """One deal line: its numbers, handsets, names, areas and when it was seen."""

    id: str
    phones: tuple[int, ...]
    handsets: tuple[int, ...]
    names: tuple[str, ...]
    people: tuple[int, ...]  # everyone linked to its phones directly (see membership)
    exporting_area: str | None
    importing_areas: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    evidence: tuple[int, ...]  # edge ids: uses, involvements, handsets
    joined_by: tuple[str, ...]  # why its phones were taken as one line


def phone_contacts(snapshot: Snapshot, phone: int) -> tuple[set[int], int, list[int]]:
    """Return a phone's contacts, its drug-supply events and the edges that show them."""
    contacts: set[int] = set()
    drug = 0
    evidence: list[int] = []
    kinds, attrs = snapshot.kinds, snapshot.attrs
    for e in snapshot.incident[phone]:
        edge, other = snapshot.edges[e], snapshot.other(e, phone)
        if edge.kind == "UsesPhone" and kinds[other] == NodeKind.PERSON:
            contacts.add(other)
            evidence.append(e)
        elif edge.kind == "InvolvesPhone" and kinds[other] == NodeKind.EVENT:
            evidence.append(e)
            if attrs[other]["signs"] & _DRUG:
                drug += 1
            for e2 in snapshot.incident[other]:
                if snapshot.edges[e2].kind == "ParticipantIn":
                    contacts.add(snapshot.other(e2, other))
                    evidence.append(e2)
    return contacts, drug, evidence


def find_line_phones(snapshot: Snapshot) -> list[LinePhone]:
    """Return the phones acting as deal lines, in node order."""
    found = []
    for node in snapshot.nodes_of(NodeKind.PHONE):
        names = tuple(sorted(snapshot.attrs[node].get("line_names", ())))
        contacts, drug, evidence = phone_contacts(snapshot, node)
        if names or (len(contacts) >= MANY_CONTACTS and drug >= DRUG_EVENTS):
            days = [d for e in evidence for d in _span(snapshot, e) if d]
            found.append(
                LinePhone(
                    node,
                    names,
                    tuple(sorted(contacts)),
                    drug,
                    tuple(evidence),
                    min(days, default=None),
                    max(days, default=None),
                )
            )
    return found


class _Union:
    def __init__(self, items: Iterable[int]) -> None:
        self.parent = {i: i for i in items}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def _handset_joins(snapshot: Snapshot, phones: set[int]) -> list[tuple[int, int, int]]:
    """Return (phone, phone, edge) for line phones carried by one handset."""
    joins = []
    for handset in snapshot.nodes_of(NodeKind.HANDSET):
        carried = [
            (snapshot.other(e, handset), e)
            for e in snapshot.incident[handset]
            if snapshot.edges[e].kind == "UsesHandset" and snapshot.other(e, handset) in phones
        ]
        joins += [(carried[0][0], p, e) for p, e in carried[1:] if p != carried[0][0]]
    return joins


def _pair_joins(found: list[LinePhone]) -> list[tuple[int, int, str]]:
    """Return (phone, phone, reason) for line phones sharing a name or their people."""
    by_person: dict[int, list[int]] = {}
    for i, phone in enumerate(found):
        for person in phone.contacts:
            by_person.setdefault(person, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for indices in by_person.values():
        for a in indices:
            for b in indices:
                if a < b:
                    shared[(a, b)] += 1
    joins = []
    for (a, b), count in sorted(shared.items()):
        pa, pb = found[a], found[b]
        smaller = min(len(pa.contacts), len(pb.contacts))
        if set(pa.names) & set(pb.names):
            joins.append((pa.node, pb.node, "same line name and a person in common"))
        elif count >= SHARED_PEOPLE and count >= OVERLAP * smaller:
            joins.append((pa.node, pb.node, f"{count} people in common"))
        elif count >= SHARED_PEOPLE and _apart(pa, pb):
            joins.append((pa.node, pb.node, "its people moved on to a new number"))
    return joins


def _span(snapshot: Snapshot, edge_id: int) -> tuple[str | None, str | None]:
    edge = snapshot.edges[edge_id]
    return edge.start, edge.end


def _apart(a: LinePhone, b: LinePhone) -> bool:
    """Return whether one phone's use ended before the other's began (a number replaced)."""
    spans = sorted((x.first_seen, x.last_seen) for x in (a, b) if x.first_seen and x.last_seen)
    if len(spans) < 2:
        return False
    (_, earlier_end), (later_start, _) = spans
    if not (earlier_end and later_start and earlier_end <= later_start):
        return False
    gap = date.fromisoformat(later_start) - date.fromisoformat(earlier_end)
    return gap.days <= GAP_DAYS


def find_lines(snapshot: Snapshot) -> list[DealLine]:
    """Return the deal lines of a snapshot, numbered L1, L2, ... by their first phone."""
    found = find_line_phones(snapshot)
    by_node = {p.node: p for p in found}
    union = _Union(by_node)
    reasons: dict[int, list[str]] = {}
    for a, b, _edge in _handset_joins(snapshot, set(by_node)):
        union.join(a, b)
        reasons.setdefault(a, []).append("one handset carried both numbers")
    for a, b, reason in _pair_joins(found):
        union.join(a, b)
        reasons.setdefault(a, []).append(reason)
    groups: dict[int, list[int]] = {}
    for node in sorted(by_node):
        groups.setdefault(union.find(node), []).append(node)
    lines = []
    for number, phones in enumerate(sorted(groups.values()), start=1):
        why = sorted({r for p in phones for r in reasons.get(p, ())})
        lines.append(_make_line(snapshot, f"L{number}", [by_node[p] for p in phones], why))
    return lines


def _make_line(
    snapshot: Snapshot, line_id: str, phones: list[LinePhone], joined_by: list[str]
) -> DealLine:
    """Gather a line's handsets, names, people, areas and dates from its phones' evidence."""
    edges = snapshot.edges
    evidence = sorted({e for p in phones for e in p.evidence})
    handsets = sorted(
        {
            snapshot.other(e, p.node)
            for p in phones
            for e in snapshot.incident[p.node]
            if edges[e].kind == "UsesHandset"
        }
    )
    people = sorted({c for p in phones for c in p.contacts})
    days = [d for e in evidence for d in (edges[e].start, edges[e].end) if d]
    homes = Counter(_districts(snapshot, people, "ResidesAt"))
    exporting = homes.most_common(1)[0][0] if homes else None
    events = {snapshot.other(e, p.node) for p in phones for e in p.evidence}
    events |= {
        snapshot.other(e, person)
        for person in people
        for e in snapshot.incident[person]
        if edges[e].kind == "ParticipantIn"
        and snapshot.attrs[snapshot.other(e, person)].get("kind") == "intelligence_report"
    }
    places = Counter(_districts(snapshot, sorted(events), "OccurredAt"))
    places.pop(exporting, None)  # type: ignore[arg-type]
    return DealLine(
        line_id,
        tuple(p.node for p in phones),
        tuple(handsets),
        tuple(sorted({n for p in phones for n in p.names})),
        tuple(people),
        exporting,
        tuple(area for area, _ in places.most_common(AREAS)),
        min(days, default=None),
        max(days, default=None),
        tuple(evidence),
        tuple(joined_by),
    )


def _districts(snapshot: Snapshot, nodes: list[int], kind: str) -> list[str]:
    """Return the postcode districts the nodes' edges of a kind lead to, one per edge."""
    found = []
    for node in nodes:
        for e in snapshot.incident[node]:
            if snapshot.edges[e].kind != kind:
                continue
            postcode = snapshot.attrs[snapshot.other(e, node)].get("postcode", "")
            if postcode:
                found.append(postcode.split()[0])
    return found
