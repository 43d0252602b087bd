// Curve colours and dash patterns of the sweep. The colours are the Okabe–Ito palette
// (Okabe and Ito, "Color Universal Design", 2008), which stays distinguishable with the
// common colour-vision deficiencies. Its black is left out so every colour shows on
// Material's dark palette. widgets.css defines them as --nd-curve-0 to --nd-curve-6 for
// each palette, with the light ones darkened on white to 3:1 contrast.
//
// Among the first seven curves the order puts the closest pairs (blue and sky blue, orange
// and vermillion, orange and yellow) three or more curves apart. Every other curve is
// dashed, so each of those pairs also differs in its line. From the eighth curve on the
// colours repeat, dotted and dash-dotted where the first seven were solid and dashed, so
// no two of the twelve curves a sweep can draw share both colour and line.

const COLOUR_COUNT = 7;

/** SVG dash patterns of the first seven curves (even, odd) and of the later ones. */
const FIRST_DASHES = [null, '7 4'];
const REPEAT_DASHES = ['2 3', '9 3 2 3'];

/** Returns the colour of curve `index`, as a CSS value for a style property (not an SVG attribute). */
export function curveColour(index) {
  return `var(--nd-curve-${index % COLOUR_COUNT})`;
}

/** Returns the SVG dash pattern of curve `index`, or null for a solid line. */
export function curveDash(index) {
  const dashes = index < COLOUR_COUNT ? FIRST_DASHES : REPEAT_DASHES;
  return dashes[index % 2];
}
