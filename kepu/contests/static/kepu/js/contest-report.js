/* A contest round's report: participants by score band and attempts started per hour
   (ECharts, vendored); the tables beside the charts carry the same figures. */
(function () {
  "use strict";
  var src = document.getElementById("contest-report-data");
  if (!src || !window.echarts) { return; }
  var data = JSON.parse(src.textContent);
  var charts = [];
  function bars(id, labels, values, name, color) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      color: [color],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: name, data: values, barMaxWidth: 28 }]
    });
    charts.push(chart);
  }
  bars("chart-scores", data.bands, data.counts, data.labels.participants, "#206bc4");
  bars("chart-hours", data.hours, data.started, data.labels.attempts, "#2fb344");
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
