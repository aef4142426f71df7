"""`linemap serve`: the web workspace and /api/v1 under uvicorn."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer

from linemap.cli.common import State, console
from linemap.web import server


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on")] = 8000,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Allow the session cookie over plain HTTP (behind a TLS proxy only)",
        ),
    ] = False,
) -> None:
    """Serve the workspace. Put it behind TLS (R31) anywhere but this machine."""
    state: State = ctx.obj
    settings = replace(state.settings, secure_cookies=not insecure_cookies)
    console.print(f"linemap workspace on http://{host}:{port}/  (API: /api/v1, Ctrl-C stops)")
    server.run(settings, host, port)
