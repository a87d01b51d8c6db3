/* The API reference (Redoc) drawn from this site alone: its fonts are the reader's own, and
   nothing is fetched from another site. */
(function () {
  "use strict";

  // Redoc's sidebar shows its makers' logo from their CDN, and no option turns it off. An image
  // whose address is on another site gets no address here, so the browser never asks for it.
  function local(value) {
    try {
      var url = new URL(String(value), document.baseURI);
      return url.origin === window.location.origin || url.protocol === "data:" || url.protocol === "blob:";
    } catch (error) {
      return false;
    }
  }
  var setAttribute = Element.prototype.setAttribute;
  HTMLImageElement.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "src" && !local(value)) {
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };
  var source = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: source.enumerable,
    get: source.get,
    set: function (value) {
      if (local(value)) {
        source.set.call(this, value);
      }
    },
  });

  // Redoc names web fonts (Montserrat, Roboto) it would have the page download: system fonts instead.
  var SANS = 'system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif';
  var MONO = 'ui-monospace, Menlo, Consolas, "Liberation Mono", monospace';

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("redoc-container");
    var options = JSON.parse(container.getAttribute("data-settings") || "{}");
    var theme = options.theme || {};
    var typography = theme.typography || {};
    typography.fontFamily = typography.fontFamily || SANS;
    typography.headings = Object.assign({ fontFamily: SANS }, typography.headings);
    typography.code = Object.assign({ fontFamily: MONO }, typography.code);
    theme.typography = typography;
    options.theme = theme;
    window.Redoc.init(container.getAttribute("data-schema-url"), options, container);
  });
})();
