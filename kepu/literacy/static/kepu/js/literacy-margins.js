/* The census margins form: each variable's total and whether every variable adds up to
   the same population, kept up to date as the officer types. The service decides on
   saving (a set that does not add up is refused whole); this only shows it beforehand. */
(function () {
  "use strict";
  var form = document.querySelector("[data-margins]");
  if (!form) { return; }
  var sections = Array.prototype.slice.call(form.querySelectorAll("[data-margin-var]"));
  var summary = form.querySelector("[data-margin-summary]");
  var format = new Intl.NumberFormat("en-US");
  var STATES = ["bg-green-lt", "bg-red-lt", "bg-secondary-lt"];

  function totalOf(section) {
    var total = 0;
    var inputs = section.querySelectorAll("input[data-margin]");
    for (var i = 0; i < inputs.length; i++) {
      var text = inputs[i].value.replace(/,/g, "").trim();
      if (!/^\d+$/.test(text)) { return null; }
      total += parseInt(text, 10);
    }
    return total;
  }

  function show(node, state, css) {
    node.textContent = node.getAttribute("data-" + state);
    if (css) {
      STATES.forEach(function (c) { node.classList.remove(c); });
      node.classList.add(css);
    }
  }

  function update() {
    var totals = sections.map(totalOf);
    var known = totals.filter(function (t) { return t !== null; });
    var reference = known.length ? Math.max.apply(null, known) : null;
    sections.forEach(function (section, i) {
      var t = totals[i];
      section.querySelector("[data-margin-total]").textContent = t === null ? "—" : format.format(t);
      var badge = section.querySelector("[data-margin-state]");
      if (t === null) { show(badge, "incomplete", "bg-secondary-lt"); }
      else if (t === reference) { show(badge, "ok", "bg-green-lt"); }
      else { show(badge, "off", "bg-red-lt"); }
    });
    var state = known.length < totals.length ? "incomplete"
      : (known.every(function (t) { return t === reference; }) ? "ok" : "off");
    show(summary, state);
    summary.classList.remove("alert-success", "alert-warning", "alert-info");
    summary.classList.add(state === "ok" ? "alert-success" : state === "off" ? "alert-warning" : "alert-info");
  }

  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-margin")) { update(); }
  });
}());
