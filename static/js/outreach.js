// The outreach walk-in list refreshes itself while open (screener/outreach/views.py): every
// data-refresh-seconds it fetches the same page and swaps in the new list, so answers appear as
// they come, without reloading the page under the worker's hands. A button stops and restarts it
// (WCAG 2.2.1/2.2.2). Without JavaScript the "Refresh now" link does the same by hand.
(function () {
  "use strict";
  var region = document.querySelector("[data-refresh-seconds]");
  if (!region || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10) || 20;
  var button = document.getElementById("refresh-toggle");
  var timer = null;

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
        if (fresh) { region.innerHTML = fresh.innerHTML; }
      })
      .catch(function () { /* spotty Wi-Fi: try again at the next tick */ });
  }

  function start() {
    timer = window.setInterval(refresh, seconds * 1000);
    if (button) { button.textContent = button.getAttribute("data-stop-text"); button.setAttribute("aria-pressed", "false"); }
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
    if (button) { button.textContent = button.getAttribute("data-start-text"); button.setAttribute("aria-pressed", "true"); }
  }

  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { if (timer) { stop(); } else { start(); } });
  }
  start();
})();
