"""Score what linemap holds against a simulated region's truth.json, stage by stage.

Each stage is a function from (truth, what is stored) to a StageResult; a stage whose part of
linemap does not exist yet says so and names what it waits for, so later issues plug in by
replacing one function.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linemap.errors import InvalidInput, MappingError
from linemap.intake.mapping import load_mapping
from linemap.services.region import read_json
from linemap.simulate.metric import Score, b_cubed, pairwise, set_score
from linemap.store.unit_of_work import Transaction, UnitOfWork

Truth = dict[str, Any]


@dataclass(frozen=True)
class StageResult:
    """One stage's scores, or why it cannot be scored yet."""

    stage: str
    available: bool
    metrics: dict[str, object] = field(default_factory=dict)
    note: str = ""


def read_truth(path: Path) -> Truth:
    """Read truth.json and check it has what scoring needs."""
    truth = read_json(path, f"no truth file at {path}; give DIR/truth.json from `linemap simulate`")
    if not isinstance(truth, dict) or not isinstance(truth.get("records"), dict):
        raise InvalidInput(f"{path} has no 'records' object; is it a linemap truth file?")
    return truth


def evaluate(uow: UnitOfWork, truth_path: Path) -> list[StageResult]:
    """Score every stage against the truth."""
    truth = read_truth(truth_path)
    with uow.read() as tx:
        return [stage(truth, tx) for stage in STAGES]


def _score(score: Score) -> dict[str, object]:
    return {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "true_positives": score.true_positives,
        "false_positives": score.false_positives,
        "false_negatives": score.false_negatives,
        "caveats": list(score.caveats),
    }


def _intake(truth: Truth, tx: Transaction) -> StageResult:
    """Every good exported row stored, every broken one quarantined."""
    broken = set(truth.get("broken", []))
    expected = set(truth["records"]) - broken
    stored = set(tx.records.iter_record_keys())
    quarantined = set(_quarantined_keys(tx))
    return StageResult(
        "intake",
        True,
        {
            "records_in_truth": len(truth["records"]),
            "stored": _score(set_score(stored, expected)),
            "quarantined_broken_rows": _score(set_score(quarantined, broken)),
        },
    )


def _quarantined_keys(tx: Transaction) -> list[str]:
    columns: dict[str, str | None] = {}
    keys = []
    for agency, mapping, raw in tx.records.iter_quarantined():
        if mapping not in columns:
            try:
                columns[mapping] = load_mapping(mapping).source_ref.column
            except MappingError:
                columns[mapping] = None  # a mapping file no longer at hand
        column = columns[mapping]
        ref = json.loads(raw).get(column, "") if column else ""
        if ref:
            keys.append(f"{agency}:{ref}")
    return keys


def _identity_resolution(truth: Truth, tx: Transaction) -> StageResult:
    """Pairwise and B-cubed scores of the latest run's people against the true identities."""
    run = tx.resolution.latest_run()
    if run is None:
        return StageResult(
            "identity_resolution", False, note="not scored yet: run `linemap resolve`"
        )
    predicted = dict(tx.resolution.iter_subjects(run.id))
    records: dict[str, str] = truth["records"]
    return StageResult(
        "identity_resolution",
        True,
        {
            "run": run.id,
            "mentions": run.mentions,
            "people": run.people,
            "pairwise": _score(pairwise(predicted, records)),
            "b_cubed": _score(b_cubed(predicted, records)),
        },
        note="each record scored by the person it is about (its first person)",
    )


def _waiting(stage: str, needs: str) -> Callable[[Truth, Transaction], StageResult]:
    def result(_truth: Truth, _tx: Transaction) -> StageResult:
        return StageResult(stage, False, note=f"not scored yet: needs {needs}")

    return result


STAGES: list[Callable[[Truth, Transaction], StageResult]] = [
    _intake,
    _identity_resolution,
    _waiting("organisers", "the network map (issue 6)"),
    _waiting("lines", "the network map (issue 6)"),
    _waiting("cuckooed_addresses", "the network map (issue 6)"),
    _waiting("recruitment_places", "the network map (issue 6)"),
    _waiting("exploited", "indicators and flags (issue 7)"),
    _waiting("safeguarding_coverage", "the safeguarding workflow (issue 7)"),
]
