"""`linemap audit ...` and `linemap erase`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from linemap.cli.common import State, console
from linemap.errors import AuditChainBroken
from linemap.services import audit as audit_service
from linemap.services import erasure

app = typer.Typer(help="The audit trail (DPA 2018 s.62).", no_args_is_help=True)


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check the hash chain; exit non-zero naming the first bad event."""
    state: State = ctx.obj
    result = audit_service.verify_chain(state.uow)
    if not result.intact:
        raise AuditChainBroken(
            f"audit chain broken at event {result.first_bad_seq}: {result.problem}"
        )
    console.print(f"Audit chain intact: {result.events} events verified.")


@app.command("show")
def show(
    ctx: typer.Context,
    record: Annotated[int, typer.Option("--record", help="Source record id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the audit events about a source record."""
    state: State = ctx.obj
    events = audit_service.events_for_record(state.uow, record)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "seq": e.seq,
                        "occurred_at": e.event.occurred_at,
                        "operation": e.event.operation.value,
                        "actor": e.event.actor,
                        "record_ids": list(e.event.record_ids),
                        "detail": e.event.detail,
                        "justification": e.event.justification,
                    }
                    for e in events
                ],
                indent=2,
            )
        )
        return
    table = Table("seq", "when (UTC)", "operation", "actor", "records", "detail")
    for e in events:
        table.add_row(
            str(e.seq),
            e.event.occurred_at[:19],
            e.event.operation.value,
            e.event.actor,
            " ".join(e.event.record_ids),
            " ".join(f"{k}={v}" for k, v in sorted(e.event.detail.items())),
        )
    console.print(table)


def erase(
    ctx: typer.Context,
    record: Annotated[int, typer.Option("--record", help="Source record id")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is erased (logged)")],
) -> None:
    """Purge a source record's statements, all versions; leave one erasure event."""
    state: State = ctx.obj
    outcome = erasure.erase_record(state.uow, state.settings.actor, record, reason)
    console.print(
        f"Erased source record {record}: {len(outcome.record_ids)} version(s), "
        f"{outcome.statements_purged} statement(s) purged; audit event {outcome.event_seq}."
    )
