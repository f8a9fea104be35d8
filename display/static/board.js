// The board keeps no state of its own that a snapshot cannot rebuild: every (re)connect
// and every poll replaces it with the server's, so a missed event heals itself.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("board-config").textContent);
  var latest = document.getElementById("latest");
  var history = document.getElementById("history");
  var waiting = document.getElementById("waiting");
  var banner = document.getElementById("offline");
  var soundDialog = document.getElementById("sound-dialog");
  var HISTORY = 8;
  var calls = [];
  var audio = null;
  var speaking = Promise.resolve();
  // What was announced, newest last: lets a person (or a test) check the board's speech.
  var log = window.boardAnnouncements = [];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function render() {
    latest.replaceChildren();
    if (calls.length) {
      var top = calls[0];
      latest.append(el("span", "latest-number", top.number),
                    el("span", "latest-desk", "→ " + top.desk_name));
      latest.setAttribute("data-number", top.number);
    } else {
      latest.append(el("p", "latest-empty", latest.getAttribute("data-empty") || ""));
    }
    history.replaceChildren();
    calls.slice(1, HISTORY + 1).forEach(function (call) {
      var row = el("tr");
      row.append(el("td", null, call.number), el("td", null, call.desk_name));
      history.append(row);
    });
  }

  function renderWaiting(counts) {
    waiting.replaceChildren();
    // In catalogue order (a JSON object would come back sorted by code).
    cfg.services.forEach(function (service) {
      if (!(service.code in counts)) { return; }
      var item = el("li");
      item.append(el("span", null, service.name),
                   el("span", "count", String(counts[service.code])));
      waiting.append(item);
    });
  }

  function applyState(state) {
    calls = (state.called || []).slice();
    render();
    renderWaiting(state.waiting || {});
  }

  function chime() {
    if (!audio) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      var t = audio.currentTime;
      [[659.25, 0], [523.25, 0.45]].forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = tone[0];
        gain.gain.setValueAtTime(0.0001, t + tone[1]);
        gain.gain.exponentialRampToValueAtTime(0.4, t + tone[1] + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + tone[1] + 0.8);
        osc.connect(gain).connect(audio.destination);
        osc.start(t + tone[1]);
        osc.stop(t + tone[1] + 0.85);
      });
      setTimeout(resolve, 1300);
    });
  }

  function say(text, voice) {
    return new Promise(function (resolve) {
      if (!audio || !window.speechSynthesis) { resolve(); return; }
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice;
      utterance.onend = utterance.onerror = function () { resolve(); };
      speechSynthesis.speak(utterance);
      // A missing voice may never fire `end`; do not let one call block the next.
      setTimeout(resolve, 8000);
    });
  }

  function sentence(lang, call) {
    var phrase = cfg.phrases[lang];
    return phrase.text.replace("{number}", call.spoken || call.number)
                      .replace("{desk}", call.desk_name);
  }

  function announce(call) {
    // German first, for everyone in the room; then the visitor's own language.
    var langs = ["de"];
    if (call.lang && call.lang !== "de" && cfg.phrases[call.lang]) { langs.push(call.lang); }
    speaking = speaking.then(chime).then(function () {
      return langs.reduce(function (done, lang) {
        return done.then(function () {
          var text = sentence(lang, call);
          log.push({lang: lang, text: text});
          return say(text, cfg.phrases[lang].voice);
        });
      }, Promise.resolve());
    });
  }

  function onCalled(call) {
    calls = calls.filter(function (c) { return c.number !== call.number; });
    calls.unshift(call);
    render();
    latest.classList.remove("flash");
    void latest.offsetWidth;  // restart the animation for a recall of the same number
    latest.classList.add("flash");
    announce(call);
  }

  function poll() {
    fetch(cfg.stateUrl, {cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(applyState)
      .catch(function () { /* the banner already tells; the next poll tries again */ });
  }

  latest.setAttribute("data-empty", latest.textContent.trim());
  var socket = io("/display", {auth: {zone: cfg.zone}, reconnectionDelay: 1000,
                               reconnectionDelayMax: 10000, randomizationFactor: 0.5});
  socket.on("state", applyState);
  socket.on("called", onCalled);
  socket.on("waiting", renderWaiting);
  socket.on("connect", function () {
    banner.hidden = true;
    document.body.setAttribute("data-connected", "true");
  });
  socket.on("disconnect", function () {
    banner.hidden = false;
    document.body.setAttribute("data-connected", "false");
  });
  socket.io.on("reconnect_attempt", function () { banner.hidden = false; });
  setInterval(poll, cfg.pollSeconds * 1000);
  setInterval(function () { if (socket.connected) { socket.emit("heartbeat"); } },
              cfg.heartbeatSeconds * 1000);

  // A board started with --autoplay-policy=no-user-gesture-required may sound at once;
  // anywhere else the browser waits for one tap on "enable sound".
  var Ctx = window.AudioContext || window.webkitAudioContext;
  if (Ctx) {
    var probe = new Ctx();
    if (probe.state === "running") {
      audio = probe;
      soundDialog.hidden = true;
    } else {
      probe.close();
    }
  }

  document.getElementById("enable-sound").addEventListener("click", function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx) { audio = new Ctx(); audio.resume(); }
    if (window.speechSynthesis) { speechSynthesis.speak(new SpeechSynthesisUtterance("")); }
    soundDialog.hidden = true;
  });
  document.getElementById("no-sound").addEventListener("click", function () {
    soundDialog.hidden = true;
  });
})();
