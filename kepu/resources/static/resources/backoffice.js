/* Back office of the resource catalog: on a phone the secondary list filters start
   folded (unless one of them is in use), so the entries come first. */
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 767.98px)");
  document.querySelectorAll("details[data-phone-collapse='close']").forEach(function (el) {
    if (phone.matches) {
      el.removeAttribute("open");
    }
  });
})();

/* The owner-unit filter: search-as-you-type. The typed words fetch the matching units
   (at most 20) into the datalist; choosing one puts its id in the hidden `owner` field,
   clearing the box removes the filter. */
(function () {
  "use strict";
  var box = document.querySelector("[data-owner-search]");
  if (!box) {
    return;
  }
  var hidden = document.getElementById("id_owner");
  var list = document.getElementById(box.getAttribute("list"));
  var ids = {};
  var timer = null;
  var asked = "";

  function fill(results) {
    list.textContent = "";
    ids = {};
    results.forEach(function (unit) {
      var option = document.createElement("option");
      option.value = unit.name;
      ids[unit.name] = unit.id;
      list.appendChild(option);
    });
  }

  function ask() {
    var words = box.value.trim();
    if (!words || words === asked) {
      return;
    }
    asked = words;
    fetch(box.dataset.ownerSearch + "?q=" + encodeURIComponent(words), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (asked === words) {
          fill(data.results || []);
        }
      })
      .catch(function () {});
  }

  box.addEventListener("input", function () {
    var name = box.value.trim();
    hidden.value = ids[name] !== undefined ? ids[name] : "";
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 200);
  });
})();
