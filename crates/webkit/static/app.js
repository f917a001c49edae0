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
// Batch actions act on what is ticked. A box with data-check-all="ids" ticks
// every box named "ids" on the page; elements with data-count="ids" show how
// many are ticked; a submit button with data-confirm-count="ids" refuses to
// run with none ticked (data-none-text) and asks with the count first
// (data-confirm-text, "{n}" replaced).
(function () {
  "use strict";
  function boxes(name) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]'));
  }
  function ticked(name) {
    return boxes(name).filter(function (b) { return b.checked; }).length;
  }
  function refresh(name) {
    var n = ticked(name);
    document.querySelectorAll('[data-count="' + name + '"]').forEach(function (el) {
      el.textContent = String(n);
    });
    document.querySelectorAll('[data-check-all="' + name + '"]').forEach(function (all) {
      var total = boxes(name).length;
      all.checked = total > 0 && n === total;
      all.indeterminate = n > 0 && n < total;
    });
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!t || !t.matches) return;
    var all = t.getAttribute && t.getAttribute("data-check-all");
    if (all) {
      boxes(all).forEach(function (b) { b.checked = t.checked; });
      refresh(all);
    } else if (t.matches("input[type=checkbox][name]")) {
      refresh(t.getAttribute("name"));
    }
  });
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    var name = btn && btn.getAttribute("data-confirm-count");
    if (!name) return;
    var n = ticked(name);
    if (n === 0) {
      ev.preventDefault();
      window.alert(btn.getAttribute("data-none-text") || "请先勾选");
      return;
    }
    var msg = (btn.getAttribute("data-confirm-text") || "确定对所选的 {n} 项执行吗？").replace("{n}", String(n));
    if (!window.confirm(msg)) ev.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-check-all]").forEach(function (all) {
      refresh(all.getAttribute("data-check-all"));
    });
  });
})();
// Pickers: a record is chosen by what the user sees (a number, a name), from a
// list that follows the typing. Markup:
//   <div class="picker" data-pick="/url?x=1" data-name="into" [data-multiple]>
//     <input type="search" …> <input type="hidden" name="into"> (single)
//     <ul class="picker-list" role="listbox" hidden></ul>
//     <div class="picker-chosen"></div> (multiple: chips with hidden inputs)
//   </div>
// The URL answers JSON [{"value": "7", "label": "第 7 号 …"}]. Text is set with
// textContent only, never as HTML.
(function () {
  "use strict";
  function init(box) {
    var input = box.querySelector("input[type=search]");
    var hidden = box.querySelector("input[type=hidden][name='" + box.getAttribute("data-name") + "']");
    var list = box.querySelector(".picker-list");
    var chosen = box.querySelector(".picker-chosen");
    var multiple = box.hasAttribute("data-multiple");
    var name = box.getAttribute("data-name");
    var url = box.getAttribute("data-pick");
    var timer = null, items = [], active = -1, seq = 0;
    if (!input || !list) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    function hide() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
    }
    function taken(v) {
      return chosen && chosen.querySelector("input[value='" + String(v).replace(/'/g, "") + "']");
    }
    function choose(it) {
      if (multiple) {
        if (!taken(it.value)) {
          var chip = document.createElement("span");
          chip.className = "chip";
          var h = document.createElement("input");
          h.type = "hidden"; h.name = name; h.value = it.value;
          var t = document.createElement("span");
          t.textContent = it.label;
          var x = document.createElement("button");
          x.type = "button"; x.className = "link"; x.textContent = "移除";
          x.setAttribute("aria-label", "移除 " + it.label);
          x.addEventListener("click", function () { chip.remove(); });
          chip.appendChild(h); chip.appendChild(t); chip.appendChild(x);
          chosen.appendChild(chip);
        }
        input.value = "";
      } else {
        if (hidden) hidden.value = it.value;
        input.value = it.label;
      }
      hide();
      input.focus();
    }
    function render(data) {
      items = Array.isArray(data) ? data : [];
      list.textContent = "";
      if (items.length === 0) {
        var none = document.createElement("li");
        none.className = "muted"; none.textContent = "没有找到，请换个编号或名字";
        list.appendChild(none);
      }
      items.forEach(function (it, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.textContent = it.label;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(it); });
        list.appendChild(li);
      });
      active = -1; mark();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function search() {
      var q = input.value.trim();
      if (!q) { hide(); return; }
      var mine = ++seq;
      var sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (d) { if (mine === seq) render(d); })
        .catch(function () { hide(); });
    }
    input.addEventListener("input", function () {
      if (!multiple && hidden) hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); mark(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); mark(); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0 && items[active]) { ev.preventDefault(); choose(items[active]); }
      else if (ev.key === "Escape") { hide(); }
    });
    input.addEventListener("blur", function () { setTimeout(hide, 150); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pick]").forEach(init);
  });
})();

// A long picker (承办单位) is searchable: typing in an input with
// data-filter-select="NAME" hides the options of select[name=NAME] whose text
// does not contain what was typed (the chosen option stays); when one
// option alone matches, it is chosen.
(function () {
  document.addEventListener("input", function (ev) {
    var t = ev.target;
    var name = t.getAttribute && t.getAttribute("data-filter-select");
    if (!name) return;
    var sel = document.querySelector('select[name="' + name + '"]');
    if (!sel) return;
    var want = t.value.trim();
    var matches = [];
    Array.prototype.forEach.call(sel.options, function (o) {
      var hit = o.value !== "" && o.text.indexOf(want) >= 0;
      o.hidden = want !== "" && o.value !== "" && !o.selected && !hit;
      if (want !== "" && hit) matches.push(o);
    });
    // One unit matches what was typed: it is the one chosen.
    if (matches.length === 1 && !matches[0].selected) {
      sel.value = matches[0].value;
      sel.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();

// Forms show only what applies: an element with data-show-when="NAME=A,B"
// is shown while the form's control NAME has the value A or B (the server
// renders it hidden or not the same way, so nothing flickers).
(function () {
  function apply(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (el) {
      var spec = el.getAttribute("data-show-when").split("=");
      var form = el.closest("form") || document;
      var ctl = form.querySelector('[name="' + spec[0] + '"]');
      if (!ctl) return;
      el.hidden = spec[1].split(",").indexOf(ctl.value) < 0;
    });
  }
  document.addEventListener("change", function (ev) {
    var f = ev.target && ev.target.closest && ev.target.closest("form");
    if (f) apply(f);
  });
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
})();
