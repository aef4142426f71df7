"""Write truth.json and manifest.json: the answers kept aside, and how to load the exports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from linemap.simulate import parameter
from linemap.simulate.agency import AGENCIES
from linemap.simulate.export import ExportResult
from linemap.simulate.person import Identity
from linemap.simulate.world import Line, World


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _address(world: World, person: Identity, line: Line) -> dict[str, Any]:
    role = next(r for r in person.roles if r[0] == "cuckooed" and r[3] == line.id)
    a = person.address_on(role[1])[1]
    flat = f"Flat {a.flat}, " if a.flat is not None else ""
    return {
        "identity": person.id,
        "line": line.id,
        "address": f"{flat}{a.number} {a.street}, {a.town}",
        "postcode": a.postcode,
        "town": a.town,
        "from": _day(role[1]),
        "to": _day(role[2]),
    }


def make_line(world: World, line: Line) -> dict[str, Any]:
    """Return a line's truth entry."""
    person = world.person
    brands = list(dict.fromkeys(b for _, b, _, _ in line.phones))
    return {
        "id": line.id,
        "name": f"the {brands[0]} line",
        "names": [f"the {b} line" for b in brands],
        "phones": [n for n, _, _, _ in line.phones],
        "phone_history": [
            {
                "number": n,
                "name": f"the {b} line",
                "from": _day(s),
                "to": _day(e),
                "handsets": [
                    {"imei": imei, "from": _day(hs), "to": _day(he)}
                    for imei, hs, he in line.handsets[n]
                ],
            }
            for n, b, s, e in line.phones
        ],
        "exporting_area": world.areas[line.exporting_area].name,
        "importing_areas": [world.areas[i].name for i in line.importing_areas],
        "start": _day(line.start),
        "end": _day(line.end),
        "organiser": person(line.organiser).id,
        "line_holders": [person(n).id for n in line.holders],
        "older_members": [person(n).id for n in dict.fromkeys(line.olders)],
        "youngers": [person(n).id for n in line.youngers],
        "members": [person(n).id for n in dict.fromkeys(line.members)],
        "cuckooed": [person(n).id for n in line.cuckooed],
        "recruitment_places": [f"P{i:04d}" for i in line.places],
    }


def _identity(world: World, p: Identity) -> dict[str, Any]:
    moved = p.moved
    return {
        "name": f"{p.forename} {p.surname}",
        "sex": p.sex,
        "birth_date": p.birth_date.isoformat(),
        "alias": p.alias,
        "home_area": world.areas[p.area].name,
        "moved": {"on": moved[0].isoformat(), "to": world.areas[moved[1]].name} if moved else None,
        "roles": [
            {"role": r, "from": _day(s), "to": _day(e), "line": line} for r, s, e, line in p.roles
        ],
        "vulnerabilities": p.vulnerabilities,
        "place": f"P{p.place:04d}" if p.place is not None else None,
    }


def _summary(world: World, result: ExportResult, seed: int) -> dict[str, Any]:
    exploited = {n for line in world.lines for n in (*line.youngers, *line.cuckooed)}
    organisers = {line.organiser for line in world.lines}
    places = []
    for i in world.recruitment_places:
        inst = world.institutions[i]
        lines = [line.id for line in world.lines if i in line.places]
        places.append(
            {
                "id": f"P{i:04d}",
                "name": inst.name,
                "kind": inst.kind,
                "area": world.areas[inst.area].name,
                "postcode": inst.address.postcode,
                "lines": lines,
            }
        )
    return {
        "seed": seed,
        "reference_date": parameter.REFERENCE_DATE.isoformat(),
        "areas": [
            {
                "name": a.name,
                "local_authority": a.local_authority,
                "force": a.force,
                "hub": a.hub,
                "latitude": a.latitude,
                "longitude": a.longitude,
                "districts": list(a.districts),
            }
            for a in world.areas
        ],
        "exploited": sorted(world.person(n).id for n in exploited),
        "organisers": sorted(world.person(n).id for n in organisers),
        "lines": [make_line(world, line) for line in world.lines],
        "cuckooed_addresses": [
            _address(world, world.person(n), line) for line in world.lines for n in line.cuckooed
        ],
        "recruitment_places": places,
        "broken": result.broken,
    }


def _identities(world: World) -> Iterator[str]:
    first = True
    for p in world.people:
        if p is not None:
            yield (
                "" if first else ","
            ) + f"\n    {json.dumps(p.id)}: {json.dumps(_identity(world, p))}"
            first = False


def write_truth(
    world: World, result: ExportResult, seed: int, out: Path, records_part: Path
) -> None:
    """Write truth.json, streaming the identities and the per-record truth."""
    with (out / "truth.json").open("w", encoding="utf-8") as handle:
        head = json.dumps(_summary(world, result, seed), indent=2)
        handle.write(head[:-2] + ',\n  "identities": {')
        handle.writelines(_identities(world))
        handle.write('\n  },\n  "records": {')
        with records_part.open("r", encoding="utf-8") as part:
            part.read(1)  # every record line starts with a comma; the first must not
            shutil.copyfileobj(part, handle)
        handle.write("\n  }\n}\n")


def write_manifest(result: ExportResult, seed: int, out: Path) -> None:
    """Write manifest.json: the agencies and which template loads each file."""
    used = {f["agency"] for f in result.files}
    manifest = {
        "seed": seed,
        "reference_date": parameter.REFERENCE_DATE.isoformat(),
        "agencies": [
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind.value,
                "area": a.area,
                "contact": a.contact,
            }
            for a in AGENCIES
            if a.code in used
        ],
        "files": result.files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
