/*
 * Facility icons, legend swatches and popups (民政设施图标与弹窗), shared by the map
 * workspace (geoapp/map.js) and the gap view (facilities/gaps.js), as CivAtlas.facilities.
 *
 * Each kind has its own colour *and* shape with a one-character glyph, so the kinds
 * stay apart in print, in grey scale and for colour-blind readers; the colours and
 * shapes are CSS (facilities/facilities.css, classes kind-<slug>, status-<slug>).
 * Planned and under-construction facilities are drawn hollow, suspended and closed
 * ones greyed out. Text goes through Django's JavaScriptCatalog, Chinese first.
 */
(function () {
  "use strict";
  const { el } = window.CivAtlas;

  const GLYPHS = {
    care_home: pgettext("设施图标", "敬"),
    nursing_home: pgettext("设施图标", "养"),
    elderly_service_center: pgettext("设施图标", "中"),
    happiness_home: pgettext("设施图标", "幸"),
    child_protection_station: pgettext("设施图标", "未"),
    resettlement_community: pgettext("设施图标", "安"),
    social_work_station: pgettext("设施图标", "社"),
    any: "", // a plain swatch (the status legend)
  };

  /* The icon's DOM (also used as a legend swatch). */
  function glyph(kind, status) {
    return el("span", `facility-glyph kind-${kind} status-${status || "operating"}`,
      el("span", "shape", el("b", "", kind in GLYPHS ? GLYPHS[kind] : "?")));
  }

  function icon(props) {
    return L.divIcon({
      className: `facility-icon kind-${props.kind} status-${props.status}`,
      html: glyph(props.kind, props.status),
      iconSize: [24, 24],
      iconAnchor: [12, 12],
      popupAnchor: [0, -10],
    });
  }

  function formatValue(value) {
    if (typeof value === "boolean") return value ? gettext("是") : gettext("否");
    if (Array.isArray(value)) return value.join("、") || "—";
    if (value === null || value === undefined || value === "") return "—";
    return String(value);
  }

  /* Popup content: name, kind, status, division, and the details the user may read. */
  function popup(props, { labels = {}, detailUrl = null } = {}) {
    const box = el("div", "facility-popup");
    const meta = el("p", "facility-meta", glyph(props.kind, props.status), el("span", "", props.kind_label),
      el("span", `facility-status status-${props.status}`, props.status_label));
    const list = el("dl");
    const add = (label, value) => list.append(el("dt", "", label), el("dd", "", formatValue(value)));
    add(gettext("所在区划"), `${props.division_name}（${props.division}）`);
    const details = props.details || {};
    Object.keys(details).forEach((key) => {
      if (key in labels) add(labels[key], details[key]);
    });
    box.append(el("h3", "", props.name), meta, list);
    if (props.source === "synthetic") box.append(el("p", "badge-synthetic", gettext("合成数据")));
    if (!props.details) {
      box.append(el("p", "facility-note", gettext("详细信息仅对辖区内工作人员显示")));
    } else if (detailUrl) {
      box.append(el("a", { href: detailUrl.replace("{id}", encodeURIComponent(props.id)) }, gettext("查看登记详情")));
    }
    return box;
  }

  /* A facility's marker (GeoJSON point feature) in the "facilities" pane, with its popup. */
  function marker(feature, options) {
    const p = feature.properties;
    const [lng, lat] = feature.geometry.coordinates;
    return L.marker([lat, lng], { icon: icon(p), pane: "facilities", title: p.name, keyboard: false })
      .bindPopup(() => popup(p, options));
  }

  window.CivAtlas.facilities = { GLYPHS, glyph, icon, popup, marker };
})();
