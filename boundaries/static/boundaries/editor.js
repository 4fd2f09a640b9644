/*
 * CivAtlas boundary editor (界线编辑).
 *
 * Plain ES2017. Draws the divisions of one level inside a parent and the boundary lines
 * between them (our API). Selecting a line loads its topology edges; each edge becomes a
 * polyline editable with Leaflet-Geoman (vendored from npm): drag, add or delete
 * vertices, snapping to the neighbouring divisions; dragging an edge's end vertex moves
 * the node (triple point) and every edge meeting it. Saving sends the new edge
 * coordinates with the version the line was loaded at (optimistic lock). The server
 * checks the topology and files the change for a second officer's approval; any
 * refusal is shown in words, with its place marked on the map.
 */
(function () {
  "use strict";

  const { el, getJSON } = window.CivAtlas;
  const config = CivAtlas.config("editor-config");
  const $ = (id) => document.getElementById(id);
  const km2 = new Intl.NumberFormat(config.language, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const url = (template, id) => template.replace("{id}", id);

  const LINE = { color: "#1f5fa8", weight: 3, opacity: 0.85 };
  const OUTER = { color: "#13304f", weight: 2, opacity: 0.6, dashArray: "6 4" };
  const SELECTED = { color: "#c2410c", weight: 4 };
  const DIVISION = { color: "#9aa5b1", weight: 1, fillColor: "#4a90d9", fillOpacity: 0.08 };
  const CHANGED = { color: "#c2410c", weight: 2, fillColor: "#f59e0b", fillOpacity: 0.3 };
  // Divisions changed by the edit just approved (?changed=code,code) are highlighted.
  const changed = new Set((new URLSearchParams(window.location.search).get("changed") || "").split(",").filter(Boolean));

  const map = L.map("map", { zoomControl: true, maxZoom: 18 }).setView([34.7, 106.1], 9);
  CivAtlas.prefix(map);
  CivAtlas.baseLayers(map, config.basemaps, { overlays: false });
  map.pm.setGlobalOptions({ snappable: true, snapDistance: 12, allowSelfIntersection: false });
  map.pm.setLang(config.language && config.language.startsWith("zh") ? "zh" : "en");

  const divisions = L.featureGroup().addTo(map);
  const lines = L.featureGroup().addTo(map);
  const editing = L.featureGroup().addTo(map);
  let problemMarker = null;
  let current = null; // {detail, layer, edges: [{edge_id, polyline}], dirty}

  const status = (text) => CivAtlas.show($("map-status"), text);

  function message(text, kind) {
    $("edit-message").className = `edit-message ${kind}`;
    CivAtlas.show($("edit-message"), text);
  }

  function renderDivisions(collection) {
    divisions.clearLayers();
    const list = $("division-list");
    list.textContent = "";
    collection.features.forEach((feature) => {
      const p = feature.properties;
      const style = changed.has(p.code) ? CHANGED : DIVISION;
      L.geoJSON(feature, { style, pmIgnore: false }).bindTooltip(p.name, { sticky: true })
        .on("dblclick", (e) => openInside(e, p)).addTo(divisions);
      list.append(el("li", { className: changed.has(p.code) ? "changed" : undefined, dataset: { code: p.code } },
        el("span", "name", p.name), el("span", { className: "area", dataset: { areaKm2: p.area_km2 } }, `${km2.format(p.area_km2)} km²`)));
    });
    $("list-count").textContent = `(${collection.features.length})`;
  }

  /* Double-click a division: edit the lines one level down inside it (the map is the
   * picker too; the 上级区划 box above searches by name, pinyin or code). */
  const BELOW = { province: "prefecture", prefecture: "county", county: "township", township: "village" };
  function openInside(event, p) {
    if (!BELOW[p.level] || !p.children) return;
    L.DomEvent.stop(event);
    const params = new URLSearchParams({ parent: p.code, level: BELOW[p.level] });
    window.location.assign(`${window.location.pathname}?${params.toString()}`);
  }

  function renderLines(collection) {
    lines.clearLayers();
    collection.features.forEach((feature) => {
      const p = feature.properties;
      const layer = L.geoJSON(feature, { style: p.right ? LINE : OUTER, pmIgnore: true });
      layer.eachLayer((part) => {
        part.options.lineId = p.id;
        if (part._path) part._path.classList.add("boundary-line");
      });
      const label = p.right ? `${p.left_name} — ${p.right_name}` : `${p.left_name} · ${gettext("外边界")}`;
      layer.bindTooltip(label, { sticky: true });
      // A past date is a read-only view of the lines as they were.
      if (!config.date) layer.on("click", () => selectLine(p.id, layer));
      layer.addTo(lines);
      layer.eachLayer((part) => part.getElement && part.getElement() && part.getElement().setAttribute("data-line-id", p.id));
    });
  }

  async function loadAll() {
    status(gettext("加载中…"));
    const parent = encodeURIComponent(config.parent);
    const date = config.date ? `&date=${encodeURIComponent(config.date)}` : "";
    const [divs, lineCollection] = await Promise.all([
      getJSON(`${config.urls.divisions}?parent=${parent}${date}`),
      getJSON(`${config.urls.lines}?parent=${parent}&level=${encodeURIComponent(config.level)}${date}`),
    ]);
    renderDivisions(divs);
    renderLines(lineCollection);
    // Names of the divisions, and the parent's neighbours for orientation (geoapp map_kit.js).
    CivAtlas.mapKit.labels(map, divs.features);
    CivAtlas.mapKit.surroundings(map, { code: config.parent, api: config.api });
    if (divisions.getLayers().length) map.fitBounds(divisions.getBounds(), { padding: [20, 20] });
    status(lineCollection.features.length ? "" : gettext("尚未生成界线：请运行 build_boundary_lines"));
    document.body.dataset.ready = "true";
  }

  function clearEditing() {
    editing.eachLayer((layer) => layer.pm && layer.pm.disable());
    editing.clearLayers();
    if (current && current.layer) current.layer.setStyle(current.style);
    current = null;
    $("edit-form").hidden = true;
  }

  const HINT = $("line-hint").textContent;

  async function selectLine(id, layer) {
    clearEditing();
    message("", "");
    $("line-hint").textContent = HINT;
    const detail = await getJSON(url(config.urls.line, id));
    const style = detail.right ? LINE : OUTER;
    layer.setStyle(SELECTED);
    current = { detail, layer, style, edges: [], dirty: false };
    $("line-info").hidden = false;
    $("line-name").textContent = detail.right ? `${detail.left.name} — ${detail.right.name}` : `${detail.left.name} · ${gettext("外边界")}`;
    $("line-length").textContent = `${detail.length_km.toFixed(3)} km`;
    $("line-version").textContent = detail.version;
    $("line-pending").textContent = detail.pending_edits.length ? detail.pending_edits.map((e) => `#${e}`).join("、") : gettext("无");
    if (detail.can_edit && detail.pending_edits.length) {
      // One change at a time: the next edit starts from the line the reviewer decided on.
      $("line-hint").textContent = gettext("这条界线有待审核的变更，审核后才能再次修改。");
      return;
    }
    if (!detail.can_edit) {
      $("line-hint").textContent = detail.right ? gettext("您无权修改这条界线。") : gettext("外边界是数据范围的边缘（另一侧不在本系统内），不能在此修改。");
      return;
    }
    map.fitBounds(layer.getBounds(), { padding: [60, 60], maxZoom: 16, animate: false });
    detail.edges.forEach((edge) => {
      const polyline = L.polyline(edge.coordinates.map(([x, y]) => [y, x]), { color: "#c2410c", weight: 3 }).addTo(editing);
      polyline.pm.enable({ snappable: true, allowSelfIntersection: false, preventMarkerRemoval: false });
      const item = { edge_id: edge.edge_id, polyline, ends: endsOf(polyline) };
      polyline.on("pm:edit", () => {
        followNode(item);
        current.dirty = true;
        $("edit-form").hidden = false;
      });
      current.edges.push(item);
    });
  }

  function endsOf(polyline) {
    const latlngs = polyline.getLatLngs();
    return [latlngs[0], latlngs[latlngs.length - 1]];
  }

  // A dragged end vertex moves a node (a point where three or more divisions meet): the
  // other edges of this line that end there follow it on screen; the server moves every
  // edge meeting the node, of this line and of the others (ADR 0014).
  function followNode(item) {
    const [oldStart, oldEnd] = item.ends;
    const [newStart, newEnd] = endsOf(item.polyline);
    [[oldStart, newStart], [oldEnd, newEnd]].forEach(([before, after]) => {
      if (before.equals(after, 1e-9)) return;
      current.edges.forEach((other) => {
        if (other === item) return;
        const latlngs = other.polyline.getLatLngs().slice();
        let moved = false;
        [0, latlngs.length - 1].forEach((i) => {
          if (latlngs[i].equals(before, 1e-9)) { latlngs[i] = after; moved = true; }
        });
        if (moved) {
          other.polyline.setLatLngs(latlngs);
          other.polyline.pm.disable();
          other.polyline.pm.enable({ snappable: true, allowSelfIntersection: false, preventMarkerRemoval: false });
          other.ends = endsOf(other.polyline);
        }
      });
    });
    item.ends = endsOf(item.polyline);
  }

  async function save(event) {
    event.preventDefault();
    if (!current || !current.dirty) return;
    const body = {
      version: current.detail.version,
      reason: $("edit-reason").value,
      document_no: $("edit-document").value,
      edges: current.edges.map(({ edge_id, polyline }) => ({
        edge_id,
        coordinates: polyline.getLatLngs().map((ll) => [ll.lng, ll.lat]),
      })),
    };
    $("edit-save").disabled = true;
    try {
      const { status: code, payload: answer } = await CivAtlas.request(url(config.urls.propose, current.detail.id),
        { method: "POST", body });
      if (problemMarker) problemMarker.remove();
      if (code === 201) {
        const box = $("edit-message");
        box.className = "edit-message ok";
        box.hidden = false;
        box.replaceChildren(`${gettext("已提交，待另一名工作人员审核：")} `,
          el("a", { href: url(config.urls.review, answer.id), id: "review-link" }, `${gettext("变更")} #${answer.id}`));
        $("edit-form").hidden = true;
        current.dirty = false;
        showPending(answer.id);
      } else {
        message(answer.error || gettext("保存失败"), "error");
        if (answer.location) {
          const [x, y] = answer.location;
          problemMarker = L.circleMarker([y, x], { radius: 10, color: "#b91c1c", weight: 3, fill: false }).addTo(map);
          problemMarker.bindTooltip(answer.error, { permanent: true, direction: "top" });
        }
      }
    } finally {
      $("edit-save").disabled = false;
    }
  }

  /* After a save: the panel lists the new pending change and the line is no longer
   * draggable (its vertices stay where they were saved until the change is decided). */
  function showPending(id) {
    const pending = [...current.detail.pending_edits, id];
    current.detail.pending_edits = pending;
    $("line-pending").textContent = pending.map((e) => `#${e}`).join("、");
    editing.eachLayer((layer) => layer.pm && layer.pm.disable());
    $("line-hint").textContent = gettext("这条界线有待审核的变更，审核后才能再次修改。");
  }

  /* A load failure in words: a date before the records is not an error of the system. */
  function loadFailed(error) {
    if (config.date && error.status === 404) {
      status(interpolate(gettext("%s 早于本系统记录的最早数据，没有该日的区划和界线。请选择更晚的日期。"), [config.date]));
    } else {
      status(`${gettext("加载失败")}：${error.status || error.message}`);
    }
  }

  const problems = L.featureGroup().addTo(map);

  async function checkCoverage() {
    problems.clearLayers();
    const report = await getJSON(`${config.urls.coverage}?parent=${encodeURIComponent(config.parent)}`);
    const box = $("coverage-result");
    box.hidden = false;
    box.className = `coverage-result ${report.ok ? "ok" : "bad"}`;
    box.textContent = report.ok
      ? gettext("覆盖完整：无缝隙、无重叠、无超出。")
      : interpolate(gettext("发现 %s 处问题（已在地图上标出）"), [report.problems.length]);
    report.problems.forEach((p) => {
      const text = `${p.label} ${p.area_m2.toFixed(1)} m² ${p.codes.join("、")} ${p.reason || ""}`;
      if (p.geometry) L.geoJSON(p.geometry, { style: { color: "#b91c1c", weight: 2, fillOpacity: 0.5 } }).bindTooltip(text).addTo(problems);
      const [x, y] = p.location;
      L.circleMarker([y, x], { radius: 9, color: "#b91c1c", weight: 3, fill: false, className: "coverage-problem" }).bindTooltip(text).addTo(problems);
    });
  }

  $("check-coverage").addEventListener("click", () => checkCoverage().catch((e) => status(e.message)));
  $("edit-form").addEventListener("submit", save);
  $("edit-cancel").addEventListener("click", () => {
    const layer = current && current.layer;
    const id = current && current.detail.id;
    clearEditing();
    if (layer) selectLine(id, layer);
  });

  loadAll().catch(loadFailed);
})();
