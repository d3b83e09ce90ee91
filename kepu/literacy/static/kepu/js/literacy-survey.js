/* Time per item of the science-literacy questionnaire: the seconds between a question's
   first interaction and the previous answer are added to that question; the totals go in
   the hidden field on submit. The server checks them against its own clock. */
(function () {
  "use strict";
  var form = document.querySelector("[data-survey]");
  if (!form) { return; }
  var out = form.querySelector("[data-item-seconds]");
  var totals = {};
  var last = Date.now();
  form.addEventListener("change", function (event) {
    var box = event.target.closest("[data-item]");
    if (!box) { return; }
    var now = Date.now();
    var key = box.getAttribute("data-item");
    totals[key] = (totals[key] || 0) + (now - last) / 1000;
    last = now;
  });
  form.addEventListener("submit", function () {
    var rounded = {};
    Object.keys(totals).forEach(function (k) { rounded[k] = Math.round(totals[k]); });
    out.value = JSON.stringify(rounded);
  });
}());
