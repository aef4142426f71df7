"""The snapshot graph on hand-built records: node keys, evidence, grading and time spans.

`Records` here builds source records as the intake stores them (entity key, schema, property,
value, qualifier) for the other network tests too. Everyone named is invented.
"""

from __future__ import annotations

from datetime import date

from linemap.network.snapshot import Category, NodeKind, Sign, Snapshot, SnapshotBuilder
from linemap.services.network import map_address_key

AS_OF = date(2026, 10, 31)
# (source, intelligence, handling, legacy, data-subject category, basis) by qualifier id.
QUALIFIERS = {
    1: ("2", "B", "P", None, "suspect", "fact"),
    2: (None, None, "P", None, "victim", "fact"),
    3: ("3", "E", "P", None, "suspect", "fact"),  # weak
    4: (None, None, "P", None, "other", "fact"),
    5: ("1", "A", "P", None, "suspect", "fact"),
    6: (None, None, "P", "B24", "suspect", "fact"),
}
SUSPECT, VICTIM, WEAK, OTHER = 1, 2, 3, 4
Entity = tuple[str, dict[str, str]]


class Records:
    """Source records for a SnapshotBuilder: entities by local key, relationships by ends."""

    def __init__(self, person_of: dict[str, str] | None = None) -> None:
        self.builder = SnapshotBuilder(AS_OF, person_of or {}, QUALIFIERS, map_address_key)
        self.count = 0

    def add(
        self,
        mapping: str,
        entities: dict[str, Entity],
        links: list[tuple[str, str, str, dict[str, str]]],
        *,
        qualifier: int = SUSPECT,
        agency: str = "POL",
        recorded: str = "2025-03-01",
    ) -> int:
        """Add one record: entities {key: (schema, props)}; links (schema, end a, end b,
        props) naming ends by local key; return its record id."""
        self.count += 1
        record = self.count
        prefix = f"{agency}:R{record}#"
        statements = [
            (key, schema, prop, value, qualifier)
            for key, (schema, props) in entities.items()
            for prop, value in props.items()
        ]
        for number, (schema, a, b, props) in enumerate(links):
            ends = _ENDS[schema]
            values = {ends[0]: prefix + a, ends[1]: prefix + b, **props}
            statements += [(f"link{number}", schema, p, v, qualifier) for p, v in values.items()]
        self.builder.add(record, agency, mapping, recorded, statements)
        return record

    def finish(self) -> Snapshot:
        """Return the snapshot built so far."""
        return self.builder.finish()


_ENDS = {
    "ResidesAt": ("resident", "address"),
    "PlacedAt": ("child", "placement"),
    "Attends": ("pupil", "school"),
    "UsesPhone": ("user", "phone"),
    "UsesHandset": ("phone", "handset"),
    "AssociateOf": ("person", "associate"),
    "ParticipantIn": ("participant", "event"),
    "OccurredAt": ("event", "location"),
    "InvolvesPhone": ("event", "phone"),
    "InvolvesHandset": ("event", "handset"),
}


def person(dob: str | None = None, **props: str) -> Entity:
    """Return a Person entity (names are never read by the map)."""
    return "Person", ({"birth_date": dob} if dob else {}) | {"surname": "example"} | props


def phone(number: str, line_name: str | None = None) -> Entity:
    """Return a Phone entity."""
    return "Phone", {"number": number} | ({"line_name": line_name} if line_name else {})


def event(kind: str, day: str, **props: str) -> Entity:
    """Return an Event entity."""
    return "Event", {"event_kind": kind, "date": day, **props}


def address(full: str = "", postcode: str = "", **props: str) -> Entity:
    """Return an Address entity."""
    values = {"full": full, "postcode": postcode, **props}
    return "Address", {k: v for k, v in values.items() if v}


def node(snapshot: Snapshot, kind: NodeKind, key: str) -> int:
    """Return the node of a kind and key."""
    return next(
        n
        for n, (k, v) in enumerate(zip(snapshot.kinds, snapshot.keys, strict=True))
        if (k, v) == (kind, key)
    )


def test_nodes_are_keyed_by_what_identifies_them() -> None:
    records = Records({"POL:R1#subject": "P1-7"})
    records.add(
        "custody-arrest",
        {
            "subject": person("2000-01-02"),
            "phone": phone("+447700900001"),
            "handset": ("Handset", {"imei": "00 101742 035827 0"}),
            "home": address("Flat 3, 12 Sample Rd, Margate", "CT9 1AA"),
            "arrest": event("arrest", "2025-03-01", offence="Possession with intent to supply"),
        },
        [
            ("UsesPhone", "subject", "phone", {}),
            ("UsesHandset", "phone", "handset", {}),
            ("ResidesAt", "subject", "home", {}),
            ("ParticipantIn", "subject", "arrest", {}),
        ],
    )
    records.add(
        "missing-episode",
        {
            "child": person("2011-05-06"),
            "home": address("Outside 3/12 Sample Road", "CT9 1AA"),
            "care": address("1 Lane", "ME4 4ZZ", location_kind="childrens_home"),
        },
        [("ResidesAt", "child", "home", {}), ("PlacedAt", "child", "care", {})],
        qualifier=OTHER,
    )
    snapshot = records.finish()
    keys = set(zip(snapshot.kinds, snapshot.keys, strict=True))
    assert (NodeKind.PERSON, "P1-7") in keys  # the run's person
    assert (NodeKind.PERSON, "POL:R2#child") in keys  # a mention the run left out
    assert (NodeKind.PHONE, "+447700900001") in keys
    assert (NodeKind.HANDSET, "00101742035827") in keys  # 14 digits: no check digit
    assert (NodeKind.PLACE, "childrens_home|ME4 4ZZ") in keys
    assert (NodeKind.ADDRESS, "CT9 1AA|flat 3 12 sample road") in keys
    assert (NodeKind.EVENT, "1#arrest") in keys
    # "Outside 3/12 Sample Road" and "Flat 3, 12 Sample Rd" are one dwelling.
    assert sum(1 for k in snapshot.kinds if k == NodeKind.ADDRESS) == 1
    arrest = node(snapshot, NodeKind.EVENT, "1#arrest")
    assert snapshot.attrs[arrest]["signs"] & Sign.SUPPLY


def test_an_edge_gathers_every_record_that_asserts_it() -> None:
    records = Records({"POL:R1#s": "P1-1", "KCC:R2#s": "P1-1", "POL:R3#s": "P1-1"})
    for agency, day, qualifier in (("POL", "2024-01-05", WEAK), ("KCC", "2025-06-01", OTHER)):
        records.add(
            "person-register",
            {"s": person(), "p": phone("+447700900009")},
            [("UsesPhone", "s", "p", {})],
            agency=agency,
            recorded=day,
            qualifier=qualifier,
        )
    records.add(
        "police-intelligence",
        {"s": person(), "p": phone("+447700900009")},
        [("UsesPhone", "s", "p", {})],
        recorded="2023-02-01",
        qualifier=WEAK,
    )
    snapshot = records.finish()
    (edge,) = snapshot.edges
    assert edge.kind == "UsesPhone"
    assert edge.records == [1, 2, 3]
    assert edge.agencies.split() == ["POL", "KCC"]
    assert (edge.start, edge.end) == ("2023-02-01", "2025-06-01")
    assert edge.grading == "3E"
    assert not edge.weak
    assert edge.categories & Category.SUSPECT
    assert edge.categories & Category.OTHER


def test_weak_evidence_alone_marks_the_edge_weak_and_grades_rank_best_first() -> None:
    records = Records()
    for qualifier in (WEAK, 6, 5):
        records.add(
            "police-intelligence",
            {"s": person(), "p": phone("+447700900010")},
            [("UsesPhone", "s", "p", {})],
            qualifier=qualifier,
        )
    snapshot = records.finish()
    graded = {e.grading for e in snapshot.edges}
    assert graded == {"3E", "B24", "1A"}
    assert [e.weak for e in snapshot.edges] == [True, False, False]


def test_relationship_dates_bound_the_edge_else_the_event_date() -> None:
    records = Records()
    records.add(
        "social-care-case",
        {
            "c": person("2010-01-01"),
            "h": address("1 Lane", "ME4 4ZZ", location_kind="childrens_home"),
        },
        [("PlacedAt", "c", "h", {"start_date": "2025-02-03", "end_date": "2025-09-01"})],
        qualifier=OTHER,
    )
    records.add(
        "missing-episode",
        {"c": person(), "e": event("missing_episode", "2025-04-04")},
        [("ParticipantIn", "c", "e", {"role": "missing_person"})],
        recorded="2025-04-05",
        qualifier=OTHER,
    )
    snapshot = records.finish()
    placed, took_part = snapshot.edges
    assert (placed.start, placed.end) == ("2025-02-03", "2025-09-01")
    assert (took_part.start, took_part.end, took_part.roles) == (
        "2025-04-04",
        "2025-04-04",
        "missing_person",
    )


def test_associations_are_one_undirected_edge_and_birth_dates_settle_on_the_commonest() -> None:
    ids = {f"POL:R{i}#{k}": f"P1-{k}" for i in (1, 2, 3) for k in ("a", "b")}
    records = Records(ids)
    records.add(
        "custody-arrest",
        {"a": person("2009-01-01"), "b": person()},
        [("AssociateOf", "a", "b", {})],
    )
    records.add(
        "custody-arrest",
        {"a": person("2009-01-01"), "b": person()},
        [("AssociateOf", "b", "a", {})],
    )
    records.add(
        "custody-arrest",
        {"a": person("1990-01-01"), "b": person()},
        [("AssociateOf", "a", "b", {})],
    )
    snapshot = records.finish()
    assert len(snapshot.edges) == 1
    assert snapshot.edges[0].records == [1, 2, 3]
    a = node(snapshot, NodeKind.PERSON, "P1-a")
    assert snapshot.attrs[a]["dob"] == "2009-01-01"
    assert snapshot.age(a) == 17
    assert snapshot.is_child(a)
    assert not snapshot.is_child(node(snapshot, NodeKind.PERSON, "P1-b"))  # age unknown


def test_the_graph_has_one_link_per_edge_weighted_by_its_records() -> None:
    records = Records()
    records.add(
        "police-intelligence",
        {"s": person(), "p": phone("+447700900011")},
        [("UsesPhone", "s", "p", {})],
    )
    snapshot = records.finish()
    graph = snapshot.graph()
    assert graph.vcount() == len(snapshot)
    assert graph.ecount() == 1
    assert graph.es["weight"] == [1.0]
