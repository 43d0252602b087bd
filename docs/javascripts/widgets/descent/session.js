// The descent widget's link to the package: the data set's description and one run at
// a time, with the trail and losses gathered across `step_run` calls.

import { callPackage } from '../common/runtime-client.js';

/** Grid points per side of the loss map. */
export const GRID_SIZE = 161;

/**
 * Creates the session. Returns an object whose async methods call the package and
 * whose `view()` returns `{trail, losses, state}` for drawing.
 */
export function createSession(runtime) {
  let runId = null;
  let trail = [];
  let losses = [];
  let state = null;

  // `state.trail` contains the points from index `trail_from` on, so keep those before it.
  function merge(next) {
    trail.length = Math.min(trail.length, next.trail_from);
    losses.length = trail.length;
    trail.push(...next.trail);
    losses.push(...next.losses);
    state = next;
  }

  async function release() {
    if (runId !== null) {
      const id = runId;
      runId = null;
      await callPackage(runtime, 'release_run', { run_id: id });
    }
  }

  return {
    /** Describes the data set, with its loss grid unless `withGrid` is false. */
    describe: (dataset, withGrid = true) => callPackage(runtime, 'describe', {
      dataset, grid: withGrid, grid_size: GRID_SIZE,
    }),

    /** Starts a new run; `settings`: dataset, activation, learningRate, momentum, start. */
    async start(settings) {
      await release();
      const result = await callPackage(runtime, 'start_run', {
        dataset: settings.dataset,
        activation: settings.activation,
        learning_rate: settings.learningRate,
        momentum: settings.momentum,
        nesterov: false,
        start: settings.start,
      });
      runId = result.run_id;
      trail = [];
      losses = [];
      merge(result.state);
    },

    /**
     * Takes `count` steps, asking only for the trail points not yet held. With
     * `untilSettled`, the run stops at the step where it converges or stalls.
     */
    async step(count, untilSettled = false) {
      const result = await callPackage(runtime, 'step_run', {
        run_id: runId, steps: count, since: trail.length, until_settled: untilSettled,
      });
      merge(result.state);
    },

    async setHyperparameters(learningRate, momentum) {
      const result = await callPackage(runtime, 'set_hyperparameters', {
        run_id: runId,
        learning_rate: learningRate,
        momentum,
      });
      merge(result.state);
    },

    release,
    hasRun: () => runId !== null,
    view: () => ({ trail, losses, state }),
  };
}
