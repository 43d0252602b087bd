// Parsing of typed numbers against an accepted range. Typed text is read strictly so
// that nothing the package would reject is ever sent to it.

const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_DECIMAL_PATTERN = /^[+-]?\d*,\d+$/;

/** Messages quote at most this many characters of the typed text, then an ellipsis. */
const MAX_QUOTED_CHARACTERS = 20;

/** Returns `text` in quotation marks, cut to MAX_QUOTED_CHARACTERS with an ellipsis. */
function quote(text) {
  const characters = Array.from(text);
  const shown = characters.length > MAX_QUOTED_CHARACTERS
    ? `${characters.slice(0, MAX_QUOTED_CHARACTERS).join('')}…`
    : text;
  return `“${shown}”`;
}

/**
 * Describes an accepted range in words, for example "a number greater than 0 and at
 * most 10". A rule has `name` (a noun phrase such as "the learning rate η"), `min`,
 * `max`, optional `minExclusive`/`maxExclusive` flags and an optional `integer` flag.
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

/**
 * Returns a failed result. `problem` is a clause such as "“abc” is not a number", and
 * `hint` an optional ending for the accepted range, such as ", written with a “.”".
 */
function rejection(rule, problem, hint = '') {
  return {
    ok: false,
    problem,
    hint,
    error: `${problem}, but ${rule.name} must be ${describeRange(rule)}${hint}.`,
  };
}

/**
 * Returns the one-sentence message of a failed `result` for a field whose value stays
 * `current`, naming the accepted range, for example "“abc” is not a number, so the
 * learning rate η stays 0.1 until you enter a number greater than 0 and at most 100."
 */
export function describeRejection(result, rule, current) {
  return `${result.problem}, so ${rule.name} stays ${current} until you enter ${describeRange(rule)}${result.hint}.`;
}

/**
 * Parses `text` as a number inside `rule`'s range.
 * Returns `{ok: true, value}` or `{ok: false, problem, hint, error}`, where `error` is one
 * sentence that names the typed text and the accepted range (see `rejection`).
 */
export function parseNumber(text, rule) {
  const trimmed = String(text).trim();
  if (trimmed === '') {
    return rejection(rule, 'The field is empty');
  }
  if (COMMA_DECIMAL_PATTERN.test(trimmed)) {
    return rejection(rule, `${quote(trimmed)} uses a comma as the decimal mark`, ', written with a “.” as the decimal point');
  }
  if (!DECIMAL_PATTERN.test(trimmed)) {
    return rejection(rule, `${quote(trimmed)} is not a number`);
  }

  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return rejection(rule, `${quote(trimmed)} is too large to represent`);
  }
  if (value === 0 && /[1-9]/.test(trimmed.split(/[eE]/)[0])) {
    return rejection(rule, `${quote(trimmed)} is too small to represent and rounds to 0`);
  }
  return checkRange(value, rule, trimmed);
}

/** Checks an already numeric value against `rule`, as `parseNumber` does. */
export function checkRange(value, rule, shownText = String(value)) {
  if (!Number.isFinite(value)) {
    return rejection(rule, `${quote(shownText)} is not a finite number`);
  }
  if (rule.integer && !Number.isInteger(value)) {
    return rejection(rule, `${quote(shownText)} is not a whole number`);
  }
  const tooLow = rule.minExclusive ? value <= rule.min : value < rule.min;
  const tooHigh = rule.maxExclusive ? value >= rule.max : value > rule.max;
  if (tooLow) {
    return rejection(rule, `${quote(shownText)} is too small`);
  }
  if (tooHigh) {
    return rejection(rule, `${quote(shownText)} is too large`);
  }
  return { ok: true, value };
}
