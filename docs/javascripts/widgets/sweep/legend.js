// The sweep's legend: one button per learning rate, which loads that rate into the
// descent widget. The pick and the runs that diverged, stalled or fell below the chart are
// named in words, not only by colour.

import { firstStepBelow } from '../common/finite.js';
import { formatLogTick, formatRate } from '../common/format.js';
import { curveColour, curveDash } from './palette.js';

// The words an entry adds for each cause of divergence (the package's Status.cause). A run
// thrown off the map can still show a falling loss, so its entry names where it went.
const DIVERGENCE_NOTES = {
  'left-region': 'far off the map',
  'loss-bound': 'loss blew up',
  'not-finite': 'numbers overflowed',
};

function entryNote(run, index, pick, floor) {
  const notes = [];
  if (index === pick) {
    notes.push('pick');
  }
  if (run.status.code === 'diverged') {
    const cause = DIVERGENCE_NOTES[run.status.cause];
    notes.push(`diverged at step ${run.status.step}${cause ? `, ${cause}` : ''}`);
  } else if (run.status.code === 'stalled') {
    notes.push(`stalled at step ${run.status.step} on a flat plateau`);
  }
  const below = firstStepBelow(run.losses, floor);
  if (below !== null) {
    notes.push(`below ${formatLogTick(floor)} from step ${below}`);
  }
  return notes.join(', ');
}

/**
 * Draws the legend of a sweep `result` into the list `container`; `onSelect(index)` is
 * called when the reader chooses an entry. `floor` is the lowest loss the chart shows.
 */
export function drawLegend(container, result, onSelect, floor) {
  container.replaceChildren();
  result.runs.forEach((run, index) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'nd-legend__entry';
    button.dataset.index = String(index);
    button.classList.toggle('nd-legend__entry--pick', index === result.pick);

    const swatch = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    swatch.setAttribute('class', 'nd-legend__swatch');
    swatch.setAttribute('width', '26');
    swatch.setAttribute('height', '10');
    swatch.setAttribute('aria-hidden', 'true');
    const stroke = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    stroke.setAttribute('x1', '1');
    stroke.setAttribute('x2', '25');
    stroke.setAttribute('y1', '5');
    stroke.setAttribute('y2', '5');
    stroke.style.stroke = curveColour(index);
    stroke.setAttribute('stroke-width', index === result.pick ? '4' : '2');
    if (curveDash(index)) {
      stroke.setAttribute('stroke-dasharray', curveDash(index));
    }
    swatch.append(stroke);

    const label = document.createElement('span');
    label.className = 'nd-legend__label';
    label.textContent = `η = ${formatRate(run.learning_rate)}`;
    const note = entryNote(run, index, result.pick, floor);
    button.append(swatch, label);
    if (note) {
      const noteElement = document.createElement('span');
      noteElement.className = 'nd-legend__note';
      noteElement.textContent = ` (${note})`;
      button.append(noteElement);
    }
    button.setAttribute('aria-label', `Load η = ${formatRate(run.learning_rate)}${note ? `, ${note},` : ''} into the descent widget`);
    button.addEventListener('click', () => onSelect(index));
    item.append(button);
    container.append(item);
  });
}
