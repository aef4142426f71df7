"""Every shipped mapping template loads, fits its own example rows and maps them cleanly.

The example rows are the synthetic data partners see from `linemap mapping template`, so a
template whose examples do not ingest would teach partners a broken export.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linemap.cli.main import app
from linemap.intake.mapping import MappingSpec, load_mapping, template_names
from linemap.intake.reader import Row
from linemap.intake.transform import Accepted, RowPlan
from linemap.model.schema import get_schema

NAMES = template_names()
TODAY = date(2026, 1, 1)
# Positions in Accepted.statements: (entity key, schema, prop, value, original, qualifier).
ENTITY_KEY, SCHEMA, PROP, VALUE = 0, 1, 2, 3


def mapped(mapping: MappingSpec) -> list[tuple[int, Accepted]]:
    """Apply the mapping to each of its example rows; fail naming every problem found."""
    plan = RowPlan(mapping, "TEST", TODAY)
    out = []
    for number, values in enumerate(mapping.example, start=2):
        result = plan.apply(Row(number, values))
        assert isinstance(result, Accepted), f"{mapping.name} example row {number}: {result}"
        out.append((number, result))
    return out


@pytest.fixture(scope="module", params=NAMES)
def mapping(request: pytest.FixtureRequest) -> MappingSpec:
    return load_mapping(request.param)


# Exports about children in care, school, missing, youth justice, A&E or MACE contexts.
CHILD_CONTEXTS = {
    "missing-episode",
    "social-care-case",
    "school-attendance",
    "youth-justice-caseload",
    "ae-assault",
    "mace-tracker",
    "social-care-referral",
}
REPORTER_WORDS = ("reporter", "reported by", "referrer", "caller", "informant", "complainant")


def test_the_expected_templates_ship() -> None:
    assert {
        "police-intelligence",
        "person-register",
        "custody-arrest",
        "community-concern",
        "housing-asb-cuckooing",
        "probation-caseload",
        "stop-search",
    } | CHILD_CONTEXTS <= set(NAMES)


def test_template_name_matches_its_file(mapping: MappingSpec) -> None:
    assert mapping.name in NAMES
    assert mapping.title
    assert mapping.description


def test_examples_cover_exactly_the_columns(mapping: MappingSpec) -> None:
    assert len(mapping.example) >= 2, "give partners a few example rows"
    for number, row in enumerate(mapping.example, start=2):
        assert set(row) == set(mapping.columns), (
            f"example row {number}: missing {sorted(set(mapping.columns) - set(row))}, "
            f"unread {sorted(set(row) - set(mapping.columns))}"
        )


def test_examples_leave_an_optional_column_blank(mapping: MappingSpec) -> None:
    assert any(not v.strip() for row in mapping.example for v in row.values())


def test_every_example_row_is_accepted(mapping: MappingSpec) -> None:
    assert len(mapped(mapping)) == len(mapping.example)


def test_every_person_statement_has_a_subject_category(mapping: MappingSpec) -> None:
    for number, result in mapped(mapping):
        for statement in result.statements:
            if get_schema(str(statement[SCHEMA])).kind == "person":
                assert statement[5][6], f"row {number}: {statement[PROP]} has no category"


def test_children_are_never_mapped_as_suspects(mapping: MappingSpec) -> None:
    if mapping.name not in CHILD_CONTEXTS:
        return
    for number, result in mapped(mapping):
        categories = {s[5][6] for s in result.statements if s[5][6] is not None}
        assert "suspect" not in categories, f"row {number} maps someone as a suspect"


def test_no_template_reads_who_reported(mapping: MappingSpec) -> None:
    # R16: reporters are held apart by the partner and never enter shared data.
    for column in mapping.columns:
        assert not any(word in column.lower() for word in REPORTER_WORDS), column


def test_relationships_point_at_entities_of_the_same_row(mapping: MappingSpec) -> None:
    for number, result in mapped(mapping):
        ids = {
            f"TEST:{result.source_ref}#{s[ENTITY_KEY]}"
            for s in result.statements
            if not get_schema(str(s[SCHEMA])).is_relationship
        }
        for s in result.statements:
            schema = get_schema(str(s[SCHEMA]))
            if schema.is_relationship and schema.properties[str(s[PROP])].type == "entity":
                assert s[VALUE] in ids, f"row {number}: {schema.name}.{s[PROP]} dangles"


def test_no_entity_is_made_of_constants_alone(mapping: MappingSpec) -> None:
    # A constant or default (event_kind: arrest) on an entity whose cells are all blank would
    # invent an event or place the row never mentioned; such an entity needs a required column.
    # A column is never blank in an accepted row if any field reading it is required.
    fields = [mapping.source_ref, mapping.recorded]
    fields += [f for spec in mapping.entities.values() for f in spec.properties.values()]
    required = {
        f.column for f in fields if f is not None and (f.required or f is mapping.source_ref)
    }
    for key, spec in mapping.entities.items():
        if get_schema(spec.schema_name).is_relationship:
            continue
        if any(f.value is not None or f.default for f in spec.properties.values()):
            assert any(f.column in required for f in spec.properties.values()), (
                f"entities.{key} has a constant but no required column"
            )
    for number, result in mapped(mapping):
        mentioned = {s[ENTITY_KEY] for s in result.statements}
        for key in mentioned:
            spec = mapping.entities[str(key)]
            if spec.entity_schema.is_relationship:
                continue
            columns = {p for p, f in spec.properties.items() if f.column is not None}
            props = {s[PROP] for s in result.statements if s[ENTITY_KEY] == key}
            assert props & columns, f"row {number}: entities.{key} is made of constants alone"


def test_mapping_list_names_exactly_the_templates() -> None:
    result = CliRunner().invoke(app, ["mapping", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_mapping_template_writes_the_columns(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.csv"
    result = CliRunner().invoke(app, ["mapping", "template", name, "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    mapping = load_mapping(name)
    assert rows[0] == mapping.columns
    assert len(rows) == 1 + len(mapping.example)


def _by_entity(result: Accepted) -> dict[str, dict[str, set[str]]]:
    """Return {entity key: {property: values}} for one mapped row."""
    found: dict[str, dict[str, set[str]]] = {}
    for s in result.statements:
        found.setdefault(str(s[ENTITY_KEY]), {}).setdefault(str(s[PROP]), set()).add(str(s[VALUE]))
    return found


def _categories(result: Accepted) -> set[str]:
    return {str(s[5][6]) for s in result.statements if get_schema(str(s[SCHEMA])).kind == "person"}


def test_custody_links_a_seized_handset_to_its_number_and_the_arrest() -> None:
    mapping = load_mapping("custody-arrest")
    rows = {n: _by_entity(r) for n, r in mapped(mapping)}
    with_phone, with_handset_only = rows[2], rows[4]
    assert with_phone["handset"]["imei"] == {"001017420358270"}
    assert with_phone["phone_in_handset"]["phone"] == {"TEST:KE/25/004512#phone"}
    assert with_phone["phone_in_handset"]["handset"] == {"TEST:KE/25/004512#handset"}
    assert with_phone["handset_seized"]["event"] == {"TEST:KE/25/004512#arrest"}
    # A handset seized without a known number still belongs to the arrest.
    assert "phone" not in with_handset_only
    assert "phone_in_handset" not in with_handset_only
    assert with_handset_only["handset_seized"]["handset"] == {"TEST:KE/25/004633#handset"}
    assert "handset" not in rows[3]


def test_stop_and_search_is_an_event_and_the_person_searched_is_not_a_suspect() -> None:
    mapping = load_mapping("stop-search")
    for number, result in mapped(mapping):
        entities = _by_entity(result)
        assert entities["search"]["event_kind"] == {"stop_and_search"}, number
        assert entities["search"]["legislation"], number
        assert _categories(result) <= {"other"}, number
    first = _by_entity(mapped(mapping)[0][1])
    assert first["phone_found"]["role"] == {"found"}
    assert first["searched"]["surname"] == {"example"}


def test_a_referral_is_an_event_about_a_child_who_may_be_a_victim() -> None:
    mapping = load_mapping("social-care-referral")
    for number, result in mapped(mapping):
        entities = _by_entity(result)
        assert entities["referral"]["event_kind"] == {"referral"}, number
        assert entities["child_in_referral"]["role"] == {"referred_child"}, number
        assert _categories(result) == {"victim"}, number
    first = _by_entity(mapped(mapping)[0][1])
    assert first["referral"]["referral_source"] == {"police"}
    assert first["referral"]["summary"] == {"Criminal exploitation"}
