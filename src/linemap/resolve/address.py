"""An address line reduced to what identifies a dwelling: flat, house number and street.

Agencies write one address many ways: "Flat 20, 15 Grove Road, Islington", "20/15 GROVE RD"
and "15 Grove Rd., Islington" with the flat left off. The key lower-cases, reads "20/15" as
flat 20 of number 15, spells out a street type abbreviated at the end of a part ("Rd" ->
"road", but "St Johns Road" keeps its saint), drops punctuation, and stops at the part that
holds the house number and street, so a town after it (often left off, and the postcode says
it better) never makes two writings of one address differ.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

# Street types as abbreviated in UK addresses (Royal Mail's common forms).
_STREET_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "rd": "road",
        "st": "street",
        "str": "street",
        "ave": "avenue",
        "av": "avenue",
        "ln": "lane",
        "cl": "close",
        "cres": "crescent",
        "cresc": "crescent",
        "pde": "parade",
        "gr": "grove",
        "gro": "grove",
        "pl": "place",
        "dr": "drive",
        "ct": "court",
        "sq": "square",
        "tce": "terrace",
        "terr": "terrace",
        "gdns": "gardens",
        "wy": "way",
        "hl": "hill",
        "pk": "park",
    }
)
_SLASH_FLAT = re.compile(r"^\s*(\d+[a-z]?)\s*/\s*(?=\d)")  # "20/15 grove road"
_PUNCTUATION = re.compile(r"[^\w\s,]+")
_HOUSE_AND_STREET = re.compile(r"^\d+[a-z]?\s+[a-z]")  # "15 grove road", "15a grove road"


def _part(text: str) -> str:
    """Tidy one comma-separated part: single spaces, a final street type spelt out."""
    words = text.split()
    if words and words[-1] in _STREET_TYPES and len(words) > 1:
        words[-1] = _STREET_TYPES[words[-1]]
    return " ".join(words)


@functools.lru_cache(maxsize=262144)
def address_key(line: str) -> str | None:
    """Return the dwelling key of an address line, or None when nothing is left of it."""
    text = _SLASH_FLAT.sub(r"flat \1, ", line.lower())
    parts = [_part(part) for part in _PUNCTUATION.sub(" ", text).split(",")]
    parts = [part for part in parts if part]
    for position, part in enumerate(parts):
        if _HOUSE_AND_STREET.match(part):
            parts = parts[: position + 1]
            break
    return " ".join(parts) or None
