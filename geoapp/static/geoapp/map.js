/*
 * CivAtlas map workspace (民政地理信息平台 · 区划地图).
 *
 * Plain ES2017, no build step. Configuration comes from the json_script element
 * #map-config (geoapp.views.map_config): the home division, the API URLs, the base
 * maps and the user. The map draws the children of one division with labels; a click
 * shows a division in the side panel; "查看下级区划" walks down, the breadcrumb walks
 * up; the search box finds divisions by name or code. The facility layer (民政设施)
 * shows the facilities inside the drawn parent, one symbol per kind, with a legend
 * that filters by kind and status; it is off until switched on (a prefecture holds a
 * thousand facilities). The view (drawn division, selection, centre, zoom, layers) lives
 * in the URL (?division=&selected=&at=lat,lng,zoom&layers=facilities), so reload, Back,
 * the language switch and a shared link restore it; double-click drills down. Labels
 * that would overlap a bigger division's label are hidden until zoomed in.
 * Every request goes to our own
 * API and every asset is served by us: government intranets have no internet.
 * UI strings go through Django's JavaScriptCatalog (gettext), Chinese being the source.
 */
(function () {
  "use strict";

  const { el, button, getJSON } = window.CivAtlas;
  const config = CivAtlas.config("map-config");
  const $ = (id) => document.getElementById(id);
  const areaFormat = new Intl.NumberFormat(config.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  const STYLE = { color: "#1f5fa8", weight: 1.5, opacity: 0.9, fillColor: "#4a90d9", fillOpacity: 0.12 };
  const POINT_STYLE = { color: "#ffffff", weight: 1.5, fillColor: "#1f5fa8", fillOpacity: 0.9, radius: 5 };
  const HOVER = { weight: 2.5, fillOpacity: 0.22 };
  const CONTEXT_STYLE = { color: "#13304f", weight: 2, dashArray: "6 4", fill: false };
  const SELECTED = { color: "#c2410c", weight: 3, fillColor: "#f59e0b", fillOpacity: 0.28 };

  const state = {
    parent: null, // Feature whose children are drawn (null: the top level)
    layers: new Map(), // code → Leaflet layer of the drawn divisions
    selected: null, // Leaflet layer shown in the panel
    ticket: 0, // latest request, so a slow answer never overwrites a newer one
    results: [], // last search results
  };

  // --- map, controls, base maps --------------------------------------------------
  const map = L.map("map", { zoomControl: false, minZoom: 3, maxZoom: 18 }).setView([35, 105], 4);
  CivAtlas.controls(map);
  const { bases, overlays } = CivAtlas.baseLayers(map, config.basemaps);

  // Facilities (民政设施) sit in their own pane above the divisions but below the
  // division labels, so a label stays clickable where a facility is drawn under it.
  map.createPane("facilities").style.zIndex = 550;
  // A prefecture holds a thousand facilities: clustered (Leaflet.markercluster, vendored)
  // until a township fills the map, so the county stays readable; one marker each above.
  const facilityLayer = L.markerClusterGroup ? L.markerClusterGroup({
    clusterPane: "facilities", chunkedLoading: true, showCoverageOnHover: false,
    disableClusteringAtZoom: 13, maxClusterRadius: 50,
  }) : L.layerGroup();
  overlays[gettext("民政设施")] = facilityLayer;
  const layersControl = L.control.layers(bases, overlays, { position: "topright" }).addTo(map);

  const Coordinates = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      const box = L.DomUtil.create("div", "coordinates");
      map.on("mousemove", (e) => { box.textContent = `${e.latlng.lng.toFixed(5)}, ${e.latlng.lat.toFixed(5)}`; });
      return box;
    },
  });
  new Coordinates().addTo(map);

  const divisions = L.geoJSON(null, {
    className: "division",
    style: (f) => (f.geometry.type === "Point" ? POINT_STYLE : STYLE),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { className: "division division-point" }),
    onEachFeature(feature, layer) {
      state.layers.set(feature.properties.code, layer);
      layer.on("click", () => select(feature.properties.code));
      layer.on("dblclick", (e) => { // drill down (instead of zooming in) where there is a level below
        if (!feature.properties.children) return;
        L.DomEvent.stop(e);
        show(feature.properties.code);
      });
      layer.on("mouseover", () => layer !== state.selected && layer.setStyle(HOVER));
      layer.on("mouseout", () => layer !== state.selected && divisions.resetStyle(layer));
    },
  }).addTo(map);
  const labels = L.layerGroup().addTo(map);
  // The outline of the division whose children are drawn: context, not clickable.
  const context = L.geoJSON(null, { style: CONTEXT_STYLE, interactive: false }).addTo(map);
  map.on("zoomend", () => {
    map.getContainer().classList.toggle("zoomed-out", map.getZoom() < 11);
    // A prefecture holds a thousand facilities: small dots until a county fills the map.
    map.getContainer().classList.toggle("far-out", map.getZoom() < 10);
  });

  // --- data ----------------------------------------------------------------------
  const detailUrl = (code) => config.api.division_detail.replace("{code}", encodeURIComponent(code));
  const childrenUrl = (code) => `${config.api.divisions}?parent=${encodeURIComponent(code)}`;

  const status = (text) => CivAtlas.show($("map-status"), text);

  /* Draw the children of `code` (top level when null); select `selectCode` if given.
   * `view` ({lat, lng, zoom}) restores a view from the URL instead of fitting the map. */
  async function show(code, selectCode, { view = null, history = "push" } = {}) {
    const ticket = ++state.ticket;
    status(gettext("加载中…"));
    try {
      const [parent, collection] = await Promise.all([
        code ? getJSON(detailUrl(code)) : null,
        getJSON(code ? childrenUrl(code) : config.api.divisions),
      ]);
      if (ticket !== state.ticket) return true;
      // A division without children (a village) is drawn itself.
      const features = collection.features.length || !parent ? collection.features : [parent];
      state.parent = parent;
      state.quiet = true; // one history entry per drawn division, written below
      facilitiesFor(parent ? parent.properties.code : null);
      context.clearLayers();
      if (parent && features[0] !== parent && parent.geometry && parent.geometry.type !== "Point") context.addData(parent);
      draw(features);
      renderBreadcrumb();
      renderList(features);
      if (selectCode && state.layers.has(selectCode)) {
        select(selectCode, { zoom: !view });
      } else {
        closeDetails();
        if (!view) fit(divisions.getBounds());
      }
      if (view) map.setView([view.lat, view.lng], view.zoom, { animate: false });
      declutter();
      status("");
      state.quiet = false;
      writeUrl(history);
      return true;
    } catch (error) {
      console.error(error);
      state.quiet = false;
      if (ticket === state.ticket) status(gettext("加载失败，请稍后重试。"));
      return false;
    }
  }

  /* Show the division `code` among its siblings, selected (search results, parent links). */
  async function reveal(code) {
    try {
      const feature = await getJSON(detailUrl(code));
      await show(feature.properties.parent || null, code);
    } catch (error) {
      console.error(error);
      status(gettext("加载失败，请稍后重试。"));
    }
  }

  // --- drawing -------------------------------------------------------------------
  function draw(features) {
    divisions.clearLayers();
    labels.clearLayers();
    state.layers.clear();
    state.selected = null;
    divisions.addData(features);
    features.forEach((f) => {
      const at = f.properties.label || f.properties.seat;
      if (!at) return;
      const icon = L.divIcon({ className: `division-label level-${f.properties.level}`, html: el("span", "", f.properties.name), iconSize: null });
      const marker = L.marker([at[1], at[0]], { icon, keyboard: false, title: f.properties.name })
        .on("click", () => select(f.properties.code))
        .on("dblclick", (e) => { // a label drills down like its division
          if (!f.properties.children) return;
          L.DomEvent.stop(e);
          show(f.properties.code);
        })
        .addTo(labels);
      marker.priority = f.properties.area_km2 || 0;
      marker.code = f.properties.code;
    });
  }

  /* Hide labels that would overlap a label already placed: bigger divisions first, the
   * selected one always. Run after every draw and zoom (village labels crowd at 12). */
  function declutter() {
    const selectedCode = state.selected && state.selected.feature.properties.code;
    CivAtlas.mapKit.declutter(labels, (marker) => (marker.code === selectedCode ? Infinity : marker.priority));
  }
  map.on("zoomend", () => declutter());

  // --- the view in the URL --------------------------------------------------------------
  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const at = (params.get("at") || "").split(",").map(Number);
    const view = at.length === 3 && at.every(Number.isFinite) ? { lat: at[0], lng: at[1], zoom: at[2] } : null;
    return {
      division: params.get("division"), selected: params.get("selected"), view,
      facilities: (params.get("layers") || "").split(",").includes("facilities"),
    };
  }

  function writeUrl(mode = "replace") {
    if (restoring || state.quiet) return;
    const params = new URLSearchParams(window.location.search);
    const set = (key, value) => (value ? params.set(key, value) : params.delete(key));
    const centre = map.getCenter();
    set("division", state.parent ? state.parent.properties.code : "");
    set("selected", state.selected ? state.selected.feature.properties.code : "");
    set("at", `${centre.lat.toFixed(5)},${centre.lng.toFixed(5)},${map.getZoom()}`);
    set("layers", map.hasLayer(facilityLayer) ? "facilities" : "");
    const url = `${window.location.pathname}?${params.toString()}`;
    // The language switch sends the user back here: to this view, not the first one.
    document.querySelectorAll('.language-form input[name="next"]').forEach((input) => { input.value = url; });
    if (url === window.location.pathname + window.location.search) return;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }
  let restoring = false;
  let moveTimer = null;
  map.on("moveend", () => { clearTimeout(moveTimer); moveTimer = setTimeout(() => writeUrl("replace"), 150); });

  async function restore() {
    const wanted = readUrl();
    restoring = true;
    if (wanted.facilities && !map.hasLayer(facilityLayer)) { facilityLayer.addTo(map); facilityLegend.addTo(map); }
    if (!wanted.facilities && map.hasLayer(facilityLayer)) { map.removeLayer(facilityLayer); facilityLegend.remove(); }
    let ok;
    try {
      ok = await show(wanted.division || (wanted.view ? null : config.home), wanted.selected, { view: wanted.view });
    } finally {
      restoring = false;
    }
    if (!ok) ok = await show(null);
    writeUrl("replace");
    return ok;
  }
  window.addEventListener("popstate", () => restore());

  function fit(bounds, padding = 24) {
    if (!bounds.isValid()) return;
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), Math.max(map.getZoom(), 13));
    else map.fitBounds(bounds, { padding: [padding, padding] });
  }

  function select(code, { zoom = false } = {}) {
    const layer = state.layers.get(code);
    if (!layer) return;
    if (state.selected) divisions.resetStyle(state.selected);
    state.selected = layer;
    layer.setStyle(SELECTED);
    if (layer.bringToFront) layer.bringToFront();
    renderDetails(layer.feature.properties);
    document.querySelectorAll("#division-list button").forEach((b) => {
      b.classList.toggle("active", b.dataset.code === code);
    });
    // Some margin around a selected division keeps its neighbours in sight.
    if (zoom) fit(layer.getLatLng ? L.latLngBounds([layer.getLatLng()]) : layer.getBounds(), 100);
    declutter();
    writeUrl("replace");
  }

  // --- side panel ------------------------------------------------------------------
  function setField(name, value) {
    document.querySelector(`#details [data-field="${name}"]`).replaceChildren(value);
  }

  /* A list button: the name, then a muted line of facts. */
  function entry(name, meta, onClick) {
    const b = button("", onClick);
    b.append(el("span", "name", name), el("small", "", meta));
    return b;
  }

  function renderDetails(p) {
    $("details").hidden = false;
    $("details-name").textContent = p.name;
    $("details-synthetic").hidden = p.source !== "synthetic";
    setField("code", p.code);
    setField("level_label", p.level_label || "—");
    setField("kind_label", p.kind_label || "—");
    setField("area_km2", p.area_km2 == null ? gettext("无（以驻地点表示）") : `${areaFormat.format(p.area_km2)} km²`);
    setField("parent", p.parent ? button(`${p.parent_name}（${p.parent}）`, () => reveal(p.parent), "link-button") : "—");
    setField("children", String(p.children));
    setField("valid_from", p.valid_from || "—");
    const source = el("span", "", p.source_label || p.source || "—");
    if (p.source_note) source.append(el("br"), el("small", "", p.source_note));
    setField("source", source);
    $("show-children").disabled = !p.children;
    $("show-children").onclick = () => show(p.code);
    $("zoom-to").onclick = () => select(p.code, { zoom: true });
  }

  function closeDetails() {
    if (state.selected) divisions.resetStyle(state.selected);
    state.selected = null;
    $("details").hidden = true;
    document.querySelectorAll("#division-list button.active").forEach((b) => b.classList.remove("active"));
    writeUrl("replace");
  }
  $("details-close").addEventListener("click", closeDetails);

  function renderBreadcrumb() {
    const parent = state.parent;
    const trail = [{ code: null, name: gettext("全国") }];
    if (parent) trail.push(...(parent.properties.ancestors || []), parent.properties);
    const items = trail.map((item, i) => {
      if (i === trail.length - 1) return el("span", { className: "crumb", "aria-current": "location" }, item.name);
      return button(item.name, () => show(item.code), "link-button crumb");
    });
    if (trail.length > 1) {
      const up = trail[trail.length - 2];
      items.unshift(button(`↑ ${gettext("上一级")}`, () => show(up.code), "up-button"));
    }
    $("breadcrumb").replaceChildren(...items);
  }

  function renderList(features) {
    $("list-count").textContent = `(${features.length})`;
    $("division-list").replaceChildren(
      ...features.map((f) => {
        const p = f.properties;
        const meta = p.area_km2 == null ? p.kind_label : `${p.kind_label} · ${areaFormat.format(p.area_km2)} km²`;
        const b = entry(p.name, meta, () => select(p.code, { zoom: true }));
        b.dataset.code = p.code;
        return el("li", "", b);
      }),
    );
  }

  // --- search --------------------------------------------------------------------
  const input = $("search-input");
  const resultList = $("search-results");
  let searchTimer = null;

  async function search() {
    const q = input.value.trim();
    if (!q) {
      resultList.hidden = true;
      return [];
    }
    // Divisions by name or code, and the gazetteer (characters, pinyin, initials, fuzzy),
    // ranked nearer the map centre on ties.
    const centre = map.getCenter();
    const [divisions, names] = await Promise.all([
      getJSON(`${config.api.division_search}?q=${encodeURIComponent(q)}`),
      getJSON(`${config.api.placename_search}?q=${encodeURIComponent(q)}&centre=${centre.lng.toFixed(5)},${centre.lat.toFixed(5)}`)
        .catch(() => ({ results: [] })),
    ]);
    if (input.value.trim() !== q) return [];
    const divisionCodes = new Set(divisions.results.map((r) => r.code));
    const places = names.results
      .filter((r) => !(r.category === "division" && divisionCodes.has(r.division_code)))
      .slice(0, 8)
      .map((r) => ({ ...r, place: true }));
    const results = [...divisions.results.slice(0, 8), ...places];
    state.results = results;
    renderResults(results);
    return results;
  }

  let placeMarker = null;

  function showPlace(r) {
    if (placeMarker) placeMarker.remove();
    if (!r.lonlat) return;
    const [lon, lat] = r.lonlat;
    const box = el("div", "", el("strong", "", r.name), el("div", "", r.romanization || ""),
      el("div", "", [r.category_label, r.division].filter(Boolean).join(" · ")),
      el("a", { href: r.url }, gettext("地名详情")));
    placeMarker = L.circleMarker([lat, lon], { radius: 8, color: "#c2410c", weight: 3, fillOpacity: 0.6, className: "place-marker" })
      .addTo(map).bindPopup(box).openPopup();
    map.setView([lat, lon], Math.max(map.getZoom(), 13));
  }

  function renderResults(results) {
    const items = results.map((r) => {
      // Kind and administrative path, so that names that repeat can be told apart.
      const path = (r.path || []).join(" › ");
      const detail = r.place
        ? [r.category_label, path || r.division, r.romanization].filter(Boolean).join(" · ")
        : [r.kind_label || r.level_label, path || r.parent_name, r.code].filter(Boolean).join(" · ");
      return el("li", r.place ? "place-result" : "", entry(r.name, detail, () => pick(r)));
    });
    if (!items.length) items.push(el("li", "empty", gettext("未找到匹配的区划或地名")));
    resultList.replaceChildren(...items);
    resultList.hidden = false;
  }

  function pick(result) {
    resultList.hidden = true;
    input.value = result.name;
    if (result.place) showPlace(result);
    else reveal(result.code);
  }

  input.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search().catch((e) => console.error(e)), 250);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape") resultList.hidden = true;
    if (e.key === "ArrowDown" && !resultList.hidden) {
      e.preventDefault();
      const first = resultList.querySelector("button");
      if (first) first.focus();
    }
  });
  $("search").addEventListener("submit", async (e) => {
    e.preventDefault();
    clearTimeout(searchTimer);
    try {
      const results = await search();
      if (results.length) pick(results[0]);
    } catch (error) {
      console.error(error);
      status(gettext("搜索失败，请稍后重试。"));
    }
  });
  document.addEventListener("click", (e) => {
    if (!$("search").contains(e.target)) resultList.hidden = true;
  });

  // --- facility layer: every kind in one layer, styled, filtered, with popups --------
  const Facilities = CivAtlas.facilities;
  const facilityConfig = config.facilities;
  const facilityState = {
    features: [],
    kinds: new Set(facilityConfig.kinds.map((k) => k.value)),
    statuses: new Set(facilityConfig.statuses.map((s) => s.value)),
    ticket: 0,
  };

  function checkbox(group, value, checked, ...content) {
    const box = el("input", { type: "checkbox", name: `facility-${group}`, value, checked });
    box.addEventListener("change", () => {
      const set = group === "kind" ? facilityState.kinds : facilityState.statuses;
      if (box.checked) set.add(value);
      else set.delete(value);
      drawFacilities();
    });
    return el("label", "", box, ...content, el("small", { dataset: { count: `${group}-${value}` } }));
  }

  const fieldset = (title, items) => el("fieldset", "", el("legend", "", title), ...items);

  const FacilityLegend = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      const box = L.DomUtil.create("details", "facility-legend");
      box.id = "facility-legend";
      box.open = true;
      const summary = el("summary", "", gettext("民政设施"), " ", el("small", { id: "facility-count" }));
      const kinds = facilityConfig.kinds.map((k) =>
        checkbox("kind", k.value, true, Facilities.glyph(k.value, "operating"), el("span", "", k.label)));
      const statuses = facilityConfig.statuses.map((s) =>
        checkbox("status", s.value, true, Facilities.glyph("any", s.value), el("span", "", s.label)));
      const body = el("div", "legend-body", fieldset(gettext("类型"), kinds), fieldset(gettext("状态"), statuses));
      if (config.user.authenticated) {
        const links = el("p", "legend-links", el("a", { href: config.pages.facility_list }, gettext("设施登记")));
        if (config.pages.facility_gaps) { // only for the roles that may analyse
          links.append(el("a", { id: "facility-gaps-link", href: config.pages.facility_gaps }, gettext("缺口分析")));
        }
        body.append(links);
      }
      box.append(summary, body);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  const facilityLegend = new FacilityLegend();
  map.on("overlayadd", (e) => {
    if (e.layer !== facilityLayer) return;
    facilityLegend.addTo(map);
    facilitiesFor(state.parent ? state.parent.properties.code : null);
    writeUrl("replace");
  });
  map.on("overlayremove", (e) => { if (e.layer === facilityLayer) { facilityLegend.remove(); writeUrl("replace"); } });

  /* Load the facilities of `code` only while the layer is on (a prefecture's are ~450 KB). */
  function facilitiesFor(code) {
    if (!map.hasLayer(facilityLayer)) {
      facilityState.code = undefined; // load when switched on
      return;
    }
    if (facilityState.code === code) return;
    facilityState.code = code;
    loadFacilities(code);
  }

  function drawFacilities() {
    facilityLayer.clearLayers();
    const markers = [];
    const counts = {};
    let shown = 0;
    facilityState.features.forEach((f) => {
      const p = f.properties;
      counts[`kind-${p.kind}`] = (counts[`kind-${p.kind}`] || 0) + 1;
      counts[`status-${p.status}`] = (counts[`status-${p.status}`] || 0) + 1;
      if (!facilityState.kinds.has(p.kind) || !facilityState.statuses.has(p.status)) return;
      markers.push(Facilities.marker(f, { labels: facilityConfig.labels, detailUrl: config.pages.facility }));
      shown += 1;
    });
    if (facilityLayer.addLayers) facilityLayer.addLayers(markers);
    else markers.forEach((m) => m.addTo(facilityLayer));
    document.querySelectorAll("#facility-legend [data-count]").forEach((node) => {
      node.textContent = counts[node.dataset.count] || "0";
    });
    const total = $("facility-count");
    if (total) total.textContent = `(${shown}/${facilityState.features.length})`;
  }

  /* The facilities inside the division whose children are drawn (none at the top level). */
  async function loadFacilities(code) {
    const ticket = ++facilityState.ticket;
    let features = [];
    if (code) {
      try {
        const data = await getJSON(`${config.api.facilities}?division=${encodeURIComponent(code)}`);
        features = data.features;
      } catch (error) {
        console.error(error);
      }
    }
    if (ticket !== facilityState.ticket) return;
    facilityState.features = features;
    drawFacilities();
  }

  // --- start: the children of the home division, else the top level -------------
  restore();
  // For self-contained layer modules (tiles/static/tiles/tile_layers.js): the map, its
  // layer switcher, and "show this division in the panel".
  window.CivAtlasMap = { map, layersControl, reveal };
})();
