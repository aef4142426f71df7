"""Mapping files: how one agency export's columns become entities, properties and relationships.

A mapping is YAML, validated on load with errors that name the offending key. Templates for the
exports partners keep ship in intake/templates/; a mapping may also be any file path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from linemap.errors import MappingError, NotFound
from linemap.intake.normalise import NORMALISERS
from linemap.model.schema import Property, Schema, get_schema
from linemap.model.vocabulary import AgencyKind, Basis, DataSubjectCategory

# The normaliser a property gets when its mapping names none, by property type.
DEFAULT_NORMALISER = {
    "name": "name",
    "partial_date": "date_of_birth",
    "date": "date",
    "timestamp": "timestamp",
    "postcode": "postcode",
    "phone": "phone",
    "code": "code",
    "text": "text",
    "identifier": "text",
}


class FieldSpec(BaseModel):
    """Where a value comes from: a column, a constant, or (for relationships) another entity."""

    model_config = ConfigDict(extra="forbid")

    column: str | None = None
    value: str | None = None
    entity: str | None = None
    normaliser: str | None = None
    required: bool = False
    default: str | None = None
    # The column was added in a later version of the template: older exports may lack it, and
    # a file without it reads it as blank instead of being refused.
    optional_column: bool = False

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"column": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        given = [k for k in ("column", "value", "entity") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of column, value or entity")
        if self.normaliser is not None and self.normaliser not in NORMALISERS:
            known = ", ".join(sorted(NORMALISERS))
            raise ValueError(f"unknown normaliser {self.normaliser!r}; known: {known}")
        return self


class EntitySpec(BaseModel):
    """One entity or relationship produced from each row."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_name: str = Field(alias="schema")
    subject_category: FieldSpec | None = None
    basis: Basis | None = None
    properties: dict[str, FieldSpec]

    @cached_property
    def entity_schema(self) -> Schema:
        """Return the schema this entity is an instance of."""
        return get_schema(self.schema_name)


class MarkingSpec(BaseModel):
    """Default markings for every statement of a row, each overridable by a column."""

    model_config = ConfigDict(extra="forbid")

    tlp: FieldSpec = Field(default_factory=lambda: FieldSpec(value="amber"))
    handling_code: FieldSpec = Field(default_factory=lambda: FieldSpec(value="P"))
    handling_conditions: FieldSpec | None = None
    grading: FieldSpec | None = None
    legacy_grading: FieldSpec | None = None
    review_after_days: int = Field(default=365, ge=1, le=3650)  # s.39: review at least yearly


class MappingSpec(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    version: int = 1
    agency_kinds: list[AgencyKind] = Field(default_factory=list)
    source_ref: FieldSpec
    recorded: FieldSpec | None = None
    subject_category: DataSubjectCategory = DataSubjectCategory.NOT_YET_CATEGORISED
    basis: Basis = Basis.FACT
    markings: MarkingSpec = Field(default_factory=MarkingSpec)
    entities: dict[str, EntitySpec]
    example: list[dict[str, str]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _example_as_text(cls, data: Any) -> Any:
        # YAML reads 2009 as a number and 2025-03-20 as a date; example cells are text.
        if isinstance(data, dict) and isinstance(data.get("example"), list):
            data["example"] = [
                {str(k): "" if v is None else str(v) for k, v in row.items()}
                if isinstance(row, dict)
                else row
                for row in data["example"]
            ]
        return data

    @model_validator(mode="after")
    def _coherent(self) -> MappingSpec:
        for key, spec in self.entities.items():
            _check_entity(key, spec, self.entities)
        return self

    @property
    def columns(self) -> list[str]:
        """Return every column the mapping reads, in first-use order."""
        fields = [self.source_ref, self.recorded, *self.markings_fields()]
        for spec in self.entities.values():
            fields.extend([spec.subject_category, *spec.properties.values()])
        seen: dict[str, None] = {}
        for f in fields:
            if f is not None and f.column is not None:
                seen.setdefault(f.column)
        return list(seen)

    @property
    def required_columns(self) -> list[str]:
        """Return the columns a file must have (all but those marked optional_column)."""
        optional = {
            f.column
            for spec in self.entities.values()
            for f in spec.properties.values()
            if f.optional_column
        }
        return [c for c in self.columns if c not in optional]

    def markings_fields(self) -> list[FieldSpec | None]:
        """Return the marking fields that may read a column."""
        m = self.markings
        return [m.tlp, m.handling_code, m.handling_conditions, m.grading, m.legacy_grading]

    @property
    def digest(self) -> str:
        """Return a fingerprint of the mapping's content, stored with each batch."""
        body = self.model_dump_json(exclude={"example", "description"})
        return hashlib.sha256(body.encode()).hexdigest()


def _check_entity(key: str, spec: EntitySpec, entities: Mapping[str, EntitySpec]) -> None:
    try:
        schema = spec.entity_schema
    except NotFound as error:
        raise ValueError(f"entities.{key}: {error}") from None
    for prop_name, field in spec.properties.items():
        where = f"entities.{key}.properties.{prop_name}"
        if prop_name not in schema.properties:
            known = ", ".join(sorted(schema.properties))
            raise ValueError(
                f"{where}: {schema.name} has no property {prop_name!r}; known: {known}"
            )
        _check_field(where, schema.properties[prop_name], field, entities)
    missing = [e.name for e in schema.ends if e.name not in spec.properties]
    if missing:
        raise ValueError(f"entities.{key}: relationship {schema.name} needs {', '.join(missing)}")


def _check_field(
    where: str, prop: Property, field: FieldSpec, entities: Mapping[str, EntitySpec]
) -> None:
    if prop.type == "entity":
        if field.entity is None:
            raise ValueError(f"{where}: give `entity:` naming another entity of this mapping")
        target = entities.get(field.entity)
        if target is None:
            raise ValueError(f"{where}: no entity called {field.entity!r} in this mapping")
        if target.schema_name != prop.range:
            raise ValueError(f"{where}: must name a {prop.range}, not a {target.schema_name}")
    elif field.entity is not None:
        raise ValueError(f"{where}: only relationship ends take `entity:`")


def normaliser_for(prop: Property, field: FieldSpec) -> str:
    """Return the normaliser to apply: the mapping's choice or the property type's default."""
    return field.normaliser or DEFAULT_NORMALISER[prop.type]


def _readable(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "top level"
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


def parse_mapping(text: str, origin: str) -> MappingSpec:
    """Parse and validate mapping YAML; raise MappingError naming what is wrong and where."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise MappingError(f"mapping {origin} is not valid YAML{at}; fix the file") from None
    if not isinstance(data, dict):
        raise MappingError(f"mapping {origin} must be a YAML mapping with name, entities, ...")
    try:
        return MappingSpec.model_validate(data)
    except ValidationError as error:
        raise MappingError(f"mapping {origin} is invalid: {_readable(error)}") from None


def template_names() -> list[str]:
    """Return the names of the shipped mapping templates."""
    folder = resources.files("linemap.intake") / "templates"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_mapping(name_or_path: str, search: tuple[Path, ...] = ()) -> MappingSpec:
    """Load a shipped template by name, a mapping from the search folders, or a file path."""
    if name_or_path in template_names():
        text = (resources.files("linemap.intake") / "templates" / f"{name_or_path}.yaml").read_text(
            "utf-8"
        )
        return parse_mapping(text, name_or_path)
    candidates = [Path(name_or_path)] + [d / f"{name_or_path}.yaml" for d in search]
    for path in candidates:
        if path.is_file():
            try:
                return parse_mapping(path.read_text("utf-8"), str(path))
            except UnicodeDecodeError:
                raise MappingError(f"mapping {path} is not UTF-8 text; re-save it") from None
    raise MappingError(
        f"no mapping called {name_or_path!r}: give a template name (see `linemap mapping list`) "
        "or the path of a mapping file"
    )
