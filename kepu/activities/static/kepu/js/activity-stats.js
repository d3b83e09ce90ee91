/* Activity statistics: held activities and audience by sub-region (bars + pass-rate
   line), and activities by key group and topic (ECharts, vendored). */
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];
  function axis() {
    return { type: "category", data: data.regions, axisLabel: { interval: 0, rotate: data.regions.length > 6 ? 40 : 0 } };
  }
  var el = document.getElementById("chart-regions");
  if (el) {
    var c = echarts.init(el);
    c.setOption({
      color: ["#206bc4", "#d63939"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 72 },
      xAxis: axis(),
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { type: "bar", name: data.labels.held, data: data.held, barMaxWidth: 28 },
        { type: "line", name: data.labels.pass_rate, data: data.pass_rate, yAxisIndex: 1, connectNulls: true }
      ]
    });
    charts.push(c);
  }
  var au = document.getElementById("chart-audience");
  if (au) {
    var a = echarts.init(au);
    a.setOption({
      color: ["#2fb344", "#f59f00"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 36, bottom: 72 },
      xAxis: axis(),
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "bar", stack: "a", name: data.labels.onsite, data: data.onsite, barMaxWidth: 28 },
        { type: "bar", stack: "a", name: data.labels.online, data: data.online, barMaxWidth: 28 }
      ]
    });
    charts.push(a);
  }
  [["chart-groups", data.groups], ["chart-topics", data.topics]].forEach(function (pair) {
    var box = document.getElementById(pair[0]);
    if (!box) { return; }
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: pair[1], label: { formatter: "{b}\n{c}" } }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
