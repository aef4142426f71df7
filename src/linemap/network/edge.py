"""Edge lists: which columns hold a link's ends, weight and phase, and reading rows into links.

Pure: the caller opens the file and hands over the header and numbered rows, so the same rules
serve the command line, the web and tests. Errors name columns and line numbers, never a value
from the file: a cell may hold a name or a phone number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from linemap.errors import InvalidInput

# Header names recognised without being told, compared lower-cased with spaces and hyphens as "_".
SOURCE_NAMES = ("source", "from", "src", "caller", "sender", "origin")
TARGET_NAMES = ("target", "to", "dst", "callee", "receiver", "recipient", "destination")
WEIGHT_NAMES = ("weight", "count", "calls", "value", "frequency", "n_calls")


@dataclass(frozen=True)
class EdgeColumns:
    """Positions in the header of a link's source, target, and optional weight and phase."""

    source: int
    target: int
    weight: int | None = None
    phase: int | None = None

    @property
    def width(self) -> int:
        """Return how many cells a row needs to hold every chosen column."""
        return 1 + max(
            p for p in (self.source, self.target, self.weight, self.phase) if p is not None
        )


@dataclass(frozen=True)
class EdgeList:
    """Links as recorded, one entry per row: ends, weight (1 when none is given) and phase.

    Repeated links are kept as rows here; `graph.make_network` sums them into one link.
    """

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    weights: tuple[float, ...]
    phases: tuple[str, ...] | None = None
    zero_weight_rows: int = 0  # rows of weight 0 left out: no contact is not a link

    def __len__(self) -> int:
        return len(self.sources)

    def select(self, rows: Iterable[int]) -> EdgeList:
        """Keep the given rows, in the given order."""
        chosen = list(rows)
        return EdgeList(
            tuple(self.sources[i] for i in chosen),
            tuple(self.targets[i] for i in chosen),
            tuple(self.weights[i] for i in chosen),
            tuple(self.phases[i] for i in chosen) if self.phases is not None else None,
        )


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _column(
    header: Sequence[str], given: str | None, known: Sequence[str], role: str
) -> int | None:
    """Find a column by the name given, or else by a recognised name; None if neither is there."""
    keys = [_key(name) for name in header]
    if given is not None:
        for position, name in enumerate(header):
            if name == given or keys[position] == _key(given):
                return position
        # The header is not listed: in a file without one, the first row holds data.
        raise InvalidInput(f"the file has no column {given!r} for the {role}; check its header row")
    for name in known:
        if name in keys:
            return keys.index(name)
    return None


def find_columns(
    header: Sequence[str],
    *,
    source: str | None = None,
    target: str | None = None,
    weight: str | None = None,
    phase: str | None = None,
) -> EdgeColumns:
    """Choose the columns of an edge list, by the names given or else by common header names."""
    found = {}
    for role, given, known in (
        ("source", source, SOURCE_NAMES),
        ("target", target, TARGET_NAMES),
    ):
        position = _column(header, given, known, role)
        if position is None:
            raise InvalidInput(
                f"cannot tell which column holds each link's {role} (looked for "
                f"{', '.join(known)}); name it with --{role}-column"
            )
        found[role] = position
    if found["source"] == found["target"]:
        raise InvalidInput("the source and target columns must differ; name two columns")
    weight_at = _column(header, weight, WEIGHT_NAMES, "weight")
    phase_at = _column(header, phase, (), "phase") if phase is not None else None
    return EdgeColumns(found["source"], found["target"], weight_at, phase_at)


def _weight(cell: str, line: int) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise InvalidInput(
            f"line {line}: the weight is not a number; give a number of contacts or a strength"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise InvalidInput(f"line {line}: the weight must be a finite number of 0 or more")
    return value


def read_edges(rows: Iterable[tuple[int, Sequence[str]]], columns: EdgeColumns) -> EdgeList:
    """Read numbered rows (line number, cells) into links; blank lines are skipped.

    A row of weight 0 is left out and counted (adjacency matrices write "no calls" as 0).
    """
    sources: list[str] = []
    targets: list[str] = []
    weights: list[float] = []
    phases: list[str] = []
    names: dict[str, str] = {}  # one string object per node, however often it appears
    zero = 0
    for line, row in rows:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < columns.width:
            raise InvalidInput(f"line {line} has {len(row)} cells, too few for the chosen columns")
        source, target = row[columns.source].strip(), row[columns.target].strip()
        if not source or not target:
            raise InvalidInput(
                f"line {line}: a link needs both ends; the source or target is empty"
            )
        value = 1.0 if columns.weight is None else _weight(row[columns.weight].strip(), line)
        if value == 0:
            zero += 1
            continue
        if columns.phase is not None:
            phase = row[columns.phase].strip()
            if not phase:
                raise InvalidInput(f"line {line}: the phase is empty; give every link a phase")
            phases.append(names.setdefault(phase, phase))
        sources.append(names.setdefault(source, source))
        targets.append(names.setdefault(target, target))
        weights.append(value)
    return EdgeList(
        tuple(sources),
        tuple(targets),
        tuple(weights),
        tuple(phases) if columns.phase is not None else None,
        zero,
    )
