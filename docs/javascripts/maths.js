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

  if (typeof document$ !== "undefined") {
    document$.subscribe((page) => typesetMaths(page.body));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => typesetMaths(document.body));
  } else {
    typesetMaths(document.body);
  }
})();
