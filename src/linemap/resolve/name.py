"""Name variants and phonetic keys for forenames and surnames.

A forename's variants are itself, its formal forms and its short forms, from the `nicknames`
package (a hand-curated English list) plus a small table of forms common in this population
that the package lacks: street-style shortenings ("Jay", "J", "Ty", "Mo"), spelling variants
of names the package does not cover ("Mohamed", "Muhammad") and the short forms the simulator
uses. Two forenames are variants when either is among the other's variants.

The phonetic key is Metaphone (as the search index uses), taken over the whole name with
spaces, hyphens and apostrophes removed, so "O'Brien" and "Obrien" share a key.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

import jellyfish
from nicknames import NickNamer

# Formal name -> forms seen for it in practice that the nicknames package does not give.
# Single letters and street shortenings are weak on their own: the trained weights of the
# nickname level reflect that, and a letter only ever meets a name through its group.
_ADDITIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "jordan": ("jordy", "jord", "jay", "j"),
        "jayden": ("jay", "j"),
        "jamal": ("jay", "mal", "j"),
        "jason": ("jay", "j"),
        "james": ("jay", "jaz", "j"),
        "joshua": ("josh", "j"),
        "tyrone": ("ty", "t"),
        "tyler": ("ty", "t"),
        "mohammed": ("mo", "mohamed", "muhammad", "mohammad", "muhammed", "mohd", "moe"),
        "mohamed": ("mo", "mohammed", "muhammad", "mohammad"),
        "muhammad": ("mo", "mohammed", "mohamed", "mohammad"),
        "ahmed": ("ahmad", "ahmet"),
        "yusuf": ("yousef", "yousuf", "joseph"),
        "michael": ("mikey", "mike", "mick", "micky"),
        "daniel": ("dan", "danny"),
        "nathan": ("nate", "nat"),
        "samuel": ("sam", "sammy"),
        "thomas": ("tom", "tommy"),
        "anthony": ("tony", "ant"),
        "christopher": ("chris",),
        "callum": ("cal",),
        "harry": ("haz",),
        "ricardo": ("rico",),
        "reece": ("rhys", "reese"),
        "kieran": ("kiran", "kie"),
        "marcus": ("marc", "marky"),
        "andre": ("dre",),
        "dwayne": ("dwain", "duane"),
        "jessica": ("jess", "jessie"),
        "rebecca": ("becky", "becca"),
        "natasha": ("tash", "tasha"),
        "abigail": ("abi", "abby"),
        "katie": ("kate", "kat"),
        "kayleigh": ("kay", "kayley", "kaylee"),
        "olivia": ("liv", "livvy"),
        "amelia": ("millie", "mel"),
        "chantelle": ("chan", "shantelle"),
        "shanice": ("shan", "shaniece"),
        "jasmine": ("jaz", "jas", "jazmin"),
        "aaliyah": ("aliyah", "liyah"),
        "courtney": ("court",),
    }
)


def _related_forms() -> Mapping[str, frozenset[str]]:
    """Map every name in the additions table to the names it is directly related to."""
    related: dict[str, set[str]] = {}
    for formal, forms in _ADDITIONS.items():
        related.setdefault(formal, set()).update(forms)
        for form in forms:
            related.setdefault(form, set()).add(formal)
    return MappingProxyType({name: frozenset(found) for name, found in related.items()})


_RELATED = _related_forms()


@functools.cache
def _namer() -> NickNamer:
    """Load the nicknames package's table once, on first use."""
    return NickNamer()


@functools.lru_cache(maxsize=131072)
def name_variants(forename: str) -> tuple[str, ...]:
    """Return the sorted forms directly related to a lower-case forename, itself included."""
    found = {forename} | _RELATED.get(forename, frozenset())
    if len(forename) > 1:  # the package has no single letters; keep them out of its lookup
        namer = _namer()
        found |= namer.canonicals_of(forename) | namer.nicknames_of(forename)
    return tuple(sorted(found))


def are_variants(left: str, right: str) -> bool:
    """Tell whether one forename is a listed form of the other (either way round).

    Direct relations only: "Robert" and "William" share the nickname "Bill" but are not
    variants of each other.
    """
    return right in name_variants(left) or left in name_variants(right)


@functools.lru_cache(maxsize=131072)
def phonetic_key(name: str) -> str:
    """Return the Metaphone key of a lower-case name, ignoring spaces, hyphens, apostrophes."""
    letters = name.replace(" ", "").replace("-", "").replace("'", "")
    return jellyfish.metaphone(letters) if letters else ""
