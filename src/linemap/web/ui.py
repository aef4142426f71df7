"""Server-rendered pages (Jinja2, HTMX as enhancement): every page works without JavaScript.

Forms post normally and carry the session's CSRF token; pages that show personal data go
through the same services as the API, so the same policy and audit apply.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from linemap.errors import InvalidInput, LinemapError
from linemap.governance.policy import CASEWORK_ROLES, SHAREABLE_TLP, may_administer, may_audit
from linemap.intake.mapping import template_names
from linemap.model.vocabulary import AgencyKind, Role
from linemap.services import audit, casework, directory, review, session, sharing, workspace
from linemap.web.context import (
    Signed,
    check_csrf,
    clear_session_cookie,
    set_session_cookie,
    signed_in,
)
from linemap.web.context import workspace as get_workspace
from linemap.web.upload import saved_upload

log = logging.getLogger("linemap.web")
router = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
Csrf = Annotated[str, Form()]
Text = Annotated[str, Form(max_length=2000)]


def audited(kind: str) -> dict[str, Any]:
    """Declare what a page writes to the audit trail (see web/api.py)."""
    return {"x-linemap-audit": kind}


def render(
    request: Request, template: str, signed: Signed | None, status_code: int = 200, **values: Any
) -> HTMLResponse:
    """Render a page with the signed-in actor and what their role may reach."""
    ws = get_workspace(request)
    actor = signed.actor if signed else None
    context = {
        "actor": actor,
        "csrf": signed.csrf_token if signed else "",
        "may_audit": bool(actor and may_audit(actor, None)),
        "may_administer": bool(actor and may_administer(actor)),
        "may_review": bool(actor and actor.active and actor.role in CASEWORK_ROLES),
        "quote": lambda text: quote(text, safe=""),
        **values,
    }
    return ws.templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """Render an error page (no traceback, no data)."""
    try:
        signed: Signed | None = signed_in(request)
    except LinemapError:
        signed = None
    return render(request, "error.html", signed, status, status=status, message=message)


@router.get("/sign-in", openapi_extra=audited("none"))
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "sign_in.html", None, next=next if next.startswith("/") else "/")


@router.post("/sign-in", openapi_extra=audited("none"))
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=400)] = "/",
) -> Response:
    ws = get_workspace(request)
    client = request.client.host if request.client else "unknown"
    try:
        made = session.sign_in(ws.uow, ws.throttle, username, password, client, ws.clock())
    except LinemapError as error:
        return render(request, "sign_in.html", None, 401, error=str(error), next=next)
    response = RedirectResponse(
        next if next.startswith("/") and not next.startswith("//") else "/", 303
    )
    set_session_cookie(ws, response, made)
    return response


@router.post("/sign-out", openapi_extra=audited("none"))
def sign_out(request: Request, signed: Session, csrf_token: Csrf) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    session.sign_out(ws.uow, request.cookies.get(ws.cookie), ws.clock())
    response = RedirectResponse("/sign-in", 303)
    clear_session_cookie(ws, response)
    return response


@router.get("/", openapi_extra=audited("none"))
def dashboard(request: Request, signed: Session) -> HTMLResponse:
    ws = get_workspace(request)
    batches = workspace.recent_batches(ws.uow, signed.actor)
    waiting = review.waiting(ws.uow, signed.actor)
    return render(request, "dashboard.html", signed, batches=batches, waiting=waiting)


@router.get("/search", openapi_extra=audited("consultation"))
def search(
    request: Request,
    signed: Session,
    q: Annotated[str, Query(max_length=200)] = "",
    purpose: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    ws = get_workspace(request)
    result = error = None
    if q.strip():
        try:
            result = casework.search(ws.uow, signed.actor, q, purpose or None, ws.clock().date())
        except InvalidInput as problem:
            error = str(problem)
    return render(request, "search.html", signed, q=q, purpose=purpose, result=result, error=error)


@router.get("/people/{entity_id:path}", openapi_extra=audited("consultation"))
def person(request: Request, signed: Session, entity_id: str, purpose: str = "") -> HTMLResponse:
    ws = get_workspace(request)
    profile = casework.profile(ws.uow, signed.actor, entity_id, purpose or None, ws.clock().date())
    return render(request, "profile.html", signed, profile=profile)


@router.get("/records/{record_id}", openapi_extra=audited("consultation"))
def record(request: Request, signed: Session, record_id: int, purpose: str = "") -> HTMLResponse:
    ws = get_workspace(request)
    view = casework.record(ws.uow, signed.actor, record_id, purpose or None, ws.clock().date())
    return render(request, "record.html", signed, view=view)


@router.post("/records/{record_id}/export", openapi_extra=audited("disclosure"))
def export(
    request: Request,
    signed: Session,
    record_id: int,
    csrf_token: Csrf,
    recipient: Annotated[str, Form(max_length=200)],
    purpose: Annotated[str, Form(max_length=500)],
    lawful_basis: Annotated[str, Form(max_length=500)],
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    made = casework.export_record(
        ws.uow,
        signed.actor,
        record_id,
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        now=ws.clock(),
    )
    body = json.dumps(
        {"watermark": made.watermark, "disclosure_id": made.id, "record": asdict(made.view)},
        indent=2,
    )
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{made.id}.json"'},
    )


@router.get("/intake", openapi_extra=audited("none"))
def intake_page(request: Request, signed: Session) -> HTMLResponse:
    return render(request, "intake.html", signed, mappings=template_names(), summary=None)


@router.post("/intake", openapi_extra=audited("collection"))
async def intake(
    request: Request,
    signed: Session,
    csrf_token: Csrf,
    mapping: Annotated[str, Form(max_length=120)],
    file: UploadFile,
) -> HTMLResponse:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    summary = error = None
    try:
        async with saved_upload(file, ws.settings.upload_max_bytes) as path:
            summary = workspace.ingest_upload(
                ws.uow, ws.settings, signed.actor, path, mapping, ws.clock().date()
            )
    except InvalidInput as problem:
        error = str(problem)
    status = 422 if error else 200
    return render(
        request,
        "intake.html",
        signed,
        status,
        mappings=template_names(),
        summary=summary,
        error=error,
        chosen=mapping,
    )


@router.get("/audit", openapi_extra=audited("consultation"))
def audit_page(
    request: Request,
    signed: Session,
    actor: Annotated[str, Query(max_length=120)] = "",
    record: Annotated[str, Query(max_length=60)] = "",
    operation: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    ws = get_workspace(request)
    events = audit.search_trail(
        ws.uow,
        signed.actor,
        actor=actor or None,
        record=record or None,
        operation=operation or None,
    )
    return render(
        request,
        "audit.html",
        signed,
        events=events,
        filters={"actor": actor, "record": record, "operation": operation},
    )


@router.get("/admin", openapi_extra=audited("none"))
def admin(request: Request, signed: Session, message: str = "") -> HTMLResponse:
    directory.require_administrator(signed.actor)
    ws = get_workspace(request)
    return render(
        request,
        "admin.html",
        signed,
        agencies=directory.list_agencies(ws.uow),
        users=directory.list_users(ws.uow),
        isas=sharing.list_isas(ws.uow, signed.actor),
        today=ws.clock().date(),
        mappings=template_names(),
        message=message,
        kinds=[k.value for k in AgencyKind],
        roles=[r.value for r in Role],
        tlps=[t.value for t in SHAREABLE_TLP],
    )


def _done(message: str) -> RedirectResponse:
    return RedirectResponse(f"/admin?message={quote(message)}", 303)


@router.post("/admin/agencies", openapi_extra=audited("collection"))
def add_agency(
    request: Request,
    signed: Session,
    csrf_token: Csrf,
    code: Annotated[str, Form(max_length=32)],
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form(max_length=40)],
    area: Annotated[str, Form(max_length=120)] = "",
    contact: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    directory.require_administrator(signed.actor)
    made = directory.add_agency(
        get_workspace(request).uow,
        signed.actor.username,
        code,
        name,
        kind,
        area or None,
        contact or None,
    )
    return _done(f"agency {made.code} added")


@router.post("/admin/users", openapi_extra=audited("collection"))
def add_user(
    request: Request,
    signed: Session,
    csrf_token: Csrf,
    username: Annotated[str, Form(max_length=64)],
    agency: Annotated[str, Form(max_length=32)],
    role: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=256)],
) -> Response:
    check_csrf(signed, csrf_token)
    directory.require_administrator(signed.actor)
    made = directory.add_user(
        get_workspace(request).uow, signed.actor.username, username, agency, role, password
    )
    return _done(f"user {made.username} added")


@router.post("/admin/users/{username}/active", openapi_extra=audited("alteration"))
def set_active(
    request: Request,
    signed: Session,
    username: str,
    csrf_token: Csrf,
    active: Annotated[bool, Form()],
) -> Response:
    check_csrf(signed, csrf_token)
    changed = directory.set_active(get_workspace(request).uow, signed.actor, username, active)
    return _done(f"user {changed.username} {'enabled' if active else 'disabled'}")


@router.post("/admin/isas", openapi_extra=audited("collection"))
def add_isa(
    request: Request,
    signed: Session,
    csrf_token: Csrf,
    code: Annotated[str, Form(max_length=40)],
    purpose: Text,
    lawful_basis: Text,
    parties: Annotated[list[str], Form()],
    roles: Annotated[list[str], Form()],
    record_kinds: Annotated[list[str], Form()],
    start: Annotated[date, Form()],
    end: Annotated[date, Form()],
    max_tlp: Annotated[str, Form(max_length=16)] = "amber",
) -> Response:
    check_csrf(signed, csrf_token)
    made = sharing.add_isa(
        get_workspace(request).uow,
        signed.actor,
        code=code,
        purpose=purpose,
        lawful_basis=lawful_basis,
        parties=parties,
        roles=roles,
        record_kinds=record_kinds,
        start=start,
        end=end,
        max_tlp=max_tlp,
    )
    return _done(f"agreement {made.code} recorded")


@router.post("/admin/isas/{code}/end", openapi_extra=audited("alteration"))
def end_isa(request: Request, signed: Session, code: str, csrf_token: Csrf) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    sharing.end_isa(ws.uow, signed.actor, code, ws.clock().date())
    return _done(f"agreement {code.upper()} ended today")
