"""Equality monitoring in the workspace: flags and roles by ethnicity, age and sex against the
configured baseline, as /api/v1 and a page. Aggregates only, small numbers withheld; each view
is logged (`services.equality`)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from linemap.services import equality
from linemap.web.api import audited
from linemap.web.context import Signed, signed_in
from linemap.web.context import workspace as get_workspace
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
Purpose = Annotated[str | None, Query(max_length=200, description="Why you are looking")]


class RowOut(BaseModel):
    group: str
    label: str
    count: int | None
    note: str | None
    share: float | None
    share_tested: float | None
    baseline: float | None
    expected: float | None
    ratio: float | None
    relative_rate: float | None
    p_value: float | None
    departs: bool


class TableOut(BaseModel):
    dimension: str
    label: str
    source: str
    total: int | None
    tested: int | None
    rows: list[RowOut]
    statistic: float | None
    df: int | None
    p_value: str | None
    method: str | None
    alert: bool
    reason: str
    caveats: list[str]


class PopulationOut(BaseModel):
    id: str
    label: str
    as_of: str
    people: int | None
    tables: list[TableOut]


class RuleOut(BaseModel):
    alpha: float
    low: float
    high: float
    min_people: int
    min_cell: int


class EqualityOut(BaseModel):
    baseline: str
    title: str
    published: str
    sources: list[str]
    rule: RuleOut
    assessment_run: int | None
    snapshot: int | None
    populations: list[PopulationOut]
    notes: list[str]
    alerts: int


@api.get(
    "/safeguarding/equality", response_model=EqualityOut, openapi_extra=audited("consultation")
)
def equality_api(request: Request, signed: Session, purpose: Purpose = None) -> dict[str, Any]:
    """Return the people flagged and holding each map role by ethnic group, age band and sex
    against the configured baseline: observed, expected, ratio, relative rate index, the test
    and the alert with its reason. Counts under 5 are withheld (null, with a note)."""
    ws = get_workspace(request)
    found = equality.monitor(ws.uow, ws.settings, signed.actor, purpose)
    return {**dataclasses.asdict(found), "alerts": found.alerts}


@pages.get("/safeguarding/equality", openapi_extra=audited("consultation"))
def equality_page(request: Request, signed: Session) -> HTMLResponse:
    ws = get_workspace(request)
    found = equality.monitor(ws.uow, ws.settings, signed.actor)
    return render(request, "equality.html", signed, found=found)
