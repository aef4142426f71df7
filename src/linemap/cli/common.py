"""What every command module shares: the state object, consoles and failing cleanly."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import NoReturn

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from linemap import bootstrap
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)


@dataclass
class State:
    """Settings resolved from flags and environment, and the database once opened."""

    settings: Settings
    _uow: UnitOfWork | None = None

    @property
    def uow(self) -> UnitOfWork:
        """Open the configured database (checked to be initialised) on first use."""
        if self._uow is None:
            self._uow = bootstrap.unit_of_work(self.settings)
        return self._uow


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit non-zero."""
    error_console.print(f"linemap: error: {message}", markup=False, soft_wrap=True)
    sys.exit(code)


def stage_bar(*, disable: bool = False) -> Progress:
    """Return the spinner that names each stage of a long step, with the time elapsed, on
    stderr (gone when done; off when stderr is not a terminal or `disable` is set)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=error_console,
        transient=True,
        disable=disable or not error_console.is_terminal,
    )
