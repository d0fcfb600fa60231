/* socialscope dashboard: sortable tables, filter form behaviour, loading state.
   No inline scripts (the Content-Security-Policy forbids them); data comes from the
   page's <script type="application/json"> blocks. */
(function () {
  "use strict";

  function parseCell(td, unit) {
    var raw = td.getAttribute("data-sort");
    if (raw === null || raw === "") return null;
    if (unit) { var n = Number(raw); return isNaN(n) ? raw : n; }
    return raw;
  }

  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var unit = th.getAttribute("data-unit");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      c.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", dir);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = parseCell(a.cells[index], unit), y = parseCell(b.cells[index], unit);
      if (x === y) return 0;
      if (x === null) return 1;          // empty cells last, whatever the direction
      if (y === null) return -1;
      var r = x < y ? -1 : 1;
      return dir === "ascending" ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener("click", function () { sortTable(table, i, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, i, th); }
      });
    });
  });

  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  var preset = document.getElementById("preset");
  function toggleRange() {
    var custom = preset && preset.value === "custom";
    document.querySelectorAll(".custom-range").forEach(function (el) {
      el.hidden = !custom;
    });
  }
  if (preset) { preset.addEventListener("change", toggleRange); toggleRange(); }

  var form = document.getElementById("filters");
  var loading = document.getElementById("loading");
  if (form && loading) {
    form.addEventListener("submit", function () {
      if (preset && preset.value !== "custom") {
        form.querySelectorAll(".custom-range input").forEach(function (i) { i.disabled = true; });
      }
      loading.hidden = false;
      document.body.classList.add("is-loading");
    });
  }
})();
