"""Agencies and actors as the rest of linemap sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from linemap.errors import InvalidInput
from linemap.model.vocabulary import AgencyKind, Role

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 12  # OWASP ASVS 6.2.1
_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True)
class Agency:
    """A partner organisation that holds records and employs actors."""

    id: int
    code: str
    name: str
    kind: AgencyKind
    area: str | None
    contact: str | None = None  # whom to ask for what it holds (discovery without disclosure)


@dataclass(frozen=True)
class Actor:
    """A person who uses linemap, with one role in one agency."""

    id: int
    username: str
    agency_code: str
    role: Role
    active: bool


def check_agency_code(code: str) -> str:
    """Return the code upper-cased, or raise InvalidInput saying what a code looks like."""
    upper = code.strip().upper()
    if not _CODE.match(upper):
        raise InvalidInput(
            "an agency code is 1-32 letters, digits, '-' or '_', starting with a letter or digit"
        )
    return upper


def check_username(username: str) -> str:
    """Return the username lower-cased, or raise InvalidInput saying what one looks like."""
    lower = username.strip().lower()
    if not _USERNAME.match(lower):
        raise InvalidInput("a username is 2-64 lower-case letters, digits, '.', '-' or '_'")
    return lower


def check_password(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def parse_choice(enum: type[_E], text: str, what: str) -> _E:
    """Read a vocabulary value, or raise InvalidInput listing the choices."""
    try:
        return enum(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise InvalidInput(f"unknown {what} {text!r}; choose one of: {choices}") from None
