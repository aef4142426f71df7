"""`make demo`: simulate a small County Lines region, load it into a fresh SQLite database,
score what linemap holds against the region's truth, verify the audit trail, say where to look.

Every person in the region is synthetic.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from linemap.cli.main import main

OUT = Path("demo-output")
REGION = OUT / "region"
DATABASE = f"sqlite:///{OUT / 'linemap.db'}"


def linemap(*args: str) -> None:
    """Run one `linemap` command as a user would type it, echoing it first."""
    print(f"\n$ linemap {' '.join(args)}", flush=True)
    try:
        main(["--db", DATABASE, *args])
    except SystemExit as done:
        if done.code:
            sys.exit(f"demo stopped: `linemap {' '.join(args)}` failed")


def main_demo() -> None:
    """Run the demonstration end to end."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    linemap("simulate", "--size", "small", "--seed", "7", "--out", str(REGION), "--load")
    linemap("agency", "list")
    linemap("evaluate", "--truth", str(REGION / "truth.json"))
    linemap("audit", "verify")
    print("\nDone. Where to look:")
    print(f"  database        {OUT / 'linemap.db'}")
    print(f"                  (try: .venv/bin/linemap --db {DATABASE} agency list)")
    print(f"  agency exports  {REGION}/  (each agency's file, as that agency would send it)")
    print(f"  ground truth    {REGION / 'truth.json'}; load plan {REGION / 'manifest.json'}")
    print(f"  quarantined     {REGION}/**/*.quarantine.csv  (row, column, reason)")
    print("  guide           docs/guides/getting-started.md")


if __name__ == "__main__":
    main_demo()
