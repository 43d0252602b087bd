// The loss-against-step panel: L at every trail point on a log-scaled axis. The step
// axis grows as steps are taken; a diverged run ends with a marker at its divergence step.

import { createSvgPanel, drawAxis } from '../common/svg-panel.js';
import { formatLogTick, logTickValues } from '../common/format.js';
import { divergenceMarkY, isFiniteNumber, lossDomain } from '../common/finite.js';

// The left margin fits the axis title beside the widest tick labels the axis shows, six
// characters such as "1e-321" for a loss near the smallest double. placeYTitle then puts
// the title next to the labels.
const MARGIN = { top: 10, right: 12, bottom: 38, left: 64 };
const MIN_STEP_AXIS = 10;

/** Creates the panel inside `container`. Returns `{draw(losses, status), resize()}`. */
export function createLossPanel(container) {
  const panel = createSvgPanel(container, {
    height: 210,
    margin: MARGIN,
    xTitle: 'step k',
    yTitle: 'loss L (log scale)',
    label: 'Loss against step on a log scale.',
  });
  const line = panel.plot.append('path').attr('class', 'nd-loss__line');
  // In the unclipped layer, so that the dot shows whole when the last step or the smallest
  // loss puts it on the plot's edge.
  const current = panel.marks.append('circle').attr('class', 'nd-loss__current').attr('r', 3.5);
  const marker = panel.marks.append('g');
  let last = null;

  function draw(losses, status) {
    last = { losses, status };
    const size = panel.measure();
    // Both axes end on round values (a multiple of the tick spacing, a power of ten), so
    // most steps leave them as they are and only the line and the current point move.
    const x = d3.scaleLinear().domain([0, Math.max(MIN_STEP_AXIS, losses.length - 1)]).nice(5)
      .range([0, size.inner.width]);
    const lastStep = x.domain()[1];
    // One run only, so the axis reaches down to its smallest loss, however small, instead
    // of stopping at the floor that keeps one run from flattening the others in the sweep.
    const y = d3.scaleLog().domain(lossDomain(losses, losses[0], 1e3, 0)).nice()
      .range([size.inner.height, 0]);
    drawAxis(panel.xAxis, d3.axisBottom(x).ticks(5, 'd'));
    if (drawAxis(panel.yAxis, d3.axisLeft(y).tickValues(logTickValues(y, 5)).tickFormat(formatLogTick))) {
      panel.placeYTitle();
    }

    line.attr('d', d3.line()
      .defined((value) => isFiniteNumber(value) && value > 0)
      .x((_, index) => x(index))
      .y((value) => y(value))(losses));

    // The dot is left out for a loss that is not finite or lies above the axis's cap.
    const lastIndex = losses.length - 1;
    const lastFinite = isFiniteNumber(losses[lastIndex]) && losses[lastIndex] > 0;
    const currentY = lastFinite ? y(losses[lastIndex]) : NaN;
    const onAxis = currentY >= -0.5 && currentY <= size.inner.height + 0.5;
    current.attr('display', onAxis ? null : 'none')
      .attr('cx', x(lastIndex)).attr('cy', onAxis ? currentY : 0);

    // A diverged run ends with a cross at its divergence step, drawn at its last finite
    // loss (the top edge if that loss is off the scale, as after the loss blew up).
    const diverged = status?.code === 'diverged' && Number.isInteger(status.step);
    marker.selectAll('path').data(diverged ? [status.step] : []).join('path')
      .attr('class', 'nd-loss__diverged')
      .attr('transform', (step) => {
        const top = divergenceMarkY(losses, step, y, size.inner.height);
        return `translate(${x(Math.min(step, lastStep))},${top})`;
      })
      .attr('d', d3.symbol(d3.symbolX, 60));
  }

  return {
    draw,
    resize() {
      if (last) {
        draw(last.losses, last.status);
      }
    },
  };
}
