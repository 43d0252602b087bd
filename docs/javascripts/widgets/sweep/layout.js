// The sweep widget's DOM skeleton. Anything the placeholder already contains stays
// visible until the live widget replaces it. The pick sentence is a polite live region,
// so screen readers announce each sweep's outcome.
// NOTE: the results are hidden until the first sweep, and screen readers may not
// announce a live region that appears together with its text, so the first pick can
// go unannounced.

import { keepPlaceholderContent } from '../common/placeholder.js';

/** Builds the skeleton inside `element` and returns its parts by name. */
export function buildSweepLayout(element) {
  const placeholder = keepPlaceholderContent(element);

  const root = document.createElement('div');
  root.className = 'nd-sweep';
  root.innerHTML = `
    <div class="nd-sweep__loading"></div>
    <div class="nd-sweep__live" hidden>
      <div class="nd-sweep__form-slot"></div>
      <p class="nd-widget__error" role="alert"></p>
      <div class="nd-sweep__results" hidden>
        <p class="nd-sweep__stale"></p>
        <p class="nd-sweep__start"></p>
        <div class="nd-sweep__chart"></div>
        <p class="nd-sweep__hint">Click a curve or a legend entry to load its learning rate into the
          descent widget, which then starts again from this start point with μ = 0.</p>
        <ul class="nd-legend"></ul>
        <p class="nd-sweep__rule" aria-live="polite"></p>
        <div class="nd-sweep__strip"></div>
        <p class="nd-sweep__limit"></p>
      </div>
    </div>`;
  element.append(root);

  const find = (selector) => root.querySelector(selector);
  return {
    placeholder,
    loading: find('.nd-sweep__loading'),
    live: find('.nd-sweep__live'),
    form: find('.nd-sweep__form-slot'),
    error: find('.nd-widget__error'),
    results: find('.nd-sweep__results'),
    stale: find('.nd-sweep__stale'),
    start: find('.nd-sweep__start'),
    chart: find('.nd-sweep__chart'),
    legend: find('.nd-legend'),
    rule: find('.nd-sweep__rule'),
    strip: find('.nd-sweep__strip'),
    limit: find('.nd-sweep__limit'),
  };
}
