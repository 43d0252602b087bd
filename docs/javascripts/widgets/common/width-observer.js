// Notice of changes to a widget's width. A widget's height changes with its own content
// (a readout that wraps, results drawn for the first time), and a redraw for that would
// be wasted work or replace the elements under the reader's focus.

/**
 * Calls `onChange(width)` whenever the content width of `element` differs from the last
 * one observed. The observer's first call, after the next layout, only records the width,
 * so that observing costs no forced layout. Returns a function that stops observing.
 */
export function observeWidth(element, onChange) {
  let width = null;
  const observer = new ResizeObserver(([entry]) => {
    const previous = width;
    width = entry.contentRect.width;
    if (previous !== null && width !== previous) {
      onChange(width);
    }
  });
  observer.observe(element);
  return () => observer.disconnect();
}
