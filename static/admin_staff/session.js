// Counts down to the end of the staff session stated on the page (config/staff_sessions.py)
// and warns shortly before; the page states the end time without this script too.
(function () {
  "use strict";
  var note = document.getElementById("staff-session");
  if (!note) return;
  var endsAt = Date.parse(note.dataset.endsAt);
  var warnBefore = Number(note.dataset.warningSeconds) * 1000;
  var out = note.querySelector(".staff-session-countdown");
  function tick() {
    var left = endsAt - Date.now();
    if (left <= 0) {
      out.textContent = "";
      return;
    }
    if (left <= warnBefore) {
      note.classList.add("errornote");
      out.textContent = note.dataset.warningText;
    }
    window.setTimeout(tick, 15000);
  }
  tick();
})();
