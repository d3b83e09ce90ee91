/* Statistics: the bar chart of a chosen indicator by child region on the aggregates page;
   a click on a bar opens that region (drill-down). ECharts is vendored; the data comes
   from a json_script block; the table beside it holds the same numbers. */
(function () {
  "use strict";
  var node = document.getElementById("stats-aggregates-data");
  var box = document.getElementById("chart-stats-regions");
  if (!node || !box || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var narrow = box.clientWidth < 520;
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: narrow ? 12 : 32, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.regions, axisLabel: { rotate: narrow ? 60 : 30, interval: 0 } },
    yAxis: { type: "value" },
    series: [{
      name: data.labels.value,
      type: "bar",
      data: data.values.map(function (v, i) {
        return { value: v, itemStyle: { color: data.outliers[i] ? "#d63939" : "#206bc4" } };
      })
    }]
  });
  chart.on("click", function (params) {
    var link = data.links[params.dataIndex];
    if (link) {
      var url = new URL(window.location.href);
      url.searchParams.set("region", link.split("=")[1]);
      window.location.href = url.toString();
    }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
