// The desk page: live waiting counts from the zone's board feed, and single-key shortcuts
// (which a clerk can switch off, since they may clash with assistive technology).
(function () {
  "use strict";
  var counts = document.getElementById("counts");
  var toggle = document.getElementById("shortcuts-on");
  var stored = localStorage.getItem("desk-shortcuts");
  if (stored !== null) { toggle.checked = stored === "1"; }
  toggle.addEventListener("change", function () {
    localStorage.setItem("desk-shortcuts", toggle.checked ? "1" : "0");
  });

  document.addEventListener("keydown", function (event) {
    if (!toggle.checked || event.ctrlKey || event.altKey || event.metaKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") { return; }
    var target = document.querySelector('[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (!target) { return; }
    event.preventDefault();
    if (target.tagName.toLowerCase() === "select") { target.focus(); } else { target.click(); }
  });

  var socket = io("/display", {auth: {zone: counts.getAttribute("data-zone")}});
  function show(all) {
    counts.querySelectorAll("[data-service]").forEach(function (item) {
      var code = item.getAttribute("data-service");
      if (code in all) { item.querySelector(".count").textContent = String(all[code]); }
    });
  }
  socket.on("waiting", show);
  socket.on("state", function (state) { show(state.waiting || {}); });
})();
