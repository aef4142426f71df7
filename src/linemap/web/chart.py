"""The map in the workspace: deal lines, the link chart and each link's evidence, as /api/v1 and
as pages. Every read goes through `services.chart`, under the access policy, and is logged."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.responses import Response

from linemap.errors import InvalidInput
from linemap.services import chart, chart_export, geography, organisers
from linemap.web.api import audited
from linemap.web.context import Signed, check_csrf, signed_in
from linemap.web.context import workspace as get_workspace
from linemap.web.ui import render

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
Session = Annotated[Signed, Depends(signed_in)]
View = Literal["safeguarding", "disruption"]
Purpose = Annotated[str | None, Query(max_length=200)]
EdgeId = Annotated[int, PathParam(ge=0, le=2**62)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token")]
ExportFormat = Literal["graphml", "gexf", "i2", "ftm"]


class NodeOut(BaseModel):
    id: int
    kind: str
    label: str
    roles: list[str]
    child: bool
    victim: bool
    focus: bool
    degree: int
    rank: int | None


class LinkOut(BaseModel):
    id: int
    kind: str
    source: int
    target: int
    start: str | None
    end: str | None
    grading: str | None
    weak: bool
    records: int


class ChartOut(BaseModel):
    snapshot: int
    focus: str
    view: str
    nodes: list[NodeOut]
    edges: list[LinkOut]
    withheld: int
    warnings: list[str]


class RecordRefOut(BaseModel):
    id: int
    agency: str


class DiscoveryOut(BaseModel):
    agency: str
    name: str
    contact: str | None
    records: int


class EvidenceOut(LinkOut):
    record_list: list[RecordRefOut]
    discoveries: list[DiscoveryOut]


class LineOut(BaseModel):
    id: str
    names: list[str]
    exporting_area: str | None
    importing_areas: list[str]
    first_seen: str | None
    last_seen: str | None
    phones: int
    members: int


class LinesOut(BaseModel):
    snapshot: int
    lines: list[LineOut]


class ChartExportIn(BaseModel):
    focus: str = Field(min_length=3, max_length=320)
    view: View = "safeguarding"
    format: ExportFormat
    recipient: str = Field(min_length=1, max_length=200, description="Agency and person or role")
    purpose: str = Field(min_length=1, max_length=500)
    lawful_basis: str = Field(min_length=1, max_length=500)
    start: date | None = None
    end: date | None = None
    strong_only: bool = False


def _filter(
    start: date | None, end: date | None, strong_only: bool, node_kinds: str, link_kinds: str
) -> chart.ChartFilter:
    if start and end and end < start:
        raise InvalidInput("the end of the date range is before its start")
    return chart.ChartFilter(
        start,
        end,
        strong_only,
        frozenset(k for k in node_kinds.split(",") if k),
        frozenset(k for k in link_kinds.split(",") if k),
    )


@api.get("/map/chart", response_model=ChartOut, openapi_extra=audited("consultation"))
def chart_api(
    request: Request,
    signed: Session,
    focus: Annotated[str, Query(min_length=3, max_length=320)],
    view: View = "safeguarding",
    start: date | None = None,
    end: date | None = None,
    strong_only: bool = False,
    node_kinds: Annotated[str, Query(max_length=200)] = "",
    link_kinds: Annotated[str, Query(max_length=400)] = "",
    purpose: Purpose = None,
) -> dict[str, Any]:
    """Return part of the latest network snapshot: the links you may see around a line
    (`line:L1`), a node (`node:12`) or on a shortest path (`path:12:34`)."""
    ws = get_workspace(request)
    drawn = chart.chart(
        ws.uow,
        signed.actor,
        focus,
        view,
        _filter(start, end, strong_only, node_kinds, link_kinds),
        ws.clock().date(),
        purpose,
    )
    return {
        "snapshot": drawn.snapshot,
        "focus": drawn.focus,
        "view": drawn.view,
        "nodes": [dataclasses.asdict(n) for n in drawn.nodes],
        "edges": [dataclasses.asdict(link) for link in drawn.links],
        "withheld": drawn.withheld,
        "warnings": drawn.warnings,
    }


@api.get("/map/edges/{edge_id}", response_model=EvidenceOut, openapi_extra=audited("consultation"))
def evidence_api(
    request: Request, signed: Session, edge_id: EdgeId, purpose: Purpose = None
) -> dict[str, Any]:
    """Return one link's evidence: the records you may open, and who holds the others."""
    ws = get_workspace(request)
    found = chart.evidence(ws.uow, signed.actor, edge_id, ws.clock().date(), purpose)
    return {
        **dataclasses.asdict(found.link),
        "record_list": [{"id": r, "agency": a} for r, a in found.records],
        "discoveries": [dataclasses.asdict(d) for d in found.discoveries],
    }


@api.get("/map/lines", response_model=LinesOut, openapi_extra=audited("consultation"))
def lines_api(request: Request, signed: Session, purpose: Purpose = None) -> dict[str, Any]:
    """Return the deal lines of the latest snapshot whose evidence you may read."""
    ws = get_workspace(request)
    snapshot, found = geography.lines(ws.uow, signed.actor, ws.clock().date(), purpose)
    return {"snapshot": snapshot, "lines": [dataclasses.asdict(line) for line in found]}


@pages.get("/map", openapi_extra=audited("consultation"))
def map_page(request: Request, signed: Session) -> HTMLResponse:
    ws = get_workspace(request)
    snapshot, found = geography.lines(ws.uow, signed.actor, ws.clock().date())
    places = geography.context_places(ws.uow, signed.actor, ws.clock().date())
    return render(request, "map.html", signed, snapshot=snapshot, lines=found, places=places)


@pages.get("/map/chart", openapi_extra=audited("none"))
def chart_page(
    request: Request,
    signed: Session,
    focus: Annotated[str, Query(min_length=3, max_length=320)],
    view: View = "safeguarding",
) -> HTMLResponse:
    """The chart's frame; its data comes from /api/v1/map/chart, which is audited."""
    return render(request, "chart.html", signed, focus=focus, view=view)


def _export(
    request: Request,
    signed: Signed,
    focus: str,
    view: str,
    chosen: chart.ChartFilter,
    fmt: str,
    given: dict[str, str],
) -> Response:
    """Export a chart as a disclosure (recipient, purpose, lawful basis given) and return the
    file, its disclosure id in a header."""
    ws = get_workspace(request)
    made = chart_export.export_chart(
        ws.uow, signed.actor, focus, view, chosen, fmt, now=ws.clock(), **given
    )
    return Response(
        made.content,
        media_type=made.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "X-Linemap-Disclosure": made.id,
            "X-Linemap-Links-Left-Out": str(made.left_out),
        },
    )


@api.post(
    "/map/export",
    openapi_extra=audited("disclosure"),
    responses={200: {"description": "The file, watermarked with its disclosure id"}},
)
def export_api(
    request: Request, signed: Session, body: ChartExportIn, csrf: Csrf = None
) -> Response:
    """Export what you see of a focus (GraphML, GEXF, i2 CSV or FollowTheMoney) to a named
    recipient: a disclosure of every record behind it, watermarked."""
    check_csrf(signed, csrf)
    chosen = _filter(body.start, body.end, body.strong_only, "", "")
    given = body.model_dump(include={"recipient", "purpose", "lawful_basis"})
    return _export(request, signed, body.focus, body.view, chosen, body.format, given)


@pages.post("/map/export", openapi_extra=audited("disclosure"))
def export_page(
    request: Request,
    signed: Session,
    csrf_token: Annotated[str, Form()],
    focus: Annotated[str, Form(min_length=3, max_length=320)],
    view: Annotated[View, Form()],
    format: Annotated[ExportFormat, Form()],
    recipient: Annotated[str, Form(max_length=200)] = "",
    purpose: Annotated[str, Form(max_length=500)] = "",
    lawful_basis: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    check_csrf(signed, csrf_token)
    given = {"recipient": recipient, "purpose": purpose, "lawful_basis": lawful_basis}
    return _export(request, signed, focus, view, chart.ChartFilter(), format, given)


@pages.get("/map/timeline", openapi_extra=audited("consultation"))
def timeline_page(
    request: Request,
    signed: Session,
    focus: Annotated[str, Query(min_length=3, max_length=320)],
    view: View = "safeguarding",
) -> HTMLResponse:
    """A line's or a place's links you may see, in date order (undated ones last)."""
    ws = get_workspace(request)
    drawn = chart.chart(ws.uow, signed.actor, focus, view, chart.ChartFilter(), ws.clock().date())
    labels = {n.id: n.label for n in drawn.nodes}
    rows = sorted(
        (link for link in drawn.links if link.source in labels and link.target in labels),
        key=lambda link: (link.start is None, link.start or "", link.id),
    )
    return render(
        request,
        "timeline.html",
        signed,
        focus=focus,
        view=view,
        rows=rows,
        labels=labels,
        withheld=drawn.withheld,
    )


class AreaOut(BaseModel):
    district: str
    latitude: float | None
    longitude: float | None
    exporting: int
    importing: int
    children_at_places: str


class FlowOut(BaseModel):
    source: str
    target: str
    lines: int


class AreaMapOut(BaseModel):
    areas: list[AreaOut]
    flows: list[FlowOut]


@api.get("/map/areas", response_model=AreaMapOut, openapi_extra=audited("consultation"))
def areas_api(
    request: Request,
    signed: Session,
    purpose: Purpose = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> dict[str, Any]:
    """Return the districts the lines you may see export from and import to (those seen in
    `year`, when given), the flows between them, and children at risk at places there (under
    5 not shown exactly)."""
    ws = get_workspace(request)
    areas, flows = geography.area_map(ws.uow, signed.actor, ws.clock().date(), purpose, year)
    return {
        "areas": [dataclasses.asdict(a) for a in areas],
        "flows": [dataclasses.asdict(f) for f in flows],
    }


@pages.get("/map/areas", openapi_extra=audited("none"))
def areas_page(request: Request, signed: Session) -> HTMLResponse:
    """The map's frame; its data comes from /api/v1/map/areas, which is audited."""
    this_year = get_workspace(request).clock().year
    return render(request, "areas.html", signed, years=range(this_year, this_year - 6, -1))


class OrganiserOut(BaseModel):
    node: int
    label: str
    rank: int
    score: float
    contributions: dict[str, float]
    rank_without_weak_links: int | None
    ranks_by_year: dict[str, int]
    movement: str


class OrganisersOut(BaseModel):
    snapshot: int
    organisers: list[OrganiserOut]
    leaders: dict[str, str]
    takeovers: list[str]
    caveats: list[str]


@api.get("/map/organisers", response_model=OrganisersOut, openapi_extra=audited("consultation"))
def organisers_api(request: Request, signed: Session, purpose: Purpose = None) -> dict[str, Any]:
    """Return the key players among those who run the lines that you may see: each score's
    contributions, the rank without weak links, ranks year by year, and the caveats."""
    ws = get_workspace(request)
    found = organisers.organisers(ws.uow, signed.actor, ws.clock().date(), purpose=purpose)
    return dataclasses.asdict(found)


@pages.get("/map/organisers", openapi_extra=audited("consultation"))
def organisers_page(request: Request, signed: Session) -> HTMLResponse:
    ws = get_workspace(request)
    found = organisers.organisers(ws.uow, signed.actor, ws.clock().date())
    return render(request, "organisers.html", signed, found=found)


class PlaceOut(BaseModel):
    node: int
    kind: str
    district: str | None
    children_at_risk: str
    lines: list[str]


@api.get("/map/places", response_model=list[PlaceOut], openapi_extra=audited("consultation"))
def places_api(request: Request, signed: Session, purpose: Purpose = None) -> list[dict[str, Any]]:
    """Return the places where children at risk on the lines concentrate that you may see:
    contexts to assess (Contextual Safeguarding), never marks against the children; fewer than
    5 children is not shown exactly."""
    ws = get_workspace(request)
    found = geography.context_places(ws.uow, signed.actor, ws.clock().date(), purpose)
    return [
        {
            "node": p.node,
            "kind": p.kind,
            "district": p.district,
            "children_at_risk": p.children_shown,
            "lines": p.lines,
        }
        for p in found
    ]
