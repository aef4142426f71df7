"""Exports of a drawn network read back in the tools they are for: networkx reads the GraphML and
the GEXF (as Gephi would), the i2 CSVs have their columns, FollowTheMoney validates its entities;
every file carries the watermark and no name."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from followthemoney import model

from linemap.network.export import Format, Link, Node, write

NODES = (
    Node(1, "person", "Child at risk 1", ("child_at_risk",)),
    Node(2, "person", "Organiser or line holder 2", ("organiser_or_line_holder",)),
    Node(3, "phone", "Phone +447700900123"),
    Node(4, "address", "12 example road, CT9 1AA"),
)
LINKS = (
    Link(10, "UsesPhone", 1, 3, "2026-01-02", None, "2B", False, 2),
    Link(11, "UsesPhone", 2, 3, None, None, "3E", True, 1),
    Link(12, "AssociateOf", 1, 2, "2025-06-01", "2026-03-01", None, False, 1),
    Link(13, "ResidesAt", 2, 4, None, None, None, False, 1),
)
WATERMARK = "linemap disclosure D-42 by a.analyst (KENT-POLICE) at 2026-11-27T10:00:00"


@pytest.mark.parametrize("fmt", [Format.GRAPHML, Format.GEXF])
def test_networkx_reads_back_the_graph(fmt: Format, tmp_path: Path) -> None:
    path = tmp_path / f"chart{fmt.suffix}"
    path.write_bytes(write(fmt, NODES, LINKS, WATERMARK))
    graph = nx.read_graphml(path) if fmt is Format.GRAPHML else nx.read_gexf(path)
    assert graph.number_of_nodes() == 4
    assert graph.number_of_edges() == 4
    labels = {data.get("label") for _, data in graph.nodes(data=True)}
    assert "Child at risk 1" in labels
    kinds = sorted(data["kind"] for _, _, data in graph.edges(data=True))
    assert kinds == ["AssociateOf", "ResidesAt", "UsesPhone", "UsesPhone"]
    assert WATERMARK in path.read_text(encoding="utf-8")


def test_i2_import_files_have_their_columns_and_the_watermark() -> None:
    archive = zipfile.ZipFile(io.BytesIO(write(Format.I2, NODES, LINKS, WATERMARK)))
    assert sorted(archive.namelist()) == ["entities.csv", "links.csv"]
    links = archive.read("links.csv").decode("utf-8").splitlines()
    assert links[0] == f"# {WATERMARK}"
    rows = list(csv.DictReader(links[1:]))
    assert [r["Link Type"] for r in rows] == ["UsesPhone", "UsesPhone", "AssociateOf", "ResidesAt"]
    assert rows[1]["Weak"] == "yes"
    entities = list(csv.DictReader(archive.read("entities.csv").decode("utf-8").splitlines()[1:]))
    assert {e["Identity"] for e in entities} == {f"n{n.id}" for n in NODES}


def test_followthemoney_entities_validate() -> None:
    lines = write(Format.FTM, NODES, LINKS, WATERMARK).decode("utf-8").splitlines()
    entities = [model.get_proxy(json.loads(line)) for line in lines]
    schemata = sorted(e.schema.name for e in entities)
    assert schemata == sorted(
        [
            "Person",
            "Person",
            "UserAccount",
            "Address",
            "UnknownLink",
            "UnknownLink",
            "Associate",
            "UnknownLink",
        ]
    )
    associate = next(e for e in entities if e.schema.name == "Associate")
    assert associate.get("person") == ["linemap-n1"]
    assert all(e.get("publisher") == [WATERMARK] for e in entities)
