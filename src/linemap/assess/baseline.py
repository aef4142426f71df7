"""The equality baseline file (R24): a published, versioned distribution of ethnic group, sex
and age band that equality monitoring compares flags and map roles with (`assess.equality`).

A baseline names its sources, the alert rule, and for each dimension the Person properties it
reads, its groups (with their share of the baseline population, or none: shown only, never
tested) and its code lists: the values agencies record, normalised as intake normalises codes,
each mapped to one group or to "not recorded". A value no list names is never guessed: it is
counted as NOT_MAPPED. A file that is wrong is refused with what is wrong and how to put it
right. The packaged baseline (`equality-baseline.yaml`) is read here, once; a configured file
is read by the service and parsed here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from linemap.errors import ConfigurationError

PACKAGED = "equality-baseline.yaml"
NOT_RECORDED = "not_recorded"
NOT_MAPPED = "not_mapped"
DISPUTED = "disputed"
IMPRECISE = "imprecise"
SPECIAL = {
    NOT_RECORDED: "Not recorded",
    NOT_MAPPED: "Recorded, but not in the baseline's code list",
    DISPUTED: "Records disagree (no single most frequent value)",
    IMPRECISE: "Date of birth too imprecise for one band",
}
DIMENSIONS = ("ethnicity", "sex", "age")


@dataclass(frozen=True)
class Group:
    """A category of a dimension: an ethnic group, a sex, an age band (`low`-`high` years)."""

    id: str
    label: str
    share: float | None  # of the baseline population; None: shown only, never tested
    low: int | None = None
    high: int | None = None  # inclusive; None: and over


@dataclass(frozen=True)
class Dimension:
    """Ethnicity, sex or age: the Person properties it reads and its groups."""

    name: str
    label: str
    kind: str  # "code" (codes map to groups) or "age" (birth dates fall in bands)
    properties: tuple[str, ...]
    groups: tuple[Group, ...]
    codes: Mapping[str, str]  # recorded code, normalised -> group id (or NOT_RECORDED)
    reference: str | None  # the group relative rates are taken against
    source: str

    @property
    def special(self) -> tuple[str, ...]:
        """Return the categories of values outside the groups, in the order shown."""
        return (NOT_RECORDED, NOT_MAPPED, DISPUTED) + ((IMPRECISE,) if self.kind == "age" else ())


@dataclass(frozen=True)
class AlertRule:
    """When a distribution departs from its baseline (see `assess.equality`)."""

    alpha: float = 0.01
    low: float = 0.8
    high: float = 1.25
    min_people: int = 30
    min_cell: int = 5


@dataclass(frozen=True)
class Baseline:
    """A published, versioned baseline."""

    id: str
    version: str
    published: str
    title: str
    sources: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    alert: AlertRule

    @property
    def reference(self) -> str:
        """Return how a view cites this baseline: `id@version`."""
        return f"{self.id}@{self.version}"


def code(text: str) -> str:
    """Normalise a recorded code as intake does: "White British" -> "white_british"."""
    text = unicodedata.normalize("NFKD", text.lower().replace("'", "").replace("\u2019", ""))
    return re.sub(r"[^a-z0-9]+", "_", text.encode("ascii", "ignore").decode()).strip("_")


@cache
def packaged() -> Baseline:
    """Return the packaged baseline (read once)."""
    text = resources.files("linemap.assess").joinpath(PACKAGED).read_text("utf-8")
    return parse_baseline(text, "the packaged baseline")


def parse_baseline(text: str, origin: str) -> Baseline:
    """Read a baseline from YAML text, or say what is wrong with it and how to put it right."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise _bad(origin, f"is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise _bad(origin, "is not a mapping of id, version, sources, alert and dimensions")
    try:
        dims = data["dimensions"]
        missing = [name for name in DIMENSIONS if name not in dims]
        if missing:
            raise _bad(origin, f"has no dimension {', '.join(missing)}")
        sources = data["sources"]
        if not isinstance(sources, list) or not sources:
            raise _bad(origin, "names no sources: cite where the figures come from")
        return Baseline(
            str(data["id"]),
            str(data["version"]),
            str(data.get("published", "")),
            str(data.get("title", data["id"])),
            tuple(str(s) for s in sources),
            tuple(_dimension(origin, name, dims[name]) for name in DIMENSIONS),
            _rule(origin, data.get("alert") or {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        detail = (
            f"lacks {error}" if isinstance(error, KeyError) else "has a value of the wrong kind"
        )
        raise _bad(origin, detail) from None


def _bad(origin: str, problem: str) -> ConfigurationError:
    return ConfigurationError(
        f"the equality baseline ({origin}) {problem}; correct it (see docs/topics/equality.md)"
        " or unset LINEMAP_EQUALITY_BASELINE to use the packaged baseline"
    )


def _dimension(origin: str, name: str, data: Mapping[str, Any]) -> Dimension:
    kind = str(data.get("kind", "code"))
    if kind not in ("code", "age"):
        raise _bad(origin, f"gives {name} the kind {kind!r}: use code or age")
    groups = tuple(
        Group(
            str(g["id"]),
            str(g["label"]),
            None if g.get("share") is None else float(g["share"]),
            None if g.get("from") is None else int(g["from"]),
            None if g.get("to") is None else int(g["to"]),
        )
        for g in data["groups"]
    )
    ids = [g.id for g in groups]
    if len(set(ids)) != len(ids) or set(ids) & set(SPECIAL) or len(ids) < 2:
        raise _bad(origin, f"needs two or more {name} groups with distinct, unreserved ids")
    shares = [g.share for g in groups if g.share is not None]
    if any(s <= 0 for s in shares) or (shares and abs(sum(shares) - 1) > 0.02):
        raise _bad(origin, f"gives {name} shares that are not positive or do not sum to 1")
    if kind == "age" and any(g.low is None or (g.high or g.low) < g.low for g in groups):
        raise _bad(origin, "gives an age band without `from`, or ending before it starts")
    codes = _codes(origin, name, ids, data.get("codes") or {})
    reference = str(data["reference"]) if data.get("reference") else None
    if reference and reference not in {g.id for g in groups if g.share is not None}:
        raise _bad(origin, f"takes {name} rates against {reference!r}, not a group with a share")
    return Dimension(
        name,
        str(data.get("label", name.capitalize())),
        kind,
        tuple(str(p) for p in data["properties"]),
        groups,
        codes,
        reference,
        str(data.get("source", "")),
    )


def _codes(origin: str, name: str, ids: list[str], listed: Mapping[Any, Any]) -> Mapping[str, str]:
    """Return a dimension's code lists as one mapping: normalised code -> group id."""
    codes: dict[str, str] = {}
    for group_id, items in listed.items():
        if str(group_id) not in {*ids, NOT_RECORDED}:
            raise _bad(origin, f"maps {name} codes to {group_id!r}, which is not a group")
        for item in items:
            if codes.setdefault(code(str(item)), str(group_id)) != str(group_id):
                raise _bad(origin, f"maps the {name} code {item!r} to two groups")
    return MappingProxyType(codes)


def _rule(origin: str, data: Mapping[str, Any]) -> AlertRule:
    known = {name: type(getattr(AlertRule, name)) for name in AlertRule.__dataclass_fields__}
    if unknown := sorted(set(data) - set(known)):
        raise _bad(origin, f"has unknown alert settings {', '.join(map(str, unknown))}")
    rule = AlertRule(**{k: known[k](v) for k, v in data.items()})
    if not (0 < rule.alpha < 0.5 and rule.low < 1 < rule.high and rule.min_people >= 1):
        raise _bad(origin, "has an alert rule out of range (0 < alpha < 0.5, low < 1 < high)")
    return rule
