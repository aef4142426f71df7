"""Fitting the blocking rules to the records: count each rule's pairs, tighten the big ones.

A rule that would make more candidate pairs than the budget (five per record, and never less
than five million) is tightened by adding a column that true pairs usually share (year of birth,
an initial, month of birth, postcode district) until it fits, and dropped if nothing makes it
fit; a rule whose pairs another rule makes anyway is dropped too. Counting is a group-by over
the feature table (over an evenly spread sample of 250,000 records past that size, scaled up),
so it costs about a second for a million records. The records counted are the distinct ones
(see `duplicate`): identical records are scored once.
Names grow with the square of the records (dependency notes: past ~3M records the name blocks
dominate), so the budget keeps the cost linear at the price of a little recall on common names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from linemap.resolve.comparison import BlockingRule

# Columns that tighten a rule, in order of preference; each with the columns that imply it.
# Initials come before the postcode district: nearly every record has a name, fewer than half a
# postcode, and a tightener a record lacks drops all its pairs.
_TIGHTENERS = (
    ("dob_year", ("dob", "dob_year")),
    ("first_initial", ("first_name", "first_initial")),
    ("surname_initial", ("surname", "surname_initial")),
    ("dob_month", ("dob", "dob_month")),
    ("postcode_district", ("postcode", "postcode_district")),
)
# A crossed rule pairs a name with the other record's other name: an initial compared straight
# across would contradict it, so only these tighten it.
_CROSSED_TIGHTENERS = frozenset({"dob_year", "dob_month", "postcode_district"})
PAIRS_PER_RECORD = 5
# What equality on a column implies for another, whenever the column holds a value: equal names
# have equal initials and sounds; an ISO date of birth, however partial, starts with its year.
_IMPLIES = {
    "first_name": frozenset({"first_name_sound", "first_initial"}),
    "surname": frozenset({"surname_sound", "surname_initial"}),
    "dob": frozenset({"dob_year"}),
    "postcode": frozenset({"postcode_district"}),
}


@dataclass(frozen=True)
class FittedRule:
    """A blocking rule as used, with the pairs it was counted to make."""

    rule: BlockingRule
    pairs: int


def pair_budget(records: int) -> int:
    """Return the most pairs one rule may make."""
    return max(5_000_000, PAIRS_PER_RECORD * records)


def count_pairs(table: pa.Table, rule: BlockingRule) -> int:
    """Count the pairs of records a rule makes (crossed rules: an estimate, both ways / 2)."""
    left = _key_counts(table, rule.on)
    if not rule.crossed:
        counts = left.column("n").to_pylist()
        return sum(n * (n - 1) // 2 for n in counts)
    right = _key_counts(table, rule.crossed)
    keys = [f"k{i}" for i in range(len(rule.on))]
    joined = left.join(right, keys=keys, join_type="inner", left_suffix="_l", right_suffix="_r")
    products = pc.multiply(pc.cast(joined.column("n_l"), pa.int64()), joined.column("n_r"))
    return int(pc.sum(products).as_py() or 0) // 2


def _key_counts(table: pa.Table, columns: tuple[str, ...]) -> pa.Table:
    """Count the records per combination of values, leaving out any with a missing value."""
    keys = [f"k{i}" for i in range(len(columns))]
    selected = pa.table({key: table.column(c) for key, c in zip(keys, columns, strict=True)})
    selected = selected.drop_null()
    grouped = selected.group_by(keys).aggregate([([], "count_all")])
    return grouped.rename_columns([*(n if n != "count_all" else "n" for n in grouped.column_names)])


def _tighter(rule: BlockingRule) -> BlockingRule | None:
    """Add the first tightening column the rule does not already imply; None if none is left."""
    used = set(rule.on) | set(rule.crossed)
    for column, implied_by in _TIGHTENERS:
        if rule.crossed and column not in _CROSSED_TIGHTENERS:
            continue
        if used.isdisjoint(implied_by):
            crossed = (*rule.crossed, column) if rule.crossed else ()
            return BlockingRule((*rule.on, column), crossed)
    return None


SAMPLE_ROWS = 250_000  # past this, rules are counted on an evenly spread sample and scaled


def fit_blocking_rules(
    table: pa.Table, rules: tuple[BlockingRule, ...], budget: int | None = None
) -> tuple[FittedRule, ...]:
    """Tighten each rule until it makes at most `budget` pairs; drop those that never fit."""
    limit = pair_budget(table.num_rows) if budget is None else budget
    scale = 1.0
    if table.num_rows > SAMPLE_ROWS:
        step = table.num_rows / SAMPLE_ROWS
        table = table.take(pa.array([int(i * step) for i in range(SAMPLE_ROWS)]))
        scale = step * step  # pairs grow with the square of the records
    fitted = []
    for rule in rules:
        current: BlockingRule | None = rule
        while current is not None:
            pairs = round(count_pairs(table, current) * scale)
            if pairs <= limit:
                fitted.append(FittedRule(current, pairs))
                break
            current = _tighter(current)
    return tuple(f for f in fitted if not any(_subsumes(o.rule, f.rule) for o in fitted))


def _subsumes(wider: BlockingRule, rule: BlockingRule) -> bool:
    """Tell whether `wider`, another rule, makes every pair `rule` makes.

    "first_name + dob" makes no pair that "dob + first_initial" does not, so it is dropped:
    scoring a pair twice is wasted work. (A name with no Metaphone key, say one of digits
    alone, is the one exception: it has no sound to block on.) Crossed rules stay as they are.
    """
    if wider.crossed or rule.crossed or wider == rule:
        return False
    implied = {c for column in rule.on for c in (column, *_IMPLIES.get(column, ()))}
    if not set(wider.on) <= implied:
        return False
    # Two rules on the same columns in another order: keep the first in sort order.
    return set(rule.on) != set(wider.on) or wider.on < rule.on
