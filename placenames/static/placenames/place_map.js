/* Small map of one place name: its point only (no boundary or other layers). */
(function () {
  "use strict";
  const config = CivAtlas.config("place-config");
  const element = document.getElementById("pn-map");
  if (!config.point || !element) { if (element) element.hidden = true; return; }
  const lonlat = config.point;
  const map = L.map(element, { attributionControl: true }).setView([lonlat[1], lonlat[0]], 13);
  CivAtlas.prefix(map); // the product's own prefix, not Leaflet's flag and link
  CivAtlas.baseLayers(map, config.basemaps);
  L.circleMarker([lonlat[1], lonlat[0]], { radius: 8, color: "#1f5fa8", fillOpacity: 0.8 })
    .addTo(map).bindTooltip(config.name, { permanent: true, direction: "right" });
})();
