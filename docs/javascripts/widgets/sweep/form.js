// The sweep widget's inputs: data set, number of learning rates, the two bounds and the
// number of steps. Each field is checked when it loses focus and when the reader runs the
// sweep. While any field contains invalid text, Run sweep runs nothing, so that a chart
// never shows values other than those in the boxes.

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

/** Returns the sentence that names the fields whose invalid text blocks the sweep. */
function describeInvalidFields(rules) {
  const names = new Intl.ListFormat('en', { type: 'conjunction' }).format(rules.map((rule) => rule.name));
  return `No sweep runs until you correct ${names}.`;
}

/**
 * Creates the form inside `container`. `options`: `datasets` ([{name, title}]), `dataset`,
 * `onDataset(name)` and `onRun()`, which a click on Run sweep and Enter in a field call.
 * Returns `{values(), dataset(), setValues(values), showProblem(text)}`. `values()` checks
 * every field and returns `{dataset, count, lrMin, lrMax, steps}`, or null when a field
 * contains invalid text or the bounds cannot be swept, and then shows the reason below the form.
 * `dataset()` returns the selected data set's name. `showProblem` shows a sentence below
 * the form, such as an error from the package.
 */
export function createSweepForm(container, options) {
  const form = document.createElement('form');
  form.className = 'nd-controls nd-sweep__form';
  form.noValidate = true;

  const { element: datasetLabel, select } = createDatasetSelect(options.datasets, options.dataset, options.onDataset);

  const fields = {
    count: createNumberField({ label: 'Number of rates', rule: COUNT_RULE, value: 6, onCommit: updateMessage }),
    lrMin: createNumberField({ label: 'Lowest η', rule: LOW_RULE, value: 0.01, onCommit: updateMessage }),
    lrMax: createNumberField({ label: 'Highest η', rule: HIGH_RULE, value: 1, onCommit: updateMessage }),
    steps: createNumberField({ label: 'Steps per run', rule: STEPS_RULE, value: 50 }),
  };
  const rules = { count: COUNT_RULE, lrMin: LOW_RULE, lrMax: HIGH_RULE, steps: STEPS_RULE };
  // Whether the last press of Run sweep found invalid text. Until every field is valid
  // again, the message below the form names the fields that still are not.
  let blocked = false;
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

  /**
   * Shows the sentences on invalid fields and on the bounds below the form, and marks both
   * bounds while they conflict. The bounds are compared by their last valid values.
   * Returns whether the form can be swept.
   */
  function updateMessage() {
    const invalid = Object.keys(fields).filter((key) => fields[key].isInvalid());
    blocked = blocked && invalid.length > 0;
    const boundsProblem = describeBoundsProblem(fields.lrMin.value(), fields.lrMax.value(), fields.count.value());
    const sentences = [blocked ? describeInvalidFields(invalid.map((key) => rules[key])) : null, boundsProblem];
    message.textContent = sentences.filter(Boolean).join(' ');
    fields.lrMin.setConflict(boundsProblem !== null);
    fields.lrMax.setConflict(boundsProblem !== null);
    return invalid.length === 0 && boundsProblem === null;
  }

  form.append(datasetLabel, ...Object.values(fields).map((field) => field.element), run, messages);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    options.onRun();
  });
  // A field's own listener has checked its text by the time the change reaches the form.
  form.addEventListener('change', updateMessage);
  container.append(form);

  return {
    values() {
      for (const field of Object.values(fields)) {
        field.check();
      }
      blocked = true;
      if (!updateMessage()) {
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
      updateMessage();
    },
    dataset: () => select.value,
    showProblem(text) {
      message.textContent = text;
    },
  };
}
