"""Key players phase by phase: one ranking per phase, and what changed between phases.

A phase is any label on a link (a wiretap period, a month, an operation stage). Each phase is
ranked on its own links only, so a score compares nodes within a phase, not across phases.
Phases run in natural order: numerically when every label is a number (2 before 10), else by
text with the digits in it read as numbers ("phase 2" before "phase 10").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from linemap.errors import InvalidInput
from linemap.network.change import Comparison, compare
from linemap.network.edge import EdgeList
from linemap.network.graph import make_network
from linemap.network.rank import (
    CAVEATS,
    DEFAULT_SEED,
    DEFAULT_WEIGHTS,
    EXACT_BETWEENNESS_BUDGET,
    Measure,
    Progress,
    Ranking,
    rank_network,
)

PHASE_CAVEAT = (
    "Each phase is ranked on its own links: a score compares nodes within one phase, and a node "
    "missing from a phase may simply not have been recorded in it."
)


@dataclass(frozen=True)
class PhaseRanking:
    """One phase's ranking."""

    phase: str
    ranking: Ranking

    @property
    def notes(self) -> tuple[str, ...]:
        """Return the caveats particular to this phase's network (sampling, parts, weights)."""
        return tuple(note for note in self.ranking.caveats if note not in CAVEATS)

    @property
    def leader(self) -> str | None:
        """Return the phase's top-ranked node."""
        return self.ranking.leader


@dataclass(frozen=True)
class PhaseChange:
    """From one phase to the next: the leader before and after, risers and fallers in the top k."""

    before: str
    after: str
    leader_before: str | None
    leader_after: str | None
    comparison: Comparison

    @property
    def leader_changed(self) -> bool:
        """Return whether the phase has a different leader from the one before."""
        return self.leader_before != self.leader_after


@dataclass(frozen=True)
class PhaseReport:
    """Every phase's ranking in order, the changes between consecutive phases, and caveats."""

    top: int
    phases: tuple[PhaseRanking, ...]
    changes: tuple[PhaseChange, ...]
    caveats: tuple[str, ...]

    @property
    def leader_changes(self) -> tuple[PhaseChange, ...]:
        """Return the changes between phases where the leader changed."""
        return tuple(change for change in self.changes if change.leader_changed)


def _number(label: str) -> float | None:
    try:
        value = float(label)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _natural(label: str) -> tuple[tuple[int, int | str], ...]:
    """Split a label into text and numbers, so "phase 10" sorts after "phase 2"."""
    parts = re.split(r"(\d+)", label.casefold())
    return tuple((0, int(p)) if p.isdecimal() else (1, p) for p in parts if p)


def phase_order(labels: Iterable[str]) -> list[str]:
    """Order phase labels: numerically if every label is a number, else naturally."""
    distinct = set(labels)
    numbers = {label: _number(label) for label in distinct}
    if all(value is not None for value in numbers.values()):
        return sorted(distinct, key=lambda label: (numbers[label], label))
    return sorted(distinct, key=lambda label: (_natural(label), label))


def rank_phases(
    edges: EdgeList,
    *,
    directed: bool = False,
    top: int = 10,
    weights: Mapping[Measure, float] = DEFAULT_WEIGHTS,
    seed: int = DEFAULT_SEED,
    exact_budget: int = EXACT_BETWEENNESS_BUDGET,
    progress: Progress | None = None,
) -> PhaseReport:
    """Rank each phase's network and compare each phase with the one before."""
    if edges.phases is None:
        raise InvalidInput("the links have no phase; name the phase column")
    rows: dict[str, list[int]] = {}
    for row, label in enumerate(edges.phases):
        rows.setdefault(label, []).append(row)
    rankings, notes = [], []
    for label in phase_order(rows):
        if progress:
            progress(f"phase {label}")
        network = make_network(edges.select(rows[label]), directed=directed)
        if network.links == 0:
            notes.append(
                f"A phase has no links between two different nodes and is left out: {label}."
            )
            continue
        ranking = rank_network(network, weights=weights, seed=seed, exact_budget=exact_budget)
        rankings.append(PhaseRanking(label, ranking))
    if not rankings:
        raise InvalidInput("there are no links between two different nodes to rank; check the file")
    changes = tuple(
        PhaseChange(a.phase, b.phase, a.leader, b.leader, compare(a.ranking, b.ranking, top))
        for a, b in pairwise(rankings)
    )
    return PhaseReport(top, tuple(rankings), changes, (*CAVEATS, PHASE_CAVEAT, *notes))
