// The marks drawn over the loss map: the trail of visited points (on a canvas of its own),
// and in SVG the start point, the current point and the arrow along −∇L.

import { clamp, isFinitePoint } from '../common/finite.js';

/** Screen length of the −∇L arrow in CSS px; the arrow shows direction only. */
export const ARROW_LENGTH = 40;

/**
 * Below this ‖∇L‖ the arrow is hidden, because rounding error then decides the
 * direction of ∇L.
 */
export const MIN_ARROW_GRADIENT = 1e-12;

/** Trail points drawn as dots; older points stay on the line without a dot. */
const MAX_TRAIL_DOTS = 2000;

/**
 * The trail's look: a white line and white dots with a dark halo, so it shows on viridis'
 * dark purple and its bright yellow alike. Widths and radius are in CSS px.
 */
const TRAIL_STYLE = {
  haloColour: 'rgba(0, 0, 0, 0.8)',
  haloWidth: 4.5,
  lineColour: '#fff',
  lineWidth: 2,
  dotRadius: 2.5,
  dotOutline: '#000',
  dotOutlineWidth: 1,
};

/**
 * Returns the screen position of θ = (w, b), limited to three plot sizes around the plot
 * so that a point at 1e300 still gives a finite SVG coordinate, or null if θ is not finite.
 */
function toScreen(point, geometry) {
  if (!isFinitePoint(point)) {
    return null;
  }
  return [
    clamp(geometry.x(point[0]), -3 * geometry.width, 4 * geometry.width),
    clamp(geometry.y(point[1]), -3 * geometry.height, 4 * geometry.height),
  ];
}

/** Returns whether a screen position lies inside the plot area. */
export function insidePlot(position, geometry) {
  return position !== null && position[0] >= 0 && position[0] <= geometry.width
    && position[1] >= 0 && position[1] <= geometry.height;
}

/** Adds the arrowhead markers that the −∇L arrow uses to the SVG's defs. */
export function defineArrowheads(defs, idPrefix) {
  [['halo', 'nd-map__arrowhead-halo'], ['core', 'nd-map__arrowhead-core']].forEach(([part, className]) => {
    defs.append('marker')
      .attr('id', `${idPrefix}-${part}`)
      .attr('viewBox', '0 0 10 10').attr('refX', 6).attr('refY', 5)
      .attr('markerWidth', part === 'halo' ? 15 : 10).attr('markerHeight', part === 'halo' ? 15 : 10)
      .attr('markerUnits', 'userSpaceOnUse').attr('orient', 'auto')
      .append('path').attr('class', className).attr('d', 'M0,0 L10,5 L0,10 z');
  });
}

/**
 * Returns the end of the −∇L arrow that starts at `from`. The direction is that of
 * −∇L in (w, b) mapped to the screen's scales; the length is always ARROW_LENGTH.
 * Returns null when the gradient is zero or not finite.
 */
function arrowEnd(from, gradient, geometry) {
  if (!isFinitePoint(gradient)) {
    return null;
  }
  const pixelsPerW = geometry.width / (geometry.viewBox.w_max - geometry.viewBox.w_min);
  const pixelsPerB = geometry.height / (geometry.viewBox.b_max - geometry.viewBox.b_min);
  const dx = -gradient[0] * pixelsPerW;
  const dy = gradient[1] * pixelsPerB;
  const size = Math.hypot(dx, dy);
  if (!(size > 0) || !Number.isFinite(size)) {
    return null;
  }
  return [from[0] + (dx / size) * ARROW_LENGTH, from[1] + (dy / size) * ARROW_LENGTH];
}

/**
 * Draws the trail (`[w, b]` or null per point) on `canvas`, which covers the plot area and
 * `padding` CSS px around it, at `devicePixelRatio` device pixels per CSS px. A canvas,
 * because as SVG the thousands of dots of a long run made each redraw cost tens of ms.
 */
export function drawTrail(canvas, geometry, trail, padding) {
  const ratio = window.devicePixelRatio || 1;
  const width = geometry.width + 2 * padding;
  const height = geometry.height + 2 * padding;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const context = canvas.getContext('2d');
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.setTransform(ratio, 0, 0, ratio, ratio * padding, ratio * padding);

  const positions = trail.map((point) => toScreen(point, geometry));
  const line = d3.line().defined((position) => position !== null).context(context);
  // The line stops at the plot's edge where a run leaves the map. Only the dots, each
  // drawn whole, may reach into the padding.
  context.save();
  context.beginPath();
  context.rect(0, 0, geometry.width, geometry.height);
  context.clip();
  context.lineJoin = 'round';
  context.lineCap = 'round';
  [[TRAIL_STYLE.haloColour, TRAIL_STYLE.haloWidth], [TRAIL_STYLE.lineColour, TRAIL_STYLE.lineWidth]]
    .forEach(([colour, lineWidth]) => {
      context.beginPath();
      line(positions);
      context.strokeStyle = colour;
      context.lineWidth = lineWidth;
      context.stroke();
    });
  context.restore();

  context.fillStyle = TRAIL_STYLE.lineColour;
  context.strokeStyle = TRAIL_STYLE.dotOutline;
  context.lineWidth = TRAIL_STYLE.dotOutlineWidth;
  for (const position of positions.slice(-MAX_TRAIL_DOTS)) {
    if (insidePlot(position, geometry)) {
      context.beginPath();
      context.arc(position[0], position[1], TRAIL_STYLE.dotRadius, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
  }
}

/**
 * Draws the start point, the current point and the −∇L arrow into the SVG group `layer`
 * (already clipped to the plot area). `view`: `start`, `current`, `gradient` and
 * `converged`. The arrow is left out once the run has converged or ‖∇L‖ is below
 * MIN_ARROW_GRADIENT. Returns whether the current point is inside the plot area.
 */
export function drawOverlay(layer, geometry, view, arrowheadPrefix) {
  const start = toScreen(view.start, geometry);
  layer.selectAll('.nd-map__start').data(start ? [start] : []).join('circle')
    .attr('class', 'nd-map__start')
    .attr('cx', (position) => position[0]).attr('cy', (position) => position[1]).attr('r', 7);

  const current = toScreen(view.current, geometry);
  const hideArrow = view.converged || !isFinitePoint(view.gradient)
    || Math.hypot(view.gradient[0], view.gradient[1]) < MIN_ARROW_GRADIENT;
  const end = current && !hideArrow ? arrowEnd(current, view.gradient, geometry) : null;
  layer.selectAll('.nd-map__arrow').data(end ? ['halo', 'core'] : []).join('line')
    .attr('class', (part) => `nd-map__arrow nd-map__arrow--${part}`)
    .attr('x1', current?.[0]).attr('y1', current?.[1]).attr('x2', end?.[0]).attr('y2', end?.[1])
    .attr('marker-end', (part) => `url(#${arrowheadPrefix}-${part})`);

  layer.selectAll('.nd-map__current').data(current ? [current] : []).join('circle')
    .attr('class', 'nd-map__current')
    .attr('cx', (position) => position[0]).attr('cy', (position) => position[1]).attr('r', 5.5);

  return insidePlot(current, geometry);
}
