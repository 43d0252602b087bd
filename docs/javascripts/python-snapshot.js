// Memory snapshots of the started Python runtime for the Python worker (python-worker.js).
// On a first visit the worker takes a snapshot of Pyodide's memory right after the package
// is imported and keeps it, gzip-compressed (about 6 MB for 31 MB), in the browser's
// IndexedDB. A repeat visit restores Python from it instead of starting it afresh, which
// takes 2 to 4 s on a 2-core machine. docs/maintainers/benchmarks.md has the figures.
//
// NOTE: Pyodide's snapshot options (_makeSnapshot, _loadSnapshot, makeMemorySnapshot) are
// private API, checked with Pyodide 314.0.8 only. Every failure falls back to a normal start
// and deletes the stored snapshot, and a snapshot is used only with the Pyodide version and
// wheel it was taken with.

import { deleteSnapshot, readSnapshot, storeSnapshot } from './snapshot-database.js';

// The snapshot is compressed and stored this long after Python is ready, so that the
// compression (0.6 to 0.7 s of work, in a worker of its own) does not compete for the
// processor with the page's first interactions.
const STORE_DELAY_MS = 3000;

/**
 * Resolves to the snapshot stored for `version`, or null when there is none or reading it
 * fails. The worker starts this read while Pyodide's script downloads.
 */
export async function findSnapshot(version) {
  try {
    return await readSnapshot(version);
  } catch (error) {
    console.warn(`Reading the stored Python snapshot failed, so Python starts afresh: ${error}`);
    return null;
  }
}

/**
 * Starts Pyodide with `loadPyodide({indexURL})`: from `snapshot` (from findSnapshot) when it
 * is not null, else afresh with snapshots enabled. Resolves to `{pyodide, restored}`.
 */
export async function startPython(loadPyodide, indexURL, snapshot) {
  if (snapshot) {
    try {
      return { pyodide: await loadPyodide({ indexURL, _loadSnapshot: snapshot }), restored: true };
    } catch (error) {
      console.warn(`Restoring the stored Python snapshot failed, so Python starts afresh: ${error}`);
      await deleteSnapshot();
    }
  }
  return { pyodide: await loadPyodide({ indexURL, _makeSnapshot: true }), restored: false };
}

/**
 * Deletes the stored snapshot after `error` made a restored runtime unusable, and resolves
 * to a fresh start's `{pyodide, restored: false}`.
 */
export async function restartWithoutSnapshot(loadPyodide, indexURL, error) {
  console.warn(`The Python runtime restored from its snapshot failed, so Python starts afresh: ${error}`);
  await deleteSnapshot();
  return { pyodide: await loadPyodide({ indexURL, _makeSnapshot: true }), restored: false };
}

/**
 * Stores `snapshot` for `version` in a worker of its own (snapshot-store-worker.js), or in
 * this one where a worker cannot start another. Resolves when it is stored.
 */
function storeSnapshotElsewhere(snapshot, version) {
  if (typeof Worker === 'undefined') {
    return storeSnapshot(snapshot, version);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./snapshot-store-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event) => {
      worker.terminate();
      if (event.data.ok) {
        resolve();
      } else {
        reject(new Error(event.data.error));
      }
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new Error(event.message || 'the snapshot worker could not start'));
    });
    const buffer = snapshot.byteOffset === 0 && snapshot.byteLength === snapshot.buffer.byteLength
      ? snapshot.buffer
      : snapshot.slice().buffer;
    worker.postMessage({ snapshot: buffer, version }, [buffer]);
  });
}

/**
 * Takes a snapshot of `pyodide` now, so it holds only what has run so far, and stores it for
 * `version` after STORE_DELAY_MS, compressed in a worker of its own so that this worker stays
 * free for the widgets' calls. A failure is logged and leaves the next visit to start
 * Python afresh.
 */
export function storeSnapshotLater(pyodide, version) {
  let snapshot;
  try {
    snapshot = pyodide.makeMemorySnapshot();
  } catch (error) {
    console.warn(`Taking a snapshot of the Python runtime failed: ${error}`);
    return;
  }
  setTimeout(() => {
    storeSnapshotElsewhere(snapshot, version).catch((error) => {
      console.warn(`Storing the snapshot of the Python runtime failed: ${error}`);
    });
  }, STORE_DELAY_MS);
}
