// The sweep widget's inputs: data set, number of learning rates, the two bounds and the
// number of steps, each checked when the reader presses Run.

import { createNumberField } from '../common/number-field.js';
import { createDatasetSelect } from '../common/dataset-select.js';
import { LEARNING_RATE_RULE } from '../common/parameter-rules.js';

/** Accepted numbers of learning rates, as the package checks them. */
const COUNT_RULE = { label: 'Number of rates', min: 2, max: 12, integer: true };
/**
 * Accepted numbers of steps per run. The package accepts up to 10 000; the widget stops
 * at 1000 so that one sweep (up to 12 runs) stays short.
 */
const STEPS_RULE = { label: 'Steps per run', min: 1, max: 1000, integer: true };
const LOW_RULE = { ...LEARNING_RATE_RULE, label: 'Lowest η' };
const HIGH_RULE = { ...LEARNING_RATE_RULE, label: 'Highest η' };

/**
 * Creates the form inside `container`. `options`: `datasets` ([{name, title}]), `dataset`,
 * `onDataset(name)` and `onRun()`.
 * Returns `{values()} `, which checks every field and returns `{dataset, count, lrMin,
 * lrMax, steps}` or null after showing what is invalid, and `setValues(values)`.
 */
export function createSweepForm(container, options) {
  const form = document.createElement('form');
  form.className = 'nd-controls nd-sweep__form';
  form.noValidate = true;

  const { element: datasetLabel, select } = createDatasetSelect(options.datasets, options.dataset, options.onDataset);

  const fields = {
    count: createNumberField({ label: 'Number of rates', rule: COUNT_RULE, value: 6 }),
    lrMin: createNumberField({ label: 'Lowest η', rule: LOW_RULE, value: 0.01 }),
    lrMax: createNumberField({ label: 'Highest η', rule: HIGH_RULE, value: 1 }),
    steps: createNumberField({ label: 'Steps per run', rule: STEPS_RULE, value: 50 }),
  };
  const run = document.createElement('button');
  run.type = 'submit';
  run.className = 'md-button md-button--primary nd-sweep__run';
  run.textContent = 'Run sweep';
  const message = document.createElement('p');
  message.className = 'nd-field__message nd-sweep__form-message';
  message.setAttribute('aria-live', 'polite');

  form.append(datasetLabel, ...Object.values(fields).map((field) => field.element), run, message);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    options.onRun();
  });
  container.append(form);

  return {
    values() {
      message.textContent = '';
      const checked = Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.check()]));
      if (Object.values(checked).some((value) => value === null)) {
        return null;
      }
      if (checked.lrMin >= checked.lrMax) {
        message.textContent = `The lowest η (${checked.lrMin}) must be below the highest η (${checked.lrMax}).`;
        return null;
      }
      return { dataset: select.value, ...checked };
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
    },
  };
}
