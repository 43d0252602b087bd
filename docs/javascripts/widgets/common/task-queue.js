// Runs a widget's actions one after another, so that a click during a step waits for
// the step instead of interleaving calls to the package. While anything is queued or
// running, `element.dataset.busy` is "true"; it becomes "false" when the queue empties.

/**
 * Creates the queue. `onError(error)` receives any error a task throws; the queue then
 * goes on with the next task.
 * Returns `run(task, key)`: queues the async function `task` and returns a promise of its
 * result. A task queued with a `key` replaces a not yet started task with the same key,
 * so a moving slider sends only its latest value.
 */
export function createTaskQueue(element, onError) {
  let tail = Promise.resolve();
  let pending = 0;
  const waitingByKey = new Map();

  function finish() {
    pending -= 1;
    if (pending === 0) {
      element.dataset.busy = 'false';
    }
  }

  return function run(task, key) {
    const waiting = key ? waitingByKey.get(key) : undefined;
    if (waiting) {
      waiting.task = task;
      return waiting.promise;
    }

    const entry = { task };
    pending += 1;
    element.dataset.busy = 'true';
    entry.promise = tail.then(async () => {
      if (key) {
        waitingByKey.delete(key);
      }
      try {
        return await entry.task();
      } catch (error) {
        onError(error);
        return undefined;
      } finally {
        finish();
      }
    });
    tail = entry.promise;
    if (key) {
      waitingByKey.set(key, entry);
    }
    return entry.promise;
  };
}
