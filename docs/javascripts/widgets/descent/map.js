// The loss map: canvas raster under an SVG with axes w and b, contours, colour bar and
// the run's marks. A click, a tap or the arrow keys choose the start point.

import {
  createColourScale, renderGridImage, paintRaster, paintPicture, prepareContours, drawContours, drawColourBar,
} from './heatmap.js';
import { defineArrowheads, drawOverlay, drawTrail } from './map-overlay.js';
import { clamp, samePoint } from '../common/finite.js';

const MARGIN = { top: 10, right: 78, bottom: 42, left: 46 };
// Below NARROW_WIDTH the colour bar lies under the map, which leaves the plot about a
// third wider on a phone.
const NARROW_WIDTH = 440;
const NARROW_MARGIN = { ...MARGIN, right: 16, bottom: 104 };
const NARROW_BAR_TOP = 54;
const CLIP_PADDING = 9;
const KEY_MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
let mapCount = 0;

/**
 * Creates the map inside `container`. `onPick([w, b])` is called with a new start point
 * and returns false if the widget ignores it.
 * Returns `{setDescription(description, picture), setContoursVisible(flag), drawRun(view),
 * resize(), canvas}`; drawRun returns whether the current point is on the map, and
 * setDescription a promise that resolves once the description's raster is drawn.
 */
export function createLossMap(container, { onPick }) {
  mapCount += 1;
  const idPrefix = `nd-map-${mapCount}`;
  const frame = d3.select(container).append('div')
    .attr('class', 'nd-map')
    .attr('tabindex', 0)
    .attr('role', 'application')
    .attr('aria-label', 'Loss map of L over w and b. Click or tap to set the start point; '
      + 'arrow keys move it by one grid cell, with Shift by ten.');
  const canvas = frame.append('canvas').attr('class', 'nd-map__canvas')
    .style('left', `${MARGIN.left}px`).style('top', `${MARGIN.top}px`);
  // The trail's canvas reaches CLIP_PADDING past the plot, like the SVG marks' clip path,
  // so that a dot on the plot's edge is drawn whole.
  const trailCanvas = frame.append('canvas').attr('class', 'nd-map__trail-layer').attr('aria-hidden', 'true')
    .style('left', `${MARGIN.left - CLIP_PADDING}px`).style('top', `${MARGIN.top - CLIP_PADDING}px`);
  const svg = frame.append('svg').attr('class', 'nd-map__svg').attr('aria-hidden', 'true');
  const defs = svg.append('defs');
  defs.append('clipPath').attr('id', `${idPrefix}-clip`).append('rect');
  defineArrowheads(defs, `${idPrefix}-arrow`);
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const xAxis = root.append('g').attr('class', 'nd-axis');
  const yAxis = root.append('g').attr('class', 'nd-axis');
  const xTitle = root.append('text').attr('class', 'nd-axis-title nd-axis-title--symbol').text('w');
  const yTitle = root.append('text').attr('class', 'nd-axis-title nd-axis-title--symbol').text('b');
  const clipped = root.append('g').attr('clip-path', `url(#${idPrefix}-clip)`);
  const contourLayer = clipped.append('g').attr('class', 'nd-map__contours');
  const overlayLayer = clipped.append('g');
  const colourBar = root.append('g');

  let description = null;
  let colourScale = null;
  let gridImage = null;
  // The build-time picture shown in place of the raster and contours, or null.
  // NOTE: its contour lines are part of the image, so hiding the contours leaves them
  // until the live map replaces the picture, a moment after the widget is ready.
  let picture = null;
  let contours = null;
  let geometry = null;
  let contoursVisible = true;
  let lastView = null;
  // The start point of the run drawn last, and one picked since whose run is not drawn
  // yet. Arrow keys move from the pending one, so presses of a held key that arrive
  // while the package starts the previous run add up instead of being lost.
  let start = null;
  let pendingStart = null;

  function measure() {
    const box = description.dataset.view_box;
    const width = Math.max(260, container.clientWidth);
    const narrow = width < NARROW_WIDTH;
    const margin = narrow ? NARROW_MARGIN : MARGIN;
    const plotWidth = width - margin.left - margin.right;
    // Equal units on both axes where the view box allows, within a 0.7–1.1 height ratio.
    const aspect = clamp((box.b_max - box.b_min) / (box.w_max - box.w_min), 0.7, 1.1);
    const plotHeight = clamp(Math.round(plotWidth * aspect), 180, 560);
    geometry = {
      narrow,
      width: plotWidth,
      height: plotHeight,
      viewBox: box,
      x: d3.scaleLinear().domain([box.w_min, box.w_max]).range([0, plotWidth]),
      y: d3.scaleLinear().domain([box.b_min, box.b_max]).range([plotHeight, 0]),
    };
    svg.attr('width', width).attr('height', plotHeight + margin.top + margin.bottom);
    // The clip reaches a little past the plot so a marker on its edge is drawn whole.
    defs.select('clipPath rect')
      .attr('x', -CLIP_PADDING).attr('y', -CLIP_PADDING)
      .attr('width', plotWidth + 2 * CLIP_PADDING).attr('height', plotHeight + 2 * CLIP_PADDING);
  }

  function drawStatic() {
    // About one tick per 55 px keeps the labels of a narrow map from running together.
    xAxis.attr('transform', `translate(0,${geometry.height})`)
      .call(d3.axisBottom(geometry.x).ticks(Math.min(6, Math.floor(geometry.width / 55))));
    yAxis.call(d3.axisLeft(geometry.y).ticks(Math.min(6, Math.floor(geometry.height / 40))));
    xTitle.attr('x', geometry.width / 2).attr('y', geometry.height + 36).attr('text-anchor', 'middle');
    yTitle.attr('x', -38).attr('y', geometry.height / 2).attr('text-anchor', 'middle');
    if (picture) {
      paintPicture(canvas.node(), picture, geometry);
    } else {
      paintRaster(canvas.node(), gridImage, description.grid, geometry);
    }
    drawContours(contourLayer, description.grid, contours, geometry, contoursVisible);
    if (geometry.narrow) {
      colourBar.attr('transform', `translate(0,${geometry.height + NARROW_BAR_TOP})`);
      drawColourBar(colourBar, colourScale, geometry.width, `${idPrefix}-bar`, true);
    } else {
      colourBar.attr('transform', `translate(${geometry.width + 12},0)`);
      drawColourBar(colourBar, colourScale, geometry.height, `${idPrefix}-bar`);
    }
  }

  // The contours are computed after the raster is drawn, one level per task, so the map
  // shows at once and no task grows long. A newer description stops the computation.
  // When the new grid is of the same surface, the previous lines (or the picture) stay
  // until all new ones are computed. Otherwise each level is drawn as soon as it is computed.
  // `onPictureReplaced` is called when the raster replaces a kept picture.
  function scheduleContours(keepPrevious, onPictureReplaced) {
    const pending = description;
    let prepared = null;
    const computed = [];
    const computeNext = () => {
      if (description !== pending) {
        return;
      }
      prepared ??= prepareContours(pending.grid, colourScale);
      computed.push(prepared.contourAt(prepared.thresholds[computed.length]));
      const done = computed.length === prepared.thresholds.length;
      if (done && picture) {
        picture = null;
        contours = computed.slice();
        drawStatic();
        onPictureReplaced();
      } else if (done || !keepPrevious) {
        contours = computed.slice();
        drawContours(contourLayer, pending.grid, contours, geometry, contoursVisible);
      }
      if (!done) {
        setTimeout(computeNext, 0);
      }
    };
    setTimeout(computeNext, 0);
  }

  /** Returns whether descriptions `a` and `b` have the same data set, activation, view box and grid size. */
  function sameSurface(a, b) {
    const boxA = a.dataset.view_box;
    const boxB = b.dataset.view_box;
    return a.dataset.name === b.dataset.name && a.activation === b.activation && a.grid.n === b.grid.n
      && ['w_min', 'w_max', 'b_min', 'b_max'].every((key) => boxA[key] === boxB[key]);
  }

  function drawRun(view) {
    lastView = view;
    start = view.start;
    if (samePoint(pendingStart, start)) {
      pendingStart = null;
    }
    if (!geometry) {
      return false;
    }
    drawTrail(trailCanvas.node(), geometry, view.trail, CLIP_PADDING);
    return drawOverlay(overlayLayer, geometry, view, `${idPrefix}-arrow`);
  }

  // onPick returns false when the widget ignores the point, which then moves nothing.
  function pick(point) {
    if (onPick(point) !== false) {
      pendingStart = point;
    }
  }

  function pickAt(clientX, clientY) {
    const bounds = canvas.node().getBoundingClientRect();
    const px = clientX - bounds.left;
    const py = clientY - bounds.top;
    if (!geometry || px < 0 || py < 0 || px > bounds.width || py > bounds.height) {
      return;
    }
    pick([geometry.x.invert(px * (geometry.width / bounds.width)),
      geometry.y.invert(py * (geometry.height / bounds.height))]);
  }

  function moveStart(event) {
    const move = KEY_MOVES[event.key];
    const from = pendingStart ?? start;
    if (!move || !description || !from) {
      return;
    }
    event.preventDefault();
    const grid = description.grid;
    const box = description.dataset.view_box;
    const cells = event.shiftKey ? 10 : 1;
    const stepW = ((box.w_max - box.w_min) / (grid.n - 1)) * cells;
    const stepB = ((box.b_max - box.b_min) / (grid.n - 1)) * cells;
    pick([clamp(from[0] + move[0] * stepW, box.w_min, box.w_max),
      clamp(from[1] + move[1] * stepB, box.b_min, box.b_max)]);
  }

  frame.on('click', (event) => pickAt(event.clientX, event.clientY));
  frame.on('keydown', moveStart);

  return {
    canvas: canvas.node(),
    // With `nextPicture`, the build-time picture of this description's grid, the map shows
    // the picture and computes nothing, which keeps the page's start-up light. A later
    // description of the same surface keeps the picture until its contours are computed.
    setDescription(next, nextPicture = null) {
      const keepContours = (contours !== null || picture !== null)
        && description !== null && sameSurface(description, next);
      description = next;
      colourScale = createColourScale(next.grid);
      if (nextPicture || !keepContours) {
        contours = null;
        picture = nextPicture;
      }
      if (!nextPicture) {
        gridImage = renderGridImage(next.grid, colourScale);
      }
      measure();
      drawStatic();
      if (nextPicture) {
        return Promise.resolve();
      }
      // A newer description stops the contours, and this promise then never resolves.
      return new Promise((resolve) => {
        scheduleContours(keepContours, resolve);
        if (picture === null) {
          resolve();
        }
      });
    },
    setContoursVisible(flag) {
      contoursVisible = flag;
      if (description) {
        drawContours(contourLayer, description.grid, contours, geometry, flag);
      }
    },
    drawRun,
    resize() {
      if (!description) {
        return;
      }
      measure();
      drawStatic();
      if (lastView) {
        drawRun(lastView);
      }
    },
  };
}
