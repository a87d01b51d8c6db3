/* Vigil's maps, enhanced: each element with data-map-url holds an inline SVG map that is complete
   without JavaScript (templates/advisories/_map.html). This script fetches the same map's data
   (GeoJSON places with their level colour, and incident points) and draws it with Leaflet in
   the SVG's place: zoom, pan, clustered points and popups. No tiles: the places are the map.
   If Leaflet is missing or the data cannot be fetched, the SVG stays. */
(function () {
  "use strict";

  if (!window.L || !window.fetch || !document.querySelectorAll) {
    return;
  }
  var L = window.L;

  function link(url, text) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    return anchor;
  }

  function areaPopup(properties) {
    var box = document.createElement("div");
    if (properties.url) {
      box.appendChild(link(properties.url, properties.name));
    } else {
      box.textContent = properties.name;
    }
    if (properties.focus) {
      var level = document.createElement("div");
      level.textContent = properties.level_label;
      box.appendChild(level);
    }
    if (properties.risk_label) {
      // The index computed from the published incidents; the colour stays the published level.
      var risk = document.createElement("div");
      risk.className = "map-risk";
      risk.textContent = properties.risk_label;
      box.appendChild(risk);
    }
    return box;
  }

  function pointPopup(properties, approximateNote) {
    var box = document.createElement("div");
    box.appendChild(link(properties.url, properties.title));
    var date = document.createElement("div");
    date.textContent = properties.date;
    box.appendChild(date);
    if (properties.approximate && approximateNote) {
      var note = document.createElement("div");
      note.className = "place-map-note";
      note.textContent = approximateNote;
      box.appendChild(note);
    }
    return box;
  }

  function areaStyle(feature) {
    var properties = feature.properties;
    return {
      className: "map-area map-area-" + properties.code,
      color: "#ffffff",
      weight: properties.focus ? 1 : 0.5,
      fillColor: properties.colour,
      fillOpacity: properties.focus ? 0.9 : 0.6
    };
  }

  function draw(container, data) {
    var svg = container.querySelector(".place-map-svg");
    var canvas = document.createElement("div");
    canvas.className = "place-map-canvas";
    svg.parentNode.insertBefore(canvas, svg);

    var map = L.map(canvas, {
      preferCanvas: false,
      attributionControl: false,
      // No tile layer sets these; the marker clusters need a maximum zoom.
      minZoom: 1,
      maxZoom: 12,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      worldCopyJump: false
    });
    var areas = L.geoJSON(data.areas, {
      style: areaStyle,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.label, { sticky: true });
        layer.bindPopup(areaPopup(feature.properties));
      }
    }).addTo(map);

    var focus = areas.getLayers().filter(function (layer) {
      return layer.feature.properties.focus;
    });
    var bounds = focus.length ? L.featureGroup(focus).getBounds() : areas.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else {
      map.setView([0, 0], 1);
    }

    var points = data.points.features;
    if (points.length) {
      var cluster = L.markerClusterGroup
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
        : L.layerGroup();
      points.forEach(function (feature) {
        var coordinates = feature.geometry.coordinates;
        var marker = L.circleMarker([coordinates[1], coordinates[0]], {
          className: "map-point",
          radius: 6,
          color: "#ffffff",
          weight: 1.5,
          fillColor: "#1b1f24",
          fillOpacity: 0.9
        });
        marker.bindPopup(pointPopup(feature.properties, container.getAttribute("data-approximate")));
        cluster.addLayer(marker);
      });
      cluster.addTo(map);
    }
    container.classList.add("is-enhanced");
  }

  function enhance(container) {
    fetch(container.getAttribute("data-map-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map data: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(container, data);
      })
      .catch(function () {
        // The inline SVG stays: nothing is lost. Take away a half-drawn map.
        var canvas = container.querySelector(".place-map-canvas");
        if (canvas && !container.classList.contains("is-enhanced")) {
          canvas.parentNode.removeChild(canvas);
        }
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".place-map[data-map-url]"), enhance);
})();
