"""Community and family reports, held apart until triage."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from linemap.store.tables import community_report


@dataclass(frozen=True)
class StoredReport:
    """One report as held: what was said, by whom if they chose to say, and its triage."""

    id: int
    reference: str
    agency_id: int
    received_at: str
    concern: str
    location: str | None
    happened: str | None
    details: dict[str, str]  # who it is about, phone or vehicle noticed (each optional)
    reporter: dict[str, str]  # the reporter's name and contact, if given
    status: str
    triaged_by: str | None
    triaged_at: str | None
    triage_reason: str | None
    record_id: int | None


def _json(text: str | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in json.loads(text).items()} if text else {}


def _report(row: Any) -> StoredReport:
    return StoredReport(
        row.id,
        row.reference,
        row.agency_id,
        row.received_at,
        row.concern,
        row.location,
        row.happened,
        _json(row.details),
        _json(row.reporter),
        row.status,
        row.triaged_by,
        row.triaged_at,
        row.triage_reason,
        row.record_id,
    )


class CommunityRepository:
    """Reads and writes of this package's tables, inside one unit of work."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(
        self,
        *,
        reference: str,
        agency_id: int,
        received_at: str,
        concern: str,
        location: str | None,
        happened: str | None,
        details: dict[str, str],
        reporter: dict[str, str],
    ) -> int:
        """Store a new report (status new) and return its id."""
        return int(
            self._connection.execute(
                insert(community_report)
                .values(
                    reference=reference,
                    agency_id=agency_id,
                    received_at=received_at,
                    concern=concern,
                    location=location,
                    happened=happened,
                    details=json.dumps(details, sort_keys=True) if details else None,
                    reporter=json.dumps(reporter, sort_keys=True) if reporter else None,
                    status="new",
                )
                .returning(community_report.c.id)
            ).scalar_one()
        )

    def reference_taken(self, reference: str) -> bool:
        """Return whether a report already has this reference."""
        found = self._connection.execute(
            select(community_report.c.id).where(community_report.c.reference == reference)
        ).first()
        return found is not None

    def find(self, reference: str) -> StoredReport | None:
        """Return the report with this reference, or None."""
        row = self._connection.execute(
            select(community_report).where(community_report.c.reference == reference)
        ).first()
        return _report(row) if row is not None else None

    def list_reports(self, agency_id: int, status: str, limit: int) -> list[StoredReport]:
        """Return an agency's reports in one status, oldest first."""
        rows = self._connection.execute(
            select(community_report)
            .where(community_report.c.agency_id == agency_id, community_report.c.status == status)
            .order_by(community_report.c.received_at, community_report.c.id)
            .limit(limit)
        )
        return [_report(row) for row in rows]

    def count(self, agency_id: int, status: str | None = None) -> int:
        """Return how many reports an agency holds (in one status, if given)."""
        query = select(func.count()).where(community_report.c.agency_id == agency_id)
        if status is not None:
            query = query.where(community_report.c.status == status)
        return int(self._connection.execute(query).scalar_one())

    def triage(
        self,
        report_id: int,
        *,
        status: str,
        by: str,
        at: str,
        reason: str | None,
        record_id: int | None,
    ) -> bool:
        """Record the triage decision on a new report; return False if it was already triaged."""
        done = self._connection.execute(
            update(community_report)
            .where(community_report.c.id == report_id, community_report.c.status == "new")
            .values(
                status=status,
                triaged_by=by,
                triaged_at=at,
                triage_reason=reason,
                record_id=record_id,
            )
        ).rowcount
        return bool(done)
