/* The interactive map (docs/adr/0018-interactive-map.md): a progressive enhancement of the SVG maps.
 *
 * Each <figure data-map="ID"> holds the map drawn by the server (an SVG, enough without script) and names
 * the json_script element ID that holds the map's data (relais/territories/maps.py, interactive_data):
 * markers, commune outlines, the tile layer when one is set, and the texts, already translated. With the
 * vendored Leaflet (and Leaflet.markercluster for clustering), the SVG gives way on screen to a map that
 * pans and zooms, clusters close places, and links each place to its entry in the list; each entry's
 * « Voir sur la carte » button (data-map-marker) opens its place on the map. Without Leaflet, nothing
 * changes. No inline script, no request but the tiles of the tile server the site sets. */
(function () {
  "use strict";
  var L = window.L;
  if (!L || !document.querySelector || !window.JSON) {
    return;
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function escapeHtml(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  /* The content of a pin: what it shows (hidden from screen readers) and its name (read, not shown). */
  function pinContent(shown, label) {
    var content = make("span", "map-pin-content");
    var face = make("span", "map-pin-face", shown);
    face.setAttribute("aria-hidden", "true");
    content.appendChild(face);
    content.appendChild(make("span", "visually-hidden", label));
    return content;
  }

  function popupContent(data, item) {
    var box = make("div", "map-popup");
    var name = make("p", "map-popup-name", item.pin ? item.pin + ". " + item.name : item.name);
    name.tabIndex = -1;
    box.appendChild(name);
    if (item.note) {
      box.appendChild(make("p", "map-popup-note", item.note));
    }
    if (item.href) {
      var link = make("a", "map-popup-link", data.text.see_in_list);
      link.href = item.href;
      link.appendChild(make("span", "visually-hidden", " : " + item.name));
      box.appendChild(link);
    }
    return box;
  }

  /* « Voir dans la liste »: the entry of the list gets the focus (a link to an anchor only scrolls). */
  function goToEntry(event) {
    var link = event.target.closest ? event.target.closest("a.map-popup-link") : null;
    if (!link) {
      return;
    }
    var entry = document.getElementById(link.getAttribute("href").slice(1));
    if (!entry) {
      return;
    }
    event.preventDefault();
    if (!entry.hasAttribute("tabindex")) {
      entry.setAttribute("tabindex", "-1");
    }
    if (window.history && history.replaceState) {
      history.replaceState(null, "", link.getAttribute("href"));
    }
    entry.focus();
  }

  function build(figure, data) {
    var text = data.text;
    var container = make("div", "map-interactive");
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", data.label);
    var help = make("p", "help map-help", text.help);
    var svg = figure.querySelector("svg");
    figure.insertBefore(container, svg);
    figure.insertBefore(help, svg);
    figure.classList.add("map-enhanced");

    // No fading nor animated zoom for people who ask their system for less motion.
    var still = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    var map = L.map(container, {
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
      zoomControl: false,
      attributionControl: false,
      scrollWheelZoom: false,
      keyboard: true,
      minZoom: 5,
      maxZoom: 18,
    });
    L.control.zoom({ zoomInTitle: text.zoom_in, zoomOutTitle: text.zoom_out }).addTo(map);
    if (data.tiles) {
      L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(data.tiles.url, { attribution: escapeHtml(data.tiles.attribution || ""), maxZoom: 18 }).addTo(
        map
      );
    }
    data.areas.forEach(function (area) {
      L.polygon(area.rings, {
        interactive: false,
        color: area.home ? "#003b70" : "#8a96a3",
        weight: area.home ? 2 : 1,
        fillColor: area.home ? "#dfeaf6" : "#ffffff",
        fillOpacity: data.tiles ? (area.home ? 0.15 : 0) : 1,
      }).addTo(map);
    });

    var bounds = [];
    if (data.home) {
      bounds.push([data.home.lat, data.home.lon]);
      L.marker([data.home.lat, data.home.lon], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "map-home-pin",
          html: pinContent("", data.home.name),
          iconSize: [22, 22],
          iconAnchor: [11, 11],
        }),
      }).addTo(map);
    }

    var group = data.cluster && L.markerClusterGroup
      ? L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 40,
          spiderfyOnMaxZoom: true,
          iconCreateFunction: function (cluster) {
            var count = cluster.getChildCount();
            return L.divIcon({
              className: "map-cluster",
              html: pinContent(
                text.cluster_face.replace("%(count)s", String(count)),
                text.cluster.replace("%(count)s", String(count))
              ),
              iconSize: [76, 30],
              iconAnchor: [38, 15],
            });
          },
        })
      : L.featureGroup();
    var byPin = {};
    data.markers.forEach(function (item) {
      var marker = L.marker([item.lat, item.lon], {
        pin: item.pin,
        keyboard: true,
        riseOnHover: true,
        icon: L.divIcon({
          className: "map-pin" + (item.check ? " map-pin-check" : "") + (item.pin ? "" : " map-pin-alone"),
          html: pinContent(item.pin, item.label),
          iconSize: [28, 28],
          iconAnchor: [14, 14],
          popupAnchor: [0, -12],
        }),
      });
      marker.bindPopup(popupContent(data, item), {
        closeButton: true,
        maxWidth: 220,
        autoPanPadding: [16, 16],
        autoPanPaddingTopLeft: [52, 16], // clear of the zoom buttons
      });
      marker.on("popupclose", function (event) {
        var active = document.activeElement;
        var element = marker.getElement();
        var popup = event.popup.getElement();
        var focusWasInPopup = !active || active === document.body || (popup && popup.contains(active));
        if (focusWasInPopup && element && document.body.contains(element)) {
          element.focus({ preventScroll: true });
        }
      });
      byPin[item.pin || item.name] = marker;
      group.addLayer(marker);
      bounds.push([item.lat, item.lon]);
    });
    group.addTo(map);

    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [28, 28], maxZoom: 15 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], data.tiles ? 16 : 13);
    } else {
      map.setView([45.76, 4.84], 11);
    }

    /* Focus management for keyboard users: into the popup when it opens from the map, back to its place
       when it closes (Escape, the close button); after a cluster opens, on the first of its places. */
    map.on("popupopen", function (event) {
      var node = event.popup.getElement();
      var close = node && node.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", text.close);
        close.setAttribute("title", text.close);
      }
      var name = node && node.querySelector(".map-popup-name");
      if (name && container.contains(document.activeElement)) {
        name.focus({ preventScroll: true });
      }
      /* Leaflet closes a popup on Escape only while the map itself has the focus: here, also from inside it. */
      if (node && !node.hasAttribute("data-escape")) {
        node.setAttribute("data-escape", "");
        node.addEventListener("keydown", function (key) {
          if (key.key === "Escape" || key.key === "Esc") {
            key.preventDefault();
            map.closePopup();
          }
        });
      }
    });
    container.addEventListener("click", goToEntry);

    if (L.MarkerClusterGroup && group instanceof L.MarkerClusterGroup) {
      var pending = null;
      group.on("clusterclick clusterkeypress", function (event) {
        var key = event.originalEvent && event.originalEvent.key;
        if (event.type === "clusterkeypress" && key !== "Enter") {
          return;
        }
        /* the first of its places in the list's order */
        pending = event.layer.getAllChildMarkers().sort(function (a, b) {
          return (parseInt(a.options.pin, 10) || 0) - (parseInt(b.options.pin, 10) || 0);
        })[0] || null;
      });
      group.on("animationend spiderfied", function () {
        if (!pending) {
          return;
        }
        var target = group.getVisibleParent(pending) || pending;
        pending = null;
        var element = target.getElement && target.getElement();
        var active = document.activeElement;
        if (element && (!active || active === document.body || container.contains(active))) {
          element.focus({ preventScroll: true });
        }
      });
    }

    /* « Voir sur la carte »: the place shown (out of its cluster) and its popup open. */
    function show(key) {
      var marker = byPin[key];
      if (!marker) {
        return;
      }
      container.scrollIntoView({ block: "center" });
      var open = function () {
        marker.openPopup();
        var name = marker.getPopup().getElement().querySelector(".map-popup-name");
        if (name) {
          name.focus({ preventScroll: true });
        }
      };
      if (group.zoomToShowLayer) {
        group.zoomToShowLayer(marker, open);
      } else {
        open();
      }
    }
    return { map: map, show: show };
  }

  function enhance(figure) {
    var source = document.getElementById(figure.getAttribute("data-map"));
    if (!source) {
      return;
    }
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var built = null;
    var details = figure.closest ? figure.closest("details") : null;
    function ensure() {
      if (!built) {
        built = build(figure, data);
      } else {
        built.map.invalidateSize();
      }
      return built;
    }
    if (details && !details.open) {
      details.addEventListener("toggle", function () {
        if (details.open) {
          ensure();
        }
      });
    } else {
      ensure();
    }
    var buttons = document.querySelectorAll('[data-map-for="' + figure.id + '"]');
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (details && !details.open) {
          details.open = true;
        }
        ensure().show(button.getAttribute("data-map-marker"));
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("figure[data-map]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
