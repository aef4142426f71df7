"""Statements: every value linemap holds, with where it came from and how it may be used.

After followthemoney/nomenklatura's statement model, extended with UK 3x5x2 grading, handling
code, TLP, the DPA 2018 s.38(3) data-subject category, the s.38(2) basis and a review-by date.
Those qualifiers are shared by many statements and stored once (`Qualifier`).
"""

from __future__ import annotations

from dataclasses import dataclass

QualifierKey = tuple[
    str | None, str | None, str, str | None, str | None, str, str | None, str, str | None
]


@dataclass(frozen=True, slots=True)
class Qualifier:
    """How a statement may be used and how far it can be relied on."""

    source_evaluation: str | None  # 3x5x2 source 1-3
    intelligence_assessment: str | None  # 3x5x2 intelligence A-E
    handling_code: str  # P or C
    handling_conditions: str | None  # mandatory with C
    legacy_grading: str | None  # 5x5x5 as recorded, never converted
    tlp: str  # TLP 2.0
    subject_category: str | None  # DPA 2018 s.38(3)
    basis: str  # fact | personal_assessment (s.38(2))
    review_by: str | None  # ISO date (s.39)

    @property
    def key(self) -> QualifierKey:
        """Return the fields as a tuple, in storage order."""
        return (
            self.source_evaluation,
            self.intelligence_assessment,
            self.handling_code,
            self.handling_conditions,
            self.legacy_grading,
            self.tlp,
            self.subject_category,
            self.basis,
            self.review_by,
        )


QUALIFIER_COLUMNS = tuple(Qualifier.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Statement:
    """One value about one entity, as asserted by one source record of one agency."""

    id: int
    entity_id: str
    schema: str
    prop: str
    value: str
    original_value: str  # as the agency recorded it
    source_record_id: int
    agency: str
    recorded_at: str | None
    first_seen: str | None
    last_seen: str | None
    qualifier: Qualifier


# Storage order of a source record version and of a statement, shared by the ingest (which
# builds the rows) and the store (which writes them).
RECORD_COLUMNS = (
    "id",
    "agency_id",
    "source_ref",
    "version",
    "batch_id",
    "row_number",
    "content_hash",
    "recorded_at",
    "first_statement_id",
    "statement_count",
    "supersedes_id",
)
STATEMENT_COLUMNS = (
    "id",
    "source_record_id",
    "entity_key",
    "schema",
    "prop",
    "value",
    "original_value",
    "first_seen",
    "qualifier_id",
)


@dataclass(frozen=True, slots=True)
class KnownVersion:
    """What an ingest needs to know of the newest stored version of a source record."""

    id: int
    version: int
    content_hash: bytes
    erased: bool


def make_entity_id(agency_code: str, source_ref: str, key: str) -> str:
    """Build the stable id of an entity mentioned in a source record (same across versions)."""
    return f"{agency_code}:{source_ref}#{key}"
