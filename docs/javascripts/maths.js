/*
 * Typeset the page's mathematics with KaTeX.
 *
 * pymdownx.arithmatex (generic mode) wraps each formula in an element of
 * class "arithmatex", inline as \( ... \) and display as \[ ... \]. Material's
 * document$ emits on the first load and after every instant navigation, so
 * subscribing to it typesets each new page. An element already typeset has
 * no delimiters left, so typesetting it again changes nothing.
 */
(() => {
  "use strict";

  const DELIMITERS = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];

  function typesetMaths(root) {
    for (const element of root.querySelectorAll(".arithmatex")) {
      // throwOnError false shows a faulty formula as red source text instead
      // of leaving the rest of the page untypeset.
      renderMathInElement(element, { delimiters: DELIMITERS, throwOnError: false });
    }
  }

  function typesetWhenParsed() {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => typesetMaths(document.body));
    } else {
      typesetMaths(document.body);
    }
  }

  if (typeof document$ === "undefined") {
    typesetWhenParsed();
    return;
  }
  // With navigation.instant on, Material for MkDocs 9.8 completes document$ without
  // emitting when the page is opened from a file:// address, so the page is typeset
  // once parsed if document$ ends with no page.
  let emitted = false;
  document$.subscribe({
    next(page) {
      emitted = true;
      typesetMaths(page.body);
    },
    complete() {
      if (!emitted) {
        typesetWhenParsed();
      }
    },
  });
})();
