/* The public service order form: attach the phone's location (hidden coordinates), suggest
   the end of the time window, and fold the service catalog on small screens. */
(function () {
  "use strict";
  var form = document.getElementById("order-form");
  if (!form) { return; }

  var catalog = document.querySelector(".kepu-order-catalog");
  if (catalog && window.matchMedia("(max-width: 991.98px)").matches) { catalog.open = false; }

  var locate = document.getElementById("order-locate");
  var status = document.getElementById("order-locate-status");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var clear = document.getElementById("order-locate-clear");
  if (clear && lat && lon) {
    clear.addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      clear.hidden = true;
      status.textContent = "";
    });
  }
  if (locate && lat && lon && navigator.geolocation && window.isSecureContext !== false) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locate.classList.add("disabled");
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = locate.dataset.done || "";
        if (clear) { clear.hidden = false; }
        locate.classList.remove("disabled");
      }, function () {
        status.textContent = locate.dataset.failed || "";
        locate.classList.remove("disabled");
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  } else if (status && lat && !lat.value) {
    status.textContent = "";  // no location on this device: say nothing about it
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function local(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  var start = document.getElementById("id_window_start");
  var end = document.getElementById("id_window_end");
  if (start && end) {
    start.addEventListener("change", function () {
      if (!start.value) { return; }
      var from = new Date(start.value);
      if (isNaN(from.getTime())) { return; }
      end.min = start.value;
      if (!end.value || new Date(end.value) <= from) {
        end.value = local(new Date(from.getTime() + 2 * 3600 * 1000));
      }
    });
  }
})();
