"""Composition root: build what the entrypoints need from Settings, nothing at import time."""

from __future__ import annotations

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork


def unit_of_work(settings: Settings, *, check: bool = True) -> UnitOfWork:
    """Connect to the configured database; by default insist it is initialised."""
    uow = UnitOfWork.from_url(settings.database_url)
    if check:
        uow.check_ready()
    return uow
