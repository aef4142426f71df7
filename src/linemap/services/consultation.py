"""What every read of personal data shares: the reader's context, the access policy's decision
per source record, minimisation into entities, and the consultation events (DPA 2018 s.62).

Used by the casework reads (search, profile, record, export) and the identity review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

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
from linemap.model.schema import get_schema
from linemap.model.statement import Statement
from linemap.model.vocabulary import AuditOperation, HandlingCode, Tlp
from linemap.services.view import Entity, Shown
from linemap.store.unit_of_work import Transaction, UnitOfWork


@dataclass
class Context:
    """What every read needs: the reader, their agency, the agreements and the day."""

    actor: Actor
    agency: Agency
    agencies: dict[str, Agency]
    isas: list[Isa]
    today: date
    purpose: str | None
    withheld: int = field(default=0)
    events: list[AuditEvent] = field(default_factory=list)


def load_context(tx: Transaction, actor: Actor, purpose: str | None, today: date) -> Context:
    """Read what every read needs: the agencies and the agreements in force."""
    agencies = {a.code: a for a in tx.directory.list_agencies()}
    return Context(
        actor, agencies[actor.agency_code], agencies, tx.sharing.list_isas(), today, purpose
    )


def decide_records(
    ctx: Context, tx: Transaction, record_ids: Iterable[int]
) -> dict[int, tuple[Marking, Decision]]:
    """Return the marking of each record (holding statements) and the policy's decision."""
    out = {}
    for record_id, held in tx.records.markings(record_ids).items():
        marking = Marking.combine(
            held.agency_code,
            held.mapping,
            ((Tlp(k[5]), HandlingCode(k[2]), k[3]) for k in held.qualifiers),
        )
        out[record_id] = (marking, decide(ctx.actor, Operation.READ, marking, ctx.isas, ctx.today))
    return out


def consulted(ctx: Context, record_id: int, view: str, shown: bool, isa: str | None) -> None:
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


def log(uow: UnitOfWork, ctx: Context) -> None:
    """Commit the consultation events of a read before anything is shown or refused.

    The data is read without the write lock; only the appends to the audit chain take it, so
    readers do not queue behind each other. Nothing is returned unless the log committed.
    """
    with uow.write() as tx:
        tx.audit.append_all(ctx.events)


def _grading(statement: Statement) -> str | None:
    q = statement.qualifier
    if q.source_evaluation and q.intelligence_assessment:
        return f"{q.source_evaluation}{q.intelligence_assessment}{q.handling_code}"
    if q.legacy_grading:
        return f"{q.legacy_grading} (5x5x5 as recorded)"
    return None


def entities(ctx: Context, statements: list[Statement]) -> list[Entity]:
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


def reads_casework(ctx: Context) -> bool:
    """Return whether the reader's role reads case data at all."""
    probe = Marking(ctx.actor.agency_code, "", Tlp.CLEAR, HandlingCode.P)
    return decide(ctx.actor, Operation.READ, probe, [], ctx.today).allowed
