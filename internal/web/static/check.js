// unknot self-check: turns the one-page form into steps and makes the body
// map clickable. Without this script the form works as one long page.
(function () {
  "use strict";
  var form = document.getElementById("check");
  if (!form) return;

  // Body map: each region toggles its checkbox, by pointer or keyboard.
  var svg = form.querySelector(".bodymap");
  if (svg) {
    svg.removeAttribute("aria-hidden");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", "Body map, seen from behind");
    svg.querySelectorAll(".region").forEach(function (region) {
      var box = form.querySelector('input[name="regions"][value="' + region.dataset.region + '"]');
      if (!box) return;
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "checkbox");
      region.setAttribute("aria-label", box.parentNode.textContent.trim());
      var sync = function () {
        region.classList.toggle("on", box.checked);
        region.setAttribute("aria-checked", box.checked ? "true" : "false");
      };
      var toggle = function () {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      };
      region.addEventListener("click", toggle);
      region.addEventListener("keydown", function (e) {
        if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggle(); }
      });
      box.addEventListener("change", sync);
      sync();
    });
  }

  // The injury question matters only after an injury.
  var injury = form.querySelector(".injury");
  var showInjury = function () {
    var onset = form.querySelector('input[name="onset"]:checked');
    if (injury) injury.hidden = !(onset && onset.value === "after_injury");
  };
  form.addEventListener("change", showInjury);
  showInjury();

  // Steps. When the server sent errors back, every step stays visible.
  if (document.getElementById("errors")) {
    document.getElementById("errors").focus();
    return;
  }
  var steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
  var submit = form.querySelector(".submit");
  var current = 0;
  form.classList.add("js");

  var missing = function (i) {
    var problems = [];
    if (i === 0 && !form.querySelector('input[name="regions"]:checked')) {
      problems.push("Choose at least one place where it hurts.");
    }
    if (i === 1) {
      var days = form.querySelector('input[name="duration_days"]');
      if (!/^\d+(\.\d+)?$/.test(days.value.trim())) problems.push("Say how long it has hurt, as a number.");
      if (!form.querySelector('input[name="onset"]:checked')) problems.push("Say how it started.");
      if (!form.querySelector('input[name="pain_now"]:checked')) problems.push("Choose how strong the pain is now.");
    }
    return problems;
  };

  var show = function (i, focus) {
    current = i;
    steps.forEach(function (s, j) { s.hidden = j !== i; });
    submit.hidden = i !== steps.length - 1;
    if (focus) {
      var h = steps[i].querySelector("h2");
      h.setAttribute("tabindex", "-1");
      h.focus();
    }
  };

  steps.forEach(function (step, i) {
    var nav = document.createElement("div");
    nav.className = "stepnav";
    var note = document.createElement("p");
    note.className = "error";
    note.setAttribute("role", "alert");
    if (i > 0) {
      var back = document.createElement("button");
      back.type = "button";
      back.className = "button secondary";
      back.textContent = "Back";
      back.addEventListener("click", function () { show(i - 1, true); });
      nav.appendChild(back);
    }
    if (i < steps.length - 1) {
      var next = document.createElement("button");
      next.type = "button";
      next.className = "button";
      next.textContent = "Next";
      next.addEventListener("click", function () {
        var problems = missing(i);
        note.textContent = problems.join(" ");
        if (problems.length === 0) show(i + 1, true);
      });
      nav.appendChild(next);
    }
    step.appendChild(note);
    step.appendChild(nav);
  });
  form.addEventListener("submit", function (e) {
    for (var i = 0; i < steps.length; i++) {
      if (missing(i).length) { e.preventDefault(); show(i, true); steps[i].querySelector(".error[role=alert]").textContent = missing(i).join(" "); return; }
    }
  });
  show(0, false);
})();
