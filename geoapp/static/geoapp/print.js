/* A printable page's "打印" button (report, announcement; no inline handler under the CSP): shown only when JavaScript can print. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
})();
