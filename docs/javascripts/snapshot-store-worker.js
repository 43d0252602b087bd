// Compresses a snapshot of the Python runtime and stores it in IndexedDB, in a worker of
// its own, so that the Python worker stays free for the widgets' calls. Compressing
// 31 MB took the Python worker about 0.6 s, during which a step waited.
//
// Receives {snapshot: ArrayBuffer, version}, replies {ok: true} or {ok: false, error}.

import { storeSnapshot } from './snapshot-database.js';

self.addEventListener('message', async (event) => {
  const { snapshot, version } = event.data;
  try {
    await storeSnapshot(new Uint8Array(snapshot), version);
    self.postMessage({ ok: true });
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
});
