/* A long list of tick boxes (countries, regions) gets a box to type in: only the choices whose
   name contains what is typed stay shown, accents and case ignored ("cote" finds Côte d'Ivoire).
   Without JavaScript the whole list is there to scroll through; nothing here is needed to send it. */
(function () {
  "use strict";

  function bare(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(list, index) {
    var field = document.createElement("div");
    field.className = "choice-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = "choice-filter-" + index;
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.textContent = list.getAttribute("data-filter-choices");
    var status = document.createElement("p");
    status.className = "note-inline";
    status.setAttribute("aria-live", "polite");
    field.appendChild(label);
    field.appendChild(input);
    field.appendChild(status);
    list.parentNode.insertBefore(field, list);

    var items = Array.prototype.map.call(list.querySelectorAll(".choice-box"), function (item) {
      return { item: item, name: bare(item.textContent) };
    });
    input.addEventListener("input", function () {
      var wanted = bare(input.value);
      var shown = 0;
      items.forEach(function (entry) {
        var match = !wanted || entry.name.indexOf(wanted) !== -1;
        entry.item.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = wanted ? list.getAttribute("data-filter-count").replace("%(count)s", shown) : "";
    });
    // Enter in the filter box would send the whole form: it only filters.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  document.querySelectorAll("[data-filter-choices]").forEach(enhance);
})();
