"""Schemathesis over the OpenAPI document: no 5xx and no traceback, whatever is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from linemap.web.app import create_app
from tests.web.conftest import PASSWORD, seed_workspace

STATE: dict[str, str] = {}


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """One SQLite workspace for the whole module, with an analyst signed in."""
    from fastapi.testclient import TestClient

    folder: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'linemap.db'}"
    UnitOfWork.from_url(url).migrate()
    seed_workspace(url, folder)
    app = create_app(Settings(database_url=url, sign_in_limit=10_000))
    with TestClient(app, base_url="https://testserver") as client:
        signed = client.post(
            "/api/v1/session", json={"username": "pol.analyst", "password": PASSWORD}
        )
        assert signed.status_code == 200
        STATE["cookie"] = f"__Host-linemap={client.cookies.get('__Host-linemap')}"
        STATE["csrf"] = signed.json()["csrf_token"]
    yield app
    app.state.workspace.uow.dispose()


def test_api_answers_every_request_without_a_server_error(fuzzed_app: FastAPI) -> None:
    # Schemathesis' pytest plugin does not run on pytest 9 (it reads a private attribute), so
    # its Hypothesis strategy is driven directly, operation by operation.
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed_app)
    headers = {"Cookie": STATE["cookie"], "X-CSRF-Token": STATE["csrf"]}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        if (operation.method.upper(), operation.path) == ("DELETE", "/api/v1/session"):
            continue  # signing out would end the fuzzing session

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text)
            assert "Traceback" not in response.text
            if response.status_code >= 400:
                assert set(response.json()) == {"error"}, response.text

        check()
