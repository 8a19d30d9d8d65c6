// Batch screening job page: poll the progress endpoint, update the bar, reload when the job ends.
// Without JavaScript the page reloads itself every few seconds (a meta refresh inside <noscript>).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("job");
    if (!box || box.dataset.finished === "1") { return; }
    var url = box.dataset.progressUrl;
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-progress-text");
    var status = document.getElementById("job-status");
    var lastAnnounced = -1;
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { window.setTimeout(tick, 5000); return; }
          if (data.termine) { window.location.reload(); return; }
          status.textContent = data.libelle;
          if (data.total > 0) {
            bar.max = data.total;
            bar.value = data.traites;
            // Announce every 10 %, not every poll, so that screen readers are not flooded.
            var step = Math.floor(data.pourcentage / 10);
            if (step !== lastAnnounced) {
              lastAnnounced = step;
              text.textContent = text.dataset.template
                ? text.dataset.template.replace("{done}", data.traites).replace("{total}", data.total).replace("{percent}", data.pourcentage)
                : data.traites + " / " + data.total + " (" + data.pourcentage + " %)";
            }
          }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    }
    window.setTimeout(tick, 1000);
  });
})();
