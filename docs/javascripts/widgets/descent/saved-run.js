// The descent widget's run, kept in the tab's sessionStorage, so that a reader who follows
// a link away from the chapter and comes back, or reloads it, finds the same run. The run
// is stored as what rebuilds it: the data set, the start and its segments. A segment is
// `{learningRate, momentum, steps}`: the η and μ of the steps taken after one change of
// them, in order, so that a run whose η or μ changed part-way can be replayed whole.

import { checkRange } from '../common/number-rules.js';
import { LEARNING_RATE_RULE, MOMENTUM_RULE } from '../common/parameter-rules.js';
import { isFinitePoint } from '../common/finite.js';

const KEY_PREFIX = 'nd-descent:';

/**
 * The maximum number of segments stored. Each one costs two package calls when the run is
 * replayed. A run with more segments is stored as its start with its latest η and μ, no
 * steps and `restarted` true. A return to the page then starts the run again from its
 * start, and the widget gives the reason in its note paragraph.
 */
export const MAX_SAVED_SEGMENTS = 100;

/** The maximum number of steps in a run (MAX_RUN_STEPS in optimiser.py). */
const MAX_RUN_STEPS = 20000;

function storageKey(element) {
  return `${KEY_PREFIX}${window.location.pathname}#${element.id}`;
}

function isValidSegment(segment) {
  return segment !== null && typeof segment === 'object'
    && checkRange(segment.learningRate, LEARNING_RATE_RULE).ok
    && checkRange(segment.momentum, MOMENTUM_RULE).ok
    && Number.isInteger(segment.steps) && segment.steps >= 0;
}

function hasValidSegments(segments) {
  if (!Array.isArray(segments) || segments.length === 0 || segments.length > MAX_SAVED_SEGMENTS
    || !segments.every(isValidSegment)) {
    return false;
  }
  const totalSteps = segments.reduce((sum, segment) => sum + segment.steps, 0);
  return totalSteps <= MAX_RUN_STEPS;
}

/**
 * Returns the run saved for `element` on this page, `{dataset, start, segments,
 * restarted}`, or null when there is none or it does not fit `datasets` (`[{name}]`),
 * the widgets' ranges and the limits on segments and steps.
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
    && isFinitePoint(saved.start)
    && hasValidSegments(saved.segments)
    && typeof saved.restarted === 'boolean';
  return valid ? saved : null;
}

/**
 * Saves the run `{dataset, start, segments}` for `element` on this page, or only its
 * start and latest η and μ when it has more than MAX_SAVED_SEGMENTS segments.
 */
export function saveRun(element, run) {
  const restarted = run.segments.length > MAX_SAVED_SEGMENTS;
  const latest = run.segments.at(-1);
  const segments = restarted
    ? [{ learningRate: latest.learningRate, momentum: latest.momentum, steps: 0 }]
    : run.segments;
  try {
    window.sessionStorage.setItem(storageKey(element), JSON.stringify({
      dataset: run.dataset, start: run.start, segments, restarted,
    }));
  } catch {
    // Without storage the widget still works, and a return to the page starts afresh.
  }
}

/** Sets the step count of the last of `segments` so that all of them add up to `k`, the run's steps. */
export function recordSteps(segments, k) {
  const earlier = segments.slice(0, -1).reduce((sum, segment) => sum + segment.steps, 0);
  segments.at(-1).steps = k - earlier;
}

/**
 * Starts a new segment with η `learningRate` and μ `momentum` after `k` steps, or changes
 * the last segment's η and μ when it has no steps yet.
 */
export function beginSegment(segments, learningRate, momentum, k) {
  recordSteps(segments, k);
  const last = segments.at(-1);
  if (last.steps === 0) {
    last.learningRate = learningRate;
    last.momentum = momentum;
  } else {
    segments.push({ learningRate, momentum, steps: 0 });
  }
}
