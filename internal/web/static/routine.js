// unknot guided routine: one exercise at a time with a countdown for every
// hold, a beep at the end, pause, skip and done, and the screen kept awake.
// The schedule (segments of seconds) comes from the server, the same one the
// terminal follows. Without this script the page is a list with a done
// button. For tests, ?speed=N on the page makes the timer run N times faster.
// Offline: a service worker (sw.js, scope /plan/) keeps this page, its
// pictures, style and script, so that the routine opens without a network
// once it has been opened with one. A routine finished offline is queued
// in localStorage and posted when the network is back: on the online event
// and at the next load (Background Sync is not reliable enough to count on).
var unknotOffline = (function () {
  "use strict";
  var QUEUE = "unknot.routine-done";
  var note = document.getElementById("offline-note");
  function say(text) { if (note) note.textContent = text; }
  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (e) { return []; }
  }
  function store(q) {
    try {
      if (q.length) localStorage.setItem(QUEUE, JSON.stringify(q));
      else localStorage.removeItem(QUEUE);
      return true;
    } catch (e) { return false; }
  }

  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register("/plan/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var urls = [location.pathname + location.search];
      document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src], img[src]').forEach(function (el) {
        urls.push(el.getAttribute("href") || el.getAttribute("src"));
      });
      var data = document.getElementById("routine-data");
      try {
        (JSON.parse(data ? data.textContent : "[]") || []).forEach(function (s) {
          urls.push("/exercises/" + s.exercise + ".svg");
        });
      } catch (e) {}
      return caches.open("unknot-routine-v1").then(function (c) {
        return Promise.all(urls.filter(function (u, i) { return u && urls.indexOf(u) === i; }).map(function (u) {
          return c.match(u).then(function (hit) { return hit || c.add(u); });
        }));
      });
    }).then(function () {
      document.documentElement.dataset.offlineReady = "true";
    }).catch(function () {});
  }

  var sending = false;
  function flush() {
    var q = load();
    if (sending || !q.length) return;
    sending = true;
    var item = q[0];
    fetch(item.action, {
      method: "POST", body: item.body, credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (res) {
      // Sent: logged, or refused for good (a deleted plan, say); either
      // way it leaves the queue. A network failure keeps it.
      store(load().slice(1));
      sending = false;
      if (res.ok) say("Back online: the routine you finished offline is now in your diary.");
      else say("The routine you finished offline could not be logged (" + res.status + "). Please log it in your diary.");
      document.documentElement.dataset.queued = String(load().length);
      flush();
    }, function () { sending = false; });
  }
  window.addEventListener("online", flush);
  flush();

  // queue keeps a finished routine to post later; it reports whether it
  // could.
  function queue(form) {
    var q = load();
    q.push({ action: form.action, body: new URLSearchParams(new FormData(form)).toString(), at: Date.now() });
    if (!store(q)) return false;
    document.documentElement.dataset.queued = String(q.length);
    say("You are offline. Your routine is saved on this phone and goes into your diary as soon as you are back online.");
    return true;
  }
  return { queue: queue, flush: flush };
})();

(function () {
  "use strict";
  var player = document.getElementById("player");
  var data = document.getElementById("routine-data");
  var form = document.getElementById("routine");
  if (!player || !data || !form) return;
  var steps = JSON.parse(data.textContent) || [];
  if (!steps.length) return;
  var speed = Math.max(1, parseInt(player.dataset.speed, 10) || 1);

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    index: $("p-index"), session: $("p-session"), picture: $("p-picture"), name: $("p-name"),
    dose: $("p-dose"), label: $("p-label"), count: $("p-count"), say: $("p-say"),
    start: $("p-start"), pause: $("p-pause"), done: $("p-done"), skip: $("p-skip"),
    how: $("p-steps"), note: $("p-note"), wake: $("p-wake")
  };
  var boxes = form.querySelectorAll('input[name="done"]');
  var list = $("routine-steps");

  // Guided mode: the player replaces the list; the form stays for the end.
  player.hidden = false;
  list.hidden = true;
  var finish = $("finish");
  $("finish-text").textContent = "";
  finish.textContent = "Stop here and log what I did";
  finish.classList.add("secondary");

  var state = {
    step: 0,           // current exercise
    seg: -1,           // current segment, -1 before start
    left: 0,           // milliseconds left in the segment
    running: false,
    last: 0,           // time of the previous tick
    done: {}           // exercise id → true when done, false when skipped
  };
  var timer = null;

  function show() {
    var s = steps[state.step];
    ui.index.textContent = state.step + 1;
    ui.session.textContent = s.session;
    ui.picture.src = "/exercises/" + s.exercise + ".svg";
    ui.picture.alt = s.movement || "";
    ui.name.textContent = s.name;
    ui.dose.textContent = s.dose;
    ui.how.textContent = "";
    (s.steps || []).forEach(function (t) {
      var li = document.createElement("li");
      li.textContent = t;
      ui.how.appendChild(li);
    });
    ui.note.textContent = (s.cautions || []).join(" ");
    ui.label.textContent = "Press start when you are in position.";
    ui.count.textContent = format(s.segments.reduce(function (n, g) { return n + g.seconds; }, 0));
    state.seg = -1;
    state.left = 0;
  }

  function format(seconds) {
    seconds = Math.ceil(seconds);
    if (seconds < 60) return String(seconds);
    var m = Math.floor(seconds / 60), r = seconds % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  // Prompts go to screen readers always and, when the person asks for it,
  // out loud through the browser's speech synthesis (remembered here).
  var voice = $("p-voice");
  if ("speechSynthesis" in window) {
    $("p-voice-row").hidden = false;
    try { voice.checked = localStorage.getItem("unknot-voice") === "on"; } catch (e) {}
    voice.addEventListener("change", function () {
      try { localStorage.setItem("unknot-voice", voice.checked ? "on" : "off"); } catch (e) {}
    });
  }
  function say(text) {
    ui.say.textContent = text;
    if (voice.checked && "speechSynthesis" in window) {
      speechSynthesis.cancel();
      speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    }
  }

  // Sound: a short sine beep made with WebAudio, no files.
  var audio = null;
  function beep(freq, ms) {
    if (!audio) return;
    var osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.4, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + ms / 1000);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + ms / 1000 + 0.05);
  }

  // Screen Wake Lock where the browser has it; taken again when the page
  // comes back into view.
  var lock = null;
  function wake(on) {
    if (!("wakeLock" in navigator)) return;
    if (on && !lock) {
      navigator.wakeLock.request("screen").then(function (l) {
        lock = l;
        ui.wake.hidden = false;
        l.addEventListener("release", function () { lock = null; });
      }).catch(function () {});
    } else if (!on && lock) {
      lock.release();
      lock = null;
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state.running) wake(true);
  });

  function enter(i) {
    var s = steps[state.step];
    state.seg = i;
    var g = s.segments[i];
    state.left = g.seconds * 1000 / speed;
    ui.label.textContent = g.label;
    ui.count.textContent = format(g.seconds);
    player.dataset.kind = g.kind;
    player.dataset.side = g.side || "";
    say(g.label);
  }

  function tick() {
    var now = performance.now();
    state.left -= now - state.last;
    state.last = now;
    var s = steps[state.step];
    var g = s.segments[state.seg];
    while (state.left <= 0) {
      // A high beep ends the work, a low one the lead-ins and rests.
      if (g.kind === "hold" || g.kind === "timed" || g.kind === "move") beep(880, 220);
      else beep(520, 120);
      if (state.seg + 1 < s.segments.length) {
        var carry = state.left;
        enter(state.seg + 1);
        state.left += carry;
        g = s.segments[state.seg];
      } else {
        finishStep(true);
        return;
      }
    }
    ui.count.textContent = format(state.left * speed / 1000);
  }

  // The timer box never shrinks once shown, so that nothing below it
  // moves when the timer starts or its label gets shorter.
  var timerBox = $("p-timer");
  function holdHeight() {
    var h = timerBox.getBoundingClientRect().height;
    if (h > parseFloat(timerBox.style.minHeight || "0")) timerBox.style.minHeight = h + "px";
  }

  function run() {
    holdHeight();
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
    if (state.seg < 0) enter(0);
    state.running = true;
    state.last = performance.now();
    timer = setInterval(tick, 100);
    ui.start.hidden = true;
    ui.pause.hidden = false;
    ui.pause.textContent = "Pause";
    player.classList.add("running");
    wake(true);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    state.running = false;
    player.classList.remove("running");
  }

  function pause() {
    if (state.running) {
      tick();
      stop();
      ui.pause.textContent = "Resume";
      say("Paused");
    } else {
      run();
      say("Resumed");
    }
  }

  // finishStep moves on: done counts the exercise as done, otherwise it was
  // skipped. The next exercise starts with its get-ready lead-in at once if
  // the timer was running, so the phone can stay on the floor.
  function finishStep(done) {
    var wasRunning = state.running;
    stop();
    var s = steps[state.step];
    if (done || state.done[s.exercise] !== true) state.done[s.exercise] = done;
    if (state.step + 1 >= steps.length) {
      complete();
      return;
    }
    state.step++;
    show();
    if (wasRunning) run();
    else {
      ui.start.hidden = false;
      ui.pause.hidden = true;
    }
  }

  function complete() {
    wake(false);
    beep(660, 200);
    setTimeout(function () { beep(990, 350); }, 250);
    boxes.forEach(function (b) { b.checked = state.done[b.value] === true; });
    player.hidden = true;
    player.dataset.finished = "true";
    $("finish-text").textContent = "That was the last exercise. Press done to put it in your diary.";
    finish.textContent = "Done: log today's routine";
    finish.classList.remove("secondary");
    finish.focus();
  }

  ui.start.addEventListener("click", run);
  ui.pause.addEventListener("click", pause);
  ui.done.addEventListener("click", function () { finishStep(true); });
  ui.skip.addEventListener("click", function () { finishStep(false); });
  form.addEventListener("submit", function (e) {
    // Exercises not reached yet are not counted as done.
    if (player.dataset.finished !== "true") {
      boxes.forEach(function (b) { b.checked = state.done[b.value] === true; });
    }
    wake(false);
    if (!navigator.onLine && unknotOffline.queue(form)) {
      e.preventDefault();
      finish.disabled = true;
      finish.textContent = "Saved on this phone";
    }
  });

  show();
})();
