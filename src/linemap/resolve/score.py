"""Match scores as result objects: every score carries its contributions and caveats.

A pair's match weight is the prior weight plus one weight per comparison (the trained weight of
the level the pair fell in, adjusted for how common an exactly matching value is); the match
probability is 2^w / (1 + 2^w). `Predictions` holds many scored pairs compactly as an Arrow
table (ids, weight, probability) with the model that scored them; a backend's `explain` and
`explain_pairs` give a `MatchScore` with its contributions for any pair.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from linemap.resolve.model import Model

PAIR_COLUMNS = ("id_l", "id_r", "match_weight", "match_probability")


@dataclass(frozen=True)
class Contribution:
    """What one comparison added to a pair's match weight, in bits (log2 of a Bayes factor)."""

    comparison: str
    description: str
    level: str
    weight: float
    term_frequency_weight: float = 0.0  # included in weight; how much the value's rarity added


@dataclass(frozen=True)
class MatchScore:
    """One scored pair: probability, weight and the contributions that add up to it."""

    id_l: str
    id_r: str
    match_probability: float
    match_weight: float
    prior_weight: float
    contributions: tuple[Contribution, ...]
    caveats: tuple[str, ...] = ()


def probability(weight: float) -> float:
    """Turn a match weight (bits) into a match probability."""
    if weight > 60:
        return 1.0
    odds: float = 2.0**weight
    return odds / (1.0 + odds)


def gamma_column(comparison: str) -> str:
    """Name the column holding a comparison's level for each pair."""
    return f"gamma_{comparison}"


def level_index(gamma: int, level_count: int) -> int:
    """Turn a backend's level value (-1 null, then highest first) into a level position."""
    return 0 if gamma == -1 else level_count - 1 - gamma


@dataclass(frozen=True)
class Predictions:
    """Scored candidate pairs at or above a probability, with the model that scored them.

    With `groups` (records identical in every compared column, see `duplicate`), `table` holds
    each distinct pair once, named by the groups' first records, and each group's own pair (its
    first and second record); `pairs` spreads them over every record, `edges` joins records
    exactly as those pairs would with far fewer edges.
    """

    table: pa.Table  # PAIR_COLUMNS
    model: Model
    threshold: float
    caveats: tuple[str, ...] = ()
    groups: pa.Table | None = None  # id, representative: every record of a group of two or more

    def __len__(self) -> int:
        """Return the number of distinct pairs."""
        return int(self.table.num_rows)

    def distinct_pairs(self, threshold: float | None = None) -> pa.Table:
        """Return id_l, id_r, match_probability for each distinct pair at or above a probability."""
        table = self.table.select(["id_l", "id_r", "match_probability"])
        if threshold is not None and threshold > self.threshold:
            table = table.filter(pc.greater_equal(table.column("match_probability"), threshold))
        return table

    def distinct_edges(self, threshold: float | None = None) -> Iterator[tuple[str, str, float]]:
        """Yield (id_l, id_r, match_probability) per distinct pair at or above a probability."""
        yield from _rows(self.distinct_pairs(threshold))

    def pairs(self, threshold: float | None = None) -> pa.Table:
        """Return id_l, id_r, match_probability for every pair of records at or above a
        probability (identical records spread out: as many pairs as scoring each would give)."""
        table = self.distinct_pairs(threshold)
        if self.groups is None:
            return table
        members = _members(self.groups)
        spread: dict[str, list[object]] = {"id_l": [], "id_r": [], "match_probability": []}
        for left, right, p in _rows(table):
            if right in members.get(left, ()):  # a group's own pair: every two of its records
                group = members[left]
                found = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
            else:
                found = [
                    (a, b) for a in members.get(left, (left,)) for b in members.get(right, (right,))
                ]
            for a, b in found:
                spread["id_l"].append(a)
                spread["id_r"].append(b)
                spread["match_probability"].append(p)
        return pa.table(spread, schema=table.schema)

    def edges(self, threshold: float | None = None) -> Iterator[tuple[str, str, float]]:
        """Yield (id_l, id_r, match_probability) edges at or above a probability that join records
        into the same components as `pairs` would (see `spanning`)."""
        yield from _rows(self.spanning(threshold))

    def spanning(self, threshold: float | None = None) -> pa.Table:
        """Return id_l, id_r, match_probability edges at or above a probability that join records
        into the same components as `pairs` would, with far fewer edges: a group of identical
        records that is its own match is tied to its first record once; one that is not (two
        bare names, say) joins through each of its records wherever its first record joins."""
        table = self.distinct_pairs(threshold)
        if self.groups is None:
            return table
        groups = self.groups.rename_columns(["member", "first"])
        own = table.join(groups, ["id_r", "id_l"], ["member", "first"], join_type="left semi")
        between = table.join(groups, ["id_r", "id_l"], ["member", "first"], join_type="left anti")
        others = groups.filter(pc.not_equal(groups.column("member"), groups.column("first")))
        ties = others.join(
            own.select(["id_l", "match_probability"]), "first", "id_l", join_type="inner"
        )
        loose = others.filter(
            pc.invert(pc.is_in(others.column("first"), value_set=own.column("id_l")))
        )
        spread = [
            between.join(loose, side, "first", join_type="inner").select(
                ["member", other, "match_probability"]
            )
            for side, other in (("id_l", "id_r"), ("id_r", "id_l"))
        ]
        names = ["id_l", "id_r", "match_probability"]
        return pa.concat_tables(
            [
                between,
                ties.select(["first", "member", "match_probability"]).rename_columns(names),
                *(part.rename_columns(names) for part in spread),
            ]
        )


def _rows(table: pa.Table) -> Iterator[tuple[str, str, float]]:
    return zip(
        table.column("id_l").to_pylist(),
        table.column("id_r").to_pylist(),
        table.column("match_probability").to_pylist(),
        strict=True,
    )


def _members(groups: pa.Table) -> dict[str, list[str]]:
    """Map each group's first record to its records, the first record first."""
    members: dict[str, list[str]] = {}
    for record, first in zip(
        groups.column("id").to_pylist(), groups.column("representative").to_pylist(), strict=True
    ):
        members.setdefault(first, []).append(record)
    return members


def make_match_score(model: Model, row: Mapping[str, Any], caveats: tuple[str, ...]) -> MatchScore:
    """Build a MatchScore from a backend's scored row with levels and per-comparison weights."""
    contributions = []
    for position, comparison in enumerate(model.comparisons):
        weights = model.level_weights(position)
        index = level_index(int(row[gamma_column(comparison.name)]), len(weights))
        tf_weight = float(row.get(f"mw_tf_adj_{comparison.name}") or 0.0)
        contributions.append(
            Contribution(
                comparison.name,
                comparison.description,
                comparison.labels[index],
                float(row[f"mw_{comparison.name}"]) + tf_weight,
                tf_weight,
            )
        )
    weight = float(row["match_weight"])
    return MatchScore(
        str(row["unique_id_l"]),
        str(row["unique_id_r"]),
        probability(weight),
        weight,
        model.prior_weight,
        tuple(contributions),
        caveats,
    )
