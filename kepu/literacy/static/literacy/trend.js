/* The literacy rate over the years: the national series and the region's rounds with
   their 95% confidence band (ECharts, vendored). Labels come from the page. */
(function () {
  "use strict";
  var el = document.getElementById("chart-trend");
  var src = document.getElementById("trend-data");
  if (!el || !src || !window.echarts) { return; }
  var data = JSON.parse(src.textContent);
  var years = data.years.map(String);
  function pick(map, i) { var v = map[years[i]]; return v === undefined ? null : v; }
  var national = years.map(function (y, i) { return pick(data.national, i); });
  var own = years.map(function (y, i) { var v = pick(data.own, i); return v ? v[0] : null; });
  var low = years.map(function (y, i) { var v = pick(data.own, i); return v ? v[1] : null; });
  var band = years.map(function (y, i) { var v = pick(data.own, i); return v ? v[2] - v[1] : null; });
  var chart = echarts.init(el);
  chart.setOption({
    color: ["#868e96", "#206bc4"],
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [data.labels.national, data.labels.own, data.labels.ci] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: years },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [
      { name: data.labels.national, type: "line", data: national, connectNulls: true, lineStyle: { type: "dashed" } },
      // The 95% CI of each round as a floating bar (an invisible bar up to the lower
      // limit, then the interval), so a single round shows its interval too.
      { name: "ci-low", type: "bar", data: low, stack: "ci", barWidth: 14, itemStyle: { color: "transparent" }, silent: true, tooltip: { show: false } },
      { name: data.labels.ci, type: "bar", data: band, stack: "ci", barWidth: 14, itemStyle: { color: "rgba(32,107,196,0.25)" }, silent: true, tooltip: { show: false } },
      { name: data.labels.own, type: "line", data: own, connectNulls: true, symbol: "none" },
      { name: data.labels.own, type: "scatter", data: own, symbolSize: 9 }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
