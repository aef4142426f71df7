"""Search terms: what the search index holds for a statement, and how a search box is read.

Names are indexed token by token, lower-cased, with a Metaphone key so that "Jordon Smyth"
finds "Jordan Smith"; dates of birth at the precision recorded ("2009", "2009-04",
"2009-04-03"); postcodes whole and by district; phone numbers in E.164. A query is read the
same way, with the intake normalisers, so the two can never drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jellyfish

from linemap.errors import InvalidInput
from linemap.intake.normalise import (
    MissingValue,
    NormaliseError,
    normalise_date_of_birth,
    normalise_name,
    normalise_phone,
    normalise_postcode,
)

NAME_PROPERTIES = frozenset({"forename", "middle_name", "surname", "name", "alias"})
INDEXED = {
    "Person": NAME_PROPERTIES | {"birth_date"},
    "Address": frozenset({"postcode", "postcode_district"}),
    "Phone": frozenset({"number"}),
}
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
_INWARD = re.compile(r"^[0-9][A-Z]{2}$")
_DATE_LIKE = re.compile(r"^\d{1,4}([/.-]\d{1,2}){0,2}([/.-]\d{2,4})?$")
_PHONE_PART = re.compile(r"^[+(]?\d[\d()-]*$")
MAX_QUERY_LENGTH = 200


def sound(token: str) -> str:
    """Return the phonetic key of a name token."""
    return jellyfish.metaphone(token)


def make_terms(schema: str, prop: str, value: str) -> list[tuple[str, str]]:
    """Return the (field, term) pairs that index one statement; none if it is not searchable."""
    if prop not in INDEXED.get(schema, ()):
        return []
    if prop in NAME_PROPERTIES:
        terms = []
        for token in value.lower().split():
            terms.append(("name", token[:80]))
            if key := sound(token):
                terms.append(("sound", key[:80]))
        return terms
    if prop == "birth_date":
        return [("dob", value)]
    if prop == "postcode":
        return [
            ("postcode", value.replace(" ", "").lower()),
            ("district", value.split()[0].lower()),
        ]
    if prop == "postcode_district":
        return [("district", value.lower())]
    return [("phone", value)]


@dataclass
class Query:
    """A search box read into its parts; every part given must match."""

    names: list[str] = field(default_factory=list)
    birth_date: str | None = None
    postcode: str | None = None
    district: str | None = None
    phone: str | None = None

    @property
    def empty(self) -> bool:
        """Return whether nothing searchable was given."""
        return not (self.names or self.birth_date or self.postcode or self.district or self.phone)


def parse_query(text: str) -> Query:
    """Read a search box: names, a (partial) date of birth, a postcode or district, a phone."""
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"a search is at most {MAX_QUERY_LENGTH} characters; shorten it")
    query = Query()
    tokens = _join_phone_parts(text.replace(",", " ").split())
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        upper = token.upper()
        following = tokens[i + 1].upper() if i + 1 < len(tokens) else ""
        if _DISTRICT.match(upper) and _INWARD.match(following):
            query.postcode = _postcode(f"{upper} {following}")
            skip = True
        elif _DISTRICT.match(upper) and any(c.isdigit() for c in upper) and len(upper) <= 4:
            query.district = upper.lower()
        elif _DATE_LIKE.match(token):
            query.birth_date = _birth_date(token)
        elif sum(c.isdigit() for c in token) >= 9:
            query.phone = _phone(token)
        else:
            try:
                query.names.extend(normalise_name(token).value.split())
            except (NormaliseError, MissingValue):
                raise InvalidInput(
                    "part of the search is neither a name, a date of birth, a postcode nor a "
                    "phone number; check it"
                ) from None
    return query


def _join_phone_parts(tokens: list[str]) -> list[str]:
    """Join a phone number typed in groups ("07700 900123") back into one token."""
    joined: list[str] = []
    for token in tokens:
        if _PHONE_PART.match(token) and joined and _PHONE_PART.match(joined[-1]):
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def _postcode(text: str) -> str:
    try:
        return normalise_postcode(text).value.replace(" ", "").lower()
    except (NormaliseError, MissingValue):
        raise InvalidInput("the postcode in the search is not a UK postcode; check it") from None


def _birth_date(text: str) -> str:
    try:
        return normalise_date_of_birth(text).value
    except (NormaliseError, MissingValue):
        raise InvalidInput(
            "the date in the search is not a date of birth; give e.g. 2009, 04/2009 or 03/04/2009"
        ) from None


def _phone(text: str) -> str:
    try:
        return normalise_phone(text).value
    except (NormaliseError, MissingValue):
        raise InvalidInput("the phone number in the search is not valid; check it") from None
