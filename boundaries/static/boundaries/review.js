/* CivAtlas line-edit review map: the old line (grey, dashed) and the proposed one (red),
 * over the divisions of the line's level (labelled) and their parent's neighbours. */
(function () {
  "use strict";
  const config = CivAtlas.config("review-config");
  const map = CivAtlas.prefix(L.map("review-map"));
  const old = L.geoJSON(JSON.parse(config.old), { style: { color: "#6b7280", weight: 3, dashArray: "6 6" } }).addTo(map);
  const proposed = L.geoJSON(JSON.parse(config.new), { style: { color: "#c2410c", weight: 3 } }).addTo(map);
  map.fitBounds(old.getBounds().extend(proposed.getBounds()), { padding: [20, 20] });
  CivAtlas.mapKit.inside(map, {
    parent: config.parent, api: config.api, style: { color: "#9aa5b1", weight: 1, fillColor: "#4a90d9", fillOpacity: 0.06 },
  });
})();
