"""Agency noise stays within what intake reads; broken values never do."""

from __future__ import annotations

import random
from datetime import date

import pytest

from linemap.intake.normalise import NormaliseError, get_normaliser
from linemap.simulate.noise import Garbler, Profile, break_value, format_date
from linemap.simulate.person import Identity, PhonePool
from linemap.simulate.place import Address, make_areas, travel_hours


def _person(number: int = 1) -> Identity:
    home = Address(12, 3, "Station Road", "Margate", "CT9 1AB")
    return Identity(number, "M", "Jordan", "Example", date(2009, 7, 2), 0, home, "+447700900123")


def test_every_phone_shape_normalises_to_the_same_number() -> None:
    rng = random.Random(1)
    garbler = Garbler(rng, Profile())
    phone = get_normaliser("phone")
    pool = PhonePool(rng)
    numbers = [pool.for_line() for _ in range(30)] + [pool.for_person(rng) for _ in range(300)]
    for number in numbers:
        assert number is not None
        assert phone(garbler.phone(number)).value == number


def test_phone_numbers_are_ofcom_drama_numbers_and_never_repeat() -> None:
    # A synthetic record must never carry a number some real person may hold.
    pool = PhonePool(random.Random(4))
    drama = (
        "+447700900",
        "+441134960",
        "+441144960",
        "+441154960",
        "+441164960",
        "+441174960",
        "+441184960",
        "+441214960",
        "+441314960",
        "+441414960",
        "+441514960",
        "+441614960",
        "+441914980",
        "+442079460",
        "+442896496",
        "+442920180",
        "+441632960",
    )
    taken = [pool.for_line() for _ in range(1200)]
    taken += [pool.for_person(random.Random(5)) for _ in range(20000)]
    real = [n for n in taken if n is not None]
    assert all(n.startswith(drama) for n in real)
    assert len(set(real)) == len(real)
    assert taken[:1000] == [n for n in taken[:1000] if n and n.startswith("+447700900")]


@pytest.mark.parametrize("style", ["dmy", "iso", "long", "compact", "dotted", "abbr"])
def test_every_date_style_reads_back(style: str) -> None:
    day = date(2025, 3, 14)
    assert get_normaliser("date")(format_date(day, style)).value == "2025-03-14"


def test_dates_of_birth_are_sometimes_missing_partial_or_transposed() -> None:
    garbler = Garbler(random.Random(2), Profile(("dmy",), dob_missing=0.1, dob_partial=0.1))
    seen = {garbler.dob(_person()) for _ in range(400)}
    assert "" in seen
    assert "2009" in seen
    assert "02/07/2009" in seen
    assert "07/02/2009" in seen  # day and month swapped


def test_names_carry_nicknames_and_swaps() -> None:
    garbler = Garbler(random.Random(3), Profile(nickname=0.5, swap=0.2))
    names = {garbler.names(_person()) for _ in range(200)}
    assert ("Jordy", "Example") in names or ("J", "Example") in names
    assert any(first == "Example" for first, _ in names)


@pytest.mark.parametrize(
    ("kind", "normaliser"), [("dob", "date_of_birth"), ("postcode", "postcode")]
)
def test_broken_values_are_refused(kind: str, normaliser: str) -> None:
    rng = random.Random(4)
    for _ in range(20):
        with pytest.raises(NormaliseError):
            get_normaliser(normaliser)(break_value(rng, kind))


def test_places_come_from_the_gazetteer_and_travel_takes_time() -> None:
    areas = {a.name: a for a in make_areas()}
    assert areas["Margate"].latitude == pytest.approx(51.38, abs=0.05)
    assert areas["Brent"].hub
    assert not areas["Southend-on-Sea"].hub
    assert 1.0 < travel_hours(areas["Brent"], areas["Margate"]) < 4.0
