"""A network snapshot: resolved people, phones, handsets, vehicles, addresses, places and events,
joined by typed, time-bounded edges that carry their evidence and its grading.

Pure: the caller hands over each source record's statements (entity key, schema, property,
value, qualifier id), the qualifiers, the person each Person mention resolved to, and how to
key an address line; nothing here reads a database. Nodes:

- person: the resolution run's person id; a Person mention the run left out is its own node;
- phone: the E.164 number; handset: the IMEI's first 14 digits (the 15th is a check digit,
  3GPP TS 23.003, often left off); vehicle: the registration without spaces;
- place: an institution (children's home, school, pupil referral unit, supported
  accommodation, hotel), keyed by its kind and postcode (or name);
- address: postcode and dwelling key, or the postcode alone where that is all there is;
- event: one per Event entity of a record (an arrest, a missing episode, a report).

An edge is one relationship type between two nodes, with every record asserting it: its
records and agencies, its time span (the relationship's start and end, else the event's date,
else the record's date), the best grade of its evidence and whether all of it is weak
(intelligence graded E or from a source graded 3: never the sole ground for a conclusion).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntFlag, StrEnum
from functools import cached_property
from typing import Any

import igraph as ig  # type: ignore[import-untyped]

from linemap.model.schema import get_schema

RELATIONSHIPS = frozenset(
    {
        *("ResidesAt", "PlacedAt", "Attends", "UsesPhone", "UsesHandset", "UsesVehicle"),
        *("AssociateOf", "FamilyOf", "ParticipantIn", "OccurredAt", "InvolvesPhone"),
        *("InvolvesHandset", "InvolvesVehicle"),
    }
)
# What the map reads of each schema: only what keys a node or evidences a finding.
PROPERTIES: Mapping[str, frozenset[str]] = {
    "Person": frozenset({"birth_date", "vulnerability"}),
    "Phone": frozenset({"number", "line_name"}),
    "Handset": frozenset({"imei"}),
    "Vehicle": frozenset({"registration"}),
    "Address": frozenset({"postcode", "full", "place_name", "location_kind", "local_authority"}),
    "Event": frozenset({"event_kind", "date", "offence", "items_seized", "summary", "risk_level"}),
} | {
    name: frozenset({*(p.name for p in get_schema(name).ends), "role", "start_date", "end_date"})
    for name in RELATIONSHIPS
}
PLACE_KINDS = frozenset(
    {"childrens_home", "school", "pupil_referral_unit", "supported_accommodation", "hotel"}
)


class NodeKind(StrEnum):
    """What a node stands for."""

    PERSON = "person"
    PHONE = "phone"
    HANDSET = "handset"
    VEHICLE = "vehicle"
    ADDRESS = "address"
    PLACE = "place"
    EVENT = "event"


class Category(IntFlag):
    """DPA 2018 s.38(3) data-subject categories an edge's evidence records its person under."""

    SUSPECT = 1
    CONVICTED = 2
    VICTIM = 4
    WITNESS = 8
    OTHER = 16


class Sign(IntFlag):
    """What an event's own words show, read against published indicator lists."""

    SUPPLY = 1  # offence of supplying controlled drugs (Misuse of Drugs Act 1971 s.4, s.5(3))
    DRUGS_FOUND = 2  # drugs packaged for sale found or seized
    CUCKOOING = 4  # a cuckooing sign noted (mission-anchors c.2, cuckooing signs)
    EXPLOITATION = 8  # exploitation named as the concern
    HIGH_RISK = 16  # a panel's risk level medium or high


_SUPPLY = re.compile(r"suppl|intent to sell", re.I)
_DRUGS = re.compile(r"\bwraps?\b|crack|heroin|cocaine|class a", re.I)
# Home Office / local authority cuckooing signs (Bexley, Camden, TSAB; mission-anchors c.2).
_CUCKOO = re.compile(
    r"visitors|door (?:damaged|damage|left open)|not seen|withdrawn|fearful|new .?friends|"
    r"rent arrears|taken over|cars .*waiting|taxis|possessions (?:sparse|sold)",
    re.I,
)
_EXPLOITED = re.compile(r"exploit", re.I)
_RISK = re.compile(r"high|medium|significant|moderate", re.I)
# A legacy 5x5x5 grade is kept as recorded, never converted; it is weighed as weak when its
# source is D (unreliable) or its intelligence 5 (suspected false), as 3x5x2 source 3 or E.
_LEGACY_WEAK = re.compile(r"^(?:D..|.5.)$")


@dataclass(frozen=True, slots=True)
class Grade:
    """How far one record's statement can be relied on, from its qualifier."""

    source: str | None  # 3x5x2 source 1-3
    intelligence: str | None  # 3x5x2 intelligence A-E
    handling: str | None  # P or C
    legacy: str | None  # 5x5x5 as recorded, never converted
    category: str | None  # DPA 2018 s.38(3)
    basis: str | None  # fact or personal_assessment

    @property
    def code(self) -> str | None:
        """Return the grade as recorded: 3x5x2 (e.g. 2B) or legacy (e.g. B24), or None."""
        if self.source and self.intelligence:
            return f"{self.source}{self.intelligence}"
        return self.legacy

    @property
    def weak(self) -> bool:
        """Graded E or from a source graded 3 (R4), or its legacy equivalent."""
        if self.source and self.intelligence:
            return self.intelligence == "E" or self.source == "3"
        return bool(self.legacy and _LEGACY_WEAK.match(self.legacy))


def rank_grade(code: str | None) -> tuple[int, str]:
    """Order grades best first: 3x5x2 by source then intelligence, legacy after, none last."""
    if code is None:
        return (2, "")
    return (0 if code[0].isdigit() else 1, code)


@dataclass(slots=True)
class Edge:
    """One relationship between two nodes with every record that asserts it."""

    kind: str
    source: int
    target: int
    roles: str = ""  # space-separated roles the records gave (seized_from, arrestee, ...)
    start: str | None = None
    end: str | None = None
    records: list[int] = field(default_factory=list)
    agencies: str = ""  # space-separated agency codes
    grading: str | None = None  # the best grade of its evidence
    weak: bool = True  # every piece of evidence is weak
    categories: int = 0  # Category flags

    def add(self, record: int, agency: str, role: str | None, span: tuple[str | None, ...]) -> None:
        """Add one record's evidence: widen the span, note the agency and role."""
        if not self.records or self.records[-1] != record:
            self.records.append(record)
        if agency not in self.agencies.split():
            self.agencies = f"{self.agencies} {agency}".strip()
        if role and role not in self.roles.split():
            self.roles = f"{self.roles} {role}".strip()
        for day in span:
            if day:
                self.start = day if self.start is None or day < self.start else self.start
                self.end = day if self.end is None or day > self.end else self.end

    def grade(self, grade: Grade | None) -> None:
        """Keep the best grade seen, and whether every piece of evidence is weak."""
        if grade is None:
            self.weak = False
            return
        if rank_grade(grade.code) < rank_grade(self.grading):
            self.grading = grade.code
        self.weak = self.weak and grade.weak
        flag = Category.__members__.get((grade.category or "").upper())
        if flag is not None:
            self.categories |= flag.value


@dataclass
class Snapshot:
    """The graph: nodes by number (kind, key, attributes) and aggregated edges."""

    as_of: date
    kinds: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    attrs: list[dict[str, Any]] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    records: int = 0

    def __len__(self) -> int:
        return len(self.kinds)

    @cached_property
    def incident(self) -> list[list[int]]:
        """Return, per node, the ids of its edges."""
        found: list[list[int]] = [[] for _ in self.kinds]
        for e, edge in enumerate(self.edges):
            found[edge.source].append(e)
            found[edge.target].append(e)
        return found

    def other(self, edge_id: int, node: int) -> int:
        """Return the far end of an edge from a node."""
        edge = self.edges[edge_id]
        return edge.target if edge.source == node else edge.source

    def nodes_of(self, kind: NodeKind) -> list[int]:
        """Return the nodes of a kind."""
        return [n for n, k in enumerate(self.kinds) if k == kind]

    def age(self, person: int, on: date | None = None) -> int | None:
        """Return a person's age in whole years on a day (the snapshot date by default), if a
        birth date is known (a partial one is taken as mid-year)."""
        dob, on = self.attrs[person].get("dob"), on or self.as_of
        if not dob or len(dob) < 4:
            return None
        year = int(dob[:4])
        month, day = (int(dob[5:7]), int(dob[8:10])) if len(dob) >= 10 else (7, 1)
        return on.year - year - ((on.month, on.day) < (month, day))

    def is_child(self, person: int) -> bool:
        """Return whether a person is under 18 on the snapshot date (unknown: not known so)."""
        age = self.age(person)
        return age is not None and age < 18

    def graph(self) -> Any:
        """Return the snapshot as an undirected igraph graph, one link per edge."""
        graph = ig.Graph(n=len(self.kinds), edges=[(e.source, e.target) for e in self.edges])
        graph.es["weight"] = [float(len(e.records)) for e in self.edges]
        return graph


def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 and value[4] == "-" else None


def _signs(props: Mapping[str, str]) -> Sign:
    found = Sign(0)
    if _SUPPLY.search(props.get("offence", "")):
        found |= Sign.SUPPLY
    if _DRUGS.search(props.get("items_seized", "")):
        found |= Sign.DRUGS_FOUND
    summary = props.get("summary", "")
    if _CUCKOO.search(summary) or props.get("event_kind") == "cuckooing_report":
        found |= Sign.CUCKOOING
    if _EXPLOITED.search(summary):
        found |= Sign.EXPLOITATION
    if _RISK.search(props.get("risk_level", "")):
        found |= Sign.HIGH_RISK
    return found


class SnapshotBuilder:
    """Build a snapshot one source record at a time (records stream; nodes and edges stay)."""

    def __init__(
        self,
        as_of: date,
        person_of: Mapping[str, str],
        qualifiers: Mapping[int, Sequence[str | None]],
        address_key: Callable[[str], str | None],
    ) -> None:
        self.snapshot = Snapshot(as_of)
        self.person_of = person_of
        self.grades = {q: Grade(*values) for q, values in qualifiers.items()}
        self.address_key = address_key
        self.index: dict[tuple[str, str], int] = {}
        self.edge_index: dict[tuple[str, int, int], int] = {}

    def node(self, kind: str, key: str) -> int:
        """Return the node of a kind and key, adding it if new."""
        found = self.index.get((kind, key))
        if found is None:
            s = self.snapshot
            found = self.index[(kind, key)] = len(s.kinds)
            s.kinds.append(kind)
            s.keys.append(key)
            s.attrs.append({})
        return found

    def add(
        self,
        record: int,
        agency: str,
        mapping: str,
        recorded: str | None,
        statements: Iterable[tuple[str, str, str, str, int]],
    ) -> None:
        """Add one source record's entities and relationships."""
        self.snapshot.records += 1
        props: dict[str, dict[str, str]] = {}
        schema_of: dict[str, str] = {}
        grade_of: dict[str, int] = {}
        for key, schema, prop, value, qualifier_id in statements:
            if key not in props:
                props[key], schema_of[key], grade_of[key] = {}, schema, qualifier_id
            props[key].setdefault(prop, value)
        nodes: dict[str, int | None] = {}
        for key, schema in schema_of.items():
            if schema not in RELATIONSHIPS:
                nodes[key] = self._entity(
                    record, agency, mapping, recorded, key, schema, props[key]
                )
        for key, schema in schema_of.items():
            if schema in RELATIONSHIPS:
                edge = self._relationship(record, agency, recorded, schema, props, key, nodes)
                if edge is not None:
                    edge.grade(self.grades.get(grade_of[key]))

    def _entity(
        self,
        record: int,
        agency: str,
        mapping: str,
        recorded: str | None,
        key: str,
        schema: str,
        values: Mapping[str, str],
    ) -> int | None:
        """Return the node an entity of this record stands for (persons: see _person)."""
        if schema == "Phone":
            number = values.get("number")
            if not number:
                return None
            node = self.node(NodeKind.PHONE, number)
            if values.get("line_name"):
                names = self.snapshot.attrs[node].setdefault("line_names", set())
                names.add(_line_name(values["line_name"]))
            return node
        if schema == "Handset":
            digits = re.sub(r"\D", "", values.get("imei", ""))
            return self.node(NodeKind.HANDSET, digits[:14]) if len(digits) >= 14 else None
        if schema == "Vehicle":
            plate = re.sub(r"\s", "", values.get("registration", "")).upper()
            return self.node(NodeKind.VEHICLE, plate) if plate else None
        if schema == "Address":
            return self._address(values)
        if schema == "Event":
            node = self.node(NodeKind.EVENT, f"{record}#{key}")
            self.snapshot.attrs[node] = {
                "kind": values.get("event_kind", "other"),
                "date": _day(values.get("date")) or _day(recorded),
                "signs": int(_signs(values)),
                "record": record,
                "agency": agency,
                "mapping": mapping,
            }
            return node
        return None

    def _address(self, values: Mapping[str, str]) -> int | None:
        """Return the place or address node of an Address entity, or None if it has no key."""
        kind = values.get("location_kind", "")
        postcode = values.get("postcode", "")
        full = len(postcode) > 4  # a district alone is at most 4 characters
        text = values.get("full") or values.get("place_name") or ""
        line = self.address_key(text) if text else None
        if kind in PLACE_KINDS:
            name = self.address_key(values.get("place_name", "")) or line
            key = postcode if full else (name or "")
            if not key:
                return None
            node = self.node(NodeKind.PLACE, f"{kind}|{key}")
            attrs = self.snapshot.attrs[node]
            attrs.setdefault("kind", kind)
        elif line or full:
            key = f"{postcode}|{line}" if line and postcode else (line or postcode)
            node = self.node(NodeKind.ADDRESS, key)
            attrs = self.snapshot.attrs[node]
            if kind:
                attrs.setdefault("kinds", set()).add(kind)
        else:
            return None
        if postcode:
            attrs.setdefault("postcode", postcode)
        if (town := _town(values.get("full", ""))) is not None:
            attrs.setdefault("town", town)  # where the map puts it (see services.geography)
        if values.get("local_authority"):
            attrs.setdefault("local_authority", values["local_authority"].lower())
        return node

    def _person(self, entity_id: str, values: Mapping[str, str] | None) -> int:
        """Return a person's node: the run's person, else the mention itself."""
        node = self.node(NodeKind.PERSON, self.person_of.get(entity_id, entity_id))
        if values:
            attrs = self.snapshot.attrs[node]
            if values.get("birth_date"):
                attrs.setdefault("dobs", Counter())[values["birth_date"]] += 1
            if values.get("vulnerability"):
                attrs.setdefault("vulnerabilities", set()).add(values["vulnerability"].lower())
        return node

    def _relationship(
        self,
        record: int,
        agency: str,
        recorded: str | None,
        schema: str,
        props: Mapping[str, Mapping[str, str]],
        key: str,
        nodes: Mapping[str, int | None],
    ) -> Edge | None:
        """Add one relationship's evidence to its edge; return the edge, or None if an end
        has no node."""
        values = props[key]
        ends: list[int | None] = []
        for end in get_schema(schema).ends:
            entity_id = values.get(end.name, "")
            local = entity_id.rpartition("#")[2]
            if end.range == "Person":
                ends.append(self._person(entity_id, props.get(local)) if entity_id else None)
            else:
                ends.append(nodes.get(local))
        source, target = ends
        if source is None or target is None or source == target:
            return None
        if get_schema(schema).symmetric and target < source:
            source, target = target, source
        span = (_day(values.get("start_date")), _day(values.get("end_date")))
        if not any(span):
            kinds, attrs = self.snapshot.kinds, self.snapshot.attrs
            event = target if kinds[target] == NodeKind.EVENT else source
            day = attrs[event].get("date") if kinds[event] == NodeKind.EVENT else None
            span = (day or _day(recorded), None)
        found = self.edge_index.get((schema, source, target))
        if found is None:
            found = self.edge_index[(schema, source, target)] = len(self.snapshot.edges)
            self.snapshot.edges.append(Edge(schema, source, target))
        edge = self.snapshot.edges[found]
        edge.add(record, agency, values.get("role"), span)
        return edge

    def finish(self) -> Snapshot:
        """Settle each person's birth date (the one most mentions give) and return the map."""
        attrs = self.snapshot.attrs
        for node, kind in enumerate(self.snapshot.kinds):
            if kind == NodeKind.PERSON and "dobs" in attrs[node]:
                dobs: Counter[str] = attrs[node].pop("dobs")
                attrs[node]["dob"] = max(dobs, key=lambda d: (dobs[d], len(d), d))
        return self.snapshot


def _line_name(text: str) -> str:
    """Reduce a deal line's name as written ("the Tony line", "TONY LINE") to its brand."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in {"the", "line"}]
    return " ".join(words)


def _town(full: str) -> str | None:
    """Return an address line's town: its last part after a comma, unless that is a postcode."""
    head, comma, last = full.rpartition(",")
    town = last.strip()
    if not comma or not head.strip() or not town or any(ch.isdigit() for ch in town):
        return None
    return town.lower()
