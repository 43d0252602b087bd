// Curve colours of the sweep: the Okabe–Ito palette (Okabe and Ito, "Color Universal
// Design", 2008), which stays distinguishable with the common colour-vision deficiencies.
// Its black is left out so every colour shows on Material's dark palette. widgets.css
// defines the colours as --nd-curve-0 to --nd-curve-6 for each palette, with the light
// ones darkened on white to 3:1 contrast. Curves past the seventh repeat them dashed.

const COLOUR_COUNT = 7;

/** Returns the colour of curve `index`, as a CSS value for a style property (not an SVG attribute). */
export function curveColour(index) {
  return `var(--nd-curve-${index % COLOUR_COUNT})`;
}

/** Returns the SVG dash pattern of curve `index`: solid for the first seven. */
export function curveDash(index) {
  return index < COLOUR_COUNT ? null : '7 4';
}
