"""Resolution quality on data sets with ground truth that no one on this project wrote.

Thresholds are set below what the engine measured (benchmarks/link_quality.py), with margin:
fake_1000 at the default threshold (0.95) measured clerical-label precision 1.000 and recall
0.620 (0.652 before a name alone stopped joining two people); historical_50k with birth place
and occupation measured B-cubed F1 0.909 at pairwise precision 0.969 (0.915 at 0.968 before).
"""

from __future__ import annotations

import csv

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from linemap.cli.link import prepare_records, read_csv
from linemap.resolve.link import link
from linemap.resolve.record import make_column_map
from linemap.resolve.splink_backend import DuckDBBackend
from linemap.simulate.metric import b_cubed, pairwise
from tests.resolve.conftest import external


def test_fake_1000_agrees_with_its_clerical_labels() -> None:
    table = read_csv(external("fake_1000.csv"))
    fields = {"first_name": "first_name", "surname": "surname", "dob": "dob"}
    columns = make_column_map(table.column_names, "unique_id", fields, ("city", "email"))
    records, _ = prepare_records(table, columns)
    clusters = link(records, DuckDBBackend(), extras=columns.extras).clustering.cluster_of
    with external("fake_1000_labels.csv").open(newline="") as handle:
        labels = [
            (r["unique_id_l"], r["unique_id_r"], float(r["clerical_match_score"]) >= 0.5)
            for r in csv.DictReader(handle)
        ]
    together = [(clusters[a] == clusters[b], same) for a, b, same in labels]
    tp = sum(t and s for t, s in together)
    precision = tp / sum(t for t, _ in together)
    recall = tp / sum(s for _, s in together)
    assert precision >= 0.98
    assert recall >= 0.60


@pytest.mark.slow
def test_historical_50k_meets_the_b_cubed_target() -> None:
    raw = pq.read_table(external("historical_figures_with_errors_50k.parquet"))
    table = pa.table({name: raw.column(name).cast(pa.string()) for name in raw.column_names})
    fields = {
        "first_name": "first_name",
        "surname": "surname",
        "dob": "dob",
        "postcode": "postcode_fake",
    }
    columns = make_column_map(
        table.column_names, "unique_id", fields, ("birth_place", "occupation")
    )
    records, _ = prepare_records(table, columns)
    clusters = link(
        records, DuckDBBackend(), threshold=0.95, extras=columns.extras
    ).clustering.cluster_of
    truth = dict(
        zip(raw.column("unique_id").to_pylist(), raw.column("cluster").to_pylist(), strict=True)
    )
    assert pairwise(clusters, truth).precision >= 0.95
    assert b_cubed(clusters, truth).f1 >= 0.90
