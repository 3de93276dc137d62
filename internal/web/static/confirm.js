// The page a confirmation link opens: it sends its form at once, so that
// opening the link is all the person does. Mail scanners that only fetch
// the link never run this; a page a browser prerenders waits until it is
// shown. Without JavaScript the form's button confirms.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) return;
  var send = function () { form.submit(); };
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
