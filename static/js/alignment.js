/* Alignment report: the print button, and folded matrix groups opened for printing.
   Loaded as a file: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  var reopened = [];
  document.querySelectorAll("[data-action=print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      reopened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (details) { details.open = false; });
    reopened = [];
  });
})();
