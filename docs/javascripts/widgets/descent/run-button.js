// The Run button: steps the run in batches, drawing each and letting a frame pass between
// them, until the run converges, stalls, diverges or reaches the package's step limit, or
// RUN_LIMIT steps after the press. Pressing it again (it reads Stop meanwhile), or
// anything that steps or starts a new run, ends it sooner. A change of η or μ does not.

/**
 * Steps per batch. Small enough that the trail visibly grows, so Stop can be pressed
 * part-way, and large enough that a run of several hundred steps takes about a second.
 */
export const RUN_BATCH = 25;

/**
 * Milliseconds after the label changes during which a press is ignored, so that a
 * press meant for Stop as a run ends on its own does not start the run again.
 */
const LABEL_GRACE_MS = 300;

/** Steps after which a run that is still going pauses, so a slow run never runs unseen for long. */
export const RUN_LIMIT = 2000;

// The reason Run has nothing to do, by the run's status code.
const SETTLED = {
  converged: 'This run has already converged, so Run has nothing to do. Step (1) and Step (50) still take steps',
  stalled: 'This run has already stalled on a plateau, so Run has nothing to do. Step (1) and Step (50) still take steps',
  diverged: 'This run has diverged and takes no more steps',
  stopped: 'This run has reached the package\'s limit on steps and takes no more',
};

/**
 * Wires `button` to the run. `options`:
 * - `queue(task)`: the widget's task queue;
 * - `statusCode()`: the run's current status code ("running", "converged", ...);
 * - `stepBatch(count)`: takes up to `count` steps, stopping where the run settles, redraws,
 *   and resolves to the status code after them;
 * - `note`: the paragraph that gives the reason a run ended when the map does not show it.
 * While a run goes on, `element.dataset.running` is "true".
 * Returns `{stop()}`, which ends the run before its next batch.
 */
export function createRunButton(button, element, options) {
  let current = null;
  let labelChangedAt = -Infinity;

  function show(running) {
    labelChangedAt = performance.now();
    button.textContent = running ? 'Stop' : 'Run';
    element.dataset.running = String(running);
  }

  function stop() {
    if (current !== null) {
      current = null;
      show(false);
    }
  }

  function runBatch(token) {
    return options.queue(async () => {
      if (current !== token) {
        return;
      }
      const settled = SETTLED[options.statusCode()];
      if (settled) {
        stop();
        options.note.textContent = `${settled}. Press Reset or click the map to start a new run.`;
        return;
      }
      const count = Math.min(RUN_BATCH, RUN_LIMIT - token.taken);
      const code = await options.stepBatch(count);
      token.taken += count;
      if (current !== token) {
        return;
      }
      if (code !== 'running') {
        stop();
      } else if (token.taken >= RUN_LIMIT) {
        stop();
        options.note.textContent = `Paused after ${RUN_LIMIT.toLocaleString('en-GB')} steps without converging. `
          + 'Press Run to go on.';
      } else {
        requestAnimationFrame(() => runBatch(token));
      }
    });
  }

  button.addEventListener('click', () => {
    if (performance.now() - labelChangedAt < LABEL_GRACE_MS) {
      return;
    }
    if (current !== null) {
      stop();
      return;
    }
    options.note.textContent = '';
    current = { taken: 0 };
    show(true);
    runBatch(current);
  });
  element.dataset.running = 'false';

  return {
    stop() {
      stop();
      // The press that ended the run was on another control, so the next press of Run counts.
      labelChangedAt = -Infinity;
      options.note.textContent = '';
    },
  };
}
