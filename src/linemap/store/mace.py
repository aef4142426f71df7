"""MACE meetings, their VOLT agendas, minutes and decisions, and their actions.

The flags an agenda is generated from are read through `store.safeguarding`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from linemap.store.tables import agency, mace_action, mace_meeting


@dataclass(frozen=True)
class MeetingRow:
    """A stored meeting: the agenda as generated, the attendees by agency code."""

    id: int
    area: str
    held_on: str
    chair: str
    agency: str  # the chair's agency
    created_at: str
    snapshot_id: int | None
    attendees: tuple[str, ...]
    agenda: list[dict[str, Any]]
    minutes: str | None
    decisions: list[dict[str, str]]


@dataclass(frozen=True)
class ActionRow:
    """A stored action agreed at a meeting."""

    id: int
    meeting_id: int
    description: str
    owner_agency: str
    owner: str
    due: str
    done_on: str | None
    created_by: str
    created_at: str


def _meeting(row: Any) -> MeetingRow:
    return MeetingRow(
        row.id,
        row.area,
        row.held_on,
        row.chair,
        row.code,
        row.created_at,
        row.snapshot_id,
        tuple(json.loads(row.attendees)),
        json.loads(row.agenda),
        row.minutes,
        json.loads(row.decisions) if row.decisions else [],
    )


def _action(row: Any) -> ActionRow:
    return ActionRow(*(row._mapping[name] for name in ActionRow.__dataclass_fields__))


class MaceRepository:
    """Reads and writes of this package's tables, inside one unit of work."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _meetings(self) -> Any:
        return select(mace_meeting, agency.c.code).join(
            agency, agency.c.id == mace_meeting.c.agency_id
        )

    def add_meeting(
        self, agency_id: int, attendees: list[str], agenda: list[dict[str, Any]], **values: object
    ) -> int:
        """Store a new meeting with its generated agenda and return its id."""
        return int(
            self._connection.execute(
                insert(mace_meeting)
                .values(
                    agency_id=agency_id,
                    attendees=json.dumps(attendees),
                    agenda=json.dumps(agenda),
                    **values,
                )
                .returning(mace_meeting.c.id)
            ).scalar_one()
        )

    def list_meetings(self) -> list[MeetingRow]:
        """Return every meeting, the latest held first."""
        rows = self._connection.execute(
            self._meetings().order_by(mace_meeting.c.held_on.desc(), mace_meeting.c.id.desc())
        )
        return [_meeting(r) for r in rows]

    def find_meeting(self, meeting_id: int) -> MeetingRow | None:
        """Return one meeting, or None."""
        row = self._connection.execute(
            self._meetings().where(mace_meeting.c.id == meeting_id)
        ).first()
        return _meeting(row) if row else None

    def record_minutes(
        self, meeting_id: int, minutes: str | None, decisions: list[dict[str, str]]
    ) -> None:
        """Store a meeting's minutes and its decisions."""
        self._connection.execute(
            update(mace_meeting)
            .where(mace_meeting.c.id == meeting_id)
            .values(minutes=minutes, decisions=json.dumps(decisions))
        )

    def add_action(self, **values: object) -> int:
        """Store a new action and return its id."""
        return int(
            self._connection.execute(
                insert(mace_action).values(**values).returning(mace_action.c.id)
            ).scalar_one()
        )

    def actions(self, meeting_id: int) -> list[ActionRow]:
        """Return a meeting's actions, the earliest due first."""
        rows = self._connection.execute(
            select(mace_action)
            .where(mace_action.c.meeting_id == meeting_id)
            .order_by(mace_action.c.due, mace_action.c.id)
        )
        return [_action(r) for r in rows]

    def complete_action(self, action_id: int, done_on: str) -> None:
        """Mark an action done on a day."""
        self._connection.execute(
            update(mace_action).where(mace_action.c.id == action_id).values(done_on=done_on)
        )
