"""The seam between the core and an engine: what a backend does, and how to get one.

`make_backend` imports the chosen backend's module only when asked, so importing the core
never imports Splink, DuckDB's Splink API or Spark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from linemap.errors import ConfigurationError
from linemap.resolve.feature import Features
from linemap.resolve.model import Model
from linemap.resolve.score import MatchScore, Predictions

BACKENDS = ("duckdb", "spark")


class Backend(Protocol):
    """An engine that trains, scores and explains; DuckDB in process, or Spark."""

    name: str

    def train(
        self,
        features: Features,
        *,
        seed: int = ...,
        u_max_pairs: float = ...,
        em_max_pairs: float = ...,
    ) -> Model:
        """Train a model without labels; the same records and seed give the same model."""
        ...

    def predict(self, features: Features, model: Model, *, threshold: float) -> Predictions:
        """Score candidate pairs and keep those at or above a match probability."""
        ...

    def score_pairs(
        self, features: Features, model: Model, pairs: Sequence[tuple[str, str]]
    ) -> pa.Table:
        """Score given pairs of these records: id_l, id_r, match_weight, match_probability."""
        ...

    def blocked_pairs(self, features: Features, model: Model) -> pa.Table:
        """Return every candidate pair (id_l, id_r) the blocking rules produce."""
        ...

    def explain_pairs(
        self, features: Features, model: Model, pairs: Sequence[tuple[str, str]]
    ) -> list[MatchScore]:
        """Score given pairs of these records, each with its contributions, in order."""
        ...

    def explain(
        self,
        model: Model,
        record_l: Mapping[str, Any],
        record_r: Mapping[str, Any],
        *,
        context: Features | None = None,
    ) -> MatchScore:
        """Score one pair of feature records with each comparison's level and weight."""
        ...


def make_backend(name: str = "duckdb", *, workdir: Path | None = None) -> Backend:
    """Build a backend by name; `workdir` holds intermediate files where the backend uses any."""
    if name == "duckdb":
        from linemap.resolve.splink_backend import DuckDBBackend

        return DuckDBBackend(workdir=workdir)
    if name == "spark":
        from linemap.resolve.spark_backend import SparkBackend, spark_available

        if not spark_available():
            raise ConfigurationError(
                "the spark backend needs pyspark; install linemap with the 'spark' extra"
            )
        return SparkBackend(workdir=workdir)
    raise ConfigurationError(f"no backend called {name!r}; choose one of {', '.join(BACKENDS)}")
