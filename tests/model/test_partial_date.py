"""PartialDate: construction rules, ISO text both ways, completeness."""

import dataclasses
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linemap.model.partial_date import PartialDate, iso_text


@pytest.mark.parametrize(
    ("partial_date", "text"),
    [
        (PartialDate(2009, 4, 3), "2009-04-03"),
        (PartialDate(2009, 4), "2009-04"),
        (PartialDate(2009), "2009"),
        (PartialDate(2009, 12, 31), "2009-12-31"),
        (PartialDate(2024, 2, 29), "2024-02-29"),
        (PartialDate(987, 1, 1), "0987-01-01"),
    ],
)
def test_str_gives_iso_at_known_precision(partial_date: PartialDate, text: str) -> None:
    assert str(partial_date) == text
    assert PartialDate.parse_iso(text) == partial_date


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [
        (2009, None, 3),  # a day needs a month
        (2009, 0, None),
        (2009, 13, None),
        (2009, 2, 29),  # not a leap year
        (2009, 4, 31),
        (2009, 4, 0),
        (2009, 4, 32),
        (0, None, None),
        (10000, None, None),
    ],
)
def test_construction_refuses_dates_that_do_not_exist(
    year: int, month: int | None, day: int | None
) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        PartialDate(year, month, day)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "09",
        "209",
        "2009-4",
        "2009-4-3",
        "2009-04-3",
        "09-04-03",
        "2009/04/03",
        "20090403",
        "2009-04-03T00:00",
        " 2009",
        "2009-04-",
        "2009-13",
        "2009-02-30",
        "0000",
        "２００９",  # full-width digits
    ],
)
def test_parse_iso_refuses_anything_but_the_three_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        PartialDate.parse_iso(text)


def test_is_complete_only_with_a_day() -> None:
    assert PartialDate(2009, 4, 3).is_complete
    assert not PartialDate(2009, 4).is_complete
    assert not PartialDate(2009).is_complete


def test_is_frozen_and_hashable() -> None:
    partial_date = PartialDate(2009, 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        partial_date.month = 5  # type: ignore[misc]
    assert len({partial_date, PartialDate(2009, 4)}) == 1


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """Draw a partial date at any of the three precisions."""
    date = draw(st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(date.year)
    if precision == "month":
        return PartialDate(date.year, date.month)
    return PartialDate(date.year, date.month, date.day)


@given(partial_dates())
def test_iso_text_round_trips(partial_date: PartialDate) -> None:
    assert PartialDate.parse_iso(str(partial_date)) == partial_date


@given(st.dates())
def test_complete_dates_print_like_the_standard_library(date: datetime.date) -> None:
    assert str(PartialDate(date.year, date.month, date.day)) == date.isoformat()


@given(partial_dates())
def test_iso_text_matches_str(partial_date: PartialDate) -> None:
    assert iso_text(partial_date.year, partial_date.month, partial_date.day) == str(partial_date)
