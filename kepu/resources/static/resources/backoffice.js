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
