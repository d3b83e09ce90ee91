/* Volunteer service bulletin: the subordinate regions' orders completed and approved hours
   (bars, rank 1 on top) and the orders by service category (pie); the period fields are
   core's (period-fields.js). ECharts is vendored; the data comes from the
   json_script block "bulletin-data". */
(function () {
  "use strict";

  var node = document.getElementById("bulletin-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];
  // Figures with thousands separators (12,345) in the tooltips, labels and axes.
  function fmt(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString(); }

  var bars = document.getElementById("chart-regions");
  if (bars && data.regions.length) {
    // One band per region: tall enough to read every name, on a phone as well.
    bars.style.height = Math.max(240, 30 * data.regions.length + 90) + "px";
    var chart = echarts.init(bars);
    chart.setOption({
      color: ["#206bc4", "#2fb344"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
      xAxis: [
        // Each axis in the colour of its series: orders below, hours above.
        // The two axes' numbers may be long (hours): ECharts drops the ones that would touch.
        { type: "value", minInterval: 1, position: "bottom", splitNumber: 4, axisLabel: { color: "#206bc4", formatter: fmt, hideOverlap: true } },
        { type: "value", position: "top", splitNumber: 4, splitLine: { show: false }, axisLabel: { color: "#2b8a3e", formatter: fmt, hideOverlap: true } }
      ],
      yAxis: { type: "category", data: data.regions, inverse: true, axisLabel: { interval: 0 } },
      series: [
        { type: "bar", name: data.labels.completed, data: data.completed, xAxisIndex: 0, barMaxWidth: 14 },
        { type: "bar", name: data.labels.hours, data: data.hours, xAxisIndex: 1, barMaxWidth: 14 }
      ]
    });
    charts.push(chart);
  }

  var pie = document.getElementById("chart-categories");
  if (pie && data.categories.length) {
    // On a phone the names go to a legend below the ring; the ring shows the numbers.
    var narrow = pie.clientWidth < 520;
    if (narrow) { pie.style.height = "460px"; }
    var p = echarts.init(pie);
    p.setOption({
      tooltip: { trigger: "item", formatter: function (q) { return echarts.format.encodeHTML(q.name) + ": " + fmt(q.value) + " (" + q.percent + "%)"; } },
      legend: narrow ? { bottom: 0, left: "center", itemGap: 6 } : { show: false },
      series: [{
        type: "pie",
        radius: narrow ? ["18%", "34%"] : ["35%", "62%"],
        center: narrow ? ["50%", "32%"] : ["50%", "50%"],
        data: data.categories,
        label: narrow
          ? { formatter: function (q) { return fmt(q.value); } }
          : { formatter: function (q) { return q.name + "\n" + fmt(q.value); }, width: 130, overflow: "break" },
        labelLayout: { hideOverlap: true },
        avoidLabelOverlap: true
      }]
    });
    charts.push(p);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
