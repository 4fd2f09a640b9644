/*
 * What every small map of the site shares (window.CivAtlasMap): the product's own
 * attribution prefix (no outside link, no flag), division labels that hide when they
 * would overlap a bigger division's label, and the surrounding divisions drawn as grey
 * context with their names, so an editor or reviewer sees where a line or a division
 * lies. Used by the editor, the division-change form, the review page, the sign
 * dashboard and the place page; the map workspace has its own richer version.
 */
(function () {
  "use strict";
  const PREFIX = "CivAtlas · Leaflet";
  const CONTEXT = { color: "#64748b", weight: 1, dashArray: "3 3", fillColor: "#94a3b8", fillOpacity: 0.06 };

  function prefix(map) {
    map.attributionControl.setPrefix(PREFIX);
    return map;
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  function declutter(group) {
    const placed = [];
    group.getLayers().sort((a, b) => b.priority - a.priority).forEach((marker) => {
      const el = marker.getElement();
      if (!el) return;
      el.classList.remove("label-hidden");
      const box = (el.firstElementChild || el).getBoundingClientRect(); // the text, not the 0×0 anchor
      if (placed.some((p) => box.left < p.right && box.right > p.left && box.top < p.bottom && box.bottom > p.top)) {
        el.classList.add("label-hidden");
      } else {
        placed.push(box);
      }
    });
  }

  /* Permanent name labels of `features` (GeoJSON with properties.name and .label or
   * .seat as [lon, lat]) in a layer group; `muted` for surrounding divisions. */
  function labels(map, features, { muted = false } = {}) {
    const group = L.layerGroup();
    features.forEach((f) => {
      const p = f.properties || {};
      const at = p.label || p.seat;
      if (!at || !p.name) return;
      const text = document.createElement("span");
      text.textContent = p.name;
      const icon = L.divIcon({
        className: `division-label map-kit-label level-${p.level || ""}${muted ? " muted" : ""}`, html: text, iconSize: null,
      });
      const marker = L.marker([at[1], at[0]], { icon, keyboard: false, interactive: false });
      marker.priority = (muted ? 0 : 1e9) + (p.area_km2 || 0);
      marker.addTo(group);
    });
    group.addTo(map);
    const tidy = () => declutter(group);
    map.on("zoomend", tidy);
    setTimeout(tidy, 0);
    return group;
  }

  /* The siblings of division `code` (the other children of its parent), grey, labelled,
   * not clickable, under everything else. Resolves to the drawn layer (or null). */
  async function surroundings(map, { code, api }) {
    if (!code || !api || !api.division_detail || !api.divisions) return null;
    try {
      const detail = await getJSON(api.division_detail.replace("{code}", encodeURIComponent(code)));
      const parent = detail.properties.parent;
      if (!parent) return null;
      const siblings = await getJSON(`${api.divisions}?parent=${encodeURIComponent(parent)}`);
      const others = siblings.features.filter((f) => f.properties.code !== code && f.geometry && f.geometry.type !== "Point");
      if (!map.getPane("context")) map.createPane("context").style.zIndex = 350;
      const layer = L.geoJSON({ type: "FeatureCollection", features: others }, {
        style: CONTEXT, interactive: false, pane: "context", className: "context-division",
      }).addTo(map);
      labels(map, others, { muted: true });
      return layer;
    } catch (error) {
      console.warn(error);
      return null;
    }
  }

  window.CivAtlasMap = { prefix, labels, surroundings, getJSON, declutter };
})();
