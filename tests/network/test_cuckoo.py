"""Cuckooed addresses: a vulnerable adult's home with line activity and cuckooing signs."""

from __future__ import annotations

from linemap.network.cuckoo import find_cuckooed
from linemap.network.line import find_lines
from linemap.network.membership import find_members
from tests.network.test_line import LINE_A, intel, line_world
from tests.network.test_snapshot import VICTIM, Records, address, event, person, phone


def test_the_flat_a_line_uses_is_cuckooed_and_its_tenant_is_the_victim() -> None:
    snapshot = line_world()
    lines = find_lines(snapshot)
    (found,) = find_cuckooed(snapshot, lines, find_members(snapshot, lines))
    assert snapshot.keys[found.address] == "CT9 1AA|flat 2 9 harbour street"
    assert [snapshot.keys[p] for p in found.residents] == ["P1-vic"]
    assert found.lines
    assert found.first_seen == "2024-05-05"
    assert found.evidence


def test_signs_without_line_activity_are_not_cuckooing() -> None:
    r = Records({"HOU:R1#t": "P1-t"})
    flat = address("Flat 2, 9 Harbour Street", "CT9 1AA")
    r.add(
        "housing-asb-cuckooing",
        {
            "t": person("1970-01-01", vulnerability="x"),
            "h": flat,
            "e": event("cuckooing_report", "2024-05-05"),
        },
        [("ResidesAt", "t", "h", {}), ("OccurredAt", "e", "h", {})],
        qualifier=VICTIM,
        agency="HOU",
    )
    intel(r, "o", LINE_A, "2024-01-01")
    snapshot = r.finish()
    lines = find_lines(snapshot)
    assert find_cuckooed(snapshot, lines, find_members(snapshot, lines)) == []


def test_a_residence_by_postcode_alone_counts_for_the_one_address_there() -> None:
    r = Records({"POL:R1#t": "P1-t", "POL:R2#t": "P1-t"})
    r.add(
        "ae-assault",
        {
            "t": person("1970-01-01", vulnerability="mental health"),
            "h": address(postcode="CT9 1AA"),
        },
        [("ResidesAt", "t", "h", {})],
        qualifier=VICTIM,
    )
    r.add(
        "mace-tracker",
        {
            "at": address("9 Harbour Street", "CT9 1AA", location_kind="trap_house"),
            "e": event("mace_discussion", "2024-02-02"),
            "p": phone(LINE_A, "Tony"),
        },
        [("OccurredAt", "e", "at", {}), ("InvolvesPhone", "e", "p", {})],
    )
    snapshot = r.finish()
    lines = find_lines(snapshot)
    (found,) = find_cuckooed(snapshot, lines, find_members(snapshot, lines))
    assert [snapshot.keys[p] for p in found.residents] == ["P1-t"]
