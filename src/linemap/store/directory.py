"""Agencies and actors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from linemap.errors import AlreadyExists, NotFound
from linemap.governance.actor import Actor, Agency
from linemap.model.vocabulary import AgencyKind, Role
from linemap.store.tables import actor, agency


def _now() -> str:
    return datetime.now(UTC).isoformat()


_AGENCY_COLUMNS = (
    agency.c.id,
    agency.c.code,
    agency.c.name,
    agency.c.kind,
    agency.c.area,
    agency.c.contact,
)
_ACTOR_COLUMNS = (actor.c.id, actor.c.username, agency.c.code, actor.c.role, actor.c.active)


def _agency(row: Any) -> Agency:
    return Agency(row.id, row.code, row.name, AgencyKind(row.kind), row.area, row.contact)


def _actor(row: Any) -> Actor:
    return Actor(row.id, row.username, row.code, Role(row.role), bool(row.active))


class DirectoryRepository:
    """Reads and writes agencies and actors."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_agency(
        self, code: str, name: str, kind: AgencyKind, area: str | None, contact: str | None = None
    ) -> Agency:
        """Store a new agency; raise AlreadyExists if the code is taken."""
        if self.find_agency(code) is not None:
            raise AlreadyExists(f"agency {code} already exists; choose another code")
        new_id = self.connection.execute(
            insert(agency)
            .values(
                code=code, name=name, kind=kind.value, area=area, contact=contact, created_at=_now()
            )
            .returning(agency.c.id)
        ).scalar_one()
        return Agency(new_id, code, name, kind, area, contact)

    def find_agency(self, code: str) -> Agency | None:
        """Return the agency with this code, or None."""
        row = self.connection.execute(select(*_AGENCY_COLUMNS).where(agency.c.code == code)).first()
        return _agency(row) if row else None

    def get_agency(self, code: str) -> Agency:
        """Return the agency with this code or raise NotFound."""
        found = self.find_agency(code)
        if found is None:
            raise NotFound(f"no agency with code {code}; see `linemap agency list`")
        return found

    def list_agencies(self) -> list[Agency]:
        """Return every agency, by code."""
        rows = self.connection.execute(select(*_AGENCY_COLUMNS).order_by(agency.c.code)).all()
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
            select(*_ACTOR_COLUMNS)
            .join(agency, agency.c.id == actor.c.agency_id)
            .order_by(actor.c.username)
        ).all()
        return [_actor(r) for r in rows]

    def find_credentials(self, username: str) -> tuple[Actor, str] | None:
        """Return an actor and their password hash by username, or None."""
        row = self.connection.execute(
            select(*_ACTOR_COLUMNS, actor.c.password_hash)
            .join(agency, agency.c.id == actor.c.agency_id)
            .where(actor.c.username == username)
        ).first()
        return (_actor(row), row.password_hash) if row else None

    def get_actor(self, actor_id: int) -> Actor:
        """Return an actor by id or raise NotFound."""
        row = self.connection.execute(
            select(*_ACTOR_COLUMNS)
            .join(agency, agency.c.id == actor.c.agency_id)
            .where(actor.c.id == actor_id)
        ).first()
        if row is None:
            raise NotFound(f"no user with id {actor_id}")
        return _actor(row)

    def set_active(self, username: str, active: bool) -> Actor:
        """Enable or disable an account; raise NotFound for an unknown username."""
        found = self.find_credentials(username)
        if found is None:
            raise NotFound(f"no user {username}; see `linemap user list`")
        self.connection.execute(
            update(actor).where(actor.c.username == username).values(active=active)
        )
        return Actor(found[0].id, found[0].username, found[0].agency_code, found[0].role, active)
