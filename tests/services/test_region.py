"""Loading a region from its manifest: agencies registered once, every file ingested."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linemap.errors import InvalidInput, NotFound
from linemap.services import directory, mapping, region
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork


def _region(folder: Path) -> Path:
    """Write a two-agency region from the templates' synthetic examples."""
    (folder / "exports").mkdir(parents=True)
    mapping.write_example("police-intelligence", folder / "exports" / "intel.csv")
    mapping.write_example("person-register", folder / "exports" / "people.csv")
    manifest = {
        "agencies": [
            {"code": "KENTPOL", "name": "Kent Police", "kind": "police", "area": "Kent"},
            {"code": "VCS1", "name": "Margate Youth Project", "kind": "voluntary", "area": "Kent"},
        ],
        "files": [
            {"path": "exports/intel.csv", "agency": "KENTPOL", "mapping": "police-intelligence"},
            {"path": "exports/people.csv", "agency": "VCS1", "mapping": "person-register"},
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_load_registers_agencies_and_ingests_every_file(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    folder = _region(tmp_path / "region")
    seen: list[str] = []
    summary = region.load_region(uow, settings, folder, lambda path, _: seen.append(path))
    assert summary.agencies_added == 2
    assert seen == ["exports/intel.csv", "exports/people.csv"]
    assert (summary.accepted, summary.rejected) == (5, 0)
    assert [a.code for a in directory.list_agencies(uow)] == ["KENTPOL", "VCS1"]
    again = region.load_region(uow, settings, folder)
    assert again.agencies_added == 0
    assert again.accepted == 0
    assert sum(s.unchanged for s in again.files.values()) == 5


def test_load_refuses_a_missing_or_conflicting_manifest(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(NotFound, match=r"manifest\.json"):
        region.load_region(uow, settings, tmp_path)
    folder = _region(tmp_path / "region")
    directory.add_agency(uow, "admin", "VCS1", "A school", "education", None)
    with pytest.raises(InvalidInput, match="exists as education"):
        region.load_region(uow, settings, folder)
