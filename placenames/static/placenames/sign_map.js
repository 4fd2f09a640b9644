/* Map of signs coloured by status (progress dashboard). Plain ES2017, Leaflet from
 * django-leaflet (served by us), data from /api/signs/ as GeoJSON (lon/lat). */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sign-map-config").textContent);
  const element = document.getElementById("sg-map");
  if (!element) return;
  const map = L.map(element).setView([34.75, 105.9], 9);
  const kit = window.CivAtlasMap;
  kit.prefix(map);
  if (config.division && config.api) {
    kit.getJSON(`${config.api.divisions}?parent=${encodeURIComponent(config.division)}`).then((parts) => {
      L.geoJSON(parts, { style: { color: "#1f5fa8", weight: 1, fillColor: "#4a90d9", fillOpacity: 0.05 }, interactive: false })
        .addTo(map).bringToBack();
      kit.labels(map, parts.features);
    }).catch((error) => console.warn(error));
    kit.surroundings(map, { code: config.division, api: config.api });
  }
  (config.basemaps || []).forEach((layer) => {
    L.tileLayer(layer.url, { attribution: layer.attribution || "", subdomains: layer.subdomains || "abc",
                             maxZoom: layer.max_zoom || 18 }).addTo(map);
  });
  const detail = (id) => config.detail.replace(/0\/$/, `${id}/`);
  fetch(config.signs, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((collection) => {
      const layer = L.geoJSON(collection, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
          radius: 6, weight: 1, color: "#ffffff", fillOpacity: 0.9,
          fillColor: config.colours[feature.properties.status] || "#555555",
        }),
        onEachFeature: (feature, marker) => {
          const p = feature.properties;
          const box = document.createElement("div");
          const link = document.createElement("a");
          link.href = detail(p.id);
          link.textContent = `${p.text_cn}（${p.type_label}）`;
          const state = document.createElement("div");
          state.textContent = `${p.status_label} · ${p.division_name}`;
          box.append(link, state);
          marker.bindPopup(box);
        },
      }).addTo(map);
      element.dataset.count = String(collection.features.length);
      if (collection.features.length) map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 15 });
    })
    .catch(() => { element.dataset.error = gettext("标志加载失败，请稍后重试。"); });
})();
