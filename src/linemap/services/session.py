"""Signing in and out of the workspace: argon2 passwords, server-side sessions, throttling.

Sessions end after `session_idle_minutes` without use and `session_max_hours` after sign-in,
when the actor signs out, and at once when the account is disabled (R30). Only a hash of the
session token is stored. Failed sign-ins are throttled per username and per client (ASVS 6.3).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from linemap.errors import InvalidInput, NotSignedIn, TooManyAttempts
from linemap.governance.actor import Actor
from linemap.governance.password import hash_password, verify_password
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

# Spend the same argon2 time on an unknown username as on a known one, so timing does not
# tell which usernames exist.
_DECOY_HASH = hash_password(secrets.token_urlsafe(16))
# A session's last use is written at most this often, so most requests take no write lock.
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for the cookie, the CSRF token for forms, and who."""

    token: str
    csrf_token: str
    actor: Actor


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Throttle:
    """Count failed sign-ins per key in a sliding window; refuse past the limit."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Raise TooManyAttempts if any key has failed too often lately."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                failures = self._failures[key]
                while failures and now - failures[0] > self.window:
                    failures.popleft()
                if len(failures) >= self.limit:
                    wait = int(self.window - (now - failures[0])) + 1
                    raise TooManyAttempts(
                        f"too many failed sign-ins; wait {wait} seconds and try again"
                    )

    def failed(self, *keys: str) -> None:
        """Record a failure against every key."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures[key].append(now)


def sign_in(
    uow: UnitOfWork,
    throttle: Throttle,
    username: str,
    password: str,
    client: str,
    now: datetime,
) -> SignedIn:
    """Check the password and open a session; the same message for every failure."""
    name = username.strip().lower()
    throttle.check(f"user:{name}", f"client:{client}")
    with uow.write() as tx:
        found = tx.directory.find_credentials(name)
        good = verify_password(found[1] if found else _DECOY_HASH, password)
        if not (found and good and found[0].active):
            throttle.failed(f"user:{name}", f"client:{client}")
            raise InvalidInput("the username or password is not right, or the account is disabled")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        tx.sessions.add(_digest(token), found[0].id, csrf, now.isoformat())
        return SignedIn(token, csrf, found[0])


def current(
    uow: UnitOfWork, settings: Settings, token: str | None, now: datetime
) -> tuple[Actor, str]:
    """Return the signed-in actor and the session's CSRF token, or raise NotSignedIn.

    Read without the write lock; only ending the session, or recording its use (at most once
    every TOUCH_INTERVAL), takes it. Idle time therefore counts from a last use up to a minute
    old: a session may end that much sooner than the setting, never later.
    """
    if not token:
        raise NotSignedIn("sign in to continue")
    digest = _digest(token)
    with uow.read() as tx:
        row = tx.sessions.find(digest)
        actor = tx.directory.get_actor(row.actor_id) if row else None
    if row is None or actor is None or row.ended_at is not None:
        raise NotSignedIn("your session has ended; sign in again")
    idle = now - datetime.fromisoformat(row.last_seen_at)
    age = now - datetime.fromisoformat(row.created_at)
    if idle > timedelta(minutes=settings.session_idle_minutes) or age > timedelta(
        hours=settings.session_max_hours
    ):
        with uow.write() as tx:
            tx.sessions.end(digest, now.isoformat())
        raise NotSignedIn("your session timed out; sign in again")
    if not actor.active:
        with uow.write() as tx:
            tx.sessions.end_for_actor(actor.id, now.isoformat())
        raise NotSignedIn("this account is disabled; ask your administrator")
    if idle >= TOUCH_INTERVAL:
        with uow.write() as tx:
            if not tx.sessions.touch(digest, now.isoformat()):  # signed out meanwhile
                raise NotSignedIn("your session has ended; sign in again")
    return actor, row.csrf_token


def sign_out(uow: UnitOfWork, token: str | None, now: datetime) -> None:
    """End the session (if any)."""
    if token:
        with uow.write() as tx:
            tx.sessions.end(_digest(token), now.isoformat())
