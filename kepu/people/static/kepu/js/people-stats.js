/* Registrations by sub-region, stacked bars (ECharts, vendored). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var el = document.getElementById("chart-people");
  if (!el || !window.echarts) { return; }
  var chart = echarts.init(el);
  chart.setOption({
    color: ["#206bc4", "#4299e1", "#2fb344", "#f59f00", "#d63939"],
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 48, right: 16, top: 36, bottom: 72 },
    xAxis: { type: "category", data: data.regions, axisLabel: { interval: 0, rotate: data.regions.length > 8 ? 40 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) { return { type: "bar", stack: "all", name: s.name, data: s.data, barMaxWidth: 36 }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
