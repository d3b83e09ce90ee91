/* The index decomposed: each region's score stacked by first-level indicator. */
(function () {
  "use strict";
  var el = document.getElementById("chart-index");
  var src = document.getElementById("index-data");
  if (!el || !src || !window.echarts) { return; }
  var data = JSON.parse(src.textContent);
  var crowded = data.regions.length * 50 > (el.clientWidth || 600);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.regions, axisLabel: { interval: crowded ? "auto" : 0, rotate: crowded ? 45 : 0, hideOverlap: true } },
    yAxis: { type: "value" },
    series: data.series.map(function (s) { return { type: "bar", stack: "all", name: s.name, data: s.data, barMaxWidth: 36 }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
