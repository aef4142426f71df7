"""Evaluation scores the stages that exist and says which wait for later work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linemap.errors import InvalidInput, NotFound
from linemap.services import evaluation, region
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.test_region import _region


def test_intake_stage_scores_stored_and_quarantined_rows(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    folder = _region(tmp_path / "region")
    with (folder / "exports" / "people.csv").open("a", encoding="utf-8") as handle:
        handle.write("P-0009,2025-01-12,other,Riley,Example,31/02/2009,,,,\n")
    region.load_region(uow, settings, folder)
    truth = {
        "records": {
            "KENTPOL:INT-000101": "I1",
            "KENTPOL:INT-000102": "I2",
            "KENTPOL:INT-000103": "I3",
            "VCS1:P-0001": "I4",
            "VCS1:P-0002": "I5",
            "VCS1:P-0009": "I6",
            "VCS1:P-0404": "I7",  # exported but never loaded: a miss
        },
        "broken": ["VCS1:P-0009"],
    }
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    results = {r.stage: r for r in evaluation.evaluate(uow, folder / "truth.json")}
    intake = results["intake"]
    assert intake.available
    stored = intake.metrics["stored"]
    assert isinstance(stored, dict)
    assert (stored["true_positives"], stored["false_positives"], stored["false_negatives"]) == (
        5,
        0,
        1,
    )
    assert stored["recall"] == pytest.approx(5 / 6, abs=1e-4)
    broken = intake.metrics["quarantined_broken_rows"]
    assert isinstance(broken, dict)
    assert (broken["precision"], broken["recall"]) == (1.0, 1.0)
    waiting = results["identity_resolution"]
    assert not waiting.available
    assert "linemap resolve" in waiting.note


def test_truth_must_be_a_truth_file(uow: UnitOfWork, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="truth"):
        evaluation.evaluate(uow, tmp_path / "absent.json")
    (tmp_path / "t.json").write_text('{"exploited": []}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="records"):
        evaluation.evaluate(uow, tmp_path / "t.json")
