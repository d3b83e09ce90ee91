/* Registrations by sub-region, stacked bars (ECharts, vendored). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var el = document.getElementById("chart-people");
  if (!el || !window.echarts) { return; }
  // Figures with thousands separators (12,345); region names slanted and thinned out by
  // ECharts when they do not fit side by side (never on top of each other).
  function fmt(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString(); }
  var crowded = data.regions.length * 60 > (el.clientWidth || 600);
  var chart = echarts.init(el);
  chart.setOption({
    color: ["#206bc4", "#4299e1", "#2fb344", "#f59f00", "#d63939"],
    tooltip: { trigger: "axis", valueFormatter: fmt },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.regions, axisLabel: { interval: crowded ? "auto" : 0, rotate: crowded ? 45 : 0, hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: fmt } },
    series: data.series.map(function (s) { return { type: "bar", stack: "all", name: s.name, data: s.data, barMaxWidth: 36 }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
