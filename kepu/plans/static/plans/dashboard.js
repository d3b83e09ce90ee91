/* Plans: the charts of the plan overview (tasks by status), of a target (planned straight
   line against the actual values, month by month) and of the public progress page
   (target and actual of each region's part); the live sum of the decomposition form;
   the indicator's definition and the indicator field's visibility on the target form.
   ECharts is vendored; the data comes from json_script blocks. The server stays the
   judge of every number: this script only helps to read and to type. */
(function () {
  "use strict";

  var charts = [];
  var COLORS = {
    not_started: "#9ba9be",
    in_progress: "#206bc4",
    done: "#2fb344",
    overdue: "#d63939"
  };

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function narrow(box) { return box.clientWidth < 520; }

  // --- the plan overview: tasks by status (ring) ---------------------------------------
  var dashboard = readJson("plan-dashboard-data");
  var ring = document.getElementById("chart-task-status");
  if (dashboard && ring && window.echarts) {
    var slices = dashboard.tasks.filter(function (t) { return t.value > 0; });
    if (!slices.length) {
      ring.classList.add("d-none");
    } else {
      var chart = echarts.init(ring);
      chart.setOption({
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        series: [{
          type: "pie",
          radius: ["45%", "72%"],
          avoidLabelOverlap: true,
          label: { formatter: "{c}", fontSize: 14 },
          data: slices.map(function (t) {
            return { name: t.name, value: t.value, itemStyle: { color: COLORS[t.key] } };
          })
        }]
      });
      charts.push(chart);
    }
  }

  // --- a target: planned straight line against the actual values ------------------------
  var trajectory = readJson("target-trajectory-data");
  var line = document.getElementById("chart-trajectory");
  if (trajectory && line && window.echarts) {
    var small = narrow(line);
    var t = echarts.init(line);
    t.setOption({
      color: ["#9ba9be", "#206bc4"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: small ? 12 : 32, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: trajectory.months, boundaryGap: false },
      yAxis: { type: "value", scale: true, name: trajectory.unit || "" },
      series: [
        {
          type: "line",
          name: trajectory.labels.planned,
          data: trajectory.planned,
          showSymbol: false,
          lineStyle: { type: "dashed" },
          markLine: {
            symbol: "none",
            label: { formatter: trajectory.labels.target + " {c}", position: "insideEndTop" },
            lineStyle: { color: "#2fb344" },
            data: [{ yAxis: trajectory.target }]
          }
        },
        {
          type: "line",
          name: trajectory.labels.actual,
          data: trajectory.actual,
          connectNulls: false,
          showSymbol: trajectory.months.length <= 24,
          symbolSize: 6,
          lineStyle: { width: 3 }
        }
      ]
    });
    charts.push(t);
  }

  // --- the public page: each decomposed target, target and actual by region -------------
  var parts = readJson("public-plan-data");
  if (parts && window.echarts) {
    document.querySelectorAll("[data-parts-chart]").forEach(function (box) {
      var item = parts.targets[box.getAttribute("data-parts-chart")];
      if (!item || !item.names.length) { return; }
      box.style.height = Math.max(220, 34 * item.names.length + 90) + "px";
      var bars = echarts.init(box);
      bars.setOption({
        color: ["#c8d3e1", "#206bc4"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: item.names, inverse: true, axisLabel: { interval: 0 } },
        series: [
          { type: "bar", name: parts.labels.target, data: item.target, barMaxWidth: 12 },
          { type: "bar", name: parts.labels.actual, data: item.actual, barMaxWidth: 12 }
        ]
      });
      charts.push(bars);
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  // --- the decomposition form: the running sum -----------------------------------------
  var decompose = document.querySelector("form[data-decompose]");
  if (decompose) {
    var output = decompose.querySelector("[data-parts-sum]");
    var status = decompose.querySelector("[data-parts-status]");
    var goal = parseFloat(decompose.getAttribute("data-target"));
    var additive = decompose.getAttribute("data-additive") === "true";
    var format = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, useGrouping: false });
    var update = function () {
      var sum = 0;
      decompose.querySelectorAll("input[data-part]").forEach(function (input) {
        var value = parseFloat(input.value);
        if (!isNaN(value)) { sum += value; }
      });
      sum = Math.round(sum * 100) / 100;
      if (output) { output.textContent = format.format(sum); }
      if (status && additive) {
        var exact = Math.abs(sum - goal) < 0.005;
        status.classList.toggle("alert-success", exact);
        status.classList.toggle("alert-warning", !exact);
        status.querySelectorAll("[data-when]").forEach(function (note) {
          var when = note.getAttribute("data-when");
          note.classList.toggle("d-none", (when === "exact") !== exact);
        });
      }
    };
    decompose.addEventListener("input", update);
    update();
  }

  // --- the target form: the chosen indicator's definition; no indicator when reported ---
  var indicator = document.querySelector("select[data-indicator]");
  if (indicator) {
    var hint = indicator.parentNode.querySelector(".form-hint");
    var showDefinition = function () {
      var option = indicator.options[indicator.selectedIndex];
      var text = option && option.getAttribute("data-definition");
      if (hint && text) { hint.textContent = text; }
    };
    indicator.addEventListener("change", showDefinition);
    showDefinition();
  }
  var source = document.querySelector("select[data-target-source]");
  if (source && indicator) {
    var box = indicator.closest("[data-indicator-box]");
    var toggle = function () {
      if (box) { box.classList.toggle("d-none", source.value === "reported"); }
    };
    source.addEventListener("change", toggle);
    toggle();
  }
})();
