"""Line membership: the people working each line, anchored on the line's phones.

The line activity graph holds the people linked to any line phone and the line phones: a
person and a phone are linked by each record of the person using it or taking part in an event
it was part of; two people by each record of their arrest together or other association.
For each line, personalised PageRank (damping DAMPING) restarts from that line's phones: a
person's score for the line is how much of a random walk from the line's phones, along
recorded links, ends at them. Each person is a member of the line with the highest score, and
their membership strength is that score's share of their scores over every line (1.0: linked to
this line only). Someone linked to no line phone, even through others, is no member.

Membership is a mapping finding, not a role: it says how closely the records tie a person to
a line, never what they did there (roles need evidence of their own; see role.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]

from linemap.network.line import DealLine
from linemap.network.snapshot import NodeKind, Snapshot

DAMPING = 0.85
OTHER_SHARE = 0.2  # another line is listed when it holds this share of a person's scores
_PERSON_LINKS = frozenset({"AssociateOf", "FamilyOf"})


@dataclass(frozen=True)
class Member:
    """A person's membership of a line."""

    person: int
    line: str
    strength: float  # share of the person's line scores going to this line, in (0, 1]
    direct: tuple[int, ...]  # edge ids tying them to the line's phones (or the events)
    other_lines: tuple[str, ...]  # other lines they are also linked to


def _activity(snapshot: Snapshot, lines: Sequence[DealLine]) -> dict[tuple[int, int], list[int]]:
    """Return the activity graph's links, (node, node) -> the edge ids that make them."""
    links: dict[tuple[int, int], list[int]] = defaultdict(list)
    edges = snapshot.edges
    for line in lines:
        for phone in line.phones:
            for e in snapshot.incident[phone]:
                other = snapshot.other(e, phone)
                if edges[e].kind == "UsesPhone":
                    links[(other, phone)].append(e)
                elif edges[e].kind == "InvolvesPhone":
                    for e2 in snapshot.incident[other]:
                        if edges[e2].kind == "ParticipantIn":
                            links[(snapshot.other(e2, other), phone)].append(e2)
    people = {person for person, _ in links}
    for person in people:
        for e in snapshot.incident[person]:
            other = snapshot.other(e, person)
            if edges[e].kind in _PERSON_LINKS and snapshot.kinds[other] == NodeKind.PERSON:
                pair = (min(person, other), max(person, other))
                if e not in links[pair]:
                    links[pair].append(e)
    return links


def find_members(snapshot: Snapshot, lines: Sequence[DealLine]) -> list[Member]:
    """Return every member of every line, by line then strength (strongest first)."""
    links = _activity(snapshot, lines)
    nodes = sorted({n for pair in links for n in pair})
    index = {n: i for i, n in enumerate(nodes)}
    pairs = sorted(links)
    graph = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in pairs])
    graph.es["weight"] = [float(len(links[p])) for p in pairs]
    line_of_phone = {phone: line.id for line in lines for phone in line.phones}
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    membership = graph.connected_components().membership if nodes else []
    components: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(membership):
        components[c].append(i)
    for vertices in components.values():
        sub = graph.subgraph(vertices)
        here = [nodes[v] for v in vertices]
        anchored = sorted({line_of_phone[n] for n in here if n in line_of_phone})
        for line_id in anchored:
            seeds = [i for i, n in enumerate(here) if line_of_phone.get(n) == line_id]
            ranks = sub.personalized_pagerank(
                damping=DAMPING, reset_vertices=seeds, weights="weight", directed=False
            )
            for i, node in enumerate(here):
                if snapshot.kinds[node] == NodeKind.PERSON and ranks[i] > 0:
                    scores[node][line_id] = ranks[i]
    return _members(snapshot, lines, links, scores)


def _members(
    snapshot: Snapshot,
    lines: Sequence[DealLine],
    links: dict[tuple[int, int], list[int]],
    scores: dict[int, dict[str, float]],
) -> list[Member]:
    phones = {line.id: set(line.phones) for line in lines}
    order = {line.id: i for i, line in enumerate(lines)}
    tied: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
    for (a, b), es in links.items():
        tied[a].append((b, es))
    found = []
    for person, by_line in scores.items():
        total = sum(by_line.values())
        line_id = max(by_line, key=lambda key: (by_line[key], -order[key]))
        direct = sorted(e for b, es in tied[person] if b in phones[line_id] for e in es)
        others = tuple(
            sorted(
                (k for k, v in by_line.items() if k != line_id and v >= OTHER_SHARE * total),
                key=order.__getitem__,
            )
        )
        found.append(Member(person, line_id, by_line[line_id] / total, tuple(direct), others))
    found.sort(key=lambda m: (order[m.line], -m.strength, m.person))
    return found
