/*
 * What every field page (signs, boundary inspections) shares for working with weak or no
 * signal (CivAtlas.offline, on top of geoapp/civatlas.js). Plain ES2017, no build step.
 *
 * - outbox(dbName): an IndexedDB store of records keyed by client_id (a UUID made on the
 *   phone when the record is saved). Records stay there until the server has answered.
 * - flush(box, send, handlers): sends every "waiting" record in order. The server stores
 *   a client_id once (a retry after a lost answer gets 200 and the same record), so
 *   sending again is always safe. 200/201 → removed; 400/403/404 → kept as "failed"
 *   with the server's errors; 401 → stop (login expired); anything else or a network
 *   error → stop and keep waiting (retried later).
 * - fieldPage({prefix, …}): the page around its outbox: the network badge (#<prefix>-net),
 *   the note (#<prefix>-sent), sending every waiting record (body[data-sending] while it
 *   runs) when asked, when the phone comes online and every 30 s, and the shared service
 *   worker (/field/sw.js) that caches the page shells for offline use.
 * - keep(key, name): the page's last data from the server in localStorage, for offline.
 * - the phone's position: watchFix (GPS accuracy shown as good or not), fixProblem,
 *   describeFix, and a spherical distance and bearing, enough to walk to a sign or a
 *   marker (the server measures on the ellipsoid); photos() and formData() for uploads.
 */
(function () {
  "use strict";
  const { gettext, request } = window.CivAtlas;
  const RETRY_MS = 30000;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // --- the outbox and sending ----------------------------------------------------------------
  function outbox(dbName, storeName) {
    const STORE = storeName || "outbox";
    let dbPromise = null;
    function db() {
      if (!dbPromise) {
        dbPromise = new Promise((resolve, reject) => {
          const opening = indexedDB.open(dbName, 1);
          opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "client_id" });
          opening.onsuccess = () => resolve(opening.result);
          opening.onerror = () => reject(opening.error);
        });
      }
      return dbPromise;
    }
    async function store(mode, action) {
      const database = await db();
      return new Promise((resolve, reject) => {
        const tx = database.transaction(STORE, mode);
        const call = action(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(call ? call.result : undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    }
    const all = () => store("readonly", (s) => s.getAll());
    return {
      all,
      ordered: async () => (await all()).sort((a, b) => (a.created_at < b.created_at ? -1 : 1)), // oldest first
      put: (record) => store("readwrite", (s) => s.put(record)),
      remove: (id) => store("readwrite", (s) => s.delete(id)),
    };
  }

  // POST a FormData (or a JSON body) with the session's CSRF token; {status, ok, payload}.
  const post = (url, body) => request(url, { method: "POST", body });

  // Send every waiting record of `box` with `send(record)`; returns how many were stored.
  async function flush(box, send, handlers) {
    const on = handlers || {};
    if (!navigator.onLine) return 0;
    const records = await box.ordered();
    let sent = 0;
    for (const record of records.filter((r) => r.state === "waiting")) {
      let result;
      try {
        result = await send(record);
      } catch (error) {
        break; // network gone again: keep it waiting
      }
      if (result.status === 200 || result.status === 201) {
        await box.remove(record.client_id);
        if (on.sent) on.sent(record, result.payload);
        sent += 1;
      } else if (result.status === 400 || result.status === 403 || result.status === 404) {
        record.state = "failed";
        record.errors = result.payload.errors || [on.refusedText || "refused"];
        await box.put(record);
      } else if (result.status === 401) {
        if (on.unauthorised) on.unauthorised();
        break;
      } else {
        break; // server trouble: try again later
      }
    }
    return sent;
  }

  function registerWorker(url, scope) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(url, { scope }).catch(() => {
      // Without a worker the page still queues records; it only cannot reload offline.
    });
  }

  /* The page around its outbox `box`: `send(record)` uploads one record, `sent(record,
   * payload)` hears of each stored one, `reload()` shows the outbox again, `refresh()`
   * fetches the page's data, `afterSend()` runs when something was stored; `worker` and
   * `scope` name the service worker. Call start() once the page is drawn. */
  function fieldPage({ prefix, box, send, sent, reload, refresh, afterSend, worker, scope }) {
    const byName = (name) => document.getElementById(`${prefix}-${name}`);
    let sending = false;

    function say(text) {
      const note = byName("sent");
      note.textContent = text;
      note.hidden = false;
    }

    function showNetwork() {
      const net = byName("net");
      net.dataset.online = String(navigator.onLine);
      net.textContent = navigator.onLine ? gettext("在线") : gettext("离线：记录将保存在手机上");
    }

    async function sendAll() {
      if (sending || !navigator.onLine) return;
      sending = true;
      document.body.dataset.sending = "true";
      let count = 0;
      try {
        count = await flush(box, send, {
          sent,
          unauthorised: () => say(gettext("登录已过期：请重新登录后再上传。")),
          refusedText: gettext("服务器拒绝了此记录"),
        });
      } finally {
        sending = false;
        await reload();
        document.body.dataset.sending = "false";
      }
      if (count) {
        say(`${gettext("已上传")} ${count} ${gettext("条记录")}`);
        if (afterSend) afterSend();
      }
    }

    function start() {
      window.addEventListener("online", () => { showNetwork(); refresh(); sendAll(); });
      window.addEventListener("offline", showNetwork);
      setInterval(() => { if (navigator.onLine) sendAll(); }, RETRY_MS);
      registerWorker(worker, scope);
      reload().then(() => { sendAll(); }).catch(() => {
        say(gettext("此浏览器无法使用本地存储，离线记录不可用。"));
      });
      refresh();
      document.body.dataset.fieldReady = "true";
    }

    showNetwork();
    return { say, sendAll, start };
  }

  /* The page's last data from the server (a list under `name`), kept in localStorage
   * under `key` with the time it was saved: load() → {saved, [name]} or null. */
  function keep(key, name) {
    return {
      load() {
        try {
          const cached = JSON.parse(localStorage.getItem(key) || "null");
          return cached && Array.isArray(cached[name]) ? cached : null;
        } catch (error) {
          localStorage.removeItem(key);
          return null;
        }
      },
      save(list) {
        try {
          localStorage.setItem(key, JSON.stringify({ saved: Date.now(), [name]: list }));
        } catch (error) {
          // Storage full: the page still works for this visit.
        }
      },
    };
  }

  // --- the phone's position ---------------------------------------------------------------
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
  function compass(degrees) {
    const points = [gettext("北"), gettext("东北"), gettext("东"), gettext("东南"), gettext("南"), gettext("西南"),
                    gettext("西"), gettext("西北")];
    return points[Math.round(degrees / 45) % 8];
  }
  /* Metres below a kilometre, else kilometres, with `digits` decimals (one more in km). */
  const metres = (m, digits = 0) => (m < 1000 ? `${m.toFixed(digits)} ${gettext("米")}`
    : `${(m / 1000).toFixed(digits + 1)} ${gettext("千米")}`);

  /* Follow the GPS: `node` shows the accuracy (data-good: within `maxAccuracy` metres),
   * onFix({lon, lat, accuracy, time}) hears of every new fix. */
  function watchFix(node, maxAccuracy, onFix, { maximumAge = 10000 } = {}) {
    if (!navigator.geolocation) {
      node.textContent = gettext("此设备不支持定位");
      return;
    }
    navigator.geolocation.watchPosition((position) => {
      const fix = { lon: position.coords.longitude, lat: position.coords.latitude,
                    accuracy: position.coords.accuracy, time: position.timestamp };
      node.textContent = `${gettext("定位精度")} ${Math.round(fix.accuracy)} ${gettext("米")}`;
      node.dataset.good = String(fix.accuracy <= maxAccuracy);
      onFix(fix);
    }, (error) => {
      node.textContent = error.code === 1 ? gettext("未获得定位权限") : gettext("暂时无法定位");
      node.dataset.good = "false";
    }, { enableHighAccuracy: true, maximumAge, timeout: 30000 });
  }

  /* Why `fix` cannot be recorded (none yet, or not accurate enough), or null. */
  function fixProblem(fix, maxAccuracy) {
    if (!fix) return gettext("尚未获得 GPS 定位");
    if (fix.accuracy <= maxAccuracy) return null;
    return `${gettext("GPS 定位精度不足")}（${Math.round(fix.accuracy)} ${gettext("米")} > ${maxAccuracy} ${gettext("米")}）`;
  }

  /* The fix in words, and how far it is from `target` ([lon, lat]) after `label`. */
  function describeFix(fix, { target = null, label = "", digits = 0 } = {}) {
    if (!fix) return gettext("尚未获得 GPS 定位，请稍候。");
    let text = `${gettext("设备定位")} ${fix.lon.toFixed(6)}, ${fix.lat.toFixed(6)} · ${gettext("精度")} ${Math.round(fix.accuracy)} ${gettext("米")}`;
    if (target) text += ` · ${label} ${metres(distance([fix.lon, fix.lat], target), digits)}`;
    return text;
  }

  // --- uploads -----------------------------------------------------------------------------
  /* The files of a photo input as stored in a record (IndexedDB keeps the blobs). */
  const photos = (input) => Array.from(input.files || []).map((file) => ({ name: file.name, type: file.type, blob: file }));

  /* Problems with the photos of `input` the server would refuse anyway. */
  const photoProblems = (input, maxBytes) => Array.from(input.files || [])
    .filter((file) => file.size > maxBytes).map((file) => `${gettext("照片过大")}：${file.name}`);

  /* A record's upload: its client_id, its fields and its photos. */
  function formData(record) {
    const body = new FormData();
    body.append("client_id", record.client_id);
    Object.keys(record.fields).forEach((key) => body.append(key, record.fields[key]));
    record.photos.forEach((photo) => body.append("photo", photo.blob, photo.name || "photo.jpg"));
    return body;
  }

  window.CivAtlas.offline = {
    uuid4, outbox, post, flush, registerWorker, fieldPage, keep,
    distance, bearing, compass, metres, watchFix, fixProblem, describeFix, photos, photoProblems, formData,
  };
})();
