// Session warning (relais/accounts/templates/accounts/session_warning.html): shown about two minutes before
// the session ends, with a button that keeps it alive. Without JavaScript nothing is shown; the server
// still ends the session and says why on the login page.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !window.fetch || !window.FormData) { return; }
  var form = box.querySelector("form[data-session-extend]");
  var button = form.querySelector("button");
  var warningMs = Number(box.dataset.warningSeconds) * 1000;
  var timer = null;
  var ticker = null;
  var endsAt = 0;

  function json(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) { throw new Error("not JSON"); }
    return response.json();
  }

  function schedule(state) {
    clearTimeout(timer);
    clearInterval(ticker);
    box.hidden = true;
    var now = Date.now();
    endsAt = now + Math.min(state.idle_remaining, state.absolute_remaining) * 1000;
    timer = setTimeout(check, Math.max(0, endsAt - warningMs - now));
  }

  function format(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    return (minutes ? minutes + " min " : "") + (seconds % 60) + " s";
  }

  function tick() {
    var left = endsAt - Date.now();
    box.querySelectorAll("[data-session-countdown]").forEach(function (node) { node.textContent = format(left); });
    if (left <= 0) {
      clearInterval(ticker);
      window.location.reload();  // the server ends the session and explains it on the login page
    }
  }

  function show(state) {
    var absolute = state.absolute_remaining <= state.idle_remaining;
    box.querySelector('[data-session-message="idle"]').hidden = absolute;
    box.querySelector('[data-session-message="absolute"]').hidden = !absolute;
    form.hidden = absolute;  // past the maximum duration, only a new login helps
    endsAt = Date.now() + Math.min(state.idle_remaining, state.absolute_remaining) * 1000;
    tick();
    box.hidden = false;
    ticker = setInterval(tick, 1000);
    if (!absolute) { button.focus(); }
  }

  function check() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(json)
      .then(function (state) {
        if (!state.authenticated) { window.location.reload(); return; }
        var left = Math.min(state.idle_remaining, state.absolute_remaining) * 1000;
        if (left > warningMs + 5000) { schedule(state); } else { show(state); }  // another tab kept it alive
      })
      .catch(function () { window.location.reload(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(json)
      .then(function (state) {
        if (!state.authenticated) { window.location.reload(); return; }
        schedule(state);
      })
      .catch(function () { form.submit(); });
  });

  schedule({
    idle_remaining: Number(box.dataset.idleRemaining),
    absolute_remaining: Number(box.dataset.absoluteRemaining)
  });
}());
