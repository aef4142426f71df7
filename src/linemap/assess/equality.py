"""Equality monitoring (R24; PSED, Equality Act 2010 s.149): who is flagged, and who holds each
map role, by ethnic group, age band and sex, against a versioned baseline distribution.

For each group: the count and share observed, the count expected from the baseline, the
disproportionality ratio (observed / expected: 1 means in line with the baseline) and the
relative rate index of youth justice disproportionality work (the group's ratio over the
reference group's, usually White). Each group has an exact two-sided binomial test (the
"minimum likelihood" method of R's binom.test); the whole distribution has Pearson's
chi-square, its p-value exact from the chi-square distribution's closed form (erfc for odd
degrees of freedom, a finite Poisson sum for even), used when every expected count is 5 or
more; with smaller expected counts the overall p-value is the smallest exact binomial p-value
times the number of groups (Bonferroni), which holds at any size.

The alert rule (AlertRule): at least `min_people` people with a value the baseline covers;
the overall p-value under `alpha`; and some group whose ratio is outside `low`-`high` (the
four-fifths rule and its reciprocal), whose own exact p-value is under `alpha`, and whose
observed or expected count is at least `min_cell`. An alert asks for governance review; it is
not by itself evidence of bias, nor its absence of fairness.

Values not recorded, not in the baseline's code list, or on which a person's records disagree
with no single most frequent value are categories of their own, shown and never imputed or
tested. Counts under SMALL_NUMBERS are not shown (`show`). The baseline, its groups and its
code lists are `assess.baseline`'s; this module places people in its groups and compares.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from linemap.assess.baseline import (
    DISPUTED,
    IMPRECISE,
    NOT_MAPPED,
    NOT_RECORDED,
    SPECIAL,
    AlertRule,
    Dimension,
    code,
)

SMALL_NUMBERS = 5  # counts under this are not shown, as official statistics do


# --- statistics ----------------------------------------------------------------------------


def chi_square_upper(statistic: float, df: int) -> float:
    """Return P(X >= statistic) for X chi-square with `df` degrees of freedom (closed form)."""
    if df < 1:
        raise ValueError("degrees of freedom must be 1 or more")
    if statistic <= 0:
        return 1.0
    half = statistic / 2
    if df % 2 == 0:  # Q(k, x) = e^-x sum_{j<k} x^j / j!
        terms = [math.exp(j * math.log(half) - half - math.lgamma(j + 1)) for j in range(df // 2)]
        return min(1.0, math.fsum(terms))
    terms = [
        math.exp((j - 0.5) * math.log(half) - half - math.lgamma(j + 0.5))
        for j in range(1, (df + 1) // 2)
    ]
    return min(1.0, math.erfc(math.sqrt(half)) + math.fsum(terms))


def binomial_two_sided(k: int, n: int, p: float) -> float:
    """Return the exact two-sided binomial p-value of `k` in `n` at rate `p`: the probability of
    every outcome no more likely than `k` (R's binom.test, relative tolerance 1e-7)."""
    if n == 0 or (p <= 0 and k == 0) or (p >= 1 and k == n):
        return 1.0
    if p <= 0 or p >= 1:
        return 0.0
    lp, lq, lf = math.log(p), math.log1p(-p), math.lgamma(n + 1)

    def logpmf(j: int) -> float:
        return lf - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * lp + (n - j) * lq

    mode = min(n, int((n + 1) * p))
    if k == mode:
        return 1.0
    limit = logpmf(k) + math.log1p(1e-7)
    if k < mode:  # the other tail starts at the first j >= mode no more likely than k
        lo, hi = mode, n + 1
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if logpmf(mid) <= limit else (mid + 1, hi)
        other = _tail(logpmf, lo, 1, n) if lo <= n else 0.0
        return min(1.0, _tail(logpmf, k, -1, 0) + other)
    lo, hi = -1, mode  # the other tail starts at the last j <= mode no more likely than k
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if logpmf(mid) <= limit else (lo, mid - 1)
    other = _tail(logpmf, lo, -1, 0) if lo >= 0 else 0.0
    return min(1.0, _tail(logpmf, k, 1, n) + other)


def _tail(logpmf: Any, start: int, step: int, end: int) -> float:
    """Sum the probabilities from `start` away from the mode, until the terms no longer count."""
    top, total, j = logpmf(start), 0.0, start
    while True:
        term = math.exp(logpmf(j) - top)
        total += term
        if j == end or term < 1e-17 * total:
            return total * math.exp(top)
        j += step


# --- people into groups --------------------------------------------------------------------


def most_frequent(groups: Iterable[str]) -> str:
    """Return the group most of a person's records give (ignoring "not recorded" where any
    record gives a value); DISPUTED on a tie, NOT_RECORDED when none gives one."""
    given = list(groups)
    counts = Counter(g for g in given if g not in (NOT_RECORDED, IMPRECISE))
    if not counts:
        return IMPRECISE if IMPRECISE in given else NOT_RECORDED
    (best, n), *rest = counts.most_common()
    return DISPUTED if rest and rest[0][1] == n else best


def age_band(dimension: Dimension, dob: str, on: date) -> str:
    """Return the band a (partial) birth date puts a person in on a day: IMPRECISE where the
    possible ages fall in two bands, NOT_MAPPED where none fits (never a made-up day)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", dob)
    if match is None:
        return NOT_MAPPED
    year, month, day = (int(x) if x else None for x in match.groups())
    assert year is not None
    try:
        first = date(year, month or 1, day or 1)
        last_month = month or 12
        last = date(year, last_month, day or calendar.monthrange(year, last_month)[1])
    except ValueError:
        return NOT_MAPPED
    ages = [on.year - b.year - ((on.month, on.day) < (b.month, b.day)) for b in (last, first)]
    bands = {_band(dimension, age) for age in ages}
    return bands.pop() if len(bands) == 1 else IMPRECISE


def _band(dimension: Dimension, age: int) -> str:
    for group in dimension.groups:
        if group.low is not None and group.low <= age and (group.high is None or age <= group.high):
            return group.id
    return NOT_MAPPED


def group_of(dimension: Dimension, values: Sequence[str], on: date) -> str:
    """Return a person's group from the values their records give."""
    if dimension.kind == "age":
        return most_frequent(age_band(dimension, v, on) for v in values)
    return most_frequent(dimension.codes.get(code(v), NOT_MAPPED) for v in values)


# --- comparing with the baseline -----------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One group or category of a table, unsuppressed (never shown as such: see `show`)."""

    group: str
    label: str
    count: int
    baseline: float | None = None  # the group's share of the baseline, among those tested
    expected: float | None = None
    ratio: float | None = None  # observed / expected
    relative_rate: float | None = None  # ratio / the reference group's ratio
    p_value: float | None = None  # exact two-sided binomial
    departs: bool = False  # one of the groups an alert rests on

    @property
    def tested(self) -> bool:
        """Return whether the group has a baseline (and so counts towards the test)."""
        return self.baseline is not None


@dataclass(frozen=True)
class Table:
    """One dimension of one population against the baseline."""

    dimension: str
    label: str
    total: int  # people in the population
    tested: int  # of whom in a group with a baseline
    rows: tuple[Row, ...]
    statistic: float | None = None  # Pearson's chi-square
    df: int | None = None
    p_value: float | None = None  # overall, by `method`
    method: str | None = None
    alert: bool = False
    caveats: tuple[str, ...] = ()


def compare(dimension: Dimension, counts: Mapping[str, int], rule: AlertRule) -> Table:
    """Compare the counts of people by group with the baseline (see the module docstring)."""
    weight = sum(g.share or 0.0 for g in dimension.groups)
    rates = {g.id: g.share / weight for g in dimension.groups if g.share is not None}
    tested = sum(counts.get(g, 0) for g in rates)
    rows = {
        g.id: Row(g.id, g.label, counts.get(g.id, 0), rates.get(g.id)) for g in dimension.groups
    }
    rows.update({s: Row(s, SPECIAL[s], counts.get(s, 0)) for s in dimension.special})
    total = sum(r.count for r in rows.values())
    caveats = _caveats(dimension, rows, total, tested, rule)
    if len(rates) < 2 or not tested:
        return Table(
            dimension.name, dimension.label, total, tested, tuple(rows.values()), caveats=caveats
        )
    ref = dimension.reference
    ref_ratio = counts.get(ref, 0) / (tested * rates[ref]) if ref else 0.0
    for group, rate in rates.items():
        rows[group] = _tested(rows[group], tested, rate, ref_ratio, rule)
    expected = [(rows[g].count, rows[g].expected or 0.0) for g in rates]
    statistic = math.fsum((n - e) ** 2 / e for n, e in expected)
    if all(e >= 5 for _, e in expected):
        method, p_value = "chi-square", chi_square_upper(statistic, len(rates) - 1)
    else:
        method = "exact binomial per group, Bonferroni"
        p_value = min(1.0, len(rates) * min(rows[g].p_value or 1.0 for g in rates))
        caveats += (
            "some expected counts are under 5, so the overall p-value is the smallest"
            " exact binomial p-value times the number of groups, not chi-square's",
        )
    departs = any(r.departs for r in rows.values())
    alert = tested >= rule.min_people and p_value < rule.alpha and departs
    return Table(
        dimension.name,
        dimension.label,
        total,
        tested,
        tuple(rows.values()),
        statistic,
        len(rates) - 1,
        p_value,
        method,
        alert,
        caveats,
    )


def _tested(row: Row, tested: int, rate: float, ref_ratio: float, rule: AlertRule) -> Row:
    """Return a group's row against its baseline rate: expected, ratio, relative rate, test."""
    expected = tested * rate
    ratio = row.count / expected
    p_value = binomial_two_sided(row.count, tested, rate)
    departs = (
        not rule.low <= ratio <= rule.high
        and p_value < rule.alpha
        and max(row.count, expected) >= rule.min_cell
    )
    relative = ratio / ref_ratio if ref_ratio else None
    return replace(
        row,
        baseline=rate,
        expected=expected,
        ratio=ratio,
        relative_rate=relative,
        p_value=p_value,
        departs=departs,
    )


def _caveats(
    dimension: Dimension, rows: Mapping[str, Row], total: int, tested: int, rule: AlertRule
) -> tuple[str, ...]:
    found = []
    what = dimension.label.lower()
    if not any(g.share is not None for g in dimension.groups):
        found.append(f"the baseline has no distribution for {what}: shown only, never tested")
    elif tested < rule.min_people:
        found.append(
            f"fewer than {rule.min_people} people have a {what} the baseline covers: too few to"
            " tell a departure from chance, so no alert is raised"
        )
    missing = rows[NOT_RECORDED].count
    if missing >= SMALL_NUMBERS and missing * 5 >= total:
        found.append(
            f"{what} is not recorded for {round(100 * missing / total)}% of these people: the"
            " comparison covers only those with a recorded value"
        )
    return tuple(found)
