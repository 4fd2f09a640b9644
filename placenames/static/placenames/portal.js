/* Public place-name search: calls the public search API and lists standard names. */
(function () {
  "use strict";
  const { el } = window.CivAtlas;
  const config = CivAtlas.config("portal-config");
  const form = document.getElementById("pn-search-form");
  const input = form.querySelector("input[name=q]");
  const category = form.querySelector("select[name=category]");
  const list = document.getElementById("pn-results");
  const status = document.getElementById("pn-status");

  function item(result) {
    return el("li", "", el("a", { href: result.url, className: "pn-name" }, result.name),
      el("span", "pn-roman", result.romanization),
      el("div", "pn-meta", [result.category_label, result.division].filter(Boolean).join(" · ")));
  }

  async function run() {
    const q = input.value.trim();
    list.replaceChildren();
    if (!q) { status.textContent = ""; return; }
    const params = new URLSearchParams({ q });
    if (category.value) params.set("category", category.value);
    const { ok, payload } = await CivAtlas.request(config.search + "?" + params.toString());
    if (!ok) { status.textContent = payload.error || ""; return; }
    status.textContent = payload.results.length ? "" : gettext("没有找到匹配的标准地名");
    payload.results.forEach((r) => list.append(item(r)));
    history.replaceState(null, "", "?" + new URLSearchParams({ q }).toString());
  }

  let timer = null;
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  category.addEventListener("change", run);
  if (input.value) run();
})();
