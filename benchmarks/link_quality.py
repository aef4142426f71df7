"""Score `linemap link` against data sets with ground truth that no one on this project wrote.

historical_50k (Splink's historical figures with synthetic errors, `cluster` = truth): pairwise
and B-cubed precision, recall and F1 at several thresholds, and the blocking recall (the share
of true pairs the blocking rules ever compare), with the standard fields only and with the
extra columns birth_place and occupation (`--map ...,extra=birth_place,extra=occupation`).
Target (issue 5): B-cubed F1 0.90 or more at pairwise precision 0.95 or more.

fake_1000 with its 3,176 clerical labels: precision and recall over the labelled pairs.

Records go through the same path as `linemap link`: columns mapped, values normalised with the
intake normalisers, features derived, a model trained without labels, pairs scored, clustered.

Usage: python benchmarks/link_quality.py [--data ../shared/external-data/splink_datasets]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from linemap.cli.link import prepare_records, read_csv
from linemap.resolve.backend import make_backend
from linemap.resolve.link import cluster_at, link
from linemap.resolve.record import make_column_map
from linemap.simulate.metric import b_cubed, pairwise

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "external-data" / "splink_datasets"


def _blocking_recall(result: object, backend: object, truth: dict[str, str]) -> float:
    blocked = backend.blocked_pairs(result.features, result.model)  # type: ignore[attr-defined]
    left, right = blocked.column("id_l").to_pylist(), blocked.column("id_r").to_pylist()
    found = sum(truth[a] == truth[b] for a, b in zip(left, right, strict=True))
    return found / sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())


def historical(data: Path) -> None:
    """Score historical_50k with and without the extra columns."""
    raw = pq.read_table(data / "historical_figures_with_errors_50k.parquet")
    truth = dict(
        zip(raw.column("unique_id").to_pylist(), raw.column("cluster").to_pylist(), strict=True)
    )
    table = pa.table({name: raw.column(name).cast(pa.string()) for name in raw.column_names})
    fields = {
        "first_name": "first_name",
        "surname": "surname",
        "dob": "dob",
        "postcode": "postcode_fake",
    }
    for label, extras in (
        ("standard fields", ()),
        ("with birth_place, occupation", ("birth_place", "occupation")),
    ):
        columns = make_column_map(table.column_names, "unique_id", fields, extras)
        records, _ = prepare_records(table, columns)
        backend = make_backend("duckdb")
        started = time.perf_counter()
        result = link(
            records, backend, threshold=0.95, pairs_threshold=min(THRESHOLDS), extras=extras
        )
        seconds = time.perf_counter() - started
        recall = _blocking_recall(result, backend, truth)
        print(f"\nhistorical_50k, {label}: {len(records):,} records in {seconds:.1f} s;"
              f" blocking recall {recall:.3f}")  # fmt: skip
        print("threshold  pairwise P    R     F1  | B-cubed P    R     F1")
        for threshold in THRESHOLDS:
            clusters = cluster_at(result.features, result.predictions, threshold).cluster_of
            pw, b3 = pairwise(clusters, truth), b_cubed(clusters, truth)
            print(f"  {threshold:<8}  {pw.precision:.3f}  {pw.recall:.3f}  {pw.f1:.3f} |"
                  f"  {b3.precision:.3f}  {b3.recall:.3f}  {b3.f1:.3f}")  # fmt: skip


def fake_1000(data: Path) -> None:
    """Score fake_1000 against its clerical labels (a label of 0.5 or more means the same)."""
    table = read_csv(data / "fake_1000.csv")
    fields = {"first_name": "first_name", "surname": "surname", "dob": "dob"}
    records, _ = prepare_records(
        table, make_column_map(table.column_names, "unique_id", fields, ("city", "email"))
    )
    result = link(
        records, make_backend("duckdb"), pairs_threshold=min(THRESHOLDS), extras=("city", "email")
    )
    with (data / "fake_1000_labels.csv").open(newline="") as handle:
        labels = [
            (r["unique_id_l"], r["unique_id_r"], float(r["clerical_match_score"]) >= 0.5)
            for r in csv.DictReader(handle)
        ]
    truth = dict(
        zip(table.column("unique_id").to_pylist(), table.column("cluster").to_pylist(), strict=True)
    )
    print(f"\nfake_1000 with {len(labels):,} clerical labels:")
    print("threshold  labels P    R     F1  | B-cubed F1")
    for threshold in THRESHOLDS:
        clusters = cluster_at(result.features, result.predictions, threshold).cluster_of
        tp = sum(clusters[a] == clusters[b] and same for a, b, same in labels)
        fp = sum(clusters[a] == clusters[b] and not same for a, b, same in labels)
        fn = sum(clusters[a] != clusters[b] and same for a, b, same in labels)
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-12)
        b3 = b_cubed(clusters, truth)
        print(f"  {threshold:<8}  {precision:.3f}  {recall:.3f}  {f1:.3f} |  {b3.f1:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    historical(args.data)
    fake_1000(args.data)


if __name__ == "__main__":
    main()
