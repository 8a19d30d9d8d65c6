// The place field, with JavaScript only (the pages work without it):
// - commune names of all France suggested while typing, from /recherche/communes.json, put before the
//   covered territory's communes that the server wrote in the field's <datalist> (those work without it);
// - "near me": opt-in, the browser asks the person; the position is rounded to about 100 m, written in
//   the place field as "45.760, 4.859" and sent with the search like typed coordinates. Nothing is stored.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-communes-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    if (!list) { return; }
    var served = Array.prototype.slice.call(list.options).map(function (option) { return option.cloneNode(true); });
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < 2 || text === last || /\d.*\s/.test(text)) { return; } // an address: no suggestion
      timer = window.setTimeout(function () {
        last = text;
        fetch(input.getAttribute("data-communes-url") + "?q=" + encodeURIComponent(text), {credentials: "omit"})
          .then(function (response) { return response.ok ? response.json() : {communes: []}; })
          .then(function (data) {
            var found = (data.communes || []).map(function (label) {
              var option = document.createElement("option");
              option.value = label;
              return option;
            });
            var known = found.map(function (option) { return option.value; });
            var rest = served.filter(function (option) { return known.indexOf(option.value) < 0; });
            list.replaceChildren.apply(list, found.concat(rest.map(function (option) { return option.cloneNode(true); })));
          })
          .catch(function () {});
      }, 250);
    });
  });
  document.querySelectorAll("[data-near-me]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-near-me"));
    var status = document.getElementById(button.getAttribute("data-near-me") + "-status");
    if (!("geolocation" in navigator) || !field) { return; }
    button.closest(".near-me").hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-searching");
      navigator.geolocation.getCurrentPosition(function (position) {
        field.value = position.coords.latitude.toFixed(3) + ", " + position.coords.longitude.toFixed(3);
        field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
      }, function () {
        status.textContent = button.getAttribute("data-refused");
      }, {enableHighAccuracy: false, maximumAge: 600000, timeout: 10000});
    });
  });
});
