// The map of areas: Leaflet over Natural Earth land (world-atlas, served from this workspace),
// with the districts and flows /api/v1/map/areas returns, and the same in tables.
(function () {
  "use strict";

  function cell(row, value) {
    var td = document.createElement("td");
    td.textContent = value;
    row.appendChild(td);
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

  function draw(root, layer, map, data) {
    var where = {};
    var areas = root.querySelector("#areas-table tbody");
    data.areas.forEach(function (area) {
      var row = document.createElement("tr");
      cell(row, area.district);
      cell(row, String(area.exporting));
      cell(row, String(area.importing));
      cell(row, area.children_at_places);
      cell(row, area.latitude === null ? "no: its towns are not known" : "yes");
      areas.appendChild(row);
      if (area.latitude === null) return;
      where[area.district] = [area.latitude, area.longitude];
      var colour = area.exporting ? "#1d4f91" : "#d35400";
      window.L.circleMarker(where[area.district], {
        radius: 4 + Math.sqrt(area.exporting + area.importing) * 2, color: colour, weight: 2
      }).bindTooltip(area.district + ": " + area.exporting + " exporting, " + area.importing +
        " importing; children at risk at places: " + area.children_at_places).addTo(layer);
    });
    var flows = root.querySelector("#flows-table tbody");
    data.flows.forEach(function (flow) {
      var row = document.createElement("tr");
      cell(row, flow.source);
      cell(row, flow.target);
      cell(row, String(flow.lines));
      flows.appendChild(row);
      if (where[flow.source] && where[flow.target]) {
        window.L.polyline([where[flow.source], where[flow.target]], {
          color: "#7a3e00", weight: 1 + Math.min(flow.lines, 8), opacity: 0.6
        }).addTo(layer);
      }
    });
    var points = Object.keys(where).map(function (key) { return where[key]; });
    if (points.length) map.fitBounds(points, { padding: [20, 20] });
    root.querySelector("#areas-status").textContent =
      data.areas.length + " areas, " + data.flows.length + " flows";
  }

  function init(tries) {
    var root = document.getElementById("areas-page");
    if (!root || root.dataset.ready) return;
    if (!window.L || !window.topojson) {
      if ((tries || 0) < 100) window.setTimeout(function () { init((tries || 0) + 1); }, 50);
      return;
    }
    root.dataset.ready = "1";
    var map = window.L.map(root.querySelector("#area-map"), { attributionControl: true })
      .setView([51.5, 0.3], 8);
    map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    getJson("/static/vendor/land-10m.json").then(function (topology) {
      window.L.geoJSON(window.topojson.feature(topology, topology.objects.land), {
        style: { color: "#8899aa", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 }
      }).addTo(map);
    });
    var overlay = window.L.layerGroup().addTo(map);
    function load() {
      var year = root.querySelector("#year").value;
      overlay.clearLayers();
      root.querySelector("#areas-table tbody").textContent = "";
      root.querySelector("#flows-table tbody").textContent = "";
      getJson("/api/v1/map/areas" + (year ? "?year=" + encodeURIComponent(year) : ""))
        .then(function (data) { draw(root, overlay, map, data); })
        .catch(function (error) {
          var status = root.querySelector("#areas-status");
          status.textContent = error.message;
          status.className = "error";
        });
    }
    root.querySelector("#areas-year").addEventListener("submit", function (event) {
      event.preventDefault();
      load();
    });
    load();
  }

  document.addEventListener("DOMContentLoaded", function () { init(0); });
  document.addEventListener("htmx:afterSettle", function () { init(0); });
  init(0);
})();
