/* Meetings pages: print button and "tick all" in the attendance grid.
   Loaded as a file: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-tick-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-tick-all");
      var boxes = button.closest("form").querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      var allTicked = Array.prototype.every.call(boxes, function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !allTicked; });
    });
  });
  // Ticking "attended" ticks "invited" too, as the server will record it.
  document.querySelectorAll("[data-attendance-grid]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name === "attended" && box.checked) {
        var invited = document.getElementById("inv-" + box.value);
        if (invited) { invited.checked = true; }
      }
    });
  });
})();
