"""Agencies and actors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from linemap.errors import AlreadyExists, NotFound
from linemap.governance.actor import Actor, Agency
from linemap.model.vocabulary import AgencyKind, Role
from linemap.store.tables import actor, agency


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _agency(row: Any) -> Agency:
    return Agency(row.id, row.code, row.name, AgencyKind(row.kind), row.area)


class DirectoryRepository:
    """Reads and writes agencies and actors."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_agency(self, code: str, name: str, kind: AgencyKind, area: str | None) -> Agency:
        """Store a new agency; raise AlreadyExists if the code is taken."""
        if self.find_agency(code) is not None:
            raise AlreadyExists(f"agency {code} already exists; choose another code")
        new_id = self.connection.execute(
            insert(agency)
            .values(code=code, name=name, kind=kind.value, area=area, created_at=_now())
            .returning(agency.c.id)
        ).scalar_one()
        return Agency(new_id, code, name, kind, area)

    def find_agency(self, code: str) -> Agency | None:
        """Return the agency with this code, or None."""
        row = self.connection.execute(
            select(agency.c.id, agency.c.code, agency.c.name, agency.c.kind, agency.c.area).where(
                agency.c.code == code
            )
        ).first()
        return _agency(row) if row else None

    def get_agency(self, code: str) -> Agency:
        """Return the agency with this code or raise NotFound."""
        found = self.find_agency(code)
        if found is None:
            raise NotFound(f"no agency with code {code}; see `linemap agency list`")
        return found

    def list_agencies(self) -> list[Agency]:
        """Return every agency, by code."""
        rows = self.connection.execute(
            select(
                agency.c.id, agency.c.code, agency.c.name, agency.c.kind, agency.c.area
            ).order_by(agency.c.code)
        ).all()
        return [_agency(r) for r in rows]

    def add_actor(self, username: str, agency_: Agency, role: Role, password_hash: str) -> Actor:
        """Store a new actor; raise AlreadyExists if the username is taken."""
        taken = self.connection.execute(
            select(actor.c.id).where(actor.c.username == username)
        ).first()
        if taken:
            raise AlreadyExists(f"user {username} already exists; choose another username")
        new_id = self.connection.execute(
            insert(actor)
            .values(
                username=username,
                agency_id=agency_.id,
                role=role.value,
                password_hash=password_hash,
                active=True,
                created_at=_now(),
            )
            .returning(actor.c.id)
        ).scalar_one()
        return Actor(new_id, username, agency_.code, role, True)

    def list_actors(self) -> list[Actor]:
        """Return every actor, by username."""
        rows = self.connection.execute(
            select(actor.c.id, actor.c.username, agency.c.code, actor.c.role, actor.c.active)
            .join(agency, agency.c.id == actor.c.agency_id)
            .order_by(actor.c.username)
        ).all()
        return [Actor(r.id, r.username, r.code, Role(r.role), bool(r.active)) for r in rows]
