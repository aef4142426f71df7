"""Engines: PostgreSQL connections run without JIT, whatever options the URL already gives."""

from __future__ import annotations

import pytest
from sqlalchemy import make_url, text

from linemap.store.db import make_engine
from linemap.store.unit_of_work import UnitOfWork


def test_postgresql_connections_run_without_jit(uow: UnitOfWork, database_url: str) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with uow.read() as tx:
        assert tx.connection.execute(text("SHOW jit")).scalar() == "off"
    given = make_url(database_url).update_query_dict({"options": "-c statement_timeout=5000"})
    engine = make_engine(given.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar() == "off"
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "5s"
    finally:
        engine.dispose()
