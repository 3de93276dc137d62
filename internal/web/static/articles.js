// Articles: "was this helpful?" answers in place, without reloading the
// page. Without JavaScript the form posts and the page comes back with
// thanks, so this is only a nicety.
(function () {
  'use strict';
  var form = document.querySelector('form[data-feedback]');
  if (!form || !window.fetch || !window.FormData) return;
  form.addEventListener('submit', function (e) {
    var button = e.submitter;
    if (!button) return; // an old browser: let the form post
    e.preventDefault();
    var data = new FormData(form);
    data.set(button.name, button.value);
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: 'POST',
      headers: { 'Accept': 'application/json' },
      body: new URLSearchParams(data)
    }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      var section = form.parentNode;
      section.innerHTML = '';
      var h = document.createElement('h2');
      h.id = 'helpful-title';
      h.tabIndex = -1;
      h.textContent = 'Thank you for telling us';
      var p = document.createElement('p');
      p.textContent = 'Every answer is read, and it helps us make the articles clearer.';
      section.appendChild(h);
      section.appendChild(p);
      h.focus();
    }).catch(function () {
      // Fall back to the plain form, which shows any problem in words.
      buttons.forEach(function (b) { b.disabled = false; });
      form.removeAttribute('data-feedback');
      button.click();
    });
  });
})();
