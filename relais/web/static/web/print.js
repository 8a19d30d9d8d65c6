// "Imprimer" buttons: shown only when JavaScript runs (the page prints fine from the browser menu without it).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
