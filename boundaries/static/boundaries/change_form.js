/*
 * CivAtlas division-change form (登记区划调整): pick divisions on the map, draw a cut line
 * (Leaflet-Geoman) for a split, click a new seat for a seat move. The chosen codes, the
 * line and the seat go into the form's hidden fields as JSON; the server does the rest.
 */
(function () {
  "use strict";
  const config = CivAtlas.config("change-config");
  const form = document.getElementById("change-form");
  const field = (name) => form.elements[name];
  const map = L.map("map").setView([34.7, 106.1], 9);
  CivAtlas.prefix(map);
  const STYLE = { color: "#1f5fa8", weight: 1.5, fillColor: "#4a90d9", fillOpacity: 0.12 };
  const CHOSEN = { color: "#c2410c", weight: 3, fillColor: "#f59e0b", fillOpacity: 0.35 };
  const chosen = new Map(); // code → {layer, name}
  let cutLayer = null;
  let seatMarker = null;

  function kind() { return field("kind").value; }

  function sync() {
    field("divisions").value = [...chosen.keys()].join(",");
    document.getElementById("chosen-names").textContent = [...chosen.values()].map((c) => c.name).join("、") || "—";
    const split = kind() === "split";
    ["left_code", "left_name", "right_code", "right_name"].forEach((n) => {
      form.querySelector(`.field-${n}`).hidden = !split;
    });
    ["new_code", "new_name"].forEach((n) => { form.querySelector(`.field-${n}`).hidden = split || kind() === "move_seat"; });
    if (split && chosen.size === 1 && !cutLayer && !map.pm.globalDrawModeEnabled()) map.pm.enableDraw("Line", { snappable: false });
  }

  function toggle(feature, layer) {
    const code = feature.properties.code;
    if (chosen.has(code)) {
      chosen.delete(code);
      layer.setStyle(STYLE);
    } else {
      if (kind() !== "merge") {
        chosen.forEach((c) => c.layer.setStyle(STYLE));
        chosen.clear();
      }
      chosen.set(code, { layer, name: feature.properties.name });
      layer.setStyle(CHOSEN);
    }
    sync();
  }

  map.on("pm:create", (e) => {
    if (e.shape !== "Line") return;
    if (cutLayer) cutLayer.remove();
    cutLayer = e.layer;
    field("cut").value = JSON.stringify(cutLayer.getLatLngs().map((ll) => [ll.lng, ll.lat]));
  });
  map.on("click", (e) => {
    if (kind() !== "move_seat" || chosen.size !== 1) return;
    if (seatMarker) seatMarker.remove();
    seatMarker = L.circleMarker(e.latlng, { radius: 7, color: "#b91c1c" }).addTo(map);
    field("seat").value = JSON.stringify([[e.latlng.lng, e.latlng.lat]]);
  });
  field("kind").addEventListener("change", () => {
    chosen.forEach((c) => c.layer.setStyle(STYLE));
    chosen.clear();
    sync();
  });

  CivAtlas.getJSON(`${config.urls.divisions}?parent=${encodeURIComponent(config.parent)}`)
    .then((collection) => {
      const layer = L.geoJSON(collection, {
        style: STYLE,
        onEachFeature: (feature, l) => {
          l.bindTooltip(feature.properties.name, { sticky: true });
          // The division's code on its path, for people using dev tools and for browser tests.
          l.on("add", () => { const el = l.getElement(); if (el) el.dataset.code = feature.properties.code; });
          l.on("click", (e) => { if (kind() !== "move_seat" || chosen.size === 0) { L.DomEvent.stop(e); toggle(feature, l); } });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [20, 20] });
      // Names on the map and the parent's neighbours for orientation (geoapp map_kit.js).
      CivAtlas.mapKit.labels(map, collection.features);
      CivAtlas.mapKit.surroundings(map, { code: config.parent, api: config.api });
      document.body.dataset.ready = "true";
      sync();
    });
})();
