"""`linemap map`: build a network snapshot from the resolved people and report what it found."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from linemap.cli.common import State, console, stage_bar
from linemap.services import network


def map_network(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Map the network: deal lines, members, places, cuckooed addresses and roles (counts)."""
    state: State = ctx.obj
    uow = state.uow  # opened before the bar, so an unready database is one clear line
    bar = stage_bar()
    with bar:
        task = bar.add_task("Mapping", total=None)
        summary = network.build_snapshot(
            uow,
            state.settings,
            progress=lambda stage: bar.update(task, description=f"Mapping: {stage}"),
        )
    if as_json:
        print(json.dumps(summary.as_json()))
        return
    console.print(
        f"Network snapshot {summary.snapshot_id} (resolution run {summary.resolution_run}, "
        f"as of {summary.as_of}): {summary.records} records, {summary.nodes} nodes, "
        f"{summary.edges} edges."
    )
    console.print(
        f"Deal lines {summary.lines}; line members {summary.members}; places to assess "
        f"{summary.places}; cuckooed addresses {summary.cuckooed_addresses}."
    )
    for role, count in summary.roles.items():
        console.print(f"People assessed as {role.replace('_', ' ')}: {count}")
    console.print(
        f"Routed to safeguarding review (every child and anyone holding a victim role): "
        f"{summary.safeguarding_review}; people ranked as possible organisers (on the "
        f"perpetrator subgraph only): {summary.ranked_organisers}."
    )
