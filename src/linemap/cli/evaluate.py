"""`linemap evaluate`: score what linemap holds against a simulated region's truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from linemap.cli.common import State, console
from linemap.services import evaluation


def evaluate(
    ctx: typer.Context,
    truth: Annotated[Path, typer.Option("--truth", help="truth.json written by linemap simulate")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Score each stage that exists; say which stages are not scored yet and why."""
    state: State = ctx.obj
    results = evaluation.evaluate(state.uow, truth)
    if as_json:
        print(
            json.dumps(
                {
                    "stages": {
                        r.stage: {"available": r.available, **r.metrics, "note": r.note}
                        for r in results
                    }
                },
                indent=2,
            )
        )
        return
    table = Table("stage", "measure", "precision", "recall", "F1", "note")
    for result in results:
        if not result.available:
            table.add_row(result.stage, "", "", "", "", result.note)
            continue
        for measure, value in result.metrics.items():
            if isinstance(value, dict):
                table.add_row(
                    result.stage,
                    measure,
                    f"{value['precision']:.3f}",
                    f"{value['recall']:.3f}",
                    f"{value['f1']:.3f}",
                    "; ".join(value["caveats"]),
                )
            else:
                table.add_row(result.stage, measure, "", "", "", str(value))
    console.print(table)
