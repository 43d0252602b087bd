// The descent widget's controls: data set, learning rate η and momentum μ (each typed or
// set with a slider) and the contour-line switch.

import { createNumberField } from '../common/number-field.js';
import { createDatasetSelect } from '../common/dataset-select.js';
import { LEARNING_RATE_RULE, MOMENTUM_RULE } from '../common/parameter-rules.js';

/**
 * Creates the controls inside `container`. `options`: `datasets` ([{name, title}]),
 * the initial `dataset`, `learningRate` and `momentum`, and the callbacks `onDataset(name)`,
 * `onLearningRate(value)`, `onMomentum(value)` and `onContours(flag)`, each called only
 * with a valid new value.
 * Returns `{setValues({dataset, learningRate, momentum}), setDisabled(flag)}`.
 */
export function createControls(container, options) {
  const element = document.createElement('div');
  element.className = 'nd-controls';

  const { element: datasetLabel, select } = createDatasetSelect(options.datasets, options.dataset, options.onDataset);

  const learningRate = createNumberField({
    label: 'Learning rate η',
    rule: LEARNING_RATE_RULE,
    value: options.learningRate,
    slider: { scale: 'log', min: -4, max: 1, step: 0.01 },
    onCommit: options.onLearningRate,
  });
  const momentum = createNumberField({
    label: 'Momentum μ',
    rule: MOMENTUM_RULE,
    value: options.momentum,
    slider: { scale: 'linear', min: 0, max: 0.99, step: 0.01 },
    onCommit: options.onMomentum,
  });

  const contours = document.createElement('label');
  contours.className = 'nd-controls__toggle';
  contours.innerHTML = '<input type="checkbox" checked> Contour lines';
  const contourBox = contours.querySelector('input');
  contourBox.addEventListener('change', () => options.onContours(contourBox.checked));

  // Messages appear in one box that widgets.css lays over the top of the map, so that a
  // message shown when a field loses focus does not move the Step buttons from under the pointer.
  const messages = document.createElement('div');
  messages.className = 'nd-controls__messages';
  messages.append(learningRate.message, momentum.message);

  element.append(datasetLabel, learningRate.element, momentum.element, contours, messages);
  container.append(element);

  return {
    setValues(values) {
      select.value = values.dataset;
      learningRate.setValue(values.learningRate);
      momentum.setValue(values.momentum);
    },
    setDisabled(flag) {
      select.disabled = flag;
      learningRate.setDisabled(flag);
      momentum.setDisabled(flag);
    },
  };
}
