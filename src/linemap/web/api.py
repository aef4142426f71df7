"""/api/v1: JSON on the same services and policy as the pages.

Authentication is the session cookie (POST /api/v1/session); every state-changing call carries
the session's CSRF token in the X-CSRF-Token header. Errors have one shape:
{"error": {"status", "code", "message"}}: 401 without a session, 403 where the caller may know
the thing exists, 404 where they may not. Each route declares in `x-linemap-audit` what it
writes to the audit trail; a test walks the route table to hold every route to it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from linemap.intake.mapping import template_names
from linemap.services import audit, casework, directory, session, sharing, workspace
from linemap.services.view import Entity, RecordView
from linemap.web.context import (
    Signed,
    check_csrf,
    clear_session_cookie,
    set_session_cookie,
    signed_in,
)
from linemap.web.context import workspace as get_workspace
from linemap.web.upload import saved_upload

router = APIRouter(prefix="/api/v1", tags=["api"])
Session = Annotated[Signed, Depends(signed_in)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token")]
Purpose = Annotated[str | None, Query(max_length=200, description="Why you are looking")]


def audited(kind: str) -> dict[str, Any]:
    """Declare what a route writes to the audit trail (none, consultation, collection...)."""
    return {"x-linemap-audit": kind}


class Credentials(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


class Me(BaseModel):
    username: str
    agency: str
    role: str
    csrf_token: str | None = None


class ShownOut(BaseModel):
    prop: str
    label: str
    value: str
    as_recorded: str
    agency: str
    recorded_at: str | None
    grading: str | None
    handling: str
    conditions: str | None
    tlp: str
    category: str | None
    basis: str
    review_by: str | None


class EntityOut(BaseModel):
    id: str
    schema_name: str = Field(alias="schema")
    label: str
    record_id: int
    agency: str
    properties: dict[str, list[ShownOut]]


class DiscoveryOut(BaseModel):
    agency: str
    name: str
    contact: str | None
    records: int


class SearchOut(BaseModel):
    hits: list[EntityOut]
    discoveries: list[DiscoveryOut]
    truncated: bool


class ChronologyOut(BaseModel):
    day: str | None
    event: EntityOut


class LinkOut(BaseModel):
    relationship: str
    entity: EntityOut


class ProfileOut(BaseModel):
    person: EntityOut
    linked: list[LinkOut]
    chronology: list[ChronologyOut]
    conditions: list[str]
    isa: str | None
    withheld: int
    records: list[int]
    discoveries: list[DiscoveryOut]
    tlp: str


class RecordOut(BaseModel):
    record_id: int
    agency: str
    source_ref: str
    version: int
    kind: str
    recorded_at: str | None
    entities: list[EntityOut]
    conditions: list[str]
    isa: str | None
    withheld: int


class ProblemOut(BaseModel):
    row: int
    column: str
    reason: str


class IntakeOut(BaseModel):
    batch_id: int | None
    accepted: int
    rejected: int
    unchanged: int
    superseded: int
    problems: list[ProblemOut]


class AuditEventOut(BaseModel):
    seq: int
    occurred_at: str
    operation: str
    actor: str
    actor_agency: str | None
    actor_role: str | None
    record_ids: list[str]
    outcome: str
    justification: str | None
    detail: dict[str, Any]


class AgencyOut(BaseModel):
    code: str
    name: str
    kind: str
    area: str | None
    contact: str | None


class IsaIn(BaseModel):
    code: str = Field(max_length=40)
    purpose: str = Field(max_length=2000)
    lawful_basis: str = Field(max_length=500)
    parties: list[str] = Field(max_length=50)
    roles: list[str] = Field(max_length=10)
    record_kinds: list[str] = Field(max_length=100)
    start: date
    end: date
    max_tlp: str = "amber"


class IsaOut(BaseModel):
    code: str
    purpose: str
    lawful_basis: str
    parties: list[str]
    roles: list[str]
    record_kinds: list[str]
    start: date
    end: date
    max_tlp: str


def _entity(e: Entity) -> dict[str, Any]:
    return {**dataclasses.asdict(e), "schema": e.schema}


@router.post("/session", response_model=Me, openapi_extra=audited("none"))
def sign_in(credentials: Credentials, request: Request, response: Response) -> Me:
    """Sign in; the session cookie is set and the CSRF token returned."""
    ws = get_workspace(request)
    client = request.client.host if request.client else "unknown"
    made = session.sign_in(
        ws.uow, ws.throttle, credentials.username, credentials.password, client, ws.clock()
    )
    set_session_cookie(ws, response, made)
    a = made.actor
    return Me(
        username=a.username, agency=a.agency_code, role=a.role.value, csrf_token=made.csrf_token
    )


@router.delete("/session", status_code=204, openapi_extra=audited("none"))
def sign_out(request: Request, signed: Session, csrf: Csrf = None) -> Response:
    """Sign out: the session ends on the server."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    session.sign_out(ws.uow, request.cookies.get(ws.cookie), ws.clock())
    response = Response(status_code=204)
    clear_session_cookie(ws, response)
    return response


@router.get("/me", response_model=Me, openapi_extra=audited("none"))
def me(signed: Session) -> Me:
    """Return who is signed in, and the CSRF token for state-changing calls."""
    a = signed.actor
    return Me(
        username=a.username, agency=a.agency_code, role=a.role.value, csrf_token=signed.csrf_token
    )


@router.get("/search", response_model=SearchOut, openapi_extra=audited("consultation"))
def search(
    request: Request,
    signed: Session,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    purpose: Purpose = None,
) -> dict[str, Any]:
    """Search people, phones and addresses; what you may not open is named by agency only."""
    ws = get_workspace(request)
    found = casework.search(ws.uow, signed.actor, q, purpose, ws.clock().date())
    return {
        "hits": [_entity(h) for h in found.hits],
        "discoveries": [dataclasses.asdict(d) for d in found.discoveries],
        "truncated": found.truncated,
    }


@router.get(
    "/people/{entity_id:path}", response_model=ProfileOut, openapi_extra=audited("consultation")
)
def person(
    request: Request, signed: Session, entity_id: str, purpose: Purpose = None
) -> dict[str, Any]:
    """Return a person's profile across the records identity resolution joined, as far as you
    may read each: statements by property, links, the chronology from every agency in view, and
    which agencies hold more (discovery without disclosure)."""
    ws = get_workspace(request)
    p = casework.profile(ws.uow, signed.actor, entity_id, purpose, ws.clock().date())
    return {
        "person": _entity(p.person),
        "linked": [{"relationship": label, "entity": _entity(e)} for label, e in p.linked],
        "chronology": [{"day": c.day, "event": _entity(c.event)} for c in p.chronology],
        "conditions": list(p.conditions),
        "isa": p.isa,
        "withheld": p.withheld,
        "records": list(p.records),
        "discoveries": [dataclasses.asdict(d) for d in p.discoveries],
        "tlp": p.tlp,
    }


@router.get("/records/{record_id}", response_model=RecordOut, openapi_extra=audited("consultation"))
def record(
    request: Request,
    signed: Session,
    record_id: Annotated[int, PathParam(ge=1, le=2**62)],
    purpose: Purpose = None,
) -> dict[str, Any]:
    """Return one source record version."""
    ws = get_workspace(request)
    return _record(casework.record(ws.uow, signed.actor, record_id, purpose, ws.clock().date()))


def _record(r: RecordView) -> dict[str, Any]:
    return {
        **{k: getattr(r, k) for k in ("record_id", "agency", "source_ref", "version", "kind")},
        "recorded_at": r.recorded_at,
        "entities": [_entity(e) for e in r.entities],
        "conditions": list(r.conditions),
        "isa": r.isa,
        "withheld": r.withheld,
    }


class DisclosureIn(BaseModel):
    recipient: str = Field(min_length=1, max_length=200, description="Agency and person or role")
    purpose: str = Field(min_length=1, max_length=500)
    lawful_basis: str = Field(min_length=1, max_length=500)


class DisclosureOut(BaseModel):
    disclosure_id: str
    watermark: str
    record: RecordOut


@router.post(
    "/records/{record_id}/disclosures",
    response_model=DisclosureOut,
    status_code=201,
    openapi_extra=audited("disclosure"),
)
def disclose(
    request: Request,
    signed: Session,
    record_id: Annotated[int, PathParam(ge=1, le=2**62)],
    body: DisclosureIn,
    csrf: Csrf = None,
) -> dict[str, Any]:
    """Export a record to a named recipient: logged as a disclosure and watermarked (R15)."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = casework.export_record(
        ws.uow, signed.actor, record_id, now=ws.clock(), **body.model_dump()
    )
    return {"disclosure_id": made.id, "watermark": made.watermark, "record": _record(made.view)}


@router.get("/mappings", response_model=list[str], openapi_extra=audited("none"))
def mappings(signed: Session) -> list[str]:
    """Return the mapping templates an upload can use."""
    return template_names()


@router.post("/intake", response_model=IntakeOut, openapi_extra=audited("collection"))
async def intake(
    request: Request,
    signed: Session,
    mapping: Annotated[str, Query(max_length=120)],
    file: UploadFile,
    csrf: Csrf = None,
) -> dict[str, Any]:
    """Ingest an export for your own agency; bad rows come back with their reasons."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    async with saved_upload(file, ws.settings.upload_max_bytes) as path:
        summary = workspace.ingest_upload(
            ws.uow, ws.settings, signed.actor, path, mapping, ws.clock().date()
        )
    return {
        "batch_id": summary.batch_id,
        **summary.counts(),
        "problems": [{"row": r, "column": c, "reason": why} for r, c, why in summary.problems],
    }


@router.get("/audit", response_model=list[AuditEventOut], openapi_extra=audited("consultation"))
def audit_search(
    request: Request,
    signed: Session,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    record: Annotated[str | None, Query(max_length=60)] = None,
    operation: Annotated[str | None, Query(max_length=20)] = None,
    purpose: Purpose = None,
) -> list[dict[str, Any]]:
    """Search the audit trail (auditors only; never your own activity)."""
    ws = get_workspace(request)
    events = audit.search_trail(
        ws.uow, signed.actor, actor=actor, record=record, operation=operation, purpose=purpose
    )
    return [
        {
            "seq": c.seq,
            **{
                k: getattr(c.event, k)
                for k in (
                    "occurred_at",
                    "actor",
                    "actor_agency",
                    "actor_role",
                    "outcome",
                    "justification",
                )
            },
            "operation": c.event.operation.value,
            "record_ids": list(c.event.record_ids),
            "detail": dict(c.event.detail),
        }
        for c in events
    ]


@router.get("/agencies", response_model=list[AgencyOut], openapi_extra=audited("none"))
def agencies(request: Request, signed: Session) -> list[dict[str, Any]]:
    """Return the partner agencies."""
    return [
        {"code": a.code, "name": a.name, "kind": a.kind.value, "area": a.area, "contact": a.contact}
        for a in directory.list_agencies(get_workspace(request).uow)
    ]


def _isa(i: Any) -> dict[str, Any]:
    return {
        "code": i.code,
        "purpose": i.purpose,
        "lawful_basis": i.lawful_basis,
        "parties": sorted(i.parties),
        "roles": sorted(r.value for r in i.roles),
        "record_kinds": sorted(i.record_kinds),
        "start": i.start,
        "end": i.end,
        "max_tlp": i.max_tlp.value,
    }


@router.get("/isas", response_model=list[IsaOut], openapi_extra=audited("none"))
def isas(request: Request, signed: Session) -> list[dict[str, Any]]:
    """Return the information sharing agreements, in force or not."""
    return [_isa(i) for i in sharing.list_isas(get_workspace(request).uow, signed.actor)]


@router.post("/isas", response_model=IsaOut, status_code=201, openapi_extra=audited("collection"))
def add_isa(request: Request, signed: Session, body: IsaIn, csrf: Csrf = None) -> dict[str, Any]:
    """Record a new agreement (administrators only)."""
    check_csrf(signed, csrf)
    made = sharing.add_isa(get_workspace(request).uow, signed.actor, **body.model_dump())
    return _isa(made)
