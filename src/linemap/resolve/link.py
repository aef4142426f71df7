"""The whole resolution of one set of records: features, training, scoring, clustering.

`link` is what `linemap link` runs and what a resolution run builds on: give it a model to
score new records without retraining, and judgements to override the scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, compress

import pyarrow as pa
import pyarrow.compute as pc

from linemap.errors import InvalidInput
from linemap.resolve.backend import Backend
from linemap.resolve.cluster import Clustering, JudgedPair, cluster_positions, without_bridges
from linemap.resolve.feature import Features, make_features
from linemap.resolve.model import DEFAULT_SEED, Model
from linemap.resolve.score import PAIR_COLUMNS, Predictions

# Defaults for a deployment's settings. 0.95 kept pairwise precision at 0.97 on the
# historical_50k benchmark; pairs between the review and match thresholds are worth a look.
DEFAULT_MATCH_THRESHOLD = 0.95
DEFAULT_REVIEW_THRESHOLD = 0.5
# A record with nothing but a name joins the one person it matches from here, when it matches
# no one else (`cluster_at`).
DEFAULT_NAME_THRESHOLD = 0.5

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LinkResult:
    """A resolution: the features, the model, the scored pairs and the clusters."""

    features: Features
    model: Model
    predictions: Predictions
    clustering: Clustering
    caveats: tuple[str, ...] = ()

    @property
    def scored(self) -> Features:
        """Return the records `predictions.distinct_pairs` name (identical records once each,
        exact matches adjusted by frequencies among every record): explaining those pairs
        against these reads far fewer records than against all of `features`."""
        return self.features.duplicates.scored


def _quiet(_: str) -> None:
    """Report nothing."""


def link(
    records: object,
    backend: Backend,
    *,
    threshold: float = DEFAULT_MATCH_THRESHOLD,
    pairs_threshold: float | None = None,
    name_threshold: float = DEFAULT_NAME_THRESHOLD,
    model: Model | None = None,
    seed: int = DEFAULT_SEED,
    extras: Sequence[str] = (),
    identifiers: Sequence[str] = (),
    judgements: Iterable[JudgedPair] = (),
    progress: Progress = _quiet,
) -> LinkResult:
    """Resolve records into clusters of the same person.

    Pairs at or above the lowest of the thresholds are kept in the predictions (for review
    from `pairs_threshold`, by default `threshold`). Clusters join pairs at or above
    `threshold`, and a record holding nothing but a name joins the one person it matches at
    or above `name_threshold` (`cluster_at`). With a `model`, no training.
    `identifiers` name columns compared exactly (a PNC id, an NHS number); with a model, its
    own identifier columns are always read, empty if the records lack them.
    """
    for value, example in ((threshold, 0.95), (name_threshold, DEFAULT_NAME_THRESHOLD)):
        if not 0.0 < value <= 1.0:
            raise InvalidInput(f"threshold {value} is not a probability in (0, 1]; try {example}")
    progress("deriving features")
    if model is not None:
        identifiers = tuple(dict.fromkeys((*identifiers, *model.identifiers)))
    features = make_features(records, extras, identifiers)
    caveats = _field_caveats(features, extras)
    if model is None:
        progress("training the model")
        model = backend.train(features, seed=seed)
    elif set(model.fields) - set(features.fields):
        missing = ", ".join(sorted(set(model.fields) - set(features.fields)))
        caveats += (f"the model compares fields these records lack ({missing}); scored as missing",)
    progress("scoring candidate pairs")
    keep = min(threshold, name_threshold, threshold if pairs_threshold is None else pairs_threshold)
    predictions = _predict(features, model, backend, keep)
    progress("clustering")
    clustering = cluster_at(features, predictions, threshold, judgements, name_threshold)
    return LinkResult(features, model, predictions, clustering, caveats + clustering.caveats)


def cluster_at(
    features: Features,
    predictions: Predictions,
    threshold: float,
    judgements: Iterable[JudgedPair] = (),
    name_threshold: float = DEFAULT_NAME_THRESHOLD,
) -> Clustering:
    """Cluster the records, edges found and placed by Arrow rather than one by one.

    Pairs at or above `threshold` join; a pair resting on names alone joins only as
    `without_bridges` lets it, from `name_threshold` (never above `threshold`): a record
    holding nothing but a name is placed by which people it could be, not by how probable one
    pair is, so the one candidate it reaches from there is enough.
    """
    lowest = min(threshold, name_threshold)
    edges = predictions.spanning(lowest)
    ids = features.ids
    left, right = (pc.index_in(edges.column(side), value_set=ids) for side in ("id_l", "id_r"))
    probability = edges.column("match_probability")
    on_names = features.agree_on_names_only(left, right)
    strong = pc.greater_equal(probability, threshold).to_pylist()
    keep = [a or b for a, b in zip(strong, on_names, strict=True)]
    triples = zip(left.to_pylist(), right.to_pylist(), probability.to_pylist(), strict=True)
    positions = list(compress(triples, keep))
    kept, joins = without_bridges(
        len(features), positions, list(compress(on_names, keep)), features.names_only()
    )
    names = ids.to_pylist()
    clustering = cluster_positions(names, kept, threshold, judgements)
    below = [join for join in joins if max(p for _, _, p in join) < threshold]
    if not below:
        return clustering
    # Each join once, by its most probable pair, named as the distinct pairs are: by their
    # groups' first records (those `LinkResult.scored` holds, so that it can be explained).
    groups = features.duplicates.groups.to_pydict()
    first = dict(zip(groups["id"], groups["representative"], strict=True))
    strongest: dict[tuple[str, str], float] = {}
    for join in below:
        a, b, p = max(join, key=lambda e: (e[2], -e[0], -e[1]))
        left, right = sorted(first.get(names[i], names[i]) for i in (a, b))
        strongest[left, right] = max(p, strongest.get((left, right), 0.0))
    parted = set(chain.from_iterable(below))
    before = cluster_positions(names, [e for e in kept if e not in parted], threshold, judgements)
    after = clustering.cluster_of
    return replace(
        clustering,
        name_joins=tuple((*pair, p) for pair, p in strongest.items()),
        before_name_joins={r: c for r, c in before.cluster_of.items() if c != after[r]},
    )


def _predict(features: Features, model: Model, backend: Backend, keep: float) -> Predictions:
    """Score the distinct records' candidate pairs and each group of identical records' own."""
    duplicates = features.duplicates
    scored = backend.predict(duplicates.representatives, model, threshold=keep)
    if not duplicates.groups.num_rows:
        return scored
    own = backend.score_pairs(features, model, duplicates.twins())
    own = own.filter(pc.greater_equal(own.column("match_probability"), keep))
    table = pa.concat_tables([scored.table.select(PAIR_COLUMNS), own.select(PAIR_COLUMNS)])
    return replace(scored, table=table, groups=duplicates.groups)


def _field_caveats(features: Features, extras: Sequence[str]) -> tuple[str, ...]:
    """Say which extra columns held no values and so were not compared."""
    empty = [extra for extra in extras if extra not in features.extras]
    return tuple(f"column {name!r} holds no values and was not compared" for name in empty)
