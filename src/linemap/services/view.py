"""What a reader is shown: statements with provenance, entities, profiles and record views.

Plain values built by the casework services after the access policy and minimisation ran;
the pages and the API render them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """One statement as a reader may see it, with its provenance and markings."""

    prop: str
    label: str
    value: str
    as_recorded: str
    agency: str
    recorded_at: str | None
    grading: str | None
    handling: str
    conditions: str | None
    tlp: str
    category: str | None
    basis: str
    review_by: str | None

    @property
    def assessment(self) -> bool:
        """Return whether this is a personal assessment rather than a fact (s.38(2))."""
        return self.basis == "personal_assessment"


@dataclass(frozen=True)
class Entity:
    """An entity of a source record as a reader may see it."""

    id: str
    schema: str
    label: str
    record_id: int
    agency: str
    properties: dict[str, list[Shown]]

    def first(self, prop: str) -> str | None:
        """Return the first shown value of a property, if any."""
        values = self.properties.get(prop)
        return values[0].value if values else None


@dataclass(frozen=True)
class Discovery:
    """That an agency holds something the reader may not see, and whom to ask."""

    agency: str
    name: str
    contact: str | None
    records: int


@dataclass(frozen=True)
class SearchResult:
    """What a search shows: the hits the reader may open, and discoveries for the rest."""

    hits: list[Entity]
    discoveries: list[Discovery]
    truncated: bool


@dataclass(frozen=True)
class ChronologyEntry:
    """An event in a person's chronology."""

    event: Entity
    day: str | None


@dataclass(frozen=True)
class Profile:
    """A person as the reader may see them: statements by property, links and chronology."""

    person: Entity
    linked: list[tuple[str, Entity]]
    chronology: list[ChronologyEntry]
    conditions: tuple[str, ...]
    isa: str | None  # the agreements under which other agencies' records are shown
    withheld: int = 0
    records: tuple[int, ...] = ()  # the records shown together
    discoveries: tuple[Discovery, ...] = ()  # agencies holding records of theirs not shown
    tlp: str = "clear"  # the most restrictive marking of the records shown (R14)


@dataclass(frozen=True)
class RecordView:
    """One source record version as the reader may see it."""

    record_id: int
    agency: str
    source_ref: str
    version: int
    kind: str
    recorded_at: str | None
    entities: list[Entity]
    conditions: tuple[str, ...]
    isa: str | None
    withheld: int = 0


@dataclass(frozen=True)
class Disclosure:
    """A record exported out of linemap: its id, watermark and the view that was disclosed."""

    id: str
    watermark: str
    view: RecordView
