"""Metrics that score linemap's output against a simulator's ground truth.

Pure functions over plain mappings and sets; nothing here reads a file or a database.

Clusterings are given as mappings from record id to cluster id (predicted) or to identity id
(truth). Only records present in both mappings are scored; how many were left out is stated in
the caveats as a count, never as ids. Everything is computed from the contingency table (how many
records each predicted cluster shares with each true identity), so a million records cost one pass
over the records and one over the non-empty cells, never a pass over pairs.

Undefined ratios follow one convention throughout: precision is tp / (tp + fp); when nothing was
predicted (tp + fp == 0) it is 1.0 if there was also nothing to find (tp + fn == 0) and 0.0
otherwise. Recall is the mirror image. F1 is 0.0 when precision and recall are both 0.0. Each
such case adds a caveat, so a perfect score that was really "nothing to score" never passes
silently.

Sources: Bagga and Baldwin (1998), "Algorithms for scoring coreference chains" (B-cubed);
Hubert and Arabie (1985), "Comparing partitions", J. Classification 2 (adjusted Rand index).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from linemap.errors import InvalidInput


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 with the counts behind them.

    precision = tp / (tp + fp) and recall = tp / (tp + fn); an undefined ratio is 1.0 when both
    sides are empty and 0.0 otherwise, with a caveat saying so. For `b_cubed` the three counts
    are 0: its precision and recall are averages of per-record ratios, not ratios of counts.
    """

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankScore:
    """Precision of the top k of a ranking, with the number of relevant items found there."""

    k: int
    precision: float
    hits: int
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementScore:
    """A chance-corrected agreement between two partitions over the records they share."""

    value: float
    records: int
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Contingency:
    """Records shared by a predicted and a true clustering, counted by (cluster, identity)."""

    cells: Counter[tuple[str, str]]
    predicted_sizes: Counter[str]
    true_sizes: Counter[str]
    records: int
    caveats: tuple[str, ...]


def _make_contingency(predicted: Mapping[str, str], truth: Mapping[str, str]) -> _Contingency:
    """Count the shared records by (predicted cluster, true identity), noting those left out."""
    # One look-up per record: .get returns None only for records predicted does not hold.
    cells: Counter[tuple[str, str]] = Counter(
        (cluster, identity)
        for record, identity in truth.items()
        if (cluster := predicted.get(record)) is not None
    )
    predicted_sizes: Counter[str] = Counter()
    true_sizes: Counter[str] = Counter()
    for (cluster, identity), count in cells.items():
        predicted_sizes[cluster] += count
        true_sizes[identity] += count
    records = sum(cells.values())
    caveats = []
    if missing := len(truth) - records:
        caveats.append(
            f"{missing} of {len(truth)} records in the truth are missing from predicted "
            "and were not scored"
        )
    if extra := len(predicted) - records:
        caveats.append(
            f"{extra} of {len(predicted)} predicted records are not in the truth "
            "and were not scored"
        )
    return _Contingency(cells, predicted_sizes, true_sizes, records, tuple(caveats))


def _pairs(count: int) -> int:
    """Return how many unordered pairs `count` items make (count choose 2)."""
    return count * (count - 1) // 2


def _ratio(hits: int, misses: int, other_misses: int, what: str, nothing: str) -> tuple[float, str]:
    """Return hits / (hits + misses), or the convention's value and a caveat when undefined."""
    if hits + misses:
        return hits / (hits + misses), ""
    if other_misses:  # nothing on this side, but something on the other
        return 0.0, f"{nothing}: {what} undefined, reported as 0.0"
    return 1.0, f"{nothing}: {what} undefined, reported as 1.0 as there was nothing either way"


def _harmonic_mean(precision: float, recall: float) -> float:
    """Return F1, the harmonic mean of precision and recall (0.0 when both are 0.0)."""
    if precision + recall == 0.0:
        return 0.0
    return 2.0 * precision * recall / (precision + recall)


def _make_score(tp: int, fp: int, fn: int, unit: str, caveats: tuple[str, ...]) -> Score:
    """Build a Score from counts of `unit`, applying the convention for undefined ratios."""
    precision, precision_caveat = _ratio(tp, fp, fn, "precision", f"no predicted {unit}")
    recall, recall_caveat = _ratio(tp, fn, fp, "recall", f"no true {unit}")
    found = tuple(caveat for caveat in (precision_caveat, recall_caveat) if caveat)
    return Score(
        precision=precision,
        recall=recall,
        f1=_harmonic_mean(precision, recall),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        caveats=caveats + found,
    )


def pairwise(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Score:
    """Score a clustering over the unordered pairs of records it puts together.

    A true positive is a pair in the same predicted cluster and the same true identity; a false
    positive shares a predicted cluster only; a false negative shares a true identity only.
    Counted from the contingency table as sums of (n choose 2), so pairs are never enumerated.
    """
    table = _make_contingency(predicted, truth)
    tp = sum(_pairs(count) for count in table.cells.values())
    predicted_pairs = sum(_pairs(count) for count in table.predicted_sizes.values())
    true_pairs = sum(_pairs(count) for count in table.true_sizes.values())
    return _make_score(tp, predicted_pairs - tp, true_pairs - tp, "pairs", table.caveats)


def b_cubed(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Score:
    """Score a clustering with Bagga and Baldwin's B-cubed, averaged over the shared records.

    A record's precision is |its predicted cluster ∩ its true cluster| / |its predicted cluster|
    and its recall the same over |its true cluster|; both are averaged over records (equal
    weights) and F1 is the harmonic mean of the two averages. The counts in the Score are 0, as
    B-cubed is not a ratio of counts. With no shared records both are reported as 1.0, caveated.
    """
    table = _make_contingency(predicted, truth)
    if table.records == 0:
        return _make_score(0, 0, 0, "records", table.caveats)
    # Every record in cell (cluster, identity) has the same ratios, so sum per cell: n * n / size.
    # fsum is correctly rounded, so the result does not depend on the order of the cells.
    precision_sum = math.fsum(
        count * count / table.predicted_sizes[cluster]
        for (cluster, _), count in table.cells.items()
    )
    recall_sum = math.fsum(
        count * count / table.true_sizes[identity] for (_, identity), count in table.cells.items()
    )
    precision = precision_sum / table.records
    recall = recall_sum / table.records
    return Score(
        precision=precision,
        recall=recall,
        f1=_harmonic_mean(precision, recall),
        true_positives=0,
        false_positives=0,
        false_negatives=0,
        caveats=table.caveats,
    )


def set_score(predicted: Iterable[str], truth: Iterable[str]) -> Score:
    """Score a predicted set of ids (flagged people, cuckooed addresses) against the true set.

    Repeated ids count once.
    """
    predicted_set = set(predicted)
    true_set = set(truth)
    tp = len(predicted_set & true_set)
    return _make_score(tp, len(predicted_set) - tp, len(true_set) - tp, "items", ())


def precision_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> RankScore:
    """Score the top k of a ranking: the share of those k places taken by relevant ids.

    The denominator is always k, so a ranking shorter than k counts its empty places as misses
    (as trec_eval does); an id repeated within the top k counts once. Caveats say when the
    ranking is short, repeats ids, or when fewer than k ids are relevant so 1.0 is out of reach.
    """
    if k < 1:
        raise InvalidInput(f"precision at k needs k of at least 1, got {k}; ask for k >= 1")
    relevant_set = set(relevant)
    top = ranked[:k]
    distinct_top = set(top)
    hits = len(distinct_top & relevant_set)
    caveats = []
    if len(top) < k:
        caveats.append(
            f"only {len(top)} ids were ranked, fewer than k = {k}; the rest count as misses"
        )
    if len(distinct_top) < len(top):
        caveats.append(f"the top {k} repeat {len(top) - len(distinct_top)} ids, each counted once")
    if len(relevant_set) < k:
        caveats.append(
            f"only {len(relevant_set)} ids are relevant, so the best possible precision at "
            f"{k} is {len(relevant_set) / k:.3g}"
        )
    return RankScore(k=k, precision=hits / k, hits=hits, caveats=tuple(caveats))


def adjusted_rand_index(predicted: Mapping[str, str], truth: Mapping[str, str]) -> AgreementScore:
    """Measure agreement of two clusterings with Hubert and Arabie's adjusted Rand index.

    1.0 means the same partition; about 0.0 means no better than chance; it can go below 0.0.
    Follows scikit-learn's adjusted_rand_score, including its convention that partitions which
    agree on every pair score 1.0 even where the index is 0 / 0: both all singletons, both one
    cluster, or fewer than two records (each caveated). Symmetric in its two arguments.
    """
    table = _make_contingency(predicted, truth)
    together_in_both = sum(_pairs(count) for count in table.cells.values())
    predicted_only = sum(_pairs(n) for n in table.predicted_sizes.values()) - together_in_both
    true_only = sum(_pairs(n) for n in table.true_sizes.values()) - together_in_both
    apart_in_both = _pairs(table.records) - together_in_both - predicted_only - true_only
    if predicted_only == 0 and true_only == 0:
        caveats = table.caveats
        if together_in_both == 0 or apart_in_both == 0:
            caveats += (
                "both partitions are trivial (all singletons, one cluster, or fewer than two "
                "records): the index is undefined, reported as 1.0 as scikit-learn does",
            )
        return AgreementScore(value=1.0, records=table.records, caveats=caveats)
    # The pair-count form of Hubert and Arabie's formula, as scikit-learn computes it; integers
    # until the one division, so the value is exactly symmetric in predicted and truth.
    numerator = 2 * (together_in_both * apart_in_both - true_only * predicted_only)
    denominator = (together_in_both + true_only) * (true_only + apart_in_both) + (
        together_in_both + predicted_only
    ) * (predicted_only + apart_in_both)
    return AgreementScore(
        value=numerator / denominator, records=table.records, caveats=table.caveats
    )
