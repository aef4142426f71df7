"""Equality monitoring, pure: exact statistics, groups without guessing, and the alert rule on a
skewed and a matching distribution."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linemap.assess import baseline as baseline_file
from linemap.assess.baseline import (
    DISPUTED,
    IMPRECISE,
    NOT_MAPPED,
    NOT_RECORDED,
    AlertRule,
    Baseline,
    Dimension,
    parse_baseline,
)
from linemap.assess.equality import binomial_two_sided, chi_square_upper, compare, group_of
from tests.assess.test_baseline import SMALL

ON = date(2026, 11, 26)
RULE = AlertRule()


@pytest.fixture(scope="module")
def small() -> Baseline:
    return parse_baseline(SMALL, "test")


@pytest.fixture(scope="module")
def packaged() -> Baseline:
    return baseline_file.packaged()


def _dim(baseline: Baseline, name: str) -> Dimension:
    return next(d for d in baseline.dimensions if d.name == name)


# --- statistics ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statistic", "df", "p"),
    [
        (3.841459, 1, 0.05),
        (6.634897, 1, 0.01),
        (5.991465, 2, 0.05),
        (11.344867, 3, 0.01),
        (13.276704, 4, 0.01),
        (9.487729, 4, 0.05),
        (0.0, 4, 1.0),
    ],
)
def test_chi_square_tail_matches_published_critical_values(
    statistic: float, df: int, p: float
) -> None:
    assert chi_square_upper(statistic, df) == pytest.approx(p, rel=1e-5)


@given(st.floats(0.001, 500))
def test_chi_square_tail_closed_forms(x: float) -> None:
    assert chi_square_upper(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-12)
    assert chi_square_upper(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-12)
    assert chi_square_upper(x, 3) >= chi_square_upper(x, 1)  # more freedom, fatter tail


def test_binomial_two_sided_exact_on_small_numbers() -> None:
    assert binomial_two_sided(2, 10, 0.5) == pytest.approx(112 / 1024, rel=1e-12)
    assert binomial_two_sided(0, 10, 0.5) == pytest.approx(2 / 1024, rel=1e-12)
    assert binomial_two_sided(5, 10, 0.5) == 1.0
    assert binomial_two_sided(3, 3, 0.0) == 0.0
    # 0 in 10 at 0.2: P(0) = 0.8^10; the upper tail from 4 (P(4) < P(0)) makes up the rest
    upper = sum(math.comb(10, j) * 0.2**j * 0.8 ** (10 - j) for j in range(4, 11))
    assert binomial_two_sided(0, 10, 0.2) == pytest.approx(0.8**10 + upper, rel=1e-12)


def _brute(k: int, n: int, p: float) -> float:
    pmf = [math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(n + 1)]
    return min(1.0, sum(x for x in pmf if x <= pmf[k] * (1 + 1e-7)))


@given(
    st.integers(1, 120).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from([0.021, 0.04, 0.093, 0.2, 0.4896, 0.5, 0.817]),
)
def test_binomial_two_sided_equals_the_full_sum(kn: tuple[int, int], p: float) -> None:
    k, n = kn
    assert binomial_two_sided(k, n, p) == pytest.approx(_brute(k, n, p), rel=1e-9, abs=1e-15)


# --- the comparison and the alert ----------------------------------------------------------


def test_a_matching_distribution_raises_no_alert(small: Baseline) -> None:
    table = compare(_dim(small, "ethnicity"), {"a": 50, "b": 30, "c": 20}, RULE)
    assert (table.total, table.tested, table.statistic, table.p_value) == (100, 100, 0.0, 1.0)
    assert [r.expected for r in table.rows[:3]] == pytest.approx([50, 30, 20])
    assert [r.ratio for r in table.rows[:3]] == pytest.approx([1, 1, 1])
    assert table.method == "chi-square"
    assert table.df == 2
    assert not table.alert
    assert not any(r.departs for r in table.rows)


def test_a_skewed_distribution_raises_an_alert_with_exact_figures(small: Baseline) -> None:
    table = compare(_dim(small, "ethnicity"), {"a": 20, "b": 30, "c": 50}, RULE)
    rows = {r.group: r for r in table.rows}
    assert table.statistic == pytest.approx(30**2 / 50 + 30**2 / 20)  # 63
    assert table.p_value == pytest.approx(math.exp(-63 / 2), rel=1e-9)  # 2 df: exactly e^-x/2
    assert (rows["a"].ratio, rows["b"].ratio, rows["c"].ratio) == pytest.approx((0.4, 1, 2.5))
    assert rows["c"].relative_rate == pytest.approx(2.5 / 0.4)  # against the reference, A
    assert rows["a"].relative_rate == pytest.approx(1.0)
    assert rows["c"].p_value == pytest.approx(binomial_two_sided(50, 100, 0.2))
    assert table.alert
    assert {g for g, r in rows.items() if r.departs} == {"a", "c"}


def test_no_alert_on_too_few_people_however_skewed(small: Baseline) -> None:
    table = compare(_dim(small, "ethnicity"), {"c": 12}, RULE)
    assert table.p_value is not None
    assert table.p_value < RULE.alpha
    assert not table.alert
    assert any("too few" in c for c in table.caveats)


def test_a_significant_but_small_departure_is_not_material(small: Baseline) -> None:
    # 100,000 people: ratios 0.96 to 1.1 are highly significant but within 0.8-1.25
    table = compare(_dim(small, "ethnicity"), {"a": 48_000, "b": 30_000, "c": 22_000}, RULE)
    assert table.p_value is not None
    assert table.p_value < 1e-10
    assert not table.alert


def test_unknown_values_are_their_own_category_and_never_tested(small: Baseline) -> None:
    counts = {"a": 20, "b": 12, "c": 8, NOT_RECORDED: 40, NOT_MAPPED: 3}
    table = compare(_dim(small, "ethnicity"), counts, RULE)
    rows = {r.group: r for r in table.rows}
    assert (table.total, table.tested) == (83, 40)
    assert rows[NOT_RECORDED].count == 40
    assert rows[NOT_RECORDED].expected is None
    assert rows["a"].expected == pytest.approx(20)  # expected from the 40 recorded, not 83
    assert any("not recorded for 48%" in c for c in table.caveats)


def test_small_expected_counts_use_the_exact_test(packaged: Baseline) -> None:
    counts = {"white": 30, "asian": 4, "black": 2, "mixed": 1, "other": 3}
    table = compare(_dim(packaged, "ethnicity"), counts, RULE)
    assert table.method == "exact binomial per group, Bonferroni"
    smallest = min(r.p_value for r in table.rows if r.p_value is not None)
    assert table.p_value == pytest.approx(min(1.0, 5 * smallest))


def test_age_has_no_baseline_and_is_shown_only(small: Baseline) -> None:
    table = compare(_dim(small, "age"), {"14-17": 40, IMPRECISE: 2}, RULE)
    assert table.method is None
    assert table.p_value is None
    assert not table.alert
    assert [r.group for r in table.rows][-1] == IMPRECISE
    assert any("shown only" in c for c in table.caveats)


def test_false_alarms_are_rare_and_a_doubled_rate_is_found(packaged: Baseline) -> None:
    """R24 / M13: silent on balance, fires on skew (seeded samples of the packaged baseline)."""
    dim, rng = _dim(packaged, "ethnicity"), random.Random(20261126)
    groups = [g.id for g in dim.groups]
    shares = [g.share or 0.0 for g in dim.groups]
    skewed = [s * (2 if g == "black" else 1) for g, s in zip(groups, shares, strict=True)]

    def alerts(weights: list[float], n: int, trials: int) -> int:
        found = 0
        for _ in range(trials):
            counts: dict[str, int] = {}
            for g in rng.choices(groups, weights, k=n):
                counts[g] = counts.get(g, 0) + 1
            found += compare(dim, counts, RULE).alert
        return found

    assert alerts(shares, 400, 300) <= 6  # at most 2% false alarms
    assert alerts(skewed, 1000, 100) >= 80  # a doubled rate among 1,000 people is found


# --- people into groups --------------------------------------------------------------------


def test_a_persons_group_is_the_most_frequent_value_never_a_guess(small: Baseline) -> None:
    ethnicity = _dim(small, "ethnicity")
    assert group_of(ethnicity, ["A1", "a1", "B1"], ON) == "a"
    assert group_of(ethnicity, ["group a"], ON) == "a"  # normalised as intake does
    assert group_of(ethnicity, ["a1", "b1"], ON) == DISPUTED
    assert group_of(ethnicity, ["NS", "c1"], ON) == "c"  # "not stated" is not a value
    assert group_of(ethnicity, ["NS"], ON) == NOT_RECORDED
    assert group_of(ethnicity, [], ON) == NOT_RECORDED
    assert group_of(ethnicity, ["zz9"], ON) == NOT_MAPPED


def test_age_bands_from_partial_dates_of_birth(small: Baseline) -> None:
    age = _dim(small, "age")
    assert group_of(age, ["2012-01-15"], ON) == "14-17"  # 14 on 26 November 2026
    assert group_of(age, ["2012-12-15"], ON) == "10-13"  # 13 until December
    assert group_of(age, ["2012"], ON) == IMPRECISE  # 13 or 14: not guessed
    assert group_of(age, ["2010"], ON) == "14-17"  # 15 or 16: one band either way
    assert group_of(age, ["2012", "2012-01-15"], ON) == "14-17"  # the precise one counts
    assert group_of(age, ["2030-01-01"], ON) == NOT_MAPPED  # born after the day
    assert group_of(age, [], ON) == NOT_RECORDED


def test_the_packaged_baseline_maps_what_agencies_record(packaged: Baseline) -> None:
    ethnicity, sex = _dim(packaged, "ethnicity"), _dim(packaged, "sex")
    assert packaged.reference == "census-2021-england-wales@2021.1"
    assert sum(g.share or 0 for g in ethnicity.groups) == pytest.approx(1.0)
    assert ethnicity.reference == "white"
    for recorded, group in [
        ("A1", "asian"),
        ("IC3", "black"),
        ("W1", "white"),
        ("M2", "mixed"),
        ("O2", "other"),
        ("NS", NOT_RECORDED),
        ("White British", "white"),
    ]:
        assert group_of(ethnicity, [recorded], ON) == group, recorded
    # the sexes the shipped templates and the simulator record, as intake normalises them
    for recorded, group in [
        ("Male", "male"),
        ("M", "male"),
        ("female", "female"),
        ("F", "female"),
        ("X", "another"),
        ("Unknown", NOT_RECORDED),
    ]:
        assert group_of(sex, [recorded], ON) == group, recorded
    assert [g.share for g in _dim(packaged, "age").groups] == [None] * 6
