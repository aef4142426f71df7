"""Ingest a synthetic person CSV (default 1,000,000 rows) on SQLite and, when
LINEMAP_TEST_DATABASE_URL is set, PostgreSQL; print rows/s and peak memory of each run.

Target (issue 2): 60 s or less and 2 GB or less per backend on a 2-core machine.
Usage: python benchmarks/ingest_million.py [ROWS]
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import make_url

FORENAMES = [
    "Jordan",
    "Amara",
    "Tyrone",
    "Zoë",
    "Kai",
    "Riley",
    "Casey",
    "Leah",
    "Mohammed",
    "Olivia",
    "Jayden",
    "Aaliyah",
    "Harvey",
    "Sienna",
    "Reuben",
    "Ellie",
]
SURNAMES = [
    "Example",
    "Sample",
    "Demo",
    "Testcase",
    "Placeholder",
    "Fictional",
    "Mockley",
    "O'Dummy",
    "Specimen",
    "Notreal",
]
DISTRICTS = ["CT9", "ME4", "SS1", "TN23", "BN1", "E8", "N17", "SE15", "CR0", "M1"]
COLUMNS = [
    "person_ref",
    "recorded",
    "category",
    "forename",
    "surname",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "phone",
]


def write_people(path: Path, rows: int, seed: int = 7) -> None:
    """Write `rows` synthetic people in varied real-world shapes."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1960, 2012)
            dob = rng.choice(
                [f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}", f"{year}", ""]
            )
            phone = rng.choice([f"07700 900{n % 1000:03d}", f"+44 7700 900{n % 1000:03d}", ""])
            inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
            postcode = f"{rng.choice(DISTRICTS)} {inward}"
            writer.writerow(
                [
                    f"P{n:07d}",
                    "2025-01-10",
                    "other",
                    rng.choice(FORENAMES),
                    rng.choice(SURNAMES),
                    dob,
                    rng.choice(["male", "female"]),
                    f"{rng.randint(1, 200)} Fictional Road",
                    postcode,
                    phone,
                ]
            )


def run_child(url: str, path: Path) -> dict[str, float]:
    """Ingest in a fresh process so its peak memory is its own."""
    code = f"""
import json, resource, time
from pathlib import Path
from linemap.services import database, directory, intake
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
uow = UnitOfWork.from_url({url!r})
database.initialise(uow)
directory.add_agency(uow, "bench", "BENCH", "Benchmark agency", "voluntary", None)
start = time.perf_counter()
s = intake.ingest(uow, Settings(database_url={url!r}, actor="bench"), Path({str(path)!r}),
                  "BENCH", "person-register")
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "accepted": s.accepted, "rejected": s.rejected,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def postgres_url() -> tuple[str, str] | None:
    """Create a fresh PostgreSQL database for the run, if a server is configured."""
    base = os.environ.get("LINEMAP_TEST_DATABASE_URL")
    if not base:
        return None
    name = f"linemap_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return make_url(base).set(database=name).render_as_string(hide_password=False), admin


def main() -> None:
    """Generate, ingest on each backend, print the figures."""
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        start = time.perf_counter()
        write_people(path, rows)
        print(
            f"generated {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        targets = [("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", None)]
        pg = postgres_url()
        if pg:
            targets.append(("postgresql", pg[0], pg[1]))
        for backend, url, admin in targets:
            figures = run_child(url, path)
            rate = rows / figures["seconds"]
            verdict = (
                "meets" if figures["seconds"] <= 60 and figures["peak_mb"] <= 2048 else "MISSES"
            )
            print(
                f"{backend:10s} {figures['seconds']:7.1f} s  {rate:9,.0f} rows/s  "
                f"peak {figures['peak_mb']:6.0f} MB  accepted {figures['accepted']:,} "
                f"rejected {figures['rejected']:,}  -> {verdict} the 60 s / 2 GB target"
            )
            if admin:
                name = make_url(url).database
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
    print(
        f"(this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
