"""`linemap network`: key players on any edge list (CSV), with no database.

For analysts and for checking linemap's ranking on published networks. `rank` ranks the nodes
of one network; `phases` ranks each phase's network and reports risers, fallers and changes of
leader. The file is read here (UTF-8, with or without BOM, or Windows-1252); the ranking is
`linemap.network`'s. Errors name columns and line numbers, never a value from the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from linemap.cli.common import console, stage_bar
from linemap.errors import NotFound, UnreadableFile
from linemap.network.change import Movement
from linemap.network.edge import EdgeList, find_columns, read_edges
from linemap.network.phase import PhaseReport, rank_phases
from linemap.network.rank import KeyPlayer, Measure, Ranking, rank

app = typer.Typer(
    help="Key players on any edge list: rank them, or rank them phase by phase.",
    no_args_is_help=True,
)

BIG_FILE = 4 * 1024 * 1024  # from this size on, show progress on stderr

EdgesArgument = Annotated[
    Path, typer.Argument(help="CSV file with one link per row", metavar="EDGES.csv")
]
SourceOption = Annotated[
    str | None,
    typer.Option("--source-column", help="Column of each link's source (default: source, from)"),
]
TargetOption = Annotated[
    str | None,
    typer.Option("--target-column", help="Column of each link's target (default: target, to)"),
]
WeightOption = Annotated[
    str | None,
    typer.Option(
        "--weight-column",
        help="Column of each link's weight (default: weight, count, calls; none: weight 1)",
    ),
]
DirectedOption = Annotated[
    bool, typer.Option("--directed", help="Links run from source to target (default: both ways)")
]
TopOption = Annotated[int, typer.Option("--top", min=1, help="How many key players to show")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON, no table, no progress")]


def read_edge_file(
    path: Path,
    *,
    source: str | None = None,
    target: str | None = None,
    weight: str | None = None,
    phase: str | None = None,
) -> EdgeList:
    """Read an edge list CSV: recognise or take its columns, then read every row as a link."""
    if not path.is_file():
        raise NotFound(f"there is no file {path.name} at the path given; check the path")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                if not header:
                    raise UnreadableFile(f"{path.name} is empty or has no header row")
                columns = find_columns(
                    header, source=source, target=target, weight=weight, phase=phase
                )
                return read_edges(((reader.line_num, row) for row in reader), columns)
        except UnicodeDecodeError:
            continue
        except csv.Error:
            raise UnreadableFile(
                f"{path.name} is not a well-formed CSV file near line {reader.line_num}; "
                "check it in a spreadsheet program"
            ) from None
        except OSError as error:
            raise UnreadableFile(f"cannot read {path.name}: {error.strerror}") from None
    raise UnreadableFile(f"{path.name} is neither UTF-8 nor Windows-1252 text; save it as UTF-8")


@contextmanager
def _progress(path: Path, quiet: bool) -> Iterator[Callable[[str], None]]:
    """Show a spinner with the current step on stderr, for big files and unless quiet."""
    big = path.is_file() and path.stat().st_size >= BIG_FILE
    bar = stage_bar(disable=quiet or not big)
    with bar:
        task = bar.add_task("Reading the edge list", total=None)
        yield lambda step: bar.update(task, description=step[:1].upper() + step[1:])


def _player(player: KeyPlayer) -> dict[str, Any]:
    return {
        "node": player.node,
        "rank": player.rank,
        "score": round(player.score, 6),
        "contributions": {str(m): round(v, 6) for m, v in player.contributions.items()},
    }


@app.command("rank")
def rank_command(
    edges_path: EdgesArgument,
    source_column: SourceOption = None,
    target_column: TargetOption = None,
    weight_column: WeightOption = None,
    directed: DirectedOption = False,
    top: TopOption = 10,
    as_json: JsonOption = False,
) -> None:
    """Rank the nodes of an edge list as key players, with each measure's contribution."""
    with _progress(edges_path, as_json) as progress:
        edges = read_edge_file(
            edges_path, source=source_column, target=target_column, weight=weight_column
        )
        ranking = rank(edges, directed=directed, progress=progress)
    if as_json:
        print(json.dumps([_player(p) for p in ranking.top(top)]))
        return
    _print_ranking(ranking, top)
    _print_caveats(ranking.caveats)


def _print_ranking(ranking: Ranking, top: int) -> None:
    kind = "directed" if ranking.directed else "undirected"
    table = Table(
        "rank", "node", "score", *(str(m) for m in Measure),
        title=f"Key players: top {min(top, ranking.nodes)} of {ranking.nodes:,} nodes,"
        f" {ranking.links:,} {kind} links",
    )  # fmt: skip
    for player in ranking.top(top):
        table.add_row(
            str(player.rank),
            Text(player.node),
            f"{player.score:.3f}",
            *(f"{player.contributions[m]:.3f}" for m in Measure),
        )
    console.print(table)
    weights = ", ".join(f"{m} {ranking.weights[m]:.2f}" for m in Measure)
    console.print(
        "Score: the sum of each measure divided by the network's largest, weighed "
        f"({weights}); the measure columns are those contributions. Ties go by node name."
    )


def _print_caveats(caveats: tuple[str, ...]) -> None:
    console.print("Caveats:")
    for caveat in caveats:
        console.print(f"  - {caveat}", markup=False)


@app.command("phases")
def phases_command(
    edges_path: EdgesArgument,
    phase_column: Annotated[
        str, typer.Option("--phase-column", help="Column of each link's phase")
    ],
    source_column: SourceOption = None,
    target_column: TargetOption = None,
    weight_column: WeightOption = None,
    directed: DirectedOption = False,
    top: TopOption = 10,
    as_json: JsonOption = False,
) -> None:
    """Rank key players phase by phase; show risers, fallers and changes of leader."""
    with _progress(edges_path, as_json) as progress:
        edges = read_edge_file(
            edges_path,
            source=source_column,
            target=target_column,
            weight=weight_column,
            phase=phase_column,
        )
        report = rank_phases(edges, directed=directed, top=top, progress=progress)
    if as_json:
        print(json.dumps(_report_json(report)))
        return
    _print_phases(report)
    _print_caveats(report.caveats)


def _movement(move: Movement) -> dict[str, Any]:
    return {"node": move.node, "before": move.before, "after": move.after, "change": move.change}


def _report_json(report: PhaseReport) -> dict[str, Any]:
    return {
        "top": report.top,
        "phases": [
            {
                "phase": p.phase,
                "nodes": p.ranking.nodes,
                "links": p.ranking.links,
                "leader": p.leader,
                "top": [_player(player) for player in p.ranking.top(report.top)],
                "notes": list(p.notes),
            }
            for p in report.phases
        ],
        "changes": [
            {
                "from": c.before,
                "to": c.after,
                "leader_before": c.leader_before,
                "leader_after": c.leader_after,
                "leader_changed": c.leader_changed,
                "risers": [_movement(m) for m in c.comparison.risers],
                "fallers": [_movement(m) for m in c.comparison.fallers],
            }
            for c in report.changes
        ],
        "caveats": list(report.caveats),
    }


def _moves(moves: tuple[Movement, ...]) -> str:
    return ", ".join(f"{m.node} ({m.before or 'new'}→{m.after or 'gone'})" for m in moves) or "-"


def _print_phases(report: PhaseReport) -> None:
    phases = Table(
        "phase", "nodes", "links", "leader", f"top {report.top}", title="Key players by phase"
    )
    for p in report.phases:
        ranked = ", ".join(player.node for player in p.ranking.top(report.top))
        phases.add_row(
            Text(p.phase), f"{p.ranking.nodes:,}", f"{p.ranking.links:,}", Text(p.leader or ""),
            Text(ranked),
        )  # fmt: skip
    console.print(phases)
    if report.changes:
        changes = Table("from", "to", "leader", "risers", "fallers", title="Changes between phases")
        for c in report.changes:
            leader = f"{c.leader_before} → {c.leader_after}" if c.leader_changed else "kept"
            changes.add_row(
                Text(c.before), Text(c.after), Text(leader),
                Text(_moves(c.comparison.risers)), Text(_moves(c.comparison.fallers)),
            )  # fmt: skip
        console.print(changes)
    shifts = report.leader_changes
    if not shifts:
        console.print("The leader is the same in every phase.")
    for c in shifts:
        console.print(
            f"Leader change from phase {c.before} to {c.after}: "
            f"{c.leader_before} → {c.leader_after}",
            markup=False,
        )
