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
    """Scored candidate pairs at or above a probability, with the model that scored them."""

    table: pa.Table  # PAIR_COLUMNS
    model: Model
    threshold: float
    caveats: tuple[str, ...] = ()

    def __len__(self) -> int:
        """Return the number of pairs."""
        return int(self.table.num_rows)

    def pairs(self, threshold: float | None = None) -> pa.Table:
        """Return id_l, id_r, match_probability for the pairs at or above a probability."""
        table = self.table.select(["id_l", "id_r", "match_probability"])
        if threshold is not None and threshold > self.threshold:
            table = table.filter(pc.greater_equal(table.column("match_probability"), threshold))
        return table

    def edges(self, threshold: float | None = None) -> Iterator[tuple[str, str, float]]:
        """Yield (id_l, id_r, match_probability) for the pairs at or above a probability."""
        table = self.pairs(threshold)
        yield from zip(
            table.column("id_l").to_pylist(),
            table.column("id_r").to_pylist(),
            table.column("match_probability").to_pylist(),
            strict=True,
        )


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
