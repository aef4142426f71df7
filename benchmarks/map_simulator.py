"""Map a resolved simulated region and score what the map found against its truth.

Targets (issue 6): on the large region, line membership adjusted Rand index 0.9 or more;
organisers precision at 10 of 0.9 or more; cuckooed addresses recall 0.9 or more at precision
0.8 or more. Also prints the wall time and peak RSS of `linemap map` (run in a child process,
so the figures are the map's alone) and the time of each of its stages.

Either simulates, loads and resolves a region (as benchmarks/resolve_simulator.py does), or
reuses one already loaded and resolved (--region and --database). Never point --database at a
database you want to keep as it is: the map migrates it and adds a snapshot; copy it first.
Everyone in a simulated region is invented.

Usage: python benchmarks/map_simulator.py [--size small|medium|large] [--seed N] [--keep DIR]
           [--region DIR --database URL]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from staged import add_region_options, resolved_region, run_on_region

from linemap.bootstrap import unit_of_work
from linemap.services import evaluation
from linemap.settings import Settings


def _score_line(name: str, score: dict[str, Any]) -> str:
    return (
        f"{name:<22} P {score['precision']:.4f}  R {score['recall']:.4f}  F1 {score['f1']:.4f}"
        f"  (tp {score['true_positives']:,}, fp {score['false_positives']:,},"
        f" fn {score['false_negatives']:,})"
    )


def main() -> None:
    """Prepare a region, map it in a child process, evaluate; print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_region_options(parser)
    args = parser.parse_args()
    folder, url = resolved_region(args)
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    figures = run_on_region(url, "map", "mapping", "linemap.services.network", "build_snapshot")
    summary = figures["summary"]
    print(
        f"snapshot       {summary['records']:,} records, {summary['nodes']:,} nodes, "
        f"{summary['edges']:,} edges; {summary['lines']:,} lines, {summary['members']:,} "
        f"members, {summary['places']:,} places, {summary['cuckooed_addresses']:,} cuckooed"
    )
    print(f"roles          {json.dumps(summary['people_by_role'])}")
    results = evaluation.evaluate(unit_of_work(settings), folder / "truth.json")
    found = {r.stage: r.metrics for r in results if r.available}
    lines, organisers = found["lines"], found["organisers"]
    print(
        f"lines          {lines['lines_found']:,} found, {lines['lines_in_truth']:,} in truth;"
        f" membership ARI {lines['membership_ari']:.4f} (target 0.9)"
    )
    print(_score_line("  members found", lines["members_found"]))  # type: ignore[arg-type]
    print(
        f"organisers     P@10 {organisers['precision_at_10']:.2f} (target 0.9), "
        f"P@50 {organisers['precision_at_50']:.2f}"
    )
    print(_score_line("cuckooed", found["cuckooed_addresses"]["scored"]))  # type: ignore[arg-type]
    print("               (target recall 0.9 at precision 0.8)")
    residents = found["cuckooed_addresses"]["residents_named"]
    print(_score_line("  residents named", residents))  # type: ignore[arg-type]
    print(_score_line("places", found["recruitment_places"]["scored"]))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
