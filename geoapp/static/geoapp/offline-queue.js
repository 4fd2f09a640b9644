/*
 * The offline queue shared by every field page (signs, boundary inspections). Plain
 * ES2017, no build step; exposes window.CivOffline.
 *
 * - outbox(dbName): an IndexedDB store of records keyed by client_id (a UUID made on the
 *   phone when the record is saved). Records stay there until the server has answered.
 * - flush(box, send, handlers): sends every "waiting" record in order. The server stores
 *   a client_id once (a retry after a lost answer gets 200 and the same record), so
 *   sending again is always safe. 200/201 → removed; 400/403/404 → kept as "failed"
 *   with the server's errors; 401 → stop (login expired); anything else or a network
 *   error → stop and keep waiting (retried later).
 * - registerWorker(url, scope): the shared service worker (/field/sw.js) that caches the
 *   page shells for offline use.
 */
(function () {
  "use strict";

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

  function outbox(dbName, storeName) {
    const STORE = storeName || "outbox";
    let dbPromise = null;
    function db() {
      if (!dbPromise) {
        dbPromise = new Promise((resolve, reject) => {
          const request = indexedDB.open(dbName, 1);
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
    return {
      all: () => store("readonly", (s) => s.getAll()),
      put: (record) => store("readwrite", (s) => s.put(record)),
      remove: (id) => store("readwrite", (s) => s.delete(id)),
    };
  }

  // POST a FormData (or a JSON body) with the session's CSRF token; {status, payload}.
  async function post(url, body) {
    const headers = { "X-CSRFToken": csrfToken() };
    let data = body;
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      data = JSON.stringify(body);
    }
    const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin", headers });
    let payload = {};
    try { payload = await response.json(); } catch (error) { payload = {}; }
    return { status: response.status, payload };
  }

  // Send every waiting record of `box` with `send(record)`; returns how many were stored.
  async function flush(box, send, handlers) {
    const on = handlers || {};
    if (!navigator.onLine) return 0;
    const records = (await box.all()).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
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

  window.CivOffline = { uuid4, csrfToken, outbox, post, flush, registerWorker };
})();
