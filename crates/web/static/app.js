// renda: the little script the pages need beyond htmx. No inline scripts are
// allowed by the content security policy, so behaviour hangs off data- attributes.
(function () {
  "use strict";
  // Close the navigation on phones after a choice; keep it open on wide screens.
  function fitNav() {
    var nav = document.querySelector("details.nav");
    if (!nav) return;
    if (window.matchMedia("(max-width: 760px)").matches) nav.removeAttribute("open");
    else nav.setAttribute("open", "");
  }
  document.addEventListener("DOMContentLoaded", fitNav);
  // Buttons that ask before acting: data-confirm="…" on a form's submit button.
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    var msg = btn && btn.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
  // Print buttons.
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t && t.matches && t.matches("[data-print]")) window.print();
  });
})();
