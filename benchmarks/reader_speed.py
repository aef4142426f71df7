"""Print how fast open_table iterates a 1,000,000-row, 8-column CSV, and peak memory.

Run with `.venv/bin/python benchmarks/reader_speed.py [rows]`. Values are synthetic.
"""

import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from linemap.intake.reader import open_table

HEADER = ["ref", "forename", "surname", "dob", "phone", "postcode", "agency", "note"]
FORENAMES = ["Jordan", "Zoë", "Kai", "Amara", "Tyler", "Leah", "Reece", "Nia"]
SURNAMES = ["Smith", "Adebayo", "O'Neill", "Khan", "Jones", "Nowak", "Clarke", "Osei"]


def write_csv(path: Path, rows: int) -> None:
    """Write a synthetic export with a fixed seed."""
    chance = random.Random(20240601)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for number in range(rows):
            writer.writerow(
                [
                    f"R{number:07d}",
                    chance.choice(FORENAMES),
                    chance.choice(SURNAMES),
                    f"20{chance.randint(0, 12):02d}-{chance.randint(1, 12):02d}-15",
                    f"07700 900{chance.randint(0, 999):03d}",
                    f"LS{chance.randint(1, 29)} {chance.randint(1, 9)}AB",
                    chance.choice(["police", "school", "social care"]),
                    "seen near station, with older males" if number % 7 == 0 else "",
                ]
            )


def main() -> None:
    """Write the file, iterate it, and print rows per second and peak memory."""
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        write_csv(path, rows)
        size = path.stat().st_size
        started = time.perf_counter()
        with open_table(path) as table:
            count = sum(1 for _ in table)
            done, total = table.progress()
        seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file: {size / 2**20:.1f} MiB, {count:,} rows, progress {done:,}/{total:,} bytes")
    print(f"time: {seconds:.2f} s, {count / seconds:,.0f} rows/s")
    print(f"peak memory (ru_maxrss): {peak_mib:.1f} MiB")


if __name__ == "__main__":
    main()
