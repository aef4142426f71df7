"""Create or migrate the database."""

from __future__ import annotations

from linemap.store.unit_of_work import UnitOfWork


def initialise(uow: UnitOfWork) -> tuple[str | None, str | None]:
    """Create the schema or bring it up to date; return the revisions before and after."""
    return uow.migrate()
