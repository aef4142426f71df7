"""What every row builder shares: the file's context and where and when things happen."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from linemap.simulate import parameter
from linemap.simulate.noise import Garbler
from linemap.simulate.person import Identity
from linemap.simulate.place import Address, Area, make_postcode
from linemap.simulate.world import Line, World

HANDLING_CONDITIONS = (
    "Not to be disclosed outside the force without DI approval",
    "Do not share with the subject's family",
    "Sanitise the source before sharing with partners",
    "Share with the MACE chair only",
)


@dataclass(slots=True)
class RowContext:
    """One export file being written: the world, the agency's habits and its random stream."""

    world: World
    agency: str
    rng: random.Random
    g: Garbler
    roles: frozenset[str]  # the line roles whose time on the line this file's events fall in
    covers: frozenset[int] = frozenset()  # the areas (by index) the agency covers

    def area(self, index: int) -> Area:
        """Return an area by index."""
        return self.world.areas[index]

    def when(self, person: Identity, line: Line | None) -> date:
        """Return a day for an event: within the person's time on the line, or any time."""
        start, end = parameter.WORLD_START, parameter.REFERENCE_DATE
        if line is not None:
            spans = [(r[1], r[2]) for r in person.roles if r[3] == line.id and r[0] in self.roles]
            if spans:
                start = max(start, min(s for s, _ in spans))
                ends = [e or parameter.REFERENCE_DATE for _, e in spans]
                end = min(parameter.REFERENCE_DATE, max(ends))
        if end <= start:
            end = start + timedelta(days=1)
        return start + timedelta(days=self.rng.randrange((end - start).days))

    def moment(self, day: date) -> datetime:
        """Return a time on a day, skewed to evenings and nights."""
        hour = self.rng.choice((1, 2, 9, 11, 14, 16, 18, 19, 20, 21, 22, 23))
        return datetime.combine(day, time(hour, self.rng.randrange(60)))

    def importing_area(self, line: Line) -> Area:
        """Return one of the line's importing towns."""
        return self.area(self.rng.choice(line.importing_areas))

    def line_area(self, line: Line) -> Area:
        """Return where the agency meets a line's people: a town it covers, else the hub.

        A force covering both meets them mostly in the towns they deal in; an agency covering
        neither (which the pools never pair with the line) gets one of the line's towns.
        """
        towns = [i for i in line.importing_areas if i in self.covers]
        at_hub = line.exporting_area in self.covers
        if towns and (not at_hub or self.rng.random() < 0.8):
            return self.area(self.rng.choice(towns))
        return self.area(line.exporting_area) if at_hub else self.importing_area(line)

    def trap(self, line: Line, day: date) -> tuple[Address, str] | None:
        """Return a cuckooed address of the line (with its location kind), if it has one."""
        if not line.cuckooed:
            return None
        victim = self.world.person(self.rng.choice(line.cuckooed))
        return victim.address_on(day)[1], "Trap House"

    def hotspot(self, area: Area) -> tuple[str, str, str]:
        """Return a public place in a town: (description, postcode, location kind label)."""
        rng = self.rng
        if rng.random() < 0.4:
            return f"{area.name} railway station", make_postcode(rng, area), "Transport Hub"
        if rng.random() < 0.3:
            return (
                f"Travelodge-style hotel, {area.name} (fictional)",
                make_postcode(rng, area),
                "Hotel",
            )
        street = rng.choice(("Alleyway off", "Park behind", "Car park on", "Bus stop on"))
        return (
            f"{street} {rng.choice(('High Street', 'Marine Parade', 'London Road'))}, {area.name}",
            make_postcode(rng, area),
            "Other",
        )

    def hospital(self, area: Area) -> tuple[str, str]:
        """Return the (invented) emergency department serving an area, and its postcode."""
        stable = random.Random(f"hospital:{area.name}")
        return f"{area.name} General Hospital (fictional)", make_postcode(stable, area)


def national_id(scheme: str, number: int, digits: int) -> str:
    """Return a stable identifier for a person in a national scheme (NHS, UPN, PNC).

    Hashed, not the identity number, so an identifier cannot be matched to truth by its digits.
    """
    h = hashlib.blake2b(f"{scheme}:{number}".encode(), digest_size=8).digest()
    return f"{int.from_bytes(h, 'big') % 10**digits:0{digits}d}"


def nhs_number(number: int) -> str:
    """Return a 10-digit number in the 999 range the NHS sets aside for testing."""
    return "999" + national_id("nhs", number, 7)


def pnc_id(person: Identity) -> str:
    """Return a PNC-shaped id: year of first record / serial and check letter (invented)."""
    serial = national_id("pnc", person.number, 7)
    year = (person.birth_date.year + 16) % 100
    return f"{year:02d}/{serial}{'ABCDEFGHJKLMNPQRTUVWXYZ'[int(serial) % 23]}"


def weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    """Draw a label from (label, weight) pairs."""
    return rng.choices([c[0] for c in choices], [c[1] for c in choices])[0]


def line_name(rng: random.Random, brand: str) -> str:
    """Write a line's brand as people do: "the Tony line", "Tony", "TONY LINE"."""
    return rng.choice((f"the {brand} line", brand, f"{brand.upper()} LINE", f"{brand} line"))


def vehicle_registration(rng: random.Random) -> str:
    """Invent a plate in the current format with a Z memory tag, which DVLA does not issue."""
    letters = "ABCDEFGHJKLMNPRSTUVWXY"
    year = rng.choice(("15", "18", "66", "69", "20", "71", "23"))
    tail = "".join(rng.choice(letters) for _ in range(3))
    return f"Z{rng.choice(letters)}{year} {tail}"


Builder = Callable[[RowContext, str, Identity, Line | None], dict[str, str]]
