/* Draw each chart block with Plotly (served locally from the plotly package); a click on
   a point or bar opens the rows behind it (the trace's customdata holds the drill URL). */
(function () {
  "use strict";
  var holder = document.getElementById("page-data");
  if (!holder || typeof Plotly === "undefined") return;
  var data = JSON.parse(holder.textContent);
  var blocks = (data.blocks || []).slice();
  (data.tabs || []).forEach(function (tab) {
    if (tab.id === data.active_tab) blocks = blocks.concat(tab.blocks || []);
  });
  blocks.forEach(function (block) {
    if (block.kind !== "chart" || block.empty) return;
    var el = document.querySelector('[data-chart="' + block.id + '"]');
    if (!el) return;
    Plotly.newPlot(el, block.figure.data, block.figure.layout, {
      responsive: true, displaylogo: false, locale: document.documentElement.lang
    }).then(function () { el.setAttribute("data-rendered", "true"); });
    el.on("plotly_click", function (ev) {
      var point = ev.points && ev.points[0];
      var url = point && point.customdata;
      if (url) window.location.href = url;
    });
  });
})();

/* A chart block with `refresh` (seconds) re-reads the page's JSON twin that often and redraws
   itself and its note (the today-vs-yesterday panel follows live ingest without a reload).
   `data-refreshed` counts the redraws. */
(function () {
  "use strict";
  var holder = document.getElementById("page-data");
  if (!holder || typeof Plotly === "undefined" || !window.fetch) return;
  var data = JSON.parse(holder.textContent);
  function active(page) {
    var out = (page.blocks || []).slice();
    (page.tabs || []).forEach(function (tab) {
      if (tab.id === page.active_tab) out = out.concat(tab.blocks || []);
    });
    return out;
  }
  active(data).forEach(function (block) {
    if (block.kind !== "chart" || !block.refresh) return;
    var el = document.querySelector('[data-chart="' + block.id + '"]');
    if (!el) return;
    var twin = window.location.pathname + ".json" + window.location.search;
    window.setInterval(function () {
      fetch(twin, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (fresh) {
          var next = fresh && active(fresh).filter(function (b) { return b.id === block.id; })[0];
          if (!next || !next.figure) return;
          return Plotly.react(el, next.figure.data, next.figure.layout).then(function () {
            var note = document.querySelector('[data-note="' + block.id + '"]');
            if (note && next.note) note.textContent = next.note;
            el.setAttribute("data-refreshed", String(Number(el.getAttribute("data-refreshed") || 0) + 1));
          });
        })
        .catch(function () { /* offline for a moment: the next tick tries again */ });
    }, block.refresh * 1000);
  });
})();
