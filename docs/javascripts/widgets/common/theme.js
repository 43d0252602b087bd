// Notice of Material for MkDocs palette switches, which set `data-md-color-scheme`
// ("default" or "slate") on <body>. SVG text and axes take their colour from CSS
// variables, so a redraw is only needed for colours chosen in JavaScript.

/** Calls `callback(scheme)` after every palette switch. Returns a function that stops it. */
export function watchColorScheme(callback) {
  const observer = new MutationObserver(() => {
    callback(document.body.dataset.mdColorScheme ?? 'default');
  });
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['data-md-color-scheme', 'data-md-color-primary', 'data-md-color-accent'],
  });
  return () => observer.disconnect();
}

/** Reads a CSS custom property as seen from `element`, or `fallback` when it is unset. */
export function readCssColor(element, property, fallback) {
  const value = getComputedStyle(element).getPropertyValue(property).trim();
  return value || fallback;
}
