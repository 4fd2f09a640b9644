/* Public place-name search: calls the public search API and lists standard names. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("portal-config").textContent);
  const form = document.getElementById("pn-search-form");
  const input = form.querySelector("input[name=q]");
  const category = form.querySelector("select[name=category]");
  const list = document.getElementById("pn-results");
  const status = document.getElementById("pn-status");

  function item(result) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = result.url;
    link.className = "pn-name";
    link.textContent = result.name;
    const roman = document.createElement("span");
    roman.className = "pn-roman";
    roman.textContent = result.romanization;
    const meta = document.createElement("div");
    meta.className = "pn-meta";
    meta.textContent = [result.category_label, result.division].filter(Boolean).join(" · ");
    li.append(link, roman, meta);
    return li;
  }

  async function run() {
    const q = input.value.trim();
    list.replaceChildren();
    if (!q) { status.textContent = ""; return; }
    const params = new URLSearchParams({ q });
    if (category.value) params.set("category", category.value);
    const response = await fetch(config.search + "?" + params.toString());
    const payload = await response.json();
    if (!response.ok) { status.textContent = payload.error || ""; return; }
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
