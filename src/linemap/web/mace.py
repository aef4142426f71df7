"""MACE in the workspace: meetings, VOLT packs redacted per attendee and actions.

Every read goes through `services.mace_pack`, under the access policy: the meeting page shows
the agenda as the reader's agency may read it (a consultation per record), a pack is a
disclosure per record; the chair's minutes, decisions and actions are alterations
(`services.mace`).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.responses import Response

from linemap.errors import InvalidInput
from linemap.services import directory, mace, mace_pack
from linemap.services.mace_agenda import SECTIONS
from linemap.web.api import Csrf, Session, audited
from linemap.web.context import check_csrf
from linemap.web.context import workspace as get_workspace
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
MeetingId = Annotated[int, PathParam(ge=1, le=2**62)]
ActionId = Annotated[int, PathParam(ge=1, le=2**62)]
Code = Annotated[str, Field(min_length=1, max_length=32)]


class MeetingIn(BaseModel):
    area: str = Field(min_length=1, max_length=120)
    held_on: date
    attendees: list[Code] = Field(min_length=1, max_length=40, description="Agency codes")


class MeetingOut(BaseModel):
    id: int
    area: str
    held_on: str
    chair: str
    agency: str
    attendees: list[str]
    snapshot: int | None
    minutes: str | None
    decisions: list[dict[str, str]]


class RecordOut(BaseModel):
    id: int
    agency: str
    kind: str
    grading: str | None
    handling: str | None
    summaries: list[str]
    conditions: list[str]


class ItemOut(BaseModel):
    section: str
    subject: str
    label: str
    facts: dict[str, Any]
    reasons: list[str]
    records: list[RecordOut]
    held_elsewhere: int


class PackOut(BaseModel):
    meeting: MeetingOut
    agency: str
    sections: dict[str, list[ItemOut]]
    withheld: int
    disclosure: str | None
    watermark: str | None


class ActionOut(BaseModel):
    id: int
    description: str
    owner_agency: str
    owner: str
    due: str
    done_on: str | None
    days_overdue: int
    escalation: str | None


class MeetingViewOut(BaseModel):
    agenda: PackOut
    actions: list[ActionOut]
    chair: bool


class MinutesIn(BaseModel):
    minutes: str | None = Field(default=None, max_length=20000)
    decision: str | None = Field(default=None, max_length=2000)


class ActionIn(BaseModel):
    description: str = Field(min_length=1, max_length=2000, description="People by id only")
    owner_agency: Code
    owner: str = Field(min_length=1, max_length=120)
    due: date


class PackIn(BaseModel):
    agency: Code
    lawful_basis: str = Field(min_length=1, max_length=500)
    purpose: str = Field(default="", max_length=500)


@api.get("/mace/meetings", response_model=list[MeetingOut], openapi_extra=audited("none"))
def meetings_api(request: Request, signed: Session) -> list[dict[str, Any]]:
    """Return the MACE meetings your agency attends, the latest first."""
    ws = get_workspace(request)
    return [dataclasses.asdict(m) for m in mace.meetings(ws.uow, signed.actor, ws.clock().date())]


@api.post(
    "/mace/meetings",
    status_code=201,
    response_model=dict[str, int],
    openapi_extra=audited("combination"),
)
def create_api(
    request: Request, signed: Session, body: MeetingIn, csrf: Csrf = None
) -> dict[str, int]:
    """Create a meeting (MACE chairs): its VOLT agenda is generated from the latest map."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = mace.create_meeting(
        ws.uow, signed.actor, body.area, body.held_on, body.attendees, ws.clock()
    )
    return {"id": made}


@api.get(
    "/mace/meetings/{meeting_id}",
    response_model=MeetingViewOut,
    openapi_extra=audited("consultation"),
)
def meeting_api(request: Request, signed: Session, meeting_id: MeetingId) -> dict[str, Any]:
    """Return a meeting: its agenda as your agency may read it, minutes, decisions, actions."""
    ws = get_workspace(request)
    found = mace_pack.meeting(ws.uow, signed.actor, meeting_id, ws.clock().date())
    return {
        "agenda": dataclasses.asdict(found.pack),
        "actions": [dataclasses.asdict(a) for a in found.actions],
        "chair": found.chair,
    }


@api.post(
    "/mace/meetings/{meeting_id}/minutes", status_code=204, openapi_extra=audited("alteration")
)
def minutes_api(
    request: Request, signed: Session, meeting_id: MeetingId, body: MinutesIn, csrf: Csrf = None
) -> Response:
    """Record the minutes (replacing the last version) and add a decision (the chair)."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    mace.record_minutes(ws.uow, signed.actor, meeting_id, body.minutes, body.decision, ws.clock())
    return Response(status_code=204)


@api.post(
    "/mace/meetings/{meeting_id}/actions",
    status_code=201,
    response_model=dict[str, int],
    openapi_extra=audited("alteration"),
)
def action_api(
    request: Request, signed: Session, meeting_id: MeetingId, body: ActionIn, csrf: Csrf = None
) -> dict[str, int]:
    """Agree an action (the chair): an attending owner agency, a named owner, a due date."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = mace.add_action(
        ws.uow,
        signed.actor,
        meeting_id,
        body.description,
        body.owner_agency,
        body.owner,
        body.due,
        ws.clock(),
    )
    return {"id": made}


@api.post(
    "/mace/meetings/{meeting_id}/actions/{action_id}/done",
    status_code=204,
    openapi_extra=audited("alteration"),
)
def done_api(
    request: Request,
    signed: Session,
    meeting_id: MeetingId,
    action_id: ActionId,
    csrf: Csrf = None,
) -> Response:
    """Mark an action done (the chair, or someone of the owner agency)."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    mace.complete_action(ws.uow, signed.actor, meeting_id, action_id, ws.clock().date())
    return Response(status_code=204)


@api.post(
    "/mace/meetings/{meeting_id}/packs",
    response_model=PackOut,
    openapi_extra=audited("disclosure"),
)
def pack_api(
    request: Request, signed: Session, meeting_id: MeetingId, body: PackIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Give an attending agency its pack (the chair): what it may receive of the agenda, a
    disclosure of every record behind it, watermarked with the disclosure id."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = mace_pack.give_pack(
        ws.uow,
        signed.actor,
        meeting_id,
        body.agency,
        lawful_basis=body.lawful_basis,
        purpose=body.purpose,
        now=ws.clock(),
    )
    return dataclasses.asdict(made)


@pages.get("/mace", openapi_extra=audited("none"))
def meetings_page(request: Request, signed: Session, error: str = "") -> HTMLResponse:
    ws = get_workspace(request)
    found = mace.meetings(ws.uow, signed.actor, ws.clock().date())
    return render(
        request,
        "mace.html",
        signed,
        meetings=found,
        agencies=directory.list_agencies(ws.uow),
        today=ws.clock().date().isoformat(),
        error=error[:300],
    )


@pages.post("/mace", openapi_extra=audited("combination"))
def create_page(
    request: Request,
    signed: Session,
    csrf_token: Annotated[str, Form()],
    area: Annotated[str, Form(max_length=120)] = "",
    held_on: Annotated[str, Form(max_length=10)] = "",
    attendees: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        day = _day(held_on)
        made = mace.create_meeting(ws.uow, signed.actor, area, day, attendees or [], ws.clock())
    except InvalidInput as problem:
        return meetings_page(request, signed, str(problem))
    return RedirectResponse(f"/mace/{made}", 303)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("give the date as YYYY-MM-DD") from None


@pages.get("/mace/{meeting_id}", openapi_extra=audited("consultation"))
def meeting_page(
    request: Request, signed: Session, meeting_id: MeetingId, error: str = ""
) -> HTMLResponse:
    ws = get_workspace(request)
    found = mace_pack.meeting(ws.uow, signed.actor, meeting_id, ws.clock().date())
    return render(
        request,
        "mace_meeting.html",
        signed,
        view=found,
        pack=found.pack,
        sections=SECTIONS,
        error=error[:300],
    )


@pages.post("/mace/{meeting_id}/minutes", openapi_extra=audited("alteration"))
def minutes_page(
    request: Request,
    signed: Session,
    meeting_id: MeetingId,
    csrf_token: Annotated[str, Form()],
    minutes: Annotated[str | None, Form(max_length=20000)] = None,
    decision: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        mace.record_minutes(ws.uow, signed.actor, meeting_id, minutes, decision, ws.clock())
    except InvalidInput as problem:
        return meeting_page(request, signed, meeting_id, str(problem))
    return RedirectResponse(f"/mace/{meeting_id}", 303)


@pages.post("/mace/{meeting_id}/actions", openapi_extra=audited("alteration"))
def action_page(
    request: Request,
    signed: Session,
    meeting_id: MeetingId,
    csrf_token: Annotated[str, Form()],
    description: Annotated[str, Form(max_length=2000)] = "",
    owner_agency: Annotated[str, Form(max_length=32)] = "",
    owner: Annotated[str, Form(max_length=120)] = "",
    due: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        mace.add_action(
            ws.uow,
            signed.actor,
            meeting_id,
            description,
            owner_agency,
            owner,
            _day(due),
            ws.clock(),
        )
    except InvalidInput as problem:
        return meeting_page(request, signed, meeting_id, str(problem))
    return RedirectResponse(f"/mace/{meeting_id}", 303)


@pages.post("/mace/{meeting_id}/actions/{action_id}/done", openapi_extra=audited("alteration"))
def done_page(
    request: Request,
    signed: Session,
    meeting_id: MeetingId,
    action_id: ActionId,
    csrf_token: Annotated[str, Form()],
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        mace.complete_action(ws.uow, signed.actor, meeting_id, action_id, ws.clock().date())
    except InvalidInput as problem:
        return meeting_page(request, signed, meeting_id, str(problem))
    return RedirectResponse(f"/mace/{meeting_id}", 303)


@pages.post("/mace/{meeting_id}/pack", openapi_extra=audited("disclosure"))
def pack_page(
    request: Request,
    signed: Session,
    meeting_id: MeetingId,
    csrf_token: Annotated[str, Form()],
    agency: Annotated[str, Form(max_length=32)] = "",
    lawful_basis: Annotated[str, Form(max_length=500)] = "",
    purpose: Annotated[str, Form(max_length=500)] = "",
    output: Annotated[Literal["page", "file"], Form()] = "page",
) -> Response:
    """Give an attending agency its pack, shown as a page or downloaded as a file."""
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        made = mace_pack.give_pack(
            ws.uow,
            signed.actor,
            meeting_id,
            agency,
            lawful_basis=lawful_basis,
            purpose=purpose,
            now=ws.clock(),
        )
    except InvalidInput as problem:
        return meeting_page(request, signed, meeting_id, str(problem))
    if output == "page":
        return render(request, "mace_pack.html", signed, pack=made, sections=SECTIONS)
    content = ws.templates.get_template("mace_pack_file.html").render(pack=made, sections=SECTIONS)
    name = f"linemap-{made.disclosure}-mace-{meeting_id}-{made.agency}.html"
    return Response(
        content,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Linemap-Disclosure": made.disclosure or "",
        },
    )
