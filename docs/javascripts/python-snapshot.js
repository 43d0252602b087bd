// Memory snapshots of the started Python runtime for the Python worker (python-worker.js).
// On a first visit the worker takes a snapshot of Pyodide's memory right after the package
// is imported and keeps it, gzip-compressed (about 6 MB for 31 MB), in the browser's
// IndexedDB. A repeat visit restores Python from it in about 0.5 s instead of starting it
// afresh, which takes 2 to 4 s on a 2-core machine (docs/maintainers/benchmarks.md).
//
// NOTE: Pyodide's snapshot options (_makeSnapshot, _loadSnapshot, makeMemorySnapshot) are
// private API, checked with Pyodide 314.0.8 only. Every failure falls back to a normal start
// and deletes the stored snapshot, and a snapshot is used only with the Pyodide version and
// wheel it was taken with.

const DATABASE_NAME = 'neuron-descent';
const STORE_NAME = 'python-snapshots';
const RECORD_KEY = 'runtime';

// The snapshot is compressed and stored this long after Python is ready, so that the
// compression (about 0.7 s of work) does not compete with the page's first interactions.
const STORE_DELAY_MS = 3000;

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE_NAME);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs `operation(store)` in a transaction and resolves to its request's result. */
async function withStore(mode, operation) {
  const database = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const request = operation(database.transaction(STORE_NAME, mode).objectStore(STORE_NAME));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    database.close();
  }
}

async function transform(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** Resolves to the stored snapshot taken for `version`, uncompressed, or null. */
async function readSnapshot(version) {
  const record = await withStore('readonly', (store) => store.get(RECORD_KEY));
  if (!record || record.version !== version) {
    return null;
  }
  return transform(record.data, new DecompressionStream('gzip'));
}

function deleteSnapshot() {
  return withStore('readwrite', (store) => store.delete(RECORD_KEY)).catch(() => {});
}

/**
 * Starts Pyodide with `loadPyodide({indexURL})`: from the snapshot stored for `version` when
 * there is one, else afresh with snapshots enabled. Resolves to `{pyodide, restored}`.
 */
export async function startPython(loadPyodide, indexURL, version) {
  let snapshot = null;
  try {
    snapshot = await readSnapshot(version);
  } catch (error) {
    console.warn(`Reading the stored Python snapshot failed, so Python starts afresh: ${error}`);
  }
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
 * Takes a snapshot of `pyodide` now, so it holds only what has run so far, and stores it for
 * `version` after STORE_DELAY_MS. A failure is logged and leaves the next visit to start
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
  setTimeout(async () => {
    try {
      const data = await transform(snapshot, new CompressionStream('gzip'));
      await withStore('readwrite', (store) => store.put({ version, data }, RECORD_KEY));
    } catch (error) {
      console.warn(`Storing the snapshot of the Python runtime failed: ${error}`);
    }
  }, STORE_DELAY_MS);
}
