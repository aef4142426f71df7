"""The link chart under the access policy, on a small simulated region mapped end to end: a link
is drawn only when its reader may read a record behind it, a node only beside such a link,
every record behind the links considered is logged, children are never ranked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from linemap.errors import Forbidden, NotFound
from linemap.governance.actor import Actor
from linemap.model.vocabulary import Role
from linemap.services import chart, geography, network, organisers, region, resolution
from linemap.services.chart import ChartFilter
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import load_simulated

TODAY = date(2026, 11, 27)
POLICE = Actor(1, "met.analyst", "MPS", Role.ANALYST, True)
HOUSING = Actor(2, "thanet.officer", "THANET-HOUSING", Role.PRACTITIONER, True)
AUDITOR = Actor(3, "met.auditor", "MPS", Role.AUDITOR, True)
EVERYTHING = ChartFilter()


@dataclass(frozen=True)
class Mapped:
    uow: UnitOfWork
    line: str


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> Mapped:
    """Simulate, load, resolve and map the small region (seed 7)."""
    work: Path = tmp_path_factory.mktemp("chart")
    region.simulate_region(work / "region", 7, "small")
    settings, uow = load_simulated(f"sqlite:///{work / 'linemap.db'}", work / "region")
    resolution.run_resolution(uow, settings, today=TODAY)
    network.build_snapshot(uow, settings, as_of=TODAY)
    _, lines = geography.lines(uow, POLICE, TODAY)
    assert lines, "the police see at least one line in the small region"
    busiest = max(lines, key=lambda line: (line.members, line.id))
    return Mapped(uow, busiest.id)


def _agencies(uow: UnitOfWork, edge_id: int) -> set[str]:
    with uow.read() as tx:
        snapshot = tx.network.latest_snapshot()
        assert snapshot is not None
        edge = tx.chart.edge(snapshot.id, edge_id)
    assert edge is not None
    return set(edge.agencies)


def _consultations(uow: UnitOfWork) -> Counter[str]:
    with uow.read() as tx:
        return Counter(
            e.event.outcome or ""
            for e in tx.audit.iter_events()
            if e.event.operation.value == "consultation"
        )


def test_a_line_chart_draws_only_links_on_records_its_reader_may_read(mapped: Mapped) -> None:
    drawn = chart.chart(
        mapped.uow, POLICE, f"line:{mapped.line}", "safeguarding", EVERYTHING, TODAY
    )
    assert drawn.links
    for link in drawn.links:  # no ISA in the region: the police read their own records only
        assert "MPS" in _agencies(mapped.uow, link.id)
    linked = {n for link in drawn.links for n in (link.source, link.target)}
    assert {node.id for node in drawn.nodes} <= linked  # never a node on its own
    assert all(node.rank is None for node in drawn.nodes)  # no ranking in this view
    for node in drawn.nodes:
        if node.kind == "person":
            assert node.label.split()[-1] == str(node.id)  # by role and number, never a name


def test_another_agency_sees_only_the_links_its_own_records_show(mapped: Mapped) -> None:
    try:
        drawn = chart.chart(
            mapped.uow, HOUSING, f"line:{mapped.line}", "safeguarding", EVERYTHING, TODAY
        )
    except NotFound:
        return  # nothing of this line rests on housing records
    assert drawn.withheld > 0
    for link in drawn.links:
        assert "THANET-HOUSING" in _agencies(mapped.uow, link.id)


def test_every_record_behind_the_links_considered_is_logged(mapped: Mapped) -> None:
    before = _consultations(mapped.uow)
    drawn = chart.chart(mapped.uow, POLICE, f"line:{mapped.line}", "disruption", EVERYTHING, TODAY)
    after = _consultations(mapped.uow)
    assert after["success"] > before["success"]
    assert drawn.withheld == 0 or after["withheld"] > before["withheld"]


def test_children_are_never_ranked_in_the_disruption_view(mapped: Mapped) -> None:
    drawn = chart.chart(mapped.uow, POLICE, f"line:{mapped.line}", "disruption", EVERYTHING, TODAY)
    children = [node for node in drawn.nodes if node.child]
    assert all(node.rank is None for node in children)
    assert all(node.victim for node in children)


def test_a_links_evidence_names_the_records_and_who_holds_the_rest(mapped: Mapped) -> None:
    drawn = chart.chart(
        mapped.uow, POLICE, f"line:{mapped.line}", "safeguarding", EVERYTHING, TODAY
    )
    found = chart.evidence(mapped.uow, POLICE, drawn.links[0].id, TODAY)
    assert found.records
    assert {agency for _, agency in found.records} == {"MPS"}
    assert all(d.agency != "MPS" for d in found.discoveries)


def test_a_path_runs_over_links_the_reader_may_see(mapped: Mapped) -> None:
    drawn = chart.chart(
        mapped.uow, POLICE, f"line:{mapped.line}", "safeguarding", EVERYTHING, TODAY
    )
    link = drawn.links[0]
    path = chart.chart(
        mapped.uow, POLICE, f"path:{link.source}:{link.target}", "safeguarding", EVERYTHING, TODAY
    )
    assert len(path.links) == 1
    assert {path.links[0].source, path.links[0].target} == {link.source, link.target}


def test_filters_and_roles(mapped: Mapped) -> None:
    strong = chart.chart(
        mapped.uow,
        POLICE,
        f"line:{mapped.line}",
        "safeguarding",
        ChartFilter(strong_only=True),
        TODAY,
    )
    assert not any(link.weak for link in strong.links)
    with pytest.raises(Forbidden):
        chart.chart(mapped.uow, AUDITOR, f"line:{mapped.line}", "safeguarding", EVERYTHING, TODAY)
    with pytest.raises(NotFound):
        chart.chart(mapped.uow, POLICE, "line:L9999", "safeguarding", EVERYTHING, TODAY)


def test_the_area_map_places_districts_and_suppresses_small_numbers(mapped: Mapped) -> None:
    areas, flows = geography.area_map(mapped.uow, POLICE, TODAY)
    _, lines = geography.lines(mapped.uow, POLICE, TODAY)
    districts = {a.district for a in areas}
    assert {line.exporting_area for line in lines if line.exporting_area} <= districts
    assert any(a.latitude is not None for a in areas)  # towns named in the addresses are known
    for area in areas:
        shown = area.children_at_places
        assert shown in ("none", "fewer than 5") or int(shown) >= geography.SMALL_NUMBERS
    assert sum(f.lines for f in flows) == sum(
        len(line.importing_areas) for line in lines if line.exporting_area
    )


def test_suppression_and_placing_by_town() -> None:
    assert [geography.suppress(n) for n in (0, 1, 4, 5, 12)] == [
        "none",
        "fewer than 5",
        "fewer than 5",
        "5",
        "12",
    ]
    ramsgate = geography.place(["ramsgate"])
    assert ramsgate is not None
    assert 51.3 < ramsgate[0] < 51.4
    assert geography.place(["nowhere-on-earth"]) is None


def test_key_players_are_adults_without_victim_roles_with_their_sensitivity(
    mapped: Mapped,
) -> None:
    found = organisers.organisers(mapped.uow, POLICE, TODAY)
    assert found.organisers
    assert any("not culpability" in c for c in found.caveats)
    with mapped.uow.read() as tx:
        snapshot = tx.network.latest_snapshot()
        assert snapshot is not None
        roles = tx.chart.node_findings(snapshot.id, ("role",), [o.node for o in found.organisers])
    victim = {"child_at_risk", "vulnerable_adult_at_risk", "cuckooed_resident"}
    assert not {node for _, node, label, _ in roles if label in victim}
    ranks = [o.rank for o in found.organisers]
    assert ranks == sorted(ranks)
    assert all(
        o.movement in ("risen", "fallen", "steady", "new this year", "not seen this year")
        for o in found.organisers
    )
    assert all(abs(sum(o.contributions.values()) - o.score) < 1e-3 for o in found.organisers)


def test_flows_over_time_keep_the_lines_seen_in_a_year(mapped: Mapped) -> None:
    _, lines = geography.lines(mapped.uow, POLICE, TODAY)
    _, every = geography.area_map(mapped.uow, POLICE, TODAY)
    _, this_year = geography.area_map(mapped.uow, POLICE, TODAY, year=TODAY.year)
    _, long_ago = geography.area_map(mapped.uow, POLICE, TODAY, year=1990)
    assert long_ago == []
    assert sum(f.lines for f in this_year) <= sum(f.lines for f in every)
    seen = [line for line in lines if geography.active_in(line, TODAY.year)]
    expected = sum(len(line.importing_areas) for line in seen if line.exporting_area)
    assert sum(f.lines for f in this_year) == expected


def test_places_to_assess_show_small_numbers_suppressed(mapped: Mapped) -> None:
    places = geography.context_places(mapped.uow, POLICE, TODAY)
    for found in places:
        assert found.records  # each rests on a record the reader may read
        shown = found.children_shown
        assert shown in ("none", "fewer than 5") or int(shown) == found.children_at_risk >= 5
