// unknot self-check: one step at a time, each checked before the next; the
// answers kept in sessionStorage (never in the address) so that Back and
// reload lose nothing; a clickable body map. Every word shown comes from
// the page. Without this script each step is posted to a server draft.
(function () {
  "use strict";
  var form = document.getElementById("check");
  if (!form) return;
  var KEY = "unknot.check";
  var steps = [].slice.call(form.querySelectorAll(".step"));
  var summary = document.getElementById("errors");
  var young = document.getElementById("too-young");
  var current = +form.elements.step.value;

  // Answers: every named field but the step and the buttons.
  var fields = function () {
    return [].filter.call(form.elements, function (el) {
      return el.name && el.name !== "step" && el.type !== "submit";
    });
  };
  var save = function () {
    var pairs = [];
    fields().forEach(function (el) {
      if (!/checkbox|radio/.test(el.type) || el.checked) pairs.push([el.name, el.value]);
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(pairs)); } catch (e) { /* storage off: the page still holds them */ }
  };
  var restore = function () {
    var pairs;
    try { pairs = JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { return; }
    if (!pairs) return;
    fields().forEach(function (el) {
      var mine = pairs.filter(function (p) { return p[0] === el.name; });
      if (/checkbox|radio/.test(el.type)) el.checked = mine.some(function (p) { return p[1] === el.value; });
      else if (mine.length) el.value = mine[0][1];
      else if (el.tagName === "INPUT") el.value = "";
    });
  };

  // Body map: a region toggles its box; the boxes, which screen readers and
  // keyboards use, light their regions.
  var regions = [].slice.call(form.querySelectorAll(".bodymap .region"));
  var box = function (region) { return form.querySelector('input[name="regions"][value="' + region.dataset.region + '"]'); };
  var syncMap = function () {
    regions.forEach(function (region) { region.classList.toggle("on", box(region).checked); });
  };
  regions.forEach(function (region) {
    region.addEventListener("click", function () {
      var b = box(region);
      b.checked = !b.checked;
      b.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  // The injury question matters only after an injury.
  var injury = form.querySelector(".injury");
  var syncInjury = function () {
    var onset = form.querySelector('input[name="onset"]:checked');
    injury.hidden = !(onset && onset.value === "after_injury");
  };

  // "None of these apply to me" and the boxes above it exclude each other.
  form.addEventListener("change", function (e) {
    var group = e.target.closest("[data-exclusive]");
    if (group && e.target.checked) {
      var none = e.target.hasAttribute("data-none");
      group.querySelectorAll("input[type=checkbox]").forEach(function (b) {
        if (b.hasAttribute("data-none") !== none) b.checked = false;
      });
    }
    syncMap();
    syncInjury();
    save();
  });
  form.addEventListener("input", save);

  // Checks: what a field's data-* attributes say, in the page's words.
  var problem = function (q) {
    var d = q.dataset, input = q.querySelector("input[type=text]");
    if (!input) return q.querySelector("input:checked") ? "" : d.missing || "";
    var v = input.value.trim(), n = Number(v);
    if (v === "") return d.missing || "";
    if (isNaN(n) || (d.whole !== undefined && n % 1)) return d.nan;
    if (d.young !== undefined && n < +d.min) return "young";
    var unit = q.querySelector("select");
    if (unit && unit.selectedIndex > 0) return ""; // weeks or months: the server converts and checks
    return n < +d.min || n > +d.max ? d.range : "";
  };
  var sentence = function (s) { return s.charAt(0).toUpperCase() + s.slice(1) + (/\.$/.test(s) ? "" : "."); };
  // target: the element an error describes and its link leads to.
  var target = function (q) { return document.getElementById("f-" + q.dataset.field); };
  var clear = function () {
    form.querySelectorAll("[data-field]").forEach(function (q) {
      var t = target(q), e = document.getElementById("e-" + q.dataset.field);
      if (e) e.remove();
      t.removeAttribute("aria-invalid");
      var ids = (t.getAttribute("aria-describedby") || "").replace("e-" + q.dataset.field, "").trim();
      if (ids) t.setAttribute("aria-describedby", ids); else t.removeAttribute("aria-describedby");
    });
    summary.hidden = true;
  };
  var mark = function (list) {
    var ul = summary.querySelector("ul");
    ul.textContent = "";
    list.forEach(function (p) {
      var q = p[0], field = q.dataset.field, t = target(q);
      var e = document.createElement("p");
      e.className = "error";
      e.id = "e-" + field;
      e.textContent = sentence(p[1]);
      q.querySelector(".answer").before(e);
      t.setAttribute("aria-invalid", "true");
      t.setAttribute("aria-describedby", ((t.getAttribute("aria-describedby") || "") + " " + e.id).trim());
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#f-" + field;
      a.textContent = sentence(q.dataset.label + ": " + p[1]);
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.hidden = false;
    summary.focus();
  };
  var problems = function (n) {
    var list = [];
    steps[n - 1].querySelectorAll("[data-field]").forEach(function (q) {
      var p = problem(q);
      if (p) list.push([q, p]);
    });
    return list;
  };
  // shown is the step to show for the address: the one it names (or
  // fallback), unless an earlier one has a problem.
  var shown = function (fallback) {
    var n = Math.min(Math.max(+new URLSearchParams(location.search).get("step") || fallback, 1), steps.length);
    for (var i = 1; i < n; i++) if (problems(i).length) return i;
    return n;
  };

  var show = function (n, how) {
    form.hidden = false;
    young.hidden = true;
    current = n;
    form.elements.step.value = n;
    steps.forEach(function (s, i) { s.hidden = i !== n - 1; });
    if (how) history[how]({ step: n }, "", "?step=" + n);
    steps[n - 1].querySelector("h2").focus();
  };
  var showYoung = function () {
    form.hidden = true;
    summary.hidden = true;
    young.hidden = false;
    young.querySelector("h2").focus();
  };

  form.addEventListener("submit", function (e) {
    var back = e.submitter && e.submitter.value === "back";
    e.preventDefault();
    clear();
    if (back) {
      // Our entry before this one is the step before: the browser's Back
      // and this button agree.
      if (history.state && history.state.step === current) history.back();
      else show(current - 1, "replaceState");
      return;
    }
    for (var n = 1; n <= current; n++) {
      var list = problems(n);
      if (list.some(function (p) { return p[1] === "young"; })) return showYoung();
      if (list.length) {
        if (n !== current) show(n, "pushState");
        return mark(list);
      }
    }
    if (current < steps.length) return show(current + 1, "pushState");
    try { sessionStorage.removeItem(KEY); } catch (err) { /* nothing kept */ }
    form.submit();
  });
  addEventListener("popstate", function () {
    clear();
    show(shown(1));
  });
  document.getElementById("restart").addEventListener("submit", function () {
    try { sessionStorage.removeItem(KEY); } catch (err) { /* nothing kept */ }
  });

  // Start: the server's errors stand; otherwise this tab's answers come
  // back and the address's step shows, unless an earlier one is unanswered.
  if (summary.hidden) {
    restore();
    current = shown(current);
  } else {
    summary.focus();
  }
  syncMap();
  syncInjury();
  save();
  steps.forEach(function (s, i) { s.hidden = i !== current - 1; });
  form.elements.step.value = current;
})();
