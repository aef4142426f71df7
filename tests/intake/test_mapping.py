"""Mapping files are validated on load with errors that say where and what."""

from __future__ import annotations

from pathlib import Path

import pytest

from linemap.errors import MappingError
from linemap.intake.mapping import load_mapping, parse_mapping

GOOD = """
name: tiny
title: Tiny export
source_ref: ref
entities:
  person:
    schema: Person
    properties:
      surname: {column: surname, required: true}
      birth_date: dob
  phone:
    schema: Phone
    properties:
      number: {column: phone}
  use:
    schema: UsesPhone
    properties:
      user: {entity: person}
      phone: {entity: phone}
"""


def test_a_good_mapping_loads_with_its_columns() -> None:
    mapping = parse_mapping(GOOD, "tiny.yaml")
    assert mapping.columns == ["ref", "surname", "dob", "phone"]
    assert len(mapping.digest) == 64


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("surname: {column", "surnme: {column"), "Person has no property 'surnme'"),
        (("schema: Phone", "schema: Fone"), "unknown schema 'Fone'"),
        (("{column: phone}", "{column: phone, normaliser: telephone}"), "unknown normaliser"),
        (("phone: {entity: phone}", "phone: {entity: person}"), "must name a Phone"),
        (("phone: {entity: phone}", "phone: {entity: nobody}"), "no entity called 'nobody'"),
        (("      phone: {entity: phone}\n", ""), "relationship UsesPhone needs phone"),
        (
            ("{column: phone}", "{column: phone, value: x}"),
            "exactly one of column, value or entity",
        ),
        (("title: Tiny export", "title: Tiny export\ncolour: blue"), "colour"),
        (("name: tiny", "name: Tiny Name"), "name"),
    ],
)
def test_invalid_mappings_name_the_problem(change: tuple[str, str], message: str) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(MappingError, match=message):
        parse_mapping(text, "tiny.yaml")


def test_not_yaml_gives_the_line() -> None:
    with pytest.raises(MappingError, match="not valid YAML at line"):
        parse_mapping("name: [unclosed\n", "bad.yaml")


def test_load_by_path_and_search_folder(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(GOOD, encoding="utf-8")
    assert load_mapping(str(tmp_path / "tiny.yaml")).name == "tiny"
    assert load_mapping("tiny", (tmp_path,)).name == "tiny"
    with pytest.raises(MappingError, match="linemap mapping list"):
        load_mapping("absent", (tmp_path,))


def test_optional_column_may_be_absent_but_others_may_not() -> None:
    from linemap.intake.mapping import load_mapping

    custody = load_mapping("custody-arrest")
    assert "Handset IMEI" in custody.columns
    assert "Handset IMEI" not in custody.required_columns
    assert "Custody Number" in custody.required_columns
