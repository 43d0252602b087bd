// Number formatting shared by the widgets' readouts, legends and captions.

/**
 * Formats `value` with up to `digits` significant digits and no trailing zeros, in
 * exponent form ("1.5e-4", "1e-4") from `largeFrom` up and below 0.001, as the axes
 * write it. Returns "not finite" for null, NaN and ±∞.
 */
function formatSignificant(value, digits, largeFrom) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return 'not finite';
  }
  const size = Math.abs(value);
  if (size !== 0 && (size >= largeFrom || size < 1e-3)) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${Number(mantissa)}e${exponent.replace('+', '')}`;
  }
  return String(Number(value.toPrecision(digits)));
}

/** Formats a readout such as a loss or a coordinate with four significant digits. */
export function formatNumber(value) {
  return formatSignificant(value, 4, 1e5);
}

/** Formats a learning rate with up to three significant digits, as legends show it. */
export function formatRate(value) {
  return formatSignificant(value, 3, 1e4);
}

/** Formats a point θ = (w, b). */
export function formatPoint(point) {
  if (!point) {
    return '(not finite)';
  }
  return `(${formatNumber(point[0])}, ${formatNumber(point[1])})`;
}

/** Formats a tick label of a log-scaled loss axis: powers of ten below 0.001 as "1e-5". */
export function formatLogTick(value) {
  const exponent = Math.round(Math.log10(value));
  // A power of ten below the smallest normal double (about 2.2e-308) is stored with few
  // digits, 1e-321 as 9.98e-322, so its logarithm is off by more than rounding error.
  const isPower = Math.abs(Math.log10(value) - exponent) < 1e-9 || value === Number(`1e${exponent}`);
  if ((value < 1e-3 || value >= 1e4) && isPower) {
    return `1e${exponent}`;
  }
  return formatNumber(value);
}

/** Returns the leading digit of the positive number `value` (3 for 0.3, 1 for 100). */
function leadingDigit(value) {
  return Math.round(value / 10 ** Math.floor(Math.log10(value)));
}

/**
 * Returns the tick values for a log axis over [low, high]: the powers of ten when the
 * range spans at least two of them, else d3's default ticks. When those are more than
 * `count`, only the ticks that start with 1, 2 or 5 are kept, so a power of ten in the
 * range keeps its tick.
 */
export function logTickValues(scale, count = 5) {
  const [low, high] = scale.domain();
  const powers = [];
  for (let exponent = Math.ceil(Math.log10(low)); exponent <= Math.floor(Math.log10(high)); exponent += 1) {
    powers.push(10 ** exponent);
  }
  if (powers.length < 2) {
    const ticks = scale.ticks(count);
    if (ticks.length <= count) {
      return ticks;
    }
    const round = ticks.filter((value) => [1, 2, 5].includes(leadingDigit(value)));
    return round.length >= 2 ? round : ticks.filter((_, index) => index % 2 === 0);
  }
  const stride = Math.ceil(powers.length / count);
  return powers.filter((_, index) => index % stride === 0);
}

/**
 * Returns the whole-number tick values of a linear step axis. A short axis such as 0 to 1
 * would otherwise get ticks at 0.2, 0.4 and so on, which an integer format prints as
 * repeated labels.
 */
export function integerTickValues(scale, count) {
  return scale.ticks(count).filter(Number.isInteger);
}
