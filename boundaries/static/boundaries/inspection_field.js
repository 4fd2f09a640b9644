/*
 * Inspection phone page (联检外业): marker checks, line findings and the walked track,
 * recorded with weak or no signal. Plain ES2017, no build step.
 *
 * - The user's planned and ongoing inspections with their markers come from
 *   /api/inspections/field/ and are kept in localStorage (and by the shared service
 *   worker), so the page works offline; markers are sorted by distance from the GPS fix.
 * - Every record is saved first to an IndexedDB outbox with a phone-made client_id and
 *   sent when online, through the queue shared with the sign field page
 *   (geoapp/static/geoapp/offline-queue.js, CivAtlas.offline): the server stores a
 *   client_id once, so a retry after a lost answer is safe.
 * - The track is recorded from the GPS fixes while "recording" is on and queued as one
 *   record when stopped.
 * UI strings go through Django's JavaScriptCatalog (gettext), Chinese being the source.
 */
(function () {
  "use strict";

  const { el, gettext, offline } = window.CivAtlas;
  const config = CivAtlas.config("inspection-field-config");
  const $ = (id) => document.getElementById(id);
  const TRACK_KEY = `civatlas.inspections.track.${config.user}`;
  const { distance, bearing } = offline;
  const metres = (m) => offline.metres(m, 1); // a marker's displacement, to the decimetre
  const button = (label, onClick, className) => CivAtlas.button(label, onClick, className || "if-button");
  const outbox = offline.outbox("civatlas-field-inspections");
  const cache = offline.keep(`civatlas.inspections.${config.user}`, "inspections");
  const state = { inspections: [], current: null, marker: null, mode: null, fix: null, outbox: [], track: null };
  const page = offline.fieldPage({
    prefix: "if", box: outbox, send: sendOne, sent: markChecked, afterSend: refresh, refresh,
    reload: async () => { await loadOutbox(); render(); }, worker: config.worker, scope: config.scope,
  });

  // --- data ----------------------------------------------------------------------------------------
  function loadCached() {
    const cached = cache.load();
    if (cached) {
      state.inspections = cached.inspections;
      $("if-cache").textContent = `${gettext("数据更新于")} ${new Date(cached.saved).toLocaleString()}`;
    }
  }
  async function refresh() {
    if (!navigator.onLine) return;
    try {
      state.inspections = (await CivAtlas.getJSON(config.data)).inspections;
      cache.save(state.inspections);
      $("if-cache").textContent = `${gettext("数据更新于")} ${new Date().toLocaleString()}`;
      render();
    } catch (error) { /* weak signal: keep the cached data */ }
  }
  const currentInspection = () => state.inspections.find((i) => i.id === state.current) || null;
  const pendingFor = (markerId) => state.outbox.filter((r) => r.kind === "check" && r.marker_id === markerId).length;

  // --- rendering -----------------------------------------------------------------------------------
  function render() {
    renderInspections();
    renderMarkers();
  }

  function renderInspections() {
    const list = $("if-inspection-list");
    list.textContent = "";
    $("if-empty").hidden = state.inspections.length > 0;
    state.inspections.forEach((inspection) => {
      const li = el("li", "if-inspection");
      li.dataset.inspectionId = String(inspection.id);
      li.dataset.status = inspection.status;
      const head = el("div");
      head.append(el("strong", "", inspection.title), el("span", "if-status", inspection.status_label));
      li.append(head, el("div", "if-meta", inspection.planned));
      if (inspection.status === "planned" && config.can_record) {
        li.append(button(gettext("开始外业检查"), () => startFieldwork(inspection)));
      }
      if (inspection.status === "fieldwork") li.append(button(gettext("进入检查"), () => openInspection(inspection.id)));
      list.append(li);
    });
  }

  function renderMarkers() {
    const inspection = currentInspection();
    $("if-work").hidden = !inspection || state.marker !== null || state.mode !== null;
    $("if-inspections").hidden = Boolean(inspection);
    if (!inspection) return;
    $("if-work-title").textContent = inspection.title;
    const here = state.fix ? [state.fix.lon, state.fix.lat] : null;
    const rows = inspection.markers.map((m) => ({ m, d: here ? distance(here, [m.lon, m.lat]) : null,
                                                   b: here ? bearing(here, [m.lon, m.lat]) : null }));
    if (here) rows.sort((a, b) => a.d - b.d);
    const list = $("if-markers");
    list.textContent = "";
    rows.forEach(({ m, d, b }) => {
      const li = el("li", "if-marker");
      li.dataset.markerId = String(m.id);
      const head = el("div");
      head.append(el("strong", "", m.number), el("span", "if-status", m.condition_label));
      if (m.checked) head.append(el("span", "if-status if-checked", gettext("已检查")));
      if (m.alert) head.append(el("span", "if-status if-alert", gettext("传感器告警")));
      const pending = pendingFor(m.id);
      if (pending) head.append(el("span", "if-status if-waiting", gettext("待上传")));
      li.append(head);
      if (d !== null) li.append(el("div", "if-meta if-distance", `${offline.compass(b)} ${metres(d)}`));
      if (config.can_record && !pending) li.append(button(gettext("检查此界桩"), () => openForm("check", m)));
      list.append(li);
    });
  }

  function openInspection(id) {
    state.current = id;
    state.marker = null;
    state.mode = null;
    render();
  }

  async function startFieldwork(inspection) {
    if (!navigator.onLine) {
      page.say(gettext("开始外业检查需要联网；请在有信号处操作。"));
      return;
    }
    const result = await offline.post(config.start.replace(/\/0\//, `/${inspection.id}/`), {});
    if (result.status === 200) {
      inspection.status = result.payload.status;
      inspection.status_label = result.payload.status_label;
      await refresh();
      openInspection(inspection.id);
    } else {
      page.say((result.payload.errors || [gettext("服务器拒绝了此操作")]).join("；"));
    }
  }

  // --- GPS and the track -----------------------------------------------------------------------------
  function watchPosition() {
    offline.watchFix($("if-gps"), config.max_accuracy_m, (fix) => {
      state.fix = fix;
      if (state.track) {
        state.track.points.push([fix.lon, fix.lat]);
        localStorage.setItem(TRACK_KEY, JSON.stringify(state.track));
        showTrack();
      }
      if (state.mode) showFix(); else renderMarkers();
    }, { maximumAge: 5000 }); // a walked track wants fresh fixes
  }

  function showTrack() {
    $("if-track").textContent = state.track ? gettext("结束并保存轨迹") : gettext("开始记录轨迹");
    $("if-track-info").textContent = state.track ? `${gettext("正在记录轨迹")}：${state.track.points.length} ${gettext("个点")}` : "";
  }

  async function toggleTrack() {
    if (!state.track) {
      state.track = { inspection_id: state.current, points: [] };
      if (state.fix) state.track.points.push([state.fix.lon, state.fix.lat]);
      localStorage.setItem(TRACK_KEY, JSON.stringify(state.track));
      showTrack();
      return;
    }
    const track = state.track;
    state.track = null;
    localStorage.removeItem(TRACK_KEY);
    showTrack();
    if (track.points.length < 2) return;
    await queue({ kind: "track", inspection_id: track.inspection_id, label: gettext("行进轨迹"),
                  body: { lines: [track.points] }, photos: [] });
  }

  // --- forms ------------------------------------------------------------------------------------------
  function choices(container, name, options, first) {
    container.replaceChildren(...Object.keys(options).map((value) =>
      el("label", "", el("input", { type: "radio", name, value, checked: value === first }), ` ${options[value]}`)));
  }

  function openForm(mode, marker) {
    state.mode = mode;
    state.marker = marker || null;
    $("if-form").reset();
    const check = mode === "check";
    $("if-form-title").textContent = check ? `${gettext("界桩检查")}：${marker.number}` : gettext("记录界线情况");
    $("if-form-target").textContent = check ? `${gettext("登记位置")} ${marker.lon.toFixed(6)}, ${marker.lat.toFixed(6)}` : "";
    $("if-condition-set").hidden = !check;
    $("if-kind-set").hidden = check;
    $("if-action").hidden = !check;
    $("if-action-label").hidden = !check;
    $("if-notes-label").textContent = check ? gettext("说明") : gettext("情况描述");
    if (check) choices($("if-conditions"), "condition", config.conditions, "intact");
    else choices($("if-kinds"), "kind", config.finding_kinds, "river");
    $("if-problems").textContent = "";
    $("if-form-card").hidden = false;
    renderMarkers();
    showFix();
    window.scrollTo(0, 0);
  }

  function closeForm() {
    state.mode = null;
    state.marker = null;
    $("if-form-card").hidden = true;
    render();
  }

  function showFix() {
    const target = state.marker ? [state.marker.lon, state.marker.lat] : null;
    $("if-fix").textContent = offline.describeFix(state.fix, { target, label: gettext("距登记位置"), digits: 1 });
  }

  function problems() {
    const out = [];
    const bad = offline.fixProblem(state.fix, config.max_accuracy_m);
    if (bad) out.push(bad);
    const files = $("if-photo").files;
    if (state.mode === "check" && (!files || !files.length)) out.push(gettext("请拍摄界桩现场照片"));
    out.push(...offline.photoProblems($("if-photo"), config.max_photo_bytes));
    if (state.mode === "finding" && !$("if-notes").value.trim()) out.push(gettext("请描述发现的情况"));
    return out;
  }

  async function save(event) {
    event.preventDefault();
    const found = problems();
    $("if-problems").replaceChildren(...found.map((p) => el("li", "", p)));
    if (found.length) return;
    const fix = state.fix;
    const when = new Date().toISOString();
    const fields = { lon: String(fix.lon), lat: String(fix.lat), accuracy_m: String(fix.accuracy) };
    const photos = offline.photos($("if-photo"));
    let record;
    if (state.mode === "check") {
      const chosen = document.querySelector("#if-conditions input:checked");
      Object.assign(fields, { marker: String(state.marker.id), condition: chosen ? chosen.value : "intact",
                              action_required: $("if-action").value.trim(), notes: $("if-notes").value.trim(),
                              checked_at: when });
      record = { kind: "check", marker_id: state.marker.id, label: state.marker.number, fields, photos };
    } else {
      const chosen = document.querySelector("#if-kinds input:checked");
      Object.assign(fields, { kind: chosen ? chosen.value : "other", description: $("if-notes").value.trim(), found_at: when });
      record = { kind: "finding", label: config.finding_kinds[fields.kind], fields, photos };
    }
    record.inspection_id = state.current;
    $("if-save").disabled = true;
    try {
      await queue(record);
    } finally {
      $("if-save").disabled = false;
    }
    closeForm();
  }

  async function queue(record) {
    Object.assign(record, { client_id: offline.uuid4(), created_at: new Date().toISOString(), state: "waiting",
                            errors: [] });
    await outbox.put(record);
    await loadOutbox();
    page.sendAll();
  }

  // --- sending -----------------------------------------------------------------------------------------
  async function loadOutbox() {
    state.outbox = await outbox.ordered();
    const list = $("if-outbox-list");
    list.textContent = "";
    $("if-outbox").hidden = state.outbox.length === 0;
    $("if-outbox-count").textContent = String(state.outbox.length);
    const kinds = { check: gettext("界桩检查"), finding: gettext("界线情况"), track: gettext("行进轨迹") };
    state.outbox.forEach((record) => {
      const li = el("li", `if-outbox-item if-state-${record.state}`);
      li.dataset.clientId = record.client_id;
      li.append(el("div", "", `${record.label} · ${kinds[record.kind]} · ${new Date(record.created_at).toLocaleString()} · ${
        record.state === "failed" ? gettext("未通过检查") : gettext("等待上传")}`));
      record.errors.forEach((message) => li.append(el("div", "if-error", message)));
      if (record.state === "failed") {
        li.append(button(gettext("删除此记录"), async () => {
          await outbox.remove(record.client_id);
          await loadOutbox();
          render();
        }, "if-button if-secondary"));
      }
      list.append(li);
    });
  }

  function sendOne(record) {
    const id = `/${record.inspection_id}/`;
    if (record.kind === "track") {
      return offline.post(config.tracks.replace(/\/0\//, id), { client_id: record.client_id, ...record.body });
    }
    return offline.post((record.kind === "check" ? config.checks : config.findings).replace(/\/0\//, id), offline.formData(record));
  }

  function markChecked(record) {
    const inspection = state.inspections.find((i) => i.id === record.inspection_id);
    const marker = inspection && record.kind === "check" ? inspection.markers.find((m) => m.id === record.marker_id) : null;
    if (marker) {
      marker.checked = true;
      marker.condition = record.fields.condition;
      marker.condition_label = config.conditions[record.fields.condition];
    }
  }

  // --- start -------------------------------------------------------------------------------------------
  try {
    state.track = JSON.parse(localStorage.getItem(TRACK_KEY) || "null");
  } catch (error) {
    state.track = null;
  }
  showTrack();
  loadCached();
  render();
  $("if-form").addEventListener("submit", save);
  $("if-cancel").addEventListener("click", closeForm);
  $("if-send").addEventListener("click", page.sendAll);
  $("if-back").addEventListener("click", () => openInspection(null));
  $("if-track").addEventListener("click", toggleTrack);
  $("if-finding-open").addEventListener("click", () => openForm("finding"));
  watchPosition();
  page.start();
})();
