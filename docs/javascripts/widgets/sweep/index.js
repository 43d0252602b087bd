// The sweep widget: short descents from one start point at log-spaced learning rates,
// loss against step for each, the pick by the package's rule, and where the stability
// limit 2/λ_max falls. Clicking a curve loads its rate into the descent widget.

import { createSweepForm } from './form.js';
import { createSweepChart } from './chart.js';
import { drawLegend } from './legend.js';
import { describeLimit, drawStabilityStrip } from './stability.js';
import { createLoadingPanel } from '../common/loading-panel.js';
import { PackageError, callPackage, findRuntime, waitUntilReady } from '../common/runtime-client.js';
import { createTaskQueue } from '../common/task-queue.js';
import { loadDatasetList } from '../common/datasets.js';
import { watchColorScheme } from '../common/theme.js';
import { observeWidth } from '../common/width-observer.js';
import { formatPoint, formatRate } from '../common/format.js';
import { samePoint } from '../common/finite.js';
import { buildSweepLayout } from './layout.js';
import { scrollToWidget } from '../common/scroll.js';

/** Source of a start point taken from the descent widget, as the sentence above the chart names it. */
const START_FROM_DESCENT = 'from the descent widget';

/** Returns the descent widget's `{dataset, start}`, or null when the page has no descent widget. */
function readDescent() {
  return document.querySelector('[data-widget="descent"]')?.ndDescent?.startPoint() ?? null;
}

/** Returns the descent widget's start point if it shows `dataset`, else null. */
function descentStart(dataset) {
  const descent = readDescent();
  return descent && descent.dataset === dataset && descent.start ? descent.start : null;
}

/**
 * Returns a sentence saying that a sweep's results are for an earlier start point, or null
 * while they still are for the start point a new sweep would use. `descent` is the descent
 * widget's `{dataset, start}` (start null before its first run), or null. A sweep that took
 * its start from the descent widget is out of date once that widget shows another start
 * point or data set. A sweep from the data set's default start is out of date once the
 * descent widget shows that data set with another start point.
 */
function describeStartChange(request, descent) {
  const earlier = `θ₀ = ${formatPoint(request.start)}`;
  const curvesNote = 'Its curves and legend still load the earlier start.';
  const currentStart = descent && descent.dataset === request.dataset ? descent.start : null;
  if (currentStart) {
    if (samePoint(currentStart, request.start)) {
      return null;
    }
    return `These results are for the earlier start ${earlier}, not the new start `
      + `${formatPoint(currentStart)}. Run the sweep again to use it. ${curvesNote}`;
  }
  if (request.startSource === START_FROM_DESCENT) {
    return `These results are for the descent widget's earlier start ${earlier}, on a data set it `
      + `no longer shows. Run the sweep again to use its new start. ${curvesNote}`;
  }
  return null;
}

/** Returns the sentence that gives the reason a sweep has no pick. */
function describeNoPick(runs) {
  if (runs.every((run) => run.status.code === 'diverged')) {
    return 'Every run diverged, so there is no pick: lower the bounds and run again.';
  }
  return 'No run that stayed finite ended below its starting loss, so there is no pick: '
    + 'raise the bounds or take more steps per run, and run again.';
}

/**
 * Mounts the sweep widget on `element`. Sets `element.ndSweep` and
 * `element.dataset.ready = "true"` once it accepts input.
 * Returns `{dispose()}`, which stops its observers.
 */
export function mountSweep(element, options = {}) {
  const parts = buildSweepLayout(element);
  const loading = createLoadingPanel(parts.loading);
  const queue = createTaskQueue(element, (error) => {
    parts.error.textContent = error?.message ?? String(error);
  });
  const stops = [];
  let runtime = null;
  let form = null;
  let chart = null;
  let defaults = null;
  let last = null;
  let datasetTitles = {};
  element.dataset.ready = 'false';

  // Three reasons why the results may differ from what a new sweep would show. The last
  // press of Run sweep ran nothing (invalid text, bounds that conflict or the package's
  // rejection), the form selects another data set than the results', or the descent
  // widget's start point has changed since the results' sweep. The last two are stored as
  // the sentences that describe them.
  const stale = { rejected: false, otherDataset: null, startChange: null };

  // While any reason holds, the results stay, dimmed and labelled, so that they are not
  // read as those of the form's new values, data set or start point.
  function showStale() {
    const sentences = [stale.otherDataset, stale.startChange];
    // The data set's sentence already names what the chart shows.
    if (stale.rejected && !stale.otherDataset) {
      sentences.push('The chart below is from the last sweep that ran.');
    }
    const text = sentences.filter(Boolean).join(' ');
    parts.results.classList.toggle('nd-sweep__results--stale', text !== '');
    parts.stale.textContent = text;
  }

  function markStale(rejected) {
    stale.rejected = rejected;
    showStale();
  }

  /** Compares the last result's data set with the one the form selects. */
  function checkDataset() {
    const selected = form.dataset();
    const swept = last?.request.dataset;
    stale.otherDataset = last && swept !== selected
      ? `The chart below is for the data set “${datasetTitles[swept] ?? swept}”. `
        + `Run the sweep for “${datasetTitles[selected] ?? selected}”.`
      : null;
    showStale();
  }

  /** Compares the last result's start point with `descent`, the descent widget's `{dataset, start}`. */
  function checkStart(descent) {
    stale.startChange = last ? describeStartChange(last.request, descent) : null;
    showStale();
  }

  const onDescentStart = (event) => checkStart(event.detail);
  document.addEventListener('nd-descent-start', onDescentStart);
  stops.push(() => document.removeEventListener('nd-descent-start', onDescentStart));

  /**
   * Loads `dataset`'s default sweep settings and selects it. With `boundsOnly` it sets only
   * the bounds, which the package derives from the data set's stability limit, so that the
   * number of rates and steps stay as the reader left them.
   */
  async function loadDefaults(dataset, { boundsOnly }) {
    defaults = await callPackage(runtime, 'sweep_defaults', { dataset });
    defaults.dataset = dataset;
    const bounds = { dataset, lrMin: defaults.lr_min, lrMax: defaults.lr_max };
    form.setValues(boundsOnly ? bounds : { ...bounds, count: defaults.count, steps: defaults.steps });
  }

  function drawResult() {
    if (!last || !element.isConnected) {
      return;
    }
    const { result, request } = last;
    // The results must be visible before drawing, because the charts size themselves to it.
    parts.results.hidden = false;
    // Reading the strip's width before anything is drawn lets one layout serve both charts'
    // widths. Read after the chart and legend, it would lay the results out a second time.
    const stripWidth = parts.strip.clientWidth;
    const focused = parts.legend.contains(document.activeElement) ? document.activeElement.dataset.index : undefined;
    const floor = chart.draw(result);
    drawLegend(parts.legend, result, selectRun, floor);
    // The legend's buttons are new, so the one the reader had focused gets the focus back.
    if (focused !== undefined) {
      parts.legend.querySelector(`[data-index="${focused}"]`)?.focus();
    }
    drawStabilityStrip(parts.strip, stripWidth, result.learning_rates, result.stability_limit);
    parts.limit.replaceChildren(...describeLimit(result.stability_limit, result.learning_rates),
      ' Plain gradient descent settles into the minimum only for η below this limit.');
    parts.rule.textContent = result.pick === null
      ? describeNoPick(result.runs)
      : `Pick: η = ${formatRate(result.learning_rates[result.pick])}. ${result.rule}`;
    const title = datasetTitles[request.dataset] ?? request.dataset;
    parts.start.textContent = `Data set: ${title}. Start point θ₀ = ${formatPoint(request.start)} (${request.startSource}), `
      + `momentum μ = 0, ${request.steps} ${request.steps === 1 ? 'step' : 'steps'} per run.`;
  }

  async function runSweep() {
    parts.error.textContent = '';
    const values = form.values();
    if (!values) {
      markStale(last !== null);
      return;
    }
    const shared = descentStart(values.dataset);
    const start = shared ?? defaults.start;
    const request = {
      dataset: values.dataset,
      start,
      lr_min: values.lrMin,
      lr_max: values.lrMax,
      count: values.count,
      steps: values.steps,
      momentum: 0,
    };
    let result;
    try {
      result = await callPackage(runtime, 'sweep', request);
    } catch (error) {
      // The package's rejection of a request concerns the form's values, so it shows there.
      if (!(error instanceof PackageError)) {
        throw error;
      }
      form.showProblem(error.message);
      markStale(last !== null);
      return;
    }
    last = { result, request: { ...request, startSource: shared ? START_FROM_DESCENT : "the data set's default start" } };
    markStale(false);
    // The reader may have selected another data set while this sweep ran.
    checkDataset();
    // The descent widget may have started a new run while this sweep ran.
    checkStart(readDescent());
    drawResult();
  }

  function selectRun(index) {
    const { result, request } = last;
    const descent = document.querySelector('[data-widget="descent"]');
    if (!descent?.ndDescent) {
      parts.error.textContent = 'There is no descent widget on this page to load the learning rate into.';
      return;
    }
    // Swept rates obey the same range as the descent widget's, so this cannot reject.
    descent.ndDescent.configure({
      dataset: request.dataset,
      learningRate: result.learning_rates[index],
      momentum: 0,
      start: request.start,
    });
    scrollToWidget(descent);
  }

  async function start() {
    runtime = await findRuntime();
    await waitUntilReady(runtime, element, loading);
    const datasets = await loadDatasetList(runtime);
    datasetTitles = Object.fromEntries(datasets.map(({ name, title }) => [name, title]));
    const dataset = options.dataset ?? element.dataset.dataset ?? datasets[0].name;
    form = createSweepForm(parts.form, {
      datasets,
      dataset,
      onDataset: (name) => {
        checkDataset();
        queue(() => loadDefaults(name, { boundsOnly: true }));
      },
      onRun: () => queue(runSweep),
    });
    chart = createSweepChart(parts.chart, { onSelect: selectRun });
    parts.live.hidden = false;
    await loadDefaults(dataset, { boundsOnly: false });
    loading.remove();
    parts.placeholder.remove();

    // Only a change of width redraws. The results change the widget's height when they are
    // first drawn, and a redraw then would replace the legend's buttons as a reader reached them.
    const stopObservingWidth = observeWidth(parts.live, () => requestAnimationFrame(drawResult));
    stops.push(stopObservingWidth, watchColorScheme(drawResult));
    element.dataset.ready = 'true';
  }

  const ready = queue(start);

  element.ndSweep = {
    ready,
    /**
     * Runs a sweep. `request` may set `dataset` (which loads its default bounds first),
     * `count`, `lrMin`, `lrMax` and `steps`, as if typed into the form. Like Run sweep,
     * it runs nothing while a field it does not set contains invalid text.
     */
    run(request = {}) {
      return queue(async () => {
        if (request.dataset && request.dataset !== defaults?.dataset) {
          await loadDefaults(request.dataset, { boundsOnly: true });
        }
        form.setValues(request);
        checkDataset();
        await runSweep();
      });
    },
    /** Returns a copy of the last sweep's request and result, or null before the first. */
    result: () => (last ? structuredClone(last) : null),
  };

  return {
    dispose() {
      stops.forEach((stop) => stop());
    },
  };
}
