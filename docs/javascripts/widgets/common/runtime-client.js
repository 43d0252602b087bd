// Access to the page's Python runtime, `window.NeuronDescent`, which runtime.js creates
// once per visit: `call(name, request)`, `ready`, `onStatus(callback)` and `retry()`.

const RUNTIME_WAIT_MS = 15000;
const RUNTIME_POLL_MS = 50;

/** An `{ok: false}` result from the package, carrying its one-sentence error. */
export class PackageError extends Error {}

/**
 * Returns the runtime handle, waiting for runtime.js to define it.
 * Rejects with a sentence for the reader if it never appears.
 */
export function findRuntime() {
  if (window.NeuronDescent) {
    return Promise.resolve(window.NeuronDescent);
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setInterval(() => {
      if (window.NeuronDescent) {
        clearInterval(timer);
        resolve(window.NeuronDescent);
      } else if (performance.now() - started > RUNTIME_WAIT_MS) {
        clearInterval(timer);
        reject(new Error('The script that starts Python did not load. Reload the page to try again.'));
      }
    }, RUNTIME_POLL_MS);
  });
}

/**
 * Calls `neuron_descent.web_api.<name>` with `request` and returns the result.
 * Throws PackageError with the package's message when the result has `ok: false`.
 */
export async function callPackage(runtime, name, request) {
  const result = await runtime.call(name, request);
  if (!result || result.ok !== true) {
    throw new PackageError(result?.error ?? `The Python function ${name} returned no result.`);
  }
  return result;
}

/**
 * Resolves when the runtime is ready, reporting progress and failures to `panel` (see
 * loading-panel.js). `runtime.ready` never rejects: a failure arrives as the status stage
 * "failed", and the panel's Retry button then calls `runtime.retry()`.
 */
export function waitUntilReady(runtime, element, panel) {
  return new Promise((resolve) => {
    let waitingForRetry = false;
    const stopStatus = runtime.onStatus((status) => {
      if (!element.isConnected) {
        return;
      }
      if (status.stage !== 'failed') {
        // Another widget's Retry may have restarted the runtime: stop waiting for this one's.
        waitingForRetry = false;
        panel.showProgress(status);
      } else if (!waitingForRetry) {
        waitingForRetry = true;
        panel.showFailure(status.message).then(() => {
          waitingForRetry = false;
          runtime.retry();
        });
      }
    });
    runtime.ready.then(() => {
      stopStatus();
      resolve();
    });
  });
}
