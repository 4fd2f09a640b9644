/*
 * Field page for place-name signs (phone first, weak signal). Plain ES2017, no build step.
 *
 * - Signs of the user's jurisdiction come from /api/signs/ (GeoJSON) and are kept in
 *   localStorage, so the list works offline; they are sorted by distance from the
 *   device's GPS fix (browser geolocation) or filtered to one village.
 * - A record (installation or inspection) is saved first to an IndexedDB outbox with a
 *   client-generated UUID, then sent when the browser is online. The server stores a
 *   client_id once (a retry after a lost answer gets 200 and the same id), so sending
 *   again is always safe. The outbox stays on screen until every record is sent.
 * - A record the server refused (wrong text, say) can be corrected and sent again
 *   (修改后重新提交: same position, time and photos), not only deleted.
 * - The shared service worker (/field/sw.js) caches the page shell and assets for offline use;
 *   the outbox, the sending and the GPS helpers are shared with the other field pages
 *   (geoapp/static/geoapp/offline-queue.js, CivAtlas.offline).
 * UI strings go through Django's JavaScriptCatalog (gettext), Chinese being the source.
 */
(function () {
  "use strict";

  const { el, button, gettext, interpolate, offline } = window.CivAtlas;
  const config = CivAtlas.config("field-config");
  const $ = (id) => document.getElementById(id);
  const TEAM_KEY = "civatlas.field.team";
  const INSTALLABLE = ["planned", "damaged", "missing"];
  const INSPECTABLE = ["installed", "inspected", "damaged", "missing", "needs_replacement"];

  const state = { signs: [], fix: null, current: null, kind: null, outbox: [], correcting: null };
  const { distance, bearing, compass, metres, uuid4 } = offline; // walking distances, to the metre
  const outbox = offline.outbox("civatlas-field");
  const cache = offline.keep(`civatlas.field.signs.${config.user}`, "features");
  const page = offline.fieldPage({
    prefix: "fd", box: outbox, send: sendOne, sent: (record, payload) => updateSign(record.sign_id, payload.status),
    refresh: refreshSigns, reload: async () => { await loadOutbox(); render(); }, worker: config.worker, scope: config.scope,
  });

  // --- signs -------------------------------------------------------------------------------------
  function loadCachedSigns() {
    const cached = cache.load();
    if (cached) {
      state.signs = cached.features;
      $("fd-cache").textContent = `${gettext("标志数据更新于")} ${new Date(cached.saved).toLocaleString()}`;
    }
  }
  const saveSigns = () => cache.save(state.signs);
  async function refreshSigns() {
    if (!navigator.onLine) return;
    const url = `${config.signs}?division=${encodeURIComponent(config.jurisdiction || "")}`;
    try {
      state.signs = (await CivAtlas.getJSON(config.jurisdiction ? url : config.signs)).features;
      saveSigns();
      $("fd-cache").textContent = `${gettext("标志数据更新于")} ${new Date().toLocaleString()}`;
      render();
    } catch (error) {
      // Offline or weak signal: keep the cached list.
    }
  }

  function pendingFor(signId) {
    return state.outbox.filter((r) => r.sign_id === signId).length;
  }

  function visibleSigns() {
    const where = $("fd-where").value;
    const mode = $("fd-mode").value;
    let signs = state.signs.filter((f) => f.properties.status !== "removed");
    if (mode === "install") signs = signs.filter((f) => INSTALLABLE.includes(f.properties.status));
    if (mode === "inspect") signs = signs.filter((f) => INSPECTABLE.includes(f.properties.status));
    if (where !== "near") signs = signs.filter((f) => f.properties.division.startsWith(where));
    const here = state.fix ? [state.fix.lon, state.fix.lat] : null;
    const rows = signs.map((f) => ({ feature: f, d: here ? distance(here, f.geometry.coordinates) : null,
                                      b: here ? bearing(here, f.geometry.coordinates) : null }));
    if (here) rows.sort((a, b) => a.d - b.d);
    return where === "near" ? rows.slice(0, 50) : rows;
  }

  function render() {
    const list = $("fd-list");
    list.textContent = "";
    const rows = visibleSigns();
    $("fd-empty").hidden = rows.length > 0;
    rows.forEach((row) => {
      const p = row.feature.properties;
      const li = el("li", { className: "fd-sign", dataset: { signId: String(p.id), status: p.status } });
      const badge = el("span", "fd-status", p.status_label);
      badge.style.background = config.colours[p.status] || "#555";
      const head = el("div", "fd-sign-head", el("strong", "", p.text_cn), badge);
      const pending = pendingFor(p.id);
      if (pending) head.append(el("span", "fd-status fd-waiting", gettext("待上传")));
      li.append(head, el("div", "fd-meta", `${p.type_label} · ${p.division_name} · ${p.text_pinyin}`));
      if (row.d !== null) {
        const arrow = el("span", "fd-arrow", "↑");
        arrow.style.transform = `rotate(${Math.round(row.b)}deg)`;
        li.append(el("div", "fd-direction", arrow, el("span", "fd-distance", `${compass(row.b)} ${metres(row.d)}`)));
      }
      if (config.can_record && !pending) {
        const actions = el("div", "fd-actions");
        if (INSTALLABLE.includes(p.status)) actions.append(button(gettext("登记设置"), () => openForm(row.feature, "installation"), "fd-button"));
        if (INSPECTABLE.includes(p.status)) actions.append(button(gettext("登记巡检"), () => openForm(row.feature, "inspection"), "fd-button"));
        li.append(actions);
      }
      list.append(li);
    });
  }

  // --- GPS ---------------------------------------------------------------------------------------
  function watchPosition() {
    offline.watchFix($("fd-gps"), config.max_accuracy_m, (fix) => {
      state.fix = fix;
      render();
      if (state.current) showFix();
    });
  }

  // --- the form ----------------------------------------------------------------------------------
  function openForm(feature, kind) {
    state.correcting = null;
    state.current = feature;
    state.kind = kind;
    const p = feature.properties;
    $("fd-form-title").textContent = `${kind === "installation" ? gettext("登记设置") : gettext("登记巡检")}：${p.text_cn}`;
    $("fd-form-target").textContent = `${p.type_label} · ${p.division_name} · ${gettext("应印")}：${p.text_cn} / ${p.text_pinyin}`;
    $("fd-form").reset();
    $("fd-text-cn").value = kind === "installation" ? p.text_cn : "";
    $("fd-text-pinyin").value = kind === "installation" ? p.text_pinyin : "";
    $("fd-team").value = localStorage.getItem(TEAM_KEY) || "";
    $("fd-condition-set").hidden = kind !== "inspection";
    $("fd-conditions").replaceChildren(...Object.keys(config.conditions).map((value, index) =>
      el("label", "", el("input", { type: "radio", name: "condition", value, checked: index === 0 }), ` ${config.conditions[value]}`)));
    $("fd-photo-info").textContent = "";
    $("fd-problems").textContent = "";
    $("fd-browse").hidden = true;
    $("fd-form-card").hidden = false;
    showFix();
    window.scrollTo(0, 0);
  }

  function closeForm() {
    state.current = null;
    state.correcting = null;
    $("fd-form-card").hidden = true;
    $("fd-browse").hidden = false;
    render();
  }

  function showFix() {
    const target = state.current ? state.current.geometry.coordinates : null;
    $("fd-fix").textContent = offline.describeFix(state.fix, { target, label: gettext("距标志") });
  }

  /* A record the server refused (wrong text, say) is corrected, not only deleted: the form
   * opens with what was recorded; the position, time and photos are kept unless a new
   * photo is taken; saving queues the corrected record and drops the refused one. */
  function correctRecord(record) {
    const feature = state.signs.find((f) => f.properties.id === record.sign_id);
    if (!feature) {
      page.say(gettext("该标志不在当前列表中：请先选择其所在乡镇。"));
      return;
    }
    openForm(feature, record.kind);
    state.correcting = record;
    ["text_cn", "text_pinyin", "team", "notes"].forEach((name) => {
      const input = $(`fd-${name.replace("_", "-")}`);
      if (input && record.fields[name] !== undefined) input.value = record.fields[name];
    });
    if (record.fields.condition) {
      const chosen = document.querySelector(`#fd-conditions input[value="${record.fields.condition}"]`);
      if (chosen) chosen.checked = true;
    }
    $("fd-photo-info").textContent = interpolate(gettext("沿用原记录的 %s 张照片（可重新拍摄）"), [record.photos.length]);
    $("fd-problems").replaceChildren(...record.errors.map((message) => el("li", "", message)));
  }

  // Problems the server would refuse anyway, shown before anything is queued.
  function localProblems() {
    const problems = [];
    const fix = state.fix;
    if (state.correcting) { // position and photos were recorded on the spot; only the text is new
      if (state.kind === "installation" && (!$("fd-text-cn").value.trim() || !$("fd-text-pinyin").value.trim())) {
        problems.push(gettext("请填写牌面实际印制的汉字和拼音"));
      }
      return problems;
    }
    const bad = offline.fixProblem(fix, config.max_accuracy_m);
    if (bad) problems.push(fix ? `${bad}，${gettext("请到开阔处等待")}` : bad);
    else {
      const d = distance([fix.lon, fix.lat], state.current.geometry.coordinates);
      if (d > config.max_offset_m) problems.push(`${gettext("距标志位置")} ${metres(d)}，${gettext("超过允许的")} ${metres(config.max_offset_m)}`);
    }
    const files = $("fd-photo").files;
    if (!files || !files.length) problems.push(gettext("请拍摄现场照片"));
    problems.push(...offline.photoProblems($("fd-photo"), config.max_photo_bytes));
    if (state.kind === "installation" && (!$("fd-text-cn").value.trim() || !$("fd-text-pinyin").value.trim())) {
      problems.push(gettext("请填写牌面实际印制的汉字和拼音"));
    }
    return problems;
  }

  async function saveRecord(event) {
    event.preventDefault();
    const problems = localProblems();
    $("fd-problems").replaceChildren(...problems.map((p) => el("li", "", p)));
    if (problems.length) return;
    const p = state.current.properties;
    const when = new Date().toISOString();
    const corrected = state.correcting;
    if (corrected) {
      const newPhotos = offline.photos($("fd-photo"));
      const record = {
        ...corrected, client_id: uuid4(), state: "waiting", errors: [], created_at: when,
        photos: newPhotos.length ? newPhotos : corrected.photos,
        fields: {
          ...corrected.fields, text_cn: $("fd-text-cn").value.trim(), text_pinyin: $("fd-text-pinyin").value.trim(),
          team: $("fd-team").value.trim(), notes: $("fd-notes").value.trim(),
        },
      };
      if (record.kind === "inspection") {
        const chosen = document.querySelector("#fd-conditions input:checked");
        record.fields.condition = chosen ? chosen.value : record.fields.condition;
      }
      await outbox.put(record);
      await outbox.remove(corrected.client_id);
      state.correcting = null;
      await loadOutbox();
      closeForm();
      page.sendAll();
      return;
    }
    const fields = {
      lon: String(state.fix.lon), lat: String(state.fix.lat), accuracy_m: String(state.fix.accuracy),
      text_cn: $("fd-text-cn").value.trim(), text_pinyin: $("fd-text-pinyin").value.trim(),
      team: $("fd-team").value.trim(), notes: $("fd-notes").value.trim(),
    };
    fields[state.kind === "installation" ? "installed_at" : "inspected_at"] = when;
    if (state.kind === "inspection") {
      const chosen = document.querySelector("#fd-conditions input:checked");
      fields.condition = chosen ? chosen.value : "intact";
    }
    localStorage.setItem(TEAM_KEY, fields.team);
    const photos = offline.photos($("fd-photo"));
    const record = {
      client_id: uuid4(), kind: state.kind, sign_id: p.id, sign_name: p.text_cn, fields, photos,
      created_at: when, state: "waiting", errors: [],
    };
    $("fd-save").disabled = true;
    try {
      await outbox.put(record);
    } finally {
      $("fd-save").disabled = false;
    }
    await loadOutbox();
    closeForm();
    page.sendAll();
  }

  // --- sending -----------------------------------------------------------------------------------
  async function loadOutbox() {
    state.outbox = await outbox.ordered();
    renderOutbox();
  }

  function renderOutbox() {
    const box = $("fd-outbox");
    const list = $("fd-outbox-list");
    list.textContent = "";
    box.hidden = state.outbox.length === 0;
    $("fd-outbox-count").textContent = String(state.outbox.length);
    state.outbox.forEach((record) => {
      const what = record.kind === "installation" ? gettext("设置") : gettext("巡检");
      const li = el("li", { className: `fd-outbox-item fd-state-${record.state}`, dataset: { clientId: record.client_id } },
        el("div", "", `${record.sign_name} · ${what} · ${new Date(record.created_at).toLocaleString()} · ${
          record.state === "failed" ? gettext("未通过检查") : gettext("等待上传")}`),
        ...record.errors.map((message) => el("div", "fd-error", message)));
      if (record.state === "failed") {
        li.append(button(gettext("修改后重新提交"), () => correctRecord(record), "fd-button fd-correct"));
        li.append(button(gettext("删除此记录"), async () => {
          await outbox.remove(record.client_id);
          await loadOutbox();
          render();
        }, "fd-button fd-secondary"));
      }
      list.append(li);
    });
  }

  function updateSign(signId, status) {
    const feature = state.signs.find((f) => f.properties.id === signId);
    if (feature && status) {
      feature.properties.status = status;
      feature.properties.status_label = config.statuses[status] || status;
      saveSigns();
    }
  }

  function sendOne(record) {
    const template = record.kind === "installation" ? config.installations : config.inspections;
    return offline.post(template.replace(/\/0\//, `/${record.sign_id}/`), offline.formData(record));
  }

  // --- start -------------------------------------------------------------------------------------
  // Townships as groups ("whole township": its prefix), their villages inside.
  function fillAreas() {
    const select = $("fd-where");
    config.areas.forEach((area) => {
      select.append(el("optgroup", { label: area[1] || area[0] },
        el("option", { value: area[0] }, `${area[1] || area[0]}（${gettext("全部")}）`),
        ...area[2].map((village) => el("option", { value: village[0] }, village[1]))));
    });
  }

  fillAreas();
  loadCachedSigns();
  render();
  $("fd-where").addEventListener("change", render);
  $("fd-mode").addEventListener("change", render);
  $("fd-form").addEventListener("submit", saveRecord);
  $("fd-cancel").addEventListener("click", closeForm);
  $("fd-send").addEventListener("click", page.sendAll);
  $("fd-photo").addEventListener("change", () => {
    const files = Array.from($("fd-photo").files || []);
    $("fd-photo-info").textContent = files.map((f) => `${f.name}（${(f.size / 1024 / 1024).toFixed(1)} MB）`).join("，");
  });
  watchPosition();
  page.start();
})();
