"""`linemap mapping ...`: the shipped mapping templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linemap.cli.common import console
from linemap.services import mapping as mapping_service

app = typer.Typer(help="Mapping templates for agency exports.", no_args_is_help=True)


@app.command("list")
def list_templates() -> None:
    """Print one template name per line."""
    for name in mapping_service.template_names():
        print(name)


@app.command("template")
def template(
    name: Annotated[str, typer.Argument(help="Template name (see `linemap mapping list`)")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write")],
) -> None:
    """Write the columns a template expects and a few synthetic example rows."""
    rows = mapping_service.write_example(name, out)
    console.print(f"Wrote {out}: the columns of {name} and {rows} synthetic example rows.")
