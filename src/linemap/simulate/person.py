"""Synthetic people: names of varied heritage, as often as such names are held, and roles.

The lists are not a register: they are common names (short lists of this population's names
and Faker's name tables), combined at random, so every person is invented. A few names carry
accents, as real exports do, to exercise encodings.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import import_module
from itertools import accumulate
from typing import Any

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
# Everyday short forms the noise writes (the simulator's own table, not the resolver's).
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


# Where names come from. The short lists above alone gave everyone in a region of 300,000 people
# some 57 namesakes of their own sex, so that a name recorded with nothing else could belong to
# any of them; full names are shared far less (in Faker's en_GB surname table, taken as shares
# of the population in per cent, Smith is 1.15 and the 500 commonest together 39.5). So each
# person draws a name origin (the shares are an assumption for London hubs and Kent and Essex
# towns), then a forename weighted by rank (Zipf, exponent 0.6: the commonest of some 230 about
# 4%) and a surname: a British one by the table's shares, the rest of British people spread
# evenly over the short list and Faker's en_IE surnames; other origins' evenly. The tables are
# Faker's (pinned in pyproject.toml: another version may simulate other names), read as data;
# only names a Windows-1252 export can hold are kept.
NAME_ORIGINS = (  # (Faker locale, share of people)
    ("en_GB", 0.70),
    ("en_IE", 0.05),
    ("yo_NG", 0.06),
    ("tw_GH", 0.04),
    ("en_IN", 0.07),
    ("pt_PT", 0.03),
    ("ro_RO", 0.03),
    ("tr_TR", 0.02),
)
_ZIPF = 0.6


@dataclass(frozen=True)
class _Origin:
    """Names of one origin: forenames by sex with cumulative weights, and surnames."""

    male: tuple[tuple[str, ...], tuple[float, ...]]
    female: tuple[tuple[str, ...], tuple[float, ...]]
    surnames: tuple[tuple[str, ...], tuple[float, ...]]


def _writable(names: Iterable[str]) -> tuple[str, ...]:
    """Keep each name once, in order, if Windows-1252 can encode it."""
    kept: dict[str, None] = {}
    for name in names:
        try:
            name.encode("cp1252")
        except UnicodeEncodeError:
            continue
        kept.setdefault(name, None)
    return tuple(kept)


def _by_rank(
    names: tuple[str, ...], *, ordered: bool = False
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Weight names by rank as a cohort's forenames fall off (Zipf), with cumulative weights
    for `random.choices`. Unless the list is `ordered` commonest first, the ranks are drawn
    once (most of Faker's lists are alphabetical)."""
    ranked = list(names)
    if not ordered:
        random.Random(len(names)).shuffle(ranked)
    return tuple(ranked), tuple(accumulate(rank**-_ZIPF for rank in range(1, len(ranked) + 1)))


def _evenly(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Weight names evenly, with cumulative weights for `random.choices`."""
    return names, tuple(float(n) for n in range(1, len(names) + 1))


def _british_surnames(
    table: dict[str, float], tail: Iterable[str]
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Weight the frequency table's surnames by their shares of the population (in per cent)
    and spread the rest of it evenly over the short list's and the tail's surnames."""
    top = _writable(table)
    rest = tuple(name for name in _writable((*SURNAMES, *tail)) if name not in table)
    left = 100 - sum(table[name] for name in top)
    weights = (*(table[name] for name in top), *(left / len(rest) for _ in rest))
    return (*top, *rest), tuple(accumulate(weights))


@cache
def _origins() -> tuple[tuple[_Origin, ...], tuple[float, ...]]:
    """Read the name tables once."""
    origins = []
    irish = _provider("en_IE")
    for locale, _ in NAME_ORIGINS:
        provider = _provider(locale)
        if locale == "en_GB":
            male = _writable((*MALE, *provider.first_names_male))
            female = _writable((*FEMALE, *provider.first_names_female))
            surnames = _british_surnames(dict(provider.last_names), irish.last_names)
        else:
            male = _writable(provider.first_names_male)
            female = _writable(provider.first_names_female)
            surnames = _evenly(_writable(provider.last_names))
        ordered = locale == "en_GB"  # commonest first: the short lists, then Faker's (ONS order)
        origins.append(
            _Origin(_by_rank(male, ordered=ordered), _by_rank(female, ordered=ordered), surnames)
        )
    return tuple(origins), tuple(accumulate(share for _, share in NAME_ORIGINS))


def _provider(locale: str) -> Any:
    """Return Faker's person provider of a locale, whose class attributes are its tables."""
    return import_module(f"faker.providers.person.{locale}").Provider


def _draw(rng: random.Random, table: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
    names, cumulative = table
    return rng.choices(names, cum_weights=cumulative)[0]


def make_person_name(rng: random.Random, sex: str) -> tuple[str, str]:
    """Draw a name origin, then a forename for the sex and a surname."""
    origins, cumulative = _origins()
    origin = rng.choices(origins, cum_weights=cumulative)[0]
    return _draw(rng, origin.male if sex == "M" else origin.female), _draw(rng, origin.surnames)


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
