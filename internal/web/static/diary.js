// unknot diary: fills in the time zone the browser reports when none is
// set yet. Without this script the person types or picks it.
(function () {
  "use strict";
  var input = document.querySelector("input[name=time_zone][data-detect]");
  if (!input || input.value) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) input.value = zone;
  } catch (e) { /* an old browser: leave it to the person */ }
})();
