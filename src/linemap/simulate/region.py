"""Simulate a County Lines region: agency exports with the truth kept aside (entry point)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from linemap.errors import InvalidInput
from linemap.simulate.export import write_exports
from linemap.simulate.truth import write_manifest, write_truth
from linemap.simulate.world import make_world

SIZES = {"small": 5_000, "medium": 100_000, "large": 1_000_000}  # approximate exported records
_RECORDS_PART = ".records.part"


@dataclass(frozen=True)
class SimulationSummary:
    """What a simulation wrote."""

    out: Path
    seed: int
    records: int
    files: int
    agencies: int
    broken_rows: int


def simulate(out: Path, seed: int, *, records: int) -> SimulationSummary:
    """Write a simulated region's exports, truth.json and manifest.json into an empty folder."""
    if records < 1:
        raise InvalidInput("records must be at least 1; give a size or a positive --records")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInput(f"{out} exists and is not an empty folder; choose a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    world = make_world(seed, records)
    part = out / _RECORDS_PART
    try:
        result = write_exports(world, seed, records, out, part)
        write_truth(world, result, seed, out, part)
    finally:
        part.unlink(missing_ok=True)
    write_manifest(result, seed, out)
    agencies = len({f["agency"] for f in result.files})
    return SimulationSummary(
        out, seed, result.records, len(result.files), agencies, len(result.broken)
    )
