"""Exporting a link chart as a disclosure (R15, R17): GraphML, GEXF, i2 CSV or FollowTheMoney.

What is exported is what the reader sees of the focus (`chart.chart`, which logs the reading),
less every link none of whose records the policy lets this reader export (a C handling code or
a RED marking keeps a record in its agency). Each record behind an exported link is disclosed
once: a disclosure event per record, naming the recipient, purpose and lawful basis, all under
one disclosure id, which the file's watermark carries with the actor and the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from linemap.errors import InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import Operation, decide
from linemap.model.vocabulary import AuditOperation
from linemap.network.export import Format, Node, write
from linemap.services import chart, consultation
from linemap.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ChartDisclosure:
    """An exported chart: the file and what it discloses."""

    id: str
    watermark: str
    filename: str
    media_type: str
    content: bytes
    links: int
    left_out: int  # links none of whose records may be exported


def export_chart(
    uow: UnitOfWork,
    actor: Actor,
    focus: str,
    view: str,
    chart_filter: chart.ChartFilter,
    fmt: str,
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    now: datetime,
) -> ChartDisclosure:
    """Export what the reader sees of a focus to a named recipient, as one disclosure."""
    given = {"recipient": recipient, "purpose": purpose, "lawful basis": lawful_basis}
    missing = [name for name, value in given.items() if not value.strip()]
    if missing:
        raise InvalidInput(f"a disclosure needs its {', '.join(missing)}; give them and retry")
    try:
        chosen = Format(fmt)
    except ValueError:
        raise InvalidInput(f"format must be one of {', '.join(f.value for f in Format)}") from None
    drawn = chart.chart(uow, actor, focus, view, chart_filter, now.date(), purpose.strip())
    with uow.write() as tx:
        ctx = consultation.load_context(tx, actor, purpose.strip(), now.date())
        evidence = {
            e.id: e.records for e in tx.chart.edges(drawn.snapshot, [x.id for x in drawn.links])
        }
        decided = consultation.decide_records(ctx, tx, {r for rs in evidence.values() for r in rs})
        exportable = {
            record
            for record, (marking, _) in decided.items()
            if decide(actor, Operation.EXPORT, marking, ctx.isas, ctx.today).allowed
        }
        links = [x for x in drawn.links if exportable.intersection(evidence[x.id])]
        if not links:
            raise NotFound("nothing there that you may export: see the chart's markings")
        disclosed = sorted({r for x in links for r in evidence[x.id] if r in exportable})
        detail: dict[str, object] = {
            "recipient": recipient.strip(),
            "lawful_basis": lawful_basis.strip(),
            "focus": focus,
            "view": view,
            "format": chosen.value,
            "links": len(links),
        }
        first = tx.audit.append(_disclosure(actor, disclosed[0], detail, purpose, now))
        disclosure_id = f"D-{first.seq}"
        tx.audit.append_all(
            [
                _disclosure(actor, record, {**detail, "disclosure": disclosure_id}, purpose, now)
                for record in disclosed[1:]
            ]
        )
    watermark = (
        f"linemap disclosure {disclosure_id} by {actor.username} ({actor.agency_code}) at "
        f"{now.isoformat(timespec='seconds')} to {recipient.strip()}; do not share further than "
        "the markings of its records allow"
    )
    shown = {n for x in links for n in (x.source, x.target)}
    content = write(
        chosen,
        [Node(n.id, n.kind, n.label, n.roles) for n in drawn.nodes if n.id in shown],
        links,
        watermark,
    )
    name = f"linemap-{disclosure_id}-{focus.replace(':', '-')}{chosen.suffix}"
    return ChartDisclosure(
        disclosure_id,
        watermark,
        name,
        chosen.media_type,
        content,
        len(links),
        len(drawn.links) - len(links),
    )


def _disclosure(
    actor: Actor, record_id: int, detail: dict[str, object], purpose: str, now: datetime
) -> AuditEvent:
    return AuditEvent(
        AuditOperation.DISCLOSURE,
        actor.username,
        (f"record:{record_id}",),
        detail,
        justification=purpose.strip(),
        actor_agency=actor.agency_code,
        actor_role=actor.role.value,
        occurred_at=now.isoformat(),
    )
