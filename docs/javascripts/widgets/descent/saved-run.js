// The descent widget's settings and step count, kept in the tab's sessionStorage, so that
// a reader who follows a link away from the chapter and comes back, or reloads it, finds
// the same run. The run is stored as what rebuilds it: data set, η, μ, start and steps.

import { checkRange } from '../common/number-rules.js';
import { LEARNING_RATE_RULE, MOMENTUM_RULE } from '../common/parameter-rules.js';
import { isFinitePoint } from '../common/finite.js';

const KEY_PREFIX = 'nd-descent:';

function storageKey(element) {
  return `${KEY_PREFIX}${window.location.pathname}#${element.id}`;
}

/**
 * Returns the run saved for `element` on this page, or null when there is none or it
 * does not fit `datasets` (`[{name}]`) and the widgets' ranges.
 */
export function loadSavedRun(element, datasets) {
  let saved;
  try {
    saved = JSON.parse(window.sessionStorage.getItem(storageKey(element)));
  } catch {
    // Storage that is switched off, or text that is not JSON, counts as no saved run.
    return null;
  }
  const valid = saved !== null && typeof saved === 'object'
    && datasets.some((entry) => entry.name === saved.dataset)
    && checkRange(saved.learningRate, LEARNING_RATE_RULE).ok
    && checkRange(saved.momentum, MOMENTUM_RULE).ok
    && isFinitePoint(saved.start)
    && Number.isInteger(saved.steps) && saved.steps >= 0;
  return valid ? saved : null;
}

/** Saves `{dataset, learningRate, momentum, start, steps}` for `element` on this page. */
export function saveRun(element, run) {
  try {
    window.sessionStorage.setItem(storageKey(element), JSON.stringify(run));
  } catch {
    // Without storage the widget still works, and a return to the page starts afresh.
  }
}
