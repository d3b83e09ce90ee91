/* Kepu page behaviour: region cascade, auto-submitting selects, double-submit guard. */
(function () {
  "use strict";

  function option(value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function initRegionPicker(picker) {
    var hidden = picker.querySelector("[data-region-value]");
    var api = picker.getAttribute("data-api");
    var empty = picker.getAttribute("data-empty");

    function levels() { return Array.prototype.slice.call(picker.querySelectorAll("select")); }

    function onChange(event) {
      var select = event.target;
      var all = levels();
      var index = all.indexOf(select);
      all.slice(index + 1).forEach(function (s) { s.remove(); });
      if (select.value) {
        hidden.value = select.value;
      } else {
        hidden.value = index > 0 ? all[index - 1].value : "";
        return;
      }
      fetch(api + encodeURIComponent(select.value), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (!data.results || !data.results.length) { return; }
          var next = document.createElement("select");
          next.className = select.className;
          next.setAttribute("aria-label", select.getAttribute("aria-label"));
          next.appendChild(option("", empty));
          data.results.forEach(function (r) { next.appendChild(option(r.code, r.name)); });
          next.addEventListener("change", onChange);
          picker.appendChild(next);
        });
    }
    levels().forEach(function (s) { s.addEventListener("change", onChange); });
  }

  document.querySelectorAll(".kepu-region-picker").forEach(initRegionPicker);

  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });

  // A form is submitted once: the second click of an impatient user does nothing.
  // Forms that stay on the page and post by script (data-repeatable) guard themselves.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.method.toLowerCase() !== "post" || "repeatable" in form.dataset) { return; }
      if (form.dataset.submitted) { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      form.querySelectorAll("button").forEach(function (b) { b.classList.add("disabled"); });
    });
  });

  // A table wider (or taller) than its scrolling wrapper can be scrolled from the keyboard too
  // (axe scrollable-region-focusable): the wrapper takes the focus and keeps its name.
  function focusableScroll() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
        box.tabIndex = 0;
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
        if (!box.hasAttribute("aria-label")) {
          var caption = box.querySelector("caption");
          var card = box.closest(".card");
          var title = caption || (card && card.querySelector(".card-title"));
          box.setAttribute("aria-label", title ? title.textContent.trim() : document.title);
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
      }
    });
  }
  focusableScroll();
  window.addEventListener("resize", focusableScroll);

  // Collapsible filter panels say whether they are open (screen readers, and the chevron).
  document.querySelectorAll("details.kepu-filter-panel").forEach(function (panel) {
    var summary = panel.querySelector(":scope > summary");
    if (!summary) { return; }
    function sync() { summary.setAttribute("aria-expanded", panel.open ? "true" : "false"); }
    panel.addEventListener("toggle", sync);
    sync();
  });
})();
