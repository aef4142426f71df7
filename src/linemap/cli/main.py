"""The `linemap` command: global options, command families, and one clear line per error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from linemap import bootstrap
from linemap.cli import (
    agency,
    audit,
    evaluate,
    ingest,
    link,
    mapping,
    network,
    resolve,
    safeguard,
    serve,
    sharing,
    simulate,
)
from linemap.cli import map as map_cmd
from linemap.cli.common import State, console, fail
from linemap.errors import LinemapError
from linemap.services import database
from linemap.settings import Settings

app = typer.Typer(
    name="linemap",
    help="Multi-agency County Lines mapping and safeguarding.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(agency.agency_app, name="agency")
app.add_typer(agency.user_app, name="user")
app.add_typer(mapping.app, name="mapping")
app.add_typer(audit.app, name="audit")
app.add_typer(sharing.app, name="isa")
app.add_typer(network.app, name="network")
app.add_typer(safeguard.cases_app, name="cases")
app.add_typer(safeguard.export_app, name="export")
app.command("ingest")(ingest.ingest)
app.command("erase")(audit.erase)
app.command("simulate")(simulate.simulate)
app.command("evaluate")(evaluate.evaluate)
app.command("serve")(serve.serve)
app.command("link")(link.link)
app.command("resolve")(resolve.resolve)
app.command("map")(map_cmd.map_network)
app.command("assess")(safeguard.assess)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default: LINEMAP_DATABASE_URL or sqlite:///linemap.db)",
            show_default=False,
        ),
    ] = None,
    mapping_path: Annotated[
        list[Path] | None, typer.Option("--mapping-path", help="Extra folder of mapping files")
    ] = None,
) -> None:
    """Multi-agency County Lines mapping and safeguarding."""
    ctx.obj = State(
        Settings.from_env(
            database_url=db, mapping_dirs=tuple(mapping_path) if mapping_path else None
        )
    )


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Create the database, or migrate it to the newest schema."""
    state: State = ctx.obj
    uow = bootstrap.unit_of_work(state.settings, check=False)
    before, after = database.initialise(uow)
    if before == after:
        console.print(f"Database is up to date (revision {after}).")
    else:
        console.print(f"Database migrated from {before or 'empty'} to revision {after}.")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a LinemapError becomes one line on stderr and a non-zero exit."""
    try:
        app(args=argv, standalone_mode=False)
    except LinemapError as error:
        fail(str(error), error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        fail("interrupted; nothing was committed by the interrupted step", 130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except Exception as error:  # never show a traceback: it may hold data
        if type(error).__module__.startswith(("click", "typer._click")):  # typer vendors click
            _usage(error)
        fail(f"internal error ({type(error).__name__}); please report it with the command used", 70)


def _usage(error: Exception) -> None:
    show = getattr(error, "show", None)
    if callable(show):
        show()
    sys.exit(getattr(error, "exit_code", 2))
