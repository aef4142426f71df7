"""Resolution runs, their people and candidate pairs, and human judgements."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Join,
    Row,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from linemap.errors import NotFound
from linemap.store import packed
from linemap.store.db import bulk_insert, latest_finished
from linemap.store.tables import (
    judgement,
    resolution_member,
    resolution_pair,
    resolution_run,
    source_record,
    statement,
)


def _packed_statement() -> ColumnElement[str]:
    """Pack a statement as "position, key, schema, prop, value", the position in its record
    zero-padded to four digits (so that text order is id order)."""
    offset = statement.c.id - source_record.c.first_statement_id
    position = case(
        (offset < 10, literal("000") + cast(offset, String)),
        (offset < 100, literal("00") + cast(offset, String)),
        (offset < 1000, literal("0") + cast(offset, String)),
        else_=cast(offset, String),
    )
    return packed.pack(
        position,
        statement.c.entity_key,
        statement.c.schema,
        statement.c.prop,
        packed.clean(statement.c.value),
    )


@dataclass(frozen=True)
class RunInfo:
    """A resolution run's metadata (its model is read separately)."""

    id: int
    started_at: str
    finished_at: str | None
    actor: str
    backend: str
    model_digest: str
    trained_in_run: int | None
    threshold: float
    mentions: int
    people: int


@dataclass(frozen=True)
class JudgementRow:
    """A stored judgement."""

    id: int
    entity_l: str
    entity_r: str
    judgement: str
    reason: str
    actor: str
    actor_agency: str
    made_at: str
    undone_at: str | None


@dataclass(frozen=True)
class ReviewPair:
    """An uncertain pair of mentions waiting for a reviewer, with its stored explanation."""

    entity_l: str
    entity_r: str
    record_l: int
    record_r: int
    probability: float
    match_weight: float
    involves_child: bool
    explanation: str | None
    joined_on_name: bool = False  # one person now, joined by this pair on the name alone


class ResolutionRepository:
    """Reads and writes resolution runs and judgements."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _in_chunks(
        self, query: Select[tuple[Any, ...]], column: ColumnElement[str], values: Iterable[str]
    ) -> Iterator[Row[tuple[Any, ...]]]:
        """Run a query for these values of a column, 500 at a time (an IN list every database
        takes), and yield every row."""
        wanted = sorted(set(values))
        for start in range(0, len(wanted), 500):
            yield from self.connection.execute(query.where(column.in_(wanted[start : start + 500])))

    def iter_mention_records(
        self, properties: Mapping[str, Collection[str]]
    ) -> Iterator[tuple[int, str, str, list[list[str]]]]:
        """Yield (record id, agency code, entity id prefix, statements) for each current,
        unerased record holding any of the given properties of the given schemas.

        Its statements come in statement order, each as [position, entity key, schema, prop,
        value] (an entity's id is the prefix and its key). A record's statements leave the
        database as one string (SQLite's group_concat, PostgreSQL's string_agg): a million
        records are a million rows rather than six million, which is most of the cost of
        reading them (`store/packed.py`). Each is led by its zero-padded position in the
        record, so sorting the strings restores statement order wherever the aggregate does
        not keep it.
        """
        wanted = {schema: frozenset(names) for schema, names in properties.items()}
        codes = packed.agency_codes(self.connection)
        columns = (source_record.c.id, source_record.c.agency_id, source_record.c.source_ref)
        for record_id, agency_id, source_ref, text in packed.iter_records(
            self.connection, _packed_statement(), wanted, columns
        ):
            items = sorted(text.split(packed.RECORD))  # already in order on SQLite: one pass
            fields = [item.split(packed.UNIT, 4) for item in items]
            code = codes[agency_id]
            yield (
                record_id,
                code,
                f"{code}:{source_ref}#",
                [item for item in fields if item[3] in wanted[item[2]]],
            )

    def add_run(self, **values: object) -> int:
        """Store a new run and return its id."""
        return int(
            self.connection.execute(
                insert(resolution_run)
                .values(mentions=0, people=0, **values)
                .returning(resolution_run.c.id)
            ).scalar_one()
        )

    def finish_run(self, run_id: int, finished_at: str, mentions: int, people: int) -> None:
        """Record that a run completed."""
        self.connection.execute(
            update(resolution_run)
            .where(resolution_run.c.id == run_id)
            .values(finished_at=finished_at, mentions=mentions, people=people)
        )

    def add_members(self, rows: Iterable[tuple[int, str, str, int, bool, str | None]]) -> None:
        """Store (run id, entity id, person id, record id, is the record's subject, the cluster
        it was in before a bare name's join or None) rows."""
        bulk_insert(
            self.connection,
            "resolution_member",
            ("run_id", "entity_id", "person_id", "record_id", "subject", "clustered_as"),
            rows,
        )

    def iter_subjects(self, run_id: int) -> Iterator[tuple[str, str]]:
        """Yield ("AGENCY:SOURCE_REF", person id) for the subject of every record in a run."""
        rows = self.connection.execute(
            select(resolution_member.c.entity_id, resolution_member.c.person_id)
            .where(resolution_member.c.run_id == run_id, resolution_member.c.subject.is_(True))
            .execution_options(yield_per=20_000)
        )
        for r in rows:
            yield r.entity_id.rpartition("#")[0], r.person_id

    def add_pairs(
        self, rows: Sequence[tuple[int, str, str, float, float, bool, str | None, bool]]
    ) -> None:
        """Store candidate pairs (run id, left, right, probability, weight, involves a child,
        explanation JSON or None, joined on a name alone)."""
        bulk_insert(
            self.connection,
            "resolution_pair",
            (
                "run_id",
                "entity_l",
                "entity_r",
                "probability",
                "match_weight",
                "involves_child",
                "explanation",
                "joined_on_name",
            ),
            rows,
        )

    def latest_run(self) -> RunInfo | None:
        """Return the newest finished run, or None."""
        row = latest_finished(self.connection, resolution_run, RunInfo.__dataclass_fields__)
        return RunInfo(*row) if row else None

    def model(self, run_id: int) -> str:
        """Return a run's model JSON."""
        found = self.connection.execute(
            select(resolution_run.c.model).where(resolution_run.c.id == run_id)
        ).scalar()
        if found is None:
            raise NotFound(f"no resolution run {run_id}; run `linemap resolve`")
        return str(found)

    def person_of(self, run_id: int, entity_id: str) -> str | None:
        """Return the person an entity belongs to in a run, or None."""
        found = self.connection.execute(
            select(resolution_member.c.person_id).where(
                resolution_member.c.run_id == run_id, resolution_member.c.entity_id == entity_id
            )
        ).scalar()
        return str(found) if found is not None else None

    def members(self, run_id: int, person_id: str) -> list[tuple[str, int]]:
        """Return (entity id, record id) of every mention of a person in a run."""
        rows = self.connection.execute(
            select(resolution_member.c.entity_id, resolution_member.c.record_id)
            .where(resolution_member.c.run_id == run_id, resolution_member.c.person_id == person_id)
            .order_by(resolution_member.c.record_id)
        )
        return [(r.entity_id, r.record_id) for r in rows]

    def members_of_people(
        self, run_id: int, persons: Collection[str], *, subjects: bool = False
    ) -> dict[str, list[tuple[str, int]]]:
        """Return (entity id, record id) of every mention of each of these people in a run (with
        `subjects`, only the mentions their records are about)."""
        found: dict[str, list[tuple[str, int]]] = {}
        member = resolution_member.c
        query = select(member.person_id, member.entity_id, member.record_id).where(
            member.run_id == run_id
        )
        if subjects:
            query = query.where(member.subject.is_(True))
        for r in self._in_chunks(query, member.person_id, persons):
            found.setdefault(r.person_id, []).append((r.entity_id, r.record_id))
        return found

    def members_of_entities(self, run_id: int, entity_ids: Sequence[str]) -> dict[str, str]:
        """Return person ids for entities (those not in the run are left out)."""
        member = resolution_member.c
        query = select(member.entity_id, member.person_id).where(member.run_id == run_id)
        return {
            r.entity_id: r.person_id for r in self._in_chunks(query, member.entity_id, entity_ids)
        }

    def name_joins(self, run_id: int, entity_ids: Collection[str]) -> list[tuple[str, str, float]]:
        """Return the pairs of a run by which a bare name joined a person under the match
        threshold, (left, right, probability), whose left mention is one of these."""
        pair = resolution_pair.c
        query = select(pair.entity_l, pair.entity_r, pair.probability).where(
            pair.run_id == run_id, pair.joined_on_name.is_(True)
        )
        rows = self._in_chunks(query, pair.entity_l, entity_ids)
        return [(r.entity_l, r.entity_r, r.probability) for r in rows]

    def clustered_members(
        self, run_id: int, persons: Collection[str]
    ) -> dict[str, tuple[str, str]]:
        """Return (person, the cluster the run put it in) of each member of these people, by
        entity id."""
        clustered = func.coalesce(resolution_member.c.clustered_as, resolution_member.c.person_id)
        rows = self.connection.execute(
            select(resolution_member.c.entity_id, resolution_member.c.person_id, clustered).where(
                resolution_member.c.run_id == run_id,
                resolution_member.c.person_id.in_(sorted(persons)),
            )
        )
        return {entity_id: (person_id, cluster_id) for entity_id, person_id, cluster_id in rows}

    def regroup(self, run_id: int, persons: Collection[str], person_of: Mapping[str, str]) -> None:
        """Make the members of these people, cluster by cluster, members of the person
        `person_of` names for their cluster, remembering the cluster where the two differ."""
        clustered = func.coalesce(resolution_member.c.clustered_as, resolution_member.c.person_id)
        for cluster_id, person_id in person_of.items():
            self.connection.execute(
                update(resolution_member)
                .where(
                    resolution_member.c.run_id == run_id,
                    resolution_member.c.person_id.in_(sorted(persons)),
                    clustered == cluster_id,
                )
                .values(
                    person_id=person_id,
                    clustered_as=None if person_id == cluster_id else cluster_id,
                )
            )

    def review_pairs(self, run_id: int, limit: int, offset: int = 0) -> list[ReviewPair]:
        """Return a window of a run's uncertain pairs whose mentions ended in different people
        or were joined on a name alone (children first, then the most uncertain first)."""
        pairs, waiting, left, right = _reviewable(run_id)
        rows = self.connection.execute(
            select(
                resolution_pair,
                left.c.record_id.label("record_l"),
                right.c.record_id.label("record_r"),
            )
            .select_from(pairs)
            .where(waiting)
            .order_by(
                resolution_pair.c.involves_child.desc(),
                func.abs(resolution_pair.c.probability - 0.5),
                resolution_pair.c.entity_l,
                resolution_pair.c.entity_r,
            )
            .offset(offset)
            .limit(limit)
        )
        return [
            ReviewPair(
                r.entity_l,
                r.entity_r,
                r.record_l,
                r.record_r,
                r.probability,
                r.match_weight,
                bool(r.involves_child),
                r.explanation,
                bool(r.joined_on_name),
            )
            for r in rows
        ]

    def count_review_pairs(self, run_id: int, *, unjudged: bool = False) -> int:
        """Return how many uncertain pairs of a run ended in different people or were joined
        on a name alone (only those without a judgement in force, with `unjudged`)."""
        pairs, waiting, _, _ = _reviewable(run_id)
        query = select(func.count()).select_from(pairs).where(waiting)
        if unjudged:
            query = query.where(
                ~exists().where(
                    judgement.c.entity_l == resolution_pair.c.entity_l,
                    judgement.c.entity_r == resolution_pair.c.entity_r,
                    judgement.c.undone_at.is_(None),
                )
            )
        return int(self.connection.execute(query).scalar_one())

    def records_of_entities(self, run_id: int, entity_ids: Sequence[str]) -> dict[str, int]:
        """Return the record id of each entity in a run (those not in the run are left out)."""
        member = resolution_member.c
        query = select(member.entity_id, member.record_id).where(member.run_id == run_id)
        return {
            r.entity_id: r.record_id for r in self._in_chunks(query, member.entity_id, entity_ids)
        }

    def pair(self, run_id: int, left: str, right: str) -> tuple[float, float] | None:
        """Return (probability, weight) of a stored candidate pair, or None."""
        row = self.connection.execute(
            select(resolution_pair.c.probability, resolution_pair.c.match_weight).where(
                resolution_pair.c.run_id == run_id,
                resolution_pair.c.entity_l == left,
                resolution_pair.c.entity_r == right,
            )
        ).first()
        return (row.probability, row.match_weight) if row else None

    def add_judgement(self, **values: object) -> int:
        """Store a judgement and return its id."""
        return int(
            self.connection.execute(
                insert(judgement).values(**values).returning(judgement.c.id)
            ).scalar_one()
        )

    def undo_judgement(self, judgement_id: int, by: str, at: str, reason: str) -> JudgementRow:
        """Mark a judgement undone; raise NotFound if there is no such live judgement."""
        done = self.connection.execute(
            update(judgement)
            .where(judgement.c.id == judgement_id, judgement.c.undone_at.is_(None))
            .values(undone_at=at, undone_by=by, undo_reason=reason)
        ).rowcount
        if not done:
            raise NotFound(f"no judgement {judgement_id} in force; see the judgement list")
        return self.get_judgement(judgement_id)

    def get_judgement(self, judgement_id: int) -> JudgementRow:
        """Return one judgement or raise NotFound."""
        row = self.connection.execute(
            select(judgement).where(judgement.c.id == judgement_id)
        ).first()
        if row is None:
            raise NotFound(f"no judgement {judgement_id}")
        return JudgementRow(*(row._mapping[n] for n in JudgementRow.__dataclass_fields__))

    def live_judgements(self) -> list[JudgementRow]:
        """Return the judgements in force (not undone), oldest first."""
        rows = self.connection.execute(
            select(judgement).where(judgement.c.undone_at.is_(None)).order_by(judgement.c.id)
        )
        return [
            JudgementRow(*(r._mapping[n] for n in JudgementRow.__dataclass_fields__)) for r in rows
        ]


def _reviewable(run_id: int) -> tuple[Join, ColumnElement[bool], FromClause, FromClause]:
    """Return a run's pairs joined to both mentions' members, the condition for a pair to wait
    for review (its mentions ended in two people, or one person joined by it on a name alone),
    and the two member aliases."""
    left, right = aliased(resolution_member), aliased(resolution_member)
    pairs = resolution_pair.join(
        left, and_(left.c.run_id == run_id, left.c.entity_id == resolution_pair.c.entity_l)
    ).join(right, and_(right.c.run_id == run_id, right.c.entity_id == resolution_pair.c.entity_r))
    waiting = and_(
        resolution_pair.c.run_id == run_id,
        or_(left.c.person_id != right.c.person_id, resolution_pair.c.joined_on_name),
    )
    return pairs, waiting, left, right
