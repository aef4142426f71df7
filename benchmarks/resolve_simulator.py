"""Resolve a simulated region and score the people found against its truth.

Targets (issue 5): on the large region (about 1,000,000 records) pairwise precision 0.98 or
more and F1 0.97 or more; `linemap resolve` in 90 s or less and 4 GB or less (peak RSS).

Simulates a region (or reuses one with --region and --database), loads it through the intake,
runs one resolution (training a model) in a child process, so that its wall time and peak RSS
are the resolve step's alone, then prints the evaluation (pairwise and B-cubed, each record
scored by its first person, as `linemap evaluate` does) and the blocking recall: the share of
true pairs of those mentions that were ever compared (two identical records count as compared:
their own pair is scored once per group). It also scores the records whose subject carries
more than a name apart: a bare name, shared by several people in the region, cannot be resolved
by anyone. Everyone in a simulated region is invented.

Usage: python benchmarks/resolve_simulator.py [--size small|medium|large | --records N]
           [--seed N] [--keep DIR] [--region DIR --database URL] [--no-blocking]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from staged import run_step, simulate_and_load

from linemap.bootstrap import unit_of_work
from linemap.resolve.backend import make_backend
from linemap.resolve.feature import make_features
from linemap.resolve.model import Model
from linemap.services import evaluation
from linemap.services.mention import IDENTIFIERS, read_mentions
from linemap.settings import Settings
from linemap.simulate.metric import Score, b_cubed, pairwise


def _blocking_recall(url: str, truth: dict[str, str]) -> tuple[int, int]:
    """Count the true pairs of records' first persons, and how many were ever compared."""
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    uow = unit_of_work(settings)
    with uow.read() as tx:
        mentions = read_mentions(tx)
        run = tx.resolution.latest_run()
        assert run is not None
        model = Model.from_json(tx.resolution.model(run.id))
    # Every mention, as the run scored them; the pairs counted are of the records' subjects.
    features = make_features(mentions.records, identifiers=IDENTIFIERS)
    duplicates = features.duplicates
    blocked = make_backend("duckdb").blocked_pairs(duplicates.representatives, model)
    everyone = mentions.records.column("unique_id").to_pylist()
    ids = [i for i, subject in zip(everyone, mentions.subjects, strict=True) if subject]
    lead = dict(
        zip(
            duplicates.groups.column("id").to_pylist(),
            duplicates.groups.column("representative").to_pylist(),
            strict=True,
        )
    )
    subjects = pa.table(
        {
            "entity": ids,
            "identity": [truth.get(i.rpartition("#")[0]) for i in ids],
            "lead": [lead.get(i, i) for i in ids],
        }
    )
    con = duckdb.connect()
    con.register("subjects", subjects)
    con.register("blocked", blocked)
    total, compared = con.execute(
        """
        WITH pairs AS (
            SELECT a.lead AS l, b.lead AS r FROM subjects a JOIN subjects b
            ON a.identity = b.identity AND a.entity < b.entity
            WHERE a.identity IS NOT NULL
        ), scored AS (
            SELECT DISTINCT least(id_l, id_r) AS l, greatest(id_l, id_r) AS r FROM blocked
        )
        SELECT count(*), count(*) FILTER (WHERE pairs.l = pairs.r OR scored.l IS NOT NULL)
        FROM pairs LEFT JOIN scored
        ON scored.l = least(pairs.l, pairs.r) AND scored.r = greatest(pairs.l, pairs.r)
        """
    ).fetchone() or (0, 0)
    return int(total), int(compared)


def _beyond_names(url: str, truth: dict[str, str]) -> tuple[int, Score, Score]:
    """Score the records whose subject carries more than a name (a date of birth, postcode,
    phone or identifier): how many are name-only, and pairwise and B-cubed without them."""
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    uow = unit_of_work(settings)
    with uow.read() as tx:
        mentions = read_mentions(tx)
        run = tx.resolution.latest_run()
        assert run is not None
        predicted = dict(tx.resolution.iter_subjects(run.id))
    table = mentions.records
    more = pc.fill_null(pc.is_valid(table.column("dob")), False)
    for name in ("postcode", "phone", *IDENTIFIERS):
        more = pc.or_(more, pc.is_valid(table.column(name)))
    name_only = {
        entity.rpartition("#")[0]
        for entity, has_more, subject in zip(
            table.column("unique_id").to_pylist(), more.to_pylist(), mentions.subjects, strict=True
        )
        if subject and not has_more
    }
    kept = {record: person for record, person in predicted.items() if record not in name_only}
    return len(name_only), pairwise(kept, truth), b_cubed(kept, truth)


def _print_score(name: str, score: dict[str, Any]) -> None:
    print(
        f"{name:<14} P {score['precision']:.4f}  R {score['recall']:.4f}  F1 {score['f1']:.4f}"
        + (f"  ({'; '.join(score['caveats'])})" if score["caveats"] else "")
    )


def main() -> None:
    """Simulate, load, resolve in a child process, evaluate; print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "medium", "large"))
    parser.add_argument("--records", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="simulate and load into this folder, kept")
    parser.add_argument("--region", type=Path, help="a region already loaded (with --database)")
    parser.add_argument("--database", help="the database the region is loaded into")
    parser.add_argument("--no-blocking", action="store_true", help="skip the blocking recall")
    args = parser.parse_args()
    if args.region or args.database:
        if not (args.region and args.database):
            parser.error("give --region and --database together")
        folder, url = args.region, args.database
    else:
        if args.size is None and args.records is None:
            args.size = "small"
        work = args.keep or Path(tempfile.mkdtemp(prefix="linemap-resolve-"))
        work.mkdir(parents=True, exist_ok=True)
        folder, url = simulate_and_load(work, args.seed, args.size, args.records)
    print(f"load average   {os.getloadavg()[0]:>12.2f} (1 min, before resolving)")
    figures = run_step(url, "linemap.services.resolution", "run_resolution", ", retrain=True")
    summary = figures["summary"]
    print(f"mentions       {summary['mentions']:>12,}")
    print(f"people         {summary['people']:>12,}")
    print(f"review pairs   {summary['review_pairs']:>12,}")
    print(f"resolve        {figures['seconds']:>12.1f} s, peak RSS {figures['peak_mib']:,.0f} MiB")
    print("  stages       " + ", ".join(f"{k} {v} s" for k, v in figures["stages"].items()))
    print(f"load average   {os.getloadavg()[0]:>12.2f} (1 min, after resolving)")
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    results = evaluation.evaluate(unit_of_work(settings), folder / "truth.json")
    scored = next(r for r in results if r.stage == "identity_resolution").metrics
    _print_score("pairwise", scored["pairwise"])  # type: ignore[arg-type]
    _print_score("B-cubed", scored["b_cubed"])  # type: ignore[arg-type]
    truth = evaluation.read_truth(folder / "truth.json")["records"]
    name_only, kept_pairwise, kept_b_cubed = _beyond_names(url, truth)
    print(f"name only      {name_only:>12,} records whose subject has a name and nothing else")
    for label, kept in (("  without them", kept_pairwise), ("  B-cubed", kept_b_cubed)):
        print(f"{label:<14} P {kept.precision:.4f}  R {kept.recall:.4f}  F1 {kept.f1:.4f}")
    if not args.no_blocking:
        started = time.perf_counter()
        total, compared = _blocking_recall(url, truth)
        print(
            f"blocking       {compared / total:>12.4f} of {total:,} true pairs compared"
            f" ({time.perf_counter() - started:.0f} s to measure)"
        )


if __name__ == "__main__":
    main()
