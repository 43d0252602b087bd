/*
 * The Python worker: loads Pyodide and the neuron_descent wheel, then runs
 * calls to neuron_descent.web_api off the main thread. runtime.js starts it
 * as a module worker, once per visit.
 *
 * Messages in
 *   {type: "load", siteRoot}   first and once; siteRoot is the site's absolute root URL
 *   {id, name, request}        call web_api.<name>(request), request being a JSON string
 * Messages out
 *   {type: "status", stage, message, fraction}
 *   {type: "failed", message, detail}   loading failed or the runtime stopped
 *   {type: "result", id, result}        result is the parsed JSON that web_api returned
 *   {type: "error", id, message}        the call could not be made
 */

const MANIFEST_PATH = "assets/runtime-manifest.json";

// Progress fraction reached at the start of each stage after downloading.
// Downloading fills 0 to STARTING_FRACTION in proportion to the bytes received.
const STARTING_FRACTION = 0.8;
const INSTALLING_FRACTION = 0.9;

// Report download progress only when it has grown by at least this fraction,
// so a fast download does not flood the main thread with messages.
const PROGRESS_STEP = 0.01;

// Give up on the download when no byte has arrived for this long, so a
// stalled connection ends in a failure the reader can retry instead of a
// progress bar that never moves.
const STALL_TIMEOUT_MS = 30_000;

const FAILURE_MESSAGES = {
  downloading: "The Python runtime could not be downloaded; check your connection and retry.",
  starting: "Python failed to start in this browser; retry to start it again.",
  installing: "The chapter's Python package could not be installed; check your connection and retry.",
  stopped: "The Python runtime stopped after an internal error; retry to start it again.",
};

// Python source of the one function the worker calls. It accepts only the
// public functions defined in the web_api module itself, and returns the str
// they return, so no Python object crosses into JavaScript.
const DISPATCH_SOURCE = `
import importlib
import inspect

def make_dispatch(module_name):
    module = importlib.import_module(module_name)

    def dispatch(name, request):
        function = getattr(module, name, None)
        if (
            name.startswith("_")
            or not inspect.isfunction(function)
            or function.__module__ != module.__name__
        ):
            raise LookupError(f"{module_name} has no public function named {name!r}")
        result = function(request)
        if not isinstance(result, str):
            raise TypeError(f"{module_name}.{name} returned {type(result).__name__}, expected a JSON str")
        return result

    return dispatch
`;

let stage = "downloading";
let lastProgressTime = performance.now();
let dispatch = null;
let PythonError = null;
let loading = null;

function reportStatus(nextStage, message, fraction) {
  stage = nextStage;
  self.postMessage({ type: "status", stage: nextStage, message, fraction });
}

function formatMegabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

async function fetchManifest(siteRoot) {
  const manifestURL = new URL(MANIFEST_PATH, siteRoot);
  const response = await fetch(manifestURL, { cache: "no-cache" });
  if (!response.ok) {
    throw new Error(`fetching ${manifestURL} failed with HTTP status ${response.status}`);
  }
  return response.json();
}

// Wrap the worker's fetch so that the bytes of Pyodide's runtime files are
// counted as they arrive, and report them as download progress. Pyodide looks
// up the global fetch each time it downloads, so the wrapper counts every file.
// Returns a function that restores the original fetch.
function trackRuntimeDownloads(manifest, siteRoot) {
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
    if (stage !== "downloading") {
      return;
    }
    if (receivedBytes >= totalBytes) {
      reportStatus("starting", "Starting Python.", STARTING_FRACTION);
      return;
    }
    const fraction = STARTING_FRACTION * (receivedBytes / totalBytes);
    if (fraction - reportedFraction >= PROGRESS_STEP) {
      reportedFraction = fraction;
      const message =
        `Downloading the Python runtime: ${formatMegabytes(receivedBytes)} ` +
        `of ${formatMegabytes(totalBytes)} MB.`;
      reportStatus("downloading", message, fraction);
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

function createDispatch(pyodide, moduleName) {
  const namespace = pyodide.globals.get("dict")();
  try {
    pyodide.runPython(DISPATCH_SOURCE, { globals: namespace });
    const makeDispatch = namespace.get("make_dispatch");
    try {
      return makeDispatch(moduleName);
    } finally {
      makeDispatch.destroy();
    }
  } finally {
    namespace.destroy();
  }
}

// Return a promise that rejects when the download stage has received no
// byte for STALL_TIMEOUT_MS, and a function that stops watching.
function watchForStall() {
  let timer;
  const stalled = new Promise((_, reject) => {
    timer = setInterval(() => {
      const idleMs = performance.now() - lastProgressTime;
      if (stage === "downloading" && idleMs > STALL_TIMEOUT_MS) {
        reject(new Error(`no data arrived for ${Math.round(idleMs / 1000)} s`));
      }
    }, 1000);
  });
  // The race in loadRuntime handles the rejection; this keeps a rejection
  // after the race has settled from being reported as unhandled.
  stalled.catch(() => {});
  return { stalled, stop: () => clearInterval(timer) };
}

async function downloadAndStartPython(siteRoot, manifest) {
  const indexURL = new URL(manifest.pyodide.index, siteRoot).href;
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  return loadPyodide({ indexURL });
}

async function loadRuntime(siteRoot) {
  let restoreFetch = () => {};
  const stallWatch = watchForStall();
  try {
    // The main thread has already reported the "downloading" stage.
    const manifest = await Promise.race([fetchManifest(siteRoot), stallWatch.stalled]);
    const wheelURL = new URL(manifest.wheel, siteRoot).href;
    restoreFetch = trackRuntimeDownloads(manifest, siteRoot);
    const pyodide = await Promise.race([downloadAndStartPython(siteRoot, manifest), stallWatch.stalled]);
    stallWatch.stop();

    reportStatus("installing", "Installing the chapter's Python package.", INSTALLING_FRACTION);
    const installErrors = [];
    await pyodide.loadPackage(wheelURL, {
      messageCallback: () => {},
      errorCallback: (message) => installErrors.push(message),
    });
    try {
      dispatch = createDispatch(pyodide, manifest.module);
    } catch (error) {
      // loadPackage reports a failed download through errorCallback and
      // resolves, so the import is where that failure surfaces.
      throw new Error([...installErrors, String(error)].join(" "));
    }

    PythonError = pyodide.ffi.PythonError;
    reportStatus("ready", "Python is ready.", 1);
  } catch (error) {
    self.postMessage({
      type: "failed",
      message: FAILURE_MESSAGES[stage] ?? FAILURE_MESSAGES.downloading,
      detail: String(error && error.message ? error.message : error),
    });
    throw error;
  } finally {
    stallWatch.stop();
    restoreFetch();
  }
}

// The last line of a Python traceback, which names the exception and its message.
function lastLine(text) {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1];
}

async function runCall({ id, name, request }) {
  try {
    await loading;
  } catch {
    self.postMessage({ type: "error", id, message: "The Python runtime failed to load." });
    return;
  }

  let resultJSON;
  try {
    resultJSON = dispatch(name, request);
  } catch (error) {
    if (error instanceof PythonError) {
      self.postMessage({ type: "error", id, message: `${name} failed: ${lastLine(error.message)}` });
      return;
    }
    // Any other error comes from the runtime itself (for example running out
    // of WebAssembly memory), after which Pyodide cannot be trusted.
    self.postMessage({ type: "failed", message: FAILURE_MESSAGES.stopped, detail: String(error) });
    return;
  }

  let result;
  try {
    result = JSON.parse(resultJSON);
  } catch (error) {
    self.postMessage({ type: "error", id, message: `${name} returned invalid JSON: ${error.message}` });
    return;
  }
  self.postMessage({ type: "result", id, result });
}

self.addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === "load") {
    if (!loading) {
      loading = loadRuntime(message.siteRoot);
      // The failure has been posted to the main thread; calls see it through runCall.
      loading.catch(() => {});
    }
    return;
  }
  runCall(message);
});
