"""Use cases of the web workspace that wrap others: upload intake and the dashboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from linemap.errors import Forbidden
from linemap.governance.actor import Actor
from linemap.governance.policy import Marking, Operation, decide
from linemap.model.vocabulary import HandlingCode, Tlp
from linemap.services import intake, search
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork


def ingest_upload(
    uow: UnitOfWork, settings: Settings, actor: Actor, path: Path, mapping: str, today: date
) -> intake.IngestSummary:
    """Ingest a file uploaded by an actor for their own agency, then index it for search."""
    probe = Marking(actor.agency_code, mapping, Tlp.CLEAR, HandlingCode.P)
    verdict = decide(actor, Operation.INGEST, probe, [], today)
    if not verdict.allowed:
        raise Forbidden(f"you may not add records: {verdict.reason}")
    summary = intake.ingest(
        uow, replace(settings, actor=actor.username), path, actor.agency_code, mapping
    )
    search.refresh_index(uow)
    return summary


def recent_batches(uow: UnitOfWork, actor: Actor) -> list[dict[str, object]]:
    """Return what came in recently for the actor's own agency (counts, no personal data)."""
    with uow.read() as tx:
        return tx.records.recent_batches(actor.agency_code)
