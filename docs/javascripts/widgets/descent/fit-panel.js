// The fit panel: the data points (x_i, y_i) and the model curve ŷ(x) = σ(w·x + b) at the
// current θ, as sampled by the package in the run's `fit`.

import { createSvgPanel, drawAxis } from '../common/svg-panel.js';
import { isFiniteNumber } from '../common/finite.js';

const MARGIN = { top: 10, right: 12, bottom: 38, left: 48 };

/**
 * Returns the y domain: the data's range and the curve's finite values, padded by 10 %,
 * but never more than twice the data's range beyond it, so an extreme ŷ is clipped.
 */
function yDomain(ys, yHats) {
  const [dataLow, dataHigh] = d3.extent(ys);
  const span = Math.max(dataHigh - dataLow, 0.5);
  const finite = yHats.filter(isFiniteNumber);
  let low = Math.min(dataLow, d3.min(finite) ?? dataLow);
  let high = Math.max(dataHigh, d3.max(finite) ?? dataHigh);
  low = Math.max(low, dataLow - 2 * span);
  high = Math.min(high, dataHigh + 2 * span);
  const padding = 0.1 * (high - low);
  return [low - padding, high + padding];
}

/** Creates the panel inside `container`. Returns `{setData(x, y), draw(fit), resize()}`. */
export function createFitPanel(container) {
  const panel = createSvgPanel(container, {
    height: 210,
    margin: MARGIN,
    xTitle: 'x',
    yTitle: 'y and ŷ',
    label: 'Fit: the data points and the model curve ŷ(x) at the current w and b.',
  });
  const curve = panel.plot.append('path').attr('class', 'nd-fit__curve');
  const points = panel.plot.append('g');
  let data = null;
  let lastFit = null;
  // The scales the data points were last placed with. The points move only when these change.
  let pointsKey = null;
  // The y domain so far for this data set. It only grows, so the data points stay put while
  // the curve moves towards them, instead of moving whenever the curve's range shrinks.
  let heldYDomain = null;

  function draw(fit) {
    lastFit = fit;
    if (!data) {
      return;
    }
    const size = panel.measure();
    const xs = fit ? data.x.concat(fit.x) : data.x;
    const x = d3.scaleLinear().domain(d3.extent(xs)).nice().range([0, size.inner.width]);
    const [low, high] = yDomain(data.y, fit ? fit.y_hat : []);
    heldYDomain = heldYDomain ? [Math.min(heldYDomain[0], low), Math.max(heldYDomain[1], high)] : [low, high];
    const y = d3.scaleLinear().domain(heldYDomain).nice().range([size.inner.height, 0]);
    drawAxis(panel.xAxis, d3.axisBottom(x).ticks(5));
    drawAxis(panel.yAxis, d3.axisLeft(y).ticks(5));

    const samples = fit ? fit.x.map((value, index) => [value, fit.y_hat[index]]) : [];
    curve.attr('d', d3.line()
      .defined((sample) => isFiniteNumber(sample[1]))
      .x((sample) => x(sample[0]))
      .y((sample) => y(sample[1]))(samples));
    const key = JSON.stringify([x.domain(), x.range(), y.domain(), y.range()]);
    if (key !== pointsKey) {
      pointsKey = key;
      points.selectAll('circle').data(data.x.map((value, index) => [value, data.y[index]])).join('circle')
        .attr('class', 'nd-fit__point')
        .attr('cx', (point) => x(point[0])).attr('cy', (point) => y(point[1])).attr('r', 4);
    }
  }

  return {
    setData(x, y) {
      data = { x, y };
      pointsKey = null;
      heldYDomain = null;
    },
    draw,
    resize: () => draw(lastFit),
  };
}
