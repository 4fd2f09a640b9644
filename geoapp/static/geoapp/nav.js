/*
 * The header menu on narrow screens: the "菜单" button opens and closes the navigation
 * (CSS shows it as one line on desktops, where the button is hidden). Escape or a
 * click outside closes it. No inline script: the page keeps a strict CSP possible.
 */
(function () {
  "use strict";
  const header = document.querySelector(".app-header");
  const toggle = header && header.querySelector(".nav-toggle");
  if (!toggle) return;
  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", () => setOpen(!header.classList.contains("menu-open")));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") setOpen(false); });
  document.addEventListener("click", (e) => { if (!header.contains(e.target)) setOpen(false); });
})();
