// The plain-descent stability limit 2/λ_max among the swept learning rates, drawn as a
// small log-scaled η axis with a dot per rate and a line at the limit, and said in a
// sentence. The limit comes from the package (λ_max is the Hessian's largest eigenvalue
// at the minimum). The widget writes "max" as a subscript, as the chapter typesets it.

import { formatRate } from '../common/format.js';
import { curveColour } from './palette.js';

const HEIGHT = 46;
const MARGIN = { left: 16, right: 16 };

/** Returns a new HTML element that writes the limit's symbol 2/λ_max with "max" as a subscript. */
function limitSymbol() {
  const symbol = document.createElement('span');
  const subscript = document.createElement('sub');
  subscript.textContent = 'max';
  symbol.append('2/λ', subscript);
  return symbol;
}

/**
 * Returns the sentence placing `limit` among the sorted `rates`, as a list of nodes and
 * strings for `Element.append` or `Element.replaceChildren`.
 */
export function describeLimit(limit, rates) {
  if (!Number.isFinite(limit)) {
    return ['The package found no finite stability limit ', limitSymbol(), ' for this data set.'];
  }
  const start = [limitSymbol(), ` = ${formatRate(limit)}`];
  if (limit < rates[0]) {
    return [...start, ' lies below every swept rate.'];
  }
  if (limit > rates[rates.length - 1]) {
    return [...start, ' lies above every swept rate.'];
  }
  const upper = rates.findIndex((rate) => rate >= limit);
  if (rates[upper] === limit) {
    return [...start, ` equals the swept rate η = ${formatRate(rates[upper])}.`];
  }
  return [...start, ` lies between η = ${formatRate(rates[upper - 1])} and η = ${formatRate(rates[upper])}.`];
}

/**
 * Returns a tick format for the log scale `x` that labels the ticks D3 would label
 * and writes them as the legend writes rates ("1e-4", not "0.0001").
 */
function rateTickFormat(x) {
  const labelled = x.tickFormat(5, '~g');
  return (value) => (labelled(value) === '' ? '' : formatRate(value));
}

/**
 * Draws the η strip into `container` (an element) for `rates` and `limit`, as wide as
 * `containerWidth`, the container's clientWidth.
 */
export function drawStabilityStrip(container, containerWidth, rates, limit) {
  const width = Math.max(240, containerWidth || 320);
  const values = Number.isFinite(limit) ? rates.concat(limit) : rates;
  const x = d3.scaleLog()
    .domain([d3.min(values) / 1.5, d3.max(values) * 1.5])
    .range([MARGIN.left, width - MARGIN.right]);

  const svg = d3.select(container).selectAll('svg').data([null]).join('svg')
    .attr('class', 'nd-chart nd-sweep__strip-svg')
    .attr('width', width).attr('height', HEIGHT)
    .attr('role', 'img')
    .attr('aria-label', 'Swept learning rates on a log scale, with the stability limit 2/λmax.');
  svg.selectAll('.nd-axis').data([null]).join('g')
    .attr('class', 'nd-axis')
    .attr('transform', 'translate(0,24)')
    .call(d3.axisBottom(x).ticks(5).tickFormat(rateTickFormat(x)));
  svg.selectAll('.nd-sweep__rate').data(rates).join('circle')
    .attr('class', 'nd-sweep__rate')
    .attr('cx', (rate) => x(rate)).attr('cy', 18).attr('r', 4.5)
    .style('fill', (_, index) => curveColour(index));
  const limits = Number.isFinite(limit) ? [limit] : [];
  svg.selectAll('.nd-sweep__limit-line').data(limits).join('line')
    .attr('class', 'nd-sweep__limit-line')
    .attr('x1', (value) => x(value)).attr('x2', (value) => x(value)).attr('y1', 2).attr('y2', 26);
  // The subscript "max" is a tspan moved down with dy and set smaller by widgets.css.
  svg.selectAll('.nd-sweep__limit-label').data(limits).join((enter) => {
    const label = enter.append('text').attr('class', 'nd-sweep__limit-label').text('2/λ');
    label.append('tspan').attr('class', 'nd-sweep__limit-subscript').attr('dy', '0.3em').text('max');
    return label;
  })
    .attr('x', (value) => x(value) + 4).attr('y', 9)
    .attr('text-anchor', (value) => (x(value) > width - 90 ? 'end' : 'start'))
    .attr('dx', (value) => (x(value) > width - 90 ? -8 : 0));
}
