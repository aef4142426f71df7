"""Simulate a region, and load a simulated (or any manifest-described) region into the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linemap.errors import InvalidInput, NotFound
from linemap.services import directory, intake, search
from linemap.settings import Settings
from linemap.simulate.region import SIZES, SimulationSummary, simulate
from linemap.store.unit_of_work import UnitOfWork

FileDone = Callable[[str, intake.IngestSummary], None]


@dataclass
class LoadSummary:
    """What loading a region did, file by file."""

    agencies_added: int = 0
    files: dict[str, intake.IngestSummary] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        """Return the rows stored across every file."""
        return sum(s.accepted for s in self.files.values())

    @property
    def rejected(self) -> int:
        """Return the rows quarantined across every file."""
        return sum(s.rejected for s in self.files.values())


def read_json(path: Path, missing: str) -> Any:
    """Read a JSON file; a missing or unreadable one is a clear error, never a traceback."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound(missing) from None
    except (OSError, ValueError):
        raise InvalidInput(f"{path} is not readable JSON; regenerate it") from None


def read_manifest(folder: Path) -> dict[str, list[dict[str, str]]]:
    """Read and check DIR/manifest.json: agencies and, per export file, its agency and mapping."""
    path = folder / "manifest.json"
    manifest = read_json(
        path, f"no manifest.json in {folder}; give the folder `linemap simulate` wrote"
    )
    if not isinstance(manifest, dict) or not {"agencies", "files"} <= manifest.keys():
        raise InvalidInput(f"{path} needs 'agencies' and 'files' lists")
    return manifest


def load_region(
    uow: UnitOfWork, settings: Settings, folder: Path, on_file: FileDone | None = None
) -> LoadSummary:
    """Register the manifest's agencies (reusing existing ones) and ingest every export file."""
    manifest = read_manifest(folder)
    summary = LoadSummary()
    known = {a.code: a for a in directory.list_agencies(uow)}
    for entry in manifest["agencies"]:
        existing = known.get(entry["code"])
        if existing is None:
            directory.add_agency(
                uow,
                settings.actor,
                entry["code"],
                entry["name"],
                entry["kind"],
                entry.get("area"),
                entry.get("contact"),
            )
            summary.agencies_added += 1
        elif existing.kind.value != entry["kind"]:
            raise InvalidInput(
                f"agency {existing.code} exists as {existing.kind.value}, the manifest says "
                f"{entry['kind']}; load into another database or rename the agency"
            )
    for entry in manifest["files"]:
        done = intake.ingest(
            uow, settings, folder / entry["path"], entry["agency"], entry["mapping"]
        )
        summary.files[entry["path"]] = done
        if on_file:
            on_file(entry["path"], done)
    search.refresh_index(uow)
    return summary


def simulate_region(
    out: Path, seed: int, size: str | None = None, records: int | None = None
) -> SimulationSummary:
    """Write a simulated region (exports, truth.json, manifest.json) into `out`."""
    if (size is None) == (records is None):
        raise InvalidInput("give either --size (small, medium, large) or --records N")
    if size is not None and size not in SIZES:
        raise InvalidInput(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    count = SIZES[size] if size is not None else int(records or 0)
    if count < 100:
        raise InvalidInput("a region needs at least 100 records; give a larger --records")
    return simulate(out, seed, records=count)
