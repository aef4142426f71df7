"""Print microseconds per call for each field normaliser over 200,000 varied synthetic inputs.

Each row runs three times from cold caches and keeps the best CPU time. "mixed" rows repeat
values the way exports do (the same people, dates and codes recur); "distinct" rows never
repeat, so they show the uncached cost. Phone numbers are Ofcom drama numbers; names are made up.

Usage: .venv/bin/python benchmarks/normalise_speed.py [CALLS]
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections.abc import Callable

from linemap.intake import normalise
from linemap.intake.normalise import NormaliseError, get_normaliser

SEED = 20240601
REPEATS = 3
FORENAMES = ["Jordan", "Zoë", "Kai", "Amara", "Tyler", "Leah", "Reece", "Nia", "Séan", "Łucja"]
SURNAMES = ["Smith", "Adebayo", "O’Neill", "Khan", "Jones", "Nowak", "Clarke", "Smith-Osei"]
SYLLABLES = [
    "jor", "dan", "ka", "mi", "ra", "lee", "ton", "ny", "sha", "el", "o", "bri",
    "zu", "fe", "ga", "hol", "ven", "ti", "pa", "mo", "rin", "sa", "de", "qua",
]  # fmt: skip
ALIASES = ["Lil J", "T2", "Big Man", "Ghost", "K-Dog", "Youngin", "Snowy", "J-Money"]
CODES = ["Children's Home", "Deal Line", "deal_line", "Cuckooed Address", "Trap House", "NRM"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DRAMA_LANDLINES = ["0113 496 0", "0161 496 0", "020 7946 0", "0191 498 0", "01632 960"]


def cased(chance: random.Random, text: str) -> str:
    """Give text as an export might: as typed, upper case or lower case."""
    return chance.choice([text, text, text.upper(), text.lower()])


def made_up_name(chance: random.Random) -> str:
    """Make a pronounceable name that is not anyone's in particular."""
    return "".join(chance.choice(SYLLABLES) for _ in range(chance.randint(2, 5))).title()


def date_text(chance: random.Random, day: datetime.date) -> str:
    """Write a date in one of the shapes agency exports use, commonest most often."""
    shapes = [
        day.isoformat(),
        day.isoformat(),
        f"{day:%d/%m/%Y}",
        f"{day:%d/%m/%Y}",
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d-%m-%Y}",
        f"{day:%d/%m/%y}",
        f"{day.day} {day:%B %Y}",
        f"{day:%d}-{MONTHS[day.month - 1]}-{day.year}",
        f"{day:%Y%m%d}",
    ]
    return chance.choice(shapes)


def random_day(chance: random.Random, first_year: int, last_year: int) -> datetime.date:
    """Pick a day uniformly between two years."""
    start = datetime.date(first_year, 1, 1).toordinal()
    return datetime.date.fromordinal(
        chance.randint(start, datetime.date(last_year, 12, 31).toordinal())
    )


def mobile(chance: random.Random) -> str:
    """Write a drama-range UK mobile in one of the everyday shapes."""
    tail = f"{chance.randrange(1000):03d}"
    return chance.choice(
        [
            f"07700 900{tail}",
            f"07700900{tail}",
            f"07700 900 {tail}",
            f"07700-900-{tail}",
            f"+44 7700 900{tail}",
            f"+447700900{tail}",
            f"+44 (0)7700 900{tail}",
            f"0044 7700 900{tail}",
            f"447700900{tail}",
        ]
    )


def other_phone(chance: random.Random) -> str:
    """Write a drama-range landline or a fictional foreign number."""
    tail = f"{chance.randrange(1000):03d}"
    return chance.choice(
        [
            chance.choice(DRAMA_LANDLINES) + tail,
            f"+1 201 555 0{chance.randrange(100, 200)}",
            f"tel:07700900{tail}",
            f"07700 900{tail} ext {chance.randrange(1, 99)}",
        ]
    )


def postcode(chance: random.Random) -> str:
    """Write a postcode-shaped value with export-style spacing and case."""
    letters = "ABCDEFGHJKLMNPRSTUWXYZ"
    outward = "".join(chance.choice(letters) for _ in range(chance.randint(1, 2)))
    outward += str(chance.randint(1, 9)) + chance.choice(["", "", str(chance.randint(0, 9)), "A"])
    inward = f"{chance.randint(0, 9)}{chance.choice(letters)}{chance.choice(letters)}"
    return chance.choice([f"{outward} {inward}", f"{outward}{inward}".lower(), outward])


def timestamp(chance: random.Random) -> str:
    """Write a moment in 2020-2025 in an ISO or UK shape."""
    moment = datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=chance.randrange(2 * 10**8))
    return chance.choice(
        [
            f"{moment:%Y-%m-%dT%H:%M:%S}Z",
            f"{moment:%Y-%m-%dT%H:%M:%S}",
            f"{moment:%d/%m/%Y %H:%M}",
            f"{moment:%d/%m/%Y %H:%M:%S}",
        ]
    )


Generator = Callable[[random.Random], str]
ROWS: list[tuple[str, str, Generator]] = [
    ("text", "text", lambda c: f"Seen near  the {c.choice(CODES)}\twith {c.randrange(10**6)}"),
    ("name", "name mixed", lambda c: cased(c, c.choice(FORENAMES + SURNAMES))),
    ("name", "name distinct", made_up_name),
    (
        "full_name",
        "full_name mixed",
        lambda c: cased(c, f"{c.choice(SURNAMES)}, {c.choice(FORENAMES)}"),
    ),
    ("full_name", "full_name distinct", lambda c: f"{made_up_name(c)} {made_up_name(c)}"),
    ("alias", "alias", lambda c: cased(c, c.choice(ALIASES))),
    ("date", "date mixed", lambda c: date_text(c, random_day(c, 2015, 2024))),
    ("date", "date distinct", lambda c: date_text(c, random_day(c, 1900, 2099))),
    ("date_of_birth", "date_of_birth mixed", lambda c: date_text(c, random_day(c, 1960, 2012))),
    ("date_of_birth", "date_of_birth distinct", lambda c: date_text(c, random_day(c, 1900, 2023))),
    ("postcode", "postcode", postcode),
    ("phone", "phone UK mobile (fast path)", mobile),
    ("phone", "phone other (library, cached)", other_phone),
    ("phone", "phone mixed 90/10", lambda c: mobile(c) if c.random() < 0.9 else other_phone(c)),
    ("timestamp", "timestamp", timestamp),
    ("code", "code", lambda c: cased(c, c.choice(CODES))),
]


def inputs(generator: Generator, calls: int, *, distinct: bool) -> list[str]:
    """Generate the inputs for one row, all different when asked."""
    chance = random.Random(SEED)
    if not distinct:
        return [generator(chance) for _ in range(calls)]
    seen: dict[str, None] = {}
    while len(seen) < calls:
        seen[generator(chance)] = None
    return list(seen)


def clear_caches() -> None:
    """Empty every lru_cache in the normaliser module, so rows do not warm each other."""
    for value in vars(normalise).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


def time_row(normaliser_name: str, values: list[str]) -> tuple[float, int]:
    """Give the best of three runs in CPU microseconds per call, and the number of refusals."""
    normaliser = get_normaliser(normaliser_name)
    timings = []
    for _ in range(REPEATS):
        refused = 0
        clear_caches()
        # CPU time, not wall time: shared machines otherwise report their neighbours' load.
        started = time.process_time()
        for value in values:
            try:
                normaliser(value)
            except NormaliseError:
                refused += 1
        timings.append((time.process_time() - started) / len(values) * 1e6)
    return min(timings), refused


def main() -> None:
    """Time every row and print a table."""
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    print(f"{'normaliser':32} {'calls':>8} {'distinct':>8} {'refused':>8} {'µs/call':>8}")
    for normaliser_name, label, generator in ROWS:
        values = inputs(generator, calls, distinct=label.endswith("distinct"))
        micros, refused = time_row(normaliser_name, values)
        print(f"{label:32} {len(values):8} {len(set(values)):8} {refused:8} {micros:8.2f}")


if __name__ == "__main__":
    main()
