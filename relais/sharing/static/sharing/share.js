// "Copier le lien": shown only when JavaScript runs. Without it, the link is a plain link and a field whose
// text can be selected and copied by hand.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!input || !status) { return; }
    button.hidden = false;
    function say(text) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
    function byHand() {
      input.focus();
      input.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(button.getAttribute(copied ? "data-done" : "data-failed"));
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { say(button.getAttribute("data-done")); }, byHand);
      } else {
        byHand();
      }
    });
  });
});
