"""Sessions: checked without the write lock, their use recorded at most once a minute, ended
on time, on sign-out and when the account is disabled."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from linemap.errors import NotSignedIn
from linemap.services import directory, session
from linemap.settings import Settings
from linemap.store.tables import actor, web_session
from linemap.store.unit_of_work import UnitOfWork

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def signed_in(uow: UnitOfWork) -> tuple[UnitOfWork, session.SignedIn]:
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    directory.add_user(uow, "admin", "pol.analyst", "KENTPOL", "analyst", PASSWORD)
    throttle = session.Throttle(5, 60)
    return uow, session.sign_in(uow, throttle, "pol.analyst", PASSWORD, "127.0.0.1", T0)


def _stored(uow: UnitOfWork) -> tuple[str, str | None]:
    with uow.read() as tx:
        row = tx.connection.execute(
            select(web_session.c.last_seen_at, web_session.c.ended_at)
        ).one()
    return row.last_seen_at, row.ended_at


def test_use_is_recorded_at_most_once_a_minute(
    signed_in: tuple[UnitOfWork, session.SignedIn], settings: Settings
) -> None:
    uow, made = signed_in
    for seconds, last_seen in ((30, T0), (59, T0), (61, T0 + timedelta(seconds=61))):
        found, csrf = session.current(uow, settings, made.token, T0 + timedelta(seconds=seconds))
        assert (found.username, csrf) == ("pol.analyst", made.csrf_token)
        assert _stored(uow) == (last_seen.isoformat(), None)
    session.current(uow, settings, made.token, T0 + timedelta(seconds=100))
    assert _stored(uow)[0] == (T0 + timedelta(seconds=61)).isoformat()


def test_a_session_in_use_is_checked_without_the_write_lock(
    signed_in: tuple[UnitOfWork, session.SignedIn], settings: Settings
) -> None:
    uow, made = signed_in
    done = threading.Event()

    def check() -> None:
        session.current(uow, settings, made.token, T0 + timedelta(seconds=20))
        done.set()

    with uow.write():  # another writer holds the write lock meanwhile
        worker = threading.Thread(target=check)
        worker.start()
        finished = done.wait(timeout=20)
    worker.join()
    assert finished, "checking a session waited for the write lock"


def test_idle_and_old_sessions_end(
    signed_in: tuple[UnitOfWork, session.SignedIn], settings: Settings
) -> None:
    uow, made = signed_in
    at = T0
    while at - T0 <= timedelta(hours=settings.session_max_hours):  # in use every 20 minutes
        session.current(uow, settings, made.token, at)
        at += timedelta(minutes=20)
    with pytest.raises(NotSignedIn, match="timed out"):
        session.current(uow, settings, made.token, at)
    assert _stored(uow)[1] == at.isoformat()
    with pytest.raises(NotSignedIn, match="has ended"):
        session.current(uow, settings, made.token, at)


def test_idle_time_counts_from_the_last_use_recorded(
    signed_in: tuple[UnitOfWork, session.SignedIn], settings: Settings
) -> None:
    uow, made = signed_in
    session.current(uow, settings, made.token, T0 + timedelta(seconds=50))  # not recorded
    idle = timedelta(minutes=settings.session_idle_minutes)
    with pytest.raises(NotSignedIn, match="timed out"):  # never later than the setting
        session.current(uow, settings, made.token, T0 + idle + timedelta(seconds=1))


def test_signing_out_or_disabling_ends_the_session(
    signed_in: tuple[UnitOfWork, session.SignedIn], settings: Settings
) -> None:
    uow, made = signed_in
    with uow.write() as tx:  # disabled behind the service's back: still refused at once
        tx.connection.execute(update(actor).values(active=False))
    with pytest.raises(NotSignedIn, match="disabled"):
        session.current(uow, settings, made.token, T0 + timedelta(seconds=5))
    assert _stored(uow)[1] is not None
    with uow.write() as tx:
        tx.connection.execute(update(actor).values(active=True))
    again = session.sign_in(uow, session.Throttle(5, 60), "pol.analyst", PASSWORD, "x", T0)
    session.sign_out(uow, again.token, T0 + timedelta(seconds=10))
    with pytest.raises(NotSignedIn, match="has ended"):
        session.current(uow, settings, again.token, T0 + timedelta(seconds=20))
    with pytest.raises(NotSignedIn, match="sign in"):
        session.current(uow, settings, None, T0)
