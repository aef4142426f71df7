"""Cuckooing: addresses of vulnerable adults where a line operates, the resident a victim.

An address is reported as cuckooed when all three hold, each from records of its own:

1. someone lives there (ResidesAt) who is an adult, or whose age is unknown, and vulnerable:
   a vulnerability recorded (substance misuse, mental health, learning disability...), or
   recorded at that address as a victim (DPA 2018 s.38(3)(c)), or never recorded anywhere as
   a suspect (a line using someone else's home: the resident is taken as its victim). A
   residence recorded by postcode alone counts for the one address known at that postcode.
   Where no record says who lives there at all but an agency recorded the address as a trap
   house, it is still reported, with no resident named: someone must find and safeguard them
   (an address where the only adults recorded as living there are suspects is not);
2. a line is active there: an event at the address involved a line's phone, or someone taking
   part in it is a member of a line (other than the resident), or an agency recorded the
   address as a trap house;
3. cuckooing signs were noted there: a cuckooing report, a sign from the Home Office list in
   an event's account (many visitors, resident withdrawn or not seen, door damaged, taken
   over...), or the trap house record.

The resident is a victim (cuckooing is a form of exploitation; Crime and Policing Act 2026 made
it an offence of the perpetrators): the finding names them as such, never as a suspect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from linemap.network.line import DealLine
from linemap.network.membership import Member
from linemap.network.snapshot import Category, NodeKind, Sign, Snapshot


@dataclass(frozen=True)
class CuckooedAddress:
    """An address showing line activity and cuckooing signs, with its residents as victims."""

    address: int
    residents: tuple[int, ...]  # the vulnerable adults living there: victims (may be unknown)
    lines: tuple[str, ...]
    first_seen: str | None
    evidence: tuple[int, ...]  # edge ids: residence, line activity, signs


def _residents(snapshot: Snapshot, addresses: Sequence[int]) -> tuple[list[int], list[int], bool]:
    """Return the adults (or of unknown age) living at these address nodes who are vulnerable,
    or recorded there as victims, or never recorded as suspects; the residence edges; and
    whether any adult lives there at all."""
    residents: list[int] = []
    evidence: list[int] = []
    lived_in = False
    for address in addresses:
        for e in snapshot.incident[address]:
            edge = snapshot.edges[e]
            person = snapshot.other(e, address)
            if edge.kind != "ResidesAt" or snapshot.kinds[person] != NodeKind.PERSON:
                continue
            age = snapshot.age(person)
            if age is not None and age < 18:
                continue
            lived_in = True
            vulnerable = bool(snapshot.attrs[person].get("vulnerabilities")) or bool(
                edge.categories & Category.VICTIM
            )
            if vulnerable or not _suspect(snapshot, person):
                if person not in residents:
                    residents.append(person)
                evidence.append(e)
    return residents, evidence, lived_in


def _suspect(snapshot: Snapshot, person: int) -> bool:
    """Return whether any record names the person as a suspect or convicted."""
    flags = Category.SUSPECT | Category.CONVICTED
    return any(snapshot.edges[e].categories & flags for e in snapshot.incident[person])


def _sites(snapshot: Snapshot) -> list[list[int]]:
    """Return the address nodes taken as one dwelling: an address, with any residence
    recorded by its postcode alone when it is the only address known at that postcode."""
    by_postcode: dict[str, list[int]] = {}
    alone: dict[str, int] = {}
    for node in snapshot.nodes_of(NodeKind.ADDRESS):
        key = snapshot.keys[node]
        if "|" in key:
            by_postcode.setdefault(key.partition("|")[0], []).append(node)
        else:
            alone[key] = node
    sites = []
    for postcode, nodes in by_postcode.items():
        if len(nodes) == 1 and postcode in alone:
            sites.append([nodes[0], alone.pop(postcode)])
        else:
            sites += [[node] for node in nodes]
    sites += [[node] for node in alone.values()]
    sites.sort()
    return sites


def find_cuckooed(
    snapshot: Snapshot, lines: Sequence[DealLine], members: Sequence[Member]
) -> list[CuckooedAddress]:
    """Return the cuckooed addresses, in node order."""
    line_of_phone = {p: line.id for line in lines for p in line.phones}
    line_of_person: Mapping[int, str] = {m.person: m.line for m in members}
    found = []
    for site in _sites(snapshot):
        residents, evidence, lived_in = _residents(snapshot, site)
        if lived_in and not residents:
            continue  # the adults living there are recorded as suspects: not cuckooing
        trap = any("trap_house" in snapshot.attrs[a].get("kinds", ()) for a in site)
        active, signs = trap, trap
        on_lines: set[str] = set()
        days = []
        for address in site:
            for e in snapshot.incident[address]:
                event = snapshot.other(e, address)
                if (
                    snapshot.edges[e].kind != "OccurredAt"
                    or snapshot.kinds[event] != NodeKind.EVENT
                ):
                    continue
                attrs = snapshot.attrs[event]
                linked = _event_lines(snapshot, event, residents, line_of_phone, line_of_person)
                on_lines |= linked
                active = active or bool(linked)
                signs = signs or bool(attrs["signs"] & Sign.CUCKOOING)
                if linked or attrs["signs"] & Sign.CUCKOOING:
                    evidence.append(e)
                    if attrs.get("date"):
                        days.append(attrs["date"])
        if active and signs and (residents or trap):
            found.append(
                CuckooedAddress(
                    site[0],
                    tuple(residents),
                    tuple(sorted(on_lines)),
                    min(days, default=None),
                    tuple(sorted(evidence)),
                )
            )
    return found


def _event_lines(
    snapshot: Snapshot,
    event: int,
    residents: Sequence[int],
    line_of_phone: Mapping[int, str],
    line_of_person: Mapping[int, str],
) -> set[str]:
    """Return the lines an event is tied to: by a line phone, or by a member taking part."""
    found = set()
    for e in snapshot.incident[event]:
        kind, other = snapshot.edges[e].kind, snapshot.other(e, event)
        if kind == "InvolvesPhone" and other in line_of_phone:
            found.add(line_of_phone[other])
        elif kind == "ParticipantIn" and other not in residents and other in line_of_person:
            found.add(line_of_person[other])
    return found
