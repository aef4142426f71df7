"""Ingest a synthetic person CSV (default 1,000,000 rows) on SQLite and, when
LINEMAP_TEST_DATABASE_URL is set, PostgreSQL; print rows/s and peak memory of each run.

Target (issue 2): 60 s or less and 2 GB or less per backend on a 2-core machine.

Shapes (both through the person-register template):
  linked  names, date of birth, sex, address, postcode and phone: the address and phone become
          entities linked to the person (about 10.7 statements a row);
  plain   the same columns with address, postcode and phone left blank (about 4.5 a row).

Usage: python benchmarks/ingest_million.py [--rows N] [--shape linked|plain]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import make_url

from linemap.intake.mapping import load_mapping

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
COLUMNS = load_mapping("person-register").columns


def write_people(path: Path, rows: int, seed: int = 7, *, linked: bool = True) -> None:
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
                    f"{rng.randint(1, 200)} Fictional Road" if linked else "",
                    postcode if linked else "",
                    phone if linked else "",
                ]
            )


def run_child(url: str, path: Path) -> dict[str, float]:
    """Ingest in a fresh process so its peak memory is its own."""
    code = f"""
import json, time
from pathlib import Path
from resource import RUSAGE_CHILDREN, RUSAGE_SELF, getrusage
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
with uow.read() as tx:
    statements = tx.records.count("statement")
print(json.dumps({{"seconds": seconds, "accepted": s.accepted, "rejected": s.rejected,
                  "statements": statements,
                  "peak_mb": getrusage(RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": getrusage(RUSAGE_CHILDREN).ru_maxrss / 1024}}))
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=["linked", "plain"], default="linked")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        start = time.perf_counter()
        write_people(path, args.rows, linked=args.shape == "linked")
        print(
            f"{args.shape} person CSV: {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB), "
            f"generated in {time.perf_counter() - start:.1f} s"
        )
        targets = [("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", None)]
        pg = postgres_url()
        if pg:
            targets.append(("postgresql", pg[0], pg[1]))
        for backend, url, admin in targets:
            figures = run_child(url, path)
            _report(backend, args.rows, figures)
            if admin:
                name = make_url(url).database
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _report(backend: str, rows: int, figures: dict[str, float]) -> None:
    seconds = figures["seconds"]
    peak = figures["peak_mb"] + figures["worker_peak_mb"]  # both processes at once, at worst
    per_million = seconds * 1_000_000 / rows
    verdict = "meets" if per_million <= 60 and peak <= 2048 else "MISSES"
    scaled = "" if rows == 1_000_000 else f" (scaled to 1M rows: {per_million:.0f} s)"
    print(
        f"{backend:10s} {seconds:7.1f} s  {rows / seconds:9,.0f} rows/s  "
        f"{figures['statements'] / rows:4.1f} statements/row  "
        f"peak {figures['peak_mb']:.0f} MB + worker {figures['worker_peak_mb']:.0f} MB  "
        f"accepted {figures['accepted']:,} rejected {figures['rejected']:,}"
    )
    print(f"{'':10s} -> {verdict} the 60 s / 2 GB target{scaled}")


if __name__ == "__main__":
    main()
