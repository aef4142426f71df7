"""Web sessions, held server-side so they can be ended at once (R30)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from linemap.store.tables import web_session


@dataclass(frozen=True)
class SessionRow:
    """A stored session: whose, its CSRF token and when it was made and last used."""

    actor_id: int
    csrf_token: str
    created_at: str
    last_seen_at: str
    ended_at: str | None


class SessionRepository:
    """Reads and writes web sessions by the hash of their token."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, token_hash: str, actor_id: int, csrf_token: str, at: str) -> None:
        """Store a new session."""
        self.connection.execute(
            insert(web_session).values(
                token_hash=token_hash,
                actor_id=actor_id,
                csrf_token=csrf_token,
                created_at=at,
                last_seen_at=at,
            )
        )

    def find(self, token_hash: str) -> SessionRow | None:
        """Return the session with this token hash, or None."""
        row = self.connection.execute(
            select(web_session).where(web_session.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        return SessionRow(
            row.actor_id, row.csrf_token, row.created_at, row.last_seen_at, row.ended_at
        )

    def touch(self, token_hash: str, at: str) -> bool:
        """Record that the session was used; return False if it has ended meanwhile."""
        done = self.connection.execute(
            update(web_session)
            .where(web_session.c.token_hash == token_hash, web_session.c.ended_at.is_(None))
            .values(last_seen_at=at)
        ).rowcount
        return bool(done)

    def end(self, token_hash: str, at: str) -> None:
        """End one session."""
        self.connection.execute(
            update(web_session)
            .where(web_session.c.token_hash == token_hash, web_session.c.ended_at.is_(None))
            .values(ended_at=at)
        )

    def end_for_actor(self, actor_id: int, at: str) -> None:
        """End every session of an actor (account disabled)."""
        self.connection.execute(
            update(web_session)
            .where(web_session.c.actor_id == actor_id, web_session.c.ended_at.is_(None))
            .values(ended_at=at)
        )
