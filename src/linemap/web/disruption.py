"""Disruption of organisers and lines in the workspace: the register of tactics with their legal
tests, and the applications of the reader's agency, as /api/v1 and a page. Every step is a named
person's decision, audited as an alteration; a proposal states its safeguarding impact and
another person approves it."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.safeguard import disruption as register
from linemap.services import disruption
from linemap.web.api import audited
from linemap.web.context import Signed, check_csrf, signed_in
from linemap.web.context import workspace as get_workspace
from linemap.web.safeguarding import CaseOut, case_out
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token")]


class TacticOut(BaseModel):
    id: str
    name: str
    law: str
    who_applies: str
    test: str
    targets: str
    caveat: str


class ApplicationOut(BaseModel):
    case: CaseOut
    tactic: TacticOut
    line: str
    people: list[str]
    safeguarding_impact: str


class ProposalIn(BaseModel):
    tactic: str = Field(max_length=40)
    line: str = Field(default="", max_length=40)
    people: list[str] = Field(default_factory=list, max_length=50)
    safeguarding_impact: str = Field(max_length=4000)


class DisruptionStepIn(BaseModel):
    action: str = Field(max_length=40)
    reason: str = Field(default="", max_length=2000)


CaseId = Annotated[int, PathParam(ge=1, le=2**62)]


def _application(found: disruption.Application) -> dict[str, Any]:
    return {
        "case": case_out(found.case),
        "tactic": dataclasses.asdict(found.tactic),
        "line": found.line,
        "people": found.people,
        "safeguarding_impact": found.safeguarding_impact,
    }


@api.get("/safeguarding/tactics", response_model=list[TacticOut], openapi_extra=audited("none"))
def tactics(signed: Session) -> list[dict[str, Any]]:
    """Return the register of disruption tactics with their laws and legal tests."""
    return [dataclasses.asdict(t) for t in register.TACTICS]


@api.get(
    "/safeguarding/disruptions",
    response_model=list[ApplicationOut],
    openapi_extra=audited("none"),
)
def disruptions(request: Request, signed: Session) -> list[dict[str, Any]]:
    """Return the disruption applications your agency holds, newest first."""
    ws = get_workspace(request)
    return [
        _application(a) for a in disruption.applications(ws.uow, signed.actor, ws.clock().date())
    ]


@api.post(
    "/safeguarding/disruptions",
    response_model=ApplicationOut,
    status_code=201,
    openapi_extra=audited("alteration"),
)
def propose(
    request: Request, signed: Session, body: ProposalIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Propose a tactic against a line and/or people (by id), stating its safeguarding impact."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = disruption.propose(
        ws.uow,
        signed.actor,
        body.tactic,
        line=body.line,
        people=body.people,
        safeguarding_impact=body.safeguarding_impact,
        now=ws.clock(),
    )
    return _application(made)


@api.post(
    "/safeguarding/disruptions/{case_id}/steps",
    response_model=ApplicationOut,
    openapi_extra=audited("alteration"),
)
def disruption_step(
    request: Request, signed: Session, case_id: CaseId, body: DisruptionStepIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Approve (another person than the proposer), apply, grant, refuse, end or withdraw."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    taken = disruption.step(
        ws.uow, signed.actor, case_id, body.action, reason=body.reason, now=ws.clock()
    )
    return _application(taken)


@pages.get("/safeguarding/disruption", openapi_extra=audited("none"))
def disruption_page(request: Request, signed: Session, error: str = "") -> HTMLResponse:
    ws = get_workspace(request)
    held = disruption.applications(ws.uow, signed.actor, ws.clock().date())
    return render(
        request,
        "disruption.html",
        signed,
        tactics=register.TACTICS,
        applications=held,
        error=error[:300],
    )


@pages.post("/safeguarding/disruption", openapi_extra=audited("alteration"))
def propose_page(
    request: Request,
    signed: Session,
    csrf_token: Annotated[str, Form()],
    tactic: Annotated[str, Form(max_length=40)],
    safeguarding_impact: Annotated[str, Form(max_length=4000)] = "",
    line: Annotated[str, Form(max_length=40)] = "",
    people: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        disruption.propose(
            ws.uow,
            signed.actor,
            tactic,
            line=line,
            people=[p for p in people.replace(",", " ").split() if p],
            safeguarding_impact=safeguarding_impact,
            now=ws.clock(),
        )
    except (InvalidInput, NotFound) as problem:
        return disruption_page(request, signed, str(problem))
    return RedirectResponse("/safeguarding/disruption", 303)


@pages.post("/safeguarding/disruption/{case_id}/steps", openapi_extra=audited("alteration"))
def disruption_step_page(
    request: Request,
    signed: Session,
    case_id: CaseId,
    csrf_token: Annotated[str, Form()],
    action: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        disruption.step(ws.uow, signed.actor, case_id, action, reason=reason, now=ws.clock())
    except (InvalidInput, Forbidden) as problem:
        return disruption_page(request, signed, str(problem))
    return RedirectResponse("/safeguarding/disruption", 303)
