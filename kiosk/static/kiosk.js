// Kiosk behaviour that plain forms cannot give: back to the start when nobody touches the
// screen (with a warning first, so a slow reader can ask for more time), the on-screen
// keyboard for booking codes, and printing the ticket.
(function () {
  "use strict";
  var script = document.currentScript;
  var startUrl = script.getAttribute("data-start");
  var idleSeconds = parseInt(script.getAttribute("data-idle"), 10) || 60;
  var warnSeconds = Math.min(15, Math.floor(idleSeconds / 2));
  var dialog = document.getElementById("idle-dialog");
  var onStart = location.pathname === startUrl;
  var warnTimer, leaveTimer, lastFocus;

  function arm() {
    clearTimeout(warnTimer);
    clearTimeout(leaveTimer);
    if (onStart) { return; }
    warnTimer = setTimeout(warn, (idleSeconds - warnSeconds) * 1000);
  }
  function warn() {
    lastFocus = document.activeElement;
    dialog.hidden = false;
    document.getElementById("idle-continue").focus();
    leaveTimer = setTimeout(function () { location.href = startUrl; }, warnSeconds * 1000);
  }
  function activity() {
    if (!dialog.hidden) { return; }
    arm();
  }
  document.getElementById("idle-continue").addEventListener("click", function () {
    dialog.hidden = true;
    if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
    arm();
  });
  ["pointerdown", "keydown", "input", "scroll"].forEach(function (name) {
    document.addEventListener(name, activity, {passive: true, capture: true});
  });
  arm();

  var keypad = document.querySelector(".keypad");
  if (keypad) {
    var target = document.getElementById(keypad.getAttribute("data-target"));
    keypad.hidden = false;
    keypad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) { return; }
      var value = target.value.replace(/-/g, "");
      if (key.getAttribute("data-key") === "backspace") {
        value = value.slice(0, -1);
      } else if (value.length < 6) {
        value += key.getAttribute("data-key");
      }
      target.value = value.length > 3 ? value.slice(0, 3) + "-" + value.slice(3) : value;
    });
  }

  // Once the ticket is printed, its screen (and the QR code the next person could scan)
  // clears after a short while rather than after the full idle time.
  var printButton = document.getElementById("print-ticket");
  var clearSeconds = parseInt(script.getAttribute("data-clear-after-print"), 10) || 15;
  var clearTimer;
  function printed() {
    clearTimeout(clearTimer);
    clearTimer = setTimeout(function () { location.href = startUrl; }, clearSeconds * 1000);
  }
  function printTicket() {
    window.print();
    printed();
  }
  if (printButton) {
    window.addEventListener("afterprint", printed);
    printButton.addEventListener("click", printTicket);
    if (script.getAttribute("data-auto-print") === "1") { printTicket(); }
  }
})();
