"""The versioned inclusion criteria (R25): the Home Office county lines indicators, the 2023
additions, practitioner additions, vulnerability factors and cuckooing signs, loaded once from
`criteria.yaml` beside this module. A flag cites the set's reference (`id@version`) and the
criteria it rests on, so a later version never silently changes what an old flag meant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml

from linemap.errors import NotFound


class CriterionKind(StrEnum):
    """What a criterion is evidence of."""

    SIGN = "sign"  # a sign of criminal exploitation
    VULNERABILITY = "vulnerability"  # an imbalance of power; never a sign on its own
    CUCKOOING = "cuckooing"  # a sign that a vulnerable adult's home has been taken over


class EvidenceKind(StrEnum):
    """What kind of fact satisfies a criterion: the rules weigh them differently."""

    BEHAVIOUR = "behaviour"  # something the person did, or that happened to them
    ASSOCIATION = "association"  # who they are linked to: never enough alone
    CULTURE = "culture"  # slang, music, clothing: never evidence alone


@dataclass(frozen=True)
class Criterion:
    """One indicator, vulnerability factor or cuckooing sign."""

    id: str
    label: str
    kind: CriterionKind
    evidence: EvidenceKind
    since: str  # the year the criterion entered the guidance


@dataclass(frozen=True)
class CriteriaSet:
    """A published, versioned set of criteria."""

    id: str
    version: str
    published: str
    title: str
    sources: tuple[str, ...]
    criteria: Mapping[str, Criterion]

    @property
    def reference(self) -> str:
        """Return how a flag cites this set: `id@version`."""
        return f"{self.id}@{self.version}"

    def get(self, criterion_id: str) -> Criterion:
        """Return a criterion by id, or say which set lacks it."""
        found = self.criteria.get(criterion_id)
        if found is None:
            raise NotFound(
                f"no criterion {criterion_id!r} in {self.reference}; see `criteria.yaml`"
            )
        return found

    def of_kind(self, kind: CriterionKind) -> tuple[Criterion, ...]:
        """Return the criteria of one kind, in published order."""
        return tuple(c for c in self.criteria.values() if c.kind is kind)


@cache
def current() -> CriteriaSet:
    """Return the criteria set in force (loaded once)."""
    text = resources.files("linemap.assess").joinpath("criteria.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    criteria = {
        item["id"]: Criterion(
            item["id"],
            item["label"],
            CriterionKind(item["kind"]),
            EvidenceKind(item["evidence"]),
            str(item["since"]),
        )
        for item in data["criteria"]
    }
    return CriteriaSet(
        data["id"],
        str(data["version"]),
        str(data["published"]),
        data["title"],
        tuple(data["sources"]),
        MappingProxyType(criteria),
    )
