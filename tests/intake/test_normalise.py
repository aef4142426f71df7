"""Field normalisers: accepted and refused shapes, invariants, and the phone fast path.

Every value here is synthetic: Ofcom drama numbers, well-known non-residential postcodes and
made-up names.
"""

import datetime
from collections.abc import Callable, Iterator

import phonenumbers
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from linemap.intake import normalise
from linemap.intake.normalise import (
    NORMALISERS,
    MissingValue,
    Normalised,
    NormaliseError,
    get_normaliser,
)
from linemap.model.partial_date import PartialDate

TODAY = datetime.date(2025, 6, 15)
REAL_TODAY = normalise._today


@pytest.fixture(autouse=True, scope="module")
def _fixed_today() -> Iterator[None]:
    """Fix the clock so two-digit years and date-of-birth bounds are deterministic."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalise, "_today", lambda: TODAY)
        yield


def value_of(normaliser: str, raw: str) -> str:
    """Normalise raw with the named normaliser and give the stored value."""
    return get_normaliser(normaliser)(raw).value


def assert_refused(normaliser: str, raw: str, reason: str) -> NormaliseError:
    """Check the named normaliser refuses raw with reason, never echoing raw anywhere."""
    with pytest.raises(NormaliseError, match=reason) as caught:
        get_normaliser(normaliser)(raw)
    error: BaseException | None = caught.value
    while error is not None and len(raw) > 2:  # the chain ends up in tracebacks too
        assert raw not in str(error)
        error = error.__cause__ or error.__context__
    return caught.value


# --- registry and result type -------------------------------------------------------------------


def test_registry_has_exactly_the_agreed_names() -> None:
    assert set(NORMALISERS) == {
        "text",
        "name",
        "full_name",
        "alias",
        "date",
        "date_of_birth",
        "postcode",
        "phone",
        "timestamp",
        "code",
    }


def test_get_normaliser_names_the_known_normalisers_when_asked_for_another() -> None:
    with pytest.raises(KeyError, match="date_of_birth") as caught:
        get_normaliser("dob")
    assert "postcode" in str(caught.value)


def test_normalised_defaults_to_no_extra_and_cannot_be_changed() -> None:
    result = Normalised("x")
    assert dict(result.extra) == {}
    with pytest.raises(TypeError):
        result.extra["k"] = "v"  # type: ignore[index]
    assert hash(result) == hash(Normalised("x"))


def test_missing_value_is_a_normalise_error_and_a_value_error() -> None:
    assert issubclass(MissingValue, NormaliseError)
    assert issubclass(NormaliseError, ValueError)


def test_real_clock_gives_today() -> None:
    assert REAL_TODAY() in {datetime.date.today(), datetime.date.today() - datetime.timedelta(1)}


# --- text and code ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Seen at the station", "Seen at the station"),
        ("two  spaces\tand\ttabs", "two spaces and tabs"),
        ("line one\r\nline two", "line one line two"),
        ("nul\x00inside", "nulinside"),
        ("zero\u200bwidth", "zerowidth"),
        ("\ufeffbyte order mark", "byte order mark"),
        ("non\u00a0breaking space", "non breaking space"),
        ("bell \x07 rung", "bell rung"),
        ("Café – 3 visits", "Café – 3 visits"),
    ],
)
def test_text_collapses_whitespace_and_strips_control_characters(raw: str, expected: str) -> None:
    assert value_of("text", raw) == expected


@pytest.mark.parametrize("raw", ["\x00", "\u200b\u200c", "\x1b\x07"])
def test_text_refuses_nothing_printable(raw: str) -> None:
    assert_refused("text", raw, "nothing printable")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Children's Home", "childrens_home"),
        ("Children’s Home", "childrens_home"),
        ("childrens_home", "childrens_home"),
        ("Deal-Line", "deal_line"),
        ("  Deal   Line ", "deal_line"),
        ("A&E", "a_e"),
        ("Café", "cafe"),
        ("NRM referral 2", "nrm_referral_2"),
    ],
)
def test_code_is_lower_case_with_underscores(raw: str, expected: str) -> None:
    assert value_of("code", raw) == expected


@pytest.mark.parametrize("raw", ["-", "' -- '", "&&"])
def test_code_refuses_no_letters_or_digits(raw: str) -> None:
    assert_refused("code", raw, "no letters or digits")


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jordan", "jordan"),
        ("ZOË", "zoe"),
        ("O’Brien", "o'brien"),
        ("O‘Brien", "o'brien"),
        ("O'Brien", "o'brien"),
        ("Smith-Jones", "smith-jones"),
        ("Smith - Jones", "smith-jones"),
        ("Mary  Ann", "mary ann"),
        ("St.John", "st john"),
        ("José", "jose"),
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Weiß", "weiss"),
        ("Ægir", "aegir"),
        ("'Jordan'", "jordan"),
        ("(Jordan)", "jordan"),
    ],
)
def test_name_folds_to_lower_case_ascii(raw: str, expected: str) -> None:
    assert value_of("name", raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Jordan2", "name contains digits"),
        ("2", "name contains digits"),
        ("J0rdan", "name contains digits"),
        ("???", "name has no letters"),
        ("- '", "name has no letters"),
        ("李", "name has no letters"),  # no ASCII folding exists; refused rather than lost
    ],
)
def test_name_refuses_digits_and_letterless_values(raw: str, reason: str) -> None:
    assert_refused("name", raw, reason)


@pytest.mark.parametrize(
    ("raw", "expected", "extra"),
    [
        ("Jordan Smith", "jordan smith", {"forename": "jordan", "surname": "smith"}),
        ("SMITH, Jordan", "jordan smith", {"forename": "jordan", "surname": "smith"}),
        ("SMITH,Jordan Lee", "jordan lee smith", {"forename": "jordan", "surname": "smith"}),
        ("Jordan Lee Smith", "jordan lee smith", {"forename": "jordan", "surname": "smith"}),
        ("SMITH, Jordan, Lee", "jordan lee smith", {"forename": "jordan", "surname": "smith"}),
        ("O’BRIEN, Zoë", "zoe o'brien", {"forename": "zoe", "surname": "o'brien"}),
        ("Smith-Jones, Ty", "ty smith-jones", {"forename": "ty", "surname": "smith-jones"}),
        ("Jordan", "jordan", {"forename": "jordan"}),
        ("Smith,", "smith", {"surname": "smith"}),
        (", Jordan", "jordan", {"forename": "jordan"}),
        ("?, Jordan", "jordan", {"forename": "jordan"}),
    ],
)
def test_full_name_reorders_and_splits(raw: str, expected: str, extra: dict[str, str]) -> None:
    result = get_normaliser("full_name")(raw)
    assert result.value == expected
    assert dict(result.extra) == extra


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Jordan Smith 2", "name contains digits"),
        ("SMITH2, Jordan", "name contains digits"),
        ("SMITH, Jordan 2", "name contains digits"),
        (",", "name has no letters"),
        ("?, ?", "name has no letters"),
    ],
)
def test_full_name_refuses_like_name(raw: str, reason: str) -> None:
    assert_refused("full_name", raw, reason)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Lil J", "lil j"), ("T2", "t2"), ("Big Man", "big man"), ("K-2", "k-2"), ("007", "007")],
)
def test_alias_keeps_digits(raw: str, expected: str) -> None:
    assert value_of("alias", raw) == expected


@pytest.mark.parametrize("raw", ["--", "??", "'"])
def test_alias_refuses_no_letters_or_digits(raw: str) -> None:
    assert_refused("alias", raw, "no letters or digits")


NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyzJORDANSMITHéöüøßæłÉÖ’'`-. ,12"


@given(st.text(NAME_ALPHABET, min_size=1, max_size=30))
def test_names_are_idempotent(raw: str) -> None:
    for normaliser in ("name", "alias", "full_name"):
        try:
            first = get_normaliser(normaliser)(raw.strip() or "x")
        except NormaliseError:
            continue
        second = get_normaliser(normaliser)(first.value)
        assert second.value == first.value
        if normaliser == "full_name":
            assert second.extra.get("forename") == first.value.split()[0]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2009-04-03", "2009-04-03"),
        ("2009-4-3", "2009-04-03"),
        ("2009-04-03T10:00:00", "2009-04-03"),
        ("2009-04-03T10:00:00Z", "2009-04-03"),
        ("2009-04-03T10:00:00.123+01:00", "2009-04-03"),
        ("2009-04-03 10:00", "2009-04-03"),
        ("03/04/2009", "2009-04-03"),
        ("3/4/2009", "2009-04-03"),
        ("03-04-2009", "2009-04-03"),
        ("03.04.2009", "2009-04-03"),
        ("03/04/2009 00:00:00", "2009-04-03"),
        ("03/04/09", "2009-04-03"),
        ("03/04/25", "2025-04-03"),  # 2025 is not in the future on the fixed day
        ("03/04/26", "1926-04-03"),  # 2026 would be
        ("3 April 2009", "2009-04-03"),
        ("3 april 2009", "2009-04-03"),
        ("03-Apr-2009", "2009-04-03"),
        ("03-APR-09", "2009-04-03"),
        ("03APR2009", "2009-04-03"),
        ("3rd April 2009", "2009-04-03"),
        ("1st Sept. 2009", "2009-09-01"),
        ("22nd Sep 2009", "2009-09-22"),
        ("April 3, 2009", "2009-04-03"),
        ("Apr 3 2009", "2009-04-03"),
        ("20090403", "2009-04-03"),
        ("29/02/2024", "2024-02-29"),
        ("31/12/2009", "2009-12-31"),
        # Month-first only when day-first is impossible and month-first is real (US exports).
        ("04/13/2009", "2009-04-13"),
        ("12/31/2009", "2009-12-31"),
    ],
)
def test_date_accepts_agency_shapes(raw: str, expected: str) -> None:
    assert value_of("date", raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/02/2009", "not a real calendar date"),
        ("13/13/2009", "not a real calendar date"),
        ("02/30/2009", "not a real calendar date"),
        ("00/04/2009", "not a real calendar date"),
        ("2009-02-29", "not a real calendar date"),
        ("2009-13-01", "not a real calendar date"),
        ("20091301", "not a real calendar date"),
        ("31 June 2009", "not a real calendar date"),
        ("June 31, 2009", "not a real calendar date"),
        ("next Tuesday", "not a recognised date"),
        ("03/04-2009", "not a recognised date"),
        ("3 Aprl 2009", "not a recognised date"),
        ("2009", "YYYY-MM-DD"),
        ("04/2009", "not a recognised date"),
        ("03/04/2009 lunchtime", "not a recognised date"),
    ],
)
def test_date_refuses_impossible_and_unrecognised(raw: str, reason: str) -> None:
    assert_refused("date", raw, reason)


UNKNOWN_MARKERS = [
    "unknown",
    "UNK",
    "n/k",
    "N/K",
    "Not Known",
    "?",
    "??",
    "00/00/0000",
    "0000-00-00",
]


@pytest.mark.parametrize("normaliser", ["date", "date_of_birth", "timestamp"])
@pytest.mark.parametrize("raw", UNKNOWN_MARKERS)
def test_unknown_markers_are_missing_values(normaliser: str, raw: str) -> None:
    with pytest.raises(MissingValue):
        get_normaliser(normaliser)(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/04/2009", "2009-04-03"),
        ("2009-04-03T00:00:00", "2009-04-03"),
        ("3rd April 2009", "2009-04-03"),
        ("01/01/1900", "1900-01-01"),  # a placeholder in some systems, but a real date: kept
        ("2009", "2009"),
        ("04/2009", "2009-04"),
        ("4/2009", "2009-04"),
        ("04-2009", "2009-04"),
        ("2009-04", "2009-04"),
        ("Apr 2009", "2009-04"),
        ("April 2009", "2009-04"),
        ("APR-2009", "2009-04"),
        ("00/04/2009", "2009-04"),
        ("00/00/2009", "2009"),
        ("2009-04-00", "2009-04"),
        ("15/06/2025", "2025-06-15"),  # the fixed today
        ("2025-06", "2025-06"),
        ("2025", "2025"),
        ("03/04/26", "1926-04-03"),
    ],
)
def test_date_of_birth_keeps_partial_dates(raw: str, expected: str) -> None:
    value = value_of("date_of_birth", raw)
    assert value == expected
    assert str(PartialDate.parse_iso(value)) == value


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("16/06/2025", "outside 1900..today"),
        ("2025-07", "outside 1900..today"),
        ("2026", "outside 1900..today"),
        ("31/12/1899", "outside 1900..today"),
        ("1899", "outside 1900..today"),
        ("0000", "outside 1900..today"),
        ("31/02/2009", "not a real calendar date"),
        ("13/2009", "not a real calendar date"),
        ("04/00/2009", "not a real calendar date"),
        ("born in spring", "not a recognised date of birth"),
        ("Spring 2009", "not a recognised date of birth"),
        ("04/09", "not a recognised date of birth"),
    ],
)
def test_date_of_birth_refuses_out_of_range_and_unreal(raw: str, reason: str) -> None:
    assert_refused("date_of_birth", raw, reason)


MONTH_NAMES = [datetime.date(2000, month, 1).strftime("%B") for month in range(1, 13)]
DATE_SHAPES: list[Callable[[datetime.date], str]] = [
    lambda d: d.isoformat(),
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
    lambda d: f"{d.day:02d}-{MONTH_NAMES[d.month - 1][:3]}-{d.year}",
    lambda d: f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.isoformat()}T23:59:59",
]


@given(
    st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)),
    st.sampled_from(DATE_SHAPES),
)
def test_every_date_shape_reads_day_first_and_is_idempotent(
    date: datetime.date, shape: Callable[[datetime.date], str]
) -> None:
    value = value_of("date", shape(date))
    assert value == date.isoformat()
    assert value_of("date", value) == value
    if date <= TODAY:
        assert value_of("date_of_birth", shape(date)) == value


@given(st.integers(1900, TODAY.year), st.integers(0, 12), st.sampled_from(["iso", "uk", "name"]))
def test_partial_dates_of_birth_are_idempotent(year: int, month: int, shape: str) -> None:
    assume((year, month) <= (TODAY.year, TODAY.month))
    if month == 0:
        raw = str(year)
    else:
        raw = {
            "iso": f"{year}-{month:02d}",
            "uk": f"{month}/{year}",
            "name": f"{MONTH_NAMES[month - 1]} {year}",
        }[shape]
    value = value_of("date_of_birth", raw)
    assert value == str(PartialDate(year, month or None))
    assert value_of("date_of_birth", value) == value


# --- timestamps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01T14:05:00Z", "2024-03-01T14:05:00+00:00"),
        ("2024-03-01T14:05:00+00:00", "2024-03-01T14:05:00+00:00"),
        ("2024-03-01T15:05:00+01:00", "2024-03-01T14:05:00+00:00"),
        ("2024-03-01T09:05:00-0500", "2024-03-01T14:05:00+00:00"),
        ("2024-03-01T14:05:00.250Z", "2024-03-01T14:05:00.250000+00:00"),
        # Naive times are UK local: GMT in winter, BST (UTC+1) in summer.
        ("2024-03-01T14:05:00", "2024-03-01T14:05:00+00:00"),
        ("2024-07-01T14:05:00", "2024-07-01T13:05:00+00:00"),
        ("2024-03-01 14:05", "2024-03-01T14:05:00+00:00"),
        ("01/03/2024 14:05", "2024-03-01T14:05:00+00:00"),
        ("01/03/2024 14:05:33", "2024-03-01T14:05:33+00:00"),
        ("01/07/2024 14:05:33", "2024-07-01T13:05:33+00:00"),
        ("1/7/2024 9:05", "2024-07-01T08:05:00+00:00"),
        ("07/13/2024 14:05", "2024-07-13T13:05:00+00:00"),  # month-first fallback, as for dates
        ("01-03-2024 14:05", "2024-03-01T14:05:00+00:00"),
        ("3 April 2024 14:05", "2024-04-03T13:05:00+00:00"),
        ("01/03/2024 14:05Z", "2024-03-01T14:05:00+00:00"),
        ("2024-03-01", "2024-03-01T00:00:00+00:00"),
        ("2024-07-01", "2024-06-30T23:00:00+00:00"),  # midnight BST
        ("01/07/2024", "2024-06-30T23:00:00+00:00"),
        # Clock changes: a skipped or repeated local time takes the offset from before.
        ("2024-03-31 01:30", "2024-03-31T01:30:00+00:00"),
        ("2024-10-27 01:30", "2024-10-27T00:30:00+00:00"),
    ],
)
def test_timestamp_gives_aware_utc(raw: str, expected: str) -> None:
    assert value_of("timestamp", raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("01/03/2024 25:00", "not a real time of day"),
        ("01/03/2024 14:65", "not a real time of day"),
        ("2024-03-01T24:30:00", "not a real time of day"),
        ("31/02/2024 14:05", "not a real calendar date"),
        ("yesterday at two", "not a recognised date and time"),
        ("01/03/2024 at 14:05", "not a recognised date and time"),
        ("2024-03-01T14:05 tomorrow", "not a recognised date and time"),
        ("2024-03-01T14:05:00+25:00", "not a real time of day"),
    ],
)
def test_timestamp_refuses_unreal_and_unrecognised(raw: str, reason: str) -> None:
    assert_refused("timestamp", raw, reason)


@given(st.datetimes(datetime.datetime(1970, 1, 1), datetime.datetime(2100, 1, 1)))
def test_timestamps_are_idempotent_and_keep_the_instant(moment: datetime.datetime) -> None:
    aware = moment.replace(tzinfo=datetime.UTC)
    value = value_of("timestamp", aware.isoformat())
    assert datetime.datetime.fromisoformat(value) == aware
    assert value_of("timestamp", value) == value


# --- postcodes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "district"),
    [
        ("SW1A 1AA", "SW1A 1AA", "SW1A"),
        ("sw1a1aa", "SW1A 1AA", "SW1A"),
        ("sw1a  1aa", "SW1A 1AA", "SW1A"),
        ("S W 1 A 1 A A", "SW1A 1AA", "SW1A"),
        ("M1 1AE", "M1 1AE", "M1"),  # A9
        ("B33 8TH", "B33 8TH", "B33"),  # A99
        ("W1A 0AX", "W1A 0AX", "W1A"),  # A9A
        ("CR2 6XH", "CR2 6XH", "CR2"),  # AA9
        ("EC1A 1BB", "EC1A 1BB", "EC1A"),  # AA9A
        ("DN55 1PT", "DN55 1PT", "DN55"),  # AA99
        ("SW1A OAA", "SW1A 0AA", "SW1A"),  # letter O keyed for zero
        ("GIR 0AA", "GIR 0AA", "GIR"),
        ("gir oaa", "GIR 0AA", "GIR"),
        ("SW1A", "SW1A", "SW1A"),  # a district alone
        ("m1", "M1", "M1"),
        ("DN55", "DN55", "DN55"),
    ],
)
def test_postcode_normalises_with_district(raw: str, expected: str, district: str) -> None:
    result = get_normaliser("postcode")(raw)
    assert result.value == expected
    assert dict(result.extra) == {"postcode_district": district}


@pytest.mark.parametrize(
    "raw",
    [
        "SW1A 1A",
        "SW1A 1AAA",
        "1AA",
        "SW 1AA",
        "SW1A IAA",  # only O is corrected, and only to zero
        "SW1A 10A",
        "SWAA 1AA",
        "ABCDE1 1AA",
        "M",
        "12",
        "GIR 1AA",
        "SW1A-1AA",
        "ＳＷ１Ａ １ＡＡ",  # full-width characters
    ],
)
def test_postcode_refuses_other_shapes(raw: str) -> None:
    assert_refused("postcode", raw, "not a UK postcode")


LETTERS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = st.sampled_from("0123456789")


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    """Draw a postcode-shaped string in any case and spacing."""
    outward = (
        "".join(draw(st.lists(LETTERS, min_size=1, max_size=2)))
        + draw(DIGITS)
        + draw(st.one_of(st.just(""), LETTERS, DIGITS))
    )
    inward = draw(DIGITS) + draw(LETTERS) + draw(LETTERS)
    text = outward + draw(st.sampled_from(["", " ", "  "])) + inward
    return draw(st.sampled_from([text, text.lower(), outward]))


@given(postcodes())
def test_postcodes_are_idempotent(raw: str) -> None:
    first = get_normaliser("postcode")(raw)
    second = get_normaliser("postcode")(first.value)
    assert second == first
    assert first.value.startswith(first.extra["postcode_district"])


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "07700.900.123",
        "(07700) 900123",
        "+44 (0)7700 900123",
        "+44 7700 900123",
        "+447700900123",
        "0044 7700 900123",
        "447700900123",
        "7700900123",
        "tel:07700900123",
        "tel:+44-7700-900123",
        "07700 900123 ext 12",
        "07700 900123 x12",
    ],
)
def test_phone_accepts_uk_mobile_shapes(raw: str) -> None:
    assert value_of("phone", raw) == "+447700900123"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900000", "+447700900000"),
        ("07700 900999", "+447700900999"),
        ("01632 960000", "+441632960000"),
        ("01632 960999", "+441632960999"),
        ("0113 496 0123", "+441134960123"),
        ("0115 496 0123", "+441154960123"),  # the library calls this range invalid
        ("020 7946 0123", "+442079460123"),
        ("0191 498 0123", "+441914980123"),
        ("028 9649 6123", "+442896496123"),
        ("029 2018 0123", "+442920180123"),
        ("0808 157 0123", "+448081570123"),
        ("03069 990123", "+443069990123"),
        ("+44 20 7946 0123", "+442079460123"),
        ("+1 201 555 0123", "+12015550123"),  # a foreign number with a +
        ("00 1 201 555 0123", "+12015550123"),
    ],
)
def test_phone_accepts_drama_ranges_and_foreign_numbers(raw: str, expected: str) -> None:
    assert value_of("phone", raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "07700 90012",
        "07700 9001234",
        "01632 961000",  # outside the drama range, and not a valid number
        "0000000000",
        "+999 123456",
        "07700 900123 07700 900124",
        "no number given",
    ],
)
def test_phone_refuses_invalid_numbers(raw: str) -> None:
    assert_refused("phone", raw, "not a valid phone number")


def oracle(raw: str) -> str | None:
    """Give what the phonenumbers library makes of raw, with Ofcom's drama ranges allowed."""
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    drama = len(e164) == 13 and e164.startswith("+447700900")  # the mobile drama range
    if phonenumbers.is_possible_number(number) and (phonenumbers.is_valid_number(number) or drama):
        return e164
    return None


@st.composite
def mobile_shapes(draw: st.DrawFn) -> str:
    """Draw UK-mobile-like strings in the shapes agency exports use, some malformed."""
    prefix = draw(
        st.sampled_from(["0", "", "+44", "+44 ", "+44(0)", "+44 (0)", "0044", "0044 ", "44", "(0"])
    )
    national = "7" + draw(st.one_of(st.just("700900"), st.text("0123456789", min_size=0)))
    national += draw(st.text("0123456789", min_size=0, max_size=10))
    national = national[: draw(st.sampled_from([10, 10, 10, 9, 11]))]
    separators = draw(st.lists(st.sampled_from(["", "", "", " ", "-", ".", ")"]), min_size=11))
    body = "".join(
        digit + separator for digit, separator in zip(national, separators, strict=False)
    )
    return (prefix + body).strip()


@given(mobile_shapes())
@example("07911 123456")  # Guernsey: valid, but not in the GB mobile pattern
@example("+4407700900123")
@example("07700 900123")
@example("07000 123456")  # personal numbering
def test_fast_path_agrees_with_phonenumbers(raw: str) -> None:
    expected = oracle(raw)
    fast = normalise._fast_uk_mobile(raw)
    assert fast is None or fast == expected
    if expected is None:
        assert_refused("phone", raw, "not a valid phone number")
    else:
        assert value_of("phone", raw) == expected
        assert value_of("phone", expected) == expected


def test_fast_path_covers_the_common_shapes() -> None:
    for raw in ["07911 123456", "+44 7911 123456", "447911 123456", "0044 7911 123456"]:
        assert normalise._fast_uk_mobile(raw.replace("7911", "7400")) == "+447400123456"


# --- no echo of personal data -------------------------------------------------------------------

# Every reason a normaliser gives. A fixed catalogue proves no message is built from the input;
# a new message must be added here, which is the moment to check it leaks nothing.
REASONS = frozenset(
    {
        "text has nothing printable in it",
        "code has no letters or digits",
        "name contains digits",
        "name has no letters",
        "alias has no letters or digits",
        "not a real calendar date; check the day and month",
        "not a recognised date; use YYYY-MM-DD, DD/MM/YYYY, DD/MM/YY, D Month YYYY, Month D, YYYY"
        " or YYYYMMDD",
        "not a recognised date of birth; use YYYY-MM-DD, DD/MM/YYYY, DD/MM/YY, D Month YYYY,"
        " Month YYYY, MM/YYYY, YYYY-MM or YYYY",
        "date of birth outside 1900..today; check the year",
        "date marked as unknown; treat the cell as empty",
        "not a recognised date and time; use YYYY-MM-DDTHH:MM:SS with Z or +HH:MM,"
        " or DD/MM/YYYY HH:MM[:SS] in UK local time",
        "not a real time of day; use 00:00 to 23:59",
        "not a UK postcode; give an outward and inward code, or a district alone",
        "not a valid phone number; give a UK number or one starting +",
    }
)

PERSONAL_LOOKING = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text("0123456789 /-.:+()", min_size=1, max_size=20),
    st.text("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'’,", min_size=1),
)


@pytest.mark.parametrize("normaliser", sorted(NORMALISERS))
@given(raw=PERSONAL_LOOKING)
def test_error_messages_come_from_a_fixed_catalogue(normaliser: str, raw: str) -> None:
    raw = raw.strip()
    assume(raw)
    try:
        get_normaliser(normaliser)(raw)
    except NormaliseError as error:
        failure = error
    else:
        return
    assert str(failure) in REASONS
    assert failure.__cause__ is None
