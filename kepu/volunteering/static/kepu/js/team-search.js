/* Search as you type for a choice among thousands (the hour ledger's team filter): the
   visible field asks the server for names containing what was typed and offers them in
   a datalist; choosing one puts its id in the hidden field the form submits. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-search-url]").forEach(function (input) {
    var target = document.getElementById(input.dataset.target);
    var list = document.getElementById(input.getAttribute("list"));
    if (!target || !list) { return; }
    var ids = {};
    var timer = null;
    if (input.value.trim() && target.value) { ids[input.value.trim()] = target.value; }
    function pick() {
      var name = input.value.trim();
      target.value = name ? (ids[name] || "") : "";
    }
    input.addEventListener("input", function () {
      pick();
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.searchUrl + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (team) {
              ids[team.name] = String(team.id);
              var option = document.createElement("option");
              option.value = team.name;
              list.appendChild(option);
            });
            pick();
          });
      }, 200);
    });
    input.addEventListener("change", pick);
  });
})();
