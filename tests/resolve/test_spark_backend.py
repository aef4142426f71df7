"""The Spark backend runs the same plan on local Spark (slow: Spark takes ~30 s to start).

Skipped when pyspark is not installed (it is the optional `spark` extra).
"""

from __future__ import annotations

import pytest

from linemap.resolve.feature import Features
from linemap.resolve.model import Model
from linemap.resolve.splink_backend import DuckDBBackend


@pytest.mark.slow
def test_spark_scores_as_duckdb_does(
    features: Features, model: Model, backend: DuckDBBackend
) -> None:
    pytest.importorskip("pyspark")
    from linemap.resolve.spark_backend import SparkBackend

    spark = SparkBackend()
    trained = spark.train(features, seed=11, u_max_pairs=2e5)
    assert [c.name for c in trained.comparisons] == [c.name for c in model.comparisons]
    on_spark = spark.predict(features, model, threshold=0.5).table
    on_duckdb = backend.predict(features, model, threshold=0.5).table
    order = [("id_l", "ascending"), ("id_r", "ascending")]
    on_spark, on_duckdb = on_spark.sort_by(order), on_duckdb.sort_by(order)
    assert on_spark.column("id_l").to_pylist() == on_duckdb.column("id_l").to_pylist()
    # Splink's Spark Jaro-Winkler (a Scala UDF) scores a few strings a hair differently from
    # DuckDB's ("natasha"/"natsha" falls below 0.92 on Spark): allow one pair in a hundred.
    weights = zip(
        on_spark.column("match_weight").to_pylist(),
        on_duckdb.column("match_weight").to_pylist(),
        strict=True,
    )
    differ = sum(abs(a - b) > 1e-6 for a, b in weights)
    assert differ <= on_spark.num_rows / 100
    rows = features.table.slice(0, 2).to_pylist()
    explained = spark.explain(model, rows[0], rows[1])
    assert explained.match_weight == pytest.approx(
        backend.explain(model, rows[0], rows[1]).match_weight, abs=1e-6
    )
