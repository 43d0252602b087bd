// A labelled number input with an optional slider and an inline error message.
// Typed text is committed on Enter or when the field loses focus; the slider commits
// while it moves. An invalid entry leaves the last valid value in force. Inside a form,
// Enter then submits the form as usual.

import { parseNumber, checkRange, describeRejection } from './number-rules.js';
import { formatRate } from './format.js';

let fieldCount = 0;

function sliderPosition(value, slider) {
  return slider.scale === 'log' ? Math.log10(value) : value;
}

function sliderValue(position, slider) {
  const value = slider.scale === 'log' ? 10 ** position : position;
  return Number(value.toPrecision(3));
}

/**
 * Creates the field from `options`:
 * - `label`: the visible label, which may contain a symbol such as η;
 * - `rule`: the accepted range (see number-rules.js), whose `name` names the value in messages;
 * - `value`: the initial value, which must be valid;
 * - `slider`: optional `{scale: 'log' | 'linear', min, max, step}`, with log bounds given
 *   as powers of ten;
 * - `onCommit(value)`: optional, called once for each new valid value.
 * Returns `{element, message, value(), check(), isInvalid(), setValue(value), setDisabled(flag),
 * setConflict(flag)}`. `message` is the message paragraph, which the caller may move to
 * a place where a message does not shift the layout.
 */
export function createNumberField(options) {
  fieldCount += 1;
  const id = `nd-field-${fieldCount}`;
  let committed = options.value;

  const element = document.createElement('div');
  element.className = 'nd-field';
  element.innerHTML = `
    <label class="nd-field__label" for="${id}"></label>
    <div class="nd-field__inputs">
      <input class="nd-field__text" id="${id}" type="text" inputmode="decimal"
             autocomplete="off" spellcheck="false" aria-describedby="${id}-message">
    </div>
    <p class="nd-field__message" id="${id}-message" aria-live="polite"></p>`;
  element.querySelector('label').textContent = options.label;
  const text = element.querySelector('input');
  const message = element.querySelector('.nd-field__message');
  text.value = String(committed);

  let range = null;
  if (options.slider) {
    range = document.createElement('input');
    range.type = 'range';
    range.className = 'nd-field__slider';
    range.min = String(options.slider.min);
    range.max = String(options.slider.max);
    range.step = String(options.slider.step);
    range.value = String(sliderPosition(committed, options.slider));
    range.setAttribute('aria-label', `${options.label} slider`);
    element.querySelector('.nd-field__inputs').append(range);
  }

  // Whether the value is valid but clashes with another field's value. The form that
  // compares the two fields shows the message.
  let conflict = false;

  /** Returns whether the text failed its last check, without checking it again. */
  function isInvalid() {
    return element.classList.contains('nd-field--invalid');
  }

  function markInvalid() {
    text.setAttribute('aria-invalid', isInvalid() || conflict ? 'true' : 'false');
  }

  /** Shows the message of a failed parse `result`, or clears the message when null. */
  function showError(result) {
    message.textContent = result ? describeRejection(result, options.rule, formatRate(committed)) : '';
    element.classList.toggle('nd-field--invalid', Boolean(result));
    markInvalid();
  }

  function accept(value) {
    showError(null);
    if (range) {
      range.value = String(sliderPosition(value, options.slider));
    }
    if (value !== committed) {
      committed = value;
      options.onCommit?.(value);
    }
  }

  function commitText() {
    const result = parseNumber(text.value, options.rule);
    if (result.ok) {
      accept(result.value);
    } else {
      showError(result);
    }
  }

  text.addEventListener('change', commitText);
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      commitText();
    }
  });
  range?.addEventListener('input', () => {
    const value = sliderValue(Number(range.value), options.slider);
    const result = checkRange(value, options.rule);
    if (result.ok) {
      text.value = String(value);
      accept(value);
    }
  });

  return {
    element,
    message,
    value: () => committed,
    /** Commits the typed text if it is valid. Returns the value in force, or null if invalid. */
    check() {
      commitText();
      return isInvalid() ? null : committed;
    },
    isInvalid,
    setValue(value) {
      committed = value;
      text.value = String(value);
      showError(null);
      if (range) {
        range.value = String(sliderPosition(value, options.slider));
      }
    },
    /** Marks the field aria-invalid while its valid value clashes with another field's. */
    setConflict(flag) {
      conflict = flag;
      markInvalid();
    },
    setDisabled(flag) {
      text.disabled = flag;
      if (range) {
        range.disabled = flag;
      }
    },
  };
}
