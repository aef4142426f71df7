"""How agencies garble what they record: date shapes, typos, nicknames, swaps, phone formats.

Each agency has a Profile; a Garbler applies it with the file's own random stream. Everything it
writes stays within what the intake normalisers accept, except the deliberately broken values,
which only `break_value` makes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from linemap.simulate import parameter
from linemap.simulate.person import NICKNAMES, Identity
from linemap.simulate.place import Address

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_STREET_SHORT = {
    "Road": "Rd",
    "Street": "St",
    "Avenue": "Ave",
    "Lane": "Ln",
    "Close": "Cl",
    "Crescent": "Cres",
    "Parade": "Pde",
    "Grove": "Gr",
    "Place": "Pl",
}


@dataclass(frozen=True, slots=True)
class Profile:
    """One agency's recording habits."""

    date_styles: tuple[str, ...] = ("dmy",)  # dmy, iso, long, compact, dotted, abbr
    moment_style: str = "dmy"  # dmy, iso, isoz
    typo: float = parameter.TYPO_SHARE
    nickname: float = 0.0
    swap: float = parameter.NAME_SWAP_SHARE
    dob_missing: float = parameter.DOB_MISSING_SHARE
    dob_partial: float = 0.0
    upper_surname: bool = False


def format_date(d: date, style: str) -> str:
    """Write a date in one of the shapes agencies use."""
    if style == "iso":
        return d.isoformat()
    if style == "long":
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    if style == "compact":
        return f"{d.year:04d}{d.month:02d}{d.day:02d}"
    if style == "dotted":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "abbr":
        return f"{d.day:02d}-{_MONTHS[d.month - 1][:3]}-{d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


class Garbler:
    """Write one agency's values with its habits and its share of mistakes."""

    def __init__(self, rng: random.Random, profile: Profile) -> None:
        self.rng = rng
        self.profile = profile

    def date(self, d: date) -> str:
        """Write an event date in one of the agency's styles."""
        styles = self.profile.date_styles
        return format_date(d, styles[0] if len(styles) == 1 else self.rng.choice(styles))

    def moment(self, t: datetime) -> str:
        """Write a date and time of day."""
        style = self.profile.moment_style
        if style == "iso":
            return t.strftime("%Y-%m-%d %H:%M")
        if style == "isoz":
            return t.strftime("%Y-%m-%dT%H:%M:00Z")
        return t.strftime("%d/%m/%Y %H:%M")

    def dob(self, person: Identity) -> str:
        """Write a date of birth: sometimes missing, partial or with day and month swapped."""
        rng, d = self.rng, person.birth_date
        roll = rng.random()
        if roll < self.profile.dob_missing:
            return "" if rng.random() < 0.8 else rng.choice(("Unknown", "N/K"))
        roll -= self.profile.dob_missing
        if roll < self.profile.dob_partial:
            return str(d.year) if rng.random() < 0.6 else f"{_MONTHS[d.month - 1][:3]} {d.year}"
        roll -= self.profile.dob_partial
        if roll < parameter.DOB_TRANSPOSED_SHARE and d.day <= 12 and d.day != d.month:
            d = d.replace(month=d.day, day=d.month)
        styles = [s for s in self.profile.date_styles if s != "compact"] or ["dmy"]
        return format_date(d, rng.choice(styles))

    def _typo(self, name: str) -> str:
        rng = self.rng
        if len(name) < 4 or rng.random() >= self.profile.typo:
            return name
        i = rng.randrange(1, len(name) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if kind == 1:
            return name[:i] + name[i + 1 :]
        return name[:i] + name[i] + name[i:]

    def forename(self, person: Identity) -> str:
        """Write a forename, perhaps as a nickname or with a typo."""
        name = person.forename
        short = NICKNAMES.get(name)
        if short and self.rng.random() < self.profile.nickname:
            return self.rng.choice(short)
        return self._typo(name)

    def surname(self, person: Identity) -> str:
        """Write a surname, upper-cased where the agency does so."""
        name = self._typo(person.surname)
        return name.upper() if self.profile.upper_surname else name

    def names(self, person: Identity) -> tuple[str, str]:
        """Write (forename, surname), now and then keyed the wrong way round."""
        forename, surname = self.forename(person), self.surname(person)
        if self.rng.random() < self.profile.swap:
            return surname, forename
        return forename, surname

    def full_name(self, person: Identity) -> str:
        """Write a whole name as "Forename Surname" or "SURNAME, Forename"."""
        forename, surname = self.forename(person), self._typo(person.surname)
        if self.rng.random() < 0.4:
            return f"{surname.upper()}, {forename}"
        if self.rng.random() < self.profile.swap:
            return f"{surname} {forename}"
        return f"{forename} {surname}"

    def phone(self, e164: str | None) -> str:
        """Write a UK mobile in one of the many ways people key it."""
        if not e164:
            return ""
        national = "0" + e164[3:]
        shape = self.rng.randrange(7)
        if shape == 0:
            return national
        if shape == 1:
            return f"{national[:5]} {national[5:]}"
        if shape == 2:
            return f"+44 {national[1:5]} {national[5:]}"
        if shape == 3:
            return f"0044 {national[1:5]} {national[5:8]} {national[8:]}"
        if shape == 4:
            return f"({national[:5]}) {national[5:8]} {national[8:]}"
        if shape == 5:
            return e164[1:]
        return f"{national[:5]}-{national[5:8]}-{national[8:]}"

    def imei(self, imei: str) -> str:
        """Write an IMEI, now and then grouped as on a label or without its check digit."""
        roll = self.rng.random()
        if roll < parameter.IMEI_GROUPED_SHARE:
            sep = self.rng.choice((" ", "-"))
            return sep.join((imei[:2], imei[2:8], imei[8:14], imei[14:]))
        if roll < parameter.IMEI_GROUPED_SHARE + parameter.IMEI_NO_CHECK_DIGIT_SHARE:
            return imei[:14]
        return imei

    def postcode(self, postcode: str) -> str:
        """Write a postcode, sometimes without its space or in lower case."""
        roll = self.rng.random()
        if roll < 0.1:
            return postcode.replace(" ", "")
        if roll < 0.15:
            return postcode.lower()
        return postcode

    def address(self, a: Address, *, town: bool = True) -> str:
        """Write an address line in one of its everyday variants."""
        rng = self.rng
        street = a.street
        if rng.random() < parameter.ADDRESS_VARIANT_SHARE:
            last = street.rsplit(" ", 1)[-1]
            street = street.replace(last, _STREET_SHORT.get(last, last))
        text = f"{a.number} {street}"
        if a.flat is not None:
            text = f"Flat {a.flat}, {text}" if rng.random() < 0.7 else f"{a.flat}/{text}"
        if town:
            text = f"{text}, {a.town}"
        return text.upper() if rng.random() < 0.05 else text


def break_value(rng: random.Random, kind: str) -> str:
    """Return a value the intake must refuse: an impossible date or a malformed postcode."""
    if kind == "dob":
        return f"{rng.choice((30, 31))}/02/{rng.randrange(1960, 2012)}"
    if kind == "postcode":
        return rng.choice(("CT9 ZZZ", "XX99 9X9", "SS1-1", "NW10 7A"))
    return ""
