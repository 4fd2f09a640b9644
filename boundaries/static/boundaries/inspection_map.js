/* Maps of the inspection pages (schedule, line, inspection, disputes). Plain ES2017,
 * Leaflet from django-leaflet (served by us). Layers arrive as GeoJSON through
 * json_script: each feature carries its colour, name, label and (optionally) an id that
 * the layer's link template turns into a page link. No tiles unless configured. */
(function () {
  "use strict";
  const { el } = window.CivAtlas;
  const config = CivAtlas.config("inspection-map-config");
  const element = document.getElementById("ins-map");
  if (!config || !element) return;
  const map = L.map(element).setView([34.75, 105.9], 9);
  CivAtlas.baseLayers(map, config.basemaps);
  const bounds = L.latLngBounds([]);
  (config.layers || []).forEach((spec) => {
    const layer = L.geoJSON(spec.data, {
      style: (feature) => ({ color: feature.properties.colour || "#333", weight: feature.properties.weight || 4,
                             opacity: 0.9 }),
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
        radius: 6, weight: 1, color: "#ffffff", fillOpacity: 0.9, fillColor: feature.properties.colour || "#333",
      }),
      onEachFeature: (feature, item) => {
        const p = feature.properties;
        const box = el("div", "", spec.link && p.id !== undefined
          ? el("a", { href: spec.link.replace(/\/0\//, `/${p.id}/`) }, p.name) : p.name || "");
        if (p.status_label || p.label) box.append(el("div", "", p.label || `${p.status_label}${p.due ? ` · ${p.due}` : ""}`));
        item.bindPopup(box);
      },
    }).addTo(map);
    if (spec.data.features.length) bounds.extend(layer.getBounds());
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
  element.dataset.ready = "true";
})();
