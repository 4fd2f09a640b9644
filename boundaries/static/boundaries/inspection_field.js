/*
 * Inspection phone page (联检外业): marker checks, line findings and the walked track,
 * recorded with weak or no signal. Plain ES2017, no build step.
 *
 * - The user's planned and ongoing inspections with their markers come from
 *   /api/inspections/field/ and are kept in localStorage (and by the shared service
 *   worker), so the page works offline; markers are sorted by distance from the GPS fix.
 * - Every record is saved first to an IndexedDB outbox with a phone-made client_id and
 *   sent when online, through the queue shared with the sign field page
 *   (geoapp/static/geoapp/offline-queue.js): the server stores a client_id once, so a
 *   retry after a lost answer is safe.
 * - The track is recorded from the GPS fixes while "recording" is on and queued as one
 *   record when stopped.
 * UI strings go through Django's JavaScriptCatalog (gettext), Chinese being the source.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("inspection-field-config").textContent);
  const $ = (id) => document.getElementById(id);
  const gettext = typeof window.gettext === "function" ? window.gettext : (text) => text;
  const DATA_KEY = `civatlas.inspections.${config.user}`;
  const TRACK_KEY = `civatlas.inspections.track.${config.user}`;
  const RETRY_MS = 30000;
  const outbox = CivOffline.outbox("civatlas-field-inspections");
  const state = { inspections: [], current: null, marker: null, mode: null, fix: null, outbox: [], sending: false,
                  track: null };

  // --- geometry: spherical distance and bearing (a preview; the server measures on the ellipsoid)
  const R = 6371008.8;
  const rad = (d) => (d * Math.PI) / 180;
  function distance(a, b) {
    const dLat = rad(b[1] - a[1]);
    const dLon = rad(b[0] - a[0]);
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  function bearing(a, b) {
    const y = Math.sin(rad(b[0] - a[0])) * Math.cos(rad(b[1]));
    const x = Math.cos(rad(a[1])) * Math.sin(rad(b[1])) - Math.sin(rad(a[1])) * Math.cos(rad(b[1])) * Math.cos(rad(b[0] - a[0]));
    return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
  }
  const COMPASS = [gettext("北"), gettext("东北"), gettext("东"), gettext("东南"), gettext("南"), gettext("西南"),
                   gettext("西"), gettext("西北")];
  const metres = (m) => (m < 1000 ? `${m.toFixed(1)} ${gettext("米")}` : `${(m / 1000).toFixed(2)} ${gettext("千米")}`);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function button(label, onClick, className) {
    const b = el("button", className || "if-button", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // --- data ----------------------------------------------------------------------------------------
  function loadCached() {
    try {
      const cached = JSON.parse(localStorage.getItem(DATA_KEY) || "null");
      if (cached && Array.isArray(cached.inspections)) {
        state.inspections = cached.inspections;
        $("if-cache").textContent = `${gettext("数据更新于")} ${new Date(cached.saved).toLocaleString()}`;
      }
    } catch (error) {
      localStorage.removeItem(DATA_KEY);
    }
  }
  async function refresh() {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(config.data, { credentials: "same-origin" });
      if (!response.ok) return;
      const payload = await response.json();
      state.inspections = payload.inspections;
      try {
        localStorage.setItem(DATA_KEY, JSON.stringify({ saved: Date.now(), inspections: state.inspections }));
      } catch (error) { /* storage full: this visit still works */ }
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
      if (d !== null) li.append(el("div", "if-meta if-distance", `${COMPASS[Math.round(b / 45) % 8]} ${metres(d)}`));
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
      showSent(gettext("开始外业检查需要联网；请在有信号处操作。"));
      return;
    }
    const result = await CivOffline.post(config.start.replace(/\/0\//, `/${inspection.id}/`), {});
    if (result.status === 200) {
      inspection.status = result.payload.status;
      inspection.status_label = result.payload.status_label;
      await refresh();
      openInspection(inspection.id);
    } else {
      showSent((result.payload.errors || [gettext("服务器拒绝了此操作")]).join("；"));
    }
  }

  // --- GPS and the track -----------------------------------------------------------------------------
  function watchPosition() {
    if (!navigator.geolocation) {
      $("if-gps").textContent = gettext("此设备不支持定位");
      return;
    }
    navigator.geolocation.watchPosition((position) => {
      state.fix = { lon: position.coords.longitude, lat: position.coords.latitude, accuracy: position.coords.accuracy };
      const gps = $("if-gps");
      gps.textContent = `${gettext("定位精度")} ${Math.round(state.fix.accuracy)} ${gettext("米")}`;
      gps.dataset.good = String(state.fix.accuracy <= config.max_accuracy_m);
      if (state.track) {
        state.track.points.push([state.fix.lon, state.fix.lat]);
        localStorage.setItem(TRACK_KEY, JSON.stringify(state.track));
        showTrack();
      }
      if (state.mode) showFix(); else renderMarkers();
    }, () => {
      $("if-gps").textContent = gettext("暂时无法定位");
      $("if-gps").dataset.good = "false";
    }, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
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
    container.textContent = "";
    Object.keys(options).forEach((value) => {
      const label = el("label");
      const input = el("input");
      input.type = "radio";
      input.name = name;
      input.value = value;
      input.checked = value === first;
      label.append(input, document.createTextNode(` ${options[value]}`));
      container.append(label);
    });
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
    const fix = state.fix;
    if (!fix) {
      $("if-fix").textContent = gettext("尚未获得 GPS 定位，请稍候。");
      return;
    }
    let text = `${gettext("设备定位")} ${fix.lon.toFixed(6)}, ${fix.lat.toFixed(6)} · ${gettext("精度")} ${Math.round(fix.accuracy)} ${gettext("米")}`;
    if (state.marker) text += ` · ${gettext("距登记位置")} ${metres(distance([fix.lon, fix.lat], [state.marker.lon, state.marker.lat]))}`;
    $("if-fix").textContent = text;
  }

  function problems() {
    const out = [];
    const fix = state.fix;
    if (!fix) out.push(gettext("尚未获得 GPS 定位"));
    else if (fix.accuracy > config.max_accuracy_m) {
      out.push(`${gettext("GPS 定位精度不足")}（${Math.round(fix.accuracy)} ${gettext("米")} > ${config.max_accuracy_m} ${gettext("米")}）`);
    }
    const files = $("if-photo").files;
    if (state.mode === "check" && (!files || !files.length)) out.push(gettext("请拍摄界桩现场照片"));
    Array.from(files || []).forEach((file) => {
      if (file.size > config.max_photo_bytes) out.push(`${gettext("照片过大")}：${file.name}`);
    });
    if (state.mode === "finding" && !$("if-notes").value.trim()) out.push(gettext("请描述发现的情况"));
    return out;
  }

  async function save(event) {
    event.preventDefault();
    const found = problems();
    const list = $("if-problems");
    list.textContent = "";
    found.forEach((p) => list.append(el("li", "", p)));
    if (found.length) return;
    const fix = state.fix;
    const when = new Date().toISOString();
    const fields = { lon: String(fix.lon), lat: String(fix.lat), accuracy_m: String(fix.accuracy) };
    const photos = Array.from($("if-photo").files).map((file) => ({ name: file.name, type: file.type, blob: file }));
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
    Object.assign(record, { client_id: CivOffline.uuid4(), created_at: new Date().toISOString(), state: "waiting",
                            errors: [] });
    await outbox.put(record);
    await loadOutbox();
    sendAll();
  }

  // --- sending -----------------------------------------------------------------------------------------
  async function loadOutbox() {
    state.outbox = (await outbox.all()).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
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
      return CivOffline.post(config.tracks.replace(/\/0\//, id), { client_id: record.client_id, ...record.body });
    }
    const body = new FormData();
    body.append("client_id", record.client_id);
    Object.keys(record.fields).forEach((key) => body.append(key, record.fields[key]));
    record.photos.forEach((photo) => body.append("photo", photo.blob, photo.name || "photo.jpg"));
    return CivOffline.post((record.kind === "check" ? config.checks : config.findings).replace(/\/0\//, id), body);
  }

  async function sendAll() {
    if (state.sending || !navigator.onLine) return;
    state.sending = true;
    document.body.dataset.sending = "true";
    let sent = 0;
    try {
      sent = await CivOffline.flush(outbox, sendOne, {
        sent: (record) => {
          const inspection = state.inspections.find((i) => i.id === record.inspection_id);
          const marker = inspection && record.kind === "check" ? inspection.markers.find((m) => m.id === record.marker_id) : null;
          if (marker) {
            marker.checked = true;
            marker.condition = record.fields.condition;
            marker.condition_label = config.conditions[record.fields.condition];
          }
        },
        unauthorised: () => showSent(gettext("登录已过期：请重新登录后再上传。")),
        refusedText: gettext("服务器拒绝了此记录"),
      });
    } finally {
      state.sending = false;
      await loadOutbox();
      render();
      document.body.dataset.sending = "false";
    }
    if (sent) {
      showSent(`${gettext("已上传")} ${sent} ${gettext("条记录")}`);
      refresh();
    }
  }

  function showSent(text) {
    const note = $("if-sent");
    note.textContent = text;
    note.hidden = false;
  }

  function showNetwork() {
    const net = $("if-net");
    net.dataset.online = String(navigator.onLine);
    net.textContent = navigator.onLine ? gettext("在线") : gettext("离线：记录将保存在手机上");
  }

  // --- start -------------------------------------------------------------------------------------------
  try {
    state.track = JSON.parse(localStorage.getItem(TRACK_KEY) || "null");
  } catch (error) {
    state.track = null;
  }
  showNetwork();
  showTrack();
  loadCached();
  render();
  $("if-form").addEventListener("submit", save);
  $("if-cancel").addEventListener("click", closeForm);
  $("if-send").addEventListener("click", sendAll);
  $("if-back").addEventListener("click", () => openInspection(null));
  $("if-track").addEventListener("click", toggleTrack);
  $("if-finding-open").addEventListener("click", () => openForm("finding"));
  window.addEventListener("online", () => { showNetwork(); refresh(); sendAll(); });
  window.addEventListener("offline", showNetwork);
  setInterval(() => { if (navigator.onLine) sendAll(); }, RETRY_MS);
  watchPosition();
  CivOffline.registerWorker(config.worker, config.scope);
  loadOutbox().then(() => { render(); sendAll(); }).catch(() => {
    showSent(gettext("此浏览器无法使用本地存储，离线记录不可用。"));
  });
  refresh();
  document.body.dataset.fieldReady = "true";
})();
