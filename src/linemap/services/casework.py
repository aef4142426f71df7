"""Reading personal data: search, person profile and source record, under the access policy.

Every read is a use case (STYLE.md): the policy decides per source record, fields are minimised
for the reader's recipient class, and one consultation event per record touched is written in
the same transaction (DPA 2018 s.62). Records the reader may not open are never shown; a search
that finds them says only which agency holds something and whom to ask (discovery without
disclosure).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TypeVar

from linemap.errors import Forbidden, InvalidInput, LinemapError, NotFound
from linemap.governance.actor import Actor
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import Decision, Marking, Operation, decide
from linemap.intake.term import parse_query
from linemap.model.statement import Statement
from linemap.model.vocabulary import AuditOperation
from linemap.services import consultation, person
from linemap.services.search import find
from linemap.services.view import (
    Disclosure,
    Discovery,
    Entity,
    Profile,
    RecordView,
    SearchResult,
)
from linemap.store.search import Hit
from linemap.store.unit_of_work import Transaction, UnitOfWork

MAX_HITS = 50
_T = TypeVar("_T")

# What every read shares lives in services/consultation.py (short names for it here).
_Context = consultation.Context
_context = consultation.load_context
_decide = consultation.decide_records
_consulted = consultation.consulted
_entities = consultation.entities
_log = consultation.log
_reads_casework = consultation.reads_casework


def search(
    uow: UnitOfWork, actor: Actor, text: str, purpose: str | None, today: date
) -> SearchResult:
    """Search people, phones and addresses; show what the actor may see, discover the rest."""
    query = parse_query(text)
    if query.empty:
        raise InvalidInput("type a name, a date of birth, a postcode or a phone number to search")
    with uow.read() as tx:
        ctx = _context(tx, actor, purpose, today)
        if not _reads_casework(ctx):
            raise Forbidden(f"the {actor.role.value} role does not search personal data")
        found, truncated = find(tx.search, query)
        decisions = _decide(ctx, tx, (r for _, r in found))
        hidden: dict[str, set[int]] = defaultdict(set)
        for _, record_id in found:
            marking, decision = decisions[record_id]
            if not decision.allowed:
                hidden[marking.agency].add(record_id)
        allowed = [(e, r) for e, r in found if decisions[r][1].allowed]
        hits, shown, more = _hits(ctx, tx, allowed)
        truncated |= more
        for record_id in sorted(shown):  # one event per record shown ...
            _consulted(ctx, record_id, "search", True, decisions[record_id][1].isa)
        for record_id in sorted(set().union(*hidden.values())):  # ... or withheld
            _consulted(ctx, record_id, "search", False, None)
        discoveries = [
            Discovery(code, ctx.agencies[code].name, ctx.agencies[code].contact, len(records))
            for code, records in sorted(hidden.items())
        ]
    _log(uow, ctx)
    return SearchResult(hits, discoveries, truncated)


def _hits(
    ctx: _Context, tx: Transaction, allowed: list[Hit]
) -> tuple[list[Entity], list[int], bool]:
    """Return the first MAX_HITS entities the reader may see, the records they come from, and
    whether more were allowed.

    Statements are read a batch of records at a time (as many as could still give a hit), not
    one query per record, and only those of the entities hit; only records whose hits were
    reached count as shown.
    """
    hit_in: dict[int, set[str]] = defaultdict(set)
    for entity_id, record_id in allowed:
        hit_in[record_id].add(entity_id)
    order = list(hit_in)
    position = {record_id: i for i, record_id in enumerate(order)}
    statements: dict[int, list[Statement]] = {}
    entities: dict[int, dict[str, Entity]] = {}
    hits: list[Entity] = []
    for entity_id, record_id in allowed:
        if len(hits) >= MAX_HITS:
            return hits, list(entities), True
        if record_id not in statements:
            at = position[record_id]
            batch = order[at : at + MAX_HITS - len(hits)]
            wanted = set().union(*(hit_in[r] for r in batch))
            statements.update(tx.records.statements_of(batch, wanted))
        if record_id not in entities:
            entities[record_id] = {e.id: e for e in _entities(ctx, statements[record_id])}
        if (entity := entities[record_id].get(entity_id)) is not None:
            hits.append(entity)
    return hits, list(entities), False


def open_record(
    ctx: _Context, tx: Transaction, record_id: int
) -> tuple[Marking, Decision] | LinemapError:
    """Return the record's marking and decision, or the refusal to raise once the attempt is
    logged and committed: Forbidden (with whom to ask) or NotFound (for an actor who may not
    even learn that the record exists)."""
    decision = _decide(ctx, tx, [record_id]).get(record_id)
    if decision is None:
        raise NotFound(f"no source record with id {record_id}; check the id")
    marking, verdict = decision
    if verdict.allowed:
        return marking, verdict
    _consulted(ctx, record_id, "open", False, None)
    if not _reads_casework(ctx):
        return NotFound(f"no source record with id {record_id}; check the id")
    holder = ctx.agencies[marking.agency]
    contact = f" Contact: {holder.contact}." if holder.contact else ""
    return Forbidden(
        f"{holder.name} ({holder.code}) holds information here that you may not open: "
        f"{verdict.reason}.{contact}"
    )


def _resolve_entity(tx: Transaction, entity_id: str) -> int:
    """Return the current record id holding an entity, or raise NotFound."""
    agency_ref, _, key = entity_id.partition("#")
    code, _, ref = agency_ref.partition(":")
    info = tx.records.find_current(code, ref) if key and ref else None
    if info is None:
        raise NotFound(f"no person with id {entity_id}; search again")
    return info.id


def record(
    uow: UnitOfWork, actor: Actor, record_id: int, purpose: str | None, today: date
) -> RecordView:
    """Show one source record version to an actor allowed to read it."""
    with uow.read() as tx:
        ctx = _context(tx, actor, purpose, today)
        opened = open_record(ctx, tx, record_id)
        result: RecordView | LinemapError = (
            opened
            if isinstance(opened, LinemapError)
            else (_build_view(ctx, tx, record_id, *opened))
        )
        if not isinstance(opened, LinemapError):
            _consulted(ctx, record_id, "record", True, opened[1].isa)
    return _logged(uow, ctx, result)


def _logged(uow: UnitOfWork, ctx: _Context, result: _T | LinemapError) -> _T:
    """Log the read, then return its result or raise its refusal (the attempt is logged too)."""
    _log(uow, ctx)
    if isinstance(result, LinemapError):
        raise result
    return result


def _build_view(
    ctx: _Context, tx: Transaction, record_id: int, marking: Marking, decision: Decision
) -> RecordView:
    info = tx.records.get_record(record_id)
    entities = _entities(ctx, tx.records.statements(record_id))
    return RecordView(
        info.id,
        info.agency_code,
        info.source_ref,
        info.version,
        marking.kind,
        info.recorded_at,
        entities,
        decision.conditions,
        decision.isa,
        ctx.withheld,
    )


def export_record(
    uow: UnitOfWork,
    actor: Actor,
    record_id: int,
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    now: datetime,
) -> Disclosure:
    """Export one record as a disclosure (R15, R17): refused for C and RED, logged, watermarked."""
    given = {"recipient": recipient, "purpose": purpose, "lawful basis": lawful_basis}
    missing = [name for name, value in given.items() if not value.strip()]
    if missing:
        raise InvalidInput(f"a disclosure needs its {', '.join(missing)}; give them and retry")
    with uow.write() as tx:
        ctx = _context(tx, actor, purpose, now.date())
        opened = open_record(ctx, tx, record_id)
        tx.audit.append_all(ctx.events)  # an attempt refused by the read policy is logged
        if isinstance(opened, LinemapError):
            refusal = opened
        else:
            marking, decision = opened
            verdict = decide(actor, Operation.EXPORT, marking, ctx.isas, ctx.today)
            if not verdict.allowed:
                raise Forbidden(f"this record cannot be exported: {verdict.reason}")
            info = tx.records.get_record(record_id)
            view = _build_view(ctx, tx, info.id, marking, decision)
            event = tx.audit.append(
                AuditEvent(
                    AuditOperation.DISCLOSURE,
                    actor.username,
                    (f"record:{record_id}",),
                    {
                        "recipient": recipient.strip(),
                        "lawful_basis": lawful_basis.strip(),
                        "isa": decision.isa,
                        "tlp": marking.tlp.value,
                        "values": sum(len(v) for e in view.entities for v in e.properties.values()),
                    },
                    justification=purpose.strip(),
                    actor_agency=actor.agency_code,
                    actor_role=actor.role.value,
                    occurred_at=now.isoformat(),
                )
            )
            disclosure_id = f"D-{event.seq}"
            watermark = (
                f"linemap disclosure {disclosure_id} by {actor.username} ({actor.agency_code}) "
                f"at {now.isoformat(timespec='seconds')} to {recipient.strip()}; "
                f"{marking.tlp.label}; do not share further than this marking allows"
            )
            return Disclosure(disclosure_id, watermark, view)
    raise refusal


def profile(
    uow: UnitOfWork, actor: Actor, entity_id: str, purpose: str | None, today: date
) -> Profile:
    """Show a person: their statements by property, what links to them and their chronology."""
    with uow.read() as tx:
        ctx = _context(tx, actor, purpose, today)
        record_id = _resolve_entity(tx, entity_id)
        opened = open_record(ctx, tx, record_id)
        result: Profile | LinemapError = (
            opened
            if isinstance(opened, LinemapError)
            else (_profile(ctx, tx, entity_id, record_id))
        )
    return _logged(uow, ctx, result)


def _profile(ctx: _Context, tx: Transaction, entity_id: str, record_id: int) -> Profile:
    """Build a person's profile across the records resolution joined, as the reader may see it."""
    made = person.assemble(ctx, tx, entity_id, record_id)
    if made is None:
        raise NotFound(f"no person with id {entity_id}; search again")
    return made
