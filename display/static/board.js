// The board keeps no state of its own that a snapshot cannot rebuild: every (re)connect
// and every poll replaces it with the server's, so a missed event heals itself.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("board-config").textContent);
  var latest = document.getElementById("latest");
  var history = document.getElementById("history");
  var waiting = document.getElementById("waiting");
  var banner = document.getElementById("offline");
  var soundToggle = document.getElementById("enable-sound");
  var clock = document.getElementById("clock");
  var LARGE = 4;       // the newest calls shown large
  var HISTORY = 9;     // then this many small
  var calls = [];
  var zoneServices = null;   // codes served in this zone; null until the first state
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

  function unique(list) {
    // A number once, at its latest call (a second errand is called at another desk).
    var seen = {};
    return list.filter(function (call) {
      if (seen[call.number]) { return false; }
      seen[call.number] = true;
      return true;
    });
  }

  function render() {
    latest.replaceChildren();
    if (calls.length) {
      calls.slice(0, LARGE).forEach(function (call, i) {
        var item = el("li", i === 0 ? "newest" : null);
        item.append(el("span", "latest-number", call.number),
                    el("span", "latest-desk", "→ " + call.desk_name));
        latest.append(item);
      });
      latest.setAttribute("data-number", calls[0].number);
    } else {
      latest.removeAttribute("data-number");
      latest.append(el("li", "latest-empty", latest.getAttribute("data-empty") || ""));
    }
    history.replaceChildren();
    calls.slice(LARGE, LARGE + HISTORY).forEach(function (call) {
      var item = el("li");
      item.append(el("span", null, call.number), el("span", "desk", call.desk_name));
      history.append(item);
    });
  }

  function renderWaiting(counts) {
    waiting.replaceChildren();
    // In catalogue order (a JSON object would come back sorted by code); only what this
    // zone's desks serve.
    cfg.services.forEach(function (service) {
      if (!(service.code in counts)) { return; }
      if (zoneServices && zoneServices.indexOf(service.code) < 0) { return; }
      var item = el("li");
      item.append(el("span", null, service.name),
                   el("span", "count", String(counts[service.code])));
      waiting.append(item);
    });
  }

  function applyState(state) {
    calls = unique((state.called || []).slice());
    // Nothing served here yet (a new centre, no desk open): show every count rather than
    // an empty panel; the first call from a desk of this zone narrows it.
    zoneServices = state.services && state.services.length ? state.services : null;
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
    if (zoneServices && zoneServices.indexOf(call.service) < 0) {
      zoneServices.push(call.service);   // a desk here serves it now: count it at once
    }
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

  function tick() {
    clock.textContent = new Intl.DateTimeFormat(cfg.locale, {
      hour: "2-digit", minute: "2-digit", timeZone: cfg.timezone}).format(new Date());
  }
  tick();
  setInterval(tick, 5000);

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
      soundToggle.hidden = true;
    } else {
      probe.close();
    }
  }

  soundToggle.addEventListener("click", function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx) { audio = new Ctx(); audio.resume(); }
    if (window.speechSynthesis) { speechSynthesis.speak(new SpeechSynthesisUtterance("")); }
    soundToggle.hidden = true;
  });
})();
