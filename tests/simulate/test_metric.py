"""Metrics: hand-computed cases, degenerate inputs, and properties against brute-force oracles."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linemap.errors import InvalidInput
from linemap.simulate.metric import (
    adjusted_rand_index,
    b_cubed,
    pairwise,
    precision_at_k,
    set_score,
)

Clustering = dict[str, str]

# Six records. Truth: A:1 = {1, 2, 3}, A:2 = {4, 5}, A:3 = {6}.
# Predicted: C:1 = {1, 2}, C:2 = {3, 4, 5, 6}.
# Contingency cells: (C:1, A:1) = 2, (C:2, A:1) = 1, (C:2, A:2) = 2, (C:2, A:3) = 1.
TRUTH = {"R:1": "A:1", "R:2": "A:1", "R:3": "A:1", "R:4": "A:2", "R:5": "A:2", "R:6": "A:3"}
PREDICTED = {"R:1": "C:1", "R:2": "C:1", "R:3": "C:2", "R:4": "C:2", "R:5": "C:2", "R:6": "C:2"}


def labelled(labels: list[int], prefix: str) -> Clustering:
    """Turn a label list (as scikit-learn takes it) into a record id -> cluster id mapping."""
    return {f"R:{index}": f"{prefix}:{label}" for index, label in enumerate(labels)}


# --- pairwise ---------------------------------------------------------------------------------


def test_pairwise_hand_computed() -> None:
    score = pairwise(PREDICTED, TRUTH)
    # tp = C(2,2) + C(2,2) = 2 (R:1-R:2 and R:4-R:5)
    # predicted pairs = C(2,2) + C(4,2) = 1 + 6 = 7, so fp = 7 - 2 = 5
    # true pairs = C(3,2) + C(2,2) + C(1,2) = 3 + 1 + 0 = 4, so fn = 4 - 2 = 2
    assert (score.true_positives, score.false_positives, score.false_negatives) == (2, 5, 2)
    assert score.precision == pytest.approx(2 / 7)
    assert score.recall == pytest.approx(2 / 4)
    # F1 = 2 * (2/7) * (1/2) / (2/7 + 1/2) = (2/7) / (11/14) = 4/11
    assert score.f1 == pytest.approx(4 / 11)
    assert score.caveats == ()


def test_pairwise_scores_only_shared_records_and_counts_the_rest() -> None:
    predicted = {key: value for key, value in PREDICTED.items() if key != "R:6"} | {"R:9": "C:1"}
    score = pairwise(predicted, TRUTH)
    # Scored: R:1..R:5. Cells (C:1, A:1) = 2, (C:2, A:1) = 1, (C:2, A:2) = 2.
    # tp = 1 + 1 = 2; predicted pairs = 1 + C(3,2) = 4, fp = 2; true pairs = 3 + 1 = 4, fn = 2.
    assert (score.true_positives, score.false_positives, score.false_negatives) == (2, 2, 2)
    assert score.precision == score.recall == 0.5
    assert len(score.caveats) == 2
    assert "1 of 6 records in the truth are missing from predicted" in score.caveats[0]
    assert "1 of 6 predicted records are not in the truth" in score.caveats[1]
    assert not any("R:" in caveat for caveat in score.caveats), "caveats must never name ids"


def test_pairwise_of_empty_inputs_is_perfect_but_caveated() -> None:
    score = pairwise({}, {})
    # tp = fp = fn = 0: nothing predicted and nothing to find, so 1.0 by convention.
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.caveats == (
        "no predicted pairs: precision undefined, reported as 1.0 as there was nothing either way",
        "no true pairs: recall undefined, reported as 1.0 as there was nothing either way",
    )


def test_pairwise_when_truth_has_no_pairs_but_prediction_merges() -> None:
    truth = labelled([0, 1, 2], "A")  # all singletons: no true pairs
    predicted = labelled([0, 0, 0], "C")  # one cluster: C(3,2) = 3 predicted pairs
    score = pairwise(predicted, truth)
    # tp = 0, fp = 3, fn = 0: precision 0/3 = 0.0; recall 0/0 with something predicted -> 0.0.
    assert (score.true_positives, score.false_positives, score.false_negatives) == (0, 3, 0)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert score.caveats == ("no true pairs: recall undefined, reported as 0.0",)


def test_pairwise_when_prediction_has_no_pairs_but_truth_does() -> None:
    score = pairwise(labelled([0, 1, 2], "C"), labelled([0, 0, 1], "A"))
    # tp = 0, fp = 0, fn = 1 (R:0-R:1): precision 0/0 with something to find -> 0.0; recall 0/1.
    assert (score.true_positives, score.false_positives, score.false_negatives) == (0, 0, 1)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert score.caveats == ("no predicted pairs: precision undefined, reported as 0.0",)


def test_pairwise_counts_pairs_without_enumerating_them() -> None:
    records = 200_000
    everyone = {f"R:{index}": "A:1" for index in range(records)}
    score = pairwise(everyone, everyone)
    # C(200000, 2) = 200000 * 199999 / 2 = 19,999,900,000 pairs: only countable, not listable.
    assert score.true_positives == 19_999_900_000
    assert (score.false_positives, score.false_negatives) == (0, 0)


# --- B-cubed ----------------------------------------------------------------------------------


def test_b_cubed_hand_computed() -> None:
    score = b_cubed(PREDICTED, TRUTH)
    # record: |pred ∩ true| / |pred|, / |true|
    # R:1, R:2: 2/2, 2/3.  R:3: 1/4, 1/3.  R:4, R:5: 2/4, 2/2.  R:6: 1/4, 1/1.
    # precision = (1 + 1 + 1/4 + 1/2 + 1/2 + 1/4) / 6 = 3.5 / 6 = 7/12
    # recall = (2/3 + 2/3 + 1/3 + 1 + 1 + 1) / 6 = (14/3) / 6 = 7/9
    # F1 = 2 * (7/12) * (7/9) / (7/12 + 7/9) = (49/54) / (49/36) = 2/3
    assert score.precision == pytest.approx(7 / 12)
    assert score.recall == pytest.approx(7 / 9)
    assert score.f1 == pytest.approx(2 / 3)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (0, 0, 0)
    assert score.caveats == ()


def test_b_cubed_of_all_singletons_against_one_cluster() -> None:
    score = b_cubed(labelled([0, 1, 2, 3], "C"), labelled([0, 0, 0, 0], "A"))
    # Each record: precision 1/1, recall 1/4. F1 = 2 * 1 * 1/4 / (5/4) = 2/5.
    assert (score.precision, score.recall) == (1.0, 0.25)
    assert score.f1 == pytest.approx(0.4)


def test_b_cubed_of_empty_inputs_is_perfect_but_caveated() -> None:
    score = b_cubed({}, {"R:1": "A:1"})
    # No shared records: both averages are over nothing, 1.0 by convention, and the missing
    # record is counted.
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.caveats[0].startswith("1 of 1 records in the truth are missing from predicted")
    assert "no predicted records: precision undefined, reported as 1.0" in score.caveats[1]
    assert "no true records: recall undefined, reported as 1.0" in score.caveats[2]


# --- set score --------------------------------------------------------------------------------


def test_set_score_hand_computed() -> None:
    score = set_score(["P:1", "P:2", "P:3", "P:4", "P:4"], ["P:3", "P:4", "P:5"])
    # tp = |{P:3, P:4}| = 2, fp = |{P:1, P:2}| = 2, fn = |{P:5}| = 1 (P:4 repeated counts once)
    # precision 2/4, recall 2/3, F1 = 2 * (1/2) * (2/3) / (1/2 + 2/3) = (2/3) / (7/6) = 4/7
    assert (score.true_positives, score.false_positives, score.false_negatives) == (2, 2, 1)
    assert score.precision == 0.5
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(4 / 7)


@pytest.mark.parametrize(
    ("predicted", "truth", "expected", "caveats"),
    [
        (
            [],
            [],
            (1.0, 1.0, 1.0),
            (
                "no predicted items: precision undefined, reported as 1.0 as there was nothing "
                "either way",
                "no true items: recall undefined, reported as 1.0 as there was nothing either way",
            ),
        ),
        (
            [],
            ["P:1"],
            (0.0, 0.0, 0.0),
            ("no predicted items: precision undefined, reported as 0.0",),
        ),
        (["P:1"], [], (0.0, 0.0, 0.0), ("no true items: recall undefined, reported as 0.0",)),
        (["P:1"], ["P:2"], (0.0, 0.0, 0.0), ()),  # 0/1 and 0/1: defined, F1 0 as P + R = 0
    ],
)
def test_set_score_degenerate_cases(
    predicted: list[str],
    truth: list[str],
    expected: tuple[float, float, float],
    caveats: tuple[str, ...],
) -> None:
    score = set_score(predicted, truth)
    assert (score.precision, score.recall, score.f1) == expected
    assert score.caveats == caveats


# --- precision at k ---------------------------------------------------------------------------

RANKED = ["P:1", "P:2", "P:3", "P:4", "P:5"]
RELEVANT = {"P:2", "P:4", "P:9"}


def test_precision_at_k_hand_computed() -> None:
    score = precision_at_k(RANKED, RELEVANT, 3)
    # top 3 = P:1, P:2, P:3; hits = {P:2} = 1; precision 1/3. Three relevant, k = 3: no caveat.
    assert (score.k, score.hits) == (3, 1)
    assert score.precision == pytest.approx(1 / 3)
    assert score.caveats == ()


def test_precision_at_k_says_when_a_perfect_score_is_out_of_reach() -> None:
    score = precision_at_k(RANKED, RELEVANT, 5)
    # top 5 holds P:2 and P:4: 2/5. Only 3 relevant ids, so the best possible is 3/5 = 0.6.
    assert (score.hits, score.precision) == (2, 0.4)
    assert score.caveats == ("only 3 ids are relevant, so the best possible precision at 5 is 0.6",)


def test_precision_at_k_counts_empty_places_and_repeats_as_misses() -> None:
    score = precision_at_k(["P:2", "P:2"], {"P:2", "P:4", "P:9"}, 3)
    # top 3 = [P:2, P:2]: one distinct hit over k = 3 places -> 1/3.
    assert score.hits == 1
    assert score.precision == pytest.approx(1 / 3)
    assert score.caveats == (
        "only 2 ids were ranked, fewer than k = 3; the rest count as misses",
        "the top 3 repeat 1 ids, each counted once",
    )


def test_precision_at_k_of_nothing_relevant() -> None:
    score = precision_at_k([], [], 1)
    assert (score.hits, score.precision) == (0, 0.0)
    assert len(score.caveats) == 2


@pytest.mark.parametrize("k", [0, -1])
def test_precision_at_k_refuses_k_below_one(k: int) -> None:
    with pytest.raises(InvalidInput, match="k of at least 1"):
        precision_at_k(RANKED, RELEVANT, k)


# --- adjusted Rand index ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("truth", "predicted", "expected"),
    [
        # The examples in scikit-learn's adjusted_rand_score docstring.
        ([0, 0, 1, 1], [0, 0, 1, 1], 1.0),
        ([0, 0, 1, 1], [1, 1, 0, 0], 1.0),
        # 6 pairs; tp = 1, fp = 0, fn = 1, tn = 4: 2 * (1*4 - 1*0) / ((1+1)(1+4) + (1+0)(0+4))
        #   = 8 / 14 = 0.5714...
        ([0, 0, 1, 2], [0, 0, 1, 1], 0.5714285714285715),
        ([0, 0, 1, 1], [0, 0, 1, 2], 0.5714285714285715),
        # tp = 0, fp = 2, fn = 2, tn = 2: 2 * (0*2 - 2*2) / ((0+2)(2+2) + (0+2)(2+2)) = -8/16
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),
        # tp = 0, fp = 0, fn = 6, tn = 0: numerator 2 * (0 - 0) = 0, denominator 36 -> 0.0
        ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),
    ],
)
def test_adjusted_rand_index_textbook_examples(
    truth: list[int], predicted: list[int], expected: float
) -> None:
    score = adjusted_rand_index(labelled(predicted, "C"), labelled(truth, "A"))
    assert score.value == pytest.approx(expected, abs=1e-15)
    assert score.records == len(truth)
    assert score.caveats == ()


def test_adjusted_rand_index_hand_computed() -> None:
    score = adjusted_rand_index(PREDICTED, TRUTH)
    # 15 pairs; tp = 2, fp = 5, fn = 2, tn = 15 - 2 - 5 - 2 = 6.
    # 2 * (2*6 - 2*5) / ((2+2)(2+6) + (2+5)(5+6)) = 4 / (32 + 77) = 4/109.
    # Check with Hubert and Arabie's form: index 2, expected 7 * 4 / 15 = 28/15, max (7+4)/2:
    # (2 - 28/15) / (11/2 - 28/15) = (2/15) / (109/30) = 4/109.
    assert score.value == pytest.approx(4 / 109)


@pytest.mark.parametrize(
    ("truth", "predicted"),
    [
        ([], []),
        ([0], [5]),
        ([0, 1, 2], [3, 4, 5]),  # both all singletons
        ([0, 0, 0], [1, 1, 1]),  # both one cluster
    ],
)
def test_adjusted_rand_index_degenerate_partitions_score_one(
    truth: list[int], predicted: list[int]
) -> None:
    score = adjusted_rand_index(labelled(predicted, "C"), labelled(truth, "A"))
    # The index is 0/0 here; scikit-learn returns 1.0 as the partitions agree on every pair.
    assert score.value == 1.0
    assert len(score.caveats) == 1
    assert "undefined, reported as 1.0" in score.caveats[0]


# --- properties -------------------------------------------------------------------------------


@st.composite
def clusterings(draw: st.DrawFn) -> tuple[Clustering, Clustering]:
    """Draw a predicted and a true clustering of up to 12 records, overlapping in part."""
    records = [f"R:{index}" for index in range(draw(st.integers(0, 12)))]
    labels = st.integers(0, 4)
    truth = {record: f"A:{draw(labels)}" for record in records}
    predicted = {record: f"C:{draw(labels)}" for record in records}
    dropped = draw(st.sets(st.sampled_from(records))) if records else set()
    extra = {f"X:{index}": f"C:{draw(labels)}" for index in range(draw(st.integers(0, 2)))}
    return {r: c for r, c in predicted.items() if r not in dropped} | extra, truth


@st.composite
def partitions(draw: st.DrawFn) -> Clustering:
    """Draw one clustering of up to 12 records into up to 5 clusters."""
    return labelled(draw(st.lists(st.integers(0, 4), max_size=12)), "A")


def relabel(clustering: Clustering, order: list[int]) -> Clustering:
    """Rename every cluster (A:i or C:i becomes Z:order[i]) without changing who is with whom."""
    return {record: f"Z:{order[int(label.split(':')[1])]}" for record, label in clustering.items()}


def pairwise_oracle(predicted: Clustering, truth: Clustering) -> tuple[int, int, int]:
    """Count tp, fp, fn by listing every pair of shared records."""
    shared = sorted(predicted.keys() & truth.keys())
    tp = fp = fn = 0
    for first, second in itertools.combinations(shared, 2):
        together = predicted[first] == predicted[second]
        same_identity = truth[first] == truth[second]
        tp += together and same_identity
        fp += together and not same_identity
        fn += same_identity and not together
    return tp, fp, fn


def b_cubed_oracle(predicted: Clustering, truth: Clustering) -> tuple[Fraction, Fraction]:
    """Average exact per-record B-cubed precision and recall by walking every record."""
    shared = predicted.keys() & truth.keys()
    precision = recall = Fraction(0)
    for record in shared:
        cluster = {r for r in shared if predicted[r] == predicted[record]}
        identity = {r for r in shared if truth[r] == truth[record]}
        precision += Fraction(len(cluster & identity), len(cluster))
        recall += Fraction(len(cluster & identity), len(identity))
    return precision / len(shared), recall / len(shared)


def rand_oracle(predicted: Clustering, truth: Clustering) -> Fraction | None:
    """Compute Hubert and Arabie's expected-index form exactly; None where it is 0 / 0."""
    tp, fp, fn = pairwise_oracle(predicted, truth)
    shared = len(predicted.keys() & truth.keys())
    total = shared * (shared - 1) // 2
    if total == 0:
        return None
    expected = Fraction((tp + fp) * (tp + fn), total)
    maximum = Fraction((tp + fp) + (tp + fn), 2)
    return None if maximum == expected else (tp - expected) / (maximum - expected)


@given(clusterings())
def test_pairwise_agrees_with_pair_enumeration(pair: tuple[Clustering, Clustering]) -> None:
    predicted, truth = pair
    score = pairwise(predicted, truth)
    counts = (score.true_positives, score.false_positives, score.false_negatives)
    assert counts == pairwise_oracle(predicted, truth)


@given(clusterings())
def test_b_cubed_agrees_with_per_record_walk(pair: tuple[Clustering, Clustering]) -> None:
    predicted, truth = pair
    score = b_cubed(predicted, truth)
    if not predicted.keys() & truth.keys():
        assert (score.precision, score.recall) == (1.0, 1.0)
        return
    precision, recall = b_cubed_oracle(predicted, truth)
    assert score.precision == pytest.approx(float(precision), rel=1e-12)
    assert score.recall == pytest.approx(float(recall), rel=1e-12)


@given(clusterings())
def test_adjusted_rand_index_agrees_with_expected_index_form(
    pair: tuple[Clustering, Clustering],
) -> None:
    predicted, truth = pair
    exact = rand_oracle(predicted, truth)
    value = adjusted_rand_index(predicted, truth).value
    assert value == (1.0 if exact is None else pytest.approx(float(exact), rel=1e-12, abs=1e-15))


@given(partitions())
def test_identical_partitions_score_perfectly(clustering: Clustering) -> None:
    for score in (pairwise(clustering, clustering), b_cubed(clustering, clustering)):
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert adjusted_rand_index(clustering, clustering).value == 1.0


@given(clusterings(), st.permutations(range(5)), st.permutations(range(5)))
def test_relabelling_clusters_changes_nothing(
    pair: tuple[Clustering, Clustering], first: list[int], second: list[int]
) -> None:
    predicted, truth = pair
    renamed_predicted, renamed_truth = relabel(predicted, first), relabel(truth, second)
    assert pairwise(renamed_predicted, renamed_truth) == pairwise(predicted, truth)
    assert b_cubed(renamed_predicted, renamed_truth) == b_cubed(predicted, truth)
    renamed_ari = adjusted_rand_index(renamed_predicted, renamed_truth)
    assert renamed_ari == adjusted_rand_index(predicted, truth)


@given(clusterings())
def test_swapping_predicted_and_truth_swaps_precision_and_recall(
    pair: tuple[Clustering, Clustering],
) -> None:
    predicted, truth = pair
    for metric in (pairwise, b_cubed):
        forward, backward = metric(predicted, truth), metric(truth, predicted)
        assert (backward.precision, backward.recall) == (forward.recall, forward.precision)
        assert backward.f1 == forward.f1
        assert backward.false_positives == forward.false_negatives
        assert backward.false_negatives == forward.false_positives


@given(clusterings())
def test_adjusted_rand_index_is_symmetric(pair: tuple[Clustering, Clustering]) -> None:
    predicted, truth = pair
    forward, backward = adjusted_rand_index(predicted, truth), adjusted_rand_index(truth, predicted)
    assert forward.value == backward.value
    assert forward.records == backward.records
