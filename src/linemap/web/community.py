"""Community and family reports: the public form (no account) and the receiving team's triage.

The form needs no session, so it cannot carry a session's CSRF token: the browser's
Sec-Fetch-Site (or Origin) must say the form came from this site, which a page elsewhere cannot
forge. Valid submissions are limited per client and overall, in this process, like failed
sign-ins; fields are limited in size, here and again by the service, and a body declared over
MAX_REPORT_BYTES is refused (413) before it is read.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Header, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from linemap.errors import Forbidden, InvalidInput, TooManyAttempts
from linemap.model.vocabulary import LocationKind
from linemap.services import community, triage
from linemap.services.community import Submission
from linemap.services.session import Throttle
from linemap.store.community import StoredReport
from linemap.web.api import audited
from linemap.web.context import Signed, check_csrf, signed_in
from linemap.web.context import workspace as get_workspace
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token")]
Reference = Annotated[str, PathParam(min_length=3, max_length=20)]
Status = Literal["new", "accepted", "dismissed"]
Long = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=300)]
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
MAX_REPORT_BYTES = 64 * 1024  # every field at its limit, in plain English, is under 10 KiB
_LOCK = threading.Lock()


class SubmissionIn(BaseModel):
    concern: str = Field(max_length=4000)
    location: str = Field(max_length=300)
    happened: str = Field("", max_length=40)
    postcode: str = Field("", max_length=300)
    name: str = Field("", max_length=300)
    known_as: str = Field("", max_length=300)
    age: str = Field("", max_length=300)
    phone: str = Field("", max_length=300)
    vehicle: str = Field("", max_length=300)
    reporter_name: str = Field("", max_length=300)
    reporter_contact: str = Field("", max_length=300)


class ReceiptOut(BaseModel):
    reference: str


class ReportOut(BaseModel):
    reference: str
    received_at: str
    concern: str
    location: str | None
    happened: str | None
    details: dict[str, str]
    reporter: dict[str, str]
    status: str
    triaged_by: str | None
    triaged_at: str | None
    triage_reason: str | None
    record_id: int | None


class AcceptIn(BaseModel):
    source: Literal["2", "3"]
    intelligence: Literal["A", "B", "C", "D", "E"]
    place_kind: str = Field("", max_length=40)


class DismissIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class ReportRoute(APIRoute):
    """A public report route: a body declared over MAX_REPORT_BYTES is refused unread.

    The public send without an account, so what they send is bounded before any of it is read.
    FastAPI reads and parses a route's body before the route's dependencies run, so the check
    wraps the route's handler rather than being a dependency.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Return the route's handler behind the size check."""
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            _refuse_long(request)
            return await handler(request)

        return capped


def _refuse_long(request: Request) -> None:
    """Raise 413 when the request says its body is over MAX_REPORT_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_REPORT_BYTES:
        raise HTTPException(
            413,
            "the report is too long to receive; shorten it (what is happening up to 4,000"
            " characters, most other answers up to 200) and send it again. If someone is in"
            " danger now, call 999",
        )


def _public(router: APIRouter, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
    """Register a public POST route on `router` as a ReportRoute."""

    def register(endpoint: Endpoint) -> Endpoint:
        router.add_api_route(
            path, endpoint, methods=["POST"], route_class_override=ReportRoute, **options
        )
        return endpoint

    return register


class SubmissionLimit:
    """Refuse floods: a few reports per client, and a ceiling for everyone, per window."""

    def __init__(self, per_client: int = 5, overall: int = 200, window_seconds: int = 3600) -> None:
        self._client = Throttle(per_client, window_seconds)
        self._overall = Throttle(overall, window_seconds)

    def admit(self, client: str) -> None:
        """Count one report from `client`, or raise TooManyAttempts past either limit."""
        try:
            self._client.check(client)
            self._overall.check("all")
        except TooManyAttempts:
            raise TooManyAttempts(
                "too many reports have been sent from here in the last hour; try again later. "
                "If someone is in danger now, call 999"
            ) from None
        self._client.failed(client)
        self._overall.failed("all")


def _limit(request: Request) -> SubmissionLimit:
    """Return this app's submission limit, made on first use (one per process)."""
    with _LOCK:
        found: SubmissionLimit | None = getattr(request.app.state, "community_limit", None)
        if found is None:
            found = request.app.state.community_limit = SubmissionLimit()
        return found


def _check_origin(request: Request) -> None:
    """Refuse a submission a browser made from another site (CSRF without a session).

    Browsers say where a request came from in Sec-Fetch-Site; older ones only in Origin, which
    is "null" here (Referrer-Policy: no-referrer), so only a named origin is compared. A request
    with neither is not a browser's cross-site form, and the submission limit still applies.
    """
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None:
        foreign = site not in ("same-origin", "none")
    else:
        named = origin not in (None, "null")
        foreign = named and urlsplit(origin or "").netloc != request.headers.get("host")
    if foreign:
        raise Forbidden("the report did not come from this site's form; open /report and send it")


def _submit(request: Request, given: Submission, channel: str) -> str:
    _check_origin(request)
    ws = get_workspace(request)
    client = request.client.host if request.client else "unknown"
    limit = _limit(request)
    return community.submit(
        ws.uow, ws.settings, given, ws.clock(), lambda: limit.admit(client), channel
    )


def _report(r: StoredReport) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(r).items() if k not in ("id", "agency_id")}


@_public(
    api, "/reports", response_model=ReceiptOut, status_code=201, openapi_extra=audited("collection")
)
def submit_api(request: Request, body: SubmissionIn) -> dict[str, str]:
    """Send a community report (no account needed); keep the reference it returns."""
    return {"reference": _submit(request, Submission(**body.model_dump()), "api")}


@api.get("/reports", response_model=list[ReportOut], openapi_extra=audited("consultation"))
def queue_api(request: Request, signed: Session, status: Status = "new") -> list[dict[str, Any]]:
    """Return your team's community reports in one status, oldest first."""
    ws = get_workspace(request)
    found = triage.queue(ws.uow, ws.settings, signed.actor, ws.clock().date(), status)
    return [_report(r) for r in found]


@api.get("/reports/{reference}", response_model=ReportOut, openapi_extra=audited("consultation"))
def report_api(request: Request, signed: Session, reference: Reference) -> dict[str, Any]:
    """Return one community report of your team, with the reporter's details if given."""
    ws = get_workspace(request)
    return _report(triage.get(ws.uow, signed.actor, reference, ws.clock().date()))


@api.post(
    "/reports/{reference}/accept", response_model=ReportOut, openapi_extra=audited("collection")
)
def accept_api(
    request: Request, signed: Session, reference: Reference, body: AcceptIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Accept a new report: it becomes a graded record of your agency (never the reporter)."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = triage.accept(
        ws.uow,
        ws.settings,
        signed.actor,
        reference,
        body.source,
        body.intelligence,
        body.place_kind,
        ws.clock(),
    )
    return _report(made)


@api.post(
    "/reports/{reference}/dismiss", response_model=ReportOut, openapi_extra=audited("alteration")
)
def dismiss_api(
    request: Request, signed: Session, reference: Reference, body: DismissIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Dismiss a new report with a reason; no record is made of it."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    return _report(triage.dismiss(ws.uow, signed.actor, reference, body.reason, ws.clock()))


@pages.get("/report", openapi_extra=audited("none"))
def report_form(request: Request) -> HTMLResponse:
    return render(request, "report.html", None, given={}, error="")


@_public(pages, "/report", openapi_extra=audited("collection"))
def report_send(
    request: Request,
    concern: Long = "",
    location: Short = "",
    happened: Annotated[str, Form(max_length=40)] = "",
    postcode: Short = "",
    name: Short = "",
    known_as: Short = "",
    age: Short = "",
    phone: Short = "",
    vehicle: Short = "",
    reporter_name: Short = "",
    reporter_contact: Short = "",
) -> HTMLResponse:
    given = Submission(
        concern,
        location,
        happened,
        postcode,
        name,
        known_as,
        age,
        phone,
        vehicle,
        reporter_name,
        reporter_contact,
    )
    try:
        reference = _submit(request, given, "form")
    except (InvalidInput, TooManyAttempts) as problem:
        status = 429 if isinstance(problem, TooManyAttempts) else 422
        return render(request, "report.html", None, status, given=given, error=str(problem))
    return render(request, "report_received.html", None, reference=reference)


@pages.get("/reports", openapi_extra=audited("consultation"))
def queue_page(
    request: Request,
    signed: Session,
    status: Status = "new",
    done: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    ws = get_workspace(request)
    today = ws.clock().date()
    found = triage.queue(ws.uow, ws.settings, signed.actor, today, status)
    waiting = triage.waiting(ws.uow, ws.settings, signed.actor, today)
    shown = done.upper() if community.REFERENCE.match(done.upper()) else ""
    return render(
        request, "triage.html", signed, reports=found, status=status, waiting=waiting, done=shown
    )


@pages.get("/reports/{reference}", openapi_extra=audited("consultation"))
def report_page(request: Request, signed: Session, reference: Reference) -> HTMLResponse:
    return _report_view(request, signed, reference)


def _report_view(
    request: Request, signed: Signed, reference: str, error: str = "", status: int = 200
) -> HTMLResponse:
    ws = get_workspace(request)
    found = triage.get(ws.uow, signed.actor, reference, ws.clock().date())
    kinds = [k.value for k in LocationKind]
    return render(
        request, "triage_report.html", signed, status, report=found, kinds=kinds, error=error
    )


@pages.post("/reports/{reference}/accept", openapi_extra=audited("collection"))
def accept_page(
    request: Request,
    signed: Session,
    reference: Reference,
    csrf_token: Annotated[str, Form()],
    source: Annotated[str, Form(max_length=2)] = "",
    intelligence: Annotated[str, Form(max_length=2)] = "",
    place_kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        made = triage.accept(
            ws.uow,
            ws.settings,
            signed.actor,
            reference,
            source,
            intelligence,
            place_kind,
            ws.clock(),
        )
    except InvalidInput as problem:
        return _report_view(request, signed, reference, str(problem), 422)
    return RedirectResponse(f"/reports?done={made.reference}", 303)


@pages.post("/reports/{reference}/dismiss", openapi_extra=audited("alteration"))
def dismiss_page(
    request: Request,
    signed: Session,
    reference: Reference,
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        made = triage.dismiss(ws.uow, signed.actor, reference, reason, ws.clock())
    except InvalidInput as problem:
        return _report_view(request, signed, reference, str(problem), 422)
    return RedirectResponse(f"/reports?done={made.reference}", 303)
