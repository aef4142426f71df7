"""`linemap simulate`: a synthetic region with ground truth, optionally loaded in one step."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from linemap import bootstrap
from linemap.cli.common import State, console, error_console
from linemap.services import database, intake, region


def simulate(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder to write (new or empty)")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes")] = 1,
    size: Annotated[
        str | None, typer.Option("--size", help="small (~5,000 records), medium, large (~1M)")
    ] = None,
    records: Annotated[
        int | None, typer.Option("--records", help="About this many records")
    ] = None,
    load: Annotated[
        bool, typer.Option("--load", help="Then create the database, add agencies, ingest all")
    ] = False,
) -> None:
    """Write every agency's export, truth.json and manifest.json for a simulated region."""
    state: State = ctx.obj
    if size is None and records is None:
        size = "small"
    made = region.simulate_region(out, seed, size, records)
    console.print(
        f"Simulated region (seed {made.seed}): {made.records:,} records in {made.files} files "
        f"from {made.agencies} agencies ({made.broken_rows} deliberately broken) in {out}"
    )
    console.print(f"Ground truth: {out / 'truth.json'}; load plan: {out / 'manifest.json'}")
    if not load:
        return
    uow = bootstrap.unit_of_work(state.settings, check=False)
    database.initialise(uow)
    with Progress(console=error_console, transient=True) as bar:
        task = bar.add_task("Loading exports", total=made.files)

        def done(path: str, summary: intake.IngestSummary) -> None:
            bar.advance(task)
            console.print(
                f"  {path}: {summary.accepted} accepted, {summary.unchanged} unchanged, "
                f"{summary.rejected} quarantined"
            )

        loaded = region.load_region(uow, state.settings, out, done)
    console.print(
        f"Loaded: {loaded.agencies_added} agencies added, {loaded.accepted:,} rows stored, "
        f"{loaded.rejected:,} quarantined with reasons (see the *.quarantine.csv reports)."
    )
