/* Dashboard charts (ECharts, vendored). Data comes from the json_script block. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var charts = [];
  var palette = ["#206bc4", "#4299e1", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8", "#74b816"];

  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var c = echarts.init(el);
    charts.push(c);
    return c;
  }

  var bars = chart("chart-regions");
  if (bars) {
    bars.setOption({
      color: palette,
      grid: { left: 48, right: 16, top: 16, bottom: 72 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.regions, axisLabel: { interval: 0, rotate: data.regions.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: data.labels.organizations, data: data.totals, barMaxWidth: 36 }]
    });
  }

  var pie = chart("chart-types");
  if (pie) {
    pie.setOption({
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["36%", "60%"], center: ["50%", "42%"], data: data.types,
                 label: { show: false }, emphasis: { label: { show: true, formatter: "{b}\n{c}" } } }]
    });
  }

  var map = chart("chart-map");
  if (map && data.map.code) {
    fetch("/maps/" + data.map.code + ".json", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("no map"); } return r.json(); })
      .then(function (geo) {
        echarts.registerMap(data.map.code, geo);
        var max = Math.max.apply(null, data.map.data.map(function (d) { return d.value; }).concat([1]));
        map.setOption({
          tooltip: { trigger: "item", formatter: function (p) { return echarts.format.encodeHTML(p.name) + ": " + Number(p.value || 0).toLocaleString(); } },
          visualMap: { min: 0, max: max, left: 8, bottom: 8, calculable: true, inRange: { color: ["#e8f1fb", "#206bc4"] } },
          series: [{ type: "map", map: data.map.code, data: data.map.data, roam: false,
                     label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } } }]
        });
      })
      .catch(function () { document.getElementById("chart-map").textContent = ""; });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
