// unknot diary: fills in the time zone the browser reports while none is
// set, in the settings form and in the entry form (which saves it with the
// first entry). Without this script the person types or picks it.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) { return; /* an old browser: leave it to the person */ }
  if (!zone) return;
  document.querySelectorAll("input[name=time_zone][data-detect]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
})();
