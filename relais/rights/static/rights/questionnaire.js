// Rights questionnaire: keep the answers in this browser only (localStorage), offer to resume,
// let the person forget them. The pages work without it: the answers travel in a hidden field.
// Professional mode saves nothing (a shared computer beside someone else's situation).
(function () {
  "use strict";
  var KEY = "relais-droits-v1";

  function read() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function write(value) {
    try { window.localStorage.setItem(KEY, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function forget() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing to forget */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-rights-page]");
    if (!root) { return; }
    var page = root.getAttribute("data-rights-page");
    var resident = root.getAttribute("data-rights-mode") !== "pro";

    // Move the focus to the error summary, so that keyboard and screen reader users hear it first.
    var summary = document.getElementById("erreurs");
    if (summary) { summary.focus(); }

    if (!resident) { forget(); return; }

    var answers = document.querySelector("[data-rights-answers]");
    var step = document.querySelector("[data-rights-step]");
    if (page !== "start" && answers && answers.value) {
      write({ answers: answers.value, step: page === "results" ? "resultats" : (step ? step.value : ""), at: Date.now() });
    }

    var saved = read();
    var resume = document.getElementById("reprendre");
    if (page === "start" && resume && saved && saved.answers) {
      var form = resume.querySelector("[data-rights-resume]");
      form.querySelector("input[name=reponses]").value = saved.answers;
      form.querySelector("[data-rights-resume-step]").value = saved.step || "resultats";
      resume.hidden = false;
    }
    document.querySelectorAll("[data-rights-forget]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        forget();
        if (resume) { resume.hidden = true; }
        button.textContent = button.getAttribute("data-done") || button.textContent;
        button.disabled = true;
      });
    });
  });
})();
