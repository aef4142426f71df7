"""Deal lines on a hand-built world: which phones are lines and how numbers join into one line.

`line_world` is the small world the membership, role, place and cuckooing tests share too.
"""

from __future__ import annotations

from linemap.network.line import find_line_phones, find_lines
from linemap.network.snapshot import NodeKind, Snapshot
from tests.network.test_snapshot import (
    OTHER,
    SUSPECT,
    VICTIM,
    Records,
    address,
    event,
    node,
    person,
    phone,
)

LINE_A, LINE_B, LINE_C = "+447700900001", "+447700900002", "+447700900003"
OTHER_LINE = "+447700900050"
PERSONAL = "+447700900099"
SUPPLY = "Possession with intent to supply Class A"
CHILD_DOB, ADULT_DOB = "2011-03-04", "1995-06-07"


def _people(*names: str) -> dict[str, str]:
    """Resolve every mention keyed by a name to one person per name, in any record."""
    return {f"POL:R{i}#{n}": f"P1-{n}" for i in range(1, 60) for n in names} | {
        f"HOU:R{i}#{n}": f"P1-{n}" for i in range(1, 60) for n in names
    }


def intel(
    r: Records,
    who: str,
    number: str,
    day: str,
    *,
    name: str | None = "the Tony line",
    dob: str = ADULT_DOB,
    qualifier: int = SUSPECT,
) -> int:
    """An intelligence report naming someone using a phone."""
    return r.add(
        "police-intelligence",
        {who: person(dob), "p": phone(number, name), "e": event("intelligence_report", day)},
        [("UsesPhone", who, "p", {}), ("ParticipantIn", who, "e", {"role": "subject"})],
        qualifier=qualifier,
        recorded=day,
    )


def arrest(
    r: Records,
    who: str,
    number: str | None,
    day: str,
    *,
    dob: str,
    offence: str = SUPPLY,
    co: str | None = None,
) -> int:
    """A custody record: an arrest, the phone seized, and anyone arrested with them."""
    entities = {who: person(dob), "e": event("arrest", day, offence=offence)}
    links = [("ParticipantIn", who, "e", {"role": "arrestee"})]
    if number:
        entities["p"] = phone(number)
        links += [
            ("InvolvesPhone", "e", "p", {"role": "seized"}),
            ("UsesPhone", who, "p", {"role": "seized_from"}),
        ]
    if co:
        entities[co] = person(ADULT_DOB if co != "dee" else CHILD_DOB)
        links += [("ParticipantIn", co, "e", {"role": "co_arrestee"}), ("AssociateOf", who, co, {})]
    return r.add("custody-arrest", entities, links, recorded=day)


def line_world() -> Snapshot:
    """One line (two numbers and a third in the same handset) worked by an organiser, a
    runner and a child; a second line; a child linked by association only; a cuckooed flat."""
    r = Records(_people("olu", "ray", "cal", "dee", "vic", "wyn", "kim", "kai", "max"))
    intel(r, "olu", LINE_A, "2024-01-10")
    intel(r, "olu", LINE_A, "2024-02-10")
    intel(r, "ray", LINE_A, "2024-03-01")
    arrest(r, "ray", LINE_A, "2024-03-05", dob=ADULT_DOB)
    arrest(r, "cal", LINE_A, "2024-04-01", dob=CHILD_DOB)
    intel(r, "cal", LINE_A, "2024-04-02", dob=CHILD_DOB)
    # A new number under the same name, used by the same people after the old one went quiet.
    intel(r, "olu", LINE_B, "2024-06-01")
    intel(r, "ray", LINE_B, "2024-06-15")
    # A third number put in the line's handset.
    r.add(
        "custody-arrest",
        {"a": phone(LINE_B), "b": phone(LINE_C), "h": ("Handset", {"imei": "001017420358270"})},
        [("UsesHandset", "a", "h", {}), ("UsesHandset", "b", "h", {})],
    )
    # Another line, run by others.
    for who in ("kim", "kai", "max"):
        intel(r, who, OTHER_LINE, "2025-01-01", name="Snow")
    # A personal phone seized once in a drug arrest: not a line.
    arrest(r, "kim", PERSONAL, "2025-02-01", dob=ADULT_DOB)
    # A child whose only tie to the line is being arrested with its runner for shoplifting.
    arrest(r, "ray", None, "2024-05-01", dob=ADULT_DOB, offence="Shoplifting", co="dee")
    # A vulnerable tenant whose flat the line uses.
    flat = address("Flat 2, 9 Harbour Street, Margate", "CT9 1AA")
    r.add(
        "housing-asb-cuckooing",
        {
            "vic": person("1970-01-01", vulnerability="substance misuse"),
            "home": flat,
            "e": event("cuckooing_report", "2024-05-05", summary="Many visitors at all hours"),
        },
        [
            ("ResidesAt", "vic", "home", {}),
            ("ParticipantIn", "vic", "e", {}),
            ("OccurredAt", "e", "home", {}),
        ],
        qualifier=VICTIM,
        agency="HOU",
    )
    r.add(
        "police-intelligence",
        {
            "ray": person(ADULT_DOB),
            "at": flat,
            "p": phone(LINE_A, "Tony"),
            "e": event("intelligence_report", "2024-05-06"),
        },
        [
            ("ParticipantIn", "ray", "e", {}),
            ("OccurredAt", "e", "at", {}),
            ("InvolvesPhone", "e", "p", {}),
        ],
    )
    # A vulnerable neighbour with no line activity at their home.
    r.add(
        "housing-asb-cuckooing",
        {
            "wyn": person("1960-01-01", vulnerability="mental health"),
            "home": address("4 Quiet Road", "CT9 2BB"),
        },
        [("ResidesAt", "wyn", "home", {})],
        qualifier=VICTIM,
        agency="HOU",
    )
    # The child at risk lives in a children's home.
    r.add(
        "social-care-case",
        {
            "cal": person(CHILD_DOB),
            "home": address("1 Oak Lane", "ME4 4ZZ", location_kind="childrens_home"),
        },
        [("PlacedAt", "cal", "home", {"start_date": "2023-09-01"})],
        qualifier=OTHER,
    )
    return r.finish()


def test_named_phones_and_busy_drug_phones_are_lines_and_a_personal_phone_is_not() -> None:
    snapshot = line_world()
    found = {snapshot.keys[p.node] for p in find_line_phones(snapshot)}
    assert found == {LINE_A, LINE_B, OTHER_LINE}  # LINE_C was never named nor busy
    personal = node(snapshot, NodeKind.PHONE, PERSONAL)
    assert personal not in {p.node for p in find_line_phones(snapshot)}


def test_rebrands_join_by_name_and_people_and_other_lines_stay_apart() -> None:
    snapshot = line_world()
    lines = find_lines(snapshot)
    numbers = sorted(sorted(snapshot.keys[p] for p in line.phones) for line in lines)
    assert numbers == [[LINE_A, LINE_B], [OTHER_LINE]]
    tony = next(line for line in lines if len(line.phones) == 2)
    assert tony.names == ("tony",)
    assert tony.first_seen == "2024-01-10"
    assert tony.last_seen == "2024-06-15"
    assert tony.joined_by  # says why its numbers are one line
    assert [snapshot.kinds[h] for h in tony.handsets] == [NodeKind.HANDSET]


def test_one_handset_carrying_two_line_numbers_joins_them() -> None:
    r = Records()
    for number, day in ((LINE_A, "2024-01-01"), (LINE_B, "2024-02-01")):
        intel(r, "x", number, day, name=f"brand {number[-1]}")
    r.add(
        "custody-arrest",
        {"a": phone(LINE_A), "b": phone(LINE_B), "h": ("Handset", {"imei": "001017420358270"})},
        [("UsesHandset", "a", "h", {}), ("UsesHandset", "b", "h", {})],
    )
    (line,) = find_lines(r.finish())
    assert len(line.phones) == 2
    assert "one handset carried both numbers" in line.joined_by


def test_two_lines_of_one_organiser_at_the_same_time_stay_two() -> None:
    r = Records(_people("boss", "a", "b", "c", "d"))
    for who in ("boss", "a", "b"):
        intel(r, who, LINE_A, "2024-01-01", name="Tony")
    for who in ("boss", "c", "d"):
        intel(r, who, LINE_B, "2024-01-02", name="Cali")
    assert len(find_lines(r.finish())) == 2


def test_areas_come_from_where_the_people_live_and_where_the_line_acts() -> None:
    r = Records(_people("a", "b"))
    for who in ("a", "b"):
        r.add(
            "person-register",
            {who: person(), "h": address("1 Road", "N7 1AA")},
            [("ResidesAt", who, "h", {})],
        )
        r.add(
            "police-intelligence",
            {
                who: person(),
                "p": phone(LINE_A, "Tony"),
                "e": event("intelligence_report", "2024-01-01"),
                "at": address("Station", "CT9 5AD"),
            },
            [
                ("UsesPhone", who, "p", {}),
                ("ParticipantIn", who, "e", {}),
                ("OccurredAt", "e", "at", {}),
            ],
        )
    (line,) = find_lines(r.finish())
    assert line.exporting_area == "N7"
    assert line.importing_areas == ("CT9",)
