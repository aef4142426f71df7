"""`linemap network rank|phases` end to end: outputs, options, and one clear line per error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from linemap.cli import network as network_cli
from tests.network.conftest import Outcome, write_edges

Run = Callable[..., Outcome]

LINKS = [
    ("Anna", "Ben", 3),
    ("Anna", "Cal", 1),
    ("Anna", "Dee", 2),
    ("Ben", "Cal", 1),
    ("Dee", "Eve", 5),
    ("Eve", "Fay", 1),
]


@pytest.fixture
def edges_csv(tmp_path: Path) -> Path:
    return write_edges(tmp_path / "links.csv", ("From", "To", "Calls"), LINKS)


def failed(result: Outcome) -> str:
    """Check a command failed with one line on stderr and no traceback; return the line."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("linemap: error: ")
    return lines[0]


def test_rank_prints_json_with_contributions(run: Run, edges_csv: Path) -> None:
    result = run("network", "rank", str(edges_csv), "--top", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    players = json.loads(result.stdout)
    assert [p["rank"] for p in players] == [1, 2, 3]
    assert players[0]["node"] == "Anna"
    for player in players:
        assert set(player) == {"node", "rank", "score", "contributions"}
        assert set(player["contributions"]) == {"degree", "strength", "betweenness", "pagerank"}
        assert sum(player["contributions"].values()) == pytest.approx(player["score"], abs=1e-5)


def test_rank_prints_a_table_and_the_caveats(run: Run, edges_csv: Path) -> None:
    result = run("network", "rank", str(edges_csv))
    assert result.returncode == 0, result.stderr
    assert "Key players: top 6 of 6 nodes, 6 undirected links" in result.stdout
    assert "Anna" in result.stdout
    assert "betweenness" in result.stdout
    assert "Caveats:" in result.stdout
    assert "not culpability" in result.stdout


def test_named_columns_directed_and_no_weight(run: Run, tmp_path: Path) -> None:
    path = write_edges(tmp_path / "x.csv", ("a", "b", "n"), [("p", "q", 9), ("q", "p", 1)])
    undirected = run("network", "rank", str(path), "--source-column", "a", "--target-column", "b")
    assert undirected.returncode == 0, undirected.stderr
    assert "1 undirected links" in undirected.stdout
    assert "same weight" in undirected.stdout  # no weight column: every row weighs 1
    directed = run(
        "network", "rank", str(path), "--source-column", "a", "--target-column", "b",
        "--weight-column", "n", "--directed", "--json",
    )  # fmt: skip
    assert directed.returncode == 0, directed.stderr
    players = json.loads(directed.stdout)
    assert [p["node"] for p in players] == ["p", "q"]
    assert players[0]["contributions"]["strength"] == players[1]["contributions"]["strength"]


def test_phases_json_in_numeric_order(run: Run, tmp_path: Path) -> None:
    rows = [
        ("a", "b", 1, "10"), ("a", "c", 1, "10"), ("a", "d", 1, "10"),
        ("b", "a", 1, "2"), ("b", "c", 1, "2"), ("b", "d", 1, "2"),
    ]  # fmt: skip
    path = write_edges(tmp_path / "p.csv", ("source", "target", "weight", "wave"), rows)
    result = run("network", "phases", str(path), "--phase-column", "wave", "--top", "2", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [p["phase"] for p in report["phases"]] == ["2", "10"]
    assert [p["leader"] for p in report["phases"]] == ["b", "a"]
    [change] = report["changes"]
    assert (change["from"], change["to"], change["leader_changed"]) == ("2", "10", True)
    assert change["risers"][0] == {"node": "a", "before": 2, "after": 1, "change": 1}
    assert report["caveats"]


def test_phases_table_shows_leader_changes(run: Run, tmp_path: Path) -> None:
    rows = [("a", x, 1, 1) for x in "bcd"] + [("b", x, 1, 2) for x in "acd"]
    path = write_edges(tmp_path / "p.csv", ("source", "target", "weight", "phase"), rows)
    result = run("network", "phases", str(path), "--phase-column", "phase")
    assert result.returncode == 0, result.stderr
    assert "Key players by phase" in result.stdout
    assert "Leader change from phase 1 to 2: a → b" in result.stdout


def test_progress_goes_to_stderr_and_json_stays_clean(
    run: Run, edges_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network_cli, "BIG_FILE", 0)
    result = run("network", "rank", str(edges_csv), "--json")
    assert result.returncode == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)[0]["node"] == "Anna"
    shown = run("network", "rank", str(edges_csv))
    assert shown.returncode == 0
    assert "Anna" not in shown.stderr


def test_windows_1252_files_are_read(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes("source,target\nZo\xeb,Andr\xe9\n".encode("latin-1"))
    result = run("network", "rank", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert {p["node"] for p in json.loads(result.stdout)} == {"Zoë", "André"}


def test_a_missing_file(run: Run, tmp_path: Path) -> None:
    line = failed(run("network", "rank", str(tmp_path / "nowhere.csv")))
    assert "nowhere.csv" in line


def test_an_unreadable_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"source,target\n\x81\x8d\x8f,\x90\x9d\n")
    assert "neither UTF-8 nor Windows-1252" in failed(run("network", "rank", str(path)))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "no header" in failed(run("network", "rank", str(empty)))


def test_a_missing_column(run: Run, edges_csv: Path) -> None:
    line = failed(run("network", "rank", str(edges_csv), "--weight-column", "strength"))
    assert "no column 'strength'" in line
    line = failed(run("network", "phases", str(edges_csv), "--phase-column", "wave"))
    assert "no column 'wave'" in line


def test_a_non_numeric_weight_names_the_line_not_the_value(run: Run, tmp_path: Path) -> None:
    rows = [("a", "b", "2"), ("b", "c", "07700 900123")]
    path = write_edges(tmp_path / "bad.csv", ("source", "target", "weight"), rows)
    line = failed(run("network", "rank", str(path)))
    assert "line 3" in line
    assert "07700" not in line


def test_an_empty_graph(run: Run, tmp_path: Path) -> None:
    header_only = write_edges(tmp_path / "h.csv", ("source", "target"), [])
    assert "no links" in failed(run("network", "rank", str(header_only)))
    loops = write_edges(tmp_path / "l.csv", ("source", "target", "phase"), [("a", "a", 1)])
    assert "no links" in failed(run("network", "phases", str(loops), "--phase-column", "phase"))


def test_phases_needs_the_phase_column_option(run: Run, edges_csv: Path) -> None:
    result = run("network", "phases", str(edges_csv))
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
