"""Who is who across agencies: resolution runs over everything ingested, and human judgements.

A run reads every Person mention of the current source records (with the postcode and phone the
same record links to them), scores pairs with the stored model (or trains one, without labels,
the first time or on `retrain`), clusters them honouring every judgement in force, and stores
the clusters and the uncertain pairs as a new versioned run. Runs are derived data: recomputed
from statements and judgements. The one change made to a stored run is a judgement (or its
undo) taking effect at once in the latest run (`apply_judgements`), as the next run would
apply it. A run is a combination (DPA 2018 s.62) and is audited as one; so is every judgement
and every undo.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from linemap.errors import InvalidInput, NotFound
from linemap.governance.audit import AuditEvent
from linemap.model.vocabulary import AuditOperation, Judgement
from linemap.resolve.backend import make_backend
from linemap.resolve.cluster import JudgedPair, cluster
from linemap.resolve.link import link
from linemap.resolve.model import Model
from linemap.resolve.score import MatchScore
from linemap.services.mention import IDENTIFIERS, read_mentions
from linemap.settings import Settings
from linemap.store.unit_of_work import Transaction, UnitOfWork

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunSummary:
    """What a resolution run did."""

    run_id: int
    mentions: int
    people: int
    review_pairs: int
    retrained: bool
    model_digest: str
    caveats: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """Return the summary as plain JSON values."""
        return {
            "run": self.run_id,
            "mentions": self.mentions,
            "people": self.people,
            "review_pairs": self.review_pairs,
            "retrained": self.retrained,
            "model": self.model_digest,
            "caveats": list(self.caveats),
        }


def _pair(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left <= right else (right, left)


def _for_review(
    edges: Iterable[tuple[str, str, float]],
    cluster_of: Mapping[str, str],
    judgements: Iterable[JudgedPair] = (),
) -> list[tuple[str, str, float]]:
    """Return the pairs worth a reviewer's look: from the review threshold up, those that
    ended in two people (under the match threshold, or above it and kept apart because a name
    alone never joins two people), each two people once, by their most probable pair of
    mentions (a reviewer decides whether two people are one, not each of their records), and
    never two people a negative judgement already keeps apart."""
    parted = {
        _pair(cluster_of[j.id_l], cluster_of[j.id_r])
        for j in judgements
        if j.judgement is Judgement.NEGATIVE and j.id_l in cluster_of and j.id_r in cluster_of
    }
    strongest: dict[tuple[str, str], tuple[str, str, float]] = {}
    for left, right, p in edges:
        ends = cluster_of[left], cluster_of[right]
        if ends[0] == ends[1] or (key := _pair(*ends)) in parted:
            continue
        if key not in strongest or p > strongest[key][2]:
            strongest[key] = (*_pair(left, right), p)
    return list(strongest.values())


def _name_joins(
    joins: Iterable[tuple[str, str, float]], cluster_of: Mapping[str, str]
) -> dict[tuple[str, str], float]:
    """Return the pairs under the match threshold by which a record holding only a name joined
    the one person it matches, still one person after the judgements: a reviewer confirms or
    parts them."""
    return {(left, right): p for left, right, p in joins if cluster_of[left] == cluster_of[right]}


def _judged(tx: Transaction) -> list[JudgedPair]:
    return [
        JudgedPair(j.entity_l, j.entity_r, Judgement(j.judgement))
        for j in tx.resolution.live_judgements()
        if j.judgement != Judgement.UNSURE
    ]


def apply_judgements(tx: Transaction, run_id: int, entities: Sequence[str]) -> None:
    """Apply the judgements in force, at once, to the people of a run holding these mentions,
    as the next run would: the run's clusters, joined by positive judgements and by the pairs
    that joined a bare name to a person under the match threshold, and kept apart by negative
    ones (which part such a join first). A negative judgement between two mentions the run put
    in one cluster cannot part them here (the pairs inside a cluster are not stored): it holds
    from the next run."""
    persons = set(tx.resolution.members_of_entities(run_id, entities).values())
    members = {e: c for e, (_, c) in tx.resolution.clustered_members(run_id, persons).items()}
    judged = [
        JudgedPair(members[j.id_l], members[j.id_r], j.judgement)
        for j in _judged(tx)
        if j.id_l in members and j.id_r in members
    ]
    joins = [
        (members[left], members[right], p)
        for left, right, p in tx.resolution.name_joins(run_id, members)
        if right in members
    ]
    clustering = cluster(sorted(set(members.values())), joins, 0.0, judged)
    tx.resolution.regroup(run_id, persons, clustering.cluster_of)


def run_resolution(
    uow: UnitOfWork,
    settings: Settings,
    *,
    retrain: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> RunSummary:
    """Resolve every Person mention into people and store the result as a new run."""
    say = progress or (lambda _: None)
    day = today or date.today()
    say("reading person mentions")
    with uow.read() as tx:
        mentions = read_mentions(tx)
        previous = tx.resolution.latest_run()
        model = None
        if previous is not None and not retrain:
            model = Model.from_json(tx.resolution.model(previous.id))
        judgements = _judged(tx)
        seen = max((j.id for j in tx.resolution.live_judgements()), default=0)
    if len(mentions) < 2:
        raise InvalidInput("there are fewer than two person mentions to resolve; ingest first")
    started = datetime.now(UTC).isoformat()
    engine = make_backend(settings.resolve_backend)
    result = link(
        mentions.records,
        engine,
        threshold=settings.match_threshold,
        pairs_threshold=settings.review_threshold,
        name_threshold=settings.name_threshold,
        model=model,
        identifiers=IDENTIFIERS,
        judgements=judgements,
        progress=say,
    )
    children = mentions.children(day)
    cluster_of = result.clustering.cluster_of
    say("explaining the uncertain pairs")
    uncertain = _for_review(
        result.predictions.distinct_edges(settings.review_threshold), cluster_of, judgements
    )
    joined = _name_joins(result.clustering.name_joins, cluster_of)
    uncertain += [(left, right, p) for (left, right), p in joined.items()]
    explained = engine.explain_pairs(
        result.scored, result.model, [(left, right) for left, right, _ in uncertain]
    )
    say("storing the run")
    with uow.write() as tx:
        run_id = tx.resolution.add_run(
            started_at=started,
            actor=settings.actor,
            backend=settings.resolve_backend,
            model=result.model.to_json(),
            model_digest=result.model.fingerprint,
            trained_in_run=previous.id if model is not None and previous else None,
            threshold=settings.match_threshold,
        )
        apart = result.clustering.before_name_joins
        tx.resolution.add_members(
            (
                run_id,
                entity_id,
                f"P{run_id}-{cluster_of[entity_id]}",
                record_id,
                subject,
                f"P{run_id}-{apart[entity_id]}" if entity_id in apart else None,
            )
            for entity_id, record_id, subject in zip(
                mentions.records.column("unique_id").to_pylist(),
                mentions.record_ids,
                mentions.subjects,
                strict=True,
            )
        )
        review = [
            (
                run_id,
                left,
                right,
                p,
                score.match_weight,
                left in children or right in children,
                _explanation(score),
                (left, right) in joined,
            )
            for (left, right, p), score in zip(uncertain, explained, strict=True)
        ]
        tx.resolution.add_pairs(review)
        late = [j for j in tx.resolution.live_judgements() if j.id > seen]
        if late:  # made while this run was scoring: they hold in it at once, as in any run
            apply_judgements(tx, run_id, [e for j in late for e in (j.entity_l, j.entity_r)])
        people = len(set(cluster_of.values()))
        tx.resolution.finish_run(run_id, datetime.now(UTC).isoformat(), len(mentions), people)
        tx.audit.append(
            AuditEvent(
                AuditOperation.COMBINATION,
                settings.actor,
                (f"resolution_run:{run_id}",),
                {
                    "mentions": len(mentions),
                    "people": people,
                    "model": result.model.fingerprint[:16],
                    "engine": result.model.training.engine,
                    "retrained": model is None,
                    "judgements_applied": len(judgements),
                    "threshold": settings.match_threshold,
                    "name_threshold": settings.name_threshold,
                },
            )
        )
    return RunSummary(
        run_id,
        len(mentions),
        people,
        len(review),
        model is None,
        result.model.fingerprint,
        result.caveats,
    )


def _explanation(score: MatchScore) -> str:
    """The stored explanation of a pair: the prior and each comparison's level and weight."""
    factors = [
        [c.comparison, c.description, c.level, round(c.weight, 3)] for c in score.contributions
    ]
    return json.dumps({"prior": round(score.prior_weight, 3), "factors": factors})


def model_json(uow: UnitOfWork) -> str:
    """Return the latest run's model as JSON (parameters hold no personal data)."""
    with uow.read() as tx:
        run = tx.resolution.latest_run()
        if run is None:
            raise NotFound("no resolution run yet; run `linemap resolve`")
        return json.dumps(json.loads(tx.resolution.model(run.id)), indent=2)
