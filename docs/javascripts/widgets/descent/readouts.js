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

  return {
    /** Shows a run's state; `onMap` is false when θ lies outside the plotted region. */
    show(state, onMap) {
      values.step.textContent = String(state.k);
      values.loss.textContent = formatNumber(state.loss);
      values.theta.textContent = formatPoint(state.theta);
      values.gradient.textContent = formatNumber(state.gradient_norm);
      const away = onMap ? '' : ' The current point lies outside the plotted region.';
      values.status.textContent = `${state.status.message}${away}`;
      values.status.dataset.code = state.status.code;
    },
  };
}
