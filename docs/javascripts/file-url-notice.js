/*
 * Explains, inside each widget placeholder, how to serve a page opened from disk.
 *
 * At a file:// address Chromium rejects module scripts (the page's origin is "null"),
 * so main.js never runs and the widgets would stay empty. This classic script shows
 * the runtime's message, which names the command that serves the site, in every
 * placeholder that no widget has mounted by the time the page has loaded.
 */
(() => {
  "use strict";

  if (location.protocol !== "file:" || !window.NeuronDescent) {
    return;
  }

  function showNotices(message) {
    for (const placeholder of document.querySelectorAll("[data-widget]")) {
      if (placeholder.dataset.mounted === "true" || placeholder.querySelector(".nd-file-notice")) {
        continue;
      }
      const notice = document.createElement("p");
      notice.className = "nd-widget__error nd-file-notice";
      notice.setAttribute("role", "status");
      notice.textContent = message;
      placeholder.append(notice);
    }
  }

  // Module scripts run before the load event, so in a browser that does load main.js
  // from disk it has run by then, and a placeholder whose widget mounted is skipped.
  window.addEventListener("load", () => {
    // Asking for the runtime's status starts it, and at a file:// address it fails at
    // once with the message to show.
    const stop = NeuronDescent.onStatus((status) => {
      if (status.stage === "failed") {
        showNotices(status.message);
      }
    });
    stop();
  }, { once: true });
})();
