// The idle-timeout warning (WCAG 2.2.1): shown before the server ends an idle session,
// with a way to stay signed in. The server enforces the timeout whatever this script does.
(function () {
  "use strict";
  var body = document.body;
  var idle = Number(body.dataset.idleSeconds);
  var warning = Number(body.dataset.idleWarningSeconds);
  var dialog = document.getElementById("idle-warning");
  if (!idle || !dialog) {
    return;
  }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var warnTimer = null;
  var endTimer = null;

  function schedule(secondsLeft) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(check, Math.max(0, secondsLeft - warning) * 1000);
    endTimer = setTimeout(function () {
      // The session has ended on the server: reloading signs in again and comes back here.
      window.location.reload();
    }, secondsLeft * 1000);
  }

  function check() {
    // Another tab may have been active: ask the server how long is left before warning.
    fetch("/session", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.signedIn) {
          window.location.reload();
        } else if (status.expiresIn > warning) {
          schedule(status.expiresIn);
        } else if (!dialog.open) {
          dialog.showModal();
        }
      });
  }

  dialog.querySelector("form[data-extend-session]").addEventListener("submit", function (event) {
    event.preventDefault();
    fetch("/session/extend", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf },
    }).then(function (response) {
      if (response.ok) {
        dialog.close();
        schedule(idle);
      } else {
        window.location.reload();
      }
    });
  });

  // A request through htmx counts as activity on the server too.
  body.addEventListener("htmx:afterRequest", function () {
    schedule(idle);
  });
  schedule(idle);
})();
