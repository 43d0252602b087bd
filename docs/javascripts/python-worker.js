/*
 * The Python worker: loads Pyodide and the neuron_descent wheel, then runs
 * calls to neuron_descent.web_api off the main thread. runtime.js starts it
 * as a module worker, once per visit. It starts loading as soon as it runs,
 * without waiting for a message, and finds the site's root as the folder
 * above its own (<site root>/javascripts/).
 *
 * Messages in
 *   {id, name, request}        call web_api.<name>(request), request being a JSON string
 *   {type: "memory", id}       report the size of Pyodide's WebAssembly memory
 * Messages out
 *   {type: "status", stage, message, fraction, restored}   restored: Python came from a snapshot
 *   {type: "failed", message, detail}   loading failed or the runtime stopped
 *   {type: "result", id, result}        result is the parsed JSON that web_api returned,
 *                                       or {wasmBytes} for a "memory" message
 *   {type: "error", id, message}        the call could not be made
 */

import { trackRuntimeDownloads, watchForStall } from "./python-downloads.js";
import { findSnapshot, restartWithoutSnapshot, startPython, storeSnapshotLater } from "./python-snapshot.js";
import { WebAssemblyBlockedError, checkWebAssemblyAllowed } from "./webassembly-check.js";

const MANIFEST_PATH = "assets/runtime-manifest.json";

// Progress fraction reported when the package is being installed.
const INSTALLING_FRACTION = 0.9;

const FAILURE_MESSAGES = {
  downloading: "The Python runtime could not be downloaded; check your connection and retry.",
  starting: "Python failed to start in this browser; retry to start it again.",
  installing: "The chapter's Python package could not be installed; check your connection and retry.",
  stopped: "The Python runtime stopped after an internal error; retry to start it again.",
  webAssemblyBlocked:
    "This site's Content-Security-Policy blocks WebAssembly, so Python cannot run " +
    "until the site's host allows 'wasm-unsafe-eval'.",
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
let dispatch = null;
let PythonError = null;
let loading = null;
// Pyodide's Emscripten module, read only for the size of its WebAssembly memory.
let pyodideModule = null;

function reportStatus(nextStage, message, fraction, restored = false) {
  stage = nextStage;
  self.postMessage({ type: "status", stage: nextStage, message, fraction, restored });
}

async function fetchManifest(siteRoot) {
  const manifestURL = new URL(MANIFEST_PATH, siteRoot);
  const response = await fetch(manifestURL, { cache: "no-cache" });
  if (!response.ok) {
    throw new Error(`fetching ${manifestURL} failed with HTTP status ${response.status}`);
  }
  return response.json();
}

function createDispatch(pyodide, moduleName) {
  const dictType = pyodide.globals.get("dict");
  const namespace = dictType();
  dictType.destroy();
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

// Fetch the package's wheel. The worker unpacks it itself, because pyodide.loadPackage
// first sets up Pyodide's package manager. Installing took 110 to 160 ms that way, against
// about 10 ms unpacked here (Chromium 156 on a 2-core machine).
async function fetchWheel(wheelURL) {
  const response = await fetch(wheelURL);
  if (!response.ok) {
    throw new Error(`fetching ${wheelURL} failed with HTTP status ${response.status}`);
  }
  return response.arrayBuffer();
}

// A snapshot of the runtime (python-snapshot.js) is used only with the Pyodide version and
// the wheel it was taken with. The wheel's path contains a digest of the package's sources.
function snapshotVersion(manifest) {
  return `${manifest.pyodide.version} ${manifest.wheel}`;
}

// Resolves to {pyodide, restored, restart(error)}. restored is whether Python came from a
// stored snapshot, and restart(error) starts it afresh when that restored runtime fails.
async function downloadAndStartPython(siteRoot, manifest) {
  const indexURL = new URL(manifest.pyodide.index, siteRoot).href;
  const snapshot = findSnapshot(snapshotVersion(manifest));
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const started = await startPython(loadPyodide, indexURL, await snapshot);
  return { ...started, restart: (error) => restartWithoutSnapshot(loadPyodide, indexURL, error) };
}

function installPackage(pyodide, wheelBytes, moduleName) {
  pyodide.unpackArchive(wheelBytes, "wheel");
  return createDispatch(pyodide, moduleName);
}

async function loadRuntime(siteRoot) {
  let restoreFetch = () => {};
  const stallWatch = watchForStall(() => stage === "downloading");
  try {
    // The manifest downloads while the WebAssembly check runs.
    const manifestLoad = fetchManifest(siteRoot);
    manifestLoad.catch(() => {});
    await checkWebAssemblyAllowed();
    // The main thread has already reported the "downloading" stage.
    const manifest = await Promise.race([manifestLoad, stallWatch.stalled]);
    // The wheel downloads while Pyodide starts. A failed download is reported
    // when the wheel is installed, in the "installing" stage.
    const wheel = fetchWheel(new URL(manifest.wheel, siteRoot).href);
    wheel.catch(() => {});
    restoreFetch = trackRuntimeDownloads(manifest, siteRoot, { stage: () => stage, reportStatus });
    let started = await Promise.race([downloadAndStartPython(siteRoot, manifest), stallWatch.stalled]);
    stallWatch.stop();

    reportStatus("installing", "Installing the chapter's Python package.", INSTALLING_FRACTION);
    const wheelBytes = await wheel;
    try {
      dispatch = installPackage(started.pyodide, wheelBytes, manifest.module);
    } catch (error) {
      if (!started.restored) {
        throw error;
      }
      started = await started.restart(error);
      dispatch = installPackage(started.pyodide, wheelBytes, manifest.module);
    }
    const { pyodide } = started;
    if (!started.restored) {
      storeSnapshotLater(pyodide, snapshotVersion(manifest));
    }

    PythonError = pyodide.ffi.PythonError;
    // NOTE: _module is Pyodide's internal Emscripten module (checked with Pyodide
    // 314.0.8), the only place that exposes the WebAssembly memory.
    pyodideModule = pyodide._module;
    reportStatus("ready", "Python is ready.", 1, started.restored);
  } catch (error) {
    const message = error instanceof WebAssemblyBlockedError
      ? FAILURE_MESSAGES.webAssemblyBlocked
      : FAILURE_MESSAGES[stage] ?? FAILURE_MESSAGES.downloading;
    self.postMessage({
      type: "failed",
      message,
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

async function reportMemory(id) {
  try {
    await loading;
  } catch {
    self.postMessage({ type: "error", id, message: "The Python runtime failed to load." });
    return;
  }
  self.postMessage({ type: "result", id, result: { wasmBytes: pyodideModule.HEAP8.length } });
}

self.addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === "memory") {
    reportMemory(message.id);
    return;
  }
  runCall(message);
});

loading = loadRuntime(new URL("../", self.location.href).href);
// The failure has been posted to the main thread; calls see it through runCall.
loading.catch(() => {});
