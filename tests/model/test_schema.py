"""POLE schemata load from YAML and hang together."""

from __future__ import annotations

import pytest

from linemap.errors import NotFound
from linemap.model.schema import get_schema, schemata


def test_pole_entities_and_relationships_exist() -> None:
    names = set(schemata())
    assert {"Person", "Phone", "Handset", "Vehicle", "Address", "Organisation", "Event"} <= names
    assert {
        "ResidesAt",
        "PlacedAt",
        "Attends",
        "UsesPhone",
        "AssociateOf",
        "ParticipantIn",
    } <= names


def test_relationships_are_typed_and_time_bounded() -> None:
    resides = get_schema("ResidesAt")
    assert resides.is_relationship
    assert [(e.name, e.range) for e in resides.ends] == [
        ("resident", "Person"),
        ("address", "Address"),
    ]
    assert {"start_date", "end_date", "role"} <= set(resides.properties)
    assert get_schema("AssociateOf").symmetric


def test_aliases_are_weak_and_vocabularies_bound() -> None:
    person = get_schema("Person")
    assert person.properties["alias"].weak
    assert person.properties["ethnicity"].sensitive
    kinds = get_schema("Address").vocabulary_values("location_kind")
    assert kinds is not None
    assert {"childrens_home", "trap_house", "school"} <= kinds


def test_unknown_names_say_what_is_known() -> None:
    with pytest.raises(NotFound, match="known:"):
        get_schema("Persn")
    with pytest.raises(NotFound, match="known:"):
        get_schema("Person").get_property("surnme")
