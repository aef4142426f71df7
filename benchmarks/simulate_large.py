"""Print the time and peak memory of simulating the large region (about 1,000,000 records).

Run: .venv/bin/python benchmarks/simulate_large.py [--records N] [--seed N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from linemap.simulate.region import SIZES, simulate


def main() -> None:
    """Simulate into a temporary folder and print seconds, peak memory and output size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=SIZES["large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write here and keep the output")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="linemap-sim-"))
    out = args.keep or base / "region"
    try:
        started = time.perf_counter()
        summary = simulate(out, args.seed, records=args.records)
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(base)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"records       {summary.records:>12,}")
    print(f"files         {summary.files:>12}")
    print(f"agencies      {summary.agencies:>12}")
    print(f"broken rows   {summary.broken_rows:>12,}")
    print(f"seconds       {seconds:>12.1f}")
    print(f"peak MiB      {peak_mib:>12.0f}")
    print(f"output MiB    {size / 2**20:>12.0f}")


if __name__ == "__main__":
    main()
