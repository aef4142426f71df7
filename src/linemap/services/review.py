"""The review queue and human judgements on who is who.

The queue offers the uncertain pairs of the latest resolution run whose mentions ended in
different people, and those by which a record holding only a name joined the one person it
matches under the match threshold, those touching children first, each with the explanation
stored when it was scored. A reviewer sees a pair only when the policy lets them read both
records; every record shown is a consultation. Judgements are first-class records: attributed,
reasoned, audited as combinations (DPA 2018 s.62), and undoable. They take effect at once in
the latest run and hold in every later one: a positive one always joins its pair, a negative
one is never violated and never re-suggested. One waits for the next run (`linemap resolve`): a
negative judgement between two mentions the run itself put in one cluster, since the pairs
inside a cluster are not stored to re-cluster it (a bare name's join, kept as two parts and
its pair, is parted at once). A judgement that contradicts one in force is
refused: undo that one first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from linemap.errors import Forbidden, InvalidInput, LinemapError, NotFound
from linemap.governance.actor import Actor, parse_choice
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import CASEWORK_ROLES, Decision
from linemap.model.vocabulary import AuditOperation, Judgement
from linemap.services import casework, consultation, resolution
from linemap.services.view import Entity
from linemap.store.resolution import JudgementRow, ReviewPair
from linemap.store.unit_of_work import Transaction, UnitOfWork

QUEUE_PAGE = 10
_WINDOW = 200  # pairs read at a time while filling a page ...
_SCAN = 5_000  # ... and at most this many, so a reviewer who may read little still gets an answer


@dataclass(frozen=True)
class Factor:
    """What one comparison added to a pair's match weight, in bits."""

    comparison: str
    description: str
    level: str
    weight: float


@dataclass(frozen=True)
class ReviewItem:
    """An uncertain pair shown side by side, with the factors behind its score."""

    left: Entity
    right: Entity
    probability: float
    match_weight: float
    prior_weight: float | None
    involves_child: bool
    factors: tuple[Factor, ...]
    joined_on_name: bool = False  # one person already: joined by this pair on the name alone


@dataclass(frozen=True)
class ReviewQueue:
    """What waits for review: the pairs this reviewer may judge, and how many others wait."""

    run_id: int | None
    items: list[ReviewItem]
    waiting: int  # uncertain pairs of the run across people or joined on a name, judged or not
    judged: int  # judgements in force
    elsewhere: int  # pairs passed over because the reviewer may not read both records


def _pair(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left <= right else (right, left)


def _require_reviewer(actor: Actor) -> None:
    if not actor.active or actor.role not in CASEWORK_ROLES:
        raise Forbidden(f"the {actor.role.value} role does not judge who is who")


def explanation(stored: str | None) -> tuple[float | None, tuple[Factor, ...]]:
    """Read a stored explanation: the prior weight and one factor per comparison."""
    if not stored:
        return None, ()
    data = json.loads(stored)
    return float(data["prior"]), tuple(Factor(*factor) for factor in data["factors"])


def queue(uow: UnitOfWork, actor: Actor, today: date, limit: int = QUEUE_PAGE) -> ReviewQueue:
    """Return the next uncertain pairs this actor may judge, children first."""
    _require_reviewer(actor)
    with uow.read() as tx:
        run = tx.resolution.latest_run()
        if run is None:
            return ReviewQueue(None, [], 0, 0, 0)
        ctx = consultation.load_context(tx, actor, "identity review", today)
        live = tx.resolution.live_judgements()
        judged = {(j.entity_l, j.entity_r) for j in live}
        items: list[ReviewItem] = []
        shown: dict[int, Decision] = {}
        elsewhere = offset = 0
        while len(items) < limit and offset < _SCAN:
            window = tx.resolution.review_pairs(run.id, _WINDOW, offset)
            if not window:
                break
            offset += _WINDOW
            window = [p for p in window if (p.entity_l, p.entity_r) not in judged]
            records = {r for p in window for r in (p.record_l, p.record_r)}
            decisions = consultation.decide_records(ctx, tx, records)
            for pair in window:
                verdicts = [decisions[pair.record_l][1], decisions[pair.record_r][1]]
                if not all(v.allowed for v in verdicts):
                    elsewhere += 1
                elif len(items) < limit:
                    items.append(_item(ctx, tx, pair))
                    shown.update(zip((pair.record_l, pair.record_r), verdicts, strict=True))
        for record_id, decision in sorted(shown.items()):
            consultation.consulted(ctx, record_id, "review", True, decision.isa)
        waiting = tx.resolution.count_review_pairs(run.id)
    consultation.log(uow, ctx)
    return ReviewQueue(run.id, items, waiting, len(live), elsewhere)


def _item(ctx: consultation.Context, tx: Transaction, pair: ReviewPair) -> ReviewItem:
    left = _mention(ctx, tx, pair.record_l, pair.entity_l)
    right = _mention(ctx, tx, pair.record_r, pair.entity_r)
    prior, factors = explanation(pair.explanation)
    return ReviewItem(
        left,
        right,
        pair.probability,
        pair.match_weight,
        prior,
        pair.involves_child,
        factors,
        pair.joined_on_name,
    )


def _mention(ctx: consultation.Context, tx: Transaction, record_id: int, entity_id: str) -> Entity:
    for entity in consultation.entities(ctx, tx.records.statements(record_id)):
        if entity.id == entity_id:
            return entity
    raise NotFound(f"mention {entity_id} is no longer in its record; run `linemap resolve`")


def judge(
    uow: UnitOfWork,
    actor: Actor,
    left: str,
    right: str,
    decision: str,
    reason: str,
    today: date,
) -> int:
    """Record a judgement on two mentions the actor may read; it holds in every later run."""
    _require_reviewer(actor)
    verdict = parse_choice(Judgement, decision, "judgement")
    if verdict is Judgement.NO_JUDGEMENT:
        raise InvalidInput("to withdraw a judgement, undo it; 'no judgement' is not a decision")
    if not reason.strip():
        raise InvalidInput("give the reason for the judgement")
    if left == right:
        raise InvalidInput("a judgement needs two different mentions")
    a, b = _pair(left, right)
    with uow.read() as tx:
        ctx = consultation.load_context(tx, actor, "identity review", today)
        run = tx.resolution.latest_run()
        records = tx.resolution.records_of_entities(run.id, [a, b]) if run else {}
        if set(records) != {a, b}:
            raise NotFound("one of the two mentions is not in the latest resolution run")
        refusal = next(
            (
                o
                for r in records.values()
                if isinstance(o := casework.open_record(ctx, tx, r), LinemapError)
            ),
            None,
        )
    if refusal is not None:
        consultation.log(uow, ctx)  # the refused attempt is on the record
        raise refusal
    with uow.write() as tx:
        assert run is not None  # the mentions were found in it
        _refuse_contradiction(tx, run.id, a, b, verdict)
        made = tx.resolution.add_judgement(
            entity_l=a,
            entity_r=b,
            judgement=verdict.value,
            reason=reason.strip(),
            actor=actor.username,
            actor_agency=actor.agency_code,
            made_at=datetime.now(UTC).isoformat(),
        )
        resolution.apply_judgements(tx, run.id, [a, b])
        tx.audit.append(
            _combination(actor, a, b, {"judgement": verdict.value, "judgement_id": made}, reason)
        )
    return made


def _refuse_contradiction(
    tx: Transaction, run_id: int, left: str, right: str, verdict: Judgement
) -> None:
    """Refuse a judgement that contradicts judgements in force: a positive one joining two
    people that a negative one keeps apart, or a negative one parting two mentions that
    positive ones joined. Name those judgements, to be undone first if they are wrong."""
    persons = tx.resolution.members_of_entities(run_id, [left, right])
    members = tx.resolution.clustered_members(run_id, set(persons.values()))
    together = persons[left] == persons[right]
    if verdict is Judgement.POSITIVE and not together:
        wanted, by = Judgement.NEGATIVE, 0  # a negative one across the two people
    elif verdict is Judgement.NEGATIVE and together and members[left][1] != members[right][1]:
        wanted, by = Judgement.POSITIVE, 1  # a positive one across the person's clusters
    else:
        return
    against = [
        str(j.id)
        for j in tx.resolution.live_judgements()
        if j.judgement == wanted.value
        and j.entity_l in members
        and j.entity_r in members
        and members[j.entity_l][by] != members[j.entity_r][by]
    ]
    if against:
        raise InvalidInput(
            f"this contradicts judgement(s) {', '.join(against)} in force;"
            " undo those first if they are wrong"
        )


def _combination(
    actor: Actor, left: str, right: str, detail: dict[str, object], reason: str
) -> AuditEvent:
    return AuditEvent(
        AuditOperation.COMBINATION,
        actor.username,
        (f"entity:{left}", f"entity:{right}"),
        detail,
        justification=reason.strip(),
        actor_agency=actor.agency_code,
        actor_role=actor.role.value,
    )


def undo(uow: UnitOfWork, actor: Actor, judgement_id: int, reason: str) -> None:
    """Undo a judgement: the latest run's people, and every later run, are as if it had never
    been made (a positive one the run itself applied parts its pair from the next run)."""
    _require_reviewer(actor)
    if not reason.strip():
        raise InvalidInput("give the reason for undoing the judgement")
    with uow.write() as tx:
        row = tx.resolution.get_judgement(judgement_id)
        if row.actor_agency != actor.agency_code:
            raise Forbidden(
                f"judgement {judgement_id} was made by {row.actor_agency}; ask them to undo it"
            )
        row = tx.resolution.undo_judgement(
            judgement_id, actor.username, datetime.now(UTC).isoformat(), reason.strip()
        )
        run = tx.resolution.latest_run()
        if run is not None:
            resolution.apply_judgements(tx, run.id, [row.entity_l, row.entity_r])
        detail: dict[str, object] = {"undo": judgement_id, "judgement": row.judgement}
        tx.audit.append(_combination(actor, row.entity_l, row.entity_r, detail, reason))


def judgements(uow: UnitOfWork, actor: Actor) -> list[JudgementRow]:
    """Return the judgements in force made in the actor's agency, newest first."""
    _require_reviewer(actor)
    with uow.read() as tx:
        rows = tx.resolution.live_judgements()
    return [j for j in reversed(rows) if j.actor_agency == actor.agency_code]


def get(uow: UnitOfWork, actor: Actor, judgement_id: int) -> JudgementRow:
    """Return one judgement made in the actor's agency."""
    _require_reviewer(actor)
    with uow.read() as tx:
        row = tx.resolution.get_judgement(judgement_id)
    if row.actor_agency != actor.agency_code:
        raise NotFound(f"no judgement {judgement_id} in your agency")
    return row


def waiting(uow: UnitOfWork, actor: Actor) -> int:
    """Return how many uncertain pairs of the latest run wait for a judgement (0 for roles
    that do not judge); a count, no personal data."""
    if not actor.active or actor.role not in CASEWORK_ROLES:
        return 0
    with uow.read() as tx:
        run = tx.resolution.latest_run()
        if run is None:
            return 0
        return tx.resolution.count_review_pairs(run.id, unjudged=True)
