"""A person as one reader may see them, assembled across the records identity resolution joined.

The latest resolution run says which mentions are one person. Each of their records is decided
by the policy on its own: the reader sees the statements, links and events of exactly the
records they could open one by one (a merge never widens access), and for the others only which
agency holds something and whom to ask. What is shown together carries the most restrictive
marking of the records behind it (R14). One consultation event per record shown or withheld.
"""

from __future__ import annotations

from collections import defaultdict

from linemap.governance.policy import Decision, Marking
from linemap.model.schema import get_schema
from linemap.services import consultation
from linemap.services.view import ChronologyEntry, Discovery, Entity, Profile, Shown
from linemap.store.unit_of_work import Transaction


def members(tx: Transaction, entity_id: str, record_id: int) -> list[tuple[str, int]]:
    """Return (entity id, record id) of every mention of the person in the latest run (just
    this one when the person was never resolved)."""
    run = tx.resolution.latest_run()
    person = tx.resolution.person_of(run.id, entity_id) if run is not None else None
    if run is None or person is None:
        return [(entity_id, record_id)]
    return tx.resolution.members(run.id, person)


def assemble(
    ctx: consultation.Context, tx: Transaction, entity_id: str, record_id: int
) -> Profile | None:
    """Build the profile of the person `entity_id` is about, from every record the reader may
    open (the asked-for record must be one of them); None if the entity is not a person."""
    mentions = members(tx, entity_id, record_id)
    records = sorted({r for _, r in mentions} | {record_id})
    decisions = consultation.decide_records(ctx, tx, records)
    readable = [r for r in records if decisions[r][1].allowed]
    statements = tx.records.statements_of(readable)
    by_record: dict[int, list[str]] = defaultdict(list)
    for mention, record in mentions:
        by_record[record].append(mention)
    properties: dict[str, list[Shown]] = defaultdict(list)
    linked: list[tuple[str, Entity]] = []
    events: list[ChronologyEntry] = []
    asked: Entity | None = None
    for record in readable:
        entities = {e.id: e for e in consultation.entities(ctx, statements.get(record, []))}
        for mention in by_record[record] or [entity_id]:
            entity = entities.get(mention)
            if entity is None or entity.schema != "Person":
                continue
            if mention == entity_id:
                asked = entity
            for prop, shown in entity.properties.items():
                properties[prop].extend(shown)
            more_linked, more_events = links(mention, entities)
            linked += more_linked
            events += more_events
    if asked is None:
        return None
    for record in readable:
        consultation.consulted(ctx, record, "profile", True, decisions[record][1].isa)
    hidden: dict[str, int] = defaultdict(int)
    for record in records:
        if not decisions[record][1].allowed:
            consultation.consulted(ctx, record, "profile", False, None)
            hidden[decisions[record][0].agency] += 1
    events.sort(key=lambda e: e.day or "")
    shown_decisions = [decisions[r] for r in readable]
    person = Entity(
        asked.id, asked.schema, asked.label, asked.record_id, asked.agency, dict(properties)
    )
    return Profile(
        person,
        linked,
        events,
        _conditions(shown_decisions),
        _agreements(shown_decisions),
        ctx.withheld,
        tuple(readable),
        tuple(
            Discovery(code, ctx.agencies[code].name, ctx.agencies[code].contact, count)
            for code, count in sorted(hidden.items())
        ),
        _combined(shown_decisions).tlp.value,
    )


def _conditions(shown: list[tuple[Marking, Decision]]) -> tuple[str, ...]:
    found: list[str] = []
    for _, decision in shown:
        found += [c for c in decision.conditions if c not in found]
    return tuple(found)


def _agreements(shown: list[tuple[Marking, Decision]]) -> str | None:
    used = sorted({d.isa for _, d in shown if d.isa})
    return ", ".join(used) or None


def _combined(shown: list[tuple[Marking, Decision]]) -> Marking:
    """The most restrictive marking of what is shown together (R14)."""
    return Marking.combine(
        "", "profile", ((m.tlp, m.handling, "; ".join(m.conditions) or None) for m, _ in shown)
    )


def links(
    entity_id: str, entities: dict[str, Entity]
) -> tuple[list[tuple[str, Entity]], list[ChronologyEntry]]:
    """Return what the relationships in view link to the person, and their events."""
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
    return linked, events
