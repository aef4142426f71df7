"""Person mentions as the resolver reads them: one per named Person entity of every current
record, with the address, postcode and phone the same record links to that person, and the
person's identifiers (PNC id, NHS number, UPN; an agency's own reference, qualified by the
agency, since another agency's reference with the same digits is someone else).

A Person with no name at all (a stop-search recording only sex and date of birth, a sighting
described in a note, an alias alone) is not a mention: nothing in it can be resolved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from linemap.model.schema import get_schema
from linemap.store.unit_of_work import Transaction

# Person properties that identify someone: each is compared exactly (`link(identifiers=...)`).
IDENTIFIERS = tuple(
    name for name, prop in get_schema("Person").properties.items() if prop.type == "identifier"
)
AGENCY_SCOPED = frozenset({"agency_ref"})  # meaningful within the agency that issued it
# What a mention is built from: the person's names, date of birth, alias and identifiers, and
# the addresses and phones the same record links to them.
MENTION_PROPERTIES = {
    "Person": frozenset(("forename", "surname", "name", "birth_date", "alias", *IDENTIFIERS)),
    "Address": frozenset(("postcode", "full")),
    "Phone": frozenset(("number",)),
    "ResidesAt": frozenset(("resident", "address")),
    "UsesPhone": frozenset(("user", "phone")),
}
# The resolver's columns, in order (see `linemap.resolve.record`).
COLUMNS = ("first_name", "surname", "dob", "alias", "postcode", "address", "phone", *IDENTIFIERS)


@dataclass
class Mention:
    """One Person mention as the resolver sees it, with the record it came from."""

    entity_id: str
    record_id: int
    values: dict[str, str] = field(default_factory=dict)
    subject: bool = False  # the first person of its record: whom the record is about


@dataclass(frozen=True)
class MentionTable:
    """Every mention as columns: the resolver's records, and the record each came from."""

    records: pa.Table  # unique_id and COLUMNS
    record_ids: list[int]
    subjects: list[bool]

    def __len__(self) -> int:
        """Return the number of mentions."""
        return int(self.records.num_rows)

    def children(self, today: date) -> set[str]:
        """Return the mentions whose date of birth (any precision) makes them under 18."""
        year = pc.cast(pc.utf8_slice_codeunits(self.records.column("dob"), 0, 4), pa.int32())
        young = pc.fill_null(pc.greater(year, today.year - 18), False)
        return set(pc.filter(self.records.column("unique_id"), young).to_pylist())


def read_mentions(tx: Transaction) -> MentionTable:
    """Read every named Person mention into columns (a million mentions cost no objects)."""
    ids: list[str] = []
    record_ids: list[int] = []
    subjects: list[bool] = []
    rows: list[dict[str, str]] = []
    for mention in iter_mentions(tx):
        ids.append(mention.entity_id)
        record_ids.append(mention.record_id)
        subjects.append(mention.subject)
        rows.append(mention.values)
    table = pa.table(
        {"unique_id": pa.array(ids, pa.string())}
        | {name: pa.array([row.get(name) for row in rows], pa.string()) for name in COLUMNS}
    )
    return MentionTable(table, record_ids, subjects)


def iter_mentions(tx: Transaction) -> Iterator[Mention]:
    """Yield the named Person mentions of every current record, with what the record links."""
    for record_id, agency, prefix, statements in tx.resolution.iter_mention_records(
        MENTION_PROPERTIES
    ):
        entities: dict[str, dict[str, str]] = {}
        schemas: dict[str, str] = {}
        for _, key, schema, prop, value in statements:
            props = entities.get(key)
            if props is None:
                entities[key] = props = {}
                schemas[key] = schema
            props.setdefault(prop, value)
        yield from _record_mentions(record_id, agency, prefix, entities, schemas)


def _names(props: dict[str, str]) -> tuple[str | None, str | None]:
    """Return (forename, surname), splitting a whole name when neither part was recorded."""
    forename, surname = props.get("forename"), props.get("surname")
    if not (forename or surname) and props.get("name"):
        parts = props["name"].split()
        forename, surname = parts[0], parts[-1] if len(parts) > 1 else None
    return forename, surname


def _linked(
    person: str,
    prefix: str,
    entities: dict[str, dict[str, str]],
    schemas: dict[str, str],
) -> dict[str, str]:
    """Return the postcode, address line and phone a record links to one person (the first
    of each).

    Links name entities by id (the record's prefix and the entity's key).
    """
    found: dict[str, str] = {}
    for key, link_props in entities.items():
        kind = schemas[key]
        if kind == "ResidesAt" and link_props.get("resident") == person:
            address = entities.get(_key(link_props.get("address", ""), prefix), {})
            for name, prop in (("postcode", "postcode"), ("address", "full")):
                if address.get(prop):
                    found.setdefault(name, address[prop])
        elif kind == "UsesPhone" and link_props.get("user") == person:
            number = entities.get(_key(link_props.get("phone", ""), prefix), {}).get("number")
            if number:
                found.setdefault("phone", number)
    return found


def _key(entity_id: str, prefix: str) -> str:
    """Return the key of an entity of this record from its id ("" for another record's)."""
    return entity_id[len(prefix) :] if entity_id.startswith(prefix) else ""


def _record_mentions(
    record_id: int,
    agency: str,
    prefix: str,
    entities: dict[str, dict[str, str]],
    schemas: dict[str, str],
) -> Iterator[Mention]:
    first = True
    for key, props in entities.items():
        if schemas[key] != "Person":
            continue
        entity_id = prefix + key
        forename, surname = _names(props)
        values: dict[str, str] = {}
        for name, value in (
            ("first_name", forename),
            ("surname", surname),
            ("dob", props.get("birth_date")),
            ("alias", props.get("alias")),
        ):
            if value:
                values[name] = value
        if len(entities) > 1:
            values.update(_linked(entity_id, prefix, entities, schemas))
        for name in IDENTIFIERS:
            if props.get(name):
                values[name] = f"{agency}:{props[name]}" if name in AGENCY_SCOPED else props[name]
        if forename or surname:
            yield Mention(entity_id, record_id, values, first)
        first = False  # only the record's first person is its subject
