/* CivAtlas line-edit review map: the old line (grey, dashed) and the proposed one (red). */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("review-config").textContent);
  const map = L.map("review-map");
  map.attributionControl.setPrefix("CivAtlas · Leaflet");
  const old = L.geoJSON(JSON.parse(config.old), { style: { color: "#6b7280", weight: 3, dashArray: "6 6" } }).addTo(map);
  const proposed = L.geoJSON(JSON.parse(config.new), { style: { color: "#c2410c", weight: 3 } }).addTo(map);
  map.fitBounds(old.getBounds().extend(proposed.getBounds()), { padding: [20, 20] });
})();
