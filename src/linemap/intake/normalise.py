"""Field normalisers: turn one cell of an agency export into the value linemap stores.

Each normaliser takes a non-empty, stripped string (callers drop empty cells first) and returns
a `Normalised` value, or raises `NormaliseError` with a reason that never repeats the input,
because the input may be a name, a date of birth or a phone number.

Speed matters: a million-row export must ingest in under a minute, so the common shapes are
matched by regexes compiled once, and pure slow paths are cached where inputs repeat. A cache
miss costs more than a simple check, so plain names and postcodes are not cached at all.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from zoneinfo import ZoneInfo

import phonenumbers

from linemap.model.partial_date import iso_text

_NO_EXTRA: Mapping[str, str] = MappingProxyType({})


class NormaliseError(ValueError):
    """Raised with a reason that NEVER contains the input value (the value may be personal data)."""


class MissingValue(NormaliseError):
    """Raised when a cell says the value is unknown; callers treat it as an empty cell."""


# No slots: on Python 3.11 a frozen dataclass with slots is slower to build, about 0.9 µs to 0.55.
@dataclass(frozen=True)
class Normalised:
    """A normalised value with the sibling properties derived from it."""

    value: str
    # Left out of the hash (mappings are unhashable); equal values still hash equal.
    extra: Mapping[str, str] = field(default_factory=lambda: _NO_EXTRA, hash=False)


Normaliser = Callable[[str], Normalised]


@dataclass(slots=True)
class _DayCache:
    """Today's date and the monotonic time it was read."""

    date: datetime.date = datetime.date.min
    read_at: float = -2.0


_DAY = _DayCache()


def _today() -> datetime.date:
    """Give today's date; tests monkeypatch this to fix the clock."""
    # date.today() costs about a microsecond, so re-read it at most once a second.
    now = time.monotonic()
    if now - _DAY.read_at >= 1.0:
        _DAY.date, _DAY.read_at = datetime.date.today(), now
    return _DAY.date


# --- text and codes -----------------------------------------------------------------------------


def normalise_text(raw: str) -> Normalised:
    """Collapse whitespace and strip control characters from free text."""
    text = " ".join(raw.split())
    if not text.isprintable():
        # Cc and Cf cover NUL, escape codes, zero-width spaces and stray byte-order marks.
        text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
        text = " ".join(text.split())
    if not text:
        raise NormaliseError("text has nothing printable in it")
    return Normalised(text)


_CODE_APOSTROPHES = re.compile(r"['’‘`]")
_CODE_SEPARATORS = re.compile(r"[^a-z0-9]+")


def normalise_code(raw: str) -> Normalised:
    """Turn a vocabulary label into a lower-case code: "Children's Home" -> "childrens_home"."""
    code = _CODE_APOSTROPHES.sub("", raw.lower())
    code = _CODE_SEPARATORS.sub("_", _fold_to_ascii(code)).strip("_")
    if not code:
        raise NormaliseError("code has no letters or digits")
    return Normalised(code)


# --- names --------------------------------------------------------------------------------------

# Letters NFKD leaves whole; without this "Søren" would fold to "sren".
_UNDECOMPOSABLE = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼʻ`´′", "'"))
_NOT_NAME_CHARACTER = re.compile(r"[^a-z0-9' -]+")
_SPACED_HYPHEN = re.compile(r" ?-[ -]*")
_LETTER_OR_DIGIT = re.compile(r"[a-z0-9]")
_DIGIT = re.compile(r"[0-9]")


def _fold_to_ascii(text: str) -> str:
    """Fold accented and special letters to plain ASCII, dropping what cannot be folded."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return text.encode("ascii", "ignore").decode("ascii")


def _fold_name(raw: str) -> str:
    """Fold a name to lower-case ASCII letters, digits, spaces, hyphens and apostrophes."""
    name = raw.lower()
    # Most names are one word of plain ASCII letters; that check beats a cache lookup.
    if name.isalpha() and name.isascii():
        return name
    return _fold_unusual_name(name)


@functools.lru_cache(maxsize=65536)
def _fold_unusual_name(name: str) -> str:
    """Fold a lower-cased name with accents, punctuation or several words."""
    if not name.isascii():
        name = _fold_to_ascii(name.translate(_APOSTROPHES))
    if name.replace(" ", "").isalpha():
        return " ".join(name.split())
    # Other punctuation separates words ("St.John", "Smith/Jones"), so it becomes a space.
    name = _NOT_NAME_CHARACTER.sub(" ", name.replace("`", "'"))
    name = _SPACED_HYPHEN.sub("-", " ".join(name.split()))
    return name.strip(" -'")


def normalise_name(raw: str) -> Normalised:
    """Normalise one name part (a forename or a surname): "O’Brien" -> "o'brien"."""
    name = _fold_name(raw)
    if _DIGIT.search(name):
        raise NormaliseError("name contains digits")
    if not name:
        raise NormaliseError("name has no letters")
    return Normalised(name)


def normalise_alias(raw: str) -> Normalised:
    """Normalise a nickname or street name, where digits are allowed: "T2" -> "t2"."""
    alias = _fold_name(raw)
    if not _LETTER_OR_DIGIT.search(alias):
        raise NormaliseError("alias has no letters or digits")
    return Normalised(alias)


def normalise_full_name(raw: str) -> Normalised:
    """Normalise a whole name, reordering "SURNAME, Forenames" to "forenames surname"."""
    surname_part, comma, forename_part = raw.partition(",")
    if comma:
        # Commas beyond the first separate further forenames ("SMITH, Jordan, Lee").
        forenames = _fold_name(forename_part.replace(",", " "))
        surname = _fold_name(surname_part)
        name = f"{forenames} {surname}".strip()
    else:
        name = forenames = _fold_name(raw)
        surname = ""
    if _DIGIT.search(name):
        raise NormaliseError("name contains digits")
    if not name:
        raise NormaliseError("name has no letters")
    tokens = name.split()
    extra = {"forename": tokens[0]} if forenames else {}
    # With a comma the comma says which part is which; without one a lone token is a forename.
    if surname or (not comma and len(tokens) > 1):
        extra["surname"] = tokens[-1]
    return Normalised(name, MappingProxyType(extra))


# --- dates --------------------------------------------------------------------------------------

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO_DATE = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}", re.ASCII)
_NUMERIC_DATE = re.compile(rf"(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}", re.ASCII)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_DAY_MONTH_NAME = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s/.-]*([a-z]+)\.?,?[\s/.-]*(\d{4}|\d{2})", re.ASCII | re.I
)
_MONTH_NAME_DAY = re.compile(
    r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{4})", re.ASCII | re.I
)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{4})", re.ASCII)
_MONTH_NAME_YEAR = re.compile(r"([a-z]+)\.?,?[\s/.-]*(\d{4})", re.ASCII | re.I)

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS: Mapping[str, int] = MappingProxyType(
    {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
    | {name[:3]: number for number, name in enumerate(_MONTH_NAMES, 1)}
    | {"sept": 9}
)
_UNKNOWN_DATES = frozenset(
    {"unknown", "unk", "n/k", "nk", "n/a", "not known", "not recorded", "not stated"}
    | {"00/00/0000", "00-00-0000", "00.00.0000", "00/00/00", "0000-00-00", "00000000"}
)

_UNREAL_DATE = "not a real calendar date; check the day and month"
_UNRECOGNISED_DATE = (
    "not a recognised date; use YYYY-MM-DD, DD/MM/YYYY, DD/MM/YY, D Month YYYY, Month D, YYYY"
    " or YYYYMMDD"
)
_UNRECOGNISED_BIRTH_DATE = (
    "not a recognised date of birth; use YYYY-MM-DD, DD/MM/YYYY, DD/MM/YY, D Month YYYY,"
    " Month YYYY, MM/YYYY, YYYY-MM or YYYY"
)
_BIRTH_DATE_RANGE = "date of birth outside 1900..today; check the year"

# A date as (year, month, day), with 0 for a month or day the source did not give.
_DateParts = tuple[int, int, int]


def _full_year(digits: str, this_year: int) -> int:
    """Expand a two-digit year to the latest year ending in those digits not in the future."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if 2000 + year <= this_year else 1900 + year


def _is_real(year: int, month: int, day: int) -> bool:
    """Tell whether the year, month and day make a real calendar date."""
    if not (1 <= month <= 12 and day >= 1 and year >= 1):
        return False
    if day <= 28:  # every month has a 28th: skip building a date for the common case
        return True
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _checked(year: int, month: int, day: int, partial: bool) -> _DateParts:
    """Return the parts if they make a date (partial: month or day may be 0), else raise."""
    if _is_real(year, month, day) or (partial and day == 0 and 0 <= month <= 12 and year >= 1):
        return year, month, day
    raise NormaliseError(_UNREAL_DATE)


def _day_or_month_first(year: int, first: int, second: int, partial: bool) -> _DateParts:
    """Read numbers day-first (UK), falling back to month-first only when that alone is real.

    US-style exports ("04/13/2009") reach us too; when the day-first reading is impossible but
    the month-first reading is a real date, the month-first reading is the only sensible one.
    """
    if _is_real(year, second, first):
        return year, second, first
    if partial and first == 0:
        return _checked(year, second, 0, partial)
    if _is_real(year, first, second):
        return year, first, second
    raise NormaliseError(_UNREAL_DATE)


def _read_date(raw: str, *, partial: bool, this_year: int) -> _DateParts:
    """Read a date in any accepted shape, trying the commonest shapes first."""
    if match := _ISO_DATE.fullmatch(raw):
        return _checked(int(match[1]), int(match[2]), int(match[3]), partial)
    if match := _NUMERIC_DATE.fullmatch(raw):
        return _day_or_month_first(
            _full_year(match[4], this_year), int(match[1]), int(match[3]), partial
        )
    if match := _COMPACT_DATE.fullmatch(raw):
        return _checked(int(match[1]), int(match[2]), int(match[3]), partial)
    if (match := _DAY_MONTH_NAME.fullmatch(raw)) and (month := _MONTHS.get(match[2].lower())):
        return _checked(_full_year(match[3], this_year), month, int(match[1]), partial)
    if (match := _MONTH_NAME_DAY.fullmatch(raw)) and (month := _MONTHS.get(match[1].lower())):
        return _checked(int(match[3]), month, int(match[2]), partial)
    if not partial:
        raise NormaliseError(_UNRECOGNISED_DATE)
    if _YEAR.fullmatch(raw):
        return int(raw), 0, 0
    if match := _YEAR_MONTH.fullmatch(raw):
        return _checked(int(match[1]), int(match[2]), 0, partial)
    if match := _MONTH_YEAR.fullmatch(raw):
        return _checked(int(match[2]), int(match[1]), 0, partial)
    if (match := _MONTH_NAME_YEAR.fullmatch(raw)) and (month := _MONTHS.get(match[1].lower())):
        return int(match[2]), month, 0
    raise NormaliseError(_UNRECOGNISED_BIRTH_DATE)


def _refuse_unknown(raw: str) -> None:
    """Raise MissingValue when the cell is a marker for an unknown date."""
    if raw.lower() in _UNKNOWN_DATES or not raw.strip("?"):
        raise MissingValue("date marked as unknown; treat the cell as empty") from None


def normalise_date(raw: str) -> Normalised:
    """Normalise a calendar date to ISO "YYYY-MM-DD", reading UK day-first by default."""
    return _normalise_date(raw, _today().year)


# Keyed on the year too, because two-digit years pivot on it; dates repeat a lot in exports.
@functools.lru_cache(maxsize=65536)
def _normalise_date(raw: str, this_year: int) -> Normalised:
    """Normalise a calendar date as if in the given year."""
    try:
        year, month, day = _read_date(raw, partial=False, this_year=this_year)
    except NormaliseError:
        _refuse_unknown(raw)  # only once reading fails, to keep it off the common path
        raise
    return Normalised(f"{year:04d}-{month:02d}-{day:02d}")


def normalise_date_of_birth(raw: str) -> Normalised:
    """Normalise a date of birth, keeping partial dates ("2009-04", "2009") at their precision."""
    return _normalise_date_of_birth(raw, _today())


@functools.lru_cache(maxsize=65536)
def _normalise_date_of_birth(raw: str, today: datetime.date) -> Normalised:
    """Normalise a date of birth as if on the given day."""
    try:
        year, month, day = _read_date(raw, partial=True, this_year=today.year)
    except NormaliseError:
        _refuse_unknown(raw)
        raise
    if year < 1900 or (year, month or 1, day or 1) > (today.year, today.month, today.day):
        raise NormaliseError(_BIRTH_DATE_RANGE)
    # The parts are checked already; building a PartialDate would check them again.
    return Normalised(iso_text(year, month or None, day or None))


# --- timestamps ---------------------------------------------------------------------------------

_LONDON = ZoneInfo("Europe/London")
_UNRECOGNISED_TIMESTAMP = (
    "not a recognised date and time; use YYYY-MM-DDTHH:MM:SS with Z or +HH:MM,"
    " or DD/MM/YYYY HH:MM[:SS] in UK local time"
)
_UK_TIMESTAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)
_TIMESTAMP = re.compile(
    r"(.+?)(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)


def _zone(text: str | None) -> datetime.tzinfo:
    """Turn "Z", "+01:00", "-0500" or no zone (UK local time) into a tzinfo."""
    if text is None:
        return _LONDON
    if text == "Z":
        return datetime.UTC
    minutes = int(text[1:3]) * 60 + int(text[-2:] if len(text) > 3 else 0)
    return datetime.timezone(datetime.timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _read_timestamp(raw: str) -> datetime.datetime:
    """Read a date in any accepted shape with an optional time of day and zone."""
    if match := _UK_TIMESTAMP.fullmatch(raw):
        # The commonest agency shape skips the slower general split below.
        parts = _day_or_month_first(int(match[3]), int(match[1]), int(match[2]), False)
        return _moment(parts, match[4], match[5], match[6], None, None)
    match = _TIMESTAMP.fullmatch(raw)
    if match is None:
        raise NormaliseError(_UNRECOGNISED_TIMESTAMP)
    date_text, *clock = match.groups()
    try:
        parts = _read_date(date_text, partial=False, this_year=_today().year)
    except NormaliseError as error:
        if str(error) == _UNRECOGNISED_DATE:
            raise NormaliseError(_UNRECOGNISED_TIMESTAMP) from None
        raise
    return _moment(parts, *clock)


def _moment(
    parts: _DateParts,
    hour: str | None,
    minute: str | None,
    second: str | None,
    fraction: str | None,
    zone: str | None,
) -> datetime.datetime:
    """Combine date parts with the text of a time of day and zone."""
    try:
        return datetime.datetime(
            *parts,
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=_zone(zone),
        )
    except ValueError:
        raise NormaliseError("not a real time of day; use 00:00 to 23:59") from None


def normalise_timestamp(raw: str) -> Normalised:
    """Normalise a moment to UTC ISO 8601; times without a zone are UK local time.

    A local time that a clock change skips or repeats is read with the offset in force before
    the change (PEP 495 fold=0): 01:30 on the autumn change day is taken as BST.
    """
    _refuse_unknown(raw)
    moment = None
    if raw[4:5] == "-" and raw[:4].isdigit():
        try:
            moment = datetime.datetime.fromisoformat(raw)
        except ValueError:
            moment = None
    if moment is None:
        moment = _read_timestamp(raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_LONDON)
    return Normalised(moment.astimezone(datetime.UTC).isoformat())


# --- postcodes ----------------------------------------------------------------------------------

_OUTWARD = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?", re.ASCII)
_INWARD = re.compile(r"\d[A-Z]{2}", re.ASCII)
_NOT_POSTCODE = "not a UK postcode; give an outward and inward code, or a district alone"


# Not cached: the check costs less than a cache miss, and postcodes vary more than dates.
def normalise_postcode(raw: str) -> Normalised:
    """Normalise a UK postcode to "SW1A 1AA", or a district alone to "SW1A"."""
    compact = "".join(raw.split()).upper()
    # A district is at most 4 characters and a full postcode at least 5, so length decides.
    if len(compact) <= 4:
        if not _OUTWARD.fullmatch(compact):
            raise NormaliseError(_NOT_POSTCODE)
        return Normalised(compact, MappingProxyType({"postcode_district": compact}))
    outward, inward = compact[:-3], compact[-3:]
    if inward[0] == "O":  # the commonest typo: letter O keyed for the digit zero
        inward = "0" + inward[1:]
    if not (
        (_OUTWARD.fullmatch(outward) and _INWARD.fullmatch(inward))
        or (outward == "GIR" and inward == "0AA")  # Girobank's non-standard postcode
    ):
        raise NormaliseError(_NOT_POSTCODE)
    return Normalised(f"{outward} {inward}", MappingProxyType({"postcode_district": outward}))


# --- phone numbers ------------------------------------------------------------------------------

# UK mobiles in their everyday shapes, with the punctuation already removed.
_UK_MOBILE_SHAPE = re.compile(r"(?:0|\+440?|00440?|44)?(7\d{9})", re.ASCII)


def _gb_mobile_pattern() -> re.Pattern[str]:
    """Compile the library's own pattern for GB mobiles, so the fast path cannot drift from it."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("GB")
    pattern = (
        None
        if metadata is None or metadata.mobile is None
        else metadata.mobile.national_number_pattern
    )
    if not isinstance(pattern, str):
        raise RuntimeError("phonenumbers has no GB mobile pattern; reinstall phonenumbers")
    return re.compile(pattern, re.ASCII)


_GB_MOBILE = _gb_mobile_pattern()
# Ofcom's numbers reserved for TV and radio drama: synthetic data uses them, so accept them.
# Each range is 1,000 numbers, so a prefix with a 10-digit national number pins it down.
_DRAMA_PREFIXES = (
    "+447700900",  # 07700 900000-900999
    "+441632960",  # 01632 960000-960999
    "+441134960", "+441144960", "+441154960", "+441164960", "+441174960", "+441184960",
    "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",
    "+442079460",  # 020 7946 0000-0999
    "+441914980",  # 0191 498 0000-0999
    "+442896496",  # 028 9649 6000-6999
    "+442920180",  # 029 2018 0000-0999
    "+448081570",  # 0808 157 0000-0999
    "+449098790",  # 0909 879 0000-0999
    "+443069990",  # 03069 990000-990999
)  # fmt: skip


def _is_drama(e164: str) -> bool:
    """Tell whether a UK number in E.164 is in an Ofcom drama range."""
    return len(e164) == 13 and e164.startswith(_DRAMA_PREFIXES)


@functools.lru_cache(maxsize=65536)
def _parse_phone(raw: str) -> str | None:
    """Parse any phone number shape with the phonenumbers library; None if not valid."""
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number) or _is_drama(e164):
        return e164
    return None


def _fast_uk_mobile(raw: str) -> str | None:
    """Give the E.164 form of a common UK mobile shape without the library, or None."""
    # A chain of replace() is several times faster than str.translate or re.sub here.
    compact = raw.replace(" ", "").replace("-", "").replace(".", "")
    match = _UK_MOBILE_SHAPE.fullmatch(compact.replace("(", "").replace(")", ""))
    if match is None:
        return None
    national = match[1]
    if national.startswith("7700900") or _GB_MOBILE.fullmatch(national):
        return "+44" + national
    return None


def normalise_phone(raw: str) -> Normalised:
    """Normalise a phone number to E.164 ("+447700900123"), reading it as UK by default."""
    e164 = _fast_uk_mobile(raw) or _parse_phone(raw)
    if e164 is None:
        raise NormaliseError("not a valid phone number; give a UK number or one starting +")
    return Normalised(e164)


# --- registry -----------------------------------------------------------------------------------

NORMALISERS: Mapping[str, Normaliser] = MappingProxyType(
    {
        "text": normalise_text,
        "name": normalise_name,
        "full_name": normalise_full_name,
        "alias": normalise_alias,
        "date": normalise_date,
        "date_of_birth": normalise_date_of_birth,
        "postcode": normalise_postcode,
        "phone": normalise_phone,
        "timestamp": normalise_timestamp,
        "code": normalise_code,
    }
)


def get_normaliser(name: str) -> Normaliser:
    """Find a normaliser by name; raise KeyError listing the known names if there is none."""
    try:
        return NORMALISERS[name]
    except KeyError:
        known = ", ".join(sorted(NORMALISERS))
        raise KeyError(f"no normaliser called {name!r}; known normalisers: {known}") from None
