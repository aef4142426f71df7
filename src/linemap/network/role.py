"""Roles as evidenced, dated assessments, with the victim-first rules built in.

Each role names the edges its evidence rests on; nothing rests on association alone (an
AssociateOf or FamilyOf link, or sharing an address, is never evidence of a role: Leeds SCP,
mission-anchors d.7). Evidence counts only from a person's own records, and never when all of
it is weak (graded E or from a source graded 3).

- perpetrator evidence: arrested or convicted for drug supply; drugs packaged for sale found
  on a search; a line phone used by them in a record that names them as a suspect;
- victim evidence: discussed at MACE at medium or high risk; referred for exploitation;
  recorded as a victim in intelligence; missing and found in another local authority; the
  tenant in a cuckooing report; a vulnerability recorded (adults).

Roles (a person may hold several; each dated by its evidence):

- child at risk: anyone under 18 on the snapshot date with any of the evidence above or a line
  phone of their own records (DESIGN.md: under-18s are in the victim frame, always);
- runner: perpetrator evidence and a line of their own records;
- organiser or line holder: an adult runner whose line phone use as a suspect is in
  HOLDER_RECORDS records or more, or who works more than one line;
- cuckooed resident: the vulnerable adult living at a cuckooed address (cuckoo.py);
- vulnerable adult at risk: an adult with victim evidence tied to a line by their own records.

Anyone holding a victim role, and every child, is routed to safeguarding review, never to
enforcement alone (a dual role defaults to safeguarding: mission-anchors d.1). Organisers are
ranked only on the perpetrator subgraph: adults holding perpetrator roles and no victim role.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from linemap.network.cuckoo import CuckooedAddress
from linemap.network.edge import EdgeList
from linemap.network.line import DealLine
from linemap.network.membership import Member
from linemap.network.rank import Ranking, rank
from linemap.network.snapshot import Category, Edge, NodeKind, Sign, Snapshot

HOLDER_RECORDS = 2


EdgeTest = Callable[[Edge], bool]


def _every(_: Edge) -> bool:
    return True


def in_year(year: int) -> EdgeTest:
    """Return a test for edges whose time span touches a calendar year (undated: never)."""
    low, high = f"{year}-01-01", f"{year}-12-31"

    def test(edge: Edge) -> bool:
        first, last = edge.start or edge.end, edge.end or edge.start
        return first is not None and last is not None and first <= high and last >= low

    return test


class RoleKind(StrEnum):
    """The roles a person may be assessed as holding."""

    ORGANISER = "organiser_or_line_holder"
    RUNNER = "runner"
    CUCKOOED_RESIDENT = "cuckooed_resident"
    CHILD_AT_RISK = "child_at_risk"
    VULNERABLE_ADULT = "vulnerable_adult_at_risk"


VICTIM_ROLES = frozenset(
    {RoleKind.CUCKOOED_RESIDENT, RoleKind.CHILD_AT_RISK, RoleKind.VULNERABLE_ADULT}
)
PERPETRATOR_ROLES = frozenset({RoleKind.ORGANISER, RoleKind.RUNNER})
SAFEGUARDING = "safeguarding_review"
DISRUPTION = "disruption"


@dataclass(frozen=True)
class Role:
    """One role a person is assessed as holding, with its evidence."""

    person: int
    role: RoleKind
    line: str | None
    start: str | None
    end: str | None
    evidence: tuple[int, ...]  # edge ids
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """Every role of one person, and where their case is routed."""

    person: int
    child: bool
    roles: tuple[Role, ...]

    @property
    def route(self) -> str:
        """Return safeguarding review for any child or victim role, else disruption."""
        kinds = {r.role for r in self.roles}
        return SAFEGUARDING if self.child or kinds & VICTIM_ROLES else DISRUPTION


def _event_reason(snapshot: Snapshot, edge_id: int, event: int) -> tuple[str, str] | None:
    """Return ("perpetrator" or "victim", why) for taking part in an event, if it shows one."""
    attrs, edge = snapshot.attrs[event], snapshot.edges[edge_id]
    kind, signs = attrs.get("kind"), attrs.get("signs", 0)
    if kind in ("arrest", "conviction") and signs & Sign.SUPPLY:
        return "perpetrator", f"{kind} for drug supply"
    if kind == "stop_and_search" and signs & Sign.DRUGS_FOUND:
        return "perpetrator", "drugs packaged for sale found on a search"
    if kind == "mace_discussion" and signs & Sign.HIGH_RISK:
        return "victim", "discussed at MACE at medium or high risk of exploitation"
    if kind == "referral" and signs & Sign.EXPLOITATION:
        return "victim", "referred for criminal exploitation"
    if kind == "intelligence_report" and edge.categories & Category.VICTIM:
        return "victim", "recorded as a victim in intelligence"
    if kind == "cuckooing_report":
        return "victim", "the tenant in a cuckooing report"
    if kind == "missing_episode" and _out_of_area(snapshot, event):
        return "victim", "missing and found in another local authority"
    return None


def _out_of_area(snapshot: Snapshot, event: int) -> bool:
    authorities = {}
    for e in snapshot.incident[event]:
        edge = snapshot.edges[e]
        if edge.kind == "OccurredAt":
            place = snapshot.other(e, event)
            authorities[edge.roles] = snapshot.attrs[place].get("local_authority")
    found, home = authorities.get("found_at"), authorities.get("missing_from")
    return bool(found and home and found != home)


def _evidence(
    snapshot: Snapshot, person: int, line_phones: dict[int, str]
) -> tuple[dict[str, list[int]], dict[str, list[int]], int]:
    """Return the person's perpetrator and victim evidence (reason -> edge ids) and how many
    records show them using a line phone as a suspect."""
    perpetrator: dict[str, list[int]] = {}
    victim: dict[str, list[int]] = {}
    holder_records: set[int] = set()
    for e in snapshot.incident[person]:
        edge = snapshot.edges[e]
        if edge.weak:
            continue
        other = snapshot.other(e, person)
        if edge.kind == "ParticipantIn" and snapshot.kinds[other] == NodeKind.EVENT:
            found = _event_reason(snapshot, e, other)
            if found:
                (perpetrator if found[0] == "perpetrator" else victim).setdefault(
                    found[1], []
                ).append(e)
        elif (
            edge.kind == "UsesPhone"
            and other in line_phones
            and edge.categories & (Category.SUSPECT | Category.CONVICTED)
        ):
            perpetrator.setdefault("used a line phone, recorded as a suspect", []).append(e)
            holder_records.update(edge.records)
    if snapshot.attrs[person].get("vulnerabilities") and not snapshot.is_child(person):
        victim.setdefault("a vulnerability recorded", [])
    return perpetrator, victim, len(holder_records)


def _role(
    snapshot: Snapshot,
    person: int,
    kind: RoleKind,
    evidence: dict[str, list[int]],
    line: str | None,
    direct: tuple[int, ...],
) -> Role:
    """Make a role from its evidence (reason -> edge ids) and the person's line links."""
    edges = sorted({e for es in evidence.values() for e in es} | set(direct))
    days = [d for e in edges for d in (snapshot.edges[e].start, snapshot.edges[e].end) if d]
    return Role(
        person,
        kind,
        line,
        min(days, default=None),
        max(days, default=None),
        tuple(edges),
        tuple(sorted(evidence)),
    )


def assess(
    snapshot: Snapshot,
    lines: Sequence[DealLine],
    members: Sequence[Member],
    cuckooed: Sequence[CuckooedAddress],
) -> list[Assessment]:
    """Assess every person tied to a line by their own records, or living at a cuckooed
    address; in person order."""
    line_phones = {p: line.id for line in lines for p in line.phones}
    membership = {m.person: m for m in members}
    residents = {r: c for c in cuckooed for r in c.residents}
    found = []
    for person in sorted(set(membership) | set(residents)):
        member = membership.get(person)
        own_line = member.line if member is not None and member.direct else None
        perpetrator, victim, held = _evidence(snapshot, person, line_phones)
        child = snapshot.is_child(person)
        roles: list[Role] = []
        direct = tuple(member.direct) if member is not None else ()

        def add(kind: RoleKind, evidence: dict[str, list[int]], line: str | None) -> None:
            roles.append(_role(snapshot, person, kind, evidence, line, direct))  # noqa: B023

        if child and (own_line or perpetrator or victim):
            add(RoleKind.CHILD_AT_RISK, {**victim, **perpetrator}, own_line)
        if perpetrator and own_line:
            several = len(person_lines(snapshot, person, line_phones)) > 1
            if not child and (held >= HOLDER_RECORDS or several):
                add(RoleKind.ORGANISER, perpetrator, own_line)
            else:
                add(RoleKind.RUNNER, perpetrator, own_line)
        if person in residents:
            c = residents[person]
            edges = [
                e
                for e in c.evidence
                if person in (snapshot.edges[e].source, snapshot.edges[e].target)
            ]
            add(
                RoleKind.CUCKOOED_RESIDENT,
                {"lives at an address cuckooed by a line": edges},
                c.lines[0] if c.lines else None,
            )
        elif not child and victim and own_line:
            add(RoleKind.VULNERABLE_ADULT, victim, own_line)
        if roles:
            found.append(Assessment(person, child, tuple(roles)))
    return found


def person_lines(
    snapshot: Snapshot, person: int, line_phones: dict[int, str], keep: EdgeTest = _every
) -> dict[str, int]:
    """Return how many of a person's own records tie them to each line's phones (through the
    edges `keep` accepts)."""
    found: dict[str, set[int]] = {}
    for e in snapshot.incident[person]:
        edge, other = snapshot.edges[e], snapshot.other(e, person)
        if not keep(edge):
            continue
        if edge.kind == "UsesPhone" and other in line_phones:
            found.setdefault(line_phones[other], set()).update(edge.records)
        elif edge.kind == "ParticipantIn" and snapshot.kinds[other] == NodeKind.EVENT:
            for x in snapshot.incident[other]:
                phone = snapshot.other(x, other)
                if snapshot.edges[x].kind == "InvolvesPhone" and phone in line_phones:
                    found.setdefault(line_phones[phone], set()).update(edge.records)
    return {line: len(records) for line, records in found.items()}


def rank_organisers(
    snapshot: Snapshot,
    assessments: Sequence[Assessment],
    lines: Sequence[DealLine],
    keep: EdgeTest = _every,
) -> tuple[Ranking | None, list[int]]:
    """Rank the perpetrator subgraph: adults holding perpetrator roles and no victim role,
    linked to the lines their own records tie them to (weight: how many records) and to each
    other by the arrests they shared. Return the ranking and the people it ranks, best first
    (the lines are nodes of the subgraph, never in the list). `keep` leaves edges out: the weak
    ones, for the sensitivity check, or those outside a year, for the temporal view."""
    line_phones = {p: line.id for line in lines for p in line.phones}
    ranked = {
        a.person
        for a in assessments
        if not a.child
        and {r.role for r in a.roles} & PERPETRATOR_ROLES
        and not {r.role for r in a.roles} & VICTIM_ROLES
    }
    sources, targets, weights = [], [], []
    for person in sorted(ranked):
        for line, count in sorted(person_lines(snapshot, person, line_phones, keep).items()):
            sources.append(f"p{person}")
            targets.append(f"line {line}")
            weights.append(float(count))
        for e in snapshot.incident[person]:
            other = snapshot.other(e, person)
            edge = snapshot.edges[e]
            if edge.kind == "AssociateOf" and other in ranked and person < other and keep(edge):
                sources.append(f"p{person}")
                targets.append(f"p{other}")
                weights.append(float(len(edge.records)))
    if not sources:
        return None, []
    ranking = rank(EdgeList(tuple(sources), tuple(targets), tuple(weights)))
    people = [int(p.node[1:]) for p in ranking.players if p.node.startswith("p")]
    return ranking, people
