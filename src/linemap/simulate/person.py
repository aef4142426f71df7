"""Synthetic people: names from short lists of common UK names of varied heritage, and roles.

The lists are not a register: they are common names, combined at random, so every person is
invented. A few names carry accents, as real exports do, to exercise encodings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from linemap.simulate.place import Address

MALE = (
    "Jordan",
    "Michael",
    "Daniel",
    "Joshua",
    "Tyrone",
    "Kyle",
    "Jamal",
    "Mohammed",
    "Ahmed",
    "Liam",
    "Callum",
    "Connor",
    "Reece",
    "Jayden",
    "Kai",
    "Marcus",
    "Nathan",
    "Ryan",
    "Tyler",
    "Harvey",
    "Oliver",
    "Jack",
    "Harry",
    "Samuel",
    "Kwame",
    "Emeka",
    "Dwayne",
    "Ricardo",
    "Aaron",
    "Bilal",
    "Omar",
    "Yusuf",
    "Thomas",
    "James",
    "William",
    "Anthony",
    "Christopher",
    "Jérôme",
    "Seán",
    "Luca",
    "Dylan",
    "Mason",
    "Ethan",
    "Kieran",
    "Rhys",
    "Zain",
    "Adebayo",
)
FEMALE = (
    "Chloe",
    "Jessica",
    "Amelia",
    "Olivia",
    "Shanice",
    "Aaliyah",
    "Fatima",
    "Aisha",
    "Megan",
    "Courtney",
    "Jade",
    "Leah",
    "Ella",
    "Grace",
    "Precious",
    "Chantelle",
    "Sophie",
    "Emily",
    "Hannah",
    "Zara",
    "Maryam",
    "Kayleigh",
    "Paige",
    "Abigail",
    "Rebecca",
    "Katie",
    "Nadia",
    "Chloé",
    "Zoë",
    "Siân",
    "Renée",
    "Amira",
    "Tia",
    "Demi",
    "Lauren",
    "Natasha",
    "Ruby",
)
SURNAMES = (
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Khan",
    "Ali",
    "Hussain",
    "Begum",
    "Ahmed",
    "Campbell",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Osei",
    "Francis",
    "Grant",
    "Reid",
    "Murphy",
    "O'Brien",
    "Kelly",
    "Nowak",
    "Kowalski",
    "Silva",
    "Santos",
    "Ibrahim",
    "Mohamed",
    "Bennett",
    "Wood",
    "Cooper",
    "King",
    "Baker",
    "Scott",
    "Morris",
    "Ward",
    "Shah",
    "Mahmood",
    "Mitchell",
    "Henry",
    "Forde",
    "Gordon",
    "McDonald",
    "Brown-Lewis",
    "Stewart",
)
# Everyday short forms (a small table; the `nicknames` package is not installed).
NICKNAMES = {
    "Jordan": ("Jordy", "J"),
    "Michael": ("Mike", "Mikey"),
    "Daniel": ("Dan", "Danny"),
    "Joshua": ("Josh",),
    "Tyrone": ("Ty",),
    "Mohammed": ("Mo",),
    "Nathan": ("Nate",),
    "Samuel": ("Sam",),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "William": ("Will", "Billy"),
    "Anthony": ("Tony", "Ant"),
    "Christopher": ("Chris",),
    "Jessica": ("Jess",),
    "Rebecca": ("Becky", "Becca"),
    "Natasha": ("Tash",),
    "Abigail": ("Abi", "Abby"),
    "Katie": ("Kate",),
    "Callum": ("Cal",),
    "Harry": ("Haz",),
    "Kayleigh": ("Kay",),
    "Olivia": ("Liv",),
    "Amelia": ("Millie",),
    "Ricardo": ("Rico",),
}
# Street names ("tags") used in police intelligence; digits are allowed in aliases.
STREET_NAMES = (
    "Little J",
    "T2",
    "Skinny",
    "Ghost",
    "Smoker",
    "Lil Ty",
    "Bugsy",
    "K-Dog",
    "Shadow",
    "Frosty",
    "Snoop",
    "Trigger",
    "Lucky",
    "Rambo",
    "Blade",
    "Tiny",
    "Biggz",
    "Rico",
    "Peanut",
    "Zombie",
    "Kash",
    "Nines",
    "Spider",
    "Dotz",
    "Ice",
    "Youngs",
    "M1",
    "Pablo",
    "Scrappy",
    "Ace",
)
# Line brands are a first name or a word (the "Tony line"); rebrands take a new one.
LINE_BRANDS = (
    "Tony",
    "Rico",
    "Bando",
    "Kenzo",
    "Frankie",
    "Mitch",
    "Drizzy",
    "Cali",
    "Zed",
    "Benny",
    "Nino",
    "Marco",
    "Deano",
    "Sully",
    "Kizzy",
    "Jojo",
    "Remy",
    "Snow",
    "Sparks",
    "Milo",
)
VULNERABILITIES_ADULT = (
    "substance_misuse",
    "learning_disability",
    "mental_health",
    "care_leaver",
    "physical_disability",
    "homelessness",
)


@dataclass(slots=True)
class Identity:
    """One synthetic person, with the truth of their roles and vulnerabilities."""

    number: int
    sex: str
    forename: str
    surname: str
    birth_date: date
    area: int
    address: Address
    phone: str | None = None
    alias: str | None = None
    roles: list[tuple[str, date, date | None, str]] = field(default_factory=list)
    vulnerabilities: list[str] = field(default_factory=list)
    moved: tuple[date, int, Address] | None = None  # (when, new area, new address)
    place: int | None = None  # institution they attend or live at
    lines: list[int] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the identity id used in truth.json."""
        return f"I{self.number:06d}"

    def address_on(self, day: date) -> tuple[int, Address]:
        """Return the area and address the person lived at on a day."""
        if self.moved is not None and day >= self.moved[0]:
            return self.moved[1], self.moved[2]
        return self.area, self.address

    def age_on(self, day: date) -> int:
        """Return the person's age in whole years on a day."""
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def make_person_name(rng: random.Random, sex: str) -> tuple[str, str]:
    """Draw a forename for the sex and a surname."""
    return rng.choice(MALE if sex == "M" else FEMALE), rng.choice(SURNAMES)


def make_birth_date(rng: random.Random, on: date, low: int, high: int) -> date:
    """Draw a date of birth giving an age from low to high (inclusive) on a day."""
    age_days = rng.randrange(low * 365 + 1, (high + 1) * 365 - 1)
    return on - timedelta(days=age_days)


# Ofcom keeps these numbers for drama (TV, radio, film, fiction), so no real subscriber has one:
# a synthetic dealer or child can never be given a real person's number. Prefix (E.164) and the
# range of the last digits. 07700 900000-900999 are the only drama mobiles.
DRAMA_MOBILES = ("+447700900", 1000)
DRAMA_LANDLINES = (
    *((f"+44{code}4960", 1000) for code in ("113", "114", "115", "116", "117", "118")),
    *((f"+44{code}4960", 1000) for code in ("121", "131", "141", "151", "161")),
    ("+441914980", 1000),
    ("+442079460", 1000),
    ("+442896496", 1000),
    ("+442920180", 1000),
    ("+441632960", 1000),
)


def _numbers(prefix: str, count: int) -> list[str]:
    width = len(str(count - 1))
    return [f"{prefix}{n:0{width}d}" for n in range(count)]


class PhonePool:
    """Hand out Ofcom drama numbers, each at most once; deal lines get the mobiles first."""

    def __init__(self, rng: random.Random) -> None:
        self.mobiles = _numbers(*DRAMA_MOBILES)
        self.landlines = [n for prefix, count in DRAMA_LANDLINES for n in _numbers(prefix, count)]
        rng.shuffle(self.mobiles)
        rng.shuffle(self.landlines)

    def for_line(self) -> str | None:
        """Return an unused number for a deal line, a mobile while any is left."""
        pool = self.mobiles or self.landlines
        return pool.pop() if pool else None

    def for_person(self, rng: random.Random) -> str | None:
        """Return an unused number for a person, or None once the drama ranges run out."""
        keep_for_lines = 300
        if len(self.mobiles) > keep_for_lines and rng.random() < 0.5:
            return self.mobiles.pop()
        return self.landlines.pop() if self.landlines else None
