"""Person mentions as the resolver reads them: one per named Person entity of every current
record, with the address, postcode and phone the same record links to that person, and the
person's identifiers (PNC, NHS number, UPN; an agency's own reference, qualified by the agency,
since another agency's reference with the same digits is someone else).

A Person with no name at all (a stop-search recording only sex and date of birth, a sighting
described in a note, an alias alone) is not a mention: nothing in it can be resolved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

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


@dataclass
class Mention:
    """One Person mention as the resolver sees it, with the record it came from."""

    entity_id: str
    record_id: int
    values: dict[str, str] = field(default_factory=dict)
    subject: bool = False  # the first person of its record: whom the record is about

    def row(self) -> dict[str, str | None]:
        """Return the resolver's record for this mention."""
        return {"unique_id": self.entity_id, **self.values}

    def is_child(self, today: date) -> bool:
        """Return whether the mention's date of birth (any precision) makes them under 18."""
        dob = self.values.get("dob")
        return bool(dob) and int(str(dob)[:4]) > today.year - 18


def iter_mentions(tx: Transaction) -> Iterator[Mention]:
    """Yield the named Person mentions of every current record, with what the record links."""
    record: int | None = None
    agency = ""
    entities: dict[str, dict[str, str]] = {}
    schemas: dict[str, str] = {}
    for (
        record_id,
        entity_id,
        schema,
        prop,
        value,
        record_agency,
    ) in tx.resolution.iter_mention_statements(MENTION_PROPERTIES):
        if record_id != record and record is not None:
            yield from _record_mentions(record, agency, entities, schemas)
            entities, schemas = {}, {}
        record, agency = record_id, record_agency
        entities.setdefault(entity_id, {}).setdefault(prop, value)
        schemas[entity_id] = schema
    if record is not None:
        yield from _record_mentions(record, agency, entities, schemas)


def _names(props: dict[str, str]) -> tuple[str | None, str | None]:
    """Return (forename, surname), splitting a whole name when neither part was recorded."""
    forename, surname = props.get("forename"), props.get("surname")
    if not (forename or surname) and props.get("name"):
        parts = props["name"].split()
        forename, surname = parts[0], parts[-1] if len(parts) > 1 else None
    return forename, surname


def _linked(
    person: str, entities: dict[str, dict[str, str]], schemas: dict[str, str]
) -> dict[str, str]:
    """Return the postcode, address line and phone a record links to one person (first wins)."""
    found: dict[str, str] = {}
    for other, link_props in entities.items():
        kind = schemas[other]
        if kind == "ResidesAt" and link_props.get("resident") == person:
            address = entities.get(link_props.get("address", ""), {})
            for key, prop in (("postcode", "postcode"), ("address", "full")):
                if address.get(prop):
                    found.setdefault(key, address[prop])
        elif kind == "UsesPhone" and link_props.get("user") == person:
            number = entities.get(link_props.get("phone", ""), {}).get("number")
            if number:
                found.setdefault("phone", number)
    return found


def _record_mentions(
    record_id: int, agency: str, entities: dict[str, dict[str, str]], schemas: dict[str, str]
) -> Iterator[Mention]:
    first = True
    for entity_id, props in entities.items():
        if schemas[entity_id] != "Person":
            continue
        forename, surname = _names(props)
        values: dict[str, str] = {}
        for key, value in (
            ("first_name", forename),
            ("surname", surname),
            ("dob", props.get("birth_date")),
            ("alias", props.get("alias")),
        ):
            if value:
                values[key] = value
        values.update(_linked(entity_id, entities, schemas))
        for name in IDENTIFIERS:
            if props.get(name):
                values[name] = f"{agency}:{props[name]}" if name in AGENCY_SCOPED else props[name]
        if forename or surname:
            yield Mention(entity_id, record_id, values, first)
        first = False  # only the record's first person is its subject
