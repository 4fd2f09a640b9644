/*
 * Facility icons, legend swatches and popups (民政设施图标与弹窗), shared by the map
 * workspace (geoapp/map.js) and the gap view (facilities/gaps.js).
 *
 * Each kind has its own colour *and* shape with a one-character glyph, so the kinds
 * stay apart in print, in grey scale and for colour-blind readers; the colours and
 * shapes are CSS (facilities/facilities.css, classes kind-<slug>, status-<slug>).
 * Planned and under-construction facilities are drawn hollow, suspended and closed
 * ones greyed out. Text goes through Django's JavaScriptCatalog, Chinese first.
 */
(function () {
  "use strict";

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
    const outer = document.createElement("span");
    outer.className = `facility-glyph kind-${kind} status-${status || "operating"}`;
    const shape = document.createElement("span");
    shape.className = "shape";
    const letter = document.createElement("b");
    letter.textContent = kind in GLYPHS ? GLYPHS[kind] : "?";
    shape.append(letter);
    outer.append(shape);
    return outer;
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
    const box = document.createElement("div");
    box.className = "facility-popup";
    const title = document.createElement("h3");
    title.textContent = props.name;
    const meta = document.createElement("p");
    meta.className = "facility-meta";
    const kind = document.createElement("span");
    kind.textContent = props.kind_label;
    const status = document.createElement("span");
    status.className = `facility-status status-${props.status}`;
    status.textContent = props.status_label;
    meta.append(glyph(props.kind, props.status), kind, status);
    const list = document.createElement("dl");
    const add = (label, value) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = formatValue(value);
      list.append(dt, dd);
    };
    add(gettext("所在区划"), `${props.division_name}（${props.division}）`);
    const details = props.details || {};
    Object.keys(details).forEach((key) => {
      if (key in labels) add(labels[key], details[key]);
    });
    box.append(title, meta, list);
    if (props.source === "synthetic") {
      const badge = document.createElement("p");
      badge.className = "badge-synthetic";
      badge.textContent = gettext("合成数据");
      box.append(badge);
    }
    if (!props.details) {
      const note = document.createElement("p");
      note.className = "facility-note";
      note.textContent = gettext("详细信息仅对辖区内工作人员显示");
      box.append(note);
    } else if (detailUrl) {
      const link = document.createElement("a");
      link.href = detailUrl.replace("{id}", encodeURIComponent(props.id));
      link.textContent = gettext("查看登记详情");
      box.append(link);
    }
    return box;
  }

  window.CivAtlasFacilities = { GLYPHS, glyph, icon, popup };
})();
