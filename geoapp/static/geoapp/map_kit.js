/*
 * What every map of the site shares besides geoapp/civatlas.js (CivAtlas.mapKit):
 * division labels that hide when they would overlap a bigger division's label, and the
 * surrounding divisions drawn as grey context with their names, so an editor or reviewer
 * sees where a line or a division lies. Used by the editor, the division-change form, the
 * review page, the sign dashboard, the division picker's map and the place page; the map
 * workspace draws its own clickable labels and tidies them with declutter().
 */
(function () {
  "use strict";
  const { el, getJSON } = window.CivAtlas;
  const CONTEXT = { color: "#64748b", weight: 1, dashArray: "3 3", fillColor: "#94a3b8", fillOpacity: 0.06 };

  /* Hide the labels of `group` that would overlap a label already placed, the highest
   * `rank` first (by default the marker's priority: bigger divisions first). */
  function declutter(group, rank = (marker) => marker.priority) {
    const placed = [];
    group.getLayers().sort((a, b) => rank(b) - rank(a)).forEach((marker) => {
      const node = marker.getElement();
      if (!node) return;
      node.classList.remove("label-hidden");
      const box = (node.firstElementChild || node).getBoundingClientRect(); // the text, not the 0×0 anchor
      if (placed.some((p) => box.left < p.right && box.right > p.left && box.top < p.bottom && box.bottom > p.top)) {
        node.classList.add("label-hidden");
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
      const icon = L.divIcon({
        className: `division-label map-kit-label level-${p.level || ""}${muted ? " muted" : ""}`,
        html: el("span", "", p.name), iconSize: null,
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

  /* The divisions inside `parent`, outlined under everything else and labelled (the sign
   * dashboard, a line-edit review), with the parent's neighbours around them. */
  function inside(map, { parent, api, style }) {
    if (!parent || !api) return;
    getJSON(`${api.divisions}?parent=${encodeURIComponent(parent)}`).then((divisions) => {
      L.geoJSON(divisions, { style, interactive: false }).addTo(map).bringToBack();
      labels(map, divisions.features);
    }).catch((error) => console.warn(error));
    surroundings(map, { code: parent, api });
  }

  window.CivAtlas.mapKit = { labels, surroundings, inside, declutter };
})();
