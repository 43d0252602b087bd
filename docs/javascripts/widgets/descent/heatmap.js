// The loss map's raster: L(w, b) from the package's grid, coloured with viridis on a log
// scale of the loss, optional contour lines of log10 L, and the colour bar.

import { formatLogTick, logTickValues } from '../common/format.js';
import { isFiniteNumber } from '../common/finite.js';

const CONTOUR_LEVELS = 14;
/** The colour bar's width, or its height when it lies under the map. */
const BAR_THICKNESS = 14;

/**
 * Returns the colour scale of a grid: `lossScale` maps a loss to [0, 1] on a log scale
 * between the grid's smallest and largest finite loss, and `colour(t)` is viridis.
 * A loss of 0 or a non-finite loss (null) gets the end colours.
 */
export function createColourScale(grid) {
  const values = grid.loss.filter((value) => isFiniteNumber(value) && value > 0);
  const high = Math.max(...values);
  // A loss of exactly zero has no logarithm: the bottom of the scale is 1e-12 of the top.
  const low = Math.max(Math.min(...values), high * 1e-12);
  const lossScale = d3.scaleLog().domain([low, high === low ? low * 10 : high]).range([0, 1]).clamp(true);
  return { lossScale, colour: d3.interpolateViridis, low, high };
}

/** Returns the grid's losses as log10 values, with non-finite losses set to the maximum. */
function logLosses(grid, colourScale) {
  const top = Math.log10(colourScale.high);
  const bottom = Math.log10(colourScale.low);
  return grid.loss.map((value) => (isFiniteNumber(value) ? Math.log10(Math.max(value, colourScale.low)) : top))
    .map((value) => Math.min(Math.max(value, bottom), top));
}

/**
 * Returns the colour scale's colours as 256 d3.rgb objects, parsed once. d3's viridis picks
 * colour floor(256 t) of the same 256, so palette[index(t)] equals d3.rgb(colour(t)).
 */
function parsePalette(colourScale) {
  return d3.range(256).map((index) => d3.rgb(colourScale.colour(index / 256)));
}

/**
 * Paints the grid once into an n × n canvas, row 0 at the top (largest b). The position t
 * on the colour scale is (log L − log low) / (log high − log low), clamped to [0, 1], as
 * lossScale computes it. It is computed here because calling the d3 scale for every cell
 * made this the costly part of drawing the map.
 */
export function renderGridImage(grid, colourScale) {
  const n = grid.n;
  const image = new ImageData(n, n);
  const pixels = image.data;
  const palette = parsePalette(colourScale);
  const [low, high] = colourScale.lossScale.domain().map(Math.log10);
  for (let row = 0; row < n; row += 1) {
    for (let column = 0; column < n; column += 1) {
      const value = grid.loss[row * n + column];
      const t = isFiniteNumber(value) ? (Math.log10(Math.max(value, colourScale.low)) - low) / (high - low) : 1;
      const rgb = palette[Math.min(255, Math.max(0, Math.floor(t * 256)))];
      const offset = ((n - 1 - row) * n + column) * 4;
      pixels[offset] = rgb.r;
      pixels[offset + 1] = rgb.g;
      pixels[offset + 2] = rgb.b;
      pixels[offset + 3] = 255;
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = n;
  canvas.height = n;
  canvas.getContext('2d').putImageData(image, 0, 0);
  return canvas;
}

/**
 * Draws the grid image onto the visible canvas at `geometry`'s scales. The canvas has
 * `devicePixelRatio` device pixels per CSS pixel so it stays sharp on dense screens.
 * Each grid value sits at its (w_i, b_j), so the image reaches half a cell past them.
 */
export function paintRaster(canvas, gridImage, grid, geometry) {
  const { context, ratio } = sizeCanvas(canvas, geometry);

  const n = grid.n;
  const halfW = (grid.w[n - 1] - grid.w[0]) / (n - 1) / 2;
  const halfB = (grid.b[n - 1] - grid.b[0]) / (n - 1) / 2;
  const left = geometry.x(grid.w[0] - halfW);
  const right = geometry.x(grid.w[n - 1] + halfW);
  const top = geometry.y(grid.b[n - 1] + halfB);
  const bottom = geometry.y(grid.b[0] - halfB);

  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.drawImage(gridImage, left, top, right - left, bottom - top);
}

/**
 * Draws `picture`, the map's picture made at build time, onto the visible canvas at
 * `geometry`'s size. The picture covers exactly the plot, as the page showed it before
 * any script ran, with its contour lines drawn in.
 */
export function paintPicture(canvas, picture, geometry) {
  const { context } = sizeCanvas(canvas, geometry);
  context.drawImage(picture, 0, 0, canvas.width, canvas.height);
}

/**
 * Sizes `canvas` to `geometry` with `devicePixelRatio` device pixels per CSS pixel, which
 * clears it, and returns `{context, ratio}`: its 2D context, set to smooth scaled images.
 */
function sizeCanvas(canvas, geometry) {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${geometry.width}px`;
  canvas.style.height = `${geometry.height}px`;
  canvas.width = Math.round(geometry.width * ratio);
  canvas.height = Math.round(geometry.height * ratio);

  const context = canvas.getContext('2d');
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  return { context, ratio };
}

/**
 * Returns the contour levels of log10 L, `thresholds`, and `contourAt(threshold)`, which
 * computes the contour line at one level as a d3.contours MultiPolygon in grid coordinates.
 * Computing contours is the costly part of drawing the map (all levels at once took up to
 * 100 ms on a busy 2-core machine), so the map computes one level per task, once per grid.
 */
export function prepareContours(grid, colourScale) {
  const bottom = Math.log10(colourScale.low);
  const top = Math.log10(colourScale.high);
  const thresholds = d3.range(1, CONTOUR_LEVELS).map((i) => bottom + ((top - bottom) * i) / CONTOUR_LEVELS);
  const values = logLosses(grid, colourScale);
  const generator = d3.contours().size([grid.n, grid.n]);
  return { thresholds, contourAt: (threshold) => generator.contour(values, threshold) };
}

/**
 * Draws `contours` (MultiPolygons from prepareContours) into the SVG group `layer`.
 * d3.contours places grid value i at coordinate i + 0.5, so a coordinate c is the grid
 * point (c − 0.5).
 */
export function drawContours(layer, grid, contours, geometry, visible) {
  layer.selectAll('path').remove();
  if (!visible || !contours) {
    return;
  }
  const n = grid.n;
  const stepW = (grid.w[n - 1] - grid.w[0]) / (n - 1);
  const stepB = (grid.b[n - 1] - grid.b[0]) / (n - 1);
  const toScreen = (column, row) => [
    geometry.x(grid.w[0] + (column - 0.5) * stepW),
    geometry.y(grid.b[0] + (row - 0.5) * stepB),
  ];
  layer.selectAll('path').data(contours).join('path')
    .attr('class', 'nd-map__contour')
    .attr('d', (contour) => contourPath(contour, toScreen));
}

/**
 * Returns the SVG path data of a d3.contours MultiPolygon, with each point mapped through
 * `toScreen(column, row)`. The string is the one that d3-geo 3.1's geoPath writes for a
 * planar geoTransform: each ring as M, L… and Z without its closing point, with
 * coordinates rounded to 3 decimals. The site ships no d3-geo, which is 36 KB minified.
 */
export function contourPath(contour, toScreen) {
  const round = (value) => Math.round(value * 1000) / 1000;
  let path = '';
  for (const polygon of contour.coordinates) {
    for (const ring of polygon) {
      // A ring ends with a copy of its first point, which Z draws back to.
      for (let index = 0; index < ring.length - 1; index += 1) {
        const [x, y] = toScreen(ring[index][0], ring[index][1]);
        path += `${index === 0 ? 'M' : 'L'}${round(x)},${round(y)}`;
      }
      path += 'Z';
    }
  }
  return path;
}

/**
 * Draws the colour bar with a log-scaled loss axis into the SVG group `layer`: upright
 * and `length` px tall, or with `horizontal` lying down and `length` px wide.
 */
export function drawColourBar(layer, colourScale, length, gradientId, horizontal = false) {
  layer.selectAll('*').remove();
  const gradient = layer.append('defs').append('linearGradient').attr('id', gradientId)
    .attr('x1', 0).attr('x2', horizontal ? 1 : 0).attr('y1', horizontal ? 0 : 1).attr('y2', 0);
  d3.range(0, 1.0001, 0.1).forEach((t) => {
    gradient.append('stop').attr('offset', t).attr('stop-color', colourScale.colour(t));
  });
  layer.append('rect').attr('width', horizontal ? length : BAR_THICKNESS).attr('height', horizontal ? BAR_THICKNESS : length)
    .attr('fill', `url(#${gradientId})`);

  const scale = d3.scaleLog().domain([colourScale.low, colourScale.high]).range(horizontal ? [0, length] : [length, 0]);
  const axis = (horizontal ? d3.axisBottom(scale) : d3.axisRight(scale))
    .tickValues(logTickValues(scale, horizontal ? Math.floor(length / 45) : 6)).tickFormat(formatLogTick);
  layer.append('g').attr('class', 'nd-axis')
    .attr('transform', horizontal ? `translate(0,${BAR_THICKNESS})` : `translate(${BAR_THICKNESS},0)`).call(axis);
  const title = layer.append('text').attr('class', 'nd-axis-title').attr('text-anchor', 'middle')
    .text('loss L (log scale)');
  if (horizontal) {
    title.attr('x', length / 2).attr('y', BAR_THICKNESS + 34);
  } else {
    title.attr('transform', `translate(62,${length / 2}) rotate(90)`);
  }
}
