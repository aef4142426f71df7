"""Safeguarding in the workspace: flags, cases and the coverage dashboard, as /api/v1 and pages.

Every read goes through `services.safeguarding`, under the access policy, each record behind a
flag shown logged as a consultation; every step on a case is a named person's decision, logged
as an alteration. A flagged child without a referral or a recorded decision stays on the
dashboard until one exists.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from linemap.errors import Forbidden, InvalidInput
from linemap.services import safeguarding
from linemap.services.cases import CaseView
from linemap.web.api import audited
from linemap.web.context import Signed, check_csrf, signed_in
from linemap.web.context import workspace as get_workspace
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token")]
Reference = Annotated[str, PathParam(min_length=3, max_length=24, pattern=r"^[Ff]\d+-\d+$")]


class FlagLineOut(BaseModel):
    reference: str
    person: str
    kind: str
    child: bool
    risk: str
    raised_on: str
    review_by: str
    home_authority: str | None
    status: str
    overdue: bool


class CoverageOut(BaseModel):
    run_id: int | None
    counts: dict[str, int]
    outstanding: list[FlagLineOut]
    flags: list[FlagLineOut]
    hidden: int


class StepOut(BaseModel):
    seq: int
    action: str
    source: str
    target: str
    by_name: str
    by_role: str
    on_date: str
    reason: str


class CaseOut(BaseModel):
    id: int
    workflow: str
    state: str
    steps: list[StepOut]
    actions: list[str]
    due: str | None
    overdue: bool
    kept_until: str | None


class ObservedOut(BaseModel):
    criterion: str
    label: str
    kind: str
    counts: bool
    observed_on: str
    records: list[int]
    withheld: int


class FlagOut(BaseModel):
    flag: FlagLineOut
    criteria: str
    raised_by: str
    frame: str
    observations: list[ObservedOut]
    cases: dict[str, CaseOut]
    section_45: str | None


class StepIn(BaseModel):
    workflow: str = Field(default="referral", max_length=20)
    action: str = Field(max_length=40)
    reason: str = Field(default="", max_length=2000)
    local_authority: str = Field(default="", max_length=120)
    rag: str = Field(default="", max_length=10)
    first_responder: str = Field(default="", max_length=120)
    consent: str = Field(default="", max_length=10)
    frame: str = Field(default="", max_length=10)
    requested_by: str = Field(default="", max_length=20)

    def details(self) -> dict[str, str]:
        """Return the step's details that were given."""
        given = {
            "local_authority": self.local_authority,
            "rag": self.rag,
            "first_responder": self.first_responder,
            "consent": self.consent,
            "frame": self.frame,
            "requested_by": self.requested_by,
        }
        return {k: v.strip() for k, v in given.items() if v.strip()}


def case_out(case: CaseView) -> dict[str, Any]:
    return {
        "id": case.id,
        "workflow": case.workflow,
        "state": case.state,
        "steps": [dataclasses.asdict(s) for s in case.steps],
        "actions": list(case.actions),
        "due": case.due.isoformat() if case.due else None,
        "overdue": case.overdue,
        "kept_until": case.kept_until.isoformat() if case.kept_until else None,
    }


def _flag(found: safeguarding.FlagDetail) -> dict[str, Any]:
    return {
        "flag": dataclasses.asdict(found.line),
        "criteria": found.criteria,
        "raised_by": found.raised_by,
        "frame": found.frame,
        "observations": [dataclasses.asdict(o) for o in found.observations],
        "cases": {name: case_out(case) for name, case in found.cases.items()},
        "section_45": found.section_45,
    }


@api.get(
    "/safeguarding/coverage", response_model=CoverageOut, openapi_extra=audited("consultation")
)
def coverage(request: Request, signed: Session) -> dict[str, Any]:
    """Return the coverage of the flags you may see: identified, referred, plan in place,
    decided, overdue, and every flagged person still waiting for a decision."""
    ws = get_workspace(request)
    return dataclasses.asdict(safeguarding.coverage(ws.uow, signed.actor, ws.clock().date()))


@api.get(
    "/safeguarding/flags/{reference}",
    response_model=FlagOut,
    openapi_extra=audited("consultation"),
)
def flag(request: Request, signed: Session, reference: Reference) -> dict[str, Any]:
    """Return a flag: its observations with the evidence you may read, and its cases."""
    ws = get_workspace(request)
    return _flag(safeguarding.flag_detail(ws.uow, signed.actor, reference, ws.clock().date()))


@api.post(
    "/safeguarding/flags/{reference}/steps",
    response_model=CaseOut,
    status_code=201,
    openapi_extra=audited("alteration"),
)
def take_step(
    request: Request, signed: Session, reference: Reference, body: StepIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Record your decision on a flagged person's referral or NRM case (named, dated, with a
    reason where the workflow asks for one)."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    now = ws.clock()
    case = safeguarding.take_step(
        ws.uow,
        signed.actor,
        reference,
        body.workflow,
        body.action,
        on=now.date(),
        now=now,
        reason=body.reason,
        details=body.details(),
    )
    return case_out(case)


@pages.get("/safeguarding", openapi_extra=audited("consultation"))
def dashboard(request: Request, signed: Session) -> HTMLResponse:
    ws = get_workspace(request)
    found = safeguarding.coverage(ws.uow, signed.actor, ws.clock().date())
    return render(request, "safeguarding.html", signed, coverage=found)


@pages.get("/safeguarding/flags/{reference}", openapi_extra=audited("consultation"))
def flag_page(
    request: Request, signed: Session, reference: Reference, error: str = ""
) -> HTMLResponse:
    ws = get_workspace(request)
    found = safeguarding.flag_detail(ws.uow, signed.actor, reference, ws.clock().date())
    return render(request, "flag.html", signed, found=found, error=error[:300])


@pages.post("/safeguarding/flags/{reference}/steps", openapi_extra=audited("alteration"))
def step_page(
    request: Request,
    signed: Session,
    reference: Reference,
    csrf_token: Annotated[str, Form()],
    action: Annotated[str, Form(max_length=40)],
    workflow: Annotated[str, Form(max_length=20)] = "referral",
    reason: Annotated[str, Form(max_length=2000)] = "",
    local_authority: Annotated[str, Form(max_length=120)] = "",
    rag: Annotated[str, Form(max_length=10)] = "",
    first_responder: Annotated[str, Form(max_length=120)] = "",
    consent: Annotated[str, Form(max_length=10)] = "",
    frame: Annotated[str, Form(max_length=10)] = "",
    requested_by: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    now = ws.clock()
    given = StepIn(
        workflow=workflow,
        action=action,
        reason=reason,
        local_authority=local_authority,
        rag=rag,
        first_responder=first_responder,
        consent=consent,
        frame=frame,
        requested_by=requested_by,
    )
    try:
        safeguarding.take_step(
            ws.uow,
            signed.actor,
            reference,
            workflow,
            action,
            on=now.date(),
            now=now,
            reason=reason,
            details=given.details(),
        )
    except (InvalidInput, Forbidden) as problem:
        return flag_page(request, signed, reference, str(problem))
    return RedirectResponse(f"/safeguarding/flags/{reference}", 303)
