// Download progress and stall detection for the Python worker (python-worker.js): counts
// the bytes of Pyodide's runtime files as they arrive, reports them as progress, and
// notices when no byte has arrived for too long.

// Progress fraction reached when every file has arrived and Python starts. Downloading
// fills 0 to STARTING_FRACTION in proportion to the bytes received.
const STARTING_FRACTION = 0.8;

// Report download progress only when it has grown by at least this fraction,
// so a fast download does not flood the main thread with messages.
const PROGRESS_STEP = 0.01;

// Give up on the download when no byte has arrived for this long, so a
// stalled connection ends in a failure the reader can retry instead of a
// progress bar that never moves.
const STALL_TIMEOUT_MS = 30_000;

let lastProgressTime = performance.now();

function formatMegabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

// Wrap the worker's fetch so that the bytes of Pyodide's runtime files are
// counted as they arrive, and report them as download progress. Pyodide looks
// up the global fetch each time it downloads, so the wrapper counts every file.
// `worker` gives `stage()`, the worker's current stage, and `reportStatus(stage, message,
// fraction)`. Returns a function that restores the original fetch.
export function trackRuntimeDownloads(manifest, siteRoot, worker) {
  const expectedBytes = new Map();
  for (const [path, size] of Object.entries(manifest.download_bytes)) {
    if (path !== manifest.wheel) {
      expectedBytes.set(new URL(path, siteRoot).href, size);
    }
  }
  const totalBytes = [...expectedBytes.values()].reduce((sum, size) => sum + size, 0);
  let receivedBytes = 0;
  let reportedFraction = 0;

  function countBytes(byteCount) {
    receivedBytes += byteCount;
    lastProgressTime = performance.now();
    if (worker.stage() !== "downloading") {
      return;
    }
    if (receivedBytes >= totalBytes) {
      worker.reportStatus("starting", "Starting Python.", STARTING_FRACTION);
      return;
    }
    const fraction = STARTING_FRACTION * (receivedBytes / totalBytes);
    if (fraction - reportedFraction >= PROGRESS_STEP) {
      reportedFraction = fraction;
      const message =
        `Downloading the Python runtime: ${formatMegabytes(receivedBytes)} ` +
        `of ${formatMegabytes(totalBytes)} MB.`;
      worker.reportStatus("downloading", message, fraction);
    }
  }

  const originalFetch = self.fetch;
  self.fetch = async (input, init) => {
    const response = await originalFetch(input, init);
    const url = new URL(input instanceof Request ? input.url : input, self.location).href;
    if (!expectedBytes.has(url) || !response.ok || !response.body) {
      return response;
    }
    const counter = new TransformStream({
      transform(chunk, controller) {
        countBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return () => {
    self.fetch = originalFetch;
  };
}

// Return a promise that rejects when the download stage has received no
// byte for STALL_TIMEOUT_MS, and a function that stops watching.
// `isDownloading()` returns whether the worker is still in its download stage.
export function watchForStall(isDownloading) {
  let timer;
  const stalled = new Promise((_, reject) => {
    timer = setInterval(() => {
      const idleMs = performance.now() - lastProgressTime;
      if (isDownloading() && idleMs > STALL_TIMEOUT_MS) {
        reject(new Error(`no data arrived for ${Math.round(idleMs / 1000)} s`));
      }
    }, 1000);
  });
  // The race in loadRuntime handles the rejection; this keeps a rejection
  // after the race has settled from being reported as unhandled.
  stalled.catch(() => {});
  return { stalled, stop: () => clearInterval(timer) };
}
