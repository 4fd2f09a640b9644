/*
 * What the scripts of every page share (window.CivAtlas). base.html loads it before a
 * page's own scripts; plain ES2017 and a global namespace, no build step (ADR 0031). The
 * other shared scripts hang off the same namespace: CivAtlas.mapKit (geoapp/map_kit.js),
 * CivAtlas.offline (geoapp/offline-queue.js), CivAtlas.facilities (facilities/
 * facility_icons.js), CivAtlas.divisionPicker (geoapp/division_picker.js).
 *
 * - Requests to our API, with one error rule: getJSON/postJSON resolve to the answer's
 *   JSON, or reject with an Error whose message is the server's `error` (else
 *   "<status> <url>") and whose `status` is the HTTP status (none for a network error).
 *   request() makes the same call and answers {status, ok, payload} for the pages that
 *   act on the status themselves (the offline queue, the editor's refusals). Cookies go
 *   with every call, the session's CSRF token with every call but a GET.
 * - Maps: prefix(map) sets the product's own attribution prefix (no outside link, no
 *   flag, on an intranet); baseLayers(map, basemaps) adds the configured base maps
 *   (CIVATLAS_BASEMAPS through json_script); controls(map) the workspace's zoom buttons
 *   and metric scale.
 * - Pages: config(id) reads a json_script block; el() and button() build DOM nodes;
 *   show(node, text) sets a status line and hides it when empty; gettext/interpolate fall
 *   back to the Chinese source where Django's catalogue did not load (a field page
 *   opened offline before its first visit cached /jsi18n/).
 */
(function () {
  "use strict";

  const PREFIX = "CivAtlas · Leaflet";

  // --- text: the catalogue may load after this script, so look it up at each call ----------
  const gettext = (text) => (typeof window.gettext === "function" ? window.gettext(text) : text);
  function interpolate(format, args, named) {
    if (typeof window.interpolate === "function") return window.interpolate(format, args, named);
    let i = 0;
    return named ? format.replace(/%\((\w+)\)s/g, (m, key) => String(args[key])) : format.replace(/%s/g, () => String(args[i++]));
  }

  // --- requests ---------------------------------------------------------------------------
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* fetch with our defaults; a body that is not FormData is sent as JSON. */
  function send(url, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json" };
    let data = body;
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      data = JSON.stringify(body);
    }
    return fetch(url, { method, body: data, credentials: "same-origin", headers });
  }

  async function payloadOf(response) {
    try {
      return await response.json();
    } catch (error) {
      return {}; // an empty or HTML answer (a proxy's error page)
    }
  }

  async function request(url, options) {
    const response = await send(url, options);
    return { status: response.status, ok: response.ok, payload: await payloadOf(response) };
  }

  async function answer(url, response) {
    if (response.ok) return response.json();
    const payload = await payloadOf(response);
    const error = new Error(payload.error || `${response.status} ${url}`);
    error.status = response.status;
    throw error;
  }

  const getJSON = async (url) => answer(url, await send(url));
  const postJSON = async (url, body) => answer(url, await send(url, { method: "POST", body }));

  // --- maps -------------------------------------------------------------------------------
  function prefix(map) {
    map.attributionControl.setPrefix(PREFIX);
    return map;
  }

  /* The configured base maps ({url, name, attribution, max_zoom, subdomains, overlay}): the
   * first base map and (unless `overlays` is false) every overlay are shown. Returns
   * {bases, overlays} by name, for L.control.layers. */
  function baseLayers(map, basemaps, { overlays: showOverlays = true } = {}) {
    const bases = {};
    const overlays = {};
    (basemaps || []).forEach((b) => {
      const layer = L.tileLayer(b.url, {
        attribution: b.attribution || "", maxZoom: b.max_zoom || 18, subdomains: b.subdomains || "abc",
      });
      if (b.overlay ? showOverlays : !Object.keys(bases).length) layer.addTo(map);
      if (b.overlay && !showOverlays) return;
      (b.overlay ? overlays : bases)[b.name || b.url] = layer;
    });
    return { bases, overlays };
  }

  /* The workspace maps' controls (the map page, the gap view): zoom buttons top right, a
   * metric scale, and the product's attribution prefix. */
  function controls(map) {
    L.control.zoom({ position: "topright", zoomInTitle: gettext("放大"), zoomOutTitle: gettext("缩小") }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    return prefix(map);
  }

  // --- pages ------------------------------------------------------------------------------
  /* The JSON of a json_script block, or null where the page has none. */
  function config(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* el("li", "if-marker", child, "text") or el("a", {href, className, dataset: {…}}, …):
   * properties are set on the node (dataset merged, names with a dash as attributes);
   * children are nodes or text, null and undefined left out. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (typeof props === "string") {
      if (props) node.className = props;
    } else if (props) {
      Object.keys(props).forEach((key) => {
        const value = props[key];
        if (value === undefined) return;
        if (key === "dataset") Object.assign(node.dataset, value);
        else if (key.includes("-") || key === "role") node.setAttribute(key, value);
        else node[key] = value;
      });
    }
    children.forEach((child) => { if (child !== null && child !== undefined) node.append(child); });
    return node;
  }

  function button(text, onClick, className) {
    const node = el("button", className || "", text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  /* A status line: the text, hidden while there is none. */
  function show(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  window.CivAtlas = {
    PREFIX, gettext, interpolate, csrfToken, request, getJSON, postJSON,
    prefix, baseLayers, controls, config, el, button, show,
  };
})();
