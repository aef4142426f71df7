"""`linemap isa ...`: information sharing agreements."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from linemap.cli.common import State, console, fail
from linemap.services import sharing

app = typer.Typer(help="Information sharing agreements.", no_args_is_help=True)


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{what} must be a date as YYYY-MM-DD")


def _split(values: list[str]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. ISA-KENT-CE")],
    party: Annotated[list[str], typer.Option("--party", help="Agency code (two or more)")],
    role: Annotated[list[str], typer.Option("--role", help="Role that may read under it")],
    kind: Annotated[list[str], typer.Option("--kind", help="Record kind (mapping name) it covers")],
    purpose: Annotated[str, typer.Option("--purpose", help="Why the agencies share")],
    basis: Annotated[str, typer.Option("--basis", help="Lawful basis, e.g. DPA 2018 Sch 8 para 4")],
    start: Annotated[str, typer.Option("--start", help="First day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--end", help="Last day, YYYY-MM-DD")],
    max_tlp: Annotated[str, typer.Option("--max-tlp", help="clear, green or amber")] = "amber",
) -> None:
    """Record an agreement between agencies."""
    state: State = ctx.obj
    made = sharing.add_isa(
        state.uow,
        None,
        code=code,
        purpose=purpose,
        lawful_basis=basis,
        parties=_split(party),
        roles=_split(role),
        record_kinds=_split(kind),
        start=_day(start, "--start"),
        end=_day(end, "--end"),
        max_tlp=max_tlp,
        actor_name=state.settings.actor,
    )
    console.print(f"Agreement {made.code} recorded: {', '.join(sorted(made.parties))}.")


@app.command("list")
def list_isas(ctx: typer.Context) -> None:
    """List the agreements, in force or not."""
    state: State = ctx.obj
    table = Table("code", "parties", "roles", "kinds", "from", "to", "max TLP")
    for i in sharing.list_isas(state.uow, None):
        table.add_row(
            i.code,
            ", ".join(sorted(i.parties)),
            ", ".join(sorted(r.value for r in i.roles)),
            ", ".join(sorted(i.record_kinds)),
            i.start.isoformat(),
            i.end.isoformat(),
            i.max_tlp.value,
        )
    console.print(table)


@app.command("end")
def end(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Agreement code")],
    on: Annotated[str | None, typer.Option("--on", help="Last day (default today)")] = None,
) -> None:
    """End an agreement: access under it stops after that day."""
    state: State = ctx.obj
    last = _day(on, "--on") if on else date.today()
    sharing.end_isa(state.uow, None, code, last, actor_name=state.settings.actor)
    console.print(f"Agreement {code.upper()} ends on {last.isoformat()}.")
