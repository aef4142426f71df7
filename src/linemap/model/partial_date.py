"""Partial dates: a year, a year and month, or a full calendar date.

Agency records often know only part of a date of birth ("born April 2009"), so a date of birth
is stored at the precision the source gave rather than padded to a made-up first of the month.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        """Refuse dates that do not exist or skip the month."""
        # Four-digit years only, so that str() and parse_iso() round-trip.
        if not 1 <= self.year <= 9999:
            raise ValueError("year must be between 1 and 9999")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError("month must be between 1 and 12")
        # Every month has a 28th, so only later days need the calendar.
        if self.day is not None and not 1 <= self.day <= 28:
            try:
                datetime.date(self.year, self.month, self.day)
            except ValueError:
                raise ValueError("not a real calendar date") from None

    def __str__(self) -> str:
        """Give the ISO 8601 form at the known precision: 2009-04-03, 2009-04 or 2009."""
        return iso_text(self.year, self.month, self.day)

    @property
    def is_complete(self) -> bool:
        """Tell whether the day is known, so the value is a full calendar date."""
        return self.day is not None

    @classmethod
    def parse_iso(cls, text: str) -> PartialDate:
        """Read "YYYY-MM-DD", "YYYY-MM" or "YYYY"; raise ValueError for anything else."""
        match = _ISO_PARTIAL.fullmatch(text)
        if match is None:
            raise ValueError("not an ISO date: use YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = match.groups()
        return cls(
            int(year),
            None if month is None else int(month),
            None if day is None else int(day),
        )


def iso_text(year: int, month: int | None = None, day: int | None = None) -> str:
    """Write a partial date as ISO 8601 text without building a PartialDate; no checks.

    For hot paths that have already checked the parts; everything else should use str().
    """
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
