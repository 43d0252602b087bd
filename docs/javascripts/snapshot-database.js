// The IndexedDB store of the Python runtime's snapshot, shared by the Python worker
// (python-snapshot.js) and the worker that stores a new snapshot (snapshot-store-worker.js).

const DATABASE_NAME = 'neuron-descent';
const STORE_NAME = 'python-snapshots';
const RECORD_KEY = 'runtime';

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE_NAME);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `operation(store)` in a transaction and resolves to its request's result once the
 * transaction has committed, so that a worker closed right afterwards loses no write.
 */
async function withStore(mode, operation) {
  const database = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE_NAME, mode);
      const request = operation(transaction.objectStore(STORE_NAME));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'));
    });
  } finally {
    database.close();
  }
}

async function transform(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** Resolves to the stored snapshot taken for `version`, uncompressed, or null. */
export async function readSnapshot(version) {
  const record = await withStore('readonly', (store) => store.get(RECORD_KEY));
  if (!record || record.version !== version) {
    return null;
  }
  return transform(record.data, new DecompressionStream('gzip'));
}

export function deleteSnapshot() {
  return withStore('readwrite', (store) => store.delete(RECORD_KEY)).catch(() => {});
}

/** Compresses `snapshot` (a Uint8Array) and stores it in IndexedDB for `version`. */
export async function storeSnapshot(snapshot, version) {
  const data = await transform(snapshot, new CompressionStream('gzip'));
  await withStore('readwrite', (store) => store.put({ version, data }, RECORD_KEY));
}
