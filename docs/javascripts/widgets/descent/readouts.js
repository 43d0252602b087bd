// The readouts under the map: step k, loss, θ = (w, b), ‖∇L‖ and the run's status in
// words, in a polite live region so screen readers announce each change.

import { formatNumber, formatPoint } from '../common/format.js';

const FIELDS = [
  ['step', 'Step k'],
  ['loss', 'Loss L'],
  ['theta', 'θ = (w, b)'],
  ['gradient', '‖∇L‖'],
  ['status', 'Status'],
];

/** Creates the readouts inside `container`. Returns `{show(state, onMap)}`. */
export function createReadouts(container) {
  const list = document.createElement('dl');
  list.className = 'nd-readouts';
  list.setAttribute('aria-live', 'polite');
  const values = {};
  for (const [key, title] of FIELDS) {
    const term = document.createElement('dt');
    term.textContent = title;
    const value = document.createElement('dd');
    value.dataset.readout = key;
    values[key] = value;
    list.append(term, value);
  }
  container.append(list);

  // Writes only a changed value, so an unchanged one is neither laid out again nor
  // announced again by the live region.
  function put(key, text) {
    if (values[key].textContent !== text) {
      values[key].textContent = text;
    }
  }

  return {
    /** Shows a run's state; `onMap` is false when θ lies outside the plotted region. */
    show(state, onMap) {
      put('step', String(state.k));
      put('loss', formatNumber(state.loss));
      put('theta', formatPoint(state.theta));
      put('gradient', formatNumber(state.gradient_norm));
      // Steps taken after a run converged or stalled go on from there, and the readouts
      // above are those of the latest step, which may no longer meet the test.
      const settled = state.status.code === 'converged' || state.status.code === 'stalled';
      const stepsSince = settled ? state.k - state.status.step : 0;
      const sinceNote = stepsSince > 0
        ? ` The readouts are for step ${state.k}, ${stepsSince} ${stepsSince === 1 ? 'step' : 'steps'} later.`
        : '';
      const away = onMap ? '' : ' The current point lies outside the plotted region.';
      put('status', `${state.status.message}${sinceNote}${away}`);
      values.status.dataset.code = state.status.code;
    },
  };
}
