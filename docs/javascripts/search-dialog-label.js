/*
 * Names Material for MkDocs' search dialog for assistive technology.
 *
 * Material 9.8 marks the search panel with role="dialog" but gives it no accessible
 * name, which axe-core reports as a serious violation (rule aria-dialog-name). The
 * dialog takes the name of its search field's placeholder, which Material translates.
 */
(() => {
  "use strict";

  function labelSearchDialog() {
    for (const dialog of document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])')) {
      const placeholder = dialog.querySelector("input[placeholder]")?.getAttribute("placeholder");
      dialog.setAttribute("aria-label", placeholder || "Search");
    }
  }

  // This script runs after the header is parsed. Subscribing to document$ also labels a
  // header that instant navigation replaces.
  labelSearchDialog();
  if (typeof document$ !== "undefined") {
    document$.subscribe(labelSearchDialog);
  }
})();
