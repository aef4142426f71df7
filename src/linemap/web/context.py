"""What every request needs: the workspace, the signed-in actor and the CSRF check."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates

from linemap.errors import Forbidden
from linemap.governance.actor import Actor
from linemap.services import session
from linemap.services.session import SignedIn, Throttle
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork


@dataclass
class Workspace:
    """The application's long-lived parts, built once by create_app."""

    settings: Settings
    uow: UnitOfWork
    throttle: Throttle
    clock: Callable[[], datetime]
    templates: Jinja2Templates

    @property
    def cookie(self) -> str:
        """Return the session cookie's name (__Host- binds it to this origin over HTTPS)."""
        return "__Host-linemap" if self.settings.secure_cookies else "linemap"


@dataclass(frozen=True)
class Signed:
    """The actor behind a request and their session's CSRF token."""

    actor: Actor
    csrf_token: str


def workspace(request: Request) -> Workspace:
    """Return the workspace of the app serving this request."""
    found: Workspace = request.app.state.workspace
    return found


def signed_in(request: Request) -> Signed:
    """Return the signed-in actor, or raise NotSignedIn (401 / the sign-in page)."""
    ws = workspace(request)
    actor, csrf = session.current(ws.uow, ws.settings, request.cookies.get(ws.cookie), ws.clock())
    return Signed(actor, csrf)


def check_csrf(signed: Signed, given: str | None) -> None:
    """Refuse a state-changing request that does not carry the session's CSRF token."""
    if not given or not hmac.compare_digest(given, signed.csrf_token):
        raise Forbidden("the form has expired or did not come from this site; reload the page")


def set_session_cookie(ws: Workspace, response: Response, made: SignedIn) -> None:
    """Put the session token in an HttpOnly, SameSite=Strict cookie."""
    response.set_cookie(
        ws.cookie,
        made.token,
        httponly=True,
        samesite="strict",
        secure=ws.settings.secure_cookies,
        path="/",
    )


def clear_session_cookie(ws: Workspace, response: Response) -> None:
    """Remove the session cookie, and whatever the browser stored for the site or cached."""
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    response.delete_cookie(
        ws.cookie, path="/", secure=ws.settings.secure_cookies, httponly=True, samesite="strict"
    )
