"""Fixtures for identity resolution: synthetic mentions and a model trained once per worker.

Tests marked `slow` (quality on the 50k data set, Spark) are skipped unless LINEMAP_RUN_SLOW=1
or pytest is run with `-m slow`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linemap.resolve.feature import Features, make_features
from linemap.resolve.model import Model
from linemap.resolve.splink_backend import DuckDBBackend
from tests.resolve.synthetic import make_mentions

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "external-data" / "splink_datasets"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip slow tests unless asked for."""
    if item.get_closest_marker("slow") is None:
        return
    chosen = str(item.config.getoption("-m") or "")
    if os.environ.get("LINEMAP_RUN_SLOW") != "1" and "slow" not in chosen:
        pytest.skip("slow: set LINEMAP_RUN_SLOW=1 or run pytest -m slow")


@pytest.fixture(scope="session")
def mentions() -> tuple[list[dict[str, str | None]], dict[str, str]]:
    """About 1,500 mentions of 600 invented people, with the truth."""
    return make_mentions(600, seed=7)


@pytest.fixture(scope="session")
def features(mentions: tuple[list[dict[str, str | None]], dict[str, str]]) -> Features:
    return make_features(mentions[0])


@pytest.fixture(scope="session")
def backend() -> DuckDBBackend:
    return DuckDBBackend()


@pytest.fixture(scope="session")
def model(backend: DuckDBBackend, features: Features) -> Model:
    """Train once: small samples keep it to a second or two."""
    return backend.train(features, seed=11, u_max_pairs=2e5)


def external(name: str) -> Path:
    """Return a file of ../shared/external-data/splink_datasets, or skip if it is absent."""
    path = EXTERNAL / name
    if not path.exists():
        pytest.skip(f"{name} is not in shared/external-data")
    return path
