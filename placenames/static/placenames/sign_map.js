/* Map of signs coloured by status (progress dashboard). Plain ES2017, Leaflet from
 * django-leaflet (served by us), data from /api/signs/ as GeoJSON (lon/lat). */
(function () {
  "use strict";
  const { el } = window.CivAtlas;
  const config = CivAtlas.config("sign-map-config");
  const element = document.getElementById("sg-map");
  if (!element) return;
  const map = CivAtlas.prefix(L.map(element).setView([34.75, 105.9], 9));
  CivAtlas.mapKit.inside(map, {
    parent: config.division, api: config.api, style: { color: "#1f5fa8", weight: 1, fillColor: "#4a90d9", fillOpacity: 0.05 },
  });
  CivAtlas.baseLayers(map, config.basemaps);
  const detail = (id) => config.detail.replace(/0\/$/, `${id}/`);
  CivAtlas.getJSON(config.signs)
    .then((collection) => {
      const layer = L.geoJSON(collection, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
          radius: 6, weight: 1, color: "#ffffff", fillOpacity: 0.9,
          fillColor: config.colours[feature.properties.status] || "#555555",
        }),
        onEachFeature: (feature, marker) => {
          const p = feature.properties;
          marker.bindPopup(el("div", "", el("a", { href: detail(p.id) }, `${p.text_cn}（${p.type_label}）`),
            el("div", "", `${p.status_label} · ${p.division_name}`)));
        },
      }).addTo(map);
      element.dataset.count = String(collection.features.length);
      if (collection.features.length) map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 15 });
    })
    .catch(() => { element.dataset.error = gettext("标志加载失败，请稍后重试。"); });
})();
