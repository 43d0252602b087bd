// The sweep widget's inputs: data set, number of learning rates, the two bounds and the
// number of steps. Each field is checked when it loses focus and when the reader runs the
// sweep, which then uses the last valid value of any field that contains invalid text.

import { createNumberField } from '../common/number-field.js';
import { createDatasetSelect } from '../common/dataset-select.js';
import { LEARNING_RATE_RULE } from '../common/parameter-rules.js';

/** Accepted numbers of learning rates, as the package checks them. */
const COUNT_RULE = { name: 'the number of rates', min: 2, max: 12, integer: true };
/**
 * Accepted numbers of steps per run. The package accepts up to 10 000; the widget stops
 * at 1000 so that one sweep (up to 12 runs) stays short.
 */
const STEPS_RULE = { name: 'the number of steps per run', min: 1, max: 1000, integer: true };
const LOW_RULE = { ...LEARNING_RATE_RULE, name: 'the lowest η' };
const HIGH_RULE = { ...LEARNING_RATE_RULE, name: 'the highest η' };

/** Significant figures of the swept rates, as RATE_FIGURES in the package's sweep.py. */
const RATE_FIGURES = 3;

/**
 * Returns the `count` rates from `low` to `high` that the package's `log_spaced` sweeps:
 * evenly spaced on a log scale and rounded to RATE_FIGURES significant figures.
 * NOTE: JavaScript's toPrecision rounds an exact tie up where Python rounds it to even,
 * so in rare cases the two may disagree on whether the rates are distinct. The package
 * then rejects the bounds and the widget shows its message.
 */
function sweptRates(low, high, count) {
  // Logarithms throughout, because high / low overflows for a subnormal low.
  const logLow = Math.log(low);
  const logRatio = Math.log(high) - logLow;
  return Array.from({ length: count },
    (_, index) => Number(Math.exp(logLow + (logRatio * index) / (count - 1)).toPrecision(RATE_FIGURES)));
}

/** Returns a sentence on why the bounds cannot be swept with `count` rates, or null. */
function describeBoundsProblem(low, high, count) {
  if (!(low < high)) {
    return `The lowest η (${low}) must be below the highest η (${high}), so no sweep runs until you change a bound.`;
  }
  if (new Set(sweptRates(low, high, count)).size < count) {
    return `The bounds ${low} and ${high} are too close together for ${count} distinct rates at `
      + `${RATE_FIGURES} significant figures, so no sweep runs until you widen them.`;
  }
  return null;
}

/**
 * Creates the form inside `container`. `options`: `datasets` ([{name, title}]), `dataset`,
 * `onDataset(name)` and `onRun()`, which a click on Run sweep and Enter in a field call.
 * Returns `{values(), setValues(values), showProblem(text)}`. `values()` checks every
 * field and returns `{dataset, count, lrMin, lrMax, steps}` with the last valid value of
 * each field, or null when the bounds cannot be swept. `showProblem` shows a sentence
 * below the form, such as an error from the package.
 */
export function createSweepForm(container, options) {
  const form = document.createElement('form');
  form.className = 'nd-controls nd-sweep__form';
  form.noValidate = true;

  const { element: datasetLabel, select } = createDatasetSelect(options.datasets, options.dataset, options.onDataset);

  const fields = {
    count: createNumberField({ label: 'Number of rates', rule: COUNT_RULE, value: 6, onCommit: checkBounds }),
    lrMin: createNumberField({ label: 'Lowest η', rule: LOW_RULE, value: 0.01, onCommit: checkBounds }),
    lrMax: createNumberField({ label: 'Highest η', rule: HIGH_RULE, value: 1, onCommit: checkBounds }),
    steps: createNumberField({ label: 'Steps per run', rule: STEPS_RULE, value: 50 }),
  };
  const run = document.createElement('button');
  run.type = 'submit';
  run.className = 'md-button md-button--primary nd-sweep__run';
  run.textContent = 'Run sweep';
  const message = document.createElement('p');
  message.className = 'nd-field__message nd-sweep__form-message';
  message.setAttribute('aria-live', 'polite');
  // Messages appear in one box after the Run button, so that a message shown when a
  // field loses focus does not move the button from under the pointer.
  const messages = document.createElement('div');
  messages.className = 'nd-controls__messages';
  messages.append(...Object.values(fields).map((field) => field.message), message);

  /** Shows or clears the message on the bounds and marks both bounds. Returns whether they are usable. */
  function checkBounds() {
    const problem = describeBoundsProblem(fields.lrMin.value(), fields.lrMax.value(), fields.count.value());
    message.textContent = problem ?? '';
    fields.lrMin.setConflict(problem !== null);
    fields.lrMax.setConflict(problem !== null);
    return problem === null;
  }

  form.append(datasetLabel, ...Object.values(fields).map((field) => field.element), run, messages);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    options.onRun();
  });
  container.append(form);

  return {
    values() {
      for (const field of Object.values(fields)) {
        field.check();
      }
      if (!checkBounds()) {
        return null;
      }
      const values = Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.value()]));
      return { dataset: select.value, ...values };
    },
    setValues(values) {
      if (values.dataset) {
        select.value = values.dataset;
      }
      for (const [key, field] of Object.entries(fields)) {
        if (values[key] !== undefined) {
          field.setValue(values[key]);
        }
      }
      checkBounds();
    },
    showProblem(text) {
      message.textContent = text;
    },
  };
}
