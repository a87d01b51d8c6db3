// Filters the A-Z list of countries as the visitor types. Without JavaScript the search form
// is sent to the server, which lists the matches; this only saves the round trip.
(function () {
  "use strict";
  var input = document.querySelector("input[data-filter-table]");
  if (!input) return;
  var table = document.getElementById(input.getAttribute("data-filter-table"));
  var status = document.getElementById(input.getAttribute("data-filter-status"));
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr[data-search]"));
  var groups = Array.prototype.slice.call(table.tBodies);
  var template = status ? status.textContent : "";

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function filter() {
    var wanted = fold(input.value);
    var shown = 0;
    rows.forEach(function (row) {
      var match = !wanted || row.getAttribute("data-search").indexOf(wanted) !== -1;
      row.hidden = !match;
      if (match) shown += 1;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("tr[data-search]:not([hidden])");
    });
    if (status) {
      status.textContent = wanted ? input.getAttribute("data-count-label").replace("%s", shown) : template;
    }
  }

  input.addEventListener("input", filter);
})();
