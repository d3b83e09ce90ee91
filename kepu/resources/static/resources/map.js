/* The map of science places (ECharts, vendored): the province outline from /maps/<code>.json,
   the published places from the points endpoint as scatter points coloured by type.
   Changing a filter reloads the points; choosing a city (in the select or by clicking
   it) zooms to it; clicking a point opens its page. The list under the map follows. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var el = document.getElementById("resource-map");
  var form = document.getElementById("map-filters");
  var status = document.getElementById("map-status");
  var list = document.getElementById("map-list");
  var pager = document.getElementById("map-pager");
  var LIST_SIZE = 50;
  var COLORS = { place: "#206bc4", facility: "#2fb344", product: "#f59f00", work: "#ae3ec9",
                 info: "#17a2b8", heritage: "#74b816", policy: "#d63939" };
  var narrow = window.matchMedia("(max-width: 767.98px)").matches;
  if (!el || !window.echarts || !config.geojson) { if (el) { el.hidden = true; } return; }

  var chart = echarts.init(el);
  var full = null;          // the province's bounding box [minLon, minLat, maxLon, maxLat]
  var cityBoxes = {};       // city code -> bounding box of its polygon
  var cityNames = {};       // city code -> name of its feature
  var cityByName = {};      // feature name -> city code
  var known = {};
  config.cities.forEach(function (c) { known[c.code] = c.name; });
  var requested = 0;

  function text(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (m, key) { return values[key]; });
  }

  function extend(box, coords) {
    if (typeof coords[0] === "number") {
      box[0] = Math.min(box[0], coords[0]); box[1] = Math.min(box[1], coords[1]);
      box[2] = Math.max(box[2], coords[0]); box[3] = Math.max(box[3], coords[1]);
      return box;
    }
    coords.forEach(function (c) { extend(box, c); });
    return box;
  }

  function emptyBox() { return [Infinity, Infinity, -Infinity, -Infinity]; }

  function cityOf(feature) {
    var props = feature.properties || {};
    var code = props.adcode ? String(props.adcode).slice(0, 4) : "";
    if (known[code]) { return code; }
    for (var k in known) { if (known[k] === props.name) { return k; } }
    return "";
  }

  function view(box) {
    // geo `zoom` is relative to the whole province fitted in the chart.
    if (!box || !isFinite(box[0]) || !full) {
      return { center: full ? [(full[0] + full[2]) / 2, (full[1] + full[3]) / 2] : null, zoom: 1 };
    }
    var w = Math.max(box[2] - box[0], 0.08), h = Math.max(box[3] - box[1], 0.08);
    var zoom = Math.min((full[2] - full[0]) / w, (full[3] - full[1]) / h) * 0.85;
    return { center: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2], zoom: Math.max(1, Math.min(zoom, 60)) };
  }

  function boxFor(code, points) {
    if (!code) { return null; }
    if (cityBoxes[code]) { return cityBoxes[code]; }
    var box = emptyBox();
    points.forEach(function (p) { extend(box, [p.lon, p.lat]); });
    if (isFinite(box[0])) { return box; }
    var city = config.counties[code];
    return city ? cityBoxes[city] : null;
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value) { params.append(name, value); } });
    return params.toString();
  }

  function item(p) {
    var a = document.createElement("a");
    a.className = "list-group-item list-group-item-action";
    a.href = p.url;
    var title = document.createElement("div");
    title.className = "fw-bold";
    title.textContent = p.title;
    var meta = document.createElement("div");
    meta.className = "small text-secondary";
    meta.textContent = [p.type_label, p.region, p.address].filter(Boolean).join(" · ");
    a.appendChild(title);
    a.appendChild(meta);
    return a;
  }

  function fillList(data, qs) {
    list.textContent = "";
    if (!data.points.length) {
      var none = document.createElement("div");
      none.className = "list-group-item text-center text-secondary py-4";
      none.textContent = config.labels.none;
      list.appendChild(none);
    }
    data.points.slice(0, LIST_SIZE).forEach(function (p) { list.appendChild(item(p)); });
    pager.textContent = "";
    if (data.count > LIST_SIZE) {
      var footer = document.createElement("div");
      footer.className = "card-footer d-flex flex-wrap align-items-center gap-2";
      var more = document.createElement("a");
      more.className = "btn btn-sm ms-auto";
      more.href = "?" + (qs ? qs + "&" : "") + "page=2";
      more.textContent = "›";
      more.setAttribute("aria-label", "2");
      var note = document.createElement("span");
      note.className = "text-secondary small";
      note.textContent = "1–" + LIST_SIZE + " / " + data.count;
      footer.appendChild(note);
      footer.appendChild(more);
      pager.appendChild(footer);
    }
  }

  function draw(data) {
    var byType = {};
    var order = [];
    data.points.forEach(function (p) {
      if (!byType[p.type]) { byType[p.type] = { label: p.type_label, data: [] }; order.push(p.type); }
      byType[p.type].data.push({ name: p.title, value: [p.lon, p.lat], point: p });
    });
    var series = order.map(function (t) {
      return { type: "scatter", coordinateSystem: "geo", name: byType[t].label, data: byType[t].data,
               symbolSize: narrow ? 6 : 8, itemStyle: { color: COLORS[t] || "#206bc4", borderColor: "#fff", borderWidth: 1, opacity: 0.85 },
               emphasis: { scale: 1.6 } };
    });
    var code = form.elements.region.value;
    var city = cityBoxes[code] ? code : (config.counties[code] || "");
    var v = view(boxFor(code, data.points));
    chart.setOption({
      legend: { data: order.map(function (t) { return byType[t].label; }), top: 0, type: "scroll" },
      geo: { center: v.center, zoom: v.zoom,
             regions: city && cityNames[city] ? [{ name: cityNames[city], itemStyle: { areaColor: "#dbe7f6" } }] : [] },
      series: series
    }, { replaceMerge: ["series"] });
    status.textContent = data.truncated
      ? text(config.labels.showing, { shown: data.points.length, count: data.count })
      : text(config.labels.count, { count: data.count });
  }

  function load(updateList) {
    var qs = query();
    var mine = ++requested;
    fetch(config.points + (qs ? "?" + qs : ""), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        if (mine !== requested) { return; }
        draw(data);
        if (updateList) {
          fillList(data, qs);
          history.replaceState(null, "", "?" + qs);
        }
      })
      .catch(function () { status.textContent = config.labels.failed; });
  }

  function tooltip(p) {
    var enc = echarts.format.encodeHTML;
    if (p.componentType === "series" && p.data && p.data.point) {
      var pt = p.data.point;
      return "<strong>" + enc(pt.title) + "</strong><br>" + enc(pt.type_label) + " · " + enc(pt.region) +
        (pt.address ? "<br>" + enc(pt.address) : "") + "<br><span class=\"text-secondary\">" + enc(config.labels.open) + " ›</span>";
    }
    return enc(p.name || "");
  }

  fetch(config.geojson, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("no map"); } return r.json(); })
    .then(function (geo) {
      full = emptyBox();
      geo.features.forEach(function (f) {
        var box = extend(emptyBox(), f.geometry.coordinates);
        extend(full, [box[0], box[1]]); extend(full, [box[2], box[3]]);
        var code = cityOf(f);
        if (code) { cityBoxes[code] = box; cityNames[code] = f.properties.name; cityByName[f.properties.name] = code; }
      });
      echarts.registerMap(config.province, geo);
      chart.setOption({
        tooltip: { trigger: "item", confine: true, formatter: tooltip },
        geo: { map: config.province, roam: !narrow, scaleLimit: { min: 1, max: 80 },
               // The province at its true shape: sized by its longer side within the
               // box (layoutSize), never stretched to the box's four edges (a desktop
               // box is about 2:1, which drew Sichuan twice as wide as it is).
               layoutCenter: ["50%", narrow ? "54%" : "53%"], layoutSize: "92%",
               label: { show: !narrow, fontSize: 10, color: "#667382" },
               itemStyle: { areaColor: "#f1f5fb", borderColor: "#9fb3c8" },
               emphasis: { label: { show: true }, itemStyle: { areaColor: "#e3ecf8" } },
               select: { disabled: true } },
        series: []
      });
      load(false);
    })
    .catch(function () { status.textContent = config.labels.failed; el.hidden = true; });

  chart.on("click", function (p) {
    if (p.componentType === "series" && p.data && p.data.point) {
      window.location.href = p.data.point.url;
    } else if (p.componentType === "geo" && cityByName[p.name]) {
      var code = cityByName[p.name];
      form.elements.region.value = form.elements.region.value === code ? "" : code;
      load(true);
    }
  });
  form.addEventListener("change", function () { load(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); load(true); });
  window.addEventListener("resize", function () { chart.resize(); });
})();
