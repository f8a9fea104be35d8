// Refresh the floor in place; tell screen-reader users only when the number of alerts changes.
(function () {
  "use strict";
  var live = document.getElementById("floor-live");
  var summary = document.getElementById("alert-summary");
  function alerts() {
    var el = live.querySelector("[data-alerts]");
    return el ? el.getAttribute("data-alerts") : "0";
  }
  var last = alerts();
  setInterval(function () {
    fetch(live.getAttribute("data-url"), {cache: "no-store", credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        live.innerHTML = html;
        var now = alerts();
        if (now !== last) {
          summary.textContent = live.querySelector("#alerts-title").textContent + ": " + now;
          last = now;
        }
      })
      .catch(function () {});
  }, 10000);
})();
