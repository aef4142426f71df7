"""`linemap resolve`: resolve every ingested person mention into people, as a new run."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from linemap.cli.common import State, console, stage_bar
from linemap.services import resolution


def resolve(
    ctx: typer.Context,
    retrain: Annotated[
        bool,
        typer.Option("--retrain", help="Train the model afresh instead of reusing the last run's"),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Resolve person mentions into people; judgements in force always hold."""
    state: State = ctx.obj
    bar = stage_bar(disable=as_json)
    with bar:
        task = bar.add_task("Resolving", total=None)
        summary = resolution.run_resolution(
            state.uow,
            state.settings,
            retrain=retrain,
            progress=lambda stage: bar.update(task, description=f"Resolving: {stage}"),
        )
    if as_json:
        print(json.dumps(summary.as_json()))
        return
    trained = "trained a new model" if summary.retrained else "reused the last run's model"
    console.print(
        f"Resolution run {summary.run_id}: {summary.mentions} person mentions into "
        f"{summary.people} people ({trained}, {summary.model_digest[:12]}); "
        f"{summary.review_pairs} uncertain pairs wait for review."
    )
    for caveat in summary.caveats:
        console.print(f"Caveat: {caveat}")
