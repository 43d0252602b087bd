// The chapter's "try this" buttons, which scroll their widget into view.
// A `.nd-try` button configures the descent widget from its `data-dataset`,
// `data-learning-rate`, `data-momentum` and `data-start` (a start point's name).
// A `.nd-sweep-try` button runs the sweep widget on its `data-dataset`.

import { scrollToWidget } from './common/scroll.js';

function numberAttribute(button, name) {
  const text = button.dataset[name];
  return text === undefined ? undefined : Number(text);
}

function tryDescent(button) {
  const element = document.querySelector('[data-widget="descent"]');
  if (!element?.ndDescent) {
    return;
  }
  scrollToWidget(element);
  // An invalid setting is already shown inside the widget, so the rejection needs no handling.
  element.ndDescent.configure({
    dataset: button.dataset.dataset,
    learningRate: numberAttribute(button, 'learningRate'),
    momentum: numberAttribute(button, 'momentum'),
    start: button.dataset.start ?? null,
  }).catch(() => {});
}

function trySweep(button) {
  const element = document.querySelector('[data-widget="sweep"]');
  if (!element?.ndSweep) {
    return;
  }
  scrollToWidget(element);
  element.ndSweep.run({ dataset: button.dataset.dataset });
}

/** Handles a click anywhere on the page when it falls on a try button. */
export function handleTryClick(event) {
  const button = event.target.closest?.('.nd-try, .nd-sweep-try');
  if (!button) {
    return;
  }
  event.preventDefault();
  if (button.classList.contains('nd-try')) {
    tryDescent(button);
  } else {
    trySweep(button);
  }
}
