"""Line membership: personalised PageRank from each line's phones, checked against networkx
(its pure-Python PageRank: the default one needs SciPy, which linemap does not install)."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from linemap.network.line import find_lines
from linemap.network.membership import DAMPING, _activity, find_members
from linemap.network.snapshot import NodeKind
from tests.network.test_line import line_world
from tests.network.test_snapshot import Records, event, person, phone


def test_each_person_is_a_member_of_the_line_their_records_tie_them_to() -> None:
    snapshot = line_world()
    lines = find_lines(snapshot)
    members = {snapshot.keys[m.person]: m for m in find_members(snapshot, lines)}
    tony = next(line.id for line in lines if len(line.phones) == 2)
    assert {k for k, m in members.items() if m.line == tony} == {
        "P1-olu",
        "P1-ray",
        "P1-cal",
        "P1-dee",
    }
    assert members["P1-olu"].strength == pytest.approx(1.0)  # tied to this line only
    assert members["P1-olu"].direct  # with the edges that show it
    assert members["P1-dee"].direct == ()  # tied through an arrest with a member only
    assert "P1-vic" not in members  # the tenant of a flat the line uses is its victim
    assert "P1-wyn" not in members


def test_membership_strength_matches_networkx_personalised_pagerank() -> None:
    rng = random.Random(3)
    r = Records({f"POL:R{i}#p{k}": f"P1-{k}" for i in range(1, 300) for k in range(30)})
    for _ in range(120):
        number = rng.choice(("+447700900001", "+447700900002"))
        # Two groups of people, one of them (p0) on both lines and another (p29) on neither.
        who = rng.choice([0, *range(1, 15)] if number.endswith("1") else [0, *range(15, 29)])
        day = f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        name = "Tony" if number.endswith("1") else "Cali"
        r.add(
            "police-intelligence",
            {
                f"p{who}": person(),
                "ph": phone(number, name),
                "e": event("intelligence_report", day),
            },
            [("UsesPhone", f"p{who}", "ph", {})],
        )
    snapshot = r.finish()
    lines = find_lines(snapshot)
    assert len(lines) == 2  # concurrent, so never joined
    links = _activity(snapshot, lines)
    graph = nx.Graph()
    for (a, b), edges in links.items():
        graph.add_edge(a, b, weight=float(len(edges)))
    expected: dict[int, dict[str, float]] = {}
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        for line in lines:
            seeds = {p: 1.0 for p in line.phones if p in component}
            if not seeds:
                continue
            ranks = _pagerank_python(
                sub, alpha=DAMPING, personalization=seeds, weight="weight", tol=1e-10, max_iter=1000
            )
            for n, value in ranks.items():
                if snapshot.kinds[n] == NodeKind.PERSON:
                    expected.setdefault(n, {})[line.id] = value
    for member in find_members(snapshot, lines):
        shares = expected[member.person]
        assert member.strength == pytest.approx(
            shares[member.line] / sum(shares.values()), abs=1e-6
        )
        assert shares[member.line] == max(shares.values())
