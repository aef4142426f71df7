"""Reading personal data: search, person profile and source record, under the access policy.

Every read is a use case (STYLE.md): the policy decides per source record, fields are minimised
for the reader's recipient class, and one consultation event per record touched is written in
the same transaction (DPA 2018 s.62). Records the reader may not open are never shown; a search
that finds them says only which agency holds something and whom to ask (discovery without
disclosure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from linemap.errors import Forbidden, InvalidInput, LinemapError, NotFound
from linemap.governance.actor import Actor, Agency
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import (
    Decision,
    Isa,
    Marking,
    Operation,
    Recipient,
    decide,
    field_visible,
    grading_visible,
    recipient,
)
from linemap.intake.term import parse_query
from linemap.model.schema import get_schema
from linemap.model.statement import Statement
from linemap.model.vocabulary import AuditOperation, HandlingCode, Tlp
from linemap.services.search import find
from linemap.services.view import (
    ChronologyEntry,
    Disclosure,
    Discovery,
    Entity,
    Profile,
    RecordView,
    SearchResult,
    Shown,
)
from linemap.store.unit_of_work import Transaction, UnitOfWork

MAX_HITS = 50
_T = TypeVar("_T")


@dataclass
class _Context:
    """What every read needs: the reader, their agency, the agreements and the day."""

    actor: Actor
    agency: Agency
    agencies: dict[str, Agency]
    isas: list[Isa]
    today: date
    purpose: str | None
    withheld: int = field(default=0)
    events: list[AuditEvent] = field(default_factory=list)


def _context(tx: Transaction, actor: Actor, purpose: str | None, today: date) -> _Context:
    agencies = {a.code: a for a in tx.directory.list_agencies()}
    return _Context(
        actor, agencies[actor.agency_code], agencies, tx.sharing.list_isas(), today, purpose
    )


def _decide(
    ctx: _Context, tx: Transaction, record_ids: Iterable[int]
) -> dict[int, tuple[Marking, Decision]]:
    out = {}
    for record_id, (kind, keys) in tx.records.markings(sorted(set(record_ids))).items():
        info = tx.records.get_record(record_id)
        marking = Marking.combine(
            info.agency_code, kind, ((Tlp(k[5]), HandlingCode(k[2]), k[3]) for k in keys)
        )
        out[record_id] = (marking, decide(ctx.actor, Operation.READ, marking, ctx.isas, ctx.today))
    return out


def _consulted(ctx: _Context, record_id: int, view: str, shown: bool, isa: str | None) -> None:
    """DPA 2018 s.62: a consultation is logged, with its justification where one was given."""
    detail: dict[str, object] = {"view": view, "disclosed": shown}
    if isa:
        detail["isa"] = isa
    ctx.events.append(
        AuditEvent(
            AuditOperation.CONSULTATION,
            ctx.actor.username,
            (f"record:{record_id}",),
            detail,
            justification=ctx.purpose,
            actor_agency=ctx.actor.agency_code,
            actor_role=ctx.actor.role.value,
            outcome="success" if shown else "withheld",
        )
    )


def _log(uow: UnitOfWork, ctx: _Context) -> None:
    """Commit the consultation events of a read before anything is shown or refused.

    The data is read without the write lock; only the appends to the audit chain take it, so
    readers do not queue behind each other. Nothing is returned unless the log committed.
    """
    with uow.write() as tx:
        for event in ctx.events:
            tx.audit.append(event)


def _grading(statement: Statement) -> str | None:
    q = statement.qualifier
    if q.source_evaluation and q.intelligence_assessment:
        return f"{q.source_evaluation}{q.intelligence_assessment}{q.handling_code}"
    if q.legacy_grading:
        return f"{q.legacy_grading} (5x5x5 as recorded)"
    return None


def _entities(ctx: _Context, statements: list[Statement]) -> list[Entity]:
    """Group a record's statements into entities, minimised for the reader."""
    grouped: dict[str, list[Statement]] = defaultdict(list)
    for s in statements:
        grouped[s.entity_id].append(s)
    out = []
    for entity_id, items in grouped.items():
        to = recipient(ctx.actor, ctx.agency.kind, items[0].agency)
        schema = get_schema(items[0].schema)
        props: dict[str, list[Shown]] = defaultdict(list)
        for s in items:
            if not field_visible(to, s.prop, s.qualifier.subject_category):
                ctx.withheld += 1
                continue
            props[s.prop].append(_shown(s, schema.properties[s.prop].label, to))
        if props:
            out.append(
                Entity(
                    entity_id,
                    schema.name,
                    schema.label,
                    items[0].source_record_id,
                    items[0].agency,
                    dict(props),
                )
            )
    return out


def _shown(s: Statement, label: str, to: Recipient) -> Shown:
    q = s.qualifier
    graded = grading_visible(to)
    return Shown(
        s.prop,
        label,
        s.value,
        s.original_value,
        s.agency,
        s.recorded_at,
        _grading(s) if graded else None,
        q.handling_code,
        q.handling_conditions,
        q.tlp,
        q.subject_category,
        q.basis,
        q.review_by,
    )


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
        hits: list[Entity] = []
        hidden: dict[str, set[int]] = defaultdict(set)
        entities: dict[int, dict[str, Entity]] = {}
        for entity_id, record_id in found:
            marking, decision = decisions[record_id]
            if not decision.allowed:
                hidden[marking.agency].add(record_id)
            elif len(hits) >= MAX_HITS:
                truncated = True
            else:
                if record_id not in entities:
                    statements = tx.records.statements(record_id)
                    entities[record_id] = {e.id: e for e in _entities(ctx, statements)}
                if (entity := entities[record_id].get(entity_id)) is not None:
                    hits.append(entity)
        for record_id in sorted(entities):  # one event per record shown ...
            _consulted(ctx, record_id, "search", True, decisions[record_id][1].isa)
        for record_id in sorted(set().union(*hidden.values())):  # ... or withheld
            _consulted(ctx, record_id, "search", False, None)
        discoveries = [
            Discovery(code, ctx.agencies[code].name, ctx.agencies[code].contact, len(records))
            for code, records in sorted(hidden.items())
        ]
    _log(uow, ctx)
    return SearchResult(hits, discoveries, truncated)


def _reads_casework(ctx: _Context) -> bool:
    probe = Marking(ctx.actor.agency_code, "", Tlp.CLEAR, HandlingCode.P)
    return decide(ctx.actor, Operation.READ, probe, [], ctx.today).allowed


def _open(
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
        opened = _open(ctx, tx, record_id)
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
        opened = _open(ctx, tx, record_id)
        for refused in ctx.events:  # an attempt refused by the read policy is logged as such
            tx.audit.append(refused)
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
        opened = _open(ctx, tx, record_id)
        result: Profile | LinemapError = (
            opened
            if isinstance(opened, LinemapError)
            else (_profile(ctx, tx, entity_id, record_id, opened[1]))
        )
    return _logged(uow, ctx, result)


def _profile(
    ctx: _Context, tx: Transaction, entity_id: str, record_id: int, decision: Decision
) -> Profile:
    """Build a person's profile from a record the reader may open, and log it."""
    entities = {e.id: e for e in _entities(ctx, tx.records.statements(record_id))}
    person = entities.get(entity_id)
    if person is None or person.schema != "Person":
        raise NotFound(f"no person with id {entity_id}; search again")
    linked, chronology = _links(entity_id, entities)
    _consulted(ctx, record_id, "profile", True, decision.isa)
    return Profile(person, linked, chronology, decision.conditions, decision.isa, ctx.withheld)


def _links(
    entity_id: str, entities: dict[str, Entity]
) -> tuple[list[tuple[str, Entity]], list[ChronologyEntry]]:
    """Return what the relationships in view link to the person, and their events by date."""
    linked: list[tuple[str, Entity]] = []
    events: list[ChronologyEntry] = []
    for rel in entities.values():
        schema = get_schema(rel.schema)
        if not schema.is_relationship:
            continue
        ends = [rel.first(p.name) for p in schema.ends]
        if entity_id not in ends:
            continue
        for other in ends:
            target = entities.get(other) if other and other != entity_id else None
            if target is None:
                continue
            if target.schema == "Event":
                events.append(
                    ChronologyEntry(target, target.first("date") or target.first("start"))
                )
            else:
                linked.append((schema.label, target))
    events.sort(key=lambda e: e.day or "")
    return linked, events
