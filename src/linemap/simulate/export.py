"""Write each agency's export files, streaming rows, and keep the true identity of every row."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from linemap.intake.mapping import MappingSpec, load_mapping
from linemap.simulate import parameter
from linemap.simulate.agency import EXPORTS, Agency, ExportSpec, get_agency
from linemap.simulate.noise import Garbler, break_value
from linemap.simulate.person import Identity
from linemap.simulate.row import RowContext
from linemap.simulate.world import Line, World

_REF_SHAPES = {
    "police-intelligence": "INT-{:07d}",
    "custody-arrest": "CU/{:08d}",
    "missing-episode": "MIS-{:06d}",
    "mace-tracker": "MACE-{:05d}",
    "social-care-case": "PL-{:07d}",
    "school-attendance": "EXC-{:06d}",
    "ae-assault": "ED-{:07d}",
    "probation-caseload": "X{:06d}",
    "youth-justice-caseload": "YJS-{:06d}",
    "housing-asb-cuckooing": "ASB/{:06d}",
    "community-concern": "CR-{:06d}",
    "person-register": "DAS{:07d}",
    "stop-search": "SS-{:07d}",
    "social-care-referral": "REF-{:07d}",
}


# Exports that record anyone met in the agency's area; the others record its own residents.
_MET_IN_AREA = frozenset(
    {"police-intelligence", "custody-arrest", "stop-search", "ae-assault", "community-concern"}
)


@dataclass(slots=True)
class ExportResult:
    """What writing the exports produced: file entries, row count and the broken rows."""

    files: list[dict[str, str]] = field(default_factory=list)
    records: int = 0
    broken: list[str] = field(default_factory=list)


def breakables(mapping: MappingSpec) -> list[tuple[str, str]]:
    """Return the (column, kind) pairs a row can be broken on so that intake refuses it."""
    found: dict[str, str] = {}
    if mapping.recorded is not None and mapping.recorded.required and mapping.recorded.column:
        found[mapping.recorded.column] = "required"
    for spec in mapping.entities.values():
        schema = spec.entity_schema
        for name, f in spec.properties.items():
            if f.column is None or f.column == mapping.source_ref.column:
                continue
            kind = schema.properties[name].type
            if kind == "partial_date":
                found.setdefault(f.column, "dob")
            elif kind == "postcode":
                found.setdefault(f.column, "postcode")
            elif f.required and not f.default:
                found.setdefault(f.column, "required")
    return sorted(found.items())


def _pools(
    world: World, spec: ExportSpec, agency: Agency, rng: random.Random
) -> tuple[list[tuple[int, int]], list[int]]:
    """Return who may appear in a file: (person, line) pairs on lines, and background people."""
    covered = {a.index for a in world.areas if a.name in agency.covers}
    connected: list[tuple[int, int]] = []
    met_in_area = spec.template in _MET_IN_AREA
    for line in world.lines:
        if met_in_area and not covered & {line.exporting_area, *line.importing_areas}:
            continue
        for number in (*line.members, *line.cuckooed):
            person = world.person(number)
            lives = {person.area, person.moved[1] if person.moved else person.area}
            if not (met_in_area or covered & lives):
                continue
            if any(r[0] in spec.roles and r[3] == line.id for r in person.roles):
                connected.append((number, line.index))
    low, high = spec.ages
    needing: list[int] = []
    others: list[int] = []
    for someone in world.people:
        if someone is None or someone.number in world.connected or someone.area not in covered:
            continue
        if low <= someone.age_on(parameter.REFERENCE_DATE) <= high:
            (needing if spec.needs and spec.needs in someone.vulnerabilities else others).append(
                someone.number
            )
    share = 0.05 if spec.needs else spec.background
    background = (
        needing + rng.sample(others, max(1, int(len(others) * share))) if others else needing
    )
    return sorted(set(connected)), sorted(background)


def _rows(
    world: World, spec: ExportSpec, ctx: RowContext, count: int
) -> Iterator[tuple[str, Identity, dict[str, str]]]:
    """Yield (source reference, person, clean row) for one file."""
    rng = ctx.rng
    connected, background = _pools(world, spec, get_agency(spec.agency), rng)
    shape = _REF_SHAPES[spec.template]
    serial = rng.randrange(1000, 90000)
    share = parameter.CONNECTED_SHARE_BY_AGENCY.get(
        (spec.agency, spec.template), parameter.CONNECTED_SHARE[spec.template]
    )
    for _ in range(count):
        serial += rng.randint(1, 9)
        line: Line | None = None
        if connected and (rng.random() < share or not background):
            number, index = rng.choice(connected)
            line = world.lines[index]
        else:
            number = rng.choice(background)
        person = world.person(number)
        ref = shape.format(serial)
        yield ref, person, spec.build(ctx, ref, person, line)


def write_export(
    world: World,
    spec: ExportSpec,
    index: int,
    seed: int,
    count: int,
    out: Path,
    records: IO[str],
    result: ExportResult,
) -> None:
    """Write one export file and append its rows' true identities to the records stream."""
    agency = get_agency(spec.agency)
    mapping = load_mapping(spec.template)
    columns = mapping.columns
    breaks = breakables(mapping)
    rng = random.Random(f"linemap-export:{seed}:{index}")
    covers = frozenset(a.index for a in world.areas if a.name in agency.covers)
    ctx = RowContext(world, agency.code, rng, Garbler(rng, agency.profile), spec.roles, covers)
    relative = f"{agency.code.lower()}/{spec.template}.csv"
    path = out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=agency.encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        for ref, person, row in _rows(world, spec, ctx, count):
            key = f"{agency.code}:{ref}"
            if rng.random() < parameter.BROKEN_SHARE:
                column, kind = rng.choice(breaks)
                row[column] = break_value(rng, kind)
                result.broken.append(key)
            writer.writerow([row.get(c, "") for c in columns])
            records.write(f",\n    {json.dumps(key)}: {json.dumps(person.id)}")
            result.records += 1
    result.files.append({"path": relative, "agency": agency.code, "mapping": spec.template})


def write_exports(
    world: World, seed: int, records: int, out: Path, records_part: Path
) -> ExportResult:
    """Write every export file, sharing `records` rows among them by their shares."""
    total = sum(spec.share for spec in EXPORTS)
    result = ExportResult()
    with records_part.open("w", encoding="utf-8") as stream:
        for index, spec in enumerate(EXPORTS):
            count = max(1, round(records * spec.share / total))
            write_export(world, spec, index, seed, count, out, stream, result)
    return result
