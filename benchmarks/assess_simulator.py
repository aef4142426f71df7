"""Raise flags on a resolved simulated region and score them against its truth.

Target (issue 7): on the large region, exploited children and vulnerable adults found with recall
0.95 or more at precision 0.85 or more. Also prints the wall time and peak RSS of `linemap
assess` (run in a child process, so the figures are its own), each stage's time, the flags by
kind and risk, why the others were not raised, and the coverage of flagged children (which is 0
until people take their decisions: the service tests drive the workflow to 100%).

Either simulates, loads and resolves a region (as benchmarks/resolve_simulator.py does), or
reuses one already loaded and resolved (--region and --database). Never point --database at a
database you want to keep as it is: the assessment migrates it and adds a run; copy it first.
Everyone in a simulated region is invented.

Usage: python benchmarks/assess_simulator.py [--size small|medium|large] [--seed N] [--keep DIR]
           [--region DIR --database URL]
"""

from __future__ import annotations

import argparse
import json

from staged import add_region_options, resolved_region, run_on_region

from linemap.bootstrap import unit_of_work
from linemap.services import evaluation
from linemap.settings import Settings


def main() -> None:
    """Prepare a region, assess it in a child process, evaluate; print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_region_options(parser)
    args = parser.parse_args()
    folder, url = resolved_region(args)
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    figures = run_on_region(url, "assess", "assessing", "linemap.services.assessment", "assess")
    summary = figures["summary"]
    print(
        f"flags          {summary['flags']:,} on {summary['people']:,} people read "
        f"({summary['children']:,} children); by kind {json.dumps(summary['by_kind'])}"
    )
    print(f"  by risk      {json.dumps(summary['by_risk'])}")
    for reason, count in summary["not_raised"].items():
        print(f"  not raised   {count:>8,}  {reason}")
    results = evaluation.evaluate(unit_of_work(settings), folder / "truth.json")
    found = {r.stage: r.metrics for r in results if r.available}
    scored = found["exploited"]["scored"]
    assert isinstance(scored, dict)
    print(
        f"exploited      P {scored['precision']:.4f}  R {scored['recall']:.4f}  "
        f"F1 {scored['f1']:.4f}  (tp {scored['true_positives']:,}, fp "
        f"{scored['false_positives']:,}, fn {scored['false_negatives']:,}); "
        "target R 0.95 at P 0.85"
    )
    coverage = found["safeguarding_coverage"]
    print(
        f"coverage       {coverage['with_referral_or_decision']:,} of "
        f"{coverage['flagged_children']:,} flagged children with a referral or a decision"
    )


if __name__ == "__main__":
    main()
