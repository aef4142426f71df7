// The link chart: draws what /api/v1/map/chart returns with Cytoscape.js, and keeps a table of
// the same nodes and links beside it for keyboard and screen-reader users. Everything shown
// comes from the server, which decides what this user may see and records every read.
(function () {
  "use strict";

  var COLOURS = {
    person: "#1d4f91", phone: "#7a3e00", handset: "#7a3e00", vehicle: "#555555",
    address: "#2f6b2f", place: "#6b2f6b", event: "#8a6d00"
  };
  var EXPAND_WARNING = 50; // ask before adding more neighbours than this at once

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error((body.error && body.error.message) || response.statusText);
          return body;
        });
      });
  }

  function style() {
    return [
      { selector: "node", style: {
          "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 90,
          "background-color": function (n) { return COLOURS[n.data("kind")] || "#333"; },
          "color": "#111", "text-valign": "bottom", "text-margin-y": 3, "width": 18, "height": 18 } },
      { selector: "node[?child]", style: { "shape": "round-rectangle", "border-width": 3, "border-color": "#c2185b" } },
      { selector: "node[?victim]", style: { "border-width": 3, "border-color": "#c2185b" } },
      { selector: "node[?focus]", style: { "width": 28, "height": 28 } },
      { selector: "edge", style: {
          "width": 1.5, "line-color": "#8899aa", "curve-style": "bezier", "font-size": 8,
          "label": "data(kind)", "text-rotation": "autorotate", "color": "#445" } },
      { selector: "edge[?weak]", style: { "line-style": "dashed" } },
      { selector: ".path", style: { "line-color": "#d35400", "width": 4, "background-color": "#d35400" } },
      { selector: ":selected", style: { "overlay-opacity": 0.2, "overlay-color": "#d35400" } }
    ];
  }

  function elements(data) {
    var out = [];
    data.nodes.forEach(function (n) {
      out.push({ group: "nodes", data: {
        id: "n" + n.id, node: n.id, label: n.label, kind: n.kind, child: n.child,
        victim: n.victim, focus: n.focus, degree: n.degree } });
    });
    data.edges.forEach(function (e) {
      out.push({ group: "edges", data: {
        id: "e" + e.id, edge: e.id, source: "n" + e.source, target: "n" + e.target,
        kind: e.kind, weak: e.weak, grading: e.grading } });
    });
    return out;
  }

  function fillTable(root, cy) {
    var body = root.querySelector("#chart-nodes tbody");
    if (!body) return;
    body.textContent = "";
    cy.nodes().sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); })
      .forEach(function (node) {
        var row = document.createElement("tr");
        var cell = document.createElement("td");
        var button = text("button", node.data("label"), "linklike");
        button.type = "button";
        button.addEventListener("click", function () { expand(root, cy, node); });
        cell.appendChild(button);
        row.appendChild(cell);
        row.appendChild(text("td", node.data("kind")));
        row.appendChild(text("td", String(node.data("degree"))));
        body.appendChild(row);
      });
    var links = root.querySelector("#chart-links tbody");
    links.textContent = "";
    cy.edges().forEach(function (edge) {
      var row = document.createElement("tr");
      row.appendChild(text("td", edge.source().data("label")));
      row.appendChild(text("td", edge.data("kind")));
      row.appendChild(text("td", edge.target().data("label")));
      row.appendChild(text("td", (edge.data("grading") || "not graded") + (edge.data("weak") ? " (weak)" : "")));
      var cell = document.createElement("td");
      var button = text("button", "Evidence", "linklike");
      button.type = "button";
      button.addEventListener("click", function () { evidence(root, edge.data("edge")); });
      cell.appendChild(button);
      row.appendChild(cell);
      links.appendChild(row);
    });
  }

  function say(root, message, isError) {
    var status = root.querySelector("#chart-status");
    status.textContent = message;
    status.className = isError ? "error" : "hint";
  }

  function render(root, cy, data, replace) {
    if (replace) cy.elements().remove();
    var fresh = elements(data).filter(function (el) { return cy.getElementById(el.data.id).empty(); });
    cy.add(fresh);
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 6000 }).run();
    fillTable(root, cy);
    var note = cy.nodes().length + " nodes, " + cy.edges().length + " links shown";
    if (data.withheld) note += "; " + data.withheld + " links withheld: their records are not yours to see";
    if (data.warnings && data.warnings.length) note += ". " + data.warnings.join(" ");
    say(root, note, false);
  }

  function query(root, extra) {
    var form = root.querySelector("#chart-filters");
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") params.set(key, value); });
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    return "/api/v1/map/chart?" + params.toString();
  }

  function load(root, cy) {
    say(root, "Loading…", false);
    getJson(query(root)).then(function (data) { render(root, cy, data, true); })
      .catch(function (error) { say(root, error.message, true); });
  }

  function expand(root, cy, node) {
    var degree = node.data("degree") || 0;
    if (degree > EXPAND_WARNING &&
        !window.confirm("This node has " + degree + " links. Add them all to the chart?")) return;
    getJson(query(root, { focus: "node:" + node.data("node"), depth: "1" }))
      .then(function (data) { render(root, cy, data, false); })
      .catch(function (error) { say(root, error.message, true); });
  }

  function evidence(root, edgeId) {
    var panel = root.querySelector("#chart-evidence");
    panel.textContent = "Loading the evidence…";
    getJson("/api/v1/map/edges/" + edgeId + "?purpose=" + encodeURIComponent(root.dataset.purpose || ""))
      .then(function (data) {
        panel.textContent = "";
        panel.appendChild(text("h2", data.kind + " (" + (data.grading || "not graded") + ")"));
        var list = document.createElement("ul");
        data.record_list.forEach(function (record) {
          var item = document.createElement("li");
          var link = text("a", record.agency + " record " + record.id);
          link.href = "/records/" + record.id;
          item.appendChild(link);
          list.appendChild(item);
        });
        data.discoveries.forEach(function (found) {
          list.appendChild(text("li", found.agency + " holds " + found.records +
            " more record(s) on this link; ask " + found.contact));
        });
        panel.appendChild(list);
        panel.focus();
      })
      .catch(function (error) { panel.textContent = error.message; });
  }

  function path(root, cy) {
    var from = root.querySelector("#path-from").value, to = root.querySelector("#path-to").value;
    cy.elements().removeClass("path");
    if (!from || !to) return;
    getJson(query(root, { focus: "path:" + from + ":" + to }))
      .then(function (data) {
        render(root, cy, data, false);
        data.nodes.forEach(function (n) { cy.getElementById("n" + n.id).addClass("path"); });
        data.edges.forEach(function (e) { cy.getElementById("e" + e.id).addClass("path"); });
        if (!data.edges.length) say(root, "No path between them among the links you may see.", false);
      })
      .catch(function (error) { say(root, error.message, true); });
  }

  function init(tries) {
    var root = document.getElementById("chart-page");
    if (!root || root.dataset.ready) return;
    if (typeof window.cytoscape !== "function") { // loaded beside this script, maybe later
      if ((tries || 0) < 100) window.setTimeout(function () { init((tries || 0) + 1); }, 50);
      return;
    }
    root.dataset.ready = "1";
    var cy = window.cytoscape({ container: root.querySelector("#chart"), style: style(),
      wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });
    cy.on("dbltap", "node", function (event) { expand(root, cy, event.target); });
    cy.on("tap", "edge", function (event) { evidence(root, event.target.data("edge")); });
    cy.on("tap", "node", function (event) {
      var n = event.target;
      root.querySelector("#chart-selected").textContent = n.data("label") + " (" + n.data("kind") + ")";
      var from = root.querySelector("#path-from");
      if (!from.value) from.value = n.data("node"); else root.querySelector("#path-to").value = n.data("node");
    });
    root.querySelector("#chart-filters").addEventListener("submit", function (event) {
      event.preventDefault();
      load(root, cy);
    });
    root.querySelector("#path-form").addEventListener("submit", function (event) {
      event.preventDefault();
      path(root, cy);
    });
    load(root, cy);
  }

  document.addEventListener("DOMContentLoaded", function () { init(0); });
  document.addEventListener("htmx:afterSettle", function () { init(0); });
  init(0);
})();
