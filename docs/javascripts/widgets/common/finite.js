// Helpers that keep non-finite numbers (the package sends NaN and ±∞ as null) out of
// scales and SVG paths, so a diverged run never produces a NaN or infinite axis.

/** Returns whether `value` is a finite number. */
export function isFiniteNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Returns whether both coordinates of a point are finite. */
export function isFinitePoint(point) {
  return Array.isArray(point) && isFiniteNumber(point[0]) && isFiniteNumber(point[1]);
}

/** Returns whether points `a` and `b` are both given and have equal coordinates. */
export function samePoint(a, b) {
  return Boolean(a && b) && a[0] === b[0] && a[1] === b[1];
}

/** Limits `value` to [low, high]. */
export function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/**
 * Returns the [min, max] of the finite, positive values, or null when there are none.
 * Log-scaled axes use it because a log scale cannot show zero or a negative loss.
 */
export function positiveExtent(values) {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (isFiniteNumber(value) && value > 0) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  return low <= high ? [low, high] : null;
}

/** Returns the first step whose loss is finite and below `floor`, or null. */
export function firstStepBelow(losses, floor) {
  const step = losses.findIndex((value) => isFiniteNumber(value) && value < floor);
  return step < 0 ? null : step;
}

/**
 * Returns the y at which a loss chart marks a run that diverged at `step`: that of its last
 * finite, positive loss on the log scale `y`, or the top edge when there is none. The mark
 * stays 6 px inside a plot `height` px tall, so a loss off the scale puts it on the nearer edge.
 */
export function divergenceMarkY(losses, step, y, height) {
  let top = 0;
  for (let index = Math.min(step, losses.length - 1); index >= 0; index -= 1) {
    if (isFiniteNumber(losses[index]) && losses[index] > 0) {
      top = y(losses[index]);
      break;
    }
  }
  return clamp(top, 6, height - 6);
}

/**
 * Returns a log-scale domain for losses, from the smallest positive loss to the largest.
 * The top is capped at `ceilingFactor` times the starting loss, so one run that blows up
 * to 1e300 does not flatten every other curve. The bottom is at least `floorFactor` times
 * the starting loss, so a run that fits the data to rounding error (1e-30) does not
 * flatten them either. A `floorFactor` of 0 lets the axis reach the smallest loss.
 * Charts clip what falls outside. A range under one decade is widened to one decade.
 */
export function lossDomain(values, startLoss, ceilingFactor = 1e3, floorFactor = 1e-10) {
  let [low, high] = positiveExtent(values) ?? [1e-3, 1];
  if (isFiniteNumber(startLoss) && startLoss > 0) {
    high = Math.min(high, startLoss * ceilingFactor);
    low = Math.min(Math.max(low, startLoss * floorFactor), high);
  }
  if (high / low < 10) {
    const middle = Math.sqrt(low * high);
    low = middle / Math.sqrt(10);
    high = middle * Math.sqrt(10);
  }
  return [low, high];
}
