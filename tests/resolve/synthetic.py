"""Synthetic person mentions with known truth, garbled as agencies garble them.

Everyone is invented: names drawn as the simulator draws them, Ofcom drama phone numbers,
made-up postcodes. Values are normalised with the intake normalisers, as `linemap link` does.
"""

from __future__ import annotations

import random
from datetime import date

from linemap.intake.normalise import (
    NormaliseError,
    normalise_date_of_birth,
    normalise_name,
    normalise_phone,
    normalise_postcode,
)
from linemap.simulate.noise import Garbler, Profile
from linemap.simulate.person import STREET_NAMES, Identity, make_birth_date, make_person_name
from linemap.simulate.place import Address

PROFILE = Profile(
    date_styles=("dmy", "iso"),
    typo=0.15,
    nickname=0.15,
    swap=0.05,
    dob_missing=0.1,
    dob_partial=0.05,
)
TODAY = date(2025, 6, 1)


def _normalised(normaliser: object, raw: str) -> str | None:
    try:
        return normaliser(raw).value if raw else None  # type: ignore[operator,no-any-return]
    except NormaliseError:
        return None


def _postcode(rng: random.Random) -> str:
    area = rng.choice(("B", "M", "LS", "NG", "CV", "DE", "LE", "ST"))
    inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
    return f"{area}{rng.randint(1, 30)} {inward}"


def make_people(count: int, seed: int) -> list[Identity]:
    """Invent people with a name, date of birth, address and (for most) a phone."""
    rng = random.Random(seed)
    people = []
    for number in range(count):
        sex = rng.choice("MF")
        forename, surname = make_person_name(rng, sex)
        address = Address(rng.randint(1, 200), None, "High Street", "Town", _postcode(rng))
        person = Identity(
            number, sex, forename, surname, make_birth_date(rng, TODAY, 12, 40), 0, address
        )
        person.phone = f"+447700900{number % 1000:03d}" if rng.random() < 0.6 else None
        person.alias = rng.choice(STREET_NAMES) if rng.random() < 0.3 else None
        people.append(person)
    return people


def make_mentions(
    people: int, seed: int, most: int = 4
) -> tuple[list[dict[str, str | None]], dict[str, str]]:
    """Return garbled, normalised mentions of invented people, and each mention's person."""
    rng = random.Random(seed + 1)
    garbler = Garbler(rng, PROFILE)
    rows: list[dict[str, str | None]] = []
    truth: dict[str, str] = {}
    for person in make_people(people, seed):
        for _ in range(rng.randint(1, most)):
            forename, surname = garbler.names(person)
            record_id = f"R{len(rows):06d}"
            rows.append(
                {
                    "unique_id": record_id,
                    "first_name": _normalised(normalise_name, forename),
                    "surname": _normalised(normalise_name, surname),
                    "dob": _normalised(normalise_date_of_birth, garbler.dob(person)),
                    "postcode": _normalised(
                        normalise_postcode, garbler.postcode(person.address.postcode)
                    )
                    if rng.random() < 0.7
                    else None,
                    "phone": _normalised(normalise_phone, garbler.phone(person.phone))
                    if rng.random() < 0.5
                    else None,
                    "alias": person.alias.lower() if person.alias and rng.random() < 0.5 else None,
                }
            )
            truth[record_id] = person.id
    return rows, truth
