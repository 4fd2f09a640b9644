/*
 * Service worker shared by every field page (served as /field/sw.js?v=<version>, scope
 * /field/; geoapp/offline.py). Plain ES2017. On install it reads /field/offline.json (the
 * page shells of every field page and their assets, listed by the server) and caches
 * them; the pages then open with no network at all.
 * - a page shell: network first (a few seconds on weak signal), else the cached copy;
 * - listed assets: cache first;
 * - GET of a listed data API (signs, inspections): network first, else the last answer;
 * - everything else (uploads included) goes to the network untouched: the page queues
 *   records in IndexedDB itself and sends them when online.
 */
"use strict";

const PREFIX = "civatlas-field-";
const VERSION = new URL(self.location.href).searchParams.get("v") || "dev";
const CACHE = PREFIX + VERSION;
const MANIFEST = new URL("offline.json", self.location.href).pathname;
const NETWORK_TIMEOUT_MS = 4000;

let manifest = null;

async function readManifest() {
  if (manifest) return manifest;
  const cache = await caches.open(CACHE);
  let response = await cache.match(MANIFEST);
  if (!response) {
    response = await fetch(MANIFEST, { credentials: "same-origin", cache: "no-store" });
    await cache.put(MANIFEST, response.clone());
  }
  manifest = await response.json();
  return manifest;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const list = await readManifest();
    const cache = await caches.open(CACHE);
    await cache.addAll(list.assets.map((url) => new Request(url, { credentials: "same-origin" })));
    // A user may open only some of the field pages (roles differ): cache the shells they may see.
    await Promise.all(list.shells.map(async (url) => {
      try {
        const response = await fetch(new Request(url, { credentials: "same-origin" }));
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (error) {
        // offline during install: the page caches itself on its next network-first visit
      }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error) => { clearTimeout(timer); reject(error); });
  });
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    if (response.ok) await cache.put(key || request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key || request);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const list = await readManifest().catch(() => null);
    if (list && list.shells.includes(url.pathname)) return networkFirst(request, url.pathname);
    if (list && list.assets.includes(url.pathname + url.search)) return cacheFirst(request);
    if (list && list.data.includes(url.pathname)) return networkFirst(request);
    return fetch(request);
  })());
});
