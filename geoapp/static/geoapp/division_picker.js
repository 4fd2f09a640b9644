/*
 * Division picker: wherever a form asks for a division, a person types a name, a pinyin
 * (yongqing, qsx) or a code and picks from a list that shows each division's kind and
 * administrative path (甘肃省 › 天水市 › 清水县), instead of typing a 12-digit code.
 *
 * Progressive enhancement of <input data-division-picker data-search-url=…
 * data-names-url=…>: the input itself keeps the code (it becomes hidden) and a search box
 * with a result list is put in front of it. Optional data-levels="township,village"
 * limits the choice. Divisions come from the division search (names, codes); pinyin
 * input goes through the gazetteer search (divisions and committees). Without
 * JavaScript the plain code input still works. Dispatches "division-picked" on the
 * input with {code, name, level} when a division is chosen; data-child-level="#select"
 * sets that select to the level below the chosen division (the editor's line level).
 */
(function () {
  "use strict";
  const gettext = typeof window.gettext === "function" ? window.gettext : (text) => text;

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  async function find(input, query) {
    const levels = (input.dataset.levels || "").split(",").filter(Boolean);
    const searchUrl = `${input.dataset.searchUrl}?q=${encodeURIComponent(query)}`;
    const latin = /[a-z]/i.test(query) && !/[\u4e00-\u9fff]/.test(query);
    let rows = [];
    if (latin && input.dataset.namesUrl) {
      const names = await getJSON(`${input.dataset.namesUrl}?q=${encodeURIComponent(query)}`);
      rows = names.results
        .filter((r) => (r.category === "division" || r.category === "committee") && r.division_code)
        .map((r) => ({ code: r.division_code, name: r.division || r.name, kind: r.category_label, path: r.path || [] }));
    } else {
      const divisions = await getJSON(searchUrl);
      rows = divisions.results.map((r) => ({
        code: r.code, name: r.name, level: r.level, kind: r.kind_label || r.level_label, path: r.path || [],
      }));
    }
    const seen = new Set();
    return rows.filter((r) => !seen.has(r.code) && seen.add(r.code) && (!levels.length || !r.level || levels.includes(r.level)));
  }

  function enhance(input) {
    const box = document.createElement("div");
    box.className = "division-picker";
    const search = document.createElement("input");
    search.type = "search";
    search.className = "division-picker-search";
    search.autocomplete = "off";
    search.placeholder = gettext("输入名称、拼音或代码查找区划");
    search.setAttribute("aria-label", input.getAttribute("aria-label") || gettext("查找区划"));
    if (input.id) { search.id = `${input.id}_search`; }
    const chosen = document.createElement("p");
    chosen.className = "division-picker-chosen";
    const list = document.createElement("ul");
    list.className = "division-picker-results";
    list.hidden = true;
    box.append(search, list, chosen);
    input.type = "hidden";
    input.after(box);
    // The label pointed at the code input; it now names the search box.
    const label = input.id && document.querySelector(`label[for="${input.id}"]`);
    if (label) label.htmlFor = search.id;

    function showChosen(name, code) {
      chosen.textContent = code ? `${gettext("已选择：")}${name ? `${name}（${code}）` : code}` : "";
    }
    showChosen(input.dataset.name || "", input.value);

    function pick(row) {
      input.value = row.code;
      search.value = "";
      list.hidden = true;
      showChosen(row.name, row.code);
      const levelSelect = input.dataset.childLevel && document.querySelector(input.dataset.childLevel);
      const below = { province: "prefecture", prefecture: "county", county: "township", township: "village" }[row.level];
      if (levelSelect && below && [...levelSelect.options].some((o) => o.value === below)) levelSelect.value = below;
      input.dispatchEvent(new CustomEvent("division-picked", { bubbles: true, detail: row }));
    }

    let timer = null;
    let ticket = 0;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      const query = search.value.trim();
      if (!query) { list.hidden = true; return; }
      timer = setTimeout(async () => {
        const mine = ++ticket;
        let rows = [];
        try { rows = await find(input, query); } catch (error) { console.warn(error); }
        if (mine !== ticket) return;
        list.replaceChildren(...(rows.length ? rows.slice(0, 10).map((row) => {
          const li = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.dataset.code = row.code;
          const name = document.createElement("span");
          name.className = "name";
          name.textContent = row.name;
          const meta = document.createElement("small");
          meta.textContent = [row.kind, row.path.join(" › "), row.code].filter(Boolean).join(" · ");
          button.append(name, meta);
          button.addEventListener("click", () => pick(row));
          li.append(button);
          return li;
        }) : [Object.assign(document.createElement("li"), { className: "empty", textContent: gettext("未找到匹配的区划") })]));
        list.hidden = false;
      }, 200);
    });
    search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { // Enter picks the first result instead of submitting the form
        const first = list.querySelector("button");
        e.preventDefault();
        if (first && !list.hidden) first.click();
      }
      if (e.key === "Escape") list.hidden = true;
    });
  }

  document.querySelectorAll("input[data-division-picker]").forEach(enhance);
  window.CivAtlasDivisionPicker = { enhance };
})();
