"""What the simulator benchmarks share: simulating and loading a region, and running one step
of linemap in a child process, so that its wall time and peak RSS are that step's alone.

Imported by the benchmark scripts beside it (run as `python benchmarks/NAME.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from linemap.bootstrap import unit_of_work
from linemap.services import database, region
from linemap.settings import Settings

# Run in the child: the step, with each stage's time (as its progress reports them) and the
# peak RSS.
_CHILD = """
import json, resource, time
from linemap.bootstrap import unit_of_work
from linemap.settings import Settings
from {module} import {function}
settings = Settings.from_env()
stages, last = {{}}, [time.perf_counter(), "start"]
def progress(stage):
    now = time.perf_counter()
    stages[last[1]] = round(now - last[0], 1)
    last[:] = [now, stage]
started = time.perf_counter()
summary = {function}(unit_of_work(settings), settings, progress=progress{arguments})
progress("done")
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "stages": stages,
    "summary": summary.as_json(),
}}))
"""


def run_step(url: str, module: str, function: str, arguments: str = "") -> dict[str, Any]:
    """Run `module.function(uow, settings, progress=..., ARGUMENTS)` on a database in a child
    process and return its seconds, peak MiB, stages and summary; exit on failure."""
    code = _CHILD.format(module=module, function=function, arguments=arguments)
    env = {**os.environ, "LINEMAP_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"{function} failed:\n{done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def simulate_and_load(
    work: Path, seed: int, size: str | None, records: int | None = None
) -> tuple[Path, str]:
    """Simulate a region into `work` and load it into a new SQLite database there; print how
    long each took. Return the region folder and the database URL."""
    folder = work / "region"
    url = f"sqlite:///{work / 'linemap.db'}"
    started = time.perf_counter()
    made = region.simulate_region(folder, seed, size, records)
    print(f"simulated      {made.records:>12,} records in {time.perf_counter() - started:.1f} s")
    settings = Settings.from_env({"LINEMAP_DATABASE_URL": url})
    uow = unit_of_work(settings, check=False)
    database.initialise(uow)
    started = time.perf_counter()
    loaded = region.load_region(uow, settings, folder)
    print(
        f"loaded         {loaded.accepted:>12,} rows ({loaded.rejected:,} quarantined)"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return folder, url


def run_on_region(url: str, name: str, doing: str, module: str, function: str) -> dict[str, Any]:
    """Migrate a region's database to the step's tables, run the step on it in a child process
    (`run_step`) and print its wall time, peak RSS and stages; return its figures."""
    database.initialise(unit_of_work(Settings.from_env({"LINEMAP_DATABASE_URL": url}), check=False))
    print(f"load average   {os.getloadavg()[0]:>10.2f} (1 min, before {doing})")
    figures = run_step(url, module, function)
    print(f"{name:<15}{figures['seconds']:>10.1f} s, peak RSS {figures['peak_mib']:,.0f} MiB")
    print("  stages       " + ", ".join(f"{k} {v} s" for k, v in figures["stages"].items()))
    return figures


def add_region_options(parser: argparse.ArgumentParser) -> None:
    """Add the options choosing a region: simulate one (size, seed, where to keep it) or reuse
    one already loaded and resolved (region and database)."""
    parser.add_argument("--size", choices=("small", "medium", "large"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="simulate, load and resolve into this folder")
    parser.add_argument("--region", type=Path, help="a region already loaded and resolved")
    parser.add_argument("--database", help="its database (a copy: the step writes to it)")


def resolved_region(args: argparse.Namespace) -> tuple[Path, str]:
    """Return the region folder and database URL: reused, or simulated, loaded and resolved
    (with the command a user runs)."""
    if args.region or args.database:
        if not (args.region and args.database):
            sys.exit("give --region and --database together")
        return Path(args.region), str(args.database)
    work = args.keep or Path(tempfile.mkdtemp(prefix="linemap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    folder, url = simulate_and_load(work, args.seed, args.size or "small")
    done = subprocess.run(
        [sys.executable, "-m", "linemap", "--db", url, "resolve", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"the resolution failed:\n{done.stderr[-2000:]}")
    return folder, url
