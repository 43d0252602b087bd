// The sweep chart: loss against step for every learning rate on a log-scaled loss axis.
// A diverged run ends with a cross at its divergence step; the pick is drawn thicker.

import { createSvgPanel } from '../common/svg-panel.js';
import { formatLogTick, formatRate, integerTickValues, logTickValues } from '../common/format.js';
import { divergenceMarkY, firstStepBelow, isFiniteNumber, lossDomain } from '../common/finite.js';
import { curveColour, curveDash } from './palette.js';

const MARGIN = { top: 12, right: 16, bottom: 40, left: 56 };

/**
 * Creates the chart inside `container`; `onSelect(index)` is called when the reader
 * clicks a curve. Returns `{draw(result), resize()}` for a result of the package's `sweep`.
 * `draw` returns the lowest loss the chart shows.
 */
export function createSweepChart(container, { onSelect }) {
  const panel = createSvgPanel(container, {
    height: 300,
    margin: MARGIN,
    xTitle: 'step k',
    yTitle: 'loss L (log scale)',
    label: 'Loss against step for each learning rate of the sweep, on a log scale.',
  });
  let last = null;

  function draw(result) {
    last = result;
    const size = panel.measure();
    const steps = Math.max(1, ...result.runs.map((run) => run.losses.length - 1));
    const allLosses = result.runs.flatMap((run) => run.losses);
    const startLoss = d3.max(result.runs, (run) => run.losses[0]);
    const x = d3.scaleLinear().domain([0, steps]).range([0, size.inner.width]);
    // Ends on powers of ten, so a run that stays at its starting loss is not drawn on the edge.
    const y = d3.scaleLog().domain(lossDomain(allLosses, startLoss)).nice().range([size.inner.height, 0]);
    panel.xAxis.call(d3.axisBottom(x).tickValues(integerTickValues(x, 6)).tickFormat(d3.format('d')));
    panel.yAxis.call(d3.axisLeft(y).tickValues(logTickValues(y, 6)).tickFormat(formatLogTick));

    const line = d3.line()
      .defined((value) => isFiniteNumber(value) && value > 0)
      .x((_, index) => x(index))
      .y((value) => y(value));
    const curves = panel.plot.selectAll('.nd-sweep__curve-group').data(result.runs).join((enter) => {
      const group = enter.append('g').attr('class', 'nd-sweep__curve-group');
      group.append('path').attr('class', 'nd-sweep__curve');
      group.append('path').attr('class', 'nd-sweep__hit');
      group.append('title');
      return group;
    });
    curves.attr('data-index', (_, index) => index)
      .classed('nd-sweep__curve-group--pick', (_, index) => index === result.pick)
      .on('click', (_, run) => onSelect(result.runs.indexOf(run)));
    curves.select('.nd-sweep__curve')
      .attr('d', (run) => line(run.losses))
      .style('stroke', (_, index) => curveColour(index))
      .attr('stroke-dasharray', (_, index) => curveDash(index));
    curves.select('.nd-sweep__hit').attr('d', (run) => line(run.losses));
    curves.select('title').text((run) => `η = ${formatRate(run.learning_rate)}: click to load it into the descent widget`);
    curves.filter((_, index) => index === result.pick).raise();

    // Each diverged run ends with a cross at its divergence step, drawn at its last finite
    // loss (the chart's top edge if that loss is off the scale).
    const diverged = result.runs
      .map((run, index) => ({ run, index }))
      .filter(({ run }) => run.status.code === 'diverged' && Number.isInteger(run.status.step));
    panel.marks.selectAll('.nd-sweep__diverged').data(diverged).join('path')
      .attr('class', 'nd-sweep__diverged')
      .attr('data-index', ({ index }) => index)
      .attr('data-step', ({ run }) => run.status.step)
      .style('stroke', ({ index }) => curveColour(index))
      .attr('transform', ({ run }) => {
        const top = divergenceMarkY(run.losses, run.status.step, y, size.inner.height);
        return `translate(${x(Math.min(run.status.step, steps))},${top})`;
      })
      .attr('d', d3.symbol(d3.symbolX, 80));

    // A run whose loss falls below the axis's floor leaves through the bottom edge, where a
    // triangle pointing down marks the step at which it does.
    const floor = y.domain()[0];
    const below = result.runs
      .map((run, index) => ({ index, step: firstStepBelow(run.losses, floor) }))
      .filter(({ step }) => step !== null);
    panel.marks.selectAll('.nd-sweep__below').data(below).join('path')
      .attr('class', 'nd-sweep__below')
      .attr('data-index', ({ index }) => index)
      .attr('data-step', ({ step }) => step)
      .style('fill', ({ index }) => curveColour(index))
      .attr('transform', ({ step }) => `translate(${x(step)},${size.inner.height}) rotate(180)`)
      .attr('d', d3.symbol(d3.symbolTriangle, 60));
    return floor;
  }

  return {
    draw,
    resize() {
      if (last) {
        draw(last);
      }
    },
  };
}
