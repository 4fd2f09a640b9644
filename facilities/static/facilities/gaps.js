/*
 * Gap view (民政设施缺口分析): a township choropleth of the share of villages beyond
 * reach, townships that fail a norm for this kind outlined (class norm-failing),
 * uncovered villages in red, the facilities of the kind, and site suggestions.
 *
 * The analysis itself is done on the server and arrives in #gaps-config (json_script)
 * together with the URLs to fetch township outlines and facilities from our own API.
 * "建议新站点" posts to the suggestion API, which saves a named scenario; the answer is
 * drawn as suggested sites (class suggested-site) with lines to the villages each
 * would newly cover. Saved scenarios can be drawn again or compared side by side.
 * Plain ES2017, no build step; text through Django's JavaScriptCatalog.
 */
(function () {
  "use strict";

  const { el, getJSON } = window.CivAtlas;
  const config = CivAtlas.config("gaps-config");
  const $ = (id) => document.getElementById(id);
  const Facilities = CivAtlas.facilities;
  const rows = new Map(config.rows.map((r) => [r.code, r]));
  const percent = new Intl.NumberFormat(config.language, { style: "percent", maximumFractionDigits: 1 });
  const km = new Intl.NumberFormat(config.language, { maximumFractionDigits: 1 });

  // --- map ----------------------------------------------------------------------------
  const map = L.map("map", { zoomControl: false, minZoom: 5, maxZoom: 18 }).setView([35, 105], 8);
  CivAtlas.controls(map);
  const { bases, overlays } = CivAtlas.baseLayers(map, config.basemaps);
  map.createPane("facilities").style.zIndex = 620;
  map.createPane("suggested").style.zIndex = 640;

  const townships = L.geoJSON(null, {
    style(feature) {
      const row = rows.get(feature.properties.code);
      const failing = row && row.failing.length;
      return {
        className: `township${failing ? " norm-failing" : ""}`,
        color: failing ? "#7f1d1d" : "#475569",
        weight: failing ? 3 : 1,
        dashArray: failing ? "6 4" : null,
        fillColor: colour(row ? row.share : null),
        fillOpacity: 0.72,
      };
    },
    onEachFeature(feature, layer) {
      const row = rows.get(feature.properties.code);
      layer.on("add", () => {
        const el = layer.getElement();
        el.setAttribute("data-code", feature.properties.code);
        el.setAttribute("data-name", feature.properties.name);
      });
      layer.bindTooltip(() => townshipTooltip(feature.properties, row), { sticky: true });
      layer.on("click", () => highlightRow(feature.properties.code, true));
    },
  }).addTo(map);
  const uncovered = L.layerGroup().addTo(map);
  const facilities = L.layerGroup().addTo(map);
  const suggested = L.layerGroup().addTo(map);
  overlays[gettext("乡镇覆盖情况")] = townships;
  overlays[gettext("未覆盖村")] = uncovered;
  overlays[config.kind_label] = facilities;
  overlays[gettext("建议的新站点")] = suggested;
  L.control.layers(bases, overlays, { position: "topright", collapsed: false }).addTo(map);

  function colour(share) {
    if (share === null || share === undefined) return "#f1f3f5";
    const bin = config.bins.find((b) => share <= b.upper + 1e-12);
    return bin ? bin.colour : config.bins[config.bins.length - 1].colour;
  }

  function townshipTooltip(props, row) {
    const box = el("div", "", el("strong", "", props.name));
    if (row) {
      box.append(el("div", "", interpolate(gettext("未覆盖 %(n)s / %(total)s 村（%(share)s）"), {
        n: row.uncovered, total: row.villages, share: row.share === null ? "—" : percent.format(row.share),
      }, true)));
      row.failing.forEach((title) => box.append(el("div", "tooltip-failing", `✗ ${title}`)));
    }
    return box;
  }

  const Legend = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      const box = L.DomUtil.create("div", "gap-legend");
      box.append(el("strong", "", gettext("未覆盖村比例")));
      config.bins.forEach((b) => {
        const swatch = el("i");
        swatch.style.background = b.colour;
        box.append(el("div", "", swatch, b.label));
      });
      const item = (swatch, text) => el("div", "", swatch, text);
      box.append(
        item(el("i", "failing-swatch"), gettext("本类规范未达标的乡镇")),
        item(el("i", "village-swatch"), gettext("未覆盖的村")),
        item(Facilities.glyph(config.kind, "operating"), ` ${config.kind_label}`),
        item(el("i", "site-swatch"), gettext("建议的新站点")),
      );
      return box;
    },
  });
  new Legend().addTo(map);

  const status = (text) => CivAtlas.show($("map-status"), text);

  // --- drawing --------------------------------------------------------------------------
  function drawUncovered() {
    config.uncovered.forEach((v) => {
      const distance = v.distance_km === null ? gettext("附近没有此类设施") : interpolate(gettext("最近 %(d)s 千米"), { d: km.format(v.distance_km) }, true);
      L.circleMarker([v.lat, v.lon], {
        className: "uncovered-village", radius: 5, color: "#ffffff", weight: 1.5, fillColor: "#dc2626", fillOpacity: 0.95,
      }).bindTooltip(`${v.name}（${v.township_name}）${distance}`).addTo(uncovered);
    });
  }

  function drawFacilities(collection) {
    collection.features.forEach((f) => {
      Facilities.marker(f, { labels: config.facilities.labels, detailUrl: config.urls.facility_page }).addTo(facilities);
    });
  }

  function highlightRow(code, scroll) {
    document.querySelectorAll("#gap-table tr.active").forEach((tr) => tr.classList.remove("active"));
    const tr = document.querySelector(`#gap-table tr[data-code="${code}"]`);
    if (!tr) return;
    tr.classList.add("active");
    if (scroll) tr.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  document.querySelectorAll("#gap-table tbody tr").forEach((tr) => {
    tr.querySelector(".township-link").addEventListener("click", () => {
      highlightRow(tr.dataset.code, false);
      townships.eachLayer((layer) => {
        if (layer.feature.properties.code === tr.dataset.code) {
          map.fitBounds(layer.getBounds(), { padding: [40, 40] });
          layer.openTooltip(layer.getBounds().getCenter());
        }
      });
    });
  });

  // --- site suggestions ---------------------------------------------------------------------
  function drawScenario(scenario) {
    suggested.clearLayers();
    scenario.sites.forEach((site) => {
      site.covers.forEach((v) => {
        L.polyline([[site.lat, site.lon], [v.lat, v.lon]], {
          className: "suggested-link", color: "#047857", weight: 1.5, opacity: 0.8, dashArray: "4 3", interactive: false,
        }).addTo(suggested);
        L.circleMarker([v.lat, v.lon], {
          className: "suggested-cover", radius: 5, color: "#047857", weight: 2, fillColor: "#a7f3d0", fillOpacity: 1,
        }).bindTooltip(interpolate(gettext("%(village)s：由建议站点 %(rank)s 覆盖"), { village: v.name, rank: site.rank }, true))
          .addTo(suggested);
      });
      L.marker([site.lat, site.lon], {
        pane: "suggested", keyboard: false, title: site.name,
        icon: L.divIcon({ className: "suggested-site", html: el("span", "", String(site.rank)), iconSize: [30, 30], iconAnchor: [15, 15] }),
      }).bindTooltip(interpolate(gettext("建议站点 %(rank)s：%(name)s，新覆盖 %(n)s 个村"), {
        rank: site.rank, name: site.name, n: site.covers.length,
      }, true)).addTo(suggested);
    });
    renderScenario(scenario);
  }

  function renderScenario(s) {
    const box = $("suggest-result");
    const head = el("p", "scenario-head", el("strong", "", s.name));
    const figures = el("p", { id: "suggest-figures" }, interpolate(
      gettext("覆盖村数：%(before)s → %(after)s / %(total)s（新增 %(added)s）"),
      { before: s.covered_before, after: s.covered_after, total: s.villages, added: s.covered_new }, true));
    const list = el("ol", { id: "suggested-sites" }, ...s.sites.map((site) => {
      const type = site.site_type === "township_seat" ? gettext("乡镇驻地") : gettext("村驻地");
      return el("li", "",
        interpolate(gettext("%(name)s（%(type)s）：新覆盖 %(n)s 个村"), { name: site.name, type, n: site.covers.length }, true),
        el("br"), el("small", "", site.covers.map((v) => v.name).join("、")));
    }));
    box.replaceChildren(head, figures, list);
    if (s.note) {
      // Set by the server when the exact model did not prove its answer optimal or greedy
      // stood in for it (facilities/sites.py): the planner must know.
      box.insertBefore(el("p", { id: "suggest-solver-note", className: "solver-note", role: "status" }, s.note), list);
    }
    if (s.sites.length < s.count) box.append(el("p", "hint", gettext("所有可覆盖的村都已覆盖，无需更多站点。")));
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
    if (suggested.getLayers().length) map.fitBounds(L.featureGroup(suggested.getLayers()).getBounds(), { padding: [60, 60], maxZoom: 12 });
  }

  function addScenarioToList(s) {
    const list = $("scenario-list");
    list.querySelectorAll(".empty").forEach((li) => li.remove());
    const show = el("button", { type: "button", className: "link-button scenario-show" }, s.name);
    const small = el("small", "", interpolate(gettext("覆盖 %(before)s → %(after)s / %(total)s 村"), {
      before: s.covered_before, after: s.covered_after, total: s.villages,
    }, true) + ` · ${s.created_by}`);
    list.prepend(el("li", { dataset: { id: s.id } }, show, " ", small));
    fillCompareSelects();
  }

  /* The analysis parameters as typed differ from the analysed ones: a suggestion would be
   * computed (and saved) for the old ones, so say so and hold the button until 分析. */
  function paramsChanged() {
    const form = $("gap-params");
    const typed = Number(form.elements.radius_km.value || config.radius_km);
    return form.elements.division.value !== config.division.code || form.elements.kind.value !== config.kind
      || Math.abs(typed - config.radius_km) > 1e-9;
  }
  function checkParams() {
    const stale = paramsChanged();
    $("suggest-stale").hidden = !stale;
    $("suggest-run").disabled = stale;
  }
  $("gap-params").addEventListener("input", checkParams);
  $("gap-params").addEventListener("change", checkParams);

  $("suggest-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = $("suggest-run");
    if (paramsChanged()) return checkParams();
    button.disabled = true;
    status(gettext("正在计算建议站点…"));
    try {
      const body = {
        division: config.division.code, kind: config.kind, radius_km: config.radius_km,
        count: Number($("id_count").value), name: $("id_name").value,
      };
      const scenario = await CivAtlas.postJSON(config.urls.suggest, body);
      drawScenario(scenario);
      addScenarioToList(scenario);
      status("");
    } catch (error) {
      console.warn(error);
      status("");
      const box = $("suggest-result");
      box.replaceChildren(el("p", { className: "form-errors", role: "alert" }, error.message));
      box.hidden = false;
    } finally {
      button.disabled = false;
    }
  });

  $("scenario-list").addEventListener("click", async (e) => {
    const button = e.target.closest(".scenario-show");
    if (!button) return;
    try {
      drawScenario(await getJSON(config.urls.scenario.replace("{id}", button.closest("li").dataset.id)));
    } catch (error) {
      console.warn(error);
      status(gettext("加载失败，请稍后重试。"));
    }
  });

  // --- comparing two saved scenarios ----------------------------------------------------------
  function fillCompareSelects() {
    const items = [...document.querySelectorAll("#scenario-list li[data-id]")];
    ["compare-a", "compare-b"].forEach((id, i) => {
      const select = $(id);
      const keep = select.value;
      select.replaceChildren(...items.map((li) =>
        el("option", { value: li.dataset.id }, li.querySelector(".scenario-show").textContent)));
      if (keep) select.value = keep;
      else if (items[i]) select.value = items[i].dataset.id;
    });
    $("compare-form").hidden = items.length < 2;
  }
  fillCompareSelects();

  $("compare-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const params = new URLSearchParams({ a: $("compare-a").value, b: $("compare-b").value });
    try {
      renderComparison(await getJSON(`${config.urls.compare}?${params}`));
    } catch (error) {
      console.warn(error);
      status(gettext("加载失败，请稍后重试。"));
    }
  });

  function renderComparison(data) {
    const [a, b] = data.scenarios;
    const table = el("table", { id: "compare-table", className: "gap-table" });
    const rowsSpec = [
      [gettext("方案"), a.name, b.name],
      [gettext("服务半径（千米）"), a.radius_km, b.radius_km],
      [gettext("新增站点数"), a.sites_found, b.sites_found],
      [gettext("新增前覆盖村数"), a.covered_before, b.covered_before],
      [gettext("新增后覆盖村数"), a.covered_after, b.covered_after],
      [gettext("新增覆盖"), a.covered_new, b.covered_new],
      [gettext("仅本方案覆盖的村"), data.only_a.length, data.only_b.length],
      [gettext("两方案都覆盖的村"), data.both.length, data.both.length],
      [gettext("创建人"), a.created_by, b.created_by],
    ];
    rowsSpec.forEach(([label, x, y], i) => {
      table.append(el("tr", "", ...[label, x, y].map((value, j) =>
        el(i === 0 || j === 0 ? "th" : "td", j > 0 && i > 0 ? "num" : "", String(value)))));
    });
    $("compare-result").replaceChildren(table);
    $("compare-result").hidden = false;
  }

  // --- start ------------------------------------------------------------------------------
  async function start() {
    status(gettext("加载中…"));
    drawUncovered();
    try {
      const [outlines, collection] = await Promise.all([getJSON(config.urls.townships), getJSON(config.urls.facilities)]);
      townships.addData(outlines);
      drawFacilities(collection);
      const bounds = townships.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
      else if (uncovered.getLayers().length) map.fitBounds(L.featureGroup(uncovered.getLayers()).getBounds());
      status("");
    } catch (error) {
      console.warn(error);
      status(gettext("加载失败，请稍后重试。"));
    }
    uncovered.eachLayer((layer) => layer.bringToFront());
    document.body.dataset.ready = "true";
  }
  start();
})();
