/* Activity statistics: held activities and audience by sub-region (bars + pass-rate
   line), and activities by key group and topic (ECharts, vendored). */
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];
  // Figures with thousands separators (12,345), in the tooltips and on the axes.
  function fmt(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString(); }
  function pct(v) { return v === null || v === undefined ? "—" : v + "%"; }
  // Region names side by side while they fit (about 4 characters each), slanted and
  // thinned out by ECharts (never on top of each other) when they do not.
  function axis(box) {
    var crowded = data.regions.length * 60 > (box.clientWidth || 600);
    return {
      type: "category", data: data.regions,
      axisLabel: { interval: crowded ? "auto" : 0, rotate: crowded ? 45 : 0, hideOverlap: true }
    };
  }
  function pieTip(p) { return echarts.format.encodeHTML(p.name) + ": " + fmt(p.value) + " (" + p.percent + "%)"; }
  var el = document.getElementById("chart-regions");
  if (el) {
    var c = echarts.init(el);
    c.setOption({
      color: ["#206bc4", "#d63939"],
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: axis(el),
      yAxis: [{ type: "value", minInterval: 1, axisLabel: { formatter: fmt } }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { type: "bar", name: data.labels.held, data: data.held, barMaxWidth: 28 },
        { type: "line", name: data.labels.pass_rate, data: data.pass_rate, yAxisIndex: 1, connectNulls: true, tooltip: { valueFormatter: pct } }
      ]
    });
    charts.push(c);
  }
  var au = document.getElementById("chart-audience");
  if (au) {
    var a = echarts.init(au);
    a.setOption({
      color: ["#2fb344", "#f59f00"],
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: axis(au),
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: fmt } },
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
    var narrow = box.clientWidth < 520;
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "item", formatter: pieTip },
      series: [{
        type: "pie", radius: narrow ? ["28%", "50%"] : ["35%", "65%"], data: pair[1], avoidLabelOverlap: true,
        // labels kept inside the card on a phone (they were cut at its edges)
        label: { formatter: function (p) { return p.name + "\n" + fmt(p.value); }, alignTo: "edge", edgeDistance: 4, width: narrow ? 60 : 110, overflow: "break" },
        labelLayout: { hideOverlap: true }
      }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
