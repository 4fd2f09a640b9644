/* CivAtlas division-change review map: retired units (grey, dashed) and new ones (blue). */
(function () {
  "use strict";
  const config = CivAtlas.config("change-review-config");
  const map = CivAtlas.prefix(L.map("review-map"));
  const styles = {
    retired: { color: "#6b7280", weight: 2, dashArray: "6 6", fillOpacity: 0.05 },
    created: { color: "#c2410c", weight: 3, fillOpacity: 0.15 },
    seat: { color: "#c2410c", weight: 2, fillOpacity: 0.1 },
  };
  const bounds = L.latLngBounds([]);
  config.units.forEach(function (unit) {
    if (!unit.geometry) return;
    const layer = L.geoJSON(unit.geometry, { style: styles[unit.role] || styles.created })
      .bindTooltip(unit.name + " " + unit.code).addTo(map);
    bounds.extend(layer.getBounds());
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
  else map.setView([34.75, 106.1], 9);
})();
