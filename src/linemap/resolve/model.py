"""A trained model: the plan, the trained parameters, and how they were trained.

Stored as JSON with the run that used it, so a resolution can be explained and repeated later.
Parameters are held in Splink's settings format (readable by Splink on any backend) and rounded
to 12 significant digits, so two trainings with the same data and seed give the same bytes
and the same fingerprint even where the database sums in a different order.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from linemap.errors import InvalidInput
from linemap.resolve.comparison import BlockingRule, Comparison, Kind, Level

MODEL_FORMAT = "linemap.resolve.model/1"
_DIGITS = 12
DEFAULT_SEED = 20240601  # u sampling; the same seed and records give the same model


@dataclass(frozen=True)
class Training:
    """How a model was trained: on how many records, with which seed and sample sizes."""

    records: int
    seed: int
    u_max_pairs: float
    em_max_pairs: float
    em_blocks: tuple[tuple[str, ...], ...]
    blocking_pairs: tuple[int, ...]  # pairs each blocking rule was counted to make
    engine: str  # e.g. "splink 5.0.0 / duckdb"


@dataclass(frozen=True)
class Model:
    """Trained parameters with the plan that produced them; build with `train`, not by hand."""

    settings: Mapping[str, Any]  # Splink settings JSON with trained m and u probabilities
    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[BlockingRule, ...]
    fields: tuple[str, ...]
    extras: tuple[str, ...]
    training: Training
    identifiers: tuple[str, ...] = ()  # identifier columns compared exactly
    format: str = field(default=MODEL_FORMAT)

    @property
    def fingerprint(self) -> str:
        """Return a sha256 of the model's JSON: same parameters, same fingerprint."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @property
    def prior_weight(self) -> float:
        """Return the prior match weight: log2 of the odds two random records match."""
        p = float(self.settings["probability_two_random_records_match"])
        return math.log2(p / (1.0 - p))

    def level_weights(self, comparison: int) -> tuple[float, ...]:
        """Return each level's match weight (log2 m/u) for one comparison; null levels 0."""
        levels = self.settings["comparisons"][comparison]["comparison_levels"]
        return tuple(_weight(level) for level in levels)

    def to_json(self) -> str:
        """Write the model as canonical JSON (sorted keys, rounded parameters)."""
        return json.dumps(_to_plain(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Read a model written by `to_json`; refuse another format."""
        try:
            data = json.loads(text)
            if data.get("format") != MODEL_FORMAT:
                raise InvalidInput(
                    f"model format {data.get('format')!r} is not {MODEL_FORMAT!r}; retrain"
                )
            return cls(
                settings=data["settings"],
                comparisons=tuple(_comparison(c) for c in data["comparisons"]),
                blocking_rules=tuple(
                    BlockingRule(tuple(r["on"]), tuple(r["crossed"]))
                    for r in data["blocking_rules"]
                ),
                fields=tuple(data["fields"]),
                extras=tuple(data["extras"]),
                training=_training(data["training"]),
                identifiers=tuple(data.get("identifiers", ())),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                f"model JSON is malformed ({type(error).__name__}); retrain"
            ) from None


def _weight(level: Mapping[str, Any]) -> float:
    """Return a level's match weight, 0 for a null level or an untrained one."""
    if level.get("is_null_level"):
        return 0.0
    m, u = level.get("m_probability"), level.get("u_probability")
    if not m or not u:
        return 0.0
    return math.log2(float(m) / float(u))


def _comparison(data: Mapping[str, Any]) -> Comparison:
    bounds = data.get("weight_bounds")
    return Comparison(
        data["name"],
        data["description"],
        tuple(
            Level(
                Kind(lv["kind"]),
                lv["label"],
                lv["column"],
                lv["threshold"],
                lv["term_frequency"],
                bool(lv.get("neutral", False)),
            )
            for lv in data["levels"]
        ),
        None if bounds is None else (float(bounds[0]), float(bounds[1])),
    )


def _training(data: Mapping[str, Any]) -> Training:
    return Training(
        records=int(data["records"]),
        seed=int(data["seed"]),
        u_max_pairs=float(data["u_max_pairs"]),
        em_max_pairs=float(data["em_max_pairs"]),
        em_blocks=tuple(tuple(block) for block in data["em_blocks"]),
        blocking_pairs=tuple(int(n) for n in data["blocking_pairs"]),
        engine=str(data["engine"]),
    )


def round_parameters(value: Any) -> Any:
    """Round every float in a JSON-like value to 12 significant digits."""
    if isinstance(value, float):
        return float(f"{value:.{_DIGITS}g}") if math.isfinite(value) else value
    if isinstance(value, Mapping):
        return {key: round_parameters(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [round_parameters(item) for item in value]
    return value


def _to_plain(model: Model) -> dict[str, Any]:
    data = asdict(model)
    data["settings"] = round_parameters(dict(model.settings))
    return data


def clamp_weights(settings: dict[str, Any], comparisons: tuple[Comparison, ...]) -> None:
    """Clamp weak comparisons' weights into their bounds and zero neutral levels, by adjusting m."""
    for position, comparison in enumerate(comparisons):
        levels = settings["comparisons"][position]["comparison_levels"]
        for planned, level in zip(comparison.levels, levels, strict=False):
            if planned.neutral:
                u = level.get("u_probability") or 1e-6
                level["m_probability"], level["u_probability"] = u, u
        if comparison.weight_bounds is None:
            continue
        low, high = comparison.weight_bounds
        for level in levels:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or not m or not u:
                continue
            weight = min(max(math.log2(m / u), low), high)
            level["m_probability"] = u * 2.0**weight


def without_term_frequencies(settings: dict[str, Any]) -> dict[str, Any]:
    """Copy settings with every term frequency adjustment turned off."""
    copied = dict(settings)
    copied["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {k: v for k, v in level.items() if not k.startswith("tf_")}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in settings["comparisons"]
    ]
    return copied
