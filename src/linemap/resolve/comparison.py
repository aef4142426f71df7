"""The comparison, blocking and training plan: what is compared and how, for any backend.

The plan is data. A backend turns each level kind into its own SQL (Splink's level library on
DuckDB or Spark), so the same plan runs on either, and explanations use these labels.

Levels run in order and the first that holds wins, so each comparison goes from the most to the
least specific. Names: exact, swapped forename and surname, typo (Jaro-Winkler), nickname,
sounds-alike (Metaphone), a looser typo level, initial only, and a name given in the other field.
Date of birth: exact, day and month transposed, same year with the known parts agreeing (partial
dates), a one-character typo, a year apart. Postcode: exact, a one-character typo, same sector,
same district. Alias is weak evidence: its match weights are clamped after training so that it
can support a match but never make one alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a level tests a pair; each backend knows how to write each kind."""

    NULL = "null"  # the column is missing on either side
    EXACT = "exact"  # equal values
    SWAPPED = "swapped"  # forename and surname the other way round on one side
    CROSS = "cross"  # one side's forename is the other's surname
    JARO_WINKLER = "jaro_winkler"  # similarity at least the threshold
    DAMERAU_LEVENSHTEIN = "damerau_levenshtein"  # at most the threshold edits apart
    VARIANT = "variant"  # either forename is among the other's listed variants
    INITIAL = "initial"  # one side is an initial that agrees with the other's first letter
    DOB_TRANSPOSED = "dob_transposed"  # same year, day and month swapped
    DOB_COMPATIBLE = "dob_compatible"  # same year; month and day agree wherever both known
    YEAR_WITHIN = "year_within"  # years of birth at most the threshold apart


@dataclass(frozen=True)
class Level:
    """One level of a comparison."""

    kind: Kind
    label: str
    column: str = ""
    threshold: float = 0.0
    term_frequency: bool = False  # adjust an exact match's weight for how common the value is
    # Weight 0: the evidence is one event already counted in another comparison's level
    # (swapped names would otherwise count twice, once under forename and once under surname).
    neutral: bool = False


@dataclass(frozen=True)
class Comparison:
    """A comparison of one field: its levels (null first; "all other pairs" is implied last)."""

    name: str
    description: str
    levels: tuple[Level, ...]
    # Clamp each level's trained match weight into [low, high] bits (weak evidence).
    weight_bounds: tuple[float, float] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Return the level labels in level order, "all other pairs" last."""
        return (*(level.label for level in self.levels), ELSE_LABEL)


ELSE_LABEL = "all other pairs"
ALIAS_WEIGHT_BOUNDS = (-1.0, 2.0)  # at most 4x for, at most 2x against; never decisive
# Two different identifiers in one scheme are strong evidence against, but a mistyped PNC id
# must not be final: at most 2^10 against. Agreement is not capped.
IDENTIFIER_WEIGHT_BOUNDS = (-10.0, 64.0)


def _first_name() -> Comparison:
    return Comparison(
        "first_name",
        "forename",
        (
            Level(Kind.NULL, "forename missing", "first_name"),
            Level(Kind.EXACT, "forename exact", "first_name", term_frequency=True),
            Level(Kind.SWAPPED, "forename and surname swapped"),
            Level(Kind.JARO_WINKLER, "forename typo (Jaro-Winkler >= 0.92)", "first_name", 0.92),
            Level(Kind.VARIANT, "forename nickname or variant", "first_name"),
            Level(Kind.EXACT, "forename sounds alike (Metaphone)", "first_name_sound"),
            Level(Kind.JARO_WINKLER, "forename similar (Jaro-Winkler >= 0.8)", "first_name", 0.8),
            Level(Kind.INITIAL, "forename initial only"),
            Level(Kind.CROSS, "forename given as the other's surname"),
        ),
    )


def _surname() -> Comparison:
    return Comparison(
        "surname",
        "surname",
        (
            Level(Kind.NULL, "surname missing", "surname"),
            Level(Kind.EXACT, "surname exact", "surname", term_frequency=True),
            Level(Kind.SWAPPED, "swapped (counted under forename)", neutral=True),
            Level(Kind.JARO_WINKLER, "surname typo (Jaro-Winkler >= 0.92)", "surname", 0.92),
            Level(Kind.EXACT, "surname sounds alike (Metaphone)", "surname_sound"),
            Level(Kind.JARO_WINKLER, "surname similar (Jaro-Winkler >= 0.8)", "surname", 0.8),
            Level(Kind.CROSS, "in the other's forename (counted under forename)", neutral=True),
        ),
    )


def _dob() -> Comparison:
    return Comparison(
        "dob",
        "date of birth",
        (
            Level(Kind.NULL, "date of birth missing", "dob"),
            Level(Kind.EXACT, "date of birth exact", "dob_full", term_frequency=True),
            Level(Kind.DOB_TRANSPOSED, "day and month transposed"),
            Level(Kind.DOB_COMPATIBLE, "same year, known parts agree (partial date)"),
            Level(Kind.DAMERAU_LEVENSHTEIN, "one-character typo in the date", "dob_full", 1),
            Level(Kind.YEAR_WITHIN, "born within a year", "dob_year", 1),
        ),
    )


def _postcode() -> Comparison:
    return Comparison(
        "postcode",
        "postcode",
        (
            Level(Kind.NULL, "postcode missing", "postcode"),
            Level(Kind.EXACT, "postcode exact", "postcode", term_frequency=True),
            Level(Kind.DAMERAU_LEVENSHTEIN, "one-character typo in the postcode", "postcode", 1),
            Level(Kind.EXACT, "same postcode sector", "postcode_sector"),
            Level(Kind.EXACT, "same postcode district", "postcode_district"),
        ),
    )


def _text(name: str, description: str, *, tf: bool = True) -> Comparison:
    """Compare a free-text column: exact, then a close spelling."""
    return Comparison(
        name,
        description,
        (
            Level(Kind.NULL, f"{description} missing", name),
            Level(Kind.EXACT, f"{description} exact", name, term_frequency=tf),
            Level(Kind.JARO_WINKLER, f"{description} similar (Jaro-Winkler >= 0.9)", name, 0.9),
        ),
    )


def _identifier(name: str) -> Comparison:
    """Compare an identifier (a PNC id, an NHS number): equal, or not; no near misses."""
    return Comparison(
        name,
        name,
        (
            Level(Kind.NULL, f"{name} missing", name),
            Level(Kind.EXACT, f"{name} exact", name),
        ),
        IDENTIFIER_WEIGHT_BOUNDS,
    )


def make_comparisons(
    fields: tuple[str, ...], extras: tuple[str, ...] = (), identifiers: tuple[str, ...] = ()
) -> tuple[Comparison, ...]:
    """Plan the comparisons for the fields that hold values, then extra text columns, then
    identifiers."""
    plan: list[Comparison] = []
    if "first_name" in fields:
        plan.append(_first_name())
    if "surname" in fields:
        plan.append(_surname())
    if "dob" in fields:
        plan.append(_dob())
    if "postcode" in fields:
        plan.append(_postcode())
    if "phone" in fields:
        plan.append(
            Comparison(
                "phone",
                "phone number",
                (
                    Level(Kind.NULL, "phone number missing", "phone"),
                    Level(Kind.EXACT, "phone number exact", "phone", term_frequency=True),
                ),
            )
        )
    if "address" in fields:
        plan.append(_text("address", "address"))
    if "alias" in fields:
        alias = _text("alias", "alias", tf=False)
        plan.append(Comparison(alias.name, alias.description, alias.levels, ALIAS_WEIGHT_BOUNDS))
    plan.extend(_text(extra, extra) for extra in extras)
    plan.extend(_identifier(identifier) for identifier in identifiers)
    return tuple(plan)


@dataclass(frozen=True)
class BlockingRule:
    """Pairs to consider: records equal on every column of `on` (l and r the same column).

    `crossed` pairs each `on` column on the left with the same-position column of `crossed` on
    the right, for swapped and misplaced names.
    """

    on: tuple[str, ...]
    crossed: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """Describe the rule in a few words."""
        if self.crossed:
            return " and ".join(
                f"{a} = other's {b}" for a, b in zip(self.on, self.crossed, strict=True)
            )
        return " + ".join(self.on)


def make_blocking_rules(
    fields: tuple[str, ...], extras: tuple[str, ...] = (), identifiers: tuple[str, ...] = ()
) -> tuple[BlockingRule, ...]:
    """Plan the blocking rules: generous, so that few true pairs are never compared.

    Swapped names and records without a date of birth have rules of their own; without them
    recall drops by several points (dependency notes, measured on 1M synthetic records).
    """
    candidates = (
        BlockingRule(("first_name", "surname")),
        BlockingRule(("surname", "dob")),
        BlockingRule(("first_name", "dob")),
        BlockingRule(("first_name", "surname"), ("surname", "first_name")),
        BlockingRule(("first_name_sound", "surname_sound", "dob_year")),
        BlockingRule(("surname", "postcode")),
        BlockingRule(("first_name", "postcode")),
        BlockingRule(("dob", "postcode")),
        BlockingRule(("phone",)),
        # One name in the wrong field is weak evidence (the forename level gives it a few bits):
        # such a pair can only match on the whole date of birth and more, so block on the whole
        # date, not the year (the year made a quarter of all pairs on 1M records, none a match).
        BlockingRule(("first_name", "dob"), ("surname", "dob")),
        BlockingRule(("surname", "dob"), ("first_name", "dob")),
        BlockingRule(("surname", "first_initial")),
        BlockingRule(("dob", "first_initial")),
        BlockingRule(("dob", "surname_initial")),
        BlockingRule(("postcode", "dob_year")),
        BlockingRule(("postcode", "first_initial")),
        BlockingRule(("first_name", "surname_sound")),
        BlockingRule(("first_name_sound", "surname")),
        BlockingRule(("address", "first_initial")),
        BlockingRule(("address", "surname_initial")),
        *(BlockingRule(("surname", extra)) for extra in extras),
        *(BlockingRule(("first_name", extra)) for extra in extras),
        *(BlockingRule((identifier,)) for identifier in identifiers),
    )
    usable = (
        set(fields)
        | set(extras)
        | set(identifiers)
        | {f"{f}_{suffix}" for f in fields for suffix in _SUFFIXES}
    )
    return tuple(
        rule for rule in candidates if set(rule.on) | set(rule.crossed) <= usable | _DERIVED
    )


_SUFFIXES = ("sound", "year")
_DERIVED = frozenset({"first_initial", "surname_initial"})


def make_training_blocks(fields: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Plan the EM sessions: each block trains the comparisons not using its columns."""
    blocks: list[tuple[str, ...]] = []
    if {"first_name", "surname"} <= set(fields):
        blocks.append(("first_name", "surname"))
    if "dob" in fields:
        blocks.append(("dob",))
    elif "postcode" in fields:
        blocks.append(("postcode",))
    elif "phone" in fields:
        blocks.append(("phone",))
    return tuple(blocks)


DETERMINISTIC_RULES = (("first_name", "surname", "dob"), ("first_name", "surname", "postcode"))
DETERMINISTIC_RECALL = 0.7  # share of true pairs the deterministic rules are taken to find
