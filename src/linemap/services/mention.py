"""Person mentions as the resolver reads them: one per Person entity of every current record,
with the postcode and phone the same record links to that person."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from linemap.store.unit_of_work import Transaction


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
    """Yield the Person mentions of every current record, with linked postcode and phone."""
    record: int | None = None
    entities: dict[str, dict[str, str]] = {}
    schemas: dict[str, str] = {}
    for (
        record_id,
        entity_id,
        schema,
        prop,
        value,
        _agency,
    ) in tx.resolution.iter_mention_statements():
        if record_id != record and record is not None:
            yield from _record_mentions(record, entities, schemas)
            entities, schemas = {}, {}
        record = record_id
        entities.setdefault(entity_id, {}).setdefault(prop, value)
        schemas[entity_id] = schema
    if record is not None:
        yield from _record_mentions(record, entities, schemas)


def _record_mentions(
    record_id: int, entities: dict[str, dict[str, str]], schemas: dict[str, str]
) -> Iterator[Mention]:
    first = True
    for entity_id, props in entities.items():
        if schemas[entity_id] != "Person":
            continue
        values: dict[str, str] = {}
        forename, surname = props.get("forename"), props.get("surname")
        if not (forename or surname) and props.get("name"):
            parts = props["name"].split()
            forename, surname = parts[0], parts[-1] if len(parts) > 1 else None
        for key, value in (
            ("first_name", forename),
            ("surname", surname),
            ("dob", props.get("birth_date")),
            ("alias", props.get("alias")),
        ):
            if value:
                values[key] = value
        for other, link_props in entities.items():
            kind = schemas[other]
            if kind == "ResidesAt" and link_props.get("resident") == entity_id:
                postcode = entities.get(link_props.get("address", ""), {}).get("postcode")
                if postcode:
                    values.setdefault("postcode", postcode)
            elif kind == "UsesPhone" and link_props.get("user") == entity_id:
                number = entities.get(link_props.get("phone", ""), {}).get("number")
                if number:
                    values.setdefault("phone", number)
        if values.get("first_name") or values.get("surname"):
            yield Mention(entity_id, record_id, values, first)
        first = False  # only the record's first person is its subject
