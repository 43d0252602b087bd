/*
 * The chapter's Python runtime, shared by every widget for the whole visit.
 *
 * Material's instant navigation swaps page content without running this
 * classic script again, so one Web Worker (python-worker.js) serves every
 * page of a visit. The worker loads Pyodide and the neuron_descent wheel and
 * runs calls to neuron_descent.web_api. Nothing is downloaded until a page
 * with a widget placeholder ([data-widget]) loads or a page first uses
 * window.NeuronDescent, so pages without widgets stay light.
 *
 * window.NeuronDescent
 *   call(name, request)  Promise of the parsed JSON that web_api.<name> returns
 *                        for JSON.stringify(request); rejects with an Error when
 *                        the runtime failed or name is not a web_api function.
 *   ready                Promise that resolves when Python is ready. It never
 *                        rejects: a failure is a status, and a later retry()
 *                        that succeeds resolves it.
 *   onStatus(callback)   Calls callback(status) now and on
 *                        every change, and returns a function that unsubscribes.
 *   status               The current {stage, message, fraction, restored}.
 *   retry()              After a failure, starts again with a fresh worker.
 *   memory()             Promise of {wasmBytes}, the size of Pyodide's
 *                        WebAssembly memory once Python is ready, for
 *                        benchmarks and memory checks.
 *
 * Stages: "idle", "downloading", "starting", "installing", "ready", "failed".
 * Once ready, the status also has restored: true when Python was restored
 * from the snapshot this browser stored on an earlier visit.
 * fraction runs from 0 to 1 over the whole load, by downloaded bytes while
 * downloading, then in fixed steps. message is one sentence for the reader.
 */
(() => {
  "use strict";

  if (window.NeuronDescent) {
    return;
  }

  // The worker sits beside this script, in <site root>/javascripts/, under any
  // sub-path and with or without directory URLs. Its path starts with "./" so
  // that the build's content hashing (build_scripts/asset_hashing.py) finds it
  // and rewrites it to the hashed copy.
  const startScript = document.currentScript;
  const workerURL = new URL("./python-worker.js", startScript.src);

  const SERVE_COMMAND = "bash build_scripts/serve.sh";
  // For a reader who has only the built site: Python's own static server, on port 8000.
  const STATIC_SERVE_COMMAND = "python3 -m http.server --bind 127.0.0.1";
  const MESSAGES = {
    idle: "The Python runtime has not started.",
    fileURL:
      `This page was opened as a file, and its widgets need it served over HTTP: ` +
      `run \`${SERVE_COMMAND}\` in the repository, or \`${STATIC_SERVE_COMMAND}\` ` +
      `in the built site's folder, and open http://127.0.0.1:8000/.`,
    unsupported:
      "This browser lacks Web Workers or WebAssembly, so the widgets cannot run; " +
      "open the page in a current browser.",
    workerFailed: "The Python worker could not be started; check your connection and retry.",
    workerStopped: "The Python runtime stopped after an internal error; retry to start it again.",
  };

  let status = Object.freeze({ stage: "idle", message: MESSAGES.idle, fraction: 0 });
  const statusListeners = new Set();

  let worker = null;
  let nextCallId = 1;
  const pendingCalls = new Map();

  let resolveReady;
  const ready = new Promise((resolve) => {
    resolveReady = resolve;
  });

  function setStatus(stage, message, fraction, restored = false) {
    status = Object.freeze({ stage, message, fraction, restored });
    for (const listener of statusListeners) {
      try {
        listener(status);
      } catch (error) {
        console.error("A NeuronDescent status listener failed:", error);
      }
    }
  }

  // Stop the worker, reject every call in flight and report the failure.
  // detail is the underlying error, written to the console for maintainers.
  function fail(message, detail) {
    if (detail) {
      console.warn(`NeuronDescent: ${message} Cause: ${detail}`);
    }
    if (worker) {
      worker.terminate();
      worker = null;
    }
    for (const pending of pendingCalls.values()) {
      pending.reject(new Error(message));
    }
    pendingCalls.clear();
    setStatus("failed", message, status.fraction);
  }

  function handleWorkerMessage(event) {
    const message = event.data;
    switch (message.type) {
      case "status":
        setStatus(message.stage, message.message, message.fraction, message.restored === true);
        if (message.stage === "ready") {
          resolveReady();
        }
        break;
      case "failed":
        fail(message.message, message.detail);
        break;
      case "result":
      case "error": {
        const pending = pendingCalls.get(message.id);
        if (!pending) {
          break;
        }
        pendingCalls.delete(message.id);
        if (message.type === "result") {
          pending.resolve(message.result);
        } else {
          pending.reject(new Error(message.message));
        }
        break;
      }
      default:
        console.warn("NeuronDescent: ignored a worker message of unknown type", message.type);
    }
  }

  // Create the worker unless one is running or the last attempt failed.
  function start() {
    if (worker || status.stage === "failed") {
      return;
    }
    if (location.protocol === "file:") {
      fail(MESSAGES.fileURL);
      return;
    }
    if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
      fail(MESSAGES.unsupported);
      return;
    }

    setStatus("downloading", "Downloading the Python runtime.", 0);
    try {
      worker = new Worker(workerURL, { type: "module", name: "neuron-descent-python" });
    } catch (error) {
      fail(MESSAGES.workerFailed, String(error));
      return;
    }
    worker.addEventListener("message", handleWorkerMessage);
    worker.addEventListener("error", (event) => {
      // An error event reaches here when the worker script cannot be fetched
      // or parsed, or when the worker throws outside a handled call.
      event.preventDefault();
      const detail = event.message || `loading ${workerURL.href} failed`;
      fail(status.stage === "ready" ? MESSAGES.workerStopped : MESSAGES.workerFailed, detail);
    });
  }

  function call(name, request) {
    start();
    if (status.stage === "failed") {
      return Promise.reject(new Error(status.message));
    }

    let requestJSON;
    try {
      requestJSON = JSON.stringify(request ?? {});
    } catch (error) {
      return Promise.reject(new TypeError(`The request for ${name} cannot be sent as JSON: ${error.message}`));
    }

    return send({ name, request: requestJSON });
  }

  // Post message to the worker with a new id, and return a promise of the
  // worker's "result" for that id.
  function send(message) {
    const id = nextCallId;
    nextCallId += 1;
    return new Promise((resolve, reject) => {
      pendingCalls.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  async function memory() {
    await ready;
    if (status.stage === "failed") {
      throw new Error(status.message);
    }
    return send({ type: "memory" });
  }

  function onStatus(callback) {
    if (typeof callback !== "function") {
      throw new TypeError("NeuronDescent.onStatus expects a function.");
    }
    start();
    statusListeners.add(callback);
    callback(status);
    return () => statusListeners.delete(callback);
  }

  function retry() {
    if (status.stage === "failed") {
      setStatus("idle", MESSAGES.idle, 0);
    }
    start();
    return ready;
  }

  // A page with a widget needs Python, so its download starts now instead of when the
  // widgets' modules have loaded and mounted. Such a page loads this script first from
  // its <head>, marked data-start-python, before its widgets are parsed. Other pages
  // start Python on first use.
  if (startScript?.hasAttribute("data-start-python") || document.querySelector("[data-widget]")) {
    start();
  }

  window.NeuronDescent = Object.freeze({
    call,
    onStatus,
    retry,
    memory,
    get ready() {
      start();
      return ready;
    },
    get status() {
      return status;
    },
  });
})();
