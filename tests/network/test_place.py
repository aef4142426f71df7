"""Places to assess: where linked at-risk children concentrate, described as contexts."""

from __future__ import annotations

from linemap.network.place import children_by_place, find_places
from linemap.network.snapshot import NodeKind
from tests.network.test_snapshot import OTHER, Records, address, node, person


def _home_with(children: int, at_risk: int) -> tuple[object, dict[int, str | None]]:
    r = Records()
    for _i in range(children):
        r.add(
            "social-care-case",
            {
                "c": person("2011-01-01"),
                "h": address("1 Oak Lane", "ME4 4ZZ", location_kind="childrens_home"),
            },
            [("PlacedAt", "c", "h", {})],
            qualifier=OTHER,
        )
    snapshot = r.finish()
    kids = [n for n, k in enumerate(snapshot.kinds) if k == NodeKind.PERSON]
    return snapshot, {k: "L1" for k in kids[:at_risk]}


def test_a_home_with_two_children_at_risk_is_a_place_to_assess() -> None:
    snapshot, at_risk = _home_with(children=5, at_risk=2)
    (place,) = find_places(snapshot, at_risk)  # type: ignore[arg-type]
    assert place.place == node(snapshot, NodeKind.PLACE, "childrens_home|ME4 4ZZ")  # type: ignore[arg-type]
    assert place.kind == "childrens_home"
    assert len(place.children_at_risk) == 2
    assert place.children_linked == 5
    assert place.lines == ("L1",)
    assert len(place.evidence) == 2
    assert children_by_place([place]) == {c: [place.place] for c in place.children_at_risk}


def test_one_child_at_risk_does_not_make_a_place_a_context() -> None:
    snapshot, at_risk = _home_with(children=5, at_risk=1)
    assert find_places(snapshot, at_risk) == []  # type: ignore[arg-type]
