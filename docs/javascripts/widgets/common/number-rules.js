// Parsing of typed numbers against an accepted range. Typed text is read strictly so
// that nothing the package would reject is ever sent to it.

const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_DECIMAL_PATTERN = /^[+-]?\d*,\d+$/;

/**
 * Describes an accepted range in words, for example "a number greater than 0 and at
 * most 10". A rule has `min`, `max`, optional `minExclusive`/`maxExclusive` flags and
 * an optional `integer` flag.
 */
export function describeRange(rule) {
  const noun = rule.integer ? 'a whole number' : 'a number';
  const low = rule.minExclusive ? `greater than ${rule.min}` : `at least ${rule.min}`;
  const high = rule.maxExclusive ? `less than ${rule.max}` : `at most ${rule.max}`;
  if (!rule.minExclusive && !rule.maxExclusive) {
    return `${noun} from ${rule.min} to ${rule.max}`;
  }
  return `${noun} ${low} and ${high}`;
}

function rejection(rule, problem) {
  return { ok: false, error: `${problem} ${rule.label} must be ${describeRange(rule)}.` };
}

/**
 * Parses `text` as a number inside `rule`'s range.
 * Returns `{ok: true, value}` or `{ok: false, error}` with one or two sentences that name
 * the typed text and the accepted range.
 */
export function parseNumber(text, rule) {
  const trimmed = String(text).trim();
  if (trimmed === '') {
    return rejection(rule, 'The field is empty.');
  }
  if (COMMA_DECIMAL_PATTERN.test(trimmed)) {
    return rejection(rule, `“${trimmed}” uses a comma; write the decimal point as “.”.`);
  }
  if (!DECIMAL_PATTERN.test(trimmed)) {
    return rejection(rule, `“${trimmed}” is not a number.`);
  }

  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return rejection(rule, `“${trimmed}” is too large to represent.`);
  }
  if (value === 0 && /[1-9]/.test(trimmed.split(/[eE]/)[0])) {
    return rejection(rule, `“${trimmed}” is too small to represent and rounds to 0.`);
  }
  return checkRange(value, rule, trimmed);
}

/** Checks an already numeric value against `rule`, as `parseNumber` does. */
export function checkRange(value, rule, shownText = String(value)) {
  if (!Number.isFinite(value)) {
    return rejection(rule, `“${shownText}” is not a finite number.`);
  }
  if (rule.integer && !Number.isInteger(value)) {
    return rejection(rule, `“${shownText}” is not a whole number.`);
  }
  const tooLow = rule.minExclusive ? value <= rule.min : value < rule.min;
  const tooHigh = rule.maxExclusive ? value >= rule.max : value > rule.max;
  if (tooLow) {
    return rejection(rule, `“${shownText}” is too small.`);
  }
  if (tooHigh) {
    return rejection(rule, `“${shownText}” is too large.`);
  }
  return { ok: true, value };
}
