"""Run the workspace under uvicorn (the CLI's `serve` calls this)."""

from __future__ import annotations

import uvicorn

from linemap.settings import Settings
from linemap.web.app import create_app


def run(settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted."""
    uvicorn.run(
        create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False
    )
