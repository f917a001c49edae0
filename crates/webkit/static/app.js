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
// Charts: an element with data-chart='{"labels": [...], "series": [{"name", "data"}]}'
// becomes a bar chart (ECharts is loaded only on pages that have charts).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    var chart = window.echarts.init(el);
    chart.setOption({
      animation: false,
      color: ["#b71c1c", "#0b5cad", "#9a6700"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, bottom: 80, top: 36 },
      xAxis: { type: "category", data: spec.labels, axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: "value", max: 100 },
      series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
