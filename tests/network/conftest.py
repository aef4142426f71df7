"""Fixtures for key-player ranking: edge lists written as CSV, and the CAVIAR network.

CAVIAR (Morselli 2009) lives in ../shared/external-data/caviar beside the repository, as the
resolution data sets do (see tests/resolve/conftest.py); it is read there, never copied in.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from linemap.cli.main import main

CAVIAR = Path(__file__).resolve().parents[3] / "shared" / "external-data" / "caviar"
PHASES = range(1, 12)


def external(name: str) -> Path:
    """Return a file of ../shared/external-data/caviar, or skip if it is absent."""
    path = CAVIAR / name
    if not path.exists():
        pytest.skip(f"caviar/{name} is not in shared/external-data")
    return path


def write_edges(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write an edge list CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def caviar_rows() -> list[tuple[str, str, str, int]]:
    """Read the eleven phase matrices as links (source, target, calls, phase); nodes as n<k>."""
    rows = []
    for phase in PHASES:
        with external(f"phase{phase}.csv").open(newline="", encoding="utf-8") as handle:
            matrix = list(csv.reader(handle))
        targets = matrix[0][1:]
        for line in matrix[1:]:
            for target, calls in zip(targets, line[1:], strict=True):
                if float(calls) > 0:
                    rows.append((f"n{line[0]}", f"n{target}", calls, phase))
    return rows


@pytest.fixture
def caviar_csv(tmp_path: Path) -> Path:
    """All eleven phases as one edge list with a phase column."""
    return write_edges(
        tmp_path / "caviar.csv", ("source", "target", "weight", "phase"), caviar_rows()
    )


@dataclass
class Outcome:
    """What a command printed and how it exited."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run `linemap` in-process, as `main()` runs it for a user."""

    def invoke(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke
