"""Who is who, for reviewers: the review queue and judgements, as /api/v1 and as a page.

Each pair shown is a consultation of both records; each judgement and undo is a combination.
The page takes one keystroke per decision (y same person, n not the same, u unsure), with a
reason that starts as a plain statement of what the reviewer did and can be edited first.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from linemap.errors import InvalidInput
from linemap.services import review
from linemap.web.api import EntityOut, audited
from linemap.web.context import Signed, check_csrf, signed_in
from linemap.web.context import workspace as get_workspace
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token")]
DEFAULT_REASON = "Compared side by side in the review queue, with the explanation"
Decision = Literal["positive", "negative", "unsure"]
JudgementId = Annotated[int, PathParam(ge=1, le=2**62)]


class FactorOut(BaseModel):
    comparison: str
    description: str
    level: str
    weight: float


class ReviewItemOut(BaseModel):
    left: EntityOut
    right: EntityOut
    probability: float
    match_weight: float
    prior_weight: float | None
    involves_child: bool
    factors: list[FactorOut]
    joined_on_name: bool  # one person already, joined by this pair on the name alone


class ReviewQueueOut(BaseModel):
    run_id: int | None
    items: list[ReviewItemOut]
    waiting: int
    judged: int
    elsewhere: int


class JudgementIn(BaseModel):
    left: str = Field(max_length=300)
    right: str = Field(max_length=300)
    judgement: Decision
    reason: str = Field(min_length=1, max_length=2000)


class UndoIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class JudgementOut(BaseModel):
    id: int
    left: str
    right: str
    judgement: str
    reason: str
    actor: str
    agency: str
    made_at: str


def _entity(e: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(e), "schema": e.schema}


def _judgement(j: Any) -> dict[str, Any]:
    return {
        "id": j.id,
        "left": j.entity_l,
        "right": j.entity_r,
        "judgement": j.judgement,
        "reason": j.reason,
        "actor": j.actor,
        "agency": j.actor_agency,
        "made_at": j.made_at,
    }


@api.get("/review", response_model=ReviewQueueOut, openapi_extra=audited("consultation"))
def review_queue(request: Request, signed: Session) -> dict[str, Any]:
    """Return the next uncertain pairs you may judge (children first), each with its factors."""
    ws = get_workspace(request)
    found = review.queue(ws.uow, signed.actor, ws.clock().date())
    return {
        "run_id": found.run_id,
        "items": [
            {
                **dataclasses.asdict(item),
                "left": _entity(item.left),
                "right": _entity(item.right),
            }
            for item in found.items
        ],
        "waiting": found.waiting,
        "judged": found.judged,
        "elsewhere": found.elsewhere,
    }


@api.get("/judgements", response_model=list[JudgementOut], openapi_extra=audited("none"))
def list_judgements(request: Request, signed: Session) -> list[dict[str, Any]]:
    """Return the judgements in force made in your agency, newest first."""
    ws = get_workspace(request)
    return [_judgement(j) for j in review.judgements(ws.uow, signed.actor)]


@api.post(
    "/judgements",
    response_model=JudgementOut,
    status_code=201,
    openapi_extra=audited("combination"),
)
def add_judgement(
    request: Request, signed: Session, body: JudgementIn, csrf: Csrf = None
) -> dict[str, Any]:
    """Judge whether two mentions are the same person: it takes effect at once and holds in
    every later run."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    made = review.judge(
        ws.uow, signed.actor, body.left, body.right, body.judgement, body.reason, ws.clock().date()
    )
    return _judgement(review.get(ws.uow, signed.actor, made))


@api.post("/judgements/{judgement_id}/undo", status_code=204, openapi_extra=audited("combination"))
def undo_judgement(
    request: Request, signed: Session, judgement_id: JudgementId, body: UndoIn, csrf: Csrf = None
) -> Response:
    """Undo a judgement of your agency: people are regrouped as if it had not been made."""
    check_csrf(signed, csrf)
    ws = get_workspace(request)
    review.undo(ws.uow, signed.actor, judgement_id, body.reason)
    return Response(status_code=204)


@pages.get("/review", openapi_extra=audited("consultation"))
def review_page(request: Request, signed: Session, error: str = "") -> HTMLResponse:
    ws = get_workspace(request)
    found = review.queue(ws.uow, signed.actor, ws.clock().date(), limit=1)
    made = review.judgements(ws.uow, signed.actor)[:10]
    return render(
        request,
        "review.html",
        signed,
        queue=found,
        item=found.items[0] if found.items else None,
        judgements=made,
        reason=DEFAULT_REASON,
        error=error[:300],
    )


@pages.post("/review/judge", openapi_extra=audited("combination"))
def judge_page(
    request: Request,
    signed: Session,
    csrf_token: Annotated[str, Form()],
    left: Annotated[str, Form(max_length=300)],
    right: Annotated[str, Form(max_length=300)],
    judgement: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        review.judge(ws.uow, signed.actor, left, right, judgement, reason, ws.clock().date())
    except InvalidInput as problem:
        return review_page(request, signed, str(problem))
    return RedirectResponse("/review", 303)


@pages.post("/review/judgements/{judgement_id}/undo", openapi_extra=audited("combination"))
def undo_page(
    request: Request,
    signed: Session,
    judgement_id: JudgementId,
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    ws = get_workspace(request)
    try:
        review.undo(ws.uow, signed.actor, judgement_id, reason)
    except InvalidInput as problem:
        return review_page(request, signed, str(problem))
    return RedirectResponse("/review", 303)
