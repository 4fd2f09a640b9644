/*
 * Division picker: wherever a form asks for a division, a person types a name, a pinyin
 * (yongqing, qsx) or a code and picks from a list that shows each division's kind and
 * administrative path (甘肃省 › 天水市 › 清水县), instead of typing a 12-digit code.
 *
 * Progressive enhancement of <input data-division-picker data-search-url=…
 * data-names-url=…>: the input itself keeps the code (it becomes hidden) and a search box
 * with a result list is put in front of it. Optional data-levels="township,village"
 * limits the choice. Divisions come from the division search (names, codes); pinyin
 * input goes through the gazetteer search (divisions and committees). Without
 * JavaScript the plain code input still works. Dispatches "division-picked" on the
 * input with {code, name, level} when a division is chosen; data-child-level="#select"
 * sets that select to the level below the chosen division (the editor's line level).
 *
 * Picking by a click on a map: with data-at-url (the division API's point lookup),
 * data-divisions-url and data-root (the user's jurisdiction; empty for the whole
 * country) and Leaflet on the page, a "在地图上点选" button opens a small map of the
 * root's divisions; a click picks the smallest division in force under it within the
 * user's jurisdiction (limited to data-levels), as if it had been chosen from the list.
 */
(function () {
  "use strict";
  const { el, gettext, getJSON } = window.CivAtlas;

  async function find(input, query) {
    const levels = (input.dataset.levels || "").split(",").filter(Boolean);
    const searchUrl = `${input.dataset.searchUrl}?q=${encodeURIComponent(query)}`;
    const latin = /[a-z]/i.test(query) && !/[\u4e00-\u9fff]/.test(query);
    let rows = [];
    if (latin && input.dataset.namesUrl) {
      const names = await getJSON(`${input.dataset.namesUrl}?q=${encodeURIComponent(query)}`);
      rows = names.results
        .filter((r) => (r.category === "division" || r.category === "committee") && r.division_code)
        .map((r) => ({ code: r.division_code, name: r.division || r.name, kind: r.category_label, path: r.path || [] }));
    } else {
      const divisions = await getJSON(searchUrl);
      rows = divisions.results.map((r) => ({
        code: r.code, name: r.name, level: r.level, kind: r.kind_label || r.level_label, path: r.path || [],
      }));
    }
    const seen = new Set();
    return rows.filter((r) => !seen.has(r.code) && seen.add(r.code) && (!levels.length || !r.level || levels.includes(r.level)));
  }

  function enhance(input) {
    const search = el("input", {
      type: "search", className: "division-picker-search", autocomplete: "off",
      placeholder: gettext("输入名称、拼音或代码查找区划"),
      "aria-label": input.getAttribute("aria-label") || gettext("查找区划"), id: input.id ? `${input.id}_search` : undefined,
    });
    const chosen = el("p", { className: "division-picker-chosen", "aria-live": "polite" });
    const list = el("ul", { className: "division-picker-results", hidden: true });
    const box = el("div", "division-picker", search, list, chosen);
    if (input.dataset.atUrl && window.L) box.append(mapPicker(input, (row) => pick(row), chosen));
    input.type = "hidden";
    input.after(box);
    // The label pointed at the code input; it now names the search box.
    const label = input.id && document.querySelector(`label[for="${input.id}"]`);
    if (label) label.htmlFor = search.id;

    function showChosen(name, code) {
      chosen.textContent = code ? `${gettext("已选择：")}${name ? `${name}（${code}）` : code}` : "";
    }
    showChosen(input.dataset.name || "", input.value);

    function pick(row) {
      input.value = row.code;
      search.value = "";
      list.hidden = true;
      showChosen(row.name, row.code);
      const levelSelect = input.dataset.childLevel && document.querySelector(input.dataset.childLevel);
      const below = { province: "prefecture", prefecture: "county", county: "township", township: "village" }[row.level];
      if (levelSelect && below && [...levelSelect.options].some((o) => o.value === below)) levelSelect.value = below;
      input.dispatchEvent(new CustomEvent("division-picked", { bubbles: true, detail: row }));
    }

    let timer = null;
    let ticket = 0;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      const query = search.value.trim();
      if (!query) { list.hidden = true; return; }
      timer = setTimeout(async () => {
        const mine = ++ticket;
        let rows = [];
        try { rows = await find(input, query); } catch (error) { console.warn(error); }
        if (mine !== ticket) return;
        list.replaceChildren(...(rows.length ? rows.slice(0, 10).map((row) => {
          const button = CivAtlas.button("", () => pick(row));
          button.dataset.code = row.code;
          button.append(el("span", "name", row.name),
            el("small", "", [row.kind, row.path.join(" › "), row.code].filter(Boolean).join(" · ")));
          return el("li", "", button);
        }) : [el("li", "empty", gettext("未找到匹配的区划"))]));
        list.hidden = false;
      }, 200);
    });
    search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { // Enter picks the first result instead of submitting the form
        const first = list.querySelector("button");
        e.preventDefault();
        if (first && !list.hidden) first.click();
      }
      if (e.key === "Escape") list.hidden = true;
    });
  }

  /* The "pick on a map" button and its small map (made when first opened). */
  function mapPicker(input, pick, chosen) {
    const toggle = el("button", { type: "button", className: "division-picker-map-toggle", "aria-expanded": "false" },
      gettext("在地图上点选"));
    const holder = el("div", { className: "division-picker-map", hidden: true });
    const hint = el("p", { className: "division-picker-map-hint", hidden: true }, gettext("点击地图选择该处最小的区划"));
    const wrap = el("div", "division-picker-map-wrap", toggle, hint, holder);
    let map = null;
    let mark = null;

    async function open() {
      map = L.map(holder, { zoomControl: true, attributionControl: true });
      CivAtlas.prefix(map);
      map.setView([35, 105], 4);
      const root = input.dataset.root || "";
      const url = root ? `${input.dataset.divisionsUrl}?parent=${encodeURIComponent(root)}` : input.dataset.divisionsUrl;
      try {
        const data = await getJSON(url);
        const areas = data.features.filter((f) => f.geometry && f.geometry.type !== "Point");
        const layer = L.geoJSON({ type: "FeatureCollection", features: areas }, {
          style: { color: "#1f5fa8", weight: 1.2, fillColor: "#4a90d9", fillOpacity: 0.08 }, interactive: false,
        }).addTo(map);
        if (areas.length) map.fitBounds(layer.getBounds());
        if (CivAtlas.mapKit) CivAtlas.mapKit.labels(map, areas);
      } catch (error) { console.warn(error); }
      map.on("click", async (e) => {
        if (mark) mark.remove();
        mark = L.circleMarker(e.latlng, { radius: 6, color: "#c2410c" }).addTo(map);
        const levels = input.dataset.levels ? `&levels=${encodeURIComponent(input.dataset.levels)}` : "";
        const { ok, payload: body } = await CivAtlas.request(
          `${input.dataset.atUrl}?lon=${e.latlng.lng.toFixed(6)}&lat=${e.latlng.lat.toFixed(6)}${levels}`);
        if (!ok) {
          chosen.textContent = body.error || gettext("该位置没有可选的区划");
          chosen.classList.add("error");
          return;
        }
        chosen.classList.remove("error");
        pick({ code: body.code, name: body.name, level: body.level, kind: body.kind_label, path: body.path || [] });
      });
    }

    toggle.addEventListener("click", () => {
      holder.hidden = !holder.hidden;
      hint.hidden = holder.hidden;
      toggle.setAttribute("aria-expanded", String(!holder.hidden));
      if (!holder.hidden && !map) open();
      else if (map) map.invalidateSize();
    });
    return wrap;
  }

  document.querySelectorAll("input[data-division-picker]").forEach(enhance);
  CivAtlas.divisionPicker = { enhance };
})();
