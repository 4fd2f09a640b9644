/*
 * Vector-tile layers of the map workspace, a self-contained module on top of
 * geoapp/map.js (which exposes window.CivAtlasMap = {map, layersControl, reveal}).
 *
 * "全国区划" draws every division of the country from /tiles/<level>/{z}/{x}/{y}.mvt
 * (provinces from zoom 0, prefectures 3, counties 4, townships 8, villages 10) under the
 * drawn division's children; a click shows that division in the side panel (reveal), so
 * one can start anywhere in the country. "地名（矢量瓦片）" and "民政设施（矢量瓦片）" draw
 * standard names and facilities from their tiles, for areas too big for GeoJSON; a click
 * shows the name. Tiles are gzipped, cached in Redis and revalidated with ETags by the
 * server; the browser asks again (no-cache), so an edit shows on the next pan.
 * Plain ES2017; Leaflet.VectorGrid vendored from npm (tiles/static/vendor).
 */
(function () {
  "use strict";

  const { el } = window.CivAtlas;
  const hook = window.CivAtlasMap;
  const script = document.currentScript;
  if (!hook || !L.vectorGrid || !script) return;
  const { map, layersControl, reveal } = hook;
  const template = script.dataset.tileUrl.replace("/LAYER/0/0/0.mvt", "/{layer}/{z}/{x}/{y}.mvt");
  const url = (layer) => template.replace("{layer}", layer);

  map.createPane("vector-tiles").style.zIndex = 350; // under the drawn divisions (overlayPane 400)

  const LEVELS = { province: 0, prefecture: 3, county: 4, township: 8, village: 10 };
  const OUTLINE = {
    province: { weight: 1.6, color: "#6b4f2a" },
    prefecture: { weight: 1.1, color: "#8a6d45" },
    county: { weight: 0.8, color: "#9a8a70" },
    township: { weight: 0.5, color: "#b3a58c", dashArray: "3 3" },
    village: { weight: 0.4, color: "#c8bca8", dashArray: "2 3" },
  };

  function grid(layer, minZoom, style, extra = {}) {
    return L.vectorGrid.protobuf(url(layer), {
      pane: "vector-tiles",
      minZoom,
      maxNativeZoom: 16,
      interactive: true,
      rendererFactory: L.svg.tile,
      vectorTileLayerStyles: { [layer]: style },
      getFeatureId: (f) => f.properties.code || f.properties.id,
      ...extra,
    });
  }

  // One tile carries every level (coarse to fine). A click goes to the finest level
  // drawn at that zoom: the coarser ones are drawn but not clickable once the next
  // level appears (the canvas hit-test would otherwise take any of them).
  const order = Object.keys(LEVELS);
  const styles = {};
  order.forEach((level, i) => {
    const next = order[i + 1];
    styles[level] = (properties, zoom) => ({
      ...OUTLINE[level], fill: true, fillOpacity: 0.01, fillColor: "#ffffff",
      interactive: !next || zoom < LEVELS[next],
    });
  });
  const divisions = L.vectorGrid.protobuf(url("divisions"), {
    pane: "vector-tiles",
    maxNativeZoom: 16,
    interactive: true,
    rendererFactory: L.svg.tile,
    vectorTileLayerStyles: styles,
    getFeatureId: (f) => f.properties.code,
  });
  divisions.on("click", (e) => {
    const code = e.layer && e.layer.properties && e.layer.properties.code;
    if (code) reveal(code);
  });

  const names = grid("names", 10, { radius: 3, weight: 1, color: "#ffffff", fill: true, fillColor: "#5b3c88", fillOpacity: 0.9 });
  const popup = (latlng, ...content) => L.popup().setLatLng(latlng).setContent(el("div", "", ...content)).openOn(map);
  names.on("click", (e) => {
    const p = e.layer.properties;
    popup(e.latlng, el("strong", "", p.standard_name), el("br"), el("span", "", p.romanization || ""));
  });
  const facilities = grid("facilities", 6, { radius: 4, weight: 1, color: "#ffffff", fill: true, fillColor: "#0f766e", fillOpacity: 0.9 });
  facilities.on("click", (e) => popup(e.latlng, el("strong", "", e.layer.properties.name)));

  divisions.addTo(map);
  layersControl.addOverlay(divisions, gettext("全国区划（矢量瓦片）"));
  layersControl.addOverlay(names, gettext("地名（矢量瓦片）"));
  layersControl.addOverlay(facilities, gettext("民政设施（矢量瓦片）"));
  window.CivAtlasTiles = { divisions, names, facilities };
})();
