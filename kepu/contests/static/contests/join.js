/* The registration form's region: the county select lists every county grouped by city
   (it works alone without this script); choosing a city first narrows it to that city. */
(function () {
  "use strict";
  var city = document.querySelector("[data-city]");
  var county = document.querySelector("[data-county]");
  if (!city || !county) { return; }
  var groups = Array.prototype.map.call(county.querySelectorAll("optgroup"), function (g) {
    return g.cloneNode(true);
  });
  var empty = county.querySelector("option[value='']");
  empty = empty ? empty.cloneNode(true) : null;

  function cityLabel() {
    var option = city.options[city.selectedIndex];
    return city.value && option ? option.text : "";
  }

  function narrow() {
    var label = cityLabel();
    var current = county.value;
    county.innerHTML = "";
    if (empty) { county.appendChild(empty.cloneNode(true)); }
    groups.forEach(function (g) {
      if (!label || g.label === label) { county.appendChild(g.cloneNode(true)); }
    });
    county.value = current;
    if (county.value !== current) { county.value = ""; }
  }

  // A county chosen already (a form shown again): select its city.
  var selected = county.options[county.selectedIndex];
  if (selected && selected.value && selected.parentNode.tagName === "OPTGROUP" && !city.value) {
    Array.prototype.forEach.call(city.options, function (option) {
      if (option.text === selected.parentNode.label) { city.value = option.value; }
    });
  }
  narrow();
  city.addEventListener("change", narrow);
}());
