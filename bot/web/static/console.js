// reportbot console: the only script besides htmx (CSP: script-src 'self', no inline script anywhere).
// Forms with data-confirm ask before submitting (delete); elements with data-sse follow a server-sent event
// stream, appending each event's text to the element named by its event (handled per page, see docs.js).
"use strict";
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
