"""Entity and relationship schemata, loaded once from the YAML beside this module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from linemap.errors import NotFound
from linemap.model import vocabulary

RELATIONSHIP_PROPERTIES: Mapping[str, str] = {
    "start_date": "date",
    "end_date": "date",
    "role": "code",
    "note": "text",
}
PROPERTY_TYPES = frozenset(
    {
        "name",
        "partial_date",
        "date",
        "timestamp",
        "postcode",
        "phone",
        "text",
        "code",
        "identifier",
        "entity",
    }
)


@dataclass(frozen=True)
class Property:
    """One property of a schema: its type and, for entity references, the schema it points to."""

    name: str
    type: str
    label: str
    range: str | None = None  # target schema of an entity reference
    vocabulary: str | None = None
    matchable: bool = False
    weak: bool = False  # never enough alone for a match (aliases, street names)
    sensitive: bool = False  # withheld from some recipient classes (R12)


@dataclass(frozen=True)
class Schema:
    """An entity or relationship type."""

    name: str
    label: str
    kind: str  # person | object | location | organisation | event | relationship
    properties: Mapping[str, Property] = field(default_factory=dict)
    symmetric: bool = False

    @property
    def is_relationship(self) -> bool:
        """Return whether this schema links two entities."""
        return self.kind == "relationship"

    @property
    def ends(self) -> tuple[Property, ...]:
        """Return the entity-reference properties of a relationship, in declared order."""
        return tuple(p for p in self.properties.values() if p.type == "entity")

    def get_property(self, name: str) -> Property:
        """Return the named property or raise NotFound listing the known ones."""
        try:
            return self.properties[name]
        except KeyError:
            known = ", ".join(sorted(self.properties))
            raise NotFound(f"{self.name} has no property {name!r}; known: {known}") from None

    def vocabulary_values(self, prop: str) -> frozenset[str] | None:
        """Return the allowed codes of a vocabulary-bound property, else None."""
        name = self.properties[prop].vocabulary
        if name is None:
            return None
        enum: type[StrEnum] = getattr(vocabulary, name)
        return frozenset(member.value for member in enum)


def _load_yaml(name: str) -> dict[str, Any]:
    text = resources.files("linemap.model").joinpath("schemata", name).read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def _entity(name: str, spec: dict[str, Any]) -> Schema:
    props = {
        key: Property(
            name=key,
            type=p["type"],
            label=p.get("label", key),
            vocabulary=p.get("vocabulary"),
            matchable=bool(p.get("matchable", False)),
            weak=bool(p.get("weak", False)),
            sensitive=bool(p.get("sensitive", False)),
        )
        for key, p in spec["properties"].items()
    }
    return Schema(name, spec.get("label", name), spec["kind"], props)


def _relationship(name: str, spec: dict[str, Any]) -> Schema:
    props = {
        end: Property(end, "entity", end.replace("_", " "), range=target)
        for end, target in spec["ends"].items()
    }
    for key, type_ in RELATIONSHIP_PROPERTIES.items():
        props[key] = Property(key, type_, key.replace("_", " "))
    return Schema(name, spec.get("label", name), "relationship", props, bool(spec.get("symmetric")))


@cache
def schemata() -> Mapping[str, Schema]:
    """Return every schema by name; loaded once and validated."""
    found = {n: _entity(n, s) for n, s in _load_yaml("entities.yaml").items()}
    found |= {n: _relationship(n, s) for n, s in _load_yaml("relationships.yaml").items()}
    for schema in found.values():
        for prop in schema.properties.values():
            assert prop.type in PROPERTY_TYPES, f"{schema.name}.{prop.name}: type {prop.type}"
            assert prop.range is None or prop.range in found, f"{schema.name}.{prop.name}"
            if prop.vocabulary:
                assert hasattr(vocabulary, prop.vocabulary), prop.vocabulary
    return found


def get_schema(name: str) -> Schema:
    """Return the schema called `name` or raise NotFound listing the known ones."""
    try:
        return schemata()[name]
    except KeyError:
        known = ", ".join(sorted(schemata()))
        raise NotFound(f"unknown schema {name!r}; known: {known}") from None
