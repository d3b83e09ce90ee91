/* Catalog search: on phones the facets start folded so that the results come first. */
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 991.98px)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) { d.open = false; });
  }
})();
