/* The period picker (core/partials/_period_fields.html): show and enable only the fields
   that fit the chosen kind of period (a quarter needs the year and the quarter, a date
   range its two dates). */
(function () {
  "use strict";
  var kind = document.querySelector("[data-period-kind]");
  if (!kind) { return; }
  function showPeriodFields() {
    document.querySelectorAll("[data-period-field]").forEach(function (box) {
      var wanted = box.getAttribute("data-period-field").split(" ").indexOf(kind.value) >= 0;
      box.classList.toggle("d-none", !wanted);
      box.querySelectorAll("input, select").forEach(function (field) { field.disabled = !wanted; });
    });
  }
  kind.addEventListener("change", showPeriodFields);
  showPeriodFields();
})();
