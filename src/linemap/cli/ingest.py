"""`linemap ingest`: one agency export through a mapping into the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

from linemap.cli.common import State, console, error_console
from linemap.services import intake, search


def ingest(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV, XLSX or JSON Lines export")],
    agency: Annotated[str, typer.Option("--agency", help="Code of the agency that sent it")],
    mapping: Annotated[str, typer.Option("--mapping", help="Template name or mapping file")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse the file if any row is bad")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Ingest an agency export: good rows land together, bad rows are quarantined with reasons."""
    state: State = ctx.obj
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=error_console,
        transient=True,
        disable=as_json,
    )
    with bar:
        task = bar.add_task(f"Ingesting {path.name}", total=None)
        summary = intake.ingest(
            state.uow,
            state.settings,
            path,
            agency,
            mapping,
            strict=strict,
            progress=lambda done, total: bar.update(task, completed=done, total=total or None),
        )
        index = bar.add_task("Indexing for search", total=None)
        search.refresh_index(
            state.uow, lambda done, total: bar.update(index, completed=done, total=total)
        )
    if as_json:
        print(json.dumps(summary.as_json()))
        return
    console.print(
        f"{path.name}: {summary.accepted} accepted ({summary.superseded} superseding earlier "
        f"versions), {summary.unchanged} unchanged, {summary.rejected} quarantined."
    )
    if summary.report:
        console.print(f"Quarantined rows and their reasons: {summary.report}")
