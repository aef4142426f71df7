"""Apply a mapping to one row: statements with provenance, or the reasons the row is refused."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from linemap.errors import InvalidInput
from linemap.intake.mapping import FieldSpec, MappingSpec, normaliser_for
from linemap.intake.normalise import (
    MissingValue,
    Normalised,
    NormaliseError,
    Normaliser,
    get_normaliser,
)
from linemap.intake.reader import Row
from linemap.model.grading import Grading, LegacyGrading
from linemap.model.statement import QualifierKey, make_entity_id
from linemap.model.vocabulary import DataSubjectCategory, HandlingCode, Tlp

Problem = tuple[str, str]  # (column, reason); never the value
MEMO_SIZE = 4096  # normalised values remembered per mapped property


@dataclass(frozen=True, slots=True)
class Accepted:
    """A row that maps cleanly: its reference, fingerprint and statement rows."""

    number: int
    source_ref: str
    content_hash: bytes
    recorded_at: str | None
    # (entity key, schema, property, value, original or None when identical, qualifier key)
    statements: list[tuple[str, str, str, str, str | None, QualifierKey]]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row refused with every reason found."""

    number: int
    problems: list[Problem]
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _PropertyPlan:
    prop: str
    normalise: Normaliser
    vocabulary: frozenset[str] | None
    allowed_extra: frozenset[str]
    # The field's settings, copied out so the per-cell path reads plain slots.
    column: str | None = None
    constant: str = ""
    default: str = ""
    required: bool = False
    # Normalisers are pure and agency exports repeat values (sexes, dates, common names).
    memo: dict[str, Normalised] = dataclasses.field(default_factory=dict)

    @classmethod
    def make(
        cls,
        prop: str,
        field: FieldSpec,
        normalise: Normaliser,
        vocabulary: frozenset[str] | None,
        allowed_extra: frozenset[str],
    ) -> _PropertyPlan:
        """Build a plan with the field's settings copied out."""
        return cls(
            prop,
            normalise,
            vocabulary,
            allowed_extra,
            field.column,
            field.value or "",
            field.default or "",
            field.required,
        )


@dataclass(frozen=True, slots=True)
class _EntityPlan:
    key: str
    schema: str
    is_person: bool
    properties: tuple[_PropertyPlan, ...]
    ends: tuple[tuple[str, str], ...]  # (property, entity key)
    category: FieldSpec | None
    basis: str


class RowPlan:
    """A mapping compiled once for fast application to every row of a file."""

    def __init__(self, mapping: MappingSpec, agency_code: str, today: date) -> None:
        self.mapping = mapping
        self.agency_code = agency_code
        self.today = today.isoformat()
        self.columns = mapping.columns
        self.entities = [self._plan(key, mapping) for key in mapping.entities]
        self.review_after = timedelta(days=mapping.markings.review_after_days)
        self.recorded = _plain(mapping.recorded, "date")
        self._marking_fields = mapping.markings_fields()
        self._markings: dict[tuple[object, ...], tuple[tuple[object, ...], list[Problem]]] = {}

    @staticmethod
    def _plan(key: str, mapping: MappingSpec) -> _EntityPlan:
        spec = mapping.entities[key]
        schema = spec.entity_schema
        props, ends = [], []
        for name, field in spec.properties.items():
            prop = schema.properties[name]
            if prop.type == "entity":
                ends.append((name, field.entity or ""))
                continue
            props.append(
                _PropertyPlan.make(
                    name,
                    field,
                    get_normaliser(normaliser_for(prop, field)),
                    schema.vocabulary_values(name),
                    frozenset(schema.properties),
                )
            )
        return _EntityPlan(
            key,
            schema.name,
            schema.kind == "person",
            tuple(props),
            tuple(ends),
            spec.subject_category,
            (spec.basis or mapping.basis).value,
        )

    def apply(self, row: Row) -> Accepted | Rejected:
        """Map one row, collecting every problem rather than stopping at the first."""
        problems: list[Problem] = []
        if row.problem:
            return Rejected(row.number, [("", row.problem)], row.values)
        values = row.values
        ref_field = self.mapping.source_ref
        source_ref = _cell(values, ref_field)
        if not source_ref:
            problems.append((ref_field.column or "", "the record reference is empty"))
        recorded = _apply(self.recorded, values, problems) if self.recorded else None
        head = self._marking(values, recorded, problems)
        statements = self._statements(source_ref, values, head, problems)
        if problems:
            return Rejected(row.number, problems, values)
        digest = hashlib.blake2b(
            "\x1f".join([values.get(c, "") for c in self.columns]).encode(), digest_size=16
        ).digest()
        return Accepted(row.number, source_ref, digest, recorded, statements)

    def _marking(
        self, values: Mapping[str, str], recorded: str | None, problems: list[Problem]
    ) -> tuple[object, ...]:
        """Return grading, handling, TLP and review date; rows share few, so cache them."""
        cells = tuple([_cell(values, f) for f in self._marking_fields])
        cached = self._markings.get((cells, recorded))
        if cached is None:
            found: list[Problem] = []
            cached = (self._make_marking(cells, recorded, found), found)
            if len(self._markings) < MEMO_SIZE * 16:  # bounded: conditions text can vary by row
                self._markings[(cells, recorded)] = cached
        problems.extend(cached[1])
        return cached[0]

    def _make_marking(
        self, cells: tuple[str, ...], recorded: str | None, problems: list[Problem]
    ) -> tuple[object, ...]:
        m = self.mapping.markings
        tlp_text, handling_text, conditions, grade, legacy_text = cells
        grading: Grading | None = None
        legacy: LegacyGrading | None = None
        handling = HandlingCode.P
        tlp = Tlp.AMBER
        try:
            tlp = Tlp.parse(tlp_text or "amber")
        except ValueError:
            problems.append(
                (
                    m.tlp.column or "",
                    "unknown TLP label; use clear, green, amber, amber+strict or red",
                )
            )
        try:
            if grade:
                grading = Grading.parse(grade, conditions=conditions or None)
                handling = grading.handling
            else:
                handling = HandlingCode((handling_text or "P").upper())
                if handling is HandlingCode.C and not conditions:
                    raise InvalidInput("handling code C needs its conditions stated")
            legacy = LegacyGrading.parse(legacy_text) if legacy_text else None
        except InvalidInput as error:
            column = (m.grading or m.handling_code).column or ""
            problems.append((column, str(error)))
        except ValueError:
            problems.append((m.handling_code.column or "", "handling code must be P or C"))
        base = date.fromisoformat(recorded) if recorded and len(recorded) == 10 else None
        review_by = ((base or date.fromisoformat(self.today)) + self.review_after).isoformat()
        return (
            grading.source.value if grading else None,
            grading.intelligence.value if grading else None,
            handling.value,
            conditions or None,
            legacy.code if legacy else None,
            tlp.value,
            review_by,
        )

    def _statements(
        self,
        source_ref: str,
        values: Mapping[str, str],
        marking: tuple[object, ...],
        problems: list[Problem],
    ) -> list[tuple[str, str, str, str, str | None, QualifierKey]]:
        grading, review_by = marking[:6], marking[6]
        out: list[tuple[str, str, str, str, str | None, QualifierKey]] = []
        present: set[str] = set()  # keys of the entities this row mentions
        person_category: str | None = None
        prefix = make_entity_id(self.agency_code, source_ref, "")
        for plan in self.entities:
            if plan.ends and not all(end in present for _, end in plan.ends):
                continue  # a relationship needs both ends in this row
            cells: list[tuple[str, str, str | None]] = []
            from_columns = False
            for p in plan.properties:
                if p.column is not None and not p.default and not values.get(p.column):
                    if p.required:  # the common empty cell, without a call
                        problems.append((p.column, "a required value is missing"))
                    continue
                before = len(cells)
                _property_values(p, values, problems, cells)
                from_columns = from_columns or (p.column is not None and len(cells) > before)
            # An entity is mentioned only if the row has a value for it: constants alone
            # (event_kind: arrest) must not invent an event the row never recorded.
            if not (plan.ends or from_columns):
                continue
            category = self._category(plan, values, problems, person_category)
            if plan.is_person and person_category is None:
                person_category = category
            qualifier: QualifierKey = (*grading, category, plan.basis, review_by)  # type: ignore[assignment]
            key, schema = plan.key, plan.schema
            out += [(key, schema, prop, prefix + end, None, qualifier) for prop, end in plan.ends]
            out += [(key, schema, prop, v, o, qualifier) for prop, v, o in cells]
            present.add(key)
        return out

    def _category(
        self,
        plan: _EntityPlan,
        values: Mapping[str, str],
        problems: list[Problem],
        person_category: str | None,
    ) -> str | None:
        text = _cell(values, plan.category) if plan.category is not None else ""
        if text:
            try:
                return DataSubjectCategory(text.strip().lower()).value
            except ValueError:
                choices = ", ".join(c.value for c in DataSubjectCategory)
                column = plan.category.column if plan.category else ""
                problems.append(
                    (column or "", f"unknown data-subject category; use one of {choices}")
                )
                return None
        if plan.is_person:
            return self.mapping.subject_category.value
        return person_category if plan.ends else None


def _cell(values: Mapping[str, str], field: FieldSpec | None) -> str:
    if field is None:
        return ""
    if field.column is not None:
        return values.get(field.column, "").strip() or (field.default or "")
    return field.value or ""


def _plain(field: FieldSpec | None, default_normaliser: str) -> _PropertyPlan | None:
    if field is None:
        return None
    normaliser = get_normaliser(field.normaliser or default_normaliser)
    return _PropertyPlan.make("", field, normaliser, None, frozenset())


def _apply(plan: _PropertyPlan, values: Mapping[str, str], problems: list[Problem]) -> str | None:
    found: list[tuple[str, str, str | None]] = []
    _property_values(plan, values, problems, found)
    return found[0][1] if found else None


def _property_values(
    plan: _PropertyPlan,
    values: Mapping[str, str],
    problems: list[Problem],
    found: list[tuple[str, str, str | None]],
) -> None:
    """Append (property, value, original) for a cell and the properties derived from it."""
    column = plan.column
    raw = (values.get(column, "") or plan.default) if column is not None else plan.constant
    if not raw:
        if plan.required:
            problems.append((column or "", "a required value is missing"))
        return
    result = plan.memo.get(raw)
    try:
        if result is None:
            result = plan.normalise(raw)
            if len(plan.memo) < MEMO_SIZE:
                plan.memo[raw] = result
    except MissingValue:
        if plan.required:
            problems.append((column or "", "a required value is marked as unknown"))
        return
    except NormaliseError as error:
        problems.append((column or "", str(error)))
        return
    value = result.value
    if plan.vocabulary is not None and value not in plan.vocabulary:
        choices = ", ".join(sorted(plan.vocabulary))
        problems.append((column or "", f"unknown {plan.prop}; use one of {choices}"))
        return
    # The recorded form is kept only where it differs: most values arrive already normalised.
    found.append((plan.prop, value, raw if raw != value else None))
    if result.extra:
        for key, derived in result.extra.items():
            if key in plan.allowed_extra:
                found.append((key, derived, raw if raw != derived else None))
