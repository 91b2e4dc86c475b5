// planner serve: the hold timer on a session's cards and the plan page's progress polling.
// Plain script, no build step, nothing fetched but this app's own endpoints.
"use strict";
document.querySelectorAll("button.timer").forEach(function (button) {
  var total = Number(button.dataset.seconds), ticking = null;
  button.addEventListener("click", function () {
    if (ticking) { clearInterval(ticking); ticking = null; }
    var left = total;
    button.classList.add("running");
    button.textContent = left + " s left";
    ticking = setInterval(function () {
      left -= 1;
      button.textContent = left > 0 ? left + " s left" : "Done: hold " + total + " s again";
      if (left <= 0) { clearInterval(ticking); ticking = null; button.classList.remove("running"); }
    }, 1000);
  });
});
var progress = document.getElementById("progress");
if (progress && progress.dataset.poll) {
  var poll = function () {
    fetch(progress.dataset.poll, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state !== "running") { window.location.reload(); return; }
        progress.textContent = s.week
          ? "Planning week " + s.week + " of " + s.last_week + ", " + s.seconds + " s so far."
          : "Starting the search.";
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  };
  setTimeout(poll, 500);
}
