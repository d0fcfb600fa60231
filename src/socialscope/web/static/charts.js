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
