"""Roles as evidenced assessments, and the victim-first rules: no role from association alone,
every child in the victim frame, organisers ranked on the perpetrator subgraph only."""

from __future__ import annotations

from linemap.network.cuckoo import find_cuckooed
from linemap.network.line import find_lines
from linemap.network.membership import find_members
from linemap.network.role import (
    DISRUPTION,
    PERPETRATOR_ROLES,
    SAFEGUARDING,
    VICTIM_ROLES,
    Assessment,
    RoleKind,
    assess,
    rank_organisers,
)
from linemap.network.snapshot import Snapshot
from tests.network.test_line import ADULT_DOB, CHILD_DOB, LINE_A, arrest, intel, line_world
from tests.network.test_snapshot import WEAK, Records

ASSOCIATION = frozenset({"AssociateOf", "FamilyOf"})


def _assessed(snapshot: Snapshot) -> dict[str, Assessment]:
    lines = find_lines(snapshot)
    members = find_members(snapshot, lines)
    found = assess(snapshot, lines, members, find_cuckooed(snapshot, lines, members))
    return {snapshot.keys[a.person]: a for a in found}


def _roles(a: Assessment) -> set[RoleKind]:
    return {r.role for r in a.roles}


def test_roles_follow_the_evidence_and_route_victims_to_safeguarding() -> None:
    assessed = _assessed(line_world())
    assert _roles(assessed["P1-olu"]) == {RoleKind.ORGANISER}
    assert assessed["P1-olu"].route == DISRUPTION
    # The line phone was in his hands in three records: a line holder.
    assert _roles(assessed["P1-ray"]) == {RoleKind.ORGANISER}
    assert _roles(assessed["P1-vic"]) == {RoleKind.CUCKOOED_RESIDENT}
    assert assessed["P1-vic"].route == SAFEGUARDING
    organiser = assessed["P1-olu"].roles[0]
    assert organiser.evidence
    assert organiser.reasons
    assert organiser.start == "2024-01-10"


def test_a_child_with_perpetrator_evidence_holds_both_roles_and_goes_to_safeguarding() -> None:
    child = _assessed(line_world())["P1-cal"]
    assert child.child
    assert _roles(child) == {RoleKind.CHILD_AT_RISK, RoleKind.RUNNER}
    assert child.route == SAFEGUARDING  # never enforcement alone


def test_no_role_rests_on_association_alone() -> None:
    snapshot = line_world()
    assessed = _assessed(snapshot)
    assert "P1-dee" not in assessed  # a child arrested with a runner, for shoplifting
    for a in assessed.values():
        for role in a.roles:
            kinds = {snapshot.edges[e].kind for e in role.evidence}
            assert kinds - ASSOCIATION, (a.person, role.role)


def test_weak_intelligence_alone_makes_no_perpetrator() -> None:
    r = Records({f"POL:R{i}#{n}": f"P1-{n}" for i in range(1, 9) for n in ("a", "b", "w")})
    for who in ("a", "b"):
        intel(r, who, LINE_A, "2024-01-01")
    intel(r, "w", LINE_A, "2024-01-02", qualifier=WEAK)
    intel(r, "w", LINE_A, "2024-01-03", qualifier=WEAK)
    assert "P1-w" not in _assessed(r.finish())


def test_organiser_ranking_never_includes_children_or_victims_only() -> None:
    snapshot = line_world()
    lines = find_lines(snapshot)
    members = find_members(snapshot, lines)
    assessments = assess(snapshot, lines, members, find_cuckooed(snapshot, lines, members))
    ranking, people = rank_organisers(snapshot, assessments, lines)
    assert ranking is not None
    assert ranking.caveats
    keys = [snapshot.keys[p] for p in people]
    assert {"P1-olu", "P1-ray"} <= set(keys)
    assert "P1-cal" not in keys
    assert "P1-vic" not in keys
    by_person = {a.person: a for a in assessments}
    for p in people:
        roles = _roles(by_person[p])
        assert roles & PERPETRATOR_ROLES
        assert not roles & VICTIM_ROLES
        assert not by_person[p].child


def test_one_supply_arrest_with_the_line_phone_makes_a_runner() -> None:
    r = Records({f"POL:R{i}#{n}": f"P1-{n}" for i in range(1, 9) for n in ("o", "q", "k")})
    intel(r, "o", LINE_A, "2024-01-01")
    intel(r, "o", LINE_A, "2024-01-02")
    arrest(r, "q", LINE_A, "2024-02-02", dob=ADULT_DOB)
    arrest(r, "k", LINE_A, "2024-02-03", dob=CHILD_DOB)
    assessed = _assessed(r.finish())
    assert _roles(assessed["P1-q"]) == {RoleKind.RUNNER}
    assert assessed["P1-q"].route == DISRUPTION
    assert _roles(assessed["P1-k"]) == {RoleKind.CHILD_AT_RISK, RoleKind.RUNNER}
    assert assessed["P1-k"].route == SAFEGUARDING


def test_an_edge_is_in_a_year_when_its_span_touches_it() -> None:
    from linemap.network.role import in_year
    from linemap.network.snapshot import Edge

    spanning = Edge("UsesPhone", 1, 2, start="2024-11-01", end="2026-02-01")
    assert [in_year(y)(spanning) for y in (2023, 2024, 2025, 2026, 2027)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert in_year(2025)(Edge("UsesPhone", 1, 2, start="2025-06-01"))
    assert not in_year(2025)(Edge("UsesPhone", 1, 2))  # undated: in no year
