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
 * - The service worker (/field/sw.js) caches the page shell and assets for offline use.
 * UI strings go through Django's JavaScriptCatalog (gettext), Chinese being the source.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("field-config").textContent);
  const $ = (id) => document.getElementById(id);
  // The catalogue (/jsi18n/) is cached with the page; without it the Chinese source shows.
  const gettext = typeof window.gettext === "function" ? window.gettext : (text) => text;
  const interpolate = typeof window.interpolate === "function" ? window.interpolate : (format, args) => format.replace("%s", args[0]);
  const SIGNS_KEY = `civatlas.field.signs.${config.user}`;
  const TEAM_KEY = "civatlas.field.team";
  const INSTALLABLE = ["planned", "damaged", "missing"];
  const INSPECTABLE = ["installed", "inspected", "damaged", "missing", "needs_replacement"];
  const RETRY_MS = 30000;

  const state = { signs: [], fix: null, current: null, kind: null, sending: false, outbox: [], correcting: null };

  // --- geometry: spherical distance and bearing, enough to walk to a sign ------------------
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
  const compass = (deg) => COMPASS[Math.round(deg / 45) % 8];
  const metres = (m) => (m < 1000 ? `${Math.round(m)} ${gettext("米")}` : `${(m / 1000).toFixed(1)} ${gettext("千米")}`);

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // --- IndexedDB outbox ---------------------------------------------------------------------
  const DB_NAME = "civatlas-field";
  const STORE = "outbox";
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_id" });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }
  async function store(mode, action) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const tx = database.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  const outboxAll = () => store("readonly", (s) => s.getAll());
  const outboxPut = (record) => store("readwrite", (s) => s.put(record));
  const outboxDelete = (id) => store("readwrite", (s) => s.delete(id));

  // --- signs -------------------------------------------------------------------------------------
  function loadCachedSigns() {
    try {
      const cached = JSON.parse(localStorage.getItem(SIGNS_KEY) || "null");
      if (cached && Array.isArray(cached.features)) {
        state.signs = cached.features;
        $("fd-cache").textContent = `${gettext("标志数据更新于")} ${new Date(cached.saved).toLocaleString()}`;
      }
    } catch (error) {
      localStorage.removeItem(SIGNS_KEY);
    }
  }
  function saveSigns() {
    try {
      localStorage.setItem(SIGNS_KEY, JSON.stringify({ saved: Date.now(), features: state.signs }));
    } catch (error) {
      // Storage full: the list still works for this visit.
    }
  }
  async function refreshSigns() {
    if (!navigator.onLine) return;
    const url = `${config.signs}?division=${encodeURIComponent(config.jurisdiction || "")}`;
    try {
      const response = await fetch(config.jurisdiction ? url : config.signs, { credentials: "same-origin" });
      if (!response.ok) return;
      const collection = await response.json();
      state.signs = collection.features;
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
      const li = document.createElement("li");
      li.className = "fd-sign";
      li.dataset.signId = String(p.id);
      li.dataset.status = p.status;
      const head = document.createElement("div");
      head.className = "fd-sign-head";
      const name = document.createElement("strong");
      name.textContent = p.text_cn;
      const badge = document.createElement("span");
      badge.className = "fd-status";
      badge.style.background = config.colours[p.status] || "#555";
      badge.textContent = p.status_label;
      head.append(name, badge);
      const pending = pendingFor(p.id);
      if (pending) {
        const wait = document.createElement("span");
        wait.className = "fd-status fd-waiting";
        wait.textContent = gettext("待上传");
        head.append(wait);
      }
      const meta = document.createElement("div");
      meta.className = "fd-meta";
      meta.textContent = `${p.type_label} · ${p.division_name} · ${p.text_pinyin}`;
      li.append(head, meta);
      if (row.d !== null) {
        const dir = document.createElement("div");
        dir.className = "fd-direction";
        const arrow = document.createElement("span");
        arrow.className = "fd-arrow";
        arrow.textContent = "↑";
        arrow.style.transform = `rotate(${Math.round(row.b)}deg)`;
        const text = document.createElement("span");
        text.className = "fd-distance";
        text.textContent = `${compass(row.b)} ${metres(row.d)}`;
        dir.append(arrow, text);
        li.append(dir);
      }
      if (config.can_record && !pending) {
        const actions = document.createElement("div");
        actions.className = "fd-actions";
        if (INSTALLABLE.includes(p.status)) actions.append(button(gettext("登记设置"), () => openForm(row.feature, "installation")));
        if (INSPECTABLE.includes(p.status)) actions.append(button(gettext("登记巡检"), () => openForm(row.feature, "inspection")));
        li.append(actions);
      }
      list.append(li);
    });
  }

  function button(label, onClick, className) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className || "fd-button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  // --- GPS ---------------------------------------------------------------------------------------
  function watchPosition() {
    if (!navigator.geolocation) {
      $("fd-gps").textContent = gettext("此设备不支持定位");
      return;
    }
    navigator.geolocation.watchPosition(
      (position) => {
        state.fix = { lon: position.coords.longitude, lat: position.coords.latitude,
                      accuracy: position.coords.accuracy, time: position.timestamp };
        const gps = $("fd-gps");
        gps.textContent = `${gettext("定位精度")} ${Math.round(state.fix.accuracy)} ${gettext("米")}`;
        gps.dataset.good = String(state.fix.accuracy <= config.max_accuracy_m);
        render();
        if (state.current) showFix();
      },
      (error) => {
        $("fd-gps").textContent = error.code === 1 ? gettext("未获得定位权限") : gettext("暂时无法定位");
        $("fd-gps").dataset.good = "false";
      },
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 },
    );
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
    const choices = $("fd-conditions");
    choices.textContent = "";
    Object.keys(config.conditions).forEach((value, index) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "condition";
      input.value = value;
      input.checked = index === 0;
      label.append(input, document.createTextNode(` ${config.conditions[value]}`));
      choices.append(label);
    });
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
    const fix = state.fix;
    const target = state.current ? state.current.geometry.coordinates : null;
    if (!fix) {
      $("fd-fix").textContent = gettext("尚未获得 GPS 定位，请稍候。");
      return;
    }
    let text = `${gettext("设备定位")} ${fix.lon.toFixed(6)}, ${fix.lat.toFixed(6)} · ${gettext("精度")} ${Math.round(fix.accuracy)} ${gettext("米")}`;
    if (target) text += ` · ${gettext("距标志")} ${metres(distance([fix.lon, fix.lat], target))}`;
    $("fd-fix").textContent = text;
  }

  /* A record the server refused (wrong text, say) is corrected, not only deleted: the form
   * opens with what was recorded; the position, time and photos are kept unless a new
   * photo is taken; saving queues the corrected record and drops the refused one. */
  function correctRecord(record) {
    const feature = state.signs.find((f) => f.properties.id === record.sign_id);
    if (!feature) {
      $("fd-sent").hidden = false;
      $("fd-sent").textContent = gettext("该标志不在当前列表中：请先选择其所在乡镇。");
      return;
    }
    openForm(feature, record.kind);
    state.correcting = record;
    ["text_cn", "text_pinyin", "team", "notes"].forEach((name) => {
      const el = $(`fd-${name.replace("_", "-")}`);
      if (el && record.fields[name] !== undefined) el.value = record.fields[name];
    });
    if (record.fields.condition) {
      const chosen = document.querySelector(`#fd-conditions input[value="${record.fields.condition}"]`);
      if (chosen) chosen.checked = true;
    }
    $("fd-photo-info").textContent = interpolate(gettext("沿用原记录的 %s 张照片（可重新拍摄）"), [record.photos.length]);
    const list = $("fd-problems");
    list.textContent = "";
    record.errors.forEach((message) => { const li = document.createElement("li"); li.textContent = message; list.append(li); });
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
    if (!fix) problems.push(gettext("尚未获得 GPS 定位"));
    else if (fix.accuracy > config.max_accuracy_m) {
      problems.push(`${gettext("GPS 定位精度不足")}（${Math.round(fix.accuracy)} ${gettext("米")} > ${config.max_accuracy_m} ${gettext("米")}），${gettext("请到开阔处等待")}`);
    } else {
      const d = distance([fix.lon, fix.lat], state.current.geometry.coordinates);
      if (d > config.max_offset_m) problems.push(`${gettext("距标志位置")} ${metres(d)}，${gettext("超过允许的")} ${metres(config.max_offset_m)}`);
    }
    const files = $("fd-photo").files;
    if (!files || !files.length) problems.push(gettext("请拍摄现场照片"));
    Array.from(files || []).forEach((file) => {
      if (file.size > config.max_photo_bytes) problems.push(`${gettext("照片过大")}：${file.name}`);
    });
    if (state.kind === "installation" && (!$("fd-text-cn").value.trim() || !$("fd-text-pinyin").value.trim())) {
      problems.push(gettext("请填写牌面实际印制的汉字和拼音"));
    }
    return problems;
  }

  async function saveRecord(event) {
    event.preventDefault();
    const problems = localProblems();
    const list = $("fd-problems");
    list.textContent = "";
    problems.forEach((p) => { const li = document.createElement("li"); li.textContent = p; list.append(li); });
    if (problems.length) return;
    const p = state.current.properties;
    const when = new Date().toISOString();
    const corrected = state.correcting;
    if (corrected) {
      const newPhotos = Array.from($("fd-photo").files).map((file) => ({ name: file.name, type: file.type, blob: file }));
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
      await outboxPut(record);
      await outboxDelete(corrected.client_id);
      state.correcting = null;
      await loadOutbox();
      closeForm();
      sendAll();
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
    const photos = Array.from($("fd-photo").files).map((file) => ({ name: file.name, type: file.type, blob: file }));
    const record = {
      client_id: uuid4(), kind: state.kind, sign_id: p.id, sign_name: p.text_cn, fields, photos,
      created_at: when, state: "waiting", errors: [],
    };
    $("fd-save").disabled = true;
    try {
      await outboxPut(record);
    } finally {
      $("fd-save").disabled = false;
    }
    await loadOutbox();
    closeForm();
    sendAll();
  }

  // --- sending -----------------------------------------------------------------------------------
  async function loadOutbox() {
    state.outbox = (await outboxAll()).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
    renderOutbox();
  }

  function renderOutbox() {
    const box = $("fd-outbox");
    const list = $("fd-outbox-list");
    list.textContent = "";
    box.hidden = state.outbox.length === 0;
    $("fd-outbox-count").textContent = String(state.outbox.length);
    state.outbox.forEach((record) => {
      const li = document.createElement("li");
      li.className = `fd-outbox-item fd-state-${record.state}`;
      li.dataset.clientId = record.client_id;
      const what = record.kind === "installation" ? gettext("设置") : gettext("巡检");
      const head = document.createElement("div");
      head.textContent = `${record.sign_name} · ${what} · ${new Date(record.created_at).toLocaleString()} · ${
        record.state === "failed" ? gettext("未通过检查") : gettext("等待上传")}`;
      li.append(head);
      record.errors.forEach((message) => {
        const e = document.createElement("div");
        e.className = "fd-error";
        e.textContent = message;
        li.append(e);
      });
      if (record.state === "failed") {
        li.append(button(gettext("修改后重新提交"), () => correctRecord(record), "fd-button fd-correct"));
        li.append(button(gettext("删除此记录"), async () => {
          await outboxDelete(record.client_id);
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

  async function sendOne(record) {
    const body = new FormData();
    body.append("client_id", record.client_id);
    Object.keys(record.fields).forEach((key) => body.append(key, record.fields[key]));
    record.photos.forEach((photo) => body.append("photo", photo.blob, photo.name || "photo.jpg"));
    const template = record.kind === "installation" ? config.installations : config.inspections;
    const url = template.replace(/\/0\//, `/${record.sign_id}/`);
    const response = await fetch(url, {
      method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
    });
    let payload = {};
    try { payload = await response.json(); } catch (error) { payload = {}; }
    return { status: response.status, payload };
  }

  async function sendAll() {
    if (state.sending || !navigator.onLine) return;
    state.sending = true;
    document.body.dataset.sending = "true";
    let sent = 0;
    try {
      await loadOutbox();
      for (const record of state.outbox.filter((r) => r.state === "waiting")) {
        let result;
        try {
          result = await sendOne(record);
        } catch (error) {
          break; // network gone again: keep it waiting
        }
        if (result.status === 200 || result.status === 201) {
          await outboxDelete(record.client_id);
          updateSign(record.sign_id, result.payload.status);
          sent += 1;
        } else if (result.status === 400 || result.status === 403 || result.status === 404) {
          record.state = "failed";
          record.errors = result.payload.errors || [gettext("服务器拒绝了此记录")];
          await outboxPut(record);
        } else if (result.status === 401) {
          showSent(gettext("登录已过期：请重新登录后再上传。"));
          break;
        } else {
          break; // server trouble: try again later
        }
      }
    } finally {
      state.sending = false;
      await loadOutbox();
      render();
      document.body.dataset.sending = "false";
    }
    if (sent) showSent(`${gettext("已上传")} ${sent} ${gettext("条记录")}`);
  }

  function showSent(text) {
    const note = $("fd-sent");
    note.textContent = text;
    note.hidden = false;
  }

  function showNetwork() {
    const net = $("fd-net");
    net.dataset.online = String(navigator.onLine);
    net.textContent = navigator.onLine ? gettext("在线") : gettext("离线：记录将保存在手机上");
  }

  // --- start -------------------------------------------------------------------------------------
  // Townships as groups ("whole township": its prefix), their villages inside.
  function fillAreas() {
    const select = $("fd-where");
    config.areas.forEach((area) => {
      const group = document.createElement("optgroup");
      group.label = area[1] || area[0];
      const whole = document.createElement("option");
      whole.value = area[0];
      whole.textContent = `${area[1] || area[0]}（${gettext("全部")}）`;
      group.append(whole);
      area[2].forEach((village) => {
        const option = document.createElement("option");
        option.value = village[0];
        option.textContent = village[1];
        group.append(option);
      });
      select.append(group);
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(() => {
      // Without a worker the page still queues records; it only cannot reload offline.
    });
  }

  fillAreas();
  showNetwork();
  loadCachedSigns();
  render();
  $("fd-where").addEventListener("change", render);
  $("fd-mode").addEventListener("change", render);
  $("fd-form").addEventListener("submit", saveRecord);
  $("fd-cancel").addEventListener("click", closeForm);
  $("fd-send").addEventListener("click", sendAll);
  $("fd-photo").addEventListener("change", () => {
    const files = Array.from($("fd-photo").files || []);
    $("fd-photo-info").textContent = files.map((f) => `${f.name}（${(f.size / 1024 / 1024).toFixed(1)} MB）`).join("，");
  });
  window.addEventListener("online", () => { showNetwork(); refreshSigns(); sendAll(); });
  window.addEventListener("offline", showNetwork);
  setInterval(() => { if (navigator.onLine) sendAll(); }, RETRY_MS);
  watchPosition();
  registerWorker();
  loadOutbox().then(() => { render(); sendAll(); }).catch(() => {
    showSent(gettext("此浏览器无法使用本地存储，离线记录不可用。"));
  });
  refreshSigns();
  document.body.dataset.fieldReady = "true";
})();
