"""`linemap assess`, `linemap cases list` and `linemap export flagged`: raising flags from the
records, the cases that carry each flagged person to a decision, and the flagged people as a
recorded disclosure."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from linemap.cli.common import State, console, error_console, stage_bar
from linemap.services import assessment, flagged


def assess(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Raise flags from the records: children and vulnerable adults at risk (counts only)."""
    state: State = ctx.obj
    uow = state.uow  # opened before the bar, so an unready database is one clear line
    with stage_bar() as bar:
        task = bar.add_task("Assessing", total=None)
        summary = assessment.assess(
            uow,
            state.settings,
            progress=lambda stage: bar.update(task, description=f"Assessing: {stage}"),
        )
    if as_json:
        print(json.dumps(summary.as_json()))
        return
    console.print(
        f"Assessment run {summary.run_id} (resolution run {summary.resolution_run}, criteria "
        f"{summary.criteria}, rules {summary.rules}, as of {summary.as_of}): {summary.people} "
        f"people read, {summary.flags} flags raised, {summary.children} of them children."
    )
    for kind, count in sorted(summary.by_kind.items()):
        console.print(f"Flags of {kind}: {count}")
    for risk, count in sorted(summary.by_risk.items()):
        console.print(f"Risk {risk}: {count}")
    for reason, count in summary.not_raised.items():
        console.print(f"Not raised ({count}): {reason}")
    console.print(
        "Every flag is a personal assessment in the victim frame; each flagged child waits on "
        "the coverage dashboard (/safeguarding) until a referral or a decision is recorded."
    )


cases_app = typer.Typer(help="Safeguarding cases: referrals, NRM referrals, frames, disruptions.")
export_app = typer.Typer(help="Exports that are recorded disclosures.")


@cases_app.command("list")
def list_cases(
    ctx: typer.Context,
    workflow: Annotated[
        str | None, typer.Option(help="Only this workflow: referral, nrm, frame or disruption")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases past due")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """List cases by id and state (no personal data), oldest first."""
    state: State = ctx.obj
    found = flagged.list_cases(state.uow, date.today(), workflow=workflow, overdue_only=overdue)
    if as_json:
        for case in found:
            print(json.dumps(dataclasses.asdict(case)))
        return
    if not found:
        console.print("No cases. Flagged people wait on the coverage dashboard (/safeguarding).")
        return
    table = Table("case", "workflow", "flag", "state", "last decision", "due")
    for case in found:
        due = f"{case.due} (overdue)" if case.overdue else case.due or ""
        table.add_row(
            str(case.id), case.workflow, case.flag or "", case.state, case.last_step or "", due
        )
    console.print(table)


@export_app.command("flagged")
def export_flagged(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write here (default: standard output)")
    ] = None,
    recipient: Annotated[
        str, typer.Option(help="Who receives the export")
    ] = "the local safeguarding partnership",
    purpose: Annotated[
        str, typer.Option(help="Why it is shared")
    ] = "safeguarding: every flagged person and where their referral stands",
    lawful_basis: Annotated[
        str, typer.Option(help="The lawful basis of the disclosure")
    ] = "DPA 2018 Sch 8 para 4 (safeguarding of children and individuals at risk)",
) -> None:
    """Export every flagged person, one per line, as a recorded disclosure."""
    state: State = ctx.obj
    made = flagged.export_flagged(
        state.uow,
        state.settings,
        fmt,
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        now=datetime.now(UTC),
    )
    if output is None:
        sys.stdout.write(made.text)
    else:
        output.write_text(made.text, encoding="utf-8")
    error_console.print(
        f"Disclosure {made.disclosure_id}: {made.people} flagged people, {made.records} records"
        f" disclosed to {recipient}" + (f"; written to {output}" if output else "")
    )
