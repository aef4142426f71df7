"""The web workspace and /api/v1: `create_app(settings)` builds everything, nothing at import.

Pages (web/ui.py) and the JSON API (web/api.py) call the same services, so the access policy
and the audit trail are the same whichever door a request comes through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from linemap import bootstrap
from linemap.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    LinemapError,
    NotFound,
    NotSignedIn,
    TooManyAttempts,
)
from linemap.services.session import Throttle
from linemap.settings import Settings
from linemap.web import (
    api,
    chart,
    community,
    disruption,
    equality,
    mace,
    review,
    safeguarding,
    ui,
)
from linemap.web.context import Workspace

HERE = Path(__file__).parent
STATUS: list[tuple[type[LinemapError], int, str]] = [
    (NotSignedIn, 401, "not_signed_in"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (AlreadyExists, 409, "already_exists"),
    (TooManyAttempts, 429, "too_many_attempts"),
    (InvalidInput, 422, "invalid_input"),
]
# R33: no caching of anything that may hold personal data; the usual hardening headers.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
}


def error_body(status: int, code: str, message: str) -> dict[str, object]:
    """Return the one error shape of the API."""
    return {"error": {"status": status, "code": code, "message": message}}


def _status(error: LinemapError) -> tuple[int, str]:
    for kind, status, code in STATUS:
        if isinstance(error, kind):
            return status, code
    return 400, "error"


def route_table(routes: list[BaseRoute]) -> list[APIRoute]:
    """Return every API route of an app, through included routers (FastAPI nests them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif (inner := getattr(route, "original_router", None)) is not None:
            found.extend(route_table(inner.routes))
    return found


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """Build the workspace on the configured database."""
    app = FastAPI(
        title="linemap",
        version="1",
        description="Multi-agency County Lines mapping and safeguarding: the workspace API.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    app.state.workspace = Workspace(
        settings,
        bootstrap.unit_of_work(settings),
        Throttle(settings.sign_in_limit, settings.sign_in_window_seconds),
        clock or (lambda: datetime.now(UTC)),
        templates,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(review.api)
    app.include_router(chart.api)
    app.include_router(safeguarding.api)
    app.include_router(disruption.api)
    app.include_router(mace.api)
    app.include_router(community.api)
    app.include_router(equality.api)
    app.include_router(ui.router)
    app.include_router(review.pages)
    app.include_router(chart.pages)
    app.include_router(safeguarding.pages)
    app.include_router(disruption.pages)
    app.include_router(mace.pages)
    app.include_router(community.pages)
    app.include_router(equality.pages)

    @app.middleware("http")
    async def _headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.url.path.startswith("/static/vendor/"):  # libraries and the base map: no data
            response.headers["Cache-Control"] = "private, max-age=86400"
        return response

    @app.exception_handler(LinemapError)
    async def _linemap_error(request: Request, error: LinemapError) -> Response:
        status, code = _status(error)
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body(status, code, str(error)), status)
        if status == 401:
            return RedirectResponse(f"/sign-in?next={request.url.path}", 303)
        return ui.error_page(request, status, str(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        # Say which parameter is wrong, never echo what was sent (it may be personal data).
        places = sorted({".".join(str(p) for p in e.get("loc", ())) for e in error.errors()})
        message = f"check these parameters: {', '.join(places)}"
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body(422, "invalid_input", message), 422)
        return ui.error_page(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        message = "there is no such page" if error.status_code == 404 else str(error.detail)
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body(error.status_code, "http", message), error.status_code)
        return ui.error_page(request, error.status_code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        # R32: fail closed with a generic message; the details go to the server log only.
        ui.log.exception("unexpected error on %s", request.url.path)
        message = "something went wrong on the server; try again or tell your administrator"
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body(500, "server_error", message), 500)
        return ui.error_page(request, 500, message)

    return app
