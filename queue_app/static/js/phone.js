// The phone page follows its ticket live: every `ticket` event re-renders the status part
// on the server (one template, one translation), and a changed status is announced.
(function () {
  "use strict";
  var box = document.getElementById("live-status");
  var announce = document.getElementById("announce");
  var banner = document.getElementById("connection");
  var lastStatus = statusOf(box);
  var lastText = sentence(box);

  function statusOf(root) {
    var el = root.querySelector("[data-status]");
    return el ? el.getAttribute("data-status") : null;
  }
  function sentence(root) {
    var el = root.querySelector(".status-box");
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function refresh() {
    return fetch(box.getAttribute("data-status-url"), {cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        box.innerHTML = html;
        var status = statusOf(box);
        var text = sentence(box);
        if (status === "called" && lastStatus !== "called" && navigator.vibrate) {
          navigator.vibrate([400, 150, 400, 150, 400]);
        }
        // A visit that has just ended asks "How was your visit?": the page has the form.
        if (status === "done" && lastStatus !== "done" &&
            !document.getElementById("feedback-ask")) {
          window.location.reload();
          return;
        }
        if (text !== lastText) {
          announce.setAttribute("aria-live", status === "called" ? "assertive" : "polite");
          announce.textContent = text;
        }
        lastStatus = status;
        lastText = text;
      })
      .catch(function () { /* the next event or poll tries again */ });
  }

  var socket = io("/ticket", {auth: {ticket: box.getAttribute("data-ticket")},
                              reconnectionDelayMax: 10000});
  socket.on("ticket", refresh);
  socket.on("connect", function () { banner.hidden = true; });
  socket.on("disconnect", function () { banner.hidden = false; });
  // A phone that slept or lost its socket heals itself.
  setInterval(refresh, 30000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refresh(); }
  });
})();
