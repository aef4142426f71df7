"""Writing part of a network for other tools: GraphML (igraph), GEXF 1.3 (Gephi), i2 Analyst's
Notebook import CSV (entities and links, zipped) and FollowTheMoney entities (JSON lines).

Pure: the caller hands over the nodes and links a reader may see and the disclosure's
watermark; every format carries the watermark (a graph attribute, the GEXF description, a
first line of each CSV, the `publisher` of every FollowTheMoney entity). People are exported
as drawn: by role and number, never by name.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from xml.etree import ElementTree as ET

import igraph as ig  # type: ignore[import-untyped]


class Format(StrEnum):
    """The export formats, with their file suffix and media type."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    I2 = "i2"
    FTM = "ftm"

    @property
    def suffix(self) -> str:
        """Return the file name suffix."""
        return {"graphml": ".graphml", "gexf": ".gexf", "i2": "-i2.zip", "ftm": ".ftm.json"}[
            self.value
        ]

    @property
    def media_type(self) -> str:
        """Return the media type of the file."""
        return {
            "graphml": "application/graphml+xml",
            "gexf": "application/gexf+xml",
            "i2": "application/zip",
            "ftm": "application/x-ndjson",
        }[self.value]


@dataclass(frozen=True)
class Node:
    """A node as exported."""

    id: int
    kind: str
    label: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A link as exported, with its time span and grading."""

    id: int
    kind: str
    source: int
    target: int
    start: str | None
    end: str | None
    grading: str | None
    weak: bool
    records: int


def write(fmt: Format, nodes: Sequence[Node], links: Sequence[Link], watermark: str) -> bytes:
    """Return the file for these nodes and links in a format."""
    writer = {
        Format.GRAPHML: graphml,
        Format.GEXF: gexf,
        Format.I2: i2_csv,
        Format.FTM: ftm,
    }[fmt]
    return writer(nodes, links, watermark)


def graphml(nodes: Sequence[Node], links: Sequence[Link], watermark: str) -> bytes:
    """Write GraphML with igraph: node kind, label and roles; link kind, dates and grading."""
    position = {node.id: i for i, node in enumerate(nodes)}
    graph = ig.Graph(directed=False)
    graph.add_vertices(len(nodes))
    graph.vs["name"] = [f"n{node.id}" for node in nodes]
    graph.vs["kind"] = [node.kind for node in nodes]
    graph.vs["label"] = [node.label for node in nodes]
    graph.vs["roles"] = [" ".join(node.roles) for node in nodes]
    graph.add_edges([(position[link.source], position[link.target]) for link in links])
    graph.es["kind"] = [link.kind for link in links]
    graph.es["start"] = [link.start or "" for link in links]
    graph.es["end"] = [link.end or "" for link in links]
    graph.es["grading"] = [link.grading or "" for link in links]
    graph.es["weak"] = [link.weak for link in links]
    graph.es["records"] = [link.records for link in links]
    graph["watermark"] = watermark
    handle, path = tempfile.mkstemp(suffix=".graphml")  # igraph writes to a real file only
    os.close(handle)
    try:
        graph.write_graphml(path)
        with open(path, "rb") as written:
            return written.read()
    finally:
        os.unlink(path)


_GEXF = "http://gexf.net/1.3"


def gexf(nodes: Sequence[Node], links: Sequence[Link], watermark: str) -> bytes:
    """Write GEXF 1.3 for Gephi, with the same attributes as the GraphML."""
    ET.register_namespace("", _GEXF)
    root = ET.Element(f"{{{_GEXF}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{_GEXF}}}meta")
    ET.SubElement(meta, f"{{{_GEXF}}}creator").text = "linemap"
    ET.SubElement(meta, f"{{{_GEXF}}}description").text = watermark
    graph = ET.SubElement(root, f"{{{_GEXF}}}graph", {"defaultedgetype": "undirected"})
    for cls, names in (("node", ("kind", "roles")), ("edge", ("kind", "start", "end", "grading"))):
        attributes = ET.SubElement(graph, f"{{{_GEXF}}}attributes", {"class": cls})
        for number, name in enumerate(names):
            ET.SubElement(
                attributes,
                f"{{{_GEXF}}}attribute",
                {"id": str(number), "title": name, "type": "string"},
            )
    node_list = ET.SubElement(graph, f"{{{_GEXF}}}nodes")
    for node in nodes:
        element = ET.SubElement(
            node_list, f"{{{_GEXF}}}node", {"id": f"n{node.id}", "label": node.label}
        )
        _values(element, (node.kind, " ".join(node.roles)))
    edge_list = ET.SubElement(graph, f"{{{_GEXF}}}edges")
    for link in links:
        element = ET.SubElement(
            edge_list,
            f"{{{_GEXF}}}edge",
            {
                "id": f"e{link.id}",
                "source": f"n{link.source}",
                "target": f"n{link.target}",
                "weight": str(link.records),
            },
        )
        _values(element, (link.kind, link.start or "", link.end or "", link.grading or ""))
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def _values(element: ET.Element, values: Sequence[str]) -> None:
    holder = ET.SubElement(element, f"{{{_GEXF}}}attvalues")
    for number, value in enumerate(values):
        ET.SubElement(holder, f"{{{_GEXF}}}attvalue", {"for": str(number), "value": value})


I2_ENTITY_COLUMNS = ("Identity", "Entity Type", "Label", "Roles")
I2_LINK_COLUMNS = (
    "Link Identity",
    "From Identity",
    "To Identity",
    "Link Type",
    "Date From",
    "Date To",
    "Grading",
    "Weak",
    "Records",
)


def i2_csv(nodes: Sequence[Node], links: Sequence[Link], watermark: str) -> bytes:
    """Write entities.csv and links.csv for an Analyst's Notebook import specification, zipped;
    each file opens with the watermark on a line of its own (skip one line on import)."""
    entities = [
        (f"n{node.id}", node.kind.capitalize(), node.label, "; ".join(node.roles)) for node in nodes
    ]
    rows = [
        (
            f"e{link.id}",
            f"n{link.source}",
            f"n{link.target}",
            link.kind,
            link.start or "",
            link.end or "",
            link.grading or "",
            "yes" if link.weak else "no",
            str(link.records),
        )
        for link in links
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header, body in (
            ("entities.csv", I2_ENTITY_COLUMNS, entities),
            ("links.csv", I2_LINK_COLUMNS, rows),
        ):
            text = io.StringIO()
            text.write(f"# {watermark}\n")
            writer = csv.writer(text)
            writer.writerow(header)
            writer.writerows(body)
            archive.writestr(name, text.getvalue())
    return buffer.getvalue()


_FTM_SCHEMA = {
    "person": "Person",
    "phone": "UserAccount",
    "handset": "Asset",
    "vehicle": "Vehicle",
    "address": "Address",
    "place": "Address",
    "event": "Event",
}
_FTM_LINKS = {
    "AssociateOf": ("Associate", "person", "associate"),
    "FamilyOf": ("Family", "person", "relative"),
}


def ftm(nodes: Sequence[Node], links: Sequence[Link], watermark: str) -> bytes:
    """Write FollowTheMoney entities, one JSON object per line: nodes by their schema (a phone
    as a UserAccount), associates and family as such, every other link an UnknownLink."""
    limit = csv.field_size_limit()
    from followthemoney import model  # imported here: it raises the csv module's field limit

    csv.field_size_limit(limit)
    lines = []
    for node in nodes:
        entity = model.make_entity(_FTM_SCHEMA.get(node.kind, "Asset"))
        entity.id = f"linemap-n{node.id}"
        entity.add("name", node.label)
        entity.add("publisher", watermark)
        if node.roles:
            entity.add("description", "; ".join(node.roles))
        lines.append(entity.to_dict())
    for link in links:
        schema, left, right = _FTM_LINKS.get(link.kind, ("UnknownLink", "subject", "object"))
        entity = model.make_entity(schema)
        entity.id = f"linemap-e{link.id}"
        entity.add(left, f"linemap-n{link.source}")
        entity.add(right, f"linemap-n{link.target}")
        if schema == "UnknownLink":
            entity.add("role", link.kind)
        entity.add("startDate", link.start)
        entity.add("endDate", link.end)
        entity.add("publisher", watermark)
        if link.grading:
            entity.add("description", f"grading {link.grading}{' (weak)' if link.weak else ''}")
        lines.append(entity.to_dict())
    return "".join(json.dumps(line, sort_keys=True) + "\n" for line in lines).encode("utf-8")
