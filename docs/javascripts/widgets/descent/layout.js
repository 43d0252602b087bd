// The descent widget's DOM skeleton. Anything the placeholder already contains (such as
// a picture made at build time) stays visible until the live widget replaces it.

import { ARROW_LENGTH, MIN_ARROW_GRADIENT } from './map-overlay.js';
import { keepPlaceholderContent } from '../common/placeholder.js';

const CAPTION = `Colour: the loss L on a log scale. White line and dots: the trail of visited points.
Ring: the start point. Arrow: the direction of −∇L at the current point, always ${ARROW_LENGTH} px
long, so it shows direction only; its size is ‖∇L‖ in the readouts. The arrow is hidden once
the run has converged or ‖∇L‖ is below ${MIN_ARROW_GRADIENT}, where the direction means nothing.`;

/** Builds the skeleton inside `element` and returns its parts by name. */
export function buildLayout(element) {
  const placeholder = keepPlaceholderContent(element);

  const root = document.createElement('div');
  root.className = 'nd-descent';
  root.innerHTML = `
    <div class="nd-descent__loading"></div>
    <div class="nd-descent__live" hidden>
      <div class="nd-descent__controls"></div>
      <div class="nd-descent__panels">
        <div class="nd-descent__main">
          <div class="nd-descent__map"></div>
          <div class="nd-descent__buttons">
            <button type="button" class="md-button md-button--primary" data-action="step-1">Step (1)</button>
            <button type="button" class="md-button md-button--primary" data-action="step-50">Step (50)</button>
            <button type="button" class="md-button" data-action="run">Run</button>
            <button type="button" class="md-button" data-action="reset">Reset</button>
          </div>
          <p class="nd-descent__note" aria-live="polite"></p>
          <p class="nd-widget__error" role="alert"></p>
          <div class="nd-descent__readouts"></div>
          <p class="nd-descent__caption"></p>
        </div>
        <div class="nd-descent__side">
          <figure class="nd-panel"><figcaption>Fit: data and ŷ(x)</figcaption><div class="nd-descent__fit"></div></figure>
          <figure class="nd-panel"><figcaption>Loss against step k</figcaption><div class="nd-descent__loss"></div></figure>
        </div>
      </div>
    </div>`;
  element.append(root);
  root.querySelector('.nd-descent__caption').textContent = CAPTION.replace(/\s+/g, ' ');

  const find = (selector) => root.querySelector(selector);
  return {
    placeholder,
    loading: find('.nd-descent__loading'),
    live: find('.nd-descent__live'),
    controls: find('.nd-descent__controls'),
    map: find('.nd-descent__map'),
    readouts: find('.nd-descent__readouts'),
    note: find('.nd-descent__note'),
    error: find('.nd-widget__error'),
    fit: find('.nd-descent__fit'),
    loss: find('.nd-descent__loss'),
    buttons: {
      stepOne: find('[data-action="step-1"]'),
      stepFifty: find('[data-action="step-50"]'),
      run: find('[data-action="run"]'),
      reset: find('[data-action="reset"]'),
    },
  };
}
