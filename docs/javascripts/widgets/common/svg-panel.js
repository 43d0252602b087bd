// A small SVG chart with margins, two axis groups, axis titles and a clip path for the
// plotted marks. Used by the fit and loss panels and the sweep chart.

let panelCount = 0;

/** Space in px between a y-axis title placed by `placeYTitle` and the axis's tick labels. */
const Y_TITLE_GAP = 4;

/**
 * Creates the chart inside `container`. `options`: `height` (CSS px), `margin`
 * `{top, right, bottom, left}`, `xTitle`, `yTitle` and `label` (accessible name).
 * Returns the parts, `measure()`, which sizes the SVG to the container's width and
 * returns `{width, height, inner: {width, height}}`, and `placeYTitle()`, which moves the
 * y-axis title next to the y axis's widest tick label. Until `placeYTitle()` is called the
 * title sits 12 px from the left edge, whatever the tick labels' width.
 */
export function createSvgPanel(container, options) {
  panelCount += 1;
  const clipId = `nd-clip-${panelCount}`;
  const margin = options.margin;

  const svg = d3.select(container).append('svg')
    .attr('class', 'nd-chart')
    .attr('role', 'img')
    .attr('aria-label', options.label);
  svg.append('clipPath').attr('id', clipId).append('rect');
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const xAxis = root.append('g').attr('class', 'nd-axis nd-axis--x');
  const yAxis = root.append('g').attr('class', 'nd-axis nd-axis--y');
  const plot = root.append('g').attr('clip-path', `url(#${clipId})`);
  // Marks drawn over the plot but outside its clip, so one on the plot's edge shows whole.
  const marks = root.append('g');
  const xTitle = svg.append('text').attr('class', 'nd-axis-title').attr('text-anchor', 'middle')
    .text(options.xTitle);
  const yTitle = svg.append('text').attr('class', 'nd-axis-title').attr('text-anchor', 'middle')
    .text(options.yTitle);

  // The x of the y-axis title's baseline, which placeYTitle moves.
  let yTitleX = 12;

  function positionYTitle() {
    const middle = margin.top + (options.height - margin.top - margin.bottom) / 2;
    yTitle.attr('transform', `translate(${yTitleX},${middle}) rotate(-90)`);
  }

  // Reading clientWidth after the DOM has changed forces a layout of the whole page, so
  // the width is read once and again only after a ResizeObserver reports a change.
  let containerWidth = null;
  new ResizeObserver(() => {
    containerWidth = null;
  }).observe(container);

  // The width the SVG was last sized to, so that a redraw at the same width leaves the
  // SVG's size attributes untouched instead of writing the same values at every step.
  let sizedWidth = null;

  function measure() {
    containerWidth ??= container.clientWidth;
    const width = Math.max(200, containerWidth || 320);
    const height = options.height;
    const inner = {
      width: width - margin.left - margin.right,
      height: height - margin.top - margin.bottom,
    };
    if (width === sizedWidth) {
      return { width, height, inner };
    }
    sizedWidth = width;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    svg.select(`#${clipId} rect`).attr('width', inner.width).attr('height', inner.height);
    xAxis.attr('transform', `translate(0,${inner.height})`);
    xTitle.attr('x', margin.left + inner.width / 2).attr('y', height - 4);
    positionYTitle();
    return { width, height, inner };
  }

  // Places the y-axis title Y_TITLE_GAP px left of the y axis's ticks and labels, as the
  // browser measures them. The title stops at the SVG's left edge, so it overlaps a label
  // only when the label is wider than the left margin leaves room for. Call after drawing
  // the y axis. While the SVG is not rendered (display: none) every measured box is
  // empty, and the title keeps its place.
  function placeYTitle() {
    const axisBox = yAxis.node().getBBox();
    const titleBox = yTitle.node().getBBox();
    if (axisBox.width === 0 || titleBox.height === 0) {
      return;
    }
    // The title is rotated by -90°, so its own y extent [y, y + height] lies along the
    // SVG's x axis, from x + y to x + y + height for a title translated to x.
    const right = margin.left + axisBox.x - Y_TITLE_GAP;
    yTitleX = Math.max(right - (titleBox.y + titleBox.height), -titleBox.y);
    positionYTitle();
  }

  return { svg, root, plot, marks, xAxis, yAxis, measure, placeYTitle };
}

/**
 * Draws the D3 `axis` into the group `group`, unless the group already shows an axis with
 * the same domain, range and ticks. Drawing an unchanged axis again would still replace
 * every tick label, which the browser then lays out and paints again.
 * An axis group must keep the same tick format for this to hold.
 * Returns whether it drew the axis.
 */
export function drawAxis(group, axis) {
  const scale = axis.scale();
  const key = JSON.stringify([scale.domain(), scale.range(), axis.tickValues() ?? axis.tickArguments()]);
  const node = group.node();
  if (node.ndAxisKey !== key) {
    node.ndAxisKey = key;
    group.call(axis);
    return true;
  }
  return false;
}
