"""`make demo`: set up a SQLite database, register agencies, ingest one export per template
(plus one with deliberately bad rows), verify the audit trail, and say where to look.

Every person in these files is synthetic: the templates' example rows.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

from linemap.cli.main import main
from linemap.intake.mapping import load_mapping, template_names

OUT = Path("demo-output")


def linemap(*args: str) -> None:
    """Run one `linemap` command as a user would type it, echoing it first."""
    print(f"\n$ linemap {' '.join(args)}", flush=True)
    try:
        main(["--db", f"sqlite:///{OUT / 'linemap.db'}", *args])
    except SystemExit as done:
        if done.code:
            sys.exit(f"demo stopped: `linemap {' '.join(args)}` failed")


def main_demo() -> None:
    """Run the demonstration end to end."""
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "exports").mkdir(parents=True)
    linemap("init")
    for number, name in enumerate(template_names(), start=1):
        mapping = load_mapping(name)
        kind = mapping.agency_kinds[0].value if mapping.agency_kinds else "voluntary"
        code = f"A{number:02d}"
        linemap(
            "agency",
            "add",
            code,
            "--name",
            f"Demo {mapping.title} agency",
            "--kind",
            kind,
            "--area",
            "Kent",
        )
        path = OUT / "exports" / f"{name}.csv"
        linemap("mapping", "template", name, "--out", str(path))
        linemap("ingest", str(path), "--agency", code, "--mapping", name)
    bad = OUT / "exports" / "person-register-with-errors.csv"
    shutil.copy(OUT / "exports" / "person-register.csv", bad)
    with bad.open("a", newline="", encoding="utf-8") as handle:
        columns = load_mapping("person-register").columns
        row = dict.fromkeys(columns, "")
        row.update(
            person_ref="P-0003",
            forename="Alex",
            surname="Sample",
            date_of_birth="31/02/2009",
            postcode="NOT A POSTCODE",
        )
        csv.DictWriter(handle, fieldnames=columns).writerow(row)
    code = f"A{template_names().index('person-register') + 1:02d}"
    linemap("ingest", str(bad), "--agency", code, "--mapping", "person-register")
    linemap("agency", "list")
    linemap("audit", "verify")
    linemap("audit", "show", "--record", "1")
    db = f"sqlite:///{OUT / 'linemap.db'}"
    report = OUT / "exports" / "person-register-with-errors.quarantine.csv"
    print("\nDone. Where to look:")
    print(
        f"  database          {OUT / 'linemap.db'}  (try: .venv/bin/linemap --db {db} agency list)"
    )
    print(f"  agency exports    {OUT / 'exports'}/  (one synthetic file per mapping template)")
    print(f"  quarantine report {report}  (row, column, reason)")
    print(f"  audit trail       .venv/bin/linemap --db {db} audit verify")
    print("  guide             docs/guides/getting-started.md")


if __name__ == "__main__":
    main_demo()
