// The descent widget: gradient descent on L(w, b) step by step, drawn on the loss map
// with fit and loss panels. Every number comes from the Python package; this module
// forwards the reader's input to it and draws what comes back.

import { buildLayout } from './layout.js';
import { createSession } from './session.js';
import { createLossMap } from './map.js';
import { drawPrecomputedMap, markMapVisible } from './precomputed-map.js';
import { createFitPanel } from './fit-panel.js';
import { createLossPanel } from './loss-panel.js';
import { createControls } from './controls.js';
import { LEARNING_RATE_RULE, MOMENTUM_RULE } from '../common/parameter-rules.js';
import { createReadouts } from './readouts.js';
import { createRunButton } from './run-button.js';
import {
  beginSegment, loadSavedRun, MAX_SAVED_SEGMENTS, recordSteps, saveRun,
} from './saved-run.js';
import { createLoadingPanel } from '../common/loading-panel.js';
import { findRuntime, waitUntilReady } from '../common/runtime-client.js';
import { createTaskQueue } from '../common/task-queue.js';
import { checkRange } from '../common/number-rules.js';
import { loadDatasetList } from '../common/datasets.js';
import { watchColorScheme } from '../common/theme.js';
import { observeWidth } from '../common/width-observer.js';
import { isFinitePoint } from '../common/finite.js';

const DEFAULTS = { dataset: 'two-point', learningRate: 0.1, momentum: 0 };

/** The maximum number of steps the package takes in one call (MAX_STEPS_PER_CALL in checks.py). */
const MAX_STEPS_PER_CALL = 10000;

/** Throws an Error with the rule's message unless `value` is inside `rule`'s range. */
function requireInRange(value, rule) {
  const result = checkRange(value, rule);
  if (!result.ok) {
    throw new Error(result.error);
  }
  return result.value;
}

/**
 * Mounts the descent widget on `element`. `options` may set the initial `dataset`,
 * `learningRate` and `momentum`. Sets `element.ndDescent` (see the returned handle's
 * methods) and `element.dataset.ready = "true"` once the widget accepts input.
 * Returns `{dispose()}`, which stops its observers and releases its run.
 */
export function mountDescent(element, options = {}) {
  const settings = { ...DEFAULTS, ...options, start: null, activation: undefined };
  const parts = buildLayout(element);
  const loading = createLoadingPanel(parts.loading);
  const queue = createTaskQueue(element, showError);
  const stops = [];
  let session = null;
  let disposed = false;
  let description = null;
  let views = null;
  let datasetList = [];
  let runButton = null;
  // The run's segments in order, each `{learningRate, momentum, steps}`: the η and μ set
  // at the start or at a change of them, and the steps taken with them. A saved run is
  // replayed from them (see saved-run.js).
  let segments = [];
  element.dataset.ready = 'false';

  // Queues an action that steps or starts a new run, ending a run of the Run button first.
  function act(task, key) {
    runButton?.stop();
    return queue(task, key);
  }

  // The map shows at once, first drawn from the file precomputed at build time, while
  // widgets.css hides the parts that need Python until data-ready is "true". A click on
  // the map before then is ignored, because there is no run to start yet. The picture that
  // the page showed in the map's place before any script ran stays until the map is drawn
  // (or cannot be), and widgets.css keeps the live parts out of sight until then.
  const map = createLossMap(parts.map, {
    onPick: (point) => {
      if (element.dataset.ready !== 'true') {
        return false;
      }
      act(() => startRun(point), 'start');
      return true;
    },
  });
  parts.live.hidden = false;

  // Only a change of width redraws, because the height changes whenever a readout or
  // message wraps and a redraw would recompute the contours. The map follows the width
  // from the start, before Python is ready.
  let resizeFrame = 0;
  const stopObservingWidth = observeWidth(parts.live, () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(resizeAll);
  });
  stops.push(stopObservingWidth, watchColorScheme(resizeAll));

  // The precomputed description whose map is drawn, until the live one replaces it.
  let precomputed = null;
  const picture = parts.placeholder.querySelector('.nd-widget__preview img');
  drawPrecomputedMap(map, element.dataset.lossMap, (decoded) => {
    if (description !== null || decoded.dataset.name !== settings.dataset) {
      return false;
    }
    precomputed = decoded;
    return true;
  }, picture).then(() => parts.placeholder.remove());

  function showError(error) {
    parts.error.textContent = error?.message ?? String(error);
  }

  function redraw() {
    const { trail, losses, state } = session.view();
    const onMap = views.map.drawRun({
      trail,
      start: settings.start,
      current: state.theta,
      gradient: state.gradient,
      converged: state.status.code === 'converged',
    });
    views.fit.draw(state.fit);
    views.loss.draw(losses, state.status);
    views.readouts.show(state, onMap);
    parts.error.textContent = '';
    parts.note.textContent = '';
    recordSteps(segments, state.k);
    saveRun(element, { dataset: settings.dataset, start: settings.start, segments });
  }

  async function startRun(start) {
    settings.start = start;
    segments = [{ learningRate: settings.learningRate, momentum: settings.momentum, steps: 0 }];
    await session.start(settings);
    redraw();
    // Tells listeners such as the sweep widget the data set and start point of each new run.
    const detail = { dataset: settings.dataset, start: structuredClone(start) };
    element.dispatchEvent(new CustomEvent('nd-descent-start', { bubbles: true, detail }));
  }

  // Takes `count` steps in calls of at most MAX_STEPS_PER_CALL steps each.
  async function stepInBatches(count) {
    for (let left = count; left > 0; left -= MAX_STEPS_PER_CALL) {
      await session.step(Math.min(left, MAX_STEPS_PER_CALL));
    }
  }

  // Rebuilds the run saved on an earlier visit to this page in this tab, if any, by
  // replaying its segments: the first from the start, and each later one after setting
  // its η and μ, as the reader did.
  async function restoreSavedRun() {
    const saved = loadSavedRun(element, datasetList);
    if (saved === null) {
      return false;
    }

    const [first, ...later] = saved.segments;
    const settingsBefore = { ...settings };
    try {
      await configure({
        dataset: saved.dataset, learningRate: first.learningRate, momentum: first.momentum, start: saved.start,
      });
      // A stored start that no click or button could give, outside the region a run may
      // explore, leaves a run that diverged before its first step.
      if (session.view().state.status.code === 'diverged') {
        throw new Error(`the saved start point (${saved.start.join(', ')}) lies outside the region a run may explore`);
      }
      await stepInBatches(first.steps);
      for (const segment of later) {
        await session.setHyperparameters(segment.learningRate, segment.momentum);
        await stepInBatches(segment.steps);
      }
    } catch (error) {
      // A saved run that the package rejects is dropped, and the widget starts afresh
      // from the settings it had before.
      console.warn('NeuronDescent: could not restore the saved run', error);
      Object.assign(settings, settingsBefore);
      return false;
    }

    const latest = saved.segments.at(-1);
    settings.learningRate = latest.learningRate;
    settings.momentum = latest.momentum;
    views.controls.setValues(settings);
    segments = structuredClone(saved.segments);
    redraw();

    if (saved.restarted) {
      parts.note.textContent = `η or μ changed more than ${MAX_SAVED_SEGMENTS} times in this run, `
        + 'too many to store, so the run starts again from its start point.';
    }
    return true;
  }

  // Checks the data set and a named start point before anything changes, so that a
  // misspelt "Try this" button leaves the widget as it was.
  function requireKnownStart(dataset, start) {
    const listed = datasetList.find((entry) => entry.name === dataset);
    if (!listed) {
      const names = datasetList.map((entry) => entry.name).join(', ');
      throw new Error(`There is no data set named “${dataset}”; the data sets are ${names}.`);
    }
    if (typeof start === 'string' && !listed.starts.includes(start)) {
      throw new Error(`The data set ${dataset} has no start point named “${start}”; `
        + `its start points are ${listed.starts.join(', ')}.`);
    }
  }

  // configure has checked a named start with requireKnownStart before calling this.
  function resolveStart(start) {
    if (typeof start === 'string') {
      return description.dataset.starts[start];
    }
    if (isFinitePoint(start)) {
      return start;
    }
    return description.dataset.starts[description.dataset.default_start];
  }

  async function loadDataset(name) {
    // While the precomputed map of this data set is drawn, the widget starts without the
    // package's grid and replaces the map with the live one once it is interactive.
    const canDefer = precomputed?.dataset.name === name;
    let described = await session.describe(name, !canDefer);
    const deferGrid = canDefer && described.activation === precomputed.activation;
    if (canDefer && !deferGrid) {
      described = await session.describe(name);
    }
    description = deferGrid ? { ...described, grid: precomputed.grid } : described;
    settings.dataset = name;
    settings.activation = description.activation;
    if (deferGrid) {
      queue(loadLiveGrid, 'live-grid');
    } else {
      precomputed = null;
      views.map.setDescription(description).then(() => markMapVisible('live'));
    }
    views.fit.setData(description.dataset.x, description.dataset.y);
  }

  async function loadLiveGrid() {
    if (disposed) {
      return;
    }
    const live = await session.describe(settings.dataset);
    if (disposed || precomputed === null || live.dataset.name !== description.dataset.name
      || live.activation !== description.activation) {
      return;
    }
    precomputed = null;
    description = live;
    views.map.setDescription(live).then(() => markMapVisible('live'));
  }

  async function configure(request) {
    const learningRate = request.learningRate ?? settings.learningRate;
    const momentum = request.momentum ?? settings.momentum;
    requireInRange(learningRate, LEARNING_RATE_RULE);
    requireInRange(momentum, MOMENTUM_RULE);
    const dataset = request.dataset ?? settings.dataset;
    requireKnownStart(dataset, request.start);
    if (dataset !== settings.dataset || !description) {
      await loadDataset(dataset);
    }
    settings.learningRate = learningRate;
    settings.momentum = momentum;
    views.controls.setValues(settings);
    const keepStart = request.start === undefined && settings.start && dataset === description.dataset.name;
    await startRun(keepStart ? settings.start : resolveStart(request.start));
  }

  // η and μ are stored at once and sent in a keyed task, so a moving slider sends only
  // its latest value and a change of one never drops a queued change of the other.
  function changeHyperparameters(change) {
    Object.assign(settings, change);
    return queue(async () => {
      await session.setHyperparameters(settings.learningRate, settings.momentum);
      beginSegment(segments, settings.learningRate, settings.momentum, session.view().state.k);
      redraw();
    }, 'hyperparameters');
  }

  function createViews(datasets) {
    const controls = createControls(parts.controls, {
      datasets,
      dataset: settings.dataset,
      learningRate: settings.learningRate,
      momentum: settings.momentum,
      onDataset: (name) => act(() => configure({ dataset: name, start: null })),
      onLearningRate: (value) => changeHyperparameters({ learningRate: value }),
      onMomentum: (value) => changeHyperparameters({ momentum: value }),
      onContours: (flag) => views.map.setContoursVisible(flag),
    });
    views = {
      controls,
      map,
      fit: createFitPanel(parts.fit),
      loss: createLossPanel(parts.loss),
      readouts: createReadouts(parts.readouts),
    };
    parts.buttons.stepOne.addEventListener('click', () => act(() => session.step(1).then(redraw)));
    parts.buttons.stepFifty.addEventListener('click', () => act(() => session.step(50).then(redraw)));
    parts.buttons.reset.addEventListener('click', () => act(() => startRun(settings.start)));
    runButton = createRunButton(parts.buttons.run, element, {
      queue,
      note: parts.note,
      statusCode: () => session.view().state.status.code,
      async stepBatch(count) {
        await session.step(count, true);
        redraw();
        return session.view().state.status.code;
      },
    });
  }

  function resizeAll() {
    if (!element.isConnected) {
      return;
    }
    map.resize();
    if (!views) {
      return;
    }
    views.fit.resize();
    views.loss.resize();
  }

  async function start() {
    const runtime = await findRuntime();
    await waitUntilReady(runtime, element, loading);
    // A widget disposed of while Python was loading (the reader left the page) starts no run.
    if (disposed) {
      return;
    }
    session = createSession(runtime);
    datasetList = await loadDatasetList(runtime);
    createViews(datasetList);
    if (!await restoreSavedRun()) {
      await configure({ dataset: settings.dataset });
    }
    if (disposed) {
      await session.release();
      return;
    }
    loading.remove();
    parts.placeholder.remove();
    element.dataset.ready = 'true';
  }

  const ready = queue(start).then(() => {
    if (element.dataset.ready !== 'true' && element.isConnected) {
      loading.showFailure(parts.error.textContent || 'The widget could not start. Reload the page to try again.')
        .then(() => window.location.reload());
    }
  });

  element.ndDescent = {
    /** Resolves once the widget is interactive (or failed to start). */
    ready,
    /**
     * Sets the data set, η, μ and start point (a name from the data set's `starts`, a
     * [w, b] pair, or null for the default) and starts a new run. Omitted fields keep
     * their values. An η or μ out of range, or an unknown data set or start point name,
     * is shown in the widget and rejects the returned promise. A failure inside the
     * package is shown in the widget only.
     */
    configure(request) {
      try {
        if (request.learningRate !== undefined) {
          requireInRange(request.learningRate, LEARNING_RATE_RULE);
        }
        if (request.momentum !== undefined) {
          requireInRange(request.momentum, MOMENTUM_RULE);
        }
        // Before the widget is ready the list is empty, and the queued configure checks.
        if (datasetList.length > 0) {
          requireKnownStart(request.dataset ?? settings.dataset, request.start);
        }
      } catch (error) {
        showError(error);
        return Promise.reject(error);
      }
      return act(() => configure(request)).then(() => undefined);
    },
    /** Sets η for the next step and keeps the trail, as the η control does. */
    setLearningRate(value) {
      let checked;
      try {
        checked = requireInRange(value, LEARNING_RATE_RULE);
      } catch (error) {
        showError(error);
        return Promise.reject(error);
      }
      views?.controls.setValues({ ...settings, learningRate: checked });
      return changeHyperparameters({ learningRate: checked });
    },
    /** Returns the data set and a copy of the start point, `{dataset, start}`, start null before the first run. */
    startPoint() {
      return { dataset: settings.dataset, start: structuredClone(settings.start) };
    },
    /** Returns a copy of the settings, the run's latest state and its whole trail. */
    state() {
      const view = session?.view();
      return structuredClone({
        ...settings,
        viewBox: description?.dataset.view_box ?? null,
        gridSize: description?.grid.n ?? null,
        trail: view?.trail ?? [],
        losses: view?.losses ?? [],
        run: view?.state ?? null,
      });
    },
  };

  return {
    dispose() {
      disposed = true;
      runButton?.stop();
      stops.forEach((stop) => stop());
      session?.release().catch(() => {});
    },
  };
}
