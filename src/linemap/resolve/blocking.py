"""Fitting the blocking rules to the records: count each rule's pairs, tighten the big ones.

A rule that would make more candidate pairs than the budget (five per record, and never less
than five million) is tightened by adding a column that true pairs usually share (year of birth,
postcode district, an initial) until it fits, and dropped if nothing makes it fit. Counting is a
group-by over the feature table (over an evenly spread sample of 250,000 records past that size,
scaled up), so it costs about a second for a million records.
Names grow with the square of the records (dependency notes: past ~3M records the name blocks
dominate), so the budget keeps the cost linear at the price of a little recall on common names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from linemap.resolve.comparison import BlockingRule

# Columns that tighten a rule, in order of preference; each with the columns that imply it.
_TIGHTENERS = (
    ("dob_year", ("dob", "dob_year")),
    ("postcode_district", ("postcode", "postcode_district")),
    ("first_initial", ("first_name", "first_initial")),
    ("surname_initial", ("surname", "surname_initial")),
)


@dataclass(frozen=True)
class FittedRule:
    """A blocking rule as used, with the pairs it was counted to make."""

    rule: BlockingRule
    pairs: int


def pair_budget(records: int) -> int:
    """Return the most pairs one rule may make."""
    return max(5_000_000, 5 * records)


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
    return tuple(fitted)
