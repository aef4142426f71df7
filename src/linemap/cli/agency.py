"""`linemap agency ...` and `linemap user ...`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from linemap.cli.common import State, console, fail
from linemap.services import directory

agency_app = typer.Typer(help="Partner agencies.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)


@agency_app.command("add")
def add_agency(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. MPS or LBH-CSC")],
    name: Annotated[str, typer.Option("--name", help="Full name")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="police, probation, youth_justice, "
            "childrens_social_care, education, health, housing, voluntary",
        ),
    ],
    area: Annotated[str | None, typer.Option("--area", help="Local authority area")] = None,
    contact: Annotated[
        str | None,
        typer.Option("--contact", help="Whom others ask for what it holds (shown on discovery)"),
    ] = None,
) -> None:
    """Register a partner agency."""
    state: State = ctx.obj
    made = directory.add_agency(state.uow, state.settings.actor, code, name, kind, area, contact)
    console.print(f"Agency {made.code} added ({made.kind.value}).")


@agency_app.command("list")
def list_agencies(ctx: typer.Context) -> None:
    """List the partner agencies."""
    state: State = ctx.obj
    table = Table("code", "name", "kind", "area")
    for a in directory.list_agencies(state.uow):
        table.add_row(a.code, a.name, a.kind.value, a.area or "")
    console.print(table)


@user_app.command("add")
def add_user(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name")],
    agency: Annotated[str, typer.Option("--agency", help="Agency code")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="analyst, practitioner, police_intelligence, "
            "community_partner, mace_chair, auditor, administrator",
        ),
    ],
) -> None:
    """Create a user; the password is read from a prompt, or from stdin when piped."""
    state: State = ctx.obj
    password = _read_password()
    made = directory.add_user(state.uow, state.settings.actor, username, agency, role, password)
    console.print(f"User {made.username} added to {made.agency_code} as {made.role.value}.")


def _read_password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            fail("no password on standard input; pipe one line or run interactively")
        return line
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat password", hide_input=True) != first:
        fail("the passwords did not match; nothing was created")
    return str(first)


@user_app.command("disable")
def disable_user(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="Login name")]
) -> None:
    """Disable an account; its sessions end at once."""
    state: State = ctx.obj
    directory.set_active(state.uow, None, username, False)
    console.print(f"User {username} disabled; their sessions have ended.")


@user_app.command("enable")
def enable_user(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="Login name")]
) -> None:
    """Enable a disabled account."""
    state: State = ctx.obj
    directory.set_active(state.uow, None, username, True)
    console.print(f"User {username} enabled.")


@user_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List user accounts."""
    state: State = ctx.obj
    table = Table("username", "agency", "role", "active")
    for u in directory.list_users(state.uow):
        table.add_row(u.username, u.agency_code, u.role.value, "yes" if u.active else "no")
    console.print(table)
