"""Synthetic names: drawn as often as such names are held, reproducibly, writable everywhere."""

from __future__ import annotations

import random
from collections import Counter

from linemap.simulate.person import MALE, make_person_name

DRAWS = 60_000  # about the men of a quarter-size large region


def _names(seed: int, sex: str = "M") -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [make_person_name(rng, sex) for _ in range(DRAWS)]


def test_the_same_seed_draws_the_same_names() -> None:
    assert _names(3)[:500] == _names(3)[:500]
    assert _names(3)[:500] != _names(4)[:500]


def test_full_names_are_shared_about_as_rarely_as_real_ones() -> None:
    # The short lists alone gave each person some 57 namesakes in a region of 300,000; drawn
    # as real names are held, most people's full name is their own.
    names = Counter(_names(5))
    namesakes = sum(n * (n - 1) for n in names.values()) / DRAWS
    shared = sum(n for n in names.values() if n > 1) / DRAWS
    assert namesakes < 1.0
    assert shared < 0.5


def test_common_names_stay_common() -> None:
    names = _names(6)
    surnames = Counter(surname for _, surname in names)
    forenames = Counter(forename for forename, _ in names)
    # Smith is 1.15% of the population in the en_GB table, and 70% of people draw a British name.
    assert 0.006 < surnames["Smith"] / DRAWS < 0.011
    assert surnames.most_common(1)[0][0] == "Smith"
    # The population's own short list leads: Jordan, then Michael.
    assert forenames.most_common(1)[0][0] == MALE[0]
    assert forenames[MALE[0]] / DRAWS < 0.05


def test_women_draw_women_s_forenames() -> None:
    men = {forename for forename, _ in _names(7, "M")}
    women = {forename for forename, _ in _names(7, "F")}
    assert len(men & women) < 0.05 * len(women)


def test_every_name_fits_a_windows_1252_export() -> None:
    for forename, surname in _names(8)[:20_000] + _names(8, "F")[:20_000]:
        forename.encode("cp1252")
        surname.encode("cp1252")
