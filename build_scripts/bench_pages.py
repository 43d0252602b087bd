"""The JavaScript that build_scripts/bench.py runs in Chromium, and its baseline page.

The baseline page does the least any page running Pyodide must do: start a
module worker that imports pyodide.mjs from the site's own Pyodide folder,
calls loadPyodide and runs one line of Python. The time from navigation to
the worker's message is the boot time the chapter is compared with.
"""

from __future__ import annotations

BASELINE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pyodide baseline</title></head>
<body><p>Starting Pyodide.</p>
<script type="module">
const worker = new Worker(new URL("./baseline-worker.js", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => {
  window.__baseline = { bootMs: performance.now(), result: event.data };
  document.querySelector("p").textContent = `Pyodide ran 1 + 1 = ${event.data}.`;
});
worker.postMessage(new URL("PYODIDE_INDEX", document.baseURI).href);
</script></body></html>
"""

BASELINE_WORKER = """
self.addEventListener("message", async (event) => {
  const indexURL = event.data;
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({ indexURL });
  self.postMessage(pyodide.runPython("1 + 1"));
});
"""

# Added to every page before its own scripts run. It records long tasks from the
# start (the observer is buffered), the scripts that ran in each long animation
# frame, and when each element with an elementtiming attribute was first painted. It also records when each stage of the Python
# worker's start-up was reported, by listening to every Worker the page creates,
# and the moment the descent widget's data-ready attribute first becomes "true".
INSTRUMENTATION = """
(() => {
  const bench = { longTasks: [], frameScripts: [], elementPaints: [], readyAt: null, workerStages: [] };
  window.__bench = bench;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      bench.workerStages.push(["created", performance.now()]);
      this.addEventListener("message", (event) => {
        const message = event.data;
        const last = bench.workerStages[bench.workerStages.length - 1];
        if (message?.type === "status" && last[0] !== message.stage) {
          bench.workerStages.push([message.stage, performance.now()]);
        }
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push([entry.startTime, entry.duration]);
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    bench.longTaskError = String(error);
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      bench.elementPaints.push([entry.identifier, entry.renderTime || entry.loadTime]);
    }
  }).observe({ type: "element", buffered: true });
  // Each script that ran in a long animation frame: [start, duration, source address].
  // The duration includes the style and layout work the script forced.
  new PerformanceObserver((list) => {
    for (const frame of list.getEntries()) {
      for (const script of frame.scripts) {
        bench.frameScripts.push([script.startTime, script.duration, script.sourceURL]);
      }
    }
  }).observe({ type: "long-animation-frame", buffered: true });
  const observer = new MutationObserver(() => {
    const widget = document.querySelector('[data-widget="descent"]');
    if (widget && widget.dataset.ready === "true" && bench.readyAt === null) {
      bench.readyAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
})();
"""

# Clicks `buttonSelector` inside the widget `count` times, one after another, and
# returns for each click [ms until the widget's data-busy attribute returns to
# "false", ms until the frame after that has been rendered]. The second time is taken
# in a task queued from that frame's animation-frame callback, so it runs after the
# frame's style, layout and paint. Each click follows an animation frame.
TIME_CLICKS = """
async ([widgetSelector, buttonSelector, count, timeoutMs]) => {
  const widget = document.querySelector(widgetSelector);
  const button = widget.querySelector(buttonSelector);
  if (!button) {
    throw new Error(`No ${buttonSelector} in ${widgetSelector}.`);
  }
  const durations = [];
  for (let index = 0; index < count; index += 1) {
    const idle = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${buttonSelector} did not finish within ${timeoutMs} ms.`)), timeoutMs);
      const observer = new MutationObserver(() => {
        if (widget.dataset.busy === "false") {
          observer.disconnect();
          clearTimeout(timer);
          resolve();
        }
      });
      observer.observe(widget, { attributes: true, attributeFilter: ["data-busy"] });
    });
    const start = performance.now();
    button.click();
    await idle;
    const idleAt = performance.now();
    await new Promise((resolve) => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(null);
    }));
    durations.push([idleAt - start, performance.now() - start]);
  }
  return durations;
}
"""

WAIT_UNTIL_IDLE = """
([widgetSelector]) => document.querySelector(widgetSelector)?.dataset.busy === "false"
"""

PAGE_TIMINGS = """
() => ({
  firstContentfulPaint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  mapVisible: performance.getEntriesByName("nd:loss-map-visible").map((entry) => [entry.detail, entry.startTime]),
  elementPaints: window.__bench.elementPaints,
  readyAt: window.__bench.readyAt,
  workerStages: window.__bench.workerStages,
  longTasks: window.__bench.longTasks,
  frameScripts: window.__bench.frameScripts,
  now: performance.now(),
})
"""

# Resolves to {version, bytes} of the snapshot of the Python runtime that the
# worker stored in IndexedDB (docs/javascripts/python-snapshot.js), or null.
READ_SNAPSHOT_RECORD = """
() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("neuron-descent");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const database = opening.result;
    if (!database.objectStoreNames.contains("python-snapshots")) {
      database.close();
      resolve(null);
      return;
    }
    const reading = database.transaction("python-snapshots").objectStore("python-snapshots").get("runtime");
    reading.onsuccess = () => {
      database.close();
      const record = reading.result;
      resolve(record ? { version: record.version, bytes: record.data.byteLength } : null);
    };
  };
})
"""
